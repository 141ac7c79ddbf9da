"""Encrypted backups: one age file holding a consistent snapshot of the database.

The file is encrypted to the public keys in AID_BACKUP_RECIPIENTS (the matching private key
is kept off the server), so any age client can open it. Inside is a gzipped tar with:

- `manifest.json`: when, which database kind and schema revision, rows per table, and the
  SHA-256 of every other member (what `verify` checks);
- `database.sqlite` (SQLite's online backup API) or `database.pgdump` (`pg_dump -Fc`, taken
  in the same snapshot as the row counts);
- `keys.age`, only when the admin asked for it: the data and index keys, encrypted again
  with a passphrase of their own. Without it the backup holds the encrypted columns only,
  and the keys must be kept elsewhere.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 (pg_dump / pg_restore, fixed arguments)
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pyrage
from flask import current_app
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import URL, Connection, make_url

from aid.extensions import db
from aid.privacy.models import RETENTION_DEFAULTS
from aid.privacy.service import retention_days
from aid.security import audit
from aid.timeutil import utcnow

FORMAT = 1
PREFIX = "aid-backup-"
SUFFIX = ".age"
STAMP = "%Y%m%dT%H%M%SZ"
NAME = re.compile(rf"^{PREFIX}(\d{{8}}T\d{{6}}Z)(?:-(\d+))?{re.escape(SUFFIX)}$")
MANIFEST = "manifest.json"
KEYS_MEMBER = "keys.age"


class BackupError(Exception):
    """A backup cannot be made, read or restored; the message says why."""


@dataclass
class Checked:
    """What `verify` found in a backup file."""

    manifest: dict
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# -- settings -------------------------------------------------------------------------------

# The keys backups are encrypted to (AID_BACKUP_RECIPIENTS), and the keys that open them.
Recipient = pyrage.x25519.Recipient | pyrage.ssh.Recipient
Identity = pyrage.x25519.Identity


def recipients(value: str | None = None) -> list[Recipient]:
    """The age recipients backups are encrypted to (X25519 `age1...` or SSH public keys)."""
    raw = current_app.config["BACKUP_RECIPIENTS"] if value is None else value
    found: list[Recipient] = []
    for part in re.split(r"[,\n]+", raw):
        part = part.strip()
        if not part:
            continue
        try:
            if part.startswith("age1"):
                found.append(pyrage.x25519.Recipient.from_str(part))
            else:
                found.append(pyrage.ssh.Recipient.from_str(part))
        except (pyrage.RecipientError, ValueError) as exc:
            raise BackupError(f"AID_BACKUP_RECIPIENTS holds a key age cannot use: {exc}") from exc
    return found


def backup_dir() -> Path:
    path = Path(current_app.config["BACKUP_DIR"])
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def read_identities(text_value: str) -> list[Identity]:
    """Identities from an age key file's text (comments and blank lines skipped)."""
    found = []
    for line in text_value.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                found.append(pyrage.x25519.Identity.from_str(line))
            except (pyrage.IdentityError, ValueError) as exc:
                raise BackupError("the identity file holds no usable age identity") from exc
    if not found:
        raise BackupError("the identity file holds no age identity")
    return found


# -- making a backup ------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _table_names() -> list[str]:
    return [t.name for t in db.metadata.sorted_tables]


def _counts(conn: Connection, names: list[str]) -> dict[str, int]:
    return {name: int(conn.scalar(select(func.count()).select_from(table(name))) or 0)
            for name in names}


def _revision(conn: Connection) -> str:
    try:
        return str(conn.scalar(text("SELECT version_num FROM alembic_version")) or "")
    except Exception:  # noqa: BLE001 (a database made without migrations)
        return ""


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A URL pg_dump understands, with the password passed in the environment instead."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _snapshot_sqlite(url: URL, out: Path) -> tuple[dict[str, int], str]:
    source = sqlite3.connect(url.database or "")
    try:
        target = sqlite3.connect(out)
        with target:
            source.backup(target)  # the online backup API: a consistent copy while in use
        target.close()
    finally:
        source.close()
    engine = create_engine(f"sqlite:///{out}")
    try:
        with engine.connect() as conn:
            return _counts(conn, _table_names()), _revision(conn)
    finally:
        engine.dispose()


def _snapshot_postgres(url: URL, out: Path) -> tuple[dict[str, int], str]:
    """pg_dump in the very snapshot the row counts are read in, so the two agree."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
            counts, revision = _counts(conn, _table_names()), _revision(conn)
            dsn, env = _libpq(url)
            run = subprocess.run(  # noqa: S603 (fixed program, arguments not from users)
                [shutil.which("pg_dump") or "pg_dump", "--format=custom", "--no-owner",
                 "--no-privileges", f"--snapshot={snapshot}", f"--file={out}", dsn],
                env=env, capture_output=True, text=True, check=False)
            conn.execute(text("COMMIT"))
    finally:
        engine.dispose()
    if run.returncode != 0:
        raise BackupError(f"pg_dump failed: {run.stderr.strip()[:300]}")
    return counts, revision


def _unique_path(folder: Path, now: datetime) -> Path:
    base = f"{PREFIX}{now.strftime(STAMP)}"
    path, n = folder / f"{base}{SUFFIX}", 1
    while path.exists():
        path, n = folder / f"{base}-{n}{SUFFIX}", n + 1
    return path


def create_backup(keys_passphrase: str | None = None, folder: Path | None = None,
                  actor_id: int | None = None) -> Path:
    """Write one encrypted backup file and return its path."""
    to = recipients()
    if not to:
        raise BackupError("AID_BACKUP_RECIPIENTS is empty: backups need at least one age "
                          "public key to be encrypted to")
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    now = utcnow()
    folder = folder or backup_dir()
    with tempfile.TemporaryDirectory(dir=folder, prefix=".making-") as work:
        work_dir = Path(work)
        if url.get_backend_name() == "sqlite":
            member = "database.sqlite"
            counts, revision = _snapshot_sqlite(url, work_dir / member)
        elif url.get_backend_name() == "postgresql":
            member = "database.pgdump"
            counts, revision = _snapshot_postgres(url, work_dir / member)
        else:
            raise BackupError(f"no backup method for {url.get_backend_name()}")
        members = [member]
        if keys_passphrase:
            cfg = current_app.config
            secret = json.dumps({"AID_DATA_KEYS": cfg["DATA_KEYS"],
                                 "AID_INDEX_KEY": cfg["INDEX_KEY"]}).encode()
            (work_dir / KEYS_MEMBER).write_bytes(pyrage.passphrase.encrypt(secret,
                                                                           keys_passphrase))
            members.append(KEYS_MEMBER)
        manifest = {
            "format": FORMAT, "created_at": now.isoformat(timespec="seconds") + "Z",
            "dialect": url.get_backend_name(), "revision": revision, "tables": counts,
            "files": {m: {"sha256": _sha256(work_dir / m), "size": (work_dir / m).stat().st_size}
                      for m in members},
            "keys_included": bool(keys_passphrase),
        }
        tar_path = work_dir / "backup.tar.gz"
        with tarfile.open(tar_path, "w:gz") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for m in members:
                tar.add(work_dir / m, arcname=m)
        final = _unique_path(folder, now)
        partial = work_dir / "backup.age"
        pyrage.encrypt_file(str(tar_path), str(partial), to)
        os.chmod(partial, 0o600)
        partial.replace(final)  # complete files only ever appear under a backup's name
    audit.record("backup.created", None, None,
                 f"{sum(counts.values())} rows" + (", keys included" if keys_passphrase else ""),
                 actor_id=actor_id)
    db.session.commit()
    return final


# -- reading one back -----------------------------------------------------------------------

@contextmanager
def opened(path: Path, identities: list[Identity]) -> Iterator[tuple[dict, Path]]:
    """Decrypt and unpack a backup into a private temporary folder for the `with` block."""
    with tempfile.TemporaryDirectory(prefix="aid-restore-") as work:
        work_dir = Path(work)
        tar_path = work_dir / "backup.tar.gz"
        try:
            pyrage.decrypt_file(str(path), str(tar_path), identities)
        except (pyrage.DecryptError, OSError, ValueError) as exc:
            raise BackupError(f"cannot decrypt {path.name}: incomplete, damaged, or not "
                              f"encrypted to this identity ({exc})") from exc
        try:
            with tarfile.open(tar_path, "r:gz") as tar:
                tar.extractall(work_dir / "x", filter="data")
            manifest = json.loads((work_dir / "x" / MANIFEST).read_text())
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            raise BackupError(f"{path.name} is not a complete Aid backup ({exc})") from exc
        yield manifest, work_dir / "x"


def _check_members(manifest: dict, folder: Path) -> list[str]:
    problems = []
    if manifest.get("format") != FORMAT:
        problems.append(f"unknown backup format {manifest.get('format')!r}")
    for name, meta in manifest.get("files", {}).items():
        member = folder / name
        if not member.is_file():
            problems.append(f"{name} is missing")
        elif member.stat().st_size != meta["size"] or _sha256(member) != meta["sha256"]:
            problems.append(f"{name} does not match its checksum")
    return problems


def _check_sqlite_copy(path: Path, manifest: dict) -> list[str]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            if conn.scalar(text("PRAGMA integrity_check")) != "ok":
                return ["database.sqlite fails SQLite's integrity check"]
            return _compare_counts(_counts(conn, list(manifest["tables"])), manifest)
    finally:
        engine.dispose()


def _check_pgdump(path: Path) -> list[str]:
    run = subprocess.run([shutil.which("pg_restore") or "pg_restore", "--list", str(path)],  # noqa: S603
                         capture_output=True, text=True, check=False)
    return [] if run.returncode == 0 else [f"pg_restore cannot read the dump: "
                                           f"{run.stderr.strip()[:200]}"]


def _compare_counts(found: dict[str, int], manifest: dict) -> list[str]:
    return [f"{name}: {found.get(name)} rows, the backup recorded {count}"
            for name, count in manifest["tables"].items() if found.get(name) != count]


def verify_backup(path: Path, identities: list[Identity]) -> Checked:
    """Prove a file is complete and readable without restoring it anywhere."""
    try:
        with opened(path, identities) as (manifest, folder):
            problems = _check_members(manifest, folder)
            if not problems and "database.sqlite" in manifest["files"]:
                problems += _check_sqlite_copy(folder / "database.sqlite", manifest)
            if not problems and "database.pgdump" in manifest["files"]:
                problems += _check_pgdump(folder / "database.pgdump")
            return Checked(manifest, problems)
    except BackupError as exc:
        return Checked({}, [str(exc)])


def read_keys(path: Path, identities: list[Identity], passphrase: str) -> dict[str, str]:
    """The data and index keys saved in a backup (only if it was made with a passphrase)."""
    with opened(path, identities) as (manifest, folder):
        if not manifest.get("keys_included"):
            raise BackupError("this backup holds no keys")
        try:
            plain = pyrage.passphrase.decrypt((folder / KEYS_MEMBER).read_bytes(), passphrase)
        except pyrage.DecryptError as exc:
            raise BackupError("wrong passphrase for the keys in this backup") from exc
    return json.loads(plain)


# -- restoring ------------------------------------------------------------------------------

def _is_empty(url: URL) -> bool:
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not path.exists() or path.stat().st_size == 0:
            return True
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def restore_backup(path: Path, identities: list[Identity], target_url: str) -> dict:
    """Restore into an empty database, then check it against the manifest. Returns it."""
    url = make_url(target_url)
    with opened(path, identities) as (manifest, folder):
        problems = _check_members(manifest, folder)
        if problems:
            raise BackupError("; ".join(problems))
        if manifest["dialect"] != url.get_backend_name():
            raise BackupError(f"this backup is of a {manifest['dialect']} database; the target "
                              f"is {url.get_backend_name()}")
        if not _is_empty(url):
            raise BackupError("the target database is not empty: restore only into a new one")
        if manifest["dialect"] == "sqlite":
            target = Path(url.database or "")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / "database.sqlite", target)
            os.chmod(target, 0o600)
        else:
            dsn, env = _libpq(url)
            run = subprocess.run(  # noqa: S603
                [shutil.which("pg_restore") or "pg_restore", "--no-owner", "--no-privileges",
                 "--exit-on-error", "--single-transaction", f"--dbname={dsn}",
                 str(folder / "database.pgdump")],
                env=env, capture_output=True, text=True, check=False)
            if run.returncode != 0:
                raise BackupError(f"pg_restore failed: {run.stderr.strip()[:300]}")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            problems = _compare_counts(_counts(conn, list(manifest["tables"])), manifest)
            if _revision(conn) != manifest["revision"]:
                problems.append("the schema revision differs from the backup's")
    finally:
        engine.dispose()
    if problems:
        raise BackupError("restored, but the check failed: " + "; ".join(problems))
    return manifest


# -- keeping N, and nothing older than the retention allows ---------------------------------

def _made_at(path: Path) -> tuple[datetime, int] | None:
    """When a backup was made, from its name (and its place among those of the same second)."""
    match = NAME.match(path.name)
    if not match:
        return None
    return datetime.strptime(match.group(1), STAMP), int(match.group(2) or 0)


def existing_backups(folder: Path | None = None) -> list[tuple[datetime, Path]]:
    """Backup files in the folder, newest first."""
    folder = folder or backup_dir()
    found = [(made, p) for p in folder.iterdir() if (made := _made_at(p)) is not None]
    return [(made[0], p) for made, p in sorted(found, key=lambda pair: pair[0], reverse=True)]


def longest_retention_days() -> int:
    return max(retention_days(kind) for kind in RETENTION_DEFAULTS)


def prune_backups(folder: Path | None = None, now: datetime | None = None) -> list[Path]:
    """Keep the newest AID_BACKUP_KEEP files; delete any older than the longest retention
    period, so a record purged on schedule does not live on in an old backup."""
    now = now or utcnow()
    keep = max(1, int(current_app.config["BACKUP_KEEP"]))
    cutoff = now - timedelta(days=longest_retention_days())
    deleted = []
    for n, (made, path) in enumerate(existing_backups(folder)):
        if n >= keep or made < cutoff:
            path.unlink(missing_ok=True)
            deleted.append(path)
    if deleted:
        audit.record("backup.pruned", None, None, f"{len(deleted)} files")
        db.session.commit()
    return deleted


def nightly() -> Path | None:
    """The nightly job: a fresh backup (when recipients are set), then pruning."""
    made = create_backup() if current_app.config["BACKUP_RECIPIENTS"].strip() else None
    prune_backups()
    return made
