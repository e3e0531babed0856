import pytest
from django.utils import translation

from tests.factories import UserFactory
from tests.helpers import activate_totp


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages are checked in English (the msgids) outside requests; Dutch is the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def operator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(user)
    client.force_login(user)
    return user
