"""Co-creation workshops (issue 18, first increment): the group writes its own Elämän värit
cards or circle questions, the leader reads every proposal first in the panel's one queue, and
what was accepted is stored with versions and played at the group's later meetings.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from engine import Avatar, AvatarColour, AvatarIcon, Rejected, StartTable
from engine.registry import find_game, load_game_content
from engine.testing import SimulatedTable
from facilitator.live import Hub
from tests.accounts import csrf_token, signed_in

AVATAR = Avatar(icon=AvatarIcon.sun, colour=AvatarColour.blue)
ROOT = Path(__file__).resolve().parent.parent


# -- the game: pure, with simulated seats --------------------------------------------------


def workshop(target: str = "elaman_varit", seats: int = 3) -> tuple[SimulatedTable, list[str]]:
    sim = SimulatedTable(find_game("workshop"), load_game_content("workshop"),
                         options={"target": target, "name": "Arjen kortit"})
    ids = sim.join_many(seats)
    sim.start()
    return sim, ids


def test_a_card_is_written_after_choosing_its_kind_from_the_card_model() -> None:
    sim, (a, b, _) = workshop()
    kinds = next(i for i in sim.controls(a).items if i.kind == "choice")
    assert [o.value for o in kinds.options] == ["question", "task", "together", "reflection"]
    refused = sim.try_move(a, "propose", value="Mikä ilahdutti sinua tänään?")
    assert isinstance(refused, Rejected) and refused.message_key == "proposal.not_open"
    sim.move(a, "kind", value="question")
    sim.move(a, "propose", value="Mikä ilahdutti sinua tänään?")
    # Pending: nowhere but the writer's own tablet and the leader's queue.
    shown = sim.scene().model_dump_json() + sim.controls(b).model_dump_json()
    assert "ilahdutti" not in shown
    changed = sim.try_move(a, "kind", value="task")  # the kind is kept until it is read
    assert isinstance(changed, Rejected)
    [pending] = sim.table.meta.proposals.pending()
    sim.leader_move("proposal_accept", id=pending.id)
    assert [(m.text, m.kind) for m in sim.state.made] == [("Mikä ilahdutti sinua tänään?",
                                                           "question")]
    assert "ilahdutti" in sim.scene().model_dump_json()


def test_the_screen_names_a_writer_only_if_they_chose_so_and_never_shows_a_returned_one() -> None:
    sim, (a, b, _) = workshop()
    for seat, text in ((a, "Mitä teit viime kesänä?"), (b, "Mikä on lempiruokasi?")):
        sim.move(seat, "kind", value="question")
        sim.move(seat, "propose", value=text)
    sim.move(b, "credit", value="yes")
    first, second = sim.table.meta.proposals.pending()
    sim.leader_move("proposal_return", id=first.id, note="Kiitos!")
    sim.leader_move("proposal_accept", id=second.id)
    assert "viime kesänä" not in sim.scene().model_dump_json()
    cards = json.dumps([e for e in sim.scene().model_dump()["elements"] if e["kind"] == "card"])
    assert sim.table.view().nickname(b) in cards
    sim.move(b, "credit", value="no")  # consent can be taken back
    cards = json.dumps([e for e in sim.scene().model_dump()["elements"] if e["kind"] == "card"])
    assert sim.table.view().nickname(b) not in cards and "lempiruokasi" in cards


def test_circle_questions_need_no_kind_and_get_thumbs_as_counts_only() -> None:
    sim, (a, b, c) = workshop("circle")
    assert not any(i.kind == "choice" and i.move == "kind" for i in sim.controls(a).items)
    sim.move(a, "propose", value="Mikä sai sinut hymyilemään?")
    [pending] = sim.table.meta.proposals.pending()
    sim.leader_move("proposal_accept", id=pending.id)
    sim.move(b, "thumb", item=pending.id, value="up")
    sim.move(c, "thumb", item=pending.id, value="down")
    sim.move(b, "thumb", item=pending.id, value="up")  # one thumb per seat
    assert "👍 1 · 👎 1" in sim.controls(a).model_dump_json()


# -- the panel: the group's own content in the database ------------------------------------



def content_check_beside(tmp_path: Path, monkeypatch: Any, place: str, text: str) -> Any:
    """`piiri content check` over a copy of the shipped content with ``text`` written at
    ``place`` (a path inside the content folder), as another organisation would run it."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / place).write_text(text, encoding="utf-8")
    monkeypatch.setenv("PIIRI_CONTENT_DIR", str(content))
    load_game_content.cache_clear()
    from click.testing import CliRunner

    from facilitator.cli import main

    try:
        return CliRunner().invoke(main, ["content", "check"])
    finally:
        monkeypatch.delenv("PIIRI_CONTENT_DIR")
        load_game_content.cache_clear()

def group_with_meetings(app: Any, org: str = "Org A",
                        game: str = "elaman_varit") -> dict[str, Any]:
    from facilitator.dbsession import db
    from facilitator.models import Group, Meeting, Member, Organisation, Period

    with app.test_request_context():
        org_row = db().scalar(select(Organisation).where(Organisation.name == org))
        group = Group(organisation_id=org_row.id, name=f"Ryhmä {org}")
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=name) for name in ("Aino", "Bashir",
                                                                         "Carla")]
        db().add_all(members)
        period = Period(group_id=group.id, name="Syksy", starts_on=date(2026, 9, 1))
        db().add(period)
        db().flush()
        later = Meeting(period_id=period.id, game=game, game_options={},
                        starts_at=datetime.now(UTC) + timedelta(days=7))
        db().add(later)
        db().commit()
        return {"group": group.id, "meeting": later.id, "period": period.id,
                "members": {m.nickname: m.id for m in members}}


def hub_of(app: Any) -> Hub:
    found: Hub = app.extensions["piiri.hub"]
    return found


def post(client: Any, path: str, data: dict[str, Any], page: str) -> Any:
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def open_workshop(app: Any, client: Any, group: int, target: str = "elaman_varit") -> Any:
    page = f"/workshop/group/{group}"
    response = post(client, f"{page}/start", {"target": target, "name": "Meidän kortit",
                                              "language": "fi"}, page)
    assert response.status_code == 302, response.get_data(as_text=True)
    code = response.headers["Location"].rsplit("/", 1)[-1]
    live = hub_of(app).find(code)
    assert live is not None and live.table.module.id == "workshop"
    return live


def seat(app: Any, live: Any, nickname: str) -> str:
    result, token = hub_of(app).join(live, nickname, AVATAR)
    assert token is not None, result
    return str(live.table.meta.seats[-1].id)


def test_a_scripted_workshop_makes_a_deck_the_group_plays_at_its_next_meeting(app: Any) -> None:
    from facilitator.dbsession import db
    from facilitator.live import LiveTableRow
    from facilitator.models import Meeting
    from facilitator.workshop import MadeContent, MadeCredit, MadeTable, MadeVersion

    client = signed_in(app)
    ours = group_with_meetings(app)
    hub = hub_of(app)
    live = open_workshop(app, client, ours["group"])
    a, b, c = (seat(app, live, name) for name in ("Aino", "Bashir", "Carla"))
    assert not isinstance(hub.apply(live, StartTable(at=hub.now())), Rejected)
    msg = iter(range(1, 100))
    for s in (a, b, c):
        assert not isinstance(hub.move(live, s, next(msg), "kind", {"value": "question"}),
                              Rejected)
    # An identity code is refused by the server, whatever the tablet let through.
    refused = hub.move(live, a, next(msg), "propose", {"value": "Minä olen 131052-308T"})
    assert isinstance(refused, Rejected) and refused.message_key == "identity_code"
    assert live.table.meta.proposals.made == 0
    hub.move(live, a, next(msg), "credit", {"value": "yes"})
    hub.move(live, a, next(msg), "propose", {"value": "Mikä ilahdutti sinua tänään?"})
    hub.move(live, b, next(msg), "propose", {"value": "Mitä söit aamiaiseksi"})
    hub.move(live, c, next(msg), "propose", {"value": "Sinä olet idiootti"})
    first, second, third = live.table.meta.proposals.pending()
    page = f"/panel/t/{live.code}"
    panel = client.get(page).get_data(as_text=True)
    # The word list holds the abusive one back for the leader: folded away, not shown.
    assert "Mikä ilahdutti" in panel and "idiootti" not in re.sub(
        r"<details.*?</details>", "", panel, flags=re.S)
    post(client, f"{page}/proposal/{first.id}/accept", {"text": ""}, page)
    post(client, f"{page}/proposal/{second.id}/accept",
         {"text": "Mitä söit tänään aamiaiseksi?"}, page)  # edited: the writer is told
    post(client, f"{page}/proposal/{third.id}/return", {"note": "Kiitos, kokeile uudelleen."},
         page)
    assert "Mitä söit tänään aamiaiseksi?" in live.table.controls(b).model_dump_json()
    with app.test_request_context():
        made = db().scalar(select(MadeContent).where(MadeContent.group_id == ours["group"]))
        versions = list(db().scalars(select(MadeVersion).where(
            MadeVersion.content_id == made.id).order_by(MadeVersion.version)))
        assert [v.change for v in versions] == ["started", f"added oma-{made.id}-1",
                                                f"added oma-{made.id}-2"]
        assert all(v.changed_by is not None for v in versions)
        texts = [i["text"]["fi"] for i in versions[-1].items]
        assert texts == ["Mikä ilahdutti sinua tänään?", "Mitä söit tänään aamiaiseksi?"]
        [credit] = db().scalars(select(MadeCredit))
        assert (credit.name, credit.member_id) == ("Aino", ours["members"]["Aino"])
        made_id = made.id
    hub.end(live)

    # The made page lists its versions; play it at the group's planned meeting.
    made_page = f"/workshop/made/{made_id}"
    assert "Meidän kortit" in client.get(made_page).get_data(as_text=True)
    response = post(client, f"{made_page}/play", {"meeting": ours["meeting"]}, made_page)
    assert response.status_code == 302
    played = hub.find(response.headers["Location"].rsplit("/", 1)[-1])
    assert played is not None and played.table.module.id == "elaman_varit"
    assert played.table.options.decks == [f"oma-{made_id}"]
    assert f"oma-{made_id}" in played.table.content.decks
    # The table's own log says it plays the group's own deck, by id and version.
    played_facts = [(f.kind, f.data) for f in hub.store.events(played.table_id)[0].facts]
    assert ("made_content_played", {"game": "elaman_varit", "content": f"oma-{made_id}",
                                    "version": 3}) in played_facts
    with app.test_request_context():
        assert db().get(MadeTable, played.table_id).version == 3
        assert db().get(Meeting, ours["meeting"]).status == "live"
        # A later edit is a new version; the table keeps the one it was made with.
        from facilitator.workshop.drafts import edit_item

        made = db().get(MadeContent, made_id)
        edit_item(db(), made, f"oma-{made_id}-1", "Mikä ilahdutti sinua eilen?", None)
        db().commit()
        assert db().scalar(select(LiveTableRow).where(
            LiveTableRow.id == played.table_id)) is not None

    # After a restart the table replays with the version it recorded, not the newest.
    from facilitator.live import SqlStore
    from facilitator.workshop import content_source

    again = Hub(SqlStore(app.extensions["piiri.engine"]))
    again.content_sources.append(content_source(app.extensions["piiri.sessionmaker"]))
    assert again.resume_all() == []
    resumed = again.find(played.code)
    assert resumed is not None and resumed.table.fingerprint() == played.table.fingerprint()
    assert [f.kind for f in again.store.events(played.table_id)[0].facts] == [
        "table_created", "made_content_played"]
    texts = [c.text.pick("fi") for c in resumed.table.content.decks[f"oma-{made_id}"].cards]
    assert texts[0] == "Mikä ilahdutti sinua tänään?"


def test_made_content_is_offered_only_to_its_own_group(app: Any) -> None:
    from facilitator.dbsession import db
    from facilitator.workshop import MadeContent, offered
    from facilitator.workshop.drafts import add_item, new_made

    client = signed_in(app)
    ours = group_with_meetings(app)
    theirs = group_with_meetings(app)
    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=ours["group"], game="circle",
                        name="Omat kysymykset", language="fi", user_id=None)
        add_item(db(), made, "Mikä sai sinut hymyilemään?", None, None)
        db().commit()
        made_id = made.id
        assert [m.id for m in offered(db(), ours["group"])] == [made_id]
        assert offered(db(), theirs["group"]) == []
    assert "Omat kysymykset" not in client.get(
        f"/workshop/group/{theirs['group']}").get_data(as_text=True)
    # Not at another group's meeting, even by a hand-made request.
    page = f"/workshop/made/{made_id}"
    assert post(client, f"{page}/play", {"meeting": theirs["meeting"]}, page).status_code == 404
    # Nor to another organisation at all.
    other = signed_in(app, "leader@b.example", "Org B")
    assert other.get(page).status_code == 404
    with app.test_request_context():
        assert db().get(MadeContent, made_id).version == 2


def test_an_invalid_draft_says_why_field_by_field(app: Any) -> None:
    from facilitator.dbsession import db
    from facilitator.workshop.drafts import check, new_made

    signed_in(app)
    ours = group_with_meetings(app)
    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=ours["group"], game="elaman_varit",
                        name="Tyhjä", language="fi", user_id=None)
        content, problems = check(made, [])
        assert content is None
        assert [str(p) for p in problems] == ["cards: add at least one first"]
        content, problems = check(made, [{"id": "x", "kind": "wish", "text": {"fi": "Hei"}}])
        assert content is None and [p.field for p in problems] == ["cards.0.kind"]


def test_export_passes_the_content_check_and_imports_into_another_piiri(
        app: Any, tmp_path: Path, monkeypatch: Any) -> None:

    from facilitator.dbsession import db
    from facilitator.workshop.drafts import add_item, new_made

    client = signed_in(app)
    ours = group_with_meetings(app)
    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=ours["group"], game="elaman_varit",
                        name="Arjen kortit", language="fi", user_id=None)
        add_item(db(), made, "Mikä ilahdutti sinua tänään?", "question", None, credit="Aino",
                 member_id=ours["members"]["Aino"])
        add_item(db(), made, "Kerro yksi asia, jossa olet hyvä.", "task", None)
        db().commit()
        made_id = made.id
    exported = client.get(f"/workshop/made/{made_id}/export").get_data(as_text=True)
    assert "Aino" in exported  # credited by her own choice, by her chosen name
    assert "member" not in exported and "version" not in exported and "started" not in exported

    # `piiri content check` accepts it as a deck among the shipped ones.
    check = content_check_beside(tmp_path, monkeypatch, f"elaman_varit/decks/oma-{made_id}.yaml",
                               exported)
    assert check.exit_code == 0, check.output
    assert f"decks/oma-{made_id}" in check.output

    # Another Piiri imports it (after checking it) and plays it.
    from facilitator.app import create_app

    other = create_app({"DATABASE": str(tmp_path / "other.sqlite3"), "TICKS": False,
                        "SECRET_KEY": "other-secret"})
    try:
        theirs = signed_in(other, "leader@c.example", "Org C")
        group = group_with_meetings(other, "Org C")
        page = f"/workshop/group/{group['group']}"
        broken = post(theirs, f"{page}/import", {
            "target": "elaman_varit",
            "file": (__import__("io").BytesIO(exported.replace("kind: task", "kind: wish")
                                              .encode()), "deck.yaml")}, page)
        said = broken.get_data(as_text=True)
        assert "Tiedostoa ei tuotu" in said and "cards.1.kind" in said  # field by field
        response = post(theirs, f"{page}/import", {
            "target": "elaman_varit",
            "file": (__import__("io").BytesIO(exported.encode()), "deck.yaml")}, page)
        assert response.status_code == 302, response.get_data(as_text=True)
        made_page = response.headers["Location"].split("localhost", 1)[-1]
        played = post(theirs, f"{made_page}/play", {}, made_page)
        live = hub_of(other).find(played.headers["Location"].rsplit("/", 1)[-1])
        assert live is not None
        [deck] = [d for d in live.table.content.decks.values() if d.id.startswith("oma-")]
        assert [c.text.pick("fi") for c in deck.cards] == [
            "Mikä ilahdutti sinua tänään?", "Kerro yksi asia, jossa olet hyvä."]
    finally:
        other.extensions["piiri.store"].close()
