"""The library's forms. They keep what the person typed; the services clean and check names,
sizes, content and rights (files/services.py), and their refusals are shown at the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meent.idempotency import SubmissionKeyMixin
from meent.params import PageForm

from .models import NAME_MAX, REACH_ORDER, Folder, Reach

SORTS = (
    ("name", _("Name")),
    ("-updated", _("Last changed")),
    ("size", _("Size")),
)


class FolderQuery(PageForm):
    """?sort=name|-updated|size&tag=<slug>&page=<n>: a folder's list."""

    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)
    tag = forms.SlugField(label=_("Tag"), required=False, allow_unicode=True, max_length=60)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; each is judged by the services."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class UploadForm(SubmissionKeyMixin, forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Choose one or more files: documents, spreadsheets, presentations, PDFs, images or text."
        ),
        error_messages={"required": _("Choose one or more files to upload.")},
    )


class VersionForm(SubmissionKeyMixin, forms.Form):
    file = forms.FileField(
        label=_("New version"),
        help_text=_(
            "The file keeps its name and address; the earlier versions stay in its history."
        ),
        error_messages={
            "required": _("Choose the file to upload as the new version."),
            "empty": _("The file is empty: choose a file with something in it."),
        },
    )


def visibility_choices(parent: Folder, group) -> list[tuple[str, str]]:
    """The choice "as the folder it is in", and every rule not wider than the parent's reach
    (in a closed group: not wider than its members)."""
    widest = REACH_ORDER.index(parent.reach)
    if group.is_closed:
        widest = 0
    return [(Folder.INHERIT, Folder.VISIBILITY_CHOICES[0][1])] + [
        (value, label) for value, label in Reach.choices if REACH_ORDER.index(value) <= widest
    ]


VISIBILITY_HELP = _(
    "A folder is never more open than the folder it is in, or than the group allows: only those "
    "choices are offered. Its files and folders follow it."
)


class FolderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)

    def __init__(self, *args, parent: Folder, group, with_visibility=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_visibility:
            self.fields["visibility"] = forms.ChoiceField(
                label=_("Who may see it"),
                choices=visibility_choices(parent, group),
                initial=Folder.INHERIT,
                widget=forms.RadioSelect,
                help_text=VISIBILITY_HELP,
            )


class NewFolderForm(SubmissionKeyMixin, FolderForm):
    pass


class FileForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX,
        help_text=_(
            "With its extension, for example “Plan.pdf”: the extension must match the content."
        ),
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What is in it, for whom: plain text. An image's description is its text alternative."
        ),
    )
    tags = forms.CharField(
        label=_("Tags (optional)"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, for example “budget, 2027”."),
    )


class MoveForm(forms.Form):
    target = forms.TypedChoiceField(label=_("Move to folder"), coerce=int)

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(pk, label) for pk, label in folders]


class TrashRestoreForm(forms.Form):
    kind = forms.ChoiceField(choices=(("file", "file"), ("folder", "folder")))
    id = forms.IntegerField(min_value=1, max_value=2**63 - 1)
