"""A hand-written iCalendar (RFC 5545) feed of a volunteer's confirmed shifts.

Calendar apps fetch the feed from their own servers, so it carries no meeting place and no
description of the case: only the type, the area, the times and a link back to the shift.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from aid.shifts.models import Signup


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (3.1)."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")  # stored times are UTC


def calendar(name: str, rows: Iterable[Signup], titles: dict[int, str],
             links: dict[int, str], host: str, now: datetime) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Aid//Shifts//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}"]
    for row in rows:
        shift = row.shift
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{shift.id}@{host}",
            f"DTSTAMP:{stamp(now)}",
            f"LAST-MODIFIED:{stamp(shift.updated_at)}",
            f"DTSTART:{stamp(shift.starts_at)}",
            f"DTEND:{stamp(shift.ends_at)}",
            f"SUMMARY:{escape(titles[shift.id])}",
            f"URL:{links[shift.id]}",
            f"DESCRIPTION:{escape(links[shift.id])}",
            f"STATUS:{'CANCELLED' if shift.status == 'cancelled' else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
