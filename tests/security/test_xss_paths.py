"""The whole XSS corpus through every real path that stores user text or HTML.

``test_sanitize_corpus.py`` proves the sanitiser on its own; this file proves that every save path
actually uses it (or refuses the input), through the apps' own services and forms:

* what is STORED is checked with ``tests.security.html_safety`` (rich text: ``assert_safe_html``;
  plain text that the app cleans: ``assert_plain_text``);
* saving the stored value again through the same path changes nothing;
* the pages that show it (through the test client), rendered Wagtail blocks and the wiki's diff
  contain no live payload element: no new script-capable element, no event-handler attribute, no
  ``srcdoc``, no script-capable URL, no CSS that loads or runs something, no script text that calls
  the marker, compared with the same page showing a harmless value (``live_findings``).

One test per path runs the whole corpus in a loop and reports every failing payload at once, so the
file stays fast (one database, one client) and a failure names the payload, its section and what
was wrong. Fields that a path stores as typed (names) are plain text that the templates escape: for
those the rendered page is the check.
"""

import functools
import html as html_lib
import json
import re
import uuid
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from wagtail.blocks import StreamValue
from wagtail.models import Site

from accounts.forms import ProfileForm
from accounts.models import User
from activity import services as activity_services
from blog import services as blog_services
from blog.models import Comment, Post
from blog.services import PostInput, Publish
from chat import services as chat_services
from chat.models import Message
from groups import services as group_services
from groups.forms import GroupForm
from groups.models import Group
from home.models import HomePage
from meent import access, sanitize
from search.indexing import drain_outbox
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.security.html_safety import (
    FORBIDDEN_TAGS,
    SCRIPT_SCHEMES,
    URL_ATTRIBUTES,
    assert_plain_text,
    assert_safe_html,
)
from tests.security.xss_corpus import MARKER_CALL, PAYLOAD_SECTIONS, PAYLOADS, SECTIONS
from tests.toolbox.factories import ToolboxArticlePageFactory
from themes import tokens
from themes.css import build_css
from themes.models import ThemeSettings
from toolbox.blocks import ArticleBodyBlock
from toolbox.models import ToolboxIndexPage
from toolbox.publiccode.models import PublicCodeToolPage
from wiki import rendering as wiki_rendering
from wiki import services as wiki_services
from wiki import views as wiki_views

pytestmark = pytest.mark.django_db

CORPUS = list(zip(range(len(PAYLOADS)), PAYLOAD_SECTIONS, PAYLOADS, strict=True))
HARMLESS = "Veilige tekst"

# --- Finding live payload elements in a whole rendered page ------------------------------------

_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
_CSS_DANGER = ("url(", "expression", "@import", "behavior", "-moz-binding", "javascript:")


class _PageScan(HTMLParser):
    """What in a page could run code or load something: counted, so that a page showing a payload
    can be compared with the same page showing a harmless value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.risky = Counter()
        self.marker_code: list[str] = []
        self._raw_tag: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS and not (tag == "form" and self._own_form(attrs)):
            self.risky[f"<{tag}> element"] += 1
        for name, value in attrs:
            name, value = name.lower(), value or ""
            if name.startswith("on"):
                self.risky[f"<{tag} {name}=…> event handler"] += 1
                if "__xss" in value:
                    self.marker_code.append(f"<{tag} {name}={value[:60]!r}>")
            elif name == "srcdoc":
                self.risky[f"<{tag} srcdoc>"] += 1
            if name in URL_ATTRIBUTES:
                for url in value.split(",") if name == "srcset" else [value]:
                    if _URL_NOISE.sub("", url).lower().startswith(SCRIPT_SCHEMES):
                        self.risky[f"<{tag} {name}=script-capable URL>"] += 1
            if name == "style" and any(bad in value.lower() for bad in _CSS_DANGER):
                self.risky[f"<{tag} style> loads or runs something"] += 1
            if name in {"http-equiv", "formaction", "xlink:href"}:
                self.risky[f"<{tag} {name}>"] += 1
        if tag in {"script", "style"}:
            self._raw_tag = tag

    @staticmethod
    def _own_form(attrs):
        """The site's own forms (a like button per comment, a reply form...) post to a path of
        the site; a payload's form has no action, or one elsewhere."""
        action = dict(attrs).get("action") or ""
        return action.startswith("/") and not action.startswith("//")

    def handle_endtag(self, tag):
        if tag == self._raw_tag:
            self._raw_tag = None

    def handle_data(self, data):
        if self._raw_tag and ("__xss" in data or "evil.example" in data):
            self.marker_code.append(f"<{self._raw_tag}>{data[:80]!r}")


def _scan(page: str) -> _PageScan:
    scan = _PageScan()
    scan.feed(page)
    scan.close()
    return scan


def live_findings(page: str, baseline: str | _PageScan) -> list[str]:
    """Live payload elements in ``page`` that the same page with a harmless value does not have."""
    base = baseline if isinstance(baseline, _PageScan) else _scan(baseline)
    scan = _scan(page)
    findings = [f"{what} (+{n})" for what, n in (scan.risky - base.risky).items()]
    findings += [f"marker code in {where}" for where in scan.marker_code]
    return findings


def _page(client, url, **params) -> str:
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


class Failures:
    """Collects every failing payload of a path; the assertion at the end lists them all."""

    def __init__(self):
        self.items: list[str] = []

    def add(self, index: int | None, what: str, problem) -> None:
        where = "all payloads" if index is None else f"#{index:03d} {PAYLOAD_SECTIONS[index]}"
        self.items.append(f"{where} [{what}]: {problem}")

    def check(self, index: int, what: str, check, *args) -> None:
        try:
            check(*args)
        except AssertionError as error:
            self.add(index, what, str(error)[:600])

    def page(self, index: int | None, what: str, page: str, baseline) -> None:
        findings = live_findings(page, baseline)
        if findings:
            self.add(index, what, findings)

    def assert_none(self) -> None:
        assert not self.items, f"{len(self.items)} failures:\n" + "\n".join(self.items[:60])


def _same(stored, again):
    assert again == stored, f"expected {stored!r}, got {again!r}"


# --- The page scanner itself -------------------------------------------------------------------


def test_live_findings_sees_what_the_sanitiser_would_have_removed():
    baseline = "<html><body><script src=/static/app.js></script><p>Veilige tekst</p></body></html>"
    for payload in (
        f"<img src=x onerror={MARKER_CALL}>",
        f"<script>{MARKER_CALL}</script>",
        f'<a href="jav&#x09;ascript:{MARKER_CALL}">x</a>',
        '<iframe srcdoc="&lt;b&gt;"></iframe>',
        '<p style="background:url(x)">x</p>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        f'<form><button formaction="javascript:{MARKER_CALL}">x</button></form>',
    ):
        page = baseline.replace("Veilige tekst", payload)
        assert live_findings(page, baseline), payload
    escaped = baseline.replace("Veilige tekst", html_lib.escape(PAYLOADS[0]))
    assert live_findings(escaped, baseline) == []
    assert live_findings(baseline, baseline) == []


# --- Pages that list many stored items: every page of the list -----------------------------------


def _every_page(client, url, params=None, *, per_page=None, total=None, limit=60):
    """The HTML of page 1, 2, ... of a paginated list: until the list has no link to a next page,
    or, for a list without page links, as many pages as ``total`` items make."""
    count = -(-total // per_page) if per_page else limit
    pages = []
    for number in range(1, count + 1):
        html = _page(client, url, **{**(params or {}), "page": number})
        pages.append(html)
        if not per_page and f"page={number + 1}" not in html:
            break
    return pages


def _check_list(failures, client, url, what) -> list[str]:
    """Every page of the list at ``url``, checked against its own page 1 as it was before (the
    baseline); returns the pages."""
    baseline = _scan(_page(client, url))
    pages = _every_page(client, url)
    for number, html in enumerate(pages, 1):
        failures.page(None, f"{what} page {number}", html, baseline)
    return pages


def _check_search(failures, client, params) -> list[str]:
    """Every page of search results for ``params``, checked against a harmless search; returns
    the pages (the test asserts that something was found)."""
    search = reverse("search:search")
    baseline = _scan(_page(client, search, q=HARMLESS))
    results = _every_page(client, search, params)
    for number, html in enumerate(results, 1):
        failures.page(None, f"search results page {number}", html, baseline)
    return results


# Full pages are expensive (40-100 ms each on a loaded machine): a page that shows one stored
# item is rendered for every PAGE_STRIDE-th payload (every section is covered, since each has more
# than PAGE_STRIDE payloads), lists and whole threads for all of them. The stored values, the
# save-again check and the app's own rendering functions run for every payload.
PAGE_STRIDE = 6


def _page_sample(index, offset=0):
    return index % PAGE_STRIDE == offset % PAGE_STRIDE


def test_page_sample_covers_every_section():
    for offset in range(PAGE_STRIDE):
        sampled = {section for index, section, _ in CORPUS if _page_sample(index, offset)}
        assert sampled == set(SECTIONS)


# --- People: the profile (accounts) ------------------------------------------------------

_PROFILE_LIMITS = {"first_name": 150, "last_name": 150, "job_title": 150, "avatar_alt": 200}


def _profile_data(person):
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "about": person.about,
        "avatar_alt": person.avatar_alt,
    }


def test_profile_fields_store_plain_text_and_render_escaped(client):
    person = UserFactory(first_name="Pim", last_name="Profiel")
    viewer = UserFactory()
    client.force_login(viewer)
    url = person.get_absolute_url()
    baseline = _scan(_page(client, url))
    failures, stored_count = Failures(), 0
    for index, _section, payload in CORPUS:
        data = {name: payload[:limit] for name, limit in _PROFILE_LIMITS.items()}
        data["about"] = payload
        before = _profile_data(person)
        form = ProfileForm(data, instance=person)
        if not form.is_valid():
            person.refresh_from_db()
            failures.check(index, "refused: nothing stored", _same, before, _profile_data(person))
            continue
        form.save()
        stored_count += 1
        person.refresh_from_db()
        failures.check(index, "about", assert_plain_text, person.about)
        again = ProfileForm(_profile_data(person), instance=User.objects.get(pk=person.pk))
        if not again.is_valid():
            failures.add(index, "save again", f"stored values refused: {again.errors}")
        else:
            again.save()
            failures.check(
                index,
                "save again",
                _same,
                _profile_data(person),
                _profile_data(User.objects.get(pk=person.pk)),
            )
        if _page_sample(index):
            failures.page(index, "profile page", _page(client, url), baseline)
    failures.assert_none()
    assert stored_count > len(PAYLOADS) * 0.9  # the corpus really went through


# --- Groups: name and description --------------------------------------------------------------


def _group_data(name, slug, description):
    return {
        "name": name,
        "slug": slug,
        "description": description,
        "avatar_alt": "",
        "membership_policy": Group.MembershipPolicy.OPEN,
        "visibility": Group.Visibility.LISTED,
        "content_default": Group.ContentDefault.OPEN,
        "wiki_enabled": "on",
        "blog_enabled": "on",
        "chat_enabled": "on",
        "members_tab_enabled": "on",
    }


def test_group_name_and_description_store_plain_text_and_render_escaped(client):
    owner = UserFactory()
    client.force_login(owner)
    harmless = GroupForm(_group_data(HARMLESS, "veilig", HARMLESS))
    assert harmless.is_valid(), harmless.errors
    harmless_group = group_services.create_group(owner, harmless.save(commit=False))
    baseline = _scan(_page(client, harmless_group.get_absolute_url()))
    failures, created = Failures(), []
    for index, _section, payload in CORPUS:
        form = GroupForm(_group_data(payload[:120], f"xss-{index}", payload))
        if not form.is_valid():
            failures.check(
                index,
                "refused: nothing stored",
                _same,
                False,
                Group.objects.filter(slug=f"xss-{index}").exists(),
            )
            continue
        group = group_services.create_group(owner, form.save(commit=False))
        created.append(index)
        group.refresh_from_db()
        failures.check(index, "description", assert_plain_text, group.description)
        stored = (group.name, group.description)
        again = GroupForm(_group_data(group.name, group.slug, group.description), instance=group)
        if not again.is_valid():
            failures.add(index, "save again", f"stored values refused: {again.errors}")
        else:
            again.save()
            group.refresh_from_db()
            failures.check(index, "save again", _same, stored, (group.name, group.description))
        if _page_sample(index, 1):
            html = _page(client, group.get_absolute_url())
            failures.page(index, "group home", html, baseline)
    # The list of groups shows the names and descriptions of twenty groups on each page.
    list_baseline = _scan(_page(client, reverse("groups:list"), q=HARMLESS))
    pages = _every_page(client, reverse("groups:list"))
    for number, html in enumerate(pages, 1):
        failures.page(None, f"groups list page {number}", html, list_baseline)
    failures.assert_none()
    assert len(created) > len(PAYLOADS) * 0.9
    assert len(pages) > len(created) // 20  # every group was listed


# --- Wiki: page body, title and revision summary -----------------------------------------------

_WIKI_RENDER_ATTRIBUTES = {
    **{key: list(value) for key, value in sanitize.ALLOWED_ATTRIBUTES.items()},
    **{heading: ["id"] for heading in ("h2", "h3", "h4", "h5", "h6")},
}


@pytest.fixture
def wiki_group(db):
    group = GroupFactory(slug="kennisbank", name="Kennisbank", content_default="open")
    member = UserFactory(first_name="Lies", last_name="Lid")
    MembershipFactory(group=group, user=member, role="owner")
    access.forget_memberships(member)
    group.member = member
    return group


def test_wiki_body_title_and_summary_are_stored_safely_and_rendered_safely(client, wiki_group):
    member = wiki_group.member
    client.force_login(member)
    request = RequestFactory().get("/")
    request.user = member
    page = wiki_services.create_page(member, wiki_group, title=HARMLESS, body=f"<p>{HARMLESS}</p>")
    baseline = _scan(_page(client, page.get_absolute_url()))
    history = reverse("wiki:history", args=[wiki_group.slug, page.pk])
    history_baseline = _scan(_page(client, history))
    compare = reverse("wiki:compare", args=[wiki_group.slug, page.pk])
    wiki_services.save_page(
        member, page, base_revision=1, title=HARMLESS, body=f"<p>{HARMLESS}.</p>"
    )
    page.refresh_from_db()
    compare_baseline = _scan(_page(client, compare))
    failures, refused_titles = Failures(), 0
    for index, _section, payload in CORPUS:
        previous_body = page.body
        save = functools.partial(
            wiki_services.save_page,
            member,
            page,
            base_revision=page.revision_number,
            body=payload,
            summary=payload,
        )
        try:
            revision = save(title=f"{index} {payload}"[:200])
        except wiki_services.WikiError as error:
            # A title refused (nothing but markup, or [[ ]] in it): the body still goes in.
            assert error.field == "title", error.message
            refused_titles += 1
            revision = save(title=f"Pagina {index}")
        page.refresh_from_db()
        failures.check(index, "body", assert_safe_html, page.body)
        failures.check(index, "title", assert_plain_text, page.title)
        failures.check(index, "summary", assert_plain_text, revision.summary)
        failures.check(index, "revision body", _same, page.body, revision.body)
        stored = (page.title, page.body, revision.summary)
        # The stored text with a paragraph added, and the stored summary, are kept as they are.
        again = wiki_services.save_page(
            member,
            page,
            base_revision=page.revision_number,
            title=stored[0],
            body=stored[1] + "<p>Aangevuld</p>",
            summary=stored[2],
        )
        failures.check(
            index,
            "save again, edited",
            _same,
            (stored[0], stored[1] + "<p>Aangevuld</p>", stored[2]),
            (again.title, again.body, again.summary),
        )
        page.refresh_from_db()
        # What the page view shows: links resolved and ids on headings; and the diff view.
        body, _toc = wiki_views.render_page_body(request, wiki_group, page)
        failures.check(
            index,
            "rendered body",
            lambda html: assert_safe_html(html, allowed_attributes=_WIKI_RENDER_ATTRIBUTES),
            str(body),
        )
        failures.page(index, "diff", str(wiki_rendering.diff_html(previous_body, stored[1])), "")
        if _page_sample(index):
            failures.page(index, "page view", _page(client, page.get_absolute_url()), baseline)
        if _page_sample(index, 3):
            html = _page(client, compare, to=again.number - 1)
            failures.page(index, "compare view", html, compare_baseline)
    # Every summary at once: the page's history, fifty revisions a page.
    # (The history has no links to its older pages: they are asked for by number.)
    pages = _every_page(client, history, per_page=50, total=page.revision_number)
    for number, html in enumerate(pages, 1):
        failures.page(None, f"history page {number}", html, history_baseline)
    failures.assert_none()
    assert page.revision_number > 2 * len(PAYLOADS)  # the corpus really went through
    assert refused_titles < len(PAYLOADS) * 0.2
    assert sum(html.count('scope="row"') for html in pages) >= page.revision_number


# --- Blog: post title, summary, body, tags; comments ----------------------------------------------


@pytest.fixture
def bloggers(db):
    return {
        "author": UserFactory(first_name="Bram", last_name="Blogger"),
        "reader": UserFactory(first_name="Roos", last_name="Lezer"),
    }


def _post_values(post):
    return (post.title, post.summary, post.body, sorted(post.tags.values_list("name", flat=True)))


def test_blog_posts_are_stored_safely_and_rendered_safely(client, bloggers):
    author = bloggers["author"]
    client.force_login(bloggers["reader"])
    # The reader follows the author: every post is a line of what is new for them.
    activity_services.follow(bloggers["reader"], author)
    harmless = blog_services.save_post(
        author, PostInput(title=HARMLESS, body=f"<p>{HARMLESS}</p>", publish=Publish.NOW)
    )
    baseline = _scan(_page(client, harmless.get_absolute_url()))
    start_baseline = _scan(_page(client, "/"))
    failures, created = Failures(), []
    for index, _section, payload in CORPUS:
        data = PostInput(
            title=f"{index} {payload}"[:200],
            body=payload,
            summary=payload[:300],
            tags=payload[:100],
            publish=Publish.NOW,
        )
        try:
            post = blog_services.save_post(author, data)
        except blog_services.BlogError as error:
            failures.check(
                index,
                f"refused ({error})",
                _same,
                0,
                Post.objects.filter(title__startswith=f"{index} ").count(),
            )
            continue
        created.append(post.pk)
        post.refresh_from_db()
        failures.check(index, "body", assert_safe_html, post.body)
        failures.check(index, "title", assert_plain_text, post.title)
        failures.check(index, "summary", assert_plain_text, post.summary)
        for tag in post.tags.all():
            failures.check(index, "tag", assert_plain_text, tag.name)
        stored = _post_values(post)
        again = PostInput(
            title=post.title,
            body=post.body,
            summary=post.summary,
            tags=", ".join(stored[3]),
            publish=Publish.NOW,
        )
        post = blog_services.save_post(author, again, post=post)
        post.refresh_from_db()
        failures.check(index, "save again", _same, stored, _post_values(post))
        if _page_sample(index, 2):
            failures.page(index, "post page", _page(client, post.get_absolute_url()), baseline)
    # What is new (the start page, the digest): every post's line, rendered as the pages do,
    # and the start page itself.
    lines = activity_services.lines(activity_services.news_entries(bloggers["reader"]))
    assert len(lines) >= len(created)
    html = render_to_string("activity/_lines.html", {"lines": lines})
    failures.page(None, "what is new: every line", html, "")
    failures.page(None, "start page", _page(client, "/"), start_baseline)
    list_baseline = _scan(_page(client, reverse("blog:list")))
    pages = _every_page(client, reverse("blog:list"))
    for number, html in enumerate(pages, 1):
        failures.page(None, f"blog list page {number}", html, list_baseline)
    # Search: titles and snippets of the stored posts, and the query itself shown back.
    drain_outbox()
    search = reverse("search:search")
    search_baseline = _scan(_page(client, search, q=HARMLESS))
    results = _every_page(client, search, {"q": "window xss"})
    for number, html in enumerate(results, 1):
        failures.page(None, f"search results page {number}", html, search_baseline)
    for index, _section, payload in CORPUS:
        if _page_sample(index, 4):
            html = _page(client, search, q=payload[:200])
            failures.page(index, "search for the payload", html, search_baseline)
    failures.assert_none()
    assert len(created) > len(PAYLOADS) * 0.9
    assert len(pages) > len(created) // 20
    assert len(results) > 1  # the stored posts are found


def test_blog_comments_are_stored_as_plain_text_and_rendered_escaped(client, bloggers):
    author, reader = bloggers["author"], bloggers["reader"]
    post = blog_services.save_post(
        author, PostInput(title="Reacties", body="<p>Reageer maar</p>", publish=Publish.NOW)
    )
    client.force_login(reader)
    blog_services.add_comment(reader, post, HARMLESS)
    baseline = _scan(_page(client, post.get_absolute_url()))
    failures, created, refused = Failures(), 0, 0
    for index, _section, payload in CORPUS:
        before = Comment.objects.count()
        try:
            comment = blog_services.add_comment(reader, post, payload)
        except blog_services.BlogError:
            # Nothing but markup: refused, nothing stored. With words around it, it is stored.
            failures.check(index, "refused: nothing stored", _same, before, Comment.objects.count())
            refused += 1
            comment = blog_services.add_comment(reader, post, f"Zie {index}: {payload}")
        created += 1
        comment.refresh_from_db()
        failures.check(index, "comment", assert_plain_text, comment.body)
        stored = comment.body
        blog_services.edit_comment(reader, comment, stored)
        comment.refresh_from_db()
        failures.check(index, "save again", _same, stored, comment.body)
    # The post page shows the whole thread: every stored comment through the comment filter.
    html = _page(client, post.get_absolute_url())
    failures.page(None, "post page with all comments", html, baseline)
    failures.assert_none()
    assert created == len(PAYLOADS)
    assert refused < len(PAYLOADS) / 2
    assert html.count('class="comment__body"') >= created


# --- Chat: messages ----------------------------------------------------------------------------


def test_chat_messages_are_stored_as_plain_text_and_rendered_escaped(client, settings):
    settings.MEENT_CHAT_RATE = 100_000  # the whole corpus from one person, at once
    group = GroupFactory(slug="praatgroep", name="Praatgroep")
    author, viewer = UserFactory(), UserFactory()
    MembershipFactory(group=group, user=author, role="owner")
    MembershipFactory(group=group, user=viewer, role="member")
    access.forget_memberships(author)
    access.forget_memberships(viewer)
    room = chat_services.room_for_group(group)
    chat_services.post_message(room, author, "harmless", HARMLESS)
    client.force_login(viewer)
    baseline = _scan(_page(client, room.get_absolute_url()))
    failures, created, refused = Failures(), 0, 0
    for index, _section, payload in CORPUS:
        try:
            posted = chat_services.post_message(room, author, f"xss-{index}", payload)
        except chat_services.ChatError as error:
            # Nothing but markup: refused, nothing stored. With words around it, it is stored.
            exists = Message.objects.filter(author=author, client_id=f"xss-{index}").exists()
            failures.check(index, f"refused ({error.code}): nothing stored", _same, False, exists)
            refused += 1
            posted = chat_services.post_message(
                room, author, f"xss-{index}-text", f"Zie {index}: {payload}"
            )
        created += 1
        message = posted.message
        message.refresh_from_db()
        failures.check(index, "message", assert_plain_text, message.body)
        failures.check(
            index, "sent to clients", assert_plain_text, chat_services.serialize(message)["body"]
        )
        stored = message.body
        chat_services.edit_message(message, author, stored)
        message.refresh_from_db()
        failures.check(index, "save again", _same, stored, message.body)
    # The room opens 20 messages before the first unread one and shows 200: read it in steps.
    seen = 0
    room.refresh_from_db()
    for last_read in range(0, room.messages.count() + 1, 150):
        chat_services.mark_read(room, viewer, last_read)
        html = _page(client, room.get_absolute_url())
        seen += html.count("chat-message__body")
        failures.page(None, f"room from message {last_read}", html, baseline)
    failures.assert_none()
    assert created == len(PAYLOADS)
    assert refused < len(PAYLOADS) / 2
    assert seen >= created


# --- Toolbox: rich text blocks (what the admin's editor posts) and plain-text blocks -----------

BODY = ArticleBodyBlock()
TEXT_BLOCK = BODY.child_blocks["text"]
# Wagtail's database format for the toolbox's features: blocks keyed by data-block-key, links
# with an href or a page/document reference.
_DB_TAGS = {"p", "h2", "h3", "b", "i", "ol", "ul", "li", "a", "br"}
_DB_ATTRIBUTES = {"*": ["data-block-key"], "a": ["href", "linktype", "id"]}
_URL_IN_PAYLOAD = re.compile(
    r"""(?:href|src|action|formaction|data|xlink:href|background|poster)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.IGNORECASE,
)
_BLOCK_TYPES = (
    "unstyled",
    "header-two",
    "header-three",
    "unordered-list-item",
    "ordered-list-item",
)


def editor_post(payload: str) -> str:
    """What the admin's rich-text editor (Draftail) posts, written by an attacker rather than the
    editor: every kind of block holding the payload as text, bold, and linked to the payload
    itself and to every URL in it (the editor's own checks run in the browser, not here)."""
    urls = [payload] + [
        html_lib.unescape(next(group for group in match.groups() if group is not None))
        for match in _URL_IN_PAYLOAD.finditer(payload)
    ][:4]
    text = payload or "x"
    blocks, entities = [], {}
    for number, kind in enumerate(_BLOCK_TYPES):
        ranges = []
        if number < len(urls):
            entities[str(number)] = {
                "type": "LINK",
                "mutability": "MUTABLE",
                "data": {"url": urls[number]},
            }
            ranges = [{"offset": 0, "length": len(text), "key": number}]
        blocks.append(
            {
                "key": f"k{number:04d}",
                "type": kind,
                "depth": 0,
                "text": text,
                "inlineStyleRanges": [{"offset": 0, "length": len(text), "style": "BOLD"}],
                "entityRanges": ranges,
                "data": {},
            }
        )
    return json.dumps({"blocks": blocks, "entityMap": entities})


def _posted_rich_text(contentstate: str) -> str:
    value = TEXT_BLOCK.value_from_datadict({"body": contentstate}, {}, "body")
    return TEXT_BLOCK.get_prep_value(value)


def _without_empty_links(stored: str) -> str:
    """``stored`` without the bare ``<a>`` the editor stores for a link whose URL it refused."""
    out, stack, position = [], [], 0
    for match in re.finditer(r"<a(?:\s[^>]*)?>|</a>", stored):
        out.append(stored[position : match.start()])
        position = match.end()
        if match.group() == "</a>":
            if not stack.pop():
                out.append("</a>")
        else:
            bare = match.group() == "<a>"
            stack.append(bare)
            if not bare:
                out.append(match.group())
    out.append(stored[position:])
    return "".join(out)


def _editor_normalised(stored: str) -> str:
    """What may differ when the editor opens stored text and saves it again, and is harmless: a
    link whose URL was refused disappears, line breaks become ``<br/>``, and white space at the
    start and end of a block is trimmed. Everything else must stay as it is."""
    text = _without_empty_links(stored).replace("<br/>", "\n")
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ?(<[^>]*>) ?", r"\1", text)


def _stream(raw):
    return StreamValue(BODY, raw, is_lazy=True)


def _render_stream(raw) -> str:
    request = RequestFactory().get("/")
    return "".join(child.render({"request": request}) for child in _stream(raw))


def _plain_blocks(text: str, rich: str) -> list[dict]:
    def item(value):
        return {"type": "item", "value": value, "id": str(uuid.uuid4())}

    return [
        {"type": "heading", "value": {"text": text[:200], "level": "h2"}, "id": str(uuid.uuid4())},
        {
            "type": "callout",
            "value": {"kind": "tip", "title": text[:100], "text": rich},
            "id": str(uuid.uuid4()),
        },
        {
            "type": "steps",
            "value": {"title": text[:100], "steps": [item({"title": text[:100], "text": rich})]},
            "id": str(uuid.uuid4()),
        },
        {
            "type": "faq",
            "value": {
                "title": text[:100],
                "items": [item({"question": text[:200], "answer": rich})],
            },
            "id": str(uuid.uuid4()),
        },
        {"type": "text", "value": rich, "id": str(uuid.uuid4())},
    ]


def test_toolbox_rich_text_from_the_editor_is_stored_and_rendered_safely(client, site_host):
    failures, blocks = Failures(), []
    baseline = _scan(_render_stream(_plain_blocks(HARMLESS, f"<p>{HARMLESS}</p>")))
    for index, _section, payload in CORPUS:
        stored = _posted_rich_text(editor_post(payload))
        # NUL characters: the form refuses them (see the test below); the rest must be safe.
        failures.check(
            index,
            "stored rich text",
            lambda html: assert_safe_html(
                html, allowed_tags=_DB_TAGS, allowed_attributes=_DB_ATTRIBUTES
            ),
            stored.replace("\x00", ""),
        )
        # Opening the stored text in the editor and saving it again: nothing but harmless
        # normalisation changes, and a second round changes nothing at all.
        again = _posted_rich_text(TEXT_BLOCK.field.widget.format_value(stored))
        failures.check(
            index, "save again", _same, _editor_normalised(stored), _editor_normalised(again)
        )
        twice = _posted_rich_text(TEXT_BLOCK.field.widget.format_value(again))
        failures.check(index, "save a third time", _same, again, twice)
        # Without NUL characters, which the form refuses (and PostgreSQL could not store).
        raw = _plain_blocks(payload, stored.replace("\x00", ""))
        try:
            BODY.clean(_stream(raw))  # the admin form's own validation (titles, questions...)
        except ValidationError:
            raw = _plain_blocks(f"Blok {index}", stored.replace("\x00", ""))
        blocks.extend(raw)
        failures.page(index, "rendered blocks", _render_stream(raw), baseline)
    # One article with every stored text and heading, as the toolbox shows it.
    article = ToolboxArticlePageFactory(
        title="Alles",
        slug="alles",
        body=blocks,
    )
    harmless = ToolboxArticlePageFactory(
        title="Veilig", slug="veilig", body=_plain_blocks(HARMLESS, f"<p>{HARMLESS}</p>")
    )
    html = _page(client, article.url)
    failures.page(None, "article page", html, _page(client, harmless.url))
    failures.assert_none()
    assert html.count("toolbox-text") >= len(PAYLOADS)


_NUL_PAYLOADS = [
    pytest.param(payload, id=f"{index:03d}-{section}")
    for index, section, payload in CORPUS
    if "\x00" in payload
]


def test_toolbox_rich_text_with_nul_characters_is_refused_by_the_form():
    """The editor's converter keeps NUL characters (PostgreSQL could not store them), but the
    block's form field refuses them with a message before anything is saved."""
    from wagtail.rich_text import RichText

    stored = [_posted_rich_text(editor_post(param.values[0])) for param in _NUL_PAYLOADS]
    with_nul = [html for html in stored if "\x00" in html]
    assert len(with_nul) >= 5
    for html in with_nul:
        with pytest.raises(ValidationError) as caught:
            TEXT_BLOCK.clean(RichText(html))
        assert any("Null" in message for message in caught.value.messages)


# --- Toolbox: the publiccode.yml generator and validator (reflected, nothing stored) -----------


@pytest.fixture
def publiccode_tool(site_host):
    home = HomePage.objects.first()
    index = home.add_child(instance=ToolboxIndexPage(title="Toolbox", slug="toolbox"))
    return index.add_child(
        instance=PublicCodeToolPage(
            title="publiccode.yml", slug="publiccode", introduction="Maak of controleer je bestand."
        )
    )


def _batches(size):
    for start in range(0, len(PAYLOADS), size):
        yield start, PAYLOADS[start : start + size]


_FILLER = "Samenwerken over de grenzen van organisaties heen, in groepen met wiki en chat. " * 3


def _generator_post(batch):
    first = batch[0]
    return {
        "name": first[:200],
        "url": "https://github.com/example/meent.git",
        "landing_url": "",
        "software_version": "1.0.0",
        "release_date": "2025-06-01",
        "development_status": "stable",
        "software_type": "standalone/web",
        "platforms": ["web"],
        "categories": ["collaboration"],
        "licence": "EUPL-1.2",
        "maintenance_type": "internal",
        "contact_1_name": batch[-1][:200],
        "contact_1_email": "eva@example.nl",
        "contact_2_name": "",
        "contact_2_email": "",
        "contractor_name": "",
        "contractor_until": "",
        "available_languages": ["nl"],
        "localisation_ready": "on",
        "description_nl_short": first[:150],
        # Long enough for the standard, so that most batches make a publiccode.yml.
        "description_nl_long": ("\r\n".join(batch)[:9000] + "\r\n" + _FILLER),
        "description_nl_features": "\r\n".join(p.replace("\n", " ")[:100] for p in batch),
        "description_en_short": "",
        "description_en_long": "",
        "description_en_features": "",
    }


def test_publiccode_tool_shows_every_payload_escaped(client, publiccode_tool):
    generator, validator = publiccode_tool.url, publiccode_tool.url + "validate/"
    generator_baseline = _scan(client.post(generator, _generator_post([HARMLESS])).content.decode())
    validator_baseline = _scan(client.post(validator, {"content": "name: x"}).content.decode())
    failures, results = Failures(), 0
    for start, batch in _batches(20):
        response = client.post(generator, _generator_post(batch), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        html = response.content.decode()
        results += "publiccode-output" in html
        failures.page(start, "generator", html, generator_baseline)
        document = {
            "publiccodeYmlVersion": "0.4",
            "name": batch[0],
            "url": batch[1 % len(batch)],
            "landingURL": batch[2 % len(batch)],
            "platforms": list(batch),
            "categories": list(batch),
            "developmentStatus": batch[3 % len(batch)],
            "softwareType": batch[4 % len(batch)],
            "description": {
                "nl": {"shortDescription": batch[5 % len(batch)], "features": list(batch)}
            },
            "legal": {"license": batch[6 % len(batch)]},
            "maintenance": {"type": "community", "contacts": [{"name": p} for p in batch]},
            batch[7 % len(batch)]: batch[8 % len(batch)],
        }
        response = client.post(
            validator, {"content": json.dumps(document)}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 200
        failures.page(start, "validator", response.content.decode(), validator_baseline)
    failures.assert_none()
    assert results > 0  # some batches made a publiccode.yml that the page shows


# --- Themes: every theme value is refused or normalised -------------------------------------------

_HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")
_SAFE_LENGTH = re.compile(r"(?:0|\d{1,3}(?:\.\d{1,4})?(?:px|rem|em))")
_SAFE_FONT_LIST = re.compile(r'[A-Za-z0-9 ,"-]+')


def test_theme_tokens_refuse_or_normalise_every_payload():
    failures, refused = Failures(), 0
    for index, _section, payload in CORPUS:
        for token in tokens.TOKENS:
            try:
                value = tokens.validate_token(token.name, payload)
            except ValidationError:
                refused += 1
                continue
            if token.type == tokens.COLOUR:
                ok = _HEX_COLOUR.fullmatch(value)
            elif token.type == tokens.LENGTH:
                ok = _SAFE_LENGTH.fullmatch(value)
            else:
                ok = _SAFE_FONT_LIST.fullmatch(value)
            if not ok:
                failures.add(index, token.name, f"accepted as {value!r}")
            elif tokens.validate_token(token.name, value) != value:
                failures.add(index, token.name, "not stable when validated again")
    failures.assert_none()
    assert refused == len(PAYLOADS) * len(tokens.TOKENS)  # no payload is a colour or a length


def test_theme_settings_colours_refuse_or_normalise_every_payload():
    site = Site.objects.get(is_default_site=True)
    failures, refused = Failures(), 0
    for index, _section, payload in CORPUS:
        for value in {payload, payload[:40]}:
            theme = ThemeSettings(site=site, primary_colour=value, secondary_colour=value)
            try:
                theme.full_clean(validate_unique=False)
            except ValidationError as error:
                fields = set(error.message_dict)
                if {"primary_colour", "secondary_colour"} <= fields:
                    refused += 1
                    continue
                failures.add(index, "theme settings", f"only {fields} refused")
                continue
            css = build_css(theme.base_theme, theme.overrides())
            lines = css.splitlines()[1:-1]
            if not all(
                re.fullmatch(r"  --[a-z-]+: (#[0-9a-f]{6}|[A-Za-z0-9 ,\"-]+);", line)
                for line in lines
            ):
                failures.add(index, "theme css", css)
    failures.assert_none()
    assert refused >= len(PAYLOADS)


# --- Events: title, description, address -----------------------------------------------------


def _event_values(event):
    return (event.title, event.description, event.location)


def test_events_are_stored_safely_and_rendered_safely(client, bloggers):
    """Every payload as an event's title, description (the editor's HTML) and address, saved by
    the services; the event page, the group's agenda, the community agenda and the month show
    them without a live element, and search shows their titles and snippets the same way."""
    import datetime

    from django.utils import timezone

    from events import services as event_services
    from events.models import Event
    from events.services import EventInput

    organiser, reader = bloggers["author"], bloggers["reader"]
    group = GroupFactory(slug="agenda-xss", content_default="open")
    MembershipFactory(group=group, user=organiser, role="owner")
    MembershipFactory(group=group, user=reader, role="member")
    client.force_login(reader)
    start = (timezone.now() + datetime.timedelta(days=3)).replace(minute=0, second=0, microsecond=0)

    def data(title, description, location):
        return EventInput(
            title=title,
            description=description,
            location=location,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )

    harmless = event_services.save_event(
        organiser, data(HARMLESS, f"<p>{HARMLESS}</p>", HARMLESS), group=group
    )
    baseline = _scan(_page(client, harmless.get_absolute_url()))
    agenda_url = reverse("group_agenda", args=[group.slug])
    agenda_baseline = _scan(_page(client, agenda_url))
    community_baseline = _scan(_page(client, reverse("events:agenda")))
    month_baseline = _scan(_page(client, reverse("events:month")))
    failures, created = Failures(), []
    for index, _section, payload in CORPUS:
        try:
            event = event_services.save_event(
                organiser, data(f"{index} {payload}"[:200], payload, payload[:300]), group=group
            )
        except event_services.EventError as error:
            refused = Event.objects.filter(title__startswith=f"{index} ").count()
            failures.check(index, f"refused ({error})", _same, 0, refused)
            continue
        created.append(event.pk)
        event.refresh_from_db()
        failures.check(index, "description", assert_safe_html, event.description)
        failures.check(index, "title", assert_plain_text, event.title)
        failures.check(index, "address", assert_plain_text, event.location)
        stored = _event_values(event)
        event = event_services.save_event(organiser, data(*stored), event=event)
        event.refresh_from_db()
        failures.check(index, "save again", _same, stored, _event_values(event))
        if _page_sample(index, 3):
            failures.page(index, "event page", _page(client, event.get_absolute_url()), baseline)
    for url, list_baseline, what in (
        (agenda_url, agenda_baseline, "group agenda"),
        (reverse("events:agenda"), community_baseline, "community agenda"),
    ):
        pages = _every_page(client, url)
        assert len(pages) > len(created) // 30, what  # every event is on some page
        for number, html in enumerate(pages, 1):
            failures.page(None, f"{what} page {number}", html, list_baseline)
    failures.page(None, "month", _page(client, reverse("events:month")), month_baseline)
    drain_outbox()
    results = _check_search(failures, client, {"q": "window xss", "type": "event"})
    failures.assert_none()
    assert len(created) > len(PAYLOADS) * 0.9
    assert len(results) >= 1


# --- Group files: folder names, file names, descriptions, tags ------------------------------


def test_group_files_are_stored_safely_and_rendered_safely(client, bloggers):
    """Every payload as a folder's name, a file's name, description and tags (and the names of
    FILE_NAMES, which pass the name rule), through the files' services: refused with a message,
    or stored as plain text that the folder page, the file page and search show without a live
    element (search also in its snippet, from the description)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from files import services as file_services
    from files.models import Folder, GroupFile
    from files.services import FilesError
    from tests.security.xss_corpus import FILE_NAMES

    owner, reader = bloggers["author"], bloggers["reader"]
    group = GroupFactory(slug="bieb-xss", content_default="open")
    MembershipFactory(group=group, user=owner, role="owner")
    MembershipFactory(group=group, user=reader, role="member")
    access.forget_memberships(owner)
    client.force_login(reader)
    root = file_services.root_folder(group)
    shelf = file_services.create_folder(owner, root, HARMLESS, "public")

    def text(content=b"window xss tekst\n"):
        return content

    harmless = file_services.upload(
        owner, shelf, SimpleUploadedFile(f"{HARMLESS}.txt", text()), description=HARMLESS
    ).file
    baseline = _scan(_page(client, harmless.get_absolute_url()))
    folder_baseline = _scan(_page(client, shelf.get_absolute_url()))
    failures, stored_names, refused_names = Failures(), 0, 0
    for index, _section, payload in CORPUS:
        # A folder named with the payload: refused, or plain text.
        try:
            folder = file_services.create_folder(owner, shelf, f"{index} {payload}"[:200])
        except FilesError:
            left = Folder.objects.filter(group=group, name__startswith=f"{index} ").count()
            failures.check(index, "folder refused", _same, 0, left)
        else:
            failures.check(index, "folder name", assert_plain_text, folder.name)
        # A file described and tagged with the payload.
        try:
            file = file_services.upload(
                owner,
                shelf,
                SimpleUploadedFile(f"{index}.txt", text()),
                description=payload,
                tags=payload[:50],
            ).file
        except FilesError:
            file = file_services.upload(
                owner, shelf, SimpleUploadedFile(f"{index}.txt", text()), description=payload
            ).file
        file.refresh_from_db()
        failures.check(index, "description", assert_plain_text, file.description)
        for tag in file.tags.all():
            failures.check(index, "tag", assert_plain_text, tag.name)
        # Renamed to the payload: refused, or plain text.
        try:
            file = file_services.update_file(
                owner,
                file,
                name=f"{index} {payload}"[:190] + ".txt",
                description=file.description,
                tags=", ".join(t.name for t in file.tags.all()),
            )
        except FilesError:
            refused_names += 1
        else:
            stored_names += 1
            failures.check(index, "file name", assert_plain_text, file.name)
        if _page_sample(index, 3):
            failures.page(index, "file page", _page(client, file.get_absolute_url()), baseline)
    for name in FILE_NAMES:
        try:
            file = file_services.upload(owner, shelf, SimpleUploadedFile(name, text())).file
        except FilesError:
            refused_names += 1
            continue
        stored_names += 1
        try:
            assert_plain_text(file.name)
        except AssertionError as error:
            failures.add(None, f"file name {name!r}", str(error)[:600])
        failures.page(None, f"file page {name!r}", _page(client, file.get_absolute_url()), baseline)
    for number, html in enumerate(_every_page(client, shelf.get_absolute_url()), 1):
        failures.page(None, f"folder page {number}", html, folder_baseline)
    drain_outbox()
    results = _check_search(failures, client, {"q": "window xss", "type": "file"})
    failures.assert_none()
    assert GroupFile.objects.filter(group=group).count() > len(PAYLOADS)
    assert stored_names > 0 and refused_names > 0  # both ways were taken
    assert len(results) >= 1


def test_group_discussions_are_stored_safely_and_rendered_safely(client, bloggers):
    """Every payload as a discussion's title and text and as a reply, through the discussions'
    services: refused with a message, or stored as safe HTML (the text) and plain text (the
    title, the reply), which the thread (also in a quote of the start and of a reply), the list
    and search show without a live element."""
    from discussions import services as discussion_services
    from discussions.models import Discussion, Reply
    from discussions.services import DiscussionError

    owner, reader = bloggers["author"], bloggers["reader"]
    group = GroupFactory(slug="forum-xss", content_default="open")
    MembershipFactory(group=group, user=owner, role="owner")
    MembershipFactory(group=group, user=reader, role="member")
    access.forget_memberships(owner)
    client.force_login(reader)
    harmless = discussion_services.start(owner, group, HARMLESS, f"<p>{HARMLESS}</p>")
    first = discussion_services.reply(owner, harmless, HARMLESS)
    discussion_services.reply(owner, harmless, HARMLESS, str(first.pk))
    discussion_services.reply(owner, harmless, HARMLESS, "start")
    baseline = _scan(_page(client, harmless.get_absolute_url()))
    failures, stored = Failures(), 0
    for index, _section, payload in CORPUS:
        try:
            discussion = discussion_services.start(
                owner, group, f"{index} {payload}"[:200], f"<p>window xss</p>{payload}"
            )
        except DiscussionError:
            left = Discussion.objects.filter(group=group, title__startswith=f"{index} ").count()
            failures.check(index, "refused", _same, 0, left)
            continue
        stored += 1
        discussion.refresh_from_db()
        failures.check(index, "text", assert_safe_html, discussion.body)
        failures.check(index, "title", assert_plain_text, discussion.title)
        try:
            reply = discussion_services.reply(owner, discussion, f"window xss {payload}")
        except DiscussionError:
            pass
        else:
            reply.refresh_from_db()
            failures.check(index, "reply", assert_plain_text, reply.body)
            # Quoted: the excerpt of the reply, and of the start.
            discussion_services.reply(owner, discussion, "Citaat", str(reply.pk))
            discussion_services.reply(owner, discussion, "Citaat", "start")
        if _page_sample(index, 5):
            failures.page(index, "thread", _page(client, discussion.get_absolute_url()), baseline)
    list_url = reverse("discussions:list", args=[group.slug])
    _check_list(failures, client, list_url, "discussions list")
    drain_outbox()
    results = _check_search(failures, client, {"q": "window xss", "type": "discussion"})
    failures.assert_none()
    assert stored > len(PAYLOADS) * 0.9
    assert Reply.objects.filter(discussion__group=group, body__startswith="window xss").exists()
    assert len(results) >= 1


# --- Questions: a title, its details, an answer ----------------------------------------------


def test_questions_are_stored_safely_and_rendered_safely(client, bloggers):
    """Every payload as a question's title (plain text), its details and an answer (the editor's
    HTML), through the questions' services: refused with a message, or stored so that the
    question's page, the group's and the community's lists, similar.json and search show them
    without a live element."""
    from questions import services as question_services
    from questions.models import Answer, Question
    from questions.services import QuestionError

    asker, reader = bloggers["author"], bloggers["reader"]
    group = GroupFactory(slug="vragen-xss", content_default="open")
    MembershipFactory(group=group, user=asker, role="owner")
    MembershipFactory(group=group, user=reader, role="member")
    access.forget_memberships(asker)
    access.forget_memberships(reader)
    client.force_login(reader)
    harmless = question_services.ask(
        asker, f"Vraag {HARMLESS} hier", f"<p>{HARMLESS}</p>", group=group
    )
    question_services.answer(reader, harmless, f"<p>{HARMLESS}</p>")
    baseline = _scan(_page(client, harmless.get_absolute_url()))
    failures, stored = Failures(), 0
    for index, _section, payload in CORPUS:
        try:
            question = question_services.ask(
                asker, f"Vraag nummer {index} {payload}"[:200], payload, group=group
            )
        except QuestionError as error:
            refused = Question.objects.filter(title__startswith=f"Vraag nummer {index} ").count()
            failures.check(index, f"refused ({error})", _same, 0, refused)
            continue
        stored += 1
        question.refresh_from_db()
        failures.check(index, "details", assert_safe_html, question.body)
        failures.check(index, "title", assert_plain_text, question.title)
        try:
            answer = question_services.answer(reader, question, f"<p>window xss</p>{payload}")
        except QuestionError:
            pass
        else:
            answer.refresh_from_db()
            failures.check(index, "answer", assert_safe_html, answer.body)
        if _page_sample(index, 4):
            failures.page(index, "question", _page(client, question.get_absolute_url()), baseline)
    for url in (reverse("group_questions:list", args=[group.slug]), reverse("questions:list")):
        _check_list(failures, client, url, url)
    drain_outbox()
    similar = client.get(reverse("questions:similar"), {"q": "Vraag nummer"})
    assert similar["Content-Type"] == "application/json"
    for row in similar.json()["results"]:
        failures.check(None, "similar title", assert_plain_text, row["title"])
    results = _check_search(failures, client, {"q": "window xss", "type": "question"})
    failures.assert_none()
    assert stored > len(PAYLOADS) * 0.9
    assert Answer.objects.filter(question__group=group, body__startswith="<p>window xss").exists()
    assert len(results) >= 1


# --- Polls: a question, its description, its options -----------------------------------------


def test_polls_are_stored_safely_and_rendered_safely(client, bloggers):
    """Every payload as a poll's question, description and option, through the polls' services:
    refused with a message (nothing saved), or stored as plain text that the poll's page (the
    vote form, the bar chart and the table), who voted what, the list, results.json and search
    show without a live element."""
    from django.utils import timezone

    from polls import services as poll_services
    from polls.models import Poll
    from polls.services import PollError, PollInput

    asker, reader = bloggers["author"], bloggers["reader"]
    group = GroupFactory(slug="peilingen-xss", content_default="open")
    MembershipFactory(group=group, user=asker, role="owner")
    MembershipFactory(group=group, user=reader, role="member")
    access.forget_memberships(asker)
    access.forget_memberships(reader)
    ends = timezone.now() + timezone.timedelta(days=7)

    def ask(question, description, first):
        data = PollInput(
            question=question,
            description=description,
            ends_at=ends,
            options=[first, "Nee"],
            anonymous=False,
        )
        poll = poll_services.create_poll(asker, group, data)
        # Both vote: the reader sees the result, the owner who voted what.
        for person in (reader, asker):
            poll_services.vote(person, poll, [poll.options.first().pk])
        return poll

    harmless = ask(f"Peiling {HARMLESS}?", HARMLESS, f"Ja {HARMLESS}")
    client.force_login(reader)
    baseline = _scan(_page(client, harmless.get_absolute_url()))
    voters_url = reverse("polls:voters", args=[group.slug, harmless.pk])
    failures, stored = Failures(), 0
    for index, _section, payload in CORPUS:
        try:
            poll = ask(f"Peiling {index} {payload}"[:300], payload, f"Ja {index} {payload}"[:200])
        except PollError as error:
            left = Poll.objects.filter(question__startswith=f"Peiling {index} ").count()
            failures.check(index, f"refused ({error})", _same, 0, left)
            continue
        stored += 1
        poll.refresh_from_db()
        failures.check(index, "question", assert_plain_text, poll.question)
        failures.check(index, "description", assert_plain_text, poll.description)
        for option in poll.options.all():
            failures.check(index, "option", assert_plain_text, option.label)
        data = client.get(reverse("polls:results", args=[group.slug, poll.pk])).json()
        for row in data["options"]:
            failures.check(index, "results.json", assert_plain_text, row["label"])
        if _page_sample(index, 3):
            failures.page(index, "poll", _page(client, poll.get_absolute_url()), baseline)
            client.force_login(asker)
            voters = _page(client, reverse("polls:voters", args=[group.slug, poll.pk]))
            failures.page(index, "who voted what", voters, _scan(_page(client, voters_url)))
            client.force_login(reader)
    _check_list(failures, client, reverse("polls:list", args=[group.slug]), "polls list")
    drain_outbox()
    results = _check_search(failures, client, {"q": "Peiling", "type": "poll"})
    failures.assert_none()
    assert stored > len(PAYLOADS) * 0.9
    assert len(results) >= 1
