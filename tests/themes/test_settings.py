"""ThemeSettings.clean: safe values, WCAG contrast with the measured ratio and a suggestion,
alt text for the logo, image sizes; a refused save in the admin keeps the previous theme."""

import pytest
from wagtail.test.utils.form_data import streamfield

from tests.themes.helpers import (
    default_site,
    edit_url,
    errors_of,
    form,
    make_image,
    theme_settings,
)
from themes import contrast
from themes.css import theme_for_site
from themes.models import ThemeSettings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_good_settings_pass():
    theme_settings(primary_colour="#0b3a6e", secondary_colour="#01689b", font="serif").full_clean()
    theme_settings(base_theme="meent-contrast", primary_colour="#ffd600").full_clean()
    theme_settings().full_clean()  # everything from the base theme


def test_low_contrast_primary_is_refused_with_ratio_and_suggestion():
    errors = errors_of(theme_settings(primary_colour="#6fa8dc"))
    text = " ".join(errors["primary_colour"])
    measured = contrast.format_ratio(contrast.contrast_ratio("#6fa8dc", "#ffffff"))
    assert measured == "2.5:1"
    assert f"{measured}, needs 4.5:1" in text
    assert "header text" in text
    suggestion = text.split("Try ")[1].split(":")[0]
    assert suggestion.startswith("#")
    # The suggestion passes every check of the field.
    theme_settings(primary_colour=suggestion).full_clean()


def test_low_contrast_link_colour_is_refused():
    errors = errors_of(theme_settings(secondary_colour="#aaaaaa"))
    assert "needs 4.5:1" in " ".join(errors["secondary_colour"])
    assert "Try #" in " ".join(errors["secondary_colour"])


def test_the_dark_theme_checks_against_its_own_colours():
    # Dark blue is fine on the light theme but not as a header under black header text.
    errors = errors_of(theme_settings(base_theme="meent-contrast", primary_colour="#154273"))
    assert "needs 4.5:1" in " ".join(errors["primary_colour"])


@pytest.mark.parametrize("value", ["blue", "#12345", "rgb(1,2)", "#fff; color: red"])
def test_malformed_colour_is_refused(value):
    errors = errors_of(theme_settings(primary_colour=value))
    assert "primary_colour" in errors


@pytest.mark.parametrize(
    "value",
    ["#fff;}body{display:none", "url(x)", "@import x", "expression(1)", "#fff<", "#f\\ff"],
)
def test_css_injection_is_refused(value):
    errors = errors_of(theme_settings(secondary_colour=value))
    assert "not allowed in a theme value" in " ".join(errors["secondary_colour"])


def test_a_logo_needs_alt_text():
    errors = errors_of(theme_settings(logo=make_image()))
    assert "screen reader" in " ".join(errors["logo_alt_text"])
    theme_settings(logo=make_image(), logo_alt_text="Gemeente Voorbeeld").full_clean()


def test_an_oversized_logo_or_favicon_is_refused():
    wide = make_image("Breed", size=(2400, 10))
    errors = errors_of(theme_settings(logo=wide, logo_alt_text="Breed"))
    assert "2400×10" in " ".join(errors["logo"])
    heavy = make_image("Zwaar", file_size=3 * 1024 * 1024)
    errors = errors_of(theme_settings(favicon=heavy))
    assert "3.0 MB" in " ".join(errors["favicon"])


def test_links_must_be_web_addresses_or_paths():
    instance = theme_settings(
        header_links=[("link", {"label": "Kaart", "url": "javascript:alert(1)"})]
    )
    assert "header_links" in errors_of(instance)
    instance = theme_settings(
        header_links=[
            ("link", {"label": "Over ons", "url": "/over/"}),
            ("link", {"label": "Rijksoverheid", "url": "https://www.rijksoverheid.nl/"}),
        ]
    )
    instance.full_clean()


# --- Through the Wagtail settings edit view ---------------------------------------------------


def test_the_operator_saves_a_theme_and_a_refused_save_keeps_the_previous_one(client, operator):
    response = client.get(edit_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    response = client.post(
        edit_url(),
        form(
            primary_colour="#0B3A6E",
            header_links=streamfield([("link", {"label": "Over ons", "url": "/over/"})]),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ThemeSettings.objects.get(site=default_site())
    assert saved.primary_colour == "#0B3A6E"
    theme = theme_for_site(default_site().pk)
    assert "--utrecht-page-header-background-color: #0b3a6e;" in theme["css"]
    css_before = theme["css"]

    for bad in ["#6fa8dc", "#fff;}body{display:none", "url(x)", "nonsense"]:
        response = client.post(edit_url(), form(primary_colour=bad), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200  # the form again, with the error
        html = response.content.decode()
        assert "The setting could not be saved due to errors." in html
        saved.refresh_from_db()
        assert saved.primary_colour == "#0B3A6E"
        assert theme_for_site(default_site().pk)["css"] == css_before
    response = client.post(edit_url(), form(primary_colour="#6fa8dc"), HTTP_ACCEPT_LANGUAGE="en")
    assert "2.5:1, needs 4.5:1" in response.content.decode()


def test_a_file_that_is_not_an_image_is_refused_by_the_image_upload(client, operator):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images import get_image_model

    response = client.post(
        "/admin/images/add/",
        {"title": "Geen plaatje", "file": SimpleUploadedFile("logo.png", b"not an image at all")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert not get_image_model().objects.filter(title="Geen plaatje").exists()
