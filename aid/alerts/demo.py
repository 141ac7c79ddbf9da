"""Sample reports and a sent alert for `aid demo`: one confirmed report, one unverified, and
the alert made from the confirmed one (marked sent to the demo subscribers; no text leaves)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select, update

from aid.alerts import fanout, reports, service
from aid.alerts.models import Alert, AlertState, Delivery, DeliveryState, Report
from aid.auth import service as accounts
from aid.extensions import db
from aid.network.models import Area
from aid.timeutil import utcnow
from aid.volunteers.models import VolunteerProfile


def create_demo() -> Iterator[str]:
    if db.session.scalar(select(Report.id).limit(1)) is not None:
        yield "Alerts: demo reports already there"
        return
    coordinator = accounts.find_by_email("coord@demo.example")
    admin = accounts.find_by_email("admin@demo.example")
    east = db.session.scalar(select(Area).where(Area.name == "Eastside"))
    if coordinator is None or admin is None or east is None:
        return
    rosa = accounts.find_by_email("rosa@demo.example")
    if rosa is not None:  # Rosa checks reports in her areas
        db.session.execute(update(VolunteerProfile).where(VolunteerProfile.user_id == rosa.id)
                           .values(responder=True))
    confirmed = reports.create_report(reports.NewReport(
        "enforcement", east.id, "Bus stop by the laundromat on 5th", "now",
        "Two grey vans, four people in vests stopping people at the bus stop.",
        activity="checkpoint", officers=4, vehicles=2, agency="ice",
        vehicle_info="Two grey vans, no markings"))
    reports.verify(confirmed, coordinator, True, "Rosa saw the vans from across the street.")
    reports.create_report(reports.NewReport(
        "police", None, "Near the market", "hour", "Lots of police cars, not sure why."))
    alert = service.create_draft(service.Draft(
        bodies={"en": "Eastside Mutual Aid: immigration agents at the 5th St bus stop. Avoid the "
                      "area, do not open your door. Know your rights: you can stay silent.",
                "es": "Eastside Mutual Aid: agentes de migración en la parada de la calle 5. "
                      "Evite la zona, no abra la puerta. Tiene derecho a guardar silencio."},
        area_ids=[east.id], topics=["enforcement"], severity="Severe", urgency="Immediate",
        certainty="Observed", link="", expires_hours=6, public=True,
        report_id=confirmed.id), coordinator)
    # Marked sent without texting anyone: a demo must not send real messages.
    count = fanout.create_deliveries(alert)
    db.session.execute(update(Delivery).where(Delivery.alert_id == alert.id)
                       .values(status=DeliveryState.SENT))
    now = utcnow()
    db.session.execute(update(Alert).where(Alert.id == alert.id).values(
        status=AlertState.SENT, approver_id=admin.id, approved_at=now, submitted_at=now,
        finished_at=now, recipients=count))
    db.session.commit()
    yield f"Alerts: 2 reports (1 confirmed), 1 sent alert to {count} subscribers"
