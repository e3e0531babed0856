"""Virus scanning of uploads with ClamAV's daemon (clamd), when the operator runs one.

``MEENT_CLAMD_SOCKET`` (a Unix socket) or ``MEENT_CLAMD_HOST`` and ``MEENT_CLAMD_PORT``: every file
that people upload is streamed to clamd (its INSTREAM command) before it is stored, and an infected
file is refused, logged and written to the audit log. Unset: nothing is scanned, and the admin's
home page says so (``meent/wagtail_hooks.py``).

Fail closed: when clamd is configured but does not answer within ``MEENT_CLAMD_TIMEOUT`` seconds,
or answers with an error, the upload is refused ("try again in a few minutes"), never accepted
unscanned.

We speak clamd's protocol ourselves (a few dozen lines): the Python clients on PyPI are the
``clamd`` package (last released 2014) and forks that copy it, which send the file in 1 KiB chunks
and tell "not reachable" apart from "refused" less clearly than an upload needs.
"""

from __future__ import annotations

import logging
import socket
import struct
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

#: How much of a file goes to clamd at a time: a file is streamed, never read whole.
CHUNK_SIZE = 64 * 1024
#: The admin's home page asks clamd at most once a minute, and waits at most this long.
STATUS_CACHE_SECONDS = 60
STATUS_TIMEOUT = 5
# clamd's replies are one short line; more than this is not clamd.
_MAX_REPLY = 4096


class ScannerUnavailable(Exception):
    """clamd is configured but cannot be reached, does not answer in time, or answered with an
    error or something that is not clamd's."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""  # the virus's name in ClamAV's database when not clean


@dataclass(frozen=True)
class ScannerStatus:
    """What the admin shows: whether scanning is on, where clamd is and whether it answers."""

    configured: bool
    address: str = ""
    answers: bool = False
    version: str = ""
    problem: str = ""


def is_configured() -> bool:
    return bool(settings.MEENT_CLAMD_SOCKET or settings.MEENT_CLAMD_HOST)


def address() -> str:
    """Where clamd is, as an operator writes it: the socket's path, or host:port."""
    if settings.MEENT_CLAMD_SOCKET:
        return settings.MEENT_CLAMD_SOCKET
    if settings.MEENT_CLAMD_HOST:
        return f"{settings.MEENT_CLAMD_HOST}:{settings.MEENT_CLAMD_PORT}"
    return ""


class _Connection:
    """One conversation with clamd; every wait on the socket ends after ``timeout`` seconds."""

    def __init__(self, timeout: float):
        try:
            if settings.MEENT_CLAMD_SOCKET:
                self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.socket.settimeout(timeout)
                try:
                    self.socket.connect(settings.MEENT_CLAMD_SOCKET)
                except OSError:
                    self.socket.close()
                    raise
            else:
                self.socket = socket.create_connection(
                    (settings.MEENT_CLAMD_HOST, settings.MEENT_CLAMD_PORT), timeout=timeout
                )
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {address()} cannot be reached: {error}") from error

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.socket.close()

    def send(self, data: bytes) -> bool:
        """False when clamd has closed its side (its answer says why)."""
        try:
            self.socket.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            return False
        except TimeoutError as error:
            raise ScannerUnavailable(
                f"clamd at {address()} took no data for {self.socket.gettimeout():g} s"
            ) from error
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {address()}: {error}") from error
        return True

    def reply(self) -> str:
        """clamd's answer: one line, ended by NUL (the ``z`` commands) or by closing."""
        received = b""
        try:
            while b"\0" not in received and len(received) < _MAX_REPLY:
                data = self.socket.recv(_MAX_REPLY)
                if not data:
                    break
                received += data
        except TimeoutError as error:
            raise ScannerUnavailable(
                f"clamd at {address()} did not answer within {self.socket.gettimeout():g} s"
            ) from error
        except OSError as error:
            if not received:
                raise ScannerUnavailable(f"clamd at {address()}: {error}") from error
        answer = received.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
        if not answer:
            raise ScannerUnavailable(f"clamd at {address()} closed the connection without answer")
        return answer


def _command(name: bytes, timeout: float) -> str:
    with _Connection(timeout) as connection:
        connection.send(b"z" + name + b"\0")
        return connection.reply()


def scan(fileobj) -> ScanResult:
    """Stream ``fileobj`` (from its start) to clamd; it is left at its start again. Not configured:
    clean, nothing scanned. Raises ScannerUnavailable when clamd gives no verdict."""
    if not is_configured():
        return ScanResult(True, "")
    fileobj.seek(0)
    try:
        with _Connection(settings.MEENT_CLAMD_TIMEOUT) as connection:
            # clamd stops reading a stream over its StreamMaxLength and says so: read why.
            if connection.send(b"zINSTREAM\0"):
                while chunk := fileobj.read(CHUNK_SIZE):
                    if not connection.send(struct.pack("!L", len(chunk)) + chunk):
                        break
                else:
                    connection.send(struct.pack("!L", 0))
            answer = connection.reply()
    finally:
        fileobj.seek(0)
    return _verdict(answer)


def _verdict(answer: str) -> ScanResult:
    if answer == "stream: OK":
        return ScanResult(True, "")
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        signature = answer.removeprefix("stream: ").removesuffix(" FOUND").strip()
        return ScanResult(False, signature or "unknown")
    if "size limit exceeded" in answer:
        raise ScannerUnavailable(
            f"clamd at {address()} refused a file over its StreamMaxLength ({answer!r}): raise "
            "StreamMaxLength in clamd.conf to at least the largest upload Meent takes "
            "(MEENT_FILES_MAX_BYTES, MEENT_WIKI_ATTACHMENT_MAX_BYTES)"
        )
    if answer.endswith("ERROR"):
        raise ScannerUnavailable(f"clamd at {address()} could not scan: {answer!r}")
    raise ScannerUnavailable(f"clamd at {address()} answered what clamd does not say: {answer!r}")


def check_upload(fileobj, *, what: str, user=None) -> None:
    """Refuse an infected upload, or any upload while the configured scanner gives no verdict.

    Raises ValidationError with code ``infected`` (logged, and in the audit log with who uploaded
    it and the signature; never the file) or ``scanner_unavailable`` (logged as an error). ``what``
    says where the upload was going, for the logs ("wiki attachment in group x"). Call it before
    the transaction that stores the file: a scan can take a while, and a rollback would take the
    audit entry with it.
    """
    try:
        result = scan(fileobj)
    except ScannerUnavailable as error:
        logger.error("Upload refused, the virus scanner gave no verdict (%s): %s", what, error)
        raise ValidationError(
            _("The virus scanner cannot be reached right now; try again in a few minutes."),
            code="scanner_unavailable",
        ) from error
    if result.clean:
        return
    name = str(getattr(fileobj, "name", "") or "")[:200]
    uploader = user if user is not None and user.is_authenticated else None
    logger.warning(
        "Infected upload refused: %s found in %r (%s), uploaded by %s",
        result.signature,
        name,
        what,
        f"person {uploader.pk}" if uploader else "someone not signed in",
    )
    if uploader is not None:
        _audit(uploader, result.signature, what, name)
    raise ValidationError(
        _(
            "This file contains a virus (%(signature)s) and was not uploaded. Check your "
            "computer with a virus scanner before you try again."
        ),
        code="infected",
        params={"signature": result.signature},
    )


def _audit(user, signature: str, what: str, name: str) -> None:
    from meent import audit

    try:
        # A savepoint: a failed write leaves the caller's transaction usable.
        with transaction.atomic():
            audit.record(
                user, "meent.upload.infected", user, signature=signature, what=what, name=name
            )
    except DatabaseError:
        logger.exception("The infected upload could not be written to the audit log")


def status() -> ScannerStatus:
    """Whether scanning is on and clamd answers PING, asked at most once a minute."""
    if not is_configured():
        return ScannerStatus(configured=False)
    key = f"meent:virusscan:status:{address()}"
    cached = cache.get(key)
    if cached is not None:
        return ScannerStatus(**cached)
    timeout = min(STATUS_TIMEOUT, settings.MEENT_CLAMD_TIMEOUT)
    try:
        answer = _command(b"PING", timeout)
        if answer != "PONG":
            raise ScannerUnavailable(f"clamd at {address()} answered PING with {answer!r}")
        found = ScannerStatus(True, address(), answers=True, version=_command(b"VERSION", timeout))
    except ScannerUnavailable as error:
        found = ScannerStatus(True, address(), answers=False, problem=str(error))
    cache.set(key, asdict(found), STATUS_CACHE_SECONDS)
    return found
