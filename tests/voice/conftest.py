"""Voice hotline tests: the shared fake Twilio (with its Calls and Recordings API, tests/fakes),
signed webhooks and the app with Twilio pointed at the fake."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import count

import pytest
from flask import Flask
from flask.testing import FlaskClient

from aid.auth.models import Role, User
from aid.extensions import db
from aid.network import service as network
from aid.shifts.models import Signup, SignupStatus
from aid.timeutil import utcnow
from tests.fakes.fake_twilio import ACCOUNT_SID, post_signed
from tests.voice.support import CALLER, HOTLINE
from tests.volunteers import factories

_phones = count(300)
_sids = count(1)


def new_phone() -> str:
    return f"+1202555{next(_phones):04d}"


@pytest.fixture
def app(twilio_app: Flask) -> Flask:
    return twilio_app


@pytest.fixture
def client(https_client: FlaskClient) -> FlaskClient:
    return https_client


class Line:
    """Twilio's side of calls to the hotline: signed webhook posts, as Twilio sends them."""

    def __init__(self, client) -> None:
        self.client = client

    def post(self, path: str, **params: str):
        return post_signed(self.client, path, {"AccountSid": ACCOUNT_SID, **params})

    def ring(self, caller: str = CALLER) -> tuple[str, int, str]:
        """A call arrives: (CallSid, our call id, the TwiML answer)."""
        sid = f"CA{next(_sids):032d}"
        answer = self.post("/voice/inbound", CallSid=sid, From=caller, To=HOTLINE,
                           CallStatus="ringing", Direction="inbound")
        assert answer.status_code == 200, answer.get_data(as_text=True)
        body = answer.get_data(as_text=True)
        match = re.search(r"/voice/language\?call=(\d+)", body)
        return sid, int(match.group(1)) if match else 0, body

    def choose(self, call_id: int, sid: str, digit: str = "1") -> str:
        return self.post(f"/voice/language?call={call_id}", CallSid=sid, Digits=digit
                         ).get_data(as_text=True)

    def hang_up(self, sid: str, seconds: str = "20"):
        return self.post("/voice/status", CallSid=sid, CallStatus="completed",
                         CallDuration=seconds)

    def leave_voicemail(self, twilio, call_id: int, sid: str,
                        seconds: str = "12") -> str:
        recording = twilio.add_recording()
        thanks = self.post(f"/voice/recorded?call={call_id}", CallSid=sid,
                           RecordingSid=recording, RecordingDuration=seconds,
                           RecordingUrl=f"https://api.twilio.com/x/{recording}")
        assert "<Say" in thanks.get_data(as_text=True)
        ready = self.post(f"/voice/recording?call={call_id}", CallSid=sid,
                          RecordingSid=recording, RecordingStatus="completed",
                          RecordingDuration=seconds)
        assert ready.status_code == 204
        return recording


@pytest.fixture
def line(client) -> Line:
    network.save_settings(hotline_number=HOTLINE, network_name="Eastside Aid")
    return Line(client)


@pytest.fixture
def on_call(app: Flask):
    """`on_call(user, ...)`: these people are on a hotline shift under way now."""

    def put(*people: User) -> None:
        coordinator = factories.volunteer(phone=new_phone())
        coordinator.role = Role.COORDINATOR
        shift = factories.shift(coordinator, kind="hotline", starts_at=utcnow()
                                - timedelta(minutes=30), minutes=180, needed=5, place="")
        for person in people:
            db.session.add(Signup(shift_id=shift.id, user_id=person.id,
                                  status=SignupStatus.CONFIRMED, confirmed_at=utcnow()))
        db.session.commit()

    return put


@pytest.fixture
def volunteer(app: Flask):
    def make(phone: str | None = None, languages: tuple[str, ...] = ("en",)) -> User:
        return factories.volunteer(phone=phone or new_phone(), languages=languages)

    return make
