"""Co-creation workshops (issue 18): the group makes an escape room of three to five locks.

Each tablet proposes a lock through a guided form read from the escape room's own content
models (a kind of the room's own lock kinds, the answer, one to three clues, a hint); every
written part goes through the panel's one proposal queue, where the leader accepts, edits or
returns it, the word list holds abusive words back and the server refuses identity codes. The
draft room is checked like a shipped room, and "play what we made" plays it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engine import Rejected, StartTable
from engine.registry import find_game, load_game_content
from engine.testing import SimulatedTable
from facilitator.dbsession import db
from tests.accounts import signed_in
from tests.test_workshop import (
    content_check_beside,
    group_with_meetings,
    hub_of,
    open_workshop,
    post,
    seat,
)

ROOT = Path(__file__).resolve().parent.parent


def workshop(seats: int = 2) -> tuple[SimulatedTable, list[str]]:
    sim = SimulatedTable(find_game("workshop"), load_game_content("workshop"),
                         options={"target": "escape_room", "name": "Meidän huone", "goal": 5})
    ids = sim.join_many(seats)
    sim.start()
    return sim, ids


def accept(sim: SimulatedTable, text: str | None = None) -> None:
    [pending] = sim.table.meta.proposals.pending()
    sim.leader_move("proposal_accept", id=pending.id, text=text)


def test_a_lock_is_proposed_part_by_part_with_the_rooms_own_lock_kinds() -> None:
    sim, (a, b) = workshop()
    kinds = next(i for i in sim.controls(a).items if i.kind == "choice" and i.move == "kind")
    # The room's own kinds that a tablet can answer in writing (a code of digits, or words).
    assert [o.value for o in kinds.options] == ["code", "riddle", "cipher", "split"]
    sim.move(a, "kind", value="split")
    sim.move(a, "propose", value="17")
    accept(sim)
    sim.move(a, "propose", value="Bussin numero on kymmenen ja jotain.")
    accept(sim)
    # A shared lock needs two clues, so that they land on different tablets.
    assert isinstance(sim.try_move(a, "clues_done"), Rejected)
    assert not any(getattr(i, "move", None) == "clues_done" for i in sim.controls(a).items)
    sim.move(a, "propose", value="Seitsemän on viimeinen numero.")
    accept(sim)
    # The kind stays while the lock is being made (its answer was written for it).
    assert isinstance(sim.try_move(a, "kind", value="riddle"), Rejected)
    # Only the writer's own tablet shows the lock in the making; nothing on the screen yet.
    assert "17" in sim.controls(a).model_dump_json()
    assert "Seitsemän" not in sim.controls(b).model_dump_json() + sim.scene().model_dump_json()
    sim.move(a, "clues_done")
    sim.move(a, "propose", value="Laskekaa numerot yhteen.")
    accept(sim)
    [lock] = sim.state.made
    assert (lock.kind, lock.answer, lock.hint) == ("split", "17", "Laskekaa numerot yhteen.")
    assert lock.clues == ["Bussin numero on kymmenen ja jotain.", "Seitsemän on viimeinen numero."]
    shown = sim.scene().model_dump_json()
    assert "Seitsemän" in shown and "17" not in shown  # the answer never on the screen
    assert "1/5" in shown


def test_a_code_locks_answer_in_letters_is_not_accepted_and_the_leader_is_told_why() -> None:
    sim, (a, _) = workshop()
    sim.move(a, "kind", value="code")
    sim.move(a, "propose", value="avain")
    [pending] = sim.table.meta.proposals.pending()
    refused = sim.try_move(None, "proposal_accept", id=pending.id)
    assert isinstance(refused, Rejected) and refused.message_key == "workshop.answer_shape"
    assert "numero" in refused.message.pick("fi")
    assert sim.table.meta.proposals.pending() and not sim.state.locks.get(a)
    sim.leader_move("proposal_return", id=pending.id, note="Koodiin vain numeroita, kiitos.")
    sim.move(a, "propose", value="4 8 2")
    accept(sim)
    assert sim.state.locks[a].answer == "4 8 2"


# -- the panel: a scripted workshop, the queue, the draft room, playing it -------------------


def _moves(app: Any, live: Any) -> Any:
    hub = hub_of(app)
    numbers = iter(range(1, 1000))

    def move(seat_id: str, name: str, **payload: Any) -> Any:
        return hub.move(live, seat_id, next(numbers), name, payload)

    return move


def _queue(client: Any, live: Any) -> str:
    return str(client.get(f"/panel/t/{live.code}").get_data(as_text=True))


def _accept(client: Any, live: Any, text: str = "") -> Any:
    [pending] = live.table.meta.proposals.pending()
    page = f"/panel/t/{live.code}"
    return post(client, f"{page}/proposal/{pending.id}/accept", {"text": text}, page)


def _lock(move: Any, client: Any, live: Any, seat_id: str, kind: str, answer: str,
          clues: list[str], hint: str) -> None:
    assert not isinstance(move(seat_id, "kind", value=kind), Rejected)
    for part in (answer, *clues):
        assert not isinstance(move(seat_id, "propose", value=part), Rejected)
        _accept(client, live)
    if len(clues) < 3:
        assert not isinstance(move(seat_id, "clues_done"), Rejected)
    assert not isinstance(move(seat_id, "propose", value=hint), Rejected)
    _accept(client, live)


def test_a_scripted_workshop_makes_a_room_the_group_plays(app: Any) -> None:
    from facilitator.workshop import MadeContent, MadeTable, MadeVersion

    client = signed_in(app)
    ours = group_with_meetings(app, game="escape_room")
    hub = hub_of(app)
    live = open_workshop(app, client, ours["group"], target="escape_room")
    assert live.table.options.goal == 5
    a, b, c = (seat(app, live, name) for name in ("Aino", "Bashir", "Carla"))
    hub.apply(live, StartTable(at=hub.now()))
    move = _moves(app, live)

    # An identity code is refused by the server, whatever the tablet let through.
    move(a, "kind", value="code")
    refused = move(a, "propose", value="131052-308T")
    assert isinstance(refused, Rejected) and refused.message_key == "identity_code"
    assert live.table.meta.proposals.made == 0

    # Aino's code lock; the leader edits her second clue (her tablet is told).
    move(a, "propose", value="482")
    _accept(client, live)
    move(a, "propose", value="Kuitin alussa lukee 4.")
    _accept(client, live)
    move(a, "propose", value="kasi on keskellä")
    _accept(client, live, "Keskimmäinen numero on 8.")
    assert "Keskimmäinen numero on 8." in live.table.controls(a).model_dump_json()
    move(a, "clues_done")
    move(a, "propose", value="Lukekaa kuitti ja kello.")
    _accept(client, live)

    # Bashir's riddle: an abusive clue is held back for the leader, who returns it.
    move(b, "kind", value="riddle")
    move(b, "propose", value="avain")
    _accept(client, live)
    move(b, "propose", value="Sinä olet idiootti")
    panel = _queue(client, live)
    assert "idiootti" not in re.sub(r"<details.*?</details>", "", panel, flags=re.S)
    [held] = live.table.meta.proposals.pending()
    page = f"/panel/t/{live.code}"
    post(client, f"{page}/proposal/{held.id}/return", {"note": "Kirjoita ystävällisesti."}, page)
    assert "Kirjoita ystävällisesti." in live.table.controls(b).model_dump_json()
    assert "idiootti" not in live.table.scene().model_dump_json()
    move(b, "propose", value="Sillä avataan ovi.")
    _accept(client, live)
    move(b, "clues_done")
    move(b, "propose", value="Mikä on taskussasi?")
    _accept(client, live)

    # Carla's shared lock: its clues go to different tablets.
    _lock(move, client, live, c, "split", "17",
          ["Ensimmäinen numero on 1.", "Toinen numero on 7.", "Numeroita on kaksi."],
          "Katsokaa kaikkien vihjeet.")
    assert len(live.table.state.made) == 3
    assert "idiootti" not in live.table.scene().model_dump_json()

    with app.test_request_context():
        made = db().scalar(select(MadeContent).where(MadeContent.group_id == ours["group"]))
        made_id = made.id
        versions = list(db().scalars(select(MadeVersion).where(
            MadeVersion.content_id == made_id).order_by(MadeVersion.version)))
        assert [v.change for v in versions] == ["started", *(f"added oma-{made_id}-{n}"
                                                           for n in (1, 2, 3))]
        locks = versions[-1].items
        assert locks[0]["answer"] == {"input": "code", "alphabet": "digits", "code": "482"}
        assert locks[0]["clues"][1] == {"fi": "Keskimmäinen numero on 8."}
        assert locks[1]["answer"] == {"input": "text", "accepted": {"fi": ["avain"]}}
        assert [h["fi"] for h in locks[1]["hints"]] == ["Mikä on taskussasi?",
                                                        "Vastaus on: avain"]
    made_page = f"/workshop/made/{made_id}"
    shown = client.get(made_page).get_data(as_text=True)
    assert "Keskimmäinen numero on 8." in shown and "Ei vielä valmis" not in shown

    # Play what we made: the same people, on their tablets, go on to the room.
    tried = post(client, f"{made_page}/try", {}, made_page)
    assert tried.status_code == 302, tried.get_data(as_text=True)
    played = hub.find(tried.headers["Location"].rsplit("/", 1)[-1])
    assert played is not None and played.table.module.id == "escape_room"
    room = played.table.content.rooms[f"oma-{made_id}"]
    assert played.table.options.room == f"oma-{made_id}"
    hub.apply(played, StartTable(at=hub.now()))
    assert played.table.state.room == f"oma-{made_id}"
    assert [p.requires for p in room.puzzles] == [[], [], [f"oma-{made_id}-1",
                                                          f"oma-{made_id}-2"]]
    assert room.final == f"oma-{made_id}-3" and (room.min_players, room.max_players) == (2, 3)
    # Every seat holds a clue of a lock that is open from the start.
    hands = played.table.state.hands
    assert sorted(hands) == sorted(s.id for s in played.table.meta.seats)
    assert all(any(not clue.startswith(f"oma-{made_id}-3.") for clue in held)
               for held in hands.values())
    with app.test_request_context():
        assert db().get(MadeTable, played.table_id).version == 4
    # The group plays it: the code lock opens with the answer its maker wrote.
    seats = [s.id for s in played.table.meta.seats]
    play = _moves(app, played)
    assert not isinstance(play(seats[0], "start_room"), Rejected)
    tried_code = play(seats[0], "try_answer", puzzle=f"oma-{made_id}-1",
                      value="482")
    assert not isinstance(tried_code, Rejected), tried_code
    assert f"oma-{made_id}-1" in played.table.state.solved


def test_a_draft_room_is_checked_like_a_shipped_room_and_says_why_field_by_field(
        app: Any) -> None:
    from facilitator.workshop.drafts import add_item, check, new_made

    signed_in(app)
    ours = group_with_meetings(app)
    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=ours["group"], game="escape_room",
                        name="Huone", language="fi", user_id=None)
        lock = {"answer": "12", "clues": ["Yksi.", "Kaksi."], "hint": "Laske."}
        for _ in range(2):
            add_item(db(), made, "", "code", None, lock=lock)
        from facilitator.workshop.drafts import items_of

        items = items_of(db(), made)
        _, problems = check(made, items)
        assert [str(p) for p in problems] == [
            "puzzles: a room made in a workshop has 3 to 5 locks (it has 2)"]
        # A lock the room's own model refuses: told at its field.
        wrong = [*items, {**items[0], "id": "oma-x-3", "kind": "riddle"}]
        _, problems = check(made, wrong)
        assert [p.field for p in problems] == ["puzzles.2.answer.input"]
        assert "riddle" in problems[0].message
        # Unreachable: a lock that waits for one that is not there.
        add_item(db(), made, "", "riddle", None, lock={**lock, "answer": "sana"})
        content, problems = check(made, items_of(db(), made))
        assert problems == [] and content is not None


def test_a_made_room_exports_passes_the_content_check_and_plays_in_another_piiri(
        app: Any, tmp_path: Path, monkeypatch: Any) -> None:

    from facilitator.workshop.drafts import add_item, new_made

    client = signed_in(app)
    ours = group_with_meetings(app, game="escape_room")
    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=ours["group"], game="escape_room",
                        name="Meidän huone", language="fi", user_id=None)
        add_item(db(), made, "", "code", None, credit="Aino", member_id=ours["members"]["Aino"],
                 lock={"answer": "482", "clues": ["Neljä ensin.", "Kahdeksan keskellä."],
                       "hint": "Lukekaa vihjeet."})
        add_item(db(), made, "", "riddle", None,
                 lock={"answer": "avain", "clues": ["Sillä avataan ovi."], "hint": "Tasku."})
        add_item(db(), made, "", "split", None,
                 lock={"answer": "17", "clues": ["Ensin 1.", "Sitten 7."], "hint": "Yhdessä."})
        db().commit()
        made_id = made.id
    exported = client.get(f"/workshop/made/{made_id}/export").get_data(as_text=True)
    assert "kind: escape-room" in exported and "member" not in exported
    assert "started" not in exported

    checked = content_check_beside(tmp_path, monkeypatch, f"escape_room/rooms/oma-{made_id}.yaml",
                                 exported)
    assert checked.exit_code == 0, checked.output
    assert f"rooms/oma-{made_id}" in checked.output

    from facilitator.app import create_app

    other = create_app({"DATABASE": str(tmp_path / "other.sqlite3"), "TICKS": False,
                        "SECRET_KEY": "other-secret"})
    try:
        theirs = signed_in(other, "leader@c.example", "Org C")
        group = group_with_meetings(other, "Org C", game="escape_room")
        page = f"/workshop/group/{group['group']}"
        broken = post(theirs, f"{page}/import", {
            "target": "escape_room",
            "file": (io.BytesIO(exported.replace("code: '482'", "code: 48A").encode()),
                     "room.yaml")}, page)
        said = broken.get_data(as_text=True)
        assert "Tiedostoa ei tuotu" in said and "puzzles.0.answer.code" in said
        response = post(theirs, f"{page}/import", {
            "target": "escape_room", "file": (io.BytesIO(exported.encode()), "room.yaml")},
            page)
        assert response.status_code == 302, response.get_data(as_text=True)
        made_page = response.headers["Location"].split("localhost", 1)[-1]
        played = post(theirs, f"{made_page}/play", {}, made_page)
        live = hub_of(other).find(played.headers["Location"].rsplit("/", 1)[-1])
        assert live is not None and live.table.module.id == "escape_room"
        room = live.table.content.rooms[live.table.options.room]
        assert room.id.startswith("oma-") and len(room.puzzles) == 3
        assert room.puzzles[0].clues[1].pick("fi") == "Kahdeksan keskellä."
    finally:
        other.extensions["piiri.store"].close()


def _room(app: Any, group: int) -> int:
    from facilitator.workshop.drafts import add_item, new_made

    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=group, game="escape_room",
                        name="Meidän huone", language="fi", user_id=None)
        add_item(db(), made, "", "code", None,
                 lock={"answer": "482", "clues": ["Neljä ensin.", "Kahdeksan keskellä."],
                       "hint": "Lukekaa vihjeet."})
        add_item(db(), made, "", "riddle", None,
                 lock={"answer": "avain", "clues": ["Sillä avataan ovi."], "hint": "Tasku."})
        add_item(db(), made, "", "split", None,
                 lock={"answer": "17", "clues": ["Ensin 1.", "Sitten 7."], "hint": "Yhdessä."})
        db().commit()
        made_id: int = made.id
        return made_id


def test_a_made_rooms_own_words_are_in_every_language_and_the_groups_in_theirs(
        app: Any) -> None:
    from facilitator.workshop import MadeContent
    from facilitator.workshop.drafts import content_for

    signed_in(app)
    ours = group_with_meetings(app, game="escape_room")
    made_id = _room(app, ours["group"])
    with app.test_request_context():
        made = db().get(MadeContent, made_id)
        room = content_for(db(), made, made.version).rooms[f"oma-{made_id}"]
    lock = room.puzzles[0]
    for lang, title, solved in (("fi", "Lukko 1", "Lukko aukesi!"), ("sv", "Lås 1", "Låset"),
                                ("en", "Lock 1", "The lock"), ("fi-x-selko", "Lukko 1", "Lukko")):
        assert lock.title.pick(lang) == title and lock.solved.pick(lang).startswith(solved)
        assert "(suomeksi)" not in lock.task.pick(lang) + room.intro.body.pick(lang) \
            + room.outro.questions[0].pick(lang) + lock.hints[1].pick(lang)
    assert lock.hints[1].pick("sv") == "Svaret är: 482"
    assert room.outro.body.pick("en").startswith("You got out!")
    # The group's own words are not translated for them: the original, marked.
    assert lock.clues[0].pick("sv") == "Neljä ensin. (suomeksi)"
    assert lock.hints[0].pick("en") == "Lukekaa vihjeet. (suomeksi)"


def test_the_leader_edits_a_locks_parts_checked_field_by_field(app: Any) -> None:
    from facilitator.workshop import MadeContent
    from facilitator.workshop.drafts import content_for, items_of

    client = signed_in(app)
    ours = group_with_meetings(app, game="escape_room")
    made_id = _room(app, ours["group"])
    page = f"/workshop/made/{made_id}"
    shown = client.get(page).get_data(as_text=True)
    first, third = f"oma-{made_id}-1", f"oma-{made_id}-3"
    assert f'action="{page}/lock/{first}"' in shown and 'value="Kahdeksan keskellä."' in shown
    with app.test_request_context():
        before = db().get(MadeContent, made_id).version

    # A code lock's answer in letters, a shared lock with one clue, an identity code: each
    # refused in the leader's words, saying which lock, and nothing changes.
    letters = post(client, f"{page}/lock/{first}", {
        "answer": "avain", "clue": ["Neljä ensin.", "Kahdeksan keskellä."], "hint": "Katso."},
        page)
    said = letters.get_data(as_text=True)
    assert letters.status_code == 400
    assert "Lukko 1: tämän lukon vastaus on pelkkiä numeroita" in said
    assert 'value="avain"' in said  # what the leader wrote stays in the form
    one_clue = post(client, f"{page}/lock/{third}", {"answer": "17", "clue": ["Ensin 1.", ""],
                                                     "hint": "Yhdessä."}, page)
    assert one_clue.status_code == 400
    assert "Lukko 3: kirjoita 2–3 vihjettä" in one_clue.get_data(as_text=True)
    code = post(client, f"{page}/lock/{first}", {"answer": "482", "clue": ["131052-308T"],
                                                 "hint": "x"}, page)
    assert code.status_code == 400 and "henkilötunnuksia" in code.get_data(as_text=True)
    assert post(client, f"{page}/lock/nope", {"answer": "1", "clue": ["a"], "hint": "b"},
                page).status_code == 404
    with app.test_request_context():
        assert db().get(MadeContent, made_id).version == before

    # A good edit is a new version; the room is checked again and plays with it.
    saved = post(client, f"{page}/lock/{first}", {
        "answer": "4 9 2", "clue": ["Neljä ensin.", "Yhdeksän keskellä.", "Kaksi viimeisenä."],
        "hint": "Lukekaa kaikki vihjeet."}, page)
    assert saved.status_code == 302 and "notice" in saved.headers["Location"]
    with app.test_request_context():
        made = db().get(MadeContent, made_id)
        assert made.version == before + 1
        lock = items_of(db(), made)[0]
        assert lock["answer"] == {"input": "code", "alphabet": "digits", "code": "492"}
        assert [c["fi"] for c in lock["clues"]] == ["Neljä ensin.", "Yhdeksän keskellä.",
                                                    "Kaksi viimeisenä."]
        assert lock["hints"][0] == {"fi": "Lukekaa kaikki vihjeet."}
        assert lock["hints"][1]["en"] == "The answer is: 4 9 2"
        room = content_for(db(), made, made.version).rooms[f"oma-{made_id}"]
        assert room.puzzles[0].clues[1].pick("fi") == "Yhdeksän keskellä."
