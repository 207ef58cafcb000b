"""What a period, or the whole organisation over whole periods or a calendar month, adds up to:
the raw figures of a report, counted from the records, check-ins and feedback totals.

Nothing here is shown as it is: :mod:`facilitator.reports.tables` turns these figures into
tables with every small or derivable count suppressed. A scope is always whole periods or a
whole calendar month, never a freely chosen span (two spans a day apart could differ by one
person).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.registry import available_games
from facilitator.checkins import (
    GROUP_PROFILE_MIN,
    REPORT_CONSENT_IDS,
    domain_scores,
    forms,
    open_answers,
    open_goal_text,
)
from facilitator.groups import ACTIVITY_KINDS, OFFLINE_NAMES, contributions_of
from facilitator.i18n import HELSINKI, local_to_utc
from facilitator.models import (
    AttendanceRecord,
    CheckinAnswer,
    CheckinConsent,
    CheckinGoal,
    CheckinRound,
    Group,
    Meeting,
    MeetingStatus,
    Period,
)

from .models import FeedbackTotals, Observation

__all__ = ["CheckinProfile", "Figures", "Scope", "gather", "month_scope", "period_scope"]

#: A meeting that took place (its game ended, or its roll call was closed).
HELD = (MeetingStatus.ended.value, MeetingStatus.closed.value)
#: Attendance values that mean the member was there.
ATTENDED = ("present", "late", "left_early")


@dataclass
class Scope:
    """Whole periods (of one group, or several) or one whole calendar month of an
    organisation. ``for_organisation``: check-in figures only from answers given under a
    consent wording that allows anonymous reports."""

    organisation_id: int
    periods: list[Period] = field(default_factory=list)
    month: date | None = None
    for_organisation: bool = False

    @property
    def span(self) -> tuple[datetime, datetime] | None:
        """A month's first and next month's first moment (UTC), or None for periods."""
        if self.month is None:
            return None
        first = self.month.replace(day=1)
        after = (first.replace(year=first.year + 1, month=1) if first.month == 12
                 else first.replace(month=first.month + 1))
        return local_to_utc(first, time(0)), local_to_utc(after, time(0))


def period_scope(period: Period, organisation_id: int) -> Scope:
    """One group's whole period (the leader's report)."""
    return Scope(organisation_id, periods=[period])


def month_scope(month: date, organisation_id: int) -> Scope:
    """Every group of the organisation over one whole calendar month (the admin's report)."""
    return Scope(organisation_id, month=month.replace(day=1), for_organisation=True)


@dataclass
class CheckinProfile:
    """Mean score per life area at the start and at the end, with how many answered each; a
    mean exists only from :data:`GROUP_PROFILE_MIN` members (see the check-ins' profile)."""

    start_respondents: int = 0
    end_respondents: int = 0
    start: dict[str, float] = field(default_factory=dict)
    end: dict[str, float] = field(default_factory=dict)
    readable: bool = True
    """False when the answers could not be opened here (no check-in key)."""


@dataclass
class Figures:
    """The raw figures of one report. Counts of people are not yet suppressed."""

    meetings_planned: int = 0
    meetings_held: int = 0
    activities: Counter[str] = field(default_factory=Counter)
    """Held meetings per activity (a game's title, or an offline activity), in words."""
    attendance: Counter[str] = field(default_factory=Counter)
    """Closed records per attendance value (present, late, left_early, absent)."""
    trend: list[tuple[date, int]] = field(default_factory=list)
    """For each closed meeting in date order, how many were there."""
    spread: Counter[str] = field(default_factory=Counter)
    """Members by how many of their group's closed meetings they came to: all, most (half or
    more), some, none."""
    participation: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per contribution kind the games played count: (total, people who did it at least
    once)."""
    by_group: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Per group: (meetings held, attendances)."""
    checkins: CheckinProfile = field(default_factory=CheckinProfile)
    goals_set: int = 0
    goals_reached: int = 0
    goals_readable: bool = True
    feedback_respondents: int = 0
    faces: Counter[str] = field(default_factory=Counter)
    picks: Counter[str] = field(default_factory=Counter)
    observations: list[Observation] = field(default_factory=list)


def _meetings(session: Session, scope: Scope) -> list[Meeting]:
    query = (select(Meeting).join(Period).join(Group)
             .where(Group.organisation_id == scope.organisation_id)
             .order_by(Meeting.starts_at, Meeting.id))
    span = scope.span
    if span is not None:
        query = query.where(Meeting.starts_at >= span[0], Meeting.starts_at < span[1])
    else:
        query = query.where(Meeting.period_id.in_([p.id for p in scope.periods]))
    return list(session.scalars(query))


def _activity(meeting: Meeting, lang: str) -> str:
    if meeting.game:
        module = available_games().get(meeting.game)
        return module.title.pick(lang) if module is not None else meeting.game
    return str(OFFLINE_NAMES.get(meeting.offline_activity or "", meeting.offline_activity or ""))


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def gather(session: Session, scope: Scope, sealer: Any | None, lang: str) -> Figures:
    """Count everything a report shows for ``scope``. ``sealer`` opens check-in answers and
    goals (None: they cannot be opened here, and the report says so)."""
    found = Figures()
    meetings = _meetings(session, scope)
    found.meetings_planned = len(meetings)
    held = [m for m in meetings if m.status in HELD]
    found.meetings_held = len(held)
    found.activities = Counter(_activity(m, lang) for m in held)
    closed = [m for m in held if m.status == MeetingStatus.closed.value]
    records = list(session.scalars(select(AttendanceRecord).where(
        AttendanceRecord.meeting_id.in_([m.id for m in closed])))) if closed else []
    by_meeting: dict[int, list[AttendanceRecord]] = {}
    for record in records:
        by_meeting.setdefault(record.meeting_id, []).append(record)
    counted = {kind for m in closed if m.game
               for kind in (c.kind.value for c in contributions_of(m.game).values())}
    totals: Counter[str] = Counter()
    doers: dict[str, set[int]] = {kind: set() for kind in counted}
    came: Counter[int] = Counter()
    group_of: dict[int, int] = {}
    closed_in_group: Counter[int] = Counter()
    group_names: dict[int, str] = {}
    for meeting in closed:
        group = meeting.period.group
        group_names[group.id] = group.name
        closed_in_group[group.id] += 1
        there = 0
        for record in by_meeting.get(meeting.id, []):
            attendance = str(record.current("attendance"))
            found.attendance[attendance] += 1
            group_of[record.member_id] = group.id
            came[record.member_id] += 0
            if attendance in ATTENDED:
                there += 1
                came[record.member_id] += 1
            for kind in counted:
                value = _int(record.current(kind))
                totals[kind] += value
                if value > 0:
                    doers[kind].add(record.member_id)
        found.trend.append((meeting.starts_at.astimezone(HELSINKI).date(), there))
    for member_id, times in came.items():
        of = closed_in_group[group_of[member_id]]
        found.spread["all" if times == of else "most" if times * 2 >= of
                     else "some" if times else "none"] += 1
    found.participation = {kind: (totals[kind], len(doers[kind]))
                           for kind in ACTIVITY_KINDS if kind in counted}
    held_in_group = Counter(m.period.group_id for m in held)
    for meeting in held:
        group_names[meeting.period.group_id] = meeting.period.group.name
    attendances: Counter[int] = Counter()
    for record in records:
        if str(record.current("attendance")) in ATTENDED:
            attendances[group_of[record.member_id]] += 1
    found.by_group = {group_names[g]: (held_in_group[g], attendances[g])
                      for g in sorted(group_names, key=lambda g: group_names[g].casefold())}
    for row in session.scalars(select(FeedbackTotals).where(
            FeedbackTotals.meeting_id.in_([m.id for m in meetings]),
            FeedbackTotals.closed_at.is_not(None))):
        found.feedback_respondents += row.respondents
        found.faces.update(row.faces)
        found.picks.update(row.picks)
    found.checkins = _profile(session, scope, sealer)
    found.goals_set, found.goals_reached, found.goals_readable = _goals(session, scope, sealer)
    found.observations = _observations(session, scope)
    return found


def _rounds(session: Session, scope: Scope) -> list[CheckinRound]:
    query = (select(CheckinRound).where(CheckinRound.organisation_id == scope.organisation_id)
             .order_by(CheckinRound.opened_at, CheckinRound.id))
    span = scope.span
    if span is not None:
        query = query.where(CheckinRound.opened_at >= span[0], CheckinRound.opened_at < span[1])
    else:
        query = query.where(CheckinRound.period_id.in_([p.id for p in scope.periods]))
    return list(session.scalars(query))


def _consenting(session: Session, scope: Scope, round_ids: list[int]) -> list[tuple[int, int]]:
    """(round, member) of every consent in force in these rounds; for the organisation, only
    consents to a wording that allows anonymous reports."""
    query = select(CheckinConsent.round_id, CheckinConsent.member_id).where(
        CheckinConsent.round_id.in_(round_ids), CheckinConsent.withdrawn_at.is_(None))
    if scope.for_organisation:
        query = query.where(CheckinConsent.text_id.in_(sorted(REPORT_CONSENT_IDS)))
    return [(r, m) for r, m in session.execute(query)]


def _profile(session: Session, scope: Scope, sealer: Any | None) -> CheckinProfile:
    """A period: its first start round against its last end (else midpoint) round, as the
    group profile page has it. The organisation: every start round against every end round."""
    rounds = _rounds(session, scope)
    if scope.for_organisation:
        starts = [r for r in rounds if r.kind == "start"]
        ends = [r for r in rounds if r.kind == "end"]
    else:
        first = next((r for r in rounds if r.kind == "start"), None)
        last = next((r for r in reversed(rounds) if r.kind == "end"), None) or next(
            (r for r in reversed(rounds) if r.kind == "mid"), None)
        starts, ends = ([first] if first else []), ([last] if last else [])
    profile = CheckinProfile(readable=sealer is not None)
    installed = forms()
    for which, chosen in (("start", starts), ("end", ends)):
        scores: dict[str, list[float]] = {}
        respondents = 0
        answered = {(r, m) for r, m in session.execute(
            select(CheckinAnswer.round_id, CheckinAnswer.member_id).where(
                CheckinAnswer.round_id.in_([r.id for r in chosen])).distinct())}
        pairs = [pair for pair in _consenting(session, scope, [r.id for r in chosen])
                 if pair in answered]
        respondents = len(pairs)
        forms_of = {r.id: installed.get(r.form_id) for r in chosen}
        if sealer is not None and respondents >= GROUP_PROFILE_MIN:
            for round_id, member_id in pairs:
                checkin_form = forms_of.get(round_id)
                if checkin_form is None:
                    continue
                answers = open_answers(session, sealer, round_id, member_id)
                for domain, score in domain_scores(checkin_form, answers).items():
                    scores.setdefault(domain, []).append(score)
        means = {d: round(sum(v) / len(v), 2) for d, v in scores.items()
                 if len(v) >= GROUP_PROFILE_MIN}
        if which == "start":
            profile.start_respondents, profile.start = respondents, means
        else:
            profile.end_respondents, profile.end = respondents, means
    return profile


def _goals(session: Session, scope: Scope, sealer: Any | None) -> tuple[int, int, bool]:
    """How many goals were set in the scope and how many of them are marked reached. For the
    organisation only goals of members who gave a report-allowing consent in the scope."""
    query = select(CheckinGoal).join(Period, Period.id == CheckinGoal.period_id).join(
        Group).where(Group.organisation_id == scope.organisation_id)
    span = scope.span
    if span is not None:
        query = query.where(CheckinGoal.created_at >= span[0], CheckinGoal.created_at < span[1])
    else:
        query = query.where(CheckinGoal.period_id.in_([p.id for p in scope.periods]))
    goals = list(session.scalars(query))
    if scope.for_organisation:
        allowed = {m for _r, m in _consenting(session, scope,
                                              [r.id for r in _rounds(session, scope)])}
        goals = [g for g in goals if g.member_id in allowed]
    if sealer is None:
        return len(goals), 0, False
    reached = 0
    for goal in goals:
        raw = open_goal_text(sealer, goal.id, goal.member_id, "follow_up",
                             goal.sealed_follow_up)
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get("done_on"):
            reached += 1
    return len(goals), reached, True


def _observations(session: Session, scope: Scope) -> list[Observation]:
    query = select(Observation).where(Observation.organisation_id == scope.organisation_id)
    span = scope.span
    if span is not None:
        query = query.where(Observation.created_at >= span[0], Observation.created_at < span[1])
    else:
        query = query.where(Observation.period_id.in_([p.id for p in scope.periods]))
    return list(session.scalars(query.order_by(Observation.category, Observation.created_at)))
