"""The search server down (ELASTICSEARCH_URL at a port where nothing listens): saves still work,
their indexing waits in the outbox, and /search/ answers from the database with a translated
notice that search is limited for now.

The real Elasticsearch client talks to a closed port of 127.0.0.1 (connection refused), in the
test's own process; the commit is real (``transactional_db``), so indexing runs after it as in
production.
"""

import pytest
from django.test import Client
from django.urls import reverse

from search.backends import DatabaseBackend, get_search_backend
from search.models import OutboxItem, SearchEntry
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from wiki import services as wiki_services
from wiki.models import WikiPage

from .proxy import closed_port

NOTICE = (
    "Search is limited for now: the search server cannot be reached, so some results may be "
    "missing."
)


@pytest.fixture
def world(transactional_db):
    anna = UserFactory(first_name="Anna", email="anna@voorbeeld.nl")
    group = GroupFactory(name="Fietsbeleid", slug="fietsbeleid", content_default="open")
    MembershipFactory(group=group, user=anna, role="owner")
    # Indexed while the database is the backend: what the database index holds.
    page = wiki_services.create_page(
        anna, group, title="Fietsenstalling", body="<p>Afspraken</p>", visibility="public"
    )
    assert SearchEntry.objects.filter(type="wiki_page", object_id=page.pk).exists()
    client = Client()
    client.force_login(anna)
    return {"anna": anna, "group": group, "page": page, "client": client}


@pytest.fixture
def search_down(settings, site_host):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    assert not isinstance(get_search_backend(), DatabaseBackend)
    return settings.ELASTICSEARCH_URL


def test_the_search_page_has_no_notice_while_search_works(world, site_host):
    response = world["client"].get("/search/", {"q": "fietsenstalling"})
    assert response.status_code == 200
    assert "data-search-limited" not in response.content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_search_falls_back_to_the_database_with_a_notice(world, search_down, language, t):
    client = world["client"]
    response = client.get("/search/", {"q": "fietsenstalling"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-search-limited" in body
    assert t(NOTICE, language) in body
    # The hit the database index holds.
    entry = SearchEntry.objects.get(type="wiki_page", object_id=world["page"].pk)
    assert f'<a href="{entry.url}">{entry.title}</a>' in body
    suggestions = client.get("/search/suggest/", {"q": "fiets"})
    assert suggestions.status_code == 200
    assert "Fietsenstalling" in [s["title"] for s in suggestions.json()["suggestions"]]


def test_a_save_works_and_its_indexing_waits_in_the_outbox(world, search_down):
    url = reverse("wiki:create", args=[world["group"].slug])
    response = world["client"].post(
        url, {"title": "Parkeerbeleid", "body": "<p>Nieuw</p>", "base_revision": 0}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    page = WikiPage.objects.get(title="Parkeerbeleid")
    # The drain ran after the commit, failed on the search server, and kept the work.
    item = OutboxItem.objects.get(type="wiki_page", object_id=page.pk)
    assert item.attempts >= 1 and "ConnectionError" in item.last_error
    # The page itself is there and readable.
    assert world["client"].get(response["Location"]).status_code == 200
    # The database index beside the search server has it, so the limited search finds it.
    assert SearchEntry.objects.filter(type="wiki_page", object_id=page.pk).exists()
    found = world["client"].get("/search/", {"q": "parkeerbeleid"}).content.decode()
    assert "data-search-limited" in found and f'href="{page.get_absolute_url()}"' in found
