"""The text of a stored document, for search: PDF, OpenDocument, Office Open XML and plain text.

Strangers' files reach these parsers, so each document is read in a forked child process that
never touches the database: it runs under an address-space limit (MEENT_FILES_EXTRACT_MEMORY more
than it was forked with) and is killed after MEENT_FILES_EXTRACT_SECONDS. It reads at most
MEENT_FILES_EXTRACT_PAGES pages (PDF pages, sheets, slides) and returns at most
MEENT_FILES_EXTRACT_CHARACTERS characters, through a pipe, as JSON (nothing the parent unpickles).
Zip containers are judged from their directory before anything is inflated. Whatever happens, the
caller gets an ``Extraction``, never an exception.
"""

from __future__ import annotations

import codecs
import contextlib
import faulthandler
import io
import json
import logging
import os
import re
import resource
import selectors
import signal
import time
import warnings
import zipfile
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from django.conf import settings

PDF = "application/pdf"
ODF = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
OOXML = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}
TEXT = "text/plain"

# A zip container is refused, before it is inflated, when its entries add up to more than this,
# when it has more entries than this, or when one entry of some size expands more than this many
# times (Apache POI's limit; office XML compresses 5 to 20 times, images not at all).
ZIP_MAX_BYTES = 1024**3
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM_BYTES = 1024 * 1024
# The child's answer is JSON: at most 4 bytes a character, and room for the rest.
_ANSWER_SLACK = 64 * 1024


@dataclass(frozen=True)
class Extraction:
    status: str  # "done" | "empty" | "unsupported" | "refused" | "failed" | "timeout"
    text: str  # "" unless done
    pages: int  # pages/sheets/slides read (0 when not paged)
    truncated: bool
    reason: str  # short English reason for the log and the admin


@dataclass(frozen=True)
class _Limits:
    seconds: float
    memory: int
    pages: int
    characters: int


def supported(content_type: str) -> bool:
    """Whether ``extract_text`` reads text from files of this type (images: no, there is no OCR)."""
    return _kind(content_type) is not None


def extract_text(path_or_fileobj, content_type: str) -> Extraction:
    """The text of a stored file (a path, a binary file object or bytes) of ``content_type`` as
    ``meent.uploads.identify()`` reports it. A file object is read in the child from where the
    parent's copy of it is; its position afterwards is undefined."""
    kind = _kind(content_type)
    if kind is None:
        if (content_type or "").startswith("image/"):
            return Extraction("unsupported", "", 0, False, "images are not read (no OCR)")
        return Extraction("unsupported", "", 0, False, f"no reader for {content_type or 'this'}")
    limits = _Limits(
        seconds=settings.MEENT_FILES_EXTRACT_SECONDS,
        memory=settings.MEENT_FILES_EXTRACT_MEMORY,
        pages=settings.MEENT_FILES_EXTRACT_PAGES,
        characters=settings.MEENT_FILES_EXTRACT_CHARACTERS,
    )
    try:
        _import_readers(kind)  # here, once: each child then starts with them loaded
        return _in_child(path_or_fileobj, kind, limits)
    except Exception as error:  # forking itself failed (no memory, no processes left)
        return Extraction("failed", "", 0, False, f"could not start the reader: {error}")


def _kind(content_type: str) -> str | None:
    content_type = (content_type or "").split(";")[0].strip().lower()
    if content_type == PDF:
        return "pdf"
    if content_type == TEXT:
        return "text"
    return ODF.get(content_type) or OOXML.get(content_type)


def _import_readers(kind):
    if kind == "pdf":
        import pypdf  # noqa: F401
    elif kind == "docx":
        import docx  # noqa: F401
    elif kind == "xlsx":
        import openpyxl  # noqa: F401
    elif kind == "pptx":
        import pptx  # noqa: F401
    elif kind in ("odt", "ods", "odp"):
        import defusedxml.ElementTree  # noqa: F401
    else:
        import charset_normalizer  # noqa: F401


# --- the parent: fork, wait, read the answer ----------------------------------------------------


def _in_child(source, kind, limits) -> Extraction:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, source, kind, limits)
    os.close(write_end)
    try:
        answer, outcome = _read_answer(pid, read_end, limits)
    finally:
        os.close(read_end)
        _kill(pid)  # one that ended already is a zombie until reaped: nothing else gets its pid
        status = os.waitpid(pid, 0)[1]
    if outcome == "timeout":
        return Extraction(
            "timeout", "", 0, False, f"stopped after {limits.seconds:g} s (the time limit)"
        )
    if outcome == "too long":
        return Extraction("failed", "", 0, False, "the reader answered more than it may")
    try:
        status_word, text, pages, truncated, reason = json.loads(answer)
        return Extraction(status_word, text, pages, truncated, reason)
    except (TypeError, ValueError):
        return Extraction(
            "failed", "", 0, False, f"the reader ended without an answer ({_how(status)})"
        )


def _read_answer(pid, read_end, limits):
    """(the child's answer, "answer"), or (None, why not: "timeout", "too long" or "ended").

    The answer comes with its length first, and the child's end is watched through a pidfd
    rather than waiting for the pipe's end of file: a child forked meanwhile by another thread of
    this process holds a copy of the pipe's write end, which keeps it open."""
    deadline = time.monotonic() + limits.seconds
    most = limits.characters * 4 + _ANSWER_SLACK
    data = bytearray()
    with contextlib.ExitStack() as stack:
        selector = stack.enter_context(selectors.DefaultSelector())
        selector.register(read_end, selectors.EVENT_READ)
        with contextlib.suppress(AttributeError, OSError):  # no pidfd: the pipe's end tells
            pidfd = os.pidfd_open(pid)
            stack.callback(os.close, pidfd)
            selector.register(pidfd, selectors.EVENT_READ)
        while True:
            if len(data) >= 8:
                size = int.from_bytes(data[:8], "big")
                if size > most:
                    return None, "too long"
                if len(data) >= 8 + size:
                    return bytes(data[8 : 8 + size]), "answer"
            left = deadline - time.monotonic()
            ready = {key.fd for key, _events in selector.select(left)} if left > 0 else set()
            if not ready:
                return None, "timeout"
            if read_end not in ready:
                return None, "ended"  # the child ended, and nothing more is in the pipe
            chunk = os.read(read_end, 1024 * 1024)
            if not chunk:
                return None, "ended"
            data += chunk


def _kill(pid):
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        os.kill(pid, signal.SIGKILL)


def _how(status) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


# --- the child ----------------------------------------------------------------------------------


def _child(write_end, source, kind, limits):
    """Read the document and write the answer; ends the process without any cleanup (the
    parent's database connections, files and handlers are the parent's)."""
    code = 0
    try:
        with contextlib.suppress(ValueError):  # the parent's handlers are the parent's
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        _limit_memory(limits.memory)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        faulthandler.disable()  # a crash is the parent's to report, not a traceback on stderr
        logging.disable(logging.CRITICAL)  # hostile files make parsers talk; reasons come back
        warnings.simplefilter("ignore")
        answer = _answer(source, kind, limits)
        data = json.dumps(answer, ensure_ascii=False).encode()
        view = memoryview(len(data).to_bytes(8, "big") + data)
        while view:
            view = view[os.write(write_end, view) :]
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _limit_memory(extra: int):
    """Allow ``extra`` bytes of address space beyond what the child was forked with (the parent's
    own size is not the document's: a worker with threads reserves gigabytes it never uses)."""
    inherited = 0
    try:
        with open("/proc/self/statm") as statm:
            inherited = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        pass
    limit = inherited + extra
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class _Full(Exception):
    """The characters limit is reached: what was read so far is the text."""


class _Refused(Exception):
    """The document is not read, on purpose (the message says why)."""


class _Text:
    """The text read so far, in blocks (paragraphs, rows, lines), with whitespace normalised."""

    # C0 controls (but tab and line ends), DEL, lone surrogates and non-characters: nothing a
    # person typed, and PostgreSQL refuses NUL.
    _JUNK = re.compile("[\x00-\x08\x0e-\x1b\x7f\ud800-\udfff\ufffe\uffff]")

    def __init__(self, characters):
        self.blocks = []
        self.size = 0
        self.characters = characters
        self.truncated = False

    def add(self, text):
        if not text:
            return
        lines = (" ".join(line.split()) for line in self._JUNK.sub("", text).splitlines())
        block = "\n".join(line for line in lines if line)
        if not block:
            return
        self.blocks.append(block)
        self.size += len(block) + 1
        if self.size > self.characters:
            self.truncated = True
            raise _Full

    def result(self):
        text = "\n".join(self.blocks)
        if len(text) > self.characters:
            text, self.truncated = text[: self.characters].rstrip(), True
        return text


def _answer(source, kind, limits):
    """[status, text, pages, truncated, reason] for the document."""
    out = _Text(limits.characters)
    pages = [0, False]  # pages read, and whether any were left unread
    try:
        stream = _stream(source)
        if kind in ODF.values() or kind in OOXML.values():
            _check_zip(stream)
        READERS[kind](stream, limits, out, pages)
    except _Full:
        pass
    except _Refused as refusal:
        return ["refused", "", 0, False, str(refusal)]
    except DefusedXmlException as error:  # entities or external references: an attack
        return ["refused", "", 0, False, _why(f"XML refused: {error}")]
    except MemoryError:
        return ["failed", "", 0, False, f"over the memory limit ({_size(limits.memory)} more)"]
    except RecursionError:
        return ["failed", "", 0, False, "nested too deeply"]
    except zipfile.BadZipFile as error:
        return ["failed", "", 0, False, _why(f"not a readable zip file: {error}")]
    except Exception as error:
        return ["failed", "", 0, False, _why(f"{type(error).__name__}: {error}")]
    text = out.result()
    if not text:
        reason = "no text in it (a scan, or images only?)" if kind == "pdf" else "no text in it"
        return ["empty", "", pages[0], False, reason]
    truncated = out.truncated or pages[1]
    reasons = []
    if pages[1]:
        reasons.append(f"the first {pages[0]} pages read (the limit)")
    if out.truncated:
        reasons.append(f"cut at {limits.characters} characters (the limit)")
    return ["done", text, pages[0], truncated, "; ".join(reasons)]


def _why(message: str) -> str:
    """A parser's message, which may quote the document: short, and nothing that is not text."""
    return " ".join(_Text._JUNK.sub("", message).split())[:300]


def _stream(source):
    """A seekable binary stream of the document."""
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(source)
    if isinstance(source, str | os.PathLike):
        return open(source, "rb")  # noqa: SIM115 (the child ends without closing anything)
    try:
        source.seek(0)
        return source
    except (AttributeError, OSError, ValueError):
        return io.BytesIO(source.read())


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return ""  # pragma: no cover


def _check_zip(stream):
    """Refuse a zip bomb from the zip's directory, before anything is inflated (Python's
    zipfile never inflates an entry past the size the directory gives for it)."""
    with zipfile.ZipFile(stream) as archive:
        entries = archive.infolist()
    stream.seek(0)
    if len(entries) > ZIP_MAX_ENTRIES:
        raise _Refused(f"zip has {len(entries)} entries (at most {ZIP_MAX_ENTRIES})")
    total = sum(entry.file_size for entry in entries)
    if total > ZIP_MAX_BYTES:
        raise _Refused(f"zip expands to {_size(total)} (at most {_size(ZIP_MAX_BYTES)})")
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > ZIP_RATIO_FROM_BYTES and ratio > ZIP_MAX_RATIO:
            raise _Refused(
                f"zip entry {entry.filename[:80]} expands {ratio:.0f} times, "
                f"to {_size(entry.file_size)} (at most {ZIP_MAX_RATIO} times)"
            )


# --- the readers (in the child) -----------------------------------------------------------------


def _read_pdf(stream, limits, out, pages):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    reader = PdfReader(stream)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # opens a PDF whose password guards only its permissions
        except (DependencyError, NotImplementedError) as error:
            raise _Refused(f"encrypted PDF ({error})") from error
        if not opened:
            raise _Refused("encrypted PDF")
    errors = []
    for page in _pdf_pages(reader):
        if pages[0] >= limits.pages:
            pages[1] = True
            break
        pages[0] += 1
        try:
            out.add(page.extract_text())
        except (_Full, MemoryError, RecursionError):
            raise
        except Exception as error:  # one broken page: the others are still worth reading
            errors.append(f"page {pages[0]}: {type(error).__name__}: {error}")
    if errors and not out.blocks:
        raise ValueError(errors[0])


_PDF_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
_PDF_MAX_DEPTH = 64


def _pdf_pages(reader):
    """The pages in order, found one by one (pypdf's ``reader.pages`` walks the whole page tree
    first: a million pages would use the time of the 500 we read), with the attributes a page
    inherits from the tree above it; a node seen twice (a loop) is skipped."""
    from pypdf import PageObject
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen = set()
    kids = [iter([reader.root_object.raw_get("/Pages")])]
    inherited = [{}]
    while kids:
        reference = next(kids[-1], None)
        if reference is None:
            kids.pop()
            inherited.pop()
            continue
        indirect = isinstance(reference, IndirectObject)
        node = reference.get_object() if indirect else reference
        if not isinstance(node, DictionaryObject):
            continue
        key = (reference.idnum, reference.generation) if indirect else id(node)
        if key in seen:
            continue
        seen.add(key)
        if node.get("/Type") == "/Pages" or ("/Kids" in node and node.get("/Type") != "/Page"):
            if len(kids) > _PDF_MAX_DEPTH:
                raise ValueError("page tree nested too deeply")
            below = node.get("/Kids")
            own = {name: node.raw_get(name) for name in _PDF_INHERITED if name in node}
            kids.append(iter(below if isinstance(below, ArrayObject) else []))
            inherited.append({**inherited[-1], **own})
            continue
        page = PageObject(reader, reference if indirect else None)
        if not indirect:
            page.update(node)
        for name, value in inherited[-1].items():
            if name not in page:
                page[NameObject(name)] = value
        yield page


def _read_docx(stream, limits, out, pages):
    import docx

    _docx_blocks(docx.Document(stream), out)


def _docx_blocks(container, out):
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                out.add(" ".join(_docx_cells(row)))
        else:
            out.add(block.text)


def _docx_cells(row):
    """The text of each cell of a row once (a merged cell is every grid cell it covers)."""
    from docx.table import Table

    seen = set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        parts = []
        for block in cell.iter_inner_content():
            if isinstance(block, Table):
                parts.extend(" ".join(_docx_cells(inner)) for inner in block.rows)
            else:
                parts.append(block.text)
        yield " ".join(parts)


def _read_xlsx(stream, limits, out, pages):
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            if pages[0] >= limits.pages:
                pages[1] = True
                break
            pages[0] += 1
            out.add(sheet.title)
            # The dimensions a file states may be wrong, and would pad every row to them.
            sheet.reset_dimensions()
            for row in sheet.iter_rows(values_only=True):
                out.add(" ".join(str(value) for value in row if value is not None))
    finally:
        workbook.close()


def _read_pptx(stream, limits, out, pages):
    from pptx import Presentation

    for slide in Presentation(stream).slides:
        if pages[0] >= limits.pages:
            pages[1] = True
            break
        pages[0] += 1
        for shape in slide.shapes:
            _pptx_shape(shape, out)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            out.add(slide.notes_slide.notes_text_frame.text)


def _pptx_shape(shape, out):
    if hasattr(shape, "shapes"):  # a group
        for inner in shape.shapes:
            _pptx_shape(inner, out)
    if getattr(shape, "has_text_frame", False):
        out.add(shape.text_frame.text)
    if getattr(shape, "has_table", False):
        for row in shape.table.rows:
            out.add(" ".join(cell.text for cell in row.cells))


_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_ODF_PARAGRAPHS = {_TEXT_NS + "p", _TEXT_NS + "h"}
_ODF_CELLS = {_TABLE + "table-cell", _TABLE + "covered-table-cell"}
# A sheet or a slide is a page: the elements right under the spreadsheet or presentation body.
_ODF_PAGES = {
    (_OFFICE + "spreadsheet", _TABLE + "table"),
    (_OFFICE + "presentation", _DRAW + "page"),
}


def _read_odf(stream, limits, out, pages):
    """content.xml, streamed through defusedxml (no DTD entities, no external references);
    repeated cells and rows (a sheet's "1,048,576 empty rows") are read once, never expanded."""
    from defusedxml.ElementTree import iterparse

    with zipfile.ZipFile(stream) as archive:
        names = set(archive.namelist())
        if "META-INF/manifest.xml" in names:
            with archive.open("META-INF/manifest.xml") as manifest:
                if b"encryption-data" in manifest.read(1024 * 1024):
                    raise _Refused("encrypted OpenDocument")
        if "content.xml" not in names:
            raise ValueError("no content.xml in the OpenDocument")
        with archive.open("content.xml") as content:
            path = []
            cells = []  # the texts of the cells being read, innermost last
            rows = []  # the cell texts of the rows being read
            for event, element in iterparse(content, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if path and (path[-1], tag) in _ODF_PAGES:
                        if pages[0] >= limits.pages:
                            pages[1] = True
                            return
                        pages[0] += 1
                    if tag in _ODF_CELLS:
                        cells.append([])
                    elif tag == _TABLE + "table-row":
                        rows.append([])
                    path.append(tag)
                    continue
                path.pop()
                if tag in _ODF_PARAGRAPHS:
                    text = _odf_inline(element)
                    (cells[-1].append if cells else out.add)(text)
                elif tag in _ODF_CELLS:
                    text = " ".join(part for part in cells.pop() if part)
                    if rows:
                        rows[-1].append(text)
                elif tag == _TABLE + "table-row":
                    text = " ".join(part for part in rows.pop() if part)
                    (cells[-1].append if cells else out.add)(text)
                else:
                    continue
                tail = element.tail
                element.clear()  # read: free it (its tail is the enclosing paragraph's text)
                element.tail = tail


def _odf_inline(element) -> str:
    """A paragraph's text: spans, links and notes inside it, text:s/tab/line-break as spaces."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag in (_TEXT_NS + "s", _TEXT_NS + "tab"):
            parts.append(" ")
        elif tag == _TEXT_NS + "line-break":
            parts.append("\n")
        else:
            parts.append(" " if tag in _ODF_PARAGRAPHS else "")
            parts.append(_odf_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _read_text(stream, limits, out, pages):
    """Plain text (also Markdown and CSV): UTF-8 or a byte order mark's encoding, else
    Windows-1252 when it reads as sensible text, else what charset-normalizer finds, else
    Windows-1252 with replacement characters; never an error."""
    most = limits.characters * 4 + 4
    data = stream.read(most + 1)
    cut = len(data) > most
    out.add(decode_text(data[:most], cut))
    if cut:
        out.truncated = True


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes, cut: bool = False) -> str:
    """``data`` as text, never an error (also the file page's text preview); when ``cut``, a
    character split at its end is dropped."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoder = codecs.getincrementaldecoder(encoding)("replace")
            return decoder.decode(data[len(bom) :], final=not cut)
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=not cut)
    except UnicodeDecodeError:
        pass
    if _looks_like_windows_1252(data):
        return data.decode("cp1252")
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("cp1252", "replace")


def _looks_like_windows_1252(data: bytes) -> bool:
    """Whether Windows-1252 reads ``data`` as sensible text. Asked before charset-normalizer,
    which reads a short Dutch "café" as Urdu (cp1006) or Central European Mac; Windows-1252 read
    into Cyrillic, Greek or Polish text gives a mess ratio above 1, Western text below 0.05."""
    from charset_normalizer.md import mess_ratio

    try:
        sample = data[:65536].decode("cp1252")
    except UnicodeDecodeError:  # one of its five unused bytes: not Windows-1252
        return False
    return mess_ratio(sample, 0.2) < 0.2


READERS = {
    "pdf": _read_pdf,
    "docx": _read_docx,
    "xlsx": _read_xlsx,
    "pptx": _read_pptx,
    "odt": _read_odf,
    "ods": _read_odf,
    "odp": _read_odf,
    "text": _read_text,
}
