"""The ``piiri`` command."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from engine import ContentError
from engine.content import ContentFile, content_root, texts_in
from engine.registry import available_games, load_game_content


class _LazyGroup(click.Group):
    """A command group whose area commands are imported only when they run (or when help lists
    them): ``piiri run`` must monkey-patch for gevent before the app's modules load."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, tuple[str, str]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attr = self.lazy[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup)
@click.version_option(package_name="piiri")
def main() -> None:
    """Piiri: group activities for social rehabilitation groups."""


@main.group()
def content() -> None:
    """Check and inspect content (cards, prompts, rooms, stories, check-in forms)."""


@content.command("check")
def content_check() -> None:
    """Validate all content; list every problem with its file and line; exit 1 if any."""
    root = content_root()
    problems = 0
    for game_id, module in sorted(available_games().items()):
        if module.content_type is None:
            continue
        try:
            loaded = load_game_content(game_id)
        except ContentError as error:
            for problem in error.problems:
                click.echo(f"ERROR {problem}", err=True)
            problems += len(error.problems)
            continue
        for name, review, texts in _files(loaded):
            status = ", ".join(f"{lang} {state}" for lang, state in review.items())
            click.echo(f"ok    {module.content_dir}/{name}: {texts} texts; {status}")
    from facilitator.checkins import load_checkin_forms  # not needed by other commands

    try:
        forms = load_checkin_forms(root)
    except ContentError as error:
        for problem in error.problems:
            click.echo(f"ERROR {problem}", err=True)
        problems += len(error.problems)
    else:
        for name, review, texts in _files(forms.root, "checkins/"):
            status = ", ".join(f"{lang} {state}" for lang, state in review.items())
            click.echo(f"ok    {name}: {texts} texts; {status}")
    known = {m.content_dir for m in available_games().values() if m.content_dir}
    known.add("checkins")
    folders = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))]
    for folder in sorted(folders):
        if folder.name not in known:
            click.echo(f"note  {folder.name}/: no installed game or form uses this folder yet")
    if problems:
        click.echo(f"{problems} problem(s) found. Nothing was changed.", err=True)
        sys.exit(1)
    click.echo("All content is valid.")


def _files(loaded: Any, prefix: str = "") -> list[tuple[str, dict[str, str], int]]:
    """Each content file in a loaded content model (folders are mappings), with its review
    status and how many texts it holds."""
    items = loaded.items() if isinstance(loaded, dict) else (
        (name, getattr(loaded, name)) for name in type(loaded).model_fields)
    out = []
    for name, value in items:
        if isinstance(value, ContentFile):
            review = {lang: state.value for lang, state in value.translations.items()}
            out.append((f"{prefix}{name}.yaml", review, sum(1 for _ in texts_in(value))))
        elif isinstance(value, dict):
            out.extend(_files(value, f"{prefix}{name}/"))
    return out


@main.group(cls=_LazyGroup)
def admin() -> None:
    """Accounts and upkeep for the organisation's administrator."""


def admin_app(database: str | None, database_url: str | None) -> Any:
    """The app the admin commands work on (no timer thread)."""
    from facilitator.app import create_app

    config: dict[str, Any] = {"TICKS": False}
    if database:
        config["DATABASE"] = database
    if database_url:
        config["DATABASE_URL"] = database_url
    return create_app(config)


_database_options = [
    click.option("--database", default=None,
                 help="SQLite file (default: instance/piiri.sqlite3)."),
    click.option("--database-url", default=None, help="A SQLAlchemy URL (e.g. PostgreSQL)."),
]


def with_database(command: Any) -> Any:
    for option in reversed(_database_options):
        command = option(command)
    return command



def _register() -> None:
    """Each area's commands on the one ``piiri`` group."""
    from facilitator import accounts, checkins, groups, live

    for area in (live, groups, checkins, accounts):
        for name, attr in area.COMMANDS.items():
            main.lazy[name] = (f"{area.__name__}.commands", attr)
        for name, attr in area.ADMIN_COMMANDS.items():
            admin.lazy[name] = (f"{area.__name__}.commands", attr)


_register()

if __name__ == "__main__":  # pragma: no cover
    main()
