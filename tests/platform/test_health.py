import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import require_service

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "channel_layer", "search"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["database"]["vendor"] == connection.vendor
    assert body["checks"]["search"]["backend"] == "database"


def test_healthz_uses_redis_when_configured(client):
    require_service("Redis", bool(settings.REDIS_URL), "set REDIS_URL")
    body = client.get("/healthz").json()
    assert body["checks"]["channel_layer"]["backend"] in {
        "RedisChannelLayer",
        "RedisPubSubChannelLayer",
    }
    assert body["checks"]["cache"]["backend"] == "RedisCache"


def test_healthz_answers_503_naming_the_service_that_is_down(client, settings):
    # A Redis that is configured but not there: nothing listens on port 1.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["cache"]["status"] == "down"
    assert "error" in body["checks"]["cache"]
    assert body["checks"]["database"]["status"] == "ok"


def test_healthz_reports_search_server_down(client, settings, caplog):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    response = client.get("/healthz")
    assert response.status_code == 503
    search = response.json()["checks"]["search"]
    assert search["status"] == "down"
    assert "Connection" in search["error"]
    # Public: the kind of error, not its text (hosts, ports, users); that is in the log.
    assert "127.0.0.1" not in response.content.decode()
    assert any("127.0.0.1" in record.getMessage() for record in caplog.records)


def test_livez_answers_without_asking_any_service(client, django_assert_num_queries):
    """Liveness is the process itself: no database query (and no cache or channel layer call),
    so an outage elsewhere never makes a process manager restart a healthy process."""
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert (response.status_code, response.json()) == (200, {"status": "alive"})
    assert response["Cache-Control"].startswith("max-age=0")
    assert client.post("/livez").status_code == 405
