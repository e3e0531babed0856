"""The people directory (/people/): search, filters, pagination, bad input, query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from groups.models import Group
from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import count_queries
from tests.people.world import give, make_field

pytestmark = pytest.mark.django_db

DIRECTORY = "/people/"


@pytest.fixture
def reader(client):
    reader = UserFactory(first_name="Rita", last_name="Lezer", organisation=OrganisationFactory())
    client.force_login(reader)
    return reader


def listed(response):
    """The names in the result cards, in order."""
    return re.findall(
        r'<h2 class="card__title"><a href="/people/\d+/">([^<]+)</a>', response.content.decode()
    )


def test_the_directory_is_at_people_and_in_the_main_menu(client, reader):
    assert reverse("directory:index") == DIRECTORY
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert f'href="{DIRECTORY}"' in response.content.decode()
    response = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "Mensen" in response.content.decode()
    # The profiles stay where they were.
    assert client.get(reverse("accounts:profile", args=[reader.pk])).status_code == 200
    assert client.get(reverse("accounts:edit_profile")).status_code == 200


def test_search_by_name_organisation_job_title_and_expertise(client, reader):
    utrecht = OrganisationFactory(name="Gemeente Utrecht", slug="utrecht")
    make_field("expertise", kind="tags")
    make_field("afdeling")
    fatima = UserFactory(
        first_name="Fatima", last_name="El Amrani", organisation=utrecht, job_title="Adviseur"
    )
    joost = UserFactory(first_name="Joost", last_name="Bakker", job_title="Product owner")
    give(fatima, expertise="DPIA, Archiefwet", afdeling="Informatiebeheer")
    give(joost, expertise="Agile")
    cases = {
        "fatima": ["Fatima El Amrani"],
        "ÉL amrani": ["Fatima El Amrani"],  # no case, no accents
        "utrecht": ["Fatima El Amrani"],
        "product": ["Joost Bakker"],
        "dpia": ["Fatima El Amrani"],
        "archief": ["Fatima El Amrani"],
        "informatiebeheer": ["Fatima El Amrani"],
        "dpia agile": [],  # every word must match
        "niemand": [],
    }
    for query, names in cases.items():
        response = client.get(DIRECTORY, {"q": query})
        assert response.status_code == 200
        assert listed(response) == names, query
    assert listed(client.get(DIRECTORY, {"tag": "DPIA"})) == ["Fatima El Amrani"]
    assert listed(client.get(DIRECTORY, {"tag": "dpi"})) == []  # a tag is the whole tag


def test_a_field_that_is_not_searchable_finds_nobody(client, reader):
    make_field("hobby", kind="tags", searchable=False)
    person = UserFactory(first_name="Henk", last_name="Hobby")
    give(person, hobby="Postzegels")
    assert listed(client.get(DIRECTORY, {"q": "postzegels"})) == []
    assert listed(client.get(DIRECTORY, {"tag": "postzegels"})) == []
    # Still shown on the card, without a link that would find nobody.
    content = client.get(DIRECTORY, {"q": "henk"}).content.decode()
    assert '<span class="tag">Postzegels</span>' in content


def test_only_active_people_who_are_not_suspended_are_listed(client, reader):
    UserFactory(first_name="Actief", last_name="Persoon")
    UserFactory(first_name="Weg", last_name="Persoon", is_active=False)
    UserFactory(
        first_name="Geschorst",
        last_name="Persoon",
        suspended_until=timezone.now() + datetime.timedelta(days=3),
    )
    UserFactory(
        first_name="Vroeger",
        last_name="Geschorst",
        suspended_until=timezone.now() - datetime.timedelta(days=3),
    )
    assert listed(client.get(DIRECTORY, {"q": "persoon"})) == ["Actief Persoon"]
    assert listed(client.get(DIRECTORY, {"q": "vroeger"})) == ["Vroeger Geschorst"]


def test_twenty_a_page_sorted_by_name(client, reader):
    for n in range(25):
        UserFactory(first_name=f"Persoon{n:02d}", last_name="Lijst")
    first = listed(client.get(DIRECTORY, {"q": "lijst"}))
    second = listed(client.get(DIRECTORY, {"q": "lijst", "page": 2}))
    assert first == [f"Persoon{n:02d} Lijst" for n in range(20)]
    assert second == [f"Persoon{n:02d} Lijst" for n in range(20, 25)]
    content = client.get(DIRECTORY, {"q": "lijst"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "25 people" in content and "Page 1 of 2" in content
    assert 'href="?q=lijst&amp;page=2"' in content
    # Beyond the end: the last page, with a note; not a page number: 400 with a message.
    beyond = client.get(DIRECTORY, {"q": "lijst", "page": 9}, HTTP_ACCEPT_LANGUAGE="en")
    assert beyond.status_code == 200 and listed(beyond) == second
    assert "There is no page 9" in beyond.content.decode()
    bad = client.get(DIRECTORY, {"page": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "is not a page number" in bad.content.decode()


def test_a_huge_or_odd_query_is_answered_clearly(client, reader):
    UserFactory(first_name="Anna", last_name="Jansen")
    response = client.get(DIRECTORY, {"q": "anna " * 2000}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    content = response.content.decode()
    assert "only its first 200 characters were used" in content
    assert "Only the first 8 words" in content
    assert "Anna Jansen" in listed(response)

    response = client.get(DIRECTORY, {"q": "?!*%&'\"<>" * 10}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "holds no letters or digits" in response.content.decode()
    assert "Anna Jansen" in listed(response)

    response = client.get(DIRECTORY, {"q": "an\x00na"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "message--error" in response.content.decode()

    response = client.get(DIRECTORY, {"q": "%_"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200  # LIKE's wildcards are plain characters


def test_filter_by_organisation(client, reader):
    utrecht = OrganisationFactory(name="Gemeente Utrecht", slug="utrecht")
    UserFactory(first_name="Uma", last_name="Utrecht", organisation=utrecht)
    UserFactory(first_name="Ali", last_name="Anders")
    assert listed(client.get(DIRECTORY, {"organisation": utrecht.pk})) == ["Uma Utrecht"]
    for bad in ("abc", "99999999999999999999", "-1", "999999"):
        response = client.get(DIRECTORY, {"organisation": bad}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, bad
        assert "There is no organisation" in response.content.decode()


def test_filter_by_group_only_where_the_reader_may_see_the_members(client, reader):
    open_group = GroupFactory(name="Open", slug="open", content_default="open")
    closed = GroupFactory(name="Dicht", slug="dicht", content_default="members")
    hidden = GroupFactory(name="Geheim", slug="geheim", visibility="hidden")
    no_tab = GroupFactory(
        name="Zonder tab", slug="zonder-tab", content_default="open", members_tab_enabled=False
    )
    mine = GroupFactory(name="Mijn", slug="mijn", content_default="members")
    MembershipFactory(group=mine, user=reader, role="member")
    member = UserFactory(first_name="Mia", last_name="Lid")
    for group in (open_group, closed, hidden, no_tab, mine):
        MembershipFactory(group=group, user=member, role="member")

    content = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Open</option>" in content and ">Mijn</option>" in content
    for name in ("Dicht", "Geheim", "Zonder tab"):
        assert f">{name}</option>" not in content

    assert "Mia Lid" in listed(client.get(DIRECTORY, {"group": open_group.pk}))
    assert set(listed(client.get(DIRECTORY, {"group": mine.pk}))) == {"Mia Lid", "Rita Lezer"}
    for group in (closed, hidden, no_tab):
        response = client.get(DIRECTORY, {"group": group.pk}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, group.name
        assert "whose members you may see" in response.content.decode()
        assert listed(response) == sorted(listed(response))  # everyone, as without the filter
    assert Group.objects.count() == 5


def test_only_the_current_communitys_groups_are_offered(client, reader):
    from wagtail.models import Page, Site

    other = Site.objects.create(
        hostname="oost.localhost", port=80, root_page=Page.get_first_root_node()
    )
    GroupFactory(name="Oostgroep", slug="oost", content_default="open", site=other)
    assert ">Oostgroep</option>" not in client.get(DIRECTORY).content.decode()
    there = client.get(DIRECTORY, HTTP_HOST="oost.localhost").content.decode()
    assert ">Oostgroep</option>" in there


def test_a_card_shows_name_organisation_job_title_and_visible_tags(client, reader):
    utrecht = OrganisationFactory(name="Gemeente Utrecht", slug="utrecht")
    make_field("expertise", kind="tags", label_en="Expertise")
    make_field("talen", kind="tags", label_en="Languages", visibility="organisation")
    make_field("afdeling", label_en="Department")
    person = UserFactory(
        first_name="Fatima", last_name="El Amrani", organisation=utrecht, job_title="Adviseur"
    )
    give(person, expertise="DPIA", talen="Arabisch", afdeling="Informatiebeheer")
    content = client.get(DIRECTORY, {"q": "fatima"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{person.get_absolute_url()}"' in content
    assert "Gemeente Utrecht" in content and "Adviseur" in content
    assert 'href="?tag=DPIA"' in content
    assert "Arabisch" not in content  # another organisation's field
    assert "Informatiebeheer" not in content  # not a tag field: on the profile only


def queries_for(client, people):
    organisation = OrganisationFactory(name="Gemeente Groot", slug="groot")
    group = GroupFactory(name="Groep", slug="groep", content_default="open")
    for n in range(people):
        person = UserFactory(
            first_name=f"Persoon{n:03d}", last_name="Telling", organisation=organisation
        )
        give(person, expertise=f"DPIA, onderwerp{n}", talen="Nederlands")
        MembershipFactory(group=group, user=person, role="member")
    counts = [
        count_queries(client, DIRECTORY),
        count_queries(client, f"{DIRECTORY}?q=telling+dpia"),
        count_queries(client, f"{DIRECTORY}?tag=dpia&organisation={organisation.pk}"),
        count_queries(client, f"{DIRECTORY}?group={group.pk}"),
    ]
    return counts


def test_the_query_count_is_the_same_for_5_and_200_people(client, reader):
    make_field("expertise", kind="tags")
    make_field("talen", kind="tags", visibility="organisation")
    few = queries_for(client, 5)
    User.objects.exclude(pk=reader.pk).delete()
    Group.objects.all().delete()
    Organisation.objects.filter(slug="groot").delete()
    many = queries_for(client, 200)
    assert few == many, (few, many)
