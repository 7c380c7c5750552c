"""A Redis server of the bench's own: a free loopback port, a temporary directory, nothing kept.

Started as compose.yaml's `redis` service runs (no snapshots, no append-only file), in a
session of its own so that it is stopped with certainty when the bench ends, and never the
developer's or CI's Redis.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.lib.report import detail, step
from bench.lib.server import HOST, ServerError, free_port

READY_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen[bytes]
    directory: Path

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection((HOST, self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    """A running redis-server (Debian: `apt install redis-server`), stopped on exit."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServerError("redis-server is not installed (Debian: apt install redis-server)")
    directory = Path(tempfile.mkdtemp(prefix="serambi-bench-redis-"))
    port = free_port()
    command = [
        binary, "--bind", HOST, "--port", str(port),
        "--save", "", "--appendonly", "no",  # as compose.yaml's redis service
        "--dir", str(directory),
    ]  # fmt: skip
    step(f"starting redis-server on {HOST}:{port}")
    detail("$ " + shlex.join(command))
    log_path = directory / "redis.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = RedisServer(port=port, process=process, directory=directory)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not server.answers():
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace").splitlines()[-10:]
                raise ServerError("redis-server did not start:\n" + "\n".join(tail))
            time.sleep(0.02)
        yield server
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=STOP_TIMEOUT)
                break
            except subprocess.TimeoutExpired:
                continue
        shutil.rmtree(directory, ignore_errors=True)
