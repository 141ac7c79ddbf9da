"""Readings that both the tests and `bench/` take: which processes a worker started, and the
most texts that started in any one second. One copy, so a test and a bench figure that say
"never above the cap" count the same way."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid`, read from /proc (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name sits in parentheses and may hold spaces: split after it.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def most_in_one_second(times: Iterable[float]) -> int:
    """The most of `times` (seconds) in any window (t - 1 s, t], t being one of them."""
    ordered = sorted(times)
    j, most = 0, 0
    for i, t in enumerate(ordered):
        while ordered[j] <= t - 1.0:
            j += 1
        most = max(most, i - j + 1)
    return most
