"""A period's attendance and activity, exported for the client plan (CSV and Excel).

Both files say which group and period they are about at the top, then hold two tables:

- **Participation**: one row per member per closed meeting: the day (a real date cell in
  Excel), the time, the theme, the activity's title in the leader's language, the member's
  nickname, attendance in words, and only the contribution columns that mean something for
  what was played (a column appears when a game played in the period declares that kind of
  contribution, or when a record of the period counts some of it, e.g. after a correction).
  A column is headed with the game's own label for it; when the games (or one game's facts)
  name the same kind differently, with a neutral word for the kind.
- **Per member**: meetings attended of meetings held, and the totals of the same columns.
  "Held" counts the period's closed meetings that have a record for the member (those held
  while they were in the group), "attended" those not marked absent: the same counts as the
  member's own page.

Excel gets the two tables as two sheets. The CSV keeps them in one file, the participation
table first and the per-member table after a blank line and its title: Excel set to Finnish
opens a ';'-separated UTF-8 file with a BOM as one sheet, where a blank row ends a table for
sorting and filtering, and a leader downloads one file instead of two. Days are written as
dd.mm.yyyy and times as hh:mm, which Finnish Excel reads as a date and a time.

Text that users typed (nicknames, themes, names) is never read as a formula: a cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a text cell with a quote
prefix in Excel, and is written after a single quote (``'``) in the CSV.

Every export writes an audit entry per member in it. The routes are on the ``meetings``
blueprint: ``meetings.export_csv`` and ``meetings.export_xlsx``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from flask import Response
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from engine.registry import available_games
from facilitator.accounts import org_id, owned_period, requires
from facilitator.dbsession import db
from facilitator.i18n import HELSINKI, current_lang
from facilitator.models import (
    AttendanceRecord,
    AuditEntry,
    Meeting,
    MeetingStatus,
    Period,
    Role,
)

from .meetings import ATTENDANCE_WORDS, bp
from .records import ACTIVITY_KINDS
from .routes import OFFLINE_NAMES

__all__ = ["KIND_WORDS", "export_csv", "export_xlsx", "spreadsheet_safe"]

#: Neutral headings for the kinds of contribution, for when the games played name one
#: differently (the escape room counts both clues shared and locks opened as ``clues``).
KIND_WORDS = {"turns": lazy_gettext("Turns"), "answers": lazy_gettext("Answers"),
              "votes": lazy_gettext("Votes"), "reactions": lazy_gettext("Encouragements"),
              "clues": lazy_gettext("Clues and solutions"),
              "proposals": lazy_gettext("Proposals made"),
              "proposals_accepted": lazy_gettext("Proposals accepted")}

#: What a spreadsheet may take for the start of a formula (OWASP's list for CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet reads as a formula.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("Aino")
    ("'=HYPERLINK(1)", 'Aino')
    """
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


@dataclass
class _Export:
    """A period's export, in the leader's words, before it is written to a file."""

    group: str
    period: str
    #: (kind, heading) of the contribution columns that mean something for the period.
    kinds: list[tuple[str, str]]
    #: day, time, theme, activity, nickname, attendance, then a count per column in ``kinds``.
    rows: list[list[Any]] = field(default_factory=list)
    #: nickname, attended, held, then a total per column in ``kinds``.
    totals: list[list[Any]] = field(default_factory=list)
    members: list[int] = field(default_factory=list)

    @property
    def title(self) -> list[list[Any]]:
        return [[gettext("Group"), self.group], [gettext("Period"), self.period]]

    @property
    def header(self) -> list[str]:
        return [gettext("Day"), gettext("Time"), gettext("Theme"), gettext("Activity"),
                gettext("Member"), gettext("Attendance"), *(label for _, label in self.kinds)]

    @property
    def totals_header(self) -> list[str]:
        return [gettext("Member"), gettext("Meetings attended"), gettext("Meetings held"),
                *(label for _, label in self.kinds)]


def _collect(period: Period) -> _Export:
    """Read the period's closed meetings, with every correction applied."""
    lang = current_lang()
    games = available_games()
    held = [m for m in period.meetings if m.status == MeetingStatus.closed.value]
    labels: dict[str, set[str]] = {}
    for meeting in held:
        module = games.get(meeting.game) if meeting.game else None
        for contribution in (module.contributions.values() if module is not None else ()):
            labels.setdefault(contribution.kind.value, set()).add(contribution.label.pick(lang))
    records = {m.id: sorted(db().scalars(select(AttendanceRecord).where(
        AttendanceRecord.meeting_id == m.id)), key=lambda r: r.member.nickname.casefold())
        for m in held}
    counts = {r.id: {k: int(str(r.current(k))) for k in ACTIVITY_KINDS}
              for found in records.values() for r in found}
    for by_kind in counts.values():  # a count no game declares (a correction) is still shown
        for kind, count in by_kind.items():
            if count:
                labels.setdefault(kind, set())
    kinds = [(k, next(iter(labels[k])) if len(labels[k]) == 1 else str(KIND_WORDS[k]))
             for k in ACTIVITY_KINDS if k in labels]
    export = _Export(group=period.group.name, period=period.name, kinds=kinds)
    totals: dict[int, list[Any]] = {}
    for meeting in held:
        activity = _activity(meeting, games, lang)
        local = meeting.starts_at.astimezone(HELSINKI)
        for record in records[meeting.id]:
            attendance = str(record.current("attendance"))
            contributed = [counts[record.id][k] for k, _ in kinds]
            export.rows.append([local.date(), time(local.hour, local.minute), meeting.theme,
                                activity, record.member.nickname,
                                str(ATTENDANCE_WORDS.get(attendance, attendance)),
                                *contributed])
            total = totals.setdefault(record.member_id,
                                      [record.member.nickname, 0, 0, *[0] * len(kinds)])
            total[1] += attendance != "absent"
            total[2] += 1
            for index, count in enumerate(contributed, start=3):
                total[index] += count
    export.totals = sorted(totals.values(), key=lambda row: str(row[0]).casefold())
    export.members = sorted(totals)
    return export


def _activity(meeting: Meeting, games: dict[str, Any], lang: str) -> str:
    """What the group did, in the leader's words: a game's own title, or an offline activity."""
    if meeting.game:
        module = games.get(meeting.game)
        return module.title.pick(lang) if module is not None else meeting.game
    return str(OFFLINE_NAMES.get(meeting.offline_activity or "", ""))


def _audit(action: str, member_ids: list[int], detail: str) -> None:
    for member_id in member_ids:
        db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id),
                            action=action, member_id=member_id, detail=detail))


def _csv_cell(value: Any) -> Any:
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return value


@bp.get("/periods/<int:period_id>/export.csv")
@requires(Role.leader)
def export_csv(period_id: int) -> Response:
    """The period's participation, then its per-member totals after a blank line, in one
    ';'-separated file with a UTF-8 BOM, so that Excel set to Finnish opens it right."""
    export = _collect(owned_period(period_id))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in [*export.title, [], export.header, *export.rows, [], [gettext("Per member")],
                 export.totals_header, *export.totals]:
        writer.writerow([_csv_cell(value) for value in line])
    _audit("export_csv", export.members, f"period {period_id}")
    db().commit()
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename=piiri-jakso-{period_id}.csv",
        "Cache-Control": "no-store"})


def _sheet(sheet: Any, export: _Export, header: list[str], rows: list[list[Any]]) -> None:
    """Write a title, a bold header and the rows; dates and times as real cells, text as text."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    lines = [*export.title, [], header, *rows]
    widths: dict[int, int] = {}
    for row_index, line in enumerate(lines, start=1):
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row=row_index, column=column)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # openpyxl would take "=…" for a formula
                cell.quotePrefix = value.startswith(_FORMULA_STARTS)
            else:
                cell.value = value
            if isinstance(value, date):
                cell.number_format = "dd.mm.yyyy"
            elif isinstance(value, time):
                cell.number_format = "hh:mm"
            if (row_index <= len(export.title) and column == 1) or line is header:
                cell.font = bold
            widths[column] = max(widths.get(column, 8), min(len(str(value)) + 2, 40))
    first = len(export.title) + 2  # the header's row
    sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
    if rows:
        last = sheet.cell(row=first + len(rows), column=len(header)).coordinate
        sheet.auto_filter.ref = f"A{first}:{last}"
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


@bp.get("/periods/<int:period_id>/export.xlsx")
@requires(Role.leader)
def export_xlsx(period_id: int) -> Response:
    """The period's participation and its per-member totals as two sheets of one workbook."""
    from openpyxl import Workbook

    export = _collect(owned_period(period_id))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _sheet_title(gettext("Participation"))
    _sheet(sheet, export, export.header, export.rows)
    _sheet(book.create_sheet(_sheet_title(gettext("Per member"))), export,
           export.totals_header, export.totals)
    data = io.BytesIO()
    book.save(data)
    _audit("export_xlsx", export.members, f"period {period_id}")
    db().commit()
    return Response(data.getvalue(), headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f"attachment; filename=piiri-jakso-{period_id}.xlsx",
        "Cache-Control": "no-store"})


def _sheet_title(words: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join(c for c in words if c not in "[]:*?/\\")[:31]
