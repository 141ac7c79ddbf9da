"""SMS: the gateway (Twilio or console), Twilio's webhooks, keywords and alert subscribers.

Two blueprints: `sms` (webhooks, admin outbox) and `subscriptions` (the public pages under
/alerts/, kept apart from the alerts feature's own blueprint).
"""

from flask import Blueprint

bp = Blueprint("sms", __name__)
subscriptions_bp = Blueprint("subscriptions", __name__, url_prefix="/alerts")

from aid.sms import keywords, privacy, subscription_views, views, webhooks  # noqa: E402,F401
