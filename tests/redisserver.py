"""A throwaway Redis server for the test session.

:class:`RedisServer` starts ``redis-server`` in a new temporary directory, listening on a free
TCP port on 127.0.0.1 only, with no persistence (no RDB snapshots, no append-only file: the data
is thrown away). :meth:`RedisServer.stop` ends it and removes the directory. Tests keep out of
each other's way with a key prefix of their own (``REDIS_PREFIX``), not a server each.

The binary comes from ``PIIRI_REDIS_SERVER`` if set, else ``PATH``. Without it the tests that
need Redis fail, naming the fix: ``make system-packages`` (``make test`` runs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

__all__ = ["RedisServer", "RedisUnavailable", "find_redis_server"]


class RedisUnavailable(RuntimeError):
    """Redis cannot be started here; the message says why and what to do."""


def find_redis_server() -> Path:
    given = os.environ.get("PIIRI_REDIS_SERVER")
    if given:
        if not Path(given).exists():
            raise RedisUnavailable(f"PIIRI_REDIS_SERVER={given} does not exist")
        return Path(given)
    on_path = shutil.which("redis-server")
    if on_path:
        return Path(on_path)
    raise RedisUnavailable(
        "redis-server not found on PATH. Install it with `make system-packages` (`make test` "
        "does), or set PIIRI_REDIS_SERVER to the binary.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """One running ``redis-server`` in a temporary directory."""

    def __init__(self, process: subprocess.Popen[bytes], root: Path, port: int) -> None:
        self.process = process
        self.root = root
        self.port = port

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log(self) -> Path:
        return self.root / "redis.log"

    @classmethod
    def start(cls) -> RedisServer:
        binary = find_redis_server()
        root = Path(tempfile.mkdtemp(prefix="piiri-redis-"))
        try:
            for attempt in range(3):
                port = _free_port()
                process = subprocess.Popen(
                    [str(binary), "--port", str(port), "--bind", "127.0.0.1",
                     "--dir", str(root), "--save", "", "--appendonly", "no",
                     "--daemonize", "no", "--logfile", str(root / "redis.log"),
                     "--protected-mode", "yes", "--databases", "1"],
                    cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)
                server = cls(process, root, port)
                if server._wait_ready():
                    return server
                server._end_process()
                if attempt == 2:  # someone took the port meanwhile, three times over
                    raise RedisUnavailable("redis-server did not start:\n" + server._log_tail())
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        raise AssertionError("unreachable")

    def _wait_ready(self) -> bool:
        """Whether the server answers PING (False: it exited, e.g. its port was taken)."""
        deadline = time.monotonic() + 30
        while self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return True
            except OSError:
                pass
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return False

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def _end_process(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self) -> None:
        """End the server (its data is thrown away) and remove its directory."""
        try:
            self._end_process()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
