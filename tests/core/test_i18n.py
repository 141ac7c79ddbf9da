"""Every interface string has a Spanish translation, and pages render in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_strings() -> set[str]:
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_interface_string_has_a_spanish_translation():
    with (ROOT / "aid/translations/es/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id if isinstance(m.id, str) else m.id[0]
                  for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(source_strings() - translated)
    assert not missing, f"run `make translations` and translate: {missing}"


def test_placeholders_survive_translation():
    with (ROOT / "aid/translations/es/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if message.id and message.string and isinstance(message.id, str):
            wanted = sorted(PLACEHOLDER.findall(message.id))
            assert sorted(PLACEHOLDER.findall(message.string)) == wanted, message.id
