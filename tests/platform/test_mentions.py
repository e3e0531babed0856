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


def test_the_writer_hears_when_a_mention_reaches_nobody_or_someone_who_may_not_read(client):
    from django.urls import reverse

    from blog.models import Post
    from tests.factories import GroupFactory, MembershipFactory

    writer = UserFactory(first_name="Wim", last_name="Schrijver")
    member = UserFactory(first_name="Mohamed", last_name="Yılmaz")
    outsider = UserFactory(first_name="Olga", last_name="Buiten")
    group = GroupFactory(slug="dicht", content_default="members")
    for person in (writer, member):
        MembershipFactory(group=group, user=person)
    client.force_login(writer)
    response = client.post(
        reverse("blog:create") + "?group=dicht",
        {
            "title": "Overleg",
            "body": "<p>@Mohamed Yilmaz en @Olga Buiten, en @Nemo Niemand ook.</p>",
            "publish": "now",
            "cover_alt": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    told = [str(message) for message in response.context["messages"]]
    assert any("@Nemo" in text and "nobody was told" in text for text in told), told
    assert any(outsider.display_name in text and "may not read" in text for text in told), told
    assert not any(member.display_name in text for text in told), told
    post = Post.objects.get(title="Overleg")
    comment = client.post(
        reverse("blog:comment", args=[post.slug]),
        {"body": "Klopt, @Mohamed Yilmaz"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert not [m for m in comment.context["messages"] if "told" in str(m)]


def test_the_picker_offers_people_a_mention_reaches(client):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    url = reverse("accounts:mention_suggestions")
    assert client.get(url, {"q": "moh"}).status_code == 302  # signed-in people only
    named = UserFactory(first_name="Mohamed", last_name="Yılmaz")
    UserFactory(first_name="Mohammed", last_name="Ali", is_active=False)
    UserFactory(
        first_name="Mohana", last_name="Weg", suspended_until=timezone.now() + timedelta(days=1)
    )
    client.force_login(UserFactory())
    for typed in ("moh", "MOH", "yil", "Yıl", "mohamed y"):
        people = client.get(url, {"q": typed}).json()["people"]
        assert [person["id"] for person in people] == [named.pk], typed
        assert people[0]["name"] == "Mohamed Yılmaz"
    for odd in ("", "@", "\x00moh", "a" * 500, "%"):
        response = client.get(url, {"q": odd})
        assert response.status_code == 200 and isinstance(response.json()["people"], list)
