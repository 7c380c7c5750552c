"""A Redis server of the test's own, on a free loopback port, that a test may stop and start
again: the shared Redis of CI's second pass is never stopped under the other tests' feet."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

REDIS_SERVER = shutil.which("redis-server")
READY_SECONDS = 10.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, directory) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port),
                # What it holds survives a stop and a start, as a real Redis' data would.
                "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self._wait(answering=True)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=READY_SECONDS)
        self._wait(answering=False)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def _wait(self, *, answering: bool) -> None:
        # Polls the server's own state, bounded: not a sleep standing in for a condition.
        deadline = time.monotonic() + READY_SECONDS
        while self._answers() != answering:
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"redis-server on port {self.port} did not {'start' if answering else 'stop'}"
                )
            time.sleep(0.02)


@contextmanager
def redis_server(directory) -> Iterator[RedisServer]:
    """A running Redis; whatever the test does to it, it is stopped at the end."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (Debian: apt install redis-server)")
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()
