"""@mentions reach people whatever the accents, case or typing of their name (issue 18: the demo's
"@Mohamed Yilmaz" never reached Mohamed Yılmaz)."""

import pytest

from meent.mentions import candidate_names, mentioned_people, name_key
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Mohamed Yilmaz", "Mohamed Yılmaz"),
        ("mohamed yılmaz", "Mohamed Yılmaz"),
        ("Zoe\u0308 Mu\u0308ller", "Zoë Müller"),
        ("Zoe Muller", "Zoë Müller"),
        ("ANNA DE VRIES", "Anna de Vries"),
        ("Lukasz Wałęsa", "Łukasz Wałęsa"),
        ("Søren Kierkegaard", "Soren Kierkegaard"),
    ],
)
def test_names_are_compared_without_case_accents_or_typing(typed, stored):
    assert name_key(typed) == name_key(stored)
    first, last = stored.split(" ", 1)
    person = UserFactory(first_name=first, last_name=last)
    assert mentioned_people(f"Dank je, @{typed}! Tot morgen.") == [person]


def test_a_renamed_person_is_found_by_the_new_name():
    person = UserFactory(first_name="Anna", last_name="Jansen")
    person.last_name = "Çelik"
    person.save(update_fields=["last_name"])
    assert mentioned_people("@Anna Celik") == [person]
    assert mentioned_people("@Anna Jansen") == []


def test_two_people_of_the_same_name_are_both_named_and_inactive_people_never():
    first = UserFactory(first_name="Sanne", last_name="Bakker")
    second = UserFactory(first_name="Sanne", last_name="Bakker")
    UserFactory(first_name="Sanne", last_name="Bakker", is_active=False)
    assert {p.pk for p in mentioned_people("@Sanne Bakker")} == {first.pk, second.pk}


def test_a_name_of_three_words_is_a_candidate():
    assert name_key("Bram de Vries") in candidate_names("Vraag het @Bram de Vries, hij weet het")
