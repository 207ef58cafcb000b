"""The audit log's page: who viewed, exported or erased which member's data, and when.

Each area says what its audit codes mean with :func:`describe_actions`; the codes themselves
stay in the log, so a changed wording never rewrites history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import select

from facilitator.dbsession import db
from facilitator.models import AuditEntry, Member, Role, User

from .access import org_id, requires

__all__ = ["bp", "describe_actions"]

bp = Blueprint("accounts", __name__, url_prefix="/panel", template_folder="templates")

_WORDS: dict[str, Any] = {}


def describe_actions(words: Mapping[str, Any]) -> None:
    """Register what audit codes mean (lazy strings, shown in the reader's language)."""
    _WORDS.update(words)


@bp.get("/audit")
@requires(Role.admin)
def audit() -> str:
    """Who viewed or exported which member's records, and when (admins only)."""
    entries = list(db().scalars(select(AuditEntry).where(AuditEntry.organisation_id == org_id())
                                .order_by(AuditEntry.at.desc()).limit(500)))
    users = {u.id: u.name for u in db().scalars(select(User).where(
        User.organisation_id == org_id()))}
    members = {m.id: m.nickname for m in db().scalars(select(Member).where(
        Member.id.in_([e.member_id for e in entries if e.member_id is not None])))}
    return render_template("accounts/audit.html", entries=entries, users=users, members=members,
                           audit_words=dict(_WORDS))
