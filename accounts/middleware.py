import time

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class StaffTwoFactorMiddleware:
    """Staff reach the admin only after they have set up two-factor sign-in (TOTP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.needs_two_factor(request):
            messages.warning(
                request,
                _("Set up two-factor sign-in with an authenticator app before you use the admin."),
            )
            count_recent_sign_in_as_reauthentication(request)
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def needs_two_factor(request):
        if not request.path.startswith(settings.MEENT_TWO_FACTOR_PATHS):
            return False
        user = request.user
        if not user.is_authenticated:
            return False
        is_staff = user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")
        if not is_staff:
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def count_recent_sign_in_as_reauthentication(request):
    """allauth asks for the password again before a second factor is added, and counts only
    reauthentications for that, not the sign-in itself. A member of staff who signed in with
    their password seconds ago and is sent to set up TOTP would type it twice in a row: a
    password sign-in within ACCOUNT_REAUTHENTICATION_TIMEOUT counts as one. Older sign-ins, and
    every other way to the set-up, are still asked."""
    records = [dict(record) for record in get_authentication_records(request, request.user)]
    passwords = [record for record in records if record.get("method") == "password"]
    if not passwords:
        return
    latest = passwords[-1]
    if time.time() - latest.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT:
        latest["reauthenticated"] = True
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
