"""A co-creation workshop end to end in Chromium: three tablets and the leader's panel make an
Elämän värit deck of six cards, the leader approves each card in the panel's proposal queue,
"play what we made" takes the tablets on by themselves, and the group plays its own deck.

axe-core looks at every new tablet state (the writing form, the credit choice, the thumbs) and
every new panel page (the group's workshop page, the made page with its edit form, the proposal
queue)."""

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

pytestmark = pytest.mark.browser

CARDS = {"Aino": ["Kerro hetkestä, jolloin nauroit.", "Mikä auttaa sinua aamulla?"],
         "Bashir": ["Mitä toivoisit ensi kesältä?", "Missä olet hyvä, kun on kiire?"],
         "Carla": ["Kerro lempiruoastasi.", "Kuka auttoi sinua lapsena?"]}


def join_by_roster(page: Page, url: str, name: str, avatar: tuple[str, str]) -> str:
    """Join as a group member would: tap one's own name on the group's list, a picture, Join."""
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-state", "join", timeout=WAIT)
    page.locator("[data-role=name]", has_text=name).click(timeout=WAIT)
    page.click(f"[data-colour='{avatar[1]}']", timeout=WAIT)
    page.click(f"[data-icon='{avatar[0]}']", timeout=WAIT)
    page.click("[data-role=join]", timeout=WAIT)
    expect(page.locator("body")).to_have_attribute("data-state", "seated", timeout=WAIT)
    seat = page.locator("body").get_attribute("data-seat")
    assert seat
    return seat


def test_three_tablets_make_a_deck_the_leader_approves_and_the_group_plays(
        browser: Browser, server: LiveServer) -> None:
    make_user(server.app)
    ours = group_with_meetings(server.app)
    hub = server.hub
    walk = Walk()

    leader = browser.new_context(locale="fi-FI").new_page()
    login_page(leader, server.url)
    leader.goto(f"{server.url}/workshop/group/{ours['group']}")
    walk.check("panel: the group's workshop page", leader)
    leader.locator("#target").select_option("elaman_varit")
    leader.locator("#name").fill("Arjen kortit")
    leader.locator("#language").select_option("fi")
    leader.locator("form[action$='/start'] button[type=submit]").click()
    leader.wait_for_url(f"{server.url}/panel/t/*")
    code = leader.url.rstrip("/").rsplit("/", 1)[-1]
    live = hub.find(code)
    assert live is not None and live.table.module.id == "workshop"

    url = f"{server.url}/j/{code}"
    tablets: dict[str, Page] = {}
    seats: dict[str, str] = {}
    for name, avatar in (("Aino", ("sun", "#E69F00")), ("Bashir", ("boat", "#56B4E9")),
                         ("Carla", ("tree", "#009E73"))):
        page = browser.new_context(locale="fi-FI").new_page()
        seats[name] = join_by_roster(page, url, name, avatar)
        tablets[name] = page
    hub.apply(live, StartTable(at=hub.now()))

    # Each writer picks the kind of card first; the writing form opens.
    for name, page in tablets.items():
        page.locator("[data-move=kind][data-value=question]").click(timeout=WAIT)
        wait_for(lambda n=name: live.table.state.kind.get(seats[n]) == "question")
        expect(page.locator("[data-kind=proposal] textarea")).to_be_visible(timeout=WAIT)
    walk.check("tablet: the workshop's writing form", tablets["Aino"])
    # Aino chooses to be named with her cards; the tablet says so.
    tablets["Aino"].locator("[data-move=credit][data-value=yes]").click()
    wait_for(lambda: live.table.state.credit.get(seats["Aino"]) is True)
    expect(tablets["Aino"].locator("main")).to_contain_text(words.CREDIT_ON.pick("fi"),
                                                             timeout=WAIT)
    walk.check("tablet: the credit choice made", tablets["Aino"])

    queue_checked = False
    for turn in range(2):
        for name, page in tablets.items():
            page.locator("[data-kind=proposal] textarea").fill(CARDS[name][turn])
            page.locator("[data-kind=proposal] [data-role=send]").click()
            wait_for(lambda n=name: any(p.status == "pending" for p in
                                        live.table.meta.proposals.of_seat(seats[n])))
        leader.goto(f"{server.url}/panel/t/{code}")
        for proposal in list(live.table.meta.proposals.pending()):
            queued = leader.locator(f"#proposals [data-proposal='{proposal.id}']")
            expect(queued).to_contain_text(proposal.text, timeout=WAIT)
            if not queue_checked:
                walk.check("panel: the proposal queue", leader)
                queue_checked = True
            queued.locator("form[action$='/accept'] button[type=submit]").click()
            wait_for(lambda p=proposal.id: all(q.id != p for q in
                                               live.table.meta.proposals.pending()))
        for page in tablets.values():
            expect(page.locator("[data-kind=proposal] textarea")).to_be_visible(timeout=WAIT)
    assert [m.text for m in live.table.state.made] == [
        CARDS[n][t] for t in range(2) for n in ("Aino", "Bashir", "Carla")]

    # A thumb up for the latest card: counts only, never who.
    carla = tablets["Carla"]
    expect(carla.locator("[data-move=thumb]").first).to_be_visible(timeout=WAIT)
    walk.check("tablet: thumbs for the cards made", carla)
    carla.locator("[data-move=thumb]").first.click()
    wait_for(lambda: any(m.thumbs for m in live.table.state.made))

    # Writing an accepted card in another language: the language is chosen first.
    carla.locator("[data-move=translate]").first.click()
    wait_for(lambda: seats["Carla"] in live.table.state.translating)
    carla.locator("[data-move=translate_to][data-value=sv]").click(timeout=WAIT)
    wait_for(lambda: live.table.state.translating[seats["Carla"]].language == "sv")
    expect(carla.locator("[data-kind=proposal] textarea")).to_be_visible(timeout=WAIT)
    walk.check("tablet: writing a card in another language", carla)
    carla.locator("[data-move=translate_back]").click()
    wait_for(lambda: seats["Carla"] not in live.table.state.translating)

    # The made page: six cards, Aino's named, an edit form per card.
    from facilitator.dbsession import db
    from facilitator.workshop import MadeContent

    with server.app.app_context():
        made = db().query(MadeContent).filter_by(group_id=ours["group"]).one()
        made_id = made.id
    leader.goto(f"{server.url}/workshop/group/{ours['group']}")
    leader.locator(f"a[href$='/workshop/made/{made_id}']").click()
    expect(leader.locator(".made-items > li")).to_have_count(6, timeout=WAIT)
    expect(leader.locator(".made-items")).to_contain_text("Aino")
    leader.locator(".made-items details").first.locator("summary").click()
    expect(leader.locator(".made-items details textarea").first).to_be_visible()
    walk.check("panel: the made page with its edit form", leader)

    # Play what we made: the tablets follow by themselves to the new room.
    leader.locator("form[action$='/try'] button[type=submit]").click()
    leader.wait_for_url(f"{server.url}/panel/t/*")
    played = hub.find(leader.url.rstrip("/").rsplit("/", 1)[-1])
    assert played is not None and played.table.module.id == "elaman_varit"
    assert played.table.options.decks == [f"oma-{made_id}"]
    for page in tablets.values():
        page.wait_for_url(f"**/{played.code}*", timeout=WAIT)
        expect(page.locator("body")).to_have_attribute("data-state", "seated", timeout=WAIT)
    wait_for(lambda: len(played.table.meta.seats) == 3
             and all(s.connected for s in played.table.meta.seats))
    by_seat = {s.id: tablets[s.nickname] for s in played.table.meta.seats}

    # And play it: turns go round until a card of the group's own deck is on the table.
    hub.apply(played, StartTable(at=hub.now()))
    ours_texts = {t for texts in CARDS.values() for t in texts}
    for _ in range(12):
        current = played.table.meta.turn.current
        assert current is not None
        page = by_seat[current]
        page.locator("[data-move=roll]").click(timeout=WAIT)
        wait_for(lambda c=current: played.table.state.stage != "roll"
                 or played.table.meta.turn.current != c)
        state: Any = played.table.state
        if state.stage == "choose":
            page.locator("[data-move=choose]").first.click(timeout=WAIT)
            wait_for(lambda: played.table.state.stage != "choose")
        if played.table.state.card is not None:
            break
        page.locator("[data-move=done]").click(timeout=WAIT)
        wait_for(lambda c=current: played.table.meta.turn.current != c)
    card = played.table.state.card
    assert card is not None and card.startswith(f"oma-{made_id}-")
    deck = played.table.content.decks[f"oma-{made_id}"]
    text = next(c.text.pick("fi") for c in deck.cards if c.id == card)
    assert text in ours_texts
    expect(page.locator("main")).to_contain_text(text, timeout=WAIT)

    for each in [leader, *tablets.values()]:
        each.context.close()
    assert walk.met == ["panel: the group's workshop page", "tablet: the workshop's writing form",
                        "tablet: the credit choice made", "panel: the proposal queue",
                        "tablet: thumbs for the cards made",
                        "tablet: writing a card in another language",
                        "panel: the made page with its edit form"]
    assert not walk.problems, "\n\n".join(walk.problems)
