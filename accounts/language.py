"""The language a person reads Meent in, remembered for what reaches them away from a page.

A page is shown in the request's language (the language cookie, else the browser's). E-mails and
notifications rendered later have no request of theirs: they use ``User.preferred_language``,
stored here:

- when the person signs up: the language their browser asked for (or the one they had chosen);
- whenever they choose one with the language switcher (``set_language``, Django's own view);
- when an account from before this was kept signs in: the language of that request.

A browser's language on a later visit is not stored: someone who chose English keeps English
e-mails when they once sign in on a Dutch computer, and that computer shows them English from the
moment they sign in (unless someone chose a language on it before: that choice stays).

Wagtail writes its own e-mails (workflow tasks, page moderation) in its profile's language, else in
the language of whoever caused the e-mail. The profile's language is kept equal to the person's
own, both ways: choosing one in the admin's account settings is choosing it for Meent.
"""

from allauth.account.signals import user_signed_up
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
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
    _profile_model().objects.filter(user_id=user.pk).update(preferred_language=language)


def _profile_model():
    from wagtail.users.models import UserProfile

    return UserProfile


def _profile_saved(sender, instance, created, **kwargs):
    """A Wagtail profile speaks the person's language: a new one takes it, a choice made in the
    admin's account settings becomes the person's own."""
    user = instance.user
    chosen = _supported(instance.preferred_language)
    if chosen and chosen != user.language:
        remember(user, chosen)
    elif not instance.preferred_language and _supported(user.language):
        instance.preferred_language = _supported(user.language)
        type(instance).objects.filter(pk=instance.pk).update(
            preferred_language=instance.preferred_language
        )


def connect_profile_language():
    """Called from the app's ready(): Wagtail's models are loaded by then."""
    post_save.connect(
        _profile_saved, sender=_profile_model(), dispatch_uid="accounts.language.profile"
    )


def set_language(request):
    """Django's language switcher, which also remembers the choice of a signed-in person."""
    response = django_set_language(request)
    cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie is not None and cookie.value and request.user.is_authenticated:
        remember(request.user, cookie.value)
    return response


def _request_language(request) -> str:
    return getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or ""


@receiver(user_signed_up, dispatch_uid="accounts.language.signed_up")
def remember_on_signup(sender, request, user, **kwargs):
    remember(user, _request_language(request))


@receiver(user_logged_in, dispatch_uid="accounts.language.logged_in")
def remember_on_first_sign_in(sender, request, user, **kwargs):
    if request is None:
        return
    # An account that has no language yet (made before languages were kept, or by hand).
    if not getattr(user, "language", "x"):
        remember(user, _request_language(request))
    # A device where nobody chose a language, showing another one than the person's, shows
    # theirs from now on (a device that already shows it keeps following its browser).
    elif settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        own = _supported(user.language)
        if own and own != _supported(_request_language(request)):
            request.meent_switch_language = own


class SignInLanguageMiddleware:
    """Sets the language cookie chosen at sign-in (``remember_on_first_sign_in``) on the response,
    so the next page, the one signing in leads to, is in the person's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "meent_switch_language", "")
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
