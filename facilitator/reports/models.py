"""The group's feedback at the end of a meeting, as totals only (created by the migration
0008_feedback_totals).

There is no row per person, by design: a tablet's answer is added to the counts of its table's
round and forgotten. Words are kept as a list without any seat or member, each put in at a
random place, so not even their order tells who wrote which.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.db import Base, UTCDateTime

__all__ = ["FeedbackTotals"]


class FeedbackTotals(Base):
    """One feedback round at one table of a meeting: how many answered, and the totals."""

    __tablename__ = "feedback_totals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    table_id: Mapped[str] = mapped_column(String(64), unique=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    respondents: Mapped[int] = mapped_column(Integer, default=0)
    """People who answered at least one item (skipping everything is not answering)."""
    faces: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    """How many chose each face, by the face's value."""
    picks: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    """How many picked each "more of" option, by its value."""
    words: Mapped[list[str]] = mapped_column(JSON, default=list)
    """The optional words, without seats, in a random order."""
