"""The relevance set: what a person expects at the top of the results, on the demo data exactly as
``load_demo`` makes it (issue 18).

Each query is asked in the interface's language by a demo person, as the search page asks it
(the main community, the reader's language); the titles listed must all be among the first three
hits. In the Dutch interface no English toolbox page may be among them, and the other way round.
The set runs on the database backend (SQLite or PostgreSQL, whichever the suite runs on) and on
Elasticsearch when ELASTICSEARCH_URL is set (the ``backend`` fixture, as the contract suite).
Every query's top three is printed (``pytest -s``) and every failing query is listed at once.
"""

import pytest
from wagtail.models import Page, Site

from accounts.models import User
from search import registry
from search.backends import SearchQuery
from search.indexing import prepare_entries
from tests.demo import demo_once  # noqa: F401 (the fixture)

ANNA = "anna.jansen@minbzk.nl"  # open source, data en dashboards
BRAM = "bram.devries@minbzk.nl"  # privacy en AVG, the hidden tender group
LOTTE = "lotte.visser@amsterdam.nl"  # owner of privacy en AVG

# (interface language, query, titles expected in the top 3, who searches)
QUERIES = [
    # Groups
    ("nl", "open source", ["Open source in de overheid", "Toolbox open source"], ANNA),
    ("nl", "privacy", ["Privacy en AVG"], ANNA),
    ("nl", "avg", ["Privacy en AVG"], ANNA),
    ("nl", "dashboards", ["Data en dashboards"], ANNA),
    ("nl", "open data", ["Data en dashboards"], ANNA),
    ("nl", "cloudwerkplek", ["Aanbesteding cloudwerkplek"], BRAM),
    ("nl", "hergebruiken", ["Open source in de overheid"], ANNA),
    # Wiki pages
    ("nl", "werkafspraken", ["Werkafspraken"], ANNA),
    ("nl", "kennissessie", ["Werkafspraken"], ANNA),
    ("nl", "github", ["Publiceren op GitHub of GitLab"], ANNA),
    ("nl", "licentie kiezen", ["Licentie kiezen", "Een licentie kiezen"], ANNA),
    ("nl", "dpia", ["DPIA-stappenplan", "DPIA in drie stappen"], LOTTE),
    # Blog posts
    # The post's comments (the post's title is only their context) do not crowd out the rest.
    (
        "nl",
        "code openbaar",
        ["Waarom wij onze code openbaar maken", "Moet ik dit openbaar maken?"],
        ANNA,
    ),
    ("nl", "datakwaliteit", ["Mijn eerste week als datacoördinator"], ANNA),
    ("nl", "dpia stappen", ["DPIA in drie stappen", "DPIA-stappenplan"], BRAM),
    # Toolbox articles, Dutch
    (
        "nl",
        "publiccode.yml",
        ["publiccode.yml schrijven", "publiccode.yml maken en controleren"],
        ANNA,
    ),
    ("nl", "readme", ["Een README en CONTRIBUTING schrijven"], ANNA),
    ("nl", "platform kiezen", ["Een platform kiezen"], ANNA),
    ("nl", "beveiligingscheck", ["Een beveiligingscheck voor publicatie"], ANNA),
    ("nl", "archiveren", ["Een project archiveren"], ANNA),
    ("nl", "versienummers", ["Releases en versienummers"], ANNA),
    ("nl", "community opbouwen", ["Een community opbouwen"], ANNA),
    (
        "nl",
        "persoonsgegevens",
        ["Je repository opschonen: geen geheimen, geen persoonsgegevens"],
        ANNA,
    ),
    ("nl", "open tenzij", ["Open, tenzij: wat betekent het voor jou?"], ANNA),
    ("nl", "mag deze code open", ["Mag deze code open?"], ANNA),
    ("nl", "samenwerken overheden", ["Samenwerken met andere overheden"], ANNA),
    ("nl", "beveiligingsmeldingen", ["Issues en beveiligingsmeldingen afhandelen"], ANNA),
    # Events (demo/content/events.yaml): by title, and by address
    ("nl", "workshop dpia", ["Workshop: een DPIA in de praktijk"], LOTTE),
    ("nl", "jaarbeurs", ["Meent-dag: samenwerken over grenzen"], ANNA),
    # Group files (demo/content/files.yaml): by a word only inside the PDF, a DOCX's words
    # (its second version), by name, and a CSV's description
    ("nl", "formulierenbouwblok", ["Componentenoverzicht 2026.pdf"], ANNA),
    ("nl", "beheerovereenkomst", ["Samenwerkingsovereenkomst.docx"], ANNA),
    ("nl", "componentenoverzicht", ["Componentenoverzicht 2026.pdf"], BRAM),
    ("nl", "meetpunten waterstand", ["Meetpunten waterstand.csv"], ANNA),
    # Questions (demo/content/questions.yaml): by the question's words, and by an answer's
    ("nl", "dpia pilot", ["Is een DPIA verplicht voor een pilot met tien deelnemers?"], BRAM),
    (
        "nl",
        "inkoopvoorwaarden auteursrecht",
        ["Hoe werkt publiceren onder de EUPL als we code van een leverancier hergebruiken?"],
        ANNA,
    ),
    # Discussions (demo/content/discussions.yaml): by the title, and by a word of a reply only
    ("nl", "dashboards verversen", ["Hoe vaak verversen jullie de dashboards?"], ANNA),
    ("nl", "afwegingsnotitie", ["EUPL of MIT voor onze gedeelde code?"], ANNA),
    # Polls (demo/content/polls.yaml): by the question, and by an option only
    ("nl", "meetup", ["Op welke dag houden we de volgende open-source-meetup?"], ANNA),
    ("nl", "waterkwaliteit", ["Welke onderwerpen willen jullie in het volgende dashboard?"], ANNA),
    # People
    ("nl", "anna jansen", ["Anna Jansen"], BRAM),
    ("nl", "privacy officer", ["Lotte Visser"], ANNA),
    ("nl", "yilmaz", ["Mohamed Yılmaz"], ANNA),
    ("nl", "rijkswaterstaat", ["Sanne Mulder", "Pieter Smit"], ANNA),
    # English interface
    ("en", "open source", ["Open source in de overheid", "Open-source toolbox"], ANNA),
    ("en", "choosing a licence", ["Choosing a licence"], ANNA),
    ("en", "licence", ["Choosing a licence", "Licence chooser"], ANNA),
    ("en", "publiccode.yml", ["Writing publiccode.yml", "Create and check publiccode.yml"], ANNA),
    ("en", "readme", ["Writing a README and CONTRIBUTING"], ANNA),
    ("en", "security review", ["A security review before publishing"], ANNA),
    ("en", "version numbers", ["Releases and version numbers"], ANNA),
    ("en", "archiving", ["Archiving a project"], ANNA),
    ("en", "personal data", ["Cleaning your repository: no secrets, no personal data"], ANNA),
    ("en", "building a community", ["Building a community"], ANNA),
    ("en", "other governments", ["Working with other governments"], ANNA),
    ("en", "publish open source", ["Should I publish this as open source?"], ANNA),
    ("en", "privacy", ["Privacy en AVG"], ANNA),
    ("en", "pieter smit", ["Pieter Smit"], ANNA),
]


@pytest.fixture
def demo_index(demo_once, db, backend):  # noqa: F811 (the fixture imported above)
    """The demo's index entries, written into the backend as ``search_index rebuild`` would."""
    for document in registry.documents():
        ids = list(document.get_queryset().values_list("pk", flat=True))
        entries, _gone = prepare_entries(document, ids)
        backend.index(entries)
    return backend


def test_the_relevance_set(demo_index):
    assert len(QUERIES) >= 25
    backend = demo_index
    site = Site.objects.get(is_default_site=True)
    people = {person.email: person for person in User.objects.filter(email__in=[ANNA, BRAM, LOTTE])}
    by_language = {}
    for title, language in Page.objects.filter(depth__gt=1).values_list(
        "title", "locale__language_code"
    ):
        by_language.setdefault(language, set()).add(title)
    failures = []
    for language, text, expected, email in QUERIES:
        results = backend.search(
            SearchQuery(
                text=text, user=people[email], site_id=site.pk, language=language, per_page=10
            )
        )
        top = [hit.title for hit in results.hits[:3]]
        print(f"[{language}] {text!r}: {top}")
        missing = [title for title in expected if title not in top]
        # Toolbox pages of the other language (titles that exist in that language only).
        other = set().union(*(titles for code, titles in by_language.items() if code != language))
        foreign = [
            hit.title
            for hit in results.hits[:3]
            if hit.type == "toolbox"
            and hit.title in other
            and hit.title not in by_language.get(language, set())
        ]
        if missing or foreign:
            failures.append(f"[{language}] {text!r}: top 3 {top}; missing {missing}; {foreign=}")
    assert not failures, f"{len(failures)} of {len(QUERIES)} queries:\n" + "\n".join(failures)
