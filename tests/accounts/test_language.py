"""A person's own language (what e-mails and notifications reach them in): their browser's when
they sign up, then whatever they choose with the language switcher."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
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


def test_signing_in_on_a_new_device_shows_the_persons_own_language(client):
    UserFactory(email="eng@voorbeeld.nl", language="en")
    credentials = {"login": "eng@voorbeeld.nl", "password": DEFAULT_PASSWORD}
    response = client.post(reverse("account_login"), credentials, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 200
    assert '<html lang="en"' in page.content.decode()


def test_a_language_chosen_on_the_device_before_signing_in_stays(client):
    person = UserFactory(email="eng@voorbeeld.nl", language="en")
    client.post(SWITCH, {"language": "nl", "next": "/"})
    credentials = {"login": "eng@voorbeeld.nl", "password": DEFAULT_PASSWORD}
    response = client.post(reverse("account_login"), credentials)
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # nothing overwrites that choice
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    person.refresh_from_db()
    assert person.language == "en"  # and the e-mails stay in the person's own


def test_the_wagtail_profile_speaks_the_persons_language_both_ways(client):
    from wagtail.users.models import UserProfile

    person = UserFactory(language="en", is_staff=True)
    profile = UserProfile.get_for_user(person)
    profile.refresh_from_db()
    assert profile.preferred_language == "en"  # a new profile takes it

    client.force_login(person)
    client.post(SWITCH, {"language": "nl", "next": "/"})
    profile.refresh_from_db()
    assert profile.preferred_language == "nl"  # the switcher changes both

    profile.preferred_language = "en"  # the admin's account settings
    profile.save()
    person.refresh_from_db()
    assert person.language == "en"

    profile.preferred_language = "fr"  # not one Meent speaks: the person's stays
    profile.save()
    person.refresh_from_db()
    assert person.language == "en"


@pytest.mark.parametrize("language", ["en", "nl"])
def test_wagtails_workflow_emails_are_in_the_recipients_language(mailoutbox, language):
    from django.contrib.auth.models import Group as AuthGroup
    from django.utils import translation
    from wagtail.models import Workflow

    from tests.toolbox.factories import ToolboxArticlePageFactory, ToolboxSectionPageFactory
    from toolbox.roles import WORKFLOW_NAME, ensure_toolbox_roles

    section = ToolboxSectionPageFactory()
    ensure_toolbox_roles(section.get_parent().specific)
    moderator = UserFactory(language=language, is_staff=True, email="mod@voorbeeld.nl")
    moderator.groups.add(AuthGroup.objects.get(name=settings.MEENT_MODERATORS_GROUP))
    manager = UserFactory(language="nl" if language == "en" else "en", is_staff=True)
    manager.groups.add(AuthGroup.objects.get(name=settings.MEENT_COMMUNITY_MANAGERS_GROUP))
    article = ToolboxArticlePageFactory(parent=section, title="Concept", live=False)
    article.save_revision(user=manager)
    # The manager submits while their own (the other) language is active.
    with translation.override(manager.language):
        Workflow.objects.get(name=WORKFLOW_NAME).start(article, manager)
    to_moderator = [mail for mail in mailoutbox if mail.to == ["mod@voorbeeld.nl"]]
    assert to_moderator, [mail.to for mail in mailoutbox]
    expected = {"en": "has been submitted", "nl": "is ingediend"}[language]
    unexpected = {"en": "is ingediend", "nl": "has been submitted"}[language]
    text = to_moderator[0].subject + to_moderator[0].body
    assert expected in text and unexpected not in text, text


def test_a_device_already_in_the_persons_language_sets_no_cookie(client):
    UserFactory(email="nl@voorbeeld.nl", language="nl")
    credentials = {"login": "nl@voorbeeld.nl", "password": DEFAULT_PASSWORD}
    response = client.post(reverse("account_login"), credentials, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # it keeps following the browser
