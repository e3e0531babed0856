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
