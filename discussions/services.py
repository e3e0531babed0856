"""Everything that changes discussions, with its rules, in one place.

Views turn ``DiscussionError`` into a form error or a message with a 4xx status; nothing is
saved when something is refused. A reply takes a row lock on its discussion
(``select_for_update``) and moves ``reply_count`` and ``last_activity_at`` with ``F()``, so two
replies at once count two. Search indexing, the stream's announcements and notifications happen
after commit.

Who hears of a reply: the discussion's author and the people who follow it at "every new item"
(whoever started or replied follows it) get a conversations notification; those who follow it
for mentions only hear of it through the activity app's ``announce``; people the reply mentions
and who follow nothing get a mention. Nobody twice, never the replier.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from activity import services as stream
from activity.models import Follow
from meent import access
from meent.mentions import mentioned_people, people_in_html
from meent.mentions import services as mentions
from meent.params import MAX_ID
from meent.refusals import Refused
from meent.sanitize import clean_html, clean_text
from search.indexing import queue_ids

from . import policies
from .models import Discussion, DiscussionVisit, Reply

TITLE_MAX = 200
REPLY_MAX = 10_000
QUOTE_EXCERPT = 300
REPLIES_PER_PAGE = 50
# A visit is written at most once a minute, like a member's last visit of their group.
VISIT_RESOLUTION = datetime.timedelta(minutes=1)


class DiscussionError(Refused):
    """A refused change to a discussion or a reply (meent/refusals.py)."""


# ---------------------------------------------------------------------------------------------
# Checks


def _clean_title(title) -> str:
    title = " ".join(clean_text(title or "").split())
    if not title:
        raise DiscussionError(_("Give the discussion a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DiscussionError(_("A title has at most 200 characters."), field="title")
    return title


def _clean_body(body) -> str:
    if len(body or "") > settings.MEENT_BLOG_MAX_BODY:
        raise DiscussionError(
            _("The text is too long: at most %(limit)s characters of HTML.")
            % {"limit": settings.MEENT_BLOG_MAX_BODY},
            413,
            field="body",
        )
    body = clean_html(body or "")
    if not strip_tags(body).strip():
        raise DiscussionError(_("Write what you want to discuss."), field="body")
    return body


def _clean_reply(body) -> str:
    body = clean_text(body or "").strip()
    if not body:
        raise DiscussionError(_("Write something before you send your reply."), field="body")
    if len(body) > REPLY_MAX:
        raise DiscussionError(
            _("A reply has at most %(limit)s characters.") % {"limit": REPLY_MAX}, field="body"
        )
    return body


def _check_writer(user, group):
    if not access.is_active_person(user):
        raise DiscussionError(_("Sign in to take part in discussions."), 403)
    if policies.may_write_in(user, group):
        return
    if not group.discussions_enabled:
        raise DiscussionError(_("This group's discussions are switched off."), 409)
    if group.is_archived:
        raise DiscussionError(_("This group is archived: nothing can be added to it."), 409)
    raise DiscussionError(_("Only members of the group take part in its discussions."), 403)


def _check_readable(user, discussion):
    if not access.can_view(user, discussion):
        raise DiscussionError(_("This discussion does not exist or you may not see it."), 404)


def closed_message(discussion) -> str:
    return _("This discussion is closed: no replies can be added any more.")


# ---------------------------------------------------------------------------------------------
# Discussions


def start(user, group, title, body) -> Discussion:
    """A new discussion in ``group``, followed by its author; told to the group's followers."""
    _check_writer(user, group)
    title = _clean_title(title)
    body = _clean_body(body)
    with transaction.atomic():
        now = timezone.now()
        discussion = Discussion.objects.create(
            group=group,
            author=user,
            title=title,
            body=body,
            created_at=now,
            last_activity_at=now,
        )
        mentions.record(discussion, people_in_html(body, exclude=user))
        stream.record("discussions.started", discussion, user, at=now)
        stream.follow_quietly(user, discussion)
        transaction.on_commit(lambda: stream.announce("discussions.started", discussion))
        transaction.on_commit(lambda: notify_mentions(discussion.pk))
    return discussion


def edit(user, discussion, title, body) -> Discussion:
    """The author changes the title or the text; people newly mentioned are told."""
    if not access.can_edit(user, discussion):
        raise DiscussionError(_("Only its author can change this discussion."), 403)
    title = _clean_title(title)
    body = _clean_body(body)
    with transaction.atomic():
        discussion.title, discussion.body = title, body
        discussion.edited_at = timezone.now()
        discussion.save(update_fields=["title", "body", "edited_at"])
        if mentions.record(discussion, people_in_html(body, exclude=user)):
            transaction.on_commit(lambda: notify_mentions(discussion.pk))
    return discussion


def _managed(user, discussion):
    if not policies.may_manage(user, discussion.group):
        raise DiscussionError(_("Only the group's owners and admins can do this."), 403)


def _set(discussion, **fields) -> Discussion:
    Discussion.objects.filter(pk=discussion.pk).update(**fields)
    for name, value in fields.items():
        setattr(discussion, name, value)
    return discussion


def pin(user, discussion) -> Discussion:
    _managed(user, discussion)
    return _set(discussion, pinned_at=discussion.pinned_at or timezone.now())


def unpin(user, discussion) -> Discussion:
    _managed(user, discussion)
    return _set(discussion, pinned_at=None)


def close(user, discussion) -> Discussion:
    _managed(user, discussion)
    if discussion.is_closed:
        return discussion
    return _set(discussion, closed_at=timezone.now(), closed_by=user)


def reopen(user, discussion) -> Discussion:
    _managed(user, discussion)
    return _set(discussion, closed_at=None, closed_by=None)


def hide(discussion) -> None:
    """A moderator's hiding: nobody sees it any more; search forgets it."""
    _set(discussion, hidden_at=timezone.now())
    reindex([discussion.pk])


def unhide(discussion) -> None:
    _set(discussion, hidden_at=None)
    reindex([discussion.pk])


def delete(discussion) -> None:
    """A moderator's deletion, with every reply and visit (the search index hears of it)."""
    discussion.delete()


def reindex(discussion_ids) -> None:
    """Queue discussions for indexing (their title, text or replies changed); after commit."""
    queue_ids("discussion", list(discussion_ids))


# ---------------------------------------------------------------------------------------------
# Replies


def find_quoted(discussion, quote) -> tuple[Reply | None, bool]:
    """(the quoted reply, whether the start is quoted) from what a form or a link names:
    "start", a reply's id or nothing. A reply of another discussion, a hidden or a missing one
    is refused with the reason."""
    if quote in (None, ""):
        return None, False
    if quote == "start":
        return None, True
    try:
        reply_id = int(quote)
    except (TypeError, ValueError):
        reply_id = None
    # An id beyond the column's range names nothing (and must not reach the database).
    found = (
        Reply.objects.filter(pk=reply_id).first() if reply_id and 0 < reply_id <= MAX_ID else None
    )
    if found is None:
        raise DiscussionError(_("The reply you quote does not exist."), field="quote")
    if found.discussion_id != discussion.pk:
        raise DiscussionError(_("You can only quote a reply of this discussion."), field="quote")
    if found.hidden_at is not None:
        raise DiscussionError(
            _("The reply you quote was hidden by a moderator; it cannot be quoted."),
            field="quote",
        )
    found.discussion = discussion
    return found, False


def reply(user, discussion, body, quote=None) -> Reply:
    """A reply to ``discussion`` (quoting ``quote``: "start" or a reply's id), under a row lock
    on the discussion; its author follows the discussion from now on."""
    _check_writer(user, discussion.group)
    _check_readable(user, discussion)
    body = _clean_reply(body)
    quoted, quotes_start = find_quoted(discussion, quote)
    with transaction.atomic():
        locked = Discussion.objects.select_for_update().get(pk=discussion.pk)
        if locked.closed_at is not None:
            raise DiscussionError(closed_message(locked), 409)
        if locked.hidden_at is not None:
            raise DiscussionError(_("This discussion does not exist or you may not see it."), 404)
        now = timezone.now()
        created = Reply.objects.create(
            discussion=discussion,
            author=user,
            body=body,
            quoted=quoted,
            quotes_start=quotes_start,
            created_at=now,
        )
        Discussion.objects.filter(pk=discussion.pk).update(
            reply_count=F("reply_count") + 1, last_activity_at=now
        )
        mentions.record(created, mentioned_people(body, exclude=user))
        stream.record("discussions.replied", discussion, user, at=now)
        stream.follow_quietly(user, discussion)
        reindex([discussion.pk])
        transaction.on_commit(lambda: notify_reply(created.pk))
        transaction.on_commit(lambda: stream.announce("discussions.replied", discussion))
    return created


def edit_reply(user, reply_, body) -> Reply:
    if not access.can_edit(user, reply_):
        raise DiscussionError(_("You can only edit your own replies."), 403)
    body = _clean_reply(body)
    with transaction.atomic():
        reply_.body = body
        reply_.edited_at = timezone.now()
        reply_.save(update_fields=["body", "edited_at"])
        if mentions.record(reply_, mentioned_people(body, exclude=user)):
            transaction.on_commit(lambda: notify_reply_mentions(reply_.pk))
        reindex([reply_.discussion_id])
    return reply_


def hide_reply(reply_) -> None:
    """A moderator's hiding: its place in the thread says so, its text is shown nowhere (also
    not in quotes or search); the count goes down."""
    with transaction.atomic():
        Discussion.objects.select_for_update().filter(pk=reply_.discussion_id).first()
        now = timezone.now()
        if Reply.objects.filter(pk=reply_.pk, hidden_at__isnull=True).update(hidden_at=now):
            reply_.hidden_at = now
            Discussion.objects.filter(pk=reply_.discussion_id).update(
                reply_count=F("reply_count") - 1
            )
        reindex([reply_.discussion_id])


def unhide_reply(reply_) -> None:
    with transaction.atomic():
        Discussion.objects.select_for_update().filter(pk=reply_.discussion_id).first()
        if Reply.objects.filter(pk=reply_.pk, hidden_at__isnull=False).update(hidden_at=None):
            reply_.hidden_at = None
            Discussion.objects.filter(pk=reply_.discussion_id).update(
                reply_count=F("reply_count") + 1
            )
        reindex([reply_.discussion_id])


def delete_reply(reply_) -> None:
    """A moderator's deletion: the reply goes for good; quotes of it lose their quote."""
    with transaction.atomic():
        Discussion.objects.select_for_update().filter(pk=reply_.discussion_id).first()
        was_shown = reply_.hidden_at is None
        deleted, _by_model = Reply.objects.filter(pk=reply_.pk).delete()
        if deleted and was_shown:
            Discussion.objects.filter(pk=reply_.discussion_id).update(
                reply_count=F("reply_count") - 1
            )
        reindex([reply_.discussion_id])


def quote_excerpt(reply_, discussion=None) -> str:
    """The plain text a quote shows: at most 300 characters of the quoted reply or start."""
    if reply_ is not None:
        text = reply_.body
    else:
        text = strip_tags((discussion.body or "").replace("</p>", "</p> "))
    return Truncator(" ".join(text.split())).chars(QUOTE_EXCERPT)


def page_of(reply_) -> int:
    """The page of the thread (50 replies a page, oldest first) that shows ``reply_``."""
    before = Reply.objects.filter(discussion_id=reply_.discussion_id).filter(
        Q(created_at__lt=reply_.created_at) | Q(created_at=reply_.created_at, pk__lt=reply_.pk)
    )
    return before.count() // REPLIES_PER_PAGE + 1


# ---------------------------------------------------------------------------------------------
# Visits


def visit(user, discussion, now=None) -> datetime.datetime | None:
    """Remember that a signed-in reader opened the thread; returns their visit before (None:
    their first), whose later replies are new to them. Written at most once a minute, so a
    reload within the minute keeps the marks."""
    if not access.is_active_person(user):
        return None
    now = now or timezone.now()
    row = DiscussionVisit.objects.filter(user=user, discussion=discussion).first()
    if row is None:
        DiscussionVisit.objects.get_or_create(
            user=user, discussion=discussion, defaults={"seen_at": now}
        )
        return None
    if row.seen_at < now - VISIT_RESOLUTION:
        DiscussionVisit.objects.filter(pk=row.pk, seen_at__lt=now - VISIT_RESOLUTION).update(
            seen_at=now
        )
    return row.seen_at


# ---------------------------------------------------------------------------------------------
# Telling people (after commit)


def _params(reply_or_discussion, person):
    discussion = getattr(reply_or_discussion, "discussion", reply_or_discussion)
    return {"person": person.display_name, "title": discussion.title}


def conversation_ids(discussion) -> set:
    """Who gets a conversations notification for a reply: the author and who follows the
    discussion at "every new item" (the replier is left out by ``notify``)."""
    ids = set(stream.followers(discussion, levels=(Follow.Level.ALL,)).values_list("pk", flat=True))
    if discussion.author_id:
        ids.add(discussion.author_id)
    return ids


def following_ids(discussion) -> set:
    """Everyone who follows the discussion, at any level that tells them of replies."""
    return set(
        stream.followers(discussion, levels=(Follow.Level.ALL, Follow.Level.MENTIONS)).values_list(
            "pk", flat=True
        )
    )


def notify_reply(reply_id: int) -> int:
    from django.contrib.auth import get_user_model

    from notifications import notify

    found = (
        Reply.objects.select_related("author", "discussion__group", "discussion__author")
        .filter(pk=reply_id)
        .first()
    )
    if found is None or found.author is None or found.hidden_at is not None:
        return 0
    discussion = found.discussion
    told = 0
    recipients = conversation_ids(discussion)
    for person in get_user_model().objects.filter(pk__in=recipients).order_by("pk"):
        if notify(
            person,
            "conversations",
            "discussions.reply",
            found.get_absolute_url(),
            params=_params(found, found.author),
            about=found,
            actor=found.author,
        ):
            told += 1
    return told + _tell_reply_mentions(found, recipients | following_ids(discussion))


def _tell_reply_mentions(found, already) -> int:
    from notifications import notify

    return mentions.tell_pending(
        found,
        lambda person: (
            person.pk not in already
            and notify(
                person,
                "mention",
                "discussions.reply_mention",
                found.get_absolute_url(),
                params=_params(found, found.author),
                about=found,
                actor=found.author,
            )
        ),
    )


def notify_reply_mentions(reply_id: int) -> int:
    """After an edit: the people the reply mentions now and did not before."""
    found = Reply.objects.select_related("author", "discussion__group").filter(pk=reply_id).first()
    if found is None or found.author is None or found.hidden_at is not None:
        return 0
    return _tell_reply_mentions(found, conversation_ids(found.discussion))


def notify_mentions(discussion_id: int) -> int:
    """The people the start mentions who were not told yet (``notify`` checks they may read)."""
    from notifications import notify

    discussion = (
        Discussion.objects.select_related("author", "group").filter(pk=discussion_id).first()
    )
    if discussion is None or discussion.author is None:
        return 0
    return mentions.tell_pending(
        discussion,
        lambda person: notify(
            person,
            "mention",
            "discussions.mention",
            discussion.get_absolute_url(),
            params=_params(discussion, discussion.author),
            about=discussion,
            actor=discussion.author,
        ),
    )
