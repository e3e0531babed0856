from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meent.idempotency import SubmissionKeyMixin
from meent.params import NumberField, QueryForm

from .models import WikiPage


class PageForm(forms.Form):
    """Writing a page. The services clean and check; the form keeps what the person typed."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 20, "data-rich-text": ""}),
        help_text=_(
            "Link to another page of this wiki with [[Page title]], or [[Page title|other words]]."
        ),
    )
    summary = forms.CharField(
        label=_("What did you change? (optional)"),
        max_length=300,
        required=False,
        help_text=_("A few words for the history, for example “added the meeting dates”."),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, manage=False, closed_group=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = settings.MEENT_WIKI_MAX_BODY
        # In a closed group every page is for members only: there is nothing to choose.
        if not closed_group:
            self.fields["visibility"] = forms.ChoiceField(
                label=_("Who may read this page"),
                choices=WikiPage.Visibility.choices,
                initial=WikiPage.Visibility.GROUP,
                widget=forms.RadioSelect,
                required=False,  # not sent: the page keeps what it has
            )
        if manage:
            self.fields["edit_policy"] = forms.ChoiceField(
                label=_("Who may edit this page"),
                choices=WikiPage.EditPolicy.choices,
                initial=WikiPage.EditPolicy.MEMBERS,
                widget=forms.RadioSelect,
                required=False,
            )


class NewPageForm(SubmissionKeyMixin, PageForm):
    slug = forms.SlugField(
        label=_("Web address (optional)"),
        max_length=100,
        required=False,
        help_text=_("Made from the title when empty: lower-case letters, digits and hyphens."),
    )
    parent = forms.TypedChoiceField(
        label=_("Place in the wiki"), coerce=int, required=False, empty_value=None
    )

    field_order = ["title", "parent", "slug", "body", "summary"]

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("base_revision")
        self.fields["summary"].initial = ""
        self.fields["parent"].choices = [("", _("At the top of the wiki"))] + [
            (page.pk, "— " * page.depth + page.title) for page in parents
        ]


class MoveForm(forms.Form):
    parent = forms.TypedChoiceField(
        label=_("New place: under which page?"), coerce=int, required=False, empty_value=None
    )
    position = forms.IntegerField(
        label=_("Position among the pages there"),
        min_value=1,
        help_text=_("1 puts the page first."),
    )
    slug = forms.SlugField(label=_("Web address"), max_length=100)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("At the top of the wiki"))] + [
            (page.pk, "— " * page.depth + page.title) for page in parents
        ]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))


class NewPageQuery(QueryForm):
    """/-/new/?title=&parent=: what the new page's form starts with ([[Missing page]] links
    and "Add a page below" fill them in)."""

    title = forms.CharField(label=_("Title"), required=False, strip=False)
    parent = NumberField(label=_("Place in the wiki"))


class CompareQuery(QueryForm):
    """/-/<id>/compare/?from=&to=: the two revision numbers to compare."""

    from_ = NumberField(label=_("From"))
    to = NumberField(label=_("To"))
