from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from meent import access


class MessageForm(forms.Form):
    """The plain HTML form: chat works without JavaScript too, one page load per message."""

    body = forms.CharField(
        label=_("Message"),
        max_length=settings.MEENT_CHAT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)


class DirectConversationForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People you share a group with."),
    )

    def __init__(self, user, *args, anyone=False, **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True)
        if anyone:
            self.fields["people"].help_text = _("Anyone who has an account here.")
        else:
            people = people.filter(memberships__group_id__in=access.member_group_ids(user))
        self.fields["people"].queryset = (
            people.exclude(pk=user.pk)
            .select_related("organisation")
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["people"].label_from_instance = lambda person: (
            f"{person.display_name} ({person.organisation.name})"
            if person.organisation_id
            else person.display_name
        )
