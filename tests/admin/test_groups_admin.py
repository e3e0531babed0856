"""Moderators manage groups in the admin: list, filter, search, edit (archiving included)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from groups.models import Activity, Group
from tests.admin.test_people import assert_refused
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/community-groups/"


def listed(response):
    return {group.pk: group for group in response.context["object_list"]}


@pytest.fixture
def groups():
    site = Site.objects.get(is_default_site=True)
    other_site = Site.objects.create(
        hostname="ander.example", port=80, root_page=site.root_page, site_name="Andere community"
    )
    team = GroupFactory(name="Open data team", description="Datasets publiceren", site=site)
    hidden = GroupFactory(name="Crisisteam", visibility="hidden", site=other_site)
    archived = GroupFactory(name="Oud project", is_archived=True, site=site)
    MembershipFactory.create_batch(3, group=team)
    MembershipFactory(group=hidden)
    return {"team": team, "hidden": hidden, "archived": archived, "other_site": other_site}


def test_moderator_lists_groups_with_member_counts(moderator_client, groups):
    response = moderator_client.get(INDEX)
    assert response.status_code == 200
    rows = listed(response)
    assert rows[groups["team"].pk].member_count == 3
    assert rows[groups["hidden"].pk].member_count == 1
    html = response.content.decode()
    assert "Andere community" in html
    assert reverse("community_groups:edit", args=[groups["team"].pk]) in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "datasets"}, {"team"}),
        ({"q": "crisis"}, {"hidden"}),
        ({"visibility": "hidden"}, {"hidden"}),
        ({"is_archived": "true"}, {"archived"}),
        ({"site": "other"}, {"hidden"}),
    ],
)
def test_search_and_filters(moderator_client, groups, query, expected):
    if query.get("site") == "other":
        query = {"site": groups["other_site"].pk}
    assert set(listed(moderator_client.get(INDEX, query))) == {groups[n].pk for n in expected}


def test_list_queries_do_not_grow_with_groups(moderator_client):
    for _ in range(5):
        MembershipFactory(group=GroupFactory())
    with CaptureQueriesContext(connection) as few:
        assert moderator_client.get(INDEX).status_code == 200
    for _ in range(20):
        MembershipFactory(group=GroupFactory(site=Site.objects.first()))
    with CaptureQueriesContext(connection) as many:
        response = moderator_client.get(INDEX)
    assert len(response.context["object_list"]) == 25
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def edit_data(group, **changes):
    data = {
        "name": group.name,
        "description": group.description,
        "visibility": group.visibility,
        "content_default": group.content_default,
    }
    if group.is_archived:
        data["is_archived"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_moderator_edits_and_archives_a_group(moderator_client, moderator, groups):
    team = groups["team"]
    url = reverse("community_groups:edit", args=[team.pk])
    form = moderator_client.get(url).context["form"]
    assert set(form.fields) == {
        "name",
        "description",
        "visibility",
        "content_default",
        "is_archived",
    }
    response = moderator_client.post(
        url, edit_data(team, name="Open data", visibility="hidden", is_archived="on")
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.visibility, team.is_archived) == ("Open data", "hidden", True)
    assert team.archived_at is not None
    assert Activity.objects.filter(group=team, verb="archived", actor=moderator).exists()

    # Reopening clears the moment it was archived.
    response = moderator_client.post(url, edit_data(team, is_archived=None))
    assert response.status_code == 302
    team.refresh_from_db()
    assert not team.is_archived and team.archived_at is None
    assert Activity.objects.filter(group=team, verb="unarchived").exists()


def test_an_edit_without_archiving_keeps_archived_at(moderator_client, groups):
    team = groups["team"]
    url = reverse("community_groups:edit", args=[team.pk])
    moderator_client.post(url, edit_data(team, description="Nieuw"))
    team.refresh_from_db()
    assert team.description == "Nieuw" and team.archived_at is None
    assert not Activity.objects.filter(group=team, verb__in=["archived", "unarchived"]).exists()


def test_groups_cannot_be_added_or_deleted_here(moderator_client, groups):
    assert_refused(moderator_client.get(INDEX + "new/"))
    delete = reverse("community_groups:delete", args=[groups["team"].pk])
    assert_refused(moderator_client.post(delete))
    assert Group.objects.filter(pk=groups["team"].pk).exists()


def test_members_and_plain_staff_are_refused(client, groups):
    member = UserFactory()
    client.force_login(member)
    response = client.get(INDEX)
    assert response.status_code == 302  # to the sign-in page of the admin: no admin access
    assert "community-groups" not in response["Location"].partition("?")[0]
