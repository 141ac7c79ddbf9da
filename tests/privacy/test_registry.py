"""Every table that holds a person's data is covered by each privacy duty: the nightly purge,
a person's own-data download or deletion, the wipe of one area, the full wipe and key
rotation. A feature that adds such a table and registers nothing fails here, by name."""

from __future__ import annotations

from aid.extensions import db
from aid.privacy import registry
from aid.privacy.models import RETENTION_DEFAULTS
from aid.privacy.wipe import KEPT_TABLES
from aid.security.crypto import Encrypted, blind_index_of
from aid.security.rotation import blind_indexes, encrypted_columns


def _personal_tables() -> set[str]:
    """Tables with an encrypted column or a blind index, found from the models."""
    return {t.name for t in db.metadata.sorted_tables
            if any(isinstance(c.type, Encrypted) or blind_index_of(c) for c in t.columns)}


def test_the_models_hold_the_personal_tables_we_know_of(app):
    assert {"users", "help_requests", "sms_subscribers", "board_words", "sms_suppressions",
            "alert_reports", "volunteer_profiles"} <= _personal_tables()


def test_every_personal_table_is_covered_by_each_duty(app):
    missing = [f"{table}: {duty}" for duty in registry.DUTIES
               for table in sorted(_personal_tables() - registry.covered(duty))]
    assert not missing, ("no registered hook covers these (register one in the feature's "
                         "privacy.py, or declare `registry.not_covered` with the reason): "
                         + ", ".join(missing))


def test_the_full_wipe_and_rotation_reach_every_personal_table(app):
    rotated = ({t.name for t, _cols in encrypted_columns()}
               | {i.table for i in blind_indexes()})
    for table in _personal_tables():
        assert table not in KEPT_TABLES, table
        assert table in rotated, table


def test_hooks_name_real_tables_and_retention_kinds(app):
    known = set(db.metadata.tables)
    hooks = [*registry.PURGERS.values(), *registry.EXPORTERS.values(),
             *registry.FORGETTERS.values(), *registry.AREA_WIPES.values()]
    for hook in hooks:
        assert set(hook.tables) <= known, hook
    for exemption in registry.EXEMPTIONS.values():
        assert exemption.table in known and exemption.reason.strip(), exemption
    # Each retention period an admin can set has a purge behind it, and no purge follows a
    # period that does not exist.
    assert {p.kind for p in registry.PURGERS.values()} == set(RETENTION_DEFAULTS)


def test_an_exemption_needs_a_known_duty():
    import pytest

    with pytest.raises(ValueError):
        registry.not_covered("users", "backup", "not a duty")
