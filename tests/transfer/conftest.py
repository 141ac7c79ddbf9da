"""Import tests post files like a browser and walk the mapping, dry-run and import steps."""

from __future__ import annotations

import html
import io
import re

import pytest

from aid.network import service as network


@pytest.fixture
def areas(app) -> dict[str, int]:
    return {name: network.add_area(name).id for name in ("Riverside", "Eastside")}


class Steps:
    """The import pages as a coordinator uses them."""

    def __init__(self, aid_test, client) -> None:
        self.aid_test, self.client = aid_test, client

    def upload(self, path: str, csv_text: str, **kwargs):
        return self.aid_test.post_form(self.client, path, {
            "file": (io.BytesIO(csv_text.encode("utf-8")), "export.csv"),
            "upload": "Read the file"}, **kwargs)

    @staticmethod
    def hidden(page, name: str) -> str:
        match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"',
                          page.get_data(as_text=True))
        assert match, name
        return html.unescape(match.group(1))

    @staticmethod
    def mapping(page) -> dict[str, str]:
        """The column each select has chosen on the page."""
        text = page.get_data(as_text=True)
        found = {}
        for name, body in re.findall(r'<select[^>]*name="(col_\w+)"[^>]*>(.*?)</select>', text,
                                     re.S):
            chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" '
                               r'selected', body)
            found[name] = next((g for g in chosen.groups() if g), "") if chosen else ""
        return found

    def step(self, path: str, page, action: str, **extra: str):
        data = {"csv_b64": self.hidden(page, "csv_b64"), "digest": self.hidden(page, "digest"),
                **self.mapping(page), action: action, **extra}
        headers = extra.pop("headers", None) if "headers" in extra else None
        return self.aid_test.post_form(self.client, path, data,
                                       **({"headers": headers} if headers else {}))


@pytest.fixture
def steps(aid_test, client) -> Steps:
    return Steps(aid_test, client)
