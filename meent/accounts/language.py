"""The language a person reads Meent in, remembered for what reaches them away from a page.

A page is shown in the request's language (the language cookie, else the browser's). E-mails and
notifications rendered later have no request of theirs: they use ``User.preferred_language``,
stored here:

- when the person signs up: the language their browser asked for (or the one they had chosen);
- whenever they choose one with the language switcher (``set_language``, Django's own view);
- when an account from before this was kept signs in: the language of that request.

A browser's language on a later visit is not stored: someone who chose English keeps English
e-mails when they once sign in on a Dutch computer.
"""

from allauth.account.signals import user_signed_up
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def _supported(language) -> str:
    language = (language or "").lower()
    languages = dict(settings.LANGUAGES)
    if language in languages:
        return language
    base = language.split("-")[0]
    return base if base in languages else ""


def remember(user, language) -> None:
    """Store ``language`` as the person's own, when it is one Meent speaks (one UPDATE, only on a
    change)."""
    language = _supported(language)
    if not language or not getattr(user, "pk", None) or user.language == language:
        return
    user.language = language
    get_user_model().objects.filter(pk=user.pk).update(language=language)


def set_language(request):
    """Django's language switcher, which also remembers the choice of a signed-in person."""
    response = django_set_language(request)
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie is not None and cookie.value and request.user.is_authenticated:
        remember(request.user, cookie.value)
    return response


def _request_language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or ""


@receiver(user_signed_up, dispatch_uid="meent.accounts.language.signed_up")
def remember_on_signup(sender, request, user, **kwargs):
    remember(user, _request_language(request))


@receiver(user_logged_in, dispatch_uid="meent.accounts.language.logged_in")
def remember_on_first_sign_in(sender, request, user, **kwargs):
    # Only an account that has no language yet (made before languages were kept, or by hand).
    if request is not None and not getattr(user, "language", "x"):
        remember(user, _request_language(request))
