"""Live tables: the hub that applies every action and fans views out, the WebSocket endpoint,
storage of tables and their event logs, room codes, the tablet and browser-screen pages, and
the leader's pages for running a table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitator import lazy_exports

if TYPE_CHECKING:
    from .gameforms import FormField, fields_for, parse_form
    from .hub import Connection, Hub, LiveTable, Replayed
    from .sideround import SideRound, SideStep
    from .storage import (
        LiveTableRow,
        SeatTokenRow,
        SeqConflict,
        SnapshotRow,
        SqlStore,
        Store,
        TableEventRow,
    )

__all__ = [
    "ADMIN_COMMANDS",
    "COMMANDS",
    "Connection",
    "FormField",
    "Hub",
    "LiveTable",
    "LiveTableRow",
    "Replayed",
    "SeatTokenRow",
    "SeqConflict",
    "SideRound",
    "SideStep",
    "SnapshotRow",
    "SqlStore",
    "Store",
    "TableEventRow",
    "fields_for",
    "init_app",
    "parse_form",
]

__getattr__ = lazy_exports(__name__, {
    "Connection": ".hub", "Hub": ".hub", "LiveTable": ".hub", "Replayed": ".hub",
    "SideRound": ".sideround", "SideStep": ".sideround",
    "LiveTableRow": ".storage", "SeatTokenRow": ".storage", "SeqConflict": ".storage",
    "SnapshotRow": ".storage", "SqlStore": ".storage", "Store": ".storage",
    "TableEventRow": ".storage",
    "FormField": ".gameforms", "fields_for": ".gameforms", "parse_form": ".gameforms",
})


def init_app(app: Any) -> None:
    """Register the tablet, screen and WebSocket endpoints and the leader's table pages."""
    from . import media, sockets, tables

    sockets.sock.init_app(app)
    app.register_blueprint(sockets.bp)
    app.register_blueprint(tables.bp)
    app.register_blueprint(media.bp)


#: This area's commands, by name, as attributes of its ``commands`` module (the ``piiri`` group
#: imports a command's module only when that command runs).
COMMANDS: dict[str, str] = {"run": "run", "screen": "screen", "doctor": "doctor",
                            "simulate": "simulate"}
ADMIN_COMMANDS: dict[str, str] = {}
