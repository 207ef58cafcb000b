"""Co-creation workshops (issue 18): the group writes a short story of its own.

Each tablet proposes a scene through a guided form read from the story's own content models
(its text, then two or three choices); every part goes through the panel's one proposal
queue, where the leader accepts, edits or returns it, the word list holds abusive words back
and the server refuses identity codes. A participant may write an accepted item in another
language from their own tablet (a proposal too). On the made page the leader sets the title
and links the choices to scenes; the draft must pass the story's own checks, and an invalid
one says why, scene by scene, in the leader's language. Then the group plays it.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engine import Rejected, StartTable
from engine.registry import find_game, load_game_content
from engine.testing import SimulatedTable
from facilitator.dbsession import db
from games.workshop import words
from tests.accounts import signed_in
from tests.live_server import LiveServer
from tests.test_protocol import Client
from tests.test_workshop import (
    content_check_beside,
    group_with_meetings,
    hub_of,
    open_workshop,
    post,
    seat,
)

ROOT = Path(__file__).resolve().parent.parent


def _accept_sim(sim: SimulatedTable, text: str | None = None) -> None:
    [pending] = sim.table.meta.proposals.pending()
    sim.leader_move("proposal_accept", id=pending.id, text=text)


def test_a_scene_is_proposed_text_first_then_two_or_three_choices() -> None:
    sim = SimulatedTable(find_game("workshop"), load_game_content("workshop"),
                         options={"target": "story", "name": "Meidän tarina"})
    a, b = sim.join_many(2)
    sim.start()
    mine = sim.controls(a).model_dump_json()
    assert "Vaihe 1/2" in mine and "Yhtäkkiä" in mine  # the story's own starters
    sim.move(a, "propose", value="Aino löytää avaimen.")
    _accept_sim(sim)
    sim.move(a, "scene_choices", value="3")
    for choice in ("Hän vie sen poliisille.", "Hän etsii omistajan."):
        sim.move(a, "propose", value=choice)
        _accept_sim(sim)
    # Only the writer's tablet shows the scene in the making; nothing on the screen yet.
    assert "avaimen" in sim.controls(a).model_dump_json()
    assert "avaimen" not in sim.scene().model_dump_json() + sim.controls(b).model_dump_json()
    # Two choices are accepted already: it cannot become a scene of two without a read.
    refused = sim.try_move(a, "scene_choices", value="2")
    assert isinstance(refused, Rejected) and refused.message_key == "workshop.finish_scene"
    sim.move(a, "propose", value="Hän pitää sen.")
    _accept_sim(sim)
    [scene] = sim.state.made
    assert (scene.text, scene.choices) == ("Aino löytää avaimen.", [
        "Hän vie sen poliisille.", "Hän etsii omistajan.", "Hän pitää sen."])
    assert "Hän pitää sen." in sim.scene().model_dump_json()


def test_a_participant_writes_an_accepted_item_in_another_language() -> None:
    sim = SimulatedTable(find_game("workshop"), load_game_content("workshop"),
                         options={"target": "circle", "name": "Kysymykset"})
    a, b = sim.join_many(2)
    sim.start()
    sim.move(a, "propose", value="Mikä sai sinut hymyilemään?")
    _accept_sim(sim)
    [item] = sim.state.made
    offered = [c for c in sim.controls(b).items if getattr(c, "move", None) == "translate"]
    assert [c.payload for c in offered] == [{"item": item.proposal}]
    sim.move(b, "translate", item=item.proposal)
    # Not before the language is chosen; never the draft's own language.
    assert isinstance(sim.try_move(b, "propose", value="Vad fick dig att le?"), Rejected)
    assert isinstance(sim.try_move(b, "translate_to", value="fi"), Rejected)
    sim.move(b, "translate_to", value="sv")
    sim.move(b, "propose", value="Vad fick dig att le?")
    assert isinstance(sim.try_move(b, "translate_back"), Rejected)  # it is with the leader
    _accept_sim(sim)
    [done] = sim.state.translations
    assert (done.item, done.language, done.text) == (item.proposal, "sv",
                                                     "Vad fick dig att le?")
    assert b not in sim.state.translating and len(sim.state.made) == 1
    # A lock's parts are not offered: those are the leader's to translate on the made page.
    room = SimulatedTable(find_game("workshop"), load_game_content("workshop"),
                          options={"target": "escape_room", "name": "Huone"})
    [c] = room.join_many(1)
    room.start()
    assert isinstance(room.try_move(c, "translate", item=1), Rejected)


# -- the panel: a scripted workshop, the queue, the made page, playing it --------------------


def _moves(app: Any, live: Any) -> Any:
    hub = hub_of(app)
    numbers = iter(range(1, 1000))

    def move(seat_id: str, name: str, **payload: Any) -> Any:
        return hub.move(live, seat_id, next(numbers), name, payload)

    return move


def _accept(client: Any, live: Any, text: str = "") -> Any:
    [pending] = live.table.meta.proposals.pending()
    page = f"/panel/t/{live.code}"
    return post(client, f"{page}/proposal/{pending.id}/accept", {"text": text}, page)


def _scene(move: Any, client: Any, live: Any, seat_id: str, text: str,
           choices: list[str]) -> None:
    assert not isinstance(move(seat_id, "scene_choices", value=str(len(choices))), Rejected)
    for part in (text, *choices):
        assert not isinstance(move(seat_id, "propose", value=part), Rejected)
        _accept(client, live)


def test_a_scripted_workshop_writes_a_story_the_group_plays_at_a_later_meeting(
        app: Any) -> None:
    from facilitator.workshop import MadeContent, MadeTable, MadeVersion

    client = signed_in(app)
    ours = group_with_meetings(app, game="story")
    theirs = group_with_meetings(app, game="story")
    hub = hub_of(app)
    live = open_workshop(app, client, ours["group"], target="story")
    a, b, c = (seat(app, live, name) for name in ("Aino", "Bashir", "Carla"))
    hub.apply(live, StartTable(at=hub.now()))
    move = _moves(app, live)

    # An identity code is refused by the server, whatever the tablet let through.
    refused = move(a, "propose", value="Minä olen 131052-308T")
    assert isinstance(refused, Rejected) and refused.message_key == "identity_code"
    assert live.table.meta.proposals.made == 0

    # Aino's scene; the leader edits her second choice (her tablet is told).
    move(a, "credit", value="yes")
    move(a, "propose", value="Mika löytää rapusta lompakon.")
    _accept(client, live)
    move(a, "propose", value="Hän koputtaa naapurin oveen.")
    _accept(client, live)
    move(a, "propose", value="hän vie sen")
    _accept(client, live, "Hän vie sen taloyhtiön ilmoitustaululle.")
    assert "Hän vie sen taloyhtiön" in live.table.controls(a).model_dump_json()

    # Bashir's scene: an abusive choice is held back for the leader, who returns it.
    move(b, "propose", value="Naapuri avaa oven iloisena.")
    _accept(client, live)
    move(b, "propose", value="Sinä olet idiootti")
    page = f"/panel/t/{live.code}"
    panel = client.get(page).get_data(as_text=True)
    assert "idiootti" not in re.sub(r"<details.*?</details>", "", panel, flags=re.S)
    [held] = live.table.meta.proposals.pending()
    post(client, f"{page}/proposal/{held.id}/return", {"note": "Kirjoita ystävällisesti."}, page)
    assert "Kirjoita ystävällisesti." in live.table.controls(b).model_dump_json()
    move(b, "propose", value="He juovat kahvit yhdessä.")
    _accept(client, live)
    move(b, "propose", value="Mika menee kotiin.")
    _accept(client, live)

    # Carla's scene of three choices.
    _scene(move, client, live, c, "Ilmoitustaululla on jo lappu.",
           ["Mika soittaa numeroon.", "Mika odottaa.", "Mika kysyy talkkarilta."])
    assert len(live.table.state.made) == 3
    assert "idiootti" not in live.table.scene().model_dump_json()

    # A language added from a tablet: Carla writes Aino's scene in Swedish.
    first = live.table.state.made[0].proposal
    move(c, "translate", item=first)
    move(c, "translate_to", value="sv")
    move(c, "propose", value="Mika hittar en plånbok i trappan.")
    _accept(client, live)

    with app.test_request_context():
        made = db().scalar(select(MadeContent).where(MadeContent.group_id == ours["group"]))
        made_id = made.id
        versions = list(db().scalars(select(MadeVersion).where(
            MadeVersion.content_id == made_id).order_by(MadeVersion.version)))
        assert [v.change for v in versions] == [
            "started", *(f"added oma-{made_id}-{n}" for n in (1, 2, 3)),
            f"added sv to oma-{made_id}-1"]
        scenes = versions[-1].items
        assert scenes[0]["text"] == {"fi": "Mika löytää rapusta lompakon.",
                                     "sv": "Mika hittar en plånbok i trappan."}
        assert [ch["label"]["fi"] for ch in scenes[0]["choices"]] == [
            "Hän koputtaa naapurin oveen.", "Hän vie sen taloyhtiön ilmoitustaululle."]
        assert len(scenes[2]["choices"]) == 3
        # Our own words are in every language; the group's in theirs.
        assert scenes[1]["title"]["sv"] == "Scen 2"

    # The made page: not playable until every choice leads somewhere, said scene by scene.
    made_page = f"/workshop/made/{made_id}"
    shown = client.get(made_page).get_data(as_text=True)
    assert "Kohtaus 1, vaihtoehto 1" in shown and "valitse, mihin" in shown
    assert "Avaa pöytä" not in shown  # nothing to play yet
    assert 'value="Meidän kortit"' in shown  # the title defaults to the workshop's name
    ids = [f"oma-{made_id}-{n}" for n in (1, 2, 3)]
    # Scene 3 reached by nobody, scene 2 going round in a loop: each told at its scene.
    links = {f"goto-{ids[0]}-0": ids[1], f"goto-{ids[0]}-1": ids[1],
             f"goto-{ids[1]}-0": ids[1], f"goto-{ids[1]}-1": ids[0],
             f"goto-{ids[2]}-0": "ending", f"goto-{ids[2]}-1": "ending",
             f"goto-{ids[2]}-2": "ending"}
    post(client, f"{made_page}/links", links, made_page)
    shown = client.get(made_page).get_data(as_text=True)
    assert "Kohtaus 3: mikään vaihtoehto ei johda tähän kohtaukseen" in shown
    assert "Kohtaus 2: täältä tarina ei koskaan pääse loppuun" in shown
    # A link to no scene of the story is refused and changes nothing.
    with app.test_request_context():
        before = db().get(MadeContent, made_id).version
    assert post(client, f"{made_page}/links", {**links, f"goto-{ids[0]}-0": "oma-999-1"},
                made_page).status_code == 400
    # Linked well: scene 2 ends the story itself, its choices unused.
    post(client, f"{made_page}/links", {**links, f"goto-{ids[0]}-1": ids[2],
                                        "ending": ids[1]}, made_page)
    post(client, f"{made_page}/title", {"title": "Löytölompakko"}, made_page)
    refused = post(client, f"{made_page}/title", {"title": "131052-308T"}, made_page)
    assert "notice" in refused.headers["Location"]
    shown = client.get(made_page).get_data(as_text=True)
    assert "Ei vielä valmis" not in shown, re.findall(r"<li>[^<]*</li>", shown)
    assert 'value="Löytölompakko"' in shown
    with app.test_request_context():
        assert db().get(MadeContent, made_id).version == before + 2

    # Play what we made: the same people, on their tablets, go on to the story.
    tried = post(client, f"{made_page}/try", {}, made_page)
    assert tried.status_code == 302, tried.get_data(as_text=True)
    played = hub.find(tried.headers["Location"].rsplit("/", 1)[-1])
    assert played is not None and played.table.module.id == "story"
    assert played.table.options.story == f"oma-{made_id}"
    assert sorted(s.nickname for s in played.table.meta.seats) == ["Aino", "Bashir", "Carla"]
    facts = [(f.kind, f.data) for f in hub.store.events(played.table_id)[0].facts]
    assert ("made_content_played", {"game": "story", "content": f"oma-{made_id}",
                                    "version": before + 2}) in facts
    story = played.table.content.stories[f"oma-{made_id}"]
    assert story.title.pick("fi") == "Löytölompakko"
    assert story.scenes[0].text.pick("sv") == "Mika hittar en plånbok i trappan."
    # Not translated: the original with a small marker.
    assert story.scenes[1].text.pick("sv") == "Naapuri avaa oven iloisena. (suomeksi)"
    assert story.scenes[1].ending and not story.scenes[1].choices
    assert story.scenes[-1].ending and story.scenes[-1].text.pick("en").startswith("The story")
    hub.apply(played, StartTable(at=hub.now()))
    assert played.table.state.story == f"oma-{made_id}"
    hub.end(played)

    # At a later meeting of the same group; never at another group's.
    response = post(client, f"{made_page}/play", {"meeting": ours["meeting"]}, made_page)
    later = hub.find(response.headers["Location"].rsplit("/", 1)[-1])
    assert later is not None and later.table.options.story == f"oma-{made_id}"
    with app.test_request_context():
        assert db().get(MadeTable, later.table_id).version == before + 2
        from facilitator.workshop import offered

        assert offered(db(), theirs["group"]) == []
    assert post(client, f"{made_page}/play", {"meeting": theirs["meeting"]},
                made_page).status_code == 404


def test_a_made_story_exports_passes_the_content_check_and_plays_in_another_piiri(
        app: Any, tmp_path: Path, monkeypatch: Any) -> None:

    from facilitator.workshop.drafts import ENDING, add_item, link_scenes, new_made

    client = signed_in(app)
    ours = group_with_meetings(app, game="story")
    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=ours["group"], game="story",
                        name="Meidän tarina", language="fi", user_id=None)
        one = add_item(db(), made, "Aino löytää avaimen.", None, None, credit="Aino",
                       member_id=ours["members"]["Aino"],
                       choices=["Hän etsii omistajan.", "Hän pitää sen."])
        two = add_item(db(), made, "Omistaja kiittää.", None, None,
                       choices=["Hyvä.", "Kiva."])
        link_scenes(db(), made, {(one, 0): two, (one, 1): ENDING}, {two}, None)
        db().commit()
        made_id = made.id
    exported = client.get(f"/workshop/made/{made_id}/export").get_data(as_text=True)
    assert "kind: story" in exported and "member" not in exported
    assert "started" not in exported and "story_title" not in exported

    checked = content_check_beside(tmp_path, monkeypatch, f"story/stories/oma-{made_id}.yaml",
                                 exported)
    assert checked.exit_code == 0, checked.output
    assert f"stories/oma-{made_id}" in checked.output

    from facilitator.app import create_app

    other = create_app({"DATABASE": str(tmp_path / "other.sqlite3"), "TICKS": False,
                        "SECRET_KEY": "other-secret"})
    try:
        theirs = signed_in(other, "leader@c.example", "Org C")
        group = group_with_meetings(other, "Org C", game="story")
        page = f"/workshop/group/{group['group']}"
        broken = post(theirs, f"{page}/import", {
            "target": "story",
            "file": (io.BytesIO(exported.replace(f"goto: oma-{made_id}-2", "goto: nowhere")
                                .encode()), "story.yaml")}, page)
        said = broken.get_data(as_text=True)
        assert "Tiedostoa ei tuotu" in said and "Kohtaus 1, vaihtoehto 1" in said
        response = post(theirs, f"{page}/import", {
            "target": "story", "file": (io.BytesIO(exported.encode()), "story.yaml")}, page)
        assert response.status_code == 302, response.get_data(as_text=True)
        made_page = response.headers["Location"].split("localhost", 1)[-1]
        played = post(theirs, f"{made_page}/play", {}, made_page)
        live = hub_of(other).find(played.headers["Location"].rsplit("/", 1)[-1])
        assert live is not None and live.table.module.id == "story"
        story = live.table.content.stories[live.table.options.story]
        assert story.title.pick("fi") == "Meidän tarina"
        assert [s.text.pick("fi") for s in story.scenes][:2] == ["Aino löytää avaimen.",
                                                                 "Omistaja kiittää."]
    finally:
        other.extensions["piiri.store"].close()


# -- a participant adds a language from their own tablet, over the real wire ------------------


def _controls_with(tablet: Any, text: str) -> dict[str, Any]:
    """The tablet's controls once they hold ``text`` (the latest already read, if they do;
    else the next that do)."""
    latest = [m for m in tablet.seen if m["t"] == "controls"][-1:]
    while True:
        controls: dict[str, Any] = (latest.pop() if latest
                                    else tablet.until("controls"))["controls"]
        if text in json.dumps(controls, ensure_ascii=False):
            return controls


def test_a_tablet_adds_a_language_to_an_accepted_item_through_the_queue(
        server: LiveServer) -> None:
    from facilitator.workshop import MadeContent, MadeVersion
    from facilitator.workshop.drafts import content_for

    app, hub = server.app, server.hub
    panel = signed_in(app)
    ours = group_with_meetings(app, game="circle")
    live = open_workshop(app, panel, ours["group"], target="circle")
    aino, bashir = Client(server), Client(server)
    aino.join(live.code, "Aino")
    bashir.join(live.code, "Bashir")
    hub.apply(live, StartTable(at=hub.now()))
    for n, text in enumerate(("Mikä sai sinut hymyilemään?", "Mitä söit tänään?"), start=1):
        aino.send(t="move", id=n, name="propose", payload={"value": text})
        aino.until("ack")
        _accept(panel, live)
    first = live.table.state.made[0].proposal

    # The tablet offers "write this in another language" on each accepted item.
    offered = _controls_with(bashir, "Mitä söit tänään?")
    buttons = [c for c in offered["items"] if c.get("move") == "translate"]
    assert {b["payload"]["item"] for b in buttons} == {m.proposal for m in live.table.state.made}
    bashir.send(t="move", id=1, name="translate", payload={"item": first})
    bashir.until("ack")
    languages = _controls_with(bashir, words.PICK_LANGUAGE.pick("fi"))
    [choice] = [c for c in languages["items"] if c.get("move") == "translate_to"]
    assert [o["value"] for o in choice["options"]] == ["sv", "en", "fi-x-selko"]
    bashir.send(t="move", id=2, name="translate_to", payload={"value": "sv"})
    bashir.until("ack")
    bashir.send(t="move", id=3, name="propose", payload={"value": "Vad fick dig att le?"})
    bashir.until("ack")
    # Read first by the leader, like any proposal: nothing is added before.
    made_id = None
    with app.app_context():
        made = db().scalar(select(MadeContent).where(MadeContent.group_id == ours["group"]))
        made_id, before = made.id, made.version
    _accept(panel, live)
    with app.app_context():
        made = db().get(MadeContent, made_id)
        latest = db().scalar(select(MadeVersion).where(
            MadeVersion.content_id == made_id, MadeVersion.version == made.version))
        assert made.version == before + 1
        assert latest.change == f"added sv to oma-{made_id}-1"
        prompts = content_for(db(), made, made.version).prompts.prompts
        # The marker is gone for the translated item, and stays where nobody wrote it yet.
        assert prompts[0].text.pick("sv") == "Vad fick dig att le?"
        assert prompts[1].text.pick("sv") == "Mitä söit tänään? (suomeksi)"

    # After trying the draft and coming back, an item made before is named by its place.
    page = f"/workshop/made/{made_id}"
    tried = post(panel, f"{page}/try", {}, page)
    assert tried.status_code == 302
    back = post(panel, f"{page}/back", {}, page)
    writing = hub.find(back.headers["Location"].rsplit("/", 1)[-1])
    assert writing is not None
    hub.apply(writing, StartTable(at=hub.now()))
    seat = writing.table.meta.seats[0].id
    second = writing.table.state.made[1].proposal
    for n, (name, payload) in enumerate((
            ("translate", {"item": second}), ("translate_to", {"value": "en"}),
            ("propose", {"value": "What did you eat today?"})), start=100):
        assert not isinstance(hub.move(writing, seat, n, name, payload), Rejected)
    _accept(panel, writing)
    with app.app_context():
        made = db().get(MadeContent, made_id)
        prompts = content_for(db(), made, made.version).prompts.prompts
        assert prompts[1].text.pick("en") == "What did you eat today?"
        assert prompts[0].text.pick("sv") == "Vad fick dig att le?"
