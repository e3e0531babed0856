import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, OrganisationDomainFactory, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Samenwerken-2026!"


def signup(client, email, password1=GOOD_PASSWORD, password2=None, **extra):
    data = {
        "first_name": "Anna",
        "last_name": "de Vries",
        "email": email,
        "password1": password1,
        "password2": password2 if password2 is not None else password1,
        **extra,
    }
    return client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="en")


def confirmation_link(message):
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_confirm_places_person_in_organisation(client):
    domain = OrganisationDomainFactory(domain="minbzk.nl", organisation__name="Ministerie van BZK")

    response = signup(client, "Anna.deVries@MinBZK.nl")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="anna.devries@minbzk.nl")
    assert (user.first_name, user.last_name) == ("Anna", "de Vries")
    # Not yet verified, so not yet placed and not signed in.
    assert user.organisation is None
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1

    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200  # confirming is a POST, a GET only shows the form
    assert not EmailAddress.objects.get(user=user).verified

    response = client.post(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert EmailAddress.objects.get(user=user).verified
    assert user.organisation == domain.organisation
    assert int(client.session["_auth_user_id"]) == user.pk


def test_unknown_domain_gets_no_organisation(client):
    OrganisationDomainFactory(domain="minbzk.nl")
    signup(client, "iemand@onbekend.example")
    client.post(confirmation_link(mail.outbox[0]))
    assert User.objects.get(email="iemand@onbekend.example").organisation is None


def test_wrong_confirmation_link_explains_and_verifies_nothing(client):
    signup(client, "iemand@voorbeeld.nl")
    response = client.get("/accounts/confirm-email/not-a-real-key/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "expired or is invalid" in response.content.decode()
    response = client.post("/accounts/confirm-email/not-a-real-key/")
    assert not EmailAddress.objects.filter(verified=True).exists()


@pytest.mark.parametrize(
    ("email", "password1", "password2", "field", "message"),
    [
        ("geen-adres", GOOD_PASSWORD, None, "email", "Enter a valid email address."),
        ("a@voorbeeld.nl", "kort", None, "password1", "This password is too short"),
        ("a@voorbeeld.nl", "1234567890123", None, "password1", "This password is entirely numeric"),
        ("a@voorbeeld.nl", "password123", None, "password1", "This password is too common"),
        (
            "a@voorbeeld.nl",
            GOOD_PASSWORD,
            "Iets-anders-2026",
            "password2",
            "You must type the same password",
        ),
    ],
)
def test_bad_signup_rerenders_with_message_and_creates_nothing(
    client, email, password1, password2, field, message
):
    response = signup(client, email, password1, password2)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    # The person's input is kept (except passwords, which are never echoed).
    assert response.context["form"].data["email"] == email
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not mail.outbox


def test_signup_with_address_in_use_creates_nothing_and_tells_the_owner(client):
    existing = UserFactory(email="bestaand@voorbeeld.nl")
    response = signup(client, "Bestaand@voorbeeld.nl")
    # Without revealing who has an account, the page says to check the inbox; the owner of the
    # address learns by e-mail that an account exists and how to reset its password.
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert User.objects.get() == existing
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bestaand@voorbeeld.nl"]
    assert "already" in mail.outbox[0].body.lower()


def test_signup_messages_in_dutch_by_default(client):
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "geen-adres",
            "password1": "x",
            "password2": "x",
        },
    )
    content = response.content.decode()
    assert '<html lang="nl">' in content
    assert "Voer een geldig e-mailadres in." in content
    assert not User.objects.exists()


def test_sign_in_and_out(client):
    user = UserFactory(email="lid@voorbeeld.nl")
    response = sign_in(client, "lid@voorbeeld.nl")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_unverified_address_cannot_sign_in(client):
    UserFactory(email="onbevestigd@voorbeeld.nl", verified_email=False)
    EmailAddress.objects.create(
        user=User.objects.get(email="onbevestigd@voorbeeld.nl"),
        email="onbevestigd@voorbeeld.nl",
        primary=True,
        verified=False,
    )
    response = sign_in(client, "onbevestigd@voorbeeld.nl")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_sixth_failed_sign_in_within_five_minutes_is_refused(client):
    UserFactory(email="doelwit@voorbeeld.nl")
    for _ in range(5):
        response = client.post(
            reverse("account_login"),
            {"login": "doelwit@voorbeeld.nl", "password": "fout-wachtwoord"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert (
            "The email address and/or password you specified are not correct."
            in response.content.decode()
        )
    # Even the right password is refused now: the address is locked for a while.
    response = client.post(
        reverse("account_login"),
        {"login": "doelwit@voorbeeld.nl", "password": DEFAULT_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset(client):
    UserFactory(email="vergeten@voorbeeld.nl")
    response = client.post(reverse("account_reset_password"), {"email": "vergeten@voorbeeld.nl"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    match = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body
    )
    assert match
    response = client.get(match.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else match.group(1)
    new_password = "Nieuw-wachtwoord-2026"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    client.logout()
    response = sign_in(client, "vergeten@voorbeeld.nl", new_password)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "niemand@voorbeeld.nl"})
    assert response.status_code == 302
    assert not User.objects.exists()
