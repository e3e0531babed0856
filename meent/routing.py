"""WebSocket routes. Each capability that speaks WebSocket adds its patterns here."""

websocket_urlpatterns = []
