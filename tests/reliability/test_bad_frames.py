"""The generated corpus of malformed chat frames (tests/chat/frame_corpus.py) against a real
server process and a real WebSocket client: each frame gets an error frame, the connection stays,
and the server logs no traceback; a frame too big to read at all is refused with 1009 (message too
big) before it is read (config/serve.py WS_MAX_BYTES)."""

import asyncio
import json

import pytest
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from config.serve import WS_MAX_BYTES
from tests.chat.frame_corpus import corpus

pytestmark = pytest.mark.services
TIMEOUT_S = 20


def test_malformed_and_oversized_frames_against_a_real_server(start_server, member):
    server = start_server()
    url = server.url.replace("http://", "ws://") + "/ws/chat/"
    headers = {"Cookie": member["cookie"]}

    async def journey():
        replies = []
        async with ws_connect(url, additional_headers=headers, origin=server.url) as socket:
            for name, text in corpus():
                if not text:
                    continue  # an empty text frame: the same path as any other non-JSON text
                await socket.send(text)
                reply = json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT_S))
                replies.append((name, reply["type"], reply.get("code")))
            await socket.send(json.dumps({"type": "ping"}))
            assert json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT_S))["type"] == "pong"
        async with ws_connect(url, additional_headers=headers, origin=server.url) as socket:
            with pytest.raises(ConnectionClosed) as closed:
                await socket.send(json.dumps({"type": "ping", "pad": "x" * WS_MAX_BYTES}))
                await asyncio.wait_for(socket.recv(), TIMEOUT_S)
        return replies, closed.value.rcvd

    replies, close = asyncio.run(journey())
    wrong = [
        r
        for r in replies
        if r[1] != "error" or r[2] not in ("malformed", "unknown_type", "too_large")
    ]
    assert not wrong, wrong
    assert len(replies) > 200
    assert close is not None and close.code == 1009, close
    assert "Traceback" not in server.log.read_text(), server.log_tail()
