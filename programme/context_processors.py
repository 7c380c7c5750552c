"""Whether the layout shows the coordinators' link (from the role loaded with the user: no
query)."""

from __future__ import annotations

from django.http import HttpRequest

from programme import permissions


def programme(request: HttpRequest) -> dict:
    return {"is_coordinator": lambda: permissions.is_coordinator(request.user)}
