"""Posting limits per member, stricter for accounts younger than a day.

Written here rather than taken from django-ratelimit: that library refuses (system check
E003) the local-memory cache that Serambi's embedded default runs on, and a fixed window on
the cache is a dozen lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import ngettext

NEW_ACCOUNT_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


# action: (established members, accounts younger than a day)
DEFAULT_RATES = {
    "topic": (Rate(5, 3600), Rate(2, 3600)),
    "post": (Rate(20, 600), Rate(5, 600)),
    "upload": (Rate(30, 3600), Rate(10, 3600)),
    "flag": (Rate(20, 3600), Rate(5, 3600)),
    "checkin": (Rate(10, 600), Rate(10, 600)),  # training check-in codes: no guessing
}


class RateLimited(Exception):
    def __init__(self, *, minutes: int):
        self.minutes = minutes
        super().__init__(
            ngettext(
                "You are posting faster than Serambi allows. Please wait %(minutes)d minute "
                "and try again; what you wrote is kept below.",
                "You are posting faster than Serambi allows. Please wait %(minutes)d minutes "
                "and try again; what you wrote is kept below.",
                minutes,
            )
            % {"minutes": minutes}
        )


def _rate(action: str, user) -> Rate:
    established, new = getattr(settings, "SERAMBI_RATE_LIMITS", DEFAULT_RATES)[action]
    return new if timezone.now() - user.date_joined < NEW_ACCOUNT_AGE else established


def hit(*, user, action: str) -> None:
    """Count one `action` by `user`; raise RateLimited when over the limit."""
    rate = _rate(action, user)
    window = int(timezone.now().timestamp()) // rate.seconds
    key = f"ratelimit:{action}:{user.pk}:{window}"
    cache.add(key, 0, timeout=rate.seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # the cache lost the key meanwhile: do not block posting
        return
    if count is None:  # a cache that cannot count (config.cache logs why): fail open
        return
    if count > rate.count:
        remaining = rate.seconds - int(timezone.now().timestamp()) % rate.seconds
        raise RateLimited(minutes=max(1, -(-remaining // 60)))
