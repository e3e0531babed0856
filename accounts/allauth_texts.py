"""Texts of allauth's templates whose Dutch we word ourselves.

allauth's Dutch catalogue addresses people with "u" and "a.u.b." where Meent says "je", and two
of its texts say something else than the English (they describe the wrong e-mail). Named here,
they are in our catalogue, which Django reads before allauth's (LOCALE_PATHS comes first).
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = [
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. "
        "Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the "
        "signup process. If you do not see the verification email in your main inbox, check your "
        "spam folder. Please contact us if you do not receive the verification email within a "
        "few minutes."
    ),
    gettext_noop(
        "We have sent an email to you for\nverification. Please click on the link inside that "
        "email. If you do not see the verification email in your main inbox, check your spam "
        "folder. Otherwise\ncontact us if you do not receive it within a few minutes."
    ),
    gettext_noop(
        "Your account is protected by two-factor authentication. Please enter an authenticator "
        "code:"
    ),
]
