"""A check-in round as people live it: five real tablets in headless Chromium give consent and
answer privately; one skips items, one withdraws; a late sixth completes the group profile.
The shared screen's scene stream, the database file, its write-ahead log and the server's log
are then searched for the answers, which must be nowhere in plain text."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from facilitator.checkins import CheckinFlow
from facilitator.checkins.sealing import new_key
from facilitator.dbsession import db
from facilitator.models import (
    AuditEntry,
    CheckinAnswer,
    CheckinConsent,
    Group,
    Meeting,
    Member,
    Period,
    User,
)

from .accounts import login_page, make_user
from .live_server import LiveServer
from .test_protocol import Client

pytestmark = pytest.mark.browser

NAMES = ("Aino", "Bashir", "Camilla", "Dmitri", "Eero", "Fanni")


def secret(name: str) -> str:
    """A written answer no other text in Piiri could contain."""
    return f"salainen-vastaus-{name.lower()}-7Q"


@pytest.fixture()
def server_config(server_log: Path) -> dict[str, Any]:
    """Check-ins need a key; every test here also logs everything (``server_log``)."""
    return {"CHECKIN_KEYS": new_key()}


def plan(server: LiveServer) -> tuple[int, int, int, dict[str, int]]:
    with server.app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        group = Group(organisation_id=user.organisation_id, name="Tiistairyhmä")
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=n) for n in NAMES]
        db().add_all(members)
        period = Period(group_id=group.id, name="Kevät",
                        starts_on=datetime.now(UTC).date() - timedelta(days=1),
                        ends_on=datetime.now(UTC).date() + timedelta(days=90))
        db().add(period)
        db().flush()
        meeting = Meeting(period_id=period.id, starts_at=datetime.now(UTC),
                          theme="Alkuun", game="circle", game_options={"rounds": 1})
        db().add(meeting)
        db().commit()
        return group.id, period.id, meeting.id, {m.nickname: m.id for m in members}


def join_by_name(page: Page, url: str, name: str) -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-state", "join", timeout=20_000)
    page.locator("[data-role=name]", has_text=name).click()
    page.click("[data-role=join]")
    expect(page.locator("body")).to_have_attribute("data-state", "seated", timeout=20_000)


def question(page: Page) -> Any:
    """The control that answers the question on screen now, or None at the summary."""
    found = page.locator("[data-kind=slider], [data-kind=scale5], [data-kind=choice], "
                         "[data-kind=free_text], [data-kind=bars]")
    expect(found.first).to_be_visible(timeout=20_000)
    return found.first


def number_shown(page: Page) -> str:
    """The question's number as the tablet shows it ("Kysymys 3/10"), or "" at the summary."""
    return str(page.evaluate(
        "(document.querySelector('main .style-note') || {textContent: ''}).textContent"))


def wait_next(page: Page, before: str) -> None:
    """Wait until the tablet shows another question than ``before`` (its number)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if number_shown(page) != before:
            return
        page.wait_for_timeout(30)
    raise AssertionError(f"the tablet did not move on from {before!r}")


def answer(page: Page, name: str, skip: set[int] = frozenset(), stop_after: int | None = None,
           ) -> int:
    """Answer every question (skipping those numbered in ``skip``); returns answers given."""
    given = 0
    number = 0
    while True:
        control = question(page)
        kind = control.get_attribute("data-kind")
        if kind == "bars":
            return given
        number += 1
        if stop_after is not None and given >= stop_after:
            return given
        before = number_shown(page)
        if number in skip:
            page.locator("[data-kind=pass]").click()
            wait_next(page, before)
            continue
        if kind == "slider":
            control.locator("button.step").last.click()  # "+": from the middle to 6
            control.locator("[data-role=send]").click()
        elif kind == "scale5":
            control.locator("[data-value='4']").click()
        elif kind == "choice":
            control.locator("[data-value=yes]").click()
        else:
            control.locator("textarea").fill(secret(name))
            control.locator("[data-role=send]").click()
        given += 1
        wait_next(page, before)


def consent(page: Page, yes: bool = True) -> None:
    box = page.locator("[data-kind=consent]")
    expect(box).to_be_visible(timeout=20_000)
    box.locator(f"[data-value={'true' if yes else 'false'}]").click()


def test_five_tablets_answer_privately_and_nothing_leaks(browser: Browser, server: LiveServer,
                                                         server_log: Path,
                                                         tmp_path: Path) -> None:
    make_user(server.app)
    group_id, period_id, meeting_id, ids = plan(server)
    leader = browser.new_context().new_page()
    login_page(leader, server.url)
    leader.goto(f"{server.url}/panel/periods/{period_id}")
    leader.locator(f"form[action$='/meetings/{meeting_id}/start'] button").click()
    leader.wait_for_url(re.compile(r".*/panel/t/[A-Z0-9]+$"))
    code = leader.url.rsplit("/", 1)[1]
    join_url = f"{server.url}/j/{code}"

    screen = Client(server)
    screen.hello(code, role="screen")

    tablets: dict[str, Page] = {}
    for name in NAMES[:5]:
        tablets[name] = browser.new_context(viewport={"width": 412, "height": 915}).new_page()
        join_by_name(tablets[name], join_url, name)

    leader.click("#checkin-link")
    leader.locator("input[name=kind][value=start]").check()
    leader.locator("#checkin-open button[type=submit]").click()
    expect(leader.locator("#checkin-count")).to_be_visible()

    for page in tablets.values():
        consent(page)
    answered = {
        "Aino": answer(tablets["Aino"], "Aino"),
        "Bashir": answer(tablets["Bashir"], "Bashir", skip={1, 3, 4}),
        "Dmitri": answer(tablets["Dmitri"], "Dmitri"),
        "Eero": answer(tablets["Eero"], "Eero"),
    }
    # Camilla answers two, then changes her mind: her answers go, nothing is kept.
    camilla = tablets["Camilla"]
    answer(camilla, "Camilla", stop_after=2)
    camilla.locator("[data-move='checkin.withdraw']").click()
    camilla.locator("[data-role=confirm]").click()  # deleting cannot be undone: asked first
    expect(camilla.locator("main")).to_contain_text("deleted", timeout=20_000)

    for name in ("Aino", "Bashir", "Dmitri", "Eero"):
        expect(tablets[name].locator("[data-kind=bars]")).to_be_visible()
    tablets["Aino"].screenshot(path=str(tmp_path / "summary.png"), full_page=True)

    with server.app.app_context():
        rows = list(db().scalars(select(CheckinAnswer)))
        by_member: dict[int, int] = {}
        for row in rows:
            by_member[row.member_id] = by_member.get(row.member_id, 0) + 1
        assert by_member == {ids[n]: answered[n] for n in answered}
        assert answered["Bashir"] < answered["Aino"]
        withdrawn = db().scalar(select(CheckinConsent).where(
            CheckinConsent.member_id == ids["Camilla"]))
        assert withdrawn is not None and withdrawn.withdrawn_at is not None

    # The leader's group profile: four answered, so the start column stays hidden, and says why.
    profile_url = f"{server.url}/panel/periods/{period_id}/checkins/profile"
    leader.goto(profile_url)
    expect(leader.locator("#profile-notes [data-column=start]")).to_contain_text(
        re.compile(r"\b4\b.*\b5\b"))
    expect(leader.locator("#profile")).to_have_count(0)

    # A sixth member comes in late, joins the open round and answers: now it is shown.
    fanni = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    join_by_name(fanni, join_url, "Fanni")
    consent(fanni)
    answered["Fanni"] = answer(fanni, "Fanni")
    leader.goto(profile_url)
    expect(leader.locator("#profile td[data-column=start]").first).to_be_visible()
    with server.app.app_context():
        scores = {}
        for member in ("Aino", "Bashir", "Dmitri", "Eero", "Fanni"):
            rows = db().scalars(select(CheckinAnswer).where(
                CheckinAnswer.member_id == ids[member], CheckinAnswer.item_id == "wellbeing-now"))
            scores[member] = len(list(rows))
    assert scores == {"Aino": 1, "Bashir": 0, "Dmitri": 1, "Eero": 1, "Fanni": 1}

    # The leader opens Aino's own page: the chart is drawn, and the look is audited.
    leader.goto(f"{server.url}/panel/members/{ids['Aino']}/checkins")
    expect(leader.locator("svg#radar")).to_be_visible()
    expect(leader.locator("#changes")).to_be_visible()
    leader.screenshot(path=str(tmp_path / "leader-member.png"), full_page=True)

    # Erasure: asked first, then Eero's answers are gone and the audit keeps only counts.
    leader.goto(f"{server.url}/panel/members/{ids['Eero']}/checkins/erase")
    leader.locator("#erase input[name=confirm]").check()
    leader.locator("#erase button[type=submit]").click()
    leader.wait_for_load_state()
    with server.app.app_context():
        assert db().scalar(select(CheckinAnswer).where(
            CheckinAnswer.member_id == ids["Eero"])) is None
        assert db().scalar(select(CheckinAnswer).where(
            CheckinAnswer.member_id == ids["Aino"])) is not None
        audit = list(db().scalars(select(AuditEntry)))
    looked = {(a.action, a.member_id) for a in audit}
    assert ("checkin_view", ids["Aino"]) in looked
    assert ("checkin_group_profile", None) in looked
    assert ("checkin_erase", ids["Eero"]) in looked
    for entry in audit:
        assert "salainen" not in entry.detail and "wellbeing-now" not in entry.detail

    # The shared screen was told only how many are done.
    screen.drain()
    scenes = [m["scene"] for m in screen.seen if m["t"] == "scene"]
    counts = [e["label"]["en"] for s in scenes for e in s["elements"] if e["kind"] == "progress"]
    assert counts[0] == "0 of 5 done" and counts[-1] == "6 of 6 done"
    stream = json.dumps(scenes, ensure_ascii=False)
    for name in NAMES:
        assert secret(name) not in stream
    checkin_scenes = json.dumps([s for s in scenes if s["title"]["en"] == "Check-in"],
                                ensure_ascii=False)
    for name in NAMES:
        assert name not in checkin_scenes

    # Nothing in plain text where Piiri writes: the database, its write-ahead log, the log.
    database = Path(server.database)
    wal = database.with_name(database.name + "-wal")
    written = {"database": database.read_bytes(),
               "write-ahead log": wal.read_bytes() if wal.exists() else b"",
               "server log": server_log.read_bytes()}
    assert written["write-ahead log"], "the test expects the WAL to hold the recent writes"
    for where, raw in written.items():
        for name in NAMES:
            assert secret(name).encode() not in raw, f"an answer in the {where}"
        assert b'"value"' not in raw, f"a tablet's value in the {where}"


def test_each_new_question_starts_at_the_top(browser: Browser, server: LiveServer) -> None:
    """A participant who scrolled down to agree or to send sees the next question from its
    beginning, with larger text set in the browser too."""
    make_user(server.app)
    group_id, period_id, meeting_id, ids = plan(server)
    live = server.hub.create_table("circle", {"rounds": 1}, seed=3)
    live.roster = {name: str(member) for name, member in ids.items()}
    with server.app.app_context():
        from facilitator.models import TableOwner

        db().add(TableOwner(table_id=live.table_id, organisation_id=1, meeting_id=meeting_id))
        db().commit()
    page = browser.new_context(viewport={"width": 390, "height": 700}).new_page()
    session = page.context.new_cdp_session(page)
    session.send("Page.enable")
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 24}})
    join_by_name(page, f"{server.url}/j/{live.code}", "Aino")
    from facilitator.models import CheckinKind

    flow = server.hub.side_round_of(CheckinFlow)
    flow.open(server.hub, live, organisation_id=1, group_id=group_id,
                             period_id=period_id, meeting_id=meeting_id, form_id="piiri-arki",
                             kind=CheckinKind.start, user_id=None)
    consent(page)  # the agree button is far down: the page scrolls to it
    expect(page.locator(".style-note")).to_contain_text("1", timeout=20_000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.activeElement.classList.contains('status')")
    page.locator("[data-kind=pass]").click()  # far down again
    expect(page.locator(".style-note")).to_contain_text("2", timeout=20_000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == 0
