"""A URLconf for tests/reliability: views that fail as an unreachable database makes them fail."""

from django.db import OperationalError
from django.urls import path


def database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def other_error(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [path("gone/", database_gone), path("bug/", other_error)]
