"""A real clamd for the tests, with a database of one signature we write: the EICAR test string.

freshclam cannot fetch ClamAV's own databases here, and the tests need none: clamd loads any
directory of signature files. Each clamd listens on a Unix socket in a temporary directory and on a
free TCP port on 127.0.0.1, in the foreground, as a child of the test process (the package's own
service is never used). With one signature it answers within a fraction of a second.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import require_service

# The anti-virus test file (eicar.org), in two halves so that this source file itself is not one.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + rb"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SIGNATURE = "Eicar-Signature"
# clamd marks a signature from a database that ClamAV did not sign.
REPORTED_SIGNATURE = f"{SIGNATURE}.UNOFFICIAL"
# Small, so the test of clamd's size limit sends little.
STREAM_MAX_BYTES = 1024 * 1024
START_SECONDS = 10


def clamd_binary() -> str | None:
    return shutil.which("clamd") or next(
        (path for path in ("/usr/sbin/clamd", "/usr/local/sbin/clamd") if os.access(path, os.X_OK)),
        None,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Clamd:
    directory: Path
    process: subprocess.Popen
    port: int
    started_in: float

    @property
    def socket_path(self) -> str:
        return str(self.directory / "clamd.sock")

    @property
    def log(self) -> str:
        path = self.directory / "clamd.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.directory, ignore_errors=True)


def start_clamd() -> Clamd:
    """Start a clamd and wait until it answers PING; fails with its log when it does not."""
    binary = clamd_binary()
    require_service("clamd", binary is not None, "apt-get install clamav-daemon")
    # A short path: a Unix socket's path may be at most 107 bytes.
    directory = Path(tempfile.mkdtemp(prefix="meent-clamd-"))
    database = directory / "db"
    database.mkdir()
    (database / "meent-test.ndb").write_text(f"{SIGNATURE}:0:*:{EICAR.hex()}\n")
    port = free_port()
    (directory / "clamd.conf").write_text(
        f"LocalSocket {directory / 'clamd.sock'}\n"
        f"TCPSocket {port}\n"
        "TCPAddr 127.0.0.1\n"
        "Foreground yes\n"
        f"DatabaseDirectory {database}\n"
        f"LogFile {directory / 'clamd.log'}\n"
        f"PidFile {directory / 'clamd.pid'}\n"
        f"StreamMaxLength {STREAM_MAX_BYTES}\n"
        "SelfCheck 0\n"
    )
    began = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 (our own config, a binary found on PATH)
        [binary, "--config-file", str(directory / "clamd.conf")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    clamd = Clamd(directory, process, port, started_in=0.0)
    while time.monotonic() - began < START_SECONDS:
        if process.poll() is not None:
            break
        if _pings(clamd.socket_path) and _pings(("127.0.0.1", port)):
            clamd.started_in = time.monotonic() - began
            return clamd
        time.sleep(0.05)
    log = clamd.log
    clamd.stop()
    pytest.fail(f"clamd did not answer within {START_SECONDS} s:\n{log}")


def _pings(where) -> bool:
    family = socket.AF_UNIX if isinstance(where, str) else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as connection:
            connection.settimeout(1)
            connection.connect(where)
            connection.sendall(b"zPING\0")
            return connection.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd():
    """One clamd for the test session (skipped without clamd; a failure under CI=true)."""
    running = start_clamd()
    yield running
    running.stop()
