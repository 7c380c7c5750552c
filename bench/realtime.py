"""Does a new reply reach 1,000 live topic pages in p95 ≤ 250 ms, every one of them, once?

DESIGN.md's budget for live updates. The script runs production's shape on loopback: its own
redis-server (the channel layer, the cache, sessions), gunicorn serving pages and taking the
replies (compose's `web`), Daphne serving the websockets (compose's `ws`, with its
DATABASE_CONN_MAX_AGE=0 and access log), against a throwaway database. Then:

1. N websockets (default 1,000, from this process, asyncio) open /ws/live/ as a topic page does
   (`lang=id&topic=<id>&after=<number>`, an allowed Origin), a few dozen at a time, and the
   script waits until Redis holds all of them in the topic's group;
2. they stay open 12 s with no reply (a quiet topic, as most are most of the time), and ping
   every 25 s as pages do (each ping joins the groups again and replays the log);
3. members post R replies (default 1 warm-up + 20) over HTTP, one after another, each as a
   browser does: the topic page, its form's CSRF token, the form; the next once every socket
   has this one (or after a timeout), and a pause;
4. each socket notes when each `post.created` event arrives; the event carries the time its
   row was written, inside the transaction, just before the commit ("at", ms since the epoch),
   so latency = receipt - at, on one clock. `redis-cli monitor` notes when gunicorn's
   group_send read the group and stored the message, on the same clock.

Reported: deliveries (every socket must get every reply exactly once), latency p50/p95/p99 over
all deliveries and per reply (first and last socket), Daphne's resident memory per open socket,
and the CPU time per reply of Daphne, gunicorn, Redis and this client. A socket that closes
before the end counts as missing each reply after; Daphne's log says why.

    .venv/bin/python bench/realtime.py
    .venv/bin/python bench/realtime.py --clients 2000 --replies 50 --daphne-processes 2
    .venv/bin/python bench/realtime.py --profile                # where Daphne's time goes
    .venv/bin/python bench/realtime.py --layer-socket-timeout 10  # the channel layer, retuned
    .venv/bin/python bench/realtime.py --database-url postgres://postgres@127.0.0.1:5432/serambi_bench_rt
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import http.cookies
import io
import json
import math
import os
import pstats
import random
import re
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a file, bench/ comes first on sys.path, where bench/forum.py would pass for the forum
# app ("import forum"); the repository goes there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

import websockets  # noqa: E402

from bench.lib import django_site, report, script  # noqa: E402
from bench.lib.client import request_headers  # noqa: E402
from bench.lib.cpu import OtherWork  # noqa: E402
from bench.lib.redis_server import redis_server  # noqa: E402
from bench.lib.server import (  # noqa: E402
    HOST,
    Server,
    ServerError,
    Site,
    _serve,
    free_port,
    gunicorn,
    prepared_site,
)

BUDGET_P95_MS = 250
BUDGET_CLIENTS = 1_000
MARKER = "serambi bench/realtime.py"  # a PostgreSQL database this script made says so
PROTECTED_DATABASES = {
    "test",
    "postgres",
    "template0",
    "template1",
    "serambi_bench",  # bench/forum.py's cached forum
    "serambi_bench_prog",
}
REPLIES_PER_MEMBER = 10  # half the posting limit of an established member (forum/ratelimits.py)
PAGE_PING_SECONDS = 25.0  # static/js/serambi.js: a page pings every 25 s
SETTLE_SECONDS = 1.0
# More than twice channels_redis's BZPOPMIN wait (5 s): a quiet Daphne process's receive loop
# comes back empty-handed at least twice.
QUIET_SECONDS = 12.0  # after the last reply, for late or duplicate deliveries
NOISY_PERCENT = 10
LANGUAGE = "id"
LAYERS = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}  # settings.LANGUAGE_CODE: what most pages ask for

# The consumer's json.dumps(event) starts with the event's number, type, topic and time
# (TopicEvent.as_message); reading those four with a regular expression keeps this client's
# CPU per message small, so that its own queueing adds little to the latencies. A message of
# any other shape is parsed in full.
HEAD_RE = re.compile(r'\{"number": (\d+), "type": "([^"]+)", "topic": \d+, "at": (\d+)')
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=BUDGET_CLIENTS, help="websockets opened")
    parser.add_argument("--replies", type=int, default=20, help="replies posted over HTTP")
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="replies posted first and left out of the latencies (the servers' first render)",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database to create and drop at the end, e.g. "
        "postgres://postgres@127.0.0.1:5432/serambi_bench_rt (default: a new SQLite file)",
    )
    parser.add_argument(
        "--daphne-processes", type=int, default=1, help="Daphne processes; sockets round-robin"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=0.5,
        help="seconds between one reply's delivery and the next",
    )
    parser.add_argument(
        "--connect-concurrency", type=int, default=50, help="sockets being opened at a time"
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds a reply may take to reach every socket"
    )
    parser.add_argument(
        "--quiet",
        type=float,
        default=QUIET_SECONDS,
        help="seconds the sockets stay open with no reply before the first (a quiet topic)",
    )
    parser.add_argument(
        "--layer",
        choices=sorted(LAYERS),
        help="the servers' channel layer, on the same Redis: pubsub or core "
        "(bench/lib/layer_settings.py); default: production's (config/settings.py)",
    )
    parser.add_argument(
        "--layer-socket-timeout",
        metavar="SECONDS",
        help="the channel layer's Redis connections get this socket timeout (or 'none'); "
        "default: production's settings (redis-py's 5 s)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the first Daphne process's event loop during the replies (cProfile)",
    )
    parser.add_argument(
        "--no-page-pings",
        dest="page_pings",
        action="store_false",
        help="do not send the page's ping every 25 s",
    )
    args = parser.parse_args(argv)
    timeout = args.layer_socket_timeout
    if timeout is not None and timeout != "none":
        try:
            float(timeout)
        except ValueError:
            parser.error("--layer-socket-timeout: a number of seconds, or 'none'")
    if args.clients < 1 or args.replies < 1 or args.daphne_processes < 1 or args.warmup < 0:
        parser.error("--clients, --replies and --daphne-processes must be at least 1")
    return args


# --- The site -----------------------------------------------------------------------------------


@contextmanager
def postgres_database(url: str) -> Iterator[None]:
    """Create the database named in --database-url, and drop it at the end. A database this
    script did not make (its comment says who did) is refused, never dropped."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise ServerError(f"--database-url: a postgres:// address, not {parts.scheme}://")
    name = parts.path.lstrip("/")
    if not name or name in PROTECTED_DATABASES:
        raise ServerError(f"--database-url: refusing to use the database {name!r}; name another")
    admin_url = parts._replace(path="/postgres").geturl()
    identifier = sql.Identifier(name)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row is not None:
            if not (row[0] or "").startswith(MARKER):
                raise ServerError(
                    f"the database {name!r} exists and was not made by bench/realtime.py; "
                    "name another in --database-url"
                )
            report.step(f"dropping {name!r}, left by an earlier run")
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(identifier))
        report.step(f"creating the PostgreSQL database {name!r}")
        admin.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
        admin.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(identifier, sql.Literal(MARKER))
        )
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
        report.step(f"dropped the database {name!r}")


@contextmanager
def daphne_ws(site: Site, number: int, profile: Path | None = None) -> Iterator[Server]:
    """Daphne as compose's `ws` service runs it: access log on, DATABASE_CONN_MAX_AGE=0.

    (bench.lib.server.daphne() keeps the site's connection age and turns the log off, which
    suits comparing it with gunicorn on pages, not websockets.) With `profile`, under
    bench/lib/profiled_daphne.py, which writes a cProfile of its event loop there.
    """
    port = free_port()
    label = f"daphne (process {number}, as compose's ws{', profiled' if profile else ''})"
    module = "bench.lib.profiled_daphne" if profile else "daphne"
    command = [
        sys.executable, "-m", module, "config.asgi:application",
        "--bind", HOST,
        "--port", str(port),
        "--access-log", "-",  # to its log file: a line per socket opened and closed
    ]  # fmt: skip
    env = {"DATABASE_CONN_MAX_AGE": "0"}
    if profile:
        env["SERAMBI_BENCH_PROFILE"] = str(profile)
    with _serve(site, label, port, command, env) as server:
        yield server


@dataclass(frozen=True)
class World:
    topic_id: int
    topic_url: str
    reply_path: str
    after: int  # the topic's event number when the sockets open
    posters: list[tuple[str, dict[str, str]]]  # username, session cookies
    bodies: list[str]


def seed(replies: int) -> World:
    """A public topic, asked by one librarian, and enough established librarians to post the
    replies within forum/ratelimits.py's limits (each account 30 days old)."""
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from django.utils import timezone

    from accounts import roles
    from accounts.models import User
    from bench import forum_data
    from forum import services
    from forum.models import Category

    librarians = Group.objects.get(name=roles.LIBRARIANS)
    count = max(1, math.ceil(replies / REPLIES_PER_MEMBER))
    members = []
    for index in range(count + 1):
        user = django_site.bench_member(username=f"bench-rt-{index:03d}")
        user.groups.add(librarians)
        members.append(user)
    User.objects.filter(pk__in=[u.pk for u in members]).update(
        date_joined=timezone.now() - timedelta(days=30)
    )
    members = list(User.objects.filter(pk__in=[u.pk for u in members]).order_by("username"))
    asker, posters = members[0], members[1:]
    category = Category.objects.filter(members_only=False).order_by("pk").first()
    if category is None:
        raise ServerError("the migrated site has no public category to ask in")
    topic = services.topic_create(
        author=asker,
        category=category,
        title="Seribu pembaca menunggu: bagaimana kalian mengatur antrean layanan sirkulasi?",
        body="Setiap pagi antrean di meja sirkulasi panjang sekali. Apa yang kalian lakukan?",
    )
    topic.refresh_from_db()
    rng = random.Random(20261205)
    usernames = [u.username for u in members]
    return World(
        topic_id=topic.pk,
        topic_url=topic.get_absolute_url(),
        reply_path=reverse("forum:reply", kwargs={"pk": topic.pk}),
        after=topic.event_number,
        posters=[(u.username, django_site.member_cookies(u)) for u in posters],
        bodies=[forum_data.make_body(rng, usernames) for _ in range(replies)],
    )


# --- Posting, as a browser does -----------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    status: int
    post_ms: float  # the POST's round trip: the reply's transaction, then its broadcast
    error: str = ""


def post_reply(port: int, world: World, poster: dict[str, str], body: str) -> Posted:
    """The topic page (its form's CSRF token and cookie), then the reply form, sent once."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", world.topic_url, headers=request_headers(poster))
        page = connection.getresponse()
        html = page.read().decode("utf-8", "replace")
        cookies = dict(poster)
        for header in page.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie(header)
            cookies.update({name: morsel.value for name, morsel in jar.items()})
        token = TOKEN_RE.search(html)
        if page.status != 200 or token is None:
            return Posted(page.status, 0.0, "the topic page has no form to reply with")
    finally:
        connection.close()
    form = urllib.parse.urlencode(
        {
            "body": body,
            "csrfmiddlewaretoken": token.group(1),
            "submission_key": secrets.token_urlsafe(16),
        }
    )
    origin = f"http://{HOST}:{port}"
    headers = {
        **request_headers(cookies),
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + world.topic_url,
    }
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        started = time.perf_counter()
        connection.request("POST", world.reply_path, body=form, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        connection.close()
    error = "" if response.status == 302 else f"HTTP {response.status}"
    return Posted(response.status, elapsed, error)


# --- The sockets ----------------------------------------------------------------------------------


@dataclass
class Reply:
    number: int  # the topic event it makes
    poster: str
    posted: Posted | None = None
    latencies_ms: list[float] = field(default_factory=list)
    duplicates: int = 0
    warmup: bool = False  # posted first, delivered like the others, left out of the latencies
    at_ms: int | None = None  # when its event was written (from the event itself)
    broadcast_ms: float | None = None  # from then to gunicorn's group_send reading the group
    stored_ms: float | None = None  # ... to the message stored in Redis for Daphne
    # Set when every open socket has it.
    done: asyncio.Event = field(default_factory=asyncio.Event)
    expected: int = 0

    @property
    def delivered(self) -> int:
        return len(self.latencies_ms)


@dataclass
class Reader:
    index: int
    socket: object = None
    seen: set[int] = field(default_factory=set)
    other_messages: int = 0
    checked: bool = False  # one message parsed in full, its HTML looked at
    close_code: int | None = None


class Fanout:
    """What the sockets received, by reply."""

    def __init__(self) -> None:
        self.replies: dict[int, Reply] = {}
        self.unexpected = 0  # post.created events for numbers nobody posted
        self.bad_html = 0

    def arrived(self, reader: Reader, text: str, now_ms: float) -> None:
        head = HEAD_RE.match(text)
        if head is None or not reader.checked:
            event = json.loads(text)
            kind, number, at = event.get("type"), event.get("number"), event.get("at")
            if kind == "post.created":
                reader.checked = True
                if "<article" not in (event.get("html") or ""):
                    self.bad_html += 1
        else:
            kind, number, at = head.group(2), int(head.group(1)), int(head.group(3))
        if kind != "post.created" or number is None:
            reader.other_messages += 1
            return
        reply = self.replies.get(number)
        if reply is None:
            self.unexpected += 1
            return
        if number in reader.seen:
            reply.duplicates += 1
            return
        reader.seen.add(number)
        reply.at_ms = at
        reply.latencies_ms.append(now_ms - at)
        if reply.delivered >= reply.expected:
            reply.done.set()


async def read(reader: Reader, fanout: Fanout) -> None:
    try:
        async for text in reader.socket:
            fanout.arrived(reader, text, time.time() * 1000)
    except websockets.ConnectionClosed:
        pass
    reader.close_code = reader.socket.close_code


def socket_url(server: Server, world: World) -> str:
    return (
        f"ws://{HOST}:{server.port}/ws/live/"
        f"?lang={LANGUAGE}&topic={world.topic_id}&after={world.after}"
    )


class Opener:
    """Opens readers' sockets, `concurrency` at a time, and says how far it has got."""

    def __init__(self, servers: list[Server], world: World, total: int, concurrency: int):
        self.servers, self.world, self.total = servers, world, total
        self.gate = asyncio.Semaphore(concurrency)
        self.opened = self.failures = 0
        self.started = time.monotonic()
        self.quarter = max(1, total // 4)

    async def open(self, readers: list[Reader]) -> None:
        await asyncio.gather(*(self._one(reader) for reader in readers))

    async def _one(self, reader: Reader) -> None:
        server = self.servers[reader.index % len(self.servers)]
        async with self.gate:
            try:
                reader.socket = await websockets.connect(
                    socket_url(server, self.world),
                    origin=f"http://{HOST}:{server.port}",  # AllowedHostsOriginValidator
                    user_agent_header="serambi-bench",
                    ping_interval=None,  # browsers do not ping; Daphne pings them
                    open_timeout=30,
                    max_size=2**22,
                )
            except (OSError, websockets.InvalidHandshake, TimeoutError) as error:
                self.failures += 1
                if self.failures <= 3:
                    report.detail(f"socket {reader.index} did not open: {error!r}")
                return
        self.opened += 1
        if self.opened % self.quarter == 0 and self.opened < self.total:
            report.detail(f"{report.number(self.opened)} open ({self.seconds:.1f} s)")

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


@dataclass(frozen=True)
class Layer:
    """The channel layer the servers run, and where Redis shows a topic's group."""

    kind: str  # "pubsub" or "core" (channels_redis), or another backend's dotted path
    prefix: str

    @property
    def label(self) -> str:
        return {"pubsub": "Redis pub/sub", "core": "Redis lists (channels_redis.core)"}.get(
            self.kind, self.kind
        )

    def group_key(self, topic_id: int) -> str:
        """core: the group's sorted set of channels; pubsub: the group's pub/sub channel."""
        if self.kind == "core":
            return f"{self.prefix}:group:topic.{topic_id}"
        return f"{self.prefix}__group__topic.{topic_id}"


async def group_size(redis_url: str, layer: Layer, topic_id: int) -> int:
    """Sockets in the topic's group (core), or Daphne processes subscribed to it (pubsub:
    each process keeps its sockets' groups in memory and subscribes once)."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url)
    key = layer.group_key(topic_id)
    try:
        if layer.kind == "core":
            return int(await client.zcard(key))
        [(_name, count)] = await client.pubsub_numsub(key)
        return int(count)
    finally:
        await client.aclose()


async def wait_subscribed(
    redis_url: str, layer: Layer, topic_id: int, wanted: int, timeout: float
) -> int:
    """Poll Redis until the topic's group holds `wanted` (see group_size)."""
    deadline = time.monotonic() + timeout
    size = await group_size(redis_url, layer, topic_id)
    while size < wanted and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
        size = await group_size(redis_url, layer, topic_id)
    return size


async def page_pings(readers: list[Reader], stop: asyncio.Event) -> int:
    """Each socket sends the page's {"type": "ping"} every 25 s, spread evenly over them."""
    order = [r for r in readers if r.socket is not None]
    random.Random(7).shuffle(order)
    if not order:
        return 0
    gap = PAGE_PING_SECONDS / len(order)
    sent = 0
    next_at = time.monotonic()
    while not stop.is_set():
        reader = order[sent % len(order)]
        if reader.close_code is None:
            with suppress(websockets.ConnectionClosed):
                await reader.socket.send('{"type": "ping"}')
        sent += 1
        next_at += gap
        delay = next_at - time.monotonic()
        if delay > 0:
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
    return sent


# --- Where a reply's time goes: Redis's own clock ------------------------------------------------

# MONITOR's timestamps say when gunicorn's group_send started and when its message was in Redis
# for Daphne to take (see group_sends).
MONITOR_RE = re.compile(r'^(\d+\.\d+) \[\d+ [^\]]+\] "(\w+)" "([^"]*)"')


@contextmanager
def redis_monitor(redis, path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`redis-cli monitor` into a file, in a process of its own (its parsing costs this
    client nothing while the sockets receive), line-buffered (stdbuf): it is stopped with a
    signal, which would lose what its stdio still held."""
    with path.open("wb") as out:
        process = subprocess.Popen(
            ["stdbuf", "-oL", "redis-cli", "-h", HOST, "-p", str(redis.port), "monitor"],
            stdout=out,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 5
        while path.stat().st_size == 0 and time.monotonic() < deadline:  # its "OK" first
            time.sleep(0.02)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def group_sends(path: Path, layer: Layer, topic_id: int) -> list[tuple[float, float | None]]:
    """(gunicorn's group_send began, its message was in Redis for Daphne) per broadcast to the
    topic, in seconds since the epoch, in order. core: ZRANGE of the group's set, then the EVAL
    that stores the message for each process; pubsub: the PUBLISH, both at once."""
    key = layer.group_key(topic_id)
    sends: list[list] = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            found = MONITOR_RE.match(line)
            if found is None:
                continue
            at, command, first = float(found.group(1)), found.group(2).upper(), found.group(3)
            if command == "PUBLISH" and first == key:
                sends.append([at, at])
            elif command == "ZRANGE" and first == key:
                sends.append([at, None])
            elif command == "EVAL" and "over_capacity" in line and sends and sends[-1][1] is None:
                sends[-1][1] = at
    return [(start, stored) for start, stored in sends]


# --- Processes' memory and CPU ------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(group: int) -> float:
    """User and system CPU of every live process in a process group (a server's session)."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = text.rpartition(")")[2].split()
        if int(fields[2]) == group:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / TICK


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def raise_fd_limit(needed: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise ServerError(
            f"{needed} file descriptors needed, the hard limit is {hard}: raise it (ulimit -Hn)"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return needed


# --- The measurement ------------------------------------------------------------------------------


@dataclass
class Figures:
    clients: int
    opened: int = 0
    open_seconds: float = 0.0
    subscribed: int = 0
    subscribed_seconds: float = 0.0
    rss_start: int = 0  # Daphne, all processes, before any socket
    rss_warm: int = 0  # after the first few sockets (the consumer's code loaded)
    warm_sockets: int = 0
    rss_open: int = 0  # with every socket open
    rss_end: int = 0  # after the replies
    replies: list[Reply] = field(default_factory=list)
    pings: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # seconds during the replies
    other_cpu_percent: float | None = None
    unexpected: int = 0
    bad_html: int = 0
    closed_early: int = 0
    quiet_daphne_percent: float | None = None  # of one CPU, while no reply came (the pings)
    closed_quiet: int = 0  # of which while the topic was quiet, before the first reply
    close_codes: dict[str, int] = field(default_factory=dict)
    other_messages: int = 0
    posting_seconds: float = 0.0
    profile: str = ""  # --profile: Daphne's functions, by own time


async def measure(
    args: argparse.Namespace,
    world: World,
    web: Server,
    sockets: list[Server],
    redis,
    database_commands: tuple[str, ...],
    layer: Layer,
    profile: Path | None = None,
) -> Figures:
    figures = Figures(clients=args.clients)
    fanout = Fanout()
    readers = [Reader(index) for index in range(args.clients)]
    daphne_pids = [s.process.pid for s in sockets]

    def daphne_rss() -> int:
        return sum(rss_bytes(pid) for pid in daphne_pids)

    # 1. The sockets.
    figures.rss_start = daphne_rss()
    report.step(
        f"opening {report.number(args.clients)} websockets to topic {world.topic_id} "
        f"({args.connect_concurrency} at a time, over {len(sockets)} Daphne process"
        f"{'es' if len(sockets) > 1 else ''})"
    )
    opener = Opener(sockets, world, args.clients, args.connect_concurrency)
    warm = min(10, args.clients)
    await opener.open(readers[:warm])
    figures.warm_sockets = opener.opened
    per_process = layer.kind != "core"
    await wait_subscribed(
        redis.url, layer, world.topic_id, len(sockets) if per_process else opener.opened, 10
    )
    figures.rss_warm = daphne_rss()
    await opener.open(readers[warm:])
    figures.open_seconds, figures.opened = opener.seconds, opener.opened
    live = [r for r in readers if r.socket is not None]
    tasks = [asyncio.create_task(read(r, fanout)) for r in live]
    report.step(
        f"{report.number(figures.opened)} sockets open in {figures.open_seconds:.1f} s"
        + (f"; {opener.failures} failed" if opener.failures else "")
    )
    started = time.monotonic()
    figures.subscribed = await wait_subscribed(
        redis.url, layer, world.topic_id, len(sockets) if per_process else figures.opened, 60
    )
    figures.subscribed_seconds = time.monotonic() - started
    if per_process:
        report.step(
            f"{figures.subscribed} Daphne process{'es' if figures.subscribed != 1 else ''} "
            f"subscribed to the topic in Redis {figures.subscribed_seconds:.1f} s later "
            "(pub/sub: a socket's own join is not seen in Redis; the quiet hold covers it)"
        )
    else:
        report.step(
            f"{report.number(figures.subscribed)} in the topic's group in Redis "
            f"{figures.subscribed_seconds:.1f} s later"
        )
    await asyncio.sleep(1.0)  # Daphne's memory settles (the connects' last queries)
    figures.rss_open = daphne_rss()
    report.detail(
        f"Daphne RSS {figures.rss_start / 2**20:.0f} MB before, "
        f"{figures.rss_open / 2**20:.0f} MB with the sockets: "
        f"~{per_socket_kb(figures):.0f} KB each"
    )

    # 2. A quiet topic: no reply for a while, as most of the time.
    stop_pings = asyncio.Event()
    pinger = asyncio.create_task(page_pings(live, stop_pings)) if args.page_pings else None
    if args.quiet > 0:
        report.step(f"holding the sockets open {args.quiet:g} s with no reply")
        daphne_before = sum(cpu_seconds(pid) for pid in daphne_pids)
        await asyncio.sleep(args.quiet)
        idle = sum(cpu_seconds(pid) for pid in daphne_pids) - daphne_before
        figures.quiet_daphne_percent = 100 * idle / args.quiet
        report.detail(f"Daphne meanwhile: {figures.quiet_daphne_percent:.0f}% of a CPU")
        quiet_closed = [r for r in live if r.close_code is not None]
        figures.closed_quiet = len(quiet_closed)
        if quiet_closed:
            codes = dict(Counter(str(r.close_code) for r in quiet_closed))
            report.detail(f"{len(quiet_closed)} sockets closed meanwhile (codes {codes})")

    # 3. The replies.
    groups = {
        "daphne": [s.process.pid for s in sockets],
        "gunicorn": [web.process.pid],
        "redis": [redis.process.pid],
    }
    total = args.warmup + args.replies

    async def post(index: int) -> None:
        username, cookies = world.posters[index % len(world.posters)]
        reply = Reply(number=world.after + index + 1, poster=username, warmup=index < args.warmup)
        reply.expected = sum(1 for r in live if r.close_code is None)
        fanout.replies[reply.number] = reply
        reply.posted = await asyncio.to_thread(
            post_reply, web.port, world, cookies, world.bodies[index]
        )
        if reply.posted.error:
            report.detail(f"reply {index + 1}: {reply.posted.error}")
        else:
            with suppress(TimeoutError):
                await asyncio.wait_for(reply.done.wait(), args.timeout)
        figures.replies.append(reply)
        if reply.warmup or (index + 1 - args.warmup) % 5 == 0 or index + 1 == total:
            lat = sorted(reply.latencies_ms)
            last = f", last socket {lat[-1]:.0f} ms" if lat else ""
            report.detail(
                f"{'warm-up ' if reply.warmup else ''}reply {index + 1}: "
                f"{report.number(reply.delivered)}/{report.number(reply.expected)} sockets{last}"
            )
        await asyncio.sleep(args.interval)

    report.step(
        f"posting {args.warmup} + {args.replies} replies over HTTP (gunicorn), "
        f"{len(world.posters)} member{'s' if len(world.posters) > 1 else ''}, "
        f"{args.interval:g} s apart" + (", the pages pinging every 25 s" if args.page_pings else "")
    )
    monitored = redis.directory / "monitor.log"
    with redis_monitor(redis, monitored) as monitor:
        groups["redis-cli monitor"] = [monitor.pid]
        for index in range(args.warmup):
            await post(index)
        cpu_before = {name: sum(cpu_seconds(g) for g in pids) for name, pids in groups.items()}
        client_before = own_cpu_seconds()
        ours = [pid for pids in groups.values() for pid in pids]
        other = OtherWork(*ours, commands=database_commands)
        posting_started = time.monotonic()
        if profile:
            os.kill(sockets[0].process.pid, signal.SIGUSR1)
        with other:
            for index in range(args.warmup, total):
                await post(index)
            await asyncio.sleep(SETTLE_SECONDS)  # late or second deliveries
        if profile:
            os.kill(sockets[0].process.pid, signal.SIGUSR2)
            figures.profile = await profile_summary(profile, args.replies)
        figures.posting_seconds = time.monotonic() - posting_started
        figures.other_cpu_percent = other.percent
        figures.cpu = {
            name: sum(cpu_seconds(g) for g in pids) - cpu_before[name]
            for name, pids in groups.items()
        }
        figures.cpu["client"] = own_cpu_seconds() - client_before
    stop_pings.set()
    if pinger is not None:
        figures.pings = await pinger
    figures.rss_end = daphne_rss()
    figures.unexpected, figures.bad_html = fanout.unexpected, fanout.bad_html
    closed = [r for r in live if r.close_code is not None]
    figures.closed_early = len(closed)
    figures.close_codes = dict(Counter(str(r.close_code) for r in closed))
    if closed:
        report.detail(f"{len(closed)} sockets closed before the end; Daphne's log says:")
        for server in sockets:
            lines = server.log_path.read_text(errors="replace").splitlines()
            for line in [ln for ln in lines if "WSCONNECT" not in ln][-8:]:
                report.detail(f"  {line[:160]}")
    figures.other_messages = sum(r.other_messages for r in live)
    break_down(figures.replies, group_sends(monitored, layer, world.topic_id))

    report.step("closing the sockets")
    await asyncio.gather(*(r.socket.close() for r in live), return_exceptions=True)
    await asyncio.gather(*tasks, return_exceptions=True)
    return figures


async def profile_summary(path: Path, replies: int, top: int = 30) -> str:
    """The profile Daphne wrote on SIGUSR2, its functions by own time, and a copy of it kept
    beside the results (git-ignored) for a closer look (python -m pstats, snakeviz)."""
    deadline = time.monotonic() + 10
    size = -1
    while time.monotonic() < deadline:  # written once the stop signal has been handled
        if path.exists() and path.stat().st_size == size > 0:
            break
        size = path.stat().st_size if path.exists() else -1
        await asyncio.sleep(0.2)
    if not path.exists():
        return "(Daphne wrote no profile)"
    report.RESULTS_DIR.mkdir(exist_ok=True)
    kept = report.RESULTS_DIR / f"realtime-daphne-{time.strftime('%Y%m%d-%H%M%S')}.prof"
    kept.write_bytes(path.read_bytes())
    out = io.StringIO()
    stats = pstats.Stats(str(kept), stream=out)
    total = stats.total_tt
    out.write(
        f"Daphne's event loop during the {replies} replies: {total:.2f} s of CPU under the "
        f"profiler ({1000 * total / replies:.0f} ms a reply; cProfile slows code ~2×), "
        f"kept as {kept.relative_to(ROOT)}\n"
    )
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def break_down(replies: list[Reply], sends: list[tuple[float, float | None]]) -> None:
    """Each reply's broadcast as Redis saw it, after its event was written."""
    posted = [r for r in replies if r.posted and not r.posted.error]
    if len(sends) != len(posted):
        report.detail(
            f"Redis saw {len(sends)} broadcasts to the topic for {len(posted)} replies: "
            "no breakdown"
        )
        return
    for reply, (started_at, stored_at) in zip(posted, sends, strict=True):
        if reply.at_ms is not None:
            reply.broadcast_ms = started_at * 1000 - reply.at_ms
            if stored_at is not None:
                reply.stored_ms = stored_at * 1000 - reply.at_ms


def per_socket_kb(figures: Figures) -> float:
    """Daphne's growth from the first few sockets (which load the consumer's code, fill the
    thread pool) to all of them, per socket."""
    added = max(1, figures.opened - figures.warm_sockets)
    return (figures.rss_open - figures.rss_warm) / added / 1024


# --- The summary ------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the value that `share` of the samples do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def reply_row(n: int | str, reply: Reply) -> list[object]:
    lat = sorted(reply.latencies_ms)
    posted = reply.posted
    return [
        n,
        reply.poster,
        posted.status if posted else "-",
        ms(posted.post_ms if posted else None),
        f"{report.number(reply.delivered)}/{report.number(reply.expected)}",
        reply.duplicates,
        ms(reply.stored_ms),
        ms(lat[0] if lat else None),
        ms(percentile(lat, 0.5) if lat else None),
        ms(percentile(lat, 0.95) if lat else None),
        ms(lat[-1] if lat else None),
    ]


def reply_json(reply: Reply) -> dict[str, object]:
    lat = reply.latencies_ms
    return {
        "number": reply.number,
        "warmup": reply.warmup,
        "status": reply.posted.status if reply.posted else None,
        "post_ms": reply.posted.post_ms if reply.posted else None,
        "delivered": reply.delivered,
        "expected": reply.expected,
        "duplicates": reply.duplicates,
        "broadcast_ms": reply.broadcast_ms,
        "stored_ms": reply.stored_ms,
        "first_ms": min(lat) if lat else None,
        "p50_ms": percentile(lat, 0.5) if lat else None,
        "p95_ms": percentile(lat, 0.95) if lat else None,
        "last_ms": max(lat) if lat else None,
    }


def summary(
    args, figures: Figures, database: str, layer: Layer, busy: float | None, elapsed: float
) -> bool:
    every = figures.replies  # the warm-up's too: each must reach every socket, once
    replies = [r for r in every if not r.warmup]
    latencies = [v for r in replies for v in r.latencies_ms]
    wanted = figures.clients * (args.warmup + args.replies)
    delivered = sum(r.delivered for r in every)
    duplicates = sum(r.duplicates for r in every)
    failed_posts = [r for r in every if r.posted is None or r.posted.error]
    p = {share: percentile(latencies, share) if latencies else None for share in (0.5, 0.95, 0.99)}
    firsts = [min(r.latencies_ms) for r in replies if r.latencies_ms]
    lasts = [max(r.latencies_ms) for r in replies if r.latencies_ms]

    print()
    print(
        f"A new reply reaching {report.number(figures.clients)} live topic pages: {database}, "
        f"channel layer on {layer.label}"
        + (
            f" (socket timeout {args.layer_socket_timeout})"
            if args.layer_socket_timeout is not None
            else ""
        )
        + ", gunicorn (1 sync worker) taking the replies, "
        f"Daphne × {args.daphne_processes} holding the sockets"
    )
    print(report.machine_line())
    rows = [reply_row("w", r) for r in every if r.warmup]
    rows += [reply_row(n, r) for n, r in enumerate(replies, 1)]
    headings = [
        "reply", "member", "HTTP", "POST ms", "delivered", "twice",
        "in Redis ms", "first ms", "p50 ms", "p95 ms", "last ms",
    ]  # fmt: skip
    print(report.table(headings, rows, "rlrrrrrrrrr"))
    print(
        "ms after the reply's event was written, just before its commit: in Redis = "
        "gunicorn's group_send has stored the message for Daphne; first, last = sockets; "
        "w = warm-up, not in the latencies"
    )
    print()

    per_reply = {name: 1000 * seconds / args.replies for name, seconds in figures.cpu.items()}
    open_rate = figures.opened / figures.open_seconds if figures.open_seconds else 0
    post_ms = [r.posted.post_ms for r in replies if r.posted and not r.posted.error]
    facts = [
        [
            "sockets open",
            f"{report.number(figures.opened)} of {report.number(figures.clients)} in "
            f"{figures.open_seconds:.1f} s ({report.number(open_rate)}/s); "
            + (
                f"{report.number(figures.subscribed)} in the topic's Redis group"
                if layer.kind == "core"
                else f"{figures.subscribed} Daphne process(es) subscribed to the topic"
            )
            + f" {figures.subscribed_seconds:.1f} s later",
        ],
        [
            "replies posted",
            f"{len(every) - len(failed_posts)} of {len(every)}; POST p50 {ms(median(post_ms))} ms "
            "(the reply's transaction, then its broadcast)",
        ],
        [
            "deliveries",
            f"{report.number(delivered)} of {report.number(wanted)} "
            f"({100 * delivered / wanted:.2f}%), {duplicates} twice, "
            f"{figures.closed_early} sockets closed early"
            + (
                f" (codes {figures.close_codes}; {figures.closed_quiet} before the first reply)"
                if figures.closed_early
                else ""
            ),
        ],
        [
            "latency, commit → receipt",
            f"p50 {ms(p[0.5])} ms, p95 {ms(p[0.95])} ms, p99 {ms(p[0.99])} ms, "
            f"max {ms(max(latencies) if latencies else None)} ms "
            f"({report.number(len(latencies))} deliveries)",
        ],
        [
            "where the time goes (medians)",
            f"group_send starts {ms(median([r.broadcast_ms for r in replies]))} ms, "
            f"message in Redis {ms(median([r.stored_ms for r in replies]))} ms, "
            f"first socket {ms(median(firsts))} ms, last socket {ms(median(lasts))} ms",
        ],
        [
            "Daphne, quiet topic",
            f"{ms(figures.quiet_daphne_percent)}% of a CPU for {report.number(figures.opened)} "
            f"open sockets{' and their pings' if args.page_pings else ''}, no reply",
        ],
        [
            "Daphne memory (RSS)",
            f"{figures.rss_start / 2**20:.0f} MB before, {figures.rss_open / 2**20:.0f} MB open, "
            f"{figures.rss_end / 2**20:.0f} MB after the replies: "
            f"{per_socket_kb(figures):.0f} KB per socket",
        ],
        [
            "CPU per reply",
            ", ".join(f"{name} {value:.0f} ms" for name, value in per_reply.items())
            + (f" (with {report.number(figures.pings)} page pings)" if args.page_pings else ""),
        ],
        [
            "other work",
            f"{ms(figures.other_cpu_percent)}% of the CPUs during the replies"
            + (f"; {busy:.0f}% busy before the start" if busy is not None else ""),
        ],
    ]
    if figures.unexpected or figures.bad_html or figures.other_messages:
        facts.append(
            [
                "odd messages",
                f"{figures.unexpected} for unknown replies, {figures.bad_html} without a post's "
                f"HTML, {figures.other_messages} of other types",
            ]
        )
    print(report.table(["figure", "value"], facts, "ll"))
    print()

    checks = [
        (
            "p95, commit → receipt",
            f"≤ {BUDGET_P95_MS} ms",
            f"{ms(p[0.95])} ms",
            p[0.95] is not None and p[0.95] <= BUDGET_P95_MS,
        ),
        (
            "every socket, every reply",
            report.number(wanted),
            report.number(delivered),
            delivered == wanted and not failed_posts and not figures.bad_html,
        ),
        ("exactly once", "0 twice", f"{duplicates} twice", duplicates == 0),
    ]
    print(
        f"budget: a new reply reaches {report.number(BUDGET_CLIENTS)} subscribed websockets, "
        "DESIGN.md"
    )
    print(
        report.table(
            ["figure", "target", "Serambi", ""],
            [[a, b, c, "✓" if ok else "✗"] for a, b, c, ok in checks],
            "lrrl",
        )
    )
    met = all(ok for *_rest, ok in checks)
    verdict = "within the budget" if met else "OVER the budget"
    if figures.clients < BUDGET_CLIENTS:
        verdict += f" (with {report.number(figures.clients)} sockets, not the budget's 1,000)"
    print(f"verdict: {verdict}")
    if figures.other_cpu_percent is not None and figures.other_cpu_percent > NOISY_PERCENT:
        print(
            f"note: other work took {figures.other_cpu_percent:.0f}% of the CPUs meanwhile: "
            "figures taken under load; run again on an idle machine"
        )
    if figures.profile:
        print()
        print(_short_profile(figures.profile))
    print(f"done in {elapsed:.0f} s")
    saved = report.save_results(
        "realtime",
        {
            "options": vars(args),
            "database": database,
            "layer": layer.kind,
            "busy_percent": busy,
            "other_cpu_percent": figures.other_cpu_percent,
            "clients": figures.clients,
            "opened": figures.opened,
            "open_seconds": figures.open_seconds,
            "subscribed": figures.subscribed,
            "subscribed_seconds": figures.subscribed_seconds,
            "deliveries": delivered,
            "wanted": wanted,
            "duplicates": duplicates,
            "latency_ms": {"p50": p[0.5], "p95": p[0.95], "p99": p[0.99]},
            "rss_bytes": {
                "start": figures.rss_start,
                "warm": figures.rss_warm,
                "open": figures.rss_open,
                "end": figures.rss_end,
            },
            "kb_per_socket": per_socket_kb(figures),
            "cpu_ms_per_reply": per_reply,
            "pings": figures.pings,
            "quiet_daphne_percent": figures.quiet_daphne_percent,
            "closed_early": figures.closed_early,
            "closed_quiet": figures.closed_quiet,
            "close_codes": figures.close_codes,
            "replies": [reply_json(r) for r in every],
            "met": met,
        },
    )
    print(f"saved {saved.relative_to(ROOT)}")
    return met


def _short_profile(text: str) -> str:
    """pstats' table without its blank lines and with paths from site-packages on."""
    lines = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith(("Ordered by", "List reduced")):
            continue
        lines.append(re.sub(r"\S*/site-packages/", "", line).replace(str(ROOT) + "/", ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    busy = report.warn_if_busy()
    raise_fd_limit(args.clients + 256)
    database = "PostgreSQL" if args.database_url else "SQLite"
    with ExitStack() as stack:
        redis = stack.enter_context(redis_server())
        # Before the site is prepared: the servers' environment is this process's, and the
        # bench's own Django (the members' sessions) must use the same Redis.
        os.environ["REDIS_URL"] = redis.url
        if args.database_url:
            stack.enter_context(postgres_database(args.database_url))
        site = stack.enter_context(prepared_site(args.database_url))
        django_site.setup_django(site)
        answering = math.ceil((args.warmup + args.replies) / REPLIES_PER_MEMBER)
        report.step(f"a topic, and {answering} member{'s' if answering > 1 else ''} to answer it")
        world = seed(args.warmup + args.replies)
        from django.db import connections

        connections.close_all()  # nothing of Django runs in this process while measuring
        layer = servers_layer(args, site)
        web = stack.enter_context(gunicorn(site, workers=1))
        profile = site.workdir / "daphne.prof" if args.profile else None
        sockets = [
            stack.enter_context(daphne_ws(site, number, profile if number == 1 else None))
            for number in range(1, args.daphne_processes + 1)
        ]
        commands = ("postgres",) if args.database_url else ()
        figures = asyncio.run(measure(args, world, web, sockets, redis, commands, layer, profile))
    elapsed = time.monotonic() - started
    return 0 if summary(args, figures, database, layer, busy, elapsed) else 1


def servers_layer(args: argparse.Namespace, site: Site) -> Layer:
    """The channel layer the servers will run: production's, or --layer's (and
    --layer-socket-timeout's) through bench/lib/layer_settings.py."""
    from django.conf import settings

    configured = settings.CHANNEL_LAYERS["default"]
    backend = LAYERS[args.layer] if args.layer else configured["BACKEND"]
    kind = next((name for name, path in LAYERS.items() if path == backend), backend)
    if args.layer or args.layer_socket_timeout is not None:
        site.env.update(
            DJANGO_SETTINGS_MODULE="bench.lib.layer_settings",
            SERAMBI_BENCH_LAYER=args.layer or "",
            SERAMBI_BENCH_LAYER_SOCKET_TIMEOUT=args.layer_socket_timeout or "",
        )
        report.step(
            f"the servers' channel layer: {kind}"
            + (
                f", socket timeout {args.layer_socket_timeout}"
                if args.layer_socket_timeout is not None
                else ""
            )
            + " (bench/lib/layer_settings.py; production's settings otherwise)"
        )
    return Layer(kind=kind, prefix=configured.get("CONFIG", {}).get("prefix", "asgi"))


if __name__ == "__main__":
    sys.exit(script.run(main))
