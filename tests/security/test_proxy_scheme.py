"""Behind a TLS proxy (production: SECURE_SSL_REDIRECT with SECURE_PROXY_SSL_HEADER), a proxy
that leaves out X-Forwarded-Proto gets a 400 that says so, never a redirect to https:// that
would come back the same way forever; a proxy that says "http" gets the usual redirect, and the
health and metrics paths answer probes that reach the process directly."""

import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_tls_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_REDIRECT_EXEMPT = [r"^metrics$", r"^livez$", r"^healthz$"]


def test_a_request_without_the_scheme_header_is_refused_with_a_reason_not_redirected(
    behind_tls_proxy, client, caplog
):
    with caplog.at_level(logging.ERROR, logger="meent.security"):
        first = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        second = client.get("/groups/", HTTP_ACCEPT_LANGUAGE="nl")

    assert first.status_code == 400 and "Location" not in first
    assert "its proxy does not say so" in first.content.decode()
    assert second.status_code == 400
    assert "proxy" in second.content.decode() and "its proxy" not in second.content.decode()
    told = [r for r in caplog.records if "X-Forwarded-Proto" in r.getMessage()]
    assert len(told) == 1  # said once per process, not per request


def test_a_proxy_that_says_http_is_redirected_to_https(behind_tls_proxy, client):
    response = client.get("/groups/", HTTP_X_FORWARDED_PROTO="http")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/groups/"


def test_a_proxy_that_says_https_is_served(behind_tls_proxy, client):
    assert client.get("/livez", HTTP_X_FORWARDED_PROTO="https").status_code == 200
    assert client.get("/groups/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


@pytest.mark.parametrize("path", ["/livez", "/healthz"])
def test_probes_reach_the_process_directly(behind_tls_proxy, client, path):
    assert client.get(path).status_code == 200


def test_without_a_tls_proxy_nothing_changes(client):
    assert client.get("/groups/").status_code == 200
