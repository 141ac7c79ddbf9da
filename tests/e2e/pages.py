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


class AskForHelpPage:
    """The public form, in Spanish (the browser asks for Spanish)."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def ask_for_food_today(self, area: str, details: str) -> str:
        self.page.goto(f"{self.base}/help")
        self.page.get_by_label("Comida").check()
        self.page.get_by_label("Hoy: no puede esperar").check()
        self.page.get_by_label("Zona").select_option(label=area)
        self.page.get_by_label("Volveré a consultar aquí con mi código").check()
        self.page.get_by_label("¿Qué necesita?").fill(details)
        self.page.locator("input[name=consent]").check()
        self.page.get_by_role("button", name="Enviar mi solicitud").click()
        return self.page.locator("p.code").inner_text().strip()


class RequestPage:
    """A coordinator's view of one request."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open_from_queue(self, code: str) -> None:
        self.page.goto(f"{self.base}/coordinator/requests")
        self.page.get_by_role("link", name=code).click()

    def save_triage(self) -> None:
        self.page.get_by_role("button", name="Save triage").click()

    def assign_to(self, volunteer: str) -> None:
        self.page.get_by_label("Volunteer").select_option(label=volunteer)
        self.page.get_by_role("button", name="Assign", exact=True).click()
