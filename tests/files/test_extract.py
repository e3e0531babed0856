"""The text of stored documents (files/extract.py): every kind made here with real libraries,
and the hostile ones, each of which must cost only the child process that reads it.

No database: the child never touches one, and neither do these tests.
"""

import io
import os
import signal
import time
import zipfile

import pytest
from pypdf import PdfReader
from pypdf.generic import NameObject

from files import extract
from files.extract import Extraction, extract_text, supported
from tests.files import documents
from tests.files.documents import DOCX, ODP, ODS, ODT, PDF, PPTX, TEXT, XLSX


@pytest.fixture(autouse=True)
def limits(settings):
    """The shipped limits, whatever the environment says; tests lower them where they test one."""
    settings.MEENT_FILES_EXTRACT_SECONDS = 30
    settings.MEENT_FILES_EXTRACT_MEMORY = 1024**3
    settings.MEENT_FILES_EXTRACT_PAGES = 500
    settings.MEENT_FILES_EXTRACT_CHARACTERS = 1_000_000
    return settings


def done(result: Extraction) -> str:
    assert result.status == "done", result
    return result.text


# --- every kind ---------------------------------------------------------------------------------


def test_the_pdf_helper_makes_text_that_pypdf_reads_back():
    data = documents.make_pdf(["Notulen van het overleg\n(concept) café", "Tweede bladzijde"])
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    assert "Notulen van het overleg" in reader.pages[0].extract_text()
    assert "(concept) café" in reader.pages[0].extract_text()
    assert reader.pages[1].extract_text().strip() == "Tweede bladzijde"


def test_pdf():
    data = documents.make_pdf(["Notulen van het overleg\nBesluit: (akkoord)", "Bijlage   twee"])
    result = extract_text(data, PDF)
    assert result == Extraction(
        "done", "Notulen van het overleg\nBesluit: (akkoord)\nBijlage twee", 2, False, ""
    )


def test_pdf_page_inherits_its_font_from_the_page_tree():
    """A page may take its resources (its fonts) from the tree above it."""
    writer = documents.pdf_writer(["Geërfd lettertype"])
    page = writer.pages[0]
    resources = page.raw_get("/Resources")
    del page[NameObject("/Resources")]
    writer.root_object["/Pages"][NameObject("/Resources")] = resources
    data = documents.pdf_bytes(writer)
    assert "/Resources" not in PdfReader(io.BytesIO(data)).trailer["/Root"]["/Pages"]["/Kids"][0]
    assert done(extract_text(data, PDF)) == "Geërfd lettertype"


def test_docx_paragraphs_and_table_cells():
    data = documents.make_docx(
        "Projectplan\nDoel:\tde   wachttijd halveren", table=[["Fase", "Wanneer"], ["Start", "mei"]]
    )
    result = extract_text(data, DOCX)
    assert result.text == "Projectplan\nDoel: de wachttijd halveren\nFase Wanneer\nStart mei"
    assert (result.status, result.pages, result.truncated) == ("done", 0, False)


def test_xlsx_every_sheet_row_by_row():
    data = documents.make_xlsx(
        [["Gemeente", "Inwoners"], ["Utrecht", 361_000]], sheets={"Toelichting": [["Bron: CBS"]]}
    )
    result = extract_text(data, XLSX)
    assert result.text == "Blad1\nGemeente Inwoners\nUtrecht 361000\nToelichting\nBron: CBS"
    assert (result.status, result.pages) == ("done", 2)


def test_pptx_slides():
    data = documents.make_pptx(["Kwartaalcijfers\nOmzet steeg", "Vragen?"])
    result = extract_text(data, PPTX)
    assert result.text == "Kwartaalcijfers\nOmzet steeg\nVragen?"
    assert (result.status, result.pages) == ("done", 2)


def test_odt_paragraphs_and_table_cells():
    data = documents.make_odt(
        "Verslag\nAanwezig: Anna", table=[["Actie", "Wie"], ["Agenda", "Bram"]]
    )
    result = extract_text(data, ODT)
    assert result == Extraction(
        "done", "Verslag\nAanwezig: Anna\nActie Wie\nAgenda Bram", 0, False, ""
    )


def test_ods_sheets():
    data = documents.make_ods(
        [["Post", "Bedrag"], ["Huur", 1200]], sheets={"Tweede": [["Notitie"]]}
    )
    result = extract_text(data, ODS)
    assert result.text == "Post Bedrag\nHuur 1200\nNotitie"
    assert (result.status, result.pages) == ("done", 2)


def test_odp_slides():
    result = extract_text(documents.make_odp(["Welkom\nbij het team", "Afsluiting"]), ODP)
    assert result == Extraction("done", "Welkom\nbij het team\nAfsluiting", 2, False, "")


def test_odf_spaces_tabs_line_breaks_and_spans():
    data = _with_odf_body(
        documents.make_odt("x"),
        "<office:text><text:p>een<text:s text:c='3'/>twee<text:tab/>drie<text:line-break/>"
        "<text:span>vier</text:span> <text:a xlink:href='https://example.org'>vijf</text:a>"
        "</text:p><text:h>Kop</text:h></office:text>",
    )
    assert done(extract_text(data, ODT)) == "een twee drie\nvier vijf\nKop"


def test_ods_repeated_rows_and_cells_are_read_once_not_expanded():
    """LibreOffice writes a sheet's empty remainder as one row repeated a million times."""
    data = _with_odf_body(
        documents.make_ods([["x"]]),
        "<office:spreadsheet><table:table table:name='Blad1'>"
        "<table:table-row><table:table-cell office:value-type='string'><text:p>Som</text:p>"
        "</table:table-cell><table:table-cell table:number-columns-repeated='16383'/>"
        "</table:table-row><table:table-row table:number-rows-repeated='1048575'>"
        "<table:table-cell table:number-columns-repeated='16384'/></table:table-row>"
        "</table:table></office:spreadsheet>",
    )
    started = time.monotonic()
    assert done(extract_text(data, ODS)) == "Som"
    assert time.monotonic() - started < 5


def test_markdown_and_plain_text():
    assert done(extract_text(documents.make_markdown("Hallo *wereld*"), TEXT)).startswith(
        "# Notities\nHallo *wereld*\n- eerste punt"
    )
    assert done(extract_text(documents.make_text("a,b\r\n1,2\r\n"), TEXT)) == "a,b\n1,2"


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("cp1252", "Het café is één keer per week open: ‘gezellig’ – zeggen ze."),
        ("cp1252", "café"),
        ("utf-16", "Het café is open"),  # Python's utf-16 writes a byte order mark
        ("utf-8-sig", "Het café is open"),
        ("utf-16-be", "\ufeffcafé met BOM"),
        ("cp1251", "Привет, мир! Это обычный текст на русском языке."),
    ],
)
def test_text_in_other_encodings(encoding, text):
    assert done(extract_text(documents.make_text(text, encoding), TEXT)) == text.lstrip("\ufeff")


def test_text_that_no_encoding_reads_cleanly_still_gives_text():
    result = extract_text(bytes(range(256)) * 4, TEXT)
    assert result.status == "done" and result.text


def test_paths_and_file_objects(tmp_path):
    data = documents.make_docx("Uit een bestand")
    path = tmp_path / "plan.docx"
    path.write_bytes(data)
    assert done(extract_text(path, DOCX)) == "Uit een bestand"
    assert done(extract_text(str(path), DOCX)) == "Uit een bestand"
    with path.open("rb") as stored:
        stored.read(10)  # wherever the file was, it is read from the start
        assert done(extract_text(stored, DOCX)) == "Uit een bestand"
    assert done(extract_text(io.BytesIO(data), DOCX)) == "Uit een bestand"


def test_whitespace_and_control_characters_are_normalised():
    text = "  een\t\ttwee  \x00drie\u00a0vier\r\n\r\n\r\n\x07vijf\x0bzes  \n"
    assert done(extract_text(text.encode(), TEXT)) == "een twee drie vier\nvijf\nzes"


def test_a_document_without_text_is_empty():
    result = extract_text(documents.make_pdf(["", ""]), PDF)
    assert (result.status, result.text, result.pages) == ("empty", "", 2)
    assert "scan" in result.reason
    assert extract_text(b"  \n\t\n", TEXT).status == "empty"


def test_supported_types():
    for content_type in (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, TEXT, "text/plain; charset=utf-8"):
        assert supported(content_type), content_type
    for content_type in ("image/png", "image/jpeg", "application/zip", "text/html", "", None):
        assert not supported(content_type), content_type


def test_images_are_unsupported():
    result = extract_text(b"\x89PNG\r\n\x1a\n", "image/png")
    assert result == Extraction("unsupported", "", 0, False, "images are not read (no OCR)")
    assert extract_text(b"PK", "application/zip").status == "unsupported"


# --- hostile documents --------------------------------------------------------------------------


def test_encrypted_pdf_is_refused():
    result = extract_text(documents.make_encrypted_pdf(), PDF)
    assert result == Extraction("refused", "", 0, False, "encrypted PDF")


def test_pdf_encrypted_with_an_empty_password_is_read():
    """Only its owner's permissions are protected: anyone may open it, so we read it."""
    data = documents.make_encrypted_pdf(["Openbaar besluit"], user_password="")
    assert PdfReader(io.BytesIO(data)).is_encrypted
    assert done(extract_text(data, PDF)) == "Openbaar besluit"


def test_pdf_of_ten_thousand_pages_stops_at_the_page_limit(settings):
    settings.MEENT_FILES_EXTRACT_PAGES = 100
    data = documents.make_many_pages_pdf(10_000)
    started = time.monotonic()
    result = extract_text(data, PDF)
    seconds = time.monotonic() - started
    assert (result.status, result.pages, result.truncated) == ("done", 100, True)
    assert result.text.count("Bladzijde met tekst") == 100
    assert result.reason == "the first 100 pages read (the limit)"
    assert seconds < 10, seconds  # about 0.4 s on an idle machine


def test_pdf_pages_after_the_limit_are_not_even_looked_up():
    """pypdf's reader.pages resolves every page of the tree first (1.5 s for 10,000 pages)."""
    reader = PdfReader(io.BytesIO(documents.make_many_pages_pdf(10_000)))
    pages = extract._pdf_pages(reader)
    first = [next(pages) for _ in range(100)]
    assert [page.extract_text().strip() for page in first[::33]] == ["Bladzijde met tekst"] * 4
    assert reader.flattened_pages is None
    assert len(reader.resolved_objects) < 110  # the catalogue, the tree, 100 pages and the font


def test_slides_and_sheets_stop_at_the_page_limit(settings):
    settings.MEENT_FILES_EXTRACT_PAGES = 2
    slides = extract_text(documents.make_pptx(["een", "twee", "drie"]), PPTX)
    assert (slides.text, slides.pages, slides.truncated) == ("een\ntwee", 2, True)
    sheets = extract_text(documents.make_ods([["a"]], {"b": [["b"]], "c": [["c"]]}), ODS)
    assert (sheets.text, sheets.pages, sheets.truncated) == ("a\nb", 2, True)
    workbook = extract_text(documents.make_xlsx([["a"]], {"b": [["b"]], "c": [["c"]]}), XLSX)
    assert (workbook.text, workbook.pages, workbook.truncated) == ("Blad1\na\nb\nb", 2, True)


def test_characters_limit(settings):
    settings.MEENT_FILES_EXTRACT_CHARACTERS = 100
    words = " ".join(f"woord{number}" for number in range(1000))
    for data, content_type in (
        (words.encode(), TEXT),
        (documents.make_docx("\n".join(words.split()[:200])), DOCX),
        (documents.make_pdf([words[:400]] * 10), PDF),
    ):
        result = extract_text(data, content_type)
        assert result.status == "done" and result.truncated, content_type
        assert 90 <= len(result.text) <= 100, content_type
        assert result.text.startswith("woord0"), content_type
        assert "cut at 100 characters" in result.reason


def test_docx_zip_bomb_is_refused_without_inflating_it():
    data = documents.make_docx_zip_bomb(megabytes=16)  # the ratio matters, not the size
    assert len(data) < 1024 * 1024
    started = time.monotonic()
    result = extract_text(data, DOCX)
    assert result.status == "refused"
    assert result.reason.startswith("zip entry word/document.xml expands ")
    assert result.reason.endswith("to 16.0 MB (at most 100 times)")
    assert time.monotonic() - started < 2


def test_zip_expanding_past_the_total_limit_is_refused(monkeypatch):
    monkeypatch.setattr(extract, "ZIP_MAX_BYTES", 10_000)
    result = extract_text(documents.make_odt("Gewoon"), ODT)
    assert result.status == "refused"
    assert result.reason.startswith("zip expands to ") and "(at most 9.8 KB)" in result.reason


def test_malformed_xml_in_a_docx_fails():
    result = extract_text(documents.make_malformed_docx(), DOCX)
    assert result.status == "failed" and "XMLSyntaxError" in result.reason
    assert (result.text, result.pages) == ("", 0)


def test_malformed_xml_in_an_odt_fails():
    broken = _replace(documents.make_odt("x"), "content.xml", b"<office:document-content><text:p")
    result = extract_text(broken, ODT)
    assert result.status == "failed" and "ParseError" in result.reason


def test_xml_entities_in_an_odt_are_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>'
    )
    result = extract_text(_replace(documents.make_odt("x"), "content.xml", laughs), ODT)
    assert result.status == "refused" and result.reason.startswith("XML refused: EntitiesForbidden")


def test_encrypted_odt_is_refused():
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
        b"</manifest:file-entry></manifest:manifest>"
    )
    data = _replace(documents.make_odt("Geheim"), "META-INF/manifest.xml", manifest)
    assert extract_text(data, ODT) == Extraction("refused", "", 0, False, "encrypted OpenDocument")


@pytest.mark.parametrize(
    "data",
    [
        documents.make_pdf(["Afgebroken bestand"] * 3)[:400],
        b"%PDF-1.7\n" + b"\x00garbage" * 100,
        b"PK\x03\x04 not a zip at all",
    ],
    ids=["truncated PDF", "garbage PDF", "not a zip"],
)
def test_broken_files_fail_with_a_reason(data):
    for content_type in (PDF, DOCX, XLSX, PPTX, ODT):
        result = extract_text(data, content_type)
        assert result.status == "failed", (content_type, result)
        assert result.reason and not result.text


def test_a_reader_past_the_time_limit_is_killed(settings, monkeypatch, tmp_path):
    settings.MEENT_FILES_EXTRACT_SECONDS = 1
    pid_file = tmp_path / "pid"

    def slow(stream, limits, out, pages):  # runs in the child, which the fork gives this patch
        pid_file.write_text(str(os.getpid()))
        time.sleep(60)

    monkeypatch.setitem(extract.READERS, "pdf", slow)
    started = time.monotonic()
    result = extract_text(documents.make_pdf(["Traag"]), PDF)
    assert result == Extraction("timeout", "", 0, False, "stopped after 1 s (the time limit)")
    assert 1 <= time.monotonic() - started < 5
    child = int(pid_file.read_text())
    assert child != os.getpid()
    with pytest.raises(ProcessLookupError):  # killed and reaped: no process, not even a zombie
        os.kill(child, 0)


def test_a_reader_past_the_memory_limit_fails(settings, monkeypatch):
    settings.MEENT_FILES_EXTRACT_MEMORY = 64 * 1024 * 1024

    def greedy(megabytes):
        def reader(stream, limits, out, pages):
            block = bytearray(megabytes * 1024 * 1024)
            out.add(f"{len(block) // (1024 * 1024)} MB")

        return reader

    monkeypatch.setitem(extract.READERS, "text", greedy(16))
    assert done(extract_text(b"x", TEXT)) == "16 MB"  # within the limit: read
    monkeypatch.setitem(extract.READERS, "text", greedy(128))
    result = extract_text(b"x", TEXT)
    assert result == Extraction("failed", "", 0, False, "over the memory limit (64.0 MB more)")
    assert len(bytearray(128 * 1024 * 1024)) == 128 * 1024 * 1024  # this process is not limited


def test_a_reader_that_crashes_does_not_take_the_caller_with_it(monkeypatch):
    def crash(stream, limits, out, pages):
        os.kill(os.getpid(), signal.SIGSEGV)

    monkeypatch.setitem(extract.READERS, "pdf", crash)
    result = extract_text(b"%PDF-1.7", PDF)
    assert result == Extraction(
        "failed", "", 0, False, "the reader ended without an answer (killed by signal 11)"
    )
    assert done(extract_text(b"still here", TEXT)) == "still here"


def test_a_parsers_message_quoting_the_document_is_made_safe(monkeypatch):
    def reader(stream, limits, out, pages):
        raise ValueError("bad \x00byte \ud800 here\n" + "x" * 1000)

    monkeypatch.setitem(extract.READERS, "text", reader)
    result = extract_text(b"x", TEXT)
    assert result.status == "failed"
    assert result.reason == ("ValueError: bad byte here " + "x" * 1000)[:300]


@pytest.mark.parametrize("ending", ["answers", "crashes"])
def test_a_copy_of_the_pipe_held_elsewhere_does_not_keep_the_caller_waiting(
    settings, monkeypatch, ending
):
    """A child that another thread forks while this one starts its own inherits this one's pipe
    and holds it open: the answer's length, and the child's end seen through a pidfd, tell when
    the reader is done, not the pipe's end of file."""
    settings.MEENT_FILES_EXTRACT_SECONDS = 5
    held = []
    make_pipe = os.pipe

    def pipe():
        read_end, write_end = make_pipe()
        held.append(os.dup(write_end))  # as that other child would
        return read_end, write_end

    def reader(stream, limits, out, pages):
        if ending == "crashes":
            os.kill(os.getpid(), signal.SIGSEGV)
        out.add("gelezen")

    monkeypatch.setitem(extract.READERS, "text", reader)
    monkeypatch.setattr(os, "pipe", pipe)
    started = time.monotonic()
    try:
        result = extract_text(b"x", TEXT)
    finally:
        for descriptor in held:
            os.close(descriptor)
    assert held, "the pipe was not made with os.pipe"
    if ending == "answers":
        assert done(result) == "gelezen"
    else:
        assert result.status == "failed" and "signal 11" in result.reason
    assert time.monotonic() - started < 3


# --- helpers ------------------------------------------------------------------------------------

_ODF_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
    ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3"><office:body>'
)


def _with_odf_body(data: bytes, body: str) -> bytes:
    content = _ODF_HEAD + body + "</office:body></office:document-content>"
    return _replace(data, "content.xml", content.encode())


def _replace(data: bytes, name: str, content: bytes) -> bytes:
    return documents.replace_entry(data, name, content)


def test_replace_keeps_the_other_entries():
    data = _replace(documents.make_odt("x"), "content.xml", b"<a/>")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read("content.xml") == b"<a/>"
    assert archive.read("mimetype") == ODT.encode()
