"""The header, the page title and the search label name the request's community (its Wagtail
Site's site_name), from the cache: no query for it once warm, and a renamed site shows at once."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Site

pytestmark = pytest.mark.django_db

NAME = Template("{% load community %}{% community_name as name %}{{ name }}")


def rename(name):
    site = Site.objects.get(is_default_site=True)
    site.site_name = name
    site.save()


def header(html):
    brand = re.search(r'<a class="site-header__brand" href="/">(.*?)</a>', html).group(1)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    label = re.search(r'<label for="site-search-q"[^>]*>(.*?)</label>', html).group(1)
    return brand, title, label


def test_every_page_names_the_community_in_both_languages(client):
    rename("Gemeentewerk Noord")
    for language in ("nl", "en"):
        html = client.get("/groups/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        with translation.override(language):
            groups, search = translation.gettext("Groups"), translation.gettext("Search %(name)s")
        assert header(html) == (
            "Gemeentewerk Noord",
            f"{groups} · Gemeentewerk Noord",
            search % {"name": "Gemeentewerk Noord"},
        )


def test_a_renamed_community_shows_its_new_name_and_a_nameless_one_is_meent(client):
    rename("Eerste naam")
    assert header(client.get("/groups/").content.decode())[0] == "Eerste naam"
    rename("Tweede naam")  # the site's generation moves on: the cache follows
    assert header(client.get("/groups/").content.decode())[0] == "Tweede naam"
    rename("")
    assert header(client.get("/groups/").content.decode())[0] == "Meent"


def test_the_name_costs_no_query_once_warm(rf):
    rename("Gemeentewerk Noord")
    assert NAME.render(Context({"request": rf.get("/", HTTP_HOST="localhost")})) == (
        "Gemeentewerk Noord"
    )
    with CaptureQueriesContext(connection) as queries:
        rendered = NAME.render(Context({"request": rf.get("/", HTTP_HOST="localhost")}))
    assert rendered == "Gemeentewerk Noord"
    assert len(queries) == 0
