from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meent.sites import community_name


class Community:
    """What allauth's e-mails call ``current_site``: the community the person is on (its Wagtail
    Site's name and the host they used), not Django's RequestSite, whose name is the host."""

    def __init__(self, request):
        self.name = community_name(request)
        self.domain = request.get_host() if request is not None else ""

    def __str__(self):
        return self.name


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        from allauth.core import context as allauth_context

        context = {"current_site": Community(allauth_context.request), **context}
        return super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject):
        from allauth.core import context as allauth_context

        return f"[{community_name(allauth_context.request)}] {subject}"

    def is_open_for_signup(self, request):
        return getattr(settings, "MEENT_SIGNUP_OPEN", True)

    def clean_email(self, email):
        # allauth also cleans the addresses an identity provider gives with this: an address
        # whose organisation requires its own sign-in is refused by the forms a person fills in
        # (accounts/sign_in_forms.py), not here.
        return super().clean_email(email).strip().lower()

    def pre_login(self, request, user, **kwargs):
        # allauth lets an active person in and leaves the rest to the backend, which would make
        # every later request anonymous without a word: say why at the door instead.
        if getattr(user, "is_suspended", False):
            from allauth.account.internal.stagekit import clear_login

            from .models import is_for_good

            clear_login(request)
            if is_for_good(user.suspended_until):
                text = _("Your account is suspended. You can no longer sign in.")
            else:
                until = formats.date_format(
                    timezone.localtime(user.suspended_until), "DATETIME_FORMAT"
                )
                text = _("Your account is suspended until %(until)s. Sign in again after that.")
                text %= {"until": until}
            messages.error(request, text)
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)
