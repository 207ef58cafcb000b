"""What a story meeting leaves in the records: votes cast and own options proposed count as
taking part; the export never says which option anyone chose or what they wrote, and a pass is
never exported."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from engine import ContributionKind, EndTable, MakeMove, StartTable
from facilitator.dbsession import db
from facilitator.models import Group, Meeting, Member, Period, User
from games.story import module as story_game
from games.story import words

from .accounts import csrf_token, login, make_user
from .live_server import LiveServer
from .test_protocol import Client

WRITTEN = "Kim kysyy neuvoa naapurilta"


@pytest.fixture()
def server_config(database_url: str) -> dict[str, Any]:
    """A live server on SQLite and on a real PostgreSQL server alike."""
    return {"DATABASE_URL": database_url}


def test_the_story_declares_votes_and_proposals_and_never_passes() -> None:
    counted = {fact: c.kind for fact, c in story_game.contributions.items()}
    assert counted == {"vote_cast": ContributionKind.votes,
                       "proposal_made": ContributionKind.proposals,
                       "proposal_accepted": ContributionKind.proposals_accepted}
    assert not {"vote_passed", "turn_passed", "vote_changed"} & set(counted)


def _meeting(server: LiveServer) -> tuple[int, int, dict[str, int]]:
    with server.app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        group = Group(organisation_id=user.organisation_id, name="Torstai")
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=n) for n in ("Aino", "Bashir", "Camilla")]
        period = Period(group_id=group.id, name="Syksy", starts_on=datetime.now(UTC).date())
        db().add_all([*members, period])
        db().flush()
        meeting = Meeting(period_id=period.id, starts_at=datetime.now(UTC) + timedelta(hours=1),
                          theme="Uusi paikka", game="story",
                          game_options={"story": "first-day", "write_ins": True})
        db().add(meeting)
        db().commit()
        return period.id, meeting.id, {m.nickname: m.id for m in members}


def test_the_export_counts_votes_and_proposals_but_not_choices_or_passes(
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
    seats = {name: tablet.join(code, name)[0] for name, tablet in tablets.items()}
    server.hub.apply(live, StartTable(at=server.hub.now()))
    while live.table.state.stage != "vote":
        server.hub.apply(live, MakeMove(at=server.hub.now(), seat=None, name="go_on"))

    # Aino proposes her own option and the leader takes it in from the panel.
    tablets["Aino"].send(t="move", id=1, name="propose", payload={"value": WRITTEN})
    tablets["Aino"].until("ack")
    table_token = csrf_token(panel, f"/panel/t/{code}")
    panel.post(f"/panel/t/{code}/proposal/1/accept", data={"csrf_token": table_token,
                                                            "text": ""})
    assert not live.table.meta.proposals.pending()
    # Aino and Bashir vote for the first choice; Camilla passes.
    first = str(live.table.state.offered[0])
    for n, name in enumerate(("Aino", "Bashir"), start=2):
        tablets[name].send(t="move", id=n, name="vote", payload={"value": first})
        tablets[name].until("ack")
    tablets["Camilla"].send(t="pass", id=5)
    tablets["Camilla"].until("ack")
    assert live.table.state.stage == "result"
    assert live.table.state.passed == [seats["Camilla"]]
    server.hub.apply(live, EndTable(at=server.hub.now()))

    form = {"csrf_token": token, **{f"attendance-{i}": "present" for i in ids.values()}}
    assert panel.post(f"/panel/meetings/{meeting_id}/close", data=form).status_code == 302
    raw = panel.get(f"/panel/periods/{period_id}/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    table = rows[3:rows.index([], 3)]
    votes, proposals = words.VOTES_CAST.pick("fi"), words.PROPOSALS_MADE.pick("fi")
    taken = words.PROPOSALS_ACCEPTED.pick("fi")
    assert table[0][6:] == [votes, proposals, taken]  # in the records' order of kinds
    by_name = {row[4]: row[6:] for row in table[1:]}
    assert by_name == {"Aino": ["1", "1", "1"], "Bashir": ["1", "0", "0"],
                       "Camilla": ["0", "0", "0"]}
    totals = rows[rows.index([], 3) + 2:]
    assert totals[0][3:] == [votes, proposals, taken]
    # Nothing says what anyone chose or wrote, and nothing says who passed.
    story = live.table.content.stories["first-day"]
    scene = story.scene(story.start)
    for text in [WRITTEN, *(c.label.pick("fi") for c in scene.choices)]:
        assert text not in raw
    assert "ohit" not in raw.lower() and "pass" not in raw.lower()
    for tablet in tablets.values():
        tablet.close()
