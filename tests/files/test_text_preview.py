"""The file page shows a text file's start decoded as search reads it (files/extract.py): also
the UTF-16 and Windows-1252 text that spreadsheets save, which uploads take."""

import pytest

from files.views import read_text_preview
from tests.files.conftest import put


@pytest.mark.parametrize(
    "content",
    [
        "naam;plaats\nJosé;Zaltbommel\n".encode("utf-16"),
        "naam;plaats\nJosé;Zaltbommel\n".encode("cp1252"),
        "naam;plaats\nJosé;Zaltbommel\n".encode("utf-8-sig"),
    ],
)
def test_text_in_the_encodings_uploads_take_is_shown_as_written(library, content):
    file = put(library["people"]["anna"], library["root"], "plaatsen.csv", content)
    text, cut = read_text_preview(file.current)
    assert text == "naam;plaats\nJosé;Zaltbommel\n" and not cut


def test_a_long_text_is_cut_without_a_broken_character(library):
    file = put(library["people"]["anna"], library["root"], "lang.txt", ("é" * 100).encode())
    text, cut = read_text_preview(file.current, limit=51)
    assert cut and text == "é" * 25
