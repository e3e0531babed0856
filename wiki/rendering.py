"""What the wiki does with a page body: wikilinks, heading anchors, plain text, diffs and Markdown.

Page bodies are stored as HTML that ``meent.sanitize.clean_html`` has already cleaned. Every
function here is pure (no database) and takes that HTML, but none of them may crash on any string
or let unsafe markup through if it is handed raw HTML instead: the HTML that goes back out is
re-serialised from a small tree of our own with the sanitiser's allow-lists applied once more, and
the text of a diff is escaped piece by piece before it is marked safe.

The tree is our own, built from what html5lib parses (the parser the sanitiser uses, so stored
HTML is read at render time exactly as it was read when it was cleaned, and as a browser reads
it), with the rules for where wikilinks count, what is a block and how things are escaped in one
readable place.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from bleach import html5lib_shim
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meent.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS, clean_html

__all__ = [
    "TocEntry",
    "add_heading_ids",
    "diff_counts",
    "diff_html",
    "find_wikilinks",
    "html_to_blocks",
    "html_to_markdown",
    "render_wikilinks",
    "title_key",
]

MAX_TITLE_LENGTH = 200

# --------------------------------------------------------------------------------------------
# A small HTML tree
# --------------------------------------------------------------------------------------------

VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# Never in a cleaned body; if raw HTML comes in, their content is not text a reader should see.
DROPPED_TAGS = frozenset(
    [
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "object",
        "textarea",
        "select",
        "title",
        "head",
        "svg",
        "math",
    ]
)
HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Block-level elements as far as text extraction and Markdown are concerned.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
) | frozenset(HEADING_LEVELS)
# Nesting deeper than this is not a document but an attack on the recursion limit: deeper start
# tags are ignored (their text is kept in the deepest element).
MAX_DEPTH = 100
# Wikilinks are not looked for in these (nor, of course, in anything inside them).
NO_WIKILINK_TAGS = frozenset({"a", "code", "pre"})


@dataclass(eq=False)
class _Text:
    """A text node, entities decoded."""

    text: str


@dataclass(eq=False)
class _Raw:
    """Markup built (and escaped) by this module itself; written out as it is."""

    markup: str


@dataclass(eq=False)
class _Element:
    """An element with its attributes (names lower-case, values decoded) and children."""

    tag: str
    attrs: list[tuple[str, str]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def get(self, name: str, default: str = "") -> str:
        """The value of attribute ``name`` (``default`` when absent)."""
        for key, value in self.attrs:
            if key == name:
                return value
        return default


_Node = _Text | _Raw | _Element


def _add_text(parent: _Element, text: str | None) -> None:
    """Add text to ``parent``, merged with the text node before it."""
    if not text:
        return
    if parent.children and isinstance(parent.children[-1], _Text):
        parent.children[-1].text += text
    else:
        parent.children.append(_Text(text))


def _is_kept(node) -> bool:
    """Whether an html5lib (ElementTree) node becomes an element of our tree: not a comment, not
    an SVG or MathML element (those carry a namespace), not one of DROPPED_TAGS."""
    return isinstance(node.tag, str) and "}" not in node.tag and node.tag not in DROPPED_TAGS


def _subtree_text(node) -> str:
    """The text of everything inside ``node``, without recursion (it may be very deep)."""
    parts: list[str] = []
    stack: list = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif _is_kept(item):
            parts.append(item.text or "")
            for child in reversed(item):
                if child.tail:
                    stack.append(child.tail)
                stack.append(child)
    return "".join(parts)


def _parse(source: str) -> _Element:
    """The tree of ``source`` (never raises: HTML parsing accepts any string).

    The parser is html5lib's, the same one (bleach's copy) that ``clean_html`` read the body with
    when it was saved, so what is rendered is the tree that was sanitised, and the tree a browser
    builds (implied ends, tables, formatting elements), not a second parser's idea of it.
    """
    # As the HTML input stream does: one kind of newline, and no NUL characters.
    text = str(source or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    fragment = html5lib_shim.HTMLParser(namespaceHTMLElements=False).parseFragment(text)
    root = _Element("#root")
    # Each element's own content (its text, then every child followed by that child's tail) is
    # added in one go; children's content waits on the stack, so depth costs no recursion.
    pending = [(fragment, root, 0)]
    while pending:
        node, element, depth = pending.pop()
        _add_text(element, node.text)
        for child in node:
            if _is_kept(child):
                if depth >= MAX_DEPTH and child.tag not in VOID_TAGS:
                    # Nesting this deep is not a document but an attack on the recursion limit:
                    # the text is kept in the deepest element.
                    _add_text(element, _subtree_text(child))
                else:
                    inner = _Element(child.tag, [(name, value) for name, value in child.items()])
                    element.children.append(inner)
                    pending.append((child, inner, depth + 1))
            _add_text(element, child.tail)
    return root


def _iter_elements(element: _Element, tags: frozenset[str] | set[str]) -> Iterator[_Element]:
    """The descendants of ``element`` with one of ``tags``, in document order."""
    for child in element.children:
        if isinstance(child, _Element):
            if child.tag in tags:
                yield child
            yield from _iter_elements(child, tags)


def _normalise_space(text: str) -> str:
    """``text`` with runs of whitespace as one space, stripped."""
    return " ".join(text.split())


def _image_text(element: _Element) -> str:
    """How an image reads in plain text: ``[image: alt]``."""
    alt = _normalise_space(element.get("alt"))
    return f"[image: {alt}]" if alt else "[image]"


def _flat_text(node: _Node, *, images: bool = False) -> str:
    """All the text under ``node`` on one line, blocks and line breaks becoming spaces."""
    parts: list[str] = []

    def collect(current: _Node) -> None:
        if isinstance(current, _Text):
            parts.append(current.text)
        elif isinstance(current, _Element):
            if current.tag == "br":
                parts.append(" ")
            elif current.tag == "img":
                if images:
                    parts.append(_image_text(current))
            else:
                spaced = current.tag in BLOCK_TAGS
                if spaced:
                    parts.append(" ")
                for child in current.children:
                    collect(child)
                if spaced:
                    parts.append(" ")

    collect(node)
    return _normalise_space("".join(parts))


# --------------------------------------------------------------------------------------------
# Writing HTML back out, with the sanitiser's allow-lists applied again
# --------------------------------------------------------------------------------------------

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Browsers ignore these inside a URL, so "java\tscript:" is still javascript:.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def _is_safe_url(url: str) -> bool:
    """True for relative URLs and for URLs whose scheme the sanitiser allows."""
    match = _SCHEME.match(_URL_IGNORED.sub("", url))
    return match is None or match.group(1).lower() in ALLOWED_PROTOCOLS


@lru_cache(maxsize=256)
def _clean_style(value: str) -> str:
    """``value`` as the project's sanitiser leaves a style attribute ("" when nothing is left).

    Asked of ``clean_html`` itself, so that the rules for styles stay in one place.
    """
    cleaned = clean_html(f'<span style="{_escape(value)}">x</span>')
    match = re.search(r'style="([^"]*)"', cleaned)
    return html.unescape(match.group(1)) if match else ""


def _escape(text: str) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(text, quote=True)


# Attributes this module writes itself, kept (in exactly the form written here) when the output of
# one function goes through another: render_wikilinks then add_heading_ids, or the other way.
TOC_TAGS = frozenset({"h2", "h3", "h4"})
_OWN_ATTRIBUTES: dict[str, dict[str, re.Pattern[str]]] = {
    # A mention link (meent/sanitize.py's ATTRIBUTE_VALUES) keeps its class and person.
    "a": {
        "class": re.compile(r"wikilink(?: wikilink--missing)?|mention"),
        "data-person": re.compile(r"[1-9][0-9]{0,11}"),
    },
    "span": {"class": re.compile(r"visually-hidden")},
    **{tag: {"id": re.compile(r"h-[a-z0-9-]+")} for tag in TOC_TAGS},
}


def _safe_attribute(tag: str, name: str, value: str) -> str | None:
    """The value to write for an attribute, or None to leave it out."""
    own = _OWN_ATTRIBUTES.get(tag, {})
    if name in own:
        return value if own[name].fullmatch(value) else None
    if name not in ALLOWED_ATTRIBUTES.get("*", ()) and name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return None
    if name in ("href", "src"):
        return value if _is_safe_url(value) else None
    if name == "style":
        cleaned = _clean_style(value)
        # A clean style stays exactly as it was (even if the sanitiser would add a ";").
        if cleaned and cleaned.rstrip("; ") == value.strip().rstrip("; "):
            return value
        return cleaned or None
    return value


def _attributes_html(element: _Element) -> str:
    """The attributes of ``element`` that may be written, as HTML."""
    parts = []
    for name, value in element.attrs:
        safe = _safe_attribute(element.tag, name, value)
        if safe is not None:
            parts.append(f' {name}="{_escape(safe)}"')
    return "".join(parts)


def _serialize(nodes: list[_Node]) -> str:
    """HTML for ``nodes``: tags and attributes outside the sanitiser's lists are left out."""
    out: list[str] = []

    def write(node: _Node) -> None:
        if isinstance(node, _Text):
            out.append(html.escape(node.text, quote=False))
        elif isinstance(node, _Raw):
            out.append(node.markup)
        elif node.tag not in ALLOWED_TAGS:
            # Unknown tags go, their content stays (as the sanitiser does with strip=True).
            for child in node.children:
                write(child)
        else:
            out.append(f"<{node.tag}{_attributes_html(node)}>")
            if node.tag in VOID_TAGS:
                return
            for child in node.children:
                write(child)
            out.append(f"</{node.tag}>")

    for node in nodes:
        write(node)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Titles and wikilinks
# --------------------------------------------------------------------------------------------


def title_key(title: str) -> str:
    """The key under which page titles are matched.

    NFKC (so "ﬁ" and "fi" are one title), casefolded, inner whitespace collapsed, stripped.
    """
    return _normalise_space(unicodedata.normalize("NFKC", title).casefold())


# No brackets inside, so "[[a]] [[b]]" is two links and "[[[[x]]" finds "[[x]]".
_WIKILINK = re.compile(r"\[\[([^\[\]]*)\]\]")


class _WikiLink(NamedTuple):
    """A ``[[Title|label]]`` found in text."""

    title: str
    label: str
    source: str  # the text as written, "[[Title|label]]"


def _wikilink_pieces(text: str) -> Iterator[str | _WikiLink]:
    """``text`` cut into plain strings and wikilinks (a malformed "[[...]]" stays plain text)."""
    position = 0
    for match in _WIKILINK.finditer(text):
        raw_title, _bar, raw_label = match.group(1).partition("|")
        title = _normalise_space(raw_title)
        if not title or len(title) > MAX_TITLE_LENGTH:
            continue
        if match.start() > position:
            yield text[position : match.start()]
        yield _WikiLink(title, _normalise_space(raw_label) or title, match.group(0))
        position = match.end()
    if position < len(text):
        yield text[position:]


def _linkable_texts(element: _Element) -> Iterator[_Text]:
    """The text nodes in which wikilinks count, in document order."""
    for child in element.children:
        if isinstance(child, _Text):
            yield child
        elif isinstance(child, _Element) and child.tag not in NO_WIKILINK_TAGS:
            yield from _linkable_texts(child)


def find_wikilinks(html_text: str) -> list[str]:
    """The titles that ``html_text`` links to as ``[[Title]]`` or ``[[Title|label]]``.

    In order of first appearance, one per ``title_key``; titles are stripped (and their inner
    whitespace collapsed, as a browser shows it). Text inside <a>, <code> and <pre> is not looked
    at; empty titles and titles over 200 characters are not links.
    """
    titles: list[str] = []
    seen: set[str] = set()
    for text_node in _linkable_texts(_parse(html_text)):
        for piece in _wikilink_pieces(text_node.text):
            if isinstance(piece, _WikiLink):
                key = title_key(piece.title)
                if key not in seen:
                    seen.add(key)
                    titles.append(piece.title)
    return titles


def _wikilink_markup(
    link: _WikiLink, targets: dict[str, str], create_url: Callable[[str], str]
) -> str:
    """The anchor for one wikilink: to the page, or to create it."""
    url = targets.get(title_key(link.title))
    if url is not None:
        return f'<a class="wikilink" href="{_escape(url)}">{_escape(link.label)}</a>'
    hint = _("page does not exist yet, create it")
    return (
        f'<a class="wikilink wikilink--missing" href="{_escape(create_url(link.title))}">'
        f'{_escape(link.label)}<span class="visually-hidden"> ({_escape(hint)})</span></a>'
    )


def render_wikilinks(
    html_text: str, targets: dict[str, str], create_url: Callable[[str], str]
) -> str:
    """``html_text`` with every wikilink replaced by a link to its page (or to create it).

    ``targets`` maps ``title_key(title)`` to the URL of each existing page; a title not in it gets
    a "missing" link to ``create_url(title)`` with a visually hidden explanation. The rest of the
    document is written back equivalently (re-serialised, with the allow-lists applied again).
    """

    def rewrite(element: _Element) -> None:
        children: list[_Node] = []
        for child in element.children:
            if isinstance(child, _Text):
                for piece in _wikilink_pieces(child.text):
                    if isinstance(piece, _WikiLink):
                        children.append(_Raw(_wikilink_markup(piece, targets, create_url)))
                    else:
                        children.append(_Text(piece))
            else:
                if isinstance(child, _Element) and child.tag not in NO_WIKILINK_TAGS:
                    rewrite(child)
                children.append(child)
        element.children = children

    root = _parse(html_text)
    rewrite(root)
    return _serialize(root.children)


# --------------------------------------------------------------------------------------------
# Heading anchors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TocEntry:
    """One line of a page's table of contents."""

    level: int
    text: str
    anchor: str


# Letters that Unicode decomposition does not fold to ASCII (after casefolding).
_ASCII_LETTERS = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
MAX_ANCHOR_SLUG = 80


def _anchor_slug(text: str) -> str:
    """The ``h-`` anchor for a heading's text, before de-duplication."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_ASCII_LETTERS))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_ANCHOR_SLUG].strip("-")
    # The "h-" prefix keeps heading anchors apart from any id the page itself uses.
    return f"h-{slug}" if slug else "h-section"


def add_heading_ids(html_text: str) -> tuple[str, list[TocEntry]]:
    """``html_text`` with an ``id`` on every h2, h3 and h4, and the table of contents.

    The id comes from the heading's text ("Reünie 2024" → "h-reunie-2024"; no text →
    "h-section"); repeats get "-2", "-3"... Any id a heading had is replaced.
    """
    root = _parse(html_text)
    used: set[str] = set()
    toc: list[TocEntry] = []
    for heading in _iter_elements(root, TOC_TAGS):
        text = _flat_text(heading)
        base = anchor = _anchor_slug(text)
        number = 1
        while anchor in used:
            number += 1
            anchor = f"{base}-{number}"
        used.add(anchor)
        heading.attrs = [(name, value) for name, value in heading.attrs if name != "id"]
        heading.attrs.append(("id", anchor))
        toc.append(TocEntry(HEADING_LEVELS[heading.tag], text, anchor))
    return _serialize(root.children), toc


# --------------------------------------------------------------------------------------------
# Plain-text blocks
# --------------------------------------------------------------------------------------------


def _pre_text(element: _Element) -> str:
    """The text of a <pre>, line breaks kept, trailing spaces and outer blank lines gone."""
    parts: list[str] = []

    def collect(node: _Node) -> None:
        if isinstance(node, _Text):
            parts.append(node.text)
        elif isinstance(node, _Element):
            if node.tag == "br":
                parts.append("\n")
            elif node.tag == "img":
                parts.append(_image_text(node))
            else:
                for child in node.children:
                    collect(child)

    collect(element)
    lines = [line.rstrip() for line in "".join(parts).split("\n")]
    return "\n".join(lines).strip("\n")


class _BlockCollector:
    """Walks the tree, cutting its text into one block per block-level element."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.quote_depth = 0
        self.list_depth = 0
        self.bullet_pending = False

    def _prefix(self) -> str:
        """The prefix for the next block: quote marks, and the bullet if the item has none yet."""
        prefix = "> " * self.quote_depth
        if self.bullet_pending:
            # Only the first block of a list item gets the bullet.
            prefix += "  " * max(self.list_depth - 1, 0) + "• "
            self.bullet_pending = False
        return prefix

    def add(self, text: str) -> None:
        """Add a finished block, with the quote and bullet prefixes due."""
        self.blocks.append(self._prefix() + text)

    def flush(self, marker: str = "") -> None:
        """End the current block (if it has text), with ``marker`` before it."""
        text = _normalise_space("".join(self.inline))
        self.inline.clear()
        if text:
            self.add(marker + text)

    def walk(self, node: _Node) -> None:
        """Collect the blocks of ``node`` and everything under it."""
        if isinstance(node, _Text):
            self.inline.append(node.text)
            return
        if not isinstance(node, _Element):
            return
        tag = node.tag
        if tag == "br":
            self.inline.append(" ")
        elif tag == "img":
            self.inline.append(_image_text(node))
        elif tag == "hr":
            self.flush()
            self.add("---")
        elif tag == "pre":
            self.flush()
            text = _pre_text(node)
            if text.strip():
                self.add(text)
        elif tag == "tr":
            self.flush()
            cells = [
                _flat_text(cell, images=True)
                for cell in node.children
                if isinstance(cell, _Element) and cell.tag in ("td", "th")
            ]
            if any(cells):
                self.add(" | ".join(cells))
        elif tag in HEADING_LEVELS:
            self.flush()
            self._walk_children(node)
            self.flush("#" * HEADING_LEVELS[tag] + " ")
        elif tag == "blockquote":
            self.flush()
            self.quote_depth += 1
            self._walk_children(node)
            self.flush()
            self.quote_depth -= 1
        elif tag in ("ul", "ol"):
            self.flush()
            self.list_depth += 1
            self._walk_children(node)
            self.flush()
            self.list_depth -= 1
        elif tag == "li":
            self.flush()
            self.bullet_pending = True
            self._walk_children(node)
            self.flush()
            self.bullet_pending = False
        elif tag in BLOCK_TAGS:
            self.flush()
            self._walk_children(node)
            self.flush()
        else:
            self._walk_children(node)

    def _walk_children(self, element: _Element) -> None:
        for child in element.children:
            self.walk(child)


def html_to_blocks(html_text: str) -> list[str]:
    """The document as plain-text blocks, one per block-level element, for diffing.

    Whitespace is normalised (except in <pre>, which is one block with its line breaks). Headings
    start with "## " (one "#" per level) so that a level change shows, list items with "• "
    (indented two spaces per extra nesting level), quoted blocks with "> ". Table rows are one
    block, cells joined by " | "; <hr> is "---"; images are "[image: alt]"; links are their text.
    """
    collector = _BlockCollector()
    for node in _parse(html_text).children:
        collector.walk(node)
    collector.flush()
    return collector.blocks


# --------------------------------------------------------------------------------------------
# Diffs
# --------------------------------------------------------------------------------------------

_WORDS = re.compile(r"\s+|\w+|[^\w\s]")
_WORD = re.compile(r"\w+")
_TOKENS = re.compile(r"\w+|[^\w\s]")
# Replaced blocks less alike than this are shown as removed + added, not as a word diff.
PAIRING_THRESHOLD = 0.4
# Past this many (old × new) blocks in one replacement, pair them in order instead of searching
# for the best pairing (which compares every old block with every new one).
MAX_PAIRING_CELLS = 400
# Unchanged blocks shown next to a change; a run of more than 3 between changes is collapsed.
CONTEXT_BLOCKS = 1
MAX_UNCOLLAPSED_RUN = 3


class _WordOp(NamedTuple):
    """One step of a word-level diff, with the old and new text it covers."""

    tag: str  # "equal", "delete", "insert" or "replace", as difflib has them
    old: str
    new: str


def _similarity(old: str, new: str) -> float:
    # Without the whitespace tokens, which any two sentences share.
    """How alike two blocks are (0 to 1, by their words and punctuation)."""
    matcher = difflib.SequenceMatcher(None, _TOKENS.findall(old), _TOKENS.findall(new))
    if matcher.real_quick_ratio() < PAIRING_THRESHOLD:
        return 0.0
    if matcher.quick_ratio() < PAIRING_THRESHOLD:
        return 0.0
    return matcher.ratio()


def _pair_blocks(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """A one-to-one, order-keeping pairing of replaced blocks: (old, new), (old, None), (None, new).

    Pairs the blocks that are alike (most similarity in total, by dynamic programming), so that a
    paragraph inserted before an edited one does not get word-diffed against it.
    """
    n, m = len(old), len(new)
    if n * m > MAX_PAIRING_CELLS:
        pairs: list[tuple[int | None, int | None]] = []
        for index in range(max(n, m)):
            i = index if index < n else None
            j = index if index < m else None
            if i is not None and j is not None and _similarity(old[i], new[j]) < PAIRING_THRESHOLD:
                pairs += [(i, None), (None, j)]
            else:
                pairs.append((i, j))
        return pairs
    similarity = [
        [s if (s := _similarity(a, b)) >= PAIRING_THRESHOLD else 0.0 for b in new] for a in old
    ]
    # best[i][j]: the highest total similarity pairing old[i:] with new[j:].
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = max(best[i + 1][j], best[i][j + 1])
            if similarity[i][j]:
                score = max(score, similarity[i][j] + best[i + 1][j + 1])
            best[i][j] = score
    pairs = []
    i = j = 0
    while i < n and j < m:
        if similarity[i][j] and best[i][j] == similarity[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(index, None) for index in range(i, n)]
    pairs += [(None, index) for index in range(j, m)]
    return pairs


def _word_ops(old: str, new: str) -> list[_WordOp]:
    """The word-level diff of two blocks."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # A lone space kept between two changed words would chop "foo bar" → "baz qux" into two
    # changes; take it into the change instead.
    for index in range(1, len(opcodes) - 1):
        tag, i1, i2, j1, j2 = opcodes[index]
        if (
            tag == "equal"
            and all(token.isspace() for token in a[i1:i2])
            and opcodes[index - 1][0] != "equal"
            and opcodes[index + 1][0] != "equal"
        ):
            opcodes[index] = ("replace", i1, i2, j1, j2)
    merged: list[tuple[str, int, int, int, int]] = []
    for opcode in opcodes:
        if merged and opcode[0] != "equal" and merged[-1][0] != "equal":
            previous = merged.pop()
            opcode = ("replace", previous[1], opcode[2], previous[3], opcode[4])
        merged.append(opcode)
    ops = []
    for tag, i1, i2, j1, j2 in merged:
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "replace" and not old_part:
            tag = "insert"
        elif tag == "replace" and not new_part:
            tag = "delete"
        ops.append(_WordOp(tag, old_part, new_part))
    return ops


class _Row(NamedTuple):
    """One block of a diff."""

    kind: str  # "same", "added", "removed" or "changed"
    old: str = ""
    new: str = ""


def _diff_rows(old_html: str, new_html: str) -> list[_Row]:
    """The diff of two documents, block by block."""
    old, new = html_to_blocks(old_html), html_to_blocks(new_html)
    rows: list[_Row] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [_Row("same", text, text) for text in old[i1:i2]]
        elif tag == "delete":
            rows += [_Row("removed", old=text) for text in old[i1:i2]]
        elif tag == "insert":
            rows += [_Row("added", new=text) for text in new[j1:j2]]
        else:
            for i, j in _pair_blocks(old[i1:i2], new[j1:j2]):
                if i is not None and j is not None:
                    rows.append(_Row("changed", old[i1 + i], new[j1 + j]))
                elif i is not None:
                    rows.append(_Row("removed", old=old[i1 + i]))
                elif j is not None:
                    rows.append(_Row("added", new=new[j1 + j]))
    return rows


def _text_html(text: str) -> str:
    # Line breaks only occur in <pre> blocks; a <p> would fold them.
    """Escaped text for the diff."""
    return _escape(text).replace("\n", "<br>")


def _ins(text: str) -> str:
    """Added text, with its screen-reader prefix."""
    hint = _escape(_("added:"))
    return f'<ins><span class="visually-hidden">{hint} </span>{_text_html(text)}</ins>'


def _del(text: str) -> str:
    """Removed text, with its screen-reader prefix."""
    hint = _escape(_("removed:"))
    return f'<del><span class="visually-hidden">{hint} </span>{_text_html(text)}</del>'


def _skip_html(count: int) -> str:
    """The line standing for ``count`` unchanged blocks that are not shown."""
    template = ngettext("%(count)s unchanged paragraph", "%(count)s unchanged paragraphs", count)
    text = template % {"count": count}
    return f'<p class="diff__skip">{_escape(text)}</p>'


def _row_html(row: _Row) -> str:
    """The HTML of one block of the diff."""
    if row.kind == "same":
        return f'<p class="diff__same">{_text_html(row.old)}</p>'
    if row.kind == "added":
        return f'<p class="diff__added">{_ins(row.new)}</p>'
    if row.kind == "removed":
        return f'<p class="diff__removed">{_del(row.old)}</p>'
    parts = []
    for op in _word_ops(row.old, row.new):
        if op.tag == "equal":
            parts.append(_text_html(op.old))
        if op.tag in ("delete", "replace"):
            parts.append(_del(op.old))
        if op.tag in ("insert", "replace"):
            parts.append(_ins(op.new))
    return f'<p class="diff__changed">{"".join(parts)}</p>'


def diff_html(old_html: str, new_html: str) -> SafeString:
    """A readable HTML diff of two page bodies, by blocks of text (see ``html_to_blocks``).

    Unchanged blocks are shown (runs of more than 3 between changes collapsed to a count), added
    and removed blocks marked with <ins>/<del>, and a changed block shown once with its changed
    words marked. Every <ins>/<del> starts with a visually hidden "added:"/"removed:" for screen
    readers. All text is escaped here, piece by piece, before the result is marked safe.
    """
    rows = _diff_rows(old_html, new_html)
    if all(row.kind == "same" for row in rows):
        nothing = _escape(_("No differences in the text."))
        empty = f'<div class="diff"><p class="diff__none">{nothing}</p></div>'
        return mark_safe(empty)  # noqa: S308 (the one piece of text in it is escaped)

    parts = ['<div class="diff">']
    index = 0
    while index < len(rows):
        if rows[index].kind != "same":
            parts.append(_row_html(rows[index]))
            index += 1
            continue
        end = index
        while end < len(rows) and rows[end].kind == "same":
            end += 1
        run = rows[index:end]
        if len(run) <= MAX_UNCOLLAPSED_RUN:
            parts += [_row_html(row) for row in run]
        else:
            # Context next to a change only: none before the first change, none after the last.
            head = CONTEXT_BLOCKS if index > 0 else 0
            tail = CONTEXT_BLOCKS if end < len(rows) else 0
            parts += [_row_html(row) for row in run[:head]]
            parts.append(_skip_html(len(run) - head - tail))
            parts += [_row_html(row) for row in run[len(run) - tail :]]
        index = end
    parts.append("</div>")
    # Every piece of text above went through _escape; the markup is our own.
    return mark_safe("\n".join(parts))  # noqa: S308


def diff_counts(old_html: str, new_html: str) -> tuple[int, int]:
    """How many words the new version adds and removes, as ``diff_html`` shows them."""
    added = removed = 0

    def words(text: str) -> int:
        return len(_WORD.findall(text))

    for row in _diff_rows(old_html, new_html):
        if row.kind == "added":
            added += words(row.new)
        elif row.kind == "removed":
            removed += words(row.old)
        elif row.kind == "changed":
            for op in _word_ops(row.old, row.new):
                if op.tag != "equal":
                    added += words(op.new)
                    removed += words(op.old)
    return added, removed


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------

# Our own writer, not markdownify (issue 20 weighed it, 1.2.3): markdownify reads HTML with a
# second parser (BeautifulSoup on html.parser), recurses per level (a deeply nested page is a
# RecursionError, so a 500 on the download) and writes Markdown that CommonMark reads otherwise:
# two lists in a row merge, "x**(y)**z" is not bold, a URL with a space breaks its link and
# "[[Page]](url)" becomes a link. It failed 23 of the 62 Markdown tests here.

# Characters that could start formatting anywhere in a line. "&" only where it would start an
# entity; "|" because a GFM table can appear out of lines of text; "~" because GFM strikes
# through with a single tilde too.
_MD_SPECIAL = re.compile(r"[\\`*_~<\[\]|]|&(?=#?[0-9A-Za-z]+;)")
# What starts a block when it begins a line: headings, quotes, list items, thematic breaks,
# setext underlines.
_MD_LINE_START = re.compile(r"^([#>=+-])|^(\d{1,9})([.)])(?=[ \t]|$)")
# Hard line breaks are "\n" while a paragraph is being built (text itself has its newlines
# collapsed to spaces, so every "\n" is a <br>).
_HARD_BREAK = "\n"
_COLLAPSIBLE = re.compile(r"[ \t\n\f]+")
MD_BLOCK_TAGS = BLOCK_TAGS
EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "s": "~~", "del": "~~"}
MERGEABLE = {**EMPHASIS, "code": "`"}


def _md_escape(text: str) -> str:
    """``text`` with every character that could start Markdown formatting escaped."""
    return _MD_SPECIAL.sub(lambda match: "\\" + match.group(0), text)


def _md_text(text: str, wikilinks: bool) -> str:
    """Escaped Markdown for a text node; wikilinks (where they count) are left as written."""
    text = _COLLAPSIBLE.sub(" ", text)
    if not wikilinks:
        return _md_escape(text)
    out: list[str] = []
    after_link = False
    for piece in _wikilink_pieces(text):
        if isinstance(piece, _WikiLink):
            out.append(piece.source)
            after_link = True
            continue
        escaped = _md_escape(piece)
        # "[[Page]](url)" would turn the brackets into a Markdown link.
        if after_link and escaped.startswith("("):
            escaped = "\\" + escaped
        out.append(escaped)
        after_link = False
    return "".join(out)


def _code_span(text: str) -> str:
    """A Markdown code span for ``text``, fenced by more backticks than it holds."""
    text = _COLLAPSIBLE.sub(" ", text)
    if not text:
        return ""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    # One space on each side is stripped by the reader, so it can pad text that starts or ends
    # with a backtick (or text that would otherwise lose its own outer spaces).
    if text.startswith("`") or text.endswith("`") or (text[0] == text[-1] == " " and text.strip()):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def _md_url(url: str) -> str:
    """A link destination, in <...> form when it has spaces, brackets or parentheses."""
    url = re.sub(r"[\x00-\x1f\x7f]", "", url).strip()
    url = url.replace("\\", "\\\\")
    url = re.sub(r"&(?=#?[0-9A-Za-z]+;)", r"\\&", url)
    if re.search(r"[\s()<>]", url) or not url:
        return "<" + url.replace("<", "\\<").replace(">", "\\>") + ">"
    return url


def _md_title(title: str) -> str:
    """A link title, ``"..."``, or nothing."""
    title = _normalise_space(title)
    if not title:
        return ""
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _merge_same_styles(nodes: list[_Node]) -> list[_Node]:
    """``nodes`` with side-by-side elements of one style merged: "<s>a</s><s>b</s>" is "~~ab~~".

    Written apart, their delimiters would run together ("~~a~~~~b~~", "`a``b`") and mean
    something else.
    """
    merged: list[_Node] = []
    for node in nodes:
        previous = merged[-1] if merged else None
        if (
            isinstance(node, _Element)
            and isinstance(previous, _Element)
            and node.tag in MERGEABLE
            and MERGEABLE.get(previous.tag) == MERGEABLE[node.tag]
        ):
            merged[-1] = _Element(previous.tag, children=[*previous.children, *node.children])
        else:
            merged.append(node)
    return merged


def _is_space(char: str) -> bool:
    """Whitespace in the sense of CommonMark's flanking rules."""
    return not char or char.isspace()  # the start or end of a line counts as space


def _is_punctuation(char: str) -> bool:
    """Punctuation in the sense of CommonMark's flanking rules."""
    return bool(char) and unicodedata.category(char)[0] in "PS"


def _left_flanking(before: str, after: str) -> bool:
    """Whether a delimiter run between ``before`` and ``after`` can open (CommonMark 6.2)."""
    return not _is_space(after) and (
        not _is_punctuation(after) or _is_space(before) or _is_punctuation(before)
    )


def _right_flanking(before: str, after: str) -> bool:
    """Whether a delimiter run between ``before`` and ``after`` can close."""
    return not _is_space(before) and (
        not _is_punctuation(before) or _is_space(after) or _is_punctuation(after)
    )


def _emphasis(content: str, style: str, before: str, after: str) -> str | None:
    """``content`` between ``style`` delimiters, if Markdown will read them as emphasis there.

    Outer spaces and breaks go outside (inside, they stop the delimiters counting). Right after a
    "*" the underscore form is used, or the two runs would merge ("**a****b**"). Where neither
    form would work unambiguously (such as "x<b>(y)</b>", or inside a word), None: the text is then
    kept without the emphasis rather than with stray asterisks.
    """
    outer = " " + _HARD_BREAK
    inner = content.strip(outer)
    if not inner:
        return content
    lead = content[: len(content) - len(content.lstrip(outer))]
    trail = content[len(content.rstrip(outer)) :]
    before = lead[-1:] or before
    after = trail[:1] or after
    delimiter = style.replace("*", "_") if before == "*" else style
    if delimiter.startswith("~") and "~" in (before, after):
        return None  # "~~" has no other form (a "*" after us switches to "_" itself)
    first, last = inner[0], inner[-1]
    # Only delimiters that can only open (or only close) are safe: one that could do both (inside
    # a word, or between punctuation) can pair up with the wrong partner ("rule of 3").
    opens = _left_flanking(before, first) and not _right_flanking(before, first)
    closes = _right_flanking(last, after) and not _left_flanking(last, after)
    if not (opens and closes):
        return None
    return f"{lead}{delimiter}{inner}{delimiter}{trail}"


def _raw_text(node: _Node) -> str:
    """The text under ``node`` as it is (breaks and blocks as spaces), for code spans."""
    if isinstance(node, _Text):
        return node.text
    if not isinstance(node, _Element) or node.tag == "img":
        return ""
    if node.tag == "br":
        return " "
    text = "".join(_raw_text(child) for child in node.children)
    return f" {text} " if node.tag in BLOCK_TAGS else text


def _leading_char(node: _Node) -> str:
    """Roughly the first character the Markdown of ``node`` will have (for emphasis rules)."""
    if isinstance(node, _Text):
        first = node.text[:1]
        return " " if first.isspace() else first
    if not isinstance(node, _Element):
        return ""
    if node.tag == "br":
        return _HARD_BREAK
    if node.tag in ("img", "a", "code"):
        return "["  # "![", "[" or "`": punctuation in any case
    if node.tag in EMPHASIS:
        return EMPHASIS[node.tag][0]
    for child in node.children:
        char = _leading_char(child)
        if char:
            return char
    return ""


def _finish_lines(text: str) -> list[str]:
    """The lines of a paragraph: stripped, block starts escaped, no empty line at either end."""
    lines = [line.strip(" ") for line in text.split(_HARD_BREAK)]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return [_escape_line_start(line) for line in lines]


def _escape_line_start(line: str) -> str:
    """``line`` with what would start a block at its beginning escaped."""
    match = _MD_LINE_START.match(line)
    if not match:
        return line
    if match.group(1):
        return "\\" + line
    return match.group(2) + "\\" + line[len(match.group(2)) :]


def _indent(text: str, prefix: str, first: str | None = None) -> str:
    """Each line of ``text`` after ``prefix`` (the first after ``first``); empty ones stay empty."""
    out = []
    for number, line in enumerate(text.split("\n")):
        lead = first if number == 0 and first is not None else prefix
        out.append((lead + line).rstrip() if line else lead.rstrip())
    return "\n".join(out)


class _MarkdownWriter:
    """Turns the tree into Markdown: ``blocks`` for block content, ``inline`` for a line's."""

    def __init__(self) -> None:
        # Emphasis already open: nested <em><em> must not become "**" (bold).
        self.open_styles: set[str] = set()

    # Inline content ---------------------------------------------------------------------

    def inline(
        self, nodes: list[_Node], wikilinks: bool = True, before: str = "", after: str = ""
    ) -> str:
        """Markdown for inline content; ``before``/``after`` are the characters around it."""
        nodes = _merge_same_styles(nodes)
        out = ""
        for index, node in enumerate(nodes):
            following = _leading_char(nodes[index + 1]) if index + 1 < len(nodes) else after
            piece = self._inline_node(node, wikilinks, out[-1:] or before, following)
            if piece.startswith("`") and out.endswith("`"):
                piece = " " + piece  # two code spans touching would read as one broken span
            elif piece.startswith("(") and out.endswith("]"):
                piece = "\\" + piece  # "[[Page]]" + "(x)" would read as a Markdown link
            if following == "[" and piece.endswith("!") and not piece.endswith("\\!"):
                piece = piece[:-1] + "\\!"  # "!" + "[link](url)" would read as an image
            out += piece
        return out

    def _inline_node(self, node: _Node, wikilinks: bool, before: str, after: str) -> str:
        """Markdown for one inline node between the characters ``before`` and ``after``."""
        if isinstance(node, _Text):
            return _md_text(node.text, wikilinks)
        if not isinstance(node, _Element):
            return ""
        tag = node.tag
        if tag == "br":
            return _HARD_BREAK
        if tag == "img":
            return self._image(node)
        if tag in ("code", "pre"):
            return _code_span(_raw_text(node))
        if tag == "a":
            return self._link(node)
        style = EMPHASIS.get(tag)
        if style is not None:
            if style in self.open_styles:
                return self.inline(node.children, wikilinks, before, after)
            self.open_styles.add(style)
            try:
                # Inside, the delimiter is the neighbour: like a space, it lets emphasis open.
                content = self.inline(node.children, wikilinks)
            finally:
                self.open_styles.discard(style)
            marked = _emphasis(content, style, before, after)
            if marked is not None:
                return marked
            # No emphasis possible here: the content then sits between the real neighbours.
            return self.inline(node.children, wikilinks, before, after)
        content = self.inline(node.children, wikilinks, before, after)
        # A block inside inline content (not in a cleaned body) is at least kept apart.
        return f" {content} " if tag in MD_BLOCK_TAGS else content

    def _image(self, element: _Element) -> str:
        """``![alt](src)``, or only the alt text for a missing or unsafe source."""
        alt = _md_escape(_normalise_space(element.get("alt")))
        src = element.get("src").strip()
        if not src or not _is_safe_url(src):
            return alt
        return f"![{alt}]({_md_url(src)}{_md_title(element.get('title'))})"

    def _link(self, element: _Element) -> str:
        # Inside a link, "[[...]]" is link text, not a wikilink: escape it like any bracket.
        """``[text](url)``, or only the text for a missing or unsafe URL."""
        content = self.inline(element.children, wikilinks=False).replace(_HARD_BREAK, " ")
        text = content.strip(" ")
        href = element.get("href").strip()
        if not href or not _is_safe_url(href) or not text:
            return content
        # Spaces at the ends of the link text are kept, outside the brackets.
        lead = " " if content.startswith(" ") else ""
        trail = " " if content.endswith(" ") else ""
        return f"{lead}[{text}]({_md_url(href)}{_md_title(element.get('title'))}){trail}"

    def _one_line(self, nodes: list[_Node]) -> str:
        # Not _normalise_space: that would also squeeze the padding of code spans.
        """Inline Markdown on one line (breaks as spaces), for headings and cells."""
        return self.inline(nodes).replace(_HARD_BREAK, " ").strip(" ")

    # Block content ----------------------------------------------------------------------

    def blocks(self, nodes: list[_Node]) -> list[str]:
        """Markdown blocks (without blank lines around them) for a mixed list of nodes."""
        out: list[str] = []
        run: list[_Node] = []
        previous_list = ""

        def flush_inline() -> None:
            lines = _finish_lines(self.inline(run))
            run.clear()
            if lines:
                # A backslash at the end of a line is a hard break (spec: "\" + newline).
                out.append("\\\n".join(lines))

        for node in nodes:
            if isinstance(node, _Element) and node.tag in MD_BLOCK_TAGS:
                flush_inline()
                if node.tag in ("ul", "ol"):
                    # Two lists in a row would read as one: the second uses the other marker.
                    alternate = previous_list == node.tag and bool(out)
                    out += self.block(node, alternate=alternate)
                    previous_list = "" if alternate else node.tag
                else:
                    out += self.block(node)
                    previous_list = ""
            elif isinstance(node, _Text) and not node.text.strip() and not run:
                continue  # whitespace between blocks
            else:
                run.append(node)
                previous_list = ""
        flush_inline()
        return out

    def block(self, element: _Element, alternate: bool = False) -> list[str]:
        """Markdown blocks for one block-level element."""
        tag = element.tag
        if tag in HEADING_LEVELS:
            text = self._one_line(element.children)
            # A heading ending in " #" would lose it as a closing sequence.
            text = re.sub(r"(?:^|(?<= ))(#+)$", r"\\\1", text)
            return [f"{'#' * HEADING_LEVELS[tag]} {text}"] if text else []
        if tag == "pre":
            return self._fenced(element)
        if tag == "hr":
            return ["---"]
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(element.children))
            return [_indent(inner, "> ")] if inner else []
        if tag in ("ul", "ol"):
            return self._list(element, alternate)
        if tag == "table":
            return self._table(element)
        if tag == "li":  # outside a list (not in a cleaned body)
            return self._list(_Element("ul", children=[element]), alternate)
        return self.blocks(element.children)

    def _fenced(self, element: _Element) -> list[str]:
        """A fenced code block, its fence longer than any backtick run inside."""
        code = _pre_text(element)
        if not code.strip():
            return []
        runs = [len(run) for run in re.findall(r"`+", code)]
        fence = "`" * max(3, max(runs, default=0) + 1)
        return [f"{fence}\n{code}\n{fence}"]

    def _list(self, element: _Element, alternate: bool) -> list[str]:
        """A bulleted or numbered list, children indented under their item."""
        ordered = element.tag == "ol"
        start = element.get("start").strip()
        number = int(start) if start.isdigit() and len(start) <= 9 else 1
        items: list[list[str]] = []
        for child in element.children:
            if isinstance(child, _Element) and child.tag == "li":
                items.append(self.blocks(child.children))
            elif isinstance(child, _Element) or (isinstance(child, _Text) and child.text.strip()):
                items.append(self.blocks([child]))  # stray content: an item of its own
        # A list whose items hold several paragraphs is "loose": items apart by a blank line.
        loose = any(sum(1 for block in blocks if not _is_list_block(block)) > 1 for blocks in items)
        rendered = []
        for blocks in items:
            if ordered:
                marker = f"{number}{')' if alternate else '.'} "
                number += 1
            else:
                marker = "* " if alternate else "- "
            if blocks and blocks[0] == "---" and marker == "- ":
                blocks[0] = "***"  # "- ---" would be one thematic break, not an item holding one
            body = ""
            for block in blocks:
                # A nested list follows its item's text directly (a blank line would loosen it).
                tight = _is_list_block(block) and _can_interrupt_paragraph(block)
                joiner = "\n" if tight and not loose else "\n\n"
                body = f"{body}{joiner}{block}" if body else block
            rendered.append(_indent(body, " " * len(marker), first=marker))
        return ["\n\n".join(rendered) if loose else "\n".join(rendered)] if rendered else []

    def _table(self, element: _Element) -> list[str]:
        """A GFM pipe table (first row as header), its caption as a paragraph before it."""
        rows: list[list[str]] = []
        for row in _iter_elements(element, {"tr"}):
            cells = [
                # GFM takes one backslash off every "|" in a row before reading the cell, even in
                # code spans and escapes ("\\|" is then an escaped pipe again): add one to all.
                self._one_line(cell.children).replace("|", "\\|")
                for cell in row.children
                if isinstance(cell, _Element) and cell.tag in ("td", "th")
            ]
            if cells:
                rows.append(cells)
        out = []
        for caption in _iter_elements(element, {"caption"}):
            text = self._one_line(caption.children)
            if text:
                out.append(_escape_line_start(text))
        if not rows:
            return out
        width = max(len(row) for row in rows)
        lines = []
        for number, row in enumerate(rows):
            cells = row + [""] * (width - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if number == 0:
                lines.append("|" + " --- |" * width)
        out.append("\n".join(lines))
        return out


def _is_list_block(block: str) -> bool:
    """Whether a rendered Markdown block is a list."""
    return bool(re.match(r"(?:[-*]|\d{1,9}[.)])(?: |$)", block))


def _can_interrupt_paragraph(block: str) -> bool:
    # Only a list starting at 1 with a non-empty first item can follow text line-to-line; any
    # other is read as more of the text.
    """Whether a rendered list may directly follow a line of text."""
    return bool(re.match(r"(?:[-*]|1[.)]) +\S", block))


def html_to_markdown(html_text: str) -> str:
    """CommonMark/GFM Markdown for a page body (for export), ending in one newline.

    Headings, paragraphs, emphasis, strike-through, code spans and fenced blocks, quotes, nested
    lists (an <ol>'s start kept), links, images, rules, hard breaks and pipe tables. Text is escaped
    so that it never turns into formatting; ``[[wikilinks]]`` are left as they are. Unsafe link
    and image URLs are left out (the text stays).
    """
    blocks = _MarkdownWriter().blocks(_parse(html_text).children)
    text = "\n\n".join(blocks).strip("\n")
    return f"{text}\n" if text else ""
