"""The open-source toolbox: an index, a section per phase, articles built from blocks."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page


class Phase(models.TextChoices):
    DECIDING = "deciding", _("Deciding")
    PREPARING = "preparing", _("Preparing")
    PUBLISHING = "publishing", _("Publishing")
    MAINTAINING = "maintaining", _("Maintaining")
    COLLABORATING = "collaborating", _("Collaborating")


class ToolboxIndexPage(Page):
    """/toolbox/: the sections in phase order."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=1000)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["toolbox.ToolboxSectionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("toolbox")


class ToolboxSectionPage(Page):
    """One phase of publishing software as open source, with its articles and tools."""

    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    introduction = models.TextField(_("introduction"), blank=True, max_length=1000)

    content_panels = [*Page.content_panels, FieldPanel("phase"), FieldPanel("introduction")]

    parent_page_types = ["toolbox.ToolboxIndexPage"]
    subpage_types = ["toolbox.ToolboxArticlePage"]

    class Meta:
        verbose_name = _("toolbox section")


class ToolboxArticlePage(Page):
    summary = models.TextField(_("summary"), blank=True, max_length=500)
    body = StreamField([("text", blocks.RichTextBlock())], blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]

    parent_page_types = ["toolbox.ToolboxSectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("toolbox article")
