"""The group's own content in the database (created by the migration 0011_made_content).

A made deck or set of questions has versions: each change (an accepted proposal, a leader's
edit, an import) writes a new version with who changed what and when, and versions are never
changed afterwards. A table played with made content records which version it used
(:class:`MadeTable`), so a later edit never changes how an old table replays.

Credits live apart from the versions: a maker is named only when they chose so on their own
tablet, by the name they used, and erasing a member deletes their credits.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.db import Base, UTCDateTime

__all__ = ["MadeContent", "MadeCredit", "MadeTable", "MadeVersion"]


def _now() -> datetime:
    return datetime.now(UTC)


class MadeContent(Base):
    """One group's own content file for one activity (a deck of cards, a set of questions)."""

    __tablename__ = "made_contents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    game: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(12))
    version: Mapped[int] = mapped_column(Integer, default=0)
    """The latest version."""
    workshop_table: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    """The workshop table whose accepted proposals are added to it, if any."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class MadeVersion(Base):
    """One version of made content: its items, and who changed what, when."""

    __tablename__ = "made_versions"
    __table_args__ = (UniqueConstraint("content_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("made_contents.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The items (cards, questions) as the activity's content model holds them."""
    change: Mapped[str] = mapped_column(String(200), default="")
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)


class MadeCredit(Base):
    """A maker named with one item, by their own choice on their own tablet."""

    __tablename__ = "made_credits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("made_contents.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), nullable=True,
                                                  index=True)


class MadeTable(Base):
    """A table played with made content, and the version it was made with."""

    __tablename__ = "made_tables"

    table_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("made_contents.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
