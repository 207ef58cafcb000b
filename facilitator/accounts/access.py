"""Who may see what: every page works inside the signed-in user's organisation.

A record of another organisation answers 404, exactly like one that does not exist, so a
leader cannot even learn that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import select

from facilitator.dbsession import db
from facilitator.models import Group, Meeting, Member, Period, Role, TableOwner

__all__ = ["org_id", "owned_group", "owned_meeting", "owned_member", "owned_period",
           "owned_table", "requires"]

F = TypeVar("F", bound=Callable[..., Any])


def requires(role: Role) -> Callable[[F], F]:
    """Sign-in required, with at least ``role``'s powers (else 403)."""
    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.can(role):
                abort(403)
            return view(*args, **kwargs)
        return wrapper  # type: ignore[return-value]
    return decorate


def org_id() -> int:
    return int(current_user.organisation_id)


def owned_group(group_id: int) -> Group:
    group = db().scalar(select(Group).where(Group.id == group_id,
                                            Group.organisation_id == org_id()))
    if group is None:
        abort(404)
    return group


def owned_member(member_id: int) -> Member:
    member = db().scalar(select(Member).join(Group).where(
        Member.id == member_id, Group.organisation_id == org_id()))
    if member is None:
        abort(404)
    return member


def owned_period(period_id: int) -> Period:
    period = db().scalar(select(Period).join(Group).where(
        Period.id == period_id, Group.organisation_id == org_id()))
    if period is None:
        abort(404)
    return period


def owned_meeting(meeting_id: int) -> Meeting:
    meeting = db().scalar(select(Meeting).join(Period).join(Group).where(
        Meeting.id == meeting_id, Group.organisation_id == org_id()))
    if meeting is None:
        abort(404)
    return meeting


def owned_table(table_id: str) -> TableOwner:
    owner = db().get(TableOwner, table_id)
    if owner is None or owner.organisation_id != org_id():
        abort(404)
    return owner
