"""Retention for what reports keep: the feedback totals of a period's meetings and the
observations on it go when the period's records go (``piiri admin retention --months N``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from facilitator.models import Meeting

from .models import FeedbackTotals, Observation

__all__ = ["forget_periods"]


def forget_periods(session: Session, period_ids: Sequence[int], *,
                   dry_run: bool = False) -> dict[str, int]:
    """Delete (or with ``dry_run`` only count) the feedback totals and observations of these
    periods. The caller commits."""
    if not period_ids:
        return {"feedback": 0, "observations": 0}
    meetings = select(Meeting.id).where(Meeting.period_id.in_(period_ids))
    feedback = FeedbackTotals.meeting_id.in_(meetings)
    observations = Observation.period_id.in_(period_ids)
    counts = {
        "feedback": int(session.scalar(select(func.count()).select_from(FeedbackTotals)
                                       .where(feedback)) or 0),
        "observations": int(session.scalar(select(func.count()).select_from(Observation)
                                           .where(observations)) or 0)}
    if not dry_run:
        session.execute(delete(FeedbackTotals).where(feedback))
        session.execute(delete(Observation).where(observations))
    return counts
