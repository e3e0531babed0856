from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.forms import validate_avatar
from meent import links
from meent.idempotency import SubmissionKeyMixin
from meent.params import IdChoiceField, QueryForm
from meent.sanitize import clean_text

from .models import Group, Membership
from .services import INVITATION_LIMIT, INVITATION_LIMIT_MESSAGE

RESERVED_SLUGS = {"new", "nieuw", "invitations", "uitnodigingen", "mine", "admin"}


class GroupForm(SubmissionKeyMixin, forms.ModelForm):
    class Meta:
        model = Group
        fields = [
            "name",
            "slug",
            "description",
            "avatar",
            "avatar_alt",
            "membership_policy",
            "visibility",
            "content_default",
            "wiki_enabled",
            "blog_enabled",
            "chat_enabled",
            "events_enabled",
            "event_organisers",
            "files_enabled",
            "discussions_enabled",
            "questions_enabled",
            "polls_enabled",
            "members_tab_enabled",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "membership_policy": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "content_default": forms.RadioSelect,
            "event_organisers": forms.RadioSelect,
            "avatar": forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
            ),
        }
        help_texts = {
            "description": _("Plain text; web addresses become links."),
            "avatar_alt": _("Describe the image for people who cannot see it."),
            "content_default": _(
                "Hidden groups are always members only, whatever you choose here."
            ),
            # What switching a part off does (the access policy: groups/policies.py).
            "wiki_enabled": _(
                "Switched off, nobody can read the wiki's pages and files, and search no longer "
                "finds them. Nothing is deleted: switch it on again and everything is back."
            ),
            "blog_enabled": _(
                "Switched off, nobody can read the group's blog posts and their comments, not "
                "even their authors; search and feeds no longer show them. Nothing is deleted: "
                "switch it on again and everything is back."
            ),
            "chat_enabled": _(
                "Switched off, the group's chat room closes for everyone, also in open browser "
                "windows, and search no longer finds its messages. Nothing is deleted: switch "
                "it on again and everything is back."
            ),
            "events_enabled": _(
                "Switched off, nobody can see the group's events, their sign-ups and calendars, "
                "and search no longer finds them. Nothing is deleted: switch it on again and "
                "everything is back."
            ),
            "files_enabled": _(
                "Switched off, nobody can see or download the group's files, and search no "
                "longer finds them. Nothing is deleted: switch it on again and everything is back."
            ),
            "discussions_enabled": _(
                "Switched off, nobody can read the group's discussions and their replies, and "
                "search no longer finds them. Nothing is deleted: switch it on again and "
                "everything is back."
            ),
            "questions_enabled": _(
                "Switched off, nobody can read the group's questions and their answers, and "
                "search no longer finds them. Nothing is deleted: switch it on again and "
                "everything is back."
            ),
            "polls_enabled": _(
                "Switched off, nobody can see the group's polls or vote in them, and search no "
                "longer finds them. Nothing is deleted: switch it on again and everything is back."
            ),
            "members_tab_enabled": _(
                "Switched off, only the group's owners and admins see who is a member: the "
                "members list, the activity and the organisations taking part. Everyone sees "
                "the number of members."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Part of the web address, e.g. open-source. Left empty, it is made from the name."
        )
        # Not chosen (a form of before the agenda, a script): every member, the default.
        self.fields["event_organisers"].required = False

    def clean_event_organisers(self):
        return self.cleaned_data.get("event_organisers") or "members"

    def clean_description(self):
        return clean_text(self.cleaned_data.get("description", ""))

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):
            validate_avatar(avatar, what="group image")
        return avatar

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("name", ""))
        slug = slug[:80]
        if not slug:
            raise ValidationError(_("Give the group a web address of letters and digits."))
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("This web address is reserved; choose another."))
        taken = Group.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()
        if taken:
            raise ValidationError(
                _("The web address %(slug)s is already taken by another group; choose another."),
                params={"slug": slug},
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("avatar") and not cleaned.get("avatar_alt", "").strip():
            self.add_error(
                "avatar_alt", _("Describe the image, so that everyone knows what it shows.")
            )
        return cleaned


class JoinRequestForm(SubmissionKeyMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the group's admins"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: who you are and why you want to join."),
    )

    def clean_message(self):
        return clean_text(self.cleaned_data.get("message", ""))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("refuse", _("Refuse"))])
    reason = forms.CharField(
        label=_("Reason (optional, sent to the person)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_reason(self):
        return clean_text(self.cleaned_data.get("reason", ""))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class InvitationForm(SubmissionKeyMixin, forms.Form):
    emails = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One or more addresses, separated by commas, spaces or new lines."),
    )
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_emails(self):
        raw = self.cleaned_data["emails"].replace(",", " ").replace(";", " ").split()
        emails, invalid = [], []
        for candidate in raw:
            address = candidate.strip().lower()
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(candidate)
                continue
            if address not in emails:
                emails.append(address)
        if invalid:
            raise ValidationError(
                _("These are not valid e-mail addresses: %(addresses)s"),
                params={"addresses": ", ".join(invalid[:10])},
            )
        if not emails:
            raise ValidationError(_("Enter at least one e-mail address."))
        if len(emails) > INVITATION_LIMIT:
            raise ValidationError(INVITATION_LIMIT_MESSAGE, params={"limit": INVITATION_LIMIT})
        return emails

    def clean_message(self):
        return clean_text(self.cleaned_data.get("message", ""))


class GroupFilterForm(QueryForm):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    mine = forms.BooleanField(label=_("Only my groups"), required=False)
    organisation = IdChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("All organisations"),
        error_messages={"invalid_choice": _("There is no organisation “%(value)s”.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Organisation

        self.fields["organisation"].queryset = Organisation.objects.order_by("name")


class PinnedItemForm(SubmissionKeyMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    url = forms.CharField(
        label=_("Link"),
        max_length=500,
        help_text=_("A page on this site (starting with /) or a web address (https://…)."),
    )

    def clean_title(self):
        return clean_text(self.cleaned_data["title"])

    def clean_url(self):
        # One check for every stored link (meent/links.py): "/\\evil.example" is no path here.
        url = links.safe_link(self.cleaned_data["url"])
        if url is None:
            raise ValidationError(links.LinkValidator.message, code="invalid_link")
        return url
