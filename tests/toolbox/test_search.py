"""Toolbox pages in the platform search: public content, gone when unpublished or restricted."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import PageViewRestriction

from demo.loader import licence_chooser_steps
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.factories import UserFactory
from tests.toolbox.factories import (
    ToolboxArticlePageFactory,
    ToolboxSectionPageFactory,
    article_body,
    block,
)
from toolbox.decisions.models import DecisionAidPage
from toolbox.publiccode.models import PublicCodeToolPage

pytestmark = pytest.mark.django_db


def found(words, user=None):
    drain_outbox()
    result = get_search_backend().search(
        SearchQuery(text=words, user=user or AnonymousUser(), types=("toolbox",))
    )
    return [hit.title for hit in result.hits]


def rich(text):
    return block("text", f"<p>{text}</p>")


def test_a_published_article_is_found_by_its_blocks_for_everyone():
    article = ToolboxArticlePageFactory(
        title="Een licentie kiezen",
        body=[rich("De Europese licentie EUPL is de gebruikelijke keuze."), *article_body(3)],
    )
    article.save_revision().publish()
    assert found("europese") == ["Een licentie kiezen"]
    assert found("licenties") == ["Een licentie kiezen"]  # Dutch word forms
    hit = get_search_backend().search(SearchQuery(text="europese", user=None)).hits[0]
    # The page's path on its own community's host (toolbox/search.py), not the Site's full URL.
    assert hit.url == article.get_url_parts()[2]


def test_an_unpublished_article_leaves_search():
    article = ToolboxArticlePageFactory(title="Beveiliging", body=[rich("Geheimen verwijderen")])
    article.save_revision().publish()
    assert found("geheimen") == ["Beveiliging"]
    article.unpublish()
    assert found("geheimen") == []


def test_a_login_restriction_limits_search_to_signed_in_people():
    section = ToolboxSectionPageFactory(title="Samenwerken")
    article = ToolboxArticlePageFactory(
        parent=section, title="Governance", body=[rich("Stuurgroep en roadmap")]
    )
    article.save_revision().publish()
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    person = UserFactory()
    assert found("stuurgroep") == []
    assert found("stuurgroep", person) == ["Governance"]
    PageViewRestriction.objects.filter(page=section).delete()
    assert found("stuurgroep") == ["Governance"]


def test_a_password_restriction_keeps_the_page_out_of_search():
    article = ToolboxArticlePageFactory(title="Intern", body=[rich("vertrouwelijke aanpak")])
    article.save_revision().publish()
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert found("vertrouwelijke", UserFactory()) == []


def test_decision_aids_and_the_publiccode_tool_are_found():
    section = ToolboxSectionPageFactory(title="Voorbereiden")
    chooser = section.add_child(
        instance=DecisionAidPage(
            title="Licentiekiezer", slug="licentiekiezer", steps=licence_chooser_steps("nl")
        )
    )
    chooser.save_revision().publish()
    tool = section.add_child(
        instance=PublicCodeToolPage(
            title="publiccode.yml maken", slug="publiccode", introduction="Beschrijf je software."
        )
    )
    tool.save_revision().publish()
    assert found("licentiekiezer") == ["Licentiekiezer"]
    assert found("EUPL") == ["Licentiekiezer"]  # an outcome's text
    assert found("beschrijf software") == ["publiccode.yml maken"]


def test_a_new_section_slug_updates_the_addresses_below_it(django_capture_on_commit_callbacks):
    first = ToolboxSectionPageFactory(title="Fase een", slug="fase-een")
    article = ToolboxArticlePageFactory(parent=first, title="Verhuizer", body=[rich("verhuis")])
    article.save_revision().publish()
    found("verhuis")
    first.slug = "fase-nieuw"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals it on commit
        first.save_revision().publish()
    drain_outbox()
    hit = get_search_backend().search(SearchQuery(text="verhuis", user=None)).hits[0]
    assert "/fase-nieuw/" in hit.url


def test_moving_an_article_updates_its_address(django_capture_on_commit_callbacks):
    first = ToolboxSectionPageFactory(title="Fase een", slug="fase-een")
    second = ToolboxSectionPageFactory(title="Fase twee", slug="fase-twee")
    article = ToolboxArticlePageFactory(parent=first, title="Verhuizer", body=[rich("verhuis")])
    article.save_revision().publish()
    found("verhuis")
    with django_capture_on_commit_callbacks(execute=True):
        article.move(second, pos="last-child")
    drain_outbox()
    hit = get_search_backend().search(SearchQuery(text="verhuis", user=None)).hits[0]
    assert "/fase-twee/" in hit.url
