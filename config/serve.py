"""Serve Meent (HTTP and WebSockets, one ASGI process): the demo, the tests and production.

    python -m config.serve [--host 127.0.0.1] [--port 8000]   (HOST and PORT work too)

uvicorn serves it, with what Meent needs set here once (the README's "Serving" says why uvicorn
and not daphne: the same page throughput, and daphne asked to stop while serving kept running).

On SIGTERM or SIGINT (a deploy, a container platform stopping the process, Ctrl+C) the process
stops accepting connections, lets the HTTP requests in flight finish, closes WebSockets with
1012 "service restart" (RFC 6455's registry: reconnect after a random short delay, which the chat
client does, to another process behind the proxy), and exits;
what still runs after ``MEENT_SHUTDOWN_SECONDS`` (30) is cancelled. The database connections go
with the process. The start, the stop request with what was open, and the exit are logged.
"""

import argparse
import logging
import os

import uvicorn
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

logger = logging.getLogger("meent.serve")

# The largest WebSocket message read at all: a bigger one is refused with 1009 (message too big)
# before it is read. The chat's frames are at most 16 KiB (chat/frames.py), which answers a
# frame between the two with an error frame and keeps the connection.
WS_MAX_BYTES = 64 * 1024


class Server(uvicorn.Server):
    """uvicorn's server, saying what it stops with and what it served."""

    async def shutdown(self, sockets=None):
        state = self.server_state
        sockets_open = sum(isinstance(c, WebSocketsSansIOProtocol) for c in state.connections)
        logger.warning(
            "Stopping (pid %d): %d connections open, %d of them WebSockets, %d requests in "
            "flight; finishing them for at most %d s",
            os.getpid(),
            len(state.connections),
            sockets_open,
            len(state.tasks),
            self.config.timeout_graceful_shutdown,
        )
        await super().shutdown(sockets=sockets)
        logger.warning(
            "Stopped (pid %d): %d requests served, %d left unfinished",
            os.getpid(),
            state.total_requests,
            sum(not task.done() for task in state.tasks),
        )


def config(host, port, app="config.asgi:application", **overrides):
    shutdown_seconds = int(os.environ.get("MEENT_SHUTDOWN_SECONDS", "30"))
    options = {
        "host": host,
        "port": port,
        "ws": "websockets-sansio",
        "ws_max_size": WS_MAX_BYTES,
        "lifespan": "off",  # Channels' router has no lifespan; nothing to set up per process
        "timeout_graceful_shutdown": shutdown_seconds,
        # Client addresses come from X-Forwarded-For as ALLAUTH_TRUSTED_PROXY_COUNT says, in
        # Django; uvicorn leaves the peer address alone.
        "proxy_headers": False,
        "server_header": False,
        "access_log": os.environ.get("MEENT_ACCESS_LOG", "") == "1",
        "log_config": None,  # Django's LOGGING (config/settings) formats everything
    }
    options.update(overrides)
    return uvicorn.Config(app, **options)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    # Another ASGI application served the same way: the benchmarks' baselines.
    parser.add_argument("--app", default="config.asgi:application")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()  # LOGGING applies to uvicorn's loggers too
    server_config = config(arguments.host, arguments.port, arguments.app)
    logger.warning(
        "Starting (pid %d) on http://%s:%d/ with %s",
        os.getpid(),
        arguments.host,
        arguments.port,
        os.environ["DJANGO_SETTINGS_MODULE"],
    )
    Server(server_config).run()


if __name__ == "__main__":
    main()
