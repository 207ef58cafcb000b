"""The group's feedback at the end of a meeting, as totals only (created by the migration
0008_feedback_totals), and the leader's observations for social reporting (0010_observations).

There is no row per person, by design: a tablet's answer is added to the counts of its table's
round and forgotten. Words are kept as a list without any seat or member, each put in at a
random place, so not even their order tells who wrote which.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.db import Base, UTCDateTime

__all__ = ["CATEGORIES", "FREQUENCIES", "FeedbackTotals", "Observation"]

#: What an observation is about, in social reporting's usual headings (the order shown).
CATEGORIES = ("income", "housing", "services", "health", "work_study", "loneliness",
              "digital_exclusion", "other")

#: How often the phenomenon came up in the period.
FREQUENCIES = ("once", "sometimes", "often", "every_meeting")


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


class Observation(Base):
    """A leader's observation on a period for social reporting (sosiaalinen raportointi): a
    phenomenon seen in the group, who it affects as a count (never names), how often it came
    up, evidence and a proposal. The texts are checked for identity codes and the group's
    nicknames before they are stored."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    author: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    phenomenon: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(20))
    affected: Mapped[int] = mapped_column(Integer)
    """How many people in the group it affects."""
    frequency: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    figures: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Which of Piiri's own figures of the period back it ("attendance", "feedback")."""
    proposal: Mapped[str] = mapped_column(Text, default="")
