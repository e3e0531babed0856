"""Helpers for tests and benchmarks that run Meent's server (config/serve.py) as a subprocess."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


class NotHealthy(Exception):
    """The server exited, or did not answer its health URL in time; the message says which."""


def server_command(port, app="config.asgi:application"):
    """The command that serves ``app`` on 127.0.0.1:``port`` as `make demo` and production do."""
    return [sys.executable, "-m", "config.serve", "--port", str(port), "--app", app]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(process):
    """Terminate, then kill: a server never outlives its test."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_until_healthy(process, url, log_path, timeout):
    """Poll ``url`` until it answers 200; raise NotHealthy with the reason and the log's end."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise NotHealthy(f"the server exited with {process.returncode}:\n{tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local only)
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}: {error.read()[:300].decode(errors='replace')}"
        except OSError as error:
            last = f"{type(error).__name__}: {error}"
        time.sleep(0.2)
    raise NotHealthy(f"{url} did not answer 200 within {timeout} s ({last}):\n{tail(log_path)}")
