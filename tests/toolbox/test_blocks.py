"""The article blocks: each renders, has an icon, a description and a preview that renders."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from wagtail.blocks import StreamValue

from tests.toolbox.factories import (
    DocumentFactory,
    ToolboxArticlePageFactory,
    article_body,
    block,
    cached_embed,
    checklist,
    item,
)
from toolbox import blocks as toolbox_blocks
from toolbox.blocks import ArticleBodyBlock, heading_anchor, headings

pytestmark = pytest.mark.django_db

BODY = ArticleBodyBlock()
KINDS = list(BODY.child_blocks)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def render_stream(raw, **context):
    value = StreamValue(BODY, raw, is_lazy=True)
    request = RequestFactory().get("/")
    return "".join(child.render({"request": request, **context}) for child in value)


def test_the_body_offers_every_kind_of_block():
    assert set(KINDS) == {
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


@pytest.mark.parametrize("kind", KINDS)
def test_every_block_has_template_icon_description_and_a_preview_that_renders(kind):
    child = BODY.child_blocks[kind]
    assert child.meta.template.startswith("toolbox/blocks/")
    assert child.meta.icon and child.meta.icon != "placeholder"
    assert len(str(child.get_description())) > 20
    assert child.is_previewable
    value = child.get_preview_value()
    html = child.render(value, context={"request": RequestFactory().get("/")})
    assert "toolbox-" in html
    # The preview shows the preview value's own text, not an empty shell.
    expected = {
        "text": "vanaf de eerste dag",
        "heading": "Een licentie kiezen",
        "callout": "Begin klein",
        "checklist": "Er staat een licentiebestand in de repository",
        "steps": "Kies een licentie",
        "faq": "Welke licentie kies ik?",
        "download": "Een voorbeeld van een document",
        "video": "Open source in vijf minuten",
        "related_links": "developer.overheid.nl",
        "law_reference": "Wet open overheid, art. 3.3",
    }[kind]
    assert expected in html


def test_heading_has_the_level_and_an_anchor_from_its_text():
    html = render_stream([block("heading", {"text": "Wat is open source?", "level": "h3"})])
    assert '<h3 id="wat-is-open-source" class="toolbox-heading">Wat is open source?</h3>' in html
    assert heading_anchor("Één licentie kiezen!") == "een-licentie-kiezen"


def test_headings_with_the_same_text_get_unique_anchors():
    value = StreamValue(
        BODY,
        [block("heading", {"text": "Tips", "level": "h2"}) for _ in range(3)],
        is_lazy=True,
    )
    assert [h["anchor"] for h in headings(value)] == ["tips", "tips-2", "tips-3"]


@pytest.mark.parametrize(
    ("kind", "label"), [("tip", "Tip"), ("warning", "Warning"), ("law", "Law")]
)
def test_callout_kinds(kind, label):
    from django.utils import translation

    with translation.override("en"):
        html = render_stream(
            [block("callout", {"kind": kind, "title": "Let op", "text": "<p>Tekst</p>"})]
        )
    assert f"toolbox-callout--{kind}" in html
    assert 'role="note"' in html
    assert f">{label}<" in html or f">{label}:" in html or label in html


def test_checklist_without_a_person_is_a_plain_list():
    html = render_stream([checklist("Voor je begint", [("a1", "Licentie"), ("a2", "README")])])
    assert "<li>Licentie</li>" in html and "<li>README</li>" in html
    assert 'type="checkbox"' not in html


def test_checklist_for_a_person_has_checkboxes_keyed_by_item_id_and_keeps_ticks():
    html = render_stream(
        [checklist("Voor je begint", [("a1", "Licentie"), ("a2", "README")])],
        show_progress=True,
        checklist_url="/toolbox/x/checklist/",
        ticked_ids={"a2"},
        csrf_token="token",
    )
    assert 'action="/toolbox/x/checklist/"' in html
    assert '<input type="checkbox" name="done" value="a1" id="tick-a1">' in html
    assert '<input type="checkbox" name="done" value="a2" id="tick-a2" checked>' in html
    assert '<label for="tick-a1">Licentie</label>' in html


def test_steps_are_an_ordered_list():
    html = render_stream(article_body(5)[4:5])
    assert '<ol class="toolbox-steps__list">' in html
    assert html.index("Maak een repository") < html.index("Voeg een licentie toe")


def test_faq_is_a_details_accordion_that_works_without_javascript():
    html = render_stream(article_body(6)[5:6])
    assert html.count("<details") == 2
    assert "<summary" in html and "Welke licentie past?" in html


def test_download_shows_title_file_type_and_size():
    document = DocumentFactory(title="Besluitsjabloon")
    html = render_stream(
        [block("download", {"document": document.pk, "description": "Voor het MT"})]
    )
    assert f'href="{document.url}"' in html
    assert "Besluitsjabloon" in html
    assert "(PDF, 2,0" in html or "(PDF, 2.0" in html
    assert "Voor het MT" in html


def test_download_of_a_deleted_document_says_so():
    html = render_stream([block("download", {"document": 987654, "description": "Weg"})])
    assert "toolbox-download" in html and "<a " not in html


def test_video_with_a_cached_embed_shows_the_player_and_the_transcript():
    cached_embed()
    html = render_stream(article_body(8)[7:8])
    assert "<iframe" in html
    assert "Welkom bij de toolbox" in html and "<details" in html


def test_video_that_cannot_be_fetched_shows_a_link_instead():
    url = "https://unknown-video-host.invalid/watch/1"
    html = render_stream(article_body(8, video_url=url)[7:8])
    assert "<iframe" not in html
    assert f'href="{url}"' in html
    assert "Welkom bij de toolbox" in html


def test_video_uses_the_embeds_the_page_fetched_in_bulk(django_assert_num_queries):
    cached_embed()
    prefetched = toolbox_blocks.prefetch_embeds(
        [
            toolbox_blocks.VideoBlock()
            .to_python(
                {
                    "video": "https://video.example.org/w/open-source-in-vijf-minuten",
                    "title": "t",
                    "transcript": "x",
                }
            )["video"]
            .url
        ]
    )
    with django_assert_num_queries(0):
        html = render_stream(article_body(8)[7:8], **{toolbox_blocks.EMBEDS_CONTEXT: prefetched})
    assert "<iframe" in html


def test_video_needs_a_transcript():
    video = BODY.child_blocks["video"]
    value = video.to_python(
        {"video": "https://video.example.org/w/1", "title": "T", "transcript": ""}
    )
    with pytest.raises(ValidationError):
        video.clean(value)


def test_related_links_to_pages_and_elsewhere():
    article = ToolboxArticlePageFactory(title="Een licentie kiezen")
    html = render_stream(article_body(9, pages=[article])[8:9])
    assert f'<a href="{article.url}">Een licentie kiezen</a>' in html
    assert '<a href="https://developer.overheid.nl">Developer Overheid</a>' in html


def test_related_link_needs_a_page_or_a_url_and_a_title_for_a_url():
    link = toolbox_blocks.RelatedLinkBlock()
    with pytest.raises(ValidationError):
        link.clean(link.to_python({"page": None, "url": "", "title": ""}))
    with pytest.raises(ValidationError):
        link.clean(link.to_python({"page": None, "url": "https://example.org", "title": ""}))
    cleaned = link.clean(link.to_python({"page": None, "url": "https://example.org", "title": "X"}))
    assert cleaned["title"] == "X"


def test_related_link_to_an_unpublished_page_is_left_out():
    article = ToolboxArticlePageFactory(title="Concept")
    article.unpublish()
    html = render_stream(article_body(9, pages=[article])[8:9])
    assert "Concept" not in html
    assert "Developer Overheid" in html


def test_law_reference_cites_the_law_with_its_link():
    html = render_stream(article_body(10)[9:10])
    assert (
        '<cite><a href="https://wetten.overheid.nl/BWBR0045754">Wet open overheid, art. 3.3</a></cite>'
        in html
    )


def test_checklist_item_ids_survive_saving_and_loading():
    article = ToolboxArticlePageFactory(
        body=[checklist("Lijst", [("id-een", "Een"), ("id-twee", "Twee")])]
    )
    article.refresh_from_db()
    assert article.checklist_item_ids == ["id-een", "id-twee"]
    assert toolbox_blocks.checklist_item_ids(article.body) == ["id-een", "id-twee"]
    # Items added in the editor without an id get one on save, and keep it afterwards.
    article.body = [checklist("Lijst", ["Zonder id"])]
    article.body[0].value["items"].bound_blocks[0].id = None
    article.save()
    article.refresh_from_db()
    (new_id,) = article.checklist_item_ids
    assert new_id and toolbox_blocks.checklist_item_ids(article.body) == [new_id]


def test_list_items_in_the_stored_json_carry_ids():
    article = ToolboxArticlePageFactory(
        body=[block("faq", {"title": "", "items": [item({"question": "V", "answer": "<p>A</p>"})]})]
    )
    raw = article.body.raw_data[0]["value"]["items"][0]
    assert raw["type"] == "item" and raw["id"]


def test_a_video_whose_embed_cannot_be_fetched_is_still_accepted():
    from toolbox.blocks import VideoBlock

    block = VideoBlock()
    value = block.to_python(
        {
            "video": "https://video.example.org/w/bestaat-nog-niet",
            "title": "Later te zien",
            "transcript": "<p>Wat er gezegd wordt.</p>",
        }
    )
    cleaned = block.clean(value)
    assert cleaned["video"].url == "https://video.example.org/w/bestaat-nog-niet"
    from wagtail.blocks import StructBlockValidationError

    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python({**value, "video": "geen adres", "transcript": "<p>x</p>"}))
    assert "video" in refused.value.block_errors
