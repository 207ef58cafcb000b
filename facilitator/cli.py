"""The ``piiri`` command."""

from __future__ import annotations

import importlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from engine import ContentError, GameModule, Importer, ModuleError
from engine.content import (
    MAX_FILE_BYTES,
    ContentFile,
    Problem,
    content_root,
    load_content_dir,
    load_content_file,
    texts_in,
)
from engine.registry import available_games, load_game_content
from engine.text import valid_language_tag


class _LazyGroup(click.Group):
    """A command group whose area commands are imported only when they run (or when help lists
    them): ``piiri run`` must monkey-patch for gevent before the app's modules load."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, tuple[str, str]] = {}
        self.more: Callable[[str], click.Command | None] | None = None
        """Finds a command that is none of the others by its name (a game's own); asked only
        then, so that neither help nor a command such as ``piiri run`` loads a game."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attr = self.lazy[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        command = super().get_command(ctx, cmd_name)
        if command is None and self.more is not None:
            command = self.more(cmd_name)
        return command


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
    words = root / "moderation" / "words.yaml"
    if words.exists():
        from engine.content import load_content_file
        from engine.proposals import WordList

        try:
            load_content_file(words, WordList)
        except ContentError as error:
            for problem in error.problems:
                click.echo(f"ERROR {problem}", err=True)
            problems += len(error.problems)
        else:
            click.echo("ok    moderation/words.yaml: the word list that holds proposals back")
    known = {m.content_dir for m in available_games().values() if m.content_dir}
    known.update(("checkins", "moderation"))
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
    """The app the admin commands work on: no timer thread, and not serving, so it never
    writes a table event (a running server is the tables' one writer)."""
    from facilitator.app import create_app

    config: dict[str, Any] = {"TICKS": False, "SERVE": False}
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


# -- the module kit: for developers of activities ------------------------------------------


@main.command("new-game")
@click.argument("name")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write (default: this folder). Inside Piiri's own repository the "
                   "activity goes beside the built-in ones; anywhere else it is a package of "
                   "its own with its pyproject.toml.")
def new_game(name: str, into: Path | None) -> None:
    """Write a working activity NAME to change into your own: its rules, words, content in
    four languages, tests and README."""
    from engine.skeleton import NameProblem
    from engine.skeleton import new_game as write

    try:
        made = write(name, into or Path.cwd())
    except (NameProblem, OSError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    click.echo(made.next_steps())


@main.command("check-game")
@click.argument("name")
@click.option("--screen/--no-screen", "screen", default=True, show_default=True,
              help="Draw every scene offscreen in every language of the content.")
@click.option("--browser", is_flag=True,
              help="Also show every scene on the browser screen and every tablet's controls "
                   "in Chromium, with axe-core's accessibility check (needs Playwright and "
                   "Chromium).")
def check_game(name: str, screen: bool, browser: bool) -> None:
    """Check that the installed activity NAME keeps the rules every activity keeps: seeded
    random sessions at every seat count it takes, pass always offered, refusals change
    nothing, replay and JSON give the same table, no typed text in facts, content valid, and
    every scene fits the shared screen. Exit 1 on any failure."""
    from engine.registry import UnknownGame, find_game
    from engine.testing import check_module

    try:
        module = find_game(name)
    except (UnknownGame, ModuleError, ImportError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    extra: dict[str, Any] = {}
    if browser:
        from facilitator.live import browser_check

        extra["browser"] = browser_check(name)
    report = check_module(module, screen=screen, **extra)
    click.echo(report.text())
    sys.exit(0 if report.ok else 1)


# -- each game's own commands: content written with other tools ----------------------------


def _game_command(name: str) -> click.Command | None:
    """``piiri <game> import FILE``, for an installed game that has importers."""
    try:
        module = available_games().get(name)
    except (ModuleError, ImportError):  # a broken game is named by 'piiri content check'
        return None
    if module is None or not module.importers:
        return None
    return _game_group(module)


def _game_group(module: GameModule[Any]) -> click.Group:
    group = click.Group(module.id, help=f"The activity '{module.id}' "
                                         f"({module.title.pick('en')}): bring in content "
                                         "written with other tools.")
    described: dict[str, list[str]] = {}
    for suffix, importer in sorted(module.importers.items()):
        described.setdefault(importer.description, []).append(suffix)
    kinds = "; ".join(" or ".join(suffixes) + (f": {what}" if what else "")
                      for what, suffixes in described.items())

    @group.command("import", help=(
        f"Make a content file of '{module.id}' from SOURCE ({kinds}), in one language, and "
        "check it as 'piiri content check' does. Every note names SOURCE's line; exit 1 on "
        "any error, and then nothing is written."))
    @click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="Where to write (default: the game's content folder).")
    @click.option("--lang", default="fi", show_default=True,
                  help="The language SOURCE is written in.")
    @click.option("--replace", is_flag=True,
                  help="Write over a file that is there (languages added to it are lost).")
    def import_command(source: Path, out: Path | None, lang: str, replace: bool) -> None:
        sys.exit(_import(module, source, out, lang, replace))

    return group


def _say(where: Path, line: int | None, severity: str, message: str) -> None:
    click.echo(f"{where}:{line}: {severity}: {message}" if line else
               f"{where}: {severity}: {message}", err=True)


def _import(module: GameModule[Any], source: Path, out: Path | None, language: str,
            replace: bool) -> int:
    """Run ``piiri <game> import``; the exit status."""
    importer = module.importers.get(source.suffix.lower())
    if importer is None:
        known = ", ".join(sorted(module.importers))
        _say(source, None, "error", f"'piiri {module.id} import' reads {known} files")
        return 1
    if not valid_language_tag(language):
        _say(source, None, "error", f"'{language}' is not a language tag (for example fi, "
                                    "sv, en or fi-x-selko)")
        return 1
    text = _read_source(source)
    if text is None:
        return 1
    result = importer.convert(text, source.name, language)
    for note in result.notes:
        _say(source, note.line, note.severity, note.message)
    errors = sum(1 for note in result.notes if note.severity == "error")
    if errors or not result.text:
        click.echo(f"{max(errors, 1)} error(s): nothing was written.", err=True)
        return 1
    root = content_root()
    target = out or root / (module.content_dir or "") / importer.folder / f"{result.name}.yaml"
    refused = _refused_target(module, target, root, replace)
    if refused is not None:
        _say(target, None, "error", refused)
        return 1
    problems = _write_checked(module, importer, result.text, target, root)
    for problem in problems:
        line = result.source_lines.get(problem.line or 0)
        field = f"{problem.field}: " if problem.field else ""
        if line:
            _say(source, line, "error", f"{field}{problem.message} (in the story file made "
                                        f"from it, line {problem.line})")
        else:
            _say(target, problem.line, "error", f"{field}{problem.message}")
    if problems:
        click.echo(f"{len(problems)} error(s): nothing was written.", err=True)
        return 1
    warnings = len(result.notes)
    click.echo(f"Wrote {target}: it passes the content check"
               + (f"; {warnings} warning(s) above." if warnings else ".")
               + f" It is in {language} only: add the other languages beside it.")
    folder = root / (module.content_dir or "")
    if not _inside(target, folder):
        click.echo(f"It is outside the content folder, so it was checked on its own: move it "
                   f"into {folder / importer.folder} and run 'piiri content check'.")
    return 0


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _refused_target(module: GameModule[Any], target: Path, root: Path,
                    replace: bool) -> str | None:
    """Why the import may not write ``target``, in one sentence, or ``None``."""
    if target.suffix.lower() not in (".yaml", ".yml"):
        return "a content file's name ends in .yaml"
    if target.is_symlink():  # writing would go to wherever the link points
        return ("this is a link to another file; give the file itself (or a new name) as "
                "--out")
    if _inside(target, root) and not _inside(target, root / (module.content_dir or "")):
        return (f"this is inside Piiri's content folder but outside {module.content_dir}/, "
                "where another activity would read it; leave out --out, or give a place in "
                f"{root / (module.content_dir or '')}")
    if target.exists():
        if not target.is_file():
            return "this is not an ordinary file; give another --out"
        if not replace:
            return ("the file is already there, perhaps with languages added to it; write "
                    "with --replace to write over it, or give another --out")
    return None


def _read_source(path: Path) -> str | None:
    """The text of a source file, read only if it is an ordinary UTF-8 file of at most
    ``MAX_FILE_BYTES`` (``None``, said why, if not)."""
    limit = f"{MAX_FILE_BYTES // (1024 * 1024)} MB"
    try:
        facts = path.stat()
        if not stat.S_ISREG(facts.st_mode):  # a named pipe would wait for a writer
            _say(path, None, "error", "this is not an ordinary file")
            return None
        if facts.st_size > MAX_FILE_BYTES:
            _say(path, None, "error", f"the file is larger than {limit}, the most Piiri reads")
            return None
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        _say(path, None, "error", f"the file cannot be read ({error.strerror or error})")
        return None
    if len(raw) > MAX_FILE_BYTES:
        _say(path, None, "error", f"the file is larger than {limit}, the most Piiri reads")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        _say(path, line, "error", "the file is not UTF-8 text (perhaps Windows-1252 or "
                                  "another old encoding): save it as UTF-8 and try again")
        return None


def _write_checked(module: GameModule[Any], importer: Importer, text: str, target: Path,
                   root: Path) -> list[Problem]:
    """Write ``text`` to ``target`` if it passes the content check, else leave ``target`` as
    it was; the problems found. Checked first as a file of its own (beside the target, under a
    name the content loader skips), then, inside the game's content folder, with the others."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A new file of its own (never one that is there, nor a link someone left there).
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".importing",
                                        dir=target.parent)
        trial = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        mask = os.umask(0o022)
        os.umask(mask)
        trial.chmod(0o666 & ~mask)  # as any file written here (mkstemp makes it private)
    except OSError as error:
        return [Problem(str(target), None, "", f"cannot be written ({error.strerror or error})")]
    try:
        load_content_file(trial, importer.file_type, root)
    except ContentError as error:
        trial.unlink(missing_ok=True)
        return error.problems
    before = target.read_bytes() if target.exists() else None
    os.replace(trial, target)
    folder = root / (module.content_dir or "")
    if module.content_type is None or not target.resolve().is_relative_to(folder.resolve()):
        return []
    try:
        load_content_dir(folder, module.content_type, root)
    except ContentError as error:
        mine = [p for p in error.problems if _same_file(p.file, target, root)]
        if mine:
            if before is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(before)
        return mine
    return []


def _same_file(shown: str, target: Path, root: Path) -> bool:
    return any((base / shown).resolve() == target.resolve() for base in (root.parent, Path()))


main.more = _game_command
main.epilog = ("An activity may have commands of its own, such as 'piiri <activity> import "
               "FILE' to bring in content written with other tools (see the README).")
_register()

if __name__ == "__main__":  # pragma: no cover
    main()
