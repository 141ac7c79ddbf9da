"""Hotline fixtures: a network with areas, requests made in one line, the public form's data."""

from __future__ import annotations

import pytest

from aid.hotline import service
from aid.hotline.models import Channel, HelpRequest
from aid.network import service as network


@pytest.fixture
def areas(app):
    return [network.add_area("Riverside"), network.add_area("Old Town")]


@pytest.fixture
def make_request(app, areas):
    def make(channel: Channel = Channel.WEB, **values) -> HelpRequest:
        fields = {"category": "food", "urgency": "days", "area_id": areas[0].id,
                  "language": "en", "contact_method": "sms",
                  "details": "We have no food until Friday", "name": "Ana",
                  "phone": "+14155550123"}
        fields.update(values)
        req, _token = service.create_request(service.Intake(**fields), channel)
        return req

    return make


@pytest.fixture
def help_data(areas):
    def data(**overrides) -> dict:
        values = {"category": "legal", "urgency": "now", "area": str(areas[0].id),
                  "language": "es", "contact_method": "sms", "name": "Lupe",
                  "phone": "(202) 555-0188", "details": "Mi hermano fue detenido esta mañana",
                  "consent": "y"}
        values.update(overrides)
        return {k: v for k, v in values.items() if v is not None}

    return data
