"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for the whole e2e package (starting Chromium costs seconds), a fresh context per test
(cookies, storage and language never leak between tests). Every test here is marked ``e2e``.

The live server speaks WSGI only. Journeys that need WebSockets (chat) use ``asgi_server``
instead: the server serving ``config.asgi`` in a subprocess, against the same (committed) test data.
"""

import os
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import translation

from tests import processes
from tests.conftest import require_service
from tests.e2e.axe import AxeChecker

# Playwright's sync API keeps an asyncio event loop running in the main thread from the moment it
# starts until it stops. Django sees that running loop and refuses every ORM call from the main
# thread ("SynchronousOnlyOperation"): factories in the tests, the flush between transactional
# tests, reading users back. Those calls really are synchronous and nothing else runs on that loop
# while they do, so the guard is a false alarm here and DJANGO_ALLOW_ASYNC_UNSAFE switches it off.
# Only while the browser runs, though (see ``browser``), not from import: a module-level setting
# would hold for the whole pytest process, hide real async-safety bugs in the other tests and leak
# into their subprocesses (``manage.py check --deploy`` fails on it with async.E001).
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parents[1]
SERVER_START_TIMEOUT_S = 60
# Fail fast: a page of this app that needs more than this is a failure in itself.
TIMEOUT_MS = 10_000
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")


def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e/ is a browser journey: mark it ``e2e``."""
    for item in items:
        if E2E_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report, so that the ``page`` fixture knows whether the test failed."""
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


@contextmanager
def _async_unsafe_allowed():
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="package")
def browser():
    """Chromium, launched once for all of tests/e2e.

    Package scope rather than session scope: pytest-django runs the live-server (transactional)
    tests together, so the e2e package still gets exactly one browser, and Playwright's event loop
    stops (with the async-safety exemption above) before the rest of the suite runs.
    """
    if not CHROMIUM.exists():
        require_service("Chromium", False, "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with _async_unsafe_allowed():
        playwright = sync_playwright().start()
        try:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
        finally:
            playwright.stop()


@pytest.fixture
def browser_locale():
    """The browser's language (its Accept-Language). Parametrize this name to change it."""
    return "nl-NL"


@pytest.fixture(autouse=True)
def _no_request_in_flight_at_the_flush(request):
    """After a browser test, before its database is flushed (TRUNCATE), end every other session
    on the test database that is busy: a request the closed page left in flight in the live
    server still held a table lock, and the flush deadlocked with it (seen once on CI). Idle
    sessions hold no lock and are spared: one of them can be this process's own connection for
    the next test (Playwright runs the test in another context, where Django's ``connection`` is
    another one), and ending it failed every database test after it in the process. Set up
    before the page and the servers, so torn down after them and before the flush."""
    if "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND state <> 'idle'"
            )


@pytest.fixture
def server(live_server, transactional_db, settings):
    """The live server, with the site's home page in place.

    Between transactional tests the database is flushed, which also removes the Wagtail page tree
    that a migration creates; put it back when it is gone.
    """
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    _ensure_home_page()
    return live_server


def _ensure_home_page():
    from django.utils.translation import get_supported_language_variant
    from wagtail.models import Collection, Locale, Page, Site

    from home.models import HomePage

    # Migrations make the root collection (documents, images) and the locales; a flush between
    # transactional tests removes them too.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    if Site.objects.filter(is_default_site=True, root_page__live=True).exists():
        return
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = root.add_child(instance=HomePage(title="Meent", slug="home", locale=locale))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Meent"},
    )


@pytest.fixture
def page(browser, server, browser_locale, request, tmp_path):
    """A page in a fresh browser context that speaks ``browser_locale``, based at the live server.

    The test also fails when the server answers 5xx, a static file is missing or the page throws
    a JavaScript error: a journey that "passes" over a broken page proves nothing.
    """
    context = browser.new_context(
        base_url=server.url, locale=browser_locale, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    problems = []

    def on_response(response):
        path = response.url.removeprefix(server.url)
        if response.status >= 500 or (response.status >= 400 and path.startswith("/static/")):
            problems.append(f"HTTP {response.status} {response.request.method} {path}")

    context.on("response", on_response)
    tab = context.new_page()
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    yield tab

    report = getattr(request.node, "_e2e_report_call", None)
    if report is not None and report.failed:
        try:
            tab.screenshot(path=tmp_path / "failure.png", full_page=True)
            (tmp_path / "failure.html").write_text(tab.content(), encoding="utf-8")
            print(f"e2e failure at {tab.url}: screenshot and HTML in {tmp_path}")
        except Exception as error:  # the page may be gone; the report matters more
            print(f"e2e failure at {tab.url}: no screenshot ({error})")
    context.close()
    if problems:
        pytest.fail("The browser met problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def t():
    """``t(text, language)``: what the app shows for ``text`` in ``language``.

    Strings still untranslated come back unchanged, so assertions hold both before and after the
    translation catalogue is complete; translated ones must appear translated.
    """

    def translate(text, language):
        with translation.override(language):
            return translation.gettext(text)

    return translate


@pytest.fixture
def axe():
    """An ``AxeChecker`` (tests/e2e/axe.py): ``axe.check(page)`` on every page of the test, then
    ``axe.done()``, which xfails naming the known bugs met on the way."""
    return AxeChecker()


@pytest.fixture
def email_link(mailoutbox):
    """``email_link(fragment, to=...)``: the link containing ``fragment`` in the last matching mail."""

    def find(fragment, to=None):
        messages = [m for m in mailoutbox if to is None or to in m.to]
        assert messages, f"no e-mail was sent{f' to {to}' if to else ''}"
        body = messages[-1].body
        links = [url for url in URL_IN_TEXT.findall(body) if fragment in url]
        assert links, f"no link with {fragment!r} in the e-mail:\n{body}"
        return links[0]

    return find


@pytest.fixture
def sign_in():
    """``sign_in(page, email, password)``: through the sign-in form, as a person would."""

    def submit(page, email, password):
        page.goto("/accounts/login/")
        form = page.locator("main form")
        form.locator("[name=login]").fill(email)
        form.locator("[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    return submit


# --- the server, for journeys that need WebSockets ------------------------------------------------


class AsgiServer:
    """the server in a subprocess; ``restart()`` stops it and starts it again on the same port."""

    def __init__(self, env, log):
        self.env = env
        self.log = log
        self.port = processes.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                processes.server_command(self.port),
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl+C reaches pytest only; the server is stopped by pid
            )
        self.wait_until_healthy()

    def stop(self):
        processes.stop(self.process)

    def restart(self):
        self.stop()
        self.start()

    def log_tail(self, lines=40):
        return processes.tail(self.log, lines)

    def wait_until_healthy(self):
        try:
            processes.wait_until_healthy(
                self.process, f"{self.url}/healthz", self.log, SERVER_START_TIMEOUT_S
            )
        except processes.NotHealthy as error:
            pytest.fail(str(error), pytrace=False)


def _test_database_url():
    """DATABASE_URL for another process: the test database this run created (and fills)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.fail(
                "The SQLite test database is in memory, so the server cannot open it: "
                "config/settings/test.py must give it a file name (DATABASES TEST NAME)."
            )
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.fail(f"{connection.vendor} test database without DATABASE_URL to derive its URL")
    return urlsplit(url)._replace(path=f"/{db['NAME']}").geturl()


@pytest.fixture
def asgi_env():
    """Extra environment for the server (e.g. {"MEENT_CHAT_RATE": "2"}). Parametrize this name."""
    return {}


@pytest.fixture
def asgi_server(transactional_db, settings, tmp_path, asgi_env):
    """the server serving config.asgi (HTTP and WebSockets) on a free port of 127.0.0.1.

    It runs in a subprocess with the test settings and this run's test database, so it sees what
    the test has committed: hence ``transactional_db``, and a SQLite test database in a file (see
    config/settings/test.py). With REDIS_URL set it shares Redis (channel layer and cache) with the
    tests. It is stopped before the database is flushed for the next test.
    """
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    _ensure_home_page()
    env = dict(os.environ)
    env.pop(ASYNC_UNSAFE, None)  # only the test process needs it (see above), never the server
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _test_database_url(),
            # Empty rather than absent, so that a local .env cannot bring another one in.
            "REDIS_URL": settings.REDIS_URL or "",
            "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL or "",
            # The Origin of the browser's WebSocket must be an allowed host.
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
            "PYTHONUNBUFFERED": "1",
            **asgi_env,
        }
    )
    server = AsgiServer(env, tmp_path / "server.log")
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def asgi_pages(browser, asgi_server, browser_locale, request, tmp_path):
    """``asgi_pages()``: a new page in a browser context of its own (one per person), at the server.

    Like ``page``, the test fails when the server answers 5xx, a static file is missing or a page
    throws a JavaScript error; on failure each page's screenshot and HTML and the server's log are kept.
    """
    contexts, problems = [], []

    def open_page():
        context = browser.new_context(
            base_url=asgi_server.url, locale=browser_locale, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        name = f"person {len(contexts) + 1}"

        def on_response(response):
            path = response.url.removeprefix(asgi_server.url)
            if response.status >= 500 or (response.status >= 400 and path.startswith("/static/")):
                problems.append(f"{name}: HTTP {response.status} {response.request.method} {path}")

        context.on("response", on_response)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: problems.append(f"{name}: JavaScript error: {error}"))
        return tab

    yield open_page

    report = getattr(request.node, "_e2e_report_call", None)
    if report is not None and report.failed:
        for number, context in enumerate(contexts, start=1):
            for tab in context.pages:
                try:
                    tab.screenshot(path=tmp_path / f"failure-{number}.png", full_page=True)
                    (tmp_path / f"failure-{number}.html").write_text(tab.content(), "utf-8")
                except Exception as error:  # the page may be gone; the report matters more
                    print(f"no screenshot of person {number} ({error})")
        print(f"e2e failure: screenshots and HTML in {tmp_path}; the server's log:")
        print(asgi_server.log_tail())
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("The browser met problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def open_page(browser, server, browser_locale):
    """``open_page()``: another person's page, in a browser context of its own.

    Like the ``page`` fixture, the test fails when the server answers 5xx, a static file is missing
    or a page throws a JavaScript error (in any tab of the context).
    """
    contexts, problems = [], []

    def open_():
        context = browser.new_context(
            base_url=server.url, locale=browser_locale, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)

        def on_response(response):
            path = response.url.removeprefix(server.url)
            if response.status >= 500 or (response.status >= 400 and path.startswith("/static/")):
                problems.append(f"HTTP {response.status} {response.request.method} {path}")

        def on_page(tab):
            tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

        context.on("response", on_response)
        context.on("page", on_page)  # every tab of this context, also those opened later
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("The browser met problems:\n" + "\n".join(problems), pytrace=False)
