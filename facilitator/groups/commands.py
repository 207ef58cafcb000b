"""The groups area's commands: ``piiri admin retention``."""

from __future__ import annotations

import click

from facilitator.checkins import delete_old_checkins
from facilitator.cli import admin_app, with_database
from facilitator.dbsession import db

from .retention import apply_retention

__all__ = ["retention_command"]


@click.command("retention")
@click.option("--months", type=click.IntRange(1, 240), required=True,
              help="Keep event logs and records this many months after they ended.")
@click.option("--checkin-months", type=click.IntRange(1, 240), default=None,
              envvar="PIIRI_CHECKIN_RETENTION_MONTHS", show_envvar=True,
              help="Keep check-in answers, goals and consents this many months after their "
                   "period ended (default: the server's CHECKIN_RETENTION_MONTHS, 12: the "
                   "time participants are told when they give consent).")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@with_database
def retention_command(months: int, checkin_months: int | None, dry_run: bool,
                      database: str | None, database_url: str | None) -> None:
    """Delete old event logs, records and check-ins (schedule it).

    The audit log is kept."""
    app = admin_app(database, database_url)
    checkin_months = checkin_months or app.config.get("CHECKIN_RETENTION_MONTHS") or months
    with app.app_context():
        removed = apply_retention(db(), months, dry_run=dry_run)
        checkins = delete_old_checkins(db(), int(checkin_months), dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} {removed.tables} table logs ({removed.events} events) and "
               f"{removed.records} participation records older than {months} months.")
    click.echo(f"{verb} {removed.feedback} feedback totals and {removed.observations} "
               f"observations of periods that ended over {months} months ago.")
    click.echo(f"{verb} {removed.made_versions} versions of groups' own content (drafts) "
               f"older than {months} months.")
    click.echo(f"{verb} {checkins.answers} check-in answers ({checkins.rounds} rounds), "
               f"{checkins.consents} consents and {checkins.goals} goals older than "
               f"{checkin_months} months.")
    if dry_run:
        click.echo("Dry run: nothing was deleted.")
