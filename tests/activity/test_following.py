"""Following and saving: one row however often, never what one may not see, gone with the
account; what the start page shows for it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from activity import services
from activity.models import Bookmark, Entry, Follow
from blog.models import Post
from blog.services import PostInput, Publish
from groups import services as group_services
from groups.models import Group
from privacy import services as privacy_services
from tests.factories import UserFactory

from .conftest import publish

pytestmark = pytest.mark.django_db

SITE = {"id": 0, "default": True}


def news(user):
    return [line.title for line in services.lines(services.news_entries(user, SITE))]


def test_following_twice_is_one_follow_and_a_level_can_change(world):
    anna, chris, group = world["anna"], world["chris"], world["group"]
    services.follow(chris, anna)
    services.follow(chris, anna)
    assert Follow.objects.filter(user=chris).count() == 1
    Group.objects.filter(pk=group.pk).update(content_default=Group.ContentDefault.OPEN)
    services.follow(chris, group, Follow.Level.ALL)
    services.follow(chris, group, Follow.Level.NOTHING)
    assert services.follow_of(chris, group).level == Follow.Level.NOTHING


def test_what_one_may_not_see_cannot_be_followed_or_saved(world):
    group, anna, chris = world["group"], world["anna"], world["chris"]
    Group.objects.filter(pk=group.pk).update(visibility=Group.Visibility.HIDDEN)
    group.refresh_from_db()
    post = publish(anna, "Geheim", group=group)
    for action in (
        lambda: services.follow(chris, group),
        lambda: services.save_for_later(chris, post),
    ):
        with pytest.raises(services.ActivityError) as refused:
            action()
        assert refused.value.status == 404
    with pytest.raises(services.ActivityError) as refused:
        services.follow(AnonymousUser(), post)
    assert refused.value.status == 403
    with pytest.raises(services.ActivityError):
        services.follow(anna, anna)  # oneself
    with pytest.raises(services.ActivityError):
        services.follow(anna, group, "loud")  # no such level
    assert not Follow.objects.filter(user=chris).exists()
    assert not Bookmark.objects.exists()


def test_writing_or_commenting_follows_the_post(world):
    from blog import services as blog_services

    anna, bram, group = world["anna"], world["bram"], world["group"]
    post = publish(anna, "Plan", group=group)
    blog_services.add_comment(bram, post, "Eens")
    followers = set(services.followers(post).values_list("pk", flat=True))
    assert followers == {anna.pk, bram.pk}
    services.unfollow(bram, post)
    assert bram.pk not in set(services.followers(post).values_list("pk", flat=True))
    # A new comment is a new decision to take part: they follow again.
    blog_services.add_comment(bram, post, "Toch nog iets")
    assert bram.pk in set(services.followers(post).values_list("pk", flat=True))


def test_the_start_page_shows_my_groups_and_people_i_follow_not_my_own_doing(world):
    anna, bram, chris, group = world["anna"], world["bram"], world["chris"], world["group"]
    publish(anna, "In de groep", group=group)
    publish(chris, "Persoonlijk van Chris", visibility=Post.Visibility.PUBLIC)
    publish(bram, "Mijn eigen", group=group)
    assert news(bram) == ["In de groep", "Werkgroep"]  # Werkgroep: "Anna created the group"
    services.follow(bram, chris)
    assert news(bram)[0] == "Persoonlijk van Chris"
    # A group followed at "nothing" is silent on the start page.
    services.follow(bram, group, Follow.Level.NOTHING)
    assert news(bram) == ["Persoonlijk van Chris"]


def test_a_followed_open_group_shows_on_the_start_page_of_a_non_member(world):
    anna, chris, group = world["anna"], world["chris"], world["group"]
    Group.objects.filter(pk=group.pk).update(content_default=Group.ContentDefault.OPEN)
    group.refresh_from_db()
    publish(anna, "Open nieuws", group=group)
    assert "Open nieuws" not in news(chris)
    services.follow(chris, group)
    assert "Open nieuws" in news(chris)


def test_unread_counts_per_group_since_the_members_last_visit(world):
    anna, bram, group = world["anna"], world["bram"], world["group"]
    group_services.mark_seen(bram, group)
    membership = bram.memberships.get(group=group)
    assert services.unread_counts(bram, [membership]) == {}
    publish(anna, "Een", group=group)
    publish(anna, "Twee", group=group)
    assert services.unread_counts(bram, [membership]) == {group.pk: 2}
    # The member's own posts are not unread for them.
    publish(bram, "Van mij", group=group)
    assert services.unread_counts(bram, [membership]) == {group.pk: 2}


def test_erasing_an_account_takes_its_lines_follows_and_bookmarks(world):
    anna, bram, group = world["anna"], world["bram"], world["group"]
    post = publish(bram, "Van Bram", group=group)
    services.follow(bram, anna)
    services.save_for_later(bram, post)
    services.follow(anna, bram)
    assert Entry.objects.filter(actor=bram).exists()
    privacy_services.delete_account(bram)
    assert not Entry.objects.filter(actor_id=bram.pk).exists()
    assert not Follow.objects.filter(user_id=bram.pk).exists()
    assert not Bookmark.objects.filter(user_id=bram.pk).exists()
    # Nobody follows a person who is gone.
    assert not Follow.objects.filter(target_id=bram.pk, user=anna).exists()


def test_download_my_data_lists_follows_and_saved_items(world):
    from privacy.registry import part_for

    anna, bram, group = world["anna"], world["bram"], world["group"]
    post = publish(anna, "Bewaard", group=group)
    services.save_for_later(bram, post)
    services.follow(bram, anna)
    follows = part_for("follows").export(bram, None)
    saved = part_for("bookmarks").export(bram, None)
    assert [(row["kind"], row["title"], row["level"]) for row in follows] == [
        ("accounts.user", "Anna Jansen", "all")
    ]
    assert [row["title"] for row in saved] == ["Bewaard"]
    assert saved[0]["link"].endswith(post.get_absolute_url())
    # A person in their own data, never someone else's.
    assert part_for("follows").export(UserFactory(), None) == []


def test_followers_hear_of_new_items_and_comments_once_and_only_what_they_may_read(
    world, django_capture_on_commit_callbacks
):
    from blog import services as blog_services
    from notifications.models import Notification
    from wiki import services as wiki_services

    anna, bram, chris, group = world["anna"], world["bram"], world["chris"], world["group"]
    services.follow(bram, group, Follow.Level.ALL)
    with django_capture_on_commit_callbacks(execute=True):
        post = publish(anna, "Nieuw plan", group=group)
        wiki_services.create_page(anna, group, title="Nieuwe pagina", body="<p>x</p>")
    told = Notification.objects.filter(recipient=bram, kind="following")
    assert sorted(n.params["title"] for n in told) == ["Nieuw plan", "Nieuwe pagina"]
    # Editing the post tells nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.save_post(
            anna, PostInput(title="Nieuw plan", body="<p>2</p>", publish=Publish.NOW), post=post
        )
    assert told.count() == 2
    # Bram comments (and so follows the post); Anna's answer tells Bram once, as a follower,
    # and not Anna herself (she is told by the blog, as the post's author).
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.add_comment(bram, post, "Vraag")
        blog_services.add_comment(anna, post, "Antwoord")
    comments = Notification.objects.filter(recipient=bram, message="activity.new_comment")
    assert comments.count() == 1
    assert not Notification.objects.filter(recipient=anna, kind="following").exists()
    # A group followed at "every new item" by someone who may not read it: nothing.
    services.follow(chris, anna)  # following a person tells nothing by itself
    assert not Notification.objects.filter(recipient=chris).exists()
    with translation.override("en"):
        assert (
            comments.first().display_text
            == f"{anna.display_name} commented on “Nieuw plan”, which you follow"
        )


def test_a_groups_lines_follow_the_group_to_its_community(world):
    """A group that gets its community after its lines were written (the demo does this), or
    moves to another: its news shows there, and the digest links there."""
    from wagtail.models import Page, Site

    anna, bram, group = world["anna"], world["bram"], world["group"]
    publish(anna, "Waar hoor ik", group=group)
    oost = Site.objects.create(
        hostname="oost.localhost", port=80, root_page=Page.get_first_root_node(), site_name="Oost"
    )
    Group.objects.filter(pk=group.pk).update(site=oost)
    on_oost = {"id": oost.pk, "default": False}
    lines = services.lines(services.news_entries(bram, on_oost))
    assert [line.title for line in lines][0] == "Waar hoor ik"
    assert {line.entry.community_id for line in lines} == {oost.pk}
    assert services.news_entries(bram, SITE).count() == 0
