"""Progress lines, plain-text tables and saved results, so every bench script reads the same."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent.parent / "results"  # git-ignored


def step(message: str) -> None:
    """A progress line: what the script is doing now."""
    print(f"==> {message}", flush=True)


def detail(message: str) -> None:
    """An indented line under the last step (a command, a figure, a warning)."""
    print(f"    {message}", flush=True)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """Aligned plain-text columns; `align` has an "l" or "r" per column (default "lrr…")."""
    align = align or "l" + "r" * (len(headers) - 1)
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        padded = (
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(row, widths, align, strict=True)
        )
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def number(value: float, decimals: int = 0) -> str:
    """Thousands separated, so that 1,234 and 123 are told apart at a glance."""
    return f"{value:,.{decimals}f}"


def machine() -> dict[str, object]:
    """What the figures were measured on; they mean little without it."""
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "platform": platform.platform(terse=True),
        "machine": platform.machine(),
        "python": sys.version.split()[0],
    }


def machine_line() -> str:
    info = machine()
    return (
        f"{info['date']}, {info['cpus']} CPUs, {info['platform']} {info['machine']}, "
        f"Python {info['python']}"
    )


def cpu_busy_percent(seconds: float = 0.5) -> float | None:
    """How busy all CPUs are right now (Linux /proc/stat); None elsewhere.

    Not the load average: that still counts the previous bench run for a minute.
    """

    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as stat:
            values = [int(v) for v in stat.readline().split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return idle, sum(values)

    try:
        idle_before, total_before = sample()
        time.sleep(seconds)
        idle_after, total_after = sample()
    except OSError:
        return None
    total = total_after - total_before
    return 100 * (1 - (idle_after - idle_before) / total) if total else None


def warn_if_busy(threshold_percent: float = 20) -> float | None:
    """Warn when other work already takes CPU from the server and the load generator alike.

    Returns the busy percentage, worth keeping with the figures.
    """
    busy = cpu_busy_percent()
    if busy is not None and busy > threshold_percent:
        detail(
            f"warning: the CPUs are already {busy:.0f}% busy with other work; "
            "figures will be low and noisy"
        )
    return busy


def save_results(name: str, data: dict[str, object]) -> Path:
    """Write a run's figures as JSON under bench/results/, for comparing runs later."""
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS_DIR / f"{name}-{stamp}.json"
    payload = {"machine": machine(), **data}
    path.write_text(json.dumps(_jsonable(payload), indent=2) + "\n", encoding="utf-8")
    return path


def _jsonable(value: object) -> object:
    """Result dataclasses as dicts, with their computed properties (requests_per_second).

    Not dataclasses.asdict: it rebuilds a Counter from (key, value) pairs and so miscounts it.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        for name, attribute in vars(type(value)).items():
            if isinstance(attribute, property):
                data[name] = getattr(value, name)
        return _jsonable(data)
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
