from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from meent import params, sites

from .emails import is_local_url
from .forms import PreferencesForm
from .models import Notification

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request):
    """The person's own notifications, newest first."""
    notifications = Notification.objects.filter(recipient=request.user).select_related("actor")
    page = params.paginate(request, notifications, PAGE_SIZE)
    return render(request, "notifications/list.html", {"page": page}, status=params.status(request))


@login_required
@require_POST
def mark_all_read(request):
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("You had no unread notifications."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def open_notification(request, pk):
    """Mark one's notification as read and go where it points (only within Meent): on the host
    of the community it belongs to, or on this host for what belongs to the person."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    if not is_local_url(notification.url):
        return redirect("notifications:list")
    site_id = notification.site_id
    if site_id and site_id != sites.current_site(request)["id"]:
        root = sites.site_root_url(site_id)
        if root:
            return HttpResponseRedirect(root.rstrip("/") + notification.url)
    return HttpResponseRedirect(notification.url)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    if request.method == "POST":
        form = PreferencesForm(request.user, request.POST)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:preferences")
        messages.error(
            request, _("Your notification settings were not saved. Correct the errors below.")
        )
    else:
        form = PreferencesForm(request.user)
    return render(request, "notifications/preferences.html", {"form": form})
