"""Invitation e-mails go out in the invited person's language (the community's, Dutch, for an
address without an account), whatever the inviter reads, with a link on the group's own host."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SECOND_HOST = "oost.voorbeeld.nl"


def invite(owner, group, emails, language, callbacks):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(owner)
    with callbacks(execute=True):
        response = client.post(
            reverse("groups:invitations", args=[group.slug]), {"emails": emails, "message": ""}
        )
    assert response.status_code == 302


def test_invitations_are_in_the_invited_persons_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    owner = UserFactory(first_name="Olga", last_name="Eigen", language="nl")
    group = GroupFactory(name="Klimaat", slug="klimaat", membership_policy="invitation")
    MembershipFactory(group=group, user=owner, role="owner")
    UserFactory(email="eve@voorbeeld.nl", language="en")
    UserFactory(email="daan@voorbeeld.nl", language="nl")

    # Olga reads English today; each address gets its own language.
    invite(
        owner,
        group,
        "eve@voorbeeld.nl, daan@voorbeeld.nl, nieuw@voorbeeld.nl",
        "en",
        django_capture_on_commit_callbacks,
    )
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert mails["eve@voorbeeld.nl"].subject == "[Meent] You are invited to join Klimaat"
    assert "Olga Eigen invites you to join the group Klimaat on Meent." in (
        mails["eve@voorbeeld.nl"].body
    )
    for address in ("daan@voorbeeld.nl", "nieuw@voorbeeld.nl"):  # no account: Dutch
        assert mails[address].subject == "[Meent] Je bent uitgenodigd voor Klimaat"
        assert "Olga Eigen nodigt je uit om lid te worden van de groep Klimaat" in (
            mails[address].body
        )
        assert "invites you" not in mails[address].body


def test_the_invitation_link_is_on_the_groups_community(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    from communities.services import NewCommunity, create_community

    settings.ALLOWED_HOSTS = ["testserver", "localhost", SECOND_HOST]
    site = create_community(NewCommunity(name="Regio Oost", hostname=SECOND_HOST, port=80))
    owner = UserFactory()
    group = GroupFactory(slug="oost", membership_policy="invitation", site=site)
    MembershipFactory(group=group, user=owner, role="owner")
    invite(owner, group, "nieuw@voorbeeld.nl", "nl", django_capture_on_commit_callbacks)
    assert f"http://{SECOND_HOST}/groups/invitations/" in mailoutbox[0].body
