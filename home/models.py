from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from home.blocks import FrontPageBlock, chosen_group_ids, has_sign_up

# Who may edit and publish the front pages (and only them: Wagtail's page permissions would reach
# every page below, the toolbox included, whose pages a moderator approves).
FRONT_PAGE_PERMISSION = "home.edit_front_page"
FRONT_PAGE_ACTIONS = {"change", "publish"}


def may_edit_front_pages(user) -> bool:
    return bool(user.is_active and not user.is_superuser and user.has_perm(FRONT_PAGE_PERMISSION))


class FrontPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy with one addition, registered for every page (``HomeConfig.ready``):
    people with the front-page right may change and publish *some* page, so the admin's views
    that first ask "may this person change pages at all" (the page preview does) let them in,
    also when they have no right on any other page. What they may do to a given page is still
    its permission tester's answer (``HomePagePermissionTester``: the front page only)."""

    def user_has_any_permission(self, user, actions):
        if set(actions) & FRONT_PAGE_ACTIONS and may_edit_front_pages(user):
            return True
        return super().user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        if set(actions) & FRONT_PAGE_ACTIONS and may_edit_front_pages(user):
            pages = pages | self.model._default_manager.type(HomePage)
        return pages

    def instances_with_direct_explore_permission(self, user):
        # The explorer starts where the person may work: with the front pages, at the root.
        pages = super().instances_with_direct_explore_permission(user)
        if may_edit_front_pages(user):
            pages = [*pages, *self.model.base_page_model.objects.type(HomePage)]
        return pages


class HomePagePermissionTester(PagePermissionTester):
    """Wagtail's rights on a page, plus editing and publishing the front page itself for people
    with ``home.edit_front_page`` (community managers: ``home/roles.py``)."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if may_edit_front_pages(self.user):
            self.permissions = self.permissions | FRONT_PAGE_ACTIONS


def site_of(home):
    """The community (Site) of a home page in any language: the site whose root is the page or
    one of its translations; None for a page that is no community's."""
    from wagtail.models import Site

    if not home.pk:
        return None
    return Site.objects.filter(root_page__translation_key=home.translation_key).first()


class HomePageForm(WagtailAdminPageForm):
    """The admin's form: highlighted groups must be of the page's own community (a group moved
    to another community later is left out when the page is shown)."""

    def clean(self):
        cleaned_data = super().clean()
        content = cleaned_data.get("content")
        site = site_of(self.instance)
        chosen = chosen_group_ids(content)
        if site is None or not chosen:
            return cleaned_data
        from groups.models import Group

        own = Group.objects.filter(pk__in=chosen).on_site(
            {"id": site.pk, "default": site.is_default_site}
        )
        names = sorted(
            Group.objects.filter(pk__in=chosen).exclude(pk__in=own).values_list("name", flat=True)
        )
        if names:
            self.add_error(
                None,
                ValidationError(
                    _(
                        "These groups belong to another community and cannot be highlighted "
                        "here: %(names)s."
                    ),
                    params={"names": ", ".join(names)},
                    code="other_community",
                ),
            )
        return cleaned_data


class HomePage(Page):
    """A community's front page, built from blocks (``home/blocks.py``) by its managers."""

    introduction = models.TextField(_("introduction"), blank=True, max_length=500)
    content = StreamField(
        FrontPageBlock(),
        verbose_name=_("blocks"),
        blank=True,
        help_text=_("What everybody sees on the front page, from top to bottom."),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("content")]

    base_form_class = HomePageForm
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        permissions = [("edit_front_page", _("Can edit and publish the front pages"))]

    def permissions_for_user(self, user):
        return HomePagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A signed-in person's start page (their groups, what is new) is activity's
        # {% start_page %}, in home/_start.html.
        context["offers_sign_up"] = has_sign_up(self.content)
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
