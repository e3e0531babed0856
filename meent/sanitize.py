"""The one place where HTML from people is cleaned.

Everything that stores user HTML calls ``clean_html`` on save (not only on display), so what is in
the database is already safe to show. Links are made clickable in the same cleaning pass, so the
linkifier can never reintroduce markup that the cleaner removed.
"""

import html
from functools import lru_cache

import bleach
from bleach.css_sanitizer import CSSSanitizer
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "del",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "*": ["title", "lang", "dir"],
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "style"],
    "th": ["colspan", "rowspan", "scope", "style"],
    "span": ["style"],
    "p": ["style"],
    "ol": ["start", "reversed"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Only presentational properties that cannot load anything or move content around the page.
ALLOWED_CSS_PROPERTIES = frozenset(
    {"text-align", "font-weight", "font-style", "text-decoration", "vertical-align"}
)


def _set_link_rel(attrs, new=False):
    """Links that leave the site never hand the opener over and carry no referrer juice."""
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if href.startswith(("http://", "https://")):
        attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


@lru_cache(maxsize=1)
def _html_cleaner():
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        css_sanitizer=CSSSanitizer(allowed_css_properties=ALLOWED_CSS_PROPERTIES),
        strip=True,
        strip_comments=True,
        filters=[
            lambda source: LinkifyFilter(
                source, callbacks=[_set_link_rel], skip_tags={"pre", "code"}
            )
        ],
    )


@lru_cache(maxsize=1)
def _text_cleaner():
    return bleach.Cleaner(tags=set(), attributes={}, strip=True, strip_comments=True)


def clean_html(html: str) -> str:
    """Cleaned rich text: allowed tags, attributes, URL schemes and styles only; links linkified."""
    if not html:
        return ""
    return _html_cleaner().clean(html)


def clean_text(text: str) -> str:
    """Plain text with every tag removed (the template escapes and linkifies it on display)."""
    # bleach escapes what it keeps; plain-text fields store the characters, not entities. Entities
    # can hide tags ("&lt;b&gt;"), so strip until nothing changes: cleaning twice is a no-op.
    for _ in range(5):
        cleaned = html.unescape(_text_cleaner().clean(text or "")).strip()
        if cleaned == text:
            break
        text = cleaned
    return text
