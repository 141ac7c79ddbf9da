from __future__ import annotations

import pytest

from aid.sms.segments import segment_info


@pytest.mark.parametrize(("text", "expected"), [
    ("", ("GSM-7", 0, 0)),
    ("a" * 160, ("GSM-7", 1, 160)),
    ("a" * 161, ("GSM-7", 2, 161)),
    ("a" * 306, ("GSM-7", 2, 306)),
    ("a" * 307, ("GSM-7", 3, 307)),
    ("¿El niño? Ya llegué.", ("GSM-7", 1, 20)),  # ñ, é, ¿ are in GSM-7 (á is not)
    ("€" * 80, ("GSM-7", 1, 160)),  # extension characters count double
    ("€" * 81, ("GSM-7", 2, 162)),
    ("Migración", ("UCS-2", 1, 9)),  # ó is not GSM-7: the whole text becomes UCS-2
    ("á" * 70, ("UCS-2", 1, 70)),
    ("á" * 71, ("UCS-2", 2, 71)),
    ("á" * 135, ("UCS-2", 3, 135)),
    ("🙂", ("UCS-2", 1, 2)),  # an emoji is two UTF-16 units
])
def test_encoding_segments_and_length(text, expected):
    assert segment_info(text) == expected


def test_an_escape_pair_is_never_split_across_segments():
    # 306 septets would fit in two segments, but the € cannot straddle the boundary.
    text = "a" * 152 + "€" + "a" * 152
    assert segment_info(text) == ("GSM-7", 3, 306)


def test_an_emoji_is_never_split_across_segments():
    text = "a" * 66 + "😀" + "a" * 66
    assert segment_info(text) == ("UCS-2", 3, 134)
