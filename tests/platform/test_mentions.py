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


@pytest.mark.parametrize(
    "name", ["Anna Pieters van der Maes", "Jan Coreth von und zu Coredo und Starkenberg"]
)
def test_a_name_of_up_to_eight_words_is_a_candidate(name):
    assert name_key(name) in candidate_names(f"Zie @{name}: klaar")


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
    assert people_of(client.get(url, {"q": "moh"}))[0]["url"] == named.get_absolute_url()


def people_of(response):
    return response.json()["people"]


# --- The mentions table: the person, not the text (issue 18) ---------------------------------


@pytest.fixture
def item(db):
    """Something that mentions people (any model will do: the reference is generic)."""
    from tests.factories import GroupFactory

    return GroupFactory()


def stored(item):
    from meent.mentions import services

    return sorted(person.pk for person in services.mentioned(item))


def test_record_adds_removes_and_returns_only_the_newly_mentioned(item):
    from meent.mentions import services

    anna, bram, chris = UserFactory(), UserFactory(), UserFactory()
    assert services.record(item, [anna, bram]) == [anna, bram]
    assert stored(item) == sorted([anna.pk, bram.pk])
    assert services.record(item, [bram, anna]) == []  # unchanged: nobody is new
    assert services.record(item, [bram, chris, chris]) == [chris]
    assert stored(item) == sorted([bram.pk, chris.pk])  # Anna's mention is gone
    assert services.record(item, []) == []
    assert stored(item) == []


def test_record_takes_a_fixed_number_of_queries_however_many_people(item):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meent.mentions import services

    few = [UserFactory() for _ in range(2)]
    many = [UserFactory() for _ in range(30)]
    services.record(item, [])  # the content type is cached from here on
    counts = []
    for old, new in (([], few), (few, many), (many, few[:1]), (few[:1], many)):
        services.record(item, old)
        with CaptureQueriesContext(connection) as queries:
            services.record(item, new)
        counts.append(len(queries))
    assert max(counts) <= 5, counts  # select, delete, insert (and a savepoint's two)
    assert len(set(counts[1:])) == 1, counts  # removing and adding 1 or 30: the same


def test_each_mention_is_told_once(item):
    from meent.mentions import services

    anna, bram = UserFactory(), UserFactory()
    services.record(item, [anna])
    told = []
    assert services.tell_pending(item, told.append) == 0  # append answers None: not delivered
    assert told == [anna]
    services.record(item, [anna, bram])
    services.tell_pending(item, lambda person: told.append(person) or True)
    services.tell_pending(item, lambda person: told.append(person) or True)
    assert told == [anna, bram]


def test_a_deleted_item_takes_its_mentions_along():
    from blog.models import Comment, Post
    from meent.mentions.models import Mention
    from meent.mentions.services import record

    author, named = UserFactory(), UserFactory()
    post = Post.objects.create(author=author, title="Weg", slug="weg", body="<p>x</p>")
    comment = Comment.objects.create(post=post, author=author, body="x")
    record(post, [named])
    record(comment, [named])
    assert Mention.objects.count() == 2
    post.delete()  # the comment goes with it (a cascade), and both their mentions
    assert not Mention.objects.exists()


def test_rich_text_names_people_by_id_and_by_typed_name():
    from meent.mentions import people_in_html, split_html

    anna = UserFactory(first_name="Anna", last_name="Jansen")
    namesake = UserFactory(first_name="Anna", last_name="Jansen")
    bram = UserFactory(first_name="Bram", last_name="de Vries")
    gone = UserFactory(first_name="Gerda", last_name="Weg", is_active=False)
    html = (
        f'<p><a class="mention" data-person="{anna.pk}" href="/people/{anna.pk}/">@Anna Jansen'
        f'</a> en @Bram de Vries, <a href="/people/{gone.pk}/" data-person="{gone.pk}" '
        f'class="mention">@Gerda Weg</a> en <a data-person="999999">niet</a></p>'
    )
    ids, text = split_html(html)
    assert ids == [anna.pk, gone.pk]
    assert "Anna" not in text and "@Bram de Vries" in text
    # The picked Anna, not her namesake; Bram by his typed name; nobody inactive.
    assert [p.pk for p in people_in_html(html)] == [anna.pk, bram.pk]
    assert namesake.pk not in [p.pk for p in people_in_html(html)]
    assert [p.pk for p in people_in_html(html, exclude=anna)] == [bram.pk]
    assert people_in_html("") == [] and people_in_html("<p>geen</p>") == []
