"""The story activity end to end: three tablets in Chromium and the browser screen play a shipped
story to its ending at a live server, opened and moderated by the leader from the panel.

On the way: a write-in proposed on a tablet and accepted from the panel's proposal queue, a tie
settled by the table's rule (which the screen states), a pass, and a tablet that reloads in the
middle of a vote and finds its own vote again. axe-core looks at every state a tablet meets in
the story and at the panel with a proposal waiting.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from engine import StartTable, TableStatus
from games.story import words

from .accounts import login_page, make_user
from .axe import report, violations
from .browser import settle, wait_for
from .live_server import LiveServer
from .test_browser import join

pytestmark = pytest.mark.browser

WAIT = 20_000
WRITE_IN = "Kim syö ensin kunnon aamiaisen"






class Walk:
    """The states met, and axe's findings on each."""

    def __init__(self) -> None:
        self.met: list[str] = []
        self.problems: list[str] = []

    def check(self, name: str, page: Page) -> None:
        self.met.append(name)
        settle(page)
        found = violations(page)
        if found:
            self.problems.append(f"{name}:\n{report(found)}")


def stage(live: Any) -> tuple[int, str]:
    return len(live.table.state.path), live.table.state.stage


def everyone_reads(live: Any, tablets: dict[str, Page]) -> None:
    """Each tablet taps "I have read it"; the last tap moves the story on."""
    before = stage(live)
    for seat, page in tablets.items():
        if stage(live) != before:
            break
        page.locator("[data-move=read][aria-pressed=false]").click(timeout=WAIT)
        wait_for(lambda s=seat: s in live.table.state.ready or stage(live) != before)
    wait_for(lambda: stage(live) != before)


def everyone_votes_first(live: Any, tablets: dict[str, Page]) -> None:
    before = stage(live)
    for seat, page in tablets.items():
        page.locator("[data-kind=vote] button[data-value]").first.click(timeout=WAIT)
        wait_for(lambda s=seat: s in live.table.state.ballots or stage(live) != before)
    wait_for(lambda: live.table.state.stage == "result")


def test_three_tablets_and_the_screen_play_a_story_to_its_ending(
        browser: Browser, server: LiveServer) -> None:
    make_user(server.app)
    walk = Walk()

    leader = browser.new_context(locale="fi-FI").new_page()
    login_page(leader, server.url)
    leader.goto(f"{server.url}/panel/new/story")
    leader.locator("select[name=story]").select_option("first-day")
    leader.locator("select[name=tie_rule]").select_option("draw")
    leader.locator("input[name=write_ins]").check()
    leader.locator("#options button[type=submit]").click()
    leader.wait_for_url(f"{server.url}/panel/t/*")
    code = leader.url.rstrip("/").rsplit("/", 1)[-1]
    live = server.hub.find(code)
    assert live is not None and live.table.options.write_ins

    screen = browser.new_context(locale="fi-FI",
                                 viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(f"{server.url}/screen/{code}")
    expect(screen.locator("body")).to_have_attribute("data-conn", "open", timeout=WAIT)

    url = f"{server.url}/j/{code}"
    contexts = [browser.new_context(locale="fi-FI") for _ in range(3)]
    tablets: dict[str, Page] = {}
    for context, (name, avatar) in zip(contexts, [("Aino", ("sun", "#E69F00")),
                                                  ("Bashir", ("boat", "#56B4E9")),
                                                  ("Camilla", ("tree", "#009E73"))],
                                       strict=True):
        page = context.new_page()
        tablets[join(page, url, name, avatar=avatar)] = page
    (a, aino), (b, bashir), (c, camilla) = tablets.items()

    server.hub.apply(live, StartTable(at=server.hub.now()))
    story = live.table.content.stories["first-day"]
    first = story.scene(story.start)
    expect(aino.locator("[data-move=read]")).to_be_visible(timeout=WAIT)
    expect(screen.locator("body")).to_contain_text(first.title.pick("fi"), timeout=WAIT)
    walk.check("tablet: reading a scene", aino)

    # The first scene is read by all three; the vote opens.
    everyone_reads(live, tablets)
    assert live.table.state.stage == "vote"
    expect(aino.locator("[data-kind=vote]")).to_be_visible(timeout=WAIT)
    expect(aino.locator("[data-kind=proposal]")).to_be_visible(timeout=WAIT)
    expect(aino.locator("[data-kind=proposal]")).to_contain_text("Ohjaaja lukee")
    walk.check("tablet: voting, with the write-in field", aino)
    # The screen says how a tie is settled, and that results wait for the vote to close.
    expect(screen.locator("body")).to_contain_text(words.RULE["draw"].pick("fi"), timeout=WAIT)
    expect(screen.locator("body")).to_contain_text(words.HIDDEN.pick("fi"))

    # Aino writes her own option; nobody else sees it before the leader has accepted it.
    aino.locator("[data-kind=proposal] textarea").fill(WRITE_IN)
    aino.locator("[data-kind=proposal] [data-role=send]").click()
    wait_for(lambda: bool(live.table.meta.proposals.pending()))
    expect(aino.locator("main")).to_contain_text("Ohjaaja lukee ehdotustasi", timeout=WAIT)
    walk.check("tablet: a proposal waiting for the leader", aino)
    assert WRITE_IN not in bashir.locator("main").inner_text()
    assert WRITE_IN not in screen.locator("body").inner_text()

    # The leader reads it in the panel's queue and accepts it as written.
    leader.goto(f"{server.url}/panel/t/{code}")
    queued = leader.locator("#proposals [data-proposal='1']")
    expect(queued).to_contain_text(WRITE_IN, timeout=WAIT)
    expect(queued).to_contain_text("Aino")
    walk.check("panel: the proposal queue", leader)
    queued.locator("form[action$='/accept'] button[type=submit]").click()
    wait_for(lambda: not live.table.meta.proposals.pending())
    expect(leader.locator("#proposals")).to_have_count(0, timeout=WAIT)
    for page in tablets.values():
        expect(page.locator("[data-kind=vote]")).to_contain_text(WRITE_IN, timeout=WAIT)
    expect(screen.locator("body")).to_contain_text(WRITE_IN, timeout=WAIT)
    expect(aino.locator("main")).to_contain_text("Ehdotuksesi hyväksyttiin", timeout=WAIT)

    # A tie: Aino votes for the first option, Bashir for the second, Camilla passes.
    offered = list(live.table.state.offered)
    assert len(offered) == 3  # the scene's two choices and Aino's
    aino.locator(f"[data-kind=vote] button[data-value='{offered[0]}']").click()
    wait_for(lambda: a in live.table.state.ballots)
    expect(aino.locator("main")).to_contain_text("Äänestit:", timeout=WAIT)
    walk.check("tablet: voted", aino)
    bashir.locator(f"[data-kind=vote] button[data-value='{offered[1]}']").click()
    wait_for(lambda: b in live.table.state.ballots)
    second = first.choices[offered[1]].label.pick("fi")

    # Bashir's tablet reloads in the middle of the vote and shows Bashir's own vote again.
    bashir.reload()
    expect(bashir.locator("body")).to_have_attribute("data-state", "seated", timeout=WAIT)
    assert bashir.locator("body").get_attribute("data-seat") == b
    expect(bashir.locator("main")).to_contain_text(f"Äänestit: {second}", timeout=WAIT)
    expect(bashir.locator("[data-kind=vote]")).to_have_count(0)
    assert live.table.state.ballots[b] == offered[1] and len(live.table.meta.seats) == 3
    # Nobody else is told what Bashir chose; the screen shows only how many have voted.
    assert "Äänestit" not in camilla.locator("main").inner_text()

    camilla.locator("[data-kind=pass]").click(timeout=WAIT)
    wait_for(lambda: live.table.state.stage == "result")
    assert live.table.state.tied == [offered[0], offered[1]]
    assert live.table.state.outcome_how == "draw"
    expect(screen.locator("body")).to_contain_text("Äänet menivät tasan. Arpa valitsi",
                                                   timeout=WAIT)
    for page in tablets.values():
        expect(page.locator("main")).to_contain_text("Arpa valitsi", timeout=WAIT)
    walk.check("tablet: the result of a vote", camilla)
    store = server.app.extensions["piiri.store"]
    facts = [f for e in store.events(live.table_id) for f in e.facts]
    assert [f.seat for f in facts if f.kind == "vote_passed"] == [c]

    # On to the ending: everyone reads, everyone votes for the first option on the ballot.
    while live.table.state.stage != "debrief":
        if live.table.state.stage == "vote":
            expect(bashir.locator("[data-kind=vote]")).to_be_visible(timeout=WAIT)
            if "tablet: voting" not in walk.met:
                walk.check("tablet: voting", bashir)
            everyone_votes_first(live, tablets)
        else:
            everyone_reads(live, tablets)
    ending = story.scene(live.table.state.path[-1].scene)
    assert ending.ending
    for page in tablets.values():
        expect(page.locator("main")).to_contain_text(words.PATH.pick("fi"), timeout=WAIT)
        expect(page.locator("main")).to_contain_text(story.debrief[0].pick("fi"))
    walk.check("tablet: the ending and its debrief", camilla)
    expect(screen.locator("body")).to_contain_text(words.PATH.pick("fi"), timeout=WAIT)
    expect(screen.locator("body")).to_contain_text(ending.title.pick("fi"))
    # The path names scenes and choices (Aino's accepted words among them if they won), never
    # a person.
    shown = " ".join(screen.locator("[data-kind=text]").all_text_contents())
    assert words.PATH.pick("fi") in shown
    assert not {"Aino", "Bashir", "Camilla"} & set(shown.replace(".", " ").split())
    facts = [f.kind for e in store.events(live.table_id) for f in e.facts]
    assert "story_ended" in facts and facts.count("proposal_accepted") == 1
    assert live.table.status in (TableStatus.playing, TableStatus.ended)

    for page in [leader, screen, *tablets.values()]:
        page.context.close()
    assert walk.met == ["tablet: reading a scene", "tablet: voting, with the write-in field",
                        "tablet: a proposal waiting for the leader", "panel: the proposal queue",
                        "tablet: voted", "tablet: the result of a vote", "tablet: voting",
                        "tablet: the ending and its debrief"]
    assert not walk.problems, "\n\n".join(walk.problems)
