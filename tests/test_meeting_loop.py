"""The meeting loop (issue 13): one lifecycle per meeting (planned → running → ended →
closed), records that no ordinary click can corrupt, and the way from the game to the record.

Over the real app: the panel through its test client, tablets through the real hub."""

from __future__ import annotations

import csv
import io
import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from engine import Accepted, Avatar, AvatarColour, AvatarIcon, TableStatus
from facilitator.dbsession import db
from facilitator.models import (
    AttendanceRecord,
    Group,
    Meeting,
    Member,
    Period,
    RecordCorrection,
    TableOwner,
    User,
)

from .accounts import csrf_token, login, login_page, make_user, signed_in

AVATAR = Avatar(icon=AvatarIcon.star, colour=AvatarColour.blue)
NAMES = ("Aino", "Bashir", "Camilla", "Dmitri")


# -- helpers ---------------------------------------------------------------------------------


def plan(app: Any, names: tuple[str, ...] = NAMES, game: str | None = "circle",
         group_name: str = "Torstai") -> tuple[int, int, dict[str, int]]:
    """A group with members, a period and a meeting later today; (period, meeting, ids)."""
    with app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        group = Group(organisation_id=user.organisation_id, name=group_name)
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=n) for n in names]
        db().add_all(members)
        period = Period(group_id=group.id, name="Syksy", starts_on=datetime.now(UTC).date())
        db().add(period)
        db().flush()
        meeting = Meeting(period_id=period.id, starts_at=_later_today(), theme="Tutustutaan",
                          game=game, game_options={"rounds": 1} if game else {},
                          offline_activity=None if game else "walk")
        db().add(meeting)
        db().commit()
        return period.id, meeting.id, {m.nickname: m.id for m in members}


def _later_today() -> datetime:
    from facilitator.i18n import HELSINKI

    now = datetime.now(HELSINKI)
    soon = now + timedelta(minutes=1)
    return (soon if soon.date() == now.date() else now).astimezone(UTC)


def start(client: Any, meeting_id: int, token: str) -> Any:
    return client.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})


def code_of(response: Any) -> str | None:
    location = response.headers.get("Location", "")
    return location.rsplit("/", 1)[1] if "/panel/t/" in location else None


def prefill(client: Any, meeting_id: int) -> dict[int, str]:
    """The roll call's pre-filled attendance, by member id."""
    page = client.get(f"/panel/meetings/{meeting_id}").get_data(as_text=True)
    found = {}
    for member_id, options in re.findall(r'name="attendance-(\d+)"[^>]*>(.*?)</select>', page,
                                         re.S):
        chosen = re.search(r'value="(\w+)" selected', options)
        assert chosen, f"nothing chosen for member {member_id}"
        found[int(member_id)] = chosen.group(1)
    return found


def close(client: Any, meeting_id: int, token: str,
          attendance: dict[int, str] | None = None) -> Any:
    form = {"csrf_token": token}
    form.update({f"attendance-{k}": v for k, v in (attendance or {}).items()})
    return client.post(f"/panel/meetings/{meeting_id}/close", data=form)


def records(app: Any, meeting_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        return sorted((r.member_id, r.attendance) for r in db().scalars(
            select(AttendanceRecord).where(AttendanceRecord.meeting_id == meeting_id)))


def status(app: Any, meeting_id: int) -> str:
    with app.app_context():
        found = db().get(Meeting, meeting_id)
        assert found is not None
        return found.status


def tables_of(app: Any, meeting_id: int) -> int:
    with app.app_context():
        return int(db().scalar(select(func.count()).select_from(TableOwner).where(
            TableOwner.meeting_id == meeting_id)) or 0)


def pass_until_over(hub: Any, live: Any) -> None:
    """Everyone passes every turn until the game is over."""
    msg = 1000
    while live.table.status is TableStatus.playing:
        msg += 1
        hub.pass_turn(live, live.table.meta.turn.current, msg)


def export_counts(client: Any, period_id: int) -> dict[str, tuple[int, int]]:
    """From the CSV export (English): per nickname, (rows, rows not absent) of the
    participation table."""
    raw = client.get(f"/panel/periods/{period_id}/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    start_at = next(i for i, row in enumerate(rows) if "Member" in row and "Attendance" in row)
    header = rows[start_at]
    member, attendance = header.index("Member"), header.index("Attendance")
    counts: dict[str, tuple[int, int]] = {}
    for row in rows[start_at + 1:]:
        if not any(cell.strip() for cell in row):
            break  # the participation table ends at a blank row
        total, attended = counts.get(row[member], (0, 0))
        counts[row[member]] = (total + 1, attended + (row[attendance] != "Absent"))
    return counts


def member_page_counts(client: Any, member_id: int) -> tuple[int, int]:
    """(meetings, attended) as the member's own page says it (English)."""
    page = client.get(f"/panel/members/{member_id}").get_data(as_text=True)
    found = re.search(r"attended (\d+)/(\d+) meetings", page)
    assert found, page
    return int(found.group(2)), int(found.group(1))


# -- the lifecycle ---------------------------------------------------------------------------


def test_a_closed_meeting_is_never_started_again_not_even_from_a_stale_tab(app: Any) -> None:
    client = signed_in(app, lang="en")
    period_id, meeting_id, ids = plan(app)
    token = csrf_token(client, f"/panel/periods/{period_id}")
    code = code_of(start(client, meeting_id, token))
    hub = app.extensions["piiri.hub"]
    live = hub.find(code)
    hub.join(live, "Aino", AVATAR)
    assert close(client, meeting_id, token, {ids["Aino"]: "left_early"}).status_code == 302
    before = records(app, meeting_id)
    tables = len(hub.tables())

    # The stale tab still shows the button; the server refuses all the same.
    refused = start(client, meeting_id, token)
    assert refused.status_code == 302 and code_of(refused) is None
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "already recorded" in page
    assert len(hub.tables()) == tables and tables_of(app, meeting_id) == 1
    assert status(app, meeting_id) == "closed"
    assert records(app, meeting_id) == before
    assert close(client, meeting_id, token, dict.fromkeys(ids.values(), "present")
                 ).status_code == 302
    assert records(app, meeting_id) == before  # closing again changes nothing

    # No page offers to start it: not the meeting, the period, nor Today.
    for path in (f"/panel/meetings/{meeting_id}", f"/panel/periods/{period_id}", "/panel/"):
        page = client.get(path).get_data(as_text=True)
        assert f"/panel/meetings/{meeting_id}/start" not in page, path
    today = client.get("/panel/").get_data(as_text=True)
    assert 'data-state="closed"' in today and "See the record" in today


def test_ending_the_game_leads_to_the_roll_call(app: Any) -> None:
    client = signed_in(app, lang="fi")
    period_id, meeting_id, ids = plan(app)
    token = csrf_token(client, f"/panel/periods/{period_id}")
    today = client.get("/panel/").get_data(as_text=True)
    assert "Avaa pöytä" in today and "Aloita peli" not in today
    code = code_of(start(client, meeting_id, token))
    assert status(app, meeting_id) == "live"
    table_page = client.get(f"/panel/t/{code}").get_data(as_text=True)
    assert "Aloita peli" in table_page and "Avaa pöytä" not in table_page
    assert f'action="/panel/meetings/{meeting_id}"' in table_page  # shown once it has ended
    today = client.get("/panel/").get_data(as_text=True)
    assert 'data-state="live"' in today and f'action="/panel/t/{code}"' in today

    client.post(f"/panel/t/{code}/end", data={"csrf_token": token})
    assert status(app, meeting_id) == "ended"
    table_page = client.get(f"/panel/t/{code}").get_data(as_text=True)
    assert 'data-status="ended"' in table_page and "Kirjaa läsnäolot" in table_page
    today = client.get("/panel/").get_data(as_text=True)
    assert 'data-state="ended"' in today and "Kirjaa läsnäolot" in today
    assert f"/panel/meetings/{meeting_id}/start" not in today
    del ids


def test_a_game_that_ends_by_itself_ends_the_meeting(app: Any) -> None:
    client = signed_in(app, lang="en")
    period_id, meeting_id, _ = plan(app)
    token = csrf_token(client, f"/panel/periods/{period_id}")
    code = code_of(start(client, meeting_id, token))
    hub = app.extensions["piiri.hub"]
    live = hub.find(code)
    hub.join(live, "Aino", AVATAR)
    client.post(f"/panel/t/{code}/start", data={"csrf_token": token})
    pass_until_over(hub, live)
    period = client.get(f"/panel/periods/{period_id}").get_data(as_text=True)
    assert re.search(rf'data-meeting="{meeting_id}" data-state="ended"', period)
    assert status(app, meeting_id) == "ended"


def test_the_live_page_has_the_panels_header(app: Any) -> None:
    client = signed_in(app, lang="fi")
    period_id, meeting_id, _ = plan(app)
    token = csrf_token(client, f"/panel/periods/{period_id}")
    code = code_of(start(client, meeting_id, token))
    page = client.get(f"/panel/t/{code}").get_data(as_text=True)
    assert 'id="lang-switch"' in page and "Kirjaudu ulos" in page
    assert 'href="/panel/groups/"' in page
    assert re.search(r"<body[^>]*data-live=", page)  # panel.js still finds its table


def test_prefill_is_present_only_for_members_who_joined(app: Any) -> None:
    client = signed_in(app, lang="en")
    period_id, meeting_id, ids = plan(app)
    token = csrf_token(client, f"/panel/periods/{period_id}")
    hub = app.extensions["piiri.hub"]
    live = hub.find(code_of(start(client, meeting_id, token)))
    hub.join(live, "Aino", AVATAR)
    hub.join(live, "Bashir", AVATAR)
    client.post(f"/panel/t/{live.code}/start", data={"csrf_token": token})
    pass_until_over(hub, live)  # both passed every turn: they still took part
    filled = prefill(client, meeting_id)
    assert filled[ids["Aino"]] == "present" and filled[ids["Bashir"]] == "present"
    assert filled[ids["Camilla"]] == "absent" and filled[ids["Dmitri"]] == "absent"


def test_another_table_adds_to_the_same_meeting(app: Any) -> None:
    """The laptop died: a second table for the same meeting; one roll call from both."""
    client = signed_in(app, lang="en")
    period_id, meeting_id, ids = plan(app)
    token = csrf_token(client, f"/panel/periods/{period_id}")
    hub = app.extensions["piiri.hub"]
    first = hub.find(code_of(start(client, meeting_id, token)))
    hub.join(first, "Aino", AVATAR)
    client.post(f"/panel/t/{first.code}/end", data={"csrf_token": token})
    assert status(app, meeting_id) == "ended"
    page = client.get(f"/panel/meetings/{meeting_id}").get_data(as_text=True)
    assert "Open another table" in page
    second = hub.find(code_of(start(client, meeting_id, token)))
    assert second is not None and second.table_id != first.table_id
    assert status(app, meeting_id) == "live" and tables_of(app, meeting_id) == 2
    hub.join(second, "Bashir", AVATAR)
    filled = prefill(client, meeting_id)
    assert filled[ids["Aino"]] == "present" and filled[ids["Bashir"]] == "present"
    assert filled[ids["Camilla"]] == "absent"
    close(client, meeting_id, token, filled)
    assert second.table.status is TableStatus.ended  # closing ends the running table
    assert status(app, meeting_id) == "closed"
    assert len(records(app, meeting_id)) == len(ids)


def test_several_members_are_added_at_once_and_the_cursor_stays(app: Any) -> None:
    client = signed_in(app, lang="en")
    with app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        group = Group(organisation_id=user.organisation_id, name="Ryhmä")
        db().add(group)
        db().commit()
        group_id = group.id
    token = csrf_token(client, f"/panel/groups/{group_id}")
    added = client.post(f"/panel/groups/{group_id}/members", data={
        "m-csrf_token": token, "m-nickname": "Aino\n  Bashir \n\nCamilla\n"})
    assert added.status_code == 302 and "#new-member" in added.headers["Location"]
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert re.search(r"<textarea[^>]*autofocus[^>]*name=\"m-nickname\"|"
                     r"<textarea[^>]*name=\"m-nickname\"[^>]*autofocus", page)
    assert "3 members added: Aino, Bashir, Camilla" in page

    def nicknames() -> list[str]:
        with app.app_context():
            return sorted(m.nickname for m in db().scalars(
                select(Member).where(Member.group_id == group_id)))

    assert nicknames() == ["Aino", "Bashir", "Camilla"]
    # A name the group has already, or a note for several at once: refused, nothing added.
    again = client.post(f"/panel/groups/{group_id}/members", data={
        "m-csrf_token": token, "m-nickname": "Dmitri\naino"})
    assert again.status_code == 400 and "already has the nickname aino" in again.get_data(
        as_text=True)
    noted = client.post(f"/panel/groups/{group_id}/members", data={
        "m-csrf_token": token, "m-nickname": "Dmitri\nEero", "m-note": "bussi"})
    assert noted.status_code == 400 and "A note is for one member" in noted.get_data(
        as_text=True)
    assert nicknames() == ["Aino", "Bashir", "Camilla"]
    one = client.post(f"/panel/groups/{group_id}/members", data={
        "m-csrf_token": token, "m-nickname": "Dmitri", "m-note": "tulee bussilla"})
    assert one.status_code == 302 and nicknames() == ["Aino", "Bashir", "Camilla", "Dmitri"]


# -- any order of clicks: one row per member per meeting --------------------------------------

STEPS = st.lists(st.sampled_from(
    ["start", "join", "join", "begin", "end", "close", "close_empty", "correct"]),
    min_size=1, max_size=12)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS, who=st.lists(st.sampled_from(NAMES), min_size=12, max_size=12))
def test_any_order_of_clicks_leaves_one_record_per_member(app: Any, steps: list[str],
                                                          who: list[str]) -> None:
    """start / join / begin / end / close / start again / close again, in any order: at most
    one attendance row per member per meeting, a closed meeting is never reopened and its
    record never changes but through corrections, and the export agrees with the member
    pages."""
    if not hasattr(app, "_loop_client"):
        app._loop_client = signed_in(app, lang="en")
    client = app._loop_client
    hub = app.extensions["piiri.hub"]
    period_id, meeting_id, ids = plan(app, group_name=f"Ryhmä {len(hub.tables())}")
    token = csrf_token(client, f"/panel/periods/{period_id}")
    joined: set[str] = set()
    closed_with: list[tuple[int, str]] | None = None
    live = None
    for step, name in zip(steps, who, strict=False):
        if step == "start":
            response = start(client, meeting_id, token)
            code = code_of(response)
            if closed_with is not None:
                assert code is None  # refused
            else:
                live = hub.find(code)
                assert live is not None
        elif step == "join" and live is not None and live.table.status is not TableStatus.ended:
            result, _token = hub.join(live, name, AVATAR)
            if isinstance(result, Accepted):
                joined.add(name)
        elif step == "begin" and live is not None:
            client.post(f"/panel/t/{live.code}/start", data={"csrf_token": token})
        elif step == "end" and live is not None:
            client.post(f"/panel/t/{live.code}/end", data={"csrf_token": token})
        elif step in ("close", "close_empty"):
            filled = prefill(client, meeting_id) if closed_with is None else {}
            if closed_with is None:
                for nickname, member_id in ids.items():  # present iff a seat of theirs joined
                    assert (filled[member_id] != "absent") == (nickname in joined), nickname
            close(client, meeting_id, token, filled if step == "close" else {})
            if closed_with is None:
                closed_with = records(app, meeting_id)
                assert status(app, meeting_id) == "closed"
        elif step == "correct" and closed_with is not None:
            with app.app_context():
                record_id = db().scalar(select(AttendanceRecord.id).where(
                    AttendanceRecord.meeting_id == meeting_id))
            client.post(f"/panel/meetings/{meeting_id}/correct", data={
                "csrf_token": token, "record": record_id, "field": "attendance",
                "value": "late", "reason": "Tuli bussilla"})
        rows = records(app, meeting_id)
        if closed_with is None:
            assert rows == [] and status(app, meeting_id) != "closed"
        else:
            assert rows == closed_with and status(app, meeting_id) == "closed"
            assert all(t.table.status is TableStatus.ended for t in hub.tables()
                       if t.table_id in _table_ids(app, meeting_id))
    counts = export_counts(client, period_id)
    for nickname, member_id in ids.items():
        total, attended = member_page_counts(client, member_id)
        assert total == (1 if closed_with else 0)
        assert counts.get(nickname, (0, 0)) == (total, attended), nickname


def _table_ids(app: Any, meeting_id: int) -> set[str]:
    with app.app_context():
        return set(db().scalars(select(TableOwner.table_id).where(
            TableOwner.meeting_id == meeting_id)))


# -- two closes at once, on SQLite and PostgreSQL ----------------------------------------------


@pytest.fixture()
def server_config(database_url: str) -> dict[str, Any]:
    return {"DATABASE_URL": database_url}


def test_two_closes_at_once_write_one_record(server: Any) -> None:
    make_user(server.app)
    clients = [server.app.test_client() for _ in range(2)]
    for client in clients:
        login(client)
    tokens = [csrf_token(c, "/panel/groups/") for c in clients]
    for round_ in range(4):
        _, meeting_id, ids = plan(server.app, group_name=f"Ryhmä {round_}")
        answers = _close_twice_at_once(clients, tokens, meeting_id, ids)
        assert answers == [302, 302]
        rows = records(server.app, meeting_id)
        assert sorted(m for m, _ in rows) == sorted(ids.values())  # one row per member
        assert len({a for _, a in rows}) == 1  # all from the one close that won


def _close_twice_at_once(clients: list[Any], tokens: list[str], meeting_id: int,
                         ids: dict[str, int]) -> list[int]:
    """Two leaders press *Save* at the same moment, one marking everyone present, the other
    absent; the status code each gets."""
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def close_now(index: int) -> None:
        barrier.wait()
        answer = close(clients[index], meeting_id, tokens[index],
                       dict.fromkeys(ids.values(), ("present", "absent")[index]))
        answers.append(answer.status_code)

    threads = [threading.Thread(target=close_now, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


# -- the migration merges duplicates already in a database -------------------------------------


def _alembic(engine: Any, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location",
                           str(Path(__file__).parent.parent / "facilitator" / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def test_the_migration_merges_duplicate_records_into_corrections(database_url: str) -> None:
    from facilitator.db import make_engine

    engine = make_engine(database_url)
    try:
        _alembic(engine, "0005_checkins")
        meta = sa.MetaData()
        meta.reflect(engine)
        t = meta.tables
        first, second = datetime(2026, 10, 1, 9, tzinfo=UTC), datetime(2026, 10, 1, 12, tzinfo=UTC)
        with engine.begin() as c:
            c.execute(t["organisations"].insert().values(id=1, name="Org", created_at=first))
            c.execute(t["users"].insert().values(
                id=1, organisation_id=1, email="a@a.example", name="a", password_hash="x",
                role="leader", lang="fi", active=True, created_at=first))
            c.execute(t["groups"].insert().values(id=1, organisation_id=1, name="G",
                                                  description="", archived=False,
                                                  created_at=first))
            for member_id, nickname in ((1, "Aino"), (2, "Bashir")):
                c.execute(t["members"].insert().values(id=member_id, group_id=1,
                                                       nickname=nickname, note="",
                                                       active=True, created_at=first))
            c.execute(t["periods"].insert().values(id=1, group_id=1, name="P",
                                                   starts_on=first.date(), created_at=first))
            c.execute(t["meetings"].insert().values(
                id=1, period_id=1, starts_at=first, theme="", game="circle", game_options={},
                status="closed", closed_at=second))
            counts = {"turns": 0, "answers": 0, "votes": 0, "reactions": 0, "clues": 0}
            rows = [(1, "left_early", 2, first), (2, "present", 1, first),
                    (1, "present", 3, second), (2, "present", 1, second)]
            made = [c.execute(t["attendance_records"].insert().values(
                meeting_id=1, member_id=member_id, attendance=attendance,
                **{**counts, "turns": turns}, closed_at=at, closed_by=1)).inserted_primary_key[0]
                for member_id, attendance, turns, at in rows]
            c.execute(t["record_corrections"].insert().values(  # made on the duplicate
                record_id=made[2], field="attendance", old_value="present", new_value="late",
                reason="Tuli bussilla", by=1, at=second + timedelta(hours=1)))
        _alembic(engine, "0006_meeting_lifecycle")
        with engine.connect() as c:
            kept = c.execute(sa.text(
                "SELECT id, member_id, attendance, turns FROM attendance_records "
                "ORDER BY member_id")).all()
            assert [tuple(r) for r in kept] == [(made[0], 1, "left_early", 2),
                                                (made[1], 2, "present", 1)]
            corrections = c.execute(sa.text(
                "SELECT record_id, field, old_value, new_value, reason FROM record_corrections "
                "ORDER BY at, id")).all()
        merged = [r for r in corrections if r.reason != "Tuli bussilla"]
        assert {(r.record_id, r.field, r.old_value, r.new_value) for r in merged} == {
            (made[0], "attendance", "left_early", "present"), (made[0], "turns", "2", "3")}
        assert all("merged" in r.reason and "yhdistettiin" in r.reason for r in merged)
        assert [(r.record_id, r.new_value) for r in corrections
                if r.reason == "Tuli bussilla"] == [(made[0], "late")]  # moved, kept as it was
        # The index now refuses a second row for the same member at the same meeting.
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as c:
            c.execute(t["attendance_records"].insert().values(
                meeting_id=1, member_id=2, attendance="absent", **counts, closed_at=second))
        _alembic(engine, "head")
        from sqlalchemy.orm import Session

        with Session(engine) as session:
            record = session.get(AttendanceRecord, made[0])
            assert record is not None and record.current("attendance") == "late"
            assert session.scalar(select(func.count()).select_from(RecordCorrection)) == 3
        _models_match(engine)
    finally:
        engine.dispose()


def _models_match(engine: Any) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from facilitator.db import Base

    with engine.connect() as c:
        context = MigrationContext.configure(c, opts={"compare_type": False})
        diffs = compare_metadata(context, Base.metadata)
    assert [d for d in diffs if "attendance_records" in repr(d)] == []


# -- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_in_chromium_the_game_leads_to_the_roll_call_and_a_record_stays_closed(
        browser: Any, server: Any) -> None:
    from playwright.sync_api import expect

    make_user(server.app)
    period_id, meeting_id, _ = plan(server.app)
    context = browser.new_context()
    leader = context.new_page()
    login_page(leader, server.url)
    leader.click("#today button[data-next=open]")
    expect(leader.locator("#room-code")).to_be_visible()
    expect(leader.locator("#lang-switch")).to_be_visible()  # the panel's header
    expect(leader.locator("#rollcall-next")).to_be_hidden()
    expect(leader.locator("form[data-action=start] button")).to_have_text("Aloita peli")
    leader.click("details[data-action=end] summary")
    leader.click("details[data-action=end] button.danger")
    expect(leader.locator("body")).to_have_attribute("data-status", "ended")
    leader.click("#rollcall-next button")  # one click from the ended game
    expect(leader.locator("#rollcall")).to_be_visible()
    leader.click("#rollcall button[type=submit]")
    expect(leader.locator("#summary")).to_be_visible()
    expect(leader.locator(f"form[action$='/meetings/{meeting_id}/start']")).to_have_count(0)
    leader.goto(f"{server.url}/panel/periods/{period_id}")
    expect(leader.locator(f"li[data-meeting='{meeting_id}']")).to_have_attribute(
        "data-state", "closed")
    expect(leader.locator(f"form[action$='/meetings/{meeting_id}/start']")).to_have_count(0)
    context.close()
