"""SMS: the gateway (Twilio or console), Twilio's webhooks, keywords and alert subscribers.

Alert subscribers live here, all of them: model (`models.Subscriber`, `VerificationCode`),
rules and texted codes (`subscriptions`), pages (`subscription_views`, templates in
`templates/sms/subscriptions/`). A subscriber is a phone number that opted in, and every rule
about it is an SMS rule: STOP must stop the subscription in the same transaction that
suppresses the number, JOIN/UNIRSE subscribe by text, the inbound webhook answers in the
subscriber's language, and the sign-up is proved by a texted code. The alerts feature only
reads the audience (`subscriptions.audience`, `subscriptions.reachable`) and the topic list.

Two blueprints: `sms` (webhooks, admin outbox) and `subscriptions` (the public pages under
/alerts/, kept apart from the alerts feature's own blueprint).
"""

from flask import Blueprint

bp = Blueprint("sms", __name__)
subscriptions_bp = Blueprint("subscriptions", __name__, url_prefix="/alerts")

from aid.sms import (  # noqa: E402,F401
    invitations,
    keywords,
    privacy,
    subscription_views,
    views,
    webhooks,
)
