"""``load_demo`` loads the starter toolbox in Dutch and English, idempotently (issue 8)."""

import io

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Revision

from toolbox.decisions import tree
from toolbox.decisions.models import DecisionAidPage
from toolbox.models import (
    Phase,
    ToolboxArticlePage,
    ToolboxIndexPage,
    ToolboxSectionPage,
    ToolboxTopic,
)
from toolbox.publiccode.models import PublicCodeToolPage

pytestmark = pytest.mark.django_db

BLOCK_KINDS = {
    "text",
    "heading",
    "callout",
    "checklist",
    "steps",
    "faq",
    "download",
    "video",
    "related_links",
    "law_reference",
}
TOOLBOX_MODELS = [
    ToolboxIndexPage,
    ToolboxSectionPage,
    ToolboxArticlePage,
    DecisionAidPage,
    PublicCodeToolPage,
]


@pytest.fixture
def demo(demo_once, db, monkeypatch, settings):
    """The demo, loaded once for this module (tests/platform/conftest.py)."""
    monkeypatch.setenv("MEENT_DEMO_PASSWORD", "een-demo-wachtwoord")
    settings.MEDIA_ROOT = demo_once


def default_community(queryset):
    """Pages of the default community only: the demo's second community has a toolbox of its
    own (an empty one, both languages)."""
    from wagtail.models import Site

    site = Site.objects.filter(hostname="oost.localhost").first()
    if site is not None:
        for home in site.root_page.get_translations(inclusive=True):
            queryset = queryset.not_descendant_of(home, inclusive=True)
    return queryset


def counts():
    found = {
        (model.__name__, language): default_community(
            model.objects.filter(locale__language_code=language)
        ).count()
        for model in TOOLBOX_MODELS
        for language in ("nl", "en")
    }
    found["pages"] = Page.objects.count()
    found["revisions"] = Revision.objects.count()
    found["topics"] = ToolboxTopic.objects.count()
    found["documents"] = get_document_model().objects.count()
    return found


def test_the_toolbox_is_there_in_both_languages_and_a_second_run_changes_nothing(demo):
    first = counts()
    for language in ("nl", "en"):
        assert first[("ToolboxIndexPage", language)] == 1
        assert first[("ToolboxSectionPage", language)] == 5
        assert first[("ToolboxArticlePage", language)] >= 12
        assert first[("DecisionAidPage", language)] == 2
        assert first[("PublicCodeToolPage", language)] == 1
    assert 5 <= first["topics"] <= 6
    assert first["documents"] >= 1

    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
    assert counts() == first


def test_sections_follow_the_phases_and_every_phase_has_articles(demo):
    for language in ("nl", "en"):
        index = default_community(
            ToolboxIndexPage.objects.filter(locale__language_code=language)
        ).get()
        sections = index.sections()
        assert [section.phase for section in sections] == list(Phase.values)
        for section in sections:
            assert ToolboxArticlePage.objects.child_of(section).live().count() >= 2
    tools = {
        page.specific_class: page.get_parent().specific.phase
        for page in Page.objects.type(DecisionAidPage, PublicCodeToolPage).filter(
            locale__language_code="nl"
        )
    }
    assert tools[PublicCodeToolPage] == Phase.PUBLISHING
    aids = DecisionAidPage.objects.filter(locale__language_code="nl")
    assert {aid.get_parent().specific.phase for aid in aids} == {Phase.DECIDING, Phase.PREPARING}


def test_every_block_kind_is_used_and_every_article_has_text_a_heading_and_a_checklist(demo):
    used = set()
    for article in ToolboxArticlePage.objects.all():
        kinds = {child.block_type for child in article.body}
        assert {"text", "heading", "checklist"} <= kinds, article.title
        assert article.checklist_item_ids
        assert article.topics.exists(), article.title
        assert article.content_owner is not None
        assert article.owner_team
        used |= kinds
    assert used == BLOCK_KINDS


def test_related_links_stay_in_the_language_of_the_article(demo):
    checked = 0
    for article in ToolboxArticlePage.objects.all():
        for child in article.body:
            if child.block_type != "related_links":
                continue
            for link in child.value["links"]:
                if link["page"] is not None:
                    assert link["page"].locale_id == article.locale_id
                    checked += 1
    assert checked >= 10


def test_every_decision_aid_is_a_sound_tree(demo):
    for aid in DecisionAidPage.objects.all():
        steps = tree.Tree.from_raw(aid.steps.raw_data)
        assert tree.problems(steps) == [], aid.title
        if aid.slug == "moet-ik-dit-openbaar-maken":
            assert 4 <= len(steps.questions) <= 6


def test_english_pages_are_translations_of_the_dutch_ones(demo):
    english = Locale.objects.get(language_code="en")
    for model in TOOLBOX_MODELS:
        for page in model.objects.filter(locale__language_code="nl"):
            translation = page.get_translation_or_none(english)
            assert translation is not None, page.title
            assert translation.translation_key == page.translation_key
            assert translation.slug == page.slug
            assert translation.live
            assert translation.url == page.url
    dutch = ToolboxArticlePage.objects.get(slug="open-tenzij", locale__language_code="nl")
    english_article = dutch.get_translation(english).specific
    assert dutch.title == "Open, tenzij: wat betekent het voor jou?"
    assert english_article.title == "Open, unless: what does it mean for you?"
    assert english_article.body.raw_data != dutch.body.raw_data


def test_every_page_answers_in_dutch_and_in_english(demo, client):
    pages = 0
    for language in ("nl", "en"):
        client.cookies["meent_language"] = language
        for page in Page.objects.type(*TOOLBOX_MODELS).filter(locale__language_code=language):
            page = page.specific
            response = client.get(page.url)
            assert response.status_code == 200, (language, page.url)
            assert page.title in response.content.decode(), (language, page.url)
            pages += 1
    assert pages >= 2 * (1 + 5 + 12 + 2 + 1)


def test_two_articles_per_language_are_overdue_for_review(demo):
    overdue = ToolboxArticlePage.objects.review_overdue()
    for language in ("nl", "en"):
        assert overdue.filter(locale__language_code=language).count() == 2
    recent = ToolboxArticlePage.objects.exclude(pk__in=overdue.values("pk"))
    assert recent.count() >= 20


def test_community_managers_edit_both_toolboxes_and_need_approval_to_publish(demo):
    from django.conf import settings

    from accounts.models import User
    from home.models import HomePage
    from toolbox.roles import WORKFLOW_NAME

    manager = User.objects.filter(groups__name=settings.MEENT_COMMUNITY_MANAGERS_GROUP).first()
    assert manager is not None
    for index in ToolboxIndexPage.objects.all():
        assert index.get_workflow().name == WORKFLOW_NAME
    for index in default_community(ToolboxIndexPage.objects.all()):
        article = ToolboxArticlePage.objects.descendant_of(index).first()
        rights = article.permissions_for_user(manager)
        assert rights.can_edit() and not rights.can_publish()
    # They build the front page itself (issue 22, home/roles.py), and nothing more below it.
    home = HomePage.objects.filter(locale__language_code="nl").first()
    assert home.permissions_for_user(manager).can_publish()
    assert not home.permissions_for_user(manager).can_add_subpage()
