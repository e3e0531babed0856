from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from groups.models import Membership
from meent import access
from meent.idempotency import SubmissionKeyMixin
from meent.mentions import picker_attrs
from meent.params import NumberField, QueryForm


class MessageForm(forms.Form):
    """The plain HTML form: chat works without JavaScript too, one page load per message."""

    body = forms.CharField(
        label=_("Message"),
        max_length=settings.MEENT_CHAT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, **picker_attrs()}),
    )
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=64)


class DirectConversationForm(SubmissionKeyMixin, forms.Form):
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
            # Through the memberships the person may be shown: a group whose members tab is
            # off does not list its members here either (only to its owners and admins).
            shown = Membership.objects.visible_to(user).filter(
                group_id__in=access.member_group_ids(user)
            )
            people = people.filter(memberships__in=shown)
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


class HistoryQuery(QueryForm):
    """/chat/<room>/history/?before=<seq>: the page of messages just before that number."""

    before = NumberField(label=_("Before"), min_value=0, blank=False)
