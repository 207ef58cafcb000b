"""A throwaway PostgreSQL server for the test session, and a fresh database per test.

:class:`PostgresServer` runs ``initdb`` into a new temporary directory and starts the server with
``pg_ctl``, listening on a free TCP port on 127.0.0.1 only and on a unix socket inside that
directory, with ``trust`` authentication for the ``postgres`` user and no durability (the data is
thrown away). PostgreSQL refuses to run as root, so under root the directory is given to the
``postgres`` system user (the Debian package makes it) and the binaries run as that user with
``runuser``. :meth:`PostgresServer.stop` stops the server (``pg_ctl stop -m immediate``) and
removes the directory.

The binaries come from ``PIIRI_PG_BINDIR`` if set, else the newest
``/usr/lib/postgresql/<version>/bin`` (Debian), else ``PATH``. Without them the tests that need
PostgreSQL fail, naming the fix: ``make system-packages`` (``make test`` runs it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg

__all__ = ["PostgresServer", "PostgresUnavailable", "find_bindir"]

USER = "postgres"
"""The database superuser the tests connect as (``trust`` authentication, loopback only)."""
SERVER_TIMEZONE = "Europe/Helsinki"
"""Not UTC on purpose: the server hands back times in this zone and Piiri must still read UTC."""


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why and what to do."""


def _version(bindir: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in bindir.parent.name.split("."))
    except ValueError:
        return (0,)


def find_bindir() -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``."""
    given = os.environ.get("PIIRI_PG_BINDIR")
    if given:
        if not (Path(given) / "initdb").exists():
            raise PostgresUnavailable(f"PIIRI_PG_BINDIR={given} has no initdb in it")
        return Path(given)
    debian = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()]
    if debian:
        return max(debian, key=_version)
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or "
        "on PATH. Install them with `make system-packages` (`make test` does), or set "
        "PIIRI_PG_BINDIR to the directory that holds them.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One running PostgreSQL server in a temporary directory."""

    def __init__(self, bindir: Path, root: Path, port: int, as_postgres_user: bool) -> None:
        self.bindir = bindir
        self.root = root
        self.port = port
        self.as_postgres_user = as_postgres_user

    # -- start and stop ---------------------------------------------------------------------

    @classmethod
    def start(cls) -> PostgresServer:
        bindir = find_bindir()
        as_postgres_user = os.geteuid() == 0
        if as_postgres_user:
            try:
                import pwd

                account = pwd.getpwnam(USER)
            except KeyError:
                raise PostgresUnavailable(
                    "running as root, and there is no `postgres` system user to run PostgreSQL "
                    "as (PostgreSQL refuses to run as root); the Debian postgresql package "
                    "makes one: `make system-packages`") from None
        root = Path(tempfile.mkdtemp(prefix="piiri-pg-"))
        try:
            (root / "socket").mkdir()
            if as_postgres_user:
                for path in (root, root / "socket"):
                    os.chown(path, account.pw_uid, account.pw_gid)
            server = cls(bindir, root, _free_port(), as_postgres_user)
            server._initdb()
            for attempt in range(3):
                try:
                    server._pg_ctl_start()
                    break
                except PostgresUnavailable:
                    if attempt == 2:
                        raise
                    server.port = _free_port()  # someone took the port meanwhile
            server._wait_ready()
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        return server

    def stop(self) -> None:
        """Stop the server at once (the data is thrown away) and remove its directory."""
        try:
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w",
                      check=False)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "postgres.log"

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / tool), *args]
        if self.as_postgres_user:
            command = ["runuser", "-u", USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              cwd=self.root, check=False)
        if check and done.returncode != 0:
            raise PostgresUnavailable(f"{tool} failed ({done.returncode}):\n{done.stdout}\n"
                                      f"{done.stderr}\n{self._log_tail()}")
        return done

    def _log_tail(self) -> str:
        try:
            return "postgres.log:\n" + self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def _initdb(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust",
                  "--encoding=UTF8", "--no-locale", "--no-sync")

    def _pg_ctl_start(self) -> None:
        options = " ".join([
            f"-p {self.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.root / 'socket'}",
            f"-c timezone={SERVER_TIMEZONE}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
            "-c max_connections=100",
        ])
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w",
                  "-t", "60", "-o", options)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                with self.admin():
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable("PostgreSQL did not accept connections:\n"
                                              + self._log_tail()) from None
                time.sleep(0.1)

    # -- databases --------------------------------------------------------------------------

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """A connection to the ``postgres`` maintenance database, in autocommit."""
        return psycopg.connect(host="127.0.0.1", port=self.port, user=USER, dbname="postgres",
                               autocommit=True, connect_timeout=10)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        name = f"test_{uuid.uuid4().hex[:12]}"
        with self.admin() as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as db:  # FORCE: a test that left a connection open cannot block it
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """A fresh, empty database for the duration of the block; yields its URL."""
        name = self.create_database()
        try:
            yield self.url(name)
        finally:
            self.drop_database(name)
