import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import translation

from tests.factories import UserFactory

SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages are checked in English (the msgids) outside requests; Dutch is the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def operator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, SECRET)
    client.force_login(user)
    return user
