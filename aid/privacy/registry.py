"""What each feature keeps about people, registered by the feature itself at start-up.

Privacy acts on every feature's data (the nightly purge, a person's export and deletion, the
wipe of one area) without importing any feature: each feature's `privacy.py` module registers
its hooks here, and is imported by the feature's package when the app loads it (the way
`aid.sms.router.on_keywords` collects keyword handlers). Each registration names the tables
it covers, and a test fails when a table holding an encrypted value or a blind index is
covered by none of purge, export or deletion, and area wipe, unless it is declared here as
`not_personal` (or covered by a cascade) with the reason.

The registry is module state, shared by every app in the process; registering the same name
again replaces the earlier hook, so importing a module twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# What a hook is registered for: every table must be covered for each of these.
PURGE, OWN_DATA, AREA_WIPE = "purge", "own data", "area wipe"
DUTIES = (PURGE, OWN_DATA, AREA_WIPE)

# Whose own data an exporter or forgetter handles.
ACCOUNT, SUBSCRIBER, REQUESTER = "account", "subscriber", "requester"


@dataclass(frozen=True)
class Purger:
    """Deletes one kind of record past its retention period; `kind` is a retention setting."""

    kind: str
    tables: tuple[str, ...]
    purge: Callable[[datetime, bool], int]  # (cutoff, dry_run) -> rows deleted or due


@dataclass(frozen=True)
class Exporter:
    """Adds sections to a person's own-data download."""

    subject: str
    name: str
    tables: tuple[str, ...]
    export: Callable[[Any], dict[str, Any]]  # the person -> {section: data}


@dataclass(frozen=True)
class Forgetter:
    """Deletes what a feature holds about a person; lower `order` runs first (the record of
    the person itself, e.g. the account row, goes last)."""

    subject: str
    name: str
    tables: tuple[str, ...]
    forget: Callable[[Any, str], None]  # (the person, reason)
    order: int = 50


@dataclass(frozen=True)
class AreaWipe:
    """Deletes one area's records when an admin wipes that area."""

    name: str
    tables: tuple[str, ...]
    wipe: Callable[[int], dict[str, int]]  # area id -> {table: rows}


@dataclass(frozen=True)
class Exemption:
    """A table one duty does not cover, on purpose, and why (e.g. "a cascade deletes it")."""

    table: str
    duty: str
    reason: str


PURGERS: dict[str, Purger] = {}
EXPORTERS: dict[tuple[str, str], Exporter] = {}
FORGETTERS: dict[tuple[str, str], Forgetter] = {}
AREA_WIPES: dict[str, AreaWipe] = {}
EXEMPTIONS: dict[tuple[str, str], Exemption] = {}


def on_purge(kind: str, tables: tuple[str, ...]) -> Callable[[Callable[[datetime, bool], int]],
                                                              Callable[[datetime, bool], int]]:
    def connect(fn: Callable[[datetime, bool], int]) -> Callable[[datetime, bool], int]:
        PURGERS[kind] = Purger(kind, tables, fn)
        return fn
    return connect


def on_export(subject: str, tables: tuple[str, ...]) -> Callable[[Callable[[Any], dict[str, Any]]],
                                                                 Callable[[Any], dict[str, Any]]]:
    def connect(fn: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
        EXPORTERS[(subject, f"{fn.__module__}.{fn.__qualname__}")] = Exporter(
            subject, fn.__qualname__, tables, fn)
        return fn
    return connect


def on_forget(subject: str, tables: tuple[str, ...], order: int = 50) -> Callable[
        [Callable[[Any, str], None]], Callable[[Any, str], None]]:
    def connect(fn: Callable[[Any, str], None]) -> Callable[[Any, str], None]:
        FORGETTERS[(subject, f"{fn.__module__}.{fn.__qualname__}")] = Forgetter(
            subject, fn.__qualname__, tables, fn, order)
        return fn
    return connect


def on_area_wipe(tables: tuple[str, ...]) -> Callable[[Callable[[int], dict[str, int]]],
                                                      Callable[[int], dict[str, int]]]:
    def connect(fn: Callable[[int], dict[str, int]]) -> Callable[[int], dict[str, int]]:
        name = f"{fn.__module__}.{fn.__qualname__}"
        AREA_WIPES[name] = AreaWipe(name, tables, fn)
        return fn
    return connect


def not_covered(table: str, duty: str, reason: str) -> None:
    """Declare that `duty` does not apply to `table`, and why (shown when the test fails)."""
    if duty not in DUTIES:
        raise ValueError(f"unknown duty {duty!r}")
    EXEMPTIONS[(table, duty)] = Exemption(table, duty, reason)


def exporters(subject: str) -> list[Exporter]:
    return [e for e in EXPORTERS.values() if e.subject == subject]


def forgetters(subject: str) -> list[Forgetter]:
    return sorted((f for f in FORGETTERS.values() if f.subject == subject),
                  key=lambda f: f.order)


def covered(duty: str) -> set[str]:
    """Tables a duty's hooks (or its exemptions) cover."""
    by_duty: dict[str, list[Any]] = {PURGE: list(PURGERS.values()),
                                     OWN_DATA: [*EXPORTERS.values(), *FORGETTERS.values()],
                                     AREA_WIPE: list(AREA_WIPES.values())}
    hooks = by_duty[duty]
    tables = {t for hook in hooks for t in hook.tables}
    return tables | {e.table for e in EXEMPTIONS.values() if e.duty == duty}
