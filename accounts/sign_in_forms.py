"""allauth's sign-in form, knowing organisations that sign their people in themselves.

A module of its own: allauth's forms module imports accounts/forms.py (the sign-up form's extra
fields), so accounts/forms.py cannot import allauth's forms.
"""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms

from .oidc import required_message, sign_in_for_email


class LoginForm(AllauthLoginForm):
    """An address whose organisation has its own sign-in gets its button beside the form
    (``organisation_sign_in``); when the organisation requires it, the password is not even
    tried and the form says where to sign in instead."""

    organisation_sign_in = None

    def clean(self):
        email = self.cleaned_data.get("login") or ""
        if "@" in email:
            self.organisation_sign_in = sign_in_for_email(email)
            if self.organisation_sign_in is not None and self.organisation_sign_in.required:
                raise forms.ValidationError(required_message(self.organisation_sign_in, email))
        return super().clean()
