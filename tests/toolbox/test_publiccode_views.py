"""The publiccode.yml tool's page: the generator and the validator over HTTP."""

import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from home.models import HomePage
from tests.helpers import queries_of
from toolbox.models import ToolboxIndexPage, ToolboxSectionPage
from toolbox.publiccode import schema
from toolbox.publiccode.forms import GeneratorForm, ValidatorForm, field_for_path
from toolbox.publiccode.models import PublicCodeToolPage

from .test_publiccode_schema import LONG_EN, LONG_NL, MINIMAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def tool(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    home = HomePage.objects.first()
    index = home.add_child(instance=ToolboxIndexPage(title="Toolbox", slug="toolbox"))
    return index.add_child(
        instance=PublicCodeToolPage(
            title="publiccode.yml", slug="publiccode", introduction="Maak of controleer je bestand."
        )
    )


@pytest.fixture
def generator_url(tool):
    return tool.url


@pytest.fixture
def validator_url(tool):
    return tool.url + "validate/"


def valid_post(**changes):
    data = {
        "name": "Meent",
        "url": "https://github.com/example/meent.git",
        "landing_url": "",
        "software_version": "1.0.0",
        "release_date": "2025-06-01",
        "development_status": "stable",
        "software_type": "standalone/web",
        "platforms": ["web"],
        "categories": ["collaboration"],
        "licence": "EUPL-1.2",
        "maintenance_type": "internal",
        "contact_1_name": "Eva Smit",
        "contact_1_email": "eva@example.nl",
        "contact_2_name": "",
        "contact_2_email": "",
        "contractor_name": "",
        "contractor_until": "",
        "available_languages": ["nl", "en"],
        "localisation_ready": "on",
        "description_nl_short": "Samenwerken over organisaties heen",
        "description_nl_long": LONG_NL,
        "description_nl_features": "Groepen\r\nWiki",
        "description_en_short": "",
        "description_en_long": "",
        "description_en_features": "",
    }
    data.update(changes)
    return data


def errors_of(response):
    return response.context["form"].errors


def html(response):
    return response.content.decode()


# --- The page ---------------------------------------------------------------------------------


def test_page_rules():
    assert PublicCodeToolPage.parent_page_types == [
        "toolbox.ToolboxIndexPage",
        "toolbox.ToolboxSectionPage",
    ]
    assert PublicCodeToolPage.allowed_subpage_models() == []
    from django.utils import translation

    with translation.override("en"):
        assert str(PublicCodeToolPage._meta.verbose_name) == "publiccode.yml tool"
        assert str(PublicCodeToolPage._meta.verbose_name_plural) == "publiccode.yml tools"
    assert str(PublicCodeToolPage._meta.verbose_name) == "publiccode.yml-tool"


def test_editors_can_create_the_tool_under_the_toolbox():
    assert PublicCodeToolPage.allowed_parent_page_models() == [ToolboxIndexPage, ToolboxSectionPage]


def test_generator_get_shows_the_form_with_eupl_first_and_chosen(client, generator_url):
    response = client.get(generator_url)
    assert response.status_code == 200
    content = html(response)
    assert "<h1>publiccode.yml</h1>" in content
    assert "Maak of controleer je bestand." in content
    options = re.findall(r'<option value="([^"]+)"[^>]*>', content.split('name="licence"')[1])
    assert options[0] == "EUPL-1.2"
    assert re.search(r'<option value="EUPL-1.2" selected>', content)
    # Checkbox groups are fieldsets with a legend; no result yet.
    assert content.count("<fieldset") >= 5 + 3
    assert "<legend>" in content
    assert "<pre" not in content
    assert 'aria-current="page"' in content


def test_generator_post_invalid_rerenders_with_messages_on_fields(client, generator_url):
    data = valid_post(
        name="",
        url="not a url",
        description_nl_short="x" * 151,
        description_nl_long="Te kort.",
        platforms=[],
        contact_1_email="geen-adres",
    )
    response = client.post(generator_url, data)
    assert response.status_code == 200
    errors = errors_of(response)
    # Required fields and the schema's checks together: every problem at once, on its field.
    assert set(errors) == {
        "name",
        "platforms",
        "contact_1_email",
        "url",
        "description_nl_short",
        "description_nl_long",
    }
    assert all(len(messages) == 1 for messages in errors.values()), errors
    content = html(response)
    assert 'id="error-summary-title"' in content
    assert 'href="#id_name"' in content
    assert 'href="#id_platforms_0"' in content  # the first checkbox of the group
    assert re.search(
        r'<input type="text" name="name"[^>]*aria-describedby="id_name_error"', content
    )
    assert re.search(r'<fieldset aria-describedby="[^"]*id_platforms_error"', content)
    assert "<pre" not in content
    assert "Content-Disposition" not in response


def test_generator_schema_errors_show_on_their_fields(client, generator_url):
    response = client.post(
        generator_url,
        valid_post(
            url="not a url",
            description_nl_short="x" * 151,
            description_nl_long="Te kort.",
            contact_1_email="geen-adres",
        ),
    )
    errors = errors_of(response)
    assert set(errors) == {"url", "description_nl_short", "description_nl_long", "contact_1_email"}
    content = html(response)
    for name in errors:
        assert f'href="#id_{name}"' in content
        assert f'id="id_{name}_error"' in content
    # What the person typed is kept.
    assert "Te kort." in content


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"maintenance_type": "internal", "contact_1_name": "", "contact_1_email": ""},
            "contact_1_name",
        ),
        (
            {"maintenance_type": "community", "contact_1_name": "", "contact_1_email": ""},
            "contact_1_name",
        ),
        (
            {"maintenance_type": "contract", "contractor_name": "", "contractor_until": ""},
            "contractor_name",
        ),
        ({"contractor_name": "Acme B.V.", "contractor_until": ""}, "contractor_until"),
        ({"contact_2_email": "a@example.nl"}, "contact_2_name"),
        ({"description_en_long": LONG_EN}, "description_en_short"),
        ({"description_en_short": "English", "description_en_long": ""}, "description_en_long"),
        (
            {"description_en_short": "English", "description_en_long": "Short."},
            "description_en_long",
        ),
        ({"release_date": "2025-13-45"}, "release_date"),
        ({"licence": "Proprietary"}, "licence"),
        ({"development_status": "finished"}, "development_status"),
        ({"categories": ["collaboration", "nonsense"]}, "categories"),
        ({"available_languages": []}, "available_languages"),
        ({"description_nl_features": "   \r\n  "}, "description_nl_features"),
    ],
)
def test_generator_field_errors(client, generator_url, changes, field):
    response = client.post(generator_url, valid_post(**changes))
    assert response.status_code == 200
    assert field in errors_of(response)
    assert "<pre" not in html(response)


def test_generator_post_valid_shows_the_yaml_and_a_download_button(client, generator_url):
    response = client.post(generator_url, valid_post())
    assert response.status_code == 200
    content = html(response)
    match = re.search(r"<pre[^>]*><code>(.*?)</code></pre>", content, re.S)
    assert match
    from html import unescape

    text = unescape(match[1])
    report = schema.validate_text(text)
    assert report.problems == []
    assert report.data["name"] == "Meent"
    assert report.data["maintenance"]["contacts"] == [
        {"name": "Eva Smit", "email": "eva@example.nl"}
    ]
    # The download form carries the same data, with download=1.
    download_form = content.split("<pre")[1].split("</form>")[0]
    assert 'name="download" value="1"' in download_form
    assert 'name="name" value="Meent"' in download_form
    assert 'name="platforms" value="web"' in download_form
    assert " id=" not in download_form.split("</pre>")[1]  # no ids that the visible form has
    with translation.override("nl"):
        assert translation.gettext("Download publiccode.yml") in download_form


def test_download_returns_the_file_as_an_attachment(client, generator_url):
    response = client.post(generator_url, {**valid_post(), "download": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="publiccode.yml"'
    text = response.content.decode("utf-8")
    assert schema.validate_text(response.content).problems == []
    assert yaml.safe_load(text)["legal"] == {"license": "EUPL-1.2"}
    shown = client.post(generator_url, valid_post())
    from html import unescape

    assert unescape(re.search(r"<code>(.*?)</code>", html(shown), re.S)[1]) == text


def test_download_with_invalid_data_rerenders_the_form(client, generator_url):
    response = client.post(generator_url, {**valid_post(name=""), "download": "1"})
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "name" in errors_of(response)


def test_download_of_hidden_fields_round_trips(client, generator_url):
    """The hidden download form posts exactly what produced the shown file."""
    shown = html(
        client.post(
            generator_url, valid_post(description_en_short="English", description_en_long=LONG_EN)
        )
    )
    download_form = shown.split("<pre")[1].split("</form>")[0]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', download_form)
    from html import unescape

    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(unescape(value))
    response = client.post(generator_url, data)
    assert response["Content-Disposition"] == 'attachment; filename="publiccode.yml"'
    document = yaml.safe_load(response.content)
    assert document["description"]["en"]["longDescription"] == LONG_EN
    assert document["localisation"] == {
        "localisationReady": True,
        "availableLanguages": ["nl", "en"],
    }


# --- The validator ----------------------------------------------------------------------------


def test_validator_get_shows_the_form(client, validator_url):
    response = client.get(validator_url)
    assert response.status_code == 200
    content = html(response)
    assert 'enctype="multipart/form-data"' in content
    assert 'name="content"' in content and 'type="file"' in content
    assert "publiccode-report" not in content


def test_validator_paste_valid(client, validator_url):
    response = client.post(validator_url, {"content": MINIMAL})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.is_valid and report.problems == []
    content = html(response)
    assert "publiccode-valid" in content
    assert "publiccode-problems" not in content
    # The pasted text is still in the text area.
    assert "A rather short description" in content.split('name="content"')[1]


def test_validator_paste_invalid_lists_problems_with_paths_and_severity(client, validator_url):
    broken = MINIMAL.replace("type: community", "type: sometimes").replace(
        "name: Medusa", "name: Medusa\ncolour: blue"
    )
    response = client.post(validator_url, {"content": broken})
    assert response.status_code == 200
    report = response.context["report"]
    assert [(p.path, p.severity) for p in report.problems] == [
        ("colour", schema.WARNING),
        ("maintenance.type", schema.ERROR),
    ]
    content = html(response)
    assert "publiccode-invalid" in content
    assert "<code>maintenance.type</code>" in content
    assert "<code>colour</code>" in content
    assert "publiccode-problem--error" in content and "publiccode-problem--warning" in content
    assert "type: sometimes" in content


def test_validator_upload(client, validator_url):
    upload = SimpleUploadedFile("publiccode.yml", MINIMAL.encode(), "application/yaml")
    response = client.post(validator_url, {"file": upload})
    assert response.status_code == 200
    assert response.context["report"].is_valid


def test_validator_upload_not_utf8_gets_a_report(client, validator_url):
    upload = SimpleUploadedFile(
        "publiccode.yml", MINIMAL.replace("Medusa", "Méduse").encode("latin-1")
    )
    response = client.post(validator_url, {"file": upload})
    (problem,) = response.context["report"].problems
    assert "UTF-8" in problem.message
    assert "UTF-8" in html(response)


def test_validator_hostile_paste_gets_a_report_not_a_crash(client, validator_url):
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n'
    response = client.post(validator_url, {"content": bomb})
    assert response.status_code == 200
    (problem,) = response.context["report"].problems
    assert problem.severity == schema.ERROR
    response = client.post(
        validator_url, {"content": "name: !!python/object/apply:os.system ['id']"}
    )
    assert response.context["report"].errors


def test_validator_upload_too_large_is_a_field_error(client, validator_url):
    upload = SimpleUploadedFile("publiccode.yml", b"name: x\n" + b"#" * (5 * 1024 * 1024))
    response = client.post(validator_url, {"file": upload})
    assert response.status_code == 200
    assert "file" in errors_of(response)
    assert response.context["report"] is None
    assert 'href="#id_file"' in html(response)


def test_validator_empty_upload_is_a_field_error(client, validator_url):
    upload = SimpleUploadedFile("publiccode.yml", b"")
    response = client.post(validator_url, {"file": upload})
    assert list(errors_of(response)) == ["file"]
    assert response.context["report"] is None


def test_validator_paste_too_large_is_a_field_error(client, validator_url):
    response = client.post(validator_url, {"content": "#" * (schema.MAX_BYTES + 1)})
    assert "content" in errors_of(response)
    assert response.context["report"] is None


def test_validator_both_or_neither_is_an_error(client, validator_url):
    upload = SimpleUploadedFile("publiccode.yml", MINIMAL.encode())
    both = client.post(validator_url, {"content": MINIMAL, "file": upload})
    assert both.status_code == 200
    assert both.context["report"] is None
    assert both.context["form"].non_field_errors()
    neither = client.post(validator_url, {"content": "  \n"})
    assert neither.status_code == 200
    assert neither.context["report"] is None
    assert neither.context["form"].non_field_errors()
    assert 'id="error-summary-title"' in html(neither)


# --- Forms on their own ---------------------------------------------------------------------


def test_field_for_path():
    assert field_for_path("description.nl.shortDescription") == "description_nl_short"
    assert field_for_path("description.en.features[0]") == "description_en_features"
    assert field_for_path("maintenance.contacts[1].email") == "contact_2_email"
    assert field_for_path("maintenance.contacts[5].email") is None
    assert field_for_path("categories[3]") == "categories"
    assert field_for_path("nonsense") is None


def test_generator_form_yaml_validates():
    form = GeneratorForm(valid_post())
    assert form.is_valid(), form.errors
    assert schema.validate_text(form.yaml).problems == []


def test_every_generator_choice_combination_of_enums_is_valid():
    for status, _label in schema.DEVELOPMENT_STATUSES:
        for kind, _label in schema.SOFTWARE_TYPES:
            form = GeneratorForm(valid_post(development_status=status, software_type=kind))
            assert form.is_valid(), form.errors
            assert schema.validate_text(form.yaml).problems == []


def test_validator_form_source():
    form = ValidatorForm({"content": "name: x"})
    assert form.is_valid()
    assert form.source() == "name: x"


# --- Queries ------------------------------------------------------------------------------------


def test_query_counts_are_small_and_constant(client, generator_url, validator_url):
    client.get(generator_url)  # warm caches (site root paths, content types)
    counts = {
        "generator GET": queries_of(lambda: client.get(generator_url)),
        "generator POST invalid": queries_of(
            lambda: client.post(generator_url, valid_post(name=""))
        ),
        "generator POST valid": queries_of(lambda: client.post(generator_url, valid_post())),
        "download": queries_of(
            lambda: client.post(generator_url, {**valid_post(), "download": "1"})
        ),
        "validator GET": queries_of(lambda: client.get(validator_url)),
        "validator small": queries_of(lambda: client.post(validator_url, {"content": "a: 1"})),
        "validator full": queries_of(lambda: client.post(validator_url, {"content": MINIMAL})),
    }
    assert max(counts.values()) <= 9, counts  # Wagtail routing and its locale lookup
    assert len(set(counts.values())) == 1, counts


def test_a_paste_beyond_djangos_request_limit_is_a_400_not_a_500(client, validator_url, settings):
    """Django refuses request bodies over DATA_UPLOAD_MAX_MEMORY_SIZE before any view runs."""
    big = "#" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(validator_url, {"content": big})
    assert response.status_code == 400
