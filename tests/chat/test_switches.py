"""A group's chat switched off is off everywhere (issue 19, finding 2): the room's page, its
form, its history, the chat list and unread counts, and the WebSocket (subscribe, send, and the
subscriptions that were open when it was switched off). Nothing is deleted: switching the chat
back on brings the room and its messages back.
"""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.urls import reverse

from chat import services
from chat.models import Message
from tests.chat.test_consumer import connect, frame, frames_until
from tests.factories import GroupFactory, MembershipFactory, UserFactory


@pytest.fixture
def chat_world(db):
    group = GroupFactory(slug="praatgroep", content_default="open")
    owner = UserFactory(email="eigenaar@voorbeeld.nl")
    member = UserFactory(email="lid@voorbeeld.nl")
    MembershipFactory(group=group, user=owner, role="owner")
    MembershipFactory(group=group, user=member)
    room = services.room_for_group(group)
    services.post_message(room, owner, "eerste", "Het eerste bericht")
    return {"group": group, "room": room, "owner": owner, "member": member}


def switch_chat(group, on):
    group.chat_enabled = on
    group.save()


@pytest.mark.django_db
def test_the_room_page_and_posting_are_refused_with_the_chat_off(client, chat_world):
    """The probe's finding: with the chat off, /chat/<id>/ still opened and members posted."""
    group, room, member = chat_world["group"], chat_world["room"], chat_world["member"]
    client.force_login(member)
    room_url = reverse("chat:room", args=[room.pk])
    assert client.get(room_url).status_code == 200
    switch_chat(group, False)
    assert client.get(room_url).status_code == 404
    assert client.get(reverse("chat:group_room", args=[group.slug])).status_code == 404
    assert client.get(reverse("chat:history", args=[room.pk])).status_code == 404
    posted = client.post(
        reverse("chat:post", args=[room.pk]), {"client_id": "uit1", "body": "Mag dit nog?"}
    )
    assert posted.status_code == 404
    assert not Message.objects.filter(client_id="uit1").exists()
    # The service refuses too; the room is not listed, counted as unread or linked.
    with pytest.raises(services.ChatError) as refused:
        services.post_message(room, member, "uit2", "Via de dienst")
    assert refused.value.code == "forbidden"
    assert room.pk not in {r.pk for r in services.conversations(member)}
    assert services.unread_total(member) == 0
    listing = client.get(reverse("chat:list")).content.decode()
    assert room_url not in listing
    home = client.get(group.get_absolute_url()).content.decode()
    assert reverse("chat:group_room", args=[group.slug]) not in home


@pytest.mark.django_db
def test_switching_the_chat_back_on_brings_the_room_back(client, chat_world):
    group, room, member = chat_world["group"], chat_world["room"], chat_world["member"]
    switch_chat(group, False)
    switch_chat(group, True)
    client.force_login(member)
    response = client.get(reverse("chat:room", args=[room.pk]))
    assert response.status_code == 200
    assert "Het eerste bericht" in response.content.decode()
    assert services.unread_total(member) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_websocket_refuses_subscribing_and_sending_with_the_chat_off(chat_world):
    group, room = chat_world["group"], chat_world["room"]
    await sync_to_async(switch_chat)(group, False)
    member, connected, _ = await connect(chat_world["member"])
    assert connected
    await member.send_json_to({"type": "subscribe", "room": room.pk, "after": 0})
    refused = await frame(member)
    assert refused["type"] == "error" and refused["code"] == "forbidden"
    await member.send_json_to(
        {"type": "send", "room": room.pk, "client_id": "ws-uit", "body": "Toch?"}
    )
    refused = await frame(member)
    assert refused["type"] == "error" and refused["code"] == "forbidden"
    assert not await sync_to_async(Message.objects.filter(client_id="ws-uit").exists)()
    await member.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_switching_the_chat_off_ends_open_subscriptions_at_once(chat_world):
    group, room = chat_world["group"], chat_world["room"]
    owner, _, _ = await connect(chat_world["owner"])
    member, _, _ = await connect(chat_world["member"])
    # The owner has the room open; the member only listens for the header's unread count.
    await owner.send_json_to({"type": "subscribe", "room": room.pk, "after": 0})
    await frames_until(owner, "subscribed")
    await frames_until(owner, "message")  # the first message, from the database
    await sync_to_async(switch_chat)(group, False)
    notice = await frame(owner)
    assert notice == {"type": "unsubscribed", "room": room.pk, "reason": "chat_switched_off"}
    await owner.send_json_to({"type": "send", "room": room.pk, "client_id": "na", "body": "Nog?"})
    assert (await frame(owner))["code"] == "forbidden"
    await asyncio.sleep(0.2)  # the member's connection has dropped its listening too
    # Whatever still reaches the room's channel group is no longer heard (no unread count).
    await get_channel_layer().group_send(
        room.channel_group,
        {
            "type": "chat.message",
            "message": {"room": room.pk, "seq": 99, "author": {"id": 0}, "body": "lek"},
        },
    )
    assert await member.receive_nothing(timeout=0.3)
    assert not await sync_to_async(Message.objects.filter(client_id="na").exists)()
    # Back on: the room can be subscribed to again, with everything in it.
    await sync_to_async(switch_chat)(group, True)
    await owner.send_json_to({"type": "subscribe", "room": room.pk, "after": 0})
    seen = await frames_until(owner, "message")
    assert seen[0]["type"] == "subscribed"
    assert seen[-1]["message"]["body"] == "Het eerste bericht"
    for communicator in (owner, member):
        await communicator.disconnect()
