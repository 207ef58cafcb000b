"""A check-in round at a live table: consent, private answers, each seat's own summary.

The round rides on the table without becoming part of the game: the table's log records that
a round opened, that a seat gave consent, answered or skipped an item, or finished — never an
answer. The answers go straight from the tablet's message to
:mod:`facilitator.checkins.answers`, which seals them. The shared screen shows only how many
are done (see ``Table._checkin_scene``).

The round is one of the hub's side rounds (:mod:`facilitator.live.sideround`), and each step
goes the hub's one way: the table is asked (purely, nothing stored) whether the step is
allowed; the answer or consent is stored and committed; then the step is applied to the table
and logged. A refused step stores nothing, and a failed store logs nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engine import (
    BarPair,
    BarsControl,
    ButtonControl,
    CheckinMark,
    ChoiceControl,
    CloseCheckin,
    ConsentControl,
    FreeTextControl,
    OpenCheckin,
    Option,
    PassControl,
    Reason,
    Rejected,
    Result,
    Scale5Control,
    SeatControls,
    SliderControl,
    TextControl,
)
from facilitator.accounts import looks_like_identity_code
from facilitator.live import SideStep
from facilitator.models import AuditEntry, CheckinConsent, CheckinKind, CheckinRound

from . import answers
from .content import CheckinForm, Scale5Item, Scale10Item, ShortTextItem, YesNoItem
from .sealing import Sealer
from .words import CONSENT_TEXT_ID, consent_text, say

if TYPE_CHECKING:
    from facilitator.live import Hub, LiveTable

__all__ = ["ActiveCheckin", "CheckinFlow", "CheckinRefused"]

log = logging.getLogger("piiri.checkin")

#: Move names a tablet sends during a round; they never reach the game.
MOVES = ("checkin.consent", "checkin.answer", "checkin.finish", "checkin.withdraw")


class CheckinRefused(Exception):
    """A check-in step the tablet may not take now; ``key`` names the words that say why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass
class ActiveCheckin:
    """What the hub keeps of an open round: which one, and its form."""

    round_id: int
    form: CheckinForm
    kind: str
    summaries: dict[str, BarsControl | None] = field(default_factory=dict)
    """Each finished seat's summary, made once (a summary costs a database read)."""


def _refused(key: str) -> Rejected:
    return Rejected(reason=Reason.refused, message=say(key), message_key=f"checkin.{key}")


class CheckinFlow:
    """The hub's helper for check-in rounds (one per server process)."""

    def __init__(self, sessions: Callable[[], Session], sealer: Callable[[], Sealer],
                 retention_months: int = 12) -> None:
        self.sessions = sessions
        self.sealer = sealer
        self.retention_months = retention_months

    # -- opening and closing ---------------------------------------------------------------

    def open(self, hub: Hub, live: LiveTable, *, organisation_id: int, group_id: int,
             period_id: int | None, meeting_id: int | None, form_id: str, kind: CheckinKind,
             user_id: int | None) -> Result:
        """Open a round at ``live`` (the game waits). Raises KeyError for an unknown form and
        :class:`facilitator.checkins.sealing.KeyConfigError` when no key can be had."""
        checkin_form = answers.form(form_id)
        self.sealer()  # no round without a key to seal its answers with
        with live.lock:
            if live.table.meta.checkin is not None:
                return _refused("over")
            with self.sessions() as session:
                row = CheckinRound(organisation_id=organisation_id, group_id=group_id,
                                   period_id=period_id, meeting_id=meeting_id,
                                   table_id=live.table_id, form_id=form_id, kind=kind.value,
                                   opened_by=user_id, opened_at=hub.now())
                session.add(row)
                session.commit()
                round_id = row.id
            result = hub.apply(live, OpenCheckin(at=hub.now(), round=str(round_id),
                                                 items=len(checkin_form.items())))
            if isinstance(result, Rejected):
                with self.sessions() as session:
                    session.execute(delete(CheckinRound).where(CheckinRound.id == round_id))
                    session.commit()
                return result
            live.side["checkin"] = ActiveCheckin(round_id=round_id, form=checkin_form,
                                                 kind=kind.value)
            return result

    def close(self, hub: Hub, live: LiveTable) -> Result:
        """The leader closes the round; the game goes on."""
        with live.lock:
            active = self.active(live)
            result = hub.apply(live, CloseCheckin(at=hub.now()))
            if not isinstance(result, Rejected):
                self._close_row(live, active, hub.now())
            return result

    def _close_row(self, live: LiveTable, active: ActiveCheckin | None, at: datetime) -> None:
        live.side.pop("checkin", None)
        if active is None:
            return
        with self.sessions() as session:
            row = session.get(CheckinRound, active.round_id)
            if row is not None:
                row.closed_at = at
                session.commit()

    def active(self, live: LiveTable) -> ActiveCheckin | None:
        """The open round, found again from the database after a restart."""
        state = live.table.meta.checkin
        if state is None:
            return None
        held = live.side.get("checkin")
        if held is not None and str(held.round_id) == state.round:
            return held
        with self.sessions() as session:
            row = session.get(CheckinRound, int(state.round))
            if row is None:
                return None
            try:
                checkin_form = answers.form(row.form_id)
            except KeyError:
                log.error("check-in form %s is no longer installed", row.form_id)
                return None
            live.side["checkin"] = ActiveCheckin(round_id=row.id, form=checkin_form, kind=row.kind)
        return live.side["checkin"]

    # -- what a tablet shows ---------------------------------------------------------------

    def controls(self, live: LiveTable, seat_id: str) -> SeatControls | None:
        """The seat's check-in screen, or ``None`` when no round is open (the game's own)."""
        active = self.active(live)
        state = live.table.meta.checkin
        seat = live.table.seat(seat_id)
        if active is None or state is None or seat is None or seat.gone:
            return None
        checkin_form = active.form
        progress = state.progress(seat_id)
        status = checkin_form.title
        if progress.consent == "declined":
            return SeatControls(seat=seat_id, status=status,
                                items=[TextControl(text=say("declined"))])
        if progress.consent == "withdrawn":
            return SeatControls(seat=seat_id, status=status,
                                items=[TextControl(text=say("withdrawn"))])
        withdraw = ButtonControl(move="checkin.withdraw", label=say("withdraw"),
                                 tone="secondary", icon="erase", confirm=say("withdraw_sure"))
        if progress.consent == "asked":
            if seat.member is None:
                return SeatControls(seat=seat_id, status=status, your_turn=True, items=[
                    TextControl(text=say("needs_member")),
                    ButtonControl(move="checkin.consent", payload={"value": False},
                                  label=say("not_this_time"), tone="secondary")])
            return SeatControls(seat=seat_id, status=status, your_turn=True, items=[
                TextControl(text=checkin_form.intro, title=checkin_form.title),
                ConsentControl(move="checkin.consent", label=say("consent_title"),
                               text=consent_text(self.retention_months),
                               text_id=CONSENT_TEXT_ID)])
        items = checkin_form.items()
        if not progress.finished and progress.next_item < len(items):
            index = progress.next_item
            item = items[index]
            section = next(s for s in checkin_form.sections if item in s.items)
            return SeatControls(seat=seat_id, status=status, your_turn=True, items=[
                TextControl(text=say("question_of", n=index + 1, total=len(items)),
                            style="note", read_aloud=False),
                TextControl(text=item.text, title=section.title, icon=section.icon,
                            style="card"),
                self._input(item),
                PassControl(label=say("skip")),
                ButtonControl(move="checkin.finish", label=say("finish_now"), tone="secondary"),
                withdraw])
        summary = self._summary(live, active, seat_id)
        shown: list[Any] = [TextControl(text=say("thanks"), style="title")]
        if summary is not None:
            shown.append(summary)
            shown.append(TextControl(text=say("summary_body")))
            if summary.before_label is None:
                shown.append(TextControl(text=say("summary_first")))
        else:
            shown.append(TextControl(text=say("saved_no_scores")))
        shown.append(TextControl(text=say("summary_warm")))
        shown.append(withdraw)
        return SeatControls(seat=seat_id, status=status, items=shown)

    @staticmethod
    def _input(item: Any) -> Any:
        payload = {"item": item.id}
        label = say("your_answer")
        if isinstance(item, Scale10Item):
            return SliderControl(move="checkin.answer", payload=payload, label=label,
                                 low_label=item.low, high_label=item.high)
        if isinstance(item, Scale5Item):
            return Scale5Control(move="checkin.answer", payload=payload, label=label,
                                 steps=item.steps)
        if isinstance(item, YesNoItem):
            return ChoiceControl(move="checkin.answer", payload=payload, label=label, options=[
                Option(value="yes", label=say("yes"), icon="check"),
                Option(value="no", label=say("no"), icon="close")])
        assert isinstance(item, ShortTextItem)
        return FreeTextControl(move="checkin.answer", payload=payload, label=label,
                               max_length=item.max_length)

    def _summary(self, live: LiveTable, active: ActiveCheckin,
                 seat_id: str) -> BarsControl | None:
        """Paired bars per domain: now, and the member's previous check-in — the previous one
        only on a seat the leader has confirmed is this member."""
        if seat_id in active.summaries:
            return active.summaries[seat_id]
        seat = live.table.seat(seat_id)
        if seat is None or seat.member is None:
            return None
        member_id = int(seat.member)
        sealer = self.sealer()
        with self.sessions() as session:
            now = answers.domain_scores(active.form, answers.open_answers(
                session, sealer, active.round_id, member_id))
            before: dict[str, float] = {}
            if seat.member_confirmed:
                earlier = answers.member_rounds(session, sealer, member_id,
                                                before_round=active.round_id)
                if earlier:
                    before = earlier[-1].scores
            if now:
                # Every read of someone's answers is logged, this one too: shown on their own
                # tablet, by nobody but themselves.
                round_row = session.get(CheckinRound, active.round_id)
                if round_row is not None:
                    session.add(AuditEntry(
                        organisation_id=round_row.organisation_id, user_id=None,
                        action="checkin_summary", member_id=member_id,
                        detail=f"round {active.round_id}, own tablet {seat_id}, "
                               f"{'with' if before else 'without'} the previous check-in"))
                    session.commit()
        domains = [d for d in answers.DOMAIN_LABELS
                   if any(item.domain == d and isinstance(item, Scale10Item | Scale5Item)
                          for item in active.form.items())]
        summary = None
        if now:
            summary = BarsControl(
                title=say("summary_title"), now_label=say("now"),
                before_label=say("before") if before else None,
                bars=[BarPair(label=answers.DOMAIN_LABELS[d], icon=answers.DOMAIN_ICONS[d],
                              now=now.get(d), before=before.get(d) if before else None)
                      for d in domains])
        active.summaries[seat_id] = summary
        return summary

    # -- what a tablet sends ---------------------------------------------------------------

    # -- the hub's side round (see facilitator.live.sideround) -----------------------------

    def owns(self, name: str) -> bool:
        return name.startswith("checkin.")

    def is_open(self, live: LiveTable) -> bool:
        return live.table.meta.checkin is not None

    def pass_name(self) -> str:
        return "checkin.skip"

    def refused(self, rejected: Rejected) -> Rejected:
        return rejected if rejected.reason is Reason.refused else _refused("stale")

    def step(self, live: LiveTable, seat_id: str, name: str, payload: dict[str, Any],
             at: datetime) -> SideStep | Rejected:
        """Judge a tablet's check-in step; its value is stored by the step's ``store``."""
        active = self.active(live)
        state = live.table.meta.checkin
        seat = live.table.seat(seat_id)
        if active is None or state is None:
            return _refused("over")
        if seat is None or seat.gone:
            return Rejected.because(Reason.seat_gone)
        progress = state.progress(seat_id)

        def mark(kind: str, item: str | None = None,
                 store: Callable[[], None] | None = None) -> SideStep:
            return SideStep(CheckinMark(at=at, seat=seat_id, mark=kind, item=item),
                            self._storing(store) if store is not None else None)

        try:
            if name == "checkin.consent":
                given = payload.get("value")
                if not isinstance(given, bool):
                    raise CheckinRefused("bad_value")
                if not given:
                    return mark("declined")
                member = seat.member
                if member is None:
                    raise CheckinRefused("needs_member")
                if any(other.member == member and other.id != seat_id and not other.gone
                       and state.progress(other.id).consent == "given"
                       for other in live.table.meta.seats):
                    raise CheckinRefused("already_answering")
                return mark("consented", store=lambda: self._store_consent(
                    active, int(member), payload.get("text_id"), at))
            if name == "checkin.answer":
                items = active.form.items()
                index = progress.next_item
                if progress.finished or index >= len(items) or (
                        payload.get("item") != items[index].id):
                    raise CheckinRefused("stale")
                item = items[index]
                value = _valid_value(item, payload.get("value"))
                assert seat.member is not None
                member_id = int(seat.member)
                return mark("answered", item.id, lambda: self._store_answer(
                    active, member_id, item.id, item.domain, value, at))
            if name == "checkin.skip":
                items = active.form.items()
                index = progress.next_item
                if progress.consent != "given" or progress.finished or index >= len(items):
                    return Rejected.because(Reason.nothing_to_pass)
                return mark("skipped", items[index].id)
            if name == "checkin.finish":
                return mark("finished")
            if name == "checkin.withdraw":
                member = seat.member

                def withdraw() -> None:
                    if member is not None:
                        self._withdraw(active, int(member), at)
                    active.summaries.pop(seat_id, None)

                return mark("withdrawn", store=withdraw)
        except CheckinRefused as refused:
            return _refused(refused.key)
        return Rejected.because(Reason.unknown_move)

    @staticmethod
    def _storing(store: Callable[[], None]) -> Callable[[], Rejected | None]:
        def run() -> Rejected | None:
            try:
                store()
            except CheckinRefused as refused:
                return _refused(refused.key)
            except SQLAlchemyError:
                log.exception("check-in step could not be stored")
                return _refused("not_saved")
            return None

        return run

    def follow_up(self, live: LiveTable, seat_id: str, at: datetime) -> Any | None:
        """The last item answered or skipped finishes the seat's round."""
        state = live.table.meta.checkin
        if state is None:
            return None
        progress = state.progress(seat_id)
        if (progress.consent == "given" and not progress.finished
                and progress.next_item >= state.items):
            return CheckinMark(at=at, seat=seat_id, mark="finished")
        return None

    def closing(self, live: LiveTable, at: datetime) -> Any | None:
        """The table ends: the round is closed first (its row and the log)."""
        self._close_row(live, self.active(live), at)
        return CloseCheckin(at=at)

    # -- storing -----------------------------------------------------------------------------

    def _store_consent(self, active: ActiveCheckin, member_id: int, text_id: Any,
                       at: datetime) -> None:
        if text_id != CONSENT_TEXT_ID:
            raise CheckinRefused("stale")  # agreed to other words than those shown now
        with self.sessions() as session:
            existing = session.scalar(select(CheckinConsent).where(
                CheckinConsent.round_id == active.round_id,
                CheckinConsent.member_id == member_id))
            if existing is None:
                session.add(CheckinConsent(round_id=active.round_id, member_id=member_id,
                                           text_id=CONSENT_TEXT_ID, given_at=at))
            else:
                # The same person again on another tablet (a shared one was handed over, or
                # they changed their mind after withdrawing): consent anew, same round.
                existing.text_id = CONSENT_TEXT_ID
                existing.given_at = at
                existing.withdrawn_at = None
            session.commit()

    def _store_answer(self, active: ActiveCheckin, member_id: int, item_id: str, domain: str,
                      value: Any, at: datetime) -> None:
        sealer = self.sealer()
        with self.sessions() as session:
            consent = session.scalar(select(CheckinConsent).where(
                CheckinConsent.round_id == active.round_id,
                CheckinConsent.member_id == member_id,
                CheckinConsent.withdrawn_at.is_(None)))
            if consent is None:
                raise CheckinRefused("over")  # without consent nothing is stored
            answers.save_answer(session, sealer, round_id=active.round_id, member_id=member_id,
                                item_id=item_id, domain=domain, value=value, at=at)
            session.commit()

    def _withdraw(self, active: ActiveCheckin, member_id: int, at: datetime) -> None:
        with self.sessions() as session:
            answers.withdraw_consent(session, active.round_id, member_id, at)
            session.commit()


def _valid_value(item: Any, value: Any) -> Any:
    """The answer in its stored form, or :class:`CheckinRefused` when it does not fit."""
    if isinstance(item, Scale10Item):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise CheckinRefused("bad_value")
        return value
    if isinstance(item, Scale5Item):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise CheckinRefused("bad_value")
        return value
    if isinstance(item, YesNoItem):
        if value not in ("yes", "no"):
            raise CheckinRefused("bad_value")
        return value == "yes"
    if not isinstance(value, str) or not value.strip() or len(value) > item.max_length:
        raise CheckinRefused("bad_value")
    if looks_like_identity_code(value):
        raise CheckinRefused("identity_code")
    return " ".join(value.split())
