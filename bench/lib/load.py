"""Throughput at concurrency C: how many requests per second one server process sustains.

wrk (C, event loop) is used when it is on PATH: it needs a fraction of a core, which leaves the
rest of a small machine to the server. The asyncio fallback spends far more CPU per request, so
on two cores its figures are lower bounds; the result says which tool produced them.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

from bench.lib.client import Cookies, cookie_header, request_headers
from bench.lib.report import detail, step

WRK_THREADS = 1  # one thread drives 16+ connections easily; more would take the server's core
REQUEST_TIMEOUT = 5.0


@dataclass(frozen=True)
class LoadResult:
    tool: str
    concurrency: int
    seconds: float
    requests: int
    non_2xx: int
    socket_errors: int
    latency_p50_ms: float | None = None
    latency_p99_ms: float | None = None

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors


def ensure_wrk() -> str | None:
    """wrk's path; installs Debian's `wrk` when running as root with apt-get, else None."""
    found = shutil.which("wrk")
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        step("wrk is not installed: installing Debian's wrk with apt-get (running as root)")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        if subprocess.run(install, **quiet).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], **quiet)
            subprocess.run(install, **quiet)
        found = shutil.which("wrk")
    if not found:
        detail("wrk not found: using the Python load generator, whose figures are lower")
        detail("(install wrk for figures comparable with bench/README.md: apt install wrk)")
    return found


def measure_load(
    host: str,
    port: int,
    path: str,
    *,
    concurrency: int = 16,
    seconds: float = 10.0,
    cookies: Cookies | None = None,
    use_wrk: bool = True,
) -> LoadResult:
    """Keep `concurrency` keep-alive connections busy with GETs of `path` for `seconds`."""
    wrk = shutil.which("wrk") if use_wrk else None
    if wrk:
        return _run_wrk(wrk, host, port, path, concurrency, seconds, cookies)
    return asyncio.run(_asyncio_load(host, port, path, concurrency, seconds, cookies))


# --- wrk -------------------------------------------------------------------------------------

# wrk counts only statuses >= 400 as errors; a page that answers 302 (say, to a sign-in page)
# must not pass for a fast page, so the script counts everything outside 2xx per thread and
# prints one JSON line at the end for measure_load to read.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do non2xx_total = non2xx_total + thread:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, non2xx_total,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def _run_wrk(
    wrk: str,
    host: str,
    port: int,
    path: str,
    concurrency: int,
    seconds: float,
    cookies: Cookies | None,
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="serambi-bench-") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        command = [
            wrk,
            f"--threads={min(WRK_THREADS, concurrency)}",
            f"--connections={concurrency}",
            f"--duration={max(1, round(seconds))}s",
            f"--timeout={REQUEST_TIMEOUT:.0f}s",
            f"--script={script.name}",
            *_wrk_headers(cookies),
            f"http://{host}:{port}{path}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    return _parse_wrk(done.stdout, concurrency)


def _wrk_headers(cookies: Cookies | None) -> list[str]:
    headers = ["--header=Accept: text/html,*/*", "--header=User-Agent: serambi-bench"]
    if cookies:
        headers.append(f"--header=Cookie: {cookie_header(cookies)}")
    return headers


def _parse_wrk(output: str, concurrency: int) -> LoadResult:
    match = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    data = json.loads(match.group(1))
    return LoadResult(
        tool=f"wrk ({WRK_THREADS} thread)",
        concurrency=concurrency,
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"],
        non_2xx=data["non_2xx"],
        socket_errors=data["socket_errors"],
        latency_p50_ms=data["p50_us"] / 1000,
        latency_p99_ms=data["p99_us"] / 1000,
    )


# --- asyncio fallback ------------------------------------------------------------------------


@dataclass
class _Tally:
    requests: int = 0
    non_2xx: int = 0
    socket_errors: int = 0


async def _asyncio_load(
    host: str, port: int, path: str, concurrency: int, seconds: float, cookies: Cookies | None
) -> LoadResult:
    headers = {"Host": f"{host}:{port}", **request_headers(cookies)}
    lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    tally = _Tally()
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    await asyncio.gather(
        *(_connection_loop(host, port, request, deadline, tally) for _ in range(concurrency))
    )
    return LoadResult(
        tool="python asyncio",
        concurrency=concurrency,
        seconds=time.perf_counter() - started,
        requests=tally.requests,
        non_2xx=tally.non_2xx,
        socket_errors=tally.socket_errors,
    )


async def _connection_loop(
    host: str, port: int, request: bytes, deadline: float, tally: _Tally
) -> None:
    """One client connection: request after request, reconnecting when the server closes."""
    writer: asyncio.StreamWriter | None = None
    while time.monotonic() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            status, keep_alive = await asyncio.wait_for(_read_response(reader), REQUEST_TIMEOUT)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            tally.socket_errors += 1
            keep_alive, status = False, None
            await asyncio.sleep(0.01)  # a refusing server must not turn this into a busy loop
        if status is not None:
            tally.requests += 1
            tally.non_2xx += not 200 <= status < 300
        if not keep_alive and writer is not None:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the connection stays open."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    status_line, *header_lines = head.split("\r\n")
    version, status = status_line.split(" ", 2)[:2]
    headers = {}
    for line in filter(None, header_lines):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    connection = headers.get("connection", "").lower()
    keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        await _read_chunked(reader)
    else:  # the body runs until the server closes
        await reader.read()
        keep_alive = False
    return int(status), keep_alive


async def _read_chunked(reader: asyncio.StreamReader) -> None:
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)  # the chunk and its CRLF
        if size == 0:
            return
