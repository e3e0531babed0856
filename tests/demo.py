"""The demo data, loaded once per test module (tests/platform, tests/search/test_relevance.py):
import ``demo_once`` into the package's conftest.py."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

DEMO_PASSWORD = "een-demo-wachtwoord"


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """``load_demo`` once for a whole module (it takes about 20 seconds).

    The demo is loaded inside a transaction that stays open until the module's last test is done
    and is then rolled back; each test runs in a savepoint within it (pytest-django's ``db``), as
    with Django's ``setUpTestData``, so a test's own changes never reach the next test.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with (
        pytest.MonkeyPatch.context() as patch,
        override_settings(MEDIA_ROOT=media, ALLOWED_HOSTS=[".localhost", "testserver"]),
        django_db_blocker.unblock(),
    ):
        patch.setenv("MEENT_DEMO_PASSWORD", DEMO_PASSWORD)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
            yield media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
