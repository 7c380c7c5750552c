"""Websocket routes, gathered from each Serambi app's `routing.py`."""

from __future__ import annotations

from config.discovery import app_modules

websocket_urlpatterns = [
    pattern for module in app_modules("routing") for pattern in module.websocket_urlpatterns
]
