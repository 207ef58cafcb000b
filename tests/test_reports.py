"""Reports from a seeded organisation: a period report and the organisation's report checked
against hand-counted figures, small and derivable counts suppressed, the PDF rendered to PNG,
the XLSX opened, observations refused when they name someone, every view audited, and
retention covering feedback totals and observations."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from facilitator.checkins.answers import app_sealer, save_answer, seal_goal_text
from facilitator.dbsession import db
from facilitator.models import (
    AttendanceRecord,
    AuditEntry,
    CheckinConsent,
    CheckinGoal,
    CheckinRound,
    Group,
    Meeting,
    Member,
    Organisation,
    Period,
    Role,
    User,
)
from facilitator.reports import FeedbackTotals, Observation
from facilitator.reports.suppression import Hidden, suppress

from .accounts import csrf_token, login, make_user


@pytest.fixture()
def app_config(database_url: str) -> dict[str, Any]:
    """The reports on SQLite and on a real PostgreSQL server alike."""
    return {"DATABASE_URL": database_url}


# -- suppression, the pure function -------------------------------------------------------------


def test_counts_under_five_are_suppressed_and_zero_counts_too() -> None:
    hidden = suppress({"a": 4, "b": 0, "c": 5, "d": 12})
    assert hidden == {"a": Hidden.small, "b": Hidden.small}


def test_a_lone_small_cell_cannot_be_worked_out_from_the_total() -> None:
    # 20 = 12 + 5 + 3: with "3" hidden alone it is 20 - 12 - 5; the smallest other part goes.
    cells = {"all": 20, "present": 12, "late": 5, "absent": 3}
    hidden = suppress(cells, [("all", ["present", "late", "absent"])])
    assert hidden == {"absent": Hidden.small, "late": Hidden.derivable}


def test_two_small_cells_whose_sum_is_small_take_a_third_with_them() -> None:
    # Hiding 1 and 2 still tells that "3 people" were late or left early: a small count.
    cells = {"all": 30, "present": 20, "late": 1, "left": 2, "absent": 7}
    hidden = suppress(cells, [("all", ["present", "late", "left", "absent"])])
    assert hidden == {"late": Hidden.small, "left": Hidden.small, "absent": Hidden.derivable}


def test_a_total_made_of_shown_parts_is_never_hidden_alone() -> None:
    # The total is small but its parts are not... impossible; a hidden total over shown parts
    # comes from another relation: a cross table where a row total is hidden by its column.
    cells = {"t": 11, "a": 6, "b": 5}
    hidden = suppress(cells, [("t", ["a", "b"])], minimum=12)
    assert set(hidden) == {"t", "a", "b"}


def test_suppression_holds_across_a_cross_table() -> None:
    """A crafted period: 2 groups x 3 categories with row and column totals. The single small
    cell must not be recoverable from its row or its column."""
    cells = {("x", 1): 9, ("x", 2): 2, ("y", 1): 8, ("y", 2): 7, ("z", 1): 6, ("z", 2): 10}
    rows = {("x", None): 11, ("y", None): 15, ("z", None): 16}
    cols = {(None, 1): 23, (None, 2): 19}
    everything = {**cells, **rows, **cols, (None, None): 42}
    relations = [*[((c, None), [(c, 1), (c, 2)]) for c in "xyz"],
                 *[((None, g), [("x", g), ("y", g), ("z", g)]) for g in (1, 2)],
                 ((None, None), [("x", None), ("y", None), ("z", None)]),
                 ((None, None), [(None, 1), (None, 2)])]
    hidden = suppress(everything, relations)
    assert hidden[("x", 2)] is Hidden.small
    for total, parts in relations:  # every relation with a hidden part hides two or more
        secret = [p for p in parts if p in hidden]
        if total not in hidden and secret:
            assert len(secret) >= 2 and sum(everything[p] for p in secret) >= 5
        if total in hidden:
            assert secret


# -- a seeded organisation ----------------------------------------------------------------------

NICKS = ("Aino", "Bashir", "Camilla", "Dmitri", "Eeva", "Fredrik", "Greta")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 3, 0, tzinfo=UTC)  # 10.00 Helsinki


def seed(app: Any) -> dict[str, Any]:
    """Org A: the Tuesday group (7 members, period P1 with a game, a walk, a game and a planned
    meeting; feedback; start and end check-ins; 6 goals) and the Thursday group (period P2,
    one geocaching meeting). Hand counts are in the tests."""
    leader = make_user(app, "leader@a.example", "Org A", Role.leader)
    admin = make_user(app, "admin@a.example", "Org A", Role.admin)
    with app.app_context():
        session = db()
        org = session.scalar(select(Organisation).where(Organisation.name == "Org A"))
        tuesday = Group(organisation_id=org.id, name="Tuesday group")
        thursday = Group(organisation_id=org.id, name="Thursday group")
        session.add_all([tuesday, thursday])
        session.flush()
        members = [Member(group_id=tuesday.id, nickname=n) for n in NICKS]
        others = [Member(group_id=thursday.id, nickname=f"T{i}") for i in range(5)]
        session.add_all(members + others)
        p1 = Period(group_id=tuesday.id, name="Autumn", starts_on=date(2026, 9, 1),
                    ends_on=date(2026, 10, 31))
        p2 = Period(group_id=thursday.id, name="October", starts_on=date(2026, 10, 1),
                    ends_on=date(2026, 11, 30))
        session.add_all([p1, p2])
        session.flush()

        def meeting(period: Period, day: date, status: str, game: str | None = None,
                    offline: str | None = None) -> Meeting:
            found = Meeting(period_id=period.id, starts_at=_at(day), game=game,
                            offline_activity=offline, status=status)
            session.add(found)
            session.flush()
            return found

        m1 = meeting(p1, date(2026, 9, 8), "closed", game="circle")
        m2 = meeting(p1, date(2026, 9, 15), "closed", offline="walk")
        m3 = meeting(p1, date(2026, 9, 22), "closed", game="circle")
        meeting(p1, date(2026, 10, 6), "planned", game="circle")
        m5 = meeting(p2, date(2026, 10, 8), "closed", offline="geocaching")

        def roll(m: Meeting, who: list[Member], values: list[str], turns: int = 0) -> None:
            for member, value in zip(who, values, strict=True):
                session.add(AttendanceRecord(meeting_id=m.id, member_id=member.id,
                                             attendance=value,
                                             turns=turns if value != "absent" else 0))

        roll(m1, members, ["present"] * 6 + ["absent"], turns=2)
        roll(m2, members, ["present"] * 5 + ["late", "absent"])
        roll(m3, members, ["present"] * 3 + ["absent"] * 4, turns=1)
        roll(m5, others, ["present"] * 5)
        session.add(FeedbackTotals(organisation_id=org.id, meeting_id=m1.id, table_id="t-m1",
                                   opened_at=_at(date(2026, 9, 8), 12),
                                   closed_at=_at(date(2026, 9, 8), 13), respondents=6,
                                   faces={"good": 4, "okay": 1}, picks={"games": 5,
                                                                         "talking": 2},
                                   words=["aurinko"]))
        sealer = app_sealer(app, create=True)
        for kind, day, values, ids in (
                ("start", date(2026, 9, 8), [4, 5, 6, 7, 8],
                 ["piiri-consent-2"] * 3 + ["piiri-consent-1"] * 2),
                ("end", date(2026, 9, 22), [6, 7, 8, 9, 10], ["piiri-consent-2"] * 5)):
            checkin = CheckinRound(organisation_id=org.id, group_id=tuesday.id,
                                   period_id=p1.id, form_id="piiri-arki", kind=kind,
                                   opened_at=_at(day, 11))
            session.add(checkin)
            session.flush()
            for member, value, text_id in zip(members, values, ids, strict=False):
                session.add(CheckinConsent(round_id=checkin.id, member_id=member.id,
                                           text_id=text_id, given_at=_at(day, 11)))
                save_answer(session, sealer, round_id=checkin.id, member_id=member.id,
                            item_id="wellbeing-now", domain="wellbeing", value=value)
        for index, member in enumerate(members[:6]):
            goal = CheckinGoal(member_id=member.id, period_id=p1.id, domain="wellbeing",
                               sealed_text="", created_at=_at(date(2026, 9, 8), 12))
            session.add(goal)
            session.flush()
            goal.sealed_text = seal_goal_text(sealer, goal.id, member.id, "text", "Kävely")
            done = '"2026-10-01"' if index < 5 else "null"
            goal.sealed_follow_up = seal_goal_text(sealer, goal.id, member.id, "follow_up",
                                                   '{"note": "", "done_on": ' + done + "}")
        session.commit()
        return {"leader": leader, "admin": admin, "p1": p1.id, "p2": p2.id, "org": org.id,
                "tuesday": tuesday.id}


def client_for(app: Any, email: str) -> Any:
    """Signed in as ``email``, in English (the source language of the panel's words)."""
    with app.app_context():
        user = db().scalar(select(User).where(User.email == email))
        user.lang = "en"
        db().commit()
    client = app.test_client()
    login(client, email)
    return client


def cells(page: str, key: str) -> list[list[str]]:
    """The rows of one report table as text, from the page."""
    import re

    section = page.split(f'data-table="{key}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]
    return [[re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def test_the_period_report_matches_the_hand_counts(app: Any) -> None:
    ids = seed(app)
    leader = client_for(app, "leader@a.example")
    response = leader.get(f"/panel/periods/{ids['p1']}/report")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    fewer = ("fewer than 5",)

    def shown(key: str) -> dict[str, str]:
        return {row[0]: row[1] for row in cells(page, key)}

    assert list(shown("meetings").values()) == ["4", "3"]  # planned, held
    activities = cells(page, "activities")
    assert sorted(int(row[1]) for row in activities) == [1, 2]  # the circle twice, a walk
    assert len(activities) == 2
    # Attendance 14 present, 1 late, 0 left early, 6 absent (21 records): late and left early
    # are small, so present (derivable from the 15 who came) goes too.
    attendance = list(shown("attendance").values())
    assert attendance[1] in fewer and attendance[2] in fewer
    assert attendance[0] not in ("14",) and attendance[0] not in fewer
    assert attendance[3] == "6" and attendance[4] == "21"
    # Meetings: 6, 6, 3 came. The 3 is small; the first 6 goes with it.
    trend = list(shown("trend").values())
    assert trend[1] == "6" and trend[2] in fewer and trend[0] not in ("6", *fewer)
    # 3 came to all, 3 to most, 0 some, 1 none: every part small, the 7 members shown.
    spread = list(shown("spread").values())
    assert all(value in fewer for value in spread[:4]) and spread[4] == "7"
    participation = cells(page, "participation")
    turns = next(row for row in participation if row[0] == "Turns")
    assert turns[1:] == ["15", "6"]  # 6 x 2 + 3 x 1 turns, by 6 people
    # Check-ins: wellbeing 6.0 at the start and 8.0 at the end (the leader's own period: all
    # consents in force count).
    checkins = cells(page, "checkins")
    assert [c.replace(",", ".") for c in checkins[0][1:]] == ["6.0", "8.0"]
    assert "<svg" in page.split('data-table="checkins"', 1)[1].split("</section>", 1)[0]
    # Goals: 6 set, 5 reached, 1 not: the 1 is small, so 5 cannot stay either.
    goals = list(shown("goals").values())
    assert goals[0] == "6" and goals[1] not in ("5", *fewer) and goals[2] in fewer
    # Feedback: 6 answered; every face count is small, the total stays.
    faces = list(shown("faces").values())
    assert all(v in fewer for v in faces[:4]) and faces[4] == "6"
    picks = list(shown("picks").values())
    assert picks[0] == "5" and picks[1] in fewer
    assert "aurinko" not in page  # words never go into a report
    for nickname in NICKS:
        assert nickname not in page
    with app.app_context():
        actions = [e.action for e in db().scalars(select(AuditEntry))]
    assert "report_period_view" in actions


def test_the_organisation_report_counts_only_report_consents(app: Any) -> None:
    seed(app)
    admin = client_for(app, "admin@a.example")
    page = admin.get("/panel/reports?month=2026-09").get_data(as_text=True)
    # Only 3 of the 5 start answers were given under a wording that allows reports.
    checkins = page.split('data-table="checkins"', 1)[1].split("</section>", 1)[0]
    assert "<svg" not in checkins and "<td" not in checkins
    meetings = {row[0]: row[1] for row in cells(page, "meetings")}
    assert list(meetings.values()) == ["3", "3"]
    groups = cells(page, "groups")
    assert [row[0] for row in groups] == ["Tuesday group"]
    october = admin.get("/panel/reports?month=2026-10").get_data(as_text=True)
    assert list({r[0]: r[1] for r in cells(october, "meetings")}.values()) == ["2", "1"]
    activities = cells(october, "activities")
    assert len(activities) == 1 and activities[0][1] == "1"  # the geocaching (offline)
    # Never a freely chosen span; a bad month is refused with words and changes nothing.
    assert admin.get("/panel/reports?from=2026-09-01&to=2026-09-20").status_code == 400
    assert admin.get("/panel/reports?month=2026-13").status_code == 400
    leader = client_for(app, "leader@a.example")
    assert leader.get("/panel/reports?month=2026-09").status_code == 403
    with app.app_context():
        actions = [e.action for e in db().scalars(select(AuditEntry))]
    assert actions.count("report_org_view") == 2


def test_the_pdf_has_the_charts_and_renders(app: Any, tmp_path: Path) -> None:
    ids = seed(app)
    leader = client_for(app, "leader@a.example")
    response = leader.get(f"/panel/periods/{ids['p1']}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.get_data())
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm (poppler-utils) is needed: make test installs it"
    subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    keep = Path("/tmp/piiri-report-pages")
    keep.mkdir(exist_ok=True)
    for png in pages:
        shutil.copy(png, keep / png.name)
    text = subprocess.run([str(Path(pdftoppm).with_name("pdftotext")), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "Attendance over the period" in text and "fewer than 5" in text
    for nickname in NICKS:
        assert nickname not in text
    with app.app_context():
        assert db().scalar(select(AuditEntry).where(
            AuditEntry.action == "report_period_pdf")) is not None


def test_the_xlsx_has_one_sheet_per_table_with_the_same_suppression(app: Any) -> None:
    from openpyxl import load_workbook

    ids = seed(app)
    leader = client_for(app, "leader@a.example")
    response = leader.get(f"/panel/periods/{ids['p1']}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    assert len(book.sheetnames) == 11  # 10 tables and the observations
    assert book.sheetnames[-1] == "Observations"
    meetings = book[book.sheetnames[0]]
    assert [meetings.cell(row=r, column=2).value for r in (4, 5)] == [4, 3]
    goals = book["Goals"]
    values = [goals.cell(row=r, column=2).value for r in (4, 5, 6)]
    assert values[0] == 6 and values[1] != 5 and values[2] != 1
    with app.app_context():
        assert db().scalar(select(AuditEntry).where(
            AuditEntry.action == "report_period_xlsx")) is not None


def _observe(client: Any, period_id: int, **fields: Any) -> Any:
    path = f"/panel/periods/{period_id}/observations"
    data = {"csrf_token": csrf_token(client, path), "phenomenon": "Travel costs keep members "
            "from coming", "category": "income", "affected": "3", "frequency": "often",
            "evidence": "", "proposal": "A travel card for group days", **fields}
    return client.post(path, data=data)


def test_observations_refuse_identity_codes_and_nicknames_and_change_nothing(app: Any) -> None:
    ids = seed(app)
    leader = client_for(app, "leader@a.example")
    refused = _observe(leader, ids["p1"], evidence="Aino said the bus is too dear")
    assert refused.status_code == 400
    assert "nickname" in refused.get_data(as_text=True)
    refused = _observe(leader, ids["p1"], proposal="Ask about 131052-308T")
    assert refused.status_code == 400
    refused = _observe(leader, ids["p1"], affected="many")
    assert refused.status_code == 400
    with app.app_context():
        assert db().scalar(select(Observation)) is None
    # "Ainoa" is a word, not the nickname Aino.
    saved = _observe(leader, ids["p1"], evidence="Ainoa keino on bussi", use_attendance="y")
    assert saved.status_code == 302
    page = leader.get(f"/panel/periods/{ids['p1']}/observations").get_data(as_text=True)
    assert "Travel costs" in page
    with app.app_context():
        row = db().scalar(select(Observation))
        assert row is not None and row.affected == 3 and row.figures == ["attendance"]


def test_the_organisation_sees_observations_by_category_and_group(app: Any) -> None:
    from openpyxl import load_workbook

    ids = seed(app)
    leader = client_for(app, "leader@a.example")
    assert _observe(leader, ids["p1"]).status_code == 302
    assert _observe(leader, ids["p1"], category="housing", affected="6").status_code == 302
    assert _observe(leader, ids["p2"], category="housing", affected="7").status_code == 302
    assert leader.get("/panel/reports/observations").status_code == 403
    admin = client_for(app, "admin@a.example")
    page = admin.get("/panel/reports/observations").get_data(as_text=True)
    table = cells(page, "categories")
    income = table[0]
    assert income[1] == "1" and income[-1] != "3"  # 3 affected: fewer than 5
    housing = table[1]
    # 6 + 7 = 13 would give away income's 3 from the grand total 16: it is not shown.
    assert housing[1] == "2" and housing[-1] == "not shown"
    assert table[-1][1] == "3" and table[-1][-1] == "16"
    assert "Travel costs keep members from coming" in page
    response = admin.get("/panel/reports/observations.xlsx")
    book = load_workbook(io.BytesIO(response.get_data()))
    assert len(book.sheetnames) == 2
    listed = book[book.sheetnames[1]]
    assert listed.max_row == 4
    with app.app_context():
        actions = [e.action for e in db().scalars(select(AuditEntry))]
    assert {"observations_view", "observations_xlsx", "observation_add"} <= set(actions)


def test_retention_removes_feedback_totals_and_observations_of_old_periods(app: Any) -> None:
    from facilitator.groups.retention import apply_retention

    ids = seed(app)
    with app.app_context():
        session = db()
        session.add(Observation(organisation_id=ids["org"], group_id=ids["tuesday"],
                                period_id=ids["p1"], created_at=datetime.now(UTC),
                                phenomenon="x", category="other", affected=6,
                                frequency="once", evidence="", figures=[], proposal=""))
        session.commit()
        counted = apply_retention(session, 3, today=date(2027, 3, 1), dry_run=True)
        assert (counted.feedback, counted.observations) == (1, 1)
        assert session.scalar(select(Observation)) is not None
        removed = apply_retention(session, 3, today=date(2027, 3, 1))
        assert (removed.feedback, removed.observations) == (1, 1)
        assert session.scalar(select(FeedbackTotals)) is None
        assert session.scalar(select(Observation)) is None
        assert session.get(User, ids["leader"]) is not None


def _change(client: Any, observation_id: int, **fields: Any) -> Any:
    path = f"/panel/observations/{observation_id}/edit"
    data = {"csrf_token": csrf_token(client, path), "phenomenon": "Bus fares keep members away",
            "category": "income", "affected": "6", "frequency": "often", "evidence": "",
            "proposal": "A travel card for group days", **fields}
    return client.post(path, data=data)


def test_an_observation_is_changed_or_deleted_by_its_author_or_an_admin(app: Any) -> None:
    ids = seed(app)
    leader = client_for(app, "leader@a.example")
    assert _observe(leader, ids["p1"]).status_code == 302
    with app.app_context():
        oid = db().scalar(select(Observation.id))
    edit = f"/panel/observations/{oid}/edit"
    listed = leader.get(f"/panel/periods/{ids['p1']}/observations").get_data(as_text=True)
    assert edit in listed
    form = leader.get(edit).get_data(as_text=True)
    assert 'value="Travel costs keep members from coming"' in form
    # The same checks as a new one: a nickname or an identity code changes nothing.
    refused = _change(leader, oid, evidence="Bashir cannot pay the bus")
    assert refused.status_code == 400 and "nickname" in refused.get_data(as_text=True)
    assert _change(leader, oid, phenomenon="Asiakas 131052-308T").status_code == 400
    assert _change(leader, oid, affected="many").status_code == 400
    with app.app_context():
        row = db().get(Observation, oid)
        assert row.phenomenon == "Travel costs keep members from coming" and row.affected == 3
    # Another leader of the organisation may read it but not change or delete it; another
    # organisation does not find it at all.
    make_user(app, "other@a.example", "Org A", Role.leader)
    other = client_for(app, "other@a.example")
    page = other.get(f"/panel/periods/{ids['p1']}/observations").get_data(as_text=True)
    assert "Travel costs" in page and edit not in page
    assert other.get(edit).status_code == 403
    token = csrf_token(other, f"/panel/periods/{ids['p1']}/observations")
    assert other.post(f"/panel/observations/{oid}/delete",
                      data={"csrf_token": token}).status_code == 403
    make_user(app, "leader@b.example", "Org B", Role.leader)
    assert client_for(app, "leader@b.example").get(edit).status_code == 404
    # The author changes it.
    assert _change(leader, oid, use_feedback="y").status_code == 302
    with app.app_context():
        row = db().get(Observation, oid)
        assert (row.phenomenon, row.affected, row.figures) == ("Bus fares keep members away", 6,
                                                               ["feedback"])
    # An admin changes and deletes it.
    admin = client_for(app, "admin@a.example")
    assert _change(admin, oid, affected="7").status_code == 302
    deleted = admin.post(f"/panel/observations/{oid}/delete",
                         data={"csrf_token": csrf_token(admin, edit)})
    assert deleted.status_code == 302
    with app.app_context():
        assert db().get(Observation, oid) is None
        actions = [e.action for e in db().scalars(select(AuditEntry))]
    assert actions.count("observation_edit") == 2 and actions.count("observation_delete") == 1


def test_the_retention_command_tells_feedback_totals_and_observations(
        app: Any, app_config: dict[str, Any]) -> None:
    from facilitator.cli import main

    ids = seed(app)
    with app.app_context():
        session = db()
        period = session.get(Period, ids["p1"])
        period.starts_on, period.ends_on = date(2019, 9, 1), date(2019, 10, 31)
        session.add(Observation(organisation_id=ids["org"], group_id=ids["tuesday"],
                                period_id=ids["p1"], created_at=datetime.now(UTC),
                                phenomenon="x", category="other", affected=6,
                                frequency="once", evidence="", figures=[], proposal=""))
        session.commit()
    url = app_config["DATABASE_URL"]
    dry = CliRunner().invoke(main, ["admin", "retention", "--months", "12", "--dry-run",
                                    "--database-url", url])
    assert dry.exit_code == 0, dry.output
    assert ("Would delete 1 feedback totals and 1 observations of periods that ended over "
            "12 months ago.") in dry.output
    with app.app_context():
        assert db().scalar(select(Observation)) is not None
        assert db().scalar(select(FeedbackTotals)) is not None
    done = CliRunner().invoke(main, ["admin", "retention", "--months", "12",
                                     "--database-url", url])
    assert done.exit_code == 0, done.output
    assert "Deleted 1 feedback totals and 1 observations" in done.output
    with app.app_context():
        assert db().scalar(select(Observation)) is None
        assert db().scalar(select(FeedbackTotals)) is None
