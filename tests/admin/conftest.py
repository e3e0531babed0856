import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from moderation.roles import ensure_moderator_role
from tests.factories import UserFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def current_code(secret=TOTP_SECRET):
    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


@pytest.fixture
def moderator(db):
    """A moderator as ``manage.py moderator_role`` makes them, with two-factor sign-in set up."""
    user = UserFactory(
        email="moderator@voorbeeld.nl", first_name="Mila", last_name="Moderator", is_staff=True
    )
    user.groups.add(ensure_moderator_role())
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
