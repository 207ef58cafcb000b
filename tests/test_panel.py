"""The leader's panel (first cut): tables opened with the game's own options, and the game's
leader actions, driven in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from engine import StartTable

from .accounts import login, login_page, make_user
from .live_server import LiveServer

pytestmark = pytest.mark.browser


def test_panel_needs_a_signed_in_leader(server: LiveServer) -> None:
    client = server.app.test_client()
    assert "/login" in client.get("/panel/").headers["Location"]
    make_user(server.app)
    login(client)
    assert client.get("/panel/").status_code == 200


def test_leader_chooses_decks_and_runs_elaman_varit(browser: Browser, server: LiveServer) -> None:
    make_user(server.app)
    page = browser.new_page()
    login_page(page, server.url)
    page.click("text=Elämän värit")
    # Only two themes, sensitive cards out, two rounds.
    for deck in ("relationships", "parenthood", "family"):
        page.uncheck(f"input[name=decks][value={deck}]")
    page.check("input[name=decks][value=everyday]")
    page.check("input[name=decks][value=future]")
    page.fill("input[name=rounds]", "2")
    page.click("#options button[type=submit]")
    code = page.locator("#room-code").inner_text()
    live = server.hub.find(code)
    assert live is not None
    assert live.table.options.decks == ["everyday", "future"]
    assert live.table.options.include_sensitive is False

    from .test_protocol import Client
    tablets = [Client(server) for _ in range(2)]
    for tablet, name in zip(tablets, ["Aino", "Bashir"], strict=True):
        tablet.join(code, name)
    server.hub.apply(live, StartTable(at=server.hub.now()))
    page.reload()
    # The group's own card, from the panel.
    form = page.locator("form[data-move=add_card]")
    form.locator("input[name=text]").fill("Mikä on tämän ryhmän paras muisto?")
    form.locator("select[name=deck]").select_option("future")
    form.locator("button[type=submit]").click()
    expect(page.locator("form[data-move=add_card]")).to_be_visible()
    own = list(live.table.state.own.values())
    assert [(c.deck, c.text) for c in own] == [("future", "Mikä on tämän ryhmän paras muisto?")]
    # Sensitive cards can be let in mid-game.
    sensitive = page.locator("form[data-move=set_sensitive]")
    sensitive.locator("input[name=value]").check()
    sensitive.locator("button[type=submit]").click()
    assert live.table.state.include_sensitive is True
    # Skipping a card when none is up is refused with words, not an error page.
    page.locator("form[data-move=skip_card] button[type=submit]").click()
    expect(page.locator(".notice")).to_contain_text("ei onnistu")


def test_bad_options_are_shown_next_to_the_field(browser: Browser, server: LiveServer) -> None:
    make_user(server.app)
    page = browser.new_page()
    login_page(page, server.url)
    page.goto(f"{server.url}/panel/new/elaman_varit")
    page.evaluate("document.querySelector('input[name=rounds]').removeAttribute('max')")
    page.fill("input[name=rounds]", "99")
    page.click("#options button[type=submit]")
    expect(page.locator(".field.invalid .error")).to_be_visible()
    assert server.hub.tables() == []


def test_planned_meeting_starts_in_two_clicks_and_tablets_pick_from_the_roster(
        browser: Browser, server: LiveServer) -> None:
    from datetime import UTC, datetime, timedelta

    from facilitator.dbsession import db
    from facilitator.models import Group, Meeting, Member, Period, User

    make_user(server.app)
    with server.app.app_context():
        user = db().query(User).one()
        group = Group(organisation_id=user.organisation_id, name="Torstai")
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=n) for n in ("Aino", "Bashir", "Camilla")]
        db().add_all(members)
        period = Period(group_id=group.id, name="Syksy", starts_on=datetime.now(UTC).date())
        db().add(period)
        db().flush()
        db().add(Meeting(period_id=period.id, starts_at=datetime.now(UTC) + timedelta(minutes=1),
                         theme="Tutustutaan", game="circle", game_options={"rounds": 1}))
        db().commit()
        ids = {m.nickname: str(m.id) for m in members}

    panel = browser.new_page(viewport={"width": 420, "height": 900})  # the leader's phone
    login_page(panel, server.url)
    panel.click("#today button[type=submit]")  # the second click
    code = panel.locator("#room-code").inner_text()
    live = server.hub.find(code)
    assert live is not None and set(live.roster) == {"Aino", "Bashir", "Camilla"}

    tablet = browser.new_page()
    tablet.goto(f"{server.url}/j/{code}")
    names = tablet.locator("[data-role=name]")
    expect(names).to_have_count(3)
    tablet.locator("[data-role=name]", has_text="Bashir").click()
    tablet.click("[data-role=join]")
    expect(tablet.locator("body")).to_have_attribute("data-state", "seated")
    assert live.table.meta.seats[0].member == ids["Bashir"]

    # The leader hides the list: the next tablet types a nickname instead.
    panel.uncheck("#roster-choice input[name=show]")
    panel.click("#roster-choice button[type=submit]")
    other = browser.new_page()
    other.goto(f"{server.url}/j/{code}")
    expect(other.locator("#nick")).to_be_visible()
    assert other.locator("[data-role=name]").count() == 0
