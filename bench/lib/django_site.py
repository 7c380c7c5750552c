"""Django inside the bench process, on the same database as the servers.

For what an HTTP client cannot see: how many SQL queries a page makes, and a signed-in
member's session cookie to send with the requests. Call `setup_django(site)` once, after
`prepared_site()` has migrated the database; settings are read once per process, so one
bench process works with one site.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from bench.lib.server import HOST, ROOT, Site


@dataclass(frozen=True)
class QueryCount:
    status: int
    queries: int
    sql: list[str] = field(default_factory=list)


def setup_django(site: Site) -> None:
    """Configure Django in this process with the site's environment (its DATABASE_URL, ...)."""
    os.environ.update(site.env)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def query_count(path: str, *, user: object | None = None) -> QueryCount:
    """Render `path` in-process with Django's test Client and count its SQL queries.

    The view runs through the whole middleware stack, as under a server; `user` (a User)
    is signed in first, and the sign-in's own queries are not counted.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME=HOST)  # "testserver" is not in the bench's ALLOWED_HOSTS
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return QueryCount(
        status=response.status_code,
        queries=len(captured),
        sql=[query["sql"] for query in captured.captured_queries],
    )


def bench_member(*, username: str = "bench-member") -> object:
    """A librarian with a verified email address, created once per database."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    email = f"{username}@bench.serambi.localhost"
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email, "name": "Bench Member"}
    )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def member_cookies(user: object | None = None) -> dict[str, str]:
    """Cookies of a signed-in session for `user` (default: bench_member()), for any server.

    The session is stored where the servers look for it (database, or Redis with REDIS_URL),
    so these cookies sign requests in whether they go to gunicorn, Daphne or query_count.
    """
    from django.conf import settings
    from django.test import Client

    client = Client(SERVER_NAME=HOST)
    client.force_login(user if user is not None else bench_member())
    name = settings.SESSION_COOKIE_NAME
    return {name: client.cookies[name].value}
