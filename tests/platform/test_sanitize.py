import pytest

from meent.sanitize import clean_html, clean_text

DANGEROUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<span style="position:fixed;top:0">x</span>',
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><input name=x></form>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]


@pytest.mark.parametrize("payload", DANGEROUS)
def test_dangerous_html_is_neutralised_and_cleaning_is_stable(payload):
    cleaned = clean_html(payload)
    lowered = cleaned.lower()
    assert "<script" not in lowered
    assert "onerror" not in lowered or "&lt;" in lowered  # only ever as escaped text
    assert "javascript:" not in lowered
    assert "vbscript:" not in lowered
    assert "data:" not in lowered
    assert "<iframe" not in lowered and "<form" not in lowered
    assert "position" not in lowered
    assert clean_html(cleaned) == cleaned


def test_allowed_markup_survives_and_links_are_made_clickable():
    html = '<h2>Kop</h2><p><strong>Vet</strong> zie www.example.org en <a href="https://a.nl">a</a></p>'
    cleaned = clean_html(html)
    assert "<h2>Kop</h2>" in cleaned
    assert "<strong>Vet</strong>" in cleaned
    assert 'href="http://www.example.org"' in cleaned
    assert 'rel="nofollow noopener noreferrer"' in cleaned
    assert clean_html(cleaned) == cleaned


def test_allowed_styles_are_kept_others_dropped():
    cleaned = clean_html('<p style="text-align: center; color: red">x</p>')
    assert "text-align: center" in cleaned
    assert "color" not in cleaned


def test_linkify_does_not_touch_code():
    cleaned = clean_html("<pre>https://example.org</pre>")
    assert "<a" not in cleaned


def test_clean_text_strips_markup_even_behind_entities_and_is_stable():
    assert clean_text("<b>Hallo</b> &lt;i&gt;daar&lt;/i&gt; A&amp;B") == "Hallo daar A&B"
    assert clean_text(clean_text("&amp;lt;script&amp;gt;x")) == clean_text(
        "&amp;lt;script&amp;gt;x"
    )
    assert clean_text("") == ""
