"""Reads on members."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.models import User


def profile_page(*, username: str) -> User:
    """The member shown on a public profile page; 404 for unknown or deactivated members."""
    return get_object_or_404(
        User.objects.select_related("library"), username=username, is_active=True
    )
