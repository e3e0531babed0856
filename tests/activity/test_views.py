"""The stream, the start page and the follow and save buttons through the browser's requests:
right answers for bad input, constant queries as the stream and a person's groups grow."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activity import services
from activity.models import Bookmark, Entry, Follow
from groups import services as group_services
from groups.models import Group

from .conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, world):
    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


def test_a_groups_activity_tab_lists_its_lines_for_members_only(signed_in, world, client):
    group, anna = world["group"], world["anna"]
    publish(anna, "Werkafspraken", group=group)
    url = reverse("group_activity", args=[group.slug])
    response = signed_in(world["bram"]).get(url)
    assert response.status_code == 200
    assert "Werkafspraken" in response.content.decode()
    client.logout()
    response = signed_in(world["chris"]).get(url)
    assert response.status_code == 403
    assert "Werkafspraken" not in response.content.decode()
    # The group's home shows the latest lines too.
    home = signed_in(world["bram"]).get(group.get_absolute_url()).content.decode()
    assert "Werkafspraken" in home


def test_the_start_page_shows_what_is_new_and_unread_counts(signed_in, world):
    group, anna, bram = world["group"], world["anna"], world["bram"]
    client = signed_in(bram)
    client.get("/")  # the first visit
    bram.memberships.filter(group=group).update(last_seen_at=timezone.now())
    publish(anna, "Vers nieuws", group=group)
    page = client.get("/").content.decode()
    assert "Vers nieuws" in page
    start = page[page.index('id="my-groups-heading"') :]
    assert "1 nieuw" in start, start[:1500]


def test_follow_and_save_buttons_work_without_javascript(signed_in, world):
    group, anna, chris = world["group"], world["anna"], world["chris"]
    Group.objects.filter(pk=group.pk).update(content_default=Group.ContentDefault.OPEN)
    post = publish(anna, "Open plan", group=group)
    client = signed_in(chris)
    follow_url = reverse("activity:follow", args=["groups.group", group.pk])
    response = client.post(follow_url, {"action": "follow", "level": "all", "next": "/groups/"})
    assert response.status_code == 302 and response["Location"] == "/groups/"
    assert services.follow_of(chris, group).level == "all"
    # A next that leaves the site is not followed.
    response = client.post(follow_url, {"action": "follow", "next": "https://evil.example/"})
    assert response["Location"] == group.get_absolute_url()
    save_url = reverse("activity:save", args=["blog.post", post.pk])
    client.post(save_url, {"action": "save"})
    client.post(save_url, {"action": "save"})
    assert Bookmark.objects.filter(user=chris).count() == 1
    saved = client.get(reverse("activity:saved")).content.decode()
    assert "Open plan" in saved
    following = client.get(reverse("activity:following")).content.decode()
    assert group.name in following
    # One click stops everything.
    client.post(reverse("activity:following"), {"action": "unfollow_all"})
    assert not Follow.objects.filter(user=chris).exists()


@pytest.mark.parametrize(
    "path, data, status",
    [
        (("groups.group", 999999), {"action": "follow"}, 404),  # nothing there
        (("nonsense", 1), {"action": "follow"}, 404),  # no such kind of item
        (("wiki.page", 1), {"action": "follow"}, 404),  # pages are watched, not followed
        (("groups.group", None), {"action": "dance"}, 400),
        (("groups.group", None), {"action": "follow", "level": "loud"}, 400),
    ],
)
def test_bad_follow_requests_get_a_reason_not_a_500(signed_in, world, path, data, status):
    item, pk = path
    client = signed_in(world["bram"])
    response = client.post(reverse("activity:follow", args=[item, pk or world["group"].pk]), data)
    assert response.status_code == status
    assert not Follow.objects.filter(user=world["bram"]).exists()


def test_following_a_hidden_group_one_is_not_in_answers_404(signed_in, world):
    group = world["group"]
    Group.objects.filter(pk=group.pk).update(visibility=Group.Visibility.HIDDEN)
    response = signed_in(world["chris"]).post(
        reverse("activity:follow", args=["groups.group", group.pk]), {"action": "follow"}
    )
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in(client, world):
    response = client.post(
        reverse("activity:follow", args=["groups.group", world["group"].pk]), {"action": "follow"}
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("activity:saved")).status_code == 302


def _grow(group, author, lines):
    """``lines`` more lines in ``group``'s stream, of a kind it has (bulk: fast). Queries grow
    with the kinds on a page (one query each for their objects), never with the lines."""
    post = publish(author, f"Groei {lines}", group=group)
    template = Entry.objects.get(kind="blog.published", target_id=post.pk)
    Entry.objects.bulk_create(
        Entry(
            kind="blog.published",
            actor=author,
            group=group,
            site_id=template.site_id,
            target_type=template.target_type,
            target_id=post.pk,
            occurred_at=timezone.now() - timedelta(seconds=n),
        )
        for n in range(lines)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_stream_and_start_page_queries_do_not_grow_with_lines_or_groups(signed_in, world):
    group, anna, bram = world["group"], world["anna"], world["bram"]
    client = signed_in(bram)
    stream = reverse("group_activity", args=[group.slug])
    group_services.join(group, world["chris"])  # a "joined" line: every kind is on the page
    _grow(group, anna, 5)
    _queries(client, stream), _queries(client, "/")  # caches warm (sites, the first visit)
    small_stream, small_start = _queries(client, stream), _queries(client, "/")
    _grow(group, anna, 4995)  # 5,000 lines
    for n in range(3):
        extra = Group.objects.create(name=f"Extra {n}", slug=f"extra-{n}")
        group_services.join(extra, bram)
        group_services.join(extra, anna)
        publish(anna, f"In extra {n}", group=extra)
    assert _queries(client, stream) == small_stream
    start = _queries(client, "/")
    for n in range(3, 60):
        extra = Group.objects.create(name=f"Extra {n}", slug=f"extra-{n}")
        group_services.join(extra, bram)
    assert _queries(client, "/") == start == small_start


def test_a_profile_offers_to_follow_the_person_but_not_oneself(signed_in, world):
    anna, bram = world["anna"], world["bram"]
    client = signed_in(bram)
    follow_url = reverse("activity:follow", args=["accounts.user", anna.pk])
    assert follow_url in client.get(anna.get_absolute_url()).content.decode()
    own = reverse("activity:follow", args=["accounts.user", bram.pk])
    assert own not in client.get(bram.get_absolute_url()).content.decode()
    client.post(follow_url, {"action": "follow"})
    assert services.follow_of(bram, anna) is not None
    assert 'aria-pressed="true"' in client.get(anna.get_absolute_url()).content.decode()
