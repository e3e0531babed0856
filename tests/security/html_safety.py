"""A checker that proves a piece of stored HTML is safe to put in a page as it is.

``unsafe_findings`` reads the HTML twice:

1. with the standard library's ``html.parser.HTMLParser``, which is how most Python code would read
   it (elements, attributes with their entities decoded, comments, declarations);
2. with a small tokenizer that follows the HTML standard's tag and attribute rules on the raw string
   and ignores raw-text elements, so that anything the first parser treats as text (the inside of a
   ``<script>`` or ``<style>``, an unterminated tag at the end, a ``<!`` or ``<?`` construct) is
   still seen as a browser could see it, in this fragment or when it is concatenated with others.

Both passes apply the same rules; a problem found by both is reported once. The rules are stricter
than a browser on purpose: the question is not "does this execute today" but "is this exactly the
small, boring subset of HTML that the sanitiser promises".
"""

import html as html_lib
import re
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser

from meent import sanitize

# Elements that are never acceptable in stored user HTML, whatever a caller's allowed set says.
FORBIDDEN_TAGS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "base",
        "meta",
        "link",
        "form",
        "svg",
        "math",
        "template",
        # Also script containers, frames and elements that switch the parser into another mode.
        "applet",
        "frame",
        "frameset",
        "portal",
        "noscript",
        "noembed",
        "noframes",
        "xmp",
        "plaintext",
    }
)
# Attributes whose value is a URL (or, for srcset, a list of them) that a browser may load or open.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "background",
        "poster",
        "data",
        "srcset",
        "cite",
    }
)
# Attributes that hold a whole document or script: never acceptable.
FORBIDDEN_ATTRIBUTES = frozenset({"srcdoc"})
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
# Anything that can load a resource or run code, and the escapes and comments that can hide it.
CSS_FORBIDDEN_TOKENS = (
    "url(",
    "image(",
    "image-set(",
    "src(",
    "expression",
    "@import",
    "behavior",
    "-moz-binding",
    "\\",
    "/*",
)

_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")  # ASCII whitespace and control characters
_URL_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")  # the URL standard's scheme syntax
_PLAIN_TEXT_MARKUP = re.compile(r"<[A-Za-z/!?]")
_ASCII_ALPHA = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TAG_WHITESPACE = frozenset("\t\n\f\r ")


def _short(value: str, limit: int = 80) -> str:
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)


def _url_findings(tag: str, name: str, value: str) -> list[str]:
    urls = [value]
    if name == "srcset":  # "url 1x, url 2x": every candidate's URL counts
        urls = [part.split()[0] for part in value.split(",") if part.strip()]
    findings = []
    for url in urls:
        normalised = _URL_NOISE.sub("", url).lower()
        where = f"<{tag} {name}={_short(value)}>"
        if normalised.startswith(SCRIPT_SCHEMES):
            findings.append(f"{where}: script-capable URL scheme")
            continue
        scheme, colon, _ = normalised.partition(":")
        if not colon or any(stop in scheme for stop in "/?#"):
            continue  # no scheme: a relative URL (whose path, query or fragment may hold a colon)
        if not _URL_SCHEME.fullmatch(scheme):
            # Not scheme syntax ("jav&tab;ascript", "java\u200bscript"): URL parsers and browsers
            # resolve it as a relative path, so it cannot run anything.
            continue
        if scheme not in sanitize.ALLOWED_PROTOCOLS:
            findings.append(f"{where}: URL scheme {scheme!r} is not allowed")
    return findings


def _style_findings(tag: str, value: str) -> list[str]:
    findings = []
    where = f"<{tag} style={_short(value)}>"
    lowered = value.lower()
    for token in CSS_FORBIDDEN_TOKENS:
        if token in lowered:
            findings.append(f"{where}: CSS contains {token!r}")
    for declaration in lowered.split(";"):
        if not declaration.strip():
            continue
        prop, colon, _ = declaration.partition(":")
        prop = prop.strip()
        if not colon:
            findings.append(f"{where}: CSS declaration {declaration.strip()!r} is malformed")
        elif prop not in sanitize.ALLOWED_CSS_PROPERTIES:
            findings.append(f"{where}: CSS property {prop!r} is not allowed")
    return findings


class _Rules:
    """The rules both passes share, for one allowed set of tags and attributes."""

    def __init__(
        self, allowed_tags: Iterable[str], allowed_attributes: Mapping[str, Iterable[str]]
    ):
        self.allowed_tags = frozenset(t.lower() for t in allowed_tags)
        self.allowed_attributes = {k: frozenset(v) for k, v in allowed_attributes.items()}

    def element(self, tag: str, *, end: bool = False) -> list[str]:
        shown = f"</{tag}>" if end else f"<{tag}>"
        if tag in FORBIDDEN_TAGS:
            return [f"{shown} is a forbidden element"]
        if tag not in self.allowed_tags:
            return [f"{shown} is not an allowed element"]
        return []

    def attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
        findings = []
        allowed = self.allowed_attributes.get(tag, frozenset()) | self.allowed_attributes.get(
            "*", frozenset()
        )
        for raw_name, raw_value in attrs:
            name = raw_name.lower()
            value = raw_value or ""
            if name.startswith("on"):
                findings.append(f"<{tag} {name}=…>: event-handler attribute")
            elif name in FORBIDDEN_ATTRIBUTES:
                findings.append(f"<{tag} {name}=…>: attribute {name!r} is forbidden")
            elif name not in allowed:
                findings.append(f"<{tag}>: attribute {name!r} is not allowed")
            if name in URL_ATTRIBUTES:
                findings.extend(_url_findings(tag, name, value))
            if name == "style":
                findings.extend(_style_findings(tag, value))
        return findings

    def start_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> list[str]:
        return self.element(tag) + self.attributes(tag, attrs)


class _ParserPass(HTMLParser):
    def __init__(self, rules: _Rules):
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.findings: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.findings.extend(self.rules.start_tag(tag, attrs))

    def handle_endtag(self, tag):
        self.findings.extend(self.rules.element(tag, end=True))

    def handle_comment(self, data):
        self.findings.append(f"comment <!--{_short(data)}-->")

    def handle_decl(self, decl):
        self.findings.append(f"declaration <!{_short(decl)}>")

    def unknown_decl(self, data):
        self.findings.append(f"markup declaration (CDATA or conditional) <![{_short(data)}]>")

    def handle_pi(self, data):
        self.findings.append(f"processing instruction <?{_short(data)}>")


def _raw_tag(source: str, start: int) -> tuple[str, list[tuple[str, str]], int, bool]:
    """Tokenise the tag whose name starts at ``start`` (just after ``<`` or ``</``).

    Follows the tag-name, attribute-name and attribute-value states of the HTML standard's
    tokenizer. Returns (lower-cased name, [(name, decoded value)], index after the tag, whether a
    closing ``>`` was found).
    """
    n = len(source)
    i = start
    while i < n and source[i] not in _TAG_WHITESPACE and source[i] not in "/>":
        i += 1
    name = source[start:i].lower()
    attrs: list[tuple[str, str]] = []
    while True:
        while i < n and (source[i] in _TAG_WHITESPACE or source[i] == "/"):
            i += 1
        if i >= n:
            return name, attrs, n, False
        if source[i] == ">":
            return name, attrs, i + 1, True
        # Attribute name: the first character may be "=", later ones stop at "=".
        name_start = i
        i += 1
        while i < n and source[i] not in _TAG_WHITESPACE and source[i] not in "/>=":
            i += 1
        attr_name = source[name_start:i].lower()
        while i < n and source[i] in _TAG_WHITESPACE:
            i += 1
        value = ""
        if i < n and source[i] == "=":
            i += 1
            while i < n and source[i] in _TAG_WHITESPACE:
                i += 1
            if i < n and source[i] in "\"'":
                quote = source[i]
                end = source.find(quote, i + 1)
                if end < 0:
                    attrs.append((attr_name, html_lib.unescape(source[i + 1 :])))
                    return name, attrs, n, False
                value = source[i + 1 : end]
                i = end + 1
            else:
                value_start = i
                while i < n and source[i] not in _TAG_WHITESPACE and source[i] != ">":
                    i += 1
                value = source[value_start:i]
        attrs.append((attr_name, html_lib.unescape(value)))


def _raw_findings(source: str, rules: _Rules) -> list[str]:
    findings = []
    if "\x00" in source:
        findings.append("contains a NUL character (parsers disagree about what it means)")
    i = 0
    n = len(source)
    while True:
        i = source.find("<", i)
        if i < 0 or i + 1 >= n:
            return findings
        after = source[i + 1]
        if after == "!":
            findings.append(f"markup declaration or comment {_short(source[i : i + 40])}")
            i += 2
        elif after == "?":
            findings.append(f"processing instruction or bogus comment {_short(source[i : i + 40])}")
            i += 2
        elif after == "/" and i + 2 < n and source[i + 2] in _ASCII_ALPHA:
            name, _, i, closed = _raw_tag(source, i + 2)
            findings.extend(rules.element(name, end=True))
            if not closed:
                findings.append(f"unterminated end tag </{name} at the end of the input")
        elif after == "/":
            findings.append(f"bogus comment {_short(source[i : i + 40])}")
            i += 2
        elif after in _ASCII_ALPHA:
            name, attrs, i, closed = _raw_tag(source, i + 1)
            findings.extend(rules.start_tag(name, attrs))
            if not closed:
                findings.append(f"unterminated tag <{name} at the end of the input")
        else:
            i += 1


def unsafe_findings(
    html: str,
    *,
    allowed_tags: Iterable[str] | None = None,
    allowed_attributes: Mapping[str, Iterable[str]] | None = None,
) -> list[str]:
    """Human-readable problems with ``html`` as stored user HTML; an empty list means safe.

    ``allowed_tags`` and ``allowed_attributes`` default to the sanitiser's own sets (for attributes,
    the ``"*"`` entry applies to every element); a save path with a narrower policy passes its own.
    """
    rules = _Rules(
        sanitize.ALLOWED_TAGS if allowed_tags is None else allowed_tags,
        sanitize.ALLOWED_ATTRIBUTES if allowed_attributes is None else allowed_attributes,
    )
    parser = _ParserPass(rules)
    parser.feed(html)
    parser.close()
    findings = parser.findings + _raw_findings(html, rules)
    return list(dict.fromkeys(findings))  # each problem once, in the order first found


def assert_safe_html(
    html: str,
    *,
    allowed_tags: Iterable[str] | None = None,
    allowed_attributes: Mapping[str, Iterable[str]] | None = None,
) -> None:
    findings = unsafe_findings(
        html, allowed_tags=allowed_tags, allowed_attributes=allowed_attributes
    )
    if findings:
        listed = "\n".join(f"  - {finding}" for finding in findings)
        raise AssertionError(f"unsafe stored HTML:\n{listed}\nHTML: {html!r}")


def plain_text_findings(text: str) -> list[str]:
    """Problems with ``text`` as a stored plain-text field: any markup at all, even behind entities.

    Templates escape plain text, so a ``<`` is harmless on display; the promise checked here is the
    stronger one that the stored value holds no tag, comment, declaration or processing instruction,
    neither literally nor once its character references are decoded.
    """
    findings = []
    match = _PLAIN_TEXT_MARKUP.search(text)
    if match:
        findings.append(f"markup {_short(text[match.start() : match.start() + 40])}")
    decoded = html_lib.unescape(text)
    match = _PLAIN_TEXT_MARKUP.search(decoded)
    if decoded != text and match:
        found = decoded[match.start() : match.start() + 40]
        findings.append(f"markup behind character references {_short(found)}")
    if "\x00" in text:
        findings.append("contains a NUL character")
    return findings


def assert_plain_text(text: str) -> None:
    findings = plain_text_findings(text)
    if findings:
        listed = "\n".join(f"  - {finding}" for finding in findings)
        raise AssertionError(f"stored plain text contains markup:\n{listed}\nText: {text!r}")
