"""Who sees a profile value, on every surface: roles × the field's visibility × surface.

Roles: anonymous, signed in of another organisation, signed in of the person's organisation,
the person themselves, staff (of another organisation: staff see what anyone signed in sees).
Surfaces: the profile page, the directory's listing, its search (``q``) and its tag link
(``tag``). A value the reader may not see is never shown and never makes the person findable.
"""

import pytest
from django.urls import reverse

from meent import access
from people.models import ProfileValue
from tests.factories import OrganisationFactory, UserFactory
from tests.people.world import give, make_field

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_org", "same_org", "person", "staff")
VISIBILITIES = ("public", "logged_in", "organisation")
SURFACES = ("profile", "listing", "search", "tag")
# The word only the value of that visibility's field holds.
WORDS = {
    "public": "zeppelinkunde",
    "logged_in": "ijsbeerkunde",
    "organisation": "walviskunde",
}
SEES = {
    "public": {"anonymous", "other_org", "same_org", "person", "staff"},
    "logged_in": {"other_org", "same_org", "person", "staff"},
    "organisation": {"same_org", "person"},
}


@pytest.fixture
def world():
    home = OrganisationFactory(name="Gemeente Thuis", slug="thuis")
    away = OrganisationFactory(name="Provincie Elders", slug="elders")
    person = UserFactory(first_name="Petra", last_name="Profiel", organisation=home)
    people = {
        "anonymous": None,
        "other_org": UserFactory(first_name="Otto", last_name="Anders", organisation=away),
        "same_org": UserFactory(first_name="Sam", last_name="Collega", organisation=home),
        "person": person,
        "staff": UserFactory(first_name="Stef", last_name="Staf", organisation=away, is_staff=True),
    }
    for visibility in VISIBILITIES:
        make_field(f"expertise-{visibility}", kind="tags", visibility=visibility)
    give(person, **{f"expertise-{v}": f"{WORDS[v]}, gedeeld" for v in VISIBILITIES})
    return people


def page(client, who, people, url):
    client.logout()
    if people[who] is not None:
        client.force_login(people[who])
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def shows(response, word):
    return response.status_code == 200 and word in response.content.decode()


def finds(response, person):
    """Whether the directory lists ``person`` (a result card; the menu links to one's own)."""
    card = f'<h2 class="card__title"><a href="{person.get_absolute_url()}">'
    return response.status_code == 200 and card in response.content.decode()


def test_visibility_matrix(client, world):
    person = world["person"]
    directory = reverse("directory:index")
    probes = 0
    failures = []
    for who in ROLES:
        for visibility in VISIBILITIES:
            word = WORDS[visibility]
            expected = who in SEES[visibility]
            seen = {
                "profile": shows(page(client, who, world, person.get_absolute_url()), word),
                "listing": shows(page(client, who, world, directory), word),
                "search": finds(page(client, who, world, f"{directory}?q={word}"), person),
                "tag": finds(page(client, who, world, f"{directory}?tag={word}"), person),
            }
            for surface in SURFACES:
                probes += 1
                # Anonymous visitors have no directory at all (sent to sign in).
                want = expected and not (who == "anonymous" and surface != "profile")
                if seen[surface] != want:
                    failures.append(f"{who} × {visibility} × {surface}: {seen[surface]}")
    assert probes == len(ROLES) * len(VISIBILITIES) * len(SURFACES) == 60
    assert not failures, failures


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("directory:index"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_policy_query_agrees_with_the_labels(world):
    """``visible_to`` (lists and search) and ``can_view`` (one value) give the same answer for
    every value and every role."""
    values = list(ProfileValue.objects.select_related("field", "user"))
    assert len(values) == 3
    probes = 0
    for who in ROLES:
        user = world[who]
        from django.contrib.auth.models import AnonymousUser

        reader = user or AnonymousUser()
        visible = set(ProfileValue.objects.visible_to(reader).values_list("pk", flat=True))
        for value in values:
            probes += 1
            assert (value.pk in visible) == access.can_view(reader, value), (who, value)
            assert (value.pk in visible) == (who in SEES[value.field.visibility]), (who, value)
    assert probes == 15


def test_a_hidden_profile_hides_its_values_from_everyone_but_the_person(client, world):
    from django.utils import timezone

    person = world["person"]
    person.profile_hidden_at = timezone.now()
    person.save(update_fields=["profile_hidden_at"])
    word = WORDS["public"]
    directory = reverse("directory:index")
    for who in ("other_org", "same_org", "staff"):
        assert not shows(page(client, who, world, person.get_absolute_url()), word), who
        assert not finds(page(client, who, world, f"{directory}?q={word}"), person), who
        assert not finds(page(client, who, world, f"{directory}?tag={word}"), person), who
    assert shows(page(client, "person", world, person.get_absolute_url()), word)


def test_a_person_of_no_organisation_shows_organisation_fields_to_nobody_else(client, world):
    loner = UserFactory(first_name="Lies", last_name="Zonder", organisation=None)
    give(loner, **{"expertise-organisation": "eenzaamheidskunde"})
    nobody = UserFactory(first_name="Nora", last_name="Nergens", organisation=None)
    client.force_login(nobody)
    assert "eenzaamheidskunde" not in client.get(loner.get_absolute_url()).content.decode()
    response = client.get(reverse("directory:index") + "?q=eenzaamheidskunde")
    assert not finds(response, loner)
    assert finds(client.get(reverse("directory:index") + "?q=lies"), loner)
