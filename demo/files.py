"""The demo's group files (demo/content/files.yaml): folders, and real documents made when the
demo is loaded (a PDF, Word and OpenDocument texts, a CSV, an image), uploaded through the
files' services, so names, types, versions, the stream and the text for search are the product's
own. Running the demo again adds nothing: a folder or file that is there is left alone."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from files import services
from files.models import Folder, GroupFile, name_key
from groups.models import Group
from meent import access


def _pdf(text: str) -> bytes:
    """A PDF with a page per part of ``text`` (between lines "---"), each line shown in
    Helvetica: written object by object (the product reads PDFs with pypdf; it writes none)."""
    pages = [part.strip("\n") for part in text.split("\n---\n")]

    def escaped(line: str) -> bytes:
        raw = line.encode("cp1252", "replace")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(len(pages)))
        + b"] /Count %d /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> >>"
        % len(pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for n, page in enumerate(pages):
        lines = [b"BT", b"/F1 12 Tf", b"16 TL", b"56 780 Td"]
        lines += [escaped(line) + b" Tj T*" for line in page.split("\n")]
        content = b"\n".join([*lines, b"ET"])
        objects.append(b"<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>" % (5 + 2 * n))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
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


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    lines = text.strip("\n").split("\n")
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_ODT_MANIFEST = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def _odt(text: str) -> bytes:
    """An OpenDocument text with a paragraph per line (the format's smallest valid package:
    the mimetype first and stored, a manifest, the content)."""
    from xml.sax.saxutils import escape

    paragraphs = "".join(
        f"<text:p>{escape(line)}</text:p>" for line in text.strip("\n").split("\n")
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text>{paragraphs}</office:text></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", _ODT_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content.encode(), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _png(text: str) -> bytes:
    """A sketch of a screen: a title bar and bars of a chart (``text`` is not drawn)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), (246, 246, 246))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 480, 44), fill=(21, 66, 115))
    for n, height in enumerate((120, 180, 90, 150)):
        left = 60 + n * 100
        draw.rectangle((left, 260 - height, left + 60, 260), fill=(0, 123, 199))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


MAKERS = {
    "pdf": _pdf,
    "docx": _docx,
    "odt": _odt,
    "csv": lambda text: text.encode(),
    "png": _png,
}


def _folder(group, path: str, people, by=None, visibility=Folder.INHERIT) -> Folder:
    """The folder at ``path`` ("Beleid/Concepten"), made where it is missing."""
    folder = services.root_folder(group)
    for name in [part for part in path.split("/") if part]:
        existing = Folder.objects.alive().filter(parent=folder, name_key=name_key(name)).first()
        if existing is None:
            owner = by or group.memberships.filter(role="owner").first().user
            existing = services.create_folder(owner, folder, name, visibility)
        folder = existing
    return folder


def load_files(data, people) -> None:
    for person in people.values():
        access.forget_memberships(person)
    spec = data["files.yaml"]
    for entry in spec["folders"]:
        group = Group.objects.get(slug=entry["group"])
        _folder(group, entry["path"], people, people[entry["by"]], entry["visibility"])
    for entry in spec["files"]:
        group = Group.objects.get(slug=entry["group"])
        folder = _folder(group, entry.get("folder", ""), people)
        if GroupFile.objects.alive().filter(folder=folder, name_key=name_key(entry["name"])):
            continue
        make = MAKERS[entry["kind"]]
        upload = SimpleUploadedFile(entry["name"], make(entry["text"]))
        file = services.upload(
            people[entry["by"]],
            folder,
            upload,
            description=entry.get("description", ""),
            tags=entry.get("tags", ""),
        ).file
        for version in entry.get("versions", ()):
            services.add_version(
                people[version["by"]], file, SimpleUploadedFile(file.name, make(version["text"]))
            )
        # The words for search now, not only after the load's commit (the task does it again).
        services.read_text(file.pk)
