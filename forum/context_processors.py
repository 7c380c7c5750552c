from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from forum import permissions, selectors


def forum(request: HttpRequest) -> dict:
    """The header's forum bits: the unread count (cached) and, for moderators, open flags.
    Callables, so a page that does not show them pays nothing."""
    # An error page can render before the authentication middleware ran (a 400 for a bad Host).
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "unread_notifications": lambda: selectors.unread_count(user=user),
        "open_flags": lambda: selectors.open_flag_count() if permissions.can_moderate(user) else 0,
    }
