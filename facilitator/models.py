"""The panel's records: organisations, leaders, groups of pseudonymous members, periods and
their meetings, which live table a meeting ran, and the audit trail.

Isolation is by organisation: every query a leader's page makes goes through the leader's
organisation (see :mod:`facilitator.accounts.access`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.db import Base, UTCDateTime

__all__ = [
    "AttendanceRecord",
    "AuditEntry",
    "CheckinAnswer",
    "CheckinConsent",
    "CheckinGoal",
    "CheckinKind",
    "CheckinRound",
    "Group",
    "Meeting",
    "MeetingNote",
    "MeetingStatus",
    "Member",
    "Organisation",
    "Period",
    "RecordCorrection",
    "Role",
    "TableOwner",
    "User",
]


def _now() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    admin = "admin"
    """Runs the organisation's accounts; sees the audit log."""
    leader = "leader"
    """A group leader: groups, records, check-ins."""
    cofacilitator = "cofacilitator"
    """A peer or experience expert who runs the table, never sees check-ins or notes."""


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default=Role.leader.value)
    lang: Mapped[str] = mapped_column(String(12), default="fi")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    #: Moved on by signing out, a new password or disabling the account: a session that
    #: began in an older epoch is no longer accepted (see facilitator.accounts.auth).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    organisation: Mapped[Organisation] = relationship()

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def can(self, need: Role) -> bool:
        """Whether this user has at least the powers of ``need``."""
        order = [Role.cofacilitator, Role.leader, Role.admin]
        return order.index(Role(self.role)) >= order.index(need)


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(400), default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    members: Mapped[list[Member]] = relationship(back_populates="group",
                                                 order_by="Member.nickname")
    periods: Mapped[list[Period]] = relationship(back_populates="group",
                                                 order_by="Period.starts_on")


class Member(Base):
    """A participant, known only by a nickname the group uses (a pseudonym)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    nickname: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    group: Mapped[Group] = relationship(back_populates="members")


class Period(Base):
    """A rehabilitation period (jakso) of a group, with its planned meetings."""

    __tablename__ = "periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    group: Mapped[Group] = relationship(back_populates="periods")
    meetings: Mapped[list[Meeting]] = relationship(back_populates="period",
                                                   order_by="Meeting.starts_at")


class MeetingStatus(StrEnum):
    """A meeting's one lifecycle: planned → running → ended → closed (its record is kept).

    Closed is final: no table is opened for a closed meeting and its record is never reopened;
    a change after that is a :class:`RecordCorrection`. An ended meeting may get another table
    (the laptop died), which adds to the same meeting's evidence."""

    planned = "planned"
    live = "live"
    """Running: a table of the meeting is open."""
    ended = "ended"
    """The game is over; the roll call is the next step."""
    closed = "closed"
    """The roll call is saved: the record is locked."""


#: Offline activities a leader records by hand.
OFFLINE_ACTIVITIES = ("social_circus", "geocaching", "billiards", "film_group", "walk",
                      "board_games", "console_games", "other")


class Meeting(Base):
    """One planned meeting: when, its theme, and what the group will do."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    theme: Mapped[str] = mapped_column(String(200), default="")
    game: Mapped[str | None] = mapped_column(String(40), nullable=True)
    game_options: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    offline_activity: Mapped[str | None] = mapped_column(String(40), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default=MeetingStatus.planned.value)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    period: Mapped[Period] = relationship(back_populates="meetings")


class TableOwner(Base):
    """Which organisation (and meeting, if any) a live table belongs to."""

    __tablename__ = "table_owners"

    table_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), nullable=True,
                                                   index=True)
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class AuditEntry(Base):
    """Who viewed or exported which member's records, and when. Kept without content."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class AttendanceRecord(Base):
    """One member at one meeting, as the leader closed it. Frozen once the meeting is closed:
    later changes are :class:`RecordCorrection` rows on top, with who and why.

    One row per member per meeting: the database refuses a second (a unique index, so that
    SQLite adds it without rebuilding the table that corrections point to)."""

    __tablename__ = "attendance_records"
    __table_args__ = (Index("uq_attendance_records_meeting_member", "meeting_id", "member_id",
                            unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    attendance: Mapped[str] = mapped_column(String(12))
    turns: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[int] = mapped_column(Integer, default=0)
    votes: Mapped[int] = mapped_column(Integer, default=0)
    reactions: Mapped[int] = mapped_column(Integer, default=0)
    clues: Mapped[int] = mapped_column(Integer, default=0)
    proposals: Mapped[int] = mapped_column(Integer, default=0)
    proposals_accepted: Mapped[int] = mapped_column(Integer, default=0)
    """Of ``proposals``, those the leader accepted (never their text)."""
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)

    member: Mapped[Member] = relationship()
    corrections: Mapped[list[RecordCorrection]] = relationship(
        back_populates="record", order_by="RecordCorrection.at")

    def current(self, name: str) -> object:
        """A field's value with every correction applied, the latest last."""
        value: object = getattr(self, name)
        for correction in self.corrections:
            if correction.field == name:
                value = correction.new_value
        return value


class RecordCorrection(Base):
    __tablename__ = "record_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("attendance_records.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[str] = mapped_column(String(40))
    new_value: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(300))
    by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)

    record: Mapped[AttendanceRecord] = relationship(back_populates="corrections")


class MeetingNote(Base):
    """A leader's short note during or after a meeting. Co-facilitators never see notes."""

    __tablename__ = "meeting_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    author: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    text: Mapped[str] = mapped_column(String(1000))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


# -- check-ins -------------------------------------------------------------------------------
#
# Answers never enter a table's event log (that log is append-only and could not be erased);
# they live here, each value sealed with the check-in key (see facilitator.checkins.sealing),
# which is kept outside the database and the instance folder: a copied database reveals no answer.


class CheckinKind(StrEnum):
    start = "start"
    mid = "mid"
    end = "end"
    free = "free"


class CheckinRound(Base):
    """One check-in round the leader ran for a group, usually at a meeting's live table."""

    __tablename__ = "checkin_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    period_id: Mapped[int | None] = mapped_column(ForeignKey("periods.id"), nullable=True,
                                                  index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), nullable=True,
                                                   index=True)
    table_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    form_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)


class CheckinConsent(Base):
    """A member's consent in one round, to the exact wording ``text_id`` shown on the tablet.
    Withdrawing it deletes the round's answers and keeps this row (when, not what)."""

    __tablename__ = "checkin_consents"
    __table_args__ = (UniqueConstraint("round_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("checkin_rounds.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    text_id: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CheckinAnswer(Base):
    """One answered item. ``sealed`` is the encrypted value; a skipped item has no row."""

    __tablename__ = "checkin_answers"
    __table_args__ = (UniqueConstraint("round_id", "member_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("checkin_rounds.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(64))
    domain: Mapped[str] = mapped_column(String(20))
    sealed: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class CheckinGoal(Base):
    """A goal the member and the leader set together, linked to a life domain, with a
    follow-up note. Both texts are sealed like answers."""

    __tablename__ = "checkin_goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    period_id: Mapped[int | None] = mapped_column(ForeignKey("periods.id"), nullable=True,
                                                  index=True)
    domain: Mapped[str] = mapped_column(String(20))
    sealed_text: Mapped[str] = mapped_column(Text)
    sealed_follow_up: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
