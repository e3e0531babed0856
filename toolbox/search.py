"""Toolbox pages in search (see search/registry.py): one type for every page of the toolbox.

Who may find a page is the access policy for pages (home/policies.py): live and not
restricted means public. Publishing, unpublishing, moving and deleting a page save or delete it,
which queues it; a view restriction added or removed re-queues the pages below it.

Pages come in a Dutch and an English tree (Wagtail locales). A page with a live translation in
every other language is found in its own language only; a page without one is found in every
language, so that readers of another language still find what has not been translated yet. A
translation published, unpublished or deleted re-queues the page's other translations.
"""

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_slug_changed, post_page_move

from search.indexing import queue_ids
from search.registry import SearchDocument, register
from toolbox.decisions.models import DecisionAidPage
from toolbox.publiccode.models import PublicCodeToolPage

from .models import ToolboxArticlePage, ToolboxIndexPage, ToolboxSectionPage

TOOLBOX_PAGE_TYPES = (
    ToolboxIndexPage,
    ToolboxSectionPage,
    ToolboxArticlePage,
    DecisionAidPage,
    PublicCodeToolPage,
)


def _stream_text(stream_value) -> str:
    """The words of a StreamField, as Wagtail's own search collects them from the blocks."""
    if not stream_value:
        return ""
    return " ".join(stream_value.stream_block.get_searchable_content(stream_value))


@register
class ToolboxPageDocument(SearchDocument):
    model = ToolboxArticlePage
    models = TOOLBOX_PAGE_TYPES
    type_name = "toolbox"
    type_label = _("Toolbox")

    def get_queryset(self):
        return Page.objects.type(*TOOLBOX_PAGE_TYPES).specific()

    def should_index(self, page):
        return bool(self.prepare_access(page))

    def prepare_title(self, page):
        return page.title

    def prepare_body(self, page):
        parts = [getattr(page, "summary", ""), getattr(page, "introduction", "")]
        for field_name in ("body", "steps"):
            parts.append(_stream_text(getattr(page, field_name, None)))
        return " ".join(part for part in parts if part)

    def prepare_url(self, page):
        # The path on its community's host (results are shown on that host only): the Site's
        # full URL need not be the address people use (make demo serves on its own port).
        parts = page.get_url_parts()
        return parts[2] if parts else page.url_path

    def prepare_author_id(self, page):
        return getattr(page, "content_owner_id", None)

    def prepare_site_id(self, page):
        site = page.get_site()  # from Wagtail's cached site root paths
        return site.pk if site else None

    def prepare_date(self, page):
        return page.last_published_at or page.first_published_at

    def prepare_language(self, page):
        # One query: the languages of the page and of its live translations.
        rows = dict(
            Page.objects.filter(translation_key=page.translation_key)
            .filter(Q(live=True) | Q(pk=page.pk))
            .values_list("pk", "locale__language_code")
        )
        every = {code for code, _name in settings.LANGUAGES}
        if page.pk not in rows or not every <= set(rows.values()):
            return None  # not translated into every language: found in every language
        return rows[page.pk]


def _queue_translations(sender, instance, raw=False, **kwargs):
    """A page saved (published, unpublished) or deleted: whether its translations are found in
    one language or in every one may have changed."""
    if raw or not instance.translation_key:
        return
    others = Page.objects.filter(translation_key=instance.translation_key).exclude(pk=instance.pk)
    ids = list(others.type(*TOOLBOX_PAGE_TYPES).values_list("pk", flat=True))
    if ids:
        queue_ids(ToolboxPageDocument.type_name, ids)


def _queue_toolbox_pages_under(page):
    ids = Page.objects.descendant_of(page, inclusive=True).type(*TOOLBOX_PAGE_TYPES)
    queue_ids(ToolboxPageDocument.type_name, list(ids.values_list("pk", flat=True)))


def _page_moved(sender, instance, **kwargs):
    # The addresses of the pages below it changed too (Wagtail updates them without saving).
    _queue_toolbox_pages_under(instance)


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue_toolbox_pages_under(instance.page)


post_page_move.connect(_page_moved, dispatch_uid="search:toolbox:moved")
page_slug_changed.connect(_page_moved, dispatch_uid="search:toolbox:slug")
for _model in TOOLBOX_PAGE_TYPES:
    post_save.connect(_queue_translations, sender=_model, dispatch_uid=f"search:toolbox:t:{_model}")
    post_delete.connect(
        _queue_translations, sender=_model, dispatch_uid=f"search:toolbox:t-:{_model}"
    )
post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search:toolbox:r")
post_delete.connect(
    _restriction_changed, sender=PageViewRestriction, dispatch_uid="search:toolbox:r-"
)
