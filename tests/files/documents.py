"""Real documents of every kind the file library reads, made in the test with real libraries.

Each ``make_*`` returns the file's bytes, ready to upload (``SimpleUploadedFile(name, data)``) or
to read (``io.BytesIO(data)``). PDFs are built with pypdf's own objects (a page, a Type 1 font and
a content stream that shows the text), because no PDF writer with text is installed (the PDF of
many pages is written byte by byte, for speed); the office documents with python-docx, openpyxl,
python-pptx and odfdo, as those libraries write them.

The hostile ones: an encrypted PDF, a PDF of many pages, a DOCX whose document part expands some
300 times (a zip bomb), a DOCX with broken XML. ``replace_entry`` makes more: any document with
one part of it replaced.
"""

import io
import zipfile

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
PDF = "application/pdf"
TEXT = "text/plain"


# --- PDF ----------------------------------------------------------------------------------------


def _pdf_string(line: str) -> bytes:
    """A PDF literal string in WinAnsi (the font's encoding): (, ) and \\ escaped."""
    raw = line.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _page_content(text: str) -> bytes:
    """A content stream that shows ``text`` line by line in 12 pt Helvetica."""
    lines = [b"BT", b"/F1 12 Tf", b"14 TL", b"72 760 Td"]
    for line in text.split("\n"):
        lines.append(_pdf_string(line) + b" Tj T*")
    lines.append(b"ET")
    return b"\n".join(lines)


def _helvetica(writer):
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    resources = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    return writer._add_object(resources)


def _content(writer, text):
    stream = DecodedStreamObject()
    stream.set_data(_page_content(text))
    return writer._add_object(stream)


def _add_page(writer, resources, content):
    page = writer.add_blank_page(612, 792)
    page[NameObject("/Resources")] = resources
    page[NameObject("/Contents")] = content


def pdf_bytes(writer) -> bytes:
    """The PDF a ``PdfWriter`` writes."""
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_writer(pages_text) -> PdfWriter:
    """A ``PdfWriter`` with a page per string, to change before ``pdf_bytes`` writes it."""
    writer = PdfWriter()
    resources = _helvetica(writer)
    for text in pages_text:
        _add_page(writer, resources, _content(writer, text))
    return writer


def make_pdf(pages_text: list[str]) -> bytes:
    """A PDF with one page per string, each line of it shown as text pypdf reads back."""
    return pdf_bytes(pdf_writer(pages_text))


def make_many_pages_pdf(n: int, text: str = "Bladzijde met tekst") -> bytes:
    """A PDF of ``n`` pages that share one content stream, written byte by byte (pypdf's writer
    takes seconds for 10,000 pages). The pages inherit their font and size from the page tree, as
    PDF allows."""
    content = _page_content(text)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (5 + number) for number in range(n))
        + b"] /Count %d /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> >>" % n,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"] * n
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def make_encrypted_pdf(
    pages_text: list[str] = ("Geheim verslag",),
    user_password: str = "geheim",  # noqa: S107 (a test document's)
    owner_password: str = "eigenaar",  # noqa: S107
    algorithm: str = "AES-128",
) -> bytes:
    """An encrypted PDF; with ``user_password=""`` anyone may open it (only the owner's
    permissions are protected)."""
    writer = pdf_writer(pages_text)
    writer.encrypt(user_password, owner_password, algorithm=algorithm)
    return pdf_bytes(writer)


# --- Office Open XML ----------------------------------------------------------------------------


def _saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_docx(text: str, table: list[list[str]] | None = None) -> bytes:
    """A Word document: a paragraph per line of ``text``, then ``table`` (rows of cells)."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=max(len(row) for row in table))
        for row, values in zip(grid.rows, table, strict=False):
            for cell, value in zip(row.cells, values, strict=False):
                cell.text = str(value)
    return _saved(document)


def make_xlsx(rows: list[list], sheets: dict[str, list[list]] | None = None) -> bytes:
    """An Excel workbook: ``rows`` on its first sheet, and any further ``sheets`` by title."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = "Blad1"
    for row in rows:
        first.append(row)
    for title, sheet_rows in (sheets or {}).items():
        sheet = workbook.create_sheet(title)
        for row in sheet_rows:
            sheet.append(row)
    return _saved(workbook)


def make_pptx(slides: list[str]) -> bytes:
    """A PowerPoint presentation: one slide per string, its first line the title."""
    from pptx import Presentation

    presentation = Presentation()
    layout = presentation.slide_layouts[1]  # title and content
    for text in slides:
        title, _, body = text.partition("\n")
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    return _saved(presentation)


def replace_entry(data: bytes, name: str, content: bytes, compression=zipfile.ZIP_DEFLATED):
    """The zip ``data`` with entry ``name`` replaced by ``content``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == name:
                target.writestr(name, content, compress_type=compression)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def make_docx_zip_bomb(megabytes: int = 64) -> bytes:
    """A DOCX whose word/document.xml expands to ``megabytes`` MB of paragraphs from a few
    kB a megabyte: some 300 to one, far past what real documents compress to (5 to 20)."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>"
    )
    paragraph = b"<w:p><w:r><w:t>bom bom bom bom bom bom bom bom</w:t></w:r></w:p>"
    chunk = paragraph * (1024 * 1024 // len(paragraph))
    source = zipfile.ZipFile(io.BytesIO(make_docx("Bom")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info.filename))
        # Streamed, so making it never holds the expanded part in memory.
        with target.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(head)
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return out.getvalue()


def make_malformed_docx() -> bytes:
    """A DOCX whose word/document.xml is cut off in the middle of an element."""
    broken = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>Half af</w:t></w:r><w:p"
    )
    return replace_entry(make_docx("Heel"), "word/document.xml", broken)


# --- OpenDocument -------------------------------------------------------------------------------


def make_odt(text: str, table: list[list[str]] | None = None) -> bytes:
    """An OpenDocument text: a paragraph per line of ``text``, then ``table`` (rows of cells)."""
    from odfdo import Document, Paragraph, Table

    document = Document("text")
    body = document.body
    body.clear()
    for line in text.split("\n"):
        body.append(Paragraph(line))
    if table:
        grid = Table("Tabel1")
        grid.set_values([[str(value) for value in row] for row in table])
        body.append(grid)
    return _saved(document)


def make_ods(rows: list[list], sheets: dict[str, list[list]] | None = None) -> bytes:
    """An OpenDocument spreadsheet: ``rows`` on its first sheet, and any further ``sheets``."""
    from odfdo import Document, Table

    document = Document("spreadsheet")
    body = document.body
    body.clear()
    for title, sheet_rows in {"Blad1": rows, **(sheets or {})}.items():
        sheet = Table(title)
        if sheet_rows:
            sheet.set_values(sheet_rows)
        body.append(sheet)
    return _saved(document)


def make_odp(slides: list[str]) -> bytes:
    """An OpenDocument presentation: one slide per string, each line a paragraph in a frame."""
    from odfdo import Document, DrawPage, Frame, Paragraph

    document = Document("presentation")
    body = document.body
    body.clear()
    for number, text in enumerate(slides, start=1):
        page = DrawPage(f"page{number}", name=f"Dia {number}")
        frame = Frame.text_frame(
            [Paragraph(line) for line in text.split("\n")],
            size=("20cm", "10cm"),
            position=("2cm", "2cm"),
        )
        page.append(frame)
        body.append(page)
    return _saved(document)


# --- Plain text ---------------------------------------------------------------------------------


def make_text(text: str, encoding: str = "utf-8") -> bytes:
    """``text`` in ``encoding``; "utf-8-sig" and "utf-16" (Python's) write a byte order mark."""
    return text.encode(encoding)


def make_markdown(text: str) -> bytes:
    """A Markdown file: a heading, then ``text``, then a list and a table (UTF-8)."""
    return (
        f"# Notities\n\n{text}\n\n- eerste punt\n- tweede punt\n\n"
        "| kolom | waarde |\n| --- | --- |\n| a | 1 |\n"
    ).encode()
