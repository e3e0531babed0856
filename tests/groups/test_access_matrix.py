"""Role x group kind x action, for every view of the groups issue.

The expectations come from the rules as the issue states them, written out here independently of
meent/access.py, so that a mistake in the policy shows up as a mismatch.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Membership
from meent import access
from tests.factories import GroupFactory, MembershipFactory, UserFactory, make_moderator

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "admin", "owner", "moderator", "suspended"]
KINDS = {
    "open-members": {
        "membership_policy": "open",
        "visibility": "listed",
        "content_default": "members",
    },
    "open-reading": {
        "membership_policy": "open",
        "visibility": "listed",
        "content_default": "open",
    },
    "on-request": {
        "membership_policy": "request",
        "visibility": "listed",
        "content_default": "members",
    },
    "hidden": {
        "membership_policy": "invitation",
        "visibility": "hidden",
        "content_default": "open",
    },
}


def expected(role, kind):
    """What the issue promises, per role and group kind."""
    settings = KINDS[kind]
    signed_in = role not in ("anonymous", "suspended")
    member = role in ("member", "admin", "owner")
    listed = settings["visibility"] == "listed"
    sees_group = listed or member
    reads_content = member or (listed and settings["content_default"] == "open")
    return {
        "home": 200 if sees_group else 404,
        "listed": sees_group,
        "members": (200 if reads_content else 403) if sees_group else 404,
        "join": signed_in and not member and sees_group and settings["membership_policy"] == "open",
        "manage": role in ("admin", "owner"),
    }


@pytest.fixture
def world():
    groups = {}
    people = {}
    owner = UserFactory(email="owner@voorbeeld.nl")
    admin = UserFactory(email="admin@voorbeeld.nl")
    member = UserFactory(email="member@voorbeeld.nl")
    suspended = UserFactory(email="suspended@voorbeeld.nl")
    for kind, fields in KINDS.items():
        group = GroupFactory(slug=kind, name=f"Groep {kind}", **fields)
        MembershipFactory(group=group, user=owner, role="owner")
        MembershipFactory(group=group, user=admin, role="admin")
        MembershipFactory(group=group, user=member, role="member")
        MembershipFactory(group=group, user=suspended, role="member")
        groups[kind] = group
    suspended.suspended_until = timezone.now() + timedelta(days=7)
    suspended.save()
    moderator = UserFactory(email="moderator@voorbeeld.nl", is_staff=True)
    make_moderator(moderator)
    people.update(
        owner=owner,
        admin=admin,
        member=member,
        suspended=suspended,
        moderator=moderator,
        outsider=UserFactory(email="outsider@voorbeeld.nl"),
        anonymous=None,
    )
    return groups, people


def client_for(client, person):
    if person is not None:
        client.force_login(person)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_matrix_see_list_members_manage(client, world, role):
    groups, people = world
    client_for(client, people[role])
    listing = client.get(reverse("groups:list")).content.decode()
    probes = 0
    for kind, group in groups.items():
        want = expected(role, kind)
        home = client.get(group.get_absolute_url())
        assert home.status_code == want["home"], (role, kind, "home")
        assert (f'href="/groups/{kind}/"' in listing) == want["listed"], (role, kind, "list")
        assert client.get(reverse("groups:members", args=[kind])).status_code == want["members"], (
            role,
            kind,
            "members",
        )
        manage_status = client.get(reverse("groups:requests", args=[kind])).status_code
        if want["manage"]:
            assert manage_status == 200, (role, kind, "manage")
        elif role in ("anonymous", "suspended"):
            # A suspended person's session no longer counts: they are sent to sign in.
            assert manage_status == 302, (role, kind, "manage")
        else:
            assert manage_status in (403, 404), (role, kind, "manage")
            assert manage_status == (404 if want["home"] == 404 else 403)
        # The policy's single-object answer agrees with its query, object by object.
        visible = Group.objects.visible_to(people[role]).filter(pk=group.pk).exists()
        assert visible == access.can_view(people[role], group) == want["listed"]
        probes += 5
    assert probes == 5 * len(KINDS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_matrix_join(client, world, role, kind):
    groups, people = world
    group = groups[kind]
    person = people[role]
    client_for(client, person)
    before = Membership.objects.filter(group=group).count()
    response = client.post(reverse("groups:join", args=[kind]))
    after = Membership.objects.filter(group=group).count()
    if expected(role, kind)["join"]:
        assert response.status_code == 302
        assert after == before + 1
    else:
        assert after == before
        if person is None or role == "suspended":
            assert response.status_code == 302  # sent to sign in
        elif expected(role, kind)["home"] == 404:
            assert response.status_code == 404
        else:
            assert response.status_code in (200, 403, 409)


@pytest.mark.parametrize("role", [role for role in ROLES if role not in ("admin", "owner")])
def test_forged_admin_posts_change_nothing(client, world, role):
    groups, people = world
    client_for(client, people[role])
    group = groups["open-members"]
    target = Membership.objects.get(group=group, user=people["member"])
    posts = [
        reverse("groups:member_role", args=[group.slug, target.pk]),
        reverse("groups:member_remove", args=[group.slug, target.pk]),
        reverse("groups:invitations", args=[group.slug]),
        reverse("groups:archive", args=[group.slug]),
        reverse("groups:pin_add", args=[group.slug]),
    ]
    for url in posts:
        response = client.post(
            url,
            {"role": "owner", "emails": "x@voorbeeld.nl", "archive": "1", "title": "x", "url": "/"},
        )
        assert response.status_code in (302, 403), (role, url, response.status_code)
        if people[role] is not None and role != "suspended":
            assert response.status_code == 403
    target.refresh_from_db()
    group.refresh_from_db()
    assert target.role == "member"
    assert not group.is_archived
    assert not group.invitations.exists()
    assert not group.pinned_items.exists()


def test_access_labels_match_the_design():
    hidden = GroupFactory(visibility="hidden")
    listed = GroupFactory(visibility="listed", content_default="members")
    assert access.labels_for(hidden) == {f"group:{hidden.pk}"}
    assert access.labels_for(listed) == {"public"}
    person = UserFactory()
    MembershipFactory(group=hidden, user=person)
    assert access.labels_for_user(person) >= {
        "public",
        "logged_in",
        f"user:{person.pk}",
        f"group:{hidden.pk}",
    }
    assert access.labels_for_user(None) == {"public"}
