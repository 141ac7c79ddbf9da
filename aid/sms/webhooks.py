"""Twilio's two webhooks: `POST /sms/inbound` (a text arrived) and `POST /sms/status`
(what became of a text we sent).

Both are declared `@twilio_webhook` (`aid.security.webhooks`): Twilio's signature or 403,
exempt from CSRF, rate-limited only when unsigned. Nothing here ever answers 500 to Twilio:
strange input gets an empty reply, a handler's failure gets a short apology.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from twilio.twiml.messaging_response import MessagingResponse

from aid.extensions import db
from aid.network.service import current_settings
from aid.phones import BadPhone, normalise_phone
from aid.security.cleaning import strip_unsafe
from aid.security.numbers import bounded_int
from aid.security.webhooks import twilio_webhook
from aid.sms import bp, router, service, subscriptions
from aid.sms.gateway import MAX_BODY

MAX_SID = 64


def _twiml(reply: str | None) -> Response:
    response = MessagingResponse()
    if reply:
        response.message(reply)
    return Response(str(response), mimetype="application/xml")


# Twilio's Advanced Opt-Out confirms these itself (OptOutType=START); their keyword's owner
# still subscribes the sender, with its reply dropped.
JOIN_WORDS = {"JOIN", "START", "UNIRSE", "UNSTOP"}


@bp.route("/sms/inbound", methods=["POST"])
@twilio_webhook
def inbound() -> ResponseReturnValue:
    sid = (request.form.get("MessageSid") or request.form.get("SmsSid") or "").strip()
    try:
        phone = normalise_phone(request.form.get("From", ""), current_settings().default_region)
    except BadPhone:
        return _twiml(None)  # a short code or a sender we could never answer
    if not sid or len(sid) > MAX_SID:
        return _twiml(None)
    claimed = service.claim_inbound(sid, phone)
    if claimed is None:  # Twilio retried: answer as before, do nothing twice
        return _twiml(service.previous_reply(sid))
    claimed_id = claimed.id
    body = strip_unsafe(request.form.get("Body", ""))[:MAX_BODY]  # after the signature check
    subscriber = subscriptions.find_subscriber(phone)
    message = router.make_inbound(phone, body, sid, subscriber.language if subscriber else "en")
    opt_out_type = request.form.get("OptOutType", "").upper()
    handled_as, reply = _handle(message, opt_out_type)
    # Opt-out is absolute: once suppressed, only the opt-out's own confirmation goes back.
    if reply and handled_as != "opt_out" and service.is_suppressed(phone):
        reply = None
    service.finish_inbound(claimed_id, handled_as, reply)
    return _twiml(reply)


def _handle(message: router.Inbound, opt_out_type: str) -> tuple[str, str | None]:
    try:
        if opt_out_type == "STOP":  # Twilio's Advanced Opt-Out already answered
            service.suppress(message.phone, "twilio")
            return "opt_out", None
        if opt_out_type == "HELP":
            return "help", None
        if opt_out_type == "START":
            service.lift_suppression(message.phone, "twilio")
            first = message.words[0] if message.words else ""
            if first in JOIN_WORDS:
                join = router.registered().get(first)
                if join is None:
                    return "opt_in", None
                join(message)
                return first.lower(), None
            # Twilio counts YES as an opt-in word too, but here YES mostly answers a question
            # (a case reminder, an invitation): it goes on to whoever asked.
        handled = router.handle(message)  # a blocked number's text: "blocked", no reply
        return handled.label, handled.reply
    except Exception:
        # A feature's bug must not become a 500 (Twilio would show the sender an error) nor
        # lose the person: tell them how to reach a human. Logged without the text or number.
        db.session.rollback()
        current_app.logger.exception("inbound SMS handler failed (%s)", message.message_sid)
        settings = current_settings()
        with force_locale(message.locale):
            reply = _("Sorry, we could not handle your text.")
            if settings.hotline_number:
                reply += " " + _("Please call %(number)s.", number=settings.hotline_number)
        return "error", reply


@bp.route("/sms/status", methods=["POST"])
@twilio_webhook
def status() -> ResponseReturnValue:
    sid = request.form.get("MessageSid", "").strip()[:MAX_SID]
    state = request.form.get("MessageStatus", "").strip().lower()
    raw_code = request.form.get("ErrorCode", "").strip()
    code = bounded_int(raw_code)
    if sid and state:
        service.apply_status(sid, state, code)
    return Response("", status=204)
