"""WebSocket load for the chat benchmark: many real clients (the ``websockets`` package) in one
asyncio process, speaking the chat protocol (chat/consumers.py) to the server on 127.0.0.1.

Two measurements:

- ``fan_out``: N clients subscribed to one room, one of them sending at a steady rate. Each body
  carries its index and the send time (time.perf_counter() of this process, which is also the
  clock of every receiver), so each client measures the delivery latency of each message it gets.
  After the last send, the clients get a grace period to receive everything: it ends when all
  arrived, when nothing more arrived for SETTLE_SECONDS, or at the limit; what is missing then is
  lost (late messages count in the latency, not as lost).
- ``round_trip``: two clients in a 1:1 room; A sends, B answers as soon as it sees A's message, A
  measures until it sees B's answer (two sends, two broadcasts), one at a time.

Everything is bounded: connecting (per client and in total), the run (by time and by count), the
grace period and each round trip.
"""

import asyncio
import contextlib
import json
import math
import time
import uuid
from dataclasses import dataclass, field

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from .loadgen import process_cpu_seconds

HOST = "127.0.0.1"
CONNECT_CONCURRENCY = 20
SETTLE_SECONDS = 3.0  # no delivery for this long after the last send: what is missing is lost


class LoadError(Exception):
    """The clients could not be set up; the message says why."""


def percentile_ms(values, percent):
    """Nearest-rank percentile of seconds, in milliseconds (as in loadgen.RunResult)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)] * 1000, 2)


@dataclass
class Client:
    index: int
    port: int
    ws: object = None
    # index -> receive time, of the tagged messages this client got
    received: dict = field(default_factory=dict)
    duplicates: int = 0
    out_of_order: int = 0
    last_index: int = -1
    errors: list = field(default_factory=list)  # error frames
    closed: str | None = None  # why the connection ended before we closed it
    acks: dict = field(default_factory=dict)  # index -> when the ack came (the sender)
    answered: asyncio.Event = field(default_factory=asyncio.Event)  # an ack or error came
    reader: asyncio.Task | None = None


async def open_socket(port, session_key, timeout):
    return await connect(
        f"ws://{HOST}:{port}/ws/chat/",
        additional_headers={
            "Cookie": f"sessionid={session_key}",
            "Origin": f"http://{HOST}:{port}",
        },
        open_timeout=timeout,
        close_timeout=2,
        ping_interval=None,  # browsers do not ping either; the server's own pings still run
        compression=None,  # the server does not negotiate permessage-deflate
        max_queue=None,  # read everything at once; backpressure is not what we measure
    )


async def open_client(index, port, session_key, room, timeout):
    """A connected client, subscribed to `room` (after 0: the room is fresh)."""
    client = Client(index=index, port=port)
    try:
        client.ws = await open_socket(port, session_key, timeout)
        await client.ws.send(json.dumps({"type": "subscribe", "room": room, "after": 0}))
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await client.ws.recv())
                if frame.get("type") == "subscribed":
                    return client
                if frame.get("type") == "error":
                    raise LoadError(f"client {index}: subscribe refused: {frame}")
    except InvalidStatus as error:
        raise LoadError(
            f"client {index}: the handshake was refused ({error.response.status_code})"
        ) from error
    except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed) as error:
        if client.ws is not None:
            await client.ws.close()
        code = getattr(getattr(error, "rcvd", None), "code", None)
        detail = f" (close code {code})" if code else ""
        raise LoadError(
            f"client {index} on port {port}: {type(error).__name__}: {error}{detail}"
        ) from error


async def open_clients(ports, sessions, room, timeout):
    """One client per session, spread over the ports in turn; all or none."""
    limit = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(index, session_key):
        async with limit:
            return await open_client(index, ports[index % len(ports)], session_key, room, timeout)

    results = await asyncio.gather(
        *(one(index, key) for index, key in enumerate(sessions)), return_exceptions=True
    )
    clients = [result for result in results if isinstance(result, Client)]
    failures = [result for result in results if not isinstance(result, Client)]
    if failures:
        await close_clients(clients)
        first = failures[0]
        if not isinstance(first, LoadError):
            raise first
        raise LoadError(f"{len(failures)} of {len(sessions)} clients failed to connect; {first}")
    return clients


async def close_clients(clients):
    for client in clients:
        if client.reader is not None:
            client.reader.cancel()
    await asyncio.gather(
        *(client.reader for client in clients if client.reader is not None),
        return_exceptions=True,
    )
    await asyncio.gather(
        *(asyncio.wait_for(client.ws.close(), 5) for client in clients if client.ws is not None),
        return_exceptions=True,
    )


async def read_fan_out(client, tag):
    """Record each tagged message: when it arrived, and whether it came twice or out of order."""
    prefix = tag + " "
    try:
        async for raw in client.ws:
            now = time.perf_counter()
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "message":
                body = frame["message"].get("body", "")
                if not body.startswith(prefix):
                    continue
                index = int(body.split(" ", 2)[1])
                if index in client.received:
                    client.duplicates += 1
                    continue
                client.received[index] = now
                if index < client.last_index:
                    client.out_of_order += 1
                client.last_index = max(client.last_index, index)
            elif kind == "ack":
                client_id = frame.get("client_id") or ""
                if client_id.startswith(tag + "-"):
                    client.acks[int(client_id.rsplit("-", 1)[1])] = now
                    client.answered.set()
            elif kind == "error":
                client.errors.append(frame)
                client.answered.set()
    except ConnectionClosed as error:
        client.closed = f"closed by the server ({error.rcvd.code if error.rcvd else 'no code'})"


def cpu_seconds(pids):
    values = [process_cpu_seconds(pid) for pid in pids]
    return None if any(value is None for value in values) else sum(values)


async def fan_out(
    ports,
    sessions,
    room,
    *,
    rate,
    seconds,
    warmup_seconds,
    grace,
    connect_timeout,
    max_messages,
    server_pids,
    window=None,
):
    """One sender (client 0) at `rate` messages/second to everyone in `room`; the figures.

    `window`: the most messages in flight (sent, not yet acked); one second's worth by default.
    """
    window = max(1, int(window or rate))
    started_connecting = time.perf_counter()
    clients = await open_clients(ports, sessions, room, connect_timeout)
    connect_seconds = time.perf_counter() - started_connecting
    tag = f"bench-{uuid.uuid4().hex[:8]}"
    try:
        for client in clients:
            client.reader = asyncio.ensure_future(read_fan_out(client, tag))
        sender = clients[0]
        warmup = min(int(rate * warmup_seconds), max_messages)
        measured = max(1, min(int(rate * seconds), max_messages - warmup))
        total = warmup + measured
        send_times = {}
        server_cpu_before = cpu_seconds(server_pids)
        client_cpu_before = time.process_time()
        start = time.perf_counter()
        end = start + total / rate
        for index in range(total):
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            # At most `window` messages without an answer: a server slower than the schedule
            # makes the sender wait (and send fewer), instead of queueing without limit.
            while index - len(sender.acks) - len(sender.errors) >= window and not sender.closed:
                left = end - time.perf_counter()
                if left <= 0:
                    break
                sender.answered.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(sender.answered.wait(), left)
            if sender.closed or time.perf_counter() > end:
                break
            now = time.perf_counter()
            send_times[index] = now
            try:
                await sender.ws.send(
                    json.dumps(
                        {
                            "type": "send",
                            "room": room,
                            "client_id": f"{tag}-{index}",
                            "body": f"{tag} {index} {now:.6f}",
                        }
                    )
                )
            except ConnectionClosed:
                break
        last_send = time.perf_counter()

        # The grace period: until every client has every message; or until nothing has arrived
        # for SETTLE_SECONDS (what is missing then is lost, not late); or until `grace` is over.
        expected = set(send_times)
        deadline = last_send + grace
        progress, progress_at = -1, time.perf_counter()
        while True:
            now = time.perf_counter()
            if all(client.closed or len(client.received) >= len(expected) for client in clients):
                break
            delivered_so_far = sum(len(client.received) for client in clients)
            if delivered_so_far != progress:
                progress, progress_at = delivered_so_far, now
            elif now - progress_at > SETTLE_SECONDS:
                break
            if now > deadline:
                break
            await asyncio.sleep(0.05)
        drained = time.perf_counter()
        server_cpu_after = cpu_seconds(server_pids)
        client_cpu = time.process_time() - client_cpu_before
    finally:
        await close_clients(clients)

    # Figures over the measured messages (after the warm-up); losses over all of them.
    latencies = []
    first_measured_send = send_times.get(warmup)
    last_delivery = first_measured_send
    for client in clients:
        for index, received_at in client.received.items():
            if index >= warmup and index in send_times:
                latencies.append(received_at - send_times[index])
                last_delivery = max(last_delivery, received_at)
    span = (last_delivery - first_measured_send) if first_measured_send is not None else 0.0
    measured_sent = len([index for index in send_times if index >= warmup])
    lost = sum(len(expected - client.received.keys()) for client in clients)
    wall = drained - start
    server_cpu = (
        None
        if server_cpu_before is None or server_cpu_after is None
        else server_cpu_after - server_cpu_before
    )
    delivered = len(latencies)
    ack_latencies = [
        acked_at - send_times[index]
        for index, acked_at in sender.acks.items()
        if index >= warmup and index in send_times
    ]
    return {
        "clients": len(clients),
        "processes": len(ports),
        "rate_per_second": rate,
        "connect_seconds": round(connect_seconds, 2),
        "warmup_messages": warmup,
        "messages_scheduled": total,
        "messages_sent": len(send_times),
        "messages_measured": measured_sent,
        "window": window,
        # Fewer sent than scheduled: the server did not ack fast enough to keep the rate.
        "sender_limited": len(send_times) < total,
        "send_rate_achieved": round(len(send_times) / (end - start), 1),
        "expected_deliveries": len(send_times) * len(clients),
        "deliveries_measured": delivered,
        "delivered_per_second": round(delivered / span, 1) if span > 0 else None,
        "offered_per_second": rate * len(clients),
        "p50_ms": percentile_ms(latencies, 50),
        "p90_ms": percentile_ms(latencies, 90),
        "p99_ms": percentile_ms(latencies, 99),
        "max_ms": percentile_ms(latencies, 100),
        "lost": lost,
        "lost_clients": sum(1 for client in clients if expected - client.received.keys()),
        "duplicates": sum(client.duplicates for client in clients),
        "out_of_order": sum(client.out_of_order for client in clients),
        "acks": len(sender.acks),
        # send to ack at the sender: how long the server takes to accept a message (for Meent:
        # store it); when this grows, the sender's side is the bottleneck, not the fan-out.
        "ack_p50_ms": percentile_ms(ack_latencies, 50),
        "ack_p99_ms": percentile_ms(ack_latencies, 99),
        "send_errors": [frame for client in clients for frame in client.errors][:10],
        "send_error_count": sum(len(client.errors) for client in clients),
        "closed_early": sum(1 for client in clients if client.closed),
        "seconds": round(wall, 3),
        "server_cpu_percent": round(100 * server_cpu / wall, 1) if server_cpu is not None else None,
        "client_cpu_percent": round(100 * client_cpu / wall, 1),
        "server_cpu_ms_per_1000_deliveries": (
            round(1000 * server_cpu / (len(send_times) * len(clients)) * 1000, 1)
            if server_cpu is not None and send_times
            else None
        ),
    }


async def round_trip(ports, sessions, room, *, count, seconds, warmup, timeout):
    """A (on the first process) and B (on the last) ping-pong in a 1:1 room, one at a time."""
    a = await open_client(0, ports[0], sessions[0], room, timeout)
    try:
        b = await open_client(1, ports[-1], sessions[1], room, timeout)
    except BaseException:
        await close_clients([a])
        raise
    tag = f"rtt-{uuid.uuid4().hex[:8]}"
    answers = {}  # index -> future, resolved when A sees B's answer
    acked = {}  # index -> when A got the ack of its own send (the consumer's work for a send)
    errors = []

    async def read_a():
        async for raw in a.ws:
            frame = json.loads(raw)
            if frame.get("type") == "message":
                client_id = frame["message"].get("client_id", "")
                if client_id.startswith(f"{tag}-b-"):
                    future = answers.get(int(client_id.rsplit("-", 1)[1]))
                    if future is not None and not future.done():
                        future.set_result(time.perf_counter())
            elif frame.get("type") == "ack":
                client_id = frame.get("client_id") or ""
                if client_id.startswith(f"{tag}-a-"):
                    acked[int(client_id.rsplit("-", 1)[1])] = time.perf_counter()
            elif frame.get("type") == "error":
                errors.append(frame)

    async def read_b():
        async for raw in b.ws:
            frame = json.loads(raw)
            if frame.get("type") == "message":
                client_id = frame["message"].get("client_id", "")
                if client_id.startswith(f"{tag}-a-"):
                    index = client_id.rsplit("-", 1)[1]
                    await b.ws.send(
                        json.dumps(
                            {
                                "type": "send",
                                "room": room,
                                "client_id": f"{tag}-b-{index}",
                                "body": f"answer {index}",
                            }
                        )
                    )
            elif frame.get("type") == "error":
                errors.append(frame)

    a.reader = asyncio.ensure_future(read_a())
    b.reader = asyncio.ensure_future(read_b())
    latencies, ack_latencies, lost = [], [], 0
    loop = asyncio.get_running_loop()
    try:
        deadline = time.perf_counter() + seconds
        for index in range(warmup + count):
            if time.perf_counter() >= deadline or a.reader.done() or b.reader.done():
                break
            answers[index] = loop.create_future()
            started = time.perf_counter()
            await a.ws.send(
                json.dumps(
                    {
                        "type": "send",
                        "room": room,
                        "client_id": f"{tag}-a-{index}",
                        "body": f"question {index}",
                    }
                )
            )
            try:
                answered = await asyncio.wait_for(answers[index], timeout)
            except TimeoutError:
                lost += 1
                continue
            if index >= warmup:
                latencies.append(answered - started)
                if index in acked:
                    ack_latencies.append(acked[index] - started)
        closed = [name for name, client in (("A", a), ("B", b)) if client.reader.done()]
    finally:
        await close_clients([a, b])
    return {
        "round_trips": len(latencies),
        "closed_early": closed,
        "lost": lost,
        "errors": errors[:10],
        "error_count": len(errors),
        "p50_ms": percentile_ms(latencies, 50),
        "p90_ms": percentile_ms(latencies, 90),
        "p99_ms": percentile_ms(latencies, 99),
        "max_ms": percentile_ms(latencies, 100),
        "ack_p50_ms": percentile_ms(ack_latencies, 50),
        "ack_p99_ms": percentile_ms(ack_latencies, 99),
    }
