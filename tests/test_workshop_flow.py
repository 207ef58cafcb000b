"""The workshop in a group's life: playing what the group made with the same tablets and
back, at a planned meeting through the meeting's lifecycle, the leader's edits and added
languages, retention, erasure and the records."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from engine import EndTable, StartTable, TableStatus
from facilitator.dbsession import db
from games.workshop import words
from games.workshop.game import credited_name

from .accounts import csrf_token, signed_in
from .live_server import LiveServer
from .test_protocol import Client
from .test_workshop import group_with_meetings, hub_of, open_workshop, post


def _made(app: Any, group: int) -> Any:
    from facilitator.workshop import MadeContent

    with app.app_context():
        made = db().scalar(select(MadeContent).where(MadeContent.group_id == group))
        assert made is not None
        return made.id


def _accept_all(client: Any, live: Any) -> None:
    page = f"/panel/t/{live.code}"
    for proposal in live.table.meta.proposals.pending():
        post(client, f"{page}/proposal/{proposal.id}/accept", {"text": ""}, page)


def test_play_what_we_made_takes_the_same_tablets_there_and_back(server: LiveServer) -> None:
    from facilitator.workshop import MadeTable

    app, hub = server.app, server.hub
    panel = signed_in(app)
    ours = group_with_meetings(app, game="circle")
    workshop = open_workshop(app, panel, ours["group"], target="circle")
    tablets = {name: Client(server) for name in ("Aino", "Bashir", "Carla")}
    tokens = {name: tablet.join(workshop.code, name)[1] for name, tablet in tablets.items()}
    hub.apply(workshop, StartTable(at=hub.now()))
    # Aino chooses to be named with what she makes, Bashir not (Carla does not choose).
    for name, value in (("Aino", "yes"), ("Bashir", "no")):
        tablets[name].send(t="move", id=1, name="credit", payload={"value": value})
        tablets[name].until("ack")
    for n, (name, tablet) in enumerate(tablets.items(), start=2):
        tablet.send(t="move", id=n, name="propose", payload={"value": f"Kysymys {name}lle?"})
        tablet.until("ack")
    _accept_all(panel, workshop)
    made_id = _made(app, ours["group"])
    page = f"/workshop/made/{made_id}"
    assert "Play what we made" in panel.get(page).get_data(as_text=True) or \
        "Pelataan" in panel.get(page).get_data(as_text=True)

    tried = post(panel, f"{page}/try", {}, page)
    assert tried.status_code == 302, tried.get_data(as_text=True)
    played = hub.find(tried.headers["Location"].rsplit("/", 1)[-1])
    assert played is not None and played.table.module.id == "circle"
    assert workshop.table.status is TableStatus.ended
    # Every tablet is sent on and is welcomed in its own seat there with its own token.
    for name, tablet in tablets.items():
        assert tablet.until("follow")["room"] == played.code
        again = Client(server)
        assert again.hello(played.code, token=tokens[name])["nickname"] == name
        tablets[name] = again
    assert [s.member for s in played.table.meta.seats] == [
        str(ours["members"][n]) for n in ("Aino", "Bashir", "Carla")]
    prompts = [p.text.pick("fi") for p in played.table.content.prompts.prompts]
    assert prompts[-1] == "Kysymys Carlalle?" or "Kysymys Carlalle?" in prompts
    with app.app_context():
        assert db().get(MadeTable, played.table_id) is not None
    # The table's own log says it played the group's own content, and which version.
    first = hub.store.events(played.table_id)[0]
    assert [(f.kind, f.data) for f in first.facts if f.kind == "made_content_played"] == [
        ("made_content_played", {"game": "circle", "content": f"oma-{made_id}", "version": 4})]

    # And back to writing: a new workshop table whose accepted proposals go into the draft.
    back = post(panel, f"{page}/back", {}, page)
    assert back.status_code == 302
    writing = hub.find(back.headers["Location"].rsplit("/", 1)[-1])
    assert writing is not None and writing.table.module.id == "workshop"
    assert played.table.status is TableStatus.ended
    for name, tablet in tablets.items():
        assert tablet.until("follow")["room"] == writing.code
        again = Client(server)
        assert again.hello(writing.code, token=tokens[name])["seat"] is not None
        tablets[name] = again
    hub.apply(writing, StartTable(at=hub.now()))
    # What the group made already is there, named only where its maker chose so.
    view = writing.table.view()
    assert [(m.text, credited_name(view, m)) for m in view.state.made] == [
        ("Kysymys Ainolle?", "Aino"), ("Kysymys Bashirlle?", None),
        ("Kysymys Carlalle?", None)]
    shown = writing.table.scene().model_dump_json()
    assert "Kysymys Ainolle?" in shown and "3/6" in shown
    # Each choice of being named holds: Aino is told so, and her next card carries her name.
    told = words.CREDIT_ON.pick("fi")
    while told not in json.dumps(tablets["Aino"].until("controls"), ensure_ascii=False):
        pass  # the lobby's controls first, then the workshop's
    for n, name in enumerate(("Aino", "Bashir"), start=1):
        tablets[name].send(t="move", id=n, name="propose", payload={"value": f"Vielä {name}?"})
        tablets[name].until("ack")
    _accept_all(panel, writing)
    from facilitator.workshop import MadeCredit
    from facilitator.workshop.drafts import items_of
    from facilitator.workshop.models import MadeContent

    with app.app_context():
        made = db().get(MadeContent, made_id)
        assert [i["text"]["fi"] for i in items_of(db(), made)][-2:] == ["Vielä Aino?",
                                                                         "Vielä Bashir?"]
        assert sorted((c.item_id, c.name) for c in db().scalars(select(MadeCredit))) == [
            (f"oma-{made_id}-1", "Aino"), (f"oma-{made_id}-4", "Aino")]


def test_a_planned_meeting_plays_the_groups_deck_through_its_lifecycle(app: Any) -> None:
    from facilitator.groups import open_meeting_table
    from facilitator.models import Meeting, TableOwner
    from facilitator.workshop.drafts import add_item, content_for, new_made, options_for

    signed_in(app)
    ours = group_with_meetings(app)
    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=ours["group"], game="elaman_varit",
                        name="Arki", language="fi", user_id=None)
        add_item(db(), made, "Mikä ilahdutti sinua tänään?", "question", None)
        db().commit()
        meeting = db().get(Meeting, ours["meeting"])
        live = open_meeting_table(hub_of(app), meeting, None,
                                  content=content_for(db(), made, made.version),
                                  options=options_for(made))
        assert live is not None
        assert live.table.options.decks == [f"oma-{made.id}"]
        assert db().get(TableOwner, live.table_id).meeting_id == meeting.id
        assert db().get(Meeting, ours["meeting"]).status == "live"
        # The meeting's open table is the one the normal flow finds afterwards.
        assert open_meeting_table(hub_of(app), meeting, None) is live


def test_the_leader_edits_an_item_and_adds_a_language_shown_marked_where_missing(
        app: Any) -> None:
    from facilitator.models import AuditEntry
    from facilitator.workshop.drafts import add_item, content_for, new_made

    client = signed_in(app)
    ours = group_with_meetings(app)
    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=ours["group"], game="elaman_varit",
                        name="Arki", language="fi", user_id=None)
        first = add_item(db(), made, "Mikä ilahdutti sinua?", "question", None)
        second = add_item(db(), made, "Kerro lempiruokasi.", "task", None)
        db().commit()
        made_id = made.id
    page = f"/workshop/made/{made_id}"
    assert f'action="{page}/item/{first}"' in client.get(page).get_data(as_text=True)
    post(client, f"{page}/item/{first}", {"text": "Mikä ilahdutti sinua tänään?",
                                           "language": "fi"}, page)
    post(client, f"{page}/item/{first}", {"text": "Vad gladde dig i dag?",
                                           "language": "sv"}, page)
    # Bad input is refused in plain words and changes nothing.
    refused = post(client, f"{page}/item/{second}", {"text": "131052-308T",
                                                      "language": "fi"}, page)
    assert refused.status_code == 302 and "notice" in refused.headers["Location"]
    assert post(client, f"{page}/item/nope", {"text": "x", "language": "fi"},
                page).status_code == 404
    from facilitator.workshop import MadeContent

    with app.test_request_context():
        made = db().get(MadeContent, made_id)
        assert made.version == 5
        deck = content_for(db(), made, made.version).decks[f"oma-{made_id}"]
        one, two = deck.cards
        assert one.text.pick("fi") == "Mikä ilahdutti sinua tänään?"
        assert one.text.pick("sv") == "Vad gladde dig i dag?"
        # Not translated: the original with a small marker, not hidden and not passed off.
        assert two.text.pick("sv") == "Kerro lempiruokasi. (suomeksi)"
        entries = list(db().scalars(select(AuditEntry).where(
            AuditEntry.action == "edit_made_item")))
        assert [e.detail for e in entries] == [f"oma-{made_id} {first}",
                                               f"oma-{made_id} {first} sv"]
        assert all("ilahdutti" not in e.detail and "gladde" not in e.detail for e in entries)


def test_retention_removes_old_versions_and_drafts_but_keeps_what_kept_tables_played(
        app: Any) -> None:
    from facilitator.groups import apply_retention
    from facilitator.workshop import MadeContent, MadeCredit, MadeTable, MadeVersion
    from facilitator.workshop.drafts import add_item, new_made, record_table

    signed_in(app)
    ours = group_with_meetings(app)
    long_ago = datetime.now(UTC) - timedelta(days=900)
    played = hub_of(app).create_table("circle", {"rounds": 1})
    with app.test_request_context():
        kept = new_made(db(), organisation_id=1, group_id=ours["group"], game="circle",
                        name="Käytössä", language="fi", user_id=None)
        add_item(db(), kept, "Yksi?", None, None)
        add_item(db(), kept, "Kaksi?", None, None)
        old = new_made(db(), organisation_id=1, group_id=ours["group"], game="circle",
                       name="Unohdettu", language="fi", user_id=None)
        add_item(db(), old, "Kolme?", None, None, credit="Aino",
                 member_id=ours["members"]["Aino"])
        kept.version = 2  # the table played version 2; version 3 is the latest
        record_table(db(), kept, played.table_id)
        kept.version = 3
        for version in db().scalars(select(MadeVersion)):
            version.at = long_ago
        db().commit()
        kept_id, old_id = kept.id, old.id
        dry = apply_retention(db(), 24, dry_run=True)
        assert dry.made_versions == 2 + 1  # the old draft whole (2); kept's version 1
        assert db().scalar(select(MadeContent).where(MadeContent.id == old_id)) is not None
        apply_retention(db(), 24)
        assert db().get(MadeContent, old_id) is None
        assert list(db().scalars(select(MadeCredit))) == []
        assert sorted(v.version for v in db().scalars(select(MadeVersion).where(
            MadeVersion.content_id == kept_id))) == [2, 3]
        assert db().get(MadeTable, played.table_id) is not None


def test_erasing_a_member_in_the_panel_removes_their_credit(app: Any) -> None:
    from facilitator.workshop import MadeCredit
    from facilitator.workshop.drafts import add_item, new_made

    client = signed_in(app)
    ours = group_with_meetings(app)
    with app.test_request_context():
        made = new_made(db(), organisation_id=1, group_id=ours["group"], game="circle",
                        name="Omat", language="fi", user_id=None)
        add_item(db(), made, "Yksi?", None, None, credit="Aino",
                 member_id=ours["members"]["Aino"])
        add_item(db(), made, "Kaksi?", None, None, credit="Bashir",
                 member_id=ours["members"]["Bashir"])
        db().commit()
        made_id = made.id
    erase = f"/panel/members/{ours['members']['Aino']}/checkins/erase"
    client.post(erase, data={"confirm": "yes", "csrf_token": csrf_token(client, erase)})
    with app.test_request_context():
        assert [c.name for c in db().scalars(select(MadeCredit))] == ["Bashir"]
    exported = client.get(f"/workshop/made/{made_id}/export").get_data(as_text=True)
    assert "Aino" not in exported and "Bashir" in exported


def test_the_export_counts_each_members_proposals_never_their_text(app: Any) -> None:
    from facilitator.models import Meeting

    client = signed_in(app)
    ours = group_with_meetings(app)
    hub = hub_of(app)
    with app.test_request_context():
        meeting = db().get(Meeting, ours["meeting"])
        meeting.game, meeting.game_options = "workshop", {"target": "circle", "name": "Omat"}
        meeting.starts_at = datetime.now(UTC) - timedelta(hours=1)
        db().commit()
    period = f"/panel/periods/{ours['period']}"
    started = post(client, f"/panel/meetings/{ours['meeting']}/start", {}, period)
    live = hub.find(started.headers["Location"].rsplit("/", 1)[-1])
    assert live is not None
    seats = {}
    for name in ("Aino", "Bashir", "Carla"):
        result, _ = hub.join(live, name, __import__("tests.test_workshop",
                                                    fromlist=["AVATAR"]).AVATAR)
        seats[name] = live.table.meta.seats[-1].id
    hub.apply(live, StartTable(at=hub.now()))
    hub.move(live, seats["Aino"], 1, "propose", {"value": "Salainen teksti yksi?"})
    hub.move(live, seats["Bashir"], 1, "propose", {"value": "Salainen teksti kaksi?"})
    _accept_all(client, live)
    hub.move(live, seats["Aino"], 2, "propose", {"value": "Salainen teksti kolme?"})
    hub.apply(live, EndTable(at=hub.now()))
    # The roll call shows both columns (and none a workshop does not count).
    rollcall = client.get(f"/panel/meetings/{ours['meeting']}").get_data(as_text=True)
    assert "<th>Ehdotuksia</th><th>Hyväksyttyjä ehdotuksia</th>" in rollcall
    assert "Vuoroja" not in rollcall and "Salainen" not in rollcall
    form = {f"attendance-{i}": "present" for i in ours["members"].values()}
    assert post(client, f"/panel/meetings/{ours['meeting']}/close", form,
                period).status_code == 302
    raw = client.get(f"{period}/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    table = rows[3:rows.index([], 3)]
    assert table[0][6:] == ["Ehdotuksia", "Hyväksyttyjä ehdotuksia"]
    assert {row[4]: row[6:] for row in table[1:]} == {"Aino": ["2", "1"], "Bashir": ["1", "1"],
                                                      "Carla": ["0", "0"]}
    totals = rows[rows.index([], 3) + 2:]
    assert totals[0][3:] == ["Ehdotuksia", "Hyväksyttyjä ehdotuksia"]
    assert {row[0]: row[3:] for row in totals[1:]}["Aino"] == ["2", "1"]
    assert "Salainen" not in raw
    # The member's own page: the columns, and a bar that counts a proposal once.
    page = client.get(f"/panel/members/{ours['members']['Aino']}").get_data(as_text=True)
    assert "<th>Ehdotuksia tehty</th><th>Ehdotuksia hyväksytty</th>" in page
    assert "</title></rect>" in page and ": 2</title>" in page
