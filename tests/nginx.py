"""Debian's nginx with the shipped site file (deploy/nginx/meent.conf) in front of app processes on
127.0.0.1, as operators run it: for the proxy test (tests/reliability/test_proxy.py) and the
proxy part of `make bench` (tests/perf/proxybench.py).

``render_site`` turns the site file into one for this run: its ``upstream`` block gets one server
line per app process (any number; the parameters of the file's first server line kept), it listens
on a free port of 127.0.0.1 and serves uploads from a folder of the run. ``Nginx`` writes it with a
main configuration whose files all stay in the run's folder, and starts and stops nginx.
"""

import os
import re
import subprocess
from collections import Counter
from pathlib import Path

from tests import processes

ROOT = Path(__file__).resolve().parents[1]
SITE_FILE = ROOT / "deploy" / "nginx" / "meent.conf"
START_TIMEOUT = 60

MAIN_CONFIG = """
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstreams '$upstream_addr $status "$request"';
    access_log {folder}/access.log upstreams;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/meent.conf;
}}
"""

UPSTREAM_BLOCK = re.compile(r"^upstream meent_app \{\n(?P<body>.*?)^\}", re.MULTILINE | re.DOTALL)
SERVER_LINE = re.compile(r"^(?P<indent>[ \t]*)server 127\.0\.0\.1:\d+(?P<params>[^;\n]*);[ \t]*$")


class NginxError(Exception):
    """The site file is not as expected, or nginx refused the configuration or did not start."""


def render_upstream(site, app_ports):
    """``site`` with the server lines of its ``meent_app`` upstream replaced by one per port."""
    if not app_ports:
        raise NginxError("at least one app process is needed")
    block = UPSTREAM_BLOCK.search(site)
    if block is None:
        raise NginxError(f"no 'upstream meent_app {{ ... }}' block in {SITE_FILE}")
    lines = block.group("body").splitlines(keepends=True)
    servers = [index for index, line in enumerate(lines) if SERVER_LINE.match(line.rstrip("\n"))]
    if not servers:
        raise NginxError(f"no 'server 127.0.0.1:PORT ...;' line in {SITE_FILE}'s upstream")
    first = SERVER_LINE.match(lines[servers[0]].rstrip("\n"))
    replacement = "".join(
        f"{first['indent']}server 127.0.0.1:{port}{first['params']};\n" for port in app_ports
    )
    body = [line for index, line in enumerate(lines) if index not in servers[1:]]
    body[servers[0]] = replacement
    return site[: block.start("body")] + "".join(body) + site[block.end("body") :]


def render_site(site, app_ports, port, media_parent):
    """The site file for this run: ``app_ports`` upstream, listening on 127.0.0.1:``port``,
    uploads under ``media_parent`` (which holds ``media/``)."""
    site = render_upstream(site, app_ports)
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("server_name meent.example.org;", "server_name 127.0.0.1 localhost;"),
        ("/srv/meent", str(media_parent)),
    ):
        if old not in site:
            raise NginxError(f"{old!r} is no longer in {SITE_FILE}")
        site = site.replace(old, new)
    return site


class Nginx:
    """nginx with the shipped site file, its app processes and folders put in for this run."""

    def __init__(self, folder, app_ports, media_parent):
        self.folder = Path(folder)
        self.port = processes.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site = render_site(SITE_FILE.read_text(), app_ports, self.port, media_parent)
        (self.folder / "meent.conf").write_text(site)
        # As root, nginx hands its workers to another user, who could not read the run's files.
        user = "user root;" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(MAIN_CONFIG.format(folder=self.folder, user=user))
        self.process = None

    def command(self, *extra):
        return ["nginx", *extra, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]

    def start(self, timeout=START_TIMEOUT):
        """Check the configuration, start nginx and wait until /healthz answers 200 through it."""
        check = subprocess.run(self.command("-t"), capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise NginxError(f"nginx -t refused the configuration:\n{check.stderr}")
        self.process = subprocess.Popen(
            self.command(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            processes.wait_until_healthy(
                self.process, f"{self.url}/healthz", self.folder / "error.log", timeout
            )
        except processes.NotHealthy as error:
            self.stop()
            raise NginxError(f"nginx did not serve /healthz: {error}") from error

    def stop(self):
        processes.stop(self.process)

    def access_lines(self):
        path = self.folder / "access.log"
        return path.read_text(errors="replace").splitlines() if path.exists() else []

    def upstreams(self, path):
        """The app processes (host:port) that answered requests for ``path``, in order."""
        return [line.split()[0] for line in self.access_lines() if f" {path}" in line]

    def upstream_counts(self):
        """How many requests each app process (host:port) answered, from the access log."""
        return Counter(line.split()[0] for line in self.access_lines() if line.strip())
