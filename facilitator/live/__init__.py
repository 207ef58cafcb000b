"""Live tables: the hub that applies every action and fans views out, the WebSocket endpoint,
storage of tables and their event logs, room codes, the tablet and browser-screen pages, and
the leader's pages for running a table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitator import lazy_exports

if TYPE_CHECKING:
    from .cluster import cluster_wanted
    from .followup import FollowUpError, carry_over, owned_like
    from .gameforms import FormField, fields_for, parse_form
    from .hub import Connection, Hub, LiveTable, Replayed
    from .keepsake import shared_summaries
    from .kitbrowser import browser_check
    from .leases import TableLeases
    from .sealed import (
        PrivateValueRow,
        PrivateVault,
        delete_private_of,
        erase_member_private,
        forget_member_private,
    )
    from .shared import MemoryStore, RedisStore, SharedStore, StoreUnavailable, shared_store
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
    "FollowUpError",
    "FormField",
    "Hub",
    "LiveTable",
    "LiveTableRow",
    "MemoryStore",
    "PrivateValueRow",
    "PrivateVault",
    "RedisStore",
    "Replayed",
    "SeatTokenRow",
    "SeqConflict",
    "SharedStore",
    "SideRound",
    "SideStep",
    "SnapshotRow",
    "SqlStore",
    "Store",
    "StoreUnavailable",
    "TableEventRow",
    "TableLeases",
    "browser_check",
    "carry_over",
    "cluster_wanted",
    "delete_private_of",
    "erase_member_private",
    "fields_for",
    "forget_member_private",
    "init_app",
    "owned_like",
    "parse_form",
    "settle_heap",
    "shared_store",
    "shared_summaries",
]

__getattr__ = lazy_exports(__name__, {
    "Connection": ".hub", "Hub": ".hub", "LiveTable": ".hub", "Replayed": ".hub",
    "SideRound": ".sideround", "SideStep": ".sideround",
    "LiveTableRow": ".storage", "SeatTokenRow": ".storage", "SeqConflict": ".storage",
    "SnapshotRow": ".storage", "SqlStore": ".storage", "Store": ".storage",
    "TableEventRow": ".storage",
    "FormField": ".gameforms", "fields_for": ".gameforms", "parse_form": ".gameforms",
    "PrivateValueRow": ".sealed", "PrivateVault": ".sealed",
    "delete_private_of": ".sealed", "erase_member_private": ".sealed",
    "forget_member_private": ".sealed", "shared_summaries": ".keepsake",
    "browser_check": ".kitbrowser",
    "FollowUpError": ".followup", "carry_over": ".followup", "owned_like": ".followup",
    "MemoryStore": ".shared", "RedisStore": ".shared", "SharedStore": ".shared",
    "shared_store": ".shared", "TableLeases": ".leases", "cluster_wanted": ".cluster",
    "StoreUnavailable": ".shared",  # (issue 21: sign-in tells the leader Redis is away)
    "settle_heap": ".memory",
})


def init_app(app: Any) -> None:
    """Register the tablet, screen and WebSocket endpoints and the leader's table pages."""
    from . import activities, media, sockets, tables
    from .limits import LiveLimits
    from .shared import shared_store

    # Rate limits in the store the server's processes share (Redis with REDIS_URL).
    app.extensions.setdefault("piiri.live_limits",
                              LiveLimits(app.config, shared=shared_store(app)))
    sockets.sock.init_app(app)
    app.register_blueprint(sockets.bp)
    app.register_blueprint(tables.bp)
    app.register_blueprint(media.bp)
    _use_vault(app)
    from .audience import install as install_audience

    install_audience(app)
    app.register_blueprint(activities.bp)
    from .keepsake import init_keepsakes

    init_keepsakes(app)
    from .cluster import cluster_wanted

    if cluster_wanted(app.config):  # several processes on PostgreSQL and Redis
        from .cluster import install

        install(app)


def _use_vault(app: Any) -> None:
    """Keep moves' private values sealed with the check-in key, and give them back to the
    tables the hub has already resumed (it resumes before the areas are set up)."""
    from facilitator.checkins import app_sealer

    from .sealed import PrivateVault

    hub = app.extensions["piiri.hub"]
    hub.vault = PrivateVault(app.extensions["piiri.engine"],
                             lambda: app_sealer(app, create=True))
    for live in hub.tables():
        values = hub.vault.load(live.table_id)
        if values:
            with live.lock:
                live.table = live.table.with_private(values)


#: This area's commands, by name, as attributes of its ``commands`` module (the ``piiri`` group
#: imports a command's module only when that command runs).
COMMANDS: dict[str, str] = {"run": "run", "serve": "serve", "screen": "screen",
                            "doctor": "doctor", "simulate": "simulate"}
ADMIN_COMMANDS: dict[str, str] = {}
