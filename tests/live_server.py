"""A real Piiri server on a loopback port, in a background thread, for protocol and browser
tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from facilitator.app import create_app
from facilitator.live.hub import Hub


class LiveServer:
    def __init__(self, database: Path, **config: Any) -> None:
        self.database = database
        self.config = config
        self.server: BaseWSGIServer | None = None
        self.thread: threading.Thread | None = None
        self.port = 0

    def start(self, port: int = 0) -> LiveServer:
        app = create_app({"DATABASE": str(self.database), "SECRET_KEY": "test-secret",
                          "TICKS": False, **self.config})
        self.app = app
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.port = self.server.server_port
        self.hub.public_url = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            for live in self.hub.tables():  # a stopped process drops every connection
                for conn in [*live.seats.values(), *live.screens]:
                    with suppress(Exception):
                        conn.close()
            self.server.shutdown()
            self.server.server_close()
            self.app.extensions["piiri.store"].close()
            self.server = None

    def restart(self) -> LiveServer:
        """Stop and start again on the same port, reading the same database."""
        port = self.port
        self.stop()
        return self.start(port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def hub(self) -> Hub:
        found: Hub = self.app.extensions["piiri.hub"]
        return found


@contextmanager
def running(database: Path, **config: Any) -> Iterator[LiveServer]:
    server = LiveServer(database, **config).start()
    try:
        yield server
    finally:
        server.stop()
