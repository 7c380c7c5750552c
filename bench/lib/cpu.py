"""How much CPU other work took while a measurement ran (Linux /proc; None elsewhere).

report.warn_if_busy() looks once, before a run; a test suite started by someone else half-way
through still halves a server's rate. `OtherWork` counts, over one measurement, the CPU time
of every process except ours (this process and its children, such as wrk, the server's
process group, and named helpers such as a local PostgreSQL), as a share of all CPUs: near 0,
the figure is the application's; at 20% or more, it is noise.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType


def _busy_and_total() -> tuple[int, int]:
    """Busy and total clock ticks of all CPUs since boot (/proc/stat's first line)."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]  # guest time is within user
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values)
    return total - idle, total


def _ticks_of(groups: set[int], commands: frozenset[str]) -> int:
    """CPU ticks used so far by the processes of these process groups or with these command
    names, with their waited-for children (so wrk counts once it has exited and been waited
    for)."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:  # the process has just exited
            continue
        head, _, tail = text.rpartition(")")  # "pid (comm" and the rest; comm may hold spaces
        fields = tail.split()
        if int(fields[2]) in groups or head.partition("(")[2] in commands:  # pgrp, comm
            ticks += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return ticks


class OtherWork:
    """Context manager: `.percent` is the share of all CPUs other processes used inside it."""

    def __init__(self, *process_groups: int, commands: Iterable[str] = ()) -> None:
        """`commands`: names of other processes that serve the measurement too, such as
        "postgres" for a local database, whose work is part of each request's."""
        self.groups = {os.getpgrp(), *process_groups}
        self.commands = frozenset(commands)
        self.percent: float | None = None

    def _sample(self) -> tuple[int, int, int] | None:
        try:
            busy, total = _busy_and_total()
            return busy, total, _ticks_of(self.groups, self.commands)
        except (OSError, ValueError, IndexError):
            return None

    def __enter__(self) -> OtherWork:
        self._before = self._sample()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        after = self._sample()
        if self._before is None or after is None:
            return
        busy, total, ours = (a - b for a, b in zip(after, self._before, strict=True))
        if total > 0:
            self.percent = max(0.0, 100 * (busy - ours) / total)
