"""Closing a meeting: the one-tap roll call, the frozen record, corrections, and exports.

The roll call is pre-filled from the tables the meeting ran (a tablet that slept is not an
absence); activity comes from the event log. Once closed, a record is never edited in place:
a correction is stored on top, with who made it and why. Every view and export of members'
records writes an audit entry.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
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
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator.accounts import org_id, owned_meeting, owned_period, requires
from facilitator.dbsession import db
from facilitator.i18n import HELSINKI
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

from .records import ACTIVITY_KINDS, Attendance, Participation, derive
from .routes import OFFLINE_NAMES

__all__ = ["bp"]

bp = Blueprint("meetings", __name__, url_prefix="/panel", template_folder="templates")

#: Attendance values (:class:`~facilitator.groups.records.Attendance`) in words.
ATTENDANCE_WORDS = {"present": lazy_gettext("Present"), "absent": lazy_gettext("Absent"),
                    "late": lazy_gettext("Came late"), "left_early": lazy_gettext("Left early")}
#: Activity counts (:data:`~facilitator.groups.records.ACTIVITY_KINDS`) as column headings.
ACTIVITY_WORDS = {"turns": lazy_gettext("Turns"), "answers": lazy_gettext("Answers"),
                  "votes": lazy_gettext("Votes"), "reactions": lazy_gettext("Encouragements"),
                  "clues": lazy_gettext("Clues shared")}
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
    """What the meeting's tables recorded, by member id."""
    store = current_app.extensions["piiri.store"]
    found: dict[str, Participation] = {}
    for owner in db().scalars(select(TableOwner).where(TableOwner.meeting_id == meeting.id)):
        for record in derive(store.events(owner.table_id)):
            if record.member is None:
                continue
            if record.member in found:  # two tables in one meeting: add up
                for kind, count in record.activity.items():
                    found[record.member].activity[kind] += count
            else:
                found[record.member] = record
    return found


@bp.get("/meetings/<int:meeting_id>")
@requires(Role.leader)
def meeting(meeting_id: int) -> str:
    found = owned_meeting(meeting_id)
    members = [m for m in found.period.group.members if m.active]
    if found.status == MeetingStatus.closed.value:
        return _closed_page(found)
    derived = _derived(found)
    prefill = {m.id: (derived[str(m.id)].attendance.value if str(m.id) in derived
                      else Attendance.absent.value) for m in members}
    return render_template("groups/meeting_rollcall.html", meeting=found, members=members,
                           notes=meeting_notes(found.id),
                           prefill=prefill, derived=derived, attendance_words=ATTENDANCE_WORDS,
                           activity=ACTIVITY_KINDS, activity_words=ACTIVITY_WORDS,
                           offline_names=OFFLINE_NAMES)


def _closed_page(found: Meeting, errors: dict[str, str] | None = None,
                 status: int = 200) -> Any:
    records = list(db().scalars(select(AttendanceRecord).where(
        AttendanceRecord.meeting_id == found.id)))
    _audit("view_records", [r.member_id for r in records], f"meeting {found.id}")
    db().commit()
    return render_template("groups/meeting_closed.html", meeting=found, records=records,
                           notes=meeting_notes(found.id), errors=errors or {},
                           attendance_words=ATTENDANCE_WORDS, activity=ACTIVITY_KINDS,
                           activity_words=ACTIVITY_WORDS, form=request.form), status


@bp.post("/meetings/<int:meeting_id>/close")
@requires(Role.leader)
def close(meeting_id: int) -> WerkzeugResponse:
    """Save the roll call; the record is frozen from here on."""
    found = owned_meeting(meeting_id)
    if found.status == MeetingStatus.closed.value:
        return redirect(url_for("meetings.meeting", meeting_id=found.id))
    derived = _derived(found)
    owners = {o.table_id for o in db().scalars(select(TableOwner).where(
        TableOwner.meeting_id == found.id))}
    for member in (m for m in found.period.group.members if m.active):
        value = request.form.get(f"attendance-{member.id}", Attendance.absent.value)
        if value not in ATTENDANCE_WORDS:
            abort(400)
        counts = derived[str(member.id)].activity if str(member.id) in derived else {}
        db().add(AttendanceRecord(meeting_id=found.id, member_id=member.id, attendance=value,
                                  closed_by=int(current_user.id),
                                  **{kind: counts.get(kind, 0) for kind in ACTIVITY_KINDS}))
    found.status = MeetingStatus.closed.value
    found.closed_at = datetime.now(UTC)
    db().commit()  # the record first; SQLite has one writer, and the hub writes next
    hub: Hub = current_app.extensions["piiri.hub"]
    for live in hub.tables():
        if live.table_id in owners and live.table.status.value != "ended":
            hub.end(live)
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


def _rows(period_id: int) -> tuple[list[str], list[list[Any]], list[int]]:
    period = owned_period(period_id)
    header = [gettext("Day"), gettext("Theme"), gettext("Activity"), gettext("Member"),
              gettext("Attendance"), *[str(ACTIVITY_WORDS[k]) for k in ACTIVITY_KINDS]]
    rows: list[list[Any]] = []
    members: set[int] = set()
    for meeting in period.meetings:
        if meeting.status != MeetingStatus.closed.value:
            continue
        activity = meeting.game or str(OFFLINE_NAMES.get(meeting.offline_activity or "", ""))
        records = db().scalars(select(AttendanceRecord).where(
            AttendanceRecord.meeting_id == meeting.id))
        for record in sorted(records, key=lambda r: r.member.nickname.casefold()):
            members.add(record.member_id)
            rows.append([meeting.starts_at.astimezone(HELSINKI).strftime("%d.%m.%Y"),
                         meeting.theme, activity, record.member.nickname,
                         str(ATTENDANCE_WORDS[str(record.current("attendance"))]),
                         *[int(str(record.current(k))) for k in ACTIVITY_KINDS]])
    return header, rows, sorted(members)


@bp.get("/periods/<int:period_id>/export.csv")
@requires(Role.leader)
def export_csv(period_id: int) -> Response:
    """Attendance and activity for the client plan: ';'-separated with a UTF-8 BOM, so that
    Excel set to Finnish opens it right."""
    header, rows, members = _rows(period_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    _audit("export_csv", members, f"period {period_id}")
    db().commit()
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=piiri-jakso-{period_id}.csv",
        "Cache-Control": "no-store"})


@bp.get("/periods/<int:period_id>/export.xlsx")
@requires(Role.leader)
def export_xlsx(period_id: int) -> Response:
    from openpyxl import Workbook

    header, rows, members = _rows(period_id)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext("Participation")[:31]  # Excel's limit
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDEFGHIJ", (12, 24, 18, 18, 16, 10, 12, 8, 14, 16),
                             strict=True):
        sheet.column_dimensions[column].width = width
    data = io.BytesIO()
    book.save(data)
    _audit("export_xlsx", members, f"period {period_id}")
    db().commit()
    return Response(data.getvalue(), headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f"attachment; filename=piiri-jakso-{period_id}.xlsx",
        "Cache-Control": "no-store"})


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
    return render_template("groups/member.html", member=found, rows=rows, attended=attended,
                           chart=_chart(rows),
                           attendance_words=ATTENDANCE_WORDS, activity=ACTIVITY_KINDS,
                           activity_words=ACTIVITY_WORDS, now=datetime.now(UTC))


#: The timeline chart's geometry (SVG user units): one 36-wide bar per meeting, 60 apart.
_BAR_STEP, _BAR_WIDTH, _BASELINE, _UNIT, _TALLEST = 60, 36, 170, 12, 150


def _chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bars of the member's chart: a bar's height is the meeting's contributions (passes are
    not contributions), capped so a busy meeting still fits; an absence is a dash."""
    bars = []
    for index, row in enumerate(rows):
        total = sum(int(row[kind]) for kind in ACTIVITY_KINDS)
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
    from facilitator.models import MeetingNote

    found = owned_meeting(meeting_id)
    text = " ".join((request.form.get("text") or "").split())[:1000]
    back = request.form.get("back", "")
    target = back if back.startswith("/") and not back.startswith(("//", "/\\")) else (
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
