from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """A community's front page."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=500)
    body = RichTextField(
        _("body"), blank=True, features=["h2", "h3", "bold", "italic", "ol", "ul", "link"]
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from groups.models import Group
        from meent import access, sites

        if access.is_active_person(request.user):
            context["my_groups"] = list(
                Group.objects.filter(pk__in=access.member_group_ids(request.user))
                .on_site(sites.current_site(request))
                .order_by("-last_activity_at")[:6]
            )
        return context


class StatementPage(Page):
    """A statement the law asks every government site to publish, linked from every page's
    footer: one of each kind per community (and per language)."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=1000)
    body = RichTextField(
        _("body"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]
    )
    last_reviewed = models.DateField(
        _("last reviewed"), help_text=_("When the statement was last checked against practice.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        abstract = True


class PrivacyStatementPage(StatementPage):
    """What Meent holds about people, why, how long, and their rights (AVG/GDPR art. 13–14)."""

    template = "home/statement_page.html"

    class Meta:
        verbose_name = _("privacy statement")


class AccessibilityStatementPage(StatementPage):
    """How accessible the community is (Besluit digitale toegankelijkheid overheid, EN 301 549)."""

    template = "home/statement_page.html"

    class Meta:
        verbose_name = _("accessibility statement")
