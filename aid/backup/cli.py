"""`aid backup create|verify|restore|keys`: encrypted backups from the shell."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from aid.backup import service
from aid.backup.service import BackupError

identity_option = click.option(
    "--identity", "-i", "identity", required=True, type=click.Path(exists=True, dir_okay=False),
    help="The age identity (private key) file the backup was encrypted to.")


def _passphrase(prompt: str, twice: bool) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(f"{prompt}: ")
        if twice and getpass.getpass("Again: ") != first:
            raise click.ClickException("the two passphrases differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _identities(path: str) -> list[service.Identity]:
    try:
        return service.read_identities(Path(path).read_text())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("backup", help="Encrypted backups (age format).")
def backup_group() -> None:
    pass


@backup_group.command("create")
@click.option("--with-keys", is_flag=True,
              help="Also save the data and index keys, encrypted with a passphrase you type.")
@with_appcontext
def backup_create(with_keys: bool) -> None:
    """Write an encrypted snapshot of the database into AID_BACKUP_DIR."""
    passphrase = None
    if with_keys:
        passphrase = _passphrase("Passphrase for the keys", twice=True)
        if len(passphrase) < 12:
            raise click.ClickException("the keys' passphrase must be at least 12 characters")
    try:
        path = service.create_backup(keys_passphrase=passphrase)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written: {path}")
    deleted = service.prune_backups()
    if deleted:
        click.echo(f"Deleted {len(deleted)} old backups.")


@backup_group.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@identity_option
@with_appcontext
def backup_verify(file: str, identity: str) -> None:
    """Prove a backup file is complete and readable, without restoring it."""
    checked = service.verify_backup(Path(file), _identities(identity))
    if not checked.ok:
        raise click.ClickException("NOT usable: " + "; ".join(checked.problems))
    rows = sum(checked.manifest["tables"].values())
    keys = "with keys" if checked.manifest["keys_included"] else "without keys"
    click.echo(f"OK: {checked.manifest['dialect']} backup of {checked.manifest['created_at']}, "
               f"{rows} rows, {keys}.")


@backup_group.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@identity_option
@click.option("--database-url", default="",
              help="The empty database to restore into (default: AID_DATABASE_URL).")
@with_appcontext
def backup_restore(file: str, identity: str, database_url: str) -> None:
    """Restore a backup into an empty database and check every table's row count."""
    target = database_url or current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        manifest = service.restore_backup(Path(file), _identities(identity), target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored and checked: {sum(manifest['tables'].values())} rows in "
               f"{len(manifest['tables'])} tables.")
    if manifest["keys_included"]:
        click.echo("The backup holds the keys too: `aid backup keys FILE -i IDENTITY`.")


@backup_group.command("keys")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@identity_option
@with_appcontext
def backup_keys(file: str, identity: str) -> None:
    """Print the data and index keys saved in a backup (asks for their passphrase)."""
    try:
        keys = service.read_keys(Path(file), _identities(identity),
                                 _passphrase("Passphrase for the keys", twice=False))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    for name, value in keys.items():
        click.echo(f"{name}={value}")
