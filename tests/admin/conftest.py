import pytest

from moderation.roles import ensure_moderator_role
from tests.factories import UserFactory
from tests.helpers import activate_totp


@pytest.fixture
def moderator(db):
    """A moderator as ``manage.py moderator_role`` makes them, with two-factor sign-in set up."""
    user = UserFactory(
        email="moderator@voorbeeld.nl", first_name="Mila", last_name="Moderator", is_staff=True
    )
    user.groups.add(ensure_moderator_role())
    activate_totp(user)
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
