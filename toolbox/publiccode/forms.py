"""The generator's and the validator's forms. The generator is checked by the schema module, so
what it accepts is exactly what the standard accepts, and each problem shows on its own field."""

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import schema

LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("fy", _("Frisian")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pap", _("Papiamento")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
]
MAX_CONTACTS = 2

# Schema key paths (list indices removed) and the form field that holds their value.
FIELD_FOR_PATH = {
    "name": "name",
    "url": "url",
    "landingURL": "landing_url",
    "softwareVersion": "software_version",
    "releaseDate": "release_date",
    "platforms": "platforms",
    "categories": "categories",
    "developmentStatus": "development_status",
    "softwareType": "software_type",
    "description": "description_nl_short",
    "legal": "licence",
    "legal.license": "licence",
    "maintenance": "maintenance_type",
    "maintenance.type": "maintenance_type",
    "maintenance.contacts": "contact_1_name",
    "maintenance.contractors": "contractor_name",
    "maintenance.contractors.name": "contractor_name",
    "maintenance.contractors.until": "contractor_until",
    "localisation": "available_languages",
    "localisation.availableLanguages": "available_languages",
    "localisation.localisationReady": "localisation_ready",
}
for _language in ("nl", "en"):
    FIELD_FOR_PATH.update(
        {
            f"description.{_language}": f"description_{_language}_short",
            f"description.{_language}.shortDescription": f"description_{_language}_short",
            f"description.{_language}.longDescription": f"description_{_language}_long",
            f"description.{_language}.features": f"description_{_language}_features",
        }
    )
_CONTACT_PATH = re.compile(r"^maintenance\.contacts\[(\d+)\]\.(name|email)$")
_INDEX = re.compile(r"\[\d+\]")


def field_for_path(path):
    """The generator field that shows a problem found at ``path`` (None: the form as a whole)."""
    contact = _CONTACT_PATH.match(path)
    if contact and int(contact[1]) < MAX_CONTACTS:
        return f"contact_{int(contact[1]) + 1}_{contact[2]}"
    return FIELD_FOR_PATH.get(_INDEX.sub("", path))


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in groups, each group a fieldset with its name as the legend.

    Django numbers grouped options per group (id_categories_0_0); these are numbered straight
    through (id_categories_0 ... _102), as ungrouped checkboxes are, so that the error summary's
    link to the first checkbox works for every checkbox field alike.
    """

    template_name = "toolbox_publiccode/_grouped_checkboxes.html"

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        base_id = (attrs or {}).get("id") or self.attrs.get("id")
        number = 0
        for _group, options, _index in groups:
            for option in options:
                option["index"] = str(number)
                if base_id and "id" in option["attrs"]:
                    option["attrs"]["id"] = self.id_for_label(base_id, number)
                number += 1
        return groups


class GeneratorForm(forms.Form):
    """Everything a usual government project needs in its publiccode.yml."""

    name = forms.CharField(label=_("Name of the software"), max_length=200)
    url = forms.CharField(
        label=_("Repository URL"),
        max_length=500,
        help_text=_("Where the source code is, such as https://github.com/organisation/project."),
        widget=forms.URLInput,
    )
    landing_url = forms.CharField(
        label=_("Landing page URL"),
        max_length=500,
        required=False,
        help_text=_("Optional: a page for people rather than for version control."),
        widget=forms.URLInput,
    )
    software_version = forms.CharField(
        label=_("Software version"),
        max_length=50,
        required=False,
        help_text=_("The latest released version, such as 1.2.0."),
    )
    release_date = forms.DateField(
        label=_("Release date"),
        required=False,
        help_text=_("The date of that release (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    development_status = forms.ChoiceField(
        label=_("Development status"), choices=schema.DEVELOPMENT_STATUSES
    )
    software_type = forms.ChoiceField(label=_("Type of software"), choices=schema.SOFTWARE_TYPES)
    platforms = forms.MultipleChoiceField(
        label=_("Platforms"),
        choices=schema.PLATFORMS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Where people use the software."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        choices=schema.category_choices,
        widget=GroupedCheckboxSelectMultiple,
        template_name="toolbox_publiccode/_categories_field.html",
        required=False,
        help_text=_(
            "Optional: what the software is for. The file names each with the standard's word."
        ),
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=schema.COMMON_LICENCES,
        initial="EUPL-1.2",
        help_text=_("The EUPL-1.2 is the usual choice of government organisations."),
    )
    maintenance_type = forms.ChoiceField(
        label=_("Maintenance"), choices=schema.MAINTENANCE_TYPES, widget=forms.RadioSelect
    )
    contractor_name = forms.CharField(
        label=_("Contractor"),
        max_length=200,
        required=False,
        help_text=_("Needed for maintenance by contract: the company or person contracted."),
    )
    contractor_until = forms.DateField(
        label=_("Contract ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    contact_1_name = forms.CharField(
        label=_("First contact: name"),
        max_length=200,
        required=False,
        help_text=_("A person, not a department. Needed for internal or community maintenance."),
    )
    contact_1_email = forms.CharField(
        label=_("First contact: e-mail address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput,
    )
    contact_2_name = forms.CharField(
        label=_("Second contact: name"), max_length=200, required=False
    )
    contact_2_email = forms.CharField(
        label=_("Second contact: e-mail address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput,
    )
    available_languages = forms.MultipleChoiceField(
        label=_("Languages of the software"),
        choices=LANGUAGES,
        initial=["nl"],
        widget=forms.CheckboxSelectMultiple,
    )
    localisation_ready = forms.BooleanField(
        label=_("The software is ready for translation into other languages"), required=False
    )
    description_nl_short = forms.CharField(
        label=_("Short description in Dutch"),
        help_text=_("One sentence of at most 150 characters."),
    )
    description_nl_long = forms.CharField(
        label=_("Long description in Dutch"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Between 150 and 10,000 characters, for the people who will use it."),
    )
    description_nl_features = forms.CharField(
        label=_("Features in Dutch"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    description_en_short = forms.CharField(
        label=_("Short description in English"),
        required=False,
        help_text=_("Optional. One sentence of at most 150 characters."),
    )
    description_en_long = forms.CharField(
        label=_("Long description in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Needed with an English short description: 150 to 10,000 characters."),
    )
    description_en_features = forms.CharField(
        label=_("Features in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. One per line."),
    )

    SECTIONS = [
        (
            _("The software"),
            [
                "name",
                "url",
                "landing_url",
                "software_version",
                "release_date",
                "development_status",
                "software_type",
                "platforms",
                "categories",
                "licence",
            ],
        ),
        (
            _("Maintenance"),
            [
                "maintenance_type",
                "contact_1_name",
                "contact_1_email",
                "contact_2_name",
                "contact_2_email",
                "contractor_name",
                "contractor_until",
            ],
        ),
        (_("Languages"), ["available_languages", "localisation_ready"]),
        (
            _("Description in Dutch"),
            ["description_nl_short", "description_nl_long", "description_nl_features"],
        ),
        (
            _("Description in English"),
            ["description_en_short", "description_en_long", "description_en_features"],
        ),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = None
        self.yaml = None

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self):
        cleaned = super().clean()
        data = dict(cleaned)
        data["contacts"] = [
            {"name": cleaned.get(f"contact_{n}_name"), "email": cleaned.get(f"contact_{n}_email")}
            for n in range(1, MAX_CONTACTS + 1)
        ]
        for n in range(1, MAX_CONTACTS + 1):
            if cleaned.get(f"contact_{n}_email") and not cleaned.get(f"contact_{n}_name"):
                self.add_error(
                    f"contact_{n}_name", gettext("Give the name with the e-mail address.")
                )
        if cleaned.get("contractor_until") and not cleaned.get("contractor_name"):
            self.add_error("contractor_name", gettext("Give the contractor's name with the date."))
        if cleaned.get("contractor_name") and not cleaned.get("contractor_until"):
            self.add_error("contractor_until", gettext("Give the date on which the contract ends."))
        english = [cleaned.get(f"description_en_{part}") for part in ("short", "long", "features")]
        if any(english) and not cleaned.get("description_en_short"):
            self.add_error(
                "description_en_short",
                gettext("Give an English short description with the other English texts."),
            )
        if cleaned.get("description_en_short") and not cleaned.get("description_en_long"):
            self.add_error(
                "description_en_long",
                gettext("Give an English long description with the English short description."),
            )
        # The schema checks everything that the fields let through; a field that has an error
        # already keeps that one message.
        document = schema.build_document(data)
        report = schema.validate_data(document)
        for problem in report.errors:
            name = field_for_path(problem.path)
            if name is not None and name in self.errors:
                continue  # the field says what is wrong already
            self.add_error(name, problem.message)
        if not self.errors:
            self.document = document
            self.yaml = schema.dump(document)
        return cleaned


class ValidatorForm(forms.Form):
    """A publiccode.yml to check: pasted into the text area or uploaded, one of the two."""

    content = forms.CharField(
        label=_("Paste your publiccode.yml"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code-input"}),
    )
    file = forms.FileField(
        label=_("Or upload the file"),
        required=False,
        help_text=_("At most 1 MiB, UTF-8 encoded."),
    )

    def clean_content(self):
        content = self.cleaned_data["content"]
        if len(content.encode("utf-8", errors="surrogatepass")) > schema.MAX_BYTES:
            raise forms.ValidationError(
                gettext("The text is larger than 1 MiB; a publiccode.yml is much smaller.")
            )
        return content

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size is not None and upload.size > schema.MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than 1 MiB; a publiccode.yml is much smaller.")
            )
        upload.seek(0)
        raw = upload.read(schema.MAX_BYTES + 1)
        if len(raw) > schema.MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than 1 MiB; a publiccode.yml is much smaller.")
            )
        if not raw.strip():
            raise forms.ValidationError(gettext("The file is empty."))
        return raw

    def clean(self):
        cleaned = super().clean()
        has_content = bool((cleaned.get("content") or "").strip())
        has_file = bool(cleaned.get("file")) or "file" in self.errors
        if has_content and has_file:
            raise forms.ValidationError(
                gettext("Paste the text or upload a file, not both."), code="both"
            )
        if not has_content and not has_file and not self.errors:
            raise forms.ValidationError(
                gettext("Paste the contents of a publiccode.yml or choose a file."), code="neither"
            )
        return cleaned

    def source(self):
        """What to check: the uploaded bytes or the pasted text."""
        return self.cleaned_data.get("file") or self.cleaned_data.get("content") or ""
