"""/coordinator: the coordinators' home after sign-in."""

from __future__ import annotations

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from aid.auth.models import STATUS_LABELS, Status
from aid.dashboard import bp, charts, service
from aid.hotline.forms import CATEGORY_LABELS, STATE_LABELS
from aid.hotline.models import Category
from aid.hotline.models import State as RequestState
from aid.labels import Labels
from aid.security import access
from aid.security.access import Level

DELIVERY_LABELS = Labels({"delivered": _l("Delivered"), "sent": _l("Sent, no receipt yet"),
                          "failed": _l("Failed"), "skipped": _l("Skipped (stopped or cancelled)"),
                          "queued": _l("Waiting to send")})


def duration(seconds: float | None) -> str:
    """"35 minutes", "5 hours", "3 days": as precise as a coordinator needs."""
    if seconds is None:
        return _("not enough data yet")
    minutes = round(seconds / 60)
    if minutes < 90:
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    hours = round(seconds / 3600)
    if hours < 48:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    return ngettext("%(num)d day", "%(num)d days", round(seconds / 86400))


def waiting_links(w: service.Waiting) -> list[dict[str, object]]:
    """What waits, urgent first; each a link to the list that shows exactly those."""
    def link(n: int, text: str, href: str, urgent: bool = False) -> dict[str, object]:
        return {"n": n, "text": text, "href": href, "urgent": urgent and n > 0}

    return [
        link(w.urgent_new, ngettext("urgent new request", "urgent new requests", w.urgent_new),
             url_for("hotline.queue", status="new", urgency="now"), urgent=True),
        link(w.new, ngettext("new request", "new requests", w.new),
             url_for("hotline.queue", status="new")),
        link(w.stale, ngettext("request left too long", "requests left too long", w.stale),
             url_for("hotline.queue", age="stale"), urgent=True),
        link(w.alerts_to_approve, ngettext("alert waiting for a second approval",
                                           "alerts waiting for a second approval",
                                           w.alerts_to_approve),
             url_for("alerts.alerts_list", status="pending"), urgent=True),
        link(w.reports_to_verify, ngettext("report to verify", "reports to verify",
                                           w.reports_to_verify),
             url_for("alerts.reports_list", state="open")),
        link(w.shifts_with_places, ngettext("shift in the next 72 hours with open places",
                                            "shifts in the next 72 hours with open places",
                                            w.shifts_with_places),
             url_for("shifts.index", soon="1")),
        link(w.ready_applicants, ngettext("applicant ready to confirm",
                                          "applicants ready to confirm", w.ready_applicants),
             url_for("volunteers.applicants", status="applied", ready="1")),
        link(w.pending_posts, ngettext("board post to moderate", "board posts to moderate",
                                       w.pending_posts),
             url_for("board.moderation_queue", view="pending")),
        link(w.flagged_posts, ngettext("flagged board post", "flagged board posts",
                                       w.flagged_posts),
             url_for("board.moderation_queue", view="flagged")),
    ]


@bp.route("/coordinator")
@access.rule(Level.COORDINATOR)
def home() -> ResponseReturnValue:
    d = service.dashboard()
    weeks = [format_date(day, "d MMM") for day in d.weekly.weeks]
    categories = charts.series([(c.value, CATEGORY_LABELS[c]) for c in Category])
    states = charts.series([(s.value, STATE_LABELS[s]) for s in RequestState])
    fill = d.fill
    fill_meter = charts.meter([
        (charts.Series("filled", _("Places filled"), charts.PALETTE[2]), fill.filled),
        (charts.Series("open", _("Places still open"), charts.PALETTE[1]),
         fill.needed - fill.filled)])
    delivery_meter = charts.meter([
        (charts.Series(k, str(DELIVERY_LABELS[k]), colour), d.deliveries.counts.get(k, 0))
        for k, colour in zip(("delivered", "sent", "failed", "skipped", "queued"),
                             (charts.PALETTE[2], charts.PALETTE[4], charts.PALETTE[5],
                              charts.PALETTE[8], charts.PALETTE[1]), strict=True)])
    people = charts.bars([
        (charts.Series(s.value, str(STATUS_LABELS[s]), charts.PALETTE[i]),
         d.volunteers.get(s.value, 0)) for i, s in enumerate(Status)])
    return render_template(
        "dashboard/home.html", d=d, waits=waiting_links(d.waiting),
        by_category=charts.stacked(weeks, categories, {
            (w, k): n for (w, k), n in d.weekly.by_category.items()}),
        by_state=charts.stacked(weeks, states, dict(d.weekly.by_state)),
        first_action=duration(d.first_action), resolution=duration(d.resolution),
        fill_meter=fill_meter, delivery_meter=delivery_meter, people=people,
        since=format_date(d.since, "d MMM y"))
