"""The audit log's pages: who viewed, exported or erased which member's data, and when.

Each area says what its audit codes mean with :func:`describe_actions`; the codes themselves
stay in the log, so a changed wording never rewrites history. A client may ask who has
processed their data (Client Data Act 703/2023): :func:`member_access` lists every entry about
one member over any span, printable, and records that it was looked at.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from facilitator.dbsession import db
from facilitator.i18n import local_to_utc
from facilitator.models import AuditEntry, Group, Member, Role, User

from .access import org_id, requires

__all__ = ["AUDIT_WORDS", "bp", "describe_actions"]

bp = Blueprint("accounts", __name__, url_prefix="/panel", template_folder="templates")

_WORDS: dict[str, Any] = {}

#: This area's own audit codes.
AUDIT_WORDS = {"view_access_log": lazy_gettext("Viewed who has processed a member's data")}


def describe_actions(words: Mapping[str, Any]) -> None:
    """Register what audit codes mean (lazy strings, shown in the reader's language)."""
    _WORDS.update(words)


describe_actions(AUDIT_WORDS)


def _users() -> dict[int, str]:
    return {u.id: u.name for u in db().scalars(select(User).where(
        User.organisation_id == org_id()))}


@bp.get("/audit")
@requires(Role.admin)
def audit() -> str:
    """Who viewed or exported which member's records, and when (admins only)."""
    entries = list(db().scalars(select(AuditEntry).where(AuditEntry.organisation_id == org_id())
                                .order_by(AuditEntry.at.desc()).limit(500)))
    members = {m.id: m.nickname for m in db().scalars(select(Member).where(
        Member.id.in_([e.member_id for e in entries if e.member_id is not None])))}
    return render_template("accounts/audit.html", entries=entries, users=_users(),
                           members=members, audit_words=dict(_WORDS))


def _day(name: str) -> date | None:
    """A day from the query (``2026-10-24``), None when not given; ValueError when unreadable."""
    raw = (request.args.get(name) or "").strip()
    return date.fromisoformat(raw) if raw else None


@bp.get("/audit/members/<int:member_id>")
@requires(Role.admin)
def member_access(member_id: int) -> Any:
    """Every access to one member's data (views, exports, check-in reads, erasures), oldest
    first, over the chosen days (Helsinki time; default: all), for the client who asks. The
    look itself is logged."""
    member = db().scalar(select(Member).join(Group).where(
        Member.id == member_id, Group.organisation_id == org_id()))
    about = select(AuditEntry).where(AuditEntry.organisation_id == org_id(),
                                     AuditEntry.member_id == member_id)
    if member is None and db().scalar(about.limit(1)) is None:
        abort(404)  # neither a member nor a trace of one in this organisation
    error = None
    try:
        first, last = _day("from"), _day("to")
    except ValueError:
        first = last = None
        error = gettext("Write the days as on a calendar, for example 2026-10-24.")
    if error is None and first and last and first > last:
        error = gettext("The first day is after the last day.")
    shown = {"from": request.args.get("from", ""), "to": request.args.get("to", "")}
    name = member.nickname if member is not None else f"#{member_id}"
    if error is not None:
        page = render_template("accounts/member_access.html", member=member, name=name,
                               entries=[], error=error, span=shown, users={}, audit_words={},
                               now=datetime.now(UTC))
        return page, 400
    span = f"{first or '…'} – {last or '…'}"
    db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id),
                        action="view_access_log", member_id=member_id, detail=span))
    db().commit()
    if first is not None:
        about = about.where(AuditEntry.at >= local_to_utc(first, time(0)))
    if last is not None:
        about = about.where(AuditEntry.at < local_to_utc(last + timedelta(days=1), time(0)))
    entries = list(db().scalars(about.order_by(AuditEntry.at, AuditEntry.id)))
    return render_template("accounts/member_access.html", member=member, name=name,
                           entries=entries, error=None, span=shown, users=_users(),
                           audit_words=dict(_WORDS), now=datetime.now(UTC))
