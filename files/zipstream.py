"""A folder as a ZIP, written while it is sent: no temporary file, memory flat whatever its size.

The standard library's ``zipfile`` writes to a stream that cannot seek (it then puts each entry's
sizes and checksum in a data descriptor after its data), so the archive is written into a small
buffer that the response empties after every chunk. Nothing here asks the database: the view
reads what goes in (``Entry``) first, and only storage is read while the archive streams.
"""

import io
import posixpath
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

CHUNK = 64 * 1024
# Already compressed inside (pictures, PDF streams, the office formats are ZIPs themselves):
# deflating them again costs time and gains nothing.
STORED_PREFIXES = ("image/", "application/pdf", "application/vnd.", "application/zip")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Entry:
    """One thing in the archive: a directory (``open`` None) or a file."""

    path: tuple[str, ...]  # cleaned names from the folder down, e.g. ("Notulen", "mei.pdf")
    modified: datetime
    size: int = 0
    content_type: str = ""
    open: Callable[[], io.BufferedIOBase] | None = None

    @property
    def is_dir(self) -> bool:
        return self.open is None


def safe_part(name: str) -> str:
    """A name as one path component that cannot climb out of the archive's folder when it is
    unpacked: no separators, no ``.``/``..``, nothing empty (the services clean names already;
    this holds even if one slipped through)."""
    part = "".join("_" if c in "/\\" or ord(c) < 32 else c for c in name).strip()
    if part in ("", ".", ".."):
        return "_"
    return part


def _distinct(path: tuple[str, ...], is_dir: bool, taken: set[str]) -> str:
    """The entry's name in the archive. A folder and a file may share a name in Meent, and some
    file systems ignore case: the later one gets " (2)" so that unpacking loses nothing."""
    parts = [safe_part(part) for part in path]
    base = "/".join(parts[:-1])
    stem, extension = posixpath.splitext(parts[-1]) if not is_dir else (parts[-1], "")
    name, number = parts[-1], 1
    while True:
        full = f"{base}/{name}" if base else name
        if full.casefold() not in taken:
            taken.add(full.casefold())
            return full + ("/" if is_dir else "")
        number += 1
        name = f"{stem} ({number}){extension}"


class _Buffer(io.RawIOBase):
    """What zipfile writes, kept until the response takes it; it cannot seek."""

    def __init__(self):
        self.parts: list[bytes] = []

    def writable(self):
        return True

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _date_time(moment: datetime) -> tuple:
    stamp = moment.timetuple()[:6]
    return max(stamp, ZIP_EPOCH)


def _entry_info(entry: Entry, name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_date_time(entry.modified))
    if entry.is_dir:
        info.external_attr = (0o40755 << 16) | 0x10
        return info
    info.external_attr = 0o644 << 16
    info.file_size = entry.size  # lets zipfile choose ZIP64 up front for a very large file
    stored = entry.content_type.startswith(STORED_PREFIXES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def stream(entries: Iterable[Entry]) -> Iterator[bytes]:
    """The archive's bytes, a chunk at a time. Directories come before what is in them (the
    order given); an empty directory is an entry of its own."""
    buffer = _Buffer()
    taken: set[str] = set()
    with zipfile.ZipFile(buffer, "w", allowZip64=True) as archive:
        for entry in entries:
            info = _entry_info(entry, _distinct(entry.path, entry.is_dir, taken))
            if entry.is_dir:
                archive.writestr(info, b"")
            else:
                with entry.open() as source, archive.open(info, "w") as target:
                    while chunk := source.read(CHUNK):
                        target.write(chunk)
                        if data := buffer.take():
                            yield data
            if data := buffer.take():
                yield data
    if data := buffer.take():  # the central directory, written when the archive closes
        yield data
