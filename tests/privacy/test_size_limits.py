"""Every text field of every form has a maximum length (the body size cap is the last line)."""

from __future__ import annotations

import importlib
import pkgutil

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

import aid


def _all_forms() -> list[type[FlaskForm]]:
    for info in pkgutil.walk_packages(aid.__path__, "aid."):
        if info.name.endswith((".forms", ".views")):
            importlib.import_module(info.name)
    found, todo = [], [FlaskForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def test_every_text_field_has_a_maximum_length(app):
    missing = []
    with app.test_request_context():
        for form_class in _all_forms():
            form = form_class(meta={"csrf": False})
            for field in form:
                text = isinstance(field, StringField) and field.type not in (
                    "HiddenField", "CSRFTokenField")
                bounded = any(isinstance(v, Length) and v.max and v.max > 0
                              for v in field.validators)
                if text and not bounded:
                    missing.append(f"{form_class.__name__}.{field.name}")
    assert not missing, missing
