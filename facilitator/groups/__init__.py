"""Groups: pseudonymous members, periods and planned meetings, starting a meeting's table, the
roll call and its locked record with corrections, exports for a client plan, retention."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitator import lazy_exports

if TYPE_CHECKING:
    from .meetings import meeting_notes
    from .retention import apply_retention
    from .routes import open_meeting_table, restore_rosters

__all__ = [
    "ADMIN_COMMANDS",
    "COMMANDS",
    "apply_retention",
    "init_app",
    "meeting_notes",
    "open_meeting_table",
    "restore_rosters",
]

__getattr__ = lazy_exports(__name__, {
    "meeting_notes": ".meetings", "apply_retention": ".retention",
    "open_meeting_table": ".routes", "restore_rosters": ".routes",
})


def init_app(app: Any) -> None:
    """Register the groups' and meetings' pages, and give the live tables their rosters back."""
    from facilitator.accounts import describe_actions

    from . import meetings, routes

    app.register_blueprint(routes.bp)
    app.register_blueprint(meetings.bp)
    describe_actions(meetings.AUDIT_WORDS)
    with app.app_context():  # the session is closed when this context ends
        routes.restore_rosters(app.extensions["piiri.hub"])


#: This area's commands, by name, as attributes of its ``commands`` module (the ``piiri`` group
#: imports a command's module only when that command runs).
COMMANDS: dict[str, str] = {}
ADMIN_COMMANDS: dict[str, str] = {"retention": "retention_command"}
