"""Deleting one's account: personal data goes, group contributions stay as by "former member"."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from blog import services as blog_services
from blog.models import Comment, Post, Reaction
from chat.models import Message
from groups.models import Activity, Membership
from notifications.models import Notification
from privacy import services
from privacy.models import DataExport
from privacy.tasks import build_data_export
from search.indexing import drain_outbox
from search.models import SearchEntry
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory
from wiki.models import WikiPage, WikiRevision

pytestmark = pytest.mark.django_db
User = get_user_model()


def delete_form(client, password=DEFAULT_PASSWORD, word="DELETE"):
    with translation.override("en"):
        return client.post(
            reverse("privacy:delete"),
            {"password": password, "confirmation": word},
            HTTP_ACCEPT_LANGUAGE="en",
        )


def test_the_page_says_what_will_happen(client, privacy_world):
    w = privacy_world
    solo = GroupFactory(name="Alleen Anna", slug="alleen-anna")
    MembershipFactory(group=solo, user=w.anna, role="owner")
    MembershipFactory(group=solo, user=w.bram, role="member")
    handed = GroupFactory(name="Met admin", slug="met-admin")
    MembershipFactory(group=handed, user=w.anna, role="owner")
    MembershipFactory(group=handed, user=w.bram, role="admin")
    client.force_login(w.anna)
    with translation.override("en"):
        html = client.get(reverse("privacy:delete"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "You are the last owner of Alleen Anna and it has no admin: the group is archived." in html
    )
    assert "Bram Eigen, its longest-standing admin, becomes owner" in html
    assert "1 blog post of yours (on your own blog, or a draft) is deleted." in html
    assert "1 blog post in groups stays for the group, as by a former member." in html
    assert 'name="password"' in html and 'name="confirmation"' in html


@pytest.mark.parametrize(
    ("password", "word", "error"),
    [
        ("wrong-password", "DELETE", "That is not your password."),
        (DEFAULT_PASSWORD, "delete me", "Type DELETE exactly as shown to confirm."),
        ("", "", "This field is required."),
    ],
)
def test_bad_input_changes_nothing(client, privacy_world, password, word, error):
    client.force_login(privacy_world.anna)
    response = delete_form(client, password, word)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.filter(pk=privacy_world.anna.pk).exists()
    assert Post.objects.filter(author=privacy_world.anna).count() == 2
    assert client.get(reverse("privacy:overview")).status_code == 200  # still signed in


def test_too_many_wrong_passwords_are_refused_even_when_right(client, privacy_world):
    client.force_login(privacy_world.anna)
    for _attempt in range(5):
        delete_form(client, "wrong-password")
    response = delete_form(client)
    assert "Too many wrong passwords" in response.content.decode()
    assert User.objects.filter(pk=privacy_world.anna.pk).exists()


def test_deleting_removes_personal_data_and_keeps_group_contributions(
    client, privacy_world, media_root, django_capture_on_commit_callbacks
):
    w = privacy_world
    export = DataExport.objects.create(user=w.anna)
    build_data_export.call(export.pk)
    export.refresh_from_db()
    files = [
        media_root / w.anna.avatar.name,
        media_root / w.own_post.cover.name,
        media_root / export.file.name,
    ]
    assert all(path.exists() for path in files)
    anna_pk = w.anna.pk
    client.force_login(w.anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = delete_form(client)
    assert response.status_code == 302 and response["Location"] == "/"

    assert not User.objects.filter(pk=anna_pk).exists()
    assert not EmailAddress.objects.filter(email="anna@meent.nl").exists()
    assert not Membership.objects.filter(user_id=anna_pk).exists()
    assert not Reaction.objects.filter(user_id=anna_pk).exists()
    assert not Notification.objects.filter(recipient_id=anna_pk).exists()
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert not any(path.exists() for path in files)
    # Her own blog goes; the group keeps its post, comment, wiki page and chat message.
    assert not Post.objects.filter(pk=w.own_post.pk).exists()
    group_post = Post.objects.get(pk=w.group_post.pk)
    assert group_post.author is None
    assert Comment.objects.get(pk=w.comment.pk).author is None
    assert WikiRevision.objects.get(page=w.page, number=1).author is None
    assert WikiPage.objects.get(pk=w.page.pk).created_by is None
    assert Message.objects.get(body="Annas chatbericht").author is None
    # The log names a number, not a name.
    entry = ModelLogEntry.objects.get(action=services.ACTION)
    assert entry.label == f"person {anna_pk}"
    assert "Anna" not in str(entry.data)
    # Signed out, and she cannot sign in again.
    assert client.get(reverse("privacy:overview")).status_code == 302
    response = client.post(
        reverse("account_login"), {"login": "anna@meent.nl", "password": DEFAULT_PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_the_last_owner_hands_over_to_the_longest_standing_admin(privacy_world):
    w = privacy_world
    first_admin, second_admin = UserFactory(), UserFactory()
    group = GroupFactory()
    MembershipFactory(group=group, user=w.anna, role="owner")
    early = MembershipFactory(group=group, user=first_admin, role="admin")
    late = MembershipFactory(group=group, user=second_admin, role="admin")
    MembershipFactory(group=group, user=UserFactory(), role="member")
    # joined_at is set on creation: make the order unmistakable.
    Membership.objects.filter(pk=late.pk).update(joined_at=early.joined_at.replace(year=2030))
    services.delete_account(w.anna)
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.role == "owner" and late.role == "admin"
    group.refresh_from_db()
    assert not group.is_archived
    assert Activity.objects.filter(group=group, verb="ownership", subject=first_admin).exists()


def test_a_group_without_admin_is_archived(privacy_world):
    w = privacy_world
    group = GroupFactory()
    MembershipFactory(group=group, user=w.anna, role="owner")
    member = MembershipFactory(group=group, user=UserFactory(), role="member")
    services.delete_account(w.anna)
    group.refresh_from_db()
    member.refresh_from_db()
    assert group.is_archived and group.archived_at is not None
    assert member.role == "member"
    assert Activity.objects.filter(group=group, verb="archived").exists()


def test_a_group_with_another_owner_stays_as_it_is(privacy_world):
    w = privacy_world
    w.group.memberships.filter(user=w.anna).update(role="owner")
    services.delete_account(w.anna)
    w.group.refresh_from_db()
    assert not w.group.is_archived
    assert list(w.group.memberships.values_list("role", flat=True)) == ["owner"]


def test_staff_cannot_delete_themselves_here(client, privacy_world):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    with translation.override("en"):
        html = client.get(reverse("privacy:delete"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ask an operator of Meent to remove them first" in html
    assert 'name="password"' not in html
    delete_form(client)
    assert User.objects.filter(pk=staff.pk).exists()
    with pytest.raises(services.DeletionRefused):
        services.delete_account(staff)


def test_group_post_shows_former_member_everywhere(
    client, privacy_world, django_capture_on_commit_callbacks
):
    w = privacy_world
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_account(w.anna)
    client.force_login(w.bram)
    with translation.override("en"):
        post_page = client.get(w.group_post.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
        group_blog = client.get(
            reverse("group_blog", args=[w.group.slug]), HTTP_ACCEPT_LANGUAGE="en"
        )
        blog_list = client.get(reverse("blog:list"), HTTP_ACCEPT_LANGUAGE="en")
    assert post_page.status_code == 200
    assert "A former member" in post_page.content.decode()
    for listing in (group_blog, blog_list):
        assert listing.status_code == 200
        html = listing.content.decode()
        assert "Annas groepsbericht" in html
        assert "By a former member" in html


def test_feeds_survive_a_post_without_author(client, privacy_world):
    w = privacy_world
    w.group.content_default = "open"
    w.group.save()
    services.delete_account(w.anna)
    with translation.override("en"):
        response = client.get(reverse("blog_feed_rss"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    xml = response.content.decode()
    assert "Annas groepsbericht" in xml
    assert "Anna" not in xml.replace("Annas groepsbericht", "")


def test_search_forgets_the_person_and_keeps_their_group_post(client, privacy_world):
    w = privacy_world
    drain_outbox()
    assert SearchEntry.objects.filter(type="person", object_id=w.anna.pk).exists()
    assert (
        SearchEntry.objects.get(type="blog_post", object_id=w.group_post.pk).author_id == w.anna.pk
    )
    services.delete_account(w.anna)
    drain_outbox()

    assert not SearchEntry.objects.filter(type="person", object_id=w.anna.pk).exists()
    assert not SearchEntry.objects.filter(type="blog_post", object_id=w.own_post.pk).exists()
    kept = {
        "blog_post": w.group_post.pk,
        "blog_comment": w.comment.pk,
        "wiki_page": w.page.pk,
        "chat_message": Message.objects.get(body="Annas chatbericht").pk,
    }
    for type_name, pk in kept.items():
        assert SearchEntry.objects.get(type=type_name, object_id=pk).author_id is None, type_name
    # The group still finds the post.
    client.force_login(w.bram)
    html = client.get(reverse("search:search"), {"q": "groepsbericht"}).content.decode()
    assert "Annas groepsbericht" in html
    html = client.get(reverse("search:search"), {"q": "Jansen"}).content.decode()
    assert "Anna Jansen" not in html


def test_services_that_name_the_author_skip_a_post_without_one(privacy_world):
    from blog import services as blog_services

    w = privacy_world
    services.delete_account(w.anna)
    Post.objects.filter(pk=w.group_post.pk).update(mentions_notified_at=None)
    assert blog_services.notify_post_mentions(w.group_post.pk) == 0
    comment = Comment.objects.get(pk=w.comment.pk)
    assert comment.author is None
    blog_services.notify_comment(comment.pk)  # no crash, nobody to name


def test_deleting_a_person_leaves_no_mention_of_them(
    client, privacy_world, django_capture_on_commit_callbacks
):
    from meent.mentions.models import Mention

    w = privacy_world
    anna_pk = w.anna.pk
    bram = User.objects.get(email="bram@meent.nl")
    with django_capture_on_commit_callbacks(execute=True):
        # Bram names Anna in his post and a comment; Anna names Bram on her own blog.
        blog_services.save_post(
            bram,
            blog_services.PostInput(
                title="Voor Anna",
                body=(
                    f'<p><a class="mention" data-person="{anna_pk}" href="/people/{anna_pk}/">'
                    "@Anna Jansen</a></p>"
                ),
                publish="now",
            ),
        )
        blog_services.add_comment(bram, w.group_post, "Dank je, @Anna Jansen")
        blog_services.save_post(
            w.anna,
            blog_services.PostInput(
                title="Annas eigen bericht",
                body="<p>Hoi @Bram Eigen</p>",
                publish="now",
                cover_alt="Een vlak",
            ),
            post=w.own_post,
        )
    assert Mention.objects.filter(person_id=anna_pk).count() == 2
    assert Mention.objects.filter(person=bram).count() == 1
    client.force_login(w.anna)
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_form(client).status_code == 302
    assert not Mention.objects.filter(person_id=anna_pk).exists()
    # Her own blog went, and with it where she named Bram.
    assert not Mention.objects.filter(person=bram).exists()
