"""Every kind of shift can be named inside a sentence (reminders, changes), in both languages."""

from __future__ import annotations

from flask_babel import force_locale

from aid.shifts.labels import kind_in_sentence
from aid.shifts.models import ShiftKind


def test_every_kind_reads_mid_sentence_in_english_and_spanish(app):
    with app.test_request_context():
        for kind in ShiftKind:
            english = kind_in_sentence(kind.value)
            with force_locale("es"):
                spanish = kind_in_sentence(kind.value)
            assert english and english[0] == english[0].lower() or english.startswith("ICE")
            assert spanish and spanish != english or kind == ShiftKind.ICE_CHECKIN, kind
