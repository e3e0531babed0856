"""/search/ and /search/suggest/ over HTTP: results, facets, filters, paging, every kind of bad
input (answered with a message, never a 500), search within a group, suggestions, and access:
nothing a person may not see appears as a result, a count, a facet, a snippet or a suggestion."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chat import services as chat_services
from chat.models import Message
from groups import services as group_services
from meent import access
from search.backends import DatabaseBackend
from search.registry import IndexEntry
from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory
from wiki import services as wiki_services

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")
SUGGEST = reverse("search:suggest")


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(autouse=True)
def _database_backend(settings):
    settings.ELASTICSEARCH_URL = ""
    DatabaseBackend().clear()


@pytest.fixture
def world(drain):
    organisation = OrganisationFactory(slug="gemeente")
    owner = UserFactory(first_name="Olga", last_name="Eigenaar", organisation=organisation)
    member = UserFactory(first_name="Mila", last_name="Lid")
    outsider = UserFactory(first_name="Otto", last_name="Buiten")
    open_group = GroupFactory(
        name="Fietspaden", slug="fietspaden", visibility="listed", content_default="open"
    )
    closed = GroupFactory(
        name="Geheime raad", slug="geheime-raad", visibility="listed", content_default="members"
    )
    hidden = GroupFactory(
        name="Verborgen kring", slug="verborgen", visibility="hidden", content_default="open"
    )
    for group in (open_group, closed, hidden):
        MembershipFactory(group=group, user=owner, role="owner")
        MembershipFactory(group=group, user=member, role="member")
    access.forget_memberships(owner)
    open_page = wiki_services.create_page(
        owner,
        open_group,
        title="Fietsroute noord",
        body="<p>De fietsroute langs het kanaal</p>",
        visibility="public",
    )
    secret_page = wiki_services.create_page(
        owner, closed, title="Fietsplan geheim", body="<p>Het geheime fietsplan voor de raad</p>"
    )
    room = chat_services.room_for_group(closed)
    message = chat_services.post_message(
        room, owner, "c1", "Wie heeft het fietsplan gelezen?"
    ).message
    drain()
    return {
        "owner": owner,
        "member": member,
        "outsider": outsider,
        "open_group": open_group,
        "closed": closed,
        "hidden": hidden,
        "open_page": open_page,
        "secret_page": secret_page,
        "room": room,
        "message": message,
        "organisation": organisation,
    }


def get(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code in (200, 400), response.status_code
    return response, response.content.decode()


def suggestions(client, text):
    response = client.get(SUGGEST, {"q": text})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["suggestions"]


# ---------------------------------------------------------------------------------------------
# The page


def test_results_with_highlighted_snippets_type_labels_and_facets(client, world):
    client.force_login(world["member"])
    response, html = get(client, q="fietsplan")
    assert response.status_code == 200
    assert "Fietsplan geheim" in html
    assert "<mark>fietsplan</mark>" in html
    assert "Wiki pages" in html and "Chat messages" in html
    facets = response.context["facets"]
    assert {facet["type"]: facet["count"] for facet in facets} == {
        "wiki_page": 1,
        "chat_message": 1,
    }
    assert response.context["results"].total == 2
    # The message's result links to it in its room.
    assert f"/chat/{world['room'].pk}/#m{world['message'].seq}" in html


def test_type_facet_filters(client, world):
    client.force_login(world["member"])
    response, html = get(client, q="fietsplan", type="chat_message")
    assert response.context["results"].total == 1
    assert "Fietsplan geheim</a>" not in html
    # Facets still count every type, so one can switch back.
    assert len(response.context["facets"]) == 2
    assert 'aria-current="true"' in html


def test_outsider_sees_nothing_of_a_members_only_group(client, world):
    client.force_login(world["outsider"])
    response, html = get(client, q="fietsplan")
    assert response.context["results"].total == 0
    assert response.context["facets"] == []
    assert "fietsplan geheim" not in html.lower()
    assert "geheime fietsplan" not in html.lower()
    assert "fietsplan gelezen" not in html
    # The open group's page is found.
    response, html = get(client, q="fietsroute")
    assert "Fietsroute noord" in html


def test_anonymous_can_search_public_content(client, world):
    response, html = get(client, q="fietsroute")
    assert response.status_code == 200
    assert "Fietsroute noord" in html
    response, html = get(client, q="fietsplan")
    assert response.context["results"].total == 0


def test_paging(client, drain):
    entries = [
        IndexEntry(
            type="blog_post",
            object_id=n,
            title=f"Bericht {n}",
            body="paginawoord",
            url=f"/blog/{n}/",
            access=frozenset({access.PUBLIC}),
        )
        for n in range(1, 46)
    ]
    DatabaseBackend().index(entries)
    response, html = get(client, q="paginawoord")
    assert response.context["results"].total == 45
    assert len(response.context["hits"]) == 20
    assert 'rel="next"' in html and "Page 1 of 3" in html
    response, html = get(client, q="paginawoord", page="3")
    assert len(response.context["hits"]) == 5
    assert 'rel="prev"' in html
    assert 'start="41"' in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "Type a word to search for"),
        ({"q": ""}, "Type a word to search for"),
        ({"q": "   "}, "Type a word to search for"),
        ({"q": '"*(:) OR'}, None),
        ({"q": '"*():'}, "no words to search for"),
        ({"q": "fiets" * 2000}, "only its beginning was used"),
        ({"q": "woord " * 2000}, "only its beginning was used"),
        ({"q": "fietsroute", "type": "nonsense"}, "There is no type “nonsense”"),
        ({"q": "fietsroute", "group": "does-not-exist"}, "There is no group “does-not-exist”"),
        ({"q": "fietsroute", "organisation": "nope"}, "There is no organisation “nope”"),
        ({"q": "fietsroute", "author": "abc"}, "There is no person with number “abc”"),
        ({"q": "fietsroute", "author": "99999999999999999999999"}, "There is no person"),
        ({"q": "fietsroute", "from": "yesterday"}, "“yesterday” is not a date"),
        ({"q": "fietsroute", "to": "2025-13-45"}, "“2025-13-45” is not a date"),
        ({"q": "fietsroute", "from": "2025-05-01", "to": "2025-01-01"}, "before the start date"),
        ({"q": "fietsroute", "page": "10000"}, "There is no page 10000"),
        ({"q": "fietsroute", "page": "99999999999999999999"}, "There is no page 10000"),
        ({"q": "fietsroute", "page": "-3"}, None),
        ({"q": "fietsroute", "page": "abc"}, None),
        ({"q": "zzzzqqqq"}, "Nothing found"),
        ({"q": "fiets\x00route"}, None),
    ],
)
def test_bad_input_is_answered_with_a_message(client, world, params, message):
    client.force_login(world["outsider"])
    response, html = get(client, **params)
    assert response.status_code == 200
    if message:
        assert message in html


def test_invalid_filter_still_searches_and_names_the_filter(client, world):
    response, html = get(client, q="fietsroute", type="nonsense")
    assert "Fietsroute noord" in html
    assert "<strong>Type</strong>" in html


def test_list_parameters_and_post_are_answered(client, world):
    response = client.get(SEARCH + "?q=fietsroute&q=x&type=group&type=nonsense&page=1&page=2")
    assert response.status_code == 200
    assert client.post(SEARCH, {"q": "x"}).status_code == 405


def test_hidden_group_is_an_invalid_filter_for_outsiders(client, world):
    client.force_login(world["outsider"])
    response, html = get(client, q="fietsroute", group="verborgen")
    assert "There is no group “verborgen”" in html
    assert "Verborgen kring" not in html
    client.force_login(world["member"])
    response, html = get(client, q="fietsroute", group="verborgen")
    assert "There is no group" not in html


def test_filters_by_group_organisation_author_and_dates(client, world):
    client.force_login(world["owner"])
    response, html = get(client, q="fietsroute", group="fietspaden")
    hits = response.context["hits"]
    assert hits and all(
        "Fietsroute" in item["hit"].title or "Fiets" in item["hit"].title for item in hits
    )
    assert "Search in Fietspaden" in html
    assert "Search everywhere" in html
    assert response.context["widen_url"] == "?q=fietsroute"
    response, html = get(client, q="fietsplan", author=str(world["owner"].pk))
    assert response.context["results"].total == 2
    response, html = get(client, q="fietsplan", author=str(world["member"].pk))
    assert response.context["results"].total == 0
    response, html = get(client, q="eigenaar", organisation="gemeente")
    assert response.context["results"].total == 1
    response, html = get(client, q="fietsplan", **{"from": "2000-01-01", "to": "2000-01-02"})
    assert response.context["results"].total == 0
    assert "Or remove a filter" in html
    response, html = get(client, q="fietsplan", **{"from": "2000-01-01"})
    assert response.context["results"].total == 2


def test_group_home_offers_a_search_only_to_readers(client, world):
    client.force_login(world["outsider"])
    html = client.get(reverse("groups:home", args=["geheime-raad"])).content.decode()
    assert 'name="group" value="geheime-raad"' not in html
    html = client.get(reverse("groups:home", args=["fietspaden"])).content.decode()
    assert 'name="group" value="fietspaden"' in html


def test_header_has_a_labelled_search_form(client, world):
    html = client.get(reverse("groups:list")).content.decode()
    assert 'role="search"' in html
    assert 'for="site-search-q"' in html
    assert 'id="site-search-q" name="q"' in html
    assert "search/suggest.js" in html


def test_constant_number_of_queries(client, drain):
    person = UserFactory()
    client.force_login(person)
    backend = DatabaseBackend()

    def entries(count, offset):
        return [
            IndexEntry(
                type="blog_post" if n % 2 else "wiki_page",
                object_id=offset + n,
                title=f"Telling {n}",
                body=f"telwoord nummer {n}",
                url=f"/x/{n}/",
                access=frozenset({access.LOGGED_IN}),
            )
            for n in range(count)
        ]

    backend.index(entries(5, 0))
    get(client, q="telwoord")  # warm caches (session, memberships)
    with CaptureQueriesContext(connection) as few:
        get(client, q="telwoord")
    backend.index(entries(195, 1000))
    with CaptureQueriesContext(connection) as many:
        response, _ = get(client, q="telwoord")
    assert response.context["results"].total == 200
    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------
# Chat messages


def test_chat_messages_only_for_people_in_the_room_also_after_leaving(client, world, drain):
    client.force_login(world["member"])
    response, html = get(client, q="gelezen")
    assert response.context["results"].total == 1
    group_services.leave(world["closed"], world["member"])
    drain()
    access.forget_memberships(world["member"])
    response, html = get(client, q="gelezen")
    assert response.context["results"].total == 0
    assert "gelezen" not in html.split("</form>")[-1]


def test_direct_messages_only_for_participants(client, world, drain):
    room, _ = chat_services.direct_room(world["owner"], [world["member"]])
    chat_services.post_message(room, world["owner"], "d1", "Onder ons: de kniptang")
    drain()
    for person, expected in ((world["member"], 1), (world["outsider"], 0), (world["owner"], 1)):
        client.force_login(person)
        response, _ = get(client, q="kniptang")
        assert response.context["results"].total == expected


def test_edited_and_deleted_messages_are_reindexed(client, world, drain):
    client.force_login(world["owner"])
    message = Message.objects.get(pk=world["message"].pk)
    chat_services.edit_message(message, world["owner"], "Wie heeft de notulen gelezen?")
    drain()
    assert get(client, q="notulen")[0].context["results"].total == 1
    assert get(client, q="fietsplan", type="chat_message")[0].context["results"].total == 0
    chat_services.delete_message(message, world["owner"])
    drain()
    assert get(client, q="notulen")[0].context["results"].total == 0


# ---------------------------------------------------------------------------------------------
# Suggestions


def test_suggestions_json(client, world):
    client.force_login(world["member"])
    found = suggestions(client, "fiets")
    titles = {item["title"] for item in found}
    assert {"Fietspaden", "Fietsroute noord", "Fietsplan geheim"} <= titles
    assert all(set(item) == {"title", "url", "type", "type_label"} for item in found)
    assert all(item["type"] in {"group", "wiki_page", "person"} for item in found)
    # A word inside the title, and a person.
    assert "Fietsroute noord" in {item["title"] for item in suggestions(client, "noo")}
    assert any(item["type"] == "person" for item in suggestions(client, "eigen"))
    # Chat messages are never suggested.
    assert suggestions(client, "wie") == []


def test_members_only_page_is_never_suggested_to_an_outsider(client, world):
    for person in (None, world["outsider"]):
        if person:
            client.force_login(person)
        titles = {item["title"] for item in suggestions(client, "fiets")}
        assert "Fietsplan geheim" not in titles
        assert "Verborgen kring" not in {item["title"] for item in suggestions(client, "verb")}
    assert "Fietsroute noord" in titles


@pytest.mark.parametrize("text", ["", "f", " ", '"*(:', "OR", "x" * 10_000, "fiets " * 3000])
def test_suggestions_bad_input(client, world, text):
    found = suggestions(client, text)
    assert isinstance(found, list)
    assert len(found) <= 8


def test_at_most_eight_suggestions_in_one_query(client, db, drain):
    for n in range(12):
        GroupFactory(name=f"Overleg {n}", slug=f"overleg-{n}", visibility="listed")
    drain()
    person = UserFactory()
    client.force_login(person)
    suggestions(client, "ov")
    with CaptureQueriesContext(connection) as queries:
        found = suggestions(client, "overl")
    assert len(found) == 8
    search_queries = [q for q in queries if "search_searchentry" in q["sql"]]
    assert len(search_queries) == 1


def test_indexing_direct_messages_costs_no_query_per_message(world, drain):
    from search.indexing import prepare_entries
    from search.registry import get

    def send(count, prefix):
        people = [UserFactory() for _ in range(count)]
        ids = []
        for n, person in enumerate(people):
            room, _ = chat_services.direct_room(world["owner"], [person])
            ids.append(chat_services.post_message(room, person, f"{prefix}{n}", "hoi").message.pk)
        drain()
        return ids

    document = get("chat_message")
    few, many = send(2, "a"), send(8, "b")
    with CaptureQueriesContext(connection) as few_queries:
        entries, _ = prepare_entries(document, few)
    with CaptureQueriesContext(connection) as many_queries:
        entries, _ = prepare_entries(document, many)
    assert len(few_queries) == len(many_queries)
    assert all(access.user_label(world["owner"].pk) in entry.access for entry in entries)
    assert all(len(entry.access) == 2 for entry in entries)
    # The room's people are the message's context (shown as its title), not a ranked title.
    assert all(world["owner"].display_name in entry.context for entry in entries)
    assert all(entry.title == "" for entry in entries)
