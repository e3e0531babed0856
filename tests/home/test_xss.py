"""The XSS corpus (tests/security/xss_corpus.py) through the front page's blocks: plain-text
fields (headings, texts, labels, titles) render escaped, and rich text (text blocks and video
transcripts, as the admin's editor posts them) is stored and rendered safely. The same checks as
tests/security/test_xss_paths.py, whose helpers this uses."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamValue

from home.blocks import FrontPageBlock
from tests.home.helpers import block, set_blocks
from tests.security.html_safety import assert_safe_html
from tests.security.test_xss_paths import Failures, _scan, editor_post, live_findings
from tests.security.xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db

STREAM = FrontPageBlock()
TEXT = STREAM.child_blocks["rich_text"]
TRANSCRIPT = STREAM.child_blocks["video"].child_blocks["transcript"]
HARMLESS = "Veilige tekst"
_DB_TAGS = {"p", "h2", "h3", "b", "i", "ol", "ul", "li", "a", "br"}
_DB_ATTRIBUTES = {"*": ["data-block-key"], "a": ["href", "linktype", "id"]}


def posted(rich_block, contentstate):
    """What the admin's editor stores for this block from what it posts."""
    value = rich_block.value_from_datadict({"f": contentstate}, {}, "f")
    return rich_block.get_prep_value(value)


def blocks_with(text, rich):
    plain = text[:200] or "x"
    return [
        block(
            "introduction",
            {
                "heading": plain,
                "text": text[:1000] or "x",
                "button_label": plain[:80],
                "button_target": "sign_up",
                "button_page": None,
                "button_url": "",
            },
        ),
        block("groups", {"heading": plain, "text": text[:1000], "groups": []}),
        block("latest_posts", {"heading": plain, "count": 1}),
        block("toolbox", {"heading": plain, "text": text[:1000], "pages": [], "newest": 1}),
        block(
            "video",
            {
                "title": plain,
                "document": None,
                "url": "https://video.example.org/a.mp4",
                "captions": "",
                "captions_language": "nl",
                "transcript": rich,
            },
        ),
        block("rich_text", rich),
        block("links", {"heading": plain, "links": [{"label": plain, "page": None, "url": "/"}]}),
    ]


def test_every_payload_in_every_block_is_stored_and_rendered_safely(client, front):
    failures = Failures()
    set_blocks(front["home"], blocks_with(HARMLESS, f"<p>{HARMLESS}</p>"))
    baseline = client.get("/").content.decode()
    assert baseline.count(HARMLESS) >= 10
    every = []
    for index, payload in enumerate(PAYLOADS):
        for rich_block in (TEXT, TRANSCRIPT):
            stored = posted(rich_block, editor_post(payload)).replace("\x00", "")
            failures.check(
                index,
                f"stored {rich_block.name or 'transcript'}",
                lambda html: assert_safe_html(
                    html, allowed_tags=_DB_TAGS, allowed_attributes=_DB_ATTRIBUTES
                ),
                stored,
            )
        every.extend(blocks_with(payload.replace("\x00", ""), stored))
    # The links a payload might carry are refused by the link check, never stored.
    value = STREAM.to_python(every)
    assert len(value) == len(PAYLOADS) * 7
    set_blocks(front["home"], every, clean=False)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    findings = live_findings(html, _scan(baseline))
    if findings:
        failures.add(None, "front page with every payload", findings)
    failures.assert_none()
    assert html.count("front-block") >= len(PAYLOADS) * 6


def test_a_link_of_a_payload_is_refused():
    for payload in PAYLOADS[:80]:
        raw = [
            block(
                "links", {"heading": "x", "links": [{"label": "x", "page": None, "url": payload}]}
            )
        ]
        value = StreamValue(STREAM, raw, is_lazy=True)
        try:
            STREAM.clean(value)
        except ValidationError:
            continue
        # Accepted: then it is a harmless path or web address (meent.links).
        from meent import links

        assert links.safe_link(payload) is not None, payload
