"""The chat protocol over a real WebSocket communicator (Channels' test client), per guarantee."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import override_settings
from django.utils import timezone

from chat import services
from chat.models import Message
from config.asgi import application
from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory

from .frame_corpus import corpus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://localhost")


async def connect(user, origin=ORIGIN):
    headers = [(b"host", b"localhost"), *([origin] if origin else [])]
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    if user is not None:
        communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def frame(communicator, timeout=3):
    return await communicator.receive_json_from(timeout=timeout)


async def frames_until(communicator, kind, timeout=3):
    seen = []
    while True:
        message = await frame(communicator, timeout)
        seen.append(message)
        if message["type"] == kind:
            return seen


@pytest.fixture
def room_world(db):
    group = GroupFactory(slug="kamer")
    alice = UserFactory(email="alice@voorbeeld.nl")
    bob = UserFactory(email="bob@voorbeeld.nl")
    outsider = UserFactory(email="buiten@voorbeeld.nl")
    MembershipFactory(group=group, user=alice, role="owner")
    MembershipFactory(group=group, user=bob)
    room = services.room_for_group(group)
    return {"group": group, "room": room, "alice": alice, "bob": bob, "outsider": outsider}


async def test_unauthenticated_and_foreign_origin_are_refused(room_world):
    from django.contrib.auth.models import AnonymousUser

    communicator, connected, code = await connect(AnonymousUser())
    assert not connected and code == 4401
    communicator, connected, _ = await connect(
        room_world["alice"], origin=(b"origin", b"https://evil.example")
    )
    assert not connected


async def test_send_is_stored_acked_and_broadcast_once(room_world):
    room = room_world["room"]
    alice, _, _ = await connect(room_world["alice"])
    bob, _, _ = await connect(room_world["bob"])
    for communicator in (alice, bob):
        await communicator.send_json_to({"type": "subscribe", "room": room.pk, "after": 0})
        assert (await frame(communicator))["type"] == "subscribed"
    await alice.send_json_to(
        {
            "type": "send",
            "room": room.pk,
            "client_id": "c1",
            "body": "Hallo <b>allemaal</b> https://example.org",
        }
    )
    seen = await frames_until(alice, "ack")
    ack = seen[-1]
    assert ack["seq"] == 1 and ack["client_id"] == "c1"
    stored = await sync_to_async(Message.objects.get)(room=room, seq=1)
    assert stored.body == "Hallo allemaal https://example.org"  # markup stripped, text kept
    received = await frame(bob)
    assert received["type"] == "message"
    assert received["message"]["body"] == "Hallo allemaal https://example.org"
    assert received["message"]["author"]["name"]

    # A resend with the same client id creates nothing and is acked with the same seq.
    await alice.send_json_to({"type": "send", "room": room.pk, "client_id": "c1", "body": "Hallo"})
    seen = await frames_until(alice, "ack")
    assert seen[-1]["seq"] == 1
    assert await sync_to_async(Message.objects.filter(room=room).count)() == 1
    assert await bob.receive_nothing(timeout=0.3)
    for communicator in (alice, bob):
        await communicator.disconnect()


async def test_reconnect_receives_exactly_the_missed_messages_in_order(room_world):
    room = room_world["room"]
    alice, _, _ = await connect(room_world["alice"])
    await alice.send_json_to({"type": "subscribe", "room": room.pk, "after": 0})
    await frame(alice)
    await alice.send_json_to({"type": "send", "room": room.pk, "client_id": "a1", "body": "eerste"})
    await frames_until(alice, "ack")
    await alice.disconnect()

    bob, _, _ = await connect(room_world["bob"])
    await bob.send_json_to({"type": "subscribe", "room": room.pk, "after": 1})
    await frame(bob)
    for n in range(7):
        await bob.send_json_to(
            {"type": "send", "room": room.pk, "client_id": f"b{n}", "body": f"bericht {n}"}
        )
    acks = 0
    while acks < 7:
        if (await frame(bob))["type"] == "ack":
            acks += 1
    await bob.disconnect()

    alice, _, _ = await connect(room_world["alice"])
    await alice.send_json_to({"type": "subscribe", "room": room.pk, "after": 1})
    assert (await frame(alice))["type"] == "subscribed"
    got = [(await frame(alice))["message"] for _ in range(7)]
    assert [m["seq"] for m in got] == list(range(2, 9))
    assert [m["body"] for m in got] == [f"bericht {n}" for n in range(7)]
    assert await alice.receive_nothing(timeout=0.3)
    await alice.disconnect()


async def test_outsider_cannot_subscribe_or_send(room_world):
    room = room_world["room"]
    outsider, connected, _ = await connect(room_world["outsider"])
    assert connected
    await outsider.send_json_to({"type": "subscribe", "room": room.pk})
    error = await frame(outsider)
    assert error["type"] == "error" and error["code"] == "forbidden"
    await outsider.send_json_to({"type": "send", "room": room.pk, "client_id": "x", "body": "hoi"})
    assert (await frame(outsider))["code"] == "forbidden"
    await outsider.send_json_to({"type": "subscribe", "room": 999999})
    assert (await frame(outsider))["code"] == "forbidden"  # same answer as for a room that exists
    assert await sync_to_async(Message.objects.count)() == 0
    await outsider.disconnect()


async def test_bad_frames_get_reasons_and_the_connection_stays_usable(room_world, settings):
    room = room_world["room"]
    alice, _, _ = await connect(room_world["alice"])
    await alice.send_to(text_data="{niet json")
    assert (await frame(alice))["code"] == "malformed"
    await alice.send_json_to(["lijst"])
    assert (await frame(alice))["code"] == "malformed"
    await alice.send_json_to({"type": "dans"})
    assert (await frame(alice))["code"] == "unknown_type"
    await alice.send_json_to({"type": "subscribe"})
    assert (await frame(alice))["code"] == "malformed"
    await alice.send_json_to(
        {"type": "send", "room": room.pk, "client_id": "long", "body": "x" * 4001}
    )
    assert (await frame(alice))["code"] == "too_long"
    await alice.send_json_to({"type": "send", "room": room.pk, "client_id": "leeg", "body": "   "})
    assert (await frame(alice))["code"] == "empty"
    await alice.send_to(text_data="x" * 20_000)
    assert (await frame(alice))["code"] == "too_large"
    assert await sync_to_async(Message.objects.count)() == 0
    await alice.send_json_to({"type": "ping"})
    assert (await frame(alice))["type"] == "pong"
    await alice.disconnect()


async def test_every_malformed_frame_of_the_corpus_gets_an_error_and_nothing_acts(room_world):
    """The generated corpus (tests/chat/frame_corpus.py), on one connection: each frame gets an
    error frame (never a crash that closes the socket), nothing is stored, and the connection
    still answers afterwards."""
    alice, _, _ = await connect(room_world["alice"])
    for name, text in corpus():
        await alice.send_input({"type": "websocket.receive", "text": text})
        reply = await frame(alice)
        assert reply["type"] == "error", name
        assert reply["code"] in ("malformed", "unknown_type", "too_large"), (name, reply)
    assert await sync_to_async(Message.objects.count)() == 0
    await alice.send_json_to({"type": "ping"})
    assert (await frame(alice))["type"] == "pong"
    await alice.disconnect()


async def test_a_message_stored_while_the_channel_layer_fails_is_still_acknowledged(
    room_world, monkeypatch
):
    """Redis down after the message was stored: the writer gets the ack (a retry would make a
    second one), and the others get it from the database with the next message."""
    import redis.exceptions
    from channels.layers import get_channel_layer

    layer = get_channel_layer()  # in memory, or Redis where REDIS_URL is set: the same instance

    room = room_world["room"]
    alice, _, _ = await connect(room_world["alice"])
    bob, _, _ = await connect(room_world["bob"])
    for communicator in (alice, bob):
        await communicator.send_json_to({"type": "subscribe", "room": room.pk})
        await frames_until(communicator, "subscribed")

    async def failing_group_send(group, message):
        raise redis.exceptions.ConnectionError("Redis is down")

    monkeypatch.setattr(layer, "group_send", failing_group_send)
    await alice.send_json_to({"type": "send", "room": room.pk, "client_id": "a1", "body": "een"})
    assert (await frames_until(alice, "ack"))[-1]["seq"] == 1
    assert await bob.receive_nothing(timeout=0.3)
    monkeypatch.undo()
    await alice.send_json_to({"type": "send", "room": room.pk, "client_id": "a2", "body": "twee"})
    await frames_until(alice, "ack")
    first = await frames_until(bob, "message")
    second = await frames_until(bob, "message")
    assert [first[-1]["message"]["body"], second[-1]["message"]["body"]] == ["een", "twee"]
    assert await sync_to_async(Message.objects.count)() == 2
    for communicator in (alice, bob):
        await communicator.disconnect()


async def test_a_send_while_the_database_is_down_gets_an_error_and_the_socket_stays(
    room_world, monkeypatch
):
    from django.db import OperationalError

    room = room_world["room"]
    alice, _, _ = await connect(room_world["alice"])
    await alice.send_json_to({"type": "subscribe", "room": room.pk})
    await frames_until(alice, "subscribed")

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(services, "post_message", down)
    await alice.send_json_to({"type": "send", "room": room.pk, "client_id": "d1", "body": "x"})
    error = await frame(alice)
    assert (error["type"], error["code"], error["client_id"]) == ("error", "unavailable", "d1")
    await alice.send_json_to({"type": "ping"})
    assert (await frame(alice))["type"] == "pong"
    await alice.disconnect()


@override_settings(MEENT_CHAT_RATE=3, MEENT_CHAT_RATE_WINDOW=60)
async def test_flood_is_refused_with_a_reason_and_nothing_stored(room_world):
    room = room_world["room"]
    alice, _, _ = await connect(room_world["alice"])
    codes = []
    for n in range(5):
        await alice.send_json_to(
            {"type": "send", "room": room.pk, "client_id": f"f{n}", "body": "spam"}
        )
        reply = await frame(alice)
        codes.append(reply.get("code") or reply["type"])
    assert codes == ["ack", "ack", "ack", "rate_limited", "rate_limited"]
    assert await sync_to_async(Message.objects.count)() == 3
    await alice.disconnect()


async def test_leaving_the_group_ends_the_subscription_at_once(room_world):
    room, group = room_world["room"], room_world["group"]
    alice, _, _ = await connect(room_world["alice"])
    bob, _, _ = await connect(room_world["bob"])
    for communicator in (alice, bob):
        await communicator.send_json_to({"type": "subscribe", "room": room.pk})
        await frame(communicator)
    await sync_to_async(Membership.objects.filter(group=group, user=room_world["bob"]).delete)()
    notice = await frame(bob)
    assert notice == {"type": "unsubscribed", "room": room.pk, "reason": "membership_ended"}
    await alice.send_json_to({"type": "send", "room": room.pk, "client_id": "na", "body": "geheim"})
    await frames_until(alice, "ack")
    assert await bob.receive_nothing(timeout=0.5)
    await bob.send_json_to({"type": "send", "room": room.pk, "client_id": "b", "body": "mag niet"})
    assert (await frame(bob))["code"] == "forbidden"
    for communicator in (alice, bob):
        await communicator.disconnect()


async def test_suspension_closes_every_connection(room_world):
    bob, _, _ = await connect(room_world["bob"])
    user = room_world["bob"]
    user.suspended_until = timezone.now() + timedelta(days=1)
    await sync_to_async(user.save)()
    output = await bob.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": 4403}


async def test_edit_and_delete_own_message_only(room_world):
    room = room_world["room"]
    alice, _, _ = await connect(room_world["alice"])
    bob, _, _ = await connect(room_world["bob"])
    for communicator in (alice, bob):
        await communicator.send_json_to({"type": "subscribe", "room": room.pk})
        await frame(communicator)
    await alice.send_json_to(
        {"type": "send", "room": room.pk, "client_id": "e1", "body": "tikfout"}
    )
    ack = (await frames_until(alice, "ack"))[-1]
    await frame(bob)
    await bob.send_json_to({"type": "edit", "message": ack["id"], "body": "overgenomen"})
    assert (await frame(bob))["code"] == "forbidden"
    await alice.send_json_to({"type": "edit", "message": ack["id"], "body": "typfout hersteld"})
    update = await frame(bob)
    assert update["message"]["body"] == "typfout hersteld" and update["message"]["edited"]
    await alice.send_json_to({"type": "delete", "message": ack["id"]})
    while True:
        update = await frame(bob)
        if update["message"]["deleted"]:
            break
    assert update["message"]["body"] == ""
    for communicator in (alice, bob):
        await communicator.disconnect()


async def test_read_marker_updates_the_unread_total(room_world):
    room = room_world["room"]
    await sync_to_async(services.post_message)(room, room_world["alice"], "r1", "een")
    await sync_to_async(services.post_message)(room, room_world["alice"], "r2", "twee")
    assert await sync_to_async(services.unread_total)(room_world["bob"]) == 2
    bob, _, _ = await connect(room_world["bob"])
    await bob.send_json_to({"type": "read", "room": room.pk, "seq": 2})
    assert await frame(bob) == {"type": "unread", "total": 0}
    await bob.disconnect()


async def test_idle_connection_survives_longer_than_redis_socket_timeout(room_world, settings):
    """redis-py 8 defaults to socket_timeout=5; our layer config must keep idle sockets open."""
    from tests.conftest import require_service

    require_service("Redis", bool(settings.REDIS_URL), "set REDIS_URL")
    room = room_world["room"]
    alice, _, _ = await connect(room_world["alice"])
    bob, _, _ = await connect(room_world["bob"])
    for communicator in (alice, bob):
        await communicator.send_json_to({"type": "subscribe", "room": room.pk})
        await frame(communicator)
    await asyncio.sleep(6.5)
    await alice.send_json_to(
        {"type": "send", "room": room.pk, "client_id": "idle", "body": "nog daar?"}
    )
    await frames_until(alice, "ack")
    assert (await frame(bob, timeout=5))["message"]["body"] == "nog daar?"
    for communicator in (alice, bob):
        await communicator.disconnect()


async def test_header_count_follows_rooms_that_are_not_open(room_world):
    """A connection that subscribed to nothing still hears of new messages in the person's rooms."""
    room = room_world["room"]
    bob, _, _ = await connect(room_world["bob"])
    alice, _, _ = await connect(room_world["alice"])
    await alice.send_json_to({"type": "send", "room": room.pk, "client_id": "h1", "body": "hallo"})
    await frames_until(alice, "ack")
    assert await frame(bob) == {"type": "unread", "delta": 1, "room": room.pk}
    assert await alice.receive_nothing(timeout=0.3)  # not for one's own message
    for communicator in (alice, bob):
        await communicator.disconnect()


async def test_archiving_the_group_stops_sends_on_open_connections(room_world):
    room, group = room_world["room"], room_world["group"]
    alice, _, _ = await connect(room_world["alice"])
    await alice.send_json_to({"type": "subscribe", "room": room.pk})
    await frame(alice)
    group.is_archived = True
    await sync_to_async(group.save)()
    await asyncio.sleep(0.2)  # the refresh event reaches the connection
    await alice.send_json_to(
        {"type": "send", "room": room.pk, "client_id": "arch", "body": "nog iets"}
    )
    seen = await frames_until(alice, "error")
    assert seen[-1]["code"] == "read_only"
    assert await sync_to_async(Message.objects.filter(client_id="arch").exists)() is False
    await alice.disconnect()


async def test_a_new_direct_conversation_reaches_the_recipient_at_once(room_world):
    """Found on the demo: a new direct conversation stayed unknown to the recipient's open pages
    (no count, not in /chat/) until they reloaded."""
    bob, _connected, _ = await connect(room_world["bob"])
    room, created = await sync_to_async(services.direct_room)(
        room_world["alice"], [room_world["bob"]]
    )
    assert created
    seen = await frames_until(bob, "room")
    announced = seen[-1]
    assert announced["room"] == room.pk and announced["kind"] == "direct"
    assert announced["url"] == f"/chat/{room.pk}/"
    assert room_world["alice"].last_name in announced["title"]
    assert (await frame(bob)) == {"type": "unread", "total": 0}
    alice, _connected, _ = await connect(room_world["alice"])
    await alice.send_json_to({"type": "send", "room": room.pk, "client_id": "d1", "body": "Hoi"})
    await frames_until(alice, "ack")
    # The room's own messages now count, once.
    assert (await frame(bob)) == {"type": "unread", "delta": 1, "room": room.pk}
    assert await bob.receive_nothing(timeout=0.3)
    for communicator in (alice, bob):
        await communicator.disconnect()


async def test_joining_a_group_lists_its_room_on_open_pages(room_world):
    newcomer = await sync_to_async(UserFactory)(email="nieuw@voorbeeld.nl")
    communicator, _connected, _ = await connect(newcomer)
    await sync_to_async(MembershipFactory)(group=room_world["group"], user=newcomer)
    announced = (await frames_until(communicator, "room"))[-1]
    assert announced["room"] == room_world["room"].pk
    assert announced["title"] == room_world["group"].name and announced["kind"] == "group"
    await communicator.disconnect()


async def test_every_group_has_its_room_from_the_start(room_world):
    group = await sync_to_async(GroupFactory)(slug="vers")
    assert await sync_to_async(lambda: hasattr(group, "chat_room") and group.chat_room.pk)()


def two_communities():
    """The default community on localhost and a second one on oost.localhost (a transactional
    test may start without the migrations' locale and page tree: they are made when missing)."""
    from django.conf import settings
    from wagtail.models import Locale, Page, Site

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    Site.objects.update_or_create(
        hostname="localhost", port=80, defaults={"root_page": root, "is_default_site": True}
    )
    Site.objects.update_or_create(
        hostname="oost.localhost", port=80, defaults={"root_page": root, "site_name": "Oost"}
    )


async def test_a_connection_counts_the_rooms_of_its_own_community(room_world):
    """A page on the second community counted, and listened to, the main community's rooms."""
    alice, bob = room_world["alice"], room_world["bob"]
    await sync_to_async(two_communities)()
    headers = [(b"host", b"oost.localhost"), (b"origin", b"http://oost.localhost")]
    elsewhere = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    elsewhere.scope["user"] = alice
    assert (await elsewhere.connect())[0]
    here, _, _ = await connect(alice)
    sender, _, _ = await connect(bob)
    room = room_world["room"]  # a room of the main community's group
    await sender.send_json_to({"type": "send", "room": room.pk, "client_id": "c1", "body": "Hoi"})
    assert (await frames_until(sender, "ack"))[-1]["type"] == "ack"
    assert await frame(here) == {"type": "unread", "delta": 1, "room": room.pk}
    assert await elsewhere.receive_nothing(timeout=0.3)  # not a room of that community

    # Reading it makes every page count again, each its own community.
    await here.send_json_to({"type": "subscribe", "room": room.pk, "after": 0})
    await frames_until(here, "message")
    await here.send_json_to({"type": "read", "room": room.pk, "seq": 1})
    assert (await frames_until(here, "unread"))[-1] == {"type": "unread", "total": 0}
    assert await frame(elsewhere) == {"type": "unread", "total": 0}
    for communicator in (here, elsewhere, sender):
        await communicator.disconnect()
