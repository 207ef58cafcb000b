"""Write-in options: participants propose their own option, the leader reads it first.

The proposal path is the engine's (``engine/proposals.py``): a ``propose`` move from a tablet,
a queue in the table's state, the leader's ``proposal_accept`` / ``proposal_return``; the
story only says where proposals are open and puts an accepted one on the ballot.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from engine import (
    ContentError,
    Rejected,
    StartTable,
    VoteControl,
    WordList,
    held_back_words,
)
from engine.content import content_root, load_content_file
from engine.testing import SimulatedTable
from games.story import StoryContent
from games.story import module as story_game
from games.story.content import Story
from tests.live_server import LiveServer
from tests.test_protocol import Client

STORY = """\
kind: story
translations: {en: written}
id: walk
title: {en: A walk}
intro: {en: Sam goes for a walk.}
scenes:
  - id: door
    title: {en: At the door}
    text: {en: It rains a little.}
    write_in: true
    write_in_goto: own
    choices:
      - {label: {en: Umbrella}, goto: park}
      - {label: {en: Nothing}, goto: park}
  - id: park
    title: {en: The park}
    text: {en: Ducks.}
    choices:
      - {label: {en: Sit down}, goto: home}
      - {label: {en: Walk on}, goto: home}
  - id: own
    title: {en: Sam's own way}
    text: {en: Sam does it the group's way.}
    next: home
  - id: home
    title: {en: Home}
    text: {en: Tea.}
    ending: true
    debrief: [{en: "What did you see?"}]
"""


def content(text: str = STORY) -> StoryContent:
    story = Story.model_validate(yaml.safe_load(text))
    return StoryContent(stories={story.id: story})


def at_the_vote(seats: int = 3, text: str = STORY,
                **options: Any) -> tuple[SimulatedTable, list[str]]:
    sim = SimulatedTable(story_game, content(text), options={"story": "walk", **options})
    ids = sim.join_many(seats)
    sim.start()
    sim.leader_move("go_on")
    assert sim.state.stage == "vote"
    return sim, ids


def kinds(sim: SimulatedTable, seat: str) -> list[str]:
    return [item.kind for item in sim.controls(seat).items]


def everything_shown(sim: SimulatedTable, but: str) -> str:
    """The shared scene and every tablet's controls except the writer's, as JSON."""
    shown = [sim.scene().model_dump_json()]
    shown += [sim.controls(s.id).model_dump_json() for s in sim.table.meta.seats
              if s.id != but]
    return "\n".join(shown)


def ballot(sim: SimulatedTable, seat: str) -> list[str]:
    vote = next(i for i in sim.controls(seat).items if isinstance(i, VoteControl))
    return [o.label.pick("en") for o in vote.options]


def test_a_write_in_scene_offers_a_proposal_field_that_says_the_leader_reads_first() -> None:
    sim, (a, b, c) = at_the_vote()
    assert "proposal" in kinds(sim, a)
    field = next(i for i in sim.controls(a).items if i.kind == "proposal")
    assert field.move == "propose"
    assert field.note is not None and "leader reads proposals first" in field.note.pick("en")
    # Not where the story does not allow it: the park's vote.
    for seat in (a, b, c):
        sim.move(seat, "vote", value="0")
    sim.leader_move("go_on")
    sim.leader_move("go_on")
    assert sim.state.path[-1].scene == "park" and sim.state.stage == "vote"
    assert "proposal" not in kinds(sim, a)
    refused = sim.try_move(a, "propose", value="Dance in the rain")
    assert isinstance(refused, Rejected) and refused.message_key == "proposal.not_open"


def test_the_leader_can_turn_write_ins_on_for_every_vote() -> None:
    plain = STORY.replace("    write_in: true\n", "").replace("    write_in_goto: own\n", "")
    plain = plain.replace("  - id: own\n    title: {en: Sam's own way}\n    text: {en: Sam does "
                          "it the group's way.}\n    next: home\n", "")
    sim, (a, *_) = at_the_vote(text=plain)
    assert "proposal" not in kinds(sim, a)
    sim, (a, *_) = at_the_vote(text=plain, write_ins=True)
    assert "proposal" in kinds(sim, a)


def test_an_approved_proposal_joins_the_ballot_wins_and_takes_the_write_in_branch() -> None:
    sim, (a, b, c) = at_the_vote()
    sim.move(a, "propose", value="  Dance   in the rain ")
    # Pending: in the leader's queue and on the writer's own tablet only.
    [pending] = sim.table.meta.proposals.pending()
    assert (pending.seat, pending.text) == (a, "Dance in the rain")
    assert "Dance" not in everything_shown(sim, but=a)
    assert "Dance" not in json.dumps([f.model_dump() for f in sim.facts()])  # facts: no words
    mine = [i.text.pick("en") for i in sim.controls(a).items if i.kind == "text"]
    assert any("The leader is reading your proposal: Dance in the rain" in t for t in mine)
    assert "proposal" not in kinds(sim, a)  # one at a time
    assert ballot(sim, b) == ["Umbrella", "Nothing"]

    sim.leader_move("proposal_accept", id=pending.id)
    assert ballot(sim, b) == ["Umbrella", "Nothing", "Dance in the rain"]
    assert "Dance in the rain" in sim.scene().model_dump_json()
    assert [f.seat for f in sim.facts("proposal_made")] == [a]
    assert [(f.seat, f.data["edited"]) for f in sim.facts("proposal_accepted")] == [(a, False)]
    for seat in (a, b):
        sim.move(seat, "vote", value="2")
    sim.move(c, "vote", value="0")
    assert sim.state.stage == "result" and sim.state.outcome == 2
    assert "Dance in the rain" in sim.scene().model_dump_json()
    sim.leader_move("go_on")
    assert sim.state.path[-1].scene == "own"
    assert sim.state.path[0].written == "Dance in the rain"
    sim.leader_move("go_on")
    sim.leader_move("go_on")
    assert sim.state.stage == "debrief"
    assert "Dance in the rain" in sim.scene().model_dump_json()  # the path the group took
    assert sim.table.meta.seats[0].counts["proposal_accepted"] == 1
    sim.assert_replays()


def test_an_edited_proposal_tells_its_writer() -> None:
    sim, (a, b, _) = at_the_vote()
    sim.move(a, "propose", value="Dance in teh rian")
    sim.leader_move("proposal_accept", id=1, text="Dance in the rain")
    notes = [i.text.pick("en") for i in sim.controls(a).items if i.kind == "text"]
    assert any("The leader edited your proposal and accepted it: Dance in the rain (you wrote: "
               "Dance in teh rian)" in n for n in notes)
    assert ballot(sim, b)[-1] == "Dance in the rain"
    assert "teh rian" not in everything_shown(sim, but=a)
    assert sim.facts("proposal_accepted")[0].data["edited"] is True


def test_a_returned_proposal_comes_back_with_a_kind_word_and_is_never_shown() -> None:
    sim, (a, b, _) = at_the_vote()
    sim.move(a, "propose", value="Go home")
    sim.leader_move("proposal_return", id=1, note="Thank you! That is close to 'Nothing'.")
    assert not sim.table.meta.proposals.pending()
    notes = [i.text.pick("en") for i in sim.controls(a).items if i.kind == "text"]
    assert any("gave your proposal back: Thank you! That is close to 'Nothing'." in n
               for n in notes)
    assert "proposal" in kinds(sim, a)  # the writer may try again
    assert "Go home" not in everything_shown(sim, but=a)
    assert ballot(sim, b) == ["Umbrella", "Nothing"]
    assert [f.seat for f in sim.facts("proposal_returned")] == [a]
    # Without words of the leader's own, the engine's kind word.
    sim.move(a, "propose", value="Run")
    sim.leader_move("proposal_return", id=2)
    notes = [i.text.pick("en") for i in sim.controls(a).items if i.kind == "text"]
    assert any("Thank you for your proposal!" in n for n in notes)
    # Dealt with once: it cannot be accepted after being returned.
    refused = sim.try_move(None, "proposal_accept", id=2)
    assert isinstance(refused, Rejected) and refused.message_key == "proposal.no_such"


def test_only_the_leader_moderates_and_only_tablets_propose() -> None:
    sim, (a, b, _) = at_the_vote()
    sim.move(a, "propose", value="Dance")
    assert isinstance(sim.try_move(b, "proposal_accept", id=1), Rejected)
    assert isinstance(sim.try_move(b, "proposal_return", id=1), Rejected)
    assert isinstance(sim.try_move(None, "propose", value="Leader's idea"), Rejected)
    assert sim.table.meta.proposals.pending()[0].status == "pending"


def test_a_proposal_for_a_vote_that_is_over_stays_off_the_ballot() -> None:
    sim, (a, b, c) = at_the_vote()
    sim.move(a, "propose", value="Dance")
    for seat in (a, b, c):
        sim.move(seat, "vote", value="1")
    refused = sim.try_move(None, "proposal_accept", id=1)
    assert isinstance(refused, Rejected) and refused.message_key == "story.vote_over"
    sim.leader_move("proposal_return", id=1)


def test_a_write_in_without_a_branch_lets_the_leader_pick_where_the_story_goes() -> None:
    text = STORY.replace("    write_in_goto: own\n", "").replace(
        "{label: {en: Walk on}, goto: home}", "{label: {en: Walk on}, goto: own}")
    sim, (a, b, c) = at_the_vote(text=text)
    sim.move(b, "propose", value="Call a friend")
    sim.leader_move("proposal_accept", id=1)
    for seat in (a, b, c):
        sim.move(seat, "vote", value="2")
    refused = sim.try_move(None, "go_on")
    assert isinstance(refused, Rejected) and refused.message_key == "story.continue_at_first"
    for seat in (a, b, c):
        sim.move(seat, "read")  # everyone has read the result: it waits for the leader
    assert sim.state.stage == "result"
    refused = sim.try_move(None, "continue_at", scene="nowhere")
    assert isinstance(refused, Rejected) and refused.message_key == "story.no_such_scene"
    sim.leader_move("continue_at", scene="park")
    assert sim.state.path[-1].scene == "park"
    sim.assert_replays()


def test_identity_codes_are_refused_in_proposals_and_in_the_leaders_edits() -> None:
    sim, (a, *_) = at_the_vote()
    refused = sim.try_move(a, "propose", value="Aino 131052-308T")
    assert isinstance(refused, Rejected) and refused.message_key == "identity_code"
    assert not sim.table.meta.proposals.items
    sim.move(a, "propose", value="Dance")
    refused = sim.try_move(None, "proposal_accept", id=1, text="131052-308T")
    assert isinstance(refused, Rejected) and refused.message_key == "identity_code"


def test_a_proposal_longer_than_a_few_words_is_refused() -> None:
    sim, (a, *_) = at_the_vote()
    assert isinstance(sim.try_move(a, "propose", value="x" * 81), Rejected)
    assert isinstance(sim.try_move(a, "propose", value="   "), Rejected)


# -- the word list -------------------------------------------------------------------------------


def shipped_words() -> WordList:
    return load_content_file(content_root() / "moderation" / "words.yaml", WordList)


def test_the_word_list_has_fi_sv_and_en_and_holds_back_abusive_words() -> None:
    words = shipped_words()
    assert all(words.words[lang] for lang in ("fi", "sv", "en"))
    assert held_back_words("Olet IDIOOTTI", words)
    assert held_back_words("Vilken dumbom", words)
    assert held_back_words("That is stupid", words)
    assert not held_back_words("Sam calls a friend", words)
    assert not held_back_words("Sam eats a dumpling", words)  # a whole word, not a part


def test_a_word_list_without_a_language_is_refused(tmp_path: Any) -> None:
    path = tmp_path / "words.yaml"
    path.write_text("kind: moderation-words\nwords:\n  fi: [tyhmä]\n  en: [stupid]\n")
    with pytest.raises(ContentError, match="sv"):
        load_content_file(path, WordList)


# -- over a real WebSocket and the leader's panel -------------------------------------------------

AVATAR = {"icon": "sun", "colour": "#E69F00"}


def write_in_table(server: LiveServer) -> Any:
    live = server.hub.create_table("story", {"story": "first-day", "write_ins": True}, seed=2)
    return live


def test_an_identity_code_sent_straight_as_a_proposal_is_refused_by_the_server(
        server: LiveServer) -> None:
    live = write_in_table(server)
    tablet = Client(server)
    tablet.join(live.code, "Aino")
    server.hub.apply(live, StartTable(at=server.hub.now()))
    from engine import MakeMove

    server.hub.apply(live, MakeMove(at=server.hub.now(), seat=None, name="go_on"))
    while live.table.state.stage != "vote":
        server.hub.apply(live, MakeMove(at=server.hub.now(), seat=None, name="go_on"))
    before = (live.table.seq, live.table.fingerprint())
    tablet.send(t="move", id=1, name="propose", payload={"value": "Aino 131052-308T"})
    error = tablet.until("error")
    assert error["id"] == 1 and "identity code" in error["message"]["en"]
    assert (live.table.seq, live.table.fingerprint()) == before
    assert not live.table.meta.proposals.items
    tablet.send(t="move", id=2, name="propose", payload={"value": "Ask the neighbour"})
    assert tablet.until("ack")["id"] == 2
    assert [p.text for p in live.table.meta.proposals.pending()] == ["Ask the neighbour"]


def test_the_panel_lists_proposals_holds_back_listed_words_and_moderates(
        server: LiveServer) -> None:
    from engine import MakeMove
    from tests.accounts import csrf_token, signed_in

    leader = signed_in(server.app, lang="en")
    made = leader.post("/panel/new/story", data={
        "csrf_token": csrf_token(leader, "/panel/new/story"), "story": "first-day",
        "tie_rule": "draw", "vote_seconds": "", "write_ins": "on"})
    code = made.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    live = server.hub.find(code)
    assert live is not None and live.table.options.write_ins
    a, b = Client(server), Client(server)
    a.join(live.code, "Aino")
    seat_b, _ = b.join(live.code, "Bashir")
    server.hub.apply(live, StartTable(at=server.hub.now()))
    while live.table.state.stage != "vote":
        server.hub.apply(live, MakeMove(at=server.hub.now(), seat=None, name="go_on"))
    a.send(t="move", id=1, name="propose", payload={"value": "Ask the neighbour"})
    a.until("ack")
    b.send(t="move", id=1, name="propose", payload={"value": "You idiot"})
    b.until("ack")
    page = leader.get(f"/panel/t/{live.code}").get_data(as_text=True)
    assert "Ask the neighbour" in page and "Held back" in page
    held = re.search(r'<li data-proposal="2" class="held">(.*?)</li>', page, re.S)
    assert held is not None and "<details>" in held.group(1)
    assert 'value="You idiot"' not in page  # not even in the edit field
    live_view = leader.get(f"/panel/t/{live.code}/live.json").get_json()
    assert live_view["actions"][:2] == ["proposal:1", "proposal:2"]  # the page reloads for them
    token = csrf_token(leader, f"/panel/t/{live.code}")
    leader.post(f"/panel/t/{live.code}/proposal/2/return",
                data={"csrf_token": token, "note": "Let's keep it kind."})
    refused = leader.post(f"/panel/t/{live.code}/proposal/1/accept",
                          data={"csrf_token": token, "text": "Ask 131052-308T"})
    assert "identity+code" in refused.headers["Location"] or "identity%20code" in (
        refused.headers["Location"])
    leader.post(f"/panel/t/{live.code}/proposal/1/accept",
                data={"csrf_token": token, "text": "Ask the neighbour for help"})
    assert not live.table.meta.proposals.pending()
    labels = [o.label.pick("en") for o in next(
        i for i in live.table.controls(seat_b).items if isinstance(i, VoteControl)).options]
    assert labels[-1] == "Ask the neighbour for help"
    assert "idiot" not in live.table.scene().model_dump_json()
    assert "idiot" not in leader.get(f"/panel/t/{live.code}").get_data(as_text=True)
