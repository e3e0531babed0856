"""The activity stream: recorded once when something happens, checked against the access policy
when it is read, folded where one person edits one page again and again."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from activity import services
from activity.models import Entry
from blog import services as blog_services
from blog.models import Post
from blog.services import PostInput, Publish
from groups import services as group_services
from groups.models import Group
from wiki import services as wiki_services

from .conftest import publish

pytestmark = pytest.mark.django_db


def kinds(user, group):
    return [
        (line.kind.key, line.title) for line in services.lines(services.group_entries(user, group))
    ]


def sentences(user, group):
    return [str(line.sentence()) for line in services.lines(services.group_entries(user, group))]


def test_a_post_a_page_a_comment_and_a_join_each_make_one_line(world):
    group, anna, bram = world["group"], world["anna"], world["bram"]
    post = publish(anna, "Werkafspraken", group=group)
    page = wiki_services.create_page(bram, group, title="Handleiding", body="<p>x</p>")
    blog_services.add_comment(bram, post, "Goed plan")
    assert kinds(bram, group) == [
        ("blog.commented", "Werkafspraken"),
        ("wiki.created", "Handleiding"),
        ("blog.published", "Werkafspraken"),
        ("groups.joined", "Werkgroep"),
        ("groups.created", "Werkgroep"),
    ]
    assert page.pk
    # Saving the post again does not make a second line.
    blog_services.save_post(
        anna, PostInput(title="Werkafspraken", body="<p>y</p>", publish=Publish.NOW), post=post
    )
    assert Entry.objects.filter(kind="blog.published").count() == 1


def test_the_reader_of_a_members_only_group_must_be_a_member(world):
    group, anna, bram, chris = world["group"], world["anna"], world["bram"], world["chris"]
    publish(anna, "Intern", group=group)
    assert ("blog.published", "Intern") in kinds(bram, group)
    assert kinds(chris, group) == []
    assert kinds(AnonymousUser(), group) == []
    # A person who left stops seeing it.
    group_services.leave(group, bram)
    assert kinds(bram, group) == []


def test_an_open_group_shows_its_public_lines_to_everyone_and_nothing_more(world):
    group, anna = world["group"], world["anna"]
    Group.objects.filter(pk=group.pk).update(content_default=Group.ContentDefault.OPEN)
    group.refresh_from_db()
    publish(anna, "Open bericht", group=group)
    page = wiki_services.create_page(anna, group, title="Alleen leden", body="<p>x</p>")
    anonymous = kinds(AnonymousUser(), group)
    assert ("blog.published", "Open bericht") in anonymous
    visible_page = ("wiki.created", "Alleen leden") in anonymous
    from meent import access

    assert visible_page == access.can_view(AnonymousUser(), page)


def test_hidden_unpublished_and_deleted_items_drop_out(world):
    group, anna, bram = world["group"], world["anna"], world["bram"]
    hidden = publish(anna, "Verborgen", group=group)
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    unpublished = publish(anna, "Teruggetrokken", group=group)
    blog_services.unpublish(anna, unpublished)
    page = wiki_services.create_page(anna, group, title="Weg", body="<p>x</p>")
    wiki_services.delete_page(anna, page)
    titles = [title for _kind, title in kinds(bram, group)]
    assert "Verborgen" not in titles
    assert "Teruggetrokken" not in titles
    assert "Weg" not in titles
    # A deleted page's lines are gone from the table too, not only from the reading.
    assert not Entry.objects.filter(kind__startswith="wiki.").exists()


def test_a_scheduled_post_appears_in_the_stream_at_its_time(world):
    group, anna, bram = world["group"], world["anna"], world["bram"]
    when = timezone.now() + timedelta(hours=2)
    post = publish(anna, "Later", group=group, publish=Publish.LATER, publish_at=when)
    entry = Entry.objects.get(kind="blog.published")
    assert entry.occurred_at == post.published_at
    assert ("blog.published", "Later") not in kinds(bram, group)
    # Its time comes.
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    Entry.objects.filter(pk=entry.pk).update(occurred_at=timezone.now() - timedelta(minutes=1))
    assert ("blog.published", "Later") in kinds(bram, group)


def test_consecutive_edits_by_one_person_to_one_page_fold_into_one_line(world):
    group, anna, bram = world["group"], world["anna"], world["bram"]
    page = wiki_services.create_page(anna, group, title="Werkafspraken", body="<p>0</p>")
    for number in range(1, 4):
        page.refresh_from_db()
        wiki_services.save_page(
            anna,
            page,
            base_revision=page.revision_number,
            title="Werkafspraken",
            body=f"<p>{number}</p>",
        )
    with translation.override("en"):
        assert "Anna Jansen</a> edited" in sentences(bram, group)[0]
        assert "3 times" in sentences(bram, group)[0]
    with translation.override("nl"):
        assert "3 keer" in sentences(bram, group)[0]
    # Someone else's edit in between starts a new line.
    page.refresh_from_db()
    wiki_services.save_page(
        bram, page, base_revision=page.revision_number, title="Werkafspraken", body="<p>b</p>"
    )
    page.refresh_from_db()
    wiki_services.save_page(
        anna, page, base_revision=page.revision_number, title="Werkafspraken", body="<p>a</p>"
    )
    assert [line.entry.count for line in services.lines(services.group_entries(bram, group))][
        :3
    ] == [1, 1, 3]


def test_a_sentence_escapes_what_people_wrote(world):
    group, anna, bram = world["group"], world["anna"], world["bram"]
    publish(anna, 'Tom & Jerry\'s "plan"', group=group)
    Group.objects.filter(pk=group.pk).update(name="<b>Werk</b>")
    anna.first_name = "<img src=x onerror=alert(1)>"
    anna.save()
    sentence = sentences(bram, group)[0]
    assert "Tom &amp; Jerry&#x27;s &quot;plan&quot;" in sentence
    assert "<img" not in sentence
    assert "&lt;img src=x onerror=alert(1)&gt;" in sentence


def test_who_joined_follows_the_members_tab(world):
    group, anna, chris = world["group"], world["anna"], world["chris"]
    Group.objects.filter(pk=group.pk).update(
        members_tab_enabled=False, content_default=Group.ContentDefault.OPEN
    )
    group.refresh_from_db()
    assert ("groups.joined", "Werkgroep") in kinds(anna, group)  # the owner manages members
    assert ("groups.joined", "Werkgroep") not in kinds(chris, group)


def test_a_removed_comment_drops_out(world):
    group, anna, bram = world["group"], world["anna"], world["bram"]
    post = publish(anna, "Vraag", group=group)
    comment = blog_services.add_comment(bram, post, "Antwoord")
    assert ("blog.commented", "Vraag") in kinds(anna, group)
    blog_services.delete_comment(bram, comment)
    assert ("blog.commented", "Vraag") not in kinds(anna, group)
