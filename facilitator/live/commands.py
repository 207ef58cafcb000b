"""The live area's commands: ``piiri run``, ``screen``, ``doctor`` and ``simulate``.

The app is imported inside ``run``: it must monkey-patch for gevent before anything imports
threads, sockets or TLS.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
from collections import Counter
from typing import Any

import click
import qrcode

from engine import Event, TableStatus
from engine.kit import play_randomly
from engine.registry import UnknownGame, find_game, load_game_content
from engine.testing import SimulatedTable

from .network import lan_address

__all__ = ["doctor", "has_display", "run", "screen", "serve", "simulate"]


@click.command()
@click.option("--game", default="circle", show_default=True, help="Which activity to play.")
@click.option("--seats", default=4, show_default=True, type=click.IntRange(1, 12))
@click.option("--seed", type=int, default=None, help="Seed for a repeatable game.")
@click.option("--lang", default="fi", show_default=True, help="Language to print in.")
@click.option("--actions", default=400, show_default=True, type=click.IntRange(1, 10_000),
              help="At most this many actions; then the leader ends the table.")
def simulate(game: str, seats: int, seed: int | None, lang: str, actions: int) -> None:
    """Play a table with simulated seats and print its event log."""
    try:
        module = find_game(game)
    except UnknownGame as error:
        raise click.ClickException(str(error)) from None
    seats = max(module.min_seats, min(module.max_seats, seats))
    seed = seed if seed is not None else random.SystemRandom().randrange(1 << 31)
    sim = SimulatedTable(module, load_game_content(game), seed=seed)
    sim.join_many(seats)
    sim.start()
    click.echo(f"{module.title.pick(lang)} — {seats} seats, seed {seed}")
    # What each tablet shows decides what is tapped, so every installed activity plays here
    # (the circle's turns, Elämän värit's board, a free escape room, a story's votes).
    sent = play_randomly(sim, random.Random(seed), actions=actions)
    ended_by_leader = sim.status is not TableStatus.ended
    if ended_by_leader:
        sim.end()
    for event in sim.log:
        click.echo(_describe(event, sim, lang))
    counts = Counter(f.kind for e in sim.log for f in e.facts)
    if ended_by_leader:
        click.echo(f"The game had not ended after {actions} actions: the leader ended it."
                   if sent >= actions else
                   "Nobody had anything more to do (the game waits for its leader): the "
                   "leader ended the table.")
    common = ", ".join(f"{kind} {n}" for kind, n in counts.most_common(6))
    click.echo(f"{len(sim.log)} events; turns taken {counts['turn_taken']}, "
               f"passed {counts['turn_passed']}, reactions {counts['reaction_sent']}. "
               f"Most frequent facts: {common}.")
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


@click.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--public-url", default=None,
              help="Address the QR code carries (default: this laptop's LAN address).")
@click.option("--database", default=None, help="SQLite file (default: instance/piiri.sqlite3).")
@click.option("--demo", is_flag=True,
              help="Start with demo data and the demo meeting's table open.")
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
    from facilitator.app import create_app

    public = (public_url or f"http://{lan_address()}:{port}").rstrip("/")
    config: dict[str, Any] = {"PUBLIC_URL": public}
    if database:
        config["DATABASE"] = database
    app = create_app(config)
    hub = app.extensions["piiri.hub"]
    click.echo(f"Piiri is running. Leader's panel: {public}/panel/")
    if demo:
        from facilitator.demo import open_demo_table, seed_demo

        email, password = seed_demo(app)
        if password:
            click.echo(f"Demo leader: {email} / {password}  (demo data only)")
        else:
            click.echo(f"Demo leader: {email} (password printed on the first demo run)")
        live = open_demo_table(app)
        if live is not None:
            click.echo(f"Demo meeting's table open. Room code {live.code}; "
                       f"tablets join at {public}/j/{live.code}")
    open_tables = [t for t in hub.tables() if t.table.status.value != "ended"]
    for live in open_tables:
        click.echo(f"Open table {live.code}: {public}/j/{live.code}")
    screen = None
    if (demo if show_screen is None else show_screen) and open_tables:
        screen = _start_screen(port, open_tables[-1].code, public, lang)
    from .memory import settle_heap

    settle_heap()
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


@click.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes on the one port (above 1: PostgreSQL and Redis).")
@click.option("--database-url", envvar="PIIRI_DATABASE_URL", default=None,
              help="The database every process shares, e.g. postgresql+psycopg://… "
                   "(default: PIIRI_DATABASE_URL, else the SQLite file in instance/).")
@click.option("--redis-url", envvar="PIIRI_REDIS_URL", default=None,
              help="The Redis every process shares, e.g. redis://cache:6379/0 (default: "
                   "PIIRI_REDIS_URL). With it, tables are owned, forwarded and taken over "
                   "across processes (and across hosts running the same command).")
@click.option("--public-url", default=None, help="Address the QR code carries.")
@click.option("--reuse-port", is_flag=True, hidden=True,
              help="Share the port with other processes (a worker of --workers N).")
def serve(host: str, port: int, workers: int, database_url: str | None, redis_url: str | None,
          public_url: str | None, reuse_port: bool) -> None:
    """Run Piiri as a server: N gevent processes on one port (SO_REUSEPORT: the kernel
    spreads connections over them), sharing PostgreSQL and Redis. A worker that dies is
    started again; its tables are taken over by the others meanwhile.

    Every process must share the session key: PIIRI_SECRET_KEY, else instance/secret_key."""
    if workers > 1 and not redis_url:
        raise click.UsageError("--workers above 1 needs --redis-url (or PIIRI_REDIS_URL): the "
                               "processes share their tables through Redis.")
    if (workers > 1 or redis_url) and not (database_url or "").startswith("postgresql"):
        raise click.UsageError("Several processes need PostgreSQL: give --database-url "
                               "postgresql+psycopg://… (or PIIRI_DATABASE_URL).")
    if workers == 1:
        _serve_one(host, port, database_url, redis_url, public_url, reuse_port)
        return
    from facilitator.db import make_engine, upgrade

    assert database_url is not None
    engine = make_engine(database_url)
    upgrade(engine)  # once, before the workers start (they would race to migrate)
    engine.dispose()
    args = [sys.executable, "-c", "from facilitator.cli import main; main()", "serve",
            "--host", host, "--port", str(port), "--workers", "1", "--reuse-port",
            "--database-url", database_url, "--redis-url", str(redis_url)]
    if public_url:
        args += ["--public-url", public_url]
    _supervise(args, workers)


def _supervise(args: list[str], workers: int) -> None:
    """Keep ``workers`` processes running ``args`` until this one is stopped."""
    import signal
    import time

    stopping = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    children = [subprocess.Popen(args) for _ in range(workers)]
    click.echo(f"Piiri is running as {workers} processes: "
               + ", ".join(str(c.pid) for c in children))
    try:
        while not stopping.wait(0.5):
            for i, child in enumerate(children):
                if child.poll() is not None:
                    click.echo(f"process {child.pid} ended ({child.returncode}): starting "
                               "another", err=True)
                    time.sleep(0.5)
                    children[i] = subprocess.Popen(args)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


def serve_config(port: int, database_url: str | None, redis_url: str | None,
                 public_url: str | None, environ: dict[str, str] | None = None,
                 ) -> dict[str, Any]:
    """A ``piiri serve`` process's configuration: the same ``PIIRI_*`` settings as the WSGI
    entry (proxy, origins, cookies, secret key…), with the command's own options winning."""
    from facilitator.app import config_from_env

    config: dict[str, Any] = config_from_env(environ)
    config["PUBLIC_URL"] = (public_url or config.get("PUBLIC_URL")
                            or f"http://{lan_address()}:{port}").rstrip("/")
    if database_url:
        config["DATABASE_URL"] = database_url
    if redis_url:
        config.update(REDIS_URL=redis_url, CLUSTER=True)
    return config


def _serve_one(host: str, port: int, database_url: str | None, redis_url: str | None,
               public_url: str | None, reuse_port: bool) -> None:
    """One gevent server process."""
    from gevent import monkey

    monkey.patch_all()
    import socket

    from gevent.pywsgi import WSGIServer

    from facilitator.app import create_app

    config = serve_config(port, database_url, redis_url, public_url)
    public = config["PUBLIC_URL"]
    app = create_app(config)
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind((host, port))
    listener.listen(1024)
    click.echo(f"Piiri process {os.getpid()} is listening on {host}:{port}. "
               f"Leader's panel: {public}/panel/")
    server = WSGIServer(listener, app, log=None)

    def stop(signum: int, frame: Any) -> None:
        server.stop(timeout=2)

    import signal

    signal.signal(signal.SIGTERM, stop)
    from .memory import settle_heap

    settle_heap()
    try:
        server.serve_forever()
    finally:
        cluster = app.extensions.get("piiri.cluster")
        if cluster is not None:
            cluster.close()


def has_display() -> bool:
    """Whether a window can be opened here (Windows and macOS always have a desktop)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _start_screen(port: int, code: str, public: str, lang: str) -> Any:
    """The pygame shared screen as a child process, or the browser screen's address."""
    if not has_display():
        click.echo(f"No display here: open the shared screen in a browser at "
                   f"{public}/screen/{code}?lang={lang}")
        return None
    click.echo(f"Opening the shared screen for {code} (F11: full screen).")
    # The screen connects like any other client; a crash there never stops the server.
    return subprocess.Popen([sys.executable, "-m", "engine.screen", f"http://127.0.0.1:{port}",
                             code, "--lang", lang])


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def screen(args: tuple[str, ...]) -> None:
    """Show a room on this computer's screen or projector:
    piiri screen URL [ROOM] [--lang fi] [--fullscreen] [--display N] [--high-contrast]
    [--large-text] [--reduced-motion]"""
    from engine.screen.client import main as screen_main

    sys.exit(screen_main(list(args)))


@click.command()
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--wait", default=60, show_default=True, type=int,
              help="Seconds to wait for a phone to open the test page (0: skip).")
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True)
def doctor(port: int, wait: int, lang: str) -> None:
    """Check that tablets will be able to reach this laptop, and say what to do if not."""
    # Not at the top: its HTTP server imports TLS, which ``run`` must patch for gevent first.
    from .doctor import address_check, port_check, wait_for_device, words

    address, url = address_check(lang, port)
    click.echo(("✓ " if address.ok else "✗ ") + address.text)
    free = port_check(lang, port)
    click.echo(("✓ " if free.ok else "✗ ") + free.text)
    if not free.ok or wait <= 0:
        sys.exit(0 if address.ok and free.ok else 1)
    ready = threading.Event()
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(
        wait_for_device(lang, port, wait, announce=ready)), daemon=True)
    worker.start()
    ready.wait(5)
    test_url = url + getattr(ready, "path", "")
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
