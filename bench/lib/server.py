"""A throwaway Serambi site, and gunicorn or Daphne serving it on a free loopback port.

The servers run with production's settings (DEBUG off, manifest static files, no SSL redirect
since nothing here speaks TLS), so that the figures are those of the production code path.
Anything else in the caller's environment (REDIS_URL, ELASTICSEARCH_URL, ...) passes through.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.lib.report import detail, step

ROOT = Path(__file__).resolve().parents[2]
# Never anything but loopback: a bench server is not hardened for anyone else to reach.
HOST = "127.0.0.1"
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 5.0


class ServerError(RuntimeError):
    """A server did not start or answer; the message carries the tail of its log."""


@dataclass(frozen=True)
class Site:
    """A migrated database with collected static files, and the environment that points at it."""

    env: dict[str, str]
    workdir: Path


@dataclass
class Server:
    label: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def host(self) -> str:
        return HOST

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"


def site_env(workdir: Path, database_url: str | None = None) -> dict[str, str]:
    """The caller's environment with production-like settings and a throwaway default database."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        # A new key per run: sessions made for a bench die with it.
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        HTTPS="0",  # plain HTTP on loopback; with HTTPS on, every page would be a redirect
        SERAMBI_VAR_DIR=str(workdir),  # media and anything else the app writes
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        PYTHONUNBUFFERED="1",  # server logs reach the log file before a crash, not after
    )
    return env


def manage(site_or_env: Site | dict[str, str], *args: str) -> None:
    """Run `manage.py <args>` for the site; on failure, raise with its output."""
    env = site_or_env.env if isinstance(site_or_env, Site) else site_or_env
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).splitlines()[-20:]  # the error is at the end
        raise ServerError(f"manage.py {shlex.join(args)} failed:\n" + "\n".join(output))


@contextmanager
def prepared_site(database_url: str | None = None) -> Iterator[Site]:
    """Migrate a database (a fresh SQLite file by default) and collect static files.

    collectstatic writes to settings.STATIC_ROOT (staticfiles/, git-ignored): with DEBUG off,
    whitenoise's manifest storage cannot render a page without it.
    """
    workdir = Path(tempfile.mkdtemp(prefix="serambi-bench-"))
    try:
        env = site_env(workdir, database_url)
        step("preparing the site: migrate, collectstatic")
        detail(f"database: {env['DATABASE_URL']}")
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        yield Site(env=env, workdir=workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def free_port() -> int:
    """A port nobody listens on now; the small race until the server binds it is acceptable."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(site: Site, *, workers: int = 1, config: str | None = None) -> Iterator[Server]:
    """gunicorn serving config.wsgi with N sync workers, as production serves pages.

    Without `config`, gunicorn's defaults (no access log, no worker recycling), so that the
    figures are the server's and the application's; with config="deploy/gunicorn.conf.py",
    production's settings apply except the address and the number of workers.
    """
    port = free_port()
    plural = "s" if workers != 1 else ""
    label = f"gunicorn ({workers} sync worker{plural}{', ' + config if config else ''})"
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        *(["--config", config] if config else []),
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        # gunicorn's control socket has one default path per user: two bench runs (or a
        # developer's own gunicorn) would fight over it.
        "--no-control-socket",
    ]  # fmt: skip
    # compose.yaml's web service keeps database connections open for 60 s; without that a
    # signed-in page pays for a new connection every time (unless the caller chose a value).
    env = {"DATABASE_CONN_MAX_AGE": site.env.get("DATABASE_CONN_MAX_AGE", "60")}
    with _serve(site, label, port, command, env) as server:
        yield server


@contextmanager
def daphne(site: Site, *, access_log: bool = False) -> Iterator[Server]:
    """One Daphne process serving config.asgi, as production serves websockets.

    Daphne writes an access-log line per request unless told not to, gunicorn by default none;
    off by default here so that the two servers are compared and not their logging.
    """
    port = free_port()
    label = f"daphne (1 process{', access log' if access_log else ''})"
    command = [
        sys.executable, "-m", "daphne", "config.asgi:application",
        "--bind", HOST,
        "--port", str(port),
        *(["--access-log", "-"] if access_log else ["-v", "0"]),
    ]  # fmt: skip
    with _serve(site, label, port, command) as server:
        yield server


@contextmanager
def _serve(
    site: Site, label: str, port: int, command: list[str], env: dict[str, str] | None = None
) -> Iterator[Server]:
    log_path = site.workdir / f"{label.split()[0]}-{port}.log"
    step(f"starting {label} on {HOST}:{port}")
    detail(f"$ {_shown(command)}")
    with log_path.open("wb") as log:
        # A session of its own: the server and its workers are stopped together by process
        # group, and Ctrl+C in the terminal reaches only us, so the shutdown stays ours.
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**site.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(label=label, port=port, process=process, log_path=log_path)
    try:
        _wait_until_answering(server)
        yield server
    finally:
        _stop(server)


def _shown(command: list[str]) -> str:
    """The command as one could paste it from the repository root."""
    python = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else ""
    return shlex.join([python or command[0], *command[1:]])


def _wait_until_answering(server: Server, path: str = "/healthz") -> None:
    """Poll until the application (not only the socket) answers an HTTP request."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerError(
                f"{server.label} exited with {server.process.returncode}" + _tail(server)
            )
        try:
            connection = http.client.HTTPConnection(HOST, server.port, timeout=5)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
        except OSError:
            time.sleep(0.1)
            continue
        if status >= 500:
            raise ServerError(f"{server.label} answers {path} with {status}" + _tail(server))
        return
    raise ServerError(f"{server.label} did not answer within {READY_TIMEOUT:.0f} s" + _tail(server))


def _tail(server: Server, lines: int = 30) -> str:
    try:
        text = server.log_path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n--- server log (last lines) ---\n" + "\n".join(text.splitlines()[-lines:])


def _stop(server: Server) -> None:
    """SIGTERM the whole process group, then SIGKILL it if it has not left after a grace period.

    gunicorn's master stops its workers before it exits, so the group is empty once the
    leader has been waited for.
    """
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.process.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.process.wait(timeout=STOP_TIMEOUT)
            break
        except subprocess.TimeoutExpired:
            continue
