"""Page objects: what a person does on a page, so journeys read like stories."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import Browser, Page


class SignInPage:
    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def sign_in(self, email: str, password: str) -> None:
        self.page.goto(f"{self.base}/login")
        self.sign_in_here(email, password)

    def sign_in_here(self, email: str, password: str) -> None:
        """On the sign-in page a protected link led to (it goes on to that link)."""
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()

    def enrol_code_key(self) -> str:
        self.page.get_by_text("Cannot scan? Type this key instead").click()
        return self.page.locator("code.secret").inner_text().strip()

    def enter_enrolment_code(self, secret: str) -> list[str]:
        """Types the code an authenticator shows for `secret`; returns the recovery codes.

        The code is the one for a quarter of a minute ahead: the server takes the steps either
        side of its own, so this code stays good for at least 45 s however slowly a busy
        machine gets the form across (today's code could be 29 s from its end).
        """
        code = pyotp.TOTP(secret).at(time.time() + 15)
        self.page.get_by_label("Code shown by your app").fill(code)
        self.page.get_by_role("button", name="Turn on and continue").click()
        codes = [c.strip() for c in self.page.locator("ol.codes code").all_inner_texts()]
        if not codes:  # name what the page said, so a failure explains itself
            errors = self.page.locator(".error, [role=alert]").all_inner_texts()
            title = self.page.title()
            raise AssertionError(f"enrolment refused at {self.page.url} ({title}): {errors}")
        return codes

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

    def ask_for_food_by_text(self, area: str, details: str, phone: str) -> str:
        """Food in the next few days, to be answered by text at `phone`."""
        self.page.goto(f"{self.base}/help")
        self.page.get_by_label("Comida").check()
        self.page.get_by_label("En los próximos días").check()
        self.page.get_by_label("Zona").select_option(label=area)
        self.page.get_by_label("Escríbame (SMS)").check()
        self.page.get_by_label("Número de teléfono (opcional)").fill(phone)
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
        """Through the menu of everyone (each option is "Name · why")."""
        menu = self.page.get_by_label("Volunteer")
        option = menu.locator("option").filter(has_text=re.compile(f"^{re.escape(volunteer)} · "))
        menu.select_option(value=option.get_attribute("value"))
        self.page.get_by_role("button", name="Assign", exact=True).click()

    def ranked(self) -> list[str]:
        """The one-tap assignments, best placed first, as "Assign Name — why"."""
        return [" ".join(t.split()) for t in self.page.locator("ol.ranked li").all_inner_texts()]

    def assign_top_ranked(self) -> str:
        button = self.page.locator("ol.ranked li button").first
        name = (button.inner_text() or "").removeprefix("Assign ").strip()
        button.click()
        return name

    def use_saved_reply(self, title: str) -> None:
        self.page.locator("ul.replies").get_by_role("link", name=title).click()

    def reply_box(self) -> str:
        return self.page.get_by_label("Text message to the requester").input_value()

    def send_text(self) -> None:
        self.page.get_by_role("button", name="Send text").click()


class DashboardPage:
    """The coordinators' home: what waits, and the charts with their tables."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open(self) -> None:
        self.page.goto(f"{self.base}/coordinator")

    def follow(self, link_text: str) -> None:
        self.page.get_by_role("link", name=link_text).click()

    def this_week(self, chart: str, series: str) -> int:
        """This week's figure for one series of a weekly chart, read from its table."""
        cell = self.page.locator(f"table[data-chart={chart}] tbody tr").last.locator(
            f"td[data-series={series}]")
        return int((cell.text_content() or "0").strip())


# How long one step may take: a 2-core CI machine running the suite can be slow.
STEP_TIMEOUT_MS = 30_000


def new_page(browser: Browser, locale: str = "en-US", javascript: bool = False) -> Page:
    """A fresh phone or laptop: its own cookies, no JavaScript unless asked (the app must
    work without)."""
    page = browser.new_context(locale=locale, java_script_enabled=javascript).new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    return page


def sign_in_as(browser: Browser, base: str, email: str, password: str,
               totp_secret: str | None = None, javascript: bool = False) -> Page:
    """A new browser signed in; coordinators also type the code from their app."""
    page = new_page(browser, javascript=javascript)
    sign_in = SignInPage(page, base)
    sign_in.sign_in(email, password)
    if totp_secret:
        sign_in.enter_code(pyotp.TOTP(totp_secret).now())
    return page


# -- volunteers ------------------------------------------------------------------------------

class VolunteerSignupPage:
    """The public sign-up form, in Spanish (the browser asks for Spanish)."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def sign_up(self, name: str, email: str, phone: str, area: str, password: str,
                who_can_vouch: str) -> None:
        page = self.page
        page.goto(f"{self.base}/volunteer/signup")
        page.get_by_label("El nombre que usa").fill(name)
        page.get_by_label("Teléfono móvil").fill(phone)
        page.get_by_label("Español").check()
        page.get_by_label("Acompañamiento").check()
        page.get_by_label(area, exact=True).check()
        page.get_by_label("Sábado, Mañana").check()
        page.get_by_label("¿Cómo supo de nosotros").fill(who_can_vouch)
        page.get_by_label("Correo electrónico").fill(email)
        page.get_by_label(re.compile(r"^Contraseña nueva")).fill(password)
        page.get_by_label("Repita la contraseña nueva").fill(password)
        page.get_by_label("He leído el código de conducta y acepto cumplirlo.").check()
        page.get_by_role("button", name="Inscribirse").click()
        # The form never signs anyone in (it answers the same for a known email): sign in.
        page.wait_for_url(re.compile(r"/login"))
        page.get_by_label("Correo electrónico").fill(email)
        page.get_by_label(re.compile(r"^Contraseña")).first.fill(password)
        page.get_by_role("button", name="Iniciar sesión").click()
        page.wait_for_url(lambda url: "/login" not in url)
        page.goto(f"{self.base}/my")  # where the new volunteer finds their vouch link


class MyPage:
    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open(self) -> None:
        self.page.goto(f"{self.base}/my")

    def vouch_link(self) -> str:
        return self.page.locator("code.secret").first.inner_text().strip()


class VouchPage:
    """A vetted member opens the link an applicant sent them."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def vouch(self, link: str, how_we_met: str) -> None:
        self.page.goto(link)
        self.page.get_by_label("How do you know them?").fill(how_we_met)
        self.page.get_by_role("button", name="I know this person and vouch for them").click()


class VolunteersPage:
    """A coordinator's vetting list and one volunteer's page."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open_applicant(self, name: str) -> None:
        self.page.goto(f"{self.base}/coordinator/volunteers")
        self.page.get_by_role("link", name=name, exact=True).click()

    def confirm_on_vouches(self) -> None:
        self.page.get_by_role("button", name="Confirm on the strength of the vouches").click()


class ShiftsPage:
    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def create(self, kind: str, day: str, time: str, area: str, needed: int, summary: str,
               meeting_place: str) -> None:
        """A coordinator opens a shift to sign-ups (day as YYYY-MM-DD, time as HH:MM)."""
        page = self.page
        page.goto(f"{self.base}/shifts")
        page.get_by_role("link", name="New shift").click()
        page.get_by_label("Type").select_option(label=kind)
        page.get_by_label("Visibility").select_option(label="Open")
        page.get_by_label("Date").fill(day)
        page.get_by_label("Start time").fill(time)
        page.get_by_label("Area").select_option(label=area)
        page.get_by_label("Volunteers needed").fill(str(needed))
        page.get_by_label("What the shift is").fill(summary)
        page.get_by_label("Exact meeting place").fill(meeting_place)
        page.get_by_role("button", name="Save").click()

    def open_shift(self, link_name: str) -> None:
        self.page.goto(f"{self.base}/shifts")
        self.page.get_by_role("link", name=link_name).first.click()

    def take_place(self, button: str = "Sign up for this shift") -> None:
        self.page.get_by_role("button", name=button).click()

    def meeting_place(self, label: str = "Meeting place") -> str:
        return self.page.locator(f"dt:text-is('{label}') + dd").inner_text().strip()


# -- needs and offers board ------------------------------------------------------------------

BOARD_LABELS = {
    "en": {"need": "I need something", "offer": "I can offer something", "category": "Category",
           "area": "Area", "title": "Short title", "details": "Details",
           "quantity": "How much or how often", "contact": "How we can reach you",
           "post": "Send my post", "message": "Your message",
           "reach_me": "How they can reach you", "send": "Send",
           "fulfil": "Mark as fulfilled", "share": "Agree to share contacts"},
    "es": {"need": "Necesito algo", "offer": "Puedo ofrecer algo", "category": "Categoría",
           "area": "Zona", "title": "Título corto", "details": "Detalles",
           "quantity": "Cuánto o cada cuánto", "contact": "Cómo podemos contactarle",
           "post": "Enviar mi publicación", "message": "Su mensaje",
           "reach_me": "Cómo pueden contactarle", "send": "Enviar",
           "fulfil": "Marcar como cumplida", "share": "Aceptar compartir contactos"},
}


class BoardPage:
    """The public board: post without an account, read posts, answer one."""

    def __init__(self, page: Page, base: str, lang: str = "en") -> None:
        self.page, self.base, self.labels = page, base, BOARD_LABELS[lang]

    def post(self, kind: str, category: str, area: str, title: str, details: str,
             quantity: str = "", contact: str = "") -> str:
        """Post a need or an offer; returns the private manage link shown once."""
        page, say = self.page, self.labels
        page.goto(f"{self.base}/board/new")
        page.get_by_label(say[kind]).check()
        page.get_by_label(say["category"]).select_option(label=category)
        page.get_by_label(re.compile(f"^{say['area']}")).select_option(label=area)
        page.get_by_label(say["title"]).fill(title)
        page.get_by_label(say["details"]).fill(details)
        if quantity:
            page.get_by_label(say["quantity"]).fill(quantity)
        if contact:
            page.get_by_label(say["contact"]).fill(contact)
        page.get_by_role("button", name=say["post"], exact=True).click()
        return page.locator("a.secret").get_attribute("href") or ""

    def open(self) -> None:
        self.page.goto(f"{self.base}/board")

    def titles(self) -> list[str]:
        self.open()
        return [t.strip() for t in self.page.locator(".post-title").all_inner_texts()]

    def answer(self, button: str, message: str, contact: str = "") -> str:
        """On a post's page: "I can help" / "I need this"; returns the responder's link."""
        page, say = self.page, self.labels
        page.get_by_role("link", name=button).click()
        page.get_by_label(say["message"]).fill(message)
        if contact:
            page.get_by_label(say["reach_me"]).fill(contact)
        page.get_by_role("button", name=say["send"]).click()
        return page.locator("a.secret").get_attribute("href") or ""


class ManagePostPage:
    """The poster's private page, reached by the secret link they were given."""

    def __init__(self, page: Page, link: str, lang: str = "en") -> None:
        self.page, self.link, self.labels = page, link, BOARD_LABELS[lang]

    def open(self) -> None:
        self.page.goto(self.link)

    def suggestions(self) -> list[str]:
        return [t.strip() for t in self.page.locator("section.card li a").all_inner_texts()]

    def open_suggestion(self, title: str) -> None:
        self.page.locator("section.card li").get_by_role("link", name=title).click()

    def answers(self) -> list[str]:
        return [t.strip() for t in self.page.locator(".response > p.post-text").all_inner_texts()]

    def share_contacts(self) -> None:
        self.page.get_by_role("button", name=self.labels["share"]).first.click()

    def mark_fulfilled(self) -> None:
        self.page.get_by_role("button", name=self.labels["fulfil"]).click()


class ModerationPage:
    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open_waiting(self, title: str) -> None:
        self.page.goto(f"{self.base}/coordinator/board")
        self.page.get_by_role("link", name=title).click()

    def approve(self, title: str) -> None:
        self.open_waiting(title)
        self.page.get_by_role("button", name="Put on the board").click()

    def suggested_matches(self) -> list[str]:
        section = self.page.locator("section.card", has_text="Suggested matches")
        return [t.strip() for t in section.locator("li a").all_inner_texts()]


# -- early-warning alerts --------------------------------------------------------------------

class ReportFormPage:
    """The public form: anyone reports what they see, no account."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def report(self, kind: str, area: str, place: str, when: str, details: str,
               activity: str | None = None, photo: str | None = None,
               officers: str = "", vehicles: str = "", agency: str | None = None) -> None:
        page = self.page
        page.goto(f"{self.base}/alerts/report")
        page.get_by_label(kind).check()
        if activity:
            page.get_by_label(activity, exact=True).check()
        page.get_by_label("Area").select_option(label=area)
        page.get_by_label("Roughly where?").fill(place)
        page.get_by_label(when).check()
        if officers:
            page.get_by_label("How many officers?").fill(officers)
        if vehicles:
            page.get_by_label("How many vehicles?").fill(vehicles)
        if agency:
            page.get_by_label("Which agency, if you know?").select_option(label=agency)
        page.get_by_label("What did you see?").fill(details)
        if photo:
            page.get_by_label("Photos (optional, up to 3)").set_input_files(photo)
        page.get_by_role("button", name="Send report").click()


class ReportsPage:
    """A coordinator's list of reports and one report's page."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open_latest(self) -> None:
        self.page.goto(f"{self.base}/coordinator/reports")
        self.page.locator("table a[href*='/coordinator/reports/']").first.click()

    def confirm(self, note: str) -> None:
        self.page.get_by_label("Confirmed: I saw it myself").check()
        self.page.get_by_label("Note").fill(note)
        self.page.get_by_role("button", name="Save", exact=True).click()

    def ask_responders(self) -> None:
        self.page.get_by_role("button", name="Text them to check").click()

    def write_alert(self) -> None:
        self.page.get_by_role("link", name="Write an alert from this report").click()


class CheckReportPage:
    """The page a responder opens from their text: the report, its photos, their verdict."""

    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open(self, report_id: int) -> None:
        self.page.goto(f"{self.base}/alerts/check/{report_id}")

    def photo_bytes(self) -> bytes:
        """The first photo as this browser gets it (its own cookies)."""
        src = self.page.locator("img.report-photo").first.get_attribute("src") or ""
        response = self.page.context.request.get(f"{self.base}{src}")
        assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
        return response.body()

    def answer(self, verdict: str, note: str) -> None:
        self.page.get_by_label(verdict).check()
        self.page.get_by_label("Note").fill(note)
        self.page.get_by_role("button", name="Send answer").click()


class ComposeAlertPage:
    def __init__(self, page: Page) -> None:
        self.page = page

    def write(self, texts: dict[str, str]) -> None:
        """On the compose page (the report already chosen): one text per language name."""
        for language, text in texts.items():
            self.page.get_by_label(f"Text in {language}").fill(text)
        self.page.get_by_role("button", name="Save draft").click()

    def ask_for_approval(self) -> None:
        self.page.get_by_role("button", name="Ask a second coordinator to approve").click()


class AlertPage:
    def __init__(self, page: Page, base: str) -> None:
        self.page, self.base = page, base

    def open(self, alert_id: int) -> None:
        self.page.goto(f"{self.base}/coordinator/alerts/{alert_id}")

    def approve(self) -> None:
        self.page.get_by_role("button", name="Approve and send").click()

    @property
    def bar(self):  # noqa: ANN201 (a Playwright Locator)
        return self.page.locator("#progress progress")

    def percent(self) -> str:
        return self.page.locator("#progress p > [data-field=percent_text]").inner_text().strip()

    def language_row(self, name: str) -> list[str]:
        row = self.page.locator("#progress tr", has_text=name)
        return [c.strip() for c in row.locator("td").all_inner_texts()]
