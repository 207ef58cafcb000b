"""Closing a meeting: a roll call pre-filled from the table, a frozen record with corrections on
top, exports for the client plan, and an audit trail of who looked."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
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
    Role,
    TableOwner,
    User,
)

from .accounts import csrf_token, login, make_user
from .live_server import LiveServer
from .test_protocol import Client


@pytest.fixture()
def server_config(database_url: str) -> dict[str, Any]:
    """A live server on SQLite and on a real PostgreSQL server alike."""
    return {"DATABASE_URL": database_url}


def plan(server: LiveServer) -> tuple[int, int, dict[str, int]]:
    with server.app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        group = Group(organisation_id=user.organisation_id, name="Torstai")
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=n)
                   for n in ("Aino", "Bashir", "Camilla", "Dmitri")]
        db().add_all(members)
        period = Period(group_id=group.id, name="Syksy", starts_on=datetime.now(UTC).date())
        db().add(period)
        db().flush()
        meeting = Meeting(period_id=period.id, starts_at=datetime.now(UTC) + timedelta(hours=1),
                          theme="Tutustutaan", game="circle", game_options={"rounds": 1})
        db().add(meeting)
        db().commit()
        return period.id, meeting.id, {m.nickname: m.id for m in members}


def test_meeting_closes_with_a_record_read_from_the_table(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, ids = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    started = panel.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    code = started.headers["Location"].rsplit("/", 1)[1]
    live = server.hub.find(code)
    assert live is not None
    tablets: dict[str, Any] = {}
    for name in ("Aino", "Bashir", "Camilla"):  # Dmitri is not here today
        tablets[name] = Client(server)
        tablets[name].join(code, name)
    server.hub.apply(live, StartTable(at=server.hub.now()))
    seats = {s.nickname: s.id for s in live.table.meta.seats}
    moves = 0
    while live.table.status.value == "playing":
        current = live.table.meta.turn.current
        name = next(n for n, s in seats.items() if s == current)
        if name == "Bashir":
            tablets[name].send(t="pass", id=100 + moves)
        else:
            tablets[name].send(t="move", id=100 + moves, name="done", payload={})
        tablets[name].until("ack")
        moves += 1

    rollcall = panel.get(f"/panel/meetings/{meeting_id}").get_data(as_text=True)
    assert f'name="attendance-{ids["Dmitri"]}"' in rollcall
    form = {"csrf_token": token}
    for name, member_id in ids.items():
        form[f"attendance-{member_id}"] = "absent" if name == "Dmitri" else "present"
    assert panel.post(f"/panel/meetings/{meeting_id}/close", data=form).status_code == 302
    with server.app.app_context():
        records = {r.member.nickname: r for r in db().scalars(select(AttendanceRecord))}
        assert records["Aino"].turns == 1 and records["Aino"].attendance == "present"
        assert records["Bashir"].turns == 0  # passed: nothing counted against anyone
        assert records["Dmitri"].attendance == "absent"
        bashir = records["Bashir"].id

    # A later correction goes on top, with a reason; the original stays.
    panel.post(f"/panel/meetings/{meeting_id}/correct", data={
        "csrf_token": token, "record": bashir, "field": "attendance", "value": "left_early",
        "reason": "Lähti bussille klo 11"})
    summary = panel.get(f"/panel/meetings/{meeting_id}").get_data(as_text=True)
    assert "Lähti aiemmin" in summary and "Lähti bussille" in summary
    with server.app.app_context():
        assert db().get(AttendanceRecord, bashir).attendance == "present"  # type: ignore[union-attr]

    exported = panel.get(f"/panel/periods/{period_id}/export.csv")
    raw = exported.get_data(as_text=True)
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    # Issue 13's layout: the group and period on top, the table, then per-member totals.
    assert rows[:3] == [["Ryhmä", "Torstai"], ["Jakso", "Syksy"], []]
    table = rows[3:rows.index([], 3)]
    assert table[0][:6] == ["Päivä", "Kellonaika", "Teema", "Toiminta", "Jäsen", "Läsnäolo"]
    by_name = {row[4]: row for row in table[1:]}
    assert set(by_name) == {"Aino", "Bashir", "Camilla", "Dmitri"}
    assert by_name["Bashir"][5] == "Lähti aiemmin" and by_name["Dmitri"][5] == "Poissa"
    assert "ohita" not in raw.lower() and "pass" not in raw.lower()  # passes never exported
    book = load_workbook(io.BytesIO(panel.get(f"/panel/periods/{period_id}/export.xlsx").data))
    sheet = book.active
    assert sheet is not None and sheet.max_row == 8  # title, blank row, header, 4 members
    with server.app.app_context():
        actions = [(a.action, a.member_id) for a in db().scalars(select(AuditEntry))]
    assert ("export_csv", ids["Aino"]) in actions and ("export_xlsx", ids["Dmitri"]) in actions
    assert ("view_records", ids["Camilla"]) in actions


def test_another_organisation_cannot_close_or_export(server: LiveServer) -> None:
    make_user(server.app)
    period_id, meeting_id, _ = plan(server)
    make_user(server.app, "b@b.example", "Org B")
    other = server.app.test_client()
    login(other, "b@b.example")
    token = csrf_token(other, "/panel/groups/")
    assert other.get(f"/panel/meetings/{meeting_id}").status_code == 404
    assert other.post(f"/panel/meetings/{meeting_id}/close",
                      data={"csrf_token": token}).status_code == 404
    assert other.get(f"/panel/periods/{period_id}/export.csv").status_code == 404


def test_member_timeline_prints_and_is_audited(server: LiveServer) -> None:
    make_user(server.app, "admin@a.example", role=Role.admin)
    panel = server.app.test_client()
    login(panel, "admin@a.example")
    period_id, meeting_id, ids = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    form = {"csrf_token": token, **{f"attendance-{i}": "present" for i in ids.values()}}
    form[f"attendance-{ids['Dmitri']}"] = "absent"
    panel.post(f"/panel/meetings/{meeting_id}/close", data=form)
    page = panel.get(f"/panel/members/{ids['Aino']}").get_data(as_text=True)
    assert 'id="chart"' in page and "Paikalla" in page and "1/1" in page
    absent = panel.get(f"/panel/members/{ids['Dmitri']}").get_data(as_text=True)
    assert "Poissa" in absent and "0/1" in absent
    audit = panel.get("/panel/audit").get_data(as_text=True)
    assert "view_member" in audit and "Aino" in audit


def test_audit_log_is_for_admins_only(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    assert panel.get("/panel/audit").status_code == 403


def test_retention_deletes_old_logs_and_records_but_keeps_the_audit(server: LiveServer,
                                                                    tmp_path: Path) -> None:
    from datetime import date

    from facilitator.groups.retention import apply_retention

    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, ids = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    started = panel.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    live = server.hub.find(started.headers["Location"].rsplit("/", 1)[1])
    form = {"csrf_token": token, **{f"attendance-{i}": "present" for i in ids.values()}}
    panel.post(f"/panel/meetings/{meeting_id}/close", data=form)  # also ends the table
    panel.get(f"/panel/periods/{period_id}/export.csv")
    with server.app.app_context():
        period = db().get(Period, period_id)
        assert period is not None
        period.ends_on = date.today()
        db().commit()
        store = server.app.extensions["piiri.store"]
        assert live is not None and store.events(live.table_id)
        soon = apply_retention(db(), 12, dry_run=True)
        assert (soon.tables, soon.records) == (0, 0)  # nothing is old yet
        later = date.today() + timedelta(days=400)
        counted = apply_retention(db(), 12, today=later, dry_run=True)
        assert counted.tables == 1 and counted.records == 4
        assert store.events(live.table_id)  # a dry run deletes nothing
        removed = apply_retention(db(), 12, today=later)
        assert removed.records == 4
        assert store.events(live.table_id) == []
        assert db().scalars(select(AttendanceRecord)).all() == []
        assert db().scalars(select(AuditEntry)).all()  # who looked stays on record


def test_leaders_keep_notes_that_cofacilitators_never_see(server: LiveServer) -> None:
    make_user(server.app)
    make_user(server.app, "peer@a.example", role=Role.cofacilitator)
    leader, peer = server.app.test_client(), server.app.test_client()
    login(leader)
    login(peer, "peer@a.example")
    period_id, meeting_id, _ = plan(server)
    token = csrf_token(leader, f"/panel/periods/{period_id}")
    started = leader.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    table_url = started.headers["Location"]
    leader.post(f"/panel/meetings/{meeting_id}/notes",
                data={"csrf_token": token, "text": "Aino toi pullaa", "back": table_url})
    refused = leader.post(f"/panel/meetings/{meeting_id}/notes", data={
        "csrf_token": token, "text": "Bashir 131052-308T", "back": table_url},
        follow_redirects=True).get_data(as_text=True)
    assert "henkilötunnus" in refused and "131052-308T" not in refused
    assert "Aino toi pullaa" in leader.get(table_url).get_data(as_text=True)
    peer_page = peer.get(table_url)
    assert peer_page.status_code == 200  # a co-facilitator runs the table…
    assert "Aino toi pullaa" not in peer_page.get_data(as_text=True)  # …without the notes
    peer_token = csrf_token(peer, table_url)
    assert peer.post(f"/panel/meetings/{meeting_id}/notes", data={
        "csrf_token": peer_token, "text": "x"}).status_code == 403


def test_group_overview_counts_attendance_without_ranking(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, ids = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    form = {"csrf_token": token, **{f"attendance-{i}": "present" for i in ids.values()}}
    form[f"attendance-{ids['Dmitri']}"] = "absent"
    panel.post(f"/panel/meetings/{meeting_id}/close", data=form)
    with server.app.app_context():
        group_id = db().get(Period, period_id).group_id  # type: ignore[union-attr]
    page = panel.get(f"/panel/groups/{group_id}").get_data(as_text=True)
    assert "osallistui 1/1 tapaamiseen" in page and "osallistui 0/1 tapaamiseen" in page
    names = [n for n in ("Aino", "Bashir", "Camilla", "Dmitri")]
    assert sorted(names, key=page.index) == names  # nickname order, never ranked
    with server.app.app_context():
        actions = [a.action for a in db().scalars(select(AuditEntry))]
    assert actions.count("view_group_overview") == 4


def test_a_period_is_planned_from_the_programme_in_one_go(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, _, _ = plan(server)
    page = panel.get(f"/panel/periods/{period_id}").get_data(as_text=True)
    import re
    token = re.search(r'name="g-csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    panel.post(f"/panel/periods/{period_id}/programme", data={
        "g-csrf_token": token.group(1), "g-programme": "elaman_varit",
        "g-first_day": "2026-09-03", "g-at": "13:00"})
    with server.app.app_context():
        planned = list(db().scalars(select(Meeting).where(
            Meeting.period_id == period_id, Meeting.game == "elaman_varit")
            .order_by(Meeting.starts_at)))
    assert len(planned) == 12
    assert planned[0].starts_at == datetime(2026, 9, 3, 10, 0, tzinfo=UTC)  # 13:00 EEST
    assert planned[-1].starts_at == datetime(2026, 11, 19, 11, 0, tzinfo=UTC)  # 13:00 EET
    assert all(m.theme and m.game_options["decks"] for m in planned)


def test_a_meetings_game_choices_are_kept_and_used(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, ids = plan(server)
    url = f"/panel/meetings/{meeting_id}/options"
    token = csrf_token(panel, url)
    assert panel.post(url, data={"csrf_token": token, "rounds": "3"}).status_code == 302
    bad = panel.post(url, data={"csrf_token": token, "rounds": "99"})
    assert bad.status_code == 200 and 'class="error"' in bad.get_data(as_text=True)
    started = panel.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    live = server.hub.find(started.headers["Location"].rsplit("/", 1)[1])
    assert live is not None and live.table.options.rounds == 3

    # After a restart the table still offers the group's names to join with.
    server.restart()
    again = server.hub.find(live.code)
    assert again is not None and set(again.roster) == set(ids)


def test_demo_data_only_with_demo(tmp_path: Path) -> None:
    from facilitator.app import create_app
    from facilitator.demo import DEMO_EMAIL, seed_demo

    app = create_app({"DATABASE": str(tmp_path / "d.sqlite3"), "TICKS": False,
                      "SECRET_KEY": "s"})
    with app.app_context():
        assert db().scalar(select(User)) is None  # a plain start makes no accounts
    email, password = seed_demo(app)
    assert email == DEMO_EMAIL and password
    assert seed_demo(app) == (DEMO_EMAIL, None)  # once only
    with app.app_context():
        group = db().scalar(select(Group))
        assert group is not None and len(group.members) == 4
        assert db().scalar(select(Meeting)) is not None
    app.extensions["piiri.store"].close()


def test_the_demo_opens_its_meetings_own_table(tmp_path: Path) -> None:
    """``make demo`` shows one table: the one the demo meeting's button leads to."""
    from facilitator.app import create_app
    from facilitator.demo import open_demo_table, seed_demo

    app = create_app({"DATABASE": str(tmp_path / "d.sqlite3"), "TICKS": False,
                      "SECRET_KEY": "s"})
    email, password = seed_demo(app)
    live = open_demo_table(app)
    assert live is not None
    with app.app_context():
        meeting = db().scalar(select(Meeting))
        assert meeting is not None and live.table.module.id == meeting.game
        owner = db().scalar(select(TableOwner).where(TableOwner.meeting_id == meeting.id))
        assert owner is not None and owner.table_id == live.table_id
        meeting_id = meeting.id
    assert open_demo_table(app) is live  # started again: the same table
    panel = app.test_client()
    login(panel, email, password)
    token = csrf_token(panel, "/panel/")
    started = panel.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    assert started.headers["Location"].endswith(f"/panel/t/{live.code}")
    app.extensions["piiri.store"].close()


def test_a_bad_correction_is_explained_next_to_its_field(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, ids = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    form = {"csrf_token": token, **{f"attendance-{i}": "present" for i in ids.values()}}
    panel.post(f"/panel/meetings/{meeting_id}/close", data=form)
    with server.app.app_context():
        record = db().scalar(select(AttendanceRecord))
        assert record is not None
        record_id = record.id
    response = panel.post(f"/panel/meetings/{meeting_id}/correct", data={
        "csrf_token": token, "record": record_id, "field": "turns", "value": "left_early",
        "reason": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="correct-value-error"' in page and "Valitse määräksi luku" in page
    assert 'id="correct-reason-error"' in page and "miksi kirjausta korjataan" in page
    with server.app.app_context():
        assert db().get(AttendanceRecord, record_id).corrections == []  # type: ignore[union-attr]


def test_an_empty_or_identifying_hint_is_refused_with_words(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, _ = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    table_url = panel.post(f"/panel/meetings/{meeting_id}/start",
                           data={"csrf_token": token}).headers["Location"]
    code = table_url.rsplit("/", 1)[1]
    empty = panel.post(f"/panel/t/{code}/hint", data={"csrf_token": token, "text": " "},
                       follow_redirects=True).get_data(as_text=True)
    assert "Kirjoita ensin vinkki" in empty
    coded = panel.post(f"/panel/t/{code}/hint", data={"csrf_token": token,
                                                      "text": "Aino 131052-308T"},
                       follow_redirects=True).get_data(as_text=True)
    assert "henkilötunnus" in coded
    live = server.hub.find(code)
    assert live is not None and live.table.meta.hint is None


def test_the_roll_call_names_the_activity_not_its_id(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, ids = plan(server)
    page = panel.get(f"/panel/meetings/{meeting_id}").get_data(as_text=True)
    assert "Kierros" in page and "— circle" not in page
    # Only what the circle counts has a column (turns and encouragements; no votes or clues).
    assert "Ääniä" not in page and "Vihjeitä jaettu" not in page
    assert "Vuoroja" in page and "Kannustuksia" in page


def test_today_lists_only_tables_in_progress_and_says_the_table_is_open(
        server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, ids = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    started = panel.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    code = started.headers["Location"].rsplit("/", 1)[1]
    today = panel.get("/panel/").get_data(as_text=True)
    assert code in today and "Pöytä auki" in today  # open, though no game has started
    panel.post(f"/panel/t/{code}/end", data={"csrf_token": token})
    tables = panel.get("/panel/").get_data(as_text=True).split('id="tables"', 1)[1]
    assert code not in tables.split("</ul>", 1)[0]
