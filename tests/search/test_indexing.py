"""The outbox: changes are indexed after the commit, and survive a failing backend."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from blog import services as blog_services
from blog.services import PostInput, Publish
from search.backends import DatabaseBackend, SearchQuery, get_search_backend
from search.models import OutboxItem, SearchEntry
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from wiki import services as wiki_services

pytestmark = pytest.mark.django_db


def find(text, user=None):
    results = get_search_backend().search(SearchQuery(text=text, user=user or AnonymousUser()))
    return [(hit.type, hit.object_id) for hit in results.hits]


@pytest.fixture
def open_group(db):
    owner = UserFactory()
    group = GroupFactory(slug="open", content_default="open")
    MembershipFactory(group=group, user=owner, role="owner")
    return group, owner


def test_a_save_writes_an_outbox_row_and_the_commit_indexes_it(
    open_group, django_capture_on_commit_callbacks
):
    group, owner = open_group
    OutboxItem.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        page = wiki_services.create_page(
            owner, group, title="Samenwerking", body="<p>Afspraken</p>", visibility="public"
        )
        assert OutboxItem.objects.filter(type="wiki_page", object_id=page.pk).exists()
        assert not SearchEntry.objects.filter(type="wiki_page", object_id=page.pk).exists()
    assert OutboxItem.objects.count() == 0
    assert find("samenwerken") == [("wiki_page", page.pk)]


def test_a_failing_backend_keeps_the_work(
    open_group, monkeypatch, django_capture_on_commit_callbacks
):
    group, owner = open_group

    def broken(self, entries):
        raise ConnectionError("the search server is down")

    call_command("search_index", "drain", stdout=StringIO())  # what the fixture queued
    monkeypatch.setattr(DatabaseBackend, "index", broken)
    with django_capture_on_commit_callbacks(execute=True):
        page = wiki_services.create_page(owner, group, title="Reünie", body="", visibility="public")
    item = OutboxItem.objects.get(type="wiki_page", object_id=page.pk)
    assert item.attempts == 1 and "search server is down" in item.last_error
    monkeypatch.undo()
    out = StringIO()
    call_command("search_index", "status", stdout=out)
    assert "search server is down" in out.getvalue()
    call_command("search_index", "drain", stdout=StringIO())
    assert not OutboxItem.objects.exists()
    assert find("reunie") == [("wiki_page", page.pk)]


def test_deleting_removes_the_entry(open_group, django_capture_on_commit_callbacks):
    group, owner = open_group
    with django_capture_on_commit_callbacks(execute=True):
        page = wiki_services.create_page(owner, group, title="Tijdelijk", visibility="public")
    assert find("tijdelijk")
    with django_capture_on_commit_callbacks(execute=True):
        wiki_services.delete_page(owner, page)
    assert find("tijdelijk") == []


def test_a_group_going_members_only_relabels_its_content(
    open_group, django_capture_on_commit_callbacks
):
    group, owner = open_group
    with django_capture_on_commit_callbacks(execute=True):
        page = wiki_services.create_page(owner, group, title="Open pagina", visibility="public")
        post = blog_services.save_post(
            owner, PostInput(title="Open bericht", publish=Publish.NOW), group=group
        )
    both = sorted([("wiki_page", page.pk), ("blog_post", post.pk)])
    assert sorted(find("open")) == both
    with django_capture_on_commit_callbacks(execute=True):
        group.content_default = "members"
        group.save()
    assert find("open") == []
    assert find("open", UserFactory()) == []
    assert sorted(find("open", owner)) == both


def test_a_scheduled_post_appears_at_its_time_without_reindexing(
    monkeypatch, django_capture_on_commit_callbacks
):
    author, reader = UserFactory(), UserFactory()
    when = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        post = blog_services.save_post(
            author, PostInput(title="Aangekondigd", publish=Publish.LATER, publish_at=when)
        )
    assert find("aangekondigd") == []
    assert find("aangekondigd", reader) == []
    assert find("aangekondigd", author) == [("blog_post", post.pk)]
    later = when + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert find("aangekondigd") == [("blog_post", post.pk)]
    assert find("aangekondigd", reader) == [("blog_post", post.pk)]


def test_unpublishing_hides_the_post_and_its_comments(django_capture_on_commit_callbacks):
    author, reader = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        post = blog_services.save_post(
            author, PostInput(title="Even zichtbaar", publish=Publish.NOW)
        )
        blog_services.add_comment(reader, post, "Zichtbaar commentaar")
    assert len(find("zichtbaar")) == 2
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.unpublish(author, post)
    assert find("zichtbaar") == []
    assert find("zichtbaar", reader) == []
    assert len(find("zichtbaar", author)) == 2  # a draft and its comments are the author's


def test_signing_in_does_not_reindex_a_person(client):
    person = UserFactory()
    OutboxItem.objects.all().delete()
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    assert not OutboxItem.objects.exists()
    person.job_title = "Beleidsmaker"
    person.save(update_fields=["job_title"])
    assert OutboxItem.objects.filter(type="person", object_id=person.pk).exists()


def test_rebuild_and_status(open_group):
    group, owner = open_group
    wiki_services.create_page(owner, group, title="Eerste", visibility="public")
    assert OutboxItem.objects.exists()  # nothing drained: no commit in this test
    out = StringIO()
    call_command("search_index", "rebuild", stdout=out)
    assert "[##############################]" in out.getvalue()
    assert not OutboxItem.objects.exists()
    assert find("eerste")
    out = StringIO()
    call_command("search_index", "status", stdout=out)
    lines = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines()[1:]}
    assert lines["wiki_page"] == ["1", "1", "0"]
    assert lines["group"] == ["1", "1", "0"]
    assert lines["person"] == ["1", "1", "0"]
