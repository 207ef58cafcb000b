"""A lock of the group's own escape room proposed on a real tablet in Chromium, part by part,
the leader accepting each part in the panel's queue; axe-core looks at every new tablet state
(the lock's kind chosen and its first step, the lock in the making with "enough clues") and
at the made page of a room."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from engine import StartTable
from games.workshop import words

from .accounts import login_page, make_user
from .live_server import LiveServer
from .test_story_browser import WAIT, Walk, wait_for
from .test_workshop import group_with_meetings
from .test_workshop_browser import join_by_roster

pytestmark = pytest.mark.browser


def _send(page: Page, text: str) -> None:
    page.locator("[data-kind=proposal] textarea").fill(text)
    page.locator("[data-kind=proposal] [data-role=send]").click()


def _accept_in_panel(leader: Page, url: str, live: Any) -> None:
    wait_for(lambda: bool(live.table.meta.proposals.pending()))
    [proposal] = live.table.meta.proposals.pending()
    leader.goto(url)
    queued = leader.locator(f"#proposals [data-proposal='{proposal.id}']")
    queued.locator("form[action$='/accept'] button[type=submit]").click(timeout=WAIT)
    wait_for(lambda: not live.table.meta.proposals.pending())


def test_a_tablet_proposes_a_lock_through_the_guided_form(browser: Browser,
                                                          server: LiveServer) -> None:
    make_user(server.app)
    ours = group_with_meetings(server.app, game="escape_room")
    hub = server.hub
    walk = Walk()

    leader = browser.new_context(locale="fi-FI").new_page()
    login_page(leader, server.url)
    leader.goto(f"{server.url}/workshop/group/{ours['group']}")
    leader.locator("#target").select_option("escape_room")
    leader.locator("#name").fill("Meidän huone")
    leader.locator("form[action$='/start'] button[type=submit]").click()
    leader.wait_for_url(f"{server.url}/panel/t/*")
    code = leader.url.rstrip("/").rsplit("/", 1)[-1]
    panel = leader.url
    live = hub.find(code)
    assert live is not None

    tablet = browser.new_context(locale="fi-FI").new_page()
    seat = join_by_roster(tablet, f"{server.url}/j/{code}", "Aino", ("sun", "#E69F00"))
    hub.apply(live, StartTable(at=hub.now()))
    tablet.locator("[data-move=kind][data-value=code]").click(timeout=WAIT)
    wait_for(lambda: live.table.state.kind.get(seat) == "code")
    expect(tablet.locator("main")).to_contain_text(words.STEP_ANSWER.pick("fi"), timeout=WAIT)
    walk.check("tablet: a lock's kind chosen, its answer asked", tablet)

    _send(tablet, "482")
    _accept_in_panel(leader, panel, live)
    for clue in ("Kuitin alussa lukee 4.", "Keskimmäinen numero on 8."):
        expect(tablet.locator("[data-kind=proposal] textarea")).to_be_visible(timeout=WAIT)
        _send(tablet, clue)
        _accept_in_panel(leader, panel, live)
    done = tablet.locator("[data-move=clues_done]")
    expect(done).to_be_visible(timeout=WAIT)
    expect(tablet.locator("main")).to_contain_text("Keskimmäinen numero on 8.")
    walk.check("tablet: the lock in the making, enough clues", tablet)
    done.click()
    wait_for(lambda: live.table.state.locks[seat].clues_done)
    expect(tablet.locator("main")).to_contain_text(words.STEP_HINT.pick("fi"), timeout=WAIT)
    _send(tablet, "Lukekaa kuitti.")
    _accept_in_panel(leader, panel, live)
    assert [m.answer for m in live.table.state.made] == ["482"]

    from facilitator.dbsession import db
    from facilitator.workshop import MadeContent

    with server.app.app_context():
        made_id = db().query(MadeContent).filter_by(group_id=ours["group"]).one().id
    leader.goto(f"{server.url}/workshop/made/{made_id}")
    expect(leader.locator(".made-items > li")).to_have_count(1, timeout=WAIT)
    expect(leader.locator("main")).to_contain_text("3–5 lukkoa")  # in the leader's language
    leader.locator(".made-items details").last.locator("summary").click()
    expect(leader.locator(".made-items input[name=answer]").first).to_be_visible()
    walk.check("panel: the made page of a room, a lock's edit form open", leader)

    for each in (leader, tablet):
        each.context.close()
    assert not walk.problems, "\n\n".join(walk.problems)


def test_a_tablet_proposes_a_story_scene_and_the_leader_links_the_scenes(
        browser: Browser, server: LiveServer) -> None:
    make_user(server.app)
    ours = group_with_meetings(server.app, game="story")
    hub = server.hub
    walk = Walk()

    leader = browser.new_context(locale="fi-FI").new_page()
    login_page(leader, server.url)
    leader.goto(f"{server.url}/workshop/group/{ours['group']}")
    leader.locator("#target").select_option("story")
    leader.locator("#name").fill("Meidän tarina")
    leader.locator("form[action$='/start'] button[type=submit]").click()
    leader.wait_for_url(f"{server.url}/panel/t/*")
    panel = leader.url
    live = hub.find(panel.rstrip("/").rsplit("/", 1)[-1])
    assert live is not None

    tablet = browser.new_context(locale="fi-FI").new_page()
    join_by_roster(tablet, f"{server.url}/j/{live.code}", "Aino", ("sun", "#E69F00"))
    hub.apply(live, StartTable(at=hub.now()))
    expect(tablet.locator("main")).to_contain_text(words.STEP_SCENE.pick("fi"), timeout=WAIT)
    walk.check("tablet: a story scene's first step", tablet)
    _send(tablet, "Aino löytää avaimen.")
    _accept_in_panel(leader, panel, live)
    tablet.locator("[data-move=scene_choices][data-value='3']").click(timeout=WAIT)
    expect(tablet.locator("main")).to_contain_text("1/3", timeout=WAIT)
    walk.check("tablet: a story scene in the making, its choices asked", tablet)
    for choice in ("Hän etsii omistajan.", "Hän pitää sen.", "Hän vie sen poliisille."):
        expect(tablet.locator("[data-kind=proposal] textarea")).to_be_visible(timeout=WAIT)
        _send(tablet, choice)
        _accept_in_panel(leader, panel, live)
    assert [m.choices for m in live.table.state.made] == [
        ["Hän etsii omistajan.", "Hän pitää sen.", "Hän vie sen poliisille."]]

    from facilitator.dbsession import db
    from facilitator.workshop import MadeContent

    with server.app.app_context():
        made_id = db().query(MadeContent).filter_by(group_id=ours["group"]).one().id
    leader.goto(f"{server.url}/workshop/made/{made_id}")
    expect(leader.locator("#links select")).to_have_count(3, timeout=WAIT)
    expect(leader.locator("main")).to_contain_text("Kohtaus 1, vaihtoehto 1")
    walk.check("panel: the made page of a story, its title and links", leader)

    for each in (leader, tablet):
        each.context.close()
    assert not walk.problems, "\n\n".join(walk.problems)
