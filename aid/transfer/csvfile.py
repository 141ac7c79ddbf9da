"""Reading uploaded CSV files and writing safe ones.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
by spreadsheet programs (CSV injection, OWASP): an exported name such as `=HYPERLINK(...)`
would run on the admin's computer. Every such cell is written with a leading apostrophe,
which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_BYTES = 256 * 1024  # travels back base64-encoded in the form: stays under MAX_CONTENT_LENGTH
MAX_ROWS = 2000
MAX_CELL = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class BadFile(ValueError):
    """The upload is not a CSV file we can read (the message says why, in English)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise BadFile("too large")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadFile("not text")


def read(text: str) -> Table:
    """Headers and rows, each with the line it starts on (what a person sees in an editor)."""
    if len(text) > MAX_BYTES:
        raise BadFile("too large")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        headers = [h.strip()[:80] for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise BadFile("empty") from exc
    if not any(headers):
        raise BadFile("no header")
    rows: list[tuple[int, list[str]]] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((line, [c.strip()[:MAX_CELL] for c in cells]))
            if len(rows) > MAX_ROWS:
                raise BadFile("too many rows")
            line = reader.line_num + 1
    except csv.Error as exc:
        raise BadFile("malformed") from exc
    return Table(headers, rows)


def escape(value: object) -> str:
    """A cell as text a spreadsheet will not run."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape(h) for h in headers])
    for row in rows:
        writer.writerow([escape(v) for v in row])
    return out.getvalue()
