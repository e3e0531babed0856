"""A small HTTP/1.1 keep-alive load generator on raw asyncio streams.

It only ever talks to 127.0.0.1, and every run is bounded: in time (the duration plus one request
timeout, with a hard stop on top), in the number of requests, and per request by a timeout.
"""

import asyncio
import math
import os
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"
STREAM_LIMIT = 1 << 20  # longest header block or chunk-size line we accept


class ProtocolError(Exception):
    """The server's answer was not HTTP/1.1 as we understand it."""


@dataclass
class Response:
    status: int
    body: bytes
    close: bool  # the server will close the connection after this response
    # (lower-case name, value) of every header line, in order (Set-Cookie can repeat).
    headers: list = field(default_factory=list)

    def header(self, name):
        """The first value of header ``name`` (lower-case), or None."""
        return next((value for key, value in self.headers if key == name), None)


def build_request(path, port, extra_headers=None, method="GET", body=None):
    """One request's bytes; ``body`` (bytes) gets its Content-Length, the caller its type."""
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/': {path!r}")
    headers = {
        "Host": f"{HOST}:{port}",
        "User-Agent": "meent-bench",
        "Accept": "text/html,application/json",
        "Connection": "keep-alive",
        **(extra_headers or {}),
    }
    if body is not None:
        headers["Content-Length"] = str(len(body))
    lines = [f"{method} {path} HTTP/1.1", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


class Connection:
    """One keep-alive connection to 127.0.0.1:<port>."""

    def __init__(self, port, timeout):
        self.port = port
        self.timeout = timeout
        self.reader = None
        self.writer = None

    @classmethod
    async def open(cls, port, timeout):
        connection = cls(port, timeout)
        async with asyncio.timeout(timeout):
            connection.reader, connection.writer = await asyncio.open_connection(
                HOST, port, limit=STREAM_LIMIT
            )
        return connection

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, raw_request):
        async with asyncio.timeout(self.timeout):
            self.writer.write(raw_request)
            await self.writer.drain()
            return await self._read_response()

    async def _read_response(self):
        reader = self.reader
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head[:-4].split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise ProtocolError(f"bad status line {lines[0][:80]!r}")
        try:
            status = int(parts[1])
        except ValueError as error:
            raise ProtocolError(f"bad status line {lines[0][:80]!r}") from error
        close = parts[0] == b"HTTP/1.0"
        length = None
        chunked = False
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            headers.append((name.decode("latin-1"), value.strip().decode("latin-1")))
            value = value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
            elif name == b"connection":
                tokens = {token.strip() for token in value.split(b",")}
                if b"close" in tokens:
                    close = True
                elif b"keep-alive" in tokens:
                    close = False
        if chunked:
            body = await self._read_chunked()
        elif length is not None:
            body = await reader.readexactly(length)
        elif status in (204, 304) or 100 <= status < 200:
            body = b""
        else:  # no framing: the body runs until the server closes the connection
            body = await reader.read()
            close = True
        return Response(status, body, close, headers)

    async def _read_chunked(self):
        reader = self.reader
        chunks = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                    pass
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            if await reader.readexactly(2) != b"\r\n":
                raise ProtocolError("chunk not followed by CRLF")


# What a broken connection or a bad answer raises; each counts as one error.
REQUEST_ERRORS = (
    OSError,
    TimeoutError,
    asyncio.IncompleteReadError,
    asyncio.LimitOverrunError,
    ProtocolError,
    ValueError,
)


async def fetch(port, path, timeout=10.0):
    """One GET on a fresh connection: (status, body). Raises one of REQUEST_ERRORS."""
    connection = await Connection.open(port, timeout)
    try:
        response = await connection.request(build_request(path, port))
        return response.status, response.body
    finally:
        connection.close()


@dataclass
class RunResult:
    path: str
    connections: int
    seconds: float = 0.0
    latencies: list = field(default_factory=list)  # seconds, of the 200 responses
    errors: Counter = field(default_factory=Counter)  # kind -> count
    attempts: int = 0
    client_cpu_seconds: float = 0.0
    server_cpu_seconds: float | None = None
    stopped_early: bool = False  # the hard time limit cancelled the run

    @property
    def ok(self):
        return len(self.latencies)

    @property
    def error_count(self):
        return sum(self.errors.values())

    @property
    def rps(self):
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent):
        """Nearest-rank percentile of the successful requests' latencies, in milliseconds."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        index = max(0, math.ceil(percent / 100 * len(ordered)) - 1)
        return ordered[index] * 1000

    def summary(self):
        def rounded(value, digits=2):
            return None if value is None else round(value, digits)

        def cpu_percent(cpu_seconds):
            if cpu_seconds is None or not self.seconds:
                return None
            return round(100 * cpu_seconds / self.seconds, 1)

        return {
            "path": self.path,
            "connections": self.connections,
            "seconds": round(self.seconds, 3),
            "requests": self.ok,
            "errors": self.error_count,
            "error_kinds": dict(self.errors),
            "rps": round(self.rps, 1),
            "p50_ms": rounded(self.percentile_ms(50)),
            "p90_ms": rounded(self.percentile_ms(90)),
            "p99_ms": rounded(self.percentile_ms(99)),
            "max_ms": rounded(self.percentile_ms(100)),
            "server_cpu_percent": cpu_percent(self.server_cpu_seconds),
            "client_cpu_percent": cpu_percent(self.client_cpu_seconds),
            "stopped_early": self.stopped_early,
        }


class _Budget:
    """The most requests one run may start, shared by its connections."""

    def __init__(self, limit):
        self.left = limit

    def take(self):
        if self.left <= 0:
            return False
        self.left -= 1
        return True


def process_cpu_seconds(pid):
    """CPU time (user + system) another process has used so far, or None where /proc is absent."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        # Fields 14 and 15 of the stat line (utime, stime); the split starts at field 3.
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


async def _worker(port, raw_request, connection, deadline, budget, timeout, result):
    try:
        while time.perf_counter() < deadline and budget.take():
            result.attempts += 1
            if connection is None:
                try:
                    connection = await Connection.open(port, timeout)
                except REQUEST_ERRORS as error:
                    result.errors[f"connect: {type(error).__name__}"] += 1
                    await asyncio.sleep(0.05)  # no hot loop against a server that is down
                    continue
            started = time.perf_counter()
            try:
                response = await connection.request(raw_request)
            except REQUEST_ERRORS as error:
                result.errors[type(error).__name__] += 1
                connection.close()
                connection = None
                continue
            if response.status == 200:
                result.latencies.append(time.perf_counter() - started)
            else:
                result.errors[f"HTTP {response.status}"] += 1
            if response.close:
                connection.close()
                connection = None
    finally:
        if connection is not None:
            connection.close()


async def run_load(
    port,
    path,
    connections,
    seconds,
    *,
    max_requests=1_000_000,
    timeout=10.0,
    server_pid=None,
    headers=None,
):
    """GET `path` over `connections` keep-alive connections for `seconds`, with `headers` (a
    session cookie, say) on top of the usual ones; a RunResult."""
    result = RunResult(path=path, connections=connections)
    raw_request = build_request(path, port, headers)
    budget = _Budget(max_requests)

    opened = await asyncio.gather(
        *(Connection.open(port, timeout) for _ in range(connections)), return_exceptions=True
    )
    pool = []
    for item in opened:
        if isinstance(item, BaseException):
            if not isinstance(item, REQUEST_ERRORS):
                raise item
            result.errors[f"connect: {type(item).__name__}"] += 1
            pool.append(None)
        else:
            pool.append(item)

    server_cpu_before = process_cpu_seconds(server_pid) if server_pid else None
    client_cpu_before = time.process_time()
    started = time.perf_counter()
    deadline = started + seconds
    workers = [
        asyncio.ensure_future(
            _worker(port, raw_request, connection, deadline, budget, timeout, result)
        )
        for connection in pool
    ]
    try:
        # Each worker stops starting requests at the deadline; its last one ends within
        # `timeout`. The hard limit on top only matters if something hangs regardless.
        await asyncio.wait_for(asyncio.gather(*workers), seconds + timeout + 5)
    except TimeoutError:
        result.stopped_early = True
        result.errors["run stopped at the hard time limit"] += 1
    finally:
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    result.seconds = time.perf_counter() - started
    result.client_cpu_seconds = time.process_time() - client_cpu_before
    if server_cpu_before is not None:
        server_cpu_after = process_cpu_seconds(server_pid)
        if server_cpu_after is not None:
            result.server_cpu_seconds = server_cpu_after - server_cpu_before
    return result
