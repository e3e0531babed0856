"""Small helpers the tests share: SQL query counts, things at the same moment, two-factor sign-in,
signing in, groups.

Import them (``from tests.helpers import count_queries``); do not copy them into a test module.
Django models are imported inside the functions, so that importing this module needs no set-up.
"""

import threading
import time

from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

# The authenticator secret of every staff member the tests give two-factor sign-in (base32).
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


# --- SQL queries ------------------------------------------------------------------------------


def queries_of(callable_):
    """How many SQL queries ``callable_()`` makes."""
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def get_with_queries(client, url, *, warm=True):
    """GET ``url`` (which must answer 200): (its SQL queries, the response).

    With ``warm`` the page is requested once before the counted request: the first request of a
    test fills caches (the site, content types, the header's toolbox link) that a server fills
    once. Without it the caller has warmed them itself.
    """
    if warm:
        client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), response


def count_queries(client, url, *, warm=True):
    """The SQL queries of one (warm) GET of ``url``, which must answer 200."""
    return get_with_queries(client, url, warm=warm)[0]


# --- two-factor sign-in -----------------------------------------------------------------------


# --- At the same moment ----------------------------------------------------------------------


def require_row_locks():
    """Two connections writing at once need PostgreSQL's row locks (SQLite has one writer at a
    time): skipped on the embedded default, a failure under CI=true."""
    from tests.conftest import require_service

    require_service(
        "PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://… (row locks)"
    )


def at_once(*calls, timeout=30):
    """Run ``calls`` in threads released at one moment (a barrier), each on a database connection
    of its own; returns (their results in order, the exceptions raised). For a test marked
    ``django_db(transaction=True)``: the threads must see each other's commits."""
    results, errors = [None] * len(calls), []
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - returned to the test, which asserts on them
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results, errors


def activate_totp(user, secret=TOTP_SECRET):
    """Set up two-factor sign-in (an authenticator app) for ``user``: staff need it for /admin/."""
    from allauth.mfa.totp.internal.auth import TOTP

    return TOTP.activate(user, secret)


def current_code(secret=TOTP_SECRET):
    """The code the authenticator app of ``secret`` shows now."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


# --- people and groups ------------------------------------------------------------------------


def sign_in(client, email, password=None):
    """POST allauth's sign-in form with Django's test client (the factories' password unless
    another is given); the response."""
    from django.urls import reverse

    from tests.factories import DEFAULT_PASSWORD

    password = DEFAULT_PASSWORD if password is None else password
    return client.post(reverse("account_login"), {"login": email, "password": password})


def group_with(owner, **fields):
    """A group (GroupFactory with ``fields``) owned by ``owner``."""
    from groups.models import Membership
    from tests.factories import GroupFactory, MembershipFactory

    group = GroupFactory(**fields)
    MembershipFactory(group=group, user=owner, role=Membership.Role.OWNER)
    return group


def repository_packages() -> set[str]:
    """The top-level packages of this repository that the project runs: every app INSTALLED_APPS
    loads from here, and the wiring (ROOT_URLCONF's package)."""
    from pathlib import Path

    from django.conf import settings

    root = Path(__file__).resolve().parents[1]
    names = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    names.add(settings.ROOT_URLCONF.split(".")[0])
    return {name for name in names if (root / name / "__init__.py").exists()}
