"""tests/nginx.py renders the shipped site file for any number of app processes (the proxy test
runs two, `make bench`'s proxy part 1, 2 and 4)."""

import re
import shutil
import subprocess

import pytest

from tests.conftest import require_service
from tests.nginx import SITE_FILE, Nginx, NginxError, render_site, render_upstream


def upstream_servers(site):
    block = re.search(r"upstream meent_app \{\n(.*?)^\}", site, re.MULTILINE | re.DOTALL).group(1)
    return re.findall(r"^\s*server (\S+)(.*);$", block, re.MULTILINE)


@pytest.mark.parametrize("count", [1, 2, 4])
def test_one_server_line_per_app_process_with_the_files_parameters(count):
    ports = [9100 + n for n in range(count)]
    site = render_site(SITE_FILE.read_text(), ports, 8999, "/srv/run-1")
    shipped = upstream_servers(SITE_FILE.read_text())
    assert upstream_servers(site) == [(f"127.0.0.1:{port}", shipped[0][1]) for port in ports]
    assert "keepalive 32;" in site
    assert "listen 127.0.0.1:8999;" in site and "listen 80;" not in site
    assert "/srv/meent/" not in site and "alias /srv/run-1/static/;" in site
    # Nothing else of the file changed.
    assert site.count("\n") == SITE_FILE.read_text().count("\n") + count - len(shipped)


def test_a_site_file_without_the_upstream_is_refused():
    with pytest.raises(NginxError, match="upstream meent_app"):
        render_upstream("server { listen 80; }\n", [9100])
    with pytest.raises(NginxError, match="at least one"):
        render_upstream(SITE_FILE.read_text(), [])


def test_nginx_accepts_the_rendered_configuration(tmp_path):
    require_service("nginx", shutil.which("nginx") is not None, "apt-get install nginx")
    nginx = Nginx(tmp_path, [9101, 9102, 9103, 9104], tmp_path)
    check = subprocess.run(nginx.command("-t"), capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
