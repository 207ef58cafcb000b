"""An audience at a story table: people who watch the scene without the group's names and vote
in a ballot of their own, counted and shown apart, never deciding the group's choice; the
leader's cap and closing; an activity without an audience-safe scene refuses an audience; and
nothing of the audience reaches the table's log, the records or the export."""

from __future__ import annotations

import csv
import io
import json
import time
from typing import Any

import pytest

from engine import EndTable, MakeMove, StartTable
from engine.audience import audience_view
from engine.registry import find_game

from .accounts import csrf_token, login, make_user
from .axe import violations
from .live_server import LiveServer
from .test_protocol import Client
from .test_story_records import _meeting

NAMES = ("Aino", "Bashir")


@pytest.fixture()
def server_config() -> dict[str, Any]:
    # Counts reach the screens at once here, so a test waits for messages, never for time.
    return {"AUDIENCE_REFRESH_S": 0.01}


def _story(server: LiveServer, cap: int = 200) -> tuple[Any, dict[str, Client], dict[str, str]]:
    live = server.hub.create_table("story", {"story": "first-day"}, seed=5)
    tablets = {name: Client(server) for name in NAMES}
    seats = {name: tablet.join(live.code, name)[0] for name, tablet in tablets.items()}
    assert server.hub.audience.set_open(live, True, cap)
    return live, tablets, seats


def _watch(server: LiveServer, code: str,
           token: str | None = None) -> tuple[Client, dict[str, Any]]:
    audience = Client(server)
    audience.send(t="hello", v=1, role="audience", room=code, token=token)
    return audience, audience.until("audience")


def _until(client: Client, kind: str, check: Any) -> dict[str, Any]:
    """The next message of ``kind`` that passes ``check``, among those already read (and
    passed over while waiting for another kind) and then those still to come."""
    seen = client.seen
    for i in range(getattr(client, "cursor", 0), len(seen)):
        if seen[i]["t"] == kind and check(seen[i]):
            client.cursor = i + 1  # type: ignore[attr-defined]
            return seen[i]
    while True:
        msg = client.until(kind)
        if check(msg):
            client.cursor = len(seen)  # type: ignore[attr-defined]
            return msg


def _to_vote(server: LiveServer, live: Any) -> None:
    server.hub.apply(live, StartTable(at=server.hub.now()))
    while live.table.state.stage != "vote":
        server.hub.apply(live, MakeMove(at=server.hub.now(), seat=None, name="go_on"))


def _has_names(frame: dict[str, Any]) -> bool:
    text = json.dumps(frame)
    return any(name in text for name in NAMES) or '"roster"' in text


def test_the_audience_sees_the_story_without_names_and_votes_apart(server: LiveServer) -> None:
    live, tablets, seats = _story(server)
    audience, first = _watch(server, live.code)
    assert first["scene"]["elements"][0]["kind"] == "text"  # the lobby: "starts soon"
    assert not _has_names(first)
    _to_vote(server, live)
    frame = _until(audience, "audience", lambda m: m["ballot"] is not None)
    assert not _has_names(frame)
    assert {e["kind"] for e in frame["scene"]["elements"]} >= {"story", "tally"}
    ballot = frame["ballot"]
    group_choice, audience_choice = ballot["options"][0]["value"], ballot["options"][1]["value"]

    # The audience votes for the second option, twice: the second vote counts nothing.
    audience.send(t="audience_vote", ballot=ballot["key"], choice=audience_choice)
    assert audience.until("audience_voted")["choice"] == audience_choice
    audience.send(t="audience_vote", ballot=ballot["key"], choice=group_choice)
    assert audience.until("audience_voted")["choice"] == audience_choice
    counted = _until(audience, "audience", lambda m: m["tally"] and m["tally"]["votes"] == 1)
    assert counted["tally"]["votes"] == 1
    room = server.hub.audience.room(live)
    assert room.counts(ballot["key"]) == {audience_choice: 1}

    # A vote on an option that is not on the ballot changes nothing, with a clear word.
    other, _ = _watch(server, live.code)
    other.send(t="audience_vote", ballot=ballot["key"], choice="99")
    refused = other.until("error")
    assert refused["reason"] == "audience_no_ballot"
    assert refused["message"]["en"] == "This vote is not open now."
    assert room.counts(ballot["key"]) == {audience_choice: 1}

    # The group votes the first option: the group's choice is the group's alone.
    for n, name in enumerate(NAMES, start=1):
        tablets[name].send(t="move", id=n, name="vote", payload={"value": group_choice})
        tablets[name].until("ack")
    state = live.table.state
    assert state.stage == "result"
    assert state.outcome == int(group_choice)
    assert state.tally[int(group_choice)] == 2 and sum(state.tally.values()) == 2
    # The audience sees the group's result and its own count apart, and may vote no more.
    result = _until(audience, "audience", lambda m: m["ballot"] and not m["ballot"]["open"])
    assert result["tally"]["counts"][audience_choice] == 1
    assert result["tally"]["top"] == [audience_choice]
    assert not _has_names(result)
    audience.send(t="audience_vote", ballot=ballot["key"], choice=audience_choice)
    assert audience.until("error")["reason"] == "audience_no_ballot"
    assert len(live.table.meta.seats) == len(seats)


def test_tablets_and_the_screen_say_an_audience_is_watching(server: LiveServer) -> None:
    live, tablets, _ = _story(server)
    screen = Client(server)
    screen.hello(live.code, role="screen")
    audience, _ = _watch(server, live.code)

    def told(msg: dict[str, Any]) -> bool:
        return "An audience is watching: 1 people" in json.dumps(msg)

    _until(screen, "scene", told)
    for tablet in tablets.values():
        note = _until(tablet, "controls", told)
        words = [i["text"] for i in note["controls"]["items"] if i["kind"] == "text"][-1]
        assert set(words) == {"fi", "sv", "en", "fi-x-selko"}
    audience.close()
    _until(screen, "scene", lambda m: "An audience is watching: 0 people" in json.dumps(m))


def test_the_cap_is_kept_with_a_clear_message(server: LiveServer) -> None:
    live, _, _ = _story(server, cap=2)
    _watch(server, live.code)
    _watch(server, live.code)
    third = Client(server)
    third.send(t="hello", v=1, role="audience", room=live.code)
    refused = third.until("error")
    assert refused["reason"] == "audience_full"
    assert refused["message"]["en"] == "The audience is full right now. Try again later."
    assert server.hub.audience.room(live).watching == 2


def test_the_leader_opens_and_closes_the_audience_and_they_are_told(server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    from sqlalchemy import select

    from facilitator.dbsession import db
    from facilitator.models import TableOwner, User

    live = server.hub.create_table("story", {"story": "first-day"}, seed=5)
    with server.app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        db().add(TableOwner(table_id=live.table_id, organisation_id=user.organisation_id,
                            started_by=user.id))
        db().commit()
    page = panel.get(f"/panel/t/{live.code}").get_data(as_text=True)
    assert 'id="audience"' in page
    token = csrf_token(panel, f"/panel/t/{live.code}")
    # Closed until the leader opens it.
    closed = Client(server)
    closed.send(t="hello", v=1, role="audience", room=live.code)
    assert closed.until("error")["reason"] == "audience_closed"
    # A cap that is no number changes nothing and says why.
    bad = panel.post(f"/panel/t/{live.code}/audience", data={"csrf_token": token, "do": "open",
                                                              "cap": "lots"})
    assert "notice=" in bad.headers["Location"]
    assert server.hub.audience.room(live) is None or not server.hub.audience.room(live).open
    opened = panel.post(f"/panel/t/{live.code}/audience", data={"csrf_token": token,
                                                                 "do": "open", "cap": "30"})
    assert opened.status_code == 302
    assert server.hub.audience.room(live).cap == 30
    audience, _ = _watch(server, live.code)
    assert "30" in panel.get(f"/panel/t/{live.code}").get_data(as_text=True)
    panel.post(f"/panel/t/{live.code}/audience", data={"csrf_token": token, "do": "close"})
    gone = audience.until("gone")
    assert gone["reason"] == "audience_closed"
    assert gone["message"]["fi"] == "Pelin ohjaaja sulki yleisön. Kiitos, että katsoit!"
    assert server.hub.audience.room(live).watching == 0


def test_pelitarina_and_side_rounds_show_no_audience(server: LiveServer) -> None:
    assert find_game("pelitarina").audience is None
    live = server.hub.create_table("pelitarina")
    assert not server.hub.audience.set_open(live, True, 50)
    audience = Client(server)
    audience.send(t="hello", v=1, role="audience", room=live.code)
    refused = audience.until("error")
    assert refused["reason"] == "audience_not_offered"
    assert refused["message"]["sv"] == "Det här spelet kan inte ha en publik."
    assert audience_view(live.table) is None


def test_nothing_of_the_audience_reaches_the_log_the_records_or_the_export(
        server: LiveServer) -> None:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, ids = _meeting(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    started = panel.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    code = started.headers["Location"].rsplit("/", 1)[1]
    live = server.hub.find(code)
    assert live is not None
    tablets = {name: Client(server) for name in ids}
    for name, tablet in tablets.items():
        tablet.join(code, name)
    table_token = csrf_token(panel, f"/panel/t/{code}")
    panel.post(f"/panel/t/{code}/audience", data={"csrf_token": table_token, "do": "open",
                                                  "cap": "10"})
    audience, _ = _watch(server, code, token="a-browser-of-the-audience")
    _to_vote(server, live)
    frame = _until(audience, "audience", lambda m: m["ballot"] is not None)
    audience.send(t="audience_vote", ballot=frame["ballot"]["key"],
                  choice=frame["ballot"]["options"][0]["value"])
    audience.until("audience_voted")
    seq = live.table.seq
    server.hub.apply(live, EndTable(at=server.hub.now()))
    assert live.table.seq == seq + 1  # the audience's vote wrote no event

    logged = json.dumps([e.model_dump(mode="json") for e in server.hub.store.events(
        live.table_id)])
    assert "audience" not in logged
    assert len(live.table.meta.seats) == len(ids)
    form = {"csrf_token": token, **{f"attendance-{i}": "present" for i in ids.values()}}
    assert panel.post(f"/panel/meetings/{meeting_id}/close", data=form).status_code == 302
    raw = panel.get(f"/panel/periods/{period_id}/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    table = rows[3:rows.index([], 3)]
    assert sorted(row[4] for row in table[1:]) == sorted(ids)
    for word in ("audience", "yleisö", "publik"):
        assert word not in raw.lower()


def test_an_audience_page_in_chromium_is_accessible(server: LiveServer, browser: Any) -> None:
    live, tablets, _ = _story(server)
    _to_vote(server, live)
    page = browser.new_context(locale="fi-FI").new_page()
    page.goto(f"{server.url}/a/{live.code}")
    page.wait_for_selector("#options button")
    assert "Aino" not in page.content()
    assert violations(page) == []
    page.click("#options button >> nth=1")
    page.wait_for_selector("body[data-voted]")
    page.wait_for_selector("#tally:has-text('1')")
    assert page.locator("#mine").is_visible()
    assert violations(page) == []
    page.click("#langs button >> nth=2")  # English
    assert "Your vote:" in page.inner_text("#mine")
    page.context.close()


class _TinySideRound:
    """A side round that holds the tablets while ``live.side["tiny"]`` is set (the hub's
    real path for check-ins and feedback, without their forms and keys)."""

    def owns(self, name: str) -> bool:
        return name == "tiny.ok"

    def is_open(self, live: Any) -> bool:
        return bool(live.side.get("tiny"))

    def controls(self, live: Any, seat_id: str) -> Any:
        from engine import LocalizedText, SeatControls, TextControl

        words = LocalizedText(fi="Hetki", sv="Ett ögonblick", en="A moment")
        return SeatControls(seat=seat_id, items=[TextControl(text=words)])

    def step(self, *args: Any) -> Any:
        raise AssertionError("no steps here")

    refused = follow_up = closing = step

    def pass_name(self) -> str:
        return "tiny.ok"


def test_tablets_in_a_side_round_say_an_audience_is_watching(server: LiveServer) -> None:
    server.hub.add_side_round(_TinySideRound())
    live, tablets, _ = _story(server)
    _watch(server, live.code)
    live.side["tiny"] = True
    server.hub.broadcast(live)
    for tablet in tablets.values():
        held = _until(tablet, "controls", lambda m: "A moment" in json.dumps(m))
        words = [i["text"]["en"] for i in held["controls"]["items"] if i["kind"] == "text"]
        assert words == ["A moment", "An audience is watching: 1 people. They see the shared "
                                     "screen without your names."]


def test_the_live_table_page_counts_who_watch_without_a_reload(server: LiveServer,
                                                               browser: Any) -> None:
    from sqlalchemy import select

    from facilitator.dbsession import db
    from facilitator.models import TableOwner, User

    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    live, _, _ = _story(server)
    with server.app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        db().add(TableOwner(table_id=live.table_id, organisation_id=user.organisation_id,
                            started_by=user.id))
        db().commit()

    def watching() -> str | None:
        """The audience's row of the info list the page polls (after the game's own)."""
        rows = panel.get(f"/panel/t/{live.code}/live.json").get_json()["info"]
        game_rows = len(live.table.facilitator_view().info)
        return rows[-1]["value"] if len(rows) > game_rows else None

    assert watching() == "0"
    first, _ = _watch(server, live.code)
    _watch(server, live.code)
    assert watching() == "2"  # what the page's poll reads: no reload
    first.close()
    deadline = time.monotonic() + 30
    while watching() != "1":  # until the server has noticed the closed socket
        assert time.monotonic() < deadline, "the count never went down"
        time.sleep(0.05)
    server.hub.audience.set_open(live, False)
    assert watching() is None  # closed: no count to show

    # The page itself in Chromium: the count appears in its info list, and it is accessible.
    server.hub.audience.set_open(live, True, 5)
    _watch(server, live.code)
    context = browser.new_context(locale="en-GB")
    from .accounts import login_page

    page = context.new_page()
    login_page(page, server.url)
    page.goto(f"{server.url}/panel/t/{live.code}")
    game_rows = len(live.table.facilitator_view().info)
    page.wait_for_function(  # the audience's row, added by the page's poll
        f"document.querySelectorAll('#info dd').length > {game_rows}")
    assert page.inner_text("#info dd >> nth=-1") == "1"
    assert violations(page) == []
    context.close()
