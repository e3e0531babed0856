"""The open-source toolbox: an index, a section per phase, articles built from blocks.

Progress on checklists is kept per person (``ChecklistTick``). Listings compute it in a constant
number of queries: each article stores the ids of its current checklist items
(``checklist_item_ids``, derived from the body on every save), so a listing needs the articles
(without their bodies) and the person's ticks under the listed pages, one query each.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from toolbox import blocks as toolbox_blocks


class Phase(models.TextChoices):
    DECIDING = "deciding", _("Deciding")
    PREPARING = "preparing", _("Preparing")
    PUBLISHING = "publishing", _("Publishing")
    MAINTAINING = "maintaining", _("Maintaining")
    COLLABORATING = "collaborating", _("Collaborating")


PHASE_ORDER = {value: position for position, value in enumerate(Phase.values)}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus a number of months, on the last day of the month when that day is missing."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass(frozen=True)
class Progress:
    """How many of an article's (or a section's) checklist items a person ticked off."""

    done: int
    total: int

    def __add__(self, other):
        return Progress(self.done + other.done, self.total + other.total)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return bool(self.total) and self.done >= self.total

    @property
    def label(self) -> str:
        return ngettext("%(done)d of %(total)d done", "%(done)d of %(total)d done", self.total) % {
            "done": self.done,
            "total": self.total,
        }

    def __str__(self):
        return self.label


NO_PROGRESS = Progress(0, 0)


def progress_by_article(user, articles, under=None) -> dict[int, Progress]:
    """Progress per article id for ``user``: one query for the ticks, none per article.

    ``articles`` need ``checklist_item_ids`` (not their bodies). ``under``, a page, limits the
    ticks fetched to those below it (instead of a long list of page ids).
    """
    from meent import access

    articles = list(articles)
    ticked: dict[int, set[str]] = {}
    if access.is_active_person(user) and any(a.checklist_item_ids for a in articles):
        ticks = ChecklistTick.objects.filter(user=user)
        if under is not None:
            ticks = ticks.filter(page__path__startswith=under.path)
        else:
            ticks = ticks.filter(page__in=[a.pk for a in articles])
        for page_id, item_id in ticks.values_list("page_id", "item_id"):
            ticked.setdefault(page_id, set()).add(item_id)
    return {
        article.pk: Progress(
            len(ticked.get(article.pk, set()).intersection(article.checklist_item_ids)),
            len(article.checklist_item_ids),
        )
        for article in articles
    }


class PhaseListField(models.JSONField):
    """A list of phases, edited with checkboxes, stored as JSON (the same on every database)."""

    def formfield(self, **kwargs):
        widget = kwargs.get("widget") or forms.CheckboxSelectMultiple
        return forms.MultipleChoiceField(
            choices=Phase.choices,
            required=not self.blank,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            widget=widget,
        )


class ToolboxTopic(index.Indexed, models.Model):
    """A subject articles are tagged with, such as "licences" or "security"."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("toolbox topic")
        verbose_name_plural = _("toolbox topics")

    def __str__(self):
        return self.name


class ToolboxArticleQuerySet(PageQuerySet):
    def review_overdue(self, today=None):
        """Articles whose review date has passed, and those that were never reviewed."""
        today = today or timezone.localdate()
        return self.filter(models.Q(review_due_on__lt=today) | models.Q(review_due_on__isnull=True))

    def for_listing(self):
        """What listings need: no bodies, the topics in one extra query."""
        return self.live().public().defer("body").prefetch_related("topics").order_by("path")


ToolboxArticleManager = PageManager.from_queryset(ToolboxArticleQuerySet)


def tools_under(parent, depth=1):
    """The live, public decision aids and publiccode.yml tools up to ``depth`` levels under
    ``parent``, in tree order, with their own fields (introduction): one query, and one per kind
    of tool, however many there are."""
    from .decisions.models import DecisionAidPage
    from .publiccode.models import PublicCodeToolPage

    return list(
        Page.objects.descendant_of(parent)
        .filter(depth__lte=parent.depth + depth)
        .type(DecisionAidPage, PublicCodeToolPage)
        .live()
        .public()
        .specific()
        .order_by("path")
    )


class ToolboxIndexPage(RoutablePageMixin, Page):
    """/toolbox/: the sections in phase order, with their articles and a person's progress."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=1000)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "toolbox.ToolboxSectionPage",
        "toolbox_decisions.DecisionAidPage",
        "toolbox_publiccode.PublicCodeToolPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("toolbox")

    def sections(self):
        sections = list(ToolboxSectionPage.objects.child_of(self).live().public())
        return sorted(sections, key=lambda s: (PHASE_ORDER.get(s.phase, 99), s.path))

    def articles(self):
        return ToolboxArticlePage.objects.descendant_of(self).for_listing()

    def tools(self):
        """The decision aids and publiccode.yml tools, in the toolbox itself or in a section."""
        return tools_under(self, depth=2)

    def topic_url(self, topic, request=None):
        return self.get_url(request) + self.reverse_subpage("topic", args=[topic.slug])

    @path("")
    def index_view(self, request):
        sections = self.sections()
        articles = list(self.articles())
        progress = progress_by_article(request.user, articles, under=self)
        by_parent = {}
        for article in articles:
            article.progress = progress[article.pk]
            by_parent.setdefault(article.path[: -Page.steplen], []).append(article)
        tools_by_parent = {}
        for tool in self.tools():
            tools_by_parent.setdefault(tool.path[: -Page.steplen], []).append(tool)
        for section in sections:
            section.articles = by_parent.get(section.path, [])
            section.tools = tools_by_parent.get(section.path, [])
            section.progress = sum((a.progress for a in section.articles), NO_PROGRESS)
        return self.render(
            request,
            context_overrides={
                "sections": sections,
                "tools": tools_by_parent.get(self.path, []),
                "topics": ToolboxTopic.objects.filter(
                    articles__path__startswith=self.path, articles__live=True
                ).distinct(),
                "show_progress": _is_person(request.user),
            },
        )

    @path("topics/<slug:slug>/", name="topic")
    def topic_view(self, request, slug):
        topic = get_object_or_404(ToolboxTopic, slug=slug)
        articles = list(self.articles().filter(topics=topic))
        progress = progress_by_article(request.user, articles, under=self)
        sections = {s.path: s for s in ToolboxSectionPage.objects.child_of(self).live()}
        for article in articles:
            article.progress = progress[article.pk]
            article.section = sections.get(article.path[: -Page.steplen])
        return self.render(
            request,
            template="toolbox/topic_page.html",
            context_overrides={
                "topic": topic,
                "articles": articles,
                "show_progress": _is_person(request.user),
            },
        )


class ToolboxSectionPage(Page):
    """One phase of publishing software as open source, with its articles and tools."""

    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    introduction = models.TextField(_("introduction"), blank=True, max_length=1000)

    content_panels = [*Page.content_panels, FieldPanel("phase"), FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["toolbox.ToolboxIndexPage"]
    subpage_types = [
        "toolbox.ToolboxArticlePage",
        "toolbox_decisions.DecisionAidPage",
        "toolbox_publiccode.PublicCodeToolPage",
    ]

    class Meta:
        verbose_name = _("toolbox section")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = list(ToolboxArticlePage.objects.child_of(self).for_listing())
        progress = progress_by_article(request.user, articles, under=self)
        for article in articles:
            article.progress = progress[article.pk]
        context["articles"] = articles
        context["tools"] = tools_under(self)
        context["section_progress"] = sum(progress.values(), NO_PROGRESS)
        context["show_progress"] = _is_person(request.user)
        context["index_page"] = self.get_parent()
        return context


class ToolboxArticlePage(RoutablePageMixin, Page):
    """An article of the toolbox: blocks, topics and phases, an owner and a review date."""

    summary = models.TextField(_("summary"), blank=True, max_length=500)
    body = StreamField(toolbox_blocks.ArticleBodyBlock(), blank=True, verbose_name=_("body"))
    topics = ParentalManyToManyField(
        ToolboxTopic, blank=True, related_name="articles", verbose_name=_("topics")
    )
    phases = PhaseListField(
        _("other phases"),
        default=list,
        blank=True,
        help_text=_("Phases this article also helps with, besides the phase of its section."),
    )
    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("content owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="toolbox_articles_owned",
        help_text=_("The person who keeps this article correct."),
    )
    owner_team = models.CharField(_("owner team"), max_length=200, blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("review every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # Derived on save: the next review date, and the ids of the current checklist items.
    review_due_on = models.DateField(_("review due"), null=True, editable=False, db_index=True)
    checklist_item_ids = models.JSONField(default=list, editable=False)

    objects = ToolboxArticleManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("topics", widget=forms.CheckboxSelectMultiple), FieldPanel("phases")],
            heading=_("Topics and phases"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("content_owner"),
                FieldPanel("owner_team"),
                FieldPanel("last_reviewed"),
                FieldPanel("review_interval_months"),
            ],
            heading=_("Ownership and review"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("owner_team"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("review_due_on"),
    ]

    parent_page_types = ["toolbox.ToolboxSectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("toolbox article")

    def save(self, *args, **kwargs):
        self.review_due_on = (
            add_months(self.last_reviewed, self.review_interval_months or 12)
            if self.last_reviewed
            else None
        )
        self.checklist_item_ids = toolbox_blocks.checklist_item_ids(self.body)
        return super().save(*args, **kwargs)

    @property
    def review_due(self) -> datetime.date | None:
        if not self.last_reviewed:
            return None
        return add_months(self.last_reviewed, self.review_interval_months or 12)

    def is_review_overdue(self, today=None) -> bool:
        due = self.review_due
        return due is None or due < (today or timezone.localdate())

    def all_phases(self, section=None) -> list[str]:
        """The phase of its section first, then the others, each once, in phase order."""
        section = section or self.get_parent().specific
        phases = {getattr(section, "phase", None), *self.phases}
        return sorted((p for p in phases if p in PHASE_ORDER), key=PHASE_ORDER.get)

    def checklist_url(self, request=None):
        return self.get_url(request) + self.reverse_subpage("checklist")

    def ticked_ids(self, user) -> set[str]:
        if not _is_person(user):
            return set()
        return set(
            ChecklistTick.objects.filter(user=user, page=self).values_list("item_id", flat=True)
        ).intersection(self.checklist_item_ids)

    def progress_for(self, user, ticked=None) -> Progress:
        ticked = self.ticked_ids(user) if ticked is None else ticked
        return Progress(len(ticked), len(self.checklist_item_ids))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        ancestors = list(self.get_ancestors().filter(depth__gt=2).specific())
        section = ancestors[-1] if ancestors else None
        ticked = self.ticked_ids(request.user)
        toc = toolbox_blocks.headings(self.body)
        context.update(
            {
                "breadcrumbs": ancestors,
                "section": section,
                "index_page": ancestors[0] if ancestors else None,
                "phases": [Phase(p).label for p in self.all_phases(section)],
                "topics": list(self.topics.all()),
                "toc": toc,
                "ticked_ids": ticked,
                "progress": self.progress_for(request.user, ticked),
                "show_progress": _is_person(request.user),
                "checklist_url": self.checklist_url(request),
                "login_url": reverse("account_login")
                + "?"
                + urlencode({"next": self.get_url(request)}),
                toolbox_blocks.ANCHORS_CONTEXT: {h["id"]: h["anchor"] for h in toc},
                toolbox_blocks.EMBEDS_CONTEXT: toolbox_blocks.prefetch_embeds(
                    toolbox_blocks.embed_urls(self.body)
                ),
            }
        )
        return context

    @path("")
    def article_view(self, request):
        return self.render(request)

    @path("checklist/", name="checklist")
    def checklist_view(self, request):
        """Save ticks: ``item`` lists the items the form shows, ``done`` the ticked ones."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        wants_json = "application/json" in request.headers.get("Accept", "")
        if not request.user.is_authenticated:
            login = reverse("account_login") + "?" + urlencode({"next": self.get_url(request)})
            if wants_json:
                return JsonResponse(
                    {"error": gettext("Sign in to keep your progress.")}, status=401
                )
            return redirect(login)
        if not _is_person(request.user):
            raise PermissionDenied
        shown = request.POST.getlist("item")
        done = request.POST.getlist("done")
        known = set(self.checklist_item_ids)
        reason = None
        if not shown:
            reason = gettext("No checklist items were sent.")
        elif not known.issuperset(shown) or not known.issuperset(done):
            reason = gettext(
                "Some items are not on this article's checklists (any more). Reload the page and try again."
            )
        elif not set(shown).issuperset(done):
            reason = gettext("An item was ticked that the form did not show.")
        if reason:
            if wants_json:
                return JsonResponse({"error": reason}, status=400)
            return TemplateResponse(
                request,
                "toolbox/checklist_refused.html",
                {"page": self, "reason": reason},
                status=400,
            )
        with transaction.atomic():
            ChecklistTick.objects.filter(user=request.user, page=self, item_id__in=shown).exclude(
                item_id__in=done
            ).delete()
            ChecklistTick.objects.bulk_create(
                [ChecklistTick(user=request.user, page=self, item_id=item) for item in set(done)],
                ignore_conflicts=True,
            )
        progress = self.progress_for(request.user)
        if wants_json:
            return JsonResponse(
                {"done": progress.done, "total": progress.total, "label": progress.label}
            )
        messages.success(
            request,
            gettext("Your progress is saved: %(progress)s.") % {"progress": progress.label},
        )
        return redirect(self.get_url(request) + "#checklists")


def _is_person(user) -> bool:
    from meent import access

    return access.is_active_person(user)


class ChecklistTick(models.Model):
    """One checklist item a person ticked off on one article."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toolbox_ticks"
    )
    page = models.ForeignKey(
        ToolboxArticlePage, on_delete=models.CASCADE, related_name="checklist_ticks"
    )
    item_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "page", "item_id"], name="toolbox_tick_unique")
        ]
        verbose_name = _("checklist tick")
        verbose_name_plural = _("checklist ticks")

    def __str__(self):
        return f"{self.user_id} {self.page_id} {self.item_id}"
