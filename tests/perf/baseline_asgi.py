"""The chat benchmark's baseline: a bare Channels broadcast consumer, served by Meent's server.

It speaks the subset of the chat protocol that the benchmark uses (``subscribe``, ``send``; the
server answers ``subscribed``, ``ack`` and ``message``) over the same channel layer, with the same
settings and the same server, but with nothing else: no sign-in, no origin check, no database, no
rate limit, no sequence numbers, no gap filling. What Meent's consumer costs on top of this is what
the benchmark reports.

HTTP goes to Django as in config.asgi, so that /healthz tells when the process is ready.

Run: python -m config.serve --port PORT --app tests.perf.baseline_asgi:application
"""

import json
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.perf.settings")

django_asgi_app = get_asgi_application()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


def room_group(room):
    return f"baseline.room.{int(room)}"


class BroadcastConsumer(AsyncWebsocketConsumer):
    rooms = ()

    async def receive(self, text_data=None, bytes_data=None):
        frame = json.loads(text_data)
        kind = frame.get("type")
        if kind == "subscribe":
            await self.channel_layer.group_add(room_group(frame["room"]), self.channel_name)
            self.rooms = {*self.rooms, frame["room"]}
            await self.send_json({"type": "subscribed", "room": frame["room"], "last_seq": 0})
        elif kind == "send":
            message = {
                "room": frame["room"],
                "client_id": frame["client_id"],
                "body": frame["body"],
            }
            await self.send_json(
                {"type": "ack", "room": frame["room"], "client_id": frame["client_id"]}
            )
            await self.channel_layer.group_send(
                room_group(frame["room"]), {"type": "chat.message", "message": message}
            )
        elif kind == "ping":
            await self.send_json({"type": "pong"})

    async def disconnect(self, code):
        for room in self.rooms:
            await self.channel_layer.group_discard(room_group(room), self.channel_name)

    async def send_json(self, payload):
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))

    async def chat_message(self, event):
        await self.send_json({"type": "message", "message": event["message"]})


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": URLRouter([path("ws/chat/", BroadcastConsumer.as_asgi())]),
    }
)
