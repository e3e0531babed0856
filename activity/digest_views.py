"""The content digest's setting (on "What you follow") and its one-click unsubscribe link."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from meent import refusals

from . import digest, services
from .models import DigestSetting


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("How often do you want the content digest?"),
        choices=DigestSetting.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose daily, weekly or never.")},
    )


def form_for(person) -> DigestForm:
    """The form as shown, with the person's choice (weekly when they never chose)."""
    return DigestForm(initial={"frequency": digest.frequency_of(person)}, auto_id="digest_%s")


@login_required
@require_POST
def digest_setting(request):
    """Daily, weekly or never: the form on "What you follow" posts here."""
    form = DigestForm(request.POST)
    back = reverse("activity:following") + "#digest"
    if not form.is_valid():
        return refusals.refuse(
            request,
            services.ActivityError(_("Choose daily, weekly or never."), 400),
            "activity/refused.html",
            {"back": back},
        )
    frequency = form.cleaned_data["frequency"]
    digest.choose(request.user, frequency)
    messages.success(request, _DONE[frequency]())
    return redirect(back)


_DONE = {
    DigestSetting.Frequency.DAILY: lambda: _("You get the content digest every day."),
    DigestSetting.Frequency.WEEKLY: lambda: _("You get the content digest every week."),
    DigestSetting.Frequency.NEVER: lambda: _("You no longer get the content digest."),
}


# A mail client's one-click unsubscribe (RFC 8058) POSTs to the link in the List-Unsubscribe
# header without a session or a CSRF token: the signed token in the address is what proves the
# request comes from the mail sent to the person, so this one view is exempt from CSRF. It
# changes one thing only (the digest to "never"); a GET (a link scanner, a preview) only shows
# the button.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    person = digest.person_for_token(token)
    settings_link = reverse("activity:following") + "#digest"
    if person is None:
        return refusals.refuse(
            request,
            services.ActivityError(
                _(
                    "This link to stop the content digest is no longer valid: it has expired "
                    "(a link works for 60 days) or it is incomplete."
                ),
                400,
            ),
            "activity/unsubscribe_invalid.html",
            {"settings_link": settings_link},
        )
    if request.method == "POST":
        digest.choose(person, DigestSetting.Frequency.NEVER)
        return render(request, "activity/unsubscribe_done.html", {"settings_link": settings_link})
    return render(
        request,
        "activity/unsubscribe.html",
        {
            "settings_link": settings_link,
            "subscribed": digest.frequency_of(person) != DigestSetting.Frequency.NEVER,
        },
    )
