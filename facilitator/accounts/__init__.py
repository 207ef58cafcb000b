"""Accounts: sign-in, users and organisations, who may see what, privacy checks on free text,
and the audit log's page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitator import lazy_exports

if TYPE_CHECKING:
    from .access import (
        org_id,
        owned_group,
        owned_meeting,
        owned_member,
        owned_period,
        owned_table,
        requires,
    )
    from .audit import describe_actions
    from .auth import create_user
    from .privacy import (
        erase_member_data,
        looks_like_identity_code,
        member_erasers,
        no_identity_code,
    )

__all__ = [
    "ADMIN_COMMANDS",
    "COMMANDS",
    "create_user",
    "describe_actions",
    "erase_member_data",
    "init_app",
    "looks_like_identity_code",
    "member_erasers",
    "no_identity_code",
    "org_id",
    "owned_group",
    "owned_meeting",
    "owned_member",
    "owned_period",
    "owned_table",
    "requires",
]

__getattr__ = lazy_exports(__name__, {
    "org_id": ".access", "owned_group": ".access", "owned_meeting": ".access",
    "owned_member": ".access", "owned_period": ".access", "owned_table": ".access",
    "requires": ".access", "describe_actions": ".audit", "create_user": ".auth",
    "looks_like_identity_code": ".privacy", "no_identity_code": ".privacy",
    "erase_member_data": ".privacy", "member_erasers": ".privacy",
})


def init_app(app: Any) -> None:
    """Sign-in (Flask-Login), its pages and the audit page."""
    from . import audit, auth

    auth.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(audit.bp)


#: This area's commands, by name, as attributes of its ``commands`` module (the ``piiri`` group
#: imports a command's module only when that command runs).
COMMANDS: dict[str, str] = {}
ADMIN_COMMANDS: dict[str, str] = {"create-user": "create_user_command",
                                  "set-password": "set_password_command",
                                  "disable-user": "disable_user_command",
                                  "enable-user": "enable_user_command"}
