"""The two-person rule alerts and bulk texts share."""

from __future__ import annotations

from aid.security.approvals import may_approve, needs_second


def test_the_author_alone_sends_at_or_under_the_threshold():
    assert may_approve(1, 1, 3, 3)
    assert not needs_second(3, 3)


def test_above_the_threshold_only_someone_else_approves():
    assert needs_second(4, 3)
    assert not may_approve(1, 1, 4, 3)
    assert may_approve(2, 1, 4, 3)


def test_an_item_already_waiting_never_goes_out_on_its_authors_word():
    assert not may_approve(1, 1, None, 3)
    assert may_approve(2, 1, None, 3)
    assert may_approve(2, None, None, 3)  # its author's account is gone
    assert not may_approve(None, None, None, 3)
