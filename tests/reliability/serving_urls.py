"""The site's URLs plus a page that fails (for the log) and one slow page, for stopping a server while requests are in flight
(tests/reliability/test_graceful_stop.py). The page marks its start in SLOW_PAGE_DIR, so the test
knows when every request is in flight without guessing a time."""

import os
import time
import uuid
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def slow(request):
    Path(os.environ["SLOW_PAGE_DIR"], uuid.uuid4().hex).touch()
    time.sleep(float(request.GET.get("seconds", "2")))
    return HttpResponse("finished")


def bug(request):
    raise ValueError("a bug, for the log")


urlpatterns = [path("slow/", slow), path("bug/", bug), *site_urlpatterns]
