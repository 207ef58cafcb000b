"""The accounts area's commands: ``piiri admin create-user``."""

from __future__ import annotations

import click

from facilitator.models import Role

from .auth import create_user

__all__ = ["create_user_command"]


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--organisation", prompt=True, help="An existing or a new organisation's name.")
@click.option("--role", type=click.Choice(["admin", "leader", "cofacilitator"]),
              default="leader", show_default=True)
@click.option("--database", default=None, help="SQLite file (default: instance/piiri.sqlite3).")
@click.password_option()
def create_user_command(email: str, name: str, organisation: str, role: str,
                        database: str | None, password: str) -> None:
    """Create a leader's account."""
    from facilitator.app import create_app  # late: see facilitator.cli

    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    app = create_app({"DATABASE": database} if database else {"TICKS": False})
    with app.app_context():
        user = create_user(email, name, password, organisation, Role(role))
    click.echo(f"Created {user.email} ({role}) in '{organisation}'.")
