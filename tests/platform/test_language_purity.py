"""Every page of the journey reads in one language (issue 18: "the English journey reads no Dutch
word, the Dutch one no English word").

The interface's own words are the catalogue's: a page asked for in English must show none of the
Dutch translations, a Dutch page none of the English source strings that have a Dutch one. Only
phrases (two words or more, at least 15 characters, no placeholders) are compared, so that a
name or a word that both languages share is not counted; the journey's own content (Dutch
titles and text, as people write them) is left out by comparing interface phrases only.
"""

import html
import re
from pathlib import Path

import polib
import pytest
from django.test import Client

from tests.e2e.journey import build_journey

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "meent/locale/nl/LC_MESSAGES/django.po"
_MARKUP = re.compile(r"<script\b.*?</script>|<style\b.*?</style>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
# Attributes whose words a person reads or hears.
_READ_ATTRIBUTES = re.compile(
    r'\s(?:aria-label|title|placeholder|alt|data-label[\w-]*|data-mentions-[\w-]+)="([^"]*)"'
)


def phrases():
    """(English, Dutch) pairs of the catalogue that only one of the languages would show."""
    pairs = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or "fuzzy" in entry.flags or entry.msgid_plural:
            continue
        english, dutch = entry.msgid.strip(), entry.msgstr.strip()
        if not dutch or english == dutch or "%" in english or "{" in english or "<" in english:
            continue
        if min(len(english), len(dutch)) < 15 or " " not in english or " " not in dutch:
            continue
        pairs.append((english, dutch))
    return pairs


def read_text(page):
    """What a person reads on the page: its text and the attributes that are read out."""
    markup = _MARKUP.sub(" ", page)
    said = " ".join(_READ_ATTRIBUTES.findall(markup))
    return " ".join(html.unescape(f"{_TAG.sub(' ', markup)} {said}").split())


def test_each_page_reads_in_the_language_it_was_asked_in():
    journey = build_journey()
    pairs = phrases()
    assert len(pairs) > 300  # the catalogue was read
    wrong = []
    own = {"en": 0, "nl": 0}  # phrases of the page's own language: the comparison does find some
    for language in ("en", "nl"):
        visitor, member = Client(), Client()
        member.force_login(journey["person"])
        for page in journey["pages"]:
            client = member if page.signed_in else visitor
            response = client.get(page.path, HTTP_ACCEPT_LANGUAGE=language, follow=True)
            assert response.status_code == 200, (page.name, response.status_code)
            text = read_text(response.content.decode())
            for english, dutch in pairs:
                mine, other = (english, dutch) if language == "en" else (dutch, english)
                if " ".join(other.split()) in text:
                    wrong.append((language, page.name, other))
                own[language] += " ".join(mine.split()) in text
    print(f"language purity: {len(journey['pages']) * 2} pages, {len(pairs)} phrases, {own}")
    assert own["en"] > 50 and own["nl"] > 50, own
    assert wrong == [], "\n".join(f"{lang} {name}: {phrase!r}" for lang, name, phrase in wrong)
