"""How many SMS segments a text costs: GSM-7 or UCS-2, per 3GPP TS 23.038.

A text made only of GSM-7 characters costs 160 septets in one segment, or 153 per segment
when split (the rest carries the concatenation header). Characters of the extension table
(`^ { } [ ] ~ \\ | €` and form feed) take two septets, an escape and the character. One
character outside both tables (most Spanish capitals with accents, `á í ó ú`, any emoji) turns
the whole text into UCS-2: 70 UTF-16 units in one segment, 67 per segment when split.
Neither an escape pair nor a surrogate pair (an emoji) is split across segments.
"""

from __future__ import annotations

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"


def _costs(text: str) -> tuple[str, list[int]]:
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        return GSM7, [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    # UTF-16 code units: a character beyond the Basic Multilingual Plane takes two.
    return UCS2, [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _pack(costs: list[int], per_segment: int) -> int:
    segments, used = 1, 0
    for cost in costs:
        if used + cost > per_segment:
            segments, used = segments + 1, 0
        used += cost
    return segments


def segment_info(text: str) -> tuple[str, int, int]:
    """`(encoding, segments, chars)` for `text`.

    `encoding` is "GSM-7" or "UCS-2"; `chars` is the length as the network counts it (septets
    for GSM-7, extension characters counting two; UTF-16 units for UCS-2); an empty text is
    0 segments.
    """
    encoding, costs = _costs(text)
    total = sum(costs)
    if total == 0:
        return encoding, 0, 0
    single, multi = (160, 153) if encoding == GSM7 else (70, 67)
    if total <= single:
        return encoding, 1, total
    return encoding, _pack(costs, multi), total
