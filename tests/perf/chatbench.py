"""The chat part of `make bench`: real WebSocket clients against the server on the Redis channel layer.

One run (called from tests/perf/bench.py; BENCH_ONLY=chat runs only this part):

1. PostgreSQL and Redis on 127.0.0.1 must answer; otherwise the part says why and is skipped;
2. a throw-away PostgreSQL database ``meent_bench_<pid>``, migrated, with BENCH_CHAT_CLIENTS people
   (each with a session), per channel layer a group room with all of them and a 1:1 room
   (tests/perf/chat_setup.py, in bulk), and the SQL queries of one send counted;
3. for each channel layer (BENCH_CHAT_LAYERS: ``pubsub`` = RedisPubSubChannelLayer, ``core`` =
   RedisChannelLayer) and each server (Meent's consumer, config.asgi; the baseline, a bare Channels
   broadcast consumer, tests/perf/baseline_asgi.py), BENCH_CHAT_PROCESSES server processes on free
   ports of 127.0.0.1 with a unique REDIS_PREFIX, and:
   - fan-out: BENCH_CHAT_CLIENTS clients in one room, spread over the processes; client 0 sends
     BENCH_CHAT_RATE messages/second for BENCH_CHAT_SECONDS (after a 1 s warm-up), with at most
     one second's worth unacked (a server slower than the rate makes the sender wait: the table
     says SATURATED); delivered messages/second, p50/p99 delivery latency, send-to-ack latency,
     lost messages (tests/perf/wsload.py);
   - round trip: two clients in a 1:1 room (on the first and the last process) ping-pong up to
     BENCH_CHAT_RTT_COUNT times or BENCH_CHAT_SECONDS; p50/p99;
4. tables: both layers, ours against the baseline with the ratios against the targets (at least
   0.5 of its throughput, at most 2x its p99), and which layer to use, with the numbers (see
   ``recommend``).

On a small machine 20 messages/s to 200 clients (4000 deliveries/s) saturates even the baseline;
BENCH_CHAT_RATE=5 shows the latencies below saturation.

Meent's server runs with MEENT_CHAT_RATE raised (the per-sender limit would refuse the steady
sender). Everything only talks to 127.0.0.1 and is bounded in time and count; the server
processes, the database and the Redis keys under the run's prefix are always removed, also on
Ctrl+C. The part fails (exit 1) when Meent's consumer lost a message.

Environment: BENCH_CHAT_SECONDS (10), BENCH_CHAT_CLIENTS (200), BENCH_CHAT_RATE (20 messages/s),
BENCH_CHAT_PROCESSES (2), BENCH_CHAT_LAYERS ("pubsub,core"), BENCH_CHAT_RTT_COUNT (200),
BENCH_CHAT_GRACE (at most 60 s to receive what is still on its way; it ends sooner when
all arrived or nothing arrived for 3 s), BENCH_CHAT_MAX_MESSAGES (10000),
BENCH_CHAT_REDIS_URL (the server of REDIS_URL, else 127.0.0.1:6379, database 15: a concurrent test
run's cache.clear() flushes its own database, and must not hit ours), BENCH_CHAT_POSTGRES_URL (the
server of DATABASE_URL when that is PostgreSQL, else postgres://postgres@127.0.0.1:5432/postgres;
used to create and drop the throw-away database).
"""

import asyncio
import json
import os

from .harness import (
    BenchError,
    Servers,
    Skip,
    ThrowawayDatabase,
    check_postgres,
    check_redis,
    env_number,
    environment,
    fmt,
    fmt_pct,
    local_postgres_url,
    local_redis_url,
    redis_cleanup,
    run_python,
)
from .report import render_table
from .wsload import LoadError, fan_out, round_trip

LAYERS = {"pubsub": "RedisPubSubChannelLayer", "core": "RedisChannelLayer"}
SERVERS = {
    "meent": "config.asgi:application",
    "baseline": "tests.perf.baseline_asgi:application",
}
TARGET_THROUGHPUT_RATIO = 0.5  # ours / baseline, at least
TARGET_P99_RATIO = 2.0  # ours / baseline, at most
RAISED_CHAT_RATE = 1_000_000
CONNECT_TIMEOUT = 15.0
RTT_TIMEOUT = 10.0
REDIS_DB = "15"  # the Redis database the benchmark uses unless BENCH_CHAT_REDIS_URL says otherwise


class ChatBenchError(BenchError):
    """The chat part could not run; the message says why."""


def read_config(environ):
    layers = [part.strip() for part in environ.get("BENCH_CHAT_LAYERS", "pubsub,core").split(",")]
    layers = [layer for layer in layers if layer]
    if not layers or any(layer not in LAYERS for layer in layers):
        raise ChatBenchError(f"BENCH_CHAT_LAYERS={','.join(layers)!r}: use pubsub, core or both")
    return {
        "seconds": env_number(environ, "BENCH_CHAT_SECONDS", 10.0, high=600),
        "clients": env_number(environ, "BENCH_CHAT_CLIENTS", 200, int, low=2, high=2000),
        "rate": env_number(environ, "BENCH_CHAT_RATE", 20.0, high=2000),
        "processes": env_number(environ, "BENCH_CHAT_PROCESSES", 2, int, high=16),
        "layers": list(dict.fromkeys(layers)),
        "rtt_count": env_number(environ, "BENCH_CHAT_RTT_COUNT", 200, int, high=100_000),
        "grace": env_number(environ, "BENCH_CHAT_GRACE", 60.0, high=600),
        "max_messages": env_number(environ, "BENCH_CHAT_MAX_MESSAGES", 10_000, int, high=1_000_000),
        "warmup_seconds": 1.0,
        "rtt_warmup": 5,
    }


# --- the run -------------------------------------------------------------------------------


def service_urls(environ):
    """The Redis and the PostgreSQL server of the chat and people parts (see the docstring)."""
    return (
        local_redis_url(environ, "BENCH_CHAT_REDIS_URL", REDIS_DB),
        local_postgres_url(environ, "BENCH_CHAT_POSTGRES_URL"),
    )


def check_services(redis_url, postgres_url):
    check_redis(redis_url)
    check_postgres(postgres_url)


def base_environment(environ, tmp, database_url, redis_url):
    return environment(
        environ,
        tmp,
        database_url,
        redis_url,
        MEENT_BENCHMARK_VIEWS="true",
        MEENT_CHAT_RATE=str(RAISED_CHAT_RATE),
        LOG_LEVEL="WARNING",
    )


async def measure(servers, world, layer, server, config):
    rooms = world["rooms"][layer]
    if server == "meent":
        room, direct_room = rooms["group_room"], rooms["direct_room"]
    else:  # the baseline has no database: any number names a room
        room, direct_room = 1, 2
    sessions = world["sessions"][: config["clients"]]
    fan = await fan_out(
        servers.ports,
        sessions,
        room,
        rate=config["rate"],
        seconds=config["seconds"],
        warmup_seconds=config["warmup_seconds"],
        grace=config["grace"],
        connect_timeout=CONNECT_TIMEOUT,
        max_messages=config["max_messages"],
        server_pids=servers.pids,
    )
    await asyncio.sleep(0.5)  # let the closes settle
    pair = [world["sessions"][index] for index in rooms["pair"]]
    rtt = await round_trip(
        servers.ports,
        pair,
        direct_room,
        count=config["rtt_count"],
        seconds=config["seconds"],
        warmup=config["rtt_warmup"],
        timeout=RTT_TIMEOUT,
    )
    return fan, rtt


def run(tmp, say, environ=None):
    """Run the chat part: (results for the JSON file, exit status); status None when skipped.

    `environ`: the environment the command started with (the HTTP part changes os.environ).
    """
    environ = dict(os.environ if environ is None else environ)
    try:
        config = read_config(environ)
        redis_url, postgres_url = service_urls(environ)
        check_services(redis_url, postgres_url)
    except Skip as skip:
        say(f"bench: chat part SKIPPED: {skip}")
        return {"skipped": str(skip)}, None

    pid = os.getpid()
    database = ThrowawayDatabase(postgres_url, f"meent_bench_{pid}")
    prefix = f"meent-bench-{pid}"
    log_dir = tmp / "chat"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = base_environment(environ, tmp, database.url, redis_url)
    servers = None
    measurements = []
    try:
        say(f"bench: chat: throw-away database {database.name} on {database.where}")
        database.create()
        setup_env = {**env, "REDIS_PREFIX": f"{prefix}-setup"}
        seconds = run_python(
            ["manage.py", "migrate", "--noinput"], setup_env, log_dir / "setup.log", 900
        )
        say(f"bench: chat: migrate done ({seconds:.1f} s)")
        world_path = log_dir / "world.json"
        people = max(config["clients"], 4)
        seconds = run_python(
            [
                "-m",
                "tests.perf.chat_setup",
                str(world_path),
                str(people),
                ",".join(config["layers"]),
            ],
            setup_env,
            log_dir / "setup.log",
            300,
        )
        world = json.loads(world_path.read_text())
        say(
            f"bench: chat: {people} people with sessions, rooms per layer ({seconds:.1f} s); "
            f"one send costs {describe_cost(world['send_cost'])}"
        )
        say(
            f"bench: chat: Meent's server runs with MEENT_CHAT_RATE={RAISED_CHAT_RATE} (the "
            "per-sender limit, 20 per 10 s by default, would refuse the steady sender)"
        )
        say(
            f"bench: chat: {config['clients']} clients over {config['processes']} server "
            f"process(es), {config['rate']:g} msg/s for {config['seconds']:g} s (+1 s warm-up); "
            f"round trips up to {config['rtt_count']} or {config['seconds']:g} s"
        )
        total = len(config["layers"]) * len(SERVERS)
        for layer in config["layers"]:
            for server, app in SERVERS.items():
                label = f"{layer}-{server}"
                run_prefix = f"{prefix}-{label}"
                servers = Servers(
                    app,
                    {**env, "REDIS_CHANNEL_LAYER": layer, "REDIS_PREFIX": run_prefix},
                    config["processes"],
                    log_dir,
                    label,
                )
                try:
                    servers.wait_until_healthy()
                    fan, rtt = asyncio.run(measure(servers, world, layer, server, config))
                    servers.check_alive()
                finally:
                    servers.stop()
                    servers = None
                    redis_cleanup(redis_url, run_prefix)
                measurements.append(
                    {"layer": layer, "server": server, "fan_out": fan, "round_trip": rtt}
                )
                say(f"  [{len(measurements)}/{total}] {progress_line(layer, server, fan, rtt)}")
    except LoadError as error:
        raise ChatBenchError(str(error)) from error
    finally:
        if servers is not None:
            servers.stop()
        cleaned = ["the server stopped", redis_cleanup(redis_url, f"{prefix}-"), database.drop()]
        say(f"bench: chat: {', '.join(filter(None, cleaned))}")

    comparisons = compare(measurements)
    recommendation = recommend(measurements)
    lost_ours = sum(
        m["fan_out"]["lost"] + m["round_trip"]["lost"]
        for m in measurements
        if m["server"] == "meent"
    )
    lost_baseline = sum(
        m["fan_out"]["lost"] + m["round_trip"]["lost"]
        for m in measurements
        if m["server"] == "baseline"
    )
    results = {
        "settings": {
            "database": "PostgreSQL, throw-away database, bulk-created people and rooms",
            "redis": True,
            "settings_module": "tests.perf.settings",
            "server": f"uvicorn (config/serve.py), {config['processes']} process(es), 127.0.0.1",
            "client": "tests/perf/wsload.py, websockets (asyncio), one process, same machine",
            "meent_chat_rate": RAISED_CHAT_RATE,
            "clients": config["clients"],
            "rate_per_second": config["rate"],
            "seconds": config["seconds"],
            "warmup_seconds": config["warmup_seconds"],
            "grace_seconds": config["grace"],
            "rtt_count": config["rtt_count"],
            "layers": {layer: LAYERS[layer] for layer in config["layers"]},
            "baseline": "tests/perf/baseline_asgi.py: bare Channels broadcast consumer",
            "targets": {
                "throughput_ratio_at_least": TARGET_THROUGHPUT_RATIO,
                "p99_ratio_at_most": TARGET_P99_RATIO,
            },
            "latency_of": "send (sender's ws.send) to receipt at each client, same clock",
        },
        "send_cost": world["send_cost"],
        "runs": measurements,
        "comparisons": comparisons,
        "recommendation": recommendation,
        "lost": lost_ours,
        "lost_baseline": lost_baseline,
    }

    say("")
    say(
        f"Chat fan-out: one sender at {config['rate']:g} msg/s to {config['clients']} clients "
        f"(offered {config['rate'] * config['clients']:g} deliveries/s), at most "
        f"{max(1, int(config['rate']))} messages unacked; latency from send to receipt:"
    )
    say(fan_out_table(measurements))
    say("")
    say("Chat 1:1 round trip (A sends, B answers on seeing it, A sees the answer):")
    say(round_trip_table(measurements))
    say("")
    say(
        f"Meent against the bare Channels consumer (targets: throughput >= {TARGET_THROUGHPUT_RATIO}x, "
        f"p99 <= {TARGET_P99_RATIO:g}x):"
    )
    say(comparison_table(comparisons))
    say("")
    say(f"Channel layer: {recommendation['text']}")
    if lost_baseline:
        say(f"bench: WARNING the baseline lost {lost_baseline} message(s) (the layer itself)")
    if lost_ours:
        say(f"bench: chat FAILED, Meent's consumer lost {lost_ours} message(s)")
        return results, 1
    return results, 0


def describe_cost(cost):
    if "error" in cost:
        return f"? SQL queries (probe failed: {cost['error']})"
    return f"{cost['queries']} SQL queries + 2 cache round trips (warm)"


def progress_line(layer, server, fan, rtt):
    return (
        f"{layer:<6} {server:<8} fan-out {fan['delivered_per_second'] or 0:>7.1f} msg/s  "
        f"p50 {fmt(fan['p50_ms'])} ms  p99 {fmt(fan['p99_ms'])} ms  lost {fan['lost']}  "
        f"sent {fan['messages_sent']}/{fan['messages_scheduled']}  "
        f"(connect {fan['connect_seconds']:.1f} s; cpu: server {fmt_pct(fan['server_cpu_percent'])}, "
        f"client {fmt_pct(fan['client_cpu_percent'])})  |  round trip p50 {fmt(rtt['p50_ms'])} ms "
        f"p99 {fmt(rtt['p99_ms'])} ms ({rtt['round_trips']}, lost {rtt['lost']})"
    )


# --- figures -------------------------------------------------------------------------------


def ratio(ours, theirs):
    if ours is None or not theirs:
        return None
    return round(ours / theirs, 3)


def compare(measurements):
    by = {(m["layer"], m["server"]): m for m in measurements}
    rows = []
    for layer in dict.fromkeys(m["layer"] for m in measurements):
        ours, base = by.get((layer, "meent")), by.get((layer, "baseline"))
        if not ours or not base:
            continue
        throughput = ratio(
            ours["fan_out"]["delivered_per_second"], base["fan_out"]["delivered_per_second"]
        )
        p99 = ratio(ours["fan_out"]["p99_ms"], base["fan_out"]["p99_ms"])
        rows.append(
            {
                "layer": layer,
                "throughput_ratio": throughput,
                "p99_ratio": p99,
                "p50_ratio": ratio(ours["fan_out"]["p50_ms"], base["fan_out"]["p50_ms"]),
                "rtt_p50_ratio": ratio(ours["round_trip"]["p50_ms"], base["round_trip"]["p50_ms"]),
                "rtt_p99_ratio": ratio(ours["round_trip"]["p99_ms"], base["round_trip"]["p99_ms"]),
                "throughput_ok": throughput is not None and throughput >= TARGET_THROUGHPUT_RATIO,
                "p99_ok": p99 is not None and p99 <= TARGET_P99_RATIO,
            }
        )
    return rows


def recommend(measurements):
    """Which layer for Meent, and why, from this run's figures.

    1. a layer on which Meent lost messages is out;
    2. fan-out capacity: Meent's delivered/s, unless its sender waited for acks on both layers;
       then that figure measures Meent's send path (database), not the layer, and the baseline's
       delivered/s (the same fan-out without Meent's work) decides;
    3. server CPU per delivery, Meent's and the baseline's together;
    4. Meent's p99 fan-out latency.
    Differences within 10% do not count.
    """
    by = {(m["layer"], m["server"]): m for m in measurements}
    layers = list(dict.fromkeys(m["layer"] for m in measurements))
    if len(layers) < 2 or any((layer, "meent") not in by for layer in layers[:2]):
        return {"layer": None, "text": "only one layer measured; run both to choose"}
    a, b = layers[:2]

    def figure(layer, server, key, default=None):
        m = by.get((layer, server))
        value = m["fan_out"][key] if m else None
        return default if value is None else value

    figures = {}
    for layer in (a, b):
        ours = by[(layer, "meent")]
        cpu = [figure(layer, server, "server_cpu_ms_per_1000_deliveries") for server in SERVERS]
        figures[layer] = {
            "lost": ours["fan_out"]["lost"] + ours["round_trip"]["lost"],
            "delivered_per_second": figure(layer, "meent", "delivered_per_second", 0.0),
            "baseline_delivered_per_second": figure(layer, "baseline", "delivered_per_second"),
            "sender_limited": ours["fan_out"]["sender_limited"],
            "cpu_ms_per_1000": sum(cpu) if all(value is not None for value in cpu) else None,
            "p99_ms": figure(layer, "meent", "p99_ms", float("inf")),
            "rtt_p99_ms": ours["round_trip"]["p99_ms"],
        }
    fa, fb = figures[a], figures[b]

    def differ(x, y, tolerance=0.10):
        return x is not None and y is not None and abs(x - y) > tolerance * max(x, y)

    sender_limited = fa["sender_limited"] and fb["sender_limited"]
    capacity = "baseline_delivered_per_second" if sender_limited else "delivered_per_second"
    if (fa["lost"] == 0) != (fb["lost"] == 0):
        winner, why = (a if fa["lost"] == 0 else b), "Meent lost no message on it"
    elif differ(fa[capacity], fb[capacity]):
        winner = a if fa[capacity] > fb[capacity] else b
        loser = b if winner == a else a
        why = (
            f"it fans out {figures[winner][capacity] / figures[loser][capacity]:.2f}x the "
            f"messages per second ({figures[winner][capacity]:.0f} against "
            f"{figures[loser][capacity]:.0f}"
            + (
                ", measured with the baseline: Meent's sender waited for acks on both layers, "
                "so its own figure measures its send path, not the layer)"
                if sender_limited
                else ")"
            )
        )
    elif differ(fa["cpu_ms_per_1000"], fb["cpu_ms_per_1000"]):
        winner = a if fa["cpu_ms_per_1000"] < fb["cpu_ms_per_1000"] else b
        why = "throughput within 10%, and it costs the server less CPU per delivery"
    elif differ(fa["p99_ms"], fb["p99_ms"]):
        winner = a if fa["p99_ms"] < fb["p99_ms"] else b
        why = "throughput and CPU within 10%, and it has the lower p99 fan-out latency"
    else:
        winner, why = None, "no difference above 10% in loss, throughput, CPU or p99"

    def line(layer):
        f = figures[layer]
        base = f["baseline_delivered_per_second"]
        return (
            f"{layer} ({LAYERS[layer]}): Meent {f['delivered_per_second']:.0f} msg/s"
            + (" (sender-limited)" if f["sender_limited"] else "")
            + (f", baseline {base:.0f} msg/s" if base is not None else "")
            + f", Meent fan-out p99 {f['p99_ms']:.0f} ms, round-trip p99 {fmt(f['rtt_p99_ms'])} ms"
            + (
                f", server CPU {f['cpu_ms_per_1000']:.0f} ms per 1000 deliveries (both servers)"
                if f["cpu_ms_per_1000"] is not None
                else ""
            )
            + f", lost {f['lost']}"
        )

    text = f"{line(a)}; {line(b)}. "
    text += (
        f"Recommended: {winner} ({LAYERS[winner]}): {why}."
        if winner
        else f"No clear winner: {why}."
    )
    return {"layer": winner, "reason": why, "figures": figures, "text": text}


def fan_out_table(measurements):
    rows = []
    for m in measurements:
        f = m["fan_out"]
        rows.append(
            [
                m["layer"],
                m["server"],
                f"{f['messages_sent']}/{f['messages_scheduled']}",
                fmt(f["delivered_per_second"]),
                fmt(f["p50_ms"]),
                fmt(f["p99_ms"]),
                fmt(f["max_ms"]),
                f"{fmt(f['ack_p50_ms'])}/{fmt(f['ack_p99_ms'])}",
                f["lost"],
                f["duplicates"],
                f["out_of_order"],
                f["send_error_count"],
                fmt(f["server_cpu_ms_per_1000_deliveries"], 0),
                f"{fmt_pct(f['server_cpu_percent'])}/{fmt_pct(f['client_cpu_percent'])}",
                saturation(f),
            ]
        )
    headers = [
        "layer",
        "server",
        "sent/sched",
        "delivered/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "ack p50/p99 ms",
        "lost",
        "dup",
        "order",
        "errors",
        "cpu ms/1k",
        "cpu server/client",
        "",
    ]
    return render_table(
        rows, headers, ["<", "<", ">", ">", ">", ">", ">", ">", ">", ">", ">", ">", ">", ">", "<"]
    )


def saturation(fan):
    """Why the offered load was not carried, if it was not."""
    if fan["sender_limited"]:
        return "SATURATED: sender waited for acks"
    delivered = fan["delivered_per_second"] or 0
    if delivered < 0.9 * fan["offered_per_second"]:
        return "SATURATED: fan-out behind"
    return ""


def round_trip_table(measurements):
    rows = [
        [
            m["layer"],
            m["server"],
            m["round_trip"]["round_trips"],
            fmt(m["round_trip"]["p50_ms"]),
            fmt(m["round_trip"]["p99_ms"]),
            fmt(m["round_trip"]["max_ms"]),
            f"{fmt(m['round_trip']['ack_p50_ms'])}/{fmt(m['round_trip']['ack_p99_ms'])}",
            m["round_trip"]["lost"],
            m["round_trip"]["error_count"],
        ]
        for m in measurements
    ]
    headers = [
        "layer",
        "server",
        "round trips",
        "p50 ms",
        "p99 ms",
        "max ms",
        "ack p50/p99 ms",
        "lost",
        "errors",
    ]
    return render_table(rows, headers, ["<", "<", ">", ">", ">", ">", ">", ">", ">"])


def comparison_table(comparisons):
    rows = []
    for c in comparisons:
        rows.append(
            [
                c["layer"],
                fmt(c["throughput_ratio"], 2),
                "ok" if c["throughput_ok"] else f"BELOW TARGET (< {TARGET_THROUGHPUT_RATIO})",
                fmt(c["p50_ratio"], 2),
                fmt(c["p99_ratio"], 2),
                "ok" if c["p99_ok"] else f"ABOVE TARGET (> {TARGET_P99_RATIO:g})",
                fmt(c["rtt_p50_ratio"], 2),
                fmt(c["rtt_p99_ratio"], 2),
            ]
        )
    headers = [
        "layer",
        "throughput x",
        "target",
        "p50 x",
        "p99 x",
        "target",
        "rtt p50 x",
        "rtt p99 x",
    ]
    return render_table(rows, headers, ["<", ">", "<", ">", ">", "<", ">", ">"])
