"""The form of a person's profile values, built from the community's fields (models.py)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from meent import links
from meent.params import IdChoiceField, QueryForm
from meent.sanitize import clean_text, without_bidi_controls

from .models import MAX_TAGS, TAG_LENGTH, ProfileField, phone_validator, tag_key
from .services import save_values

Kind = ProfileField.Kind

# Control characters other than the new lines of long text: in no profile value.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAG_SEPARATORS = re.compile(r"[,;\n]")

NO_MARKUP = _(
    "Write plain text: no HTML or other markup (remove the < and > around it). It is shown "
    "exactly as you type it."
)


def plain(text: str, *, multiline=False) -> str:
    """``text`` without invisible reordering characters and control characters, its white space
    tidied (one line, unless ``multiline``)."""
    text = without_bidi_controls(_CONTROL.sub("", text or "")).replace("\r\n", "\n")
    if multiline:
        return "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return " ".join(text.split())


def has_markup(text: str) -> bool:
    """Whether the text holds markup that would be removed from plain text."""
    return clean_text(text) != text.strip()


def field_for(field: ProfileField) -> forms.Field:
    """The form field for a profile field, labelled and limited as the operator said."""
    help_text = field.help
    common = {"label": field.label, "required": False, "help_text": help_text}
    if field.kind == Kind.CHOICE:
        options = [("", _("(not given)")), *((option, option) for option in field.choice_list())]
        return forms.ChoiceField(choices=options, **common)
    if field.kind == Kind.LONG_TEXT:
        return forms.CharField(
            max_length=field.max_length, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    if field.kind == Kind.URL:
        form_field = forms.CharField(max_length=field.max_length, **common)
        form_field.widget.input_type = "url"
        form_field.widget.attrs["inputmode"] = "url"
        return form_field
    if field.kind == Kind.PHONE:
        form_field = forms.CharField(max_length=field.max_length, **common)
        form_field.widget.input_type = "tel"
        form_field.widget.attrs["autocomplete"] = "tel"
        return form_field
    if field.kind == Kind.TAGS and not help_text:
        common["help_text"] = _("Separate them with commas.")
    return forms.CharField(max_length=field.max_length, **common)


class ProfileValuesForm(forms.Form):
    """One form field per profile field of the community; ``answers()`` after validation."""

    legend = _("More about you")
    stylesheet = "people/people.css"

    def __init__(self, fields, user, *args, **kwargs):
        kwargs.setdefault("prefix", "fields")
        super().__init__(*args, **kwargs)
        self.profile_fields = {field.key: field for field in fields}
        self.user = user
        current = {}
        if user is not None and user.pk:
            current = {
                value.field_id: value.value
                for value in user.profile_values.filter(field__in=fields)
            }
        for field in fields:
            self.fields[field.key] = field_for(field)
            self.initial[field.key] = current.get(field.pk, "")

    def clean(self):
        cleaned = super().clean()
        for key, field in self.profile_fields.items():
            if key not in cleaned:
                continue  # already refused
            try:
                cleaned[key] = self._clean_value(field, cleaned[key] or "")
            except forms.ValidationError as error:
                self.add_error(key, error)
        return cleaned

    def _clean_value(self, field, raw):
        text = plain(raw, multiline=field.kind == Kind.LONG_TEXT)
        if not text:
            return ""
        if field.kind != Kind.URL and has_markup(text):
            raise forms.ValidationError(NO_MARKUP, code="markup")
        if field.kind == Kind.URL:
            if not links.is_web_address(text):
                raise forms.ValidationError(
                    _("Give a web address starting with https:// or http://, without spaces."),
                    code="invalid_url",
                )
        elif field.kind == Kind.PHONE:
            phone_validator(text)
        elif field.kind == Kind.TAGS:
            text = self._clean_tags(field, text)
        if len(text) > field.max_length:
            raise forms.ValidationError(
                _("At most %(limit)s characters, please (this has %(count)s).")
                % {"limit": field.max_length, "count": len(text)},
                code="max_length",
            )
        return text

    def _clean_tags(self, field, text):
        tags = {}
        for part in _TAG_SEPARATORS.split(text):
            tag = " ".join(part.split())
            if not tag:
                continue
            if len(tag) > TAG_LENGTH:
                raise forms.ValidationError(
                    _("A tag has at most %(limit)s characters: “%(tag)s…” is longer.")
                    % {"limit": TAG_LENGTH, "tag": tag[:20]},
                    code="tag_length",
                )
            tags.setdefault(tag_key(tag), tag)
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("At most %(limit)s tags, please (this has %(count)s).")
                % {"limit": MAX_TAGS, "count": len(tags)},
                code="too_many_tags",
            )
        return ", ".join(tags.values())

    def answers(self):
        """{ProfileField: cleaned text} of every field of the form."""
        return {field: self.cleaned_data.get(key, "") for key, field in self.profile_fields.items()}

    def save(self):
        save_values(self.user, self.answers())


class DirectoryForm(QueryForm):
    """The directory's search and filters (the query string of /people/)."""

    q = forms.CharField(label=_("Name, organisation or expertise"), required=False)
    organisation = IdChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("All organisations"),
        error_messages={"invalid_choice": _("There is no organisation “%(value)s”.")},
    )
    group = IdChoiceField(
        label=_("Group"),
        queryset=None,
        required=False,
        empty_label=_("All groups"),
        error_messages={
            "invalid_choice": _("There is no group “%(value)s” whose members you may see.")
        },
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=TAG_LENGTH)

    def __init__(self, *args, organisations, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["group"].queryset = groups
