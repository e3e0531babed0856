"""Stored XSS in the real browser: payloads stored in every kind of content never run.

A representative subset of the corpus (``tests/security/xss_corpus.py``: evenly spread over every
section, in proportion to its size) is stored in profiles, group names and descriptions, wiki
pages, blog posts, comments and chat messages (the chat ones typed into the room and delivered
live over the WebSocket to another person's open room). A reader then opens every page that shows
them. ``window.__xss`` is defined before any page script to count calls; the test fails if it was
ever called, if a dialog opened, if anything was loaded from ``evil.example``, or if the live DOM
holds an element or attribute that could run a script.

The browser context bypasses the site's Content-Security-Policy on purpose: the CSP forbids inline
scripts, so with it a payload that got through would be blocked and the test would prove nothing
about what is stored and shown. Without it, any live payload runs and is caught.
"""

import pytest
from playwright.sync_api import expect

from accounts.forms import ProfileForm
from blog import services as blog_services
from blog.services import PostInput, Publish
from chat import services as chat_services
from groups import services as group_services
from groups.forms import GroupForm
from groups.models import Group, Membership
from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import DEFAULT_PASSWORD, GroupFactory, MembershipFactory, UserFactory
from tests.security.xss_corpus import PAYLOADS, SECTIONS
from wiki import services as wiki_services

CHUNKS = 6
MARKER_SCRIPT = """
window.__xssHits = 0;
window.__xss = () => { window.__xssHits += 1; };
"""
# What in the live DOM could run a script or load something, wherever it came from.
DOM_SCAN = """
() => {
    const found = [];
    const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data",
                           "poster", "background", "srcset"];
    for (const element of document.querySelectorAll("*")) {
        const tag = element.tagName.toLowerCase();
        if (["iframe", "frame", "object", "embed", "applet", "base", "portal"].includes(tag)) {
            found.push(`<${tag}>`);
        }
        if (tag === "meta" && element.hasAttribute("http-equiv")) found.push("<meta http-equiv>");
        if (tag === "script" && /__xss|evil\\.example/.test(element.textContent + element.src)) {
            found.push(`<script>${element.textContent.slice(0, 60)}`);
        }
        for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            const value = attribute.value.replace(/[\\u0000-\\u0020\\u007f]/g, "").toLowerCase();
            if (name.startsWith("on")) found.push(`<${tag} ${name}=${attribute.value.slice(0, 40)}>`);
            if (name === "srcdoc") found.push(`<${tag} srcdoc>`);
            if (urlAttributes.includes(name) && /^(javascript|vbscript|data):/.test(value)) {
                found.push(`<${tag} ${name}=${attribute.value.slice(0, 40)}>`);
            }
            if (name === "style" && /url\\(|expression|@import|-moz-binding/.test(value)) {
                found.push(`<${tag} style=${attribute.value.slice(0, 40)}>`);
            }
        }
    }
    return found;
}
"""


def representative(total=40):
    """About ``total`` payloads, evenly spread over each section (at least two per section)."""
    chosen = []
    for section in SECTIONS.values():
        count = max(2, round(total * len(section) / len(PAYLOADS)))
        chosen += [section[number * len(section) // count] for number in range(count)]
    return chosen


CHOSEN = representative()


def chunks(items, count=CHUNKS):
    return [items[number::count] for number in range(count)]


@pytest.fixture
def asgi_env():
    return {"MEENT_CHAT_RATE": "10000"}  # the whole subset typed in a few seconds


@pytest.fixture
def reader_pages(browser, asgi_server, browser_locale, sign_in):
    """``open_as(user)``: a signed-in page in a context of its own, with the marker defined and
    every dialog, request to evil.example and JavaScript error recorded."""
    contexts = []

    def open_as(user):
        context = browser.new_context(
            base_url=asgi_server.url,
            locale=browser_locale,
            viewport={"width": 1280, "height": 900},
            bypass_csp=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        context.add_init_script(MARKER_SCRIPT)
        contexts.append(context)
        tab = context.new_page()
        tab.problems = []

        def on_dialog(dialog):
            tab.problems.append(f"dialog: {dialog.type} {dialog.message}")
            dialog.dismiss()

        tab.on("dialog", on_dialog)
        tab.on("pageerror", lambda error: tab.problems.append(f"JavaScript error: {error}"))

        def block_evil(route):
            tab.problems.append(f"request to {route.request.url}")
            route.abort()

        context.route("**/*evil.example*", block_evil)
        sign_in(tab, user.email, DEFAULT_PASSWORD)
        expect(tab.locator("header")).to_contain_text(user.display_name)
        return tab

    yield open_as
    for context in contexts:
        context.close()


def inspect(tab, what, problems):
    """Move the pointer over the page (hover handlers), then collect what ran or could run."""
    for x, y in ((20, 20), (640, 300), (640, 600), (1200, 850)):
        tab.mouse.move(x, y)
    tab.keyboard.press("Tab")
    hits = tab.evaluate("window.__xssHits")
    if hits:
        problems.append(f"{what}: window.__xss() ran {hits} time(s)")
    problems.extend(f"{what}: {finding}" for finding in tab.evaluate(DOM_SCAN))
    problems.extend(f"{what}: {problem}" for problem in tab.problems)
    tab.problems.clear()


def visit(tab, url, what, problems):
    response = tab.goto(url)
    assert response.status == 200, (url, response.status)
    inspect(tab, what, problems)


def test_the_detector_sees_a_payload_that_runs(browser):
    """The checks below are not blind: unsanitised markup in a page is seen and counted."""
    context = browser.new_context(bypass_csp=True)
    try:
        context.add_init_script(MARKER_SCRIPT)
        context.route(
            "http://xss.test/",
            lambda route: route.fulfill(
                content_type="text/html",
                body=f"<p>Tekst</p>{PAYLOADS[0]}<img src=x onerror=window.__xss()>"
                "<a href='javascript:window.__xss()'>x</a>",
            ),
        )
        tab = context.new_page()
        tab.problems = []
        tab.goto("http://xss.test/")
        tab.wait_for_function("window.__xssHits >= 2")
        problems = []
        inspect(tab, "self-test", problems)
        assert any("window.__xss() ran" in problem for problem in problems), problems
        assert any("onerror" in problem for problem in problems), problems
        assert any("javascript:" in problem for problem in problems), problems
    finally:
        context.close()


def _profile(index, chunk, group):
    person = UserFactory(email=f"xss{index}@voorbeeld.nl", first_name="Tijdelijk")
    data = {
        "first_name": chunk[0][:150],
        "last_name": chunk[1 % len(chunk)][:150],
        "job_title": chunk[2 % len(chunk)][:150],
        "about": "\n".join(chunk)[:5000],
        "avatar_alt": "",
    }
    form = ProfileForm(data, instance=person)
    if not form.is_valid():  # e.g. a NUL character in a name: the rest still goes in
        data.update(first_name=f"Persoon {index}", last_name="Voorbeeld")
        # A NUL character is refused in any text field (the form says so): leave it out.
        data.update({name: value.replace("\x00", "") for name, value in data.items()})
        form = ProfileForm(data, instance=person)
    assert form.is_valid(), form.errors
    form.save()
    MembershipFactory(group=group, user=person)
    return person


def _group(index, chunk, owner):
    def data(name):
        return {
            "name": name,
            "slug": f"xss-{index}",
            "description": "\n".join(chunk)[:2000],
            "avatar_alt": "",
            "membership_policy": Group.MembershipPolicy.OPEN,
            "visibility": Group.Visibility.LISTED,
            "content_default": Group.ContentDefault.OPEN,
            "wiki_enabled": "on",
            "blog_enabled": "on",
            "chat_enabled": "on",
            "members_tab_enabled": "on",
        }

    form = GroupForm(data(chunk[0][:120]))
    if not form.is_valid():
        values = data(f"Groep {index}")
        # A NUL character is refused in any text field (the form says so): leave it out.
        values["description"] = values["description"].replace("\x00", "")
        form = GroupForm(values)
    assert form.is_valid(), form.errors
    return group_services.create_group(owner, form.save(commit=False))


def _wiki_page(index, chunk, author, group):
    values = {"body": "\n".join(chunk), "summary": chunk[-1]}
    try:
        return wiki_services.create_page(
            author, group, title=f"XSS {index} {chunk[0]}"[:200], **values
        )
    except wiki_services.WikiError:
        return wiki_services.create_page(author, group, title=f"XSS {index}", **values)


def _post(index, chunk, author):
    values = {
        "title": f"XSS {index} {chunk[0]}"[:200],
        "body": "\n".join(chunk),
        "summary": chunk[1 % len(chunk)][:300],
        "tags": chunk[2 % len(chunk)][:100],
        "publish": Publish.NOW,
    }
    for _attempt in range(3):
        try:
            return blog_services.save_post(author, PostInput(**values))
        except blog_services.BlogError as error:  # a refused title or tag: the rest goes in
            assert error.field in ("title", "tags"), error
            values[error.field] = f"XSS {index}" if error.field == "title" else ""
    raise AssertionError(f"post {index} was refused")


def test_stored_payloads_never_run_in_the_browser(reader_pages, t):
    assert 35 <= len(CHOSEN) <= 60
    assert set(CHOSEN) <= set(PAYLOADS) and len(set(CHOSEN)) == len(CHOSEN)
    author = UserFactory(first_name="Anna", last_name="Auteur", email="anna@voorbeeld.nl")
    reader = UserFactory(first_name="Rob", last_name="Lezer", email="rob@voorbeeld.nl")
    home = GroupFactory(name="Proeftuin", slug="proeftuin", content_default="open")
    MembershipFactory(group=home, user=author, role=Membership.Role.OWNER)
    MembershipFactory(group=home, user=reader)

    parts = chunks(CHOSEN)
    people = [_profile(index, chunk, home) for index, chunk in enumerate(parts)]
    groups = [_group(index, chunk, author) for index, chunk in enumerate(parts)]
    pages = [_wiki_page(index, chunk, author, home) for index, chunk in enumerate(parts)]
    posts = [_post(index, chunk, author) for index, chunk in enumerate(parts)]
    comments = 0
    for payload in CHOSEN:
        try:
            blog_services.add_comment(reader, posts[0], payload)
        except blog_services.BlogError:  # nothing but markup: with words around it, it is kept
            blog_services.add_comment(reader, posts[0], f"Zie: {payload}")
        comments += 1

    problems = []
    reading = reader_pages(reader)
    writing = reader_pages(author)

    # Chat: the author types every payload into the group's room; the reader has it open and
    # gets each message live over the WebSocket (rendered by the room's script).
    room = chat_services.room_for_group(home)
    visit(reading, room.get_absolute_url(), "chat room, before", problems)
    visit(writing, room.get_absolute_url(), "chat room, author", problems)
    expected = 0
    field = writing.locator("main form[data-chat-form] textarea")
    limit = int(field.get_attribute("maxlength"))
    acknowledged = writing.locator("[data-chat-messages] .chat-message[id]")
    for payload in CHOSEN:
        typed = payload[:limit]  # what the message field takes
        try:
            chat_services.clean_body(typed)
        except chat_services.ChatError:
            continue  # the server refuses it (nothing but markup): nothing to deliver
        expected += 1
        field.fill(typed)
        field.press("Enter")
        expect(acknowledged).to_have_count(expected)  # stored and acknowledged by the server
    live = reading.locator("[data-chat-messages] .chat-message")
    expect(live).to_have_count(expected)
    assert expected >= len(CHOSEN) // 2
    inspect(reading, "chat room, live", problems)
    visit(reading, room.get_absolute_url(), "chat room, reloaded", problems)
    # The room opens 20 messages above the last one read: when the page had already told the
    # server it read them all, the first few wait behind "Load older messages".
    older = reading.locator("[data-chat-older]")
    if live.count() < expected and older.count():
        expect(older).to_be_visible()
        older.click()
    expect(live).to_have_count(expected)
    inspect(reading, "chat room, reloaded with older messages", problems)

    # Everything else, as the reader finds it.
    visit(reading, "/groups/", "groups list", problems)
    for group in groups:
        visit(reading, group.get_absolute_url(), f"group {group.slug}", problems)
    visit(reading, f"/groups/{home.slug}/members/", "members", problems)
    for person in people:
        visit(reading, person.get_absolute_url(), f"profile {person.email}", problems)
    visit(reading, f"/groups/{home.slug}/wiki/", "wiki index", problems)
    for page in pages:
        visit(reading, page.get_absolute_url(), f"wiki page {page.slug}", problems)
    visit(reading, f"/groups/{home.slug}/wiki/-/{pages[0].pk}/history/", "wiki history", problems)
    visit(reading, "/blog/", "blog list", problems)
    for post in posts:
        visit(reading, post.get_absolute_url(), f"blog post {post.slug}", problems)
    visit(reading, posts[0].get_absolute_url(), "blog post with comments", problems)
    expect(reading.locator(".comment__body")).to_have_count(comments)
    visit(reading, "/search/?q=window", "search results", problems)
    expect(reading.locator("main")).to_contain_text("XSS")

    assert not problems, "\n".join(problems)
