"""Role x group kind x page visibility x surface, for the wiki.

Expectations are written from the issue's rules, independently of wiki/policies.py: a member
reads every page of their group; when the group is listed and open for reading, a page marked
"public" is for everyone and "signed in" for every signed-in person; otherwise members only.
Suspended people count as anonymous. Editing: members (or only owners/admins on admin pages).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from meent import access
from tests.factories import GroupFactory, MembershipFactory, UserFactory, make_moderator
from wiki import services
from wiki.models import WikiPage

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "admin", "moderator", "suspended"]
KINDS = {
    "open-reading": {"visibility": "listed", "content_default": "open"},
    "members-only": {"visibility": "listed", "content_default": "members"},
    "hidden": {"visibility": "hidden", "content_default": "open"},
}
PAGE_VISIBILITIES = ["public", "logged_in", "group"]


def may_read(role, kind, visibility):
    member = role in ("member", "admin")
    if member:
        return True
    group_open = KINDS[kind] == {"visibility": "listed", "content_default": "open"}
    if not group_open:
        return False
    if visibility == "public":
        return True
    if visibility == "logged_in":
        return role in ("outsider", "moderator")
    return False


def may_edit(role, edit_policy):
    if edit_policy == "admins":
        return role == "admin"
    return role in ("member", "admin")


@pytest.fixture
def world(db):
    people = {
        "owner": UserFactory(email="eigenaar@voorbeeld.nl"),
        "outsider": UserFactory(email="buiten@elders.nl"),
        "member": UserFactory(email="lid@voorbeeld.nl"),
        "admin": UserFactory(email="beheer@voorbeeld.nl"),
        "moderator": UserFactory(email="moderator@voorbeeld.nl", is_staff=True),
        "suspended": UserFactory(email="geschorst@voorbeeld.nl"),
    }
    make_moderator(people["moderator"])
    pages = {}
    for kind, fields in KINDS.items():
        group = GroupFactory(slug=kind, name=f"Groep {kind}", **fields)
        MembershipFactory(group=group, user=people["owner"], role="owner")
        MembershipFactory(group=group, user=people["admin"], role="admin")
        MembershipFactory(group=group, user=people["member"], role="member")
        MembershipFactory(group=group, user=people["suspended"], role="member")
        access.forget_memberships(people["owner"])
        for visibility in PAGE_VISIBILITIES:
            page = services.create_page(
                people["owner"],
                group,
                title=f"Pagina {visibility}",
                body=f"<p>Inhoud {kind} {visibility}</p>",
                visibility=visibility,
            )
            # A closed group clamps visibility; the matrix tests what the person chose.
            WikiPage.objects.filter(pk=page.pk).update(visibility=visibility)
            page.refresh_from_db()
            pages[(kind, visibility)] = page
    people["suspended"].suspended_until = timezone.now() + timedelta(days=3)
    people["suspended"].save()
    return people, pages


def client_for(client, people, role):
    # A suspended person's session stops authenticating (the auth backend refuses them).
    if role != "anonymous":
        client.force_login(people[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_which_page_on_every_surface(client, world, role):
    people, pages = world
    client = client_for(client, people, role)
    probes = 0
    mismatches = []
    for (kind, visibility), page in pages.items():
        expected = may_read(role, kind, visibility)
        group_visible = KINDS[kind]["visibility"] == "listed" or role in ("member", "admin")
        surfaces = {
            "page": client.get(page.get_absolute_url()).status_code == 200,
            "history": client.get(reverse("wiki:history", args=[kind, page.pk])).status_code == 200,
            "revision": client.get(reverse("wiki:revision", args=[kind, page.pk, 1])).status_code
            == 200,
            "compare": client.get(
                reverse("wiki:compare", args=[kind, page.pk]) + "?from=1&to=1"
            ).status_code
            == 200,
            "markdown": client.get(reverse("wiki:export", args=[kind, page.pk, "md"])).status_code
            == 200,
            "print": client.get(reverse("wiki:export", args=[kind, page.pk, "print"])).status_code
            == 200,
        }
        index = client.get(reverse("wiki:index", args=[kind]))
        surfaces["index"] = index.status_code == 200 and page.title in index.content.decode()
        titles = client.get(reverse("wiki:titles", args=[kind]))
        surfaces["titles"] = titles.status_code == 200 and page.title in titles.json()["titles"]
        user = people[role] if role != "anonymous" else AnonymousUser()
        surfaces["visible_to"] = WikiPage.objects.visible_to(user).filter(pk=page.pk).exists()
        surfaces["can_view"] = access.can_view(user, page)
        for surface, seen in surfaces.items():
            probes += 1
            if seen != expected:
                mismatches.append((kind, visibility, surface, seen, expected))
        if not group_visible:
            assert index.status_code == 404
    assert mismatches == []
    assert probes == len(pages) * 10


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("edit_policy", ["members", "admins"])
def test_who_may_edit_including_forged_posts(client, world, role, edit_policy):
    people, pages = world
    page = pages[("open-reading", "public")]
    WikiPage.objects.filter(pk=page.pk).update(edit_policy=edit_policy)
    client = client_for(client, people, role)
    url = reverse("wiki:edit", args=["open-reading", page.pk])
    response = client.post(
        url, {"title": "Overgenomen", "body": "<p>Weg ermee</p>", "base_revision": 1}
    )
    page.refresh_from_db()
    if may_edit(role, edit_policy):
        assert response.status_code == 302
        assert page.title == "Overgenomen"
    else:
        assert response.status_code in (302, 403) if role in ("anonymous", "suspended") else 403
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
        assert (page.title, page.revision_number) == ("Pagina public", 1)


@pytest.mark.parametrize("role", ["anonymous", "outsider", "moderator"])
def test_outsiders_cannot_change_anything_by_forged_posts(client, world, role):
    people, pages = world
    page = pages[("open-reading", "public")]
    client = client_for(client, people, role)
    posts = [
        (reverse("wiki:create", args=["open-reading"]), {"title": "Nieuw", "body": "x"}),
        (reverse("wiki:restore", args=["open-reading", page.pk, 1]), {}),
        (reverse("wiki:move", args=["open-reading", page.pk]), {"position": 2, "slug": "ander"}),
        (reverse("wiki:shift", args=["open-reading", page.pk]), {"direction": "down"}),
        (reverse("wiki:upload", args=["open-reading"]), {}),
    ]
    before = list(WikiPage.objects.order_by("pk").values_list("path", "position", "title"))
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (302, 400, 401, 403, 409), (url, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
    after = list(WikiPage.objects.order_by("pk").values_list("path", "position", "title"))
    assert after == before
