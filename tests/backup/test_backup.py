"""Encrypted backups: a populated database survives create -> restore row for row, the file
gives nothing away without the identity, damage is caught, and old files are deleted."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pyrage
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from aid import create_app
from aid.auth import service as accounts
from aid.backup import service
from aid.backup.tasks import nightly_backup
from aid.demo import create_demo
from aid.extensions import db
from aid.timeutil import utcnow
from tests.helpers import KEYS, PG_URL, make_config

SECRET_NAME = "Quenby Zyxwarth"
SECRET_EMAIL = "quenby.zyxwarth@example.org"


@pytest.fixture
def identity() -> pyrage.x25519.Identity:
    return pyrage.x25519.Identity.generate()


@pytest.fixture
def backup_app(app_factory, identity, tmp_path):
    application = app_factory(AID_BACKUP_RECIPIENTS=str(identity.to_public()),
                              AID_BACKUP_DIR=str(tmp_path / "backups"))
    with application.app_context():
        yield application


def _populate() -> None:
    list(create_demo())
    accounts.create_user(SECRET_EMAIL, SECRET_NAME, "coordinator", "a long test password")
    db.session.commit()


def _every_row() -> dict[str, list[tuple]]:
    """Every row of every table, read through the app (encrypted columns decrypted)."""
    return {t.name: [tuple(r) for r in db.session.execute(
        select(t).order_by(*t.primary_key.columns)).all()] for t in db.metadata.sorted_tables}


def _empty_target(tmp_path: Path) -> str:
    if not PG_URL:
        return f"sqlite:///{tmp_path / 'restored' / 'aid.db'}"
    url = make_url(PG_URL)
    name = f"{url.database}_restore"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def test_a_populated_database_comes_back_row_for_row(backup_app, identity, tmp_path):
    _populate()
    before = _every_row()
    assert sum(len(rows) for rows in before.values()) > 50
    path = service.create_backup()

    target = _empty_target(tmp_path)
    manifest = service.restore_backup(path, [identity], target)
    assert manifest["dialect"] == ("postgresql" if PG_URL else "sqlite")

    restored = create_app(make_config(tmp_path / "restored", target))
    with restored.app_context():
        after = _every_row()
        db.session.remove()
        db.engine.dispose()
    assert after == before
    assert any(SECRET_NAME in row for row in after["users"])


def test_the_file_holds_no_personal_value_and_needs_the_identity(backup_app, identity):
    _populate()
    path = service.create_backup()
    raw = path.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1")
    for value in (SECRET_NAME, SECRET_EMAIL, "Marisol", "demo.example"):
        assert value.encode() not in raw

    stranger = pyrage.x25519.Identity.generate()
    with pytest.raises(pyrage.DecryptError):
        pyrage.decrypt(raw, [stranger])
    assert not service.verify_backup(path, [stranger]).ok

    # Even opened with the identity, the database inside holds the encrypted columns only.
    with service.opened(path, [identity]) as (manifest, folder):
        assert not manifest["keys_included"]
        assert not (folder / service.KEYS_MEMBER).exists()
        inner = b"".join(p.read_bytes() for p in folder.iterdir())
    for value in (SECRET_NAME, SECRET_EMAIL, "Marisol", "demo.example"):
        assert value.encode() not in inner


def test_a_truncated_backup_fails_verify(backup_app, identity, tmp_path):
    runner = backup_app.test_cli_runner()
    _populate()
    path = service.create_backup()
    assert service.verify_backup(path, [identity]).ok
    key_file = tmp_path / "identity.txt"
    key_file.write_text(f"# test identity\n{identity}\n")
    good = runner.invoke(args=["backup", "verify", str(path), "-i", str(key_file)])
    assert good.exit_code == 0 and "OK" in good.output

    cut = tmp_path / "cut.age"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size - 100])
    checked = service.verify_backup(cut, [identity])
    assert not checked.ok
    bad = runner.invoke(args=["backup", "verify", str(cut), "-i", str(key_file)])
    assert bad.exit_code != 0 and "NOT usable" in bad.output


def test_keys_are_saved_only_when_asked_and_under_their_own_passphrase(backup_app, identity):
    path = service.create_backup(keys_passphrase="correct horse battery")
    assert service.verify_backup(path, [identity]).manifest["keys_included"]
    keys = service.read_keys(path, [identity], "correct horse battery")
    assert keys == {"AID_DATA_KEYS": KEYS["AID_DATA_KEYS"], "AID_INDEX_KEY": KEYS["AID_INDEX_KEY"]}
    with pytest.raises(service.BackupError):
        service.read_keys(path, [identity], "wrong passphrase here")
    assert KEYS["AID_DATA_KEYS"].encode() not in path.read_bytes()


def test_restore_refuses_a_database_that_is_not_empty(backup_app, identity):
    path = service.create_backup()
    with pytest.raises(service.BackupError, match="not empty"):
        service.restore_backup(path, [identity], backup_app.config["SQLALCHEMY_DATABASE_URI"])


def test_the_nightly_job_keeps_n_and_deletes_what_outlived_the_retention(app_factory, identity,
                                                                         tmp_path):
    folder = tmp_path / "backups"
    application = app_factory(AID_BACKUP_RECIPIENTS=str(identity.to_public()),
                              AID_BACKUP_DIR=str(folder), AID_BACKUP_KEEP="3")
    with application.app_context():
        made = service.create_backup()
        now = utcnow()
        longest = service.longest_retention_days()
        def named(days: int) -> Path:
            return folder / f"{service.PREFIX}{(now - timedelta(days=days)):{service.STAMP}}.age"

        old, recent, older = named(longest + 1), named(2), named(3)
        for copy in (old, recent, older):
            copy.write_bytes(made.read_bytes())
        unrelated = folder / "notes.txt"
        unrelated.write_text("not a backup")

        nightly_backup.call_local()

        left = {p.name for p in folder.iterdir() if not p.name.startswith(".")}
        newest = [p for _made, p in service.existing_backups(folder)]
        assert old.name not in left  # past the longest retention period
        assert older.name not in left  # the fourth newest, with three kept
        assert recent.name in left and made.name in left and unrelated.name in left
        assert len(newest) == 3 and newest[0] not in (made, recent)  # tonight's new one
        assert os.stat(newest[0]).st_mode & 0o077 == 0
