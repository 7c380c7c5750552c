"""Scale-out is real: two Daphne processes share one Redis channel layer (as compose's `ws`
replicas do). A reply posted over HTTP through one reaches a socket held by the other, and a
socket that reconnects to the other replays what it missed."""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
import websockets

from bench.lib.server import ROOT, Site, daphne, manage, site_env
from tests.redis_server import redis_server

TIMEOUT = 10

SEED = """
import json
from django.contrib.auth.models import Group
from django.test import Client
from allauth.account.models import EmailAddress
from accounts.models import User
from forum import services
from forum.models import Category

member = User.objects.create_user(
    username="sari", email="sari@contoh.test", password="x", name="Sari"
)
member.groups.add(Group.objects.get(name="Librarians"))
EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
topic = services.topic_create(
    author=member, category=Category.objects.get(slug="layanan-pemustaka"),
    title="Dua server, satu percakapan", body="Apakah balasan sampai?",
)
client = Client()
client.force_login(member)
print(json.dumps({"topic": topic.pk, "url": topic.get_absolute_url(),
                  "session": client.cookies["sessionid"].value}))
"""


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("scale-out")
    with redis_server(workdir) as redis:
        env = site_env(workdir, database_url=f"sqlite:///{workdir / 'site.sqlite3'}")
        env.update(DJANGO_SETTINGS_MODULE="tests.settings", REDIS_URL=redis.url)
        manage(env, "migrate", "--no-input", "-v", "0")
        seeded = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + SEED],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        world = json.loads(seeded.stdout.strip().splitlines()[-1])
        site = Site(env=env, workdir=workdir)
        with daphne(site) as first, daphne(site) as second:
            yield first, second, world


def reply_through(server, world: dict, text: str) -> int:
    """Post a reply as the member's browser would: their page, its form's token, the form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Cookie", f"sessionid={world['session']}")]
    page = opener.open(f"{server.base_url}{world['url']}", timeout=TIMEOUT).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    request = urllib.request.Request(  # noqa: S310 - our own server, on loopback, over http
        f"{server.base_url}/forum/t/{world['topic']}/reply/",
        data=urllib.parse.urlencode({"body": text, "csrfmiddlewaretoken": token}).encode(),
        headers={
            "Cookie": f"sessionid={world['session']}; csrftoken={csrf}",
            "Referer": f"{server.base_url}{world['url']}",
        },
    )
    with opener.open(request, timeout=TIMEOUT) as response:
        return response.status


async def listen(server, world: dict, after: int, count: int, *, while_listening=None):
    url = f"ws://{server.host}:{server.port}/ws/live/?topic={world['topic']}&after={after}"
    async with websockets.connect(url, origin=f"http://{server.host}") as socket:
        if while_listening is not None:
            await asyncio.to_thread(while_listening)
        return [json.loads(await asyncio.wait_for(socket.recv(), TIMEOUT)) for _ in range(count)]


def test_a_reply_through_one_server_reaches_a_socket_held_by_the_other(two_servers):
    first, second, world = two_servers

    [live] = asyncio.run(
        listen(
            second,
            world,
            after=0,
            count=1,
            while_listening=lambda: reply_through(first, world, "Sampai lewat Redis."),
        )
    )
    reply_through(first, world, "Dikirim saat soket terputus.")
    replayed = asyncio.run(listen(second, world, after=live["number"], count=1))

    assert (live["type"], live["number"]) == ("post.created", 1)
    assert "Sampai lewat Redis." in live["html"]
    assert (replayed[0]["number"], replayed[0]["type"]) == (2, "post.created")
    assert "Dikirim saat soket terputus." in replayed[0]["html"]
