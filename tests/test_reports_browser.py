"""Reports in a real browser: five tablets answer the group's feedback at a live table, the roll
call is closed, and the leader finds the period report from the period page by clicking and sees
the feedback totals there; the observations and the admin's reports are reached the same way.
axe-core finds nothing on any of the new pages or on the tablet's feedback states."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from facilitator.dbsession import db
from facilitator.models import Role
from facilitator.reports import Observation

from .accounts import csrf_token, login, login_page, make_user
from .axe import assert_no_violations
from .browser import wait_for
from .live_server import LiveServer
from .test_meetings import plan

pytestmark = pytest.mark.browser

NAMES = ("Aino", "Bashir", "Camilla", "Dmitri", "Eeva")




def join(page: Page, url: str, name: str) -> str:
    """Join as a person would: tap one's name on the group's list, or (a guest) type it."""
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-state", "join", timeout=20_000)
    listed = page.locator("[data-role=name]", has_text=name)
    if listed.count():
        listed.click()
    else:
        if not page.locator("#nick").count():  # the list of those not yet at the table
            page.locator("[data-role=other-name]").click()
        page.fill("#nick", name)
    page.click("[data-role=join]")
    expect(page.locator("body")).to_have_attribute("data-state", "seated", timeout=20_000)
    seat = page.locator("body").get_attribute("data-seat")
    assert seat
    return seat


def steps(live: Any, seat: str) -> int:
    side = live.table.meta.side
    return side.steps(seat) if side is not None else -1


def test_five_tablets_give_feedback_and_the_leader_reads_the_period_report(
        browser: Browser, server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, _ = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    started = panel.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    code = started.headers["Location"].rsplit("/", 1)[1]
    live = server.hub.find(code)
    assert live is not None

    contexts = [browser.new_context(locale="fi-FI") for _ in NAMES]
    tablets: dict[str, Page] = {}
    for context, name in zip(contexts, NAMES, strict=True):
        page = context.new_page()
        tablets[join(page, f"{server.url}/j/{code}", name)] = page

    panel.post(f"/panel/t/{code}/end", data={"csrf_token": token})
    wait_for(lambda: live.table.meta.side is not None
             and live.table.meta.side.name == "feedback")

    faces = ("good", "good", "okay", "good", "hard")
    for index, ((seat, page), face) in enumerate(zip(tablets.items(), faces, strict=True)):
        first = index == 0
        # The faces are drawn by the tablet itself, each with its word: no emoji.
        button = page.locator(f"button[data-value={face}]")
        expect(button).to_be_visible(timeout=20_000)
        if first:
            good = page.locator("button[data-value=good]")
            assert good.locator("svg").count() == 1
            assert good.inner_text().strip() == "Hyvä"
            for value in ("good", "okay", "hard"):
                assert page.locator(f"button[data-value={value}] svg").count() == 1
            assert not any(ord(ch) > 0x2FFF for ch in page.locator("main").inner_text())
            assert_no_violations(page, "tablet: feedback, the faces")
        button.click()
        wait_for(lambda s=seat: steps(live, s) == 1)
        word = page.locator("textarea")
        expect(word).to_be_visible(timeout=20_000)
        if first:
            assert_no_violations(page, "tablet: feedback, a word")
            word.fill("aurinkoinen")
            page.locator("[data-role=send]").click()
        else:
            page.locator("button.pass").click()
        wait_for(lambda s=seat: steps(live, s) == 2)
        games = page.locator("button[data-value=games]")
        expect(games).to_be_visible(timeout=20_000)
        games.click()
        if first:
            page.locator("button[data-value=calm]").click()
            assert_no_violations(page, "tablet: feedback, more of")
        page.locator("[data-role=send]").click()
        wait_for(lambda s=seat: steps(live, s) == 3)
        expect(page.locator("main")).to_contain_text("Kiitos", timeout=20_000)
        if first:
            assert_no_violations(page, "tablet: feedback, thanks")

    # The roll call closes the round.
    closed = panel.post(f"/panel/meetings/{meeting_id}/close", data={"csrf_token": token})
    assert closed.status_code == 302
    wait_for(lambda: live.table.meta.side is None)

    # The leader goes from the period page to the report by clicking, and sees the totals.
    leader = browser.new_context().new_page()
    login_page(leader, server.url)
    leader.goto(f"{server.url}/panel/periods/{period_id}")
    leader.locator(f"#period-reports a[href='/panel/periods/{period_id}/report']").click()
    leader.wait_for_url(f"{server.url}/panel/periods/{period_id}/report")
    answered = leader.locator("[data-table=faces] tbody tr").last.locator("td")
    expect(answered).to_have_text("5")
    first_pick = leader.locator("[data-table=picks] tbody tr").first.locator("td")
    expect(first_pick).to_have_text("5")  # everyone picked games
    assert "aurinkoinen" not in leader.content()  # words never go into a report
    assert_no_violations(leader, "period report")

    # The observations, from the report; a nickname is refused with the error shown.
    leader.locator(f"a[href='/panel/periods/{period_id}/observations']").first.click()
    leader.wait_for_url(f"{server.url}/panel/periods/{period_id}/observations")
    leader.fill("#phenomenon", "Matkakulut estävät tulemisen")
    leader.select_option("#category", "income")
    leader.fill("#affected", "3")
    leader.select_option("#frequency", "often")
    leader.fill("#evidence", "Aino sanoi, että bussi on kallis")
    leader.locator("#new-observation button[type=submit]").click()
    expect(leader.locator("#evidence-error")).to_be_visible()
    assert_no_violations(leader, "observation form with an error")
    leader.fill("#evidence", "Bussilippu on monelle liian kallis")
    leader.locator("#new-observation button[type=submit]").click()
    expect(leader.locator("[data-observation]")).to_have_count(1)
    assert_no_violations(leader, "observations with one saved")

    # The author changes it, then deletes it.
    leader.locator("a.edit-observation").click()
    expect(leader.locator("#edit-observation")).to_be_visible()
    assert_no_violations(leader, "observation edit page")
    leader.fill("#affected", "4")
    leader.locator("#edit-observation button[type=submit]").click()
    expect(leader.locator("[data-observation]")).to_have_count(1)
    with server.app.app_context():
        row = db().scalar(select(Observation))
        assert row is not None and row.affected == 4
    leader.locator("a.edit-observation").click()
    leader.locator("#delete-observation summary").click()
    leader.locator("#delete-observation button[type=submit]").click()
    expect(leader.locator("[data-observation]")).to_have_count(0)
    with server.app.app_context():
        assert db().scalar(select(Observation)) is None
    # A leader has no admin links.
    assert leader.locator("nav a[href='/panel/reports']").count() == 0
    for context in contexts:
        context.close()


def test_an_admin_reaches_the_organisation_report_and_observations_from_the_menu(
        browser: Browser, server: LiveServer) -> None:
    make_user(server.app, "admin@a.example", "Org A", Role.admin)
    make_user(server.app)
    period_id, _, _ = plan(server)
    with server.app.app_context():
        from datetime import UTC, datetime

        from facilitator.models import Period
        period = db().get(Period, period_id)
        assert period is not None
        db().add(Observation(organisation_id=period.group.organisation_id,
                             group_id=period.group_id, period_id=period.id,
                             created_at=datetime.now(UTC), phenomenon="Travel costs",
                             category="income", affected=3, frequency="often", evidence="",
                             figures=[], proposal="A travel card"))
        db().commit()
    page = browser.new_context().new_page()
    login_page(page, server.url, "admin@a.example")
    page.locator("nav a[href='/panel/reports']").click()
    page.wait_for_url(f"{server.url}/panel/reports")
    assert_no_violations(page, "organisation report, the choice")
    page.fill("#month", "2026-10")
    page.locator("#by-month button[type=submit]").click()
    expect(page.locator("#report-title")).to_be_visible()
    assert_no_violations(page, "organisation report")
    page.locator("nav a[href='/panel/reports/observations']").click()
    page.wait_for_url(f"{server.url}/panel/reports/observations")
    expect(page.locator("#observation-list")).to_be_visible()
    assert_no_violations(page, "organisation observations")
