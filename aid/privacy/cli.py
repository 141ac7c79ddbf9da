"""`aid purge`, `aid wipe` and `aid keys rotate`: the shell side of the privacy operations."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from aid.privacy import wipe
from aid.privacy.models import RETENTION_DEFAULTS
from aid.privacy.service import purge_all


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete every record past its retention period (counts only are printed)."""
    counts = purge_all(dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    for kind in RETENTION_DEFAULTS:
        click.echo(f"{kind:<18} {verb} {counts.get(kind, 0)}")


@click.command("wipe")
@click.option("--area", default="", help="Only this area's data (its exact name).")
@click.option("--yes", is_flag=True, help="Required: confirms you mean it. Nothing asks again.")
@with_appcontext
def wipe_command(area: str, yes: bool) -> None:
    """Erase all personal data (every account too), or one area's; keeps only counts."""
    if not yes:
        raise click.ClickException("this erases data for good: run it again with --yes")
    if area:
        ids = [area_id for area_id, name in wipe.areas() if name == area]
        if not ids:
            raise click.ClickException(f"no area named {area!r}")
        counts = wipe.wipe_area(ids[0])
    else:
        counts = wipe.wipe_all()
    for table, rows in counts.items():
        if rows:
            click.echo(f"{table:<24} {rows}")
    click.echo(f"Wiped: {sum(counts.values())} rows.")
