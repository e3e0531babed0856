"""A person's own language (what e-mails and notifications reach them in): their browser's when
they sign up, then whatever they choose with the language switcher."""

import pytest
from django.conf import settings
from django.urls import reverse

from meent.accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("set_language")


def test_sign_up_keeps_the_language_the_browser_asked_for(client):
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Eve",
            "last_name": "Smith",
            "email": "eve@voorbeeld.nl",
            "password1": "Samenwerken-2026!",
            "password2": "Samenwerken-2026!",
        },
        HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8",
    )
    assert response.status_code == 302
    person = User.objects.get(email="eve@voorbeeld.nl")
    assert person.language == "en"
    assert person.preferred_language == "en"


def test_the_language_switcher_remembers_a_signed_in_persons_choice(client):
    person = UserFactory(language="nl")
    client.force_login(person)
    response = client.post(SWITCH, {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    person.refresh_from_db()
    assert person.language == "en"

    client.post(SWITCH, {"language": "nl", "next": "/"})
    person.refresh_from_db()
    assert person.language == "nl"


@pytest.mark.parametrize("language", ["fr", "", "en<script>", "x" * 500])
def test_a_language_meent_does_not_speak_changes_nothing(client, language):
    person = UserFactory(language="nl")
    client.force_login(person)
    response = client.post(SWITCH, {"language": language, "next": "/"})
    assert response.status_code == 302  # Django's view ignores it
    person.refresh_from_db()
    assert person.language == "nl"


def test_visitors_can_switch_without_an_account(client):
    response = client.post(SWITCH, {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_an_account_without_a_language_gets_the_one_it_signs_in_with_once(client):
    person = UserFactory(email="oud@voorbeeld.nl", language="")
    assert person.preferred_language == settings.LANGUAGE_CODE  # until then: Dutch
    credentials = {"login": "oud@voorbeeld.nl", "password": DEFAULT_PASSWORD}
    client.post(reverse("account_login"), credentials, HTTP_ACCEPT_LANGUAGE="en")
    person.refresh_from_db()
    assert person.language == "en"

    # A later sign-in on a Dutch computer does not undo what is kept.
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), credentials, HTTP_ACCEPT_LANGUAGE="nl")
    person.refresh_from_db()
    assert person.language == "en"
