from django import forms
from django.db import transaction

from .models import Email, Kind, NotificationPreference, email_preferences


class PreferencesForm(forms.Form):
    """One choice per kind of notification: when to get an e-mail about it."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current = email_preferences(user)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Email.choices, initial=current[kind.value]
            )

    @transaction.atomic
    def save(self):
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user=self.user, kind=kind, email=self.cleaned_data[kind])
                for kind in Kind.values
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["email"],
        )
