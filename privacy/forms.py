from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meent import ratelimit

# Wrong passwords a person may enter here per quarter of an hour: a borrowed session cannot try
# passwords on this form endlessly.
PASSWORD_ATTEMPTS = 5
PASSWORD_WINDOW = 15 * 60


def confirmation_word():
    return gettext("DELETE")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.CharField(
        label=_("Type the word to confirm"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["confirmation"].help_text = _(
            "Type %(word)s in capitals: you cannot undo this."
        ) % {"word": confirmation_word()}

    def clean_password(self):
        password = self.cleaned_data["password"]
        key = f"privacy-delete:{self.user.pk}"
        if not ratelimit.check(key, PASSWORD_ATTEMPTS, PASSWORD_WINDOW):
            raise forms.ValidationError(
                _("Too many wrong passwords. Wait a quarter of an hour and try again.")
            )
        if not self.user.check_password(password):
            ratelimit.hit(key, PASSWORD_ATTEMPTS, PASSWORD_WINDOW)
            raise forms.ValidationError(_("That is not your password."))
        return password

    def clean_confirmation(self):
        word = self.cleaned_data["confirmation"].strip()
        if word != confirmation_word():
            raise forms.ValidationError(
                _("Type %(word)s exactly as shown to confirm.") % {"word": confirmation_word()}
            )
        return word
