"""What the hotline tests share that is not a fixture."""

from __future__ import annotations

import re


def token_from(location: str) -> str:
    match = re.search(r"/help/s/([\w-]+)$", location)
    assert match, location
    return match.group(1)
