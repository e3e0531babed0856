"""The pages of organisation sign-in (accounts/oidc.py has how it works)."""

from django import forms
from django.contrib import messages
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import oidc


class OrganisationEmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Work e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.sign_in = oidc.sign_in_for_email(email)
        if self.sign_in is None:
            raise forms.ValidationError(
                _(
                    "Your organisation has no sign-in of its own on Meent (or it is switched "
                    "off). Sign in with your password."
                )
            )
        return email


def safe_next(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return None


@require_http_methods(["GET", "POST"])
def organisation_sign_in(request):
    """Sign in with your organisation: the work address says which. An organisation that
    requires its sign-in sends its people there at once; others are offered it, beside the
    password."""
    next_url = safe_next(request)
    form = OrganisationEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sign_in = form.sign_in
        if sign_in.required or request.POST.get("continue"):
            return oidc.start(request, sign_in, next_url)
        return render(
            request,
            "accounts/oidc/offer.html",
            {"sign_in": sign_in, "email": form.cleaned_data["email"], "next": next_url},
        )
    return render(request, "accounts/oidc/start.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def link(request, token):
    """The link we e-mailed to an existing account's address: opening it proves the address;
    confirming connects the organisation's sign-in to the account and goes on signing in."""
    try:
        person, sign_in, uid = oidc.read_link(token)
    except oidc.LinkError as error:
        return render(request, "accounts/oidc/refused.html", {"text": str(error)}, status=400)
    if request.method == "POST":
        try:
            oidc.connect(person, sign_in, uid, person.email)
        except oidc.LinkError as error:
            return render(request, "accounts/oidc/refused.html", {"text": str(error)}, status=409)
        messages.success(
            request,
            _("Your account is connected to %(organisation)s's sign-in.")
            % {"organisation": sign_in.organisation.name},
        )
        return oidc.start(request, sign_in)
    return render(request, "accounts/oidc/link.html", {"sign_in": sign_in, "person": person})
