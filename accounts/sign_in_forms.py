"""allauth's forms, knowing organisations that sign their people in themselves (accounts/oidc.py).

An address whose organisation requires its own sign-in is refused, with where to sign in
instead, by every form a person fills in with it: sign-in, sign-up, password reset and adding
an address. Not in the account adapter's ``clean_email``: allauth cleans the addresses an
identity provider gives with that too, and would drop the very address being signed in with.

A module of its own: allauth's forms module imports accounts/forms.py (the sign-up form's extra
fields), so accounts/forms.py cannot import allauth's forms.
"""

from allauth.account import forms as allauth_forms
from django import forms

from .oidc import required_message, required_sign_in_for, sign_in_for_email


def refuse_if_required(email):
    sign_in = required_sign_in_for(email or "")
    if sign_in is not None:
        raise forms.ValidationError(required_message(sign_in, email))


class LoginForm(allauth_forms.LoginForm):
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


class SignupForm(allauth_forms.SignupForm):
    def clean_email(self):
        refuse_if_required(self.cleaned_data.get("email"))
        return super().clean_email()


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def clean_email(self):
        refuse_if_required(self.cleaned_data.get("email"))
        return super().clean_email()


class AddEmailForm(allauth_forms.AddEmailForm):
    def clean_email(self):
        refuse_if_required(self.cleaned_data.get("email"))
        return super().clean_email()
