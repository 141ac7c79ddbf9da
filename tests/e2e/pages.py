"""Page objects: what a person does on a page, so journeys read like stories."""

from __future__ import annotations

from playwright.sync_api import Page


class SignInPage:
    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def sign_in(self, email: str, password: str) -> None:
        self.page.goto(f"{self.base}/login")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()

    def enrol_code_key(self) -> str:
        self.page.get_by_text("Cannot scan? Type this key instead").click()
        return self.page.locator("code.secret").inner_text().strip()

    def enter_enrolment_code(self, code: str) -> list[str]:
        self.page.get_by_label("Code shown by your app").fill(code)
        self.page.get_by_role("button", name="Turn on and continue").click()
        return [c.strip() for c in self.page.locator("ol.codes code").all_inner_texts()]

    def enter_code(self, code: str) -> None:
        self.page.get_by_label("Code").fill(code)
        self.page.get_by_role("button", name="Continue").click()


class Header:
    def __init__(self, page: Page) -> None:
        self.page = page

    def switch_language(self, name: str) -> None:
        self.page.locator("form.lang").get_by_role("button", name=name).click()

    def sign_out(self, label: str = "Sign out") -> None:
        self.page.get_by_role("button", name=label).click()
