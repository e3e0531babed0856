from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Site

from .forms import CommunityForm
from .services import NewCommunity, create_community, host_is_allowed


def may_manage_communities(user):
    return user.has_perm("wagtailcore.add_site")


class CommunityPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_manage_communities(request.user):
            raise PermissionDenied(_("Only operators can manage communities."))
        return super().dispatch(request, *args, **kwargs)


class CommunityListView(CommunityPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Communities")
    header_icon = "site"
    template_name = "communities/index.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["communities"] = (
            Site.objects.select_related("root_page")
            .annotate(group_count=Count("groups"))
            .order_by("-is_default_site", "site_name", "hostname")
        )
        context["add_url"] = reverse("communities:add")
        return context


class CommunityCreateView(CommunityPermissionMixin, WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("Add a community")
    header_icon = "site"
    form_class = CommunityForm
    template_name = "wagtailadmin/generic/form.html"
    success_url = reverse_lazy("communities:index")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("communities:index"), "label": _("Communities")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse("communities:add")
        context["submit_button_label"] = _("Add community")
        return context

    def form_invalid(self, form):
        messages.error(self.request, _("The community was not added. Correct the errors below."))
        return super().form_invalid(form)

    def form_valid(self, form):
        site = create_community(NewCommunity(**form.cleaned_data))
        messages.success(
            self.request,
            _(
                "The community %(name)s has been added at %(url)s, with a home page and a "
                "toolbox. Set its theme under Settings › Theme."
            )
            % {"name": site.site_name, "url": site.root_url},
        )
        if not host_is_allowed(site.hostname):
            messages.warning(
                self.request,
                _(
                    "This installation does not answer for %(hostname)s yet: add it to the "
                    "ALLOWED_HOSTS setting and point its DNS here."
                )
                % {"hostname": site.hostname},
            )
        return redirect(self.get_success_url())
