"""The group's feedback at the end of a meeting, over real WebSockets: the round opens when the
game ends, tablets answer or skip, the shared screen shows only how many answered, and the
leader sees totals only after the roll call closed the round, only with five or more who
answered. Nothing per person is kept: not in any table, the SQLite WAL, or the server log."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from facilitator.dbsession import db
from facilitator.models import AuditEntry
from facilitator.reports import FeedbackTotals

from .accounts import csrf_token, login, make_user
from .live_server import LiveServer
from .test_checkin_live import Tablet
from .test_meetings import plan

NAMES = ("Aino", "Bashir", "Camilla", "Dmitri", "Eeva", "Fredrik")
WORDS = ("sateenkaari-omena", "kuutamo-kivi", "lumihiutale-rumpu", "kanerva-laulu")


@pytest.fixture()
def server_config(server_log: Path) -> dict[str, Any]:
    return {}


def start(server: LiveServer) -> tuple[Any, str, int, str]:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, _ = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    started = panel.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    code = started.headers["Location"].rsplit("/", 1)[1]
    return panel, code, meeting_id, token


def current(tablet: Tablet) -> dict[str, Any] | None:
    """The feedback control the tablet shows now, if any."""
    return next((i for i in tablet.now()["items"] if i.get("move") == "feedback.answer"), None)


def give(tablet: Tablet, answers: tuple[Any, Any, Any]) -> None:
    """Answer the three items in order (``None`` skips one)."""
    for value in answers:
        item = current(tablet)
        assert item is not None
        if value is None:
            assert tablet.skip()["t"] == "ack"
        else:
            reply = tablet.move("feedback.answer", item=item["payload"]["item"], value=value)
            assert reply["t"] == "ack", reply
    assert current(tablet) is None  # thanked, nothing more asked


def page(panel: Any, meeting_id: int) -> str:
    response = panel.get(f"/panel/meetings/{meeting_id}/feedback")
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def close_roll_call(panel: Any, meeting_id: int, token: str) -> None:
    response = panel.post(f"/panel/meetings/{meeting_id}/close", data={"csrf_token": token})
    assert response.status_code == 302


def test_feedback_after_the_game_gives_the_leader_totals_only(server: LiveServer,
                                                             server_log: Path) -> None:
    panel, code, meeting_id, token = start(server)
    from .test_protocol import Client

    screen = Client(server)
    screen.hello(code, role="screen")
    tablets = {name: Tablet(server, code, name) for name in NAMES}
    assert all(current(t) is None for t in tablets.values())  # no feedback during the game

    panel.post(f"/panel/t/{code}/end", data={"csrf_token": token})
    live = server.hub.find(code)
    assert live is not None and live.table.status.value == "ended"
    assert live.table.meta.side is not None and live.table.meta.side.name == "feedback"
    first = tablets["Aino"].now()
    assert first["status"]["en"] == "Feedback"
    assert "pass" in [i["kind"] for i in first["items"]]

    # A wrong value and a stale item are refused and change nothing.
    assert tablets["Aino"].move("feedback.answer", item="face", value="great")["t"] == "error"
    assert tablets["Aino"].move("feedback.answer", item="word", value="x")["t"] == "error"

    give(tablets["Aino"], ("good", WORDS[0], ["games", "talking"]))
    give(tablets["Bashir"], ("good", WORDS[1], ["games"]))
    give(tablets["Camilla"], ("okay", WORDS[2], None))
    give(tablets["Dmitri"], ("hard", WORDS[3], ["calm"]))
    give(tablets["Eeva"], (None, None, ["games"]))
    give(tablets["Fredrik"], (None, None, None))  # skips everything: not an answer
    assert tablets["Aino"].move("feedback.answer", item="more", value=["games"])["t"] == "error"

    # While the round is open the leader sees nothing of it, not even a count.
    open_page = page(panel, meeting_id)
    assert 'data-feedback="open"' in open_page
    assert not any(w in open_page for w in WORDS) and "data-face" not in open_page

    # The shared screen showed how many answered: never a word, a face or a name.
    screen.drain()
    scenes = [m for m in screen.seen if m["t"] == "scene"
              and m["scene"]["title"]["en"] == "Feedback"]
    assert scenes
    for scene in scenes:
        dumped = json.dumps(scene, ensure_ascii=False)
        assert not any(w in dumped for w in (*WORDS, *NAMES, "good", "okay", "hard"))
    labels = [e["label"]["en"] for e in scenes[-1]["scene"]["elements"]
              if e["kind"] == "progress"]
    assert labels == ["6 of 6 have answered"]

    # Closing the roll call closes the round; now the totals show.
    close_roll_call(panel, meeting_id, token)
    assert live.table.meta.side is None
    shown = page(panel, meeting_id)
    assert 'data-feedback="shown"' in shown
    faces = [int(n) for n in re.findall(r"<td data-face>(\d+)</td>", shown)]
    picks = [int(n) for n in re.findall(r"<td data-pick>(\d+)</td>", shown)]
    assert faces == [2, 1, 1]  # good, okay, hard
    assert picks == [3, 1, 0, 1, 0]  # games, talking, moving, calm, finnish
    assert 'data-respondents="5"' in shown
    listed = re.findall(r"<li>([^<]*)</li>", shown.split("data-words", 1)[1])
    assert sorted(listed) == sorted(WORDS)
    orders = {tuple(re.findall(r"<li>([^<]*)</li>", page(panel, meeting_id)
                               .split("data-words", 1)[1])) for _ in range(20)}
    assert len(orders) > 1  # reordered at random on every view (24 orders: all alike ~1e-26)
    with server.app.app_context():
        views = list(db().scalars(select(AuditEntry).where(AuditEntry.action == "feedback_view")))
        assert len(views) == 22 and all(v.member_id is None for v in views)

    # Nothing per person anywhere: the log has steps without values, and no table has a row
    # per seat or member with feedback in it.
    with server.app.app_context():
        events = [json.loads(body) for (body,) in
                  db().execute(text("SELECT body FROM table_events")).all()]
        steps = [e["action"] for e in events if e["action"]["type"] == "side_step"]
        assert len(steps) == 18 and all(set(s) == {"type", "at", "seat"} for s in steps)
        dumped_events = json.dumps(events, ensure_ascii=False)
        assert not any(w in dumped_events for w in WORDS)
        assert not any(f'"{v}"' in dumped_events for v in ("good", "okay", "hard", "talking"))
        rows = list(db().scalars(select(FeedbackTotals)))
        assert len(rows) == 1 and rows[0].respondents == 5
        columns = set(FeedbackTotals.__table__.columns.keys())
        assert not columns & {"seat", "member_id", "nickname", "user_id"}
        seat_ids = {t.seat for t in tablets.values()}
        names = [r[0] for r in db().execute(text(
            "SELECT name FROM sqlite_master WHERE type='table'")).all()]
        for name in names:
            for row in db().execute(text(f'SELECT * FROM "{name}"')).all():
                cells = [str(c) for c in row]
                blob = " ".join(cells)
                if any(w in blob for w in WORDS):
                    assert name == "feedback_totals", name
                    assert not any(s in cells for s in seat_ids)
                    assert not any(n in blob for n in NAMES)
    for path, chunk in pages_on_disk(Path(server.app.config["DATABASE"])):
        if any(w.encode() in chunk for w in WORDS):
            assert not any(n.encode() in chunk for n in NAMES), path
    # The server's log (this test's own WebSocket client logs what it sends: left out).
    logged = [line for line in server_log.read_text(encoding="utf-8").splitlines()
              if not line.startswith("websockets.client ")]
    assert logged  # the server did log (requests, at INFO and DEBUG)
    assert not any(w in line for line in logged for w in WORDS)


def pages_on_disk(database: Path) -> Iterator[tuple[Path, bytes]]:
    """Every page of the SQLite file and of its write-ahead log, one at a time (a row lives
    in one page: a word and a name in the same page would be kept together)."""
    size = int.from_bytes(database.read_bytes()[16:18], "big")
    data = database.read_bytes()
    for at in range(0, len(data), size):
        yield database, data[at:at + size]
    wal = Path(f"{database}-wal")
    if wal.exists():
        data = wal.read_bytes()
        for at in range(32, len(data), size + 24):  # a header, then frames: 24 bytes + page
            yield wal, data[at + 24:at + 24 + size]


def test_with_fewer_than_five_answering_the_page_says_why(server: LiveServer) -> None:
    panel, code, meeting_id, token = start(server)
    tablets = [Tablet(server, code, name) for name in NAMES[:5]]
    panel.post(f"/panel/t/{code}/end", data={"csrf_token": token})
    for tablet, face in zip(tablets[:4], ("good", "good", "okay", "hard"), strict=True):
        give(tablet, (face, None, None))
    give(tablets[4], (None, None, None))  # five tablets, four answers
    close_roll_call(panel, meeting_id, token)
    shown = page(panel, meeting_id)
    assert 'data-feedback="too_few"' in shown and "Alle 5 ihmistä vastasi" in shown
    assert "data-face" not in shown


def test_the_leader_can_switch_the_feedback_off_for_a_table(server: LiveServer) -> None:
    panel, code, meeting_id, token = start(server)
    tablet = Tablet(server, code, "Aino")
    table_page = panel.get(f"/panel/t/{code}").get_data(as_text=True)
    assert 'id="feedback-choice"' in table_page and " checked>" in table_page  # on by default
    panel.post(f"/panel/t/{code}/feedback", data={"csrf_token": token})  # "ask" unticked
    panel.post(f"/panel/t/{code}/end", data={"csrf_token": token})
    live = server.hub.find(code)
    assert live is not None and live.table.meta.side is None
    assert current(tablet) is None
    assert 'data-feedback="none"' in page(panel, meeting_id)


def test_co_facilitators_never_see_the_feedback_page(server: LiveServer) -> None:
    from facilitator.models import Role

    panel, code, meeting_id, token = start(server)
    helper = server.app.test_client()
    make_user(server.app, email="apu@a.example", role=Role.cofacilitator)
    login(helper, email="apu@a.example")
    assert helper.get(f"/panel/meetings/{meeting_id}/feedback").status_code == 403


def test_the_closed_meetings_page_leads_to_the_feedback(server: LiveServer) -> None:
    """The leader finds the group's feedback from the meeting's record."""
    panel, code, meeting_id, token = start(server)
    panel.post(f"/panel/t/{code}/end", data={"csrf_token": token})
    close_roll_call(panel, meeting_id, token)
    record = panel.get(f"/panel/meetings/{meeting_id}").get_data(as_text=True)
    assert f"/panel/meetings/{meeting_id}/feedback" in record
