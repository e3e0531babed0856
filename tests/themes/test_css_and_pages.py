"""Theme CSS: generated from the settings, content-hashed, served with long cache headers; the
page reads the theme (class, stylesheet, logo, favicon, links) from the cache only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.themes.helpers import default_site, make_image, save_settings
from themes import tokens
from themes.css import build_css, content_hash, theme_for_site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]


def stylesheet_url(html):
    match = re.search(r'<link rel="stylesheet" href="(/theme/\d+/[0-9a-f]{12}\.css)"', html)
    assert match, "no theme stylesheet on the page"
    return match.group(1)


def test_css_is_deterministic_sorted_and_under_the_theme_class():
    values = tokens.THEMES["meent"]
    css = build_css("meent", values)
    assert css == build_css("meent", dict(reversed(list(values.items()))))
    assert css.startswith(".meent-theme {\n")
    names = re.findall(r"^  (--[a-z-]+):", css, re.MULTILINE)
    assert names == sorted(values)
    assert len(content_hash(css)) == 12


def test_the_default_theme_without_settings():
    theme = theme_for_site(default_site().pk)
    assert theme["theme"] == "meent"
    assert theme["css_class"] == "meent-theme"
    assert theme["css"] == build_css("meent", tokens.THEMES["meent"])
    assert theme["css_url"] == f"/theme/{default_site().pk}/{theme['hash']}.css"


def test_the_hash_changes_when_the_settings_change():
    first = theme_for_site(default_site().pk)
    save_settings(primary_colour="#0b3a6e")
    second = theme_for_site(default_site().pk)
    assert second["hash"] != first["hash"]
    for token in (
        "--utrecht-page-header-background-color",
        "--utrecht-button-primary-action-background-color",
        "--meent-color-primary",
    ):
        assert f"{token}: #0b3a6e;" in second["css"]
    save_settings(base_theme="meent-contrast", primary_colour="#ffd600", font="serif")
    third = theme_for_site(default_site().pk)
    assert third["css_class"] == "meent-contrast-theme"
    assert third["css"].startswith(".meent-contrast-theme {")
    assert "--utrecht-document-font-family: Georgia" in third["css"]
    assert third["hash"] not in {first["hash"], second["hash"]}


def test_a_site_change_rebuilds_the_theme(django_assert_num_queries):
    site = default_site()
    theme_for_site(site.pk)
    with django_assert_num_queries(0):
        theme_for_site(site.pk)
    site.site_name = "Gemeente Voorbeeld"
    site.save()
    with CaptureQueriesContext(connection) as queries:
        theme_for_site(site.pk)
    assert len(queries) > 0


def test_the_css_view_serves_with_long_cache_headers(client):
    save_settings(primary_colour="#0b3a6e")
    theme = theme_for_site(default_site().pk)
    response = client.get(theme["css_url"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.content.decode() == theme["css"]
    # An old hash is redirected to the current one (not cached for long).
    old = client.get(f"/theme/{default_site().pk}/000000000000.css")
    assert old.status_code == 302
    assert old["Location"] == theme["css_url"]
    assert "immutable" not in old["Cache-Control"]
    assert client.get("/theme/99999/000000000000.css").status_code == 404
    assert client.get(f"/theme/{default_site().pk}/x.js").status_code == 404


def test_the_page_links_the_theme_and_sets_its_class(client):
    html = client.get("/groups/").content.decode()
    assert '<body class="meent-theme">' in html
    url = stylesheet_url(html)
    assert html.index("meent/css/meent.css") < html.index(url)
    save_settings(base_theme="meent-contrast")
    html = client.get("/groups/").content.decode()
    assert '<body class="meent-contrast-theme">' in html
    assert stylesheet_url(html) != url


def test_logo_favicon_header_and_footer_links_on_public_pages(client):
    save_settings(
        logo=make_image("Logo"),
        logo_alt_text="Gemeente Voorbeeld",
        favicon=make_image("Icoon", size=(64, 64)),
        header_links=[("link", {"label": "Over ons", "url": "/over/"})],
        footer_links=[
            ("link", {"label": "Privacy", "url": "https://voorbeeld.nl/privacy"}),
            ("link", {"label": "Toegankelijkheid", "url": "/toegankelijkheid/"}),
        ],
    )
    html = client.get("/groups/").content.decode()
    brand = re.search(r'<a class="site-header__brand" href="/">(.*?)</a>', html).group(1)
    assert 'alt="Gemeente Voorbeeld"' in brand
    assert re.search(r'src="[^"]+\.png"', brand)
    assert re.search(r'<link rel="icon" href="[^"]+\.png" type="image/png">', html)
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert '<a href="/over/" >Over ons</a>' in nav
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="https://voorbeeld.nl/privacy">Privacy</a>' in footer
    assert '<a href="/toegankelijkheid/">Toegankelijkheid</a>' in footer


def test_without_settings_the_page_looks_as_before(client):
    html = client.get("/groups/").content.decode()
    assert '<a class="site-header__brand" href="/">Meent</a>' in html
    assert "meent/favicon.svg" in html
    assert "site-footer__links" not in html


def warm_queries(client, path):
    client.get(path)  # warms the cache (and whatever else the page caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("path", ["/groups/", "/blog/"])
def test_a_warm_page_view_costs_no_query_for_the_theme(client, path):
    without = warm_queries(client, path)
    save_settings(
        primary_colour="#0b3a6e",
        logo=make_image("Logo"),
        logo_alt_text="Gemeente Voorbeeld",
        header_links=[("link", {"label": "Over ons", "url": "/over/"})],
        footer_links=[("link", {"label": "Privacy", "url": "/privacy/"})],
    )
    with_theme = warm_queries(client, path)
    assert len(with_theme) == len(without)
    for sql in with_theme:
        assert "themes_themesettings" not in sql
        assert "wagtailimages" not in sql
        assert "wagtailcore_site" not in sql, sql


def test_the_first_view_after_a_change_builds_the_theme_once(client):
    client.get("/groups/")
    save_settings(primary_colour="#0b3a6e")
    with CaptureQueriesContext(connection) as queries:
        client.get("/groups/")
    theme_queries = [q for q in queries.captured_queries if "themes_" in q["sql"]]
    assert len(theme_queries) == 1


def test_without_a_database_the_page_falls_back_to_the_static_default_theme(monkeypatch, rf):
    from django.db import DatabaseError

    from themes import css

    def unavailable(site_id):
        raise DatabaseError("database is away")

    monkeypatch.setattr(css, "theme_for_site", unavailable)
    theme = css.theme_for_request(rf.get("/"))
    assert theme["css_class"] == "meent-theme"
    assert theme["css_url"].endswith("themes/meent.css")
