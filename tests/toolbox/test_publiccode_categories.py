"""The generator's categories (issue 18): grouped, labelled in the reader's language, with a filter.

The value posted and written into the file stays the standard's word (the slug); what a person
reads is a label in the page's language, in groups. The filter itself is JavaScript and is tested
in the browser (tests/e2e/test_toolbox_publiccode_journey.py); here: the groups, the labels, the
markup the script and a screen reader rely on, and the round trip through the form.
"""

import re
import unicodedata
from collections import Counter
from html import unescape

import pytest
import yaml
from django.utils import translation
from django.utils.translation import trans_real

from toolbox.publiccode import schema
from toolbox.publiccode.forms import GeneratorForm

from .test_publiccode_views import generator_url, tool, valid_post  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

CHECKBOX = re.compile(
    r'<input type="checkbox" name="categories" value="([^"]+)"([^>]*)>\s*([^<]*)</label>'
)
LEGEND = re.compile(r'<fieldset class="publiccode-category-group"[^>]*>\s*<legend>([^<]*)</legend>')
# A few of the proposed Dutch labels, put into the catalogue for the tests that show Dutch.
DUTCH = {
    "Finance and procurement": "Financiën en inkoop",
    "Billing and invoicing": "Facturering en factuurverwerking",
    "Financial reporting": "Financiële verslaglegging",
    "Customer relationship management (CRM)": "Klantrelatiebeheer (CRM)",
}


def label_msgid(slug):
    for _group, categories in schema.CATEGORY_GROUPS:
        for value, label in categories:
            if value == slug:
                with translation.override("en"):
                    return str(label)
    raise KeyError(slug)


class CatalogueWithExtras:
    """A catalogue with some extra translations in front of the real one."""

    def __init__(self, catalog, extras):
        self._catalog, self._extras = catalog, extras

    def get(self, key, default=None):
        if key in self._extras:
            return self._extras[key]
        return self._catalog.get(key, default)

    def __getattr__(self, name):
        return getattr(self._catalog, name)


@pytest.fixture
def dutch_labels(monkeypatch):
    """Dutch labels for a few categories, whether or not the catalogue has them yet."""
    dutch = trans_real.translation("nl")
    monkeypatch.setattr(dutch, "_catalog", CatalogueWithExtras(dutch._catalog, DUTCH))
    return DUTCH


def categories_of(content):
    """[(slug, checked, label)] of the page's category checkboxes, in page order."""
    return [
        (slug, " checked" in attributes, unescape(label).strip())
        for slug, attributes, label in CHECKBOX.findall(content)
    ]


def fold(text):
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# --- The groups -------------------------------------------------------------------------------


def test_every_category_is_in_exactly_one_group_and_no_group_holds_an_unknown_one():
    grouped = Counter(
        slug for _group, categories in schema.CATEGORY_GROUPS for slug, _ in categories
    )
    assert set(grouped) == set(schema.CATEGORIES)
    assert [slug for slug, times in grouped.items() if times > 1] == []
    assert sum(grouped.values()) == len(schema.CATEGORIES) == 103
    assert 8 <= len(schema.CATEGORY_GROUPS) <= 12
    assert all(categories for _group, categories in schema.CATEGORY_GROUPS)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_labels_and_group_names_are_distinct_and_not_the_standards_words(language):
    with translation.override(language):
        groups = [str(group) for group, _ in schema.CATEGORY_GROUPS]
        labels = [str(label) for _, categories in schema.CATEGORY_GROUPS for _, label in categories]
    assert len(set(groups)) == len(groups)
    assert len(set(map(fold, labels))) == len(labels)
    assert not set(labels) & set(schema.CATEGORIES)


def test_the_choices_are_grouped_and_sorted_by_label_in_the_current_language(dutch_labels):
    for language in ("en", "nl"):
        with translation.override(language):
            choices = schema.category_choices()
            assert [str(group) for group, _ in choices] == [
                str(group) for group, _ in schema.CATEGORY_GROUPS
            ]
            for _group, categories in choices:
                labels = [fold(str(label)) for _slug, label in categories]
                assert labels == sorted(labels)


def test_the_field_accepts_every_slug_and_writes_the_slugs():
    form = GeneratorForm(valid_post(categories=list(schema.CATEGORIES)))
    assert form.is_valid(), form.errors
    assert yaml.safe_load(form.yaml)["categories"] == schema.CATEGORIES


# --- The page -----------------------------------------------------------------------------------


def test_english_page_shows_english_labels_in_groups(client, generator_url):  # noqa: F811
    content = client.get(generator_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = categories_of(content)
    assert sorted(slug for slug, _checked, _label in shown) == sorted(schema.CATEGORIES)
    labels = {slug: label for slug, _checked, label in shown}
    assert labels["billing-and-invoicing"] == "Billing and invoicing"
    assert labels["crm"] == "Customer relationship management (CRM)"
    assert labels["voip"] == "Internet telephony (VoIP)"
    assert not set(labels.values()) & set(schema.CATEGORIES)  # no slug as a label
    assert [unescape(legend) for legend in LEGEND.findall(content)] == [
        "Office, collaboration and communication",
        "Content, media and knowledge",
        "Data and analysis",
        "Finance and procurement",
        "People and organisation (HR)",
        "Projects, tasks and time",
        "IT development and operations",
        "Security, identity and compliance",
        "Customers and citizens",
        "Marketing and sales",
        "Facilities, property and logistics",
        "Learning and education",
    ]


def test_dutch_page_shows_dutch_labels_and_group_names(client, generator_url, dutch_labels):  # noqa: F811
    content = client.get(generator_url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="nl">' in content
    labels = {slug: label for slug, _checked, label in categories_of(content)}
    assert labels["billing-and-invoicing"] == "Facturering en factuurverwerking"
    assert labels["crm"] == "Klantrelatiebeheer (CRM)"
    assert labels["financial-reporting"] == "Financiële verslaglegging"
    assert "Financiën en inkoop" in [unescape(legend) for legend in LEGEND.findall(content)]
    assert "Billing and invoicing" not in content
    # Every label and group name is the catalogue's Dutch (English where it has none yet), and
    # never the standard's word.
    with translation.override("nl"):
        for slug, label in labels.items():
            assert label == translation.gettext(label_msgid(slug))
            assert label != slug
        assert [unescape(legend) for legend in LEGEND.findall(content)] == [
            str(group) for group, _ in schema.CATEGORY_GROUPS
        ]


def test_groups_are_fieldsets_inside_the_fields_fieldset_with_flat_ids(client, generator_url):  # noqa: F811
    content = client.get(generator_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    field = content.split('<fieldset class="publiccode-categories"')[1].split(
        "</fieldset>\n</div>"
    )[0]
    assert 'aria-describedby="id_categories_helptext"' in field.split(">")[0]
    assert 'id="id_categories_helptext"' in field
    assert field.count('<fieldset class="publiccode-category-group"') == len(schema.CATEGORY_GROUPS)
    ids = re.findall(r'<input type="checkbox" name="categories"[^>]* id="([^"]+)"', field)
    assert ids == [f"id_categories_{n}" for n in range(len(schema.CATEGORIES))]
    assert all(f'<label for="{id_}">' in field for id_ in ids)


def test_the_filter_is_hidden_without_javascript_and_carries_its_texts(client, generator_url):  # noqa: F811
    content = client.get(generator_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    match = re.search(
        r"<div class=\"publiccode-filter\"([^>]*)>(.*?)</div>\s*<div id=", content, re.S
    )
    assert match
    attributes, inner = match.groups()
    assert attributes.rstrip().endswith("hidden")  # categories.js unhides it
    assert 'data-category-filter="id_categories"' in attributes
    assert 'data-count-none="No category matches the filter."' in attributes
    assert 'data-count-one="1 category shown"' in attributes
    assert 'data-count-many="{count} categories shown"' in attributes
    assert '<label for="id_categories_filter">Filter categories</label>' in inner
    assert re.search(r'<input type="search" id="id_categories_filter"[^>]*>', inner)
    assert 'name="' not in inner  # nothing of the filter is posted
    assert re.search(r'<p [^>]*aria-live="polite"[^>]*data-category-count></p>', inner)
    assert re.search(r'<script type="module" src="[^"]*toolbox_publiccode/categories\.js"', content)
    assert "<script>" not in content  # no inline script (the CSP forbids it)


def test_the_filters_texts_are_translated(client, generator_url):  # noqa: F811
    content = client.get(generator_url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    with translation.override("nl"):
        assert f">{translation.gettext('Filter categories')}</label>" in content
        many = translation.gettext("%(count)s categories shown") % {"count": "{count}"}
    assert f'data-count-many="{many}"' in content


def test_posted_slugs_are_written_into_the_yaml(client, generator_url):  # noqa: F811
    chosen = ["billing-and-invoicing", "crm", "it-security"]
    response = client.post(generator_url, valid_post(categories=chosen))
    assert response.context["form"].errors == {}
    text = unescape(
        re.search(r"<pre[^>]*><code>(.*?)</code></pre>", response.content.decode(), re.S)[1]
    )
    assert yaml.safe_load(text)["categories"] == chosen
    assert schema.validate_text(text).problems == []
    # The form shows them checked again, and the download form carries the slugs.
    content = response.content.decode()
    checked = [slug for slug, is_checked, _label in categories_of(content) if is_checked]
    assert sorted(checked) == sorted(chosen)
    download_form = content.split("<pre")[1].split("</form>")[0]
    for slug in chosen:
        assert f'<input type="hidden" name="categories" value="{slug}">' in download_form


def test_an_unknown_slug_rerenders_the_form_with_an_error_and_keeps_the_rest(client, generator_url):  # noqa: F811
    response = client.post(
        generator_url,
        valid_post(categories=["crm", "no-such-category"], name="Meent"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["categories"]
    content = response.content.decode()
    assert "<pre" not in content
    assert 'id="id_categories_error"' in content
    assert re.search(
        r'<fieldset class="publiccode-categories" aria-describedby="[^"]*id_categories_error"',
        content,
    )
    assert 'href="#id_categories_0"' in content  # the summary leads to the first checkbox
    assert [slug for slug, checked, _label in categories_of(content) if checked] == ["crm"]
    assert 'name="name" value="Meent"' in content


@pytest.mark.parametrize("categories", [["CRM"], [""], ["crm"] * 3, ["x" * 5000]])
def test_odd_category_values_never_break_the_page(client, generator_url, categories):  # noqa: F811
    response = client.post(generator_url, valid_post(categories=categories))
    assert response.status_code == 200
