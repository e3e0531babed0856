"""Text processing for the database backend: the same on SQLite and PostgreSQL.

A text becomes a list of *terms*: every word, case-folded and with its accents folded
("Reünie" → "reunie"), followed by its Dutch and its English Snowball stem. A document stores its
terms space-separated; a query word matches a document when any of the word's forms is among the
document's terms. So "samenwerken" finds "samenwerking" (Dutch stem "samenwerk") and "publishing"
finds "published" (English stem "publish") without knowing the language of either text.

Terms consist of letters and digits only: nothing from a person's input reaches the database's
query syntax (tsquery, FTS5 MATCH) except these.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Letters and digits; the underscore and everything else separate words.
_WORD = re.compile(r"[^\W_]+")
MAX_WORD_LENGTH = 60
MAX_QUERY_WORDS = 12


# Letters without a decomposition that Elasticsearch's ASCII folding folds all the same
# ("Yılmaz" is found as "yilmaz"); case-folded already.
_LETTERS = {"ı": "i", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "þ": "th", "ð": "d"}


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, str | None]:
    """A str.translate table that drops every combining mark and folds the letters above
    (built once, on first use)."""
    table: dict[int, str | None] = {
        code: None for code in range(0x110000) if unicodedata.combining(chr(code))
    }
    table.update({ord(letter): folded for letter, folded in _LETTERS.items()})
    return table


def fold(text: str) -> str:
    """Case-folded, accents removed (NFKD, combining marks dropped)."""
    if text.isascii():  # most text: nothing to decompose (indexing speed)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    return decomposed.translate(_combining_marks())


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return [word[:MAX_WORD_LENGTH] for word in _WORD.findall(fold(text or ""))]


@lru_cache(maxsize=1)
def _stemmers():
    return snowballstemmer.stemmer("dutch"), snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def forms(word: str) -> tuple[str, ...]:
    """A folded word and its Dutch and English stems, without repeats, the word first."""
    dutch, english = _stemmers()
    result = [word]
    for stem in (dutch.stemWord(word), english.stemWord(word)):
        stem = fold(stem)
        if stem and stem not in result and _WORD.fullmatch(stem):
            result.append(stem)
    return tuple(result)


def terms(text: str) -> str:
    """The stored form of a text: every form of every word, space-separated."""
    return " ".join(form for word in words(text) for form in forms(word))


def query_groups(text: str) -> list[tuple[str, ...]]:
    """A query as a list of OR-groups (one per distinct word, at most MAX_QUERY_WORDS); a document
    matches when it matches every group."""
    groups: list[tuple[str, ...]] = []
    for word in words(text):
        group = forms(word)
        if group not in groups:
            groups.append(group)
        if len(groups) == MAX_QUERY_WORDS:
            break
    return groups
