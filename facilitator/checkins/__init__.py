"""Self-assessment check-ins: forms as content, the round at a live table (a side round of the
hub), sealed answers, the leader's pages and exports, and the key's upkeep."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitator import lazy_exports

if TYPE_CHECKING:
    from .answers import (
        DOMAIN_LABELS,
        GROUP_PROFILE_MIN,
        app_sealer,
        domain_scores,
        forms,
        open_answers,
        open_goal_text,
    )
    from .content import load_checkin_forms
    from .round import CheckinFlow
    from .sealing import KeyConfigError
    from .sheet import FONTS, pdf_sheet
    from .upkeep import check_keys, delete_old_checkins, plan_rotation, rotate_key
    from .words import CONSENT_TEXT_ID, REPORT_CONSENT_IDS

__all__ = [
    "ADMIN_COMMANDS",
    "COMMANDS",
    "CONSENT_TEXT_ID",
    "DOMAIN_LABELS",
    "FONTS",
    "GROUP_PROFILE_MIN",
    "REPORT_CONSENT_IDS",
    "CheckinFlow",
    "KeyConfigError",
    "app_sealer",
    "check_keys",
    "delete_old_checkins",
    "domain_scores",
    "forms",
    "init_app",
    "load_checkin_forms",
    "open_answers",
    "open_goal_text",
    "pdf_sheet",
    "plan_rotation",
    "rotate_key",
]

__getattr__ = lazy_exports(__name__, {
    "app_sealer": ".answers", "FONTS": ".sheet", "pdf_sheet": ".sheet",
    "load_checkin_forms": ".content", "CheckinFlow": ".round",
    "KeyConfigError": ".sealing", "check_keys": ".upkeep", "delete_old_checkins": ".upkeep",
    "plan_rotation": ".upkeep", "rotate_key": ".upkeep", "DOMAIN_LABELS": ".answers",
    "GROUP_PROFILE_MIN": ".answers", "domain_scores": ".answers", "forms": ".answers",
    "open_answers": ".answers", "open_goal_text": ".answers", "CONSENT_TEXT_ID": ".words",
    "REPORT_CONSENT_IDS": ".words",
})


def init_app(app: Any) -> None:
    """Give the hub its check-in side round, and register the leader's check-in pages."""
    from facilitator.accounts import describe_actions

    from . import live_pages, pages
    from .answers import app_sealer
    from .round import CheckinFlow

    app.extensions["piiri.hub"].add_side_round(CheckinFlow(
        app.extensions["piiri.sessionmaker"], lambda: app_sealer(app, create=True),
        retention_months=int(app.config["CHECKIN_RETENTION_MONTHS"])))
    app.register_blueprint(live_pages.bp)
    app.register_blueprint(pages.bp)
    describe_actions(pages.AUDIT_WORDS)


#: This area's commands, by name, as attributes of its ``commands`` module (the ``piiri`` group
#: imports a command's module only when that command runs).
COMMANDS: dict[str, str] = {}
ADMIN_COMMANDS: dict[str, str] = {"rotate-key": "rotate_key_command",
                                  "check-keys": "check_keys_command"}
