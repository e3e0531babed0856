"""The search part of `make bench`: the database backend on PostgreSQL with many documents.

One run (called from tests/perf/bench.py; BENCH_ONLY=search runs only this part):

1. PostgreSQL on 127.0.0.1 must answer; otherwise the part says why and is skipped;
2. a throw-away database ``meent_searchbench_<pid>``, migrated, filled in bulk (bulk_create, so
   no save signal queues anything) with BENCH_SEARCH_DOCUMENTS mixed documents: groups (listed
   and hidden, open and members-only), people in organisations, wiki pages, blog posts (public,
   signed-in, organisation, private, group; some scheduled, some drafts) and comments, in Dutch
   and English from a generated vocabulary with Zipf-like word frequencies (common and rare words,
   and word families such as samenwerken/samenwerking);
3. ``manage.py search_index rebuild`` (the command itself, in the worker process) indexes
   everything: rebuild wall time and documents/second;
4. BENCH_SEARCH_QUERIES one-word and as many two-word queries (common and rare words mixed),
   through ``get_search_backend().search(SearchQuery(...))`` as the search page calls it, after a
   warm-up, for a person in 20 groups and an organisation (their memberships read again for every
   query, as a request would) and for an anonymous visitor: p50/p95/p99 ms and results per query;
5. update latency: one wiki page saved in a transaction and its outbox drained (the immediate
   task backend drains on commit), until the change is findable;
6. EXPLAIN (ANALYZE, BUFFERS) of the member's search for the most common word (in the JSON).

Targets (issue 7): p95 below 150 ms, indexing above 1,000 documents/second; figures off target
are marked, not failed. The database is always dropped, also on Ctrl+C. The Django work runs in a
worker process (``python -m tests.perf.searchbench --worker OUT.json``) with the throw-away
database, so it never meets the SQLite database of the pages part.

Environment: BENCH_SEARCH_DOCUMENTS (100000), BENCH_SEARCH_QUERIES (200 of each kind),
BENCH_SEARCH_BUDGET (90: seconds per kind of query and person at most; a slower backend is
measured with the queries done by then, the table says how many),
BENCH_SEARCH_POSTGRES_URL (the server of DATABASE_URL when that is PostgreSQL, else
postgres://postgres@127.0.0.1:5432/postgres; used to create and drop the database).
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from .harness import (
    BenchError,
    Skip,
    ThrowawayDatabase,
    check_postgres,
    env_number,
    environment,
    fmt,
    load_average,
    local_postgres_url,
    manage,
    run_python,
)
from .report import render_table

TARGET_P95_MS = 150.0
TARGET_DOCS_PER_SECOND = 1000.0
MEMBER_GROUPS = 20
SEED = 7


class SearchBenchError(BenchError):
    """The search part could not run; the message says why."""


def env_int(environ, name, default, low, high):
    return env_number(environ, name, default, int, low=low, high=high)


def read_config(environ):
    return {
        "documents": env_int(environ, "BENCH_SEARCH_DOCUMENTS", 100_000, 1_000, 2_000_000),
        "queries": env_int(environ, "BENCH_SEARCH_QUERIES", 200, 10, 100_000),
        "budget": env_int(environ, "BENCH_SEARCH_BUDGET", 90, 5, 3600),
    }


# --- the part --------------------------------------------------------------------------------


def run(tmp, say, environ=None):
    """Run the search part: (results for the JSON file, exit status); status None when skipped."""
    environ = dict(os.environ if environ is None else environ)
    try:
        url = local_postgres_url(environ, "BENCH_SEARCH_POSTGRES_URL")
        check_postgres(url)
    except Skip as skip:
        say(f"bench: search part SKIPPED: {skip}")
        return {"skipped": str(skip)}, None
    config = read_config(environ)
    database = ThrowawayDatabase(url, f"meent_searchbench_{os.getpid()}")
    log_dir = tmp / "search"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = environment(environ, tmp, database.url, LOG_LEVEL="WARNING")
    load_before = load_average()
    try:
        say(f"bench: search: throw-away database {database.name} on {database.where}")
        database.create()
        seconds = manage(["migrate", "--noinput"], env, log_dir / "setup.log", 900)
        say(f"bench: search: migrate done ({seconds:.1f} s)")
        say(
            f"bench: search: {config['documents']} documents, {config['queries']} queries of "
            "each kind (this takes a while; the worker reports in its log)"
        )
        out = log_dir / "search.json"
        worker_env = {
            **env,
            "BENCH_SEARCH_DOCUMENTS": str(config["documents"]),
            "BENCH_SEARCH_QUERIES": str(config["queries"]),
            "BENCH_SEARCH_BUDGET": str(config["budget"]),
        }
        log_path = log_dir / "worker.log"
        seconds = run_python(
            ["-m", "tests.perf.searchbench", "--worker", str(out)], worker_env, log_path, 7200
        )
        measured = json.loads(out.read_text())
        say(f"bench: search: worker done ({seconds:.1f} s)")
    finally:
        dropped = database.drop()
        if dropped:
            say(f"bench: search: {dropped}")

    results = summarise(measured, config, load_before)
    say("")
    for line in report_lines(results):
        say(line)
    return results, 0


def summarise(measured, config, load_before):
    latency = measured["latency"]
    below = []
    for run in latency:
        run["p95_ok"] = run["p95_ms"] < TARGET_P95_MS
        if not run["p95_ok"]:
            below.append(f"{run['who']} {run['kind']} p95 {run['p95_ms']:.1f} ms")
    indexing = measured["indexing"]
    indexing["ok"] = indexing["documents_per_second"] > TARGET_DOCS_PER_SECOND
    if not indexing["ok"]:
        below.append(f"indexing {indexing['documents_per_second']:.0f} documents/s")
    return {
        "settings": {
            "database": "PostgreSQL, throw-away database, bulk-created documents",
            "backend": "DatabaseBackend (search/backends.py)",
            "settings_module": "tests.perf.settings",
            "documents_asked": config["documents"],
            "queries_per_kind": config["queries"],
            "seconds_budget_per_kind": config["budget"],
            "member_groups": MEMBER_GROUPS,
            "targets": {
                "p95_ms_below": TARGET_P95_MS,
                "documents_per_second_above": TARGET_DOCS_PER_SECOND,
            },
            "latency_of": "get_search_backend().search(SearchQuery(text, user)), in-process, "
            "memberships read again per query; page 1, 20 per page",
            "seed": SEED,
        },
        "load_average_1m_before": load_before,
        **measured,
        "off_target": below,
    }


def report_lines(results):
    data = results["data"]
    indexing = results["indexing"]
    lines = [
        "Search (database backend, PostgreSQL): "
        + ", ".join(f"{count} {name}" for name, count in data["counts"].items())
        + f"; {data['indexed']} indexed, {data['access_rows']} access labels "
        f"(generated in {data['seconds']:.1f} s)",
        "",
        render_table(
            [
                [
                    "rebuild (search_index rebuild)",
                    indexing["documents"],
                    fmt(indexing["seconds"]),
                    fmt(indexing["documents_per_second"], 0),
                    "ok"
                    if indexing["ok"]
                    else f"BELOW TARGET (<= {TARGET_DOCS_PER_SECOND:.0f} docs/s)",
                ]
            ],
            ["indexing", "documents", "seconds", "docs/s", "target"],
            ["<", ">", ">", ">", "<"],
        ),
        "",
    ]
    rows = [
        [
            run["who"],
            run["kind"],
            f"{run['queries']}/{run['queries_planned']}",
            fmt(run["p50_ms"]),
            fmt(run["p95_ms"]),
            fmt(run["p99_ms"]),
            fmt(run["max_ms"]),
            fmt(run["mean_total"], 0),
            fmt(run["mean_hits"], 1),
            "ok" if run["p95_ok"] else f"ABOVE TARGET (p95 >= {TARGET_P95_MS:.0f} ms)",
        ]
        for run in results["latency"]
    ]
    lines.append(
        render_table(
            rows,
            [
                "who",
                "query",
                "n",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "max ms",
                "avg total",
                "avg hits",
                "target",
            ],
            ["<", "<", ">", ">", ">", ">", ">", ">", ">", "<"],
        )
    )
    update = results["update"]
    lines += [
        "",
        f"Update latency (one wiki page saved, outbox drained on commit, findable): "
        f"p50 {fmt(update['p50_ms'])} ms, max {fmt(update['max_ms'])} ms over "
        f"{update['saves']} saves; findable afterwards: {update['findable']}",
        f"Machine load (1 min) before {results['load_average_1m_before']}, during the queries "
        f"{results['load_average_1m_queries']}",
    ]
    if any(not run["p95_ok"] for run in results["latency"]):
        for name, plans in results["explain"].items():
            for plan in plans[-1:]:  # the page query: facets are the same scan
                lines.append(f"EXPLAIN ANALYZE ({name}), page query:")
                lines.extend(f"  {row}" for row in plan["plan"][:25])
    if results["off_target"]:
        lines.append("bench: search OFF TARGET: " + "; ".join(results["off_target"]))
    return lines


# --- the worker (inside Django, on the throw-away database) ----------------------------------


def _split(text):
    return text.split()


DUTCH = _split("""
samenwerken samenwerking samenwerkingen samenwerkt overheid gemeente gemeenten provincie
ministerie beleid beleidsregel wetgeving uitvoering dienstverlening burger burgers inwoners
organisatie organisaties afspraken werkafspraken vergadering overleg besluit besluiten
verslag verslagen project projecten programma planning begroting financiering subsidie
aanvraag aanvragen vergunning vergunningen toezicht handhaving privacy gegevens
gegevensbescherming informatiebeveiliging beveiliging openbaarheid transparantie
digitaal digitale dienst diensten platform applicatie software ontwikkeling ontwikkelen
ontwikkelaar ontwikkelaars code broncode publiceren publicatie open standaard standaarden
architectuur infrastructuur cloud hosting netwerk toegankelijkheid gebruikers onderzoek
onderzoeken evaluatie rapport rapportage advies adviezen werkgroep team teams medewerkers
leidinggevende directie bestuur wethouder raad gemeenteraad ambtenaar ambtenaren regio
klimaat energie duurzaamheid woningbouw wonen mobiliteit verkeer zorg jeugdzorg onderwijs
veiligheid inkoop aanbesteding contract leverancier kennis kennisdeling leren opleiding
training bijeenkomst workshop presentatie notulen agenda voorstel wijziging versie
""")

ENGLISH = _split("""
collaboration collaborate collaborating government municipality policy implementation
service services citizens organisation meeting meetings decision decisions report reports
project projects programme planning budget funding grant application permit supervision
privacy data protection security transparency digital platform software development
developer developers code source publishing published open standard standards architecture
infrastructure network accessibility users research evaluation advice working group team
management board council region climate energy sustainability housing mobility traffic care
education safety procurement tender contract supplier knowledge sharing learning training
workshop presentation minutes agenda proposal change version release roadmap feedback
""")

FIRST_NAMES = _split("""Anna Bram Carla Daan Eva Floor Gijs Hanna Iris Jan Kees Lotte Mila Noah Olaf
Pien Ruben Sanne Tim Uma Vera Wouter Xander Yara Zoë Fatima Mohammed Priya Sven Joris""")
LAST_NAMES = _split("""Jansen de Vries van den Berg Bakker Visser Smit Meijer de Boer Mulder de Groot
Bos Vos Peters Hendriks van Leeuwen Dekker Brouwer de Wit Dijkstra Smits de Graaf""")
SYLLABLES = _split("""ka ro me ti lu sa ve do ni pa gre tor lin mar kel bo ster wan dijk hof""")


class Vocabulary:
    """Real Dutch and English words, frequent, and generated words, a long tail of rare ones."""

    def __init__(self, rng, size=20_000):
        real = list(dict.fromkeys(DUTCH + ENGLISH))
        rng.shuffle(real)
        generated = set()
        while len(generated) < size - len(real):
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in real:
                generated.add(word)
        self.words = real + sorted(generated)
        # Zipf-Mandelbrot: the word of rank r has weight 1/(r + 50). Without stop words (which a
        # plain 1/r would make of the first words), the most common word is about 0.3% of the
        # words and in about a third of the wiki pages; the rarest in a handful of documents.
        weights = [1.0 / (rank + 50) for rank in range(1, len(self.words) + 1)]
        total = 0.0
        self.cum = []
        for weight in weights:
            total += weight
            self.cum.append(total)
        self.rng = rng
        self.real = real

    def text(self, count):
        chosen = self.rng.choices(self.words, cum_weights=self.cum, k=count)
        sentences = []
        for start in range(0, len(chosen), 12):
            sentence = " ".join(chosen[start : start + 12])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        return " ".join(sentences)

    def title(self):
        return self.text(self.rng.randint(2, 6)).rstrip(".")

    def common(self, count):
        return self.words[:count]

    def rare(self, low=2_000, high=15_000):
        return self.words[self.rng.randint(low, min(high, len(self.words) - 1))]


def plan(documents):
    groups = max(40, min(200, documents // 500))
    people = max(100, min(2000, documents // 50))
    organisations = max(5, min(50, people // 40))
    rest = max(0, documents - groups - people)
    wiki = rest * 45 // 100
    comments = rest * 33 // 100
    posts = rest - wiki - comments
    return {
        "organisations": organisations,
        "groups": groups,
        "people": people,
        "wiki_pages": wiki,
        "blog_posts": posts,
        "comments": comments,
    }


def generate(documents, rng, log):
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Organisation, User
    from blog.models import Comment, Post
    from groups.models import Group, Membership
    from wiki.models import WikiPage
    from wiki.rendering import title_key

    counts = plan(documents)
    vocabulary = Vocabulary(rng)
    now = timezone.now()
    day = 86_400
    started = time.perf_counter()
    unusable = make_password(None)

    def past():
        return now - timezone.timedelta(seconds=rng.randint(day, 3 * 365 * day))

    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Organisatie {n}", slug=f"organisatie-{n}")
            for n in range(counts["organisations"])
        )
        people = User.objects.bulk_create(
            (
                User(
                    email=f"search-bench-{n}@bench.invalid",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=f"{rng.choice(LAST_NAMES)} {vocabulary.rare(500, 19_000)}",
                    password=unusable,
                    organisation=rng.choice(organisations),
                    job_title=vocabulary.title(),
                    about=vocabulary.text(rng.randint(5, 30)),
                    date_joined=past(),
                )
                for n in range(counts["people"])
            ),
            batch_size=1000,
        )
        log(f"  {len(people)} people in {len(organisations)} organisations")
        groups = []
        for n in range(counts["groups"]):
            hidden = rng.random() < 0.15
            groups.append(
                Group(
                    name=f"{vocabulary.title()} {n}"[:120],
                    slug=f"groep-{n}",
                    description=vocabulary.text(rng.randint(10, 60)),
                    visibility=Group.Visibility.HIDDEN if hidden else Group.Visibility.LISTED,
                    content_default=(
                        Group.ContentDefault.MEMBERS
                        if hidden or rng.random() < 0.4
                        else Group.ContentDefault.OPEN
                    ),
                    created_by=rng.choice(people),
                )
            )
        groups = Group.objects.bulk_create(groups)
        memberships = []
        members_of = {}
        for group in groups:
            # The person measured (people[0]) is in exactly MEMBER_GROUPS groups: added below.
            chosen = rng.sample(people[1:], rng.randint(5, min(60, len(people) - 1)))
            members_of[group.pk] = chosen
            for index, person in enumerate(chosen):
                memberships.append(
                    Membership(group=group, user=person, role="owner" if index == 0 else "member")
                )
        # The person measured: a member of MEMBER_GROUPS groups, hidden and members-only ones too.
        member = people[0]
        for group in rng.sample(groups, MEMBER_GROUPS):
            memberships.append(Membership(group=group, user=member, role="member"))
            members_of[group.pk].append(member)
        Membership.objects.bulk_create(memberships, batch_size=5000)
        log(f"  {len(groups)} groups, {len(memberships)} memberships")

        pages = []
        for n in range(counts["wiki_pages"]):
            group = groups[n % len(groups)]
            title = f"{vocabulary.title()} {n}"[:200]
            visibility = rng.choices(
                [
                    WikiPage.Visibility.GROUP,
                    WikiPage.Visibility.LOGGED_IN,
                    WikiPage.Visibility.PUBLIC,
                ],
                weights=[5, 3, 2],
            )[0]
            moment = past()
            pages.append(
                WikiPage(
                    group=group,
                    title=title,
                    title_key=title_key(title),
                    slug=f"pagina-{n}",
                    path=f"pagina-{n}",
                    body=vocabulary.text(rng.randint(40, 200)),
                    visibility=visibility,
                    created_by=rng.choice(members_of[group.pk]),
                    created_at=moment,
                    updated_at=moment,
                )
            )
        WikiPage.objects.bulk_create(pages, batch_size=2000)
        log(f"  {len(pages)} wiki pages")

        posts = []
        for n in range(counts["blog_posts"]):
            in_group = rng.random() < 0.4
            group = rng.choice(groups) if in_group else None
            author = rng.choice(members_of[group.pk]) if group else rng.choice(people)
            state = rng.random()
            if state < 0.9:
                published = past()
            elif state < 0.95:
                published = now + timezone.timedelta(days=rng.randint(1, 30))  # scheduled
            else:
                published = None  # draft
            visibility = rng.choices(
                [
                    Post.Visibility.PUBLIC,
                    Post.Visibility.LOGGED_IN,
                    Post.Visibility.ORGANISATION,
                    Post.Visibility.PRIVATE,
                ],
                weights=[5, 3, 2, 1],
            )[0]
            posts.append(
                Post(
                    author=author,
                    group=group,
                    title=vocabulary.title()[:200],
                    slug=f"bericht-{n}",
                    summary=vocabulary.text(rng.randint(5, 25))[:300],
                    body=vocabulary.text(rng.randint(60, 250)),
                    visibility=visibility,
                    published_at=published,
                    created_at=published or now,
                    updated_at=published or now,
                )
            )
        posts = Post.objects.bulk_create(posts, batch_size=2000)
        log(f"  {len(posts)} blog posts")

        comments = []
        for n in range(counts["comments"]):
            post = posts[n % len(posts)] if posts else None
            if post is None:
                break
            removed = rng.random() < 0.02
            comments.append(
                Comment(
                    post=post,
                    author=rng.choice(people),
                    body=vocabulary.text(rng.randint(5, 60)),
                    created_at=past(),
                    removed_at=now if removed else None,
                )
            )
        Comment.objects.bulk_create(comments, batch_size=5000)
        log(f"  {len(comments)} comments")
    return {
        "counts": {
            "groups": len(groups),
            "people": len(people),
            "wiki pages": len(pages),
            "blog posts": len(posts),
            "comments": len(comments),
        },
        "organisations": len(organisations),
        "memberships": len(memberships),
        "seconds": round(time.perf_counter() - started, 2),
        "member_id": member.pk,
        "member_groups": MEMBER_GROUPS,
    }, vocabulary


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def queries_for(vocabulary, rng, count):
    """One-word and two-word queries: half with common words, half with rarer ones."""
    common = vocabulary.common(150)
    families = ["samenwerken", "samenwerking", "ontwikkelen", "publiceren", "publishing"]

    def word(kind):
        if kind == "common":
            return rng.choice(common)
        if kind == "family":
            return rng.choice(families)
        return vocabulary.rare(200, 15_000)

    one, two = [], []
    for n in range(count):
        kind = ("common", "rare", "common", "family")[n % 4]
        one.append(word(kind))
        pair = (("common", "common"), ("common", "rare"), ("rare", "family"), ("common", "family"))
        a, b = pair[n % 4]
        two.append(f"{word(a)} {word(b)}")
    return {"one word": one, "two words": two}


def time_queries(texts, user_loader, warmup, budget):
    from meent import access
    from search.backends import SearchQuery, get_search_backend

    backend = get_search_backend()
    for text in warmup:
        backend.search(SearchQuery(text=text, user=user_loader()))
    timings, totals, hits = [], [], []
    deadline = time.perf_counter() + budget
    for text in texts:
        if time.perf_counter() > deadline:
            break  # a slow backend: the figures of the queries done so far
        started = time.perf_counter()
        user = user_loader()
        if user is not None:
            access.forget_memberships(user)
        result = backend.search(SearchQuery(text=text, user=user))
        timings.append((time.perf_counter() - started) * 1000)
        totals.append(result.total)
        hits.append(len(result.hits))
    return {
        "queries": len(timings),
        "queries_planned": len(texts),
        "p50_ms": round(percentile(timings, 0.50), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "max_ms": round(max(timings), 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "mean_total": round(statistics.fmean(totals), 1),
        "mean_hits": round(statistics.fmean(hits), 1),
        "zero_results": sum(1 for total in totals if total == 0),
    }


def explain(text, user):
    """EXPLAIN (ANALYZE, BUFFERS) of the backend's two statements (facets, page) for a query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.backends import SearchQuery, get_search_backend

    with CaptureQueriesContext(connection) as captured:
        get_search_backend().search(SearchQuery(text=text, user=user))
    plans = []
    # Under the same planner settings as the search itself (DatabaseBackend._planner).
    with get_search_backend()._planner(), connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if "search_searchentry" not in sql:
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plans.append({"sql": sql, "plan": [row[0] for row in cursor.fetchall()]})
    return plans


def update_latency(vocabulary, rng, member, saves=20):
    from django.db import transaction

    from search.backends import SearchQuery, get_search_backend
    from search.models import OutboxItem
    from wiki.models import WikiPage

    page = WikiPage.objects.filter(group__memberships__user=member).order_by("pk").first()
    timings = []
    marker = None
    for n in range(saves):
        marker = f"bijwerkmarker{n}x{rng.randint(0, 10**9)}"
        page.body = f"{vocabulary.text(50)} {marker}"
        started = time.perf_counter()
        with transaction.atomic():
            page.save()
        # The immediate task backend drained the outbox on commit; a queue worker would do it later.
        left = OutboxItem.objects.count()
        timings.append((time.perf_counter() - started) * 1000)
        if left:
            raise SearchBenchError(f"{left} outbox item(s) left after a save")
    findable = get_search_backend().search(SearchQuery(text=marker, user=member)).total == 1
    return {
        "saves": saves,
        "p50_ms": round(percentile(timings, 0.5), 2),
        "max_ms": round(max(timings), 2),
        "findable": findable,
        "of": "wiki page save in a transaction + outbox drain on commit (ImmediateBackend)",
    }


def worker(out_path):
    import io

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from search.backends import RANKED_CANDIDATES, get_search_backend
    from search.models import SearchAccess, SearchEntry

    def log(message):
        print(message, flush=True)

    documents = int(os.environ.get("BENCH_SEARCH_DOCUMENTS", "100000"))
    queries = int(os.environ.get("BENCH_SEARCH_QUERIES", "200"))
    budget = float(os.environ.get("BENCH_SEARCH_BUDGET", "90"))
    rng = random.Random(SEED)
    log(f"generating {documents} documents")
    data, vocabulary = generate(documents, rng, log)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    log("search_index rebuild")
    stdout = io.StringIO()
    started = time.perf_counter()
    call_command("search_index", "rebuild", stdout=stdout)
    seconds = time.perf_counter() - started
    indexed = sum(get_search_backend().count_by_type().values())
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # What autovacuum would do soon after a rebuild; the planner needs the statistics.
        cursor.execute("ANALYZE search_searchentry")
        cursor.execute("ANALYZE search_searchaccess")
    analyse_seconds = time.perf_counter() - started
    data["indexed"] = indexed
    data["access_rows"] = SearchAccess.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('search_searchentry'),"
            " pg_total_relation_size('search_searchaccess')"
        )
        entry_bytes, access_bytes = cursor.fetchone()
    indexing = {
        "documents": indexed,
        "seconds": round(seconds, 2),
        "documents_per_second": round(indexed / seconds, 1) if seconds else None,
        "analyze_seconds": round(analyse_seconds, 2),
        "entry_table_mb": round(entry_bytes / 2**20, 1),
        "access_table_mb": round(access_bytes / 2**20, 1),
        "of": "manage.py search_index rebuild (call_command, batch 500), index empty before",
        "ranked_candidates": RANKED_CANDIDATES,
    }
    log(f"  {indexed} documents in {seconds:.1f} s")

    member = User.objects.select_related("organisation").get(pk=data["member_id"])

    def load_member():
        return member

    texts = queries_for(vocabulary, rng, queries)
    warmup = queries_for(vocabulary, random.Random(SEED + 1), 8)
    latency = []
    loads = []
    for who, loader in (("member of 20 groups", load_member), ("anonymous", lambda: None)):
        for kind, kind_texts in texts.items():
            log(f"queries: {who}, {kind}")
            run = time_queries(kind_texts, loader, warmup[kind], budget)
            latency.append({"who": who, "kind": kind, **run})
            loads.append(load_average())
    common_word = vocabulary.common(1)[0]
    plans = {
        "member, most common word": explain(common_word, member),
        "member, two common words": explain(" ".join(vocabulary.common(2)), member),
    }
    log("update latency")
    update = update_latency(vocabulary, rng, member)
    result = {
        "data": data,
        "indexing": indexing,
        "latency": latency,
        "load_average_1m_queries": max((v for v in loads if v is not None), default=None),
        "update": update,
        "explain": plans,
        "entries": SearchEntry.objects.count(),
    }
    with open(out_path, "w") as out:
        json.dump(result, out, default=str)


def main():
    """``python -m tests.perf.searchbench`` runs the part alone (BENCH_ONLY=search does too)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
        return 0
    import tempfile

    with tempfile.TemporaryDirectory(prefix="meent-searchbench-") as tmp:
        try:
            _results, status = run(Path(tmp), lambda message: print(message, flush=True))
        except BenchError as error:
            print(f"bench: search ERROR: {error}", flush=True)
            return 2
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
