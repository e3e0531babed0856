"""No number in an address or a query string answers 500 (issue 19, finding 6).

* Path parameters. Every URL pattern (walked from the resolver like tests/security/test_csrf.py
  does; Wagtail's and Django's admin internals left out, the public patterns of Wagtail and allauth
  kept) is requested with each of its parameters in turn set to a hostile value (``HOSTILE``) and
  the others valid: the CSRF test's tables know a valid address for every pattern. Patterns that
  read are GET, patterns that change things are POSTed with the data the CSRF test sends;
  anonymously, as a member and as the person the pattern is for. And no pattern of ours uses
  Django's ``int`` converter, which takes any number of digits: ``<id:…>`` (meent/converters.py).
* Query parameters. ``QUERY`` names every parameter our code reads from a query string and the GET
  views that read it; each is sent ``HOSTILE`` and ``MORE_HOSTILE``. The table is checked against
  the source (every ``request.GET`` read by name and the fields of every ``QueryForm``,
  meent/params.py) and against what the views actually read while the test runs: a new parameter,
  or a view that starts reading one, fails here until it is in the table.

Never a 500; where the answer is 400, it says why.
"""

import ast
import inspect
import json
import re
import sys
import time
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import got_request_exception
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from demo.loader import licence_chooser_steps
from meent.params import QueryForm
from tests.security.test_csrf import OUR_MODULES, POSTS, SAFE, all_patterns, is_third_party_admin
from tests.security.test_csrf import _discussion_url as csrf_discussion_url
from tests.security.test_csrf import _files_url as csrf_files_url
from tests.security.test_csrf import _question_url as csrf_question_url
from tests.security.test_csrf import _series as csrf_series
from tests.security.test_csrf import world as csrf_world  # noqa: F401 (a fixture)
from toolbox.decisions.models import DecisionAidPage

pytestmark = pytest.mark.django_db

HOSTILE = ("99999999999999999999", "-1", "1.5", "", "abc")
# Also: zero, a NUL character (PostgreSQL refuses it in text), a number in exponent notation.
MORE_HOSTILE = ("0", "\x00", "1e3")
ROOT = Path(settings.BASE_DIR)
SOURCE_PACKAGES = tuple(module.rstrip(".") for module in OUR_MODULES)
# The mechanism itself reads request.GET for every form.
SOURCE_EXEMPT = {"meent/params.py"}
WAGTAIL_PAGES = "^((?:[\\w\\-]+/)*)$"

# Patterns given as regular expressions (Wagtail's and allauth's): how to put a value in them.
REGEX_ROUTES = {
    "documents/^(\\d+)/(.*)$": lambda value: f"/documents/{value}/file.pdf",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": lambda value: (
        f"/accounts/confirm-email/{value}/"
    ),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": lambda value: (
        f"/accounts/password/reset/key/{value}-{value}/"
    ),
    # Organisation sign-in: allauth's patterns, answered by accounts.oidc.guarded.
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": lambda value: f"/accounts/oidc/{value}/login/",
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": lambda value: (
        f"/accounts/oidc/{value}/login/callback/"
    ),
    WAGTAIL_PAGES: lambda value: f"/{value}/",
}
# A pattern's parameter without a valid value in the CSRF tables (a pattern they do not know yet,
# which fails their own test): a value of the converter's kind.
FALLBACK = {"slug": "team", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


# ---------------------------------------------------------------------------------------------
# Query parameters: who reads which


@dataclass
class Reader:
    """A GET view that reads the parameter: its pattern, an address of it, who may use it."""

    route: str
    url: object
    who: str | None = "member"


def _u(name, *args):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


def _slug(w):
    return w.group.slug


def _page(w):
    return w.page.pk


BLOG_LIST = Reader("blog/", _u("blog:list"))
GROUP_BLOG = Reader("groups/<slug:group_slug>/blog/", _u("group_blog", _slug))
PERSON_BLOG = Reader(
    "people/<id:person_id>/blog/", lambda w: reverse("person_blog", args=[w.people["author"].pk])
)
POST = Reader("blog/<slug:slug>/", _u("blog:post", lambda w: w.post.slug))
POST_LIKES = Reader("blog/<slug:slug>/likes/", _u("blog:likes", lambda w: w.post.slug))
COMMENT_LIKES = Reader(
    "blog/comments/<id:comment_id>/likes/", _u("blog:comment_likes", lambda w: w.comment.pk)
)
NEW_POST = Reader("blog/new/", _u("blog:create"))
WIKI_HISTORY = Reader(
    "groups/<slug:group_slug>/wiki/-/<id:page_id>/history/", _u("wiki:history", _slug, _page)
)
WIKI_COMPARE = Reader(
    "groups/<slug:group_slug>/wiki/-/<id:page_id>/compare/", _u("wiki:compare", _slug, _page)
)
WIKI_NEW = Reader("groups/<slug:group_slug>/wiki/-/new/", _u("wiki:create", _slug))
GROUPS = Reader("groups/", _u("groups:list"))
CHAT_HISTORY = Reader("chat/<id:room_id>/history/", _u("chat:history", lambda w: w.room.pk))
NOTIFICATIONS = Reader("notifications/", _u("notifications:list"))
GROUP_ACTIVITY = Reader("groups/<slug:slug>/activity/", _u("group_activity", _slug))
FOLLOWING = Reader("following/", _u("activity:following"))
SAVED = Reader("saved/", _u("activity:saved"))
SEARCH = Reader("search/", _u("search:search"))
SUGGEST = Reader("search/suggest/", _u("search:suggest"))
MENTIONS = Reader("people/mention-suggestions/", _u("accounts:mention_suggestions"))
DIRECTORY = Reader("people/", _u("directory:index"))
QUEUE = Reader("admin/moderation/", _u("moderation_admin:queue"), who="staff")
ORGANISATION_SIGN_IN = Reader("accounts/organisation/", _u("organisation_sign_in"), who=None)
DECISION_AID = Reader(WAGTAIL_PAGES, lambda w: w.decision_aid.url)
AGENDA = Reader("events/", _u("events:agenda"))
AGENDA_MONTH = Reader("events/month/", _u("events:month"))
MY_AGENDA = Reader("events/mine/", _u("events:mine"))
GROUP_AGENDA = Reader("groups/<slug:group_slug>/agenda/", _u("group_agenda", _slug))
# A group's files: a folder's list (?page, ?sort, ?tag) and the trash (?page).
FILES = Reader("groups/<slug:group_slug>/files/", csrf_files_url("library"))
FILES_FOLDER = Reader(
    "groups/<slug:group_slug>/files/folders/<id:folder_id>/", csrf_files_url("folder", "folder")
)
FILES_TRASH = Reader("groups/<slug:group_slug>/files/trash/", csrf_files_url("trash"), who="owner")
# The editors' file picker: the files whose names hold ?q= (JSON).
FILES_PICK = Reader("groups/<slug:group_slug>/files/pick.json", csrf_files_url("pick"))
# One date of a weekly event: ?at=<its start in ISO 8601>; anything else is 400 with why.
OCCURRENCE = Reader(
    "events/<slug:slug>/occurrence/",
    lambda w: reverse("events:occurrence", args=[csrf_series(w).slug]),
    who="owner",
)

QUERY = {
    # Pagination (meent/params.py): not a page number: the first page, a message, 400; beyond
    # the end: the last page, with a note. Search keeps its own (a notice with a link).
    "page": [
        BLOG_LIST,
        GROUP_BLOG,
        PERSON_BLOG,
        POST_LIKES,
        COMMENT_LIKES,
        WIKI_HISTORY,
        GROUPS,
        NOTIFICATIONS,
        SEARCH,
        DIRECTORY,
        GROUP_ACTIVITY,
        FOLLOWING,
        SAVED,
        AGENDA,
        MY_AGENDA,
        GROUP_AGENDA,
        FILES,
        FILES_FOLDER,
        FILES_TRASH,
    ],
    "p": [QUEUE],  # Wagtail's admin's name for the page
    # Filters. The blog and the groups: a malformed one is left out, with a message and a 400.
    # Search: left out with a message that names it, and the search still runs (200).
    "tag": [BLOG_LIST, DIRECTORY, FILES, FILES_FOLDER],
    # A folder's order: name, the last changed first, or the largest first.
    "sort": [FILES, FILES_FOLDER],
    # The new post's group: a slug, 404 when unknown. The directory's: groups whose members
    # the person may see, by id.
    "group": [BLOG_LIST, SEARCH, NEW_POST, DIRECTORY, AGENDA],
    "organisation": [BLOG_LIST, GROUPS, SEARCH, DIRECTORY, AGENDA],
    "author": [BLOG_LIST, SEARCH],
    "q": [GROUPS, SEARCH, SUGGEST, MENTIONS, DIRECTORY, FILES_PICK],
    "mine": [GROUPS],
    "type": [SEARCH],
    # Search's dates; the wiki's revision numbers (refused with the page's own message, 400).
    "from": [SEARCH, WIKI_COMPARE],
    "to": [SEARCH, WIKI_COMPARE],
    # The agendas: upcoming or past; the month view's month (2027-03, from 1970 to 2100).
    "when": [AGENDA, MY_AGENDA, GROUP_AGENDA],
    "month": [AGENDA_MONTH],
    "at": [OCCURRENCE],
    "reply": [POST],  # the comment whose thread gets the reply form
    "title": [WIKI_NEW],
    "parent": [WIKI_NEW],
    "before": [CHAT_HISTORY],  # JSON: 400 with an "error"
    "status": [QUEUE],  # the queue's tabs: anything else is "all"
    "kind": [QUEUE],  # anything else is every kind
    "trail": [DECISION_AID],  # the answers so far: malformed is a 400 with a message
    "answer": [DECISION_AID],
    # Where to go after signing in with one's organisation: only an address of this host.
    "next": [ORGANISATION_SIGN_IN],
}
# A group's discussions (?page, ?sort: newest activity or newest started) and a thread (?page of
# its replies, ?quote: a reply of the thread or "start"; anything else is 400 with why).
DISCUSSIONS = Reader("groups/<slug:group_slug>/discussions/", _u("discussions:list", _slug))
DISCUSSION_THREAD = Reader(
    "groups/<slug:group_slug>/discussions/<id:discussion_id>/", csrf_discussion_url("thread")
)
QUERY["page"] += [DISCUSSIONS, DISCUSSION_THREAD]
QUERY["sort"] += [DISCUSSIONS]
QUERY["quote"] = [DISCUSSION_THREAD]
# Questions: the lists (?page, ?show: unanswered or answered; anything else is 400 with why), a
# question's answers (?page), similar questions while typing (?q: over 200 characters is 400
# with a reason; ?group: a slug, 404 when unknown; JSON).
QUESTIONS = Reader("questions/", _u("questions:list"))
GROUP_QUESTIONS = Reader("groups/<slug:group_slug>/questions/", _u("group_questions:list", _slug))
QUESTION_PAGE = Reader(
    "groups/<slug:group_slug>/questions/<id:question_id>/", csrf_question_url("group_question")
)
SIMILAR_QUESTIONS = Reader("questions/similar.json", _u("questions:similar"))
QUERY["page"] += [QUESTIONS, GROUP_QUESTIONS, QUESTION_PAGE]
QUERY["show"] = [QUESTIONS, GROUP_QUESTIONS]
# Polls: the closed polls page (?page) under the open ones.
POLLS = Reader("groups/<slug:group_slug>/polls/", _u("polls:list", _slug))
QUERY["page"] += [POLLS]
QUERY["q"] += [SIMILAR_QUESTIONS]
QUERY["group"] += [SIMILAR_QUESTIONS]
# Our admin lists are Wagtail's generic index views with our django-filter filters: Wagtail and
# django-filter read these (not our code: outside the source check), probed all the same.
ADMIN_QUERY = [
    (
        Reader("admin/people/", _u("people:index"), who="staff"),
        ("p", "q", "ordering", "organisation", "status", "is_staff", "date_joined_after"),
    ),
    (
        Reader("admin/community-groups/", _u("community_groups:index"), who="staff"),
        ("p", "q", "ordering", "site", "visibility", "is_archived"),
    ),
    (
        Reader("admin/reports/toolbox-reviews/", _u("toolbox_overdue_reviews"), who="staff"),
        ("p", "ordering"),
    ),
]
# Values of their own kind, besides the hostile ones.
MORE_VALUES = {
    "from": ("2025-13-45", "2025-02-30"),
    "to": ("99999-01-01",),
    "trail": ("0.99999999999999999999", "0." * 200),
    "page": ("9" * 5000,),
    "q": ("fiets\x00route", "a" * 5000),
    "group": ("team\x00",),
    "month": ("2027-13", "1969-12", "2101-01", "2027-03-01"),
    "at": ("2027-03-02T10:00:00", "2027-03-02T10:00:00+99:00", "gisteren"),
}


# ---------------------------------------------------------------------------------------------
# Helpers


class Probe:
    """Sends requests as anonymous, a member or anyone else; counts them; remembers every 500
    (with its exception) and every 400 that does not say why."""

    def __init__(self, world):
        self.world = world
        self.clients = {}
        self.count = 0
        self.failures = []
        self._exception = None

    def client(self, who):
        if who not in self.clients:
            client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
            if who is not None:
                client.force_login(self.world.people[who])
            self.clients[who] = client
        return self.clients[who]

    def _record(self, sender, request=None, **kwargs):
        self._exception = sys.exc_info()[1]

    def send(self, who, method, url, data=None, label=""):
        self._exception = None
        got_request_exception.connect(self._record)
        try:
            client = self.client(who)
            send = client.get if method == "GET" else client.post
            response = send(url, data if method == "GET" else data or {})
        finally:
            got_request_exception.disconnect(self._record)
        self.count += 1
        where = f"{method} {url} {data or ''} as {who or 'anonymous'} ({label})"
        if response.status_code >= 500:
            self.failures.append(f"{where}: {response.status_code} {self._exception!r}")
        elif response.status_code == 400 and not says_why(response):
            self.failures.append(f"{where}: 400 without a message")
        return response


def says_why(response):
    if response.get("Content-Type", "").startswith("application/json"):
        return bool(json.loads(response.content).get("error"))
    html = response.content.decode()
    # Our messages and form errors; Wagtail's admin messages.
    return any(mark in html for mark in ("message--error", "form-errors", 'class="error"'))


def parameters(route):
    """(converter, name) of every ``<converter:name>`` in a route."""
    return re.findall(r"<(?:([^>:]+):)?([^>]+)>", route)


def fill(route, values):
    """The address, percent-encoded (resolve() wants it decoded: ``unquote``)."""
    return "/" + re.sub(
        r"<(?:[^>:]+:)?([^>]+)>", lambda m: quote(str(values[m.group(1)]), safe="/"), route
    )


def valid_address(route, world):
    """An address of ``route`` that works, from the CSRF test's tables (None: none there)."""
    entry = POSTS.get(route) or SAFE.get(route)
    if entry is None:
        return None
    url = entry.url(world)
    prepare = getattr(entry, "prepare", None)
    if (url in (None, "unused")) and prepare is not None:
        url = prepare(Client(), world)
    return url


def valid_values(route, world):
    """A working value for every parameter of ``route``, and whether they came from an address
    that works (else: of the converter's kind)."""
    values = {name: FALLBACK.get(converter or "str", "1") for converter, name in parameters(route)}
    url = valid_address(route, world)
    if url:
        try:
            match = resolve(url.split("?")[0])
        except Resolver404:
            return values, False
        if match.route == route:
            values.update({name: str(value) for name, value in match.kwargs.items()})
            return values, True
    return values, False


def who_for(route):
    """Anonymous, a member, and the person the pattern is for."""
    entry = POSTS.get(route) or SAFE.get(route)
    people = [None, "member"]
    if entry is not None and entry.who not in people:
        people.append(entry.who)
    return people


def probed_routes():
    return sorted(
        {route for route, lookup, _ in all_patterns() if not is_third_party_admin(route, lookup)}
    )


@pytest.fixture
def world(request):
    """The CSRF test's: an object behind every pattern, and people of every role."""
    return request.getfixturevalue("csrf_world")


@pytest.fixture
def decision_aid(world):
    """The licence chooser, for the trail and the answer."""
    section = world.article.get_parent()
    page = section.add_child(
        instance=DecisionAidPage(
            title="Licentiekiezer", slug="licentiekiezer", steps=licence_chooser_steps("nl")
        )
    )
    page.save_revision().publish()
    world.decision_aid = DecisionAidPage.objects.get(pk=page.pk)
    return world.decision_aid


# ---------------------------------------------------------------------------------------------
# What the source reads


def source_files():
    for package in SOURCE_PACKAGES:
        for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in SOURCE_EXEMPT:
                continue
            yield relative, path.read_text()


def _module_of(relative):
    return import_module(relative.removesuffix(".py").removesuffix("/__init__").replace("/", "."))


def _resolve(module, dotted):
    value = module
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def _forms_bound_by(callee):
    """The query forms a callable binds: itself, or those a function names."""
    if inspect.isclass(callee):
        return [callee] if issubclass(callee, QueryForm) else []
    code = getattr(callee, "__code__", None)
    if code is None:
        return []
    found = [callee.__globals__.get(name) for name in code.co_names]
    return [form for form in found if inspect.isclass(form) and issubclass(form, QueryForm)]


# request.GET read by name, copied (to rebuild a link), tested for a name, or handed to a callable.
_GET = r"(?:self\.)?request\.(?:GET|query_params)"
_BY_NAME = re.compile(
    _GET + r"(?:\.get|\.getlist)\(\s*([^,)\s]+)|" + _GET + r"\[\s*([^\]\s]+)\s*\]"
)
_COPY = re.compile(_GET + r"\.copy\(\)")
_IN = re.compile(r"([\w\"']+)\s+(?:not\s+)?in\s+" + _GET + r"\b")
_HANDED = re.compile(r"([\w.]+)\(\s*(?:\w+=)?" + _GET + r"\b")


def _name(module, text):
    text = text.strip()
    if text[0] in "\"'":
        return ast.literal_eval(text)
    return _resolve(module, text)


def names_read_in_source():
    """{parameter: [where]} for every query parameter our source reads; and the uses of
    ``request.GET`` it does not understand."""
    names, unknown = {}, []
    for form in all_query_forms():
        for name in form.parameters():
            names.setdefault(name, []).append(f"{form.__module__}.{form.__name__}")
    for relative, text in source_files():
        for line_number, line in enumerate(text.splitlines(), 1):
            if not re.search(_GET + r"\b", line):
                continue
            where = f"{relative}:{line_number}"
            module = _module_of(relative)
            understood = set()
            for match in _BY_NAME.finditer(line):
                names.setdefault(_name(module, match.group(1) or match.group(2)), []).append(where)
                understood.add(match.start())
            for match in _IN.finditer(line):
                names.setdefault(_name(module, match.group(1)), []).append(where)
                understood.add(match.end())
            for match in _COPY.finditer(line):
                understood.add(match.start())
            for match in _HANDED.finditer(line):
                forms = _forms_bound_by(_resolve(module, match.group(1)))
                if forms:
                    understood.add(match.end())
                    for form in forms:
                        for name in form.parameters():
                            names.setdefault(name, []).append(where)
            uses = len(re.findall(_GET + r"\b", line))
            if len(understood) < uses:
                unknown.append(f"{where}: {line.strip()}")
    return names, unknown


def all_query_forms():
    all_patterns()  # imports every view, and with them their forms
    found, todo = [], list(QueryForm.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        if form.__module__.startswith(OUR_MODULES):
            found.append(form)
    return found


# ---------------------------------------------------------------------------------------------
# What the views read while they run


DJANGO_VIEWS = ("django.views.", "django.contrib.")


class RecordingQueryDict(QueryDict):
    """Notes the names our code reads: a read belongs to the first caller that is not Django's
    machinery (a form's widget reads for whoever validates the form), and counts when that is
    ours; Django's own views, Wagtail's generic admin views and django-filter read for themselves
    (see ADMIN_QUERY)."""

    read = None

    def _note(self, key):
        if RecordingQueryDict.read is None:
            return
        frame = sys._getframe(2)
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            machinery = module.startswith("django.") and not module.startswith(DJANGO_VIEWS)
            if not machinery and module != __name__:
                break
            frame = frame.f_back
        if frame is not None and module.startswith(OUR_MODULES):
            RecordingQueryDict.read.add(key)

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


@pytest.fixture
def recording(monkeypatch):
    def get(request):
        if not hasattr(request, "_recorded_get"):
            request._recorded_get = RecordingQueryDict(
                request.environ.get("QUERY_STRING", ""), encoding=request._encoding
            )
        return request._recorded_get

    monkeypatch.setattr(WSGIRequest, "GET", property(get))
    return RecordingQueryDict


# ---------------------------------------------------------------------------------------------
# The tests


def test_no_pattern_of_ours_uses_the_int_converter():
    offending = []
    for route, lookup, _callback in all_patterns():
        if not lookup.startswith(OUR_MODULES):
            continue
        converters = re.findall(r"<(?:([^>:]+):)?[^>]+>", route)
        if "int" in converters:
            offending.append(route)
    assert not offending, (
        "Use <id:…> (meent/converters.py), not <int:…>: Django's int takes any number of digits, "
        f"and a number beyond the database's overflows: {offending}"
    )
    # And <id:…> is what it says.
    pattern = RoutePattern("x/<id:pk>/")
    assert pattern.match("x/9223372036854775807/")
    for value in ("9223372036854775808", "99999999999999999999", "0", "007", "-1", "1.5", "abc"):
        assert not pattern.match(f"x/{value}/"), value
    assert IntConverter not in {type(c) for c in pattern.converters.values()}


def test_hostile_path_parameters_never_answer_500(world, capsys):
    started = time.monotonic()
    probe = Probe(world)
    routes = probed_routes()
    regex_routes = [route for route in routes if "(" in route]
    assert set(regex_routes) == set(REGEX_ROUTES), (
        "A pattern given as a regular expression: say in REGEX_ROUTES how to fill it"
    )
    for route in regex_routes:
        for value in HOSTILE + MORE_HOSTILE:
            for who in (None, "member"):
                probe.send(who, "GET", REGEX_ROUTES[route](quote(value)), label=route)
    unknown = []  # patterns whose other parameters could not be made valid
    for route in routes:
        if not parameters(route) or "(" in route:
            continue
        values, known = valid_values(route, world)
        unknown += [] if known else [route]
        case = POSTS.get(route)
        for _converter, name in parameters(route):
            for value in HOSTILE + MORE_HOSTILE:
                url = fill(route, {**values, name: value})
                try:
                    resolve(unquote(url))
                except Resolver404:
                    # No pattern matches: the same 404 for everyone, no view runs.
                    probe.send(None, "GET", url, label=route)
                    continue
                for who in who_for(route):
                    if case is not None:
                        probe.send(who, "POST", url, case.data(world), label=route)
                    else:
                        probe.send(who, "GET", url, label=route)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\n{probe.count} probes of path parameters on {len(routes)} patterns, {elapsed:.1f} s"
        )
    assert probe.count > 500
    assert not probe.failures, "\n".join(probe.failures)
    # A hostile value next to valid ones reaches the view: every pattern the CSRF test knows had
    # its valid values (the others fail that test until they are in its tables).
    assert not [route for route in unknown if route in POSTS or route in SAFE], unknown


def test_every_query_parameter_in_the_source_is_in_the_table():
    names, unknown = names_read_in_source()
    assert not unknown, (
        "request.GET read in a way this test does not understand: read it by name, or through a "
        f"QueryForm (meent/params.py): {unknown}"
    )
    missing = sorted(set(names) - set(QUERY))
    assert not missing, (
        "Query parameters our code reads but QUERY does not list (add them, with the views that "
        f"read them): {[(name, names[name]) for name in missing]}"
    )
    stale = sorted(set(QUERY) - set(names))
    assert not stale, f"QUERY lists parameters nothing reads any more: {stale}"


def test_views_read_only_the_parameters_in_the_table(world, decision_aid, recording):
    """Every GET view of ours, opened as the person it is for: what it read from the query
    string is in QUERY under that view, and what QUERY says it reads, it read."""
    listed = {(name, reader.route) for name, readers in QUERY.items() for reader in readers}
    readers = {reader.route: reader for readers in QUERY.values() for reader in readers}
    unlisted, seen = [], set()
    probe = Probe(world)
    for route, lookup, _ in all_patterns():
        if not lookup.startswith(OUR_MODULES) and route != WAGTAIL_PAGES:
            continue
        if route in readers:
            url, who = readers[route].url(world), readers[route].who
        elif route in SAFE or route in POSTS:
            entry = SAFE.get(route) or POSTS[route]
            url, who = valid_address(route, world), entry.who
        else:
            continue  # a pattern the CSRF test does not know yet: its own test fails
        recording.read = set()
        probe.send(who, "GET", url, label=route)
        unlisted += [(name, route) for name in recording.read if (name, route) not in listed]
        seen |= {(name, route) for name in recording.read}
        recording.read = None
    assert not unlisted, (
        f"Views read query parameters that QUERY does not list under them: {sorted(unlisted)}"
    )
    assert not listed - seen, f"QUERY says these views read these, they did not: {listed - seen}"
    assert not probe.failures, "\n".join(probe.failures)


def test_hostile_query_parameters_never_answer_500(world, decision_aid, capsys):
    started = time.monotonic()
    probe = Probe(world)
    for name, readers in QUERY.items():
        values = HOSTILE + MORE_HOSTILE + MORE_VALUES.get(name, ())
        for reader in readers:
            url = reader.url(world)
            people = [None, "member"] + ([reader.who] if reader.who not in (None, "member") else [])
            for who in people:
                for value in values:
                    probe.send(who, "GET", url, {name: value}, label=name)
    for reader, names in ADMIN_QUERY:
        for name in names:
            for value in HOSTILE + MORE_HOSTILE:
                probe.send(reader.who, "GET", reader.url(world), {name: value}, label=name)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\n{probe.count} probes of {len(QUERY)} query parameters, {elapsed:.1f} s")
    assert probe.count > 300
    assert not probe.failures, "\n".join(probe.failures)


def test_a_bad_page_number_is_a_400_with_a_message_and_beyond_the_end_the_last_page(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("blog:list")
    response = client.get(url, {"page": "abc"})
    assert response.status_code == 400
    assert "“abc” is not a page number." in response.content.decode()
    assert response.context["page_obj"].number == 1
    response = client.get(url, {"page": "99999999999999999999"})
    assert response.status_code == 200
    assert "There is no page 99999999999999999999" in response.content.decode()
    assert response.context["page_obj"].number == response.context["page_obj"].paginator.num_pages


def test_a_malformed_filter_is_left_out_with_a_message(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(reverse("blog:list"), {"author": "99999999999999999999"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Author: “99999999999999999999” is not a valid number." in html
    assert world.post.title in html  # the list, without the filter
    response = client.get(reverse("blog:list"), {"author": world.people["member"].pk})
    assert response.status_code == 200
    assert world.post.title not in response.content.decode()  # a person without posts
    compare = reverse("wiki:compare", args=[world.group.slug, world.page.pk])
    client.force_login(world.people["member"])
    response = client.get(compare, {"from": "99999999999999999999"})
    assert response.status_code == 400
    assert "Choose two revisions of this page" in response.content.decode()
    assert client.get(compare, {"from": "1", "to": "2"}).status_code == 200


def test_a_control_character_in_the_path_is_a_400_that_says_so(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.people["member"])
    for url in (f"/groups/{world.group.slug}/wiki/%00/", "/groups/invitations/%00/", "/x%1F/"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "a control character" in response.content.decode(), url
    assert client.get(world.page.get_absolute_url()).status_code == 200
