"""Everything that changes a blog, with its rules, in one place.

Views turn ``BlogError`` into a form error or a message with a 4xx status. Each change runs in a
transaction: a post is saved with its tags and cover image or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activity import services as stream
from meent import access, audit
from meent.mentions import mentioned_people, people_in_html
from meent.mentions import services as mentions
from meent.refusals import Refused
from meent.sanitize import clean_html, clean_text
from meent.slugs import unique_slug
from search import indexing as search_indexing

from . import policies
from .models import Comment, Post, Reaction, Tag

MAX_TAGS = 10
MAX_TAG_LENGTH = 50
MAX_SCHEDULE_AHEAD = timedelta(days=366)
# A publication time a little in the past (the form was open for a while) means "now".
SCHEDULE_GRACE = timedelta(minutes=10)
RESERVED_SLUGS = frozenset({"new"})


class BlogError(Refused):
    """A refused change to a blog (meent/refusals.py)."""


class Publish:
    DRAFT = "draft"
    NOW = "now"
    LATER = "later"
    CHOICES = (DRAFT, NOW, LATER)


@dataclass
class PostInput:
    title: str
    body: str = ""
    summary: str = ""
    tags: str = ""
    visibility: str = Post.Visibility.PUBLIC
    cover: object = None  # an uploaded file, or None to keep what there is
    cover_alt: str = ""
    remove_cover: bool = False
    publish: str = Publish.DRAFT
    publish_at: object = None  # a datetime, for Publish.LATER


def parse_tags(raw: str) -> list[tuple[str, str]]:
    """(name, slug) pairs from a comma-separated list, without duplicates."""
    names = [clean_text(part).strip() for part in (raw or "").split(",")]
    names = [name for name in names if name]
    if len(names) > MAX_TAGS:
        raise BlogError(
            _("Use at most %(max)s tags; you gave %(count)s.")
            % {"max": MAX_TAGS, "count": len(names)},
            field="tags",
        )
    pairs = {}
    for name in names:
        if len(name) > MAX_TAG_LENGTH:
            raise BlogError(
                _("A tag has at most %(max)s characters: “%(tag)s…” is longer.")
                % {"max": MAX_TAG_LENGTH, "tag": name[:20]},
                field="tags",
            )
        slug = slugify(name)[:60]
        if not slug:
            raise BlogError(
                _("The tag “%(tag)s” needs at least one letter or digit.") % {"tag": name},
                field="tags",
            )
        pairs.setdefault(slug, name)
    return [(name, slug) for slug, name in pairs.items()]


def _unique_slug(title, exclude_pk=None):
    return unique_slug(
        Post.objects.all(),
        title,
        fallback="bericht",
        reserved=RESERVED_SLUGS,
        exclude_pk=exclude_pk,
    )


def _check_cover(upload):
    """The cover judged by its content (meent/uploads.py), or the refusal on its field."""
    from django.core.exceptions import ValidationError

    from meent.uploads import validate_image

    try:
        return validate_image(upload, settings.MEENT_BLOG_COVER_MAX_BYTES, what="blog cover")
    except ValidationError as error:
        raise BlogError(error.messages[0], field="cover") from error


def _publication_time(data: PostInput, post: Post | None):
    now = timezone.now()
    if data.publish == Publish.DRAFT:
        return None
    if data.publish == Publish.NOW:
        # Editing a published post keeps its date; publishing a draft dates it now.
        if post is not None and post.is_published:
            return post.published_at
        return now
    if data.publish != Publish.LATER:
        raise BlogError(_("Choose whether to save a draft, publish now or later."), field="publish")
    when = data.publish_at
    if when is None:
        raise BlogError(_("Give the date and time to publish at."), field="publish_at")
    if when < now - SCHEDULE_GRACE:
        raise BlogError(
            _("This time has passed. Choose a time in the future, or publish now."),
            field="publish_at",
        )
    if when > now + MAX_SCHEDULE_AHEAD:
        raise BlogError(_("Schedule at most a year ahead."), field="publish_at")
    return max(when, now)


def save_post(
    author, data: PostInput, *, post: Post | None = None, group=None, site_id=None
) -> Post:
    """Create (``post`` None) or change a post; everything is checked before anything is saved.
    ``site_id``: the community a new personal post is written on (its group's, for a group's)."""
    if not access.is_active_person(author):
        raise BlogError(_("Sign in to write."), 403)
    if post is not None:
        group = post.group
        if not access.can_edit(author, post):
            raise BlogError(_("You may not edit this post."), 403)
    elif group is not None and not policies.may_post_in(author, group):
        if group.is_archived:
            raise BlogError(_("This group is archived: nothing can be posted in it."), 409)
        raise BlogError(_("Only members of the group can post in its blog."), 403)

    title = " ".join(clean_text(data.title or "").split())
    if not title:
        raise BlogError(_("Give the post a title."), field="title")
    if len(title) > 200:
        raise BlogError(_("A title has at most 200 characters."), field="title")
    if len(data.body or "") > settings.MEENT_BLOG_MAX_BODY:
        raise BlogError(
            _("The text is too long: at most %(limit)s characters of HTML.")
            % {"limit": settings.MEENT_BLOG_MAX_BODY},
            413,
            field="body",
        )
    body = clean_html(data.body or "")
    summary = " ".join(clean_text(data.summary or "").split())[:300]
    tags = parse_tags(data.tags)
    cover_alt = " ".join(clean_text(data.cover_alt or "").split())[:200]
    has_cover = bool(data.cover) or (post is not None and post.cover and not data.remove_cover)
    cover_kind = _check_cover(data.cover) if data.cover else None
    if has_cover and not cover_alt:
        raise BlogError(
            _("Describe the cover image for people who cannot see it."), field="cover_alt"
        )
    if group is None and data.visibility not in Post.Visibility.values:
        raise BlogError(_("Choose who may read the post."), field="visibility")
    published_at = _publication_time(data, post)

    try:
        with transaction.atomic():
            if post is None:
                post = Post(
                    author=author,
                    group=group,
                    site_id=None if group is not None else site_id,
                    slug=_unique_slug(title),
                )
            else:
                post = Post.objects.select_for_update().get(pk=post.pk)
            post.title = title
            post.body = body
            post.summary = summary
            post.visibility = Post.Visibility.PUBLIC if group else data.visibility
            post.cover_alt = cover_alt if has_cover else ""
            if data.remove_cover or data.cover:
                # The old file goes once the new state is committed (meent/files.py): a failed
                # save keeps it.
                post.cover = None
            if data.cover:
                # Named by what the file is, never by the name it came with: a file called
                # "x.html" that is also a valid image must not be served as a web page. The
                # stored name is random (meent/files.py), never the post's address.
                post.cover.save(f"cover.{cover_kind.extension}", data.cover, save=False)
            post.published_at = published_at
            post.updated_at = timezone.now()
            post.save()
            tag_objects = []
            for name, slug in tags:
                tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
                tag_objects.append(tag)
            post.tags.set(tag_objects)
            if group is not None and post.is_published:
                group.touch()
            # Who the post names is decided now and stored; they are told once it is published
            # (a scheduled post: when it appears, notify_due_posts), each of them once.
            mentions.record(post, people_in_html(body, exclude=author))
            if post.is_published:
                transaction.on_commit(lambda: notify_post_mentions(post.pk))
            # The stream's line shows from the publication time on (a scheduled post at its
            # time); a post back to a draft leaves the stream. Writing a post follows it.
            if published_at is not None:
                stream.record("blog.published", post, post.author, at=published_at)
            else:
                stream.forget("blog.published", post)
            stream.follow_quietly(author, post)
    except IntegrityError as error:  # pragma: no cover - a slug race
        raise BlogError(_("Saving did not work; please try again."), 409) from error
    return post


def unpublish(user, post) -> Post:
    if not access.can_edit(user, post) and not access.can_moderate(user, post):
        raise BlogError(_("You may not unpublish this post."), 403)
    Post.objects.filter(pk=post.pk).update(published_at=None, updated_at=timezone.now())
    post.published_at = None
    stream.forget("blog.published", post)
    # update() sends no signals: the post and its comments are the author's alone again.
    search_indexing.queue(post, related=True)
    return post


def notify_post_mentions(post_id: int) -> int:
    """Tell the people a published post mentions (as stored when it was saved) and who were
    not told yet, if they may read it. ``mentions_notified_at``: the post's publication was
    handled (scheduled posts are found by notify_due_posts until then)."""
    from notifications import notify

    post = Post.objects.select_related("author", "group").filter(pk=post_id).first()
    if post is None or not post.is_published:
        return 0
    if post.author is None:
        return 0  # its author deleted their account: nobody to name as the one who mentioned
    if post.mentions_notified_at is None:
        claimed = Post.objects.filter(pk=post.pk, mentions_notified_at__isnull=True).update(
            mentions_notified_at=timezone.now()
        )
        if claimed and not mentions.mentioned(post):
            # Saved before mentions were stored (a post scheduled before the upgrade).
            mentions.record(post, people_in_html(post.body, exclude=post.author))
        if claimed:
            # Its first publication: who follows its group at "every new item" hears of it.
            stream.announce("blog.published", post)
    # A message key and plain values: each person reads it in their own language.
    names = {"person": post.author.display_name, "title": post.title}
    return mentions.tell_pending(
        post,
        lambda person: notify(
            person,
            "mention",
            "blog.post_mention",
            post.get_absolute_url(),
            params=names,
            about=post,
            actor=post.author,
        ),
    )


def notify_due_posts(now=None) -> int:
    """Mentions in scheduled posts that have appeared since (run from a scheduler)."""
    due = Post.objects.filter(
        published_at__lte=now or timezone.now(), mentions_notified_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(notify_post_mentions(pk) for pk in list(due))


# ---------------------------------------------------------------------------------------------
# Comments


def _clean_comment(body):
    body = clean_text(body or "")
    if not body:
        raise BlogError(_("Write something before you send your comment."), field="body")
    if len(body) > 5000:
        raise BlogError(_("A comment has at most 5000 characters."), field="body")
    return body


def _readable_published(user, post):
    if not access.can_view(user, post):
        raise BlogError(_("This post does not exist or you may not see it."), 404)
    if not post.is_published:
        raise BlogError(_("Comments open once the post is published."), 409)


def add_comment(user, post, body, parent=None) -> Comment:
    if not access.is_active_person(user):
        raise BlogError(_("Sign in to comment."), 403)
    _readable_published(user, post)
    if post.group_id and post.group.is_archived:
        raise BlogError(_("This group is archived: nothing can be added to it."), 409)
    if parent is not None:
        if parent.post_id != post.pk:
            raise BlogError(_("You can only reply to a comment on this post."), field="parent")
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies: a reply to a reply joins the thread
        if parent.is_removed:
            raise BlogError(_("This comment was removed; you cannot reply to it."), 409)
    body = _clean_comment(body)
    with transaction.atomic():
        comment = Comment.objects.create(post=post, parent=parent, author=user, body=body)
        mentions.record(comment, mentioned_people(body, exclude=user))
        stream.record("blog.commented", comment, user, at=comment.created_at)
        stream.follow_quietly(user, post)
        transaction.on_commit(lambda: notify_comment(comment.pk))
        transaction.on_commit(lambda: stream.announce("blog.commented", comment))
    return comment


def notify_comment(comment_id: int) -> None:
    """The post's author and the replied-to person hear of it; mentioned people too."""
    from notifications import notify

    comment = Comment.objects.select_related(
        "post__author", "post__group", "author", "parent__author"
    ).get(pk=comment_id)
    post, author = comment.post, comment.author
    if author is None:
        return  # its author deleted their account in the meantime
    told = set()
    texts = {"person": author.display_name, "title": post.title}
    if comment.parent and comment.parent.author:
        target = comment.parent.author
        notify(
            target,
            "reply",
            "blog.comment_reply",
            comment.get_absolute_url(),
            params=texts,
            about=post,
            actor=author,
        )
        told.add(target.pk)
    if post.author_id not in told:
        notify(
            post.author,
            "reply",
            "blog.post_comment",
            comment.get_absolute_url(),
            params=texts,
            about=post,
            actor=author,
        )
        told.add(post.author_id)
    _tell_comment_mentions(comment, texts, told)


def _tell_comment_mentions(comment, texts, told=()):
    """The people the comment mentions who were not told yet (as stored when it was saved);
    those who already heard of it as the post's author or the one replied to are not told
    twice."""
    from notifications import notify

    mentions.tell_pending(
        comment,
        lambda person: (
            person.pk not in told
            and notify(
                person,
                "mention",
                "blog.comment_mention",
                comment.get_absolute_url(),
                params=texts,
                about=comment.post,
                actor=comment.author,
            )
        ),
    )


def notify_comment_mentions(comment_id: int) -> None:
    """After an edit: the people the comment mentions now and did not before."""
    comment = Comment.objects.select_related("post", "author").filter(pk=comment_id).first()
    if comment is None or comment.author is None or comment.is_removed:
        return
    texts = {"person": comment.author.display_name, "title": comment.post.title}
    _tell_comment_mentions(comment, texts)


def edit_comment(user, comment, body) -> Comment:
    if not access.can_edit(user, comment):
        raise BlogError(_("You can only edit your own comments."), 403)
    comment.body = _clean_comment(body)
    comment.edited_at = timezone.now()
    with transaction.atomic():
        comment.save(update_fields=["body", "edited_at"])
        if mentions.record(comment, mentioned_people(comment.body, exclude=user)):
            transaction.on_commit(lambda: notify_comment_mentions(comment.pk))
    return comment


def delete_comment(user, comment) -> Comment:
    """The author's own deletion: a tombstone stays, the text is erased."""
    if not access.can_edit(user, comment):
        raise BlogError(_("You can only delete your own comments."), 403)
    comment.body = ""
    comment.removed_at = timezone.now()
    comment.removed_by = user
    with transaction.atomic():
        comment.save(update_fields=["body", "removed_at", "removed_by"])
        mentions.forget(comment)  # the text that named them is gone
    return comment


def remove_comment(moderator, comment, reason="") -> Comment:
    """A moderator's or group admin's removal: a tombstone stays, the author is told why."""
    from notifications import notify

    if not access.can_moderate(moderator, comment):
        raise BlogError(_("You may not remove this comment."), 403)
    if comment.is_removed:
        raise BlogError(_("This comment was already removed."), 409)
    reason = " ".join(clean_text(reason or "").split())[:300]
    comment.removed_at = timezone.now()
    comment.removed_by = moderator
    comment.removal_reason = reason
    comment.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    audit.record(
        comment,
        "meent.comment.remove",
        moderator,
        reason=reason,
        title=f"{comment.post.title} #{comment.pk}",
        author=str(comment.author) if comment.author else "",
    )
    if comment.author:
        notify(
            comment.author,
            "moderation",
            "blog.comment_removed",
            comment.post.get_absolute_url(),
            params={"title": comment.post.title, "reason": reason},
            about=comment.post,
            actor=moderator,
        )
    return comment


# ---------------------------------------------------------------------------------------------
# Reactions


def react(user, *, post=None, comment=None) -> Reaction:
    """Like a post or a comment. Liking twice is refused (409), nothing doubles."""
    if not access.is_active_person(user):
        raise BlogError(_("Sign in to like posts and comments."), 403)
    target_post = post or comment.post
    _readable_published(user, target_post)
    if comment is not None and comment.is_removed:
        raise BlogError(_("This comment was removed."), 409)
    try:
        with transaction.atomic():
            return Reaction.objects.create(user=user, post=post, comment=comment)
    except IntegrityError as error:
        raise BlogError(_("You already like this."), 409) from error


def unreact(user, *, post=None, comment=None) -> bool:
    if not access.is_active_person(user):
        raise BlogError(_("Sign in to like posts and comments."), 403)
    deleted, _rows = Reaction.objects.filter(user=user, post=post, comment=comment).delete()
    return bool(deleted)
