"""Speed: an article renders in a constant number of queries however many blocks it has, and the
index and a section however many articles they list; for anonymous visitors and for a signed-in
person with ticks."""

import pytest

from tests.factories import UserFactory
from tests.helpers import count_queries, get_with_queries
from tests.toolbox.factories import (
    DocumentFactory,
    ToolboxArticlePageFactory,
    ToolboxSectionPageFactory,
    ToolboxTopicFactory,
    article_body,
    cached_embed,
    toolbox_index,
)
from toolbox.models import ChecklistTick, Phase

pytestmark = pytest.mark.django_db

# The most a page may need, whatever its size. Measured on SQLite: an article 17 queries anonymous
# and 23 signed in (Wagtail's routing through the tree, the site chrome of base.html for a
# signed-in person, then one query each for ticks, documents, linked pages, topics and embeds);
# the index 12 / 18, and one more for its tools (decision aids, publiccode.yml: their pages and
# the view restrictions they are checked against). The tests below prove that the count does not
# grow with the content.
MAX_ARTICLE_QUERIES = 24
MAX_LISTING_QUERIES = 21


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def tick_everything(user, article):
    ChecklistTick.objects.bulk_create(
        [
            ChecklistTick(user=user, page=article, item_id=item)
            for item in article.checklist_item_ids
        ]
    )


@pytest.fixture
def person():
    return UserFactory()


@pytest.mark.parametrize("signed_in", [False, True])
def test_article_with_40_blocks_needs_as_many_queries_as_one_with_10(client, person, signed_in):
    cached_embed()
    documents = [DocumentFactory() for _ in range(4)]
    targets = [ToolboxArticlePageFactory(title=f"Doel {n}") for n in range(4)]
    topics = [ToolboxTopicFactory() for _ in range(3)]
    small = ToolboxArticlePageFactory(
        body=article_body(10, documents[:1], targets[:1]), topics=topics
    )
    large = ToolboxArticlePageFactory(body=article_body(40, documents, targets), topics=topics)
    assert len(large.body) == 40 and len(large.checklist_item_ids) == 12
    if signed_in:
        client.force_login(person)
        tick_everything(person, small)
        tick_everything(person, large)

    small_count, _ = get_with_queries(client, small.url)
    large_count, large_response = get_with_queries(client, large.url)
    large_html = large_response.content.decode()
    print(
        f"article queries (signed in: {signed_in}): 10 blocks {small_count}, 40 blocks {large_count}"
    )

    assert small_count == large_count <= MAX_ARTICLE_QUERIES
    # The large article really rendered all its nested choosers and embeds.
    assert large_html.count('class="toolbox-download__link"') == 4
    assert all(document.url in large_html for document in documents)
    assert all(f'<a href="{target.url}">' in large_html for target in targets)
    assert large_html.count("<iframe") == 4
    if signed_in:
        assert "12 van 12 klaar" in large_html and " checked" in large_html


@pytest.mark.parametrize("signed_in", [False, True])
def test_index_and_section_with_200_articles_need_as_many_queries_as_with_20(
    client, person, signed_in
):
    topic = ToolboxTopicFactory()
    index = toolbox_index()
    small_section = ToolboxSectionPageFactory(phase=Phase.DECIDING, slug="klein")
    for n in range(20):
        ToolboxArticlePageFactory(parent=small_section, slug=f"klein-{n}", topics=[topic])
    if signed_in:
        client.force_login(person)
        for article in small_section.get_children().specific()[:5]:
            tick_everything(person, article)

    index_20 = count_queries(client, index.url)
    section_20 = count_queries(client, small_section.url)
    topic_20 = count_queries(client, index.url + f"topics/{topic.slug}/")

    large_section = ToolboxSectionPageFactory(phase=Phase.MAINTAINING, slug="groot")
    for n in range(180):
        ToolboxArticlePageFactory(parent=large_section, slug=f"groot-{n}", topics=[topic])
    if signed_in:
        for article in large_section.get_children().specific()[:50]:
            tick_everything(person, article)

    index_200, index_page = get_with_queries(client, index.url)
    section_180 = count_queries(client, large_section.url)
    topic_200, topic_page = get_with_queries(client, index.url + f"topics/{topic.slug}/")
    index_html, topic_html = index_page.content.decode(), topic_page.content.decode()

    print(
        f"listing queries (signed in: {signed_in}): index {index_20}/{index_200}, "
        f"section {section_20}/{section_180}, topic {topic_20}/{topic_200}"
    )
    assert index_20 == index_200 <= MAX_LISTING_QUERIES
    assert section_20 == section_180 <= MAX_LISTING_QUERIES
    assert topic_20 == topic_200 <= MAX_LISTING_QUERIES
    assert index_html.count('class="card toolbox-card"') == 200
    assert topic_html.count('class="card toolbox-card"') == 200
    if signed_in:
        # 55 articles fully ticked, three items each; the large section holds 50 of them.
        assert "150 van 540 klaar" in index_html
        assert index_html.count("3 van 3 klaar") == 55
