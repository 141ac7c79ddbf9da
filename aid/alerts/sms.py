"""A report by text: `REPORT` / `REPORTE`, then five short questions in the sender's language
(what kind, which area and roughly where, when, how many officers and vehicles, which agency
with any vehicle descriptions or plates). Each answer is kept in an `SmsReportDraft` found by
the blind index of the sender's phone (never the phone itself) and gone after
DRAFT_MINUTES without an answer; the last answer makes the report, as unverified as any other.

While a draft is open, the router hands this module every text from that phone except an
opt-out (STOP still stops everything), so "1" or "no" is an answer, not another keyword.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from aid.alerts import kinds, reports
from aid.alerts.models import SmsReportDraft
from aid.extensions import db
from aid.network.service import active_areas, current_settings
from aid.security.crypto import blind_index
from aid.sms import router
from aid.sms.router import Inbound
from aid.sms.words import words_of
from aid.timeutil import utcnow

REPORT_WORDS = ("REPORT", "REPORTE", "REPORTAR")
DRAFT_MINUTES = 30
STEPS = ("kind", "area", "when", "counts", "agency")
SEEN_BY_NUMBER = ("now", "hour", "today", "earlier")
_NUMBER = re.compile(r"\d+")


def _index(phone: str) -> str:
    return blind_index(phone, "alerts.sms_draft") or ""


def _draft(phone: str) -> SmsReportDraft | None:
    row = db.session.scalar(select(SmsReportDraft).where(
        SmsReportDraft.phone_index == _index(phone)))
    if row is not None and row.expires_at <= utcnow():
        db.session.delete(row)
        db.session.commit()
        return None
    return row


def in_progress(inbound: Inbound) -> bool:
    return _draft(inbound.phone) is not None


def start(inbound: Inbound) -> str:
    """REPORT / REPORTE: a fresh exchange (an unfinished one is dropped)."""
    locale = inbound.locale if inbound.locale in ("en", "es") else "en"
    db.session.execute(delete(SmsReportDraft).where(
        SmsReportDraft.phone_index == _index(inbound.phone)))
    db.session.add(SmsReportDraft(phone_index=_index(inbound.phone), language=locale,
                                  step="kind", answers="{}",
                                  expires_at=utcnow() + timedelta(minutes=DRAFT_MINUTES)))
    db.session.commit()
    return _question("kind", locale)


def _question(step: str, locale: str) -> str:
    with force_locale(locale):
        network = current_settings().network_name
        if step == "kind":
            listed = ", ".join(f"{i} {label}" for i, (_code, label) in enumerate(
                kinds.choices(), start=1))
            return _("%(network)s report. What is happening? Reply with a number: %(kinds)s",
                     network=network, kinds=listed)
        if step == "area":
            areas = ", ".join(a.name for a in active_areas()[:8])
            return _("Which area (%(areas)s), and roughly where: a corner or a business. "
                     "Never anyone's home address.", areas=areas)
        if step == "when":
            return _("When? 1 now, 2 in the last hour, 3 earlier today, 4 before today")
        if step == "counts":
            return _("How many officers and how many vehicles? For example: 4 2. "
                     "Reply 0 if you do not know.")
        return _("Which agency? 1 ICE, 2 CBP or Border Patrol, 3 police, 4 sheriff, 5 other, "
                 "6 not sure. Add vehicle descriptions or plates after the number.")


def _number(text: str, top: int) -> int | None:
    found = _NUMBER.search(text)
    if found is None:
        return None
    value = int(found.group()[:3])
    return value if 1 <= value <= top else None


def _area_in(text: str) -> int | None:
    said = words_of(text)
    for area in active_areas():
        name = words_of(area.name)
        if name and any(said[i:i + len(name)] == name for i in range(len(said))):
            return area.id
    return None


def answer(inbound: Inbound) -> str | None:
    """The next question, the same one again when the answer does not fit, or thanks."""
    if inbound.words and inbound.words[0] in REPORT_WORDS:
        return start(inbound)
    row = _draft(inbound.phone)
    if row is None:  # gone between the router's question and now
        return router.fallback(inbound)
    text = (inbound.body or "").strip()[:500]
    data = json.loads(row.answers or "{}")
    locale = row.language
    if row.step == "kind":
        options = kinds.choices()
        pick = _number(text, len(options))
        if pick is None:
            return _again(locale, row.step)
        data["activity"] = options[pick - 1][0]
    elif row.step == "area":
        if not text:
            return _again(locale, row.step)
        data["area_id"], data["place"] = _area_in(text), text[:200]
    elif row.step == "when":
        pick = _number(text, len(SEEN_BY_NUMBER))
        if pick is None:
            return _again(locale, row.step)
        data["seen"] = SEEN_BY_NUMBER[pick - 1]
    elif row.step == "counts":
        numbers = [min(int(n[:3]), 999) for n in _NUMBER.findall(text)][:2]
        if not numbers:
            return _again(locale, row.step)
        data["officers"] = numbers[0] or None
        data["vehicles"] = (numbers[1] if len(numbers) > 1 else 0) or None
    else:
        pick = _number(text, len(kinds.SMS_AGENCIES))
        if pick is None:
            return _again(locale, row.step)
        data["agency"] = kinds.SMS_AGENCIES[pick - 1]
        data["vehicle_info"] = _NUMBER.sub("", text, count=1).strip(" ,.-:")[:500]
        return _finish(row, data)
    row.step = STEPS[STEPS.index(row.step) + 1]
    row.answers = json.dumps(data)
    row.expires_at = utcnow() + timedelta(minutes=DRAFT_MINUTES)
    db.session.commit()
    return _question(row.step, locale)


def _again(locale: str, step: str) -> str:
    with force_locale(locale):
        return _("Sorry, we did not understand.") + " " + _question(step, locale)


def _finish(row: SmsReportDraft, data: dict[str, object]) -> str:
    locale = row.language
    db.session.delete(row)
    db.session.commit()
    reports.create_report(reports.NewReport(
        kind="", area_id=data.get("area_id"),  # type: ignore[arg-type]
        place=str(data.get("place", "")), seen=str(data.get("seen", "now")),
        details=str(data.get("vehicle_info", "")), activity=str(data.get("activity", "other")),
        officers=data.get("officers"), vehicles=data.get("vehicles"),  # type: ignore[arg-type]
        agency=str(data.get("agency", "")), vehicle_info=str(data.get("vehicle_info", ""))),
        source="sms")
    with force_locale(locale):
        return _("Thank you. Responders will check your report before any alert goes out. "
                 "Stay safe.")


def register() -> None:
    """Hook the exchange into the SMS router; once per app, safe to repeat."""
    router.on_keywords(*REPORT_WORDS)(start)
    router.on_conversation("report", in_progress, answer)
