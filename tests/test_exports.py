"""A period's export for the client plan: real date cells, the activity's title, the group and
period named, per-member totals, only the columns that mean something for what was played, the
leader's language, and nicknames that no spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from engine import StartTable
from facilitator.dbsession import db
from facilitator.models import (
    AttendanceRecord,
    AuditEntry,
    Group,
    Meeting,
    Member,
    Period,
    User,
)

from .accounts import csrf_token, login, make_user, signed_in
from .live_server import LiveServer
from .test_protocol import Client

#: Nicknames a spreadsheet would otherwise take for formulas.
FORMULAS = ['=HYPERLINK("http://evil.example","klik")', "@SUM(1)", "-1+2"]

FIRST = datetime(2026, 9, 3, 9, 0, tzinfo=UTC)    # 12.00 in Helsinki (summer time)
SECOND = datetime(2026, 9, 10, 9, 0, tzinfo=UTC)


@pytest.fixture()
def server_config(database_url: str) -> dict[str, Any]:
    """A live server on SQLite and on a real PostgreSQL server alike."""
    return {"DATABASE_URL": database_url}


def _group(app: Any, name: str, period: str, nicknames: list[str],
           meetings: list[tuple[datetime, str, str | None, str | None]]
           ) -> tuple[int, list[int], dict[str, int]]:
    """A group with members and a period of planned meetings (start, theme, game, offline)."""
    with app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        group = Group(organisation_id=user.organisation_id, name=name)
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=n) for n in nicknames]
        found = Period(group_id=group.id, name=period, starts_on=date(2026, 9, 1))
        db().add_all([*members, found])
        db().flush()
        planned = [Meeting(period_id=found.id, starts_at=at, theme=theme, game=game,
                           game_options={"rounds": 1} if game == "circle" else {},
                           offline_activity=offline) for at, theme, game, offline in meetings]
        db().add_all(planned)
        db().commit()
        return found.id, [m.id for m in planned], {m.nickname: m.id for m in members}


def _close(panel: Any, token: str, meeting_id: int, attendance: dict[int, str]) -> None:
    """The leader's roll call: one value per member, then "save"."""
    form = {"csrf_token": token, **{f"attendance-{k}": v for k, v in attendance.items()}}
    assert panel.post(f"/panel/meetings/{meeting_id}/close", data=form).status_code == 302


def _correct(panel: Any, token: str, app: Any, meeting_id: int, member_id: int, field: str,
             value: str) -> None:
    with app.app_context():
        record = db().scalar(select(AttendanceRecord).where(
            AttendanceRecord.meeting_id == meeting_id, AttendanceRecord.member_id == member_id))
        assert record is not None
        record_id = record.id
    assert panel.post(f"/panel/meetings/{meeting_id}/correct", data={
        "csrf_token": token, "record": record_id, "field": field, "value": value,
        "reason": "Korjattu muistiinpanoista"}).status_code == 302


def _csv(panel: Any, period_id: int) -> list[list[list[str]]]:
    """The CSV export, parsed, as its blank-line separated parts."""
    raw = panel.get(f"/panel/periods/{period_id}/export.csv").get_data(as_text=True)
    assert raw.startswith("\ufeff")
    parts: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"):
        if row:
            parts[-1].append(row)
        else:
            parts.append([])
    return parts


def _xlsx(panel: Any, period_id: int) -> tuple[Any, bytes]:
    data = panel.get(f"/panel/periods/{period_id}/export.xlsx").data
    return load_workbook(io.BytesIO(data)), data


def _values(sheet: Any) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _attended_on_member_page(panel: Any, member_id: int) -> tuple[int, int]:
    page = panel.get(f"/panel/members/{member_id}").get_data(as_text=True)
    found = re.search(r"osallistui (\d+)/(\d+) tapaamiseen", page)
    assert found, page
    return int(found.group(1)), int(found.group(2))


def test_the_export_fits_a_client_plan(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, (circle, colours, _), ids = _group(
        server.app, "Torstai", "Syksy 2026", ["Aino", "Bashir", "Dmitri", *FORMULAS], [
            (FIRST, "Tutustutaan", "circle", None),
            (SECOND, "Perhe", "elaman_varit", None),
            (datetime(2026, 9, 17, 9, tzinfo=UTC), "Yhdessä", "escape_room", None)])
    token = csrf_token(panel, f"/panel/periods/{period_id}")

    # The first meeting is played at a real table: Aino takes her turn, Bashir passes.
    started = panel.post(f"/panel/meetings/{circle}/start", data={"csrf_token": token})
    live = server.hub.find(started.headers["Location"].rsplit("/", 1)[1])
    assert live is not None
    tablets = {name: Client(server) for name in ("Aino", "Bashir")}
    for name, tablet in tablets.items():
        tablet.join(live.code, name)
    server.hub.apply(live, StartTable(at=server.hub.now()))
    seats = {s.id: s.nickname for s in live.table.meta.seats}
    moves = 0
    while live.table.status.value == "playing":
        current = live.table.meta.turn.current
        assert current is not None
        name = seats[current]
        if name == "Bashir":
            tablets[name].send(t="pass", id=100 + moves)
        else:
            tablets[name].send(t="move", id=100 + moves, name="done", payload={})
        tablets[name].until("ack")
        moves += 1
    _close(panel, token, circle, {i: "absent" if n == "Dmitri" else "present"
                                  for n, i in ids.items()})
    # Eeva joins the group after the first meeting.
    with server.app.app_context():
        eeva = Member(group_id=db().get(Period, period_id).group_id,  # type: ignore[union-attr]
                      nickname="Eeva")
        db().add(eeva)
        db().commit()
        ids["Eeva"] = eeva.id
    # The second is recorded from the roll call alone, then corrected.
    _close(panel, token, colours, {i: "absent" if n == "@SUM(1)" else "present"
                                   for n, i in ids.items()})
    _correct(panel, token, server.app, colours, ids["Bashir"], "answers", "3")
    _correct(panel, token, server.app, colours, ids["Bashir"], "attendance", "left_early")
    # The escape room is still only planned: it adds no column and no row.

    header = ["Päivä", "Kellonaika", "Teema", "Toiminta", "Jäsen", "Läsnäolo",
              "Vuoroja", "Vastauksia kaikille-kortteihin", "Kannustuksia"]
    expected_rows = sorted(
        [["03.09.2026", "12:00", "Tutustutaan", "Kierros", name,
          "Poissa" if name == "Dmitri" else "Paikalla", "1" if name == "Aino" else "0", "0", "0"]
         for name in ids if name != "Eeva"]
        + [["10.09.2026", "12:00", "Perhe", "Elämän värit", name,
            {"@SUM(1)": "Poissa", "Bashir": "Lähti aiemmin"}.get(name, "Paikalla"), "0",
            "3" if name == "Bashir" else "0", "0"] for name in ids],
        key=lambda row: (row[0], row[4].casefold()))
    attended = {name: (2, 2) for name in ids} | {"Dmitri": (1, 2), "@SUM(1)": (1, 2),
                                                  "Eeva": (1, 1)}
    expected_totals = sorted(
        [[name, *map(str, attended[name]), "1" if name == "Aino" else "0",
          "3" if name == "Bashir" else "0", "0"] for name in ids],
        key=lambda row: row[0].casefold())

    # CSV: the group and period on top, the table, then the per-member totals.
    title, table, totals = _csv(panel, period_id)
    assert title == [["Ryhmä", "Torstai"], ["Jakso", "Syksy 2026"]]
    assert table[0] == header  # no votes and no clues: nothing played counts them
    safe = {name: "'" + name for name in FORMULAS}
    assert table[1:] == [[*row[:4], safe.get(row[4], row[4]), *row[5:]] for row in expected_rows]
    assert totals[0] == ["Jäsenittäin"]
    assert totals[1] == ["Jäsen", "Osallistui tapaamisiin", "Pidettyjä tapaamisia",
                         *header[6:]]
    assert totals[2:] == [[safe.get(row[0], row[0]), *row[1:]] for row in expected_totals]

    # Excel: the same, as two sheets, with real date and time cells and text as text.
    book, data = _xlsx(panel, period_id)
    assert book.sheetnames == ["Osallistuminen", "Jäsenittäin"]
    sheet = book["Osallistuminen"]
    values = _values(sheet)
    assert values[:3] == [["Ryhmä", "Torstai", *[None] * 7], ["Jakso", "Syksy 2026", *[None] * 7],
                          [None] * 9]
    assert values[3] == header
    for row, want in zip(sheet.iter_rows(min_row=5), expected_rows, strict=True):
        day, at = row[0], row[1]
        assert isinstance(day.value, datetime) and day.is_date
        assert day.number_format == "dd.mm.yyyy"
        assert day.value.strftime("%d.%m.%Y") == want[0]
        assert isinstance(at.value, time) and at.value.strftime("%H:%M") == want[1]
        assert [c.value for c in row[2:6]] == want[2:6]
        assert [c.value for c in row[6:]] == [int(v) for v in want[6:]]
        assert all(c.data_type == "n" for c in row[6:])
    totals_sheet = _values(book["Jäsenittäin"])
    assert totals_sheet[3] == ["Jäsen", "Osallistui tapaamisiin", "Pidettyjä tapaamisia",
                               *header[6:]]
    assert totals_sheet[4:] == [[row[0], *map(int, row[1:])] for row in expected_totals]
    for row in sheet.iter_rows(min_row=5):
        if row[4].value in FORMULAS:
            assert row[4].data_type == "s" and row[4].quotePrefix
        else:
            assert not row[4].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode()  # not one formula

    # The totals agree with each member's own page.
    for name, member_id in ids.items():
        assert _attended_on_member_page(panel, member_id) == attended[name], name

    # Both exports are in the audit log, for every member in them.
    with server.app.app_context():
        actions = {(a.action, a.member_id) for a in db().scalars(select(AuditEntry))}
    for member_id in ids.values():
        assert {("export_csv", member_id), ("export_xlsx", member_id)} <= actions


def test_a_period_of_escape_rooms_has_a_clues_column_and_no_turns(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, (room,), ids = _group(server.app, "Tiistai", "Kevät", ["Liisa", "Mikko"],
                                     [(FIRST, "Yhteistyö", "escape_room", None)])
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    _close(panel, token, room, {ids["Liisa"]: "present", ids["Mikko"]: "late"})
    _correct(panel, token, server.app, room, ids["Mikko"], "clues", "2")

    _, table, totals = _csv(panel, period_id)
    # The room counts clues shared and locks opened alike: a neutral heading for both.
    assert table[0] == ["Päivä", "Kellonaika", "Teema", "Toiminta", "Jäsen", "Läsnäolo",
                        "Vihjeitä ja ratkaisuja"]
    assert table[1:] == [["03.09.2026", "12:00", "Yhteistyö", "Pakohuone", "Liisa", "Paikalla",
                          "0"],
                         ["03.09.2026", "12:00", "Yhteistyö", "Pakohuone", "Mikko",
                          "Tuli myöhemmin", "2"]]
    assert totals[2:] == [["Liisa", "1", "1", "0"], ["Mikko", "1", "1", "2"]]
    book, _ = _xlsx(panel, period_id)
    assert _values(book.active)[3][-1] == "Vihjeitä ja ratkaisuja"


def _planned(app: Any, game: str | None, offline: str | None = None) -> tuple[int, int, int]:
    period_id, (meeting_id,), ids = _group(app, "Torstai", "Syksy", ["Aino"],
                                           [(FIRST, "Tutustutaan", game, offline)])
    return period_id, meeting_id, ids["Aino"]


def test_a_swedish_leader_gets_swedish_headings_and_titles(app: Any) -> None:
    panel = signed_in(app, lang="sv")
    period_id, meeting_id, aino = _planned(app, "elaman_varit")
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    _close(panel, token, meeting_id, {aino: "present"})

    book, _ = _xlsx(panel, period_id)
    assert book.sheetnames == ["Deltagande", "Per medlem"]
    values = _values(book["Deltagande"])
    assert [row[:2] for row in values[:2]] == [["Grupp", "Torstai"], ["Period", "Syksy"]]
    assert values[3] == ["Dag", "Klockslag", "Tema", "Verksamhet", "Medlem", "Närvaro",
                         "Turer", "Svar på allas kort", "Uppmuntringar"]
    assert values[4][2:] == ["Tutustutaan", "Livets färger", "Aino", "Närvarande", 0, 0, 0]
    assert _values(book["Per medlem"])[3:] == [
        ["Medlem", "Deltog i träffar", "Hållna träffar", "Turer", "Svar på allas kort",
         "Uppmuntringar"], ["Aino", 1, 1, 0, 0, 0]]
    title, table, totals = _csv(panel, period_id)
    assert title == [["Grupp", "Torstai"], ["Period", "Syksy"]]
    assert table[0] == values[3] and table[1][3] == "Livets färger"
    assert totals[0] == ["Per medlem"]


def test_an_offline_activity_has_no_count_columns_until_a_correction_gives_one(
        app: Any) -> None:
    panel = signed_in(app, lang="en")
    period_id, meeting_id, aino = _planned(app, None, "walk")
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    _close(panel, token, meeting_id, {aino: "left_early"})
    _, table, totals = _csv(panel, period_id)
    assert table == [["Day", "Time", "Theme", "Activity", "Member", "Attendance"],
                     ["03.09.2026", "12:00", "Tutustutaan", "Walk", "Aino", "Left early"]]
    assert totals[1:] == [["Member", "Meetings attended", "Meetings held"], ["Aino", "1", "1"]]
    _correct(panel, token, app, meeting_id, aino, "turns", "2")  # a count is never hidden
    _, table, totals = _csv(panel, period_id)
    assert table[0][-1] == "Turns" and table[1][-1] == "2"
    assert totals[2] == ["Aino", "1", "1", "2"]


def test_text_that_looks_like_a_formula_stays_text() -> None:
    from facilitator.groups.exports import spreadsheet_safe

    for text in (*FORMULAS, "+358 40 123", "\tx", "\rx"):
        assert spreadsheet_safe(text) == "'" + text
    for text in ("Aino", "1+2", "Anna-Liisa", ""):
        assert spreadsheet_safe(text) == text
