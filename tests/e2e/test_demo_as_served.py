"""The demo exactly as `make demo` loads and serves it, walked in Chromium as a newcomer would.

Other journeys build their own Sites and data; this one does what `make demo PORT=<free port>`
does, in subprocesses with the demo's own settings (config.settings.dev, SQLite, console e-mail):
``migrate``, ``load_demo --host 127.0.0.1 --port <port>``, the server on that port. It found
the toolbox linking to http://localhost/ (port 80, where nothing answers): decision aids stuck at
question 1, dead search results, redirects between communities to nowhere, Django's debug pages.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import processes
from tests.e2e.conftest import AsgiServer

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-zoals-geserveerd"
DECISION_AIDS = (
    "/toolbox/beslissen/moet-ik-dit-openbaar-maken/",
    "/toolbox/voorbereiden/licentiekiezer/",
)
RESET_LINK = re.compile(r"http://[^\s]+/accounts/password/reset/key/[^\s]+")


class Demo:
    def __init__(self, port, log):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.oost = f"http://oost.localhost:{port}"
        self.log = log

    def log_text(self):
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`make demo` on a fresh embedded default: its settings, its data, its Sites, its server."""
    folder = tmp_path_factory.mktemp("demo")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "DEBUG")
        and not key.startswith("DJANGO_")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "MEENT_DEMO_PASSWORD": PASSWORD,
            "PYTHONUNBUFFERED": "1",
            # the server's script imports the project from this checkout, not an installed copy.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    server = AsgiServer(env, folder / "server.log")  # its port is chosen here
    python = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_demo", "--quiet-accounts", "--host", "127.0.0.1", "--port", str(server.port)],
    ):
        result = subprocess.run(  # noqa: S603
            python + command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    server.start()
    try:
        yield Demo(server.port, server.log)
    finally:
        server.stop()


@pytest.fixture
def tab(browser, demo):
    """A Dutch browser tab that records what the Content-Security-Policy refused."""
    context = browser.new_context(base_url=demo.url, locale="nl-NL")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.refused = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.refused.append(message.text)
        ),
    )
    yield page
    context.close()


def test_decision_aids_walk_to_an_outcome_and_back(tab, demo):
    for start in DECISION_AIDS:
        assert tab.goto(start).status == 200
        for _ in range(15):
            answers = tab.locator("form.decision-step input[type=radio]")
            if answers.count() == 0:
                break
            answers.first.check()
            tab.get_by_role("button", name="Volgende").click()
            tab.wait_for_load_state()
            assert tab.url.startswith(demo.url + start), tab.url
        assert tab.get_by_text("Ons advies").count() or tab.locator("#share-url").count(), tab.url
        share = tab.locator("#share-url").input_value()
        assert share.startswith(demo.url + start), share
        # The shared link opens the same advice.
        assert tab.goto(share).status == 200 and tab.locator("#share-url").count() == 1
        changes = tab.get_by_role("link", name=re.compile("^Wijzig"))
        if changes.count():
            changes.first.click()
            assert tab.url.startswith(demo.url + start)
            assert tab.locator("form.decision-step input[type=radio]").count() > 0
        tab.goto(share)
        tab.get_by_role("link", name="Opnieuw beginnen").first.click()
        assert tab.url == demo.url + start
    assert tab.refused == []


def test_a_toolbox_search_result_leads_to_its_page(tab, demo):
    assert tab.goto("/search/?q=licentie").status == 200
    result = tab.locator(".search-hit__title a[href*='/toolbox/']").first
    href = result.get_attribute("href")
    assert href.startswith("/toolbox/") or href.startswith(demo.url), href
    with tab.expect_navigation() as navigation:
        result.click()
    assert navigation.value.status == 200
    assert tab.url.startswith(demo.url + "/toolbox/")


def test_a_group_leads_to_its_own_community(tab, demo):
    response = tab.goto(f"{demo.oost}/groups/open-source-overheid/")
    assert response.status == 200
    assert tab.url == f"{demo.url}/groups/open-source-overheid/"
    response = tab.goto(f"{demo.url}/groups/dijken-en-water/")
    assert response.status == 200
    assert tab.url == f"{demo.oost}/groups/dijken-en-water/"


def test_an_e_mail_link_leads_to_a_page_that_answers(tab, demo):
    tab.goto("/accounts/password/reset/")
    tab.get_by_label("E-mail").fill("anna.jansen@minbzk.nl")
    tab.locator("form").get_by_role("button").last.click()
    tab.wait_for_load_state()
    for _ in range(50):
        links = RESET_LINK.findall(demo.log_text())
        if links:
            break
        tab.wait_for_timeout(100)
    assert links, processes.tail(demo.log)
    assert links[-1].startswith(demo.url + "/"), links[-1]
    assert "Hallo van Meent" in demo.log_text()
    assert tab.goto(links[-1]).status == 200
    assert tab.locator("input[type=password]").count() >= 1


def test_a_missing_page_looks_like_the_product(tab, demo):
    response = tab.goto("/bestaat-niet/")
    assert response.status == 404
    html = tab.content()
    assert "URLconf" not in html and "Traceback" not in html
    assert tab.get_by_role("navigation", name="Hoofdmenu").count() or tab.locator("header").count()


def test_the_second_community_is_a_place_of_its_own(browser, demo):
    """Anna is in groups of both communities. On oost.localhost she sees Regio Oost's name, its
    group, its room and no group, room or post of the main community; on the main community the
    other way round."""
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    try:
        for base in (demo.oost, demo.url):  # one account, a sign-in per host
            tab.goto(f"{base}/accounts/login/")
            form = tab.locator("main form")
            form.locator("[name=login]").fill("anna.jansen@minbzk.nl")
            form.locator("[name=password]").fill(PASSWORD)
            form.locator("button[type=submit]").click()
            tab.wait_for_load_state()
        tab.goto(f"{demo.oost}/")
        assert "Regio Oost" in tab.locator("header").first.inner_text()
        assert "Meent" not in tab.title()
        groups = tab.goto(f"{demo.oost}/groups/") and tab.locator("main").inner_text()
        assert "Dijken en water" in groups and "Open source in de overheid" not in groups
        tab.goto(f"{demo.oost}/chat/")
        rooms = tab.locator("main").inner_text()
        assert "Dijken en water" in rooms and "Open source in de overheid" not in rooms
        tab.goto(f"{demo.oost}/blog/")
        oost_blog = tab.locator("main").inner_text()
        tab.goto(f"{demo.url}/blog/")
        main_blog = tab.locator("main").inner_text()
        main_titles = [
            title
            for title in tab.locator("main article h2, main .card__title").all_inner_texts()
            if title.strip()
        ]
        assert main_titles, main_blog
        assert not [title for title in main_titles if title in oost_blog], oost_blog
        tab.goto(f"{demo.url}/groups/")
        assert "Dijken en water" not in tab.locator("main").inner_text()
        assert "Regio Oost" not in tab.locator("header").first.inner_text()
    finally:
        context.close()
