"""Everything that changes a wiki, with its rules, in one place.

Each function runs in a transaction and locks the page it changes, so two saves of the same page
cannot both win: the second is refused with ``WikiConflict`` and the person keeps their text.
Views turn ``WikiError`` into a message and a 4xx status.
"""

from __future__ import annotations

import os
import re
import unicodedata

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from activity import services as stream
from groups.models import Group
from meent import access, audit
from meent.mentions import people_in_html
from meent.mentions import services as mentions
from meent.refusals import Refused
from meent.sanitize import clean_html, clean_text
from search import indexing as search_indexing

from . import policies
from .models import WikiAttachment, WikiPage, WikiRevision, WikiWatch
from .rendering import title_key

RESERVED_SLUGS = frozenset({"-"})


class WikiError(Refused):
    """A refused change to a wiki (meent/refusals.py)."""


class WikiConflict(WikiError):
    """A save based on an older revision than the page's current one."""

    def __init__(self, page, base_revision):
        super().__init__(
            _(
                "Someone else saved this page while you were editing it. Your text is kept below: "
                "look at what changed, merge it into your text and save again."
            ),
            status=409,
        )
        self.page = page
        self.base_revision = base_revision


def _lock(page) -> WikiPage:
    return WikiPage.objects.select_for_update().select_related("group").get(pk=page.pk)


def _ensure_can_edit(user, page):
    if page.group.is_archived:
        raise WikiError(_("This group is archived: its wiki can no longer change."), 409)
    if not access.can_edit(user, page):
        raise WikiError(_("You may not edit this page."), 403)


def _ensure_can_create(user, group):
    if group.is_archived:
        raise WikiError(_("This group is archived: its wiki can no longer change."), 409)
    if not access.is_active_person(user) or not policies.may_create_pages(user, group):
        raise WikiError(_("Only members of the group can write in its wiki."), 403)


def make_slug(title: str) -> str:
    return slugify(title)[:100].strip("-") or "page"


def _clean_title(title: str) -> str:
    title = clean_text(title or "")
    title = re.sub(r"\s+", " ", title).strip()
    if not title:
        raise WikiError(_("Give the page a title."), field="title")
    if len(title) > 200:
        raise WikiError(_("A title has at most 200 characters."), field="title")
    if "[[" in title or "]]" in title or "|" in title:
        raise WikiError(
            _("A title cannot contain [[, ]] or |: they are used for links between pages."),
            field="title",
        )
    return title


def _clean_body(body: str) -> str:
    limit = settings.MEENT_WIKI_MAX_BODY
    if len(body or "") > limit:
        raise WikiError(
            _("The text is too long: at most %(limit)s characters of HTML.") % {"limit": limit},
            413,
            field="body",
        )
    return clean_html(body or "")


def _clamped_visibility(group, visibility):
    # A closed group's pages are for its members, whatever the form said.
    if group.is_closed or visibility not in WikiPage.Visibility.values:
        return WikiPage.Visibility.GROUP
    return visibility


def _check_title_free(group, title, exclude_pk=None):
    clash = WikiPage.objects.filter(group=group, title_key=title_key(title))
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise WikiError(
            _("This wiki already has a page called “%(title)s”. Choose another title.")
            % {"title": title},
            field="title",
        )


def _check_slug_free(group, parent, slug, exclude_pk=None):
    if slug in RESERVED_SLUGS:
        raise WikiError(_("This web address is reserved. Choose another."), field="slug")
    clash = WikiPage.objects.filter(group=group, parent=parent, slug=slug)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise WikiError(
            _(
                "Another page at this place in the wiki already has the web address “%(slug)s”. "
                "Choose another."
            )
            % {"slug": slug},
            field="slug",
        )


def _add_revision(page, author, summary, *, restored_from=None) -> WikiRevision:
    """Save the page as its next revision (the page row keeps the current text)."""
    now = timezone.now()
    page.revision_number += 1
    page.updated_by = author
    page.updated_at = now
    page.save()
    return WikiRevision.objects.create(
        page=page,
        number=page.revision_number,
        title=page.title,
        body=page.body,
        summary=clean_text(summary or "")[:300],
        author=author,
        created_at=now,
        restored_from=restored_from,
    )


def _after_change(page, author, revision, *, created=False):
    page.group.touch(revision.created_at)
    stream.record(
        "wiki.created" if created else "wiki.edited", page, author, at=revision.created_at
    )
    if created:
        transaction.on_commit(lambda: stream.announce("wiki.created", page))
    # Who the text names is decided now and stored; only the newly named are told.
    fresh = mentions.record(page, people_in_html(page.body, exclude=author))
    transaction.on_commit(lambda: notify_watchers(page.pk, revision.pk))
    if fresh:
        transaction.on_commit(lambda: notify_mentions(page.pk, revision.pk))


def create_page(
    author,
    group,
    *,
    title,
    body="",
    parent=None,
    slug="",
    visibility=WikiPage.Visibility.GROUP,
    edit_policy=WikiPage.EditPolicy.MEMBERS,
    summary="",
) -> WikiPage:
    _ensure_can_create(author, group)
    title = _clean_title(title)
    body = _clean_body(body)
    slug = slugify(slug)[:100].strip("-") if slug else make_slug(title)
    if not slug:
        raise WikiError(_("Use letters, digits and hyphens for the web address."), field="slug")
    if parent is not None and parent.group_id != group.pk:
        raise WikiError(_("The page above must be in the same wiki."), field="parent")
    try:
        with transaction.atomic():
            # Locking the group serialises page creation per wiki, so positions and the title
            # and slug checks cannot race.
            group = Group.objects.select_for_update().get(pk=group.pk)
            _check_title_free(group, title)
            _check_slug_free(group, parent, slug)
            last = WikiPage.objects.filter(group=group, parent=parent).aggregate(Max("position"))
            page = WikiPage(
                group=group,
                parent=parent,
                title=title,
                slug=slug,
                path=f"{parent.path}/{slug}" if parent else slug,
                position=(last["position__max"] or 0) + 1,
                body=body,
                visibility=_clamped_visibility(group, visibility),
                edit_policy=edit_policy,
                created_by=author,
                updated_by=author,
            )
            revision = _add_revision(page, author, summary or _("Created the page"))
            WikiWatch.objects.get_or_create(page=page, user=author)
            _after_change(page, author, revision, created=True)
    except IntegrityError as error:  # a race that the checks above did not see
        raise WikiError(_("This title or web address was just taken. Choose another.")) from error
    return page


def save_page(
    editor,
    page,
    *,
    base_revision: int,
    title,
    body,
    summary="",
    visibility=None,
    edit_policy=None,
) -> WikiRevision | None:
    """Save a new revision, or refuse with ``WikiConflict`` when the page moved on meanwhile.

    Returns None when nothing changed (no empty revision is written).
    """
    title = _clean_title(title)
    body = _clean_body(body)
    with transaction.atomic():
        page = _lock(page)
        _ensure_can_edit(editor, page)
        if base_revision != page.revision_number:
            raise WikiConflict(page, base_revision)
        managing = policies.can_manage(editor, page.group)
        settings_changed = False
        if visibility:
            new_visibility = _clamped_visibility(page.group, visibility)
            settings_changed |= new_visibility != page.visibility
            page.visibility = new_visibility
        if managing and edit_policy in WikiPage.EditPolicy.values:
            settings_changed |= edit_policy != page.edit_policy
            page.edit_policy = edit_policy
        if title == page.title and body == page.body:
            if settings_changed:
                page.save(update_fields=["visibility", "edit_policy"])
            return None
        if title_key(title) != page.title_key:
            _check_title_free(page.group, title, exclude_pk=page.pk)
        page.title = title
        page.body = body
        revision = _add_revision(page, editor, summary)
        _after_change(page, editor, revision)
    return revision


def restore_revision(editor, page, number: int) -> WikiRevision:
    """Make an old revision the current text again, as a new revision: history is kept."""
    with transaction.atomic():
        page = _lock(page)
        _ensure_can_edit(editor, page)
        old = WikiRevision.objects.filter(page=page, number=number).first()
        if old is None:
            raise WikiError(_("This revision does not exist."), 404)
        if old.number == page.revision_number:
            raise WikiError(_("This revision is already the current text."), 409)
        if title_key(old.title) != page.title_key:
            _check_title_free(page.group, old.title, exclude_pk=page.pk)
        page.title = old.title
        page.body = old.body
        revision = _add_revision(
            page,
            editor,
            _("Restored revision %(number)s") % {"number": old.number},
            restored_from=old.number,
        )
        _after_change(page, editor, revision)
    return revision


def _reposition(group, parent, moving, index):
    """Put ``moving`` at ``index`` among its siblings and number them 1, 2, 3..."""
    siblings = [
        sibling
        for sibling in WikiPage.objects.filter(group=group, parent=parent).only(
            "pk", "position", "title"
        )
        if sibling.pk != moving.pk
    ]
    index = max(0, min(index, len(siblings)))
    siblings.insert(index, moving)
    changed = []
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            changed.append(sibling)
    WikiPage.objects.bulk_update([s for s in changed if s.pk != moving.pk], ["position"])
    moving.position = siblings.index(moving) + 1


def move_page(editor, page, *, parent, index: int, slug: str | None = None) -> WikiPage:
    """Move a page (with its subpages) under ``parent`` (None: the top) at ``index``."""
    with transaction.atomic():
        page = _lock(page)
        _ensure_can_edit(editor, page)
        group = Group.objects.select_for_update().get(pk=page.group_id)
        if parent is not None:
            if parent.group_id != page.group_id:
                raise WikiError(_("A page can only move within its own wiki."), field="parent")
            if parent.pk == page.pk or parent.path.startswith(page.path + "/"):
                raise WikiError(
                    _("A page cannot move under itself or under one of its own subpages."),
                    field="parent",
                )
        new_slug = slugify(slug)[:100].strip("-") if slug else page.slug
        if not new_slug:
            raise WikiError(_("Use letters, digits and hyphens for the web address."), field="slug")
        if parent != page.parent or new_slug != page.slug:
            _check_slug_free(group, parent, new_slug, exclude_pk=page.pk)
        old_path = page.path
        new_path = f"{parent.path}/{new_slug}" if parent else new_slug
        old_parent = page.parent
        page.parent = parent
        page.slug = new_slug
        page.path = new_path
        _reposition(group, parent, page, index)
        page.save(update_fields=["parent", "slug", "path", "position"])
        if old_path != new_path:
            subtree = list(
                WikiPage.objects.filter(group=group, path__startswith=old_path + "/").only(
                    "pk", "path"
                )
            )
            for descendant in subtree:
                descendant.path = new_path + descendant.path[len(old_path) :]
            WikiPage.objects.bulk_update(subtree, ["path"])
            # bulk_update sends no signals: the moved pages' addresses change in search.
            search_indexing.queue_ids("wiki_page", [descendant.pk for descendant in subtree])
        if old_parent != parent:
            _renumber(group, old_parent)
    return page


def _renumber(group, parent):
    siblings = list(WikiPage.objects.filter(group=group, parent=parent).only("pk", "position"))
    changed = []
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            changed.append(sibling)
    WikiPage.objects.bulk_update(changed, ["position"])


def shift_page(editor, page, step: int) -> WikiPage:
    """Move a page one place up (-1) or down (+1) among its siblings."""
    _ensure_can_edit(editor, page)
    siblings = list(
        WikiPage.objects.filter(group_id=page.group_id, parent_id=page.parent_id).values_list(
            "pk", flat=True
        )
    )
    index = siblings.index(page.pk) + step
    if index < 0 or index >= len(siblings):
        raise WikiError(_("The page cannot move further."), 409)
    return move_page(editor, page, parent=page.parent, index=index)


def set_watching(user, page, watching: bool) -> None:
    if not access.is_active_person(user) or not access.can_view(user, page):
        raise WikiError(_("You cannot follow this page."), 403)
    if watching:
        WikiWatch.objects.get_or_create(page=page, user=user)
    else:
        WikiWatch.objects.filter(page=page, user=user).delete()


def notify_watchers(page_id: int, revision_id: int) -> int:
    """Tell the people who watch a page that it changed (not the one who changed it)."""
    from notifications import notify
    from notifications.models import Kind

    page = WikiPage.objects.select_related("group").get(pk=page_id)
    revision = (
        WikiRevision.objects.select_related("author")
        .only("number", "author__first_name", "author__last_name", "author__email", "summary")
        .get(pk=revision_id)
    )
    author = revision.author
    sent = 0
    watches = WikiWatch.objects.filter(page=page).exclude(user=author).select_related("user")
    # A message key and plain values, read in each watcher's language ("Someone" without an
    # author: the account was deleted).
    names = {
        "person": author.display_name if author else "",
        "title": page.title,
        "group": page.group.name,
    }
    url = page.get_absolute_url()
    for watch in watches:
        if notify(
            watch.user, Kind.WIKI, "wiki.page_changed", url, params=names, about=page, actor=author
        ):
            sent += 1
    return sent


def notify_mentions(page_id: int, revision_id: int) -> int:
    """Tell the people the page mentions who were not told yet, if they may read it."""
    from notifications import notify
    from notifications.models import Kind

    page = WikiPage.objects.select_related("group").filter(pk=page_id).first()
    revision = WikiRevision.objects.select_related("author").filter(pk=revision_id).first()
    if page is None or revision is None or revision.author is None:
        return 0
    author = revision.author
    names = {"person": author.display_name, "title": page.title, "group": page.group.name}
    url = page.get_absolute_url()
    return mentions.tell_pending(
        page,
        lambda person: notify(
            person,
            Kind.MENTION,
            "wiki.page_mention",
            url,
            params=names,
            about=page,
            actor=author,
        ),
    )


def _download_name(name: str, extension: str) -> str:
    base, _dot, _ext = os.path.basename(name or "").rpartition(".")
    base = base or _ext or "file"
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-")[:80] or "file"
    return f"{base}.{extension}"


def add_attachment(user, group, upload) -> WikiAttachment:
    """Store an uploaded image or document for the group's wiki, checked by its content (and by
    the virus scanner, meent/virusscan.py, when the operator runs one)."""
    from django.core.exceptions import ValidationError

    from meent.uploads import validate_upload

    _ensure_can_create(user, group)
    try:
        kind = validate_upload(
            upload,
            settings.MEENT_WIKI_ATTACHMENT_MAX_BYTES,
            what=f"wiki attachment in group {group.slug}",
            user=user,
        )
    except ValidationError as error:
        status = 503 if error.code == "scanner_unavailable" else 400
        raise WikiError(" ".join(error.messages), status, field="file") from error
    attachment = WikiAttachment(
        group=group,
        name=_download_name(upload.name, kind.extension),
        content_type=kind.content_type,
        size=upload.size,
        is_image=kind.is_image,
        uploaded_by=user,
        created_at=timezone.now(),
    )
    attachment.file.save(attachment.name, upload, save=False)
    attachment.save()
    return attachment


def delete_page(user, page) -> None:
    """Delete a page with its history. Group owners/admins (and moderators) only, and only a
    page without subpages: those are moved or deleted first, so nothing disappears unseen."""
    with transaction.atomic():
        page = _lock(page)
        if page.group.is_archived:
            raise WikiError(_("This group is archived: its wiki can no longer change."), 409)
        if not access.can_moderate(user, page):
            raise WikiError(_("Only the group's owners and admins can delete pages."), 403)
        if WikiPage.objects.filter(parent=page).exists():
            raise WikiError(
                _("This page has subpages. Move or delete them first, then delete this page."),
                409,
            )
        parent, group = page.parent, page.group
        if access.is_moderator(user) and not access.can_edit(user, page):
            # A moderator from outside the group: the audit log keeps what they did.
            audit.record(page, "meent.wiki_page.delete", user, group=str(group))
        page.delete()
        _renumber(group, parent)
