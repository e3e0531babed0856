"""The privacy pages: what Meent holds about you, download your data, delete your account."""

from datetime import timedelta
from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from meent import idempotency, ratelimit
from meent.idempotency import SubmissionKeyForm

from . import registry, services
from .forms import DeleteAccountForm, confirmation_word
from .models import DataExport
from .tasks import build_data_export, purge_expired_exports

# An export that has not finished in this time died with its worker: it no longer blocks a new one.
STALE_AFTER = timedelta(hours=1)
EXPORTS_PER_HOUR = 5


def _categories(user):
    """(label, count) per kind of data the registered parts hold: one query each, however much
    there is."""
    result = []
    for part in registry.parts():
        if part.held is None:
            continue
        held = part.held(user)
        result.append((str(part.label), held if isinstance(held, int) else held.count()))
    return result


def _own_export(request, pk):
    # Someone else's export does not exist, as far as anyone else can tell.
    return get_object_or_404(DataExport, pk=pk, user=request.user)


@login_required
@require_safe
def overview(request):
    exports = list(DataExport.objects.filter(user=request.user).unexpired()[:5])
    return render(
        request,
        "privacy/overview.html",
        {
            "categories": _categories(request.user),
            "exports": exports,
            "running": next((e for e in exports if e.is_running), None),
            "refusal": services.refusal(request.user),
        },
    )


def _fail_stale(user):
    DataExport.objects.filter(
        user=user, created_at__lt=timezone.now() - STALE_AFTER
    ).in_progress().update(
        status=DataExport.Status.FAILED, error="stale", finished_at=timezone.now()
    )


class _TooOften(Exception):
    """The hourly limit of data exports refused one: nothing is stored."""


@login_required
@require_POST
def start_export(request):
    user = request.user
    form = SubmissionKeyForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("privacy:overview")
    purge_expired_exports(DataExport.objects.filter(user=user))
    _fail_stale(user)

    def start():
        """(the export, whether it is new): one at a time per person."""
        # Lock the person's row while deciding.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        running = DataExport.objects.filter(user=user).in_progress().first()
        if running is not None:
            return running, False
        # Each export is a ZIP of everything in storage: a few an hour are plenty.
        if not ratelimit.hit(f"privacy-export:{user.pk}", EXPORTS_PER_HOUR, 3600):
            raise _TooOften
        export = DataExport.objects.create(user=user)
        # robust: a queue that is down leaves the export waiting (and stale after an hour).
        transaction.on_commit(partial(build_data_export.enqueue, export.pk), robust=True)
        return export, True

    try:
        # A repeat of the same button press answers with the first one's export.
        outcome = idempotency.once(
            user, form.submission_key, start, lambda started: started[0].get_absolute_url()
        )
    except _TooOften:
        messages.error(
            request, _("You have asked for your data often in the last hour. Try again later.")
        )
        return redirect("privacy:overview")
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    if not outcome.made[1]:
        messages.info(request, _("Your data is already being collected."))
    return redirect(outcome.url)


def _running_text(export):
    text = _("%(progress)s%% done.") % {"progress": export.progress}
    if export.step_label:
        text += " " + _("Now: %(step)s.") % {"step": export.step_label}
    return text + " " + _("You can leave this page: we send you an e-mail when it is ready.")


def _status(export):
    return {
        "text": _running_text(export) if export.is_running else "",
        "status": export.status,
        "progress": export.progress,
        "label": export.get_status_display(),
        "step": str(export.step_label),
        "download": export.get_download_url() if export.is_downloadable else "",
        "page": export.get_absolute_url(),
    }


@login_required
@require_safe
@never_cache
def export_detail(request, pk):
    export = _own_export(request, pk)
    return render(request, "privacy/export.html", {"export": export, "status": _status(export)})


@login_required
@require_safe
@never_cache
def export_status(request, pk):
    return JsonResponse(_status(_own_export(request, pk)))


@login_required
@require_safe
def download(request, pk):
    export = _own_export(request, pk)
    if not export.is_downloadable:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"meent-data-{timezone.localtime(export.finished_at):%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    user = request.user
    refusal = services.refusal(user)
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.delete_account(user)
        except services.DeletionRefused as error:
            refusal = error.message
        else:
            logout(request)
            messages.success(
                request,
                _("Your account is deleted. What you wrote in groups shows as by a former member."),
            )
            return redirect("/")
    return render(
        request,
        "privacy/delete.html",
        {
            "form": form,
            "plan": services.plan(user),
            "refusal": refusal,
            "word": confirmation_word(),
        },
    )
