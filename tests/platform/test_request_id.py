"""Every request has an id (meent/requestid.py): the proxy's when it sends a sound one, else a
new one; it is in the X-Request-ID answer and on every log record made while the request is
handled. The JSON log lines of real server processes behind nginx: tests/reliability/test_proxy.py."""

import logging
import re

import pytest

from meent import requestid

pytestmark = pytest.mark.django_db


def test_a_request_gets_an_id_in_its_answer(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_the_proxys_id_is_kept_and_a_bad_one_replaced(client):
    proxy_id = "0123456789abcdef0123456789abcdef"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=proxy_id)["X-Request-ID"] == proxy_id
    for bad in ("kort", "met spatie erin", "x" * 65, "a\x1b[31mb" * 3):
        answered = client.get("/healthz", HTTP_X_REQUEST_ID=bad)["X-Request-ID"]
        assert answered != bad and re.fullmatch(r"[0-9a-f]{32}", answered)


def test_log_records_made_during_a_request_carry_its_id(rf):
    seen = []

    def view(request):
        record = logging.LogRecord("meent", logging.INFO, __file__, 1, "in the view", (), None)
        requestid.RequestIdLogFilter().filter(record)
        seen.append(record.request_id)
        from django.http import HttpResponse

        return HttpResponse()

    response = requestid.RequestIdMiddleware(view)(rf.get("/", HTTP_X_REQUEST_ID="req-12345678"))
    assert seen == ["req-12345678"] == [response["X-Request-ID"]]
    outside = logging.LogRecord("meent", logging.INFO, __file__, 1, "after", (), None)
    requestid.RequestIdLogFilter().filter(outside)
    assert outside.request_id == "-"
