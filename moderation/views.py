"""The public side of moderation: reporting something, and a group's owners and admins handling
reports about their group's content (the moderators' queue is in the admin: admin_views.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.context import group_page_context
from groups.views import managed_group_or_404
from meent import idempotency

from . import services
from .forms import DecisionForm, ReportForm
from .models import Flag, Report
from .targets import may_report, target_for


def _reportable_or_404(request, kind, object_id):
    target = target_for(kind)
    obj = target.get(object_id) if target else None
    # Whatever one may not see answers exactly like what does not exist.
    if obj is None or not may_report(request.user, obj):
        raise Http404(_("There is nothing here that you can report."))
    return target, obj


@login_required
@require_http_methods(["GET", "POST"])
def report(request, kind, object_id):
    target, obj = _reportable_or_404(request, kind, object_id)
    item_url = target.url(obj)
    if request.method == "POST":
        # A repeat would find this person's report already open: answer as the first post did.
        repeat = idempotency.earlier_answer(request)
        if repeat is not None:
            return repeat
    earlier = (
        Flag.objects.filter(
            reporter=request.user,
            report__object_id=obj.pk,
            report__kind=kind,
            report__status=Report.Status.OPEN,
        )
        .select_related("report")
        .first()
    )
    context = {"title": target.title(obj), "item_url": item_url, "earlier": earlier}
    status = 200
    if request.method == "POST" and earlier is None:
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                outcome = idempotency.once(
                    request.user,
                    form.submission_key,
                    lambda: services.report_item(
                        request.user,
                        kind,
                        obj.pk,
                        form.cleaned_data["reason"],
                        form.cleaned_data["text"],
                    ),
                    lambda _made: item_url,
                )
            except services.ModerationError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                if outcome.repeat:
                    return idempotency.repeated(request, outcome)
                report, _new = outcome.made
                if services.group_admins_first(report):
                    text = _(
                        "Thank you. Your report was sent to the group's owners and admins, and "
                        "to the moderators if they do not handle it. You will hear the outcome."
                    )
                else:
                    text = _(
                        "Thank you. Your report was sent to the moderators. "
                        "You will hear the outcome."
                    )
                messages.success(request, text)
                return redirect(outcome.url)
        else:
            status = 400
    else:
        form = ReportForm()
    context["form"] = form
    return render(request, "moderation/report.html", context, status=status)


def _decisions_for(report):
    # Group owners and admins dismiss, hide or delete; warning and suspending is for moderators.
    return services.decisions_for(report, moderator=False)


def _group_reports_context(request, group, failed=None):
    """The group's open reports (each with its decision form; ``failed``: a form with errors)
    and the last handled ones. Three queries however many reports. Never the reports about the
    viewer's own content: its author must not learn who reported it or why (those go to the
    other admins and the moderators)."""
    reports = list(
        Report.objects.filter(group=group)
        .exclude(author_id=request.user.pk)
        .select_related("author", "decided_by")
        .prefetch_related("flags")
        .order_by("-status", "-created_at")[:100]
    )
    open_reports = [report for report in reports if report.is_open]
    for report in open_reports:
        if failed is not None and failed.prefix == str(report.pk):
            report.form = failed
        else:
            report.form = DecisionForm(decisions=_decisions_for(report), prefix=str(report.pk))
        report.waits_for_group = services.group_admins_first(report)
    return {
        **group_page_context(request.user, group),
        "settings_hours": settings.MEENT_REPORT_GROUP_HOURS,
        "open_reports": open_reports,
        "handled_reports": [report for report in reports if not report.is_open][:20],
    }


@login_required
@require_GET
def group_reports(request, group_slug):
    group = managed_group_or_404(request, group_slug)
    return render(request, "moderation/group_reports.html", _group_reports_context(request, group))


@login_required
@require_POST
def group_decide(request, group_slug, report_id):
    group = managed_group_or_404(request, group_slug)
    report = get_object_or_404(Report, pk=report_id, group=group)
    if not services.may_handle(request.user, report):
        raise PermissionDenied(_("You may not handle this report."))
    if request.POST.get("escalate"):
        try:
            services.escalate(request.user, report)
        except services.ModerationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The report is passed to the moderators."))
        return redirect("moderation:group_reports", group.slug)
    form = DecisionForm(request.POST, decisions=_decisions_for(report), prefix=str(report.pk))
    if form.is_valid():
        try:
            services.decide(
                request.user, report, form.cleaned_data["decision"], form.cleaned_data["reason"]
            )
        except services.ModerationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Done. The author and the people who reported it are told.")
            )
        return redirect("moderation:group_reports", group.slug)
    context = _group_reports_context(request, group, failed=form)
    return render(request, "moderation/group_reports.html", context, status=400)
