"""Chat over plain HTTP, without JavaScript: the pages, the forms and the history JSON."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chat import services
from chat.models import Message, Participant, Room
from groups.models import Group
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("chat:list")
NEW_DIRECT = reverse("chat:new_direct")


def room_url(room):
    return reverse("chat:room", args=[room.pk])


def post_url(room):
    return reverse("chat:post", args=[room.pk])


def history_url(room):
    return reverse("chat:history", args=[room.pk])


def member_of(group, *people):
    for person in people:
        MembershipFactory(group=group, user=person)
    return group


def fill(room, author, count, when=None):
    """``count`` messages by ``author`` at the end of ``room``, stored as post_message would."""
    start = room.last_seq
    when = when or timezone.now()
    Message.objects.bulk_create(
        Message(
            room=room,
            seq=start + n,
            author=author,
            client_id=f"fill-{room.pk}-{start + n}",
            body=f"bericht {start + n}",
            created_at=when,
        )
        for n in range(1, count + 1)
    )
    Room.objects.filter(pk=room.pk).update(last_seq=F("last_seq") + count, last_message_at=when)
    room.refresh_from_db()
    return room


@pytest.fixture
def anna(client):
    person = UserFactory(first_name="Anna", last_name="de Vries", email="anna@voorbeeld.nl")
    client.force_login(person)
    return person


@pytest.fixture
def bob():
    return UserFactory(first_name="Bob", last_name="Jansen", email="bob@voorbeeld.nl")


@pytest.fixture
def shared(anna, bob):
    """A group that Anna and Bob are both in, with its room."""
    group = member_of(GroupFactory(name="Open data", slug="open-data"), anna, bob)
    return services.room_for_group(group)


# --- sign-in --------------------------------------------------------------------------------


def test_every_page_needs_sign_in(client, bob):
    group = member_of(GroupFactory(slug="g"), bob)
    room = services.room_for_group(group)
    for url in (
        LIST,
        NEW_DIRECT,
        room_url(room),
        history_url(room),
        reverse("chat:group_room", args=[group.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(post_url(room), {"body": "hoi", "client_id": "x"}).status_code == 302
    assert not Message.objects.exists()


# --- the conversation list ------------------------------------------------------------------


def test_list_shows_rooms_newest_first_with_unread_counts(client, anna, bob):
    now = timezone.now()
    old = services.room_for_group(member_of(GroupFactory(name="Oude groep"), anna, bob))
    fill(old, bob, 1, when=now - timedelta(days=3))
    quiet = services.room_for_group(member_of(GroupFactory(name="Stille groep"), anna))
    busy = services.room_for_group(member_of(GroupFactory(name="Drukke groep"), anna, bob))
    fill(busy, bob, 4, when=now - timedelta(hours=1))
    services.mark_read(busy, anna, 1)
    direct, _created = services.direct_room(anna, [bob])
    fill(direct, bob, 2, when=now)
    elsewhere = services.room_for_group(member_of(GroupFactory(name="Niet van Anna"), bob))
    fill(elsewhere, bob, 5, when=now)

    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()

    assert response.status_code == 200
    rooms = response.context["rooms"]
    assert [room.pk for room in rooms] == [direct.pk, busy.pk, old.pk, quiet.pk]
    assert [room.title for room in rooms] == [
        "Bob Jansen",
        "Drukke groep",
        "Oude groep",
        "Stille groep",
    ]
    assert [room.unread for room in rooms] == [2, 3, 1, 0]
    assert "Niet van Anna" not in content
    positions = [content.index(f'href="{room_url(room)}"') for room in (direct, busy, old, quiet)]
    assert positions == sorted(positions)
    assert '<span class="badge">2 unread</span>' in content
    assert '<span class="badge">3 unread</span>' in content
    # The header counts every unread message of hers: 2 + 3 + 1.
    header = content[: content.index("</header>")]
    assert re.search(r'<span class="badge">6<span class="visually-hidden"> unread</span>', header)


def test_list_without_rooms_says_how_to_start(client, anna):
    content = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have no conversations yet." in content


def _rooms_for(person, count):
    """``count`` rooms of ``person``, each with someone else: group and direct ones, with messages."""
    for n in range(count):
        other = UserFactory()
        if n % 2:
            room = services.room_for_group(member_of(GroupFactory(), person, other))
        else:
            room, _created = services.direct_room(person, [other])
        fill(room, other, 2)


def test_list_queries_do_not_grow_with_the_number_of_rooms(client, anna):
    _rooms_for(anna, 3)
    client.get(LIST)  # warm caches (the header's toolbox link), as a running server has them
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["rooms"]) == 3

    _rooms_for(anna, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["rooms"]) == 30
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


# --- a group's room -------------------------------------------------------------------------


def test_group_room_link_takes_members_to_the_room(client, anna, bob):
    group = member_of(GroupFactory(slug="samen"), anna)

    response = client.get(reverse("chat:group_room", args=["samen"]))

    room = Room.objects.get(group=group)
    assert response.status_code == 302
    assert response["Location"] == room_url(room)
    assert client.get(room_url(room)).status_code == 200
    # Asking again finds the same room.
    assert client.get(reverse("chat:group_room", args=["samen"]))["Location"] == room_url(room)
    assert Room.objects.filter(group=group).count() == 1


def test_group_room_is_not_found_for_non_members_and_hidden_groups(client, anna, bob):
    listed = member_of(GroupFactory(slug="open"), bob)
    hidden = member_of(GroupFactory(slug="geheim", visibility=Group.Visibility.HIDDEN), bob)

    assert client.get(reverse("chat:group_room", args=["open"])).status_code == 404
    assert client.get(reverse("chat:group_room", args=["geheim"])).status_code == 404
    assert client.get(reverse("chat:group_room", args=["bestaat-niet"])).status_code == 404
    # Every group has its room from the start; it is the members' alone.
    for room in Room.objects.filter(group__in=[listed, hidden]):
        assert client.get(room_url(room)).status_code == 404

    # The room itself answers 404 too, like a room that does not exist.
    room = services.room_for_group(hidden)
    assert client.get(room_url(room)).status_code == 404
    assert client.get(reverse("chat:room", args=[room.pk + 1000])).status_code == 404


def test_members_of_a_hidden_group_reach_its_room(client, anna):
    group = member_of(GroupFactory(slug="geheim", visibility=Group.Visibility.HIDDEN), anna)
    response = client.get(reverse("chat:group_room", args=["geheim"]))
    assert response.status_code == 302
    assert response["Location"] == room_url(Room.objects.get(group=group))


# --- direct conversations -------------------------------------------------------------------


def test_new_conversation_offers_only_people_one_shares_a_group_with(client, anna, bob, shared):
    stranger = UserFactory(first_name="Carla", last_name="Vreemd")

    response = client.get(NEW_DIRECT, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    people = list(response.context["form"].fields["people"].queryset)
    assert people == [bob]
    content = response.content.decode()
    assert "Bob Jansen" in content
    assert "Carla" not in content and f'value="{stranger.pk}"' not in content
    assert f'value="{anna.pk}"' not in content  # not with oneself


def test_new_conversation_with_no_shared_group_explains(client, anna):
    content = client.get(NEW_DIRECT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You can start a conversation with people you share a group with." in content
    assert '<form class="form"' not in content


def test_starting_a_conversation_twice_gives_the_same_room(client, anna, bob, shared):
    first = client.post(NEW_DIRECT, {"people": [bob.pk]})

    room = Room.objects.get(kind=Room.Kind.DIRECT)
    assert first.status_code == 302
    assert first["Location"] == room_url(room)
    assert set(room.participants.values_list("user_id", flat=True)) == {anna.pk, bob.pk}
    assert client.get(room_url(room)).status_code == 200

    again = client.post(NEW_DIRECT, {"people": [bob.pk]})
    assert again["Location"] == room_url(room)
    assert Room.objects.filter(kind=Room.Kind.DIRECT).count() == 1

    # Bob is in it too, and sees it under Anna's name.
    client.force_login(bob)
    assert client.get(room_url(room)).status_code == 200
    assert client.get(LIST).context["rooms"][0].title == "Anna de Vries"


def test_a_forged_person_id_is_a_form_error_and_creates_nothing(client, anna, bob, shared):
    stranger = UserFactory()

    for forged in ([stranger.pk], [bob.pk, stranger.pk], [999_999], ["abc"], [anna.pk], []):
        # A browser always sends the CSRF token, so the form is bound even with nobody ticked.
        data = {"people": forged, "csrfmiddlewaretoken": "x"}
        response = client.post(NEW_DIRECT, data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, forged
        assert response.context["form"].errors["people"], forged
        assert 'class="form-errors" role="alert"' in response.content.decode()

    assert not Room.objects.filter(kind=Room.Kind.DIRECT).exists()
    assert not Participant.objects.exists()


def test_a_direct_room_is_not_found_for_others(client, anna, bob):
    outsider = UserFactory()
    room, _created = services.direct_room(bob, [outsider])
    fill(room, bob, 3)

    assert client.get(room_url(room)).status_code == 404
    assert client.get(history_url(room)).status_code == 404
    assert client.post(post_url(room), {"body": "hoi", "client_id": "x"}).status_code == 404
    assert Message.objects.filter(room=room).count() == 3


# --- history paging -------------------------------------------------------------------------


def test_history_pages_backwards_from_before(client, anna, bob, shared):
    fill(shared, bob, 120)

    newest = client.get(history_url(shared)).json()
    assert newest["room"] == shared.pk
    assert [m["seq"] for m in newest["messages"]] == list(range(71, 121))
    assert newest["has_older"] is True

    middle = client.get(history_url(shared), {"before": 71}).json()
    assert [m["seq"] for m in middle["messages"]] == list(range(21, 71))
    assert middle["has_older"] is True

    oldest = client.get(history_url(shared), {"before": 21}).json()
    assert [m["seq"] for m in oldest["messages"]] == list(range(1, 21))
    assert oldest["has_older"] is False

    beyond = client.get(history_url(shared), {"before": 1}).json()
    assert beyond["messages"] == [] and beyond["has_older"] is False

    message = oldest["messages"][0]
    assert message["body"] == "bericht 1"
    assert message["author"] == {
        "id": bob.pk,
        "name": "Bob Jansen",
        "organisation": "",
        "url": bob.get_absolute_url(),
    }
    assert message["edited"] is False and message["deleted"] is False


def test_history_shows_deleted_messages_without_their_text(client, anna, bob, shared):
    fill(shared, bob, 2)
    Message.objects.filter(room=shared, seq=2).update(body="", deleted_at=timezone.now())
    messages = client.get(history_url(shared)).json()["messages"]
    assert [(m["seq"], m["deleted"], m["body"]) for m in messages] == [
        (1, False, "bericht 1"),
        (2, True, ""),
    ]


@pytest.mark.parametrize("before", ["abc", "1.5", "", "12a"])
def test_history_refuses_a_bad_before_with_a_reason(client, anna, shared, before):
    response = client.get(history_url(shared), {"before": before}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"error": "before must be a message number."}


def test_history_is_not_found_for_non_members(client, anna, bob):
    room = services.room_for_group(member_of(GroupFactory(), bob))
    fill(room, bob, 3)
    assert client.get(history_url(room)).status_code == 404
    assert client.get(history_url(room), {"before": 2}).status_code == 404


# --- sending without JavaScript -------------------------------------------------------------


def test_posting_stores_the_message_with_the_next_seq(client, anna, bob, shared):
    fill(shared, bob, 2)

    response = client.post(post_url(shared), {"body": "Goedemorgen!", "client_id": "nojs-1"})

    assert response.status_code == 302
    assert response["Location"] == room_url(shared)
    message = Message.objects.get(room=shared, author=anna)
    assert (message.seq, message.body, message.client_id) == (3, "Goedemorgen!", "nojs-1")
    shared.refresh_from_db()
    assert shared.last_seq == 3
    # Her own message counts as read.
    assert Participant.objects.get(room=shared, user=anna).last_read_seq == 3

    # The same form sent twice (a double click, a reload) stores it once.
    client.post(post_url(shared), {"body": "Goedemorgen!", "client_id": "nojs-1"})
    assert Message.objects.filter(room=shared).count() == 3

    page = client.get(room_url(shared)).content.decode()
    assert 'id="m3"' in page and "Goedemorgen!" in page


def test_markup_in_a_message_is_shown_as_text(client, anna, bob, shared):
    client.post(
        post_url(shared),
        {
            "body": '<script>alert("x")</script><b>vet</b> & 1 < 2 > 0 https://example.org/a?b=1&c=2',
            "client_id": "html",
        },
    )

    stored = Message.objects.get(room=shared)
    assert stored.body == 'alert("x")vet & 1 < 2 > 0 https://example.org/a?b=1&c=2'
    client.force_login(bob)
    page = client.get(room_url(shared)).content.decode()
    body = re.search(r'<p class="chat-message__body">(.*?)</p>', page, re.S)[1]
    assert "<script" not in body and "<b>" not in body
    assert "alert(&quot;x&quot;)vet &amp; 1 &lt; 2 &gt; 0" in body
    # The URL becomes a link, and nothing else does.
    assert re.findall(r"<a [^>]*>", body) == [
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow">'
    ]


def test_a_message_with_more_lines_keeps_them(client, anna, shared):
    client.post(post_url(shared), {"body": "eerste regel\ntweede regel", "client_id": "lines"})
    page = client.get(room_url(shared)).content.decode()
    assert "eerste regel<br>tweede regel" in page


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_message_is_refused_with_a_message(client, anna, shared, body):
    response = client.post(
        post_url(shared),
        {"body": body, "client_id": "leeg"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.redirect_chain == [(room_url(shared), 302)]
    assert not Message.objects.exists()
    content = response.content.decode()
    assert re.search(r'<li class="message message--error">[^<]*required', content)


def test_a_refusal_of_the_rules_is_shown_and_nothing_is_stored(client, anna, shared, settings):
    settings.MEENT_CHAT_RATE = 1
    client.post(post_url(shared), {"body": "een", "client_id": "r1"})
    response = client.post(
        post_url(shared),
        {"body": "twee", "client_id": "r2"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "You are sending too fast" in response.content.decode()
    assert list(Message.objects.values_list("body", flat=True)) == ["een"]


def test_an_archived_group_room_is_read_only(client, anna, bob, shared):
    Group.objects.filter(pk=shared.group_id).update(is_archived=True)
    fill(shared, bob, 1)

    page = client.get(room_url(shared), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This conversation is read-only." in page
    assert "data-chat-form" not in page

    response = client.post(
        post_url(shared),
        {"body": "toch?", "client_id": "ro"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "This conversation is read-only." in response.content.decode()
    assert Message.objects.filter(room=shared).count() == 1


# --- the room page --------------------------------------------------------------------------


def test_room_opens_at_the_first_unread_message(client, anna, bob, shared):
    fill(shared, bob, 30)
    services.mark_read(shared, anna, 25)

    response = client.get(room_url(shared), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()

    assert response.status_code == 200
    assert response.context["last_read"] == 25
    # Some context above the first unread one, and a way to load what is older.
    assert [m.seq for m in response.context["history"]] == list(range(6, 31))
    assert 'id="m5"' not in content
    assert "data-chat-older" in content and "Load older messages" in content
    assert content.count('id="unread"') == 1
    marker = content.index('id="unread"')
    assert content.index('id="m25"') < marker < content.index('id="m26"')
    assert f'class="chat" data-room="{shared.pk}" data-last-read="25"' in content
    # Opening the page does not mark anything read (the live page tells the server what was seen).
    assert Participant.objects.get(room=shared, user=anna).last_read_seq == 25


def test_room_has_no_unread_marker_when_everything_is_read(client, anna, bob, shared):
    fill(shared, bob, 3)
    services.mark_read(shared, anna, 3)
    content = client.get(room_url(shared)).content.decode()
    assert 'id="unread"' not in content
    assert "data-chat-older" not in content


def test_the_room_script_is_the_bundle_of_chat_frontend():
    """One source of truth: /static/chat/chat.js is esbuild's bundle of chat/frontend/ (`npm run
    build`, which `make install` runs); no app's static folder has a file of that name as well."""
    found = finders.find("chat/chat.js", find_all=True)
    assert [Path(path) for path in found] == [
        Path(settings.BASE_DIR) / "build" / "static" / "chat" / "chat.js"
    ]


def test_room_page_carries_what_the_script_needs(client, anna, bob, shared):
    fill(shared, bob, 1)
    client.post(post_url(shared), {"body": "van mij", "client_id": "mine"})

    response = client.get(room_url(shared), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()

    # The script is a module of ours; no inline script (a strict CSP is coming).
    assert re.search(r'<script type="module" src="/static/chat/chat\.js"></script>', content)
    assert re.search(r'<script type="module" src="/static/chat/unread\.js"></script>', content)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content)
    assert f'data-history-url="{history_url(shared)}"' in content
    assert f'data-user="{anna.pk}"' in content
    # Its words are translated in the template.
    assert 'data-connected="Connected"' in content
    assert 'data-reconnecting="Reconnecting…"' in content
    assert 'data-new-message="New message from {name}: {text}"' in content
    assert 'role="alert" data-chat-error' in content
    assert 'aria-live="polite" data-chat-announce' in content
    # Only one's own messages are marked as one's own (the script adds Edit and Delete there).
    own = re.findall(r'<li class="chat-message[^"]*"[^>]*data-own="1"', content)
    assert len(own) == 1 and 'id="m2"' in own[0]
