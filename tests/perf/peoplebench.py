"""The people part of `make bench`: signed-in people browsing and posting against the full stack.

One run (from tests/perf/bench.py, BENCH_ONLY=people, or standalone: ``python -m
tests.perf.peoplebench``, which writes its own bench-results/ file):

1. PostgreSQL and Redis on 127.0.0.1 must answer; otherwise the part says why and is skipped
   (the same services and URLs as the chat part, tests/perf/chatbench.py; the scaffolding is
   tests/perf/harness.py's);
2. a throw-away PostgreSQL database ``meent_people_<pid>``, migrated, with (``--setup``, below,
   through the services and tests/factories.py) BENCH_PEOPLE people with verified addresses, each a
   member of two of a few groups; each group with wiki pages and published blog posts;
3. one server process with REDIS_URL set (the channel layer and the cache on Redis, under a key
   prefix of the run's own) and ALLAUTH_TRUSTED_PROXY_COUNT=1: each person comes from an address
   of their own (X-Forwarded-For), as behind a proxy, so allauth's 30 sign-ins per minute per
   address is not what is measured;
4. every person signs in through allauth's form (GET, the CSRF token from the form, POST),
   BENCH_PEOPLE_SIGN_IN_CONCURRENCY (4) at a time (a sign-in hashes the password, slow on
   purpose: 50 at once queue for longer than the request timeout); then, all signed in, for
   BENCH_PEOPLE_SECONDS each walks, without pause, over the home page, /groups/, a group of
   theirs, one of its wiki pages, /blog/, one of its posts and /search/?q=...; every
   BENCH_PEOPLE_POST_EVERY-th step is a comment instead: the post's page, then its comment form
   POSTed with the token from that page and a unique marker in the text;
5. a request counts as an error when it raised (socket error, timeout, bad answer), answered
   other than 2xx/3xx, or sent a signed-in person to the sign-in page; latency is of the others;
6. afterwards the database is asked: every comment whose POST succeeded must be stored exactly
   once, and none whose POST failed more than once (nor any marker that was never sent);
7. a table: requests, req/s, p50/p99 per page and per kind (browse, post), errors, the
   exactly-once result.

Keep-alive connections, one per person (tests/perf/loadgen.py). The server process, the database
and the Redis keys under the run's prefix are always removed, also on Ctrl+C. The part fails
(exit 1) on any error or any comment not stored exactly once.

Environment: BENCH_PEOPLE_SECONDS (60), BENCH_PEOPLE (50), BENCH_PEOPLE_POST_EVERY (5),
BENCH_PEOPLE_TIMEOUT (per request, 30 s), BENCH_PEOPLE_SIGN_IN_CONCURRENCY (4); the services'
URLs as in the chat part (BENCH_CHAT_REDIS_URL, BENCH_CHAT_POSTGRES_URL).
"""

import asyncio
import json
import os
import random
import re
import sys
import threading
import time
from collections import Counter
from urllib.parse import quote_plus, urlencode

from .chatbench import base_environment, check_services, service_urls
from .harness import (
    Servers,
    Skip,
    ThrowawayDatabase,
    env_number,
    fmt,
    postgres,
    redis_cleanup,
    run_python,
)
from .loadgen import REQUEST_ERRORS, Connection, RunResult, build_request, process_cpu_seconds
from .report import render_table

GROUPS = 5
GROUPS_PER_PERSON = 2
SEARCH_WORDS = ["werkafspraken", "open source", "handleiding", "overleg", "archief", "bench"]
BROWSE_PAGES = ["home", "groups", "group", "wiki page", "blog", "blog post", "search"]
POST_KIND = "comment"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# The comment form's submission key (meent/idempotency.py), sent as a browser sends it.
SUBMISSION_KEY = re.compile(rb'name="submission_key" value="([0-9a-f-]{36})"')
MARKER = re.compile(r"pb-[0-9a-z]+-\d+-\d+")
SIGN_IN_PATH = "/accounts/login/"
ACCESS_LOG_LINE = re.compile(r'^\S+ - - \[[^]]*\] "')
LOG_FRAMING = (
    "Traceback (most recent call last)",
    "Internal Server Error",
    "The above exception",
    "During handling of the above exception",
)
HARD_LIMIT_MARGIN = 30.0


def read_config(environ):
    return {
        "seconds": env_number(environ, "BENCH_PEOPLE_SECONDS", 60.0, high=600),
        "people": env_number(environ, "BENCH_PEOPLE", 50, int, low=1, high=1000),
        "post_every": env_number(environ, "BENCH_PEOPLE_POST_EVERY", 5, int, low=2, high=1000),
        "timeout": env_number(environ, "BENCH_PEOPLE_TIMEOUT", 30.0, high=600),
        "sign_in_concurrency": env_number(
            environ, "BENCH_PEOPLE_SIGN_IN_CONCURRENCY", 4, int, low=1, high=1000
        ),
    }


# --- the data, in the benchmark's database (a subprocess: python -m ... --setup) -------------


def setup(out_path, people):
    """People, groups, wiki pages and posts through the factories and services; a plan per person."""
    import django

    django.setup()

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from wagtail.models import Page, Site

    from accounts.models import User
    from blog import services as blog
    from blog.models import Post
    from groups.models import Membership
    from home.models import HomePage
    from tests.factories import (
        DEFAULT_PASSWORD,
        GroupFactory,
        MembershipFactory,
        OrganisationDomainFactory,
        OrganisationFactory,
        UserFactory,
    )
    from wiki import services as wiki

    paragraph = (
        "<p>In dit overleg spreken we af hoe we samenwerken over de grenzen van onze organisaties: "
        "wie wat bijhoudt, waar het archief staat en hoe we open source delen.</p>"
    )
    with transaction.atomic():
        site = Site.objects.select_related("root_page").get(is_default_site=True)
        if not isinstance(site.root_page.specific, HomePage):
            home = HomePage(title="Meent", slug="meent-home", introduction="Samenwerken.")
            Page.get_first_root_node().add_child(instance=home)
            site.root_page = home
            site.save()

        organisation = OrganisationFactory(name="Benchdienst", slug="benchdienst")
        OrganisationDomainFactory(organisation=organisation, domain="peoplebench.nl")
        # The factory hashes each password (slow on purpose): hash it once and store that.
        users = [
            UserFactory(
                email=f"persoon-{n}@peoplebench.nl", password=None, organisation=organisation
            )
            for n in range(people)
        ]
        hashed = make_password(DEFAULT_PASSWORD)
        User.objects.filter(pk__in=[user.pk for user in users]).update(password=hashed)
        groups = [
            GroupFactory(name=f"Bench groep {g}", slug=f"bench-groep-{g}") for g in range(GROUPS)
        ]
        member_of = {g: [] for g in range(GROUPS)}
        for n, user in enumerate(users):
            for k in range(min(GROUPS_PER_PERSON, GROUPS)):
                member_of[(n + 2 * k) % GROUPS].append(user)
        for g, group in enumerate(groups):
            for index, user in enumerate(member_of[g]):
                role = Membership.Role.OWNER if index == 0 else Membership.Role.MEMBER
                MembershipFactory(group=group, user=user, role=role)
        content = {}
        for g, group in enumerate(groups):
            # All memberships first: the access policy remembers a person's groups.
            members = member_of[g]
            owner = members[0]
            welcome = wiki.create_page(owner, group, title="Welkom", body=paragraph * 4)
            pages = [
                welcome,
                wiki.create_page(
                    owner, group, title="Werkafspraken", body=paragraph * 8, parent=welcome
                ),
                wiki.create_page(owner, group, title="Handleiding", body=paragraph * 12),
            ]
            posts = []
            for p in range(2):
                post = blog.save_post(
                    members[p % len(members)],
                    blog.PostInput(
                        title=f"Verslag van overleg {p + 1} in {group.name}",
                        summary="Wat we afspraken.",
                        body=paragraph * 6,
                        tags="overleg, bench",
                        publish=blog.Publish.NOW,
                    ),
                    group=group,
                )
                for commenter in members[1:3]:
                    blog.add_comment(commenter, post, "Dank voor het verslag, goed overleg.")
                posts.append(post.slug)
            content[group.slug] = {
                "wiki": [page.get_absolute_url() for page in pages],
                "posts": posts,
            }
        if Post.objects.filter(
            slug__in=[s for c in content.values() for s in c["posts"]]
        ).count() < (2 * GROUPS):
            raise RuntimeError("not every post was stored")

    plans = []
    for n, user in enumerate(users):
        mine = [group.slug for g, group in enumerate(groups) if user in member_of[g]]
        plans.append(
            {
                "email": user.email,
                "ip": f"10.77.{n // 250}.{n % 250 + 1}",
                "groups": mine,
                "wiki": [url for slug in mine for url in content[slug]["wiki"]],
                "posts": [post for slug in mine for post in content[slug]["posts"]],
            }
        )
    with open(out_path, "w") as out:
        json.dump({"password": DEFAULT_PASSWORD, "people": plans}, out)


# --- the virtual people ------------------------------------------------------------------------


class Browser:
    """One person's keep-alive connection and cookies; opens a new connection when it must."""

    def __init__(self, port, ip, timeout):
        self.port = port
        self.timeout = timeout
        self.headers = {"X-Forwarded-For": ip}
        self.cookies = {}
        self.connection = None

    async def request(self, method, path, form=None):
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        raw = build_request(path, self.port, headers, method, body)
        try:
            if self.connection is None:
                self.connection = await Connection.open(self.port, self.timeout)
            response = await self.connection.request(raw)
        except BaseException:
            self.close()
            raise
        for name, value in response.headers:
            if name == "set-cookie":
                self.keep_cookie(value)
        if response.close:
            self.close()
        return response

    def keep_cookie(self, header):
        pair, *attributes = header.split(";")
        name, _, value = pair.strip().partition("=")
        expired = any(
            attribute.strip().lower().replace(" ", "") == "max-age=0" for attribute in attributes
        )
        if expired:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Tally:
    """Latencies and errors per page, per kind (browse, post) and of the sign-in."""

    def __init__(self, people):
        names = ["sign-in", *BROWSE_PAGES, POST_KIND, "browse", "post"]
        self.runs = {name: RunResult(path=name, connections=people) for name in names}
        self.samples = []  # the first errors, to say what went wrong

    def ok(self, page, kind, seconds):
        self.runs[page].latencies.append(seconds)
        if kind:
            self.runs[kind].latencies.append(seconds)

    def error(self, page, kind, what, path):
        self.runs[page].errors[what] += 1
        if kind:
            self.runs[kind].errors[what] += 1
        if len(self.samples) < 20:
            self.samples.append(f"{page} {path}: {what}")

    @property
    def error_count(self):
        return sum(
            run.error_count
            for name, run in self.runs.items()
            if name in ("sign-in", "browse", "post")
        )


def signed_out(response):
    location = response.header("location") or ""
    return response.status in (301, 302, 303, 307, 308) and SIGN_IN_PATH in location


async def timed(browser, tally, page, kind, method, path, form=None, check=None):
    """One request, counted: the response when it succeeded, else None."""
    started = time.perf_counter()
    try:
        response = await browser.request(method, path, form)
    except REQUEST_ERRORS as error:
        tally.error(page, kind, type(error).__name__, path)
        return None
    seconds = time.perf_counter() - started
    if not 200 <= response.status < 400:
        tally.error(page, kind, f"HTTP {response.status}", path)
        return None
    if signed_out(response):
        tally.error(page, kind, "sent to the sign-in page", path)
        return None
    problem = check(response) if check else None
    if problem:
        tally.error(page, kind, problem, path)
        return None
    tally.ok(page, kind, seconds)
    return response


def csrf_token(body):
    found = CSRF_INPUT.search(body)
    return found.group(1).decode() if found else None


def submission_key(body):
    found = SUBMISSION_KEY.search(body)
    return {"submission_key": found.group(1).decode()} if found else {}


async def sign_in(browser, tally, email, password):
    page = await timed(browser, tally, "sign-in", None, "GET", SIGN_IN_PATH)
    if page is None:
        return False
    token = csrf_token(page.body)
    if token is None:
        tally.error("sign-in", None, "no CSRF token in the form", SIGN_IN_PATH)
        return False

    def landed(response):
        if response.status != 302:
            return f"HTTP {response.status} (the form again: not signed in)"
        if SIGN_IN_PATH in (response.header("location") or "") or "/accounts/" in (
            response.header("location") or ""
        ):
            return f"redirected to {response.header('location')}"
        return None

    form = {"csrfmiddlewaretoken": token, "login": email, "password": password}
    return (
        await timed(browser, tally, "sign-in", None, "POST", SIGN_IN_PATH, form, landed) is not None
    )


def browse_path(page, plan, rng):
    if page == "home":
        return "/"
    if page == "groups":
        return "/groups/"
    if page == "group":
        return f"/groups/{rng.choice(plan['groups'])}/"
    if page == "wiki page":
        return rng.choice(plan["wiki"])
    if page == "blog":
        return "/blog/"
    if page == "blog post":
        return f"/blog/{rng.choice(plan['posts'])}/"
    return f"/search/?q={quote_plus(rng.choice(SEARCH_WORDS))}"


async def walk(browser, tally, index, plan, deadline, config, run_id, posted):
    """Browse until the deadline; every post_every-th step comment on a post of a group."""
    rng = random.Random(index)
    step = rng.randrange(len(BROWSE_PAGES))
    posts = 0
    while time.perf_counter() < deadline:
        step += 1
        if step % config["post_every"]:
            page = BROWSE_PAGES[step % len(BROWSE_PAGES)]
            await timed(browser, tally, page, "browse", "GET", browse_path(page, plan, rng))
            continue
        slug = rng.choice(plan["posts"])
        shown = await timed(browser, tally, "blog post", "browse", "GET", f"/blog/{slug}/")
        if shown is None or time.perf_counter() >= deadline:
            continue
        token = csrf_token(shown.body)
        if token is None:
            tally.error(POST_KIND, "post", "no CSRF token on the post's page", f"/blog/{slug}/")
            continue
        posts += 1
        marker = f"pb-{run_id}-{index}-{posts}"
        body = f"Reactie {marker}: goed verslag, ik neem het mee naar ons overleg."

        def stored(response, slug=slug):
            location = response.header("location") or ""
            if response.status != 302 or not location.startswith(f"/blog/{slug}/"):
                return f"HTTP {response.status} to {location or '-'} (not posted)"
            return None

        response = await timed(
            browser,
            tally,
            POST_KIND,
            "post",
            "POST",
            f"/blog/{slug}/comments/",
            {"csrfmiddlewaretoken": token, "body": body, **submission_key(shown.body)},
            stored,
        )
        posted["ok" if response is not None else "failed"].append(marker)


async def drive(port, plans, password, config, run_id, server_pid, on_walk=None):
    """Sign everyone in (a few at a time), then let them all walk for the configured seconds
    (``on_walk()`` is called as they start: what runs beside the load starts then)."""
    tally = Tally(len(plans))
    browsers = [Browser(port, plan["ip"], config["timeout"]) for plan in plans]
    posted = {"ok": [], "failed": []}
    try:
        # A few at a time: each sign-in hashes the password (deliberately slow), and 50 at once
        # queue up behind each other for longer than the request timeout.
        gate = asyncio.Semaphore(config["sign_in_concurrency"])

        async def gated_sign_in(browser, plan):
            async with gate:
                return await sign_in(browser, tally, plan["email"], password)

        started = time.perf_counter()
        signed = await asyncio.gather(
            *(gated_sign_in(browser, plan) for browser, plan in zip(browsers, plans, strict=True))
        )
        sign_in_seconds = time.perf_counter() - started
        tally.runs["sign-in"].seconds = sign_in_seconds
        # Whoever signed in first waited for the others, longer than the server keeps an idle
        # connection open (uvicorn: 5 s) on a slow or busy machine: its next request would meet a
        # closed connection, which a browser silently retries on a new one. Each walks on a new one.
        for browser in browsers:
            browser.close()
        walkers = [
            (index, browser, plan)
            for index, (browser, plan, ok) in enumerate(zip(browsers, plans, signed, strict=True))
            if ok
        ]
        if on_walk is not None:
            on_walk()
        cpu_before = process_cpu_seconds(server_pid)
        client_before = time.process_time()
        started = time.perf_counter()
        deadline = started + config["seconds"]
        tasks = [
            asyncio.ensure_future(
                walk(browser, tally, index, plan, deadline, config, run_id, posted)
            )
            for index, browser, plan in walkers
        ]
        stopped_early = False
        try:
            await asyncio.wait_for(
                asyncio.gather(*tasks), config["seconds"] + config["timeout"] + HARD_LIMIT_MARGIN
            )
        except TimeoutError:
            stopped_early = True
            tally.error("browse", None, "run stopped at the hard time limit", "-")
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        seconds = time.perf_counter() - started
        cpu_after = process_cpu_seconds(server_pid)
        for name, run in tally.runs.items():
            if name != "sign-in":
                run.seconds = seconds
        figures = {
            "signed_in": sum(signed),
            "sign_in_seconds": round(sign_in_seconds, 2),
            "seconds": round(seconds, 2),
            "stopped_early": stopped_early,
            "server_cpu_percent": (
                round(100 * (cpu_after - cpu_before) / seconds, 1)
                if cpu_before is not None and cpu_after is not None
                else None
            ),
            "client_cpu_percent": round(100 * (time.process_time() - client_before) / seconds, 1),
        }
        return tally, posted, figures
    finally:
        for browser in browsers:
            browser.close()


class ConnectionWatch:
    """The most connections the server holds to its database, sampled every half second in a
    thread of its own (one connection more, its own)."""

    def __init__(self, database_url, database):
        self.database_url = database_url
        self.database = database
        self.peak = 0
        self.max_connections = None
        self.error = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        try:
            with postgres(self.database_url) as connection:
                self.max_connections = int(connection.execute("SHOW max_connections").fetchone()[0])
                while not self._stop.wait(0.5):
                    (count,) = connection.execute(
                        "SELECT count(*) - 1 FROM pg_stat_activity WHERE datname = %s",
                        (self.database,),
                    ).fetchone()
                    self.peak = max(self.peak, count)
        except Exception as error:  # noqa: BLE001 - a figure only; never break the run
            self.error = f"{type(error).__name__}: {error}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)

    def figures(self):
        return {
            "peak_database_connections": self.peak,
            "max_connections": self.max_connections,
            "watch_error": self.error,
        }


# --- exactly once ------------------------------------------------------------------------------


def verify(database_url, run_id, posted):
    """Each successfully posted marker stored exactly once; failed ones at most once."""
    with postgres(database_url) as connection:
        rows = connection.execute(
            "SELECT body FROM blog_comment WHERE body LIKE %s", (f"%pb-{run_id}-%",)
        ).fetchall()
    stored = Counter(marker for (body,) in rows for marker in MARKER.findall(body))
    ok, failed = posted["ok"], posted["failed"]
    sent = set(ok) | set(failed)
    return {
        "posted_ok": len(ok),
        "stored_exactly_once": sum(1 for marker in ok if stored[marker] == 1),
        "missing": sorted(marker for marker in ok if stored[marker] == 0),
        "duplicated": sorted(marker for marker in sent if stored[marker] > 1),
        "failed_posts": len(failed),
        "failed_but_stored_once": sum(1 for marker in failed if stored[marker] == 1),
        "never_sent_but_stored": sorted(marker for marker in stored if marker not in sent),
        "comments_with_markers": len(rows),
    }


def server_log_problems(path, keep=5):
    """What the server's log says besides its access log: how many lines, and its messages (the
    unindented lines, such as a warning or the exception ending a traceback) with their counts."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return {"lines": None, "messages": {}}
    problems = [line for line in lines if line.strip() and not ACCESS_LOG_LINE.match(line)]
    messages = Counter(
        line[:300]
        for line in problems
        if not line[0].isspace() and not line.startswith(LOG_FRAMING) and line[0] != "^"
    )
    return {"lines": len(problems), "messages": dict(messages.most_common(keep))}


def exactly_once_holds(check):
    return (
        check["stored_exactly_once"] == check["posted_ok"]
        and not check["duplicated"]
        and not check["never_sent_but_stored"]
    )


# --- the run -----------------------------------------------------------------------------------


def run(tmp, say, environ=None, *, server_env=None, alongside=None):
    """Run the people part: (results for the JSON file, exit status); status None when skipped.

    ``server_env``: variables on top for the server process only (not the setup), e.g.
    TASK_BACKEND=database. ``alongside(env, database_url, log_dir)``: what runs beside the load
    (tests/perf/workerbench.py: a task worker and a steady stream of tasks), an object with
    ``start()`` (once the server answers), ``walking()`` (as the people start to walk),
    ``finish()`` (after the walk, the database still there: its figures, in the results under
    "alongside") and ``stop()`` (always, idempotent)."""
    environ = dict(os.environ if environ is None else environ)
    try:
        config = read_config(environ)
        redis_url, postgres_url = service_urls(environ)
        check_services(redis_url, postgres_url)
    except Skip as skip:
        say(f"bench: people part SKIPPED: {skip}")
        return {"skipped": str(skip)}, None

    pid = os.getpid()
    database = ThrowawayDatabase(postgres_url, f"meent_people_{pid}")
    database_url = database.url
    prefix = f"meent-people-{pid}"
    run_id = f"{pid:x}{int(time.time()) % 100000:x}"
    log_dir = tmp / "people"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = base_environment(environ, tmp, database_url, redis_url)
    env.update({"REDIS_PREFIX": prefix, "ALLAUTH_TRUSTED_PROXY_COUNT": "1"})
    server_environment = {**env, **(server_env or {})}
    servers = side = None
    side_results = None
    try:
        say(f"bench: people: throw-away database {database.name} on {database.where}")
        database.create()
        setup_log = log_dir / "setup.log"
        seconds = run_python(["manage.py", "migrate", "--noinput"], env, setup_log, 900)
        say(f"bench: people: migrate done ({seconds:.1f} s)")
        world_path = log_dir / "world.json"
        seconds = run_python(
            ["-m", "tests.perf.peoplebench", "--setup", str(world_path), str(config["people"])],
            env,
            setup_log,
            300,
        )
        world = json.loads(world_path.read_text())
        say(
            f"bench: people: {config['people']} people in {GROUPS} groups with wiki pages and "
            f"posts ({seconds:.1f} s)"
        )
        servers = Servers("config.asgi:application", server_environment, 1, log_dir, "people")
        servers.wait_until_healthy()
        if alongside is not None:
            side = alongside(server_environment, database_url, log_dir)
            side.start()
        say(
            f"bench: people: the server on 127.0.0.1:{servers.ports[0]} (Redis prefix {prefix}); "
            f"{config['people']} people sign in, then browse for {config['seconds']:g} s, "
            f"every {config['post_every']}th step a comment"
        )
        with ConnectionWatch(database_url, database.name) as watch:
            tally, posted, figures = asyncio.run(
                drive(
                    servers.ports[0],
                    world["people"],
                    world["password"],
                    config,
                    run_id,
                    servers.pids[0],
                    on_walk=side.walking if side is not None else None,
                )
            )
        figures.update(watch.figures())
        servers.check_alive()
        check = verify(database_url, run_id, posted)
        log_problems = server_log_problems(servers.logs[0])
        if side is not None:
            side_results = side.finish()
    finally:
        if side is not None:
            side.stop()
        if servers is not None:
            servers.stop()
        cleaned = ["the server stopped", redis_cleanup(redis_url, prefix), database.drop()]
        say(f"bench: people: {', '.join(filter(None, cleaned))}")

    summaries = {name: result.summary() for name, result in tally.runs.items()}
    requests = summaries["browse"]["requests"] + summaries["post"]["requests"]
    errors = tally.error_count
    holds = exactly_once_holds(check)
    results = {
        "settings": {
            "database": "PostgreSQL, throw-away database, people/groups/wiki/blog from the factories",
            "redis": "channel layer and cache, own key prefix",
            "settings_module": "tests.perf.settings",
            "server": "uvicorn (config/serve.py), one process, 127.0.0.1",
            "client": "tests/perf/loadgen.py connections, one keep-alive connection per person",
            "people": config["people"],
            "seconds": config["seconds"],
            "post_every": config["post_every"],
            "sign_in_concurrency": config["sign_in_concurrency"],
            "request_timeout": config["timeout"],
            "think_time": 0,
            "latency_of": "successful (2xx/3xx) responses; redirects are not followed",
        },
        **figures,
        "requests": requests,
        "rps": round(requests / figures["seconds"], 1) if figures["seconds"] else 0.0,
        "errors": errors,
        "error_kinds": dict(
            sum((tally.runs[kind].errors for kind in ("sign-in", "browse", "post")), Counter())
        ),
        "error_samples": tally.samples,
        "pages": summaries,
        "exactly_once": check,
        "exactly_once_holds": holds,
        "server_log_problems": log_problems,
    }
    if server_env:
        results["settings"]["server_env"] = dict(server_env)
    if side is not None:
        results["alongside"] = side_results
    say("")
    say(
        f"People: {figures['signed_in']} of {config['people']} signed in "
        f"({figures['sign_in_seconds']:.1f} s, p50 {fmt(summaries['sign-in']['p50_ms'])} ms, "
        f"p99 {fmt(summaries['sign-in']['p99_ms'])} ms per request), then browsing and posting "
        f"for {figures['seconds']:.1f} s (server CPU {fmt(figures['server_cpu_percent'], 0)}%):"
    )
    say(people_table(summaries))
    say("")
    say(
        f"Throughput {results['rps']:.1f} req/s ({requests} requests), errors {errors}"
        + (f" {results['error_kinds']}" if errors else "")
    )
    say(exactly_once_line(check))
    say(
        f"PostgreSQL connections held by the server: at most {figures['peak_database_connections']} "
        f"(the server allows {figures['max_connections'] or '?'} for everyone)"
        + (f"; not measured: {figures['watch_error']}" if figures["watch_error"] else "")
    )
    if log_problems["lines"]:
        say(
            f"The server's log has {log_problems['lines']} line(s) besides its access log (not counted "
            "as request errors); its most frequent messages:"
        )
        for line, count in log_problems["messages"].items():
            say(f"  {count:>5} x {line}")
    if errors or not holds:
        for sample in tally.samples:
            say(f"  error: {sample}")
        say(
            f"bench: people FAILED: {errors} error(s)"
            + ("" if holds else ", comments not stored exactly once")
        )
        return results, 1
    return results, 0


def people_table(summaries):
    rows = []
    for name in [*BROWSE_PAGES, "browse", POST_KIND, "post"]:
        s = summaries[name]
        kind = "post" if name in (POST_KIND, "post") else "browse"
        label = f"{name} (all)" if name in ("browse", "post") else name
        rows.append(
            [
                kind,
                label,
                s["requests"],
                fmt(s["rps"]),
                fmt(s["p50_ms"]),
                fmt(s["p90_ms"]),
                fmt(s["p99_ms"]),
                fmt(s["max_ms"]),
                s["errors"],
            ]
        )
    headers = [
        "kind",
        "page",
        "requests",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "errors",
    ]
    return render_table(rows, headers, ["<", "<", ">", ">", ">", ">", ">", ">", ">"])


def exactly_once_line(check):
    line = (
        f"Comments stored exactly once: {check['stored_exactly_once']} of {check['posted_ok']}"
        f"; failed posts {check['failed_posts']} (stored once anyway: "
        f"{check['failed_but_stored_once']}); duplicated {len(check['duplicated'])}; "
        f"stored but never sent {len(check['never_sent_but_stored'])}"
    )
    if check["missing"]:
        line += f"; MISSING {check['missing'][:10]}"
    if check["duplicated"]:
        line += f"; DUPLICATED {check['duplicated'][:10]}"
    return line


def main():
    from .bench import main as bench_main

    return bench_main(only="people")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--setup"]:
        setup(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main())
