"""Check-in data: rounds, consent, sealed answers, scores per life domain, erasure.

Everything that touches a member's answers goes through here, so there is one place that
seals, opens and deletes them. Pages and the live flow call these functions with their own
SQLAlchemy session; the caller commits.

Scores: a 0–10 item counts as it is, a five-step item as 0, 2.5, 5, 7.5 or 10; yes/no and
short-text items are kept and shown but are not part of a domain's score. A domain's score is
the mean of its scored items that were answered (skipped items are left out, not counted as 0).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine import ContentError, LocalizedText, in_four
from facilitator.models import CheckinAnswer, CheckinConsent, CheckinGoal, CheckinRound

from .content import (
    DOMAINS,
    CheckinContent,
    CheckinForm,
    Scale5Item,
    Scale10Item,
    load_checkin_forms,
)
from .sealing import Sealer, SealError, keys_from_config

__all__ = [
    "DOMAIN_ICONS",
    "DOMAIN_LABELS",
    "GROUP_PROFILE_MIN",
    "MemberRound",
    "app_sealer",
    "domain_scores",
    "erase_member",
    "form",
    "forms",
    "forms_problem",
    "member_rounds",
    "open_answers",
    "round_respondents",
    "save_answer",
    "seal_goal_text",
    "withdraw_consent",
]

log = logging.getLogger("piiri.checkin")

#: The group profile is shown only when at least this many members answered the round.
GROUP_PROFILE_MIN = 5

DOMAIN_LABELS: dict[str, LocalizedText] = {
    "wellbeing": in_four("Hyvinvointi", "Välmående", "Wellbeing", "Miten voin"),
    "inclusion": in_four("Osallisuus", "Delaktighet", "Being included", "Ihmiset ja yhdessä"),
    "mind": in_four("Mieli", "Sinnet", "Mind", "Mieli"),
    "everyday": in_four("Arki", "Vardagen", "Everyday life", "Arki"),
    "skills": in_four("Taidot", "Färdigheter", "Skills", "Mitä osaan"),
    "body": in_four("Keho", "Kroppen", "Body", "Keho"),
    "work_future": in_four("Työ ja tulevaisuus", "Arbete och framtid", "Work and the future",
                           "Työ ja tuleva aika"),
}
DOMAIN_ICONS = {"wellbeing": "heart", "inclusion": "people", "mind": "sun", "everyday": "house",
                "skills": "star", "body": "bicycle", "work_future": "mountain"}
assert set(DOMAIN_LABELS) == set(DOMAINS) == set(DOMAIN_ICONS)


def app_sealer(app: Any = None, create: bool = False) -> Sealer:
    """The app's sealer (cached). ``create`` makes the default key file when there is none
    yet (done when a leader opens the first check-in).

    Raises:
        facilitator.checkins.sealing.KeyConfigError: no key configured, or kept in the wrong place.
    """
    if app is None:
        from flask import current_app
        app = current_app._get_current_object()  # type: ignore[attr-defined]
    sealer: Sealer | None = app.extensions.get("piiri.sealer")
    if sealer is None:
        keys = keys_from_config(app.config, app.instance_path, create=create)
        sealer = Sealer(keys)
        app.extensions["piiri.sealer"] = sealer
    return sealer


@lru_cache(maxsize=1)
def _installed() -> tuple[CheckinContent | None, str | None]:
    try:
        return load_checkin_forms(), None
    except ContentError as error:
        log.error("check-in forms cannot be used: %s", error)
        return None, str(error)


def forms() -> dict[str, CheckinForm]:
    """The installed check-in forms by id (read once per process; restart after adding one).
    Empty when a form file is broken: :func:`forms_problem` then says what is wrong."""
    content, _problem = _installed()
    return dict(content.forms) if content is not None else {}


def forms_problem() -> str | None:
    """What is wrong with the check-in form files, in the words ``piiri content check`` uses."""
    return _installed()[1]


def form(form_id: str) -> CheckinForm:
    """Raises KeyError for a form that is not (or no longer) installed."""
    return forms()[form_id]


def _bound(round_id: int, member_id: int, item_id: str) -> dict[str, Any]:
    return {"member": member_id, "round": round_id, "item": item_id}


def save_answer(session: Session, sealer: Sealer, *, round_id: int, member_id: int,
                item_id: str, domain: str, value: Any, at: datetime | None = None) -> None:
    """Seal and store one answer (replacing an earlier answer to the same item)."""
    sealed = sealer.seal(value, bound=_bound(round_id, member_id, item_id))
    row = session.scalar(select(CheckinAnswer).where(
        CheckinAnswer.round_id == round_id, CheckinAnswer.member_id == member_id,
        CheckinAnswer.item_id == item_id))
    if row is None:
        session.add(CheckinAnswer(round_id=round_id, member_id=member_id, item_id=item_id,
                                  domain=domain, sealed=sealed,
                                  answered_at=at or datetime.now(UTC)))
    else:
        row.sealed = sealed
        row.answered_at = at or datetime.now(UTC)


def open_answers(session: Session, sealer: Sealer, round_id: int,
                 member_id: int) -> dict[str, Any]:
    """A member's answers in one round, by item id. An answer that cannot be opened (a lost
    key) is left out rather than shown wrong."""
    found: dict[str, Any] = {}
    for row in session.scalars(select(CheckinAnswer).where(
            CheckinAnswer.round_id == round_id, CheckinAnswer.member_id == member_id)):
        try:
            found[row.item_id] = sealer.open(row.sealed,
                                             bound=_bound(round_id, member_id, row.item_id))
        except SealError:
            continue
    return found


def domain_scores(checkin_form: CheckinForm, answers: Mapping[str, Any]) -> dict[str, float]:
    """Mean 0–10 score per domain over the scored items answered (see the module's note)."""
    sums: dict[str, list[float]] = {}
    for item in checkin_form.items():
        value = answers.get(item.id)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if isinstance(item, Scale10Item) and 0 <= value <= 10:
            score = float(value)
        elif isinstance(item, Scale5Item) and 1 <= value <= 5:
            score = (float(value) - 1) * 2.5
        else:
            continue
        sums.setdefault(item.domain, []).append(score)
    return {domain: round(sum(v) / len(v), 2) for domain, v in sums.items()}


@dataclass
class MemberRound:
    """One round a member answered, opened."""

    round: CheckinRound
    answers: dict[str, Any]
    scores: dict[str, float] = field(default_factory=dict)


def member_rounds(session: Session, sealer: Sealer, member_id: int,
                  before_round: int | None = None) -> list[MemberRound]:
    """Every round in which the member gave consent and answered something, oldest first
    (only those opened before ``before_round`` when it is given)."""
    query = (select(CheckinRound).join(CheckinConsent, CheckinConsent.round_id == CheckinRound.id)
             .where(CheckinConsent.member_id == member_id,
                    CheckinConsent.withdrawn_at.is_(None))
             .order_by(CheckinRound.opened_at, CheckinRound.id))
    if before_round is not None:
        query = query.where(CheckinRound.id < before_round)
    found = []
    installed = forms()
    for round_row in session.scalars(query):
        answers = open_answers(session, sealer, round_row.id, member_id)
        if not answers:
            continue
        checkin_form = installed.get(round_row.form_id)
        scores = domain_scores(checkin_form, answers) if checkin_form else {}
        found.append(MemberRound(round=round_row, answers=answers, scores=scores))
    return found


def round_respondents(session: Session, round_id: int) -> int:
    """How many members answered at least one item in the round (with consent in force)."""
    rows = session.execute(select(CheckinAnswer.member_id).join(
        CheckinConsent, (CheckinConsent.round_id == CheckinAnswer.round_id)
        & (CheckinConsent.member_id == CheckinAnswer.member_id)).where(
        CheckinAnswer.round_id == round_id, CheckinConsent.withdrawn_at.is_(None)).distinct())
    return len(rows.all())


def withdraw_consent(session: Session, round_id: int, member_id: int,
                     at: datetime | None = None) -> int:
    """Withdraw a member's consent in a round: its answers are deleted, the consent row keeps
    when it was given and withdrawn. Returns how many answers were deleted."""
    consent = session.scalar(select(CheckinConsent).where(
        CheckinConsent.round_id == round_id, CheckinConsent.member_id == member_id))
    if consent is not None and consent.withdrawn_at is None:
        consent.withdrawn_at = at or datetime.now(UTC)
    result = session.execute(delete(CheckinAnswer).where(
        CheckinAnswer.round_id == round_id, CheckinAnswer.member_id == member_id))
    return int(getattr(result, "rowcount", 0) or 0)


def erase_member(session: Session, member_id: int) -> dict[str, int]:
    """Delete every check-in answer, consent and goal of a member. Returns counts (the caller
    writes the audit entry, which names the member and the counts, never the content)."""
    counts = {}
    for model in (CheckinAnswer, CheckinGoal, CheckinConsent):
        result = session.execute(delete(model).where(model.member_id == member_id))
        counts[model.__tablename__] = int(getattr(result, "rowcount", 0) or 0)
    return counts


def seal_goal_text(sealer: Sealer, goal_id: int, member_id: int, part: str, text: str) -> str:
    return sealer.seal(text, bound={"goal": goal_id, "member": member_id, "part": part})


def open_goal_text(sealer: Sealer, goal_id: int, member_id: int, part: str,
                   token: str | None) -> str | None:
    if token is None:
        return None
    try:
        value = sealer.open(token, bound={"goal": goal_id, "member": member_id, "part": part})
    except SealError:
        return None
    return str(value)
