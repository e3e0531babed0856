from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "MEENT_SIGNUP_OPEN", True)

    def clean_email(self, email):
        return super().clean_email(email).strip().lower()

    def pre_login(self, request, user, **kwargs):
        # allauth lets an active person in and leaves the rest to the backend, which would make
        # every later request anonymous without a word: say why at the door instead.
        if getattr(user, "is_suspended", False):
            from allauth.account.internal.stagekit import clear_login

            from moderation.services import is_for_good

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
