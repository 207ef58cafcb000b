"""The accounts area's commands: ``piiri admin create-user``, ``set-password``,
``disable-user`` and ``enable-user``."""

from __future__ import annotations

import click
from sqlalchemy import select

from facilitator.cli import admin_app, with_database
from facilitator.models import Role

from .auth import create_user

__all__ = ["create_user_command", "disable_user_command", "enable_user_command",
           "set_password_command"]


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
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    app = admin_app(database, None)  # never a writer of the tables a server may be running
    with app.app_context():
        user = create_user(email, name, password, organisation, Role(role))
    click.echo(f"Created {user.email} ({role}) in '{organisation}'.")


def _change_user(email: str, database: str | None, database_url: str | None,
                 change: str, password: str | None = None) -> None:
    """Find the account by email, change it, and end its sessions where that is the point."""
    from facilitator.dbsession import db
    from facilitator.models import User

    from .auth import end_sessions, hash_password

    app = admin_app(database, database_url)
    with app.app_context():
        user = db().scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise click.ClickException(f"No account has the email {email}.")
        if change == "password":
            assert password is not None
            user.password_hash = hash_password(password)
        user.active = change != "disable"
        if change != "enable":  # a new password or a disabled account: every session ends
            end_sessions(user.id)
        db().commit()


@click.command("set-password")
@click.option("--email", prompt=True)
@click.password_option()
@with_database
def set_password_command(email: str, password: str, database: str | None,
                         database_url: str | None) -> None:
    """Give an account a new password; every session it had is signed out."""
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    _change_user(email, database, database_url, "password", password)
    click.echo(f"New password set for {email}; its sessions were signed out.")


@click.command("disable-user")
@click.option("--email", prompt=True)
@with_database
def disable_user_command(email: str, database: str | None, database_url: str | None) -> None:
    """Stop an account from signing in; every session it had ends at once."""
    _change_user(email, database, database_url, "disable")
    click.echo(f"{email} can no longer sign in; its sessions were signed out.")


@click.command("enable-user")
@click.option("--email", prompt=True)
@with_database
def enable_user_command(email: str, database: str | None, database_url: str | None) -> None:
    """Let a disabled account sign in again (its old sessions stay ended)."""
    _change_user(email, database, database_url, "enable")
    click.echo(f"{email} can sign in again.")
