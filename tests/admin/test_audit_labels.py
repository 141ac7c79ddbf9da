"""The audit log reads as sentences in the admin's language, not as stored action codes."""

from __future__ import annotations

import ast
from pathlib import Path

import aid
from aid.admin.audit_labels import ACTION_LABELS, action_label
from aid.auth.models import Role
from aid.extensions import db
from aid.security import audit

SPANISH_SETTINGS = {"network_name": "Eastside", "default_region": "US", "languages": ["en", "es"],
                    "code_of_conduct": "Be kind.", "code_of_conduct_es": "Sea amable.",
                    "timezone": "UTC"}


def _recorded_codes() -> set[str]:
    """Every action code written as a literal in an audit call anywhere in the app."""
    codes: set[str] = set()
    for path in Path(aid.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit"
                    and node.func.attr in ("record", "viewed") and node.args
                    and isinstance(node.args[0], ast.Constant)):
                code = node.args[0].value
                codes.add(code if node.func.attr == "record" else f"{code}.viewed")
    return codes


def test_every_action_the_app_records_has_a_label():
    missing = sorted(code for code in _recorded_codes() if code not in ACTION_LABELS)
    assert missing == []


def test_an_unknown_action_falls_back_to_its_record_type_and_verb(app):
    with app.test_request_context():
        assert action_label("area.viewed") == "Area: opened"
        assert action_label("made.up") == "made.up"


def test_the_spanish_audit_log_names_actions_and_records_in_spanish(aid_test, client, signed_in):
    admin = signed_in(Role.ADMIN)
    aid_test.post_form(client, "/admin/settings", SPANISH_SETTINGS)
    audit.record("shift.signed_up", "shift", 7, actor_id=admin.id)
    audit.record("help_request.assigned", "help_request", 3, actor_id=admin.id)
    db.session.commit()
    client.post("/language", data={"lang": "es", "csrf_token": aid_test.csrf_token(client)})
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Inscrito/a" in html and "Solicitud asignada" in html
    assert "Turno 7" in html and "Solicitud de ayuda 3" in html
    assert "Configuración cambiada" in html  # the settings saved above
    assert ">shift.signed_up<" not in html and ">help_request 3<" not in html
