"""The ``piiri`` command."""

from __future__ import annotations

import random
import sys
from collections import Counter
from typing import Any

import click

from engine import ContentError, Event, TableStatus
from engine.content import ContentFile, content_root, texts_in
from engine.registry import available_games, find_game, load_game_content
from engine.testing import SimulatedTable


@click.group()
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
    from .checkin_forms import load_checkin_forms

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


@main.command()
@click.option("--game", default="circle", show_default=True, help="Which activity to play.")
@click.option("--seats", default=4, show_default=True, type=click.IntRange(1, 12))
@click.option("--seed", type=int, default=None, help="Seed for a repeatable game.")
@click.option("--lang", default="fi", show_default=True, help="Language to print in.")
def simulate(game: str, seats: int, seed: int | None, lang: str) -> None:
    """Play a table with simulated seats and print its event log."""
    module = find_game(game)
    seed = seed if seed is not None else random.SystemRandom().randrange(1 << 31)
    sim = SimulatedTable(module, load_game_content(game), seed=seed)
    names = sim.join_many(seats)
    sim.start()
    click.echo(f"{module.title.pick(lang)} — {seats} seats, seed {seed}")
    step = 0

    def policy(s: SimulatedTable, seat: str) -> None:
        nonlocal step
        step += 1
        if step % 5 == 0:
            s.pass_turn(seat)
            return
        others = [n for n in names if n != seat]
        if others and step % 3 == 0:
            s.move(others[0], "react", value="heart")
        s.move(seat, "done")

    sim.play(policy)
    for event in sim.log:
        click.echo(_describe(event, sim, lang))
    assert sim.status is TableStatus.ended
    counts = Counter(f.kind for e in sim.log for f in e.facts)
    click.echo(f"{len(sim.log)} events; turns taken {counts['turn_taken']}, "
               f"passed {counts['turn_passed']}, reactions {counts['reaction_sent']}.")
    replayed = sim.assert_replays()
    click.echo(f"Replay of the log gives the same table: {replayed.fingerprint()[:16]}")


def _describe(event: Event, sim: SimulatedTable, lang: str) -> str:
    names = {s.id: s.nickname for s in sim.table.meta.seats}
    action = event.action
    who = getattr(action, "seat", None)
    head = f"{event.seq:4d} {action.at:%H:%M:%S} {action.type:<8} {names.get(who or '', '')}"
    facts = ", ".join(
        f.kind + (f"({names.get(f.seat, f.seat)})" if f.seat else "")
        + (f" {f.data['card']}" if "card" in f.data else "")
        for f in event.facts)
    return f"{head:<34} {facts}"


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--public-url", default=None,
              help="Address the QR code carries (default: this laptop's LAN address).")
@click.option("--database", default=None, help="SQLite file (default: instance/piiri.sqlite3).")
@click.option("--demo", is_flag=True, help="Start with a table of the warm-up activity open.")
@click.option("--screen/--no-screen", "show_screen", default=None,
              help="Open the shared screen (default: with --demo). Without a display, the "
                   "browser screen's address is printed instead.")
@click.option("--lang", default="fi", show_default=True, help="The shared screen's language.")
@click.option("--server", "server_kind", type=click.Choice(["auto", "gevent", "threads"]),
              default="auto", show_default=True,
              help="gevent holds thousands of tablets cheaply; threads needs nothing extra.")
def run(host: str, port: int, public_url: str | None, database: str | None, demo: bool,
        show_screen: bool | None, lang: str, server_kind: str) -> None:
    """Run Piiri on this laptop: panel, tablet pages and WebSockets in one process."""
    if server_kind != "threads":
        try:
            from gevent import monkey
        except ImportError:
            if server_kind == "gevent":
                raise click.UsageError("gevent is not installed: pip install gevent") from None
            server_kind = "threads"
        else:
            monkey.patch_all()
            server_kind = "gevent"
    from .app import create_app
    from .network import lan_address

    public = (public_url or f"http://{lan_address()}:{port}").rstrip("/")
    config: dict[str, Any] = {"PUBLIC_URL": public}
    if database:
        config["DATABASE"] = database
    app = create_app(config)
    hub = app.extensions["piiri.hub"]
    click.echo(f"Piiri is running. Leader's panel: {public}/panel/")
    if demo:
        from .demo import own_demo_table, seed_demo

        email, password = seed_demo(app)
        if password:
            click.echo(f"Demo leader: {email} / {password}  (demo data only)")
        else:
            click.echo(f"Demo leader: {email} (password printed on the first demo run)")
        live = hub.create_table("circle", {"rounds": 2})
        own_demo_table(app, live.table_id)
        click.echo(f"Demo table open. Room code {live.code}; "
                   f"tablets join at {public}/j/{live.code}")
    open_tables = [t for t in hub.tables() if t.table.status.value != "ended"]
    for live in open_tables:
        click.echo(f"Open table {live.code}: {public}/j/{live.code}")
    screen = None
    if (demo if show_screen is None else show_screen) and open_tables:
        screen = _start_screen(port, open_tables[-1].code, public, lang)
    try:
        if server_kind == "gevent":
            from gevent.pywsgi import WSGIServer

            WSGIServer((host, port), app, log=None).serve_forever()
        else:
            from werkzeug.serving import run_simple

            run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if screen is not None:
            screen.terminate()


def has_display() -> bool:
    """Whether a window can be opened here (Windows and macOS always have a desktop)."""
    import os

    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _start_screen(port: int, code: str, public: str, lang: str) -> Any:
    """The pygame shared screen as a child process, or the browser screen's address."""
    import subprocess

    if not has_display():
        click.echo(f"No display here: open the shared screen in a browser at "
                   f"{public}/screen/{code}?lang={lang}")
        return None
    click.echo(f"Opening the shared screen for {code} (F11: full screen).")
    # The screen connects like any other client; a crash there never stops the server.
    return subprocess.Popen([sys.executable, "-m", "engine.screen", f"http://127.0.0.1:{port}",
                             code, "--lang", lang])


@main.group()
def admin() -> None:
    """Accounts and upkeep for the organisation's administrator."""


@admin.command("create-user")
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
    from .app import create_app
    from .auth import create_user
    from .models import Role

    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    app = create_app({"DATABASE": database} if database else {"TICKS": False})
    with app.app_context():
        user = create_user(email, name, password, organisation, Role(role))
    click.echo(f"Created {user.email} ({role}) in '{organisation}'.")


def _admin_app(database: str | None, database_url: str | None) -> Any:
    """The app the admin commands work on (no timer thread)."""
    from .app import create_app

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


def _with_database(command: Any) -> Any:
    for option in reversed(_database_options):
        command = option(command)
    return command


@admin.command("retention")
@click.option("--months", type=click.IntRange(1, 240), required=True,
              help="Keep event logs and records this many months after they ended.")
@click.option("--checkin-months", type=click.IntRange(1, 240), default=None,
              envvar="PIIRI_CHECKIN_RETENTION_MONTHS", show_envvar=True,
              help="Keep check-in answers, goals and consents this many months after their "
                   "period ended (default: the server's CHECKIN_RETENTION_MONTHS, 12: the "
                   "time participants are told when they give consent).")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
@_with_database
def retention_command(months: int, checkin_months: int | None, dry_run: bool,
                      database: str | None, database_url: str | None) -> None:
    """Delete old event logs, records and check-ins (schedule it).

    The audit log is kept."""
    from .checkin_admin import delete_old_checkins
    from .dbsession import db
    from .retention import apply_retention

    app = _admin_app(database, database_url)
    checkin_months = checkin_months or app.config.get("CHECKIN_RETENTION_MONTHS") or months
    with app.app_context():
        removed = apply_retention(db(), months, dry_run=dry_run)
        checkins = delete_old_checkins(db(), int(checkin_months), dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} {removed.tables} table logs ({removed.events} events) and "
               f"{removed.records} participation records older than {months} months.")
    click.echo(f"{verb} {checkins.answers} check-in answers ({checkins.rounds} rounds), "
               f"{checkins.consents} consents and {checkins.goals} goals older than "
               f"{checkin_months} months.")
    if dry_run:
        click.echo("Dry run: nothing was deleted.")


def _key_problem(error: Exception) -> click.ClickException:
    return click.ClickException(f"{error}. Nothing was changed.")


@admin.command("rotate-key")
@_with_database
@click.option("--yes", is_flag=True,
              help="Do not ask: Piiri is stopped and the new key will be kept safe.")
def rotate_key_command(database: str | None, database_url: str | None, yes: bool) -> None:
    """Change the check-in key and re-seal every answer and goal.

    The old key is retired once nothing needs it. Stop Piiri first: a running Piiri keeps
    using the old key."""
    from .checkin_admin import plan_rotation, rotate_key
    from .sealing import KeyConfigError

    app = _admin_app(database, database_url)
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


@admin.command("check-keys")
@_with_database
def check_keys_command(database: str | None, database_url: str | None) -> None:
    """Check that the check-in keys open every answer and goal.

    Exits with 1 if any value cannot be opened."""
    from .checkin_admin import check_keys
    from .sealing import KeyConfigError

    app = _admin_app(database, database_url)
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


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def screen(args: tuple[str, ...]) -> None:
    """Show a room on this computer's screen or projector:
    piiri screen URL [ROOM] [--lang fi] [--fullscreen] [--display N] [--high-contrast]
    [--large-text] [--reduced-motion]"""
    from engine.screen.client import main as screen_main

    sys.exit(screen_main(list(args)))


@main.command()
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--wait", default=60, show_default=True, type=int,
              help="Seconds to wait for a phone to open the test page (0: skip).")
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True)
def doctor(port: int, wait: int, lang: str) -> None:
    """Check that tablets will be able to reach this laptop, and say what to do if not."""
    import qrcode

    from .doctor import address_check, port_check, wait_for_device

    address, url = address_check(lang, port)
    click.echo(("✓ " if address.ok else "✗ ") + address.text)
    free = port_check(lang, port)
    click.echo(("✓ " if free.ok else "✗ ") + free.text)
    if not free.ok or wait <= 0:
        sys.exit(0 if address.ok and free.ok else 1)
    import threading

    ready = threading.Event()
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(
        wait_for_device(lang, port, wait, announce=ready)), daemon=True)
    worker.start()
    ready.wait(5)
    test_url = url + getattr(ready, "path", "")
    from .doctor import words

    click.echo(words("open_on_phone", lang))
    click.echo(f"  {test_url}")
    code = qrcode.QRCode(border=1)
    code.add_data(test_url)
    code.print_ascii(out=sys.stdout)
    worker.join(wait + 5)
    check = result[0][0] if result else None
    if check is None:
        sys.exit(1)
    click.echo(("✓ " if check.ok else "✗ ") + check.text)
    sys.exit(0 if check.ok and address.ok else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
