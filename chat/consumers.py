"""The chat WebSocket at /ws/chat/.

Protocol (JSON frames). From the client:
  {"type": "subscribe", "room": 7, "after": 41}     everything after seq 41, then live messages
  {"type": "unsubscribe", "room": 7}
  {"type": "send", "room": 7, "client_id": "…", "body": "…"}
  {"type": "edit", "message": 123, "body": "…"}  /  {"type": "delete", "message": 123}
  {"type": "read", "room": 7, "seq": 45}
  {"type": "ping"}
From the server: "subscribed", "message" (new, edited or deleted; with its seq), "ack" (for a
send, with the stored seq), "unsubscribed" (membership ended, or the group's chat was switched
off: "reason"), "unread" (the person's new total, or {"delta": 1} for a
message in one of their rooms that this connection has not subscribed to),
"error" (code and reason; the connection stays usable), "pong".

Delivery over the channel layer is at most once and may reorder across processes, so each
connection tracks the last seq it delivered per room, fills gaps from the database and drops
duplicates: every client receives every message once, in order.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from meent import access, outages, sites

from . import frames, services
from .models import Message, Room, user_channel_group

CLOSE_UNAUTHENTICATED = 4401
CLOSE_SUSPENDED = 4403


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        self.rooms = {}  # room id -> last seq delivered on this connection
        self.seen = {}  # room id -> last seq already counted, for rooms joined while connected
        self.room_objects = {}  # room id -> Room, for the rooms subscribed on this connection
        if not await database_sync_to_async(access.is_active_person)(self.user):
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        # The community this connection's page belongs to: its header counts that community's
        # rooms and the person's direct conversations, as its chat list shows them.
        self.site = await database_sync_to_async(sites.site_for_scope)(self.scope)
        await self.channel_layer.group_add(user_channel_group(self.user.pk), self.channel_name)
        await self.accept()
        # Listen to every room of the person here, so that the header's unread count can follow
        # messages in rooms that no page of theirs has open (see chat_message).
        self.passive = set(await self.my_room_ids())
        for room_id in self.passive:
            await self.channel_layer.group_add(f"chat.room.{room_id}", self.channel_name)

    async def disconnect(self, code):
        if getattr(self, "user", None) is None or not self.user.is_authenticated:
            return
        await self.channel_layer.group_discard(user_channel_group(self.user.pk), self.channel_name)
        for room_id in set(self.rooms) | getattr(self, "passive", set()):
            await self.channel_layer.group_discard(f"chat.room.{room_id}", self.channel_name)

    @classmethod
    async def encode_json(cls, content):
        return json.dumps(content, separators=(",", ":"))

    async def error(self, code, reason, **extra):
        await self.send_json({"type": "error", "code": code, "reason": reason, **extra})

    async def receive(self, text_data=None, bytes_data=None):
        # Every frame is checked against its declaration (frames.py) before anything acts on
        # it; a bad one gets an error frame that says what is wrong, and the connection stays.
        try:
            frame = frames.parse(text_data)
        except frames.BadFrame as bad:
            await self.error(bad.code, bad.reason, **bad.echo)
            return
        handler = {
            frames.Subscribe: self.on_subscribe,
            frames.Unsubscribe: self.on_unsubscribe,
            frames.Send: self.on_send,
            frames.Edit: self.on_edit,
            frames.Delete: self.on_delete,
            frames.Read: self.on_read,
            frames.Ping: self.on_ping,
        }[type(frame)]
        try:
            await handler(frame)
        except services.ChatError as error:
            await self.error(error.code, error.reason, **self.echo(frame))
        except Exception as error:
            # The database or Redis is down: this frame did nothing (a send was not stored: the
            # client gives the text back); the connection stays for when it answers again.
            if not outages.counted(error):
                raise
            await self.error(
                "unavailable",
                _("Not done: the chat is briefly unavailable. Try again in a moment."),
                **self.echo(frame),
            )

    @staticmethod
    def echo(frame):
        """What the client needs to match an error to its request."""
        return frames.echo_of(frame.model_dump())

    # --- database work, off the event loop -------------------------------------------------

    @database_sync_to_async
    def load_room(self, room_id):
        room = Room.objects.select_related("group").filter(pk=room_id).first()
        self.user = get_user_model().objects.get(pk=self.user.pk)  # fresh roles and suspension
        if room is None or not access.can_view(self.user, room):
            # The same answer for a room that does not exist and one that is not yours.
            raise services.ChatError("forbidden", _("You are not in this conversation."))
        return room

    @database_sync_to_async
    def my_room_ids(self):
        return services.room_ids(self.user, self.site)

    @database_sync_to_async
    def backlog(self, room, after):
        return [services.serialize(m) for m in services.messages_after(room, after)]

    @database_sync_to_async
    def post(self, room, client_id, body):
        posted = services.post_message(room, self.user, client_id, body)
        return services.serialize(posted.message), posted.created

    @database_sync_to_async
    def change(self, message_id, body=None):
        message = (
            Message.objects.select_related("room", "room__group", "author", "author__organisation")
            .filter(pk=message_id)
            .first()
        )
        if message is None or not access.can_view(self.user, message):
            raise services.ChatError("not_found", _("There is no such message here."))
        if body is None:
            services.delete_message(message, self.user)
        else:
            services.edit_message(message, self.user, body)
        return services.serialize(message)

    @database_sync_to_async
    def read(self, room, seq):
        services.mark_read(room, self.user, seq)

    @database_sync_to_async
    def unread_total(self):
        return services.unread_total(self.user, self.site)

    @database_sync_to_async
    def joined_room(self, room_id):
        room = Room.objects.select_related("group").filter(pk=room_id).first()
        user = get_user_model().objects.filter(pk=self.user.pk).first()
        if room is None or user is None or not access.can_view(user, room):
            return None
        if not services.is_listed(user, room, self.site):
            return None  # another community's room: its pages count it
        return {
            "room": room.pk,
            "title": services.room_title(room, user),
            "url": room.get_absolute_url(),
            "kind": room.kind,
            "last_seq": room.last_seq,
            "unread_total": services.unread_total(user, self.site),
        }

    @database_sync_to_async
    def still_allowed(self, room_id):
        room = Room.objects.select_related("group").filter(pk=room_id).first()
        user = get_user_model().objects.filter(pk=self.user.pk).first()
        return room is not None and user is not None and access.can_view(user, room)

    # --- client frames ---------------------------------------------------------------------

    async def on_ping(self, frame):
        await self.send_json({"type": "pong"})

    async def on_subscribe(self, frame):
        room = await self.load_room(frame.room)
        after = frame.after
        self.rooms[room.pk] = after
        self.room_objects[room.pk] = room
        await self.channel_layer.group_add(room.channel_group, self.channel_name)
        await self.send_json({"type": "subscribed", "room": room.pk, "last_seq": room.last_seq})
        await self.deliver_from_database(room, after)

    async def on_unsubscribe(self, frame):
        room_id = frame.room
        self.room_objects.pop(room_id, None)
        if self.rooms.pop(room_id, None) is not None:
            await self.channel_layer.group_discard(f"chat.room.{room_id}", self.channel_name)
        await self.send_json({"type": "unsubscribed", "room": room_id, "reason": "requested"})

    async def on_send(self, frame):
        # A subscribed room was checked at subscribe time; leaving, removal and suspension are
        # pushed to this connection (chat_revoke, chat_disconnect) and drop it from the cache.
        room = self.room_objects.get(frame.room) or await self.load_room(frame.room)
        payload, created = await self.post(room, frame.client_id, frame.body)
        outages.recovered(outages.DATABASE)  # logs the end of an outage, if there was one
        await self.send_json(
            {
                "type": "ack",
                "room": room.pk,
                "client_id": payload["client_id"],
                "seq": payload["seq"],
                "id": payload["id"],
            }
        )
        if created:
            # The transaction has committed (post() returned): now tell the room. Redis down:
            # the message is stored and acknowledged; the others get it from the database with
            # the next message they receive or when they reconnect.
            try:
                await self.channel_layer.group_send(
                    room.channel_group, {"type": "chat.message", "message": payload}
                )
            except Exception as error:
                if not outages.counted(error):
                    raise
            else:
                outages.recovered(outages.REDIS)

    async def on_edit(self, frame):
        payload = await self.change(frame.message, frame.body)
        await self.channel_layer.group_send(
            f"chat.room.{payload['room']}", {"type": "chat.update", "message": payload}
        )

    async def on_delete(self, frame):
        payload = await self.change(frame.message)
        await self.channel_layer.group_send(
            f"chat.room.{payload['room']}", {"type": "chat.update", "message": payload}
        )

    async def on_read(self, frame):
        room = await self.load_room(frame.room)
        await self.read(room, frame.seq)
        # Every page of the person counts again, each for its own community.
        await self.channel_layer.group_send(
            user_channel_group(self.user.pk), {"type": "chat.unread"}
        )

    # --- channel layer events --------------------------------------------------------------

    async def deliver_from_database(self, room, after):
        for payload in await self.backlog(room, after):
            await self.deliver(payload)

    async def deliver(self, payload):
        room_id, seq = payload["room"], payload["seq"]
        last = self.rooms.get(room_id)
        if last is None or seq <= last:
            return  # not subscribed, or already delivered
        self.rooms[room_id] = seq
        await self.send_json({"type": "message", "message": payload})

    async def chat_message(self, event):
        payload = event["message"]
        room_id = payload["room"]
        last = self.rooms.get(room_id)
        if last is None:
            author = payload.get("author") or {}
            if payload["seq"] <= self.seen.get(room_id, 0):
                return  # counted in the total sent when the room was joined
            if room_id in self.passive and author.get("id") != self.user.pk:
                await self.send_json({"type": "unread", "delta": 1, "room": room_id})
            return
        if payload["seq"] <= last:
            return
        if payload["seq"] > last + 1:
            # Something was lost or overtaken on the way: fetch the gap from the database.
            room = await database_sync_to_async(Room.objects.get)(pk=room_id)
            await self.deliver_from_database(room, last)
            return
        await self.deliver(payload)

    async def chat_update(self, event):
        payload = event["message"]
        last = self.rooms.get(payload["room"])
        if last is not None and payload["seq"] <= last:
            await self.send_json({"type": "message", "message": payload, "update": True})

    async def chat_unread(self, event):
        await self.send_json({"type": "unread", "total": await self.unread_total()})

    async def chat_joined(self, event):
        """The person is in a room this connection did not know of (a new direct conversation,
        a group they joined): listen to it for the unread count, and tell the page, which lists
        it. The total is counted after listening starts, and messages up to then are not
        counted again (``seen``)."""
        room_id = event["room"]
        if room_id in self.passive or room_id in self.rooms:
            return
        await self.channel_layer.group_add(f"chat.room.{room_id}", self.channel_name)
        summary = await self.joined_room(room_id)
        if summary is None:
            await self.channel_layer.group_discard(f"chat.room.{room_id}", self.channel_name)
            return
        self.passive.add(room_id)
        self.seen[room_id] = summary.pop("last_seq")
        total = summary.pop("unread_total")
        await self.send_json({"type": "room", **summary})
        await self.send_json({"type": "unread", "total": total})

    async def chat_revoke(self, event):
        """Membership ended, or a group's chat was switched off (sent to the room's channel
        group, which reaches every connection that has it open or listens to it): drop the room
        at once and check the others."""
        room_ids = event.get("rooms") or list(self.rooms)
        reason = event.get("reason") or "membership_ended"
        for room_id in room_ids:
            if room_id in self.passive and room_id not in self.rooms:
                if not await self.still_allowed(room_id):
                    self.passive.discard(room_id)
                    await self.channel_layer.group_discard(
                        f"chat.room.{room_id}", self.channel_name
                    )
                continue
            if room_id in self.rooms and not await self.still_allowed(room_id):
                del self.rooms[room_id]
                self.room_objects.pop(room_id, None)
                self.passive.discard(room_id)
                await self.channel_layer.group_discard(f"chat.room.{room_id}", self.channel_name)
                await self.send_json({"type": "unsubscribed", "room": room_id, "reason": reason})

    async def chat_refresh(self, event):
        """The room's group changed (e.g. archived): the next send checks it afresh."""
        self.room_objects.pop(event["room"], None)

    async def chat_disconnect(self, event):
        """The person was suspended: close every connection of theirs."""
        await self.close(code=CLOSE_SUSPENDED)
