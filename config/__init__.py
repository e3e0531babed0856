"""The project wiring: settings per environment, the URL and WebSocket routes, ASGI/WSGI and
the health check. It imports everything; nothing imports it."""
