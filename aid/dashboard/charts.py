"""Charts as inline SVG, laid out here and drawn by templates/dashboard/_charts.html.

No JavaScript and no style attribute (the CSP forbids inline styles): colours are SVG
presentation attributes (`fill=`), which CSP does not govern. Every chart comes with the
same figures as a table, for screen readers and for anyone who wants the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# Okabe and Ito's palette (told apart with the common colour-vision deficiencies), then
# two greys; a legend always names each colour, so no meaning rests on colour alone.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F",
           "#1D1D1F", "#8A8A94")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str  # the figure, shown on hover and read by the table anyway


@dataclass
class Stacked:
    """Columns of stacked bars: one column per week, one colour per series."""

    width: int
    height: int
    columns: list[str]
    series: list[Series]
    rects: list[Rect] = field(default_factory=list)
    column_x: list[float] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    top: int = 0
    rows: list[list[int]] = field(default_factory=list)  # the table: a row per column

    @property
    def empty(self) -> bool:
        return not any(self.totals)

    @property
    def legend(self) -> list[tuple[Series, int]]:
        """The series that appear, with their totals over every column."""
        sums = [sum(row[i] for row in self.rows) for i in range(len(self.series))]
        return [(s, n) for s, n in zip(self.series, sums, strict=True) if n]


def series(items: Sequence[tuple[str, object]]) -> list[Series]:
    return [Series(str(k), str(label), PALETTE[i % len(PALETTE)])
            for i, (k, label) in enumerate(items)]


def nice_top(value: int) -> int:
    """A round number at or above `value` for the top of the scale (1, 2, 5, 10, 20...)."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= value:
                return step * m
        step *= 10


PAD_LEFT, PAD_BOTTOM, PAD_TOP = 36, 28, 10


def stacked(columns: list[str], kinds: list[Series], values: dict[tuple[int, str], int],
            width: int = 640, height: int = 220) -> Stacked:
    chart = Stacked(width=width, height=height, columns=columns, series=kinds)
    chart.rows = [[values.get((c, s.key), 0) for s in kinds] for c in range(len(columns))]
    chart.totals = [sum(row) for row in chart.rows]
    chart.top = nice_top(max(chart.totals, default=0) or 1)
    plot_h = height - PAD_BOTTOM - PAD_TOP
    band = (width - PAD_LEFT) / max(len(columns), 1)
    bar_w = band * 0.6
    for c, row in enumerate(chart.rows):
        x = PAD_LEFT + c * band + (band - bar_w) / 2
        chart.column_x.append(round(x + bar_w / 2, 1))
        y = float(height - PAD_BOTTOM)
        for s, n in zip(kinds, row, strict=True):
            if not n:
                continue
            h = plot_h * n / chart.top
            y -= h
            chart.rects.append(Rect(round(x, 1), round(y, 1), round(bar_w, 1), round(h, 1),
                                    s.colour, f"{columns[c]}: {s.label} {n}"))
    return chart


@dataclass
class Meter:
    """One bar split in parts, as shares of a whole (e.g. places filled and still open)."""

    width: int
    height: int
    parts: list[tuple[Series, int]]
    rects: list[Rect] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(n for _s, n in self.parts)


def meter(parts: list[tuple[Series, int]], width: int = 640, height: int = 28) -> Meter:
    chart = Meter(width=width, height=height, parts=parts)
    total, x = chart.total, 0.0
    for s, n in parts:
        if not n or not total:
            continue
        w = width * n / total
        chart.rects.append(Rect(round(x, 1), 0, round(w, 1), height, s.colour, f"{s.label} {n}"))
        x += w
    return chart


@dataclass
class Bars:
    """Horizontal bars, one per item, each with its label and figure beside it."""

    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    # Where each row's label and figure are written: y, label, value, x of the figure.
    labels: list[tuple[float, str, int, float]] = field(default_factory=list)


ROW_H, LABEL_W = 30, 150


def bars(items: list[tuple[Series, int]], width: int = 640) -> Bars:
    chart = Bars(width=width, height=ROW_H * max(len(items), 1))
    top = max((n for _s, n in items), default=0) or 1
    room = width - LABEL_W - 60
    for i, (s, n) in enumerate(items):
        y, w = i * ROW_H, round(room * n / top, 1)
        chart.labels.append((y + ROW_H / 2 + 4, s.label, n, LABEL_W + w + 6))
        if n:
            chart.rects.append(Rect(LABEL_W, y + 5, w, ROW_H - 10, s.colour, f"{s.label} {n}"))
    return chart
