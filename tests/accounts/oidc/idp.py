"""A real OpenID Provider for the organisation sign-in tests: the `oidc-provider` package (npm,
package.json's devDependencies) run by node with provider.mjs beside this file, on a free port.

``IdentityProvider.start(clients)`` skips the test where node or the package is missing (fails
with CI=true); ``set_account(...)`` chooses who the next authorisation request signs in, and
``browse(url)`` follows the provider's redirects as a browser would, up to the first address
that is not the provider's (Meent's callback).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from tests import processes
from tests.conftest import require_service

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PACKAGE = ROOT / "node_modules" / "oidc-provider" / "package.json"


class IdentityProvider:
    def __init__(self, process, issuer, log_path, workdir):
        self.process = process
        self.issuer = issuer
        self.log_path = log_path
        self.workdir = workdir

    @classmethod
    def start(cls, clients, timeout=20):
        node = shutil.which("node")
        require_service("node", node is not None, "install Node.js 20 or newer")
        require_service("oidc-provider", PACKAGE.exists(), "run npm install")
        port = processes.free_port()
        issuer = f"http://127.0.0.1:{port}"
        workdir = tempfile.TemporaryDirectory(prefix="meent-idp-")
        config = Path(workdir.name) / "config.json"
        config.write_text(json.dumps({"port": port, "issuer": issuer, "clients": clients}))
        log_path = Path(workdir.name) / "idp.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(  # noqa: S603 (our own script)
                [node, str(HERE / "provider.mjs"), str(config)],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        idp = cls(process, issuer, log_path, workdir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the identity provider exited:\n{processes.tail(log_path)}")
            try:
                if requests.get(idp.discovery_url, timeout=2).status_code == 200:
                    return idp
            except requests.RequestException:
                pass
            time.sleep(0.1)
        idp.stop()
        raise RuntimeError(f"the identity provider did not start:\n{processes.tail(log_path)}")

    @property
    def discovery_url(self):
        return f"{self.issuer}/.well-known/openid-configuration"

    def stop(self):
        processes.stop(self.process)
        self.workdir.cleanup()

    def set_account(self, sub, email, *, verified=True, given_name="Anna", family_name="Jansen"):
        response = requests.post(
            f"{self.issuer}/test/account",
            data=json.dumps(
                {
                    "sub": sub,
                    "email": email,
                    "email_verified": verified,
                    "given_name": given_name,
                    "family_name": family_name,
                }
            ),
            timeout=5,
        )
        response.raise_for_status()

    def browse(self, url, session=None, max_hops=10):
        """Follow the provider's redirects from ``url``; the first address outside it."""
        session = session or requests.Session()
        for _hop in range(max_hops):
            if not url.startswith(self.issuer):
                return url
            response = session.get(url, allow_redirects=False, timeout=10)
            assert response.status_code in (302, 303), (
                f"the identity provider answered {response.status_code}: {response.text[:500]}"
            )
            url = urljoin(url, response.headers["Location"])
        raise AssertionError("the identity provider kept redirecting")

    def tokens(self, client_id, client_secret, redirect_uri, nonce):
        """A code flow for ``client_id`` done by hand: the token endpoint's answer."""
        session = requests.Session()
        authorize = requests.Request(
            "GET",
            f"{self.issuer}/auth",
            params={
                "client_id": client_id,
                "response_type": "code",
                "scope": "openid email profile",
                "redirect_uri": redirect_uri,
                "state": "by-hand",
                "nonce": nonce,
            },
        ).prepare()
        back = self.browse(authorize.url, session)
        code = parse_qs(urlsplit(back).query)["code"][0]
        response = session.post(
            f"{self.issuer}/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": client_id,
                "client_secret": client_secret,
            },
            timeout=10,
        )
        response.raise_for_status()
        return response.json()
