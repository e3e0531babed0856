"""The one place where HTML from people is cleaned.

Everything that stores user HTML calls ``clean_html`` on save (not only on display), so what is in
the database is already safe to show. Links are made clickable in the same cleaning pass, so the
linkifier can never reintroduce markup that the cleaner removed.
"""

import html
import re
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
    # class and data-person: only a mention link's, with ATTRIBUTE_VALUES's values.
    "a": ["href", "title", "rel", "class", "data-person"],
    "abbr": ["title"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "style"],
    "th": ["colspan", "rowspan", "scope", "style"],
    "span": ["style"],
    "p": ["style"],
    "ol": ["start", "reversed"],
}
# Attributes allowed with one kind of value only. A mention that the editor's people picker writes
# (meent/mentions): <a class="mention" data-person="42" href="/people/42/">@Anna Jansen</a>.
ATTRIBUTE_VALUES = {
    ("a", "class"): re.compile(r"mention"),
    ("a", "data-person"): re.compile(r"[1-9][0-9]{0,11}"),
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# Only presentational properties that cannot load anything or move content around the page.
ALLOWED_CSS_PROPERTIES = frozenset(
    {"text-align", "font-weight", "font-style", "text-decoration", "vertical-align"}
)
# bleach checks property names only; the values are checked here too, against plain keywords,
# so nothing like url(), expression() or image-set() can ride along on an allowed property.
ALLOWED_CSS_VALUES = {
    "text-align": re.compile(r"(left|right|center|justify|start|end)"),
    "font-weight": re.compile(r"(normal|bold|bolder|lighter|[1-9]00)"),
    "font-style": re.compile(r"(normal|italic|oblique)"),
    "text-decoration": re.compile(
        r"(none|underline|overline|line-through)( (underline|overline|line-through))*"
    ),
    "vertical-align": re.compile(r"(baseline|sub|super|top|middle|bottom|text-top|text-bottom)"),
}
# What would open a tag, a comment or a declaration if the text were ever read as HTML.
_TAG_OPENING = re.compile(r"<(?=[A-Za-z/!?])")


def _allowed_attribute(tag, name, value):
    """bleach's test for one attribute: an allowed name, and a value of the allowed kind."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()) and name not in ALLOWED_ATTRIBUTES["*"]:
        return False
    pattern = ATTRIBUTE_VALUES.get((tag, name))
    return pattern is None or pattern.fullmatch(value) is not None


def _set_link_rel(attrs, new=False):
    """Links that leave the site never hand the opener over and carry no referrer juice."""
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if href.startswith(("http://", "https://")):
        attrs[(None, "rel")] = "nofollow noopener noreferrer"
    return attrs


class _KeywordCSSSanitizer(CSSSanitizer):
    def sanitize_css(self, style):
        kept = []
        for declaration in super().sanitize_css(style).split(";"):
            name, colon, value = declaration.partition(":")
            name, value = name.strip().lower(), " ".join(value.split()).lower()
            pattern = ALLOWED_CSS_VALUES.get(name)
            if colon and pattern and pattern.fullmatch(value):
                kept.append(f"{name}: {value}")
        return "; ".join(kept)


class _LinkifyFilter(LinkifyFilter):
    """Linkify without decoding entities a second time: the cleaner has already handled them,
    and decoding twice turned "&amp;amp;" into "&amp;" on every save."""

    def extract_entities(self, token):
        yield token


@lru_cache(maxsize=1)
def _html_cleaner():
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        css_sanitizer=_KeywordCSSSanitizer(allowed_css_properties=ALLOWED_CSS_PROPERTIES),
        strip=True,
        strip_comments=True,
        filters=[
            lambda source: _LinkifyFilter(
                source, callbacks=[_set_link_rel], skip_tags={"pre", "code"}
            )
        ],
    )
    # Always quote attributes with '"': with the "best" quote character, values holding a '"'
    # were quoted with "'" and their "&" escaped once more on every save.
    cleaner.serializer.use_best_quote_char = False
    return cleaner


@lru_cache(maxsize=1)
def _text_cleaner():
    return bleach.Cleaner(tags=set(), attributes={}, strip=True, strip_comments=True)


def clean_html(html: str) -> str:
    """Cleaned rich text: allowed tags, attributes, URL schemes and styles only; links linkified."""
    if not html:
        return ""
    return _html_cleaner().clean(html)


# Invisible characters that reorder how the text around them is shown (embeddings, overrides,
# isolates): in a name or a title they make "Anna" read as someone else, or turn the words next
# to it around ("Trojan Source"). Right-to-left scripts need none of them to show correctly.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str) -> str:
    return _BIDI_CONTROLS.sub("", text or "")


def clean_text(text: str) -> str:
    """Plain text with every tag removed (the template escapes and linkifies it on display)."""
    text = without_bidi_controls(text)
    # bleach escapes what it keeps; plain-text fields store the characters, not entities. Entities
    # can hide tags ("&lt;b&gt;"), so strip until nothing changes: cleaning twice is a no-op.
    # A tag left unfinished at the end survives the cleaner as text; a "<" that could open a tag
    # is dropped as well, so the stored text holds no markup however it is read later.
    for _ in range(5):
        cleaned = html.unescape(_text_cleaner().clean(html.unescape(text or "")))
        cleaned = _TAG_OPENING.sub("", cleaned).strip()
        if cleaned == text:
            break
        text = cleaned
    return text
