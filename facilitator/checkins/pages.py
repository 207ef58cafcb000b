"""The leader's check-in pages: a member's check-ins (chart, changes, answers, goals), the
member's own data as CSV and PDF, erasure, the group's anonymous profile, and reminders.

Only leaders (and admins) see any of it: co-facilitators get 403 and never a link. Every read
of answers writes an audit entry that names the member and never the content.

Goals: the goal's text and its follow-up are sealed like answers. The follow-up part holds a
small JSON object, ``{"note": "...", "done_on": "2026-11-25" | null}``, so that whether a goal
was reached is sealed too; a follow-up sealed as plain text (not such an object) is read as
the note of a goal not yet reached.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal, gettext, lazy_gettext, ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from facilitator.accounts import (
    erase_member_data,
    no_identity_code,
    org_id,
    owned_member,
    owned_period,
    requires,
)
from facilitator.dbsession import db
from facilitator.i18n import HELSINKI, current_lang
from facilitator.live import forget_member_private, shared_summaries
from facilitator.models import (
    AuditEntry,
    CheckinAnswer,
    CheckinConsent,
    CheckinGoal,
    CheckinRound,
    Group,
    Member,
    Period,
    Role,
)

from .answers import (
    DOMAIN_LABELS,
    GROUP_PROFILE_MIN,
    MemberRound,
    app_sealer,
    domain_scores,
    erase_member,
    forms,
    member_rounds,
    open_answers,
    open_goal_text,
    round_respondents,
    seal_goal_text,
    withdraw_consent,
)
from .charts import radar_chart
from .content import DOMAINS, CheckinForm, Scale5Item, Scale10Item, YesNoItem
from .due import Due, due_checkins, is_current
from .sealing import KeyConfigError, Sealer
from .sheet import pdf_sheet

__all__ = ["AUDIT_WORDS", "KIND_WORDS", "bp", "change_words", "due_in_period"]

bp = Blueprint("checkin_views", __name__, url_prefix="/panel", template_folder="templates")

#: Check-in kinds (:class:`~facilitator.models.CheckinKind`) in words (the live page's words).
KIND_WORDS = {"start": lazy_gettext("Start of the period"),
              "mid": lazy_gettext("Middle of the period"),
              "end": lazy_gettext("End of the period"),
              "free": lazy_gettext("Other check-in")}
#: What a reminder asks for (:class:`~facilitator.checkins.due.Due`).
DUE_WORDS = {"start": lazy_gettext("no start check-in yet"),
             "mid": lazy_gettext("midpoint check-in due"),
             "end": lazy_gettext("end check-in due")}
#: The audit actions these pages write, in words (for the audit page's ``AUDIT_WORDS``).
AUDIT_WORDS = {"checkin_view": lazy_gettext("Viewed a member's check-ins"),
               "checkin_withdraw": lazy_gettext("Withdrew consent to one check-in"),
               "checkin_summary": lazy_gettext("Summary shown on the member's own tablet"),
               "checkin_goal": lazy_gettext("Saved a member's check-in goal"),
               "checkin_export_csv": lazy_gettext("Exported a member's check-ins (CSV)"),
               "checkin_export_pdf": lazy_gettext("Exported a member's check-ins (PDF)"),
               "checkin_erase": lazy_gettext("Erased a member's check-in data"),
               "checkin_group_profile": lazy_gettext("Viewed a group's check-in profile")}

_NO_PERIOD = 0  # ``?period=0``: the check-ins not tied to any period


# -- reading ---------------------------------------------------------------------------------

def _sealer() -> Sealer | None:
    """The sealer, or None when no check-in key is configured (then no answer can be read)."""
    try:
        return app_sealer()
    except KeyConfigError:
        return None


def _audit(action: str, member_id: int | None, detail: str) -> None:
    db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id), action=action,
                        member_id=member_id, detail=detail))


def _number(value: float) -> str:
    """A score as the leader's language writes it (7,5 in Finnish and Swedish)."""
    return format_decimal(value, format="0.##")


def _day(value: datetime | date) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(HELSINKI).date()
    return value.strftime("%d.%m.%Y")


def _label(domain: str, lang: str) -> str:
    text = DOMAIN_LABELS.get(domain)
    return text.pick(lang) if text is not None else domain


def change_words(start: float | None, latest: float | None) -> str:
    """A change in words that need no colour: "up 2.5", "down 1", "no change"."""
    if start is None:
        return gettext("not in the first check-in")
    if latest is None:
        return gettext("not in the latest check-in")
    delta = round(latest - start, 2)
    if delta > 0:
        return gettext("up %(n)s", n=_number(delta))
    if delta < 0:
        return gettext("down %(n)s", n=_number(-delta))
    return gettext("no change")


@dataclass
class AnswerRow:
    """One item of a round's form, with the member's answer in words (None: skipped)."""

    question: str
    domain: str
    answer: str | None


def answer_words(item: Any, value: Any, lang: str) -> str:
    """An answer as the member would recognise it: "7/10", "Often (4/5)", "Yes"."""
    if isinstance(item, YesNoItem) or isinstance(value, bool):
        if value in (True, "yes"):
            return gettext("Yes")
        if value in (False, "no"):
            return gettext("No")
    if isinstance(item, Scale10Item) and isinstance(value, int | float):
        return f"{_number(value)}/10"
    if isinstance(item, Scale5Item) and isinstance(value, int) and 1 <= value <= 5:
        return f"{item.steps[value - 1].pick(lang)} ({value}/5)"
    return str(value)


def answer_rows(checkin_form: CheckinForm | None, answers: dict[str, Any], lang: str,
                with_skipped: bool = True) -> list[AnswerRow]:
    """The round's items in the form's order, in the leader's language. A form that is no
    longer installed shows its answers under their item codes."""
    if checkin_form is None:
        return [AnswerRow(item_id, "", str(value)) for item_id, value in answers.items()]
    rows = []
    for item in checkin_form.items():
        if item.id in answers:
            rows.append(AnswerRow(item.text.pick(lang), _label(item.domain, lang),
                                  answer_words(item, answers[item.id], lang)))
        elif with_skipped:
            rows.append(AnswerRow(item.text.pick(lang), _label(item.domain, lang), None))
    return rows


@dataclass
class DomainChange:
    domain: str
    label: str
    start: float | None
    latest: float | None
    words: str


@dataclass
class Comparison:
    """The first check-in of a period (its start) against the latest one."""

    first: MemberRound | None = None
    latest: MemberRound | None = None
    rows: list[DomainChange] = field(default_factory=list)


def compare(rounds: Sequence[MemberRound], lang: str) -> Comparison:
    """Compare the first round with scores (a start round if there is one) with the latest."""
    scored = [r for r in rounds if r.scores]
    if not scored:
        return Comparison()
    first = next((r for r in scored if r.round.kind == "start"), scored[0])
    later = [r for r in scored if r is not first and (r.round.opened_at, r.round.id)
             > (first.round.opened_at, first.round.id)]
    latest = later[-1] if later else None
    rows = []
    for domain in DOMAINS:
        start = first.scores.get(domain)
        end = latest.scores.get(domain) if latest else None
        if start is None and end is None:
            continue
        words = change_words(start, end) if latest else ""
        rows.append(DomainChange(domain, _label(domain, lang), start, end, words))
    return Comparison(first, latest, rows)


# -- goals -------------------------------------------------------------------------------------

class GoalForm(FlaskForm):
    domain = SelectField(lazy_gettext("Life area"), validators=[
        DataRequired(lazy_gettext("Choose the life area."))])
    text = TextAreaField(lazy_gettext("Goal"), validators=[
        DataRequired(lazy_gettext("Write the goal.")), Length(max=300), no_identity_code])


class FollowUpForm(FlaskForm):
    follow_up = TextAreaField(lazy_gettext("Follow-up note"), validators=[
        Optional(), Length(max=500), no_identity_code])
    done = BooleanField(lazy_gettext("The goal has been reached"))


def _goal_form(lang: str, submitted: bool = False) -> GoalForm:
    """The new-goal form: read from the request when ``submitted``, else empty."""
    form = GoalForm(prefix="goal") if submitted else GoalForm(prefix="goal", formdata=None)
    form.domain.choices = [(d, _label(d, lang)) for d in DOMAINS]
    return form


@dataclass
class GoalView:
    id: int
    domain: str
    label: str
    text: str
    note: str
    done_on: date | None
    created_at: datetime
    form: FollowUpForm | None = None


def _open_follow_up(sealer: Sealer, goal: CheckinGoal) -> tuple[str, date | None]:
    raw = open_goal_text(sealer, goal.id, goal.member_id, "follow_up", goal.sealed_follow_up)
    if raw is None:
        return "", None
    try:
        data = json.loads(raw)
    except ValueError:
        return raw, None
    if not isinstance(data, dict):
        return raw, None
    done = data.get("done_on")
    return str(data.get("note") or ""), date.fromisoformat(done) if done else None


def _seal_follow_up(sealer: Sealer, goal: CheckinGoal, note: str,
                    done_on: date | None) -> str | None:
    if not note and done_on is None:
        return None
    text = json.dumps({"note": note, "done_on": done_on.isoformat() if done_on else None},
                      ensure_ascii=False)
    return seal_goal_text(sealer, goal.id, goal.member_id, "follow_up", text)


def _goals(member: Member, sealer: Sealer | None, lang: str, period_id: int | None = None,
           every_period: bool = False) -> list[GoalView]:
    """The member's goals, oldest first: of one period (``None``: of none), or of all."""
    query = select(CheckinGoal).where(CheckinGoal.member_id == member.id)
    if not every_period:
        query = query.where(CheckinGoal.period_id.is_(None) if period_id is None
                            else CheckinGoal.period_id == period_id)
    found = []
    for goal in db().scalars(query.order_by(CheckinGoal.created_at, CheckinGoal.id)):
        text = (open_goal_text(sealer, goal.id, goal.member_id, "text", goal.sealed_text)
                if sealer else None)
        note, done_on = _open_follow_up(sealer, goal) if sealer else ("", None)
        found.append(GoalView(goal.id, goal.domain, _label(goal.domain, lang),
                              text if text is not None else gettext("(cannot be opened)"),
                              note, done_on, goal.created_at))
    return found


# -- the member's page -------------------------------------------------------------------------

def _chosen_period(member: Member, rounds: Sequence[MemberRound]) -> int | None:
    """The period the page shows: ``?period=`` (0: no period), else the latest check-in's,
    else the period running today, else the group's latest."""
    periods = {p.id for p in member.group.periods}
    asked = request.args.get("period", type=int)
    if asked is not None:
        if asked == _NO_PERIOD:
            return None
        if asked not in periods:
            abort(404)
        return asked
    if rounds:
        return rounds[-1].round.period_id
    today = datetime.now(HELSINKI).date()
    running = [p for p in member.group.periods
               if p.starts_on <= today and (p.ends_on is None or today <= p.ends_on)]
    chosen = running or member.group.periods
    return chosen[-1].id if chosen else None


def _has_rows(member_id: int) -> bool:
    return db().scalar(select(func.count()).select_from(CheckinAnswer).where(
        CheckinAnswer.member_id == member_id)) != 0


def _member_page(member: Member, goal_form: GoalForm | None = None,
                 follow_ups: dict[int, FollowUpForm] | None = None,
                 period_id: int | None = None, period_from_request: bool = True,
                 status: int = 200) -> Any:
    lang = current_lang()
    sealer = _sealer()
    every = member_rounds(db(), sealer, member.id) if sealer else []
    chosen = _chosen_period(member, every) if period_from_request else period_id
    rounds = [r for r in every if r.round.period_id == chosen]
    comparison = compare(rounds, lang)
    chart = None
    if comparison.first is not None:
        series = [[row.start for row in comparison.rows]]
        if comparison.latest is not None:
            series.append([row.latest for row in comparison.rows])
        chart = radar_chart([row.label for row in comparison.rows], series)
    installed = forms()
    answered = [{"round": r.round, "form": installed.get(r.round.form_id),
                 "rows": answer_rows(installed.get(r.round.form_id), r.answers, lang)}
                for r in rounds]
    goals = _goals(member, sealer, lang, chosen)
    for goal in goals:
        goal.form = (follow_ups or {}).get(goal.id) or FollowUpForm(
            prefix=f"goal{goal.id}", formdata=None,
            data={"follow_up": goal.note, "done": goal.done_on is not None})
    buckets: list[tuple[int, str]] = [(p.id, p.name) for p in member.group.periods]
    if chosen is None or any(r.round.period_id is None for r in every):
        buckets.append((_NO_PERIOD, gettext("Not in a period")))
    shared = shared_summaries(db(), sealer, member.id, lang) if sealer else []
    _audit("checkin_view", member.id, (f"period {chosen}" if chosen else "no period")
           + (f", {len(shared)} shared summaries" if shared else ""))
    db().commit()
    return render_template(
        "checkins/member.html", member=member, shared=shared,
        chosen=chosen if chosen else _NO_PERIOD, buckets=buckets, rounds=rounds,
        answered=answered, comparison=comparison,
        chart=chart, goals=goals, goal_form=goal_form or _goal_form(lang),
        kind_words=KIND_WORDS, number=_number,
        no_key=sealer is None and _has_rows(member.id)), status


@bp.get("/members/<int:member_id>/checkins")
@requires(Role.leader)
def member(member_id: int) -> Any:
    """A member's check-ins in one period: the first against the latest as a chart and a
    table, every round's answers, and the goals set together."""
    return _member_page(owned_member(member_id))


def _back_to(member: Member, period_id: int | None) -> WerkzeugResponse:
    return redirect(url_for("checkin_views.member", member_id=member.id,
                            period=period_id if period_id is not None else _NO_PERIOD))


def _goal_period(member: Member) -> int | None:
    period_id = request.form.get("period", type=int)
    if not period_id:
        return None
    if period_id not in {p.id for p in member.group.periods}:
        abort(404)
    return period_id


def _writing_sealer() -> Sealer | None:
    try:
        return app_sealer(create=True)
    except KeyConfigError:
        flash(gettext("The check-in key is missing or cannot be read, so nothing was saved. "
                      "Ask the person who runs Piiri to check the key."))
        return None


@bp.post("/members/<int:member_id>/checkins/rounds/<int:round_id>/withdraw")
@requires(Role.leader)
def withdraw_round(member_id: int, round_id: int) -> WerkzeugResponse:
    """The member withdraws consent to one check-in after it has ended (they told the leader):
    that round's answers are deleted; the consent row keeps when it was given and withdrawn."""
    found = owned_member(member_id)
    round_row = db().scalar(select(CheckinRound).where(
        CheckinRound.id == round_id, CheckinRound.organisation_id == org_id()))
    if round_row is None or round_row.group_id != found.group_id:
        abort(404)
    if request.form.get("confirm") != "yes":
        flash(gettext("Tick the box to confirm, or go back without erasing."))
        return _back_to(found, round_row.period_id)
    deleted = withdraw_consent(db(), round_row.id, found.id)
    _audit("checkin_withdraw", found.id, f"round {round_row.id}, checkin_answers {deleted}")
    db().commit()
    flash(gettext("Consent withdrawn: the answers of this check-in are deleted."))
    return _back_to(found, round_row.period_id)


@bp.post("/members/<int:member_id>/checkins/goals")
@requires(Role.leader)
def add_goal(member_id: int) -> Any:
    """A goal set together with the member, linked to a life area."""
    found = owned_member(member_id)
    period_id = _goal_period(found)
    form = _goal_form(current_lang(), submitted=True)
    if not form.validate_on_submit():
        return _member_page(found, goal_form=form, period_id=period_id,
                            period_from_request=False, status=400)
    sealer = _writing_sealer()
    if sealer is None:
        return _back_to(found, period_id)
    goal = CheckinGoal(member_id=found.id, period_id=period_id, domain=form.domain.data,
                       sealed_text="", created_by=int(current_user.id))
    db().add(goal)
    db().flush()  # the id is part of what the text is sealed to
    goal.sealed_text = seal_goal_text(sealer, goal.id, found.id, "text",
                                      " ".join(form.text.data.split()))
    _audit("checkin_goal", found.id, f"goal {goal.id} added")
    db().commit()
    flash(gettext("The goal is saved."))
    return _back_to(found, period_id)


@bp.post("/members/<int:member_id>/checkins/goals/<int:goal_id>")
@requires(Role.leader)
def update_goal(member_id: int, goal_id: int) -> Any:
    """The follow-up note of a goal, and whether it has been reached."""
    found = owned_member(member_id)
    goal = db().scalar(select(CheckinGoal).where(CheckinGoal.id == goal_id,
                                                 CheckinGoal.member_id == found.id))
    if goal is None:
        abort(404)
    form = FollowUpForm(prefix=f"goal{goal.id}")
    if not form.validate_on_submit():
        return _member_page(found, follow_ups={goal.id: form}, period_id=goal.period_id,
                            period_from_request=False, status=400)
    sealer = _writing_sealer()
    if sealer is None:
        return _back_to(found, goal.period_id)
    _, done_before = _open_follow_up(sealer, goal)
    done_on = (done_before or datetime.now(HELSINKI).date()) if form.done.data else None
    note = " ".join((form.follow_up.data or "").split())
    goal.sealed_follow_up = _seal_follow_up(sealer, goal, note, done_on)
    goal.updated_at = datetime.now(UTC)
    _audit("checkin_goal", found.id, f"goal {goal.id} follow-up")
    db().commit()
    flash(gettext("The follow-up is saved."))
    return _back_to(found, goal.period_id)


# -- the member's own data ---------------------------------------------------------------------

@dataclass
class RoundExport:
    day: str
    kind: str
    title: str
    rows: list[AnswerRow]
    scores: list[tuple[str, str]]


@dataclass
class OwnData:
    """Everything the member's export holds."""

    rounds: list[RoundExport]
    goals: list[GoalView]
    shared: list[tuple[datetime, str]]
    """The strengths summaries the member shared for their client plan, newest first."""

    def audit_detail(self) -> str:
        return (f"{len(self.rounds)} rounds, {len(self.goals)} goals, "
                f"{len(self.shared)} shared summaries")


def _own_data(member: Member) -> OwnData | None:
    """Everything kept about the member's check-ins, in the leader's language, for handing
    to the member and for the client plan: every answered round (answered items only), every
    goal and every strengths summary the member shared. None when there is data but no key
    to open it."""
    lang = current_lang()
    sealer = _sealer()
    if sealer is None:
        if (_has_rows(member.id) or _count(CheckinGoal, member.id)
                or _shared_count(member.id)):
            return None
        return OwnData([], [], [])
    installed = forms()
    rounds = []
    for found in member_rounds(db(), sealer, member.id):
        checkin_form = installed.get(found.round.form_id)
        rounds.append(RoundExport(
            _day(found.round.opened_at), str(KIND_WORDS.get(found.round.kind, found.round.kind)),
            checkin_form.title.pick(lang) if checkin_form else found.round.form_id,
            answer_rows(checkin_form, found.answers, lang, with_skipped=False),
            [(_label(d, lang), _number(found.scores[d])) for d in DOMAINS
             if d in found.scores]))
    return OwnData(rounds, _goals(member, sealer, lang, every_period=True),
                   shared_summaries(db(), sealer, member.id, lang))


def _unreadable(member: Member) -> WerkzeugResponse:
    flash(gettext("The check-in key is not available on this server, so the answers cannot "
                  "be opened. Ask the person who runs Piiri to check the key."))
    return redirect(url_for("checkin_views.member", member_id=member.id))


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={filename}",
        "Cache-Control": "no-store"})


@bp.get("/members/<int:member_id>/checkins/export.csv")
@requires(Role.leader)
def export_csv(member_id: int) -> Response | WerkzeugResponse:
    """The member's check-in data as one table (';'-separated with a UTF-8 BOM, so that Excel
    set to Finnish opens it right)."""
    found = owned_member(member_id)
    data = _own_data(found)
    if data is None:
        return _unreadable(found)
    rounds, goals = data.rounds, data.goals
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([gettext("Record"), gettext("Date"), gettext("Check-in"),
                     gettext("Life area"), gettext("Question or goal"),
                     gettext("Answer, score or note"), gettext("Goal reached")])
    for item in rounds:
        for row in item.rows:
            writer.writerow([gettext("Answer"), item.day, item.kind, row.domain, row.question,
                             row.answer, ""])
        for label, score in item.scores:
            writer.writerow([gettext("Life area score"), item.day, item.kind, label, "",
                             score, ""])
    for goal in goals:
        writer.writerow([gettext("Goal"), _day(goal.created_at), "", goal.label, goal.text,
                         goal.note, _day(goal.done_on) if goal.done_on else ""])
    for at, text in data.shared:
        writer.writerow([gettext("Shared strengths"), _day(at), "", "", "", text, ""])
    _audit("checkin_export_csv", found.id, data.audit_detail())
    db().commit()
    return _download("\ufeff" + out.getvalue(), "text/csv; charset=utf-8",
                     f"piiri-checkins-{found.id}.csv")


def _pdf(member: Member, data: OwnData) -> bytes:
    from fpdf.enums import XPos, YPos

    lang = current_lang()
    rounds, goals = data.rounds, data.goals
    title = gettext("Check-ins: %(name)s", name=member.nickname)

    pdf = pdf_sheet(title, lang)
    width = pdf.epw

    def heading(text: str, size: int) -> None:
        pdf.set_font("Atkinson", "B", size)
        pdf.multi_cell(width, size * 0.55, text, align="L", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        pdf.ln(2)

    def paragraph(text: str, size: int = 12) -> None:
        pdf.set_font("Atkinson", "", size)
        pdf.multi_cell(width, 6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def table(header: tuple[str, ...], rows: list[tuple[str, ...]],
              widths: tuple[int, ...]) -> None:
        pdf.set_font("Atkinson", "", 11)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=6,
                       padding=1.5) as drawn:
            for cells in (header, *rows):
                row = drawn.row()
                for cell in cells:
                    row.cell(cell)
        pdf.ln(4)

    heading(title, 20)
    paragraph(f"{member.group.name} · "
              + gettext("printed %(date)s", date=_day(datetime.now(HELSINKI))))
    paragraph(gettext("These are all the check-in answers, life area scores and goals Piiri "
                      "keeps for you. Scores go from 0 to 10; a life area's score is the mean "
                      "of its questions. Yes/no and written answers are not part of the "
                      "scores."))
    if not rounds:
        paragraph(gettext("No check-in answers are kept."))
    for item in rounds:
        if pdf.will_page_break(50):  # a round's heading starts the page its answers are on
            pdf.add_page()
        heading(f"{item.day} · {item.kind} · {item.title}", 14)
        table((gettext("Question"), gettext("Answer")),
              [(row.question, row.answer or "") for row in item.rows], (3, 2))
        if item.scores:
            table((gettext("Life area"), gettext("Score (0–10)")), item.scores, (3, 2))
    if pdf.will_page_break(40):
        pdf.add_page()
    heading(gettext("Goals"), 16)
    if not goals:
        paragraph(gettext("No goals have been written down."))
    for goal in goals:
        pdf.set_font("Atkinson", "B", 12)
        pdf.multi_cell(width, 6, f"{goal.label} ({_day(goal.created_at)})", align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        paragraph(goal.text)
        if goal.note:
            paragraph(gettext("Follow-up: %(note)s", note=goal.note))
        if goal.done_on:
            paragraph(gettext("Reached on %(date)s", date=_day(goal.done_on)))
    if data.shared:
        if pdf.will_page_break(40):
            pdf.add_page()
        heading(gettext("Strengths the member shared"), 16)
        for at, text in data.shared:
            pdf.set_font("Atkinson", "B", 12)
            pdf.multi_cell(width, 6, _day(at), align="L", new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
            paragraph(text)
    return bytes(pdf.output())


@bp.get("/members/<int:member_id>/checkins/export.pdf")
@requires(Role.leader)
def export_pdf(member_id: int) -> Response | WerkzeugResponse:
    """The member's check-in data as a PDF plain enough to hand over."""
    found = owned_member(member_id)
    data = _own_data(found)
    if data is None:
        return _unreadable(found)
    body = _pdf(found, data)
    _audit("checkin_export_pdf", found.id, data.audit_detail())
    db().commit()
    return _download(body, "application/pdf", f"piiri-checkins-{found.id}.pdf")


# -- erasure -----------------------------------------------------------------------------------

def _count(model: Any, member_id: int) -> int:
    return int(db().scalar(select(func.count()).select_from(model).where(
        model.member_id == member_id)) or 0)


def _private_count(member_id: int, shared: bool) -> int:
    """How many sealed values kept at game tables belong to the member: the strengths
    summaries they shared (``shared``), else what their seats chose privately (a life
    line's games and its picks)."""
    from facilitator.live import PrivateValueRow

    rows = PrivateValueRow.__table__
    kind = rows.c.ref.like("shared.%")
    return int(db().scalar(select(func.count()).select_from(rows).where(
        rows.c.member == str(member_id), kind if shared else ~kind)) or 0)


def _shared_count(member_id: int) -> int:
    return _private_count(member_id, shared=True)


def _erase_counts(member_id: int) -> dict[str, int]:
    """What erasing the member removes, for the confirmation page."""
    from facilitator.workshop import MadeCredit

    return {"rounds": _count(CheckinConsent, member_id),
            "answers": _count(CheckinAnswer, member_id),
            "goals": _count(CheckinGoal, member_id),
            "private": _private_count(member_id, shared=False),
            "shared": _shared_count(member_id),
            "credits": _count(MadeCredit, member_id)}


@bp.route("/members/<int:member_id>/checkins/erase", methods=["GET", "POST"])
@requires(Role.leader)
def erase(member_id: int) -> Any:
    """Erase every check-in answer, consent and goal of a member, the private values of their
    seats at game tables (a life line), the summaries they shared and their credits as a
    maker, after a ticked confirmation. The audit entry stays, with counts only."""
    found = owned_member(member_id)
    error = None
    if request.method == "POST":
        if request.form.get("confirm") == "yes":
            counts = erase_member(db(), found.id)
            # Everything else kept of the member (a life line's sealed games, …), counted
            # apart so the audit entry says what went where.
            counts.update(erase_member_data(db(), found.id))
            _audit("checkin_erase", found.id,
                   ", ".join(f"{name} {count}" for name, count in sorted(counts.items())))
            db().commit()
            # … and what a table running now still holds of it in memory.
            counts["in_memory"] = forget_member_private(current_app.extensions["piiri.hub"],
                                                        found.id)
            flash(gettext("%(name)s's check-in answers, consents and goals, life lines and "
                          "shared summaries, and their credits as a maker are erased.",
                          name=found.nickname))
            return redirect(url_for("checkin_views.member", member_id=found.id))
        error = gettext("Tick the box to confirm, or go back without erasing.")
    return render_template("checkins/erase.html", member=found, counts=_erase_counts(found.id),
                           error=error), 400 if error else 200


# -- the group's profile -----------------------------------------------------------------------

@dataclass
class ProfileColumn:
    """One round's anonymous means, or why they are not shown."""

    heading: str
    shown: bool
    reason: str
    means: dict[str, float | None] = field(default_factory=dict)


def _group_means(round_row: CheckinRound) -> tuple[int, dict[str, float | None]]:
    """How many members answered, and the mean score per life area over them. A life area
    scored by fewer than :data:`GROUP_PROFILE_MIN` members has no mean (None)."""
    respondents = round_respondents(db(), round_row.id)
    checkin_form = forms().get(round_row.form_id)
    sealer = _sealer()
    if respondents < GROUP_PROFILE_MIN or checkin_form is None or sealer is None:
        return respondents, {}
    members = db().scalars(select(CheckinConsent.member_id).where(
        CheckinConsent.round_id == round_row.id, CheckinConsent.withdrawn_at.is_(None)))
    scores: dict[str, list[float]] = {}
    for member_id in members:
        answers = open_answers(db(), sealer, round_row.id, member_id)
        for domain, score in domain_scores(checkin_form, answers).items():
            scores.setdefault(domain, []).append(score)
    return respondents, {
        d: round(sum(v) / len(v), 2) if len(v) >= GROUP_PROFILE_MIN else None
        for d, v in scores.items()}


def _column(round_row: CheckinRound | None, missing: str) -> ProfileColumn:
    if round_row is None:
        return ProfileColumn("", False, missing)
    heading = f"{KIND_WORDS.get(round_row.kind, round_row.kind)}, {_day(round_row.opened_at)}"
    respondents, means = _group_means(round_row)
    if respondents == 0:
        return ProfileColumn(heading, False, gettext("Nobody has answered this check-in yet."))
    if respondents < GROUP_PROFILE_MIN:
        return ProfileColumn(heading, False, ngettext(
            "Only %(num)s member answered; the profile is shown from %(min)s so that nobody "
            "can be recognised.",
            "Only %(num)s members answered; the profile is shown from %(min)s so that nobody "
            "can be recognised.", respondents, min=GROUP_PROFILE_MIN))
    if not means:
        return ProfileColumn(heading, False, gettext(
            "The answers of this check-in cannot be opened here."))
    return ProfileColumn(heading, True, ngettext(
        "%(num)s member answered.", "%(num)s members answered.", respondents), means)


@bp.get("/periods/<int:period_id>/checkins/profile")
@requires(Role.leader)
def group_profile(period_id: int) -> Any:
    """The group's anonymous profile for a period: the mean per life area at the start and at
    the end (or else the midpoint), each shown only when enough members answered."""
    period = owned_period(period_id)
    lang = current_lang()
    rounds = list(db().scalars(select(CheckinRound).where(
        CheckinRound.period_id == period.id, CheckinRound.organisation_id == org_id())
        .order_by(CheckinRound.opened_at, CheckinRound.id)))
    start = next((r for r in rounds if r.kind == "start"), None)
    end = next((r for r in reversed(rounds) if r.kind == "end"), None) or next(
        (r for r in reversed(rounds) if r.kind == "mid"), None)
    first = _column(start, gettext("There is no start check-in in this period yet."))
    last = _column(end, gettext("There is no end or midpoint check-in in this period yet."))
    rows = []
    for domain in DOMAINS:
        a, b = first.means.get(domain), last.means.get(domain)
        if domain not in first.means and domain not in last.means:
            continue
        rows.append({"label": _label(domain, lang), "start": a, "end": b,
                     "change": change_words(a, b) if a is not None and b is not None
                     else ""})
    _audit("checkin_group_profile", None, f"period {period.id}")
    db().commit()
    return render_template("checkins/profile.html", period=period, first=first, last=last,
                           rows=rows, number=_number, minimum=GROUP_PROFILE_MIN)


# -- reminders on the group and period pages -----------------------------------------------------

def _answered_kinds(period_id: int) -> dict[int, set[str]]:
    """Which kinds of check-in each member answered in a period (consent in force). Reads no
    answer, only that there is one."""
    found: dict[int, set[str]] = {}
    rows = db().execute(
        select(CheckinAnswer.member_id, CheckinRound.kind)
        .join(CheckinRound, CheckinRound.id == CheckinAnswer.round_id)
        .join(CheckinConsent, (CheckinConsent.round_id == CheckinAnswer.round_id)
              & (CheckinConsent.member_id == CheckinAnswer.member_id))
        .where(CheckinRound.period_id == period_id, CheckinRound.organisation_id == org_id(),
               CheckinConsent.withdrawn_at.is_(None)).distinct())
    for member_id, kind in rows:
        found.setdefault(member_id, set()).add(kind)
    return found


def due_in_period(period: Period, today: date) -> list[Due]:
    members = [(m.id, m.nickname) for m in period.group.members if m.active]
    return due_checkins(period.starts_on, period.ends_on, today, members,
                        _answered_kinds(period.id))


@bp.app_template_global("checkins_due")
def checkins_due(target: Period | Group) -> list[tuple[Period, list[Due]]]:
    """For the period and group pages: each period with the check-ins due in it (on a group,
    only its current periods). Empty for anyone who may not see check-ins."""
    if not current_user.is_authenticated or not current_user.can(Role.leader):
        return []
    today = datetime.now(HELSINKI).date()
    periods = ([target] if isinstance(target, Period) else
               [p for p in target.periods if is_current(p.starts_on, p.ends_on, today)])
    return [(p, due_in_period(p, today)) for p in periods]


@bp.app_context_processor
def _words() -> dict[str, Any]:
    return {"due_words": DUE_WORDS}
