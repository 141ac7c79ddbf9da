"""What the board tests share that is not a fixture."""

from __future__ import annotations

import re


def link_path(html: str, prefix: str) -> str:
    """The private link a page showed once, as a path."""
    match = re.search(rf'href="http://[^/"]+({prefix}[^"]+)"', html)
    assert match, f"no {prefix} link on the page"
    return match.group(1)
