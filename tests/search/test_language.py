"""Toolbox pages in the interface's language (issue 18): the Dutch interface finds the Dutch
tree, the English one the English tree; a page without a translation is found in both, and other
content has no language."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Locale

from search.backends import DatabaseBackend, SearchQuery
from search.indexing import drain_outbox
from tests.factories import GroupFactory
from tests.toolbox.factories import ToolboxArticlePageFactory, block

pytestmark = pytest.mark.django_db


def titles(client, language, **params):
    drain_outbox()
    client.cookies["meent_language"] = language
    response = client.get("/search/", {"q": "geheimen", **params})
    assert response.status_code == 200
    return sorted(item["hit"].title for item in response.context["hits"])


@pytest.fixture
def article(site_host):
    page = ToolboxArticlePageFactory(
        title="Geheimen verwijderen", body=[block("text", "<p>Geheimen uit de code halen.</p>")]
    )
    page.save_revision().publish()
    return page


def translate(page):
    english = page.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    ).specific
    english.title = "Removing secrets (geheimen)"
    english.save_revision().publish()
    return type(english).objects.get(pk=english.pk)  # as published


def test_a_page_without_a_translation_is_found_in_every_language(client, article):
    assert titles(client, "nl") == ["Geheimen verwijderen"]
    assert titles(client, "en") == ["Geheimen verwijderen"]


def test_a_translated_page_is_found_in_its_own_language_only(client, article):
    english = translate(article)
    assert titles(client, "nl") == ["Geheimen verwijderen"]
    assert titles(client, "en") == ["Removing secrets (geheimen)"]
    # The translation unpublished: the Dutch page is for every reader again.
    english.unpublish()
    assert titles(client, "en") == ["Geheimen verwijderen"]


def test_content_without_a_language_is_found_in_every_language(client, article):
    translate(article)
    GroupFactory(name="Geheimen delen", description="Over geheimen.")
    assert titles(client, "en") == ["Geheimen delen", "Removing secrets (geheimen)"]
    assert titles(client, "nl") == ["Geheimen delen", "Geheimen verwijderen"]


def test_suggestions_follow_the_language(article):
    translate(article)
    drain_outbox()
    backend = DatabaseBackend()

    def suggest(language):
        rows = backend.suggest("geheim", AnonymousUser(), ("toolbox",), language=language)
        return [row["title"] for row in rows]

    assert suggest("nl") == ["Geheimen verwijderen"]
    assert suggest("en") == ["Removing secrets (geheimen)"]


def test_an_unknown_language_is_an_invalid_filter():
    results = DatabaseBackend().search(SearchQuery(text="geheimen", language="xx"))
    assert results.invalid == ("language",)
    assert results.hits == []
