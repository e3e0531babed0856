"""The toolbox pages: the index by phase, a section, an article, topic pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from tests.factories import UserFactory
from tests.toolbox.factories import (
    ToolboxArticlePageFactory,
    ToolboxSectionPageFactory,
    ToolboxTopicFactory,
    article_body,
    toolbox_index,
)
from toolbox.models import Phase, ToolboxArticlePage, ToolboxIndexPage, add_months

pytestmark = pytest.mark.django_db


def get(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def toolbox():
    """Sections created out of phase order, each with an article."""
    index = toolbox_index()
    sections = {
        phase: ToolboxSectionPageFactory(phase=phase, title=f"Sectie {phase}", slug=phase)
        for phase in [Phase.MAINTAINING, Phase.DECIDING, Phase.PUBLISHING]
    }
    articles = {
        phase: ToolboxArticlePageFactory(parent=section, title=f"Artikel over {phase}")
        for phase, section in sections.items()
    }
    return index, sections, articles


def test_index_shows_sections_in_phase_order_with_their_articles(client, toolbox):
    index, sections, articles = toolbox
    html = get(client, index.url).content.decode()
    positions = [
        html.index(f"Sectie {phase}</a></h2>")
        for phase in ["deciding", "publishing", "maintaining"]
    ]
    assert positions == sorted(positions)
    for phase, article in articles.items():
        assert f'<a href="{article.url}">Artikel over {phase}</a>' in html
        # Each article is listed under its own section.
        assert html.index(f"Sectie {phase}</a>") < html.index(f"Artikel over {phase}")


def test_index_leaves_out_unpublished_articles_and_sections(client, toolbox):
    index, sections, articles = toolbox
    articles[Phase.DECIDING].unpublish()
    sections[Phase.PUBLISHING].unpublish()
    html = get(client, index.url).content.decode()
    assert "Artikel over deciding" not in html
    assert "Sectie publishing" not in html
    assert "Artikel over maintaining" in html


def test_anonymous_visitors_are_invited_to_sign_in_and_see_no_progress(client, toolbox):
    index, _, _ = toolbox
    html = get(client, index.url).content.decode()
    assert "/accounts/login/?next=/toolbox/" in html
    assert "toolbox-progress-line" not in html


def test_section_page_lists_its_articles_with_breadcrumbs(client, toolbox):
    index, sections, articles = toolbox
    response = get(client, sections[Phase.DECIDING].url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sectie deciding</h1>" in html
    assert "Artikel over deciding" in html and "Artikel over maintaining" not in html
    assert f'<li><a href="{index.url}">{index.title}</a></li>' in html


def test_article_shows_body_phases_topics_owner_and_last_review(client, toolbox):
    index, sections, articles = toolbox
    owner = UserFactory(first_name="Olga", last_name="Eigenaar")
    topic = ToolboxTopicFactory(name="Licenties", slug="licenties")
    article = articles[Phase.DECIDING]
    article.phases = [Phase.MAINTAINING, Phase.DECIDING]
    article.content_owner = owner
    article.owner_team = "Team Open Source"
    article.last_reviewed = datetime.date(2026, 3, 14)
    article.save()
    article.topics.set([topic])
    article.save()
    html = get(client, article.url).content.decode()
    assert '<h1 id="page-title">Artikel over deciding</h1>' in html
    assert "<dt>Phases</dt><dd>Deciding, Maintaining</dd>" in html
    assert '<a class="tag" href="/toolbox/topics/licenties/">Licenties</a>' in html
    assert '<time datetime="2026-03-14">14 March 2026</time>' in html
    assert f"{owner.display_name}, Team Open Source" in html
    assert "Vraag je jurist vroeg om mee te lezen." in html  # the body's callout


def test_article_contents_link_to_heading_anchors(client):
    article = ToolboxArticlePageFactory(body=article_body(11))
    html = get(client, article.url).content.decode()
    assert '<a href="#stap-0-de-keuze-maken">Stap 0: de keuze maken</a>' in html
    assert '<h2 id="stap-0-de-keuze-maken" class="toolbox-heading">' in html
    assert '<a href="#stap-10-de-keuze-maken">' in html


def test_article_without_review_says_so(client):
    article = ToolboxArticlePageFactory()
    assert "Not reviewed yet" in get(client, article.url).content.decode()


def test_topic_page_lists_the_topics_articles_and_the_index_links_topics(client, toolbox):
    index, sections, articles = toolbox
    topic = ToolboxTopicFactory(
        name="Beveiliging", slug="beveiliging", description="Veilig werken."
    )
    for phase in [Phase.DECIDING, Phase.MAINTAINING]:
        articles[phase].topics.set([topic])
        articles[phase].save()
    url = index.url + "topics/beveiliging/"
    assert f'href="{url}"' in get(client, index.url).content.decode()
    response = get(client, url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Topic: Beveiliging" in html and "Veilig werken." in html
    assert "Artikel over deciding" in html and "Artikel over maintaining" in html
    assert "Artikel over publishing" not in html
    assert "In Sectie deciding" in html
    assert "2 articles" in html


def test_unknown_topic_is_404(client, toolbox):
    index, _, _ = toolbox
    assert get(client, index.url + "topics/bestaat-niet/").status_code == 404


def test_topic_without_articles_says_so(client, toolbox):
    index, _, _ = toolbox
    ToolboxTopicFactory(name="Leeg", slug="leeg")
    html = get(client, index.url + "topics/leeg/").content.decode()
    assert "No articles have this topic yet." in html


def test_page_types_fit_in_the_tree():
    assert ToolboxIndexPage.parent_page_types == ["home.HomePage"]
    index = toolbox_index()
    assert index.get_parent().specific_class.__name__ == "HomePage"
    assert not ToolboxIndexPage.can_create_at(index.get_parent())  # max one per parent
    assert ToolboxArticlePage.can_create_at(ToolboxSectionPageFactory())
    assert not ToolboxArticlePage.can_create_at(index)


def test_all_phases_start_with_the_sections_phase():
    section = ToolboxSectionPageFactory(phase=Phase.PUBLISHING)
    article = ToolboxArticlePageFactory(parent=section, phases=[Phase.DECIDING, Phase.PUBLISHING])
    assert article.all_phases() == ["deciding", "publishing"]
    assert ToolboxArticlePage.objects.get(pk=article.pk).phases == ["deciding", "publishing"]


def test_phase_field_is_edited_with_checkboxes():
    field = ToolboxArticlePage._meta.get_field("phases").formfield()
    assert field.clean(["deciding", "maintaining"]) == ["deciding", "maintaining"]
    assert field.widget.input_type == "checkbox"
    with pytest.raises(ValidationError):
        field.clean(["nonsense"])


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 5, 15), 12, datetime.date(2027, 5, 15)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_articles_are_found_by_wagtail_search():
    ToolboxArticlePageFactory(title="Licentiekeuze", summary="Over zaakgericht werken en licenties")
    ToolboxArticlePageFactory(title="Iets anders", summary="Niets")
    results = [page.title for page in ToolboxArticlePage.objects.live().search("zaakgericht")]
    assert results == ["Licentiekeuze"]
    assert Page.objects.live().type(ToolboxArticlePage).count() == 2


def test_index_and_sections_list_the_decision_aids_and_the_publiccode_tool(client, toolbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from toolbox.decisions.models import DecisionAidPage
    from toolbox.publiccode.models import PublicCodeToolPage

    index, sections, _ = toolbox
    deciding = sections[Phase.DECIDING]

    def add(parent, model, title, slug, **fields):
        return parent.add_child(instance=model(title=title, slug=slug, **fields))

    add(deciding, DecisionAidPage, "Licentiekiezer", "licentiekiezer", introduction="Kies.")
    add(index, PublicCodeToolPage, "publiccode.yml maken", "publiccode", introduction="Maak.")
    hidden = add(deciding, DecisionAidPage, "Concept", "concept")
    hidden.unpublish()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            html = get(client, index.url).content.decode()
        return len(captured), html

    get(client, index.url)
    before, html = queries()
    aid = DecisionAidPage.objects.get(slug="licentiekiezer")
    tool = PublicCodeToolPage.objects.get(slug="publiccode")
    # The decision aid in its section, the publiccode tool among the toolbox's own tools.
    section_html = html.split('id="section-title-', 1)[1]
    assert f'<a href="{aid.url}">Licentiekiezer</a>' in section_html
    assert html.index("Sectie deciding</a>") < html.index("Licentiekiezer")
    assert f'<a href="{tool.url}">publiccode.yml maken</a>' in html and ">Tools</h2>" in html
    assert "Concept" not in html
    section = get(client, deciding.url).content.decode()
    assert f'<a href="{aid.url}">Licentiekiezer</a>' in section and "Kies." in section
    assert "publiccode.yml maken" not in section
    # More tools, the same number of queries.
    for n in range(3):
        add(sections[Phase.MAINTAINING], DecisionAidPage, f"Hulp {n}", f"hulp-{n}")
        add(index, PublicCodeToolPage, f"Nog een {n}", f"nog-een-{n}")
    after, html = queries()
    assert "Hulp 2" in html and "Nog een 2" in html
    assert after == before
