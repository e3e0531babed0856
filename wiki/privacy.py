"""A person's wiki changes and uploaded files (privacy/registry.py). Both stay with the group
when the person deletes their account, as by a former member."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, absolute, iso, register
from search.indexing import queue_ids

from .models import WikiAttachment, WikiPage, WikiRevision


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


def plan_revisions(user):
    kept = WikiRevision.objects.filter(author=user).count()
    return [
        ngettext(
            "%(counter)s wiki change of yours stays where you made it, as by a former member.",
            "%(counter)s wiki changes of yours stay where you made them, as by a former member.",
            kept,
        )
        % {"counter": kept}
    ]


def erase_revisions(user, erasure):
    # The pages they made or changed last lose that name: the search index must hear of it
    # (SET_NULL sends no signals).
    pages = WikiPage.objects.filter(Q(created_by=user) | Q(updated_by=user))
    queue_ids("wiki_page", list(pages.values_list("pk", flat=True)))


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


register(
    PrivacyPart(
        "wiki_revisions",
        _("Wiki changes"),
        80,
        export=wiki_revisions,
        held=lambda user: WikiRevision.objects.filter(author=user),
        plan=plan_revisions,
        erase=erase_revisions,
    )
)
register(
    PrivacyPart(
        "wiki_attachments",
        _("Wiki files"),
        90,
        export=wiki_attachments,
        held=lambda user: WikiAttachment.objects.filter(uploaded_by=user),
    )
)
