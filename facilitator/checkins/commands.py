"""The check-in area's commands: ``piiri admin rotate-key`` and ``check-keys``."""

from __future__ import annotations

import sys

import click

from facilitator.cli import admin_app, with_database

from .sealing import KeyConfigError
from .upkeep import check_keys, plan_rotation, rotate_key

__all__ = ["check_keys_command", "rotate_key_command"]


def _key_problem(error: Exception) -> click.ClickException:
    return click.ClickException(f"{error}. Nothing was changed.")


@click.command("rotate-key")
@with_database
@click.option("--yes", is_flag=True,
              help="Do not ask: Piiri is stopped and the new key will be kept safe.")
def rotate_key_command(database: str | None, database_url: str | None, yes: bool) -> None:
    """Change the check-in key and re-seal every answer and goal.

    The old key is retired once nothing needs it. Stop Piiri first: a running Piiri keeps
    using the old key."""
    app = admin_app(database, database_url)
    try:
        plan = plan_rotation(app.config, app.instance_path)
    except KeyConfigError as error:
        raise _key_problem(error) from None
    if plan.key_file is None:
        click.echo("The check-in keys come from CHECKIN_KEYS / PIIRI_CHECKIN_KEYS, which Piiri "
                   "cannot change itself.\nThe new check-in key is:\n")
        click.echo(f"    {plan.new_key}\n")
        click.echo("Save it in a safe place (the organisation's password manager) now: after "
                   "the re-seal, the answers open only with it.")
    else:
        click.echo(f"The check-in keys are in {plan.key_file}.")
    if not yes:
        click.confirm("Piiri must be stopped while the key changes. Is it stopped, and shall "
                      "every answer and goal be re-sealed with the new key?", abort=True)
    try:
        result = rotate_key(app.extensions["piiri.engine"], app.config, app.instance_path,
                            key=plan.new_key)
    except KeyConfigError as error:
        raise _key_problem(error) from None
    parts = ", ".join(f"{count} {kind}" for kind, count in result.resealed.items())
    click.echo(f"Re-sealed with the new key: {parts}.")
    if result.unreadable:
        listed = "; ".join(str(u) for u in result.unreadable[:20])
        more = f" and {len(result.unreadable) - 20} more" if len(result.unreadable) > 20 else ""
        click.echo(f"{len(result.unreadable)} value(s) could not be opened with any configured "
                   f"key and were left as they were: {listed}{more}.", err=True)
    if result.still_on_old_keys:
        where = (f"The old key stays in {result.key_file}" if result.key_file else
                 "Do not remove the old key: set PIIRI_CHECKIN_KEYS to the new key, a comma "
                 "and the old key")
        click.echo(f"{result.still_on_old_keys} value(s) were written with the old key while "
                   f"the key changed (is Piiri still running?). {where}, so that nothing is "
                   "lost; stop Piiri and run this command again.", err=True)
        sys.exit(1)
    if result.key_file is None:
        click.echo("Now:\n"
                   "  1. Replace the value of PIIRI_CHECKIN_KEYS (or CHECKIN_KEYS) with the new "
                   "key above, and nothing else.\n"
                   "  2. Start Piiri again and run `piiri admin check-keys`.\n"
                   "Keep the old key until check-keys says every value opens with the newest "
                   "key; then delete it.")
    else:
        click.echo(f"{result.key_file} now holds only the new key. Copy it to your safe place "
                   "now (the old copy no longer opens anything), then start Piiri again.")


@click.command("check-keys")
@with_database
def check_keys_command(database: str | None, database_url: str | None) -> None:
    """Check that the check-in keys open every answer and goal.

    Exits with 1 if any value cannot be opened."""
    app = admin_app(database, database_url)
    try:
        found = check_keys(app.extensions["piiri.engine"], app.config, app.instance_path)
    except KeyConfigError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{found.keys} check-in key(s) configured.")
    for kind, opened in found.kinds.items():
        line = f"{kind.capitalize()}: {opened.total}, {opened.newest} open with the newest key"
        if opened.older:
            line += f", {opened.older} only with an older key"
        if opened.unreadable:
            line += f", {opened.unreadable} cannot be opened"
        click.echo(line + ".")
    if found.unreadable:
        listed = "; ".join(str(u) for u in found.unreadable[:20])
        click.echo(f"{len(found.unreadable)} value(s) cannot be opened with the configured "
                   f"keys: {listed}. Is a key missing?", err=True)
        sys.exit(1)
    if found.older:
        click.echo("Every value opens, some only with an older key: keep that key, or run "
                   "`piiri admin rotate-key`.")
    else:
        click.echo(f"All {found.total} sealed values open with the newest key.")
