"""The blog's rules through its services: publishing, tags, covers, comments, reactions, mentions."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from blog import services
from blog.models import Comment, Post, Reaction, Tag
from blog.services import PostInput, Publish
from notifications.models import Notification
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.security.html_safety import assert_plain_text, assert_safe_html
from tests.security.xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db


def image(name="omslag.png", size=(8, 6)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def people(db):
    return {
        "author": UserFactory(first_name="Anna", last_name="Jansen"),
        "reader": UserFactory(first_name="Bram", last_name="de Vries"),
        "other": UserFactory(first_name="Chris", last_name="Visser"),
    }


def publish(author, title="Bericht", **fields):
    fields.setdefault("publish", Publish.NOW)
    return services.save_post(author, PostInput(title=title, **fields))


def test_a_draft_is_only_for_its_author_until_published(people):
    from meent import access

    post = services.save_post(people["author"], PostInput(title="Concept", body="<p>x</p>"))
    assert post.published_at is None
    assert access.can_view(people["author"], post)
    assert not access.can_view(people["reader"], post)
    post = services.save_post(
        people["author"],
        PostInput(title="Concept", body="<p>x</p>", publish=Publish.NOW),
        post=post,
    )
    assert post.is_published
    assert access.can_view(people["reader"], post)


def test_scheduled_posts_appear_at_their_time(people):
    from meent import access

    when = timezone.now() + timedelta(days=2)
    post = publish(people["author"], publish=Publish.LATER, publish_at=when)
    assert post.is_scheduled and post.published_at == when
    assert not access.can_view(people["reader"], post)
    assert not Post.objects.visible_to(people["reader"]).filter(pk=post.pk).exists()
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    post.refresh_from_db()
    assert access.can_view(people["reader"], post)
    assert Post.objects.visible_to(people["reader"]).filter(pk=post.pk).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "<b></b>"}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"publish": Publish.LATER, "publish_at": None}, "publish_at"),
        ({"publish": "sometime"}, "publish"),
        ({"tags": ",".join(f"tag{n}" for n in range(3000))}, "tags"),
        ({"tags": "a" * 51}, "tags"),
        ({"tags": "!!!"}, "tags"),
        ({"visibility": "everyone-and-their-dog"}, "visibility"),
        ({"body": "<p>" + "x" * 600_000 + "</p>"}, "body"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(people, fields, field):
    data = {"title": "Goed", "publish": Publish.NOW, **fields}
    with pytest.raises(services.BlogError) as caught:
        services.save_post(people["author"], PostInput(**data))
    assert caught.value.field == field
    assert caught.value.message
    assert not Post.objects.exists()
    assert not Tag.objects.exists()


def test_a_far_past_schedule_date_is_refused(people):
    with translation.override("en"), pytest.raises(services.BlogError) as caught:
        publish(
            people["author"], publish=Publish.LATER, publish_at=timezone.now() - timedelta(days=400)
        )
    assert "passed" in caught.value.message
    with pytest.raises(services.BlogError):
        publish(
            people["author"], publish=Publish.LATER, publish_at=timezone.now() + timedelta(days=800)
        )
    assert not Post.objects.exists()


def test_a_cover_image_needs_alt_text_and_must_be_an_image(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(services.BlogError) as caught:
        publish(people["author"], cover=image())
    assert caught.value.field == "cover_alt"
    with pytest.raises(services.BlogError) as caught:
        publish(
            people["author"],
            cover=SimpleUploadedFile("x.png", b"<svg onload=alert(1)>"),
            cover_alt="Een plaatje",
        )
    assert caught.value.field == "cover"
    assert not Post.objects.exists()
    assert not list(tmp_path.rglob("*.*"))
    post = publish(people["author"], cover=image(), cover_alt="Een blauw vlak")
    assert post.cover and post.cover_alt == "Een blauw vlak"
    # Editing keeps the cover (its description is still required); removing it drops both.
    with pytest.raises(services.BlogError):
        services.save_post(
            people["author"], PostInput(title="Bericht", publish=Publish.NOW), post=post
        )
    post = services.save_post(
        people["author"],
        PostInput(title="Bericht", publish=Publish.NOW, remove_cover=True),
        post=post,
    )
    assert not post.cover and post.cover_alt == ""


def test_tags_are_cleaned_and_deduplicated(people):
    post = publish(people["author"], tags="Open source, open-source , AVG,  , Privacy")
    assert sorted(post.tags.values_list("slug", flat=True)) == ["avg", "open-source", "privacy"]
    again = publish(people["author"], title="Tweede", tags="AVG")
    assert Tag.objects.count() == 3
    assert list(again.tags.all()) == [Tag.objects.get(slug="avg")]


def test_slugs_are_unique_and_stable(people):
    first = publish(people["author"], title="Samen werken")
    second = publish(people["author"], title="Samen werken")
    assert (first.slug, second.slug) == ("samen-werken", "samen-werken-2")
    edited = services.save_post(
        people["author"], PostInput(title="Anders genoemd", publish=Publish.NOW), post=first
    )
    assert edited.slug == "samen-werken"


def test_only_the_author_edits_and_only_members_post_in_a_group(people):
    post = publish(people["author"])
    with pytest.raises(services.BlogError) as caught:
        services.save_post(people["reader"], PostInput(title="Gekaapt"), post=post)
    assert caught.value.status == 403
    group = GroupFactory()
    with pytest.raises(services.BlogError) as caught:
        services.save_post(people["author"], PostInput(title="In de groep"), group=group)
    assert caught.value.status == 403
    MembershipFactory(group=group, user=people["author"])
    from meent import access

    access.forget_memberships(people["author"])
    post = services.save_post(people["author"], PostInput(title="In de groep"), group=group)
    assert post.group == group
    group.is_archived = True
    group.save()
    with pytest.raises(services.BlogError) as caught:
        services.save_post(people["author"], PostInput(title="Nog een"), group=group)
    assert caught.value.status == 409


def test_every_xss_payload_is_stored_safely_in_posts_and_comments(people):
    post = publish(people["author"])
    failures = []
    for index, payload in enumerate(PAYLOADS):
        post = services.save_post(
            people["author"],
            PostInput(
                title=f"P{index} {payload}"[:200],
                body=payload,
                summary=payload,
                publish=Publish.NOW,
            ),
            post=post,
        )
        post.refresh_from_db()
        try:
            assert_safe_html(post.body)
            assert_plain_text(post.title)
            assert_plain_text(post.summary)
        except AssertionError as error:
            failures.append(("post", index, str(error)))
        try:
            comment = services.add_comment(people["reader"], post, f"{index} {payload}")
        except services.BlogError:
            continue  # nothing left after cleaning: refused, nothing stored
        comment.refresh_from_db()
        try:
            assert_plain_text(comment.body)
        except AssertionError as error:
            failures.append(("comment", index, str(error)))
    assert failures == []
    assert Comment.objects.count() > len(PAYLOADS) / 2


def test_comments_and_one_level_of_replies(people, django_capture_on_commit_callbacks):
    post = publish(people["author"])
    with django_capture_on_commit_callbacks(execute=True):
        first = services.add_comment(people["reader"], post, "Mooi stuk!")
        reply = services.add_comment(people["other"], post, "Eens.", parent=first)
        deeper = services.add_comment(people["author"], post, "Dank jullie.", parent=reply)
    assert reply.parent == first
    assert deeper.parent == first  # a reply to a reply joins the thread
    kinds = dict(Notification.objects.values_list("recipient_id", "kind").order_by("pk"))
    assert kinds[people["author"].pk] == "reply"  # a comment on their post
    assert kinds[people["reader"].pk] == "reply"  # replies to their comment
    assert Notification.objects.filter(recipient=people["author"]).count() == 2  # not their own


@pytest.mark.parametrize("body", ["", "   ", "<script></script>", "x" * 5001])
def test_empty_or_huge_comments_are_refused(people, body):
    post = publish(people["author"])
    with pytest.raises(services.BlogError):
        services.add_comment(people["reader"], post, body)
    assert not Comment.objects.exists()


def test_commenting_or_reacting_on_what_one_may_not_see_is_refused(people):
    private = publish(people["author"], visibility="private")
    draft = services.save_post(people["author"], PostInput(title="Concept"))
    for post in (private, draft):
        with pytest.raises(services.BlogError) as caught:
            services.add_comment(people["reader"], post, "Hallo?")
        assert caught.value.status == 404 or post is draft
        with pytest.raises(services.BlogError):
            services.react(people["reader"], post=post)
    assert not Comment.objects.exists() and not Reaction.objects.exists()


def test_deleting_and_removing_leave_tombstones(people, django_capture_on_commit_callbacks):
    group = GroupFactory(content_default="open")
    admin = UserFactory()
    for person, role in ((people["author"], "member"), (admin, "admin")):
        MembershipFactory(group=group, user=person, role=role)
    post = services.save_post(
        people["author"], PostInput(title="Groep", publish=Publish.NOW), group=group
    )
    comment = services.add_comment(people["reader"], post, "Onzin")
    reply = services.add_comment(people["other"], post, "Vind ik ook", parent=comment)
    with pytest.raises(services.BlogError):
        services.remove_comment(people["other"], comment, "nee")
    services.remove_comment(admin, comment, "Geen onzin hier, graag.")
    comment.refresh_from_db()
    assert comment.is_removed and comment.body == "Onzin"  # kept for the moderators, never shown
    assert Comment.objects.filter(pk=reply.pk, parent=comment).exists()
    told = Notification.objects.get(recipient=people["reader"], kind="moderation")
    assert "Geen onzin hier" in told.display_text
    with pytest.raises(services.BlogError) as caught:
        services.remove_comment(admin, comment, "nog eens")
    assert caught.value.status == 409
    with pytest.raises(services.BlogError):
        services.add_comment(people["author"], post, "Reactie", parent=comment)
    services.delete_comment(people["other"], reply)
    reply.refresh_from_db()
    assert reply.is_removed and reply.body == ""
    with pytest.raises(services.BlogError):
        services.edit_comment(people["other"], reply, "terug")


def test_reacting_twice_is_refused_and_counts_once(people):
    post = publish(people["author"])
    services.react(people["reader"], post=post)
    with pytest.raises(services.BlogError) as caught:
        services.react(people["reader"], post=post)
    assert caught.value.status == 409
    assert Reaction.objects.count() == 1
    comment = services.add_comment(people["reader"], post, "Hoi")
    services.react(people["author"], comment=comment)
    assert services.unreact(people["author"], comment=comment)
    assert not services.unreact(people["author"], comment=comment)


def test_mentions_reach_only_people_who_may_read(people, django_capture_on_commit_callbacks):
    group = GroupFactory(content_default="members")
    MembershipFactory(group=group, user=people["author"])
    MembershipFactory(group=group, user=people["reader"])
    with django_capture_on_commit_callbacks(execute=True):
        services.save_post(
            people["author"],
            PostInput(
                title="Overleg",
                body="<p>Vraag aan @Bram de Vries en @Chris Visser.</p>",
                publish=Publish.NOW,
            ),
            group=group,
        )
    mentioned = set(
        Notification.objects.filter(kind="mention").values_list("recipient_id", flat=True)
    )
    assert mentioned == {people["reader"].pk}  # Chris is not in the group


def test_scheduled_mentions_wait_until_the_post_appears(people, django_capture_on_commit_callbacks):
    when = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        post = publish(
            people["author"],
            body="<p>Hoi @Bram de Vries</p>",
            publish=Publish.LATER,
            publish_at=when,
        )
    assert not Notification.objects.exists()
    assert services.notify_due_posts() == 0
    assert (
        services.notify_due_posts(now=when + timedelta(minutes=1)) == 0
    )  # not visible yet to can_view
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert services.notify_due_posts() == 1
    assert services.notify_due_posts() == 0  # once


def test_a_replaced_cover_is_deleted_after_commit_and_kept_when_the_save_fails(
    people, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    post = publish(people["author"], cover=image("een.png"), cover_alt="Eerste")
    first = post.cover.name
    with pytest.raises(services.BlogError):  # refused (no title): nothing changes on disk
        services.save_post(
            people["author"],
            PostInput(title="", cover=image("twee.png"), cover_alt="Tweede", publish=Publish.NOW),
            post=post,
        )
    assert (tmp_path / first).exists()
    with django_capture_on_commit_callbacks(execute=True):
        post = services.save_post(
            people["author"],
            PostInput(
                title="Bericht", cover=image("twee.png"), cover_alt="Tweede", publish=Publish.NOW
            ),
            post=post,
        )
    assert not (tmp_path / first).exists()
    assert (tmp_path / post.cover.name).exists()
    assert [p.name for p in tmp_path.rglob("*.png")] == [post.cover.name.rsplit("/", 1)[-1]]


def test_the_scheduled_posts_command_tells_mentioned_people_once(people):
    from io import StringIO

    from django.core.management import call_command

    post = publish(
        people["author"],
        body="<p>Voor @Bram de Vries</p>",
        publish=Publish.LATER,
        publish_at=timezone.now() + timedelta(hours=2),
    )
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    output = StringIO()
    with translation.override("en"):
        call_command("notify_scheduled_posts", stdout=output)
    assert Notification.objects.filter(recipient=people["reader"], kind="mention").count() == 1
    call_command("notify_scheduled_posts", stdout=StringIO())
    assert Notification.objects.filter(recipient=people["reader"], kind="mention").count() == 1
    assert "Posts handled: 1; people told: 1." in output.getvalue()


# --- Who is mentioned is stored when the text is saved (issue 18) ----------------------------


def save(author, post=None, title="Bericht", **fields):
    fields.setdefault("publish", Publish.NOW)
    return services.save_post(author, PostInput(title=title, **fields), post=post)


def mentions_of(person):
    return Notification.objects.filter(recipient=person, kind="mention").count()


def link(person):
    return (
        f'<a class="mention" data-person="{person.pk}" href="{person.get_absolute_url()}">'
        f"@{person.display_name}</a>"
    )


def test_editing_a_post_tells_only_the_newly_mentioned(people, django_capture_on_commit_callbacks):
    author, bram, chris = people["author"], people["reader"], people["other"]
    with django_capture_on_commit_callbacks(execute=True):
        post = save(author, body=f"<p>Hoi {link(bram)}</p>")
    assert (mentions_of(bram), mentions_of(chris)) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):  # unchanged: nobody is told
        save(author, body=f"<p>Hoi {link(bram)}</p>", post=post)
    assert (mentions_of(bram), mentions_of(chris)) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):  # "@Chris" added, by typing
        save(author, body=f"<p>Hoi {link(bram)} en @Chris Visser</p>", post=post)
    assert (mentions_of(bram), mentions_of(chris)) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        save(author, body=f"<p>Hoi {link(bram)} en @Chris Visser!</p>", post=post)
    assert (mentions_of(bram), mentions_of(chris)) == (1, 1)


def test_a_draft_tells_nobody_until_it_is_published(people, django_capture_on_commit_callbacks):
    author, bram = people["author"], people["reader"]
    with django_capture_on_commit_callbacks(execute=True):
        post = save(author, body=f"<p>{link(bram)}</p>", publish=Publish.DRAFT)
    assert mentions_of(bram) == 0
    with django_capture_on_commit_callbacks(execute=True):
        post = save(author, body=f"<p>{link(bram)}</p>", post=post)
    assert mentions_of(bram) == 1
    with django_capture_on_commit_callbacks(execute=True):  # unpublished and published again
        save(author, body=f"<p>{link(bram)}</p>", post=post, publish=Publish.DRAFT)
        save(author, body=f"<p>{link(bram)}</p>", post=post)
    assert mentions_of(bram) == 1


def test_a_scheduled_post_tells_its_mentions_when_it_appears(
    people, django_capture_on_commit_callbacks
):
    author, bram, chris = people["author"], people["reader"], people["other"]
    when = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        post = save(author, body=f"<p>{link(bram)}</p>", publish=Publish.LATER, publish_at=when)
        # Edited before it appears: Chris is added; both hear of it once it is out.
        save(
            author,
            body=f"<p>{link(bram)} {link(chris)}</p>",
            post=post,
            publish=Publish.LATER,
            publish_at=when,
        )
    assert services.notify_due_posts() == 0
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert services.notify_due_posts() == 2
    assert services.notify_due_posts() == 0
    assert (mentions_of(bram), mentions_of(chris)) == (1, 1)


def test_a_mention_by_id_of_someone_who_may_not_read_tells_nobody(
    people, django_capture_on_commit_callbacks
):
    from meent.mentions import unreached_in_html

    group = GroupFactory(content_default="members")
    MembershipFactory(group=group, user=people["author"])
    outsider = people["other"]
    body = f"<p>Zie {link(outsider)}</p>"
    with django_capture_on_commit_callbacks(execute=True):
        post = services.save_post(
            people["author"], PostInput(title="Dicht", body=body, publish=Publish.NOW), group=group
        )
    assert mentions_of(outsider) == 0
    assert f'data-person="{outsider.pk}"' in post.body  # kept as written
    from meent import access

    nobody, unreadable = unreached_in_html(
        post.body, lambda person: access.can_view(person, post), author=people["author"]
    )
    assert (nobody, unreadable) == ([], [outsider])


def test_editing_a_comment_tells_only_the_newly_mentioned(
    people, django_capture_on_commit_callbacks
):
    author, bram, chris = people["author"], people["reader"], people["other"]
    post = save(author)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.add_comment(chris, post, "Wat vind jij, @Bram de Vries?")
    assert mentions_of(bram) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_comment(chris, comment, "Wat vind jij, @Bram de Vries? En @Anna Jansen?")
    assert mentions_of(bram) == 1
    # Anna heard of the comment as the post's author; now she is named in it as well.
    assert mentions_of(author) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_comment(chris, comment, "Wat vind jij, @Bram de Vries? En @Anna Jansen?!")
    assert (mentions_of(bram), mentions_of(author)) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_comment(chris, comment)
    from meent.mentions.models import Mention

    assert not Mention.objects.filter(object_id=comment.pk, person=bram).exists()
