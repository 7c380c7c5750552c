"""Websocket routes, gathered from each Serambi app's `routing.py`, then a refusal for the rest."""

from __future__ import annotations

from django.urls import re_path

from config.consumers import NotFoundConsumer
from config.discovery import app_modules

websocket_urlpatterns = [
    *(pattern for module in app_modules("routing") for pattern in module.websocket_urlpatterns),
    re_path(r"", NotFoundConsumer.as_asgi()),
]
