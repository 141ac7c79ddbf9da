"""`aid.sections`: parts of a page that other features add, in their order, each shown only
when it has something to show."""

from __future__ import annotations

import pytest

from aid.sections import Part, Sections


def test_parts_come_in_order_and_a_part_with_nothing_to_show_is_left_out():
    page: Sections[int] = Sections("a page")
    page.add("late.html", order=90)(lambda n: {"n": n})
    page.add("early.html", order=10)(lambda n: {"twice": 2 * n})
    page.add("odd_only.html", order=50)(lambda n: {"n": n} if n % 2 else None)
    assert page.parts(2) == [Part("early.html", {"twice": 4}), Part("late.html", {"n": 2})]
    assert [p.template for p in page.parts(3)] == ["early.html", "odd_only.html", "late.html"]


def test_the_same_template_cannot_be_added_twice():
    page: Sections[int] = Sections("a page")
    page.add("one.html")(lambda n: {})
    with pytest.raises(ValueError, match="one.html"):
        page.add("one.html")(lambda n: {})
