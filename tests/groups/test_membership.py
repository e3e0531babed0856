import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from groups.models import Activity, Group, Invitation, JoinRequest, Membership
from meent.models import CommunitySettings
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.helpers import count_queries, group_with

pytestmark = pytest.mark.django_db

GROUP_FORM = {
    "name": "Open source in de overheid",
    "slug": "",
    "description": "Samen <b>publiceren</b> en hergebruiken.",
    "membership_policy": "open",
    "visibility": "listed",
    "content_default": "members",
    "wiki_enabled": "on",
    "members_tab_enabled": "on",
}


def test_create_group_makes_creator_owner_and_slug_from_name(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("groups:create"), GROUP_FORM)
    assert response.status_code == 302
    group = Group.objects.get(slug="open-source-in-de-overheid")
    assert response["Location"] == group.get_absolute_url()
    assert group.description == "Samen publiceren en hergebruiken."  # cleaned on save
    assert Membership.objects.get(group=group).user == person
    assert Membership.objects.get(group=group).role == "owner"
    assert Activity.objects.filter(group=group, verb="created").exists()


def test_duplicate_slug_rerenders_with_message_and_creates_nothing(client):
    GroupFactory(slug="open-source-in-de-overheid")
    client.force_login(UserFactory())
    response = client.post(reverse("groups:create"), GROUP_FORM, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "already taken by another group" in response.content.decode()
    assert 'value="Open source in de overheid"' in response.content.decode()
    assert Group.objects.count() == 1


def test_bad_group_input_is_refused(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("groups:create"),
        {**GROUP_FORM, "name": "", "membership_policy": "everyone", "slug": "new"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    errors = response.context["form"].errors
    assert {"name", "membership_policy", "slug"} <= set(errors)
    assert not Group.objects.exists()


def test_only_staff_create_groups_when_the_site_says_so(client, rf):
    from wagtail.models import Site

    site_settings = CommunitySettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.group_creation = "staff"
    site_settings.save()
    client.force_login(UserFactory())
    assert client.get(reverse("groups:create")).status_code == 403
    assert client.post(reverse("groups:create"), GROUP_FORM).status_code == 403
    assert not Group.objects.exists()
    client.force_login(UserFactory(is_staff=True))
    assert client.post(reverse("groups:create"), GROUP_FORM).status_code == 302


def test_join_open_group_twice_is_harmless(client):
    group = group_with(UserFactory(), membership_policy="open")
    person = UserFactory()
    client.force_login(person)
    assert client.post(reverse("groups:join", args=[group.slug])).status_code == 302
    response = client.post(reverse("groups:join", args=[group.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "already a member" in response.content.decode()
    assert Membership.objects.filter(group=group, user=person).count() == 1


def test_join_request_approved_then_second_approval_refused(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="eigenaar@voorbeeld.nl")
    group = group_with(owner, membership_policy="request")
    person = UserFactory(email="aanvrager@voorbeeld.nl")
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:join", args=[group.slug]), {"message": "Ik werk bij RWS."}
        )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert join_request.message == "Ik werk bij RWS."
    assert any(m.to == ["eigenaar@voorbeeld.nl"] for m in mail.outbox)  # the admins are told

    response = client.post(reverse("groups:join", args=[group.slug]), {"message": "nog eens"})
    assert response.status_code == 409
    assert JoinRequest.objects.count() == 1

    client.force_login(owner)
    assert client.get(reverse("groups:requests", args=[group.slug])).status_code == 200
    decide = reverse("groups:request_decide", args=[group.slug, join_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(decide, {"decision": "approve"}).status_code == 302
    assert Membership.objects.filter(group=group, user=person, role="member").exists()
    assert any(
        m.to == ["aanvrager@voorbeeld.nl"] and "approved" in m.body or "goedgekeurd" in m.body
        for m in mail.outbox
    )
    response = client.post(decide, {"decision": "refuse"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert "already been answered" in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == "approved"


def test_a_pending_join_request_can_be_withdrawn(client):
    owner = UserFactory()
    group = group_with(owner, membership_policy="request")
    person = UserFactory()
    client.force_login(person)
    client.post(reverse("groups:join", args=[group.slug]), {"message": "Graag"})
    withdraw = reverse("groups:join_withdraw", args=[group.slug])
    home = client.get(group.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have asked to join" in home and withdraw in home
    client.force_login(owner)
    assert client.get(group.get_absolute_url()).context["pending_count"] == 1

    client.force_login(person)
    assert client.get(withdraw).status_code == 405  # a change is a POST, with CSRF
    response = client.post(withdraw, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain == [(group.get_absolute_url(), 302)]
    page = response.content.decode()
    assert "You have withdrawn your request" in page
    assert "Ask to join" in page and withdraw not in page  # they may ask again
    assert JoinRequest.objects.get().status == "withdrawn"
    assert not Activity.objects.filter(group=group, actor=person).exists()
    # Twice, or with nothing waiting: the group page with a clear message, nothing changed.
    again = client.post(withdraw, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "no request to join this group that waits" in again.content.decode()
    client.force_login(owner)
    assert client.get(group.get_absolute_url()).context["pending_count"] == 0
    assert client.get(reverse("groups:requests", args=[group.slug])).context is not None
    # Asking again works.
    client.force_login(person)
    client.post(reverse("groups:join", args=[group.slug]), {"message": "Toch graag"})
    assert JoinRequest.objects.filter(status="pending").count() == 1


def test_refusal_tells_the_person_with_reason(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    group = group_with(owner, membership_policy="request")
    person = UserFactory()
    join_request = JoinRequest.objects.create(group=group, user=person)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("groups:request_decide", args=[group.slug, join_request.pk]),
            {"decision": "refuse", "reason": "Alleen voor gemeenten."},
        )
    assert not Membership.objects.filter(group=group, user=person).exists()
    from notifications.models import Notification

    notification = Notification.objects.get(recipient=person)
    assert "Alleen voor gemeenten." in notification.display_text


def test_last_owner_cannot_leave_or_be_demoted(client):
    owner = UserFactory()
    group = group_with(owner)
    client.force_login(owner)
    # Not offered: the group page says how to hand ownership over first, with the members page.
    home = client.get(group.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("groups:leave", args=[group.slug]) not in home
    assert "Leave group" not in home
    assert "You are the last owner" in home
    assert reverse("groups:members", args=[group.slug]) in home
    # A POST anyway lands on the group page with the reason, not on an error page.
    response = client.post(
        reverse("groups:leave", args=[group.slug]), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert response.redirect_chain == [(group.get_absolute_url(), 302)]
    assert response.status_code == 200
    assert "hand ownership to another member before you leave" in response.content.decode()
    assert Membership.objects.filter(group=group, user=owner).exists()
    own = Membership.objects.get(group=group, user=owner)
    response = client.post(
        reverse("groups:member_role", args=[group.slug, own.pk]), {"role": "member"}
    )
    assert response.status_code == 409
    own.refresh_from_db()
    assert own.role == "owner"


def test_transfer_ownership_then_old_owner_can_leave(client):
    owner = UserFactory()
    group = group_with(owner)
    successor = MembershipFactory(group=group, role="member")
    client.force_login(owner)
    response = client.post(
        reverse("groups:member_role", args=[group.slug, successor.pk]),
        {"role": "owner", "transfer": "1"},
    )
    assert response.status_code == 302
    successor.refresh_from_db()
    assert successor.role == "owner"
    assert Membership.objects.get(group=group, user=owner).role == "admin"
    home = client.get(group.get_absolute_url()).content.decode()
    assert reverse("groups:leave", args=[group.slug]) in home
    assert client.post(reverse("groups:leave", args=[group.slug])).status_code == 302
    assert not Membership.objects.filter(group=group, user=owner).exists()


def test_admin_cannot_make_owners_or_remove_admins(client):
    owner = UserFactory()
    group = group_with(owner)
    admin = MembershipFactory(group=group, role="admin")
    other_admin = MembershipFactory(group=group, role="admin")
    member = MembershipFactory(group=group, role="member")
    client.force_login(admin.user)
    url = reverse("groups:member_role", args=[group.slug, member.pk])
    assert client.post(url, {"role": "owner"}).status_code == 403
    assert (
        client.post(reverse("groups:member_remove", args=[group.slug, other_admin.pk])).status_code
        == 403
    )
    assert client.post(url, {"role": "admin"}).status_code == 302
    member.refresh_from_db()
    assert member.role == "admin"
    assert Membership.objects.filter(pk=other_admin.pk).exists()


def test_remove_member_ends_membership_and_records_it(client):
    owner = UserFactory()
    group = group_with(owner)
    member = MembershipFactory(group=group)
    client.force_login(owner)
    assert (
        client.post(reverse("groups:member_remove", args=[group.slug, member.pk])).status_code
        == 302
    )
    assert not Membership.objects.filter(pk=member.pk).exists()
    assert Activity.objects.filter(group=group, verb="removed", subject=member.user).exists()


def test_archived_group_is_read_only(client):
    owner = UserFactory()
    group = group_with(owner, membership_policy="open")
    client.force_login(owner)
    assert (
        client.post(reverse("groups:archive", args=[group.slug]), {"archive": "1"}).status_code
        == 302
    )
    group.refresh_from_db()
    assert group.is_archived
    client.force_login(UserFactory())
    response = client.post(reverse("groups:join", args=[group.slug]))
    assert response.status_code == 409
    assert Membership.objects.filter(group=group).count() == 1
    client.force_login(owner)
    assert client.get(reverse("groups:edit", args=[group.slug])).status_code == 302
    client.post(reverse("groups:archive", args=[group.slug]), {"archive": "0"})
    group.refresh_from_db()
    assert not group.is_archived


def invitation_link(message):
    match = re.search(r"https?://[^/\s]+(/groups/invitations/[^\s/]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_invitation_of_a_newcomer_signs_up_and_joins(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    group = group_with(owner, membership_policy="invitation", visibility="hidden")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:invitations", args=[group.slug]),
            {"emails": "nieuw@rws.nl, ONGELDIG", "message": ""},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "not valid e-mail addresses: ONGELDIG" in response.content.decode()
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:invitations", args=[group.slug]),
            {"emails": "nieuw@rws.nl", "message": "Welkom!"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nieuw@rws.nl"]
    link = invitation_link(mail.outbox[0])

    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(
        reverse("account_signup") + f"?next={link}",
        {
            "first_name": "Nina",
            "last_name": "Nieuw",
            "email": "nieuw@rws.nl",
            "password1": "Samenwerken-2026!",
            "password2": "Samenwerken-2026!",
            "next": link,
        },
    )
    # The invitation proved the address: signed in at once, back at the invitation.
    assert response.status_code == 302
    assert response["Location"] == link
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    newcomer = Membership.objects.get(group=group, role="member").user
    assert newcomer.email == "nieuw@rws.nl"
    # Used once: a second use is refused with a reason.
    response = client.post(link, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_invitation_cannot_be_used_by_another_account(client):
    owner = UserFactory()
    group = group_with(owner, membership_policy="invitation")
    invitation = Invitation.objects.create(
        group=group, email="bedoeld@voorbeeld.nl", invited_by=owner
    )
    client.force_login(UserFactory(email="iemand-anders@voorbeeld.nl"))
    response = client.post(invitation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "sent to bedoeld@voorbeeld.nl" in response.content.decode()
    assert Membership.objects.filter(group=group).count() == 1


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_expired_or_revoked_invitation_is_refused(client, state):
    owner = UserFactory()
    group = group_with(owner, membership_policy="invitation")
    invited = UserFactory(email="uitgenodigd@voorbeeld.nl")
    invitation = Invitation.objects.create(group=group, email=invited.email, invited_by=owner)
    if state == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    else:
        client.force_login(owner)
        client.post(reverse("groups:invitation_revoke", args=[group.slug, invitation.pk]))
        invitation.refresh_from_db()
    invitation.save()
    assert invitation.state == state
    client.force_login(invited)
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 410
    assert not Membership.objects.filter(group=group, user=invited).exists()


def test_members_list_shows_organisations(client):
    owner = UserFactory(organisation=OrganisationFactory(name="Gemeente Utrecht"))
    group = group_with(owner)
    MembershipFactory(
        group=group, user=UserFactory(organisation=OrganisationFactory(name="Rijkswaterstaat"))
    )
    client.force_login(owner)
    content = client.get(reverse("groups:members", args=[group.slug])).content.decode()
    assert "Gemeente Utrecht" in content and "Rijkswaterstaat" in content
    home = client.get(group.get_absolute_url()).content.decode()
    assert "Gemeente Utrecht" in home and "Rijkswaterstaat" in home


def make_groups(count, viewer, start=0):
    """Many groups at once (bulk inserts), each with members of two organisations and activity."""
    from accounts.models import Organisation, User

    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Org {start + i}", slug=f"org-{start + i}") for i in range(count)]
    )
    groups = Group.objects.bulk_create(
        [
            Group(
                name=f"Groep {start + i}",
                slug=f"groep-{start + i}",
                visibility="hidden" if i % 5 == 0 else "listed",
            )
            for i in range(count)
        ]
    )
    people = User.objects.bulk_create(
        [
            User(email=f"p{start + i}-{k}@voorbeeld.nl", organisation=organisations[i])
            for i in range(count)
            for k in range(2)
        ]
    )
    memberships = [
        Membership(group=groups[i], user=people[2 * i + k]) for i in range(count) for k in range(2)
    ]
    memberships += [Membership(group=groups[i], user=viewer) for i in range(count) if i % 3 == 0]
    Membership.objects.bulk_create(memberships)
    Activity.objects.bulk_create([Activity(group=g, verb="joined", actor=viewer) for g in groups])
    return groups


def test_groups_list_and_home_use_constant_queries(client):
    viewer = UserFactory()
    client.force_login(viewer)
    groups = make_groups(5, viewer)
    group = groups[0]
    small = {
        "list": count_queries(client, reverse("groups:list")),
        "mine": count_queries(client, reverse("groups:list") + "?mine=on"),
        "home": count_queries(client, group.get_absolute_url()),
        "members": count_queries(client, reverse("groups:members", args=[group.slug])),
    }
    make_groups(495, viewer, start=5)
    from accounts.models import User

    extra = User.objects.bulk_create([User(email=f"extra{i}@voorbeeld.nl") for i in range(100)])
    Membership.objects.bulk_create([Membership(group=group, user=person) for person in extra])
    Activity.objects.bulk_create([Activity(group=group, verb="joined", actor=p) for p in extra])
    assert Group.objects.count() == 500
    large = {
        "list": count_queries(client, reverse("groups:list")),
        "mine": count_queries(client, reverse("groups:list") + "?mine=on"),
        "home": count_queries(client, group.get_absolute_url()),
        "members": count_queries(client, reverse("groups:members", args=[group.slug])),
    }
    assert large == small


def test_nobody_is_offered_a_members_tab_they_cannot_open(client):
    owner = UserFactory()
    closed = group_with(owner, content_default="members", members_tab_enabled=True)
    members = reverse("groups:members", args=[closed.slug])
    outsider = UserFactory()
    client.force_login(outsider)
    home = client.get(closed.get_absolute_url())
    assert home.status_code == 200 and members not in home.content.decode()
    assert client.get(members).status_code == 403  # typed in: a page that says why
    # Members (and so the owner) have the tab, and it opens; on the members page too.
    member = MembershipFactory(group=closed, role="member").user
    for person in (member, owner):
        client.force_login(person)
        assert members in client.get(closed.get_absolute_url()).content.decode()
        page = client.get(members)
        assert page.status_code == 200 and f'href="{members}" aria-current="page"' in (
            page.content.decode()
        )
    # An open group's list is for everyone who may read it: the tab is there for the outsider.
    open_group = group_with(owner, content_default="open", members_tab_enabled=True)
    client.force_login(outsider)
    open_members = reverse("groups:members", args=[open_group.slug])
    assert open_members in client.get(open_group.get_absolute_url()).content.decode()
    assert client.get(open_members).status_code == 200
