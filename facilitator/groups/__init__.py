"""Groups: pseudonymous members, periods and planned meetings, a meeting's lifecycle (planned,
running, ended, closed) and starting its table, the roll call and its locked record with
corrections, exports for a client plan, retention."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitator import lazy_exports

if TYPE_CHECKING:
    from .lifecycle import STATE_WORDS, Step, mark_ended, open_meeting_table, steps
    from .meetings import ACTIVITY_WORDS, ATTENDANCE_WORDS, meeting_notes
    from .records import ACTIVITY_KINDS, contributions_of
    from .retention import apply_retention
    from .routes import OFFLINE_NAMES, restore_rosters

__all__ = [
    "ACTIVITY_KINDS",
    "ACTIVITY_WORDS",
    "ADMIN_COMMANDS",
    "ATTENDANCE_WORDS",
    "COMMANDS",
    "OFFLINE_NAMES",
    "STATE_WORDS",
    "Step",
    "apply_retention",
    "contributions_of",
    "init_app",
    "mark_ended",
    "meeting_notes",
    "open_meeting_table",
    "restore_rosters",
    "steps",
]

__getattr__ = lazy_exports(__name__, {
    "meeting_notes": ".meetings", "apply_retention": ".retention",
    "restore_rosters": ".routes", "open_meeting_table": ".lifecycle",
    "mark_ended": ".lifecycle", "steps": ".lifecycle", "Step": ".lifecycle",
    "STATE_WORDS": ".lifecycle", "OFFLINE_NAMES": ".routes", "ATTENDANCE_WORDS": ".meetings",
    "ACTIVITY_WORDS": ".meetings", "ACTIVITY_KINDS": ".records", "contributions_of": ".records",
})


def init_app(app: Any) -> None:
    """Register the groups' and meetings' pages, and give the live tables their rosters back."""
    from facilitator.accounts import describe_actions

    from . import exports, meetings, routes  # noqa: F401  (exports adds routes to meetings.bp)

    app.register_blueprint(routes.bp)
    app.register_blueprint(meetings.bp)
    describe_actions(meetings.AUDIT_WORDS)
    with app.app_context():  # the session is closed when this context ends
        routes.restore_rosters(app.extensions["piiri.hub"])


#: This area's commands, by name, as attributes of its ``commands`` module (the ``piiri`` group
#: imports a command's module only when that command runs).
COMMANDS: dict[str, str] = {}
ADMIN_COMMANDS: dict[str, str] = {"retention": "retention_command"}
