"""Closing a meeting: the one-tap roll call, the frozen record, corrections, and exports.

The roll call is pre-filled once from all the tables the meeting ran (a tablet that slept is
not an absence); activity comes from the event log. A meeting is closed once: one attendance
row per member per meeting. Once closed, a record is never edited in place:
a correction is stored on top, with who made it and why. Every view and export of members'
records writes an audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WerkzeugResponse

from engine.registry import available_games
from facilitator.accounts import org_id, owned_meeting, requires
from facilitator.dbsession import db
from facilitator.i18n import current_lang
from facilitator.live import Hub
from facilitator.models import (
    AttendanceRecord,
    AuditEntry,
    Meeting,
    MeetingStatus,
    RecordCorrection,
    Role,
    TableOwner,
)

from .lifecycle import STATE_WORDS, steps
from .records import ACTIVITY_KINDS, PART_OF, Attendance, Participation, derive
from .routes import OFFLINE_NAMES

__all__ = ["bp"]

bp = Blueprint("meetings", __name__, url_prefix="/panel", template_folder="templates")

#: Attendance values (:class:`~facilitator.groups.records.Attendance`) in words.
ATTENDANCE_WORDS = {"present": lazy_gettext("Present"), "absent": lazy_gettext("Absent"),
                    "late": lazy_gettext("Came late"), "left_early": lazy_gettext("Left early")}
#: Activity counts (:data:`~facilitator.groups.records.ACTIVITY_KINDS`) as column headings.
ACTIVITY_WORDS = {"turns": lazy_gettext("Turns"), "answers": lazy_gettext("Answers"),
                  "votes": lazy_gettext("Votes"), "reactions": lazy_gettext("Encouragements"),
                  "clues": lazy_gettext("Clues shared"),
                  "proposals": lazy_gettext("Proposals made"),
                  "proposals_accepted": lazy_gettext("Proposals accepted")}
#: What the audit log's actions mean (the codes stay in the log itself).
AUDIT_WORDS = {"view_records": lazy_gettext("Viewed a meeting's records"),
               "view_member": lazy_gettext("Viewed a member's timeline"),
               "export_csv": lazy_gettext("Exported attendance (CSV)"),
               "export_xlsx": lazy_gettext("Exported attendance (Excel)")}


def _audit(action: str, member_ids: list[int], detail: str) -> None:
    for member_id in member_ids:
        db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id),
                            action=action, member_id=member_id, detail=detail))


def _derived(meeting: Meeting) -> dict[str, Participation]:
    """One roll call from all of the meeting's tables, by member id.

    A member counts as there only if a seat of theirs joined (passing every turn is taking
    part). A member who sat at several tables (the laptop died and another table was opened)
    is one record: late if their first seat joined after the start, left early if their last
    seat left before its table ended, and what they did added up."""
    store = current_app.extensions["piiri.store"]
    seats: dict[str, list[Participation]] = {}
    for owner in db().scalars(select(TableOwner).where(TableOwner.meeting_id == meeting.id)):
        for record in derive(store.events(owner.table_id)):
            if record.member is not None:
                seats.setdefault(record.member, []).append(record)
    found: dict[str, Participation] = {}
    for member, records in seats.items():
        records.sort(key=lambda r: r.joined_at or datetime.min.replace(tzinfo=UTC))
        first, last = records[0], records[-1]
        merged = Participation(member=member, nickname=first.nickname,
                               joined_at=first.joined_at, left_at=last.left_at,
                               late=first.late, left_early=last.left_early)
        for record in records:
            for kind, count in record.activity.items():
                merged.activity[kind] += count
        found[member] = merged
    return found


@bp.get("/meetings/<int:meeting_id>")
@requires(Role.leader)
def meeting(meeting_id: int) -> str:
    """The meeting's page at each step of its lifecycle: the roll call until it is saved,
    then the locked record with its corrections."""
    found = owned_meeting(meeting_id)
    members = [m for m in found.period.group.members if m.active]
    if found.status == MeetingStatus.closed.value:
        return _closed_page(found)  # type: ignore[no-any-return]
    step = steps([found], current_app.extensions["piiri.hub"])[found.id]
    derived = _derived(found)
    prefill = {m.id: (derived[str(m.id)].attendance.value if str(m.id) in derived
                      else Attendance.absent.value) for m in members}
    kinds, words = _kinds(found)
    return render_template("groups/meeting_rollcall.html", meeting=found, members=members,
                           notes=meeting_notes(found.id), step=step, state_words=STATE_WORDS,
                           still_answering=_still_answering(found),
                           prefill=prefill, derived=derived, attendance_words=ATTENDANCE_WORDS,
                           activity=kinds, activity_words=words,
                           offline_names=OFFLINE_NAMES)


def _still_answering(meeting: Meeting) -> tuple[int, int] | None:
    """(done, seated) of a round the group is still answering on this meeting's tables (the
    feedback after the game): saving the roll call closes it, so the leader is told first."""
    owners = {o.table_id for o in db().scalars(select(TableOwner).where(
        TableOwner.meeting_id == meeting.id))}
    hub: Hub = current_app.extensions["piiri.hub"]
    for live in hub.tables():
        side = live.table.meta.side
        if live.table_id in owners and side is not None:
            seated = [s.id for s in live.table.meta.seats if not s.gone]
            done = side.done_among(seated)
            if done < len(seated):
                return done, len(seated)
    return None


def _kinds(meeting: Meeting, records: Sequence[AttendanceRecord] = ()) -> tuple[
        list[str], dict[str, Any]]:
    """The contribution columns that mean something for this meeting: those its game declares,
    and any a record (or a correction) has a count of; headed with the game's own words when it
    names a kind one way only."""
    module = available_games().get(meeting.game or "")
    labels: dict[str, set[str]] = {}
    lang = current_lang()
    for contribution in (module.contributions.values() if module is not None else ()):
        labels.setdefault(contribution.kind.value, set()).add(contribution.label.pick(lang))
    kinds = [k for k in ACTIVITY_KINDS
             if k in labels or any(int(str(r.current(k))) for r in records)]
    words: dict[str, Any] = {**ACTIVITY_WORDS, **{
        k: next(iter(found)) for k, found in labels.items() if len(found) == 1}}
    return kinds, words


def _closed_page(found: Meeting, errors: dict[str, str] | None = None,
                 status: int = 200) -> Any:
    records = list(db().scalars(select(AttendanceRecord).where(
        AttendanceRecord.meeting_id == found.id)))
    _audit("view_records", [r.member_id for r in records], f"meeting {found.id}")
    db().commit()
    kinds, words = _kinds(found, records)
    return render_template("groups/meeting_closed.html", meeting=found, records=records,
                           notes=meeting_notes(found.id), errors=errors or {},
                           state_words=STATE_WORDS,
                           attendance_words=ATTENDANCE_WORDS, activity=kinds,
                           activity_words=words, form=request.form), status


@bp.post("/meetings/<int:meeting_id>/close")
@requires(Role.leader)
def close(meeting_id: int) -> WerkzeugResponse:
    """Save the roll call; the record is locked from here on.

    Idempotent: a second close (a double tap, a stale tab, two at once) changes nothing. The
    meeting is claimed with one conditional update before any row is written, so of two closes
    at once the database lets exactly one through; the unique (meeting, member) index is the
    last guard."""
    found = owned_meeting(meeting_id)
    if found.status == MeetingStatus.closed.value:
        return redirect(url_for("meetings.meeting", meeting_id=found.id))
    members = [m for m in found.period.group.members if m.active]
    chosen = {m.id: request.form.get(f"attendance-{m.id}", Attendance.absent.value)
              for m in members}
    if any(value not in ATTENDANCE_WORDS for value in chosen.values()):
        abort(400)  # before anything is written
    derived = _derived(found)
    owners = {o.table_id for o in db().scalars(select(TableOwner).where(
        TableOwner.meeting_id == found.id))}
    now = datetime.now(UTC)
    claimed: Any = db().execute(
        update(Meeting).where(Meeting.id == found.id,
                              Meeting.status != MeetingStatus.closed.value)
        .values(status=MeetingStatus.closed.value, closed_at=now)
        .execution_options(synchronize_session=False))
    if not claimed.rowcount:  # another close got there first
        db().rollback()
        return redirect(url_for("meetings.meeting", meeting_id=found.id))
    for member in members:
        counts = derived[str(member.id)].activity if str(member.id) in derived else {}
        db().add(AttendanceRecord(meeting_id=found.id, member_id=member.id,
                                  attendance=chosen[member.id], closed_by=int(current_user.id),
                                  closed_at=now,
                                  **{kind: counts.get(kind, 0) for kind in ACTIVITY_KINDS}))
    try:
        db().commit()  # the record first; SQLite has one writer, and the hub writes next
    except IntegrityError:  # a record was there already: keep it, add nothing
        db().rollback()
        return redirect(url_for("meetings.meeting", meeting_id=found.id))
    hub: Hub = current_app.extensions["piiri.hub"]
    for live in hub.tables():
        if live.table_id in owners and live.table.status.value != "ended":
            hub.end(live)
        if live.table_id in owners:
            hub.close_side_round(live)  # the feedback after the game ends with the roll call
    return redirect(url_for("meetings.meeting", meeting_id=found.id))


@bp.post("/meetings/<int:meeting_id>/correct")
@requires(Role.leader)
def correct(meeting_id: int) -> WerkzeugResponse:
    meeting = owned_meeting(meeting_id)
    record = db().scalar(select(AttendanceRecord).where(
        AttendanceRecord.id == request.form.get("record", type=int),
        AttendanceRecord.meeting_id == meeting.id))
    if record is None:
        abort(404)
    field = request.form.get("field", "")
    value = (request.form.get("value") or "").strip()
    reason = (request.form.get("reason") or "").strip()[:300]
    errors: dict[str, str] = {}
    if field == "attendance" and value not in ATTENDANCE_WORDS:
        errors["value"] = gettext("For attendance, choose present, absent, joined late or "
                                  "left early.")
    elif field in ACTIVITY_KINDS and not (value.isdigit() and int(value) < 1000):
        errors["value"] = gettext("For a count, choose a number.")
    elif field != "attendance" and field not in ACTIVITY_KINDS:
        abort(400)
    if not reason:
        errors["reason"] = gettext("Write why the record is corrected.")
    if errors:
        return _closed_page(meeting, errors, 400)  # type: ignore[no-any-return]
    db().add(RecordCorrection(record_id=record.id, field=field,
                              old_value=str(record.current(field)), new_value=value,
                              reason=reason, by=int(current_user.id)))
    db().commit()
    return redirect(url_for("meetings.meeting", meeting_id=meeting.id))


@bp.get("/members/<int:member_id>")
@requires(Role.leader)
def member(member_id: int) -> str:
    """A member's timeline over the group's periods: attendance and activity per meeting, with
    a chart; prints as a one-page summary for the client plan."""
    from facilitator.accounts import owned_member

    found = owned_member(member_id)
    records = list(db().scalars(
        select(AttendanceRecord).join(Meeting).where(AttendanceRecord.member_id == found.id)
        .order_by(Meeting.starts_at)))
    rows = [{"meeting": db().get(Meeting, r.meeting_id), "attendance": str(r.current("attendance")),
             **{k: int(str(r.current(k))) for k in ACTIVITY_KINDS}} for r in records]
    attended = sum(1 for row in rows if row["attendance"] != "absent")
    _audit("view_member", [found.id], "timeline")
    db().commit()
    # The proposal columns only where the member's meetings had proposals to count.
    counted = {c.kind.value for row in rows for game in [available_games().get(
        row["meeting"].game or "")] if game is not None for c in game.contributions.values()}
    activity = [k for k in ACTIVITY_KINDS if k not in (*PART_OF, *PART_OF.values())
                or k in counted or any(row[k] for row in rows)]
    return render_template("groups/member.html", member=found, rows=rows, attended=attended,
                           chart=_chart(rows),
                           attendance_words=ATTENDANCE_WORDS, activity=activity,
                           activity_words=ACTIVITY_WORDS, now=datetime.now(UTC))


#: The timeline chart's geometry (SVG user units): one 36-wide bar per meeting, 60 apart.
_BAR_STEP, _BAR_WIDTH, _BASELINE, _UNIT, _TALLEST = 60, 36, 170, 12, 150


def _chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars of the member's chart: a bar's height is the meeting's contributions (passes are
    not contributions; proposals accepted are already counted as proposals made), capped so a
    busy meeting still fits; an absence is a dash."""
    bars = []
    for index, row in enumerate(rows):
        total = sum(int(row[kind]) for kind in ACTIVITY_KINDS if kind not in PART_OF)
        height = min(total * _UNIT, _TALLEST)
        x = 40 + index * _BAR_STEP
        bars.append({"x": x, "mid": x + _BAR_WIDTH // 2, "top": _BASELINE - height,
                     "height": height, "total": total,
                     "absent": row["attendance"] == "absent", "meeting": row["meeting"]})
    return {"width": _BAR_STEP * len(rows) + 40, "bar_width": _BAR_WIDTH,
            "baseline": _BASELINE, "bars": bars}


@bp.post("/meetings/<int:meeting_id>/notes")
@requires(Role.leader)
def add_note(meeting_id: int) -> WerkzeugResponse:
    """A leader's short note on a meeting; never shown to co-facilitators."""
    from facilitator.accounts import looks_like_identity_code
    from facilitator.i18n import safe_path
    from facilitator.models import MeetingNote

    found = owned_meeting(meeting_id)
    text = " ".join((request.form.get("text") or "").split())[:1000]
    # Back to a page of this site only: never //host, nor a tab or a line break, which
    # browsers drop (/<tab>/host is //host) and a header cannot hold.
    target = safe_path(request.form.get("back"),
                       url_for("meetings.meeting", meeting_id=found.id))
    if not text:
        flash(gettext("Write the note first."))
    elif looks_like_identity_code(text):
        flash(gettext("Do not write a personal identity code here: Piiri uses nicknames only. "
                      "Remove the code and save again."))
    else:
        db().add(MeetingNote(meeting_id=found.id, author=int(current_user.id), text=text))
        db().commit()
    return redirect(target)


def meeting_notes(meeting_id: int) -> list[Any]:
    """The notes of a meeting, oldest first (callers check the user may see them)."""
    from facilitator.models import MeetingNote

    return list(db().scalars(select(MeetingNote).where(MeetingNote.meeting_id == meeting_id)
                             .order_by(MeetingNote.at)))
