"""The moderators' queue in the Wagtail admin: open reports, each with the reported item in
context, who reported it and why, earlier reports on the same item or person, and the decision."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from accounts.admin_views import ModeratorFormView, person_status
from accounts.models import User
from meent import access, idempotency, params

from . import services
from .forms import DecisionForm, LiftSuspensionForm, SuspendForm
from .models import Kind, Report
from .targets import target_of_report


def may_moderate(user):
    return access.is_moderator(user)


class ModeratorRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_moderate(request.user):
            raise PermissionDenied(_("Only moderators handle reports."))
        return super().dispatch(request, *args, **kwargs)


def _queue_url():
    return reverse("moderation_admin:queue")


class QueueView(ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Reported content")
    header_icon = "warning"
    template_name = "moderation/admin/queue.html"
    per_page = 50

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # ?p= that is not a page number: the first page, with a message, and a 400.
        response.status_code = params.status(request, response.status_code)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "open")
        kind = self.request.GET.get("kind", "")
        reports = Report.objects.select_related("author", "group", "decided_by").annotate(
            flag_count=Count("flags")
        )
        if status == "open":
            reports = reports.filter(status=Report.Status.OPEN)
        elif status == "handled":
            reports = reports.exclude(status=Report.Status.OPEN)
        else:
            status = "all"
        if kind in Kind.values:
            reports = reports.filter(kind=kind)
        else:
            kind = ""
        # Ready for moderators first (no group, passed on, or waited long enough), oldest first.
        cutoff = timezone.now() - datetime.timedelta(hours=settings.MEENT_REPORT_GROUP_HOURS)
        waiting = Q(group__isnull=False, escalated_at__isnull=True, created_at__gt=cutoff)
        reports = reports.annotate(
            waits=Case(
                When(waiting & Q(status=Report.Status.OPEN), then=Value(1)), default=Value(0)
            )
        ).order_by("waits", "-status", "created_at" if status == "open" else "-created_at")
        page = params.paginate(self.request, reports, self.per_page, params.AdminPageForm)
        context.update(
            {
                "page_obj": page,
                "reports": page.object_list,
                "status": status,
                "kind": kind,
                "kinds": Kind.choices,
                "statuses": [
                    ("open", _("Open")),
                    ("handled", _("Handled")),
                    ("all", _("All")),
                ],
            }
        )
        return context


def _decisions(report):
    return services.decisions_for(report, moderator=True)


def _until(choice):
    if choice == "forever":
        return None
    return timezone.now() + datetime.timedelta(days=int(choice or 7))


class ReportView(ModeratorRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "warning"
    template_name = "moderation/admin/report.html"

    def get_page_title(self):
        return _("Report: %(item)s") % {"item": self.report.label}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": _queue_url(), "label": _("Reported content")},
            {"url": "", "label": self.report.label},
        ]

    def dispatch(self, request, *args, **kwargs):
        self.report = get_object_or_404(
            Report.objects.select_related("author", "group", "decided_by"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.report
        target = target_of_report(report)
        item = target.get(report.object_id)
        earlier = Report.objects.filter(
            Q(content_type_id=report.content_type_id, object_id=report.object_id)
            | Q(author_id=report.author_id, author__isnull=False)
        ).exclude(pk=report.pk)
        context.update(
            {
                "report": report,
                "item_exists": item is not None,
                "item_hidden": item is not None and target.is_hidden(item),
                "flags": report.flags.select_related("reporter", "reporter__organisation"),
                "earlier": earlier.select_related("decided_by")[:20],
                "earlier_count": earlier.count(),
                "waits_for_group": services.group_admins_first(report),
                "form": form
                if form is not None
                else (DecisionForm(decisions=_decisions(report)) if report.is_open else None),
                "author_suspended": report.author is not None and report.author.is_suspended,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST, decisions=_decisions(self.report))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.decide(
                    request.user,
                    self.report,
                    data["decision"],
                    data["reason"],
                    until=_until(data.get("suspend_for")),
                )
            except services.ModerationError as error:
                form.add_error(None, error.message)
                return self.render_to_response(
                    self.get_context_data(form=form), status=error.status
                )
            messages.success(
                request,
                _("Decided: %(item)s. The author and the people who reported it are told.")
                % {"item": self.report.label},
            )
            return redirect(_queue_url())
        messages.error(request, _("Nothing was decided. Correct the errors below."))
        return self.render_to_response(self.get_context_data(form=form), status=400)


# Suspensions, started from a person's page in the people admin (accounts/admin_views.py).


class SuspendView(ModeratorFormView):
    model = User
    form_class = SuspendForm
    permissions = ("accounts.change_user",)
    index_url_name = "people:index"
    edit_url_name = "people:edit"
    page_title = gettext_lazy("Suspend")
    header_icon = "lock"
    submit_label = gettext_lazy("Suspend")

    def form_valid(self, form):
        # Sent twice, a suspension would be recorded and e-mailed to the person twice.
        try:
            outcome = idempotency.once(
                self.request.user,
                form.submission_key,
                lambda: services.suspend(
                    self.request.user,
                    self.object,
                    until=form.until_datetime(),
                    reason=form.cleaned_data["reason"],
                ),
                lambda _person: self.get_success_url(),
            )
        except services.ModerationError as error:
            return self.form_error(form, error.message)
        if outcome.repeat:
            return idempotency.repeated(self.request, outcome)
        messages.success(
            self.request,
            _("%(person)s is suspended: %(status)s.")
            % {"person": self.object, "status": person_status(self.object)},
        )
        return redirect(outcome.url)


class LiftSuspensionView(ModeratorFormView):
    model = User
    form_class = LiftSuspensionForm
    permissions = ("accounts.change_user",)
    index_url_name = "people:index"
    edit_url_name = "people:edit"
    page_title = gettext_lazy("Lift suspension")
    header_icon = "lock-open"
    submit_label = gettext_lazy("Lift suspension")

    def form_valid(self, form):
        try:
            services.lift_suspension(
                self.request.user, self.object, reason=form.cleaned_data["reason"]
            )
        except services.ModerationError as error:
            return self.form_error(form, error.message)
        messages.success(self.request, _("%(person)s may sign in again.") % {"person": self.object})
        return redirect(self.get_success_url())
