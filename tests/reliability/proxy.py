"""Outages on demand, for tests: a TCP proxy that can be cut and restored, and the server behind it.

The system's PostgreSQL and Redis are shared with other processes, so a test never stops them.
It points the server at a ``TcpProxy`` in front of the real service instead: ``cut()`` closes every
connection and refuses new ones (connection refused, as with a stopped server), ``restore()``
accepts them again, on the same port.
"""

import contextlib
import socket
import threading
import time
from urllib.parse import urlsplit

from tests import processes

POLL_INTERVAL_S = 0.2


class TcpProxy:
    """Forwards 127.0.0.1:``port`` to ``target``; threads only, in the test's own process."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = processes.free_port()
        self._lock = threading.Lock()
        self._sockets = set()  # every open client and upstream socket
        self._listener = None
        self._accepting = None

    # Lifecycle

    def start(self):
        self.restore()
        return self

    def cut(self):
        """Close the listener and every connection: clients see the server go away."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            listener.close()
        if self._accepting is not None:
            self._accepting.join(timeout=5)
            self._accepting = None
        for sock in sockets:
            _close(sock)

    def restore(self):
        """Listen again on the same port."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # The port's accepted connections linger in TIME_WAIT after a cut.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        # A timeout lets the accept loop notice that the listener was closed.
        listener.settimeout(POLL_INTERVAL_S)
        with self._lock:
            self._listener = listener
        self._accepting = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._accepting.start()

    close = cut

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # Forwarding

    def _accept(self, listener):
        while True:
            with self._lock:
                if self._listener is not listener:
                    return
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by cut()
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    _close(client)
                    _close(upstream)
                    return
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        # One side ended: end the other too, as a real connection would.
        with self._lock:
            self._sockets.discard(source)
            self._sockets.discard(sink)
        _close(source)
        _close(sink)

    @property
    def open_connections(self):
        with self._lock:
            return len(self._sockets) // 2


def _close(sock):
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv()
    sock.close()


def proxied_url(url, proxy):
    """``url`` (postgres://…, redis://…) with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    return parts._replace(netloc=netloc).geturl()


def target_of(url, default_port):
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


def closed_port():
    """A port of 127.0.0.1 where nothing listens (connections are refused)."""
    return processes.free_port()


def wait_for(condition, timeout=30, message="condition"):
    """Poll ``condition()`` until it returns something true; return that, or fail after
    ``timeout`` seconds with the last value it gave (a bound, never a measurement)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(POLL_INTERVAL_S)
    raise AssertionError(f"{message} did not happen within {timeout} s (last: {last!r})")
