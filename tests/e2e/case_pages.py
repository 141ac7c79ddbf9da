"""Page objects for the detention-response journey: the after-action report, opening a case,
adding a date and linking legal support."""

from __future__ import annotations

from datetime import datetime

from playwright.sync_api import Page


class ShiftReportPage:
    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def record_detention(self, shift_id: int, what_happened: str) -> None:
        self.page.goto(f"{self.base}/shifts/{shift_id}")
        self.page.get_by_role("link", name="File the after-action report").click()
        self.page.get_by_label("Outcome").select_option(label="Person detained")
        self.page.get_by_label("What happened").fill(what_happened)
        self.page.get_by_role("button", name="Save the report").click()


class CasePage:
    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open_from_the_report(self, contact: str, phone: str, language: str,
                             needs: list[str]) -> None:
        """On the shift's page, whose report says the person was detained."""
        self.page.get_by_role("link", name="Open a case").click()
        self.page.get_by_label("Family's contact person").fill(contact)
        self.page.get_by_label("Their phone").fill(phone)
        self.page.get_by_label("Their language").select_option(label=language)
        for need in needs:
            self.page.get_by_label(need, exact=True).check()
        self.page.get_by_role("button", name="Open the case").click()

    def add_date(self, what: str, when: datetime, place: str) -> None:
        dates = self.page.locator("#dates")
        dates.get_by_label("What").select_option(label=what)
        dates.get_by_label("Date").fill(when.strftime("%Y-%m-%d"))
        dates.get_by_label("Time").fill(when.strftime("%H:%M"))
        dates.get_by_label("Place (optional)").fill(place)
        self.page.get_by_role("button", name="Add the date").click()

    def link_suggested(self, name: str) -> None:
        entry = self.page.locator("li", has_text=name)
        entry.get_by_role("button", name="Link to the case").click()
