"""PostgreSQL briefly unreachable: every request gets a clean, translated 503 page with
Retry-After (no stack trace), and daphne serves again by itself once the database is back.

daphne reaches the test database through a proxy that the test cuts (every connection closed,
new ones refused) and restores; the system's PostgreSQL itself is never stopped. daphne keeps its
connections between requests (tests/reliability/settings.py), as in production, so recovery
also covers a persistent connection that broke.
"""

import pytest
import requests
from django.test import Client

from tests.factories import UserFactory

from .proxy import proxied_url, wait_for

PAGES = ["/", "/groups/"]
LEAKS = ["Traceback", "OperationalError", "InterfaceError", "psycopg", "connection"]


def get(server, path, language="nl", cookie=None):
    headers = {"Accept-Language": language}
    if cookie:
        headers["Cookie"] = cookie
    return requests.get(server.url + path, headers=headers, timeout=30, allow_redirects=False)


@pytest.fixture
def server(start_daphne, postgres_proxy):
    from tests.e2e.conftest import _test_database_url

    return start_daphne(
        DATABASE_URL=proxied_url(_test_database_url(), postgres_proxy),
        DJANGO_SETTINGS_MODULE="tests.reliability.settings",
    )


@pytest.mark.services
def test_an_outage_gives_a_clean_503_and_the_site_recovers_by_itself(
    server, postgres_proxy, session_cookie, t
):
    cookie = session_cookie(UserFactory(first_name="Anna", email="anna@voorbeeld.nl"))
    for path in PAGES:
        assert get(server, path).status_code == 200, server.log_tail()
        assert get(server, path, cookie=cookie).status_code == 200, server.log_tail()

    postgres_proxy.cut()

    for path in PAGES:
        for language in ("nl", "en"):
            for who in (None, cookie):  # a session needs the database too
                response = get(server, path, language, who)
                assert response.status_code == 503, (path, language, server.log_tail())
                assert response.headers["Retry-After"].isdigit()
                assert response.headers["Cache-Control"] == "no-store"
                assert response.headers["Content-Type"].startswith("text/html")
                assert "Content-Security-Policy" in response.headers  # still our headers
                body = response.text
                assert f'<html lang="{language}">' in body
                assert t("Temporarily unavailable", language) in body
                assert t("Try again", language) in body
                for leak in LEAKS:
                    assert leak not in body, f"{leak!r} shown on {path}"
    health = requests.get(server.url + "/healthz", timeout=30)
    assert health.status_code == 503
    assert health.json()["checks"]["database"]["status"] == "down"

    postgres_proxy.restore()

    # No restart: the same daphne process answers again once it can connect.
    wait_for(lambda: get(server, "/").status_code == 200, message="the home page answering 200")
    assert server.process.poll() is None
    for path in PAGES:
        assert get(server, path).status_code == 200, server.log_tail()
        assert get(server, path, cookie=cookie).status_code == 200, server.log_tail()
    assert requests.get(server.url + "/healthz", timeout=30).status_code == 200


# The middleware alone, on any database (no outage needed): a view that meets an unreachable
# database gets the 503 page, any other error still the 500 page.


@pytest.fixture
def failing_client(settings, site_host):
    settings.ROOT_URLCONF = "tests.reliability.urls"
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_a_database_error_in_a_view_is_a_503(failing_client, t):
    response = failing_client.get("/gone/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.content.decode()
    assert t("Temporarily unavailable", "en") in body
    assert "Connection refused" not in body and "Traceback" not in body


@pytest.mark.django_db
def test_other_errors_stay_500(failing_client):
    response = failing_client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response
