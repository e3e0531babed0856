"""The discussions a person started and the replies they wrote (privacy/registry.py).

"Download my data" has their own words with their dates and group; a discussion's title is named
beside a reply only while the person may still see the discussion, as blog comments do.

Deleting the account leaves discussions and replies in their groups as by a former member (the
foreign keys are SET_NULL): others answered them, and a thread with holes is of no use to anyone.
Whoever wants their words gone edits them first, as the plan says. The visits (when they last
opened a thread) go; the search index hears of the missing author (SET_NULL sends no signals).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, absolute, iso, register

from .models import Discussion, DiscussionVisit, Reply
from .services import reindex


def started(user, files):
    rows = Discussion.objects.filter(author=user).select_related("group").order_by("created_at")
    return [
        {
            "title": d.title,
            "text": d.body,
            "group": d.group.name,
            "started": iso(d.created_at),
            "edited": iso(d.edited_at) if d.edited_at else None,
            "hidden_by_moderator": d.hidden_at is not None,
            "link": absolute(d.get_absolute_url()),
        }
        for d in rows
    ]


def replies(user, files):
    rows = list(
        Reply.objects.filter(author=user)
        .select_related("discussion__group")
        .order_by("created_at", "pk")
    )
    visible = set(
        Discussion.objects.visible_to(user)
        .filter(pk__in={r.discussion_id for r in rows})
        .values_list("pk", flat=True)
    )
    return [
        {
            "text": r.body,
            "group": r.discussion.group.name,
            # The discussion is the group's: named only while the person may see it.
            "discussion": r.discussion.title if r.discussion_id in visible else None,
            "written": iso(r.created_at),
            "edited": iso(r.edited_at) if r.edited_at else None,
            "hidden_by_moderator": r.hidden_at is not None,
        }
        for r in rows
    ]


def plan(user):
    discussions = Discussion.objects.filter(author=user).count()
    written = Reply.objects.filter(author=user).count()
    lines = []
    if discussions:
        lines.append(
            ngettext(
                "%(counter)s discussion you started stays in its group as by a former member; "
                "change its text first if it should go.",
                "%(counter)s discussions you started stay in their groups as by a former "
                "member; change their text first if it should go.",
                discussions,
            )
            % {"counter": discussions}
        )
    if written:
        lines.append(
            ngettext(
                "%(counter)s reply you wrote stays in its discussion as by a former member.",
                "%(counter)s replies you wrote stay in their discussions as by a former member.",
                written,
            )
            % {"counter": written}
        )
    return lines


def erase(user, erasure):
    DiscussionVisit.objects.filter(user=user).delete()
    # They lose their author (SET_NULL sends no signals): the author and organisation filters
    # of search must hear of it; a reply's words are in its discussion's document.
    ids = set(Discussion.objects.filter(author=user).values_list("pk", flat=True))
    ids |= set(Reply.objects.filter(author=user).values_list("discussion_id", flat=True))
    reindex(sorted(ids))


register(
    PrivacyPart(
        "discussions_started",
        _("Discussions you started"),
        97,
        export=started,
        held=lambda user: Discussion.objects.filter(author=user),
        plan=plan,
        erase=erase,
    )
)
register(
    PrivacyPart(
        "discussion_replies",
        _("Replies in discussions"),
        98,
        export=replies,
        held=lambda user: Reply.objects.filter(author=user),
    )
)
