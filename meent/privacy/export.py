"""Everything Meent holds about one person, as one JSON document plus their uploaded files.

``build(export)`` fills a ZIP section by section and saves the progress after each one, so the
progress page can show how far it is. Only the person's own data goes in: for something of
someone else (a post they commented on) only its title and link, and only while they may see it.
"""

from __future__ import annotations

import json
import logging
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.models import Comment, Post, Reaction
from chat.models import Message
from groups.models import Invitation, JoinRequest, Membership
from meent.notifications.models import Notification, email_preferences
from wiki.models import WikiAttachment, WikiPage, WikiRevision

JSON_NAME = "meent-data.json"

logger = logging.getLogger(__name__)


def absolute(url: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url if url else ""


def iso(value):
    return value.isoformat() if value else None


class Files:
    """The uploaded files to put under ``files/`` in the ZIP, by their name inside it."""

    def __init__(self):
        self.entries: list[tuple[str, object]] = []
        self._names: set[str] = set()

    def add(self, folder: str, field_file, name: str = "") -> str | None:
        if not field_file:
            return None
        base = posixpath.basename(name or field_file.name) or "file"
        path, n = f"files/{folder}/{base}", 1
        while path in self._names:
            n += 1
            stem, dot, ext = base.rpartition(".")
            path = f"files/{folder}/{stem or ext}-{n}{dot}{ext if stem else ''}"
        self._names.add(path)
        self.entries.append((path, field_file))
        return path


def _visible_post_ids(user, post_ids):
    return set(Post.objects.visible_to(user).filter(pk__in=post_ids).values_list("pk", flat=True))


def profile(user, files):
    emails = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "email_addresses": [
            {"email": a.email, "primary": a.primary, "verified": a.verified} for a in emails
        ],
        "organisation": user.organisation.name if user.organisation_id else None,
        "job_title": user.job_title,
        "about": user.about,
        "avatar": files.add("avatar", user.avatar),
        "avatar_description": user.avatar_alt,
        "joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "notification_email_preferences": email_preferences(user),
        "profile": absolute(user.get_absolute_url()),
    }


def memberships(user, files):
    rows = Membership.objects.filter(user=user).select_related("group").order_by("joined_at")
    return [
        {
            "group": m.group.name,
            "role": m.role,
            "since": iso(m.joined_at),
            "link": absolute(m.group.get_absolute_url()),
        }
        for m in rows
    ]


def join_requests(user, files):
    rows = JoinRequest.objects.filter(user=user).select_related("group")
    return [
        {
            "group": r.group.name,
            "message": r.message,
            "status": r.status,
            "asked": iso(r.created_at),
            "decided": iso(r.decided_at),
            "reason": r.reason,
        }
        for r in rows
    ]


def invitations(user, files):
    rows = Invitation.objects.filter(invited_by=user).select_related("group")
    return [
        {
            "group": i.group.name,
            "email": i.email,
            "message": i.message,
            "sent": iso(i.created_at),
            "state": i.state,
        }
        for i in rows
    ]


def blog_posts(user, files):
    rows = (
        Post.objects.filter(author=user)
        .select_related("group")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )
    return [
        {
            "title": p.title,
            "summary": p.summary,
            "body": p.body,
            "visibility": p.visibility,
            "group": p.group.name if p.group_id else None,
            "tags": [tag.name for tag in p.tags.all()],
            "created": iso(p.created_at),
            "published": iso(p.published_at),
            "cover": files.add(
                "blog-covers", p.cover, f"{p.slug}-{posixpath.basename(p.cover.name)}"
            )
            if p.cover
            else None,
            "cover_description": p.cover_alt,
            "link": absolute(p.get_absolute_url()),
        }
        for p in rows
    ]


def comments(user, files):
    rows = list(Comment.objects.filter(author=user).select_related("post"))
    visible = _visible_post_ids(user, {c.post_id for c in rows})
    return [
        {
            "post": c.post.title if c.post_id in visible else None,
            "link": absolute(c.get_absolute_url()) if c.post_id in visible else None,
            # A comment its author deleted was erased; one a moderator removed is still theirs.
            "text": c.body,
            "written": iso(c.created_at),
            "edited": iso(c.edited_at),
            "removed": iso(c.removed_at),
        }
        for c in rows
    ]


def reactions(user, files):
    rows = list(Reaction.objects.filter(user=user).select_related("post", "comment__post"))
    post_ids = {r.post_id or r.comment.post_id for r in rows}
    visible = _visible_post_ids(user, post_ids)
    result = []
    for r in rows:
        post = r.post or r.comment.post
        shown = post.pk in visible
        result.append(
            {
                "on": "post" if r.post_id else "comment",
                "post": post.title if shown else None,
                "link": absolute(post.get_absolute_url()) if shown else None,
                "date": iso(r.created_at),
            }
        )
    return result


def wiki_revisions(user, files):
    rows = list(
        WikiRevision.objects.filter(author=user)
        .select_related("page__group")
        .order_by("created_at", "pk")
    )
    visible = set(
        WikiPage.objects.visible_to(user)
        .filter(pk__in={r.page_id for r in rows})
        .values_list("pk", flat=True)
    )
    return [
        {
            "page": r.title,
            "group": r.page.group.name,
            "number": r.number,
            "summary": r.summary,
            "date": iso(r.created_at),
            "text": r.body,
            "link": absolute(r.page.get_absolute_url()) if r.page_id in visible else None,
        }
        for r in rows
    ]


def wiki_attachments(user, files):
    rows = WikiAttachment.objects.filter(uploaded_by=user).select_related("group")
    return [
        {
            "name": a.name,
            "group": a.group.name,
            "content_type": a.content_type,
            "size": a.size,
            "uploaded": iso(a.created_at),
            "file": files.add(f"wiki/{a.key.hex}", a.file, a.name),
        }
        for a in rows
    ]


def chat_messages(user, files):
    rows = Message.objects.filter(author=user).select_related("room__group").order_by("pk")
    result = []
    for m in rows.iterator(chunk_size=2000):
        gone = m.deleted_at is not None or m.hidden_at is not None
        result.append(
            {
                "room": m.room.group.name if m.room.group_id else str(_("direct conversation")),
                "date": iso(m.created_at),
                "edited": iso(m.edited_at),
                # Deleted or hidden messages are not shown anywhere any more: not here either.
                "text": None if gone else m.body,
                "deleted": iso(m.deleted_at),
                "hidden_by_moderator": iso(m.hidden_at),
            }
        )
    return result


def notifications(user, files):
    from meent.notifications.emails import root_url

    rows = Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    return [
        {
            "kind": n.kind,
            # As the person reads it (the export is built in their language), and what is
            # stored: the message and its parameters.
            "text": n.display_text,
            "message": n.message or None,
            "parameters": n.params or None,
            # On the host of the community it belongs to.
            "link": root_url(n.site_id) + n.url if n.url.startswith("/") else n.url,
            "date": iso(n.created_at),
            "read": iso(n.read_at),
        }
        for n in rows
    ]


def reports(user, files):
    from moderation.models import Flag

    rows = Flag.objects.filter(reporter=user).select_related("report")
    return [
        {
            "item": f.report.title,
            "reason": f.reason,
            "text": f.text,
            "status": f.report.status,
            "date": iso(f.created_at),
        }
        for f in rows
    ]


@dataclass(frozen=True)
class Section:
    key: str
    label: object
    collect: Callable


SECTIONS = (
    Section("profile", _("Your profile"), profile),
    Section("memberships", _("Group memberships"), memberships),
    Section("join_requests", _("Requests to join groups"), join_requests),
    Section("invitations_sent", _("Invitations you sent"), invitations),
    Section("blog_posts", _("Blog posts"), blog_posts),
    Section("comments", _("Comments"), comments),
    Section("reactions", _("Likes"), reactions),
    Section("wiki_revisions", _("Wiki changes"), wiki_revisions),
    Section("wiki_attachments", _("Wiki files"), wiki_attachments),
    Section("chat_messages", _("Chat messages"), chat_messages),
    Section("notifications", _("Notifications"), notifications),
    Section("reports", _("Reports you made"), reports),
)
STEP_LABELS = {section.key: section.label for section in SECTIONS}
STEP_LABELS["files"] = _("Uploaded files")
# The files take the last stretch of the bar.
SECTIONS_SHARE = 80


def collect(user, on_section=None) -> tuple[dict, Files]:
    """The JSON document and the files to add; ``on_section(index, section)`` before each."""
    files = Files()
    data = {
        "meent_data_export": {
            "person": user.pk,
            "made": iso(timezone.now()),
            "site": settings.WAGTAILADMIN_BASE_URL,
        }
    }
    for index, section in enumerate(SECTIONS):
        if on_section is not None:
            on_section(index, section)
        data[section.key] = section.collect(user, files)
    return data, files


def write_zip(handle, data: dict, files: Files, on_file=None):
    """Write the ZIP into ``handle`` (an open binary file) and rewind it."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
        archive.writestr(JSON_NAME, text)
        for index, (path, field_file) in enumerate(files.entries):
            if on_file is not None:
                on_file(index, len(files.entries))
            try:
                source = field_file.open("rb")
            except FileNotFoundError:
                # A file lost from storage must not stop every later export: leave it out.
                logger.warning("Data export: %s is missing from storage", field_file.name)
                continue
            with source, archive.open(path, "w") as target:
                while chunk := source.read(1024 * 1024):
                    target.write(chunk)
    handle.seek(0)


def save_zip(export, handle):
    name = f"meent-data-{timezone.localdate().isoformat()}.zip"
    export.file.save(name, File(handle, name=name), save=False)
