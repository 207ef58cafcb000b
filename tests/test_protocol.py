"""The wire protocol against a real server: joining, playing, and every kind of bad input."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from .accounts import csrf_token, login, make_user
from .live_server import LiveServer

AVATAR = {"icon": "sun", "colour": "#E69F00"}


class Client:
    """A tablet or screen speaking the protocol, reading until the message it waits for."""

    opened: ClassVar[list[Client]] = []
    """Every client made in the test session; the conftest closes them after each test, so
    that no keepalive thread outlives its test."""

    def __init__(self, server: LiveServer) -> None:
        self.ws: ClientConnection = connect(server.ws_url, open_timeout=5).__enter__()
        self.seen: list[dict[str, Any]] = []
        Client.opened.append(self)

    def send(self, **msg: Any) -> None:
        self.ws.send(json.dumps(msg))

    def until(self, kind: str, timeout: float = 5.0) -> dict[str, Any]:
        while True:
            msg = json.loads(self.ws.recv(timeout=timeout))
            self.seen.append(msg)
            if msg["t"] == kind:
                return msg

    def drain(self, quiet: float = 0.3) -> None:
        """Read everything that arrives until ``quiet`` seconds pass with nothing."""
        while True:
            try:
                self.seen.append(json.loads(self.ws.recv(timeout=quiet)))
            except TimeoutError:
                return

    def hello(self, room: str, role: str = "seat", token: str | None = None) -> dict[str, Any]:
        self.send(t="hello", v=1, role=role, room=room, token=token)
        return self.until("welcome" if role == "seat" else "scene")

    def join(self, room: str, nickname: str) -> tuple[str, str]:
        self.hello(room)
        self.send(t="join", nickname=nickname, avatar=AVATAR)
        seated = self.until("seated")
        return seated["seat"], seated["token"]

    def close(self) -> None:
        self.ws.close()


def table(server: LiveServer, **options: Any) -> Any:
    return server.hub.create_table("circle", options or {"rounds": 1}, seed=3)


def test_tablets_join_play_and_the_screen_follows(server: LiveServer) -> None:
    live = table(server)
    screen = Client(server)
    lobby = screen.hello(live.code, role="screen")
    assert lobby["scene"]["layout"] == "lobby"
    join_card = next(e for e in lobby["scene"]["elements"] if e["kind"] == "join")
    assert join_card["url"] == f"{server.url}/j/{live.code}"
    a, b = Client(server), Client(server)
    seat_a, _ = a.join(live.code, "Aino")
    seat_b, _ = b.join(live.code, "Bashir")
    server.hub.apply(live, __import__("engine").StartTable(at=server.hub.now()))
    controls = a.until("controls")
    while not controls["controls"]["your_turn"]:
        controls = a.until("controls")
    a.send(t="move", id=1, name="done", payload={})
    assert a.until("ack")["id"] == 1
    b_controls = b.until("controls")
    while not b_controls["controls"]["your_turn"]:
        b_controls = b.until("controls")
    b.send(t="pass", id=1)
    b.until("ack")
    scene = screen.until("scene")
    while scene["scene"]["layout"] != "closing":
        scene = screen.until("scene")
    facts = [f["kind"] for e in server.app.extensions["piiri.store"].events(live.table_id)
             for f in e.model_dump()["facts"]]
    assert facts.count("turn_taken") == 1 and facts.count("turn_passed") == 1


@pytest.mark.parametrize("frame, reason", [
    ("not json at all", "bad_message"),
    ('{"t": "fly"}', "bad_message"),
    ('{"t": "move", "id": 1, "name": "done", "payload": {}, "seat": "s2"}', "bad_message"),
    ('{"t": "move", "id": 0, "name": "done"}', "bad_message"),
    ('{"t": "move", "id": 5, "name": "' + "x" * 9000 + '"}', "bad_message"),
    ('[1, 2, 3]', "bad_message"),
])
def test_bad_frames_get_an_error_and_change_nothing(server: LiveServer, frame: str,
                                                    reason: str) -> None:
    live = table(server)
    client = Client(server)
    client.join(live.code, "Aino")
    before = live.table.fingerprint()
    client.ws.send(frame)
    error = client.until("error")
    assert error["reason"] == reason
    assert error["message"]["fi"] and error["message"]["sv"] and error["message"]["en"]
    assert live.table.fingerprint() == before
    client.send(t="ping")
    assert client.until("pong")  # the connection is still served


def test_out_of_turn_move_is_refused_with_a_reason(server: LiveServer) -> None:
    live = table(server)
    a, b = Client(server), Client(server)
    a.join(live.code, "Aino")
    b.join(live.code, "Bashir")
    server.hub.apply(live, __import__("engine").StartTable(at=server.hub.now()))
    before = live.table.fingerprint()
    b.send(t="move", id=1, name="done", payload={})
    error = b.until("error")
    assert error["reason"] == "not_your_turn" and error["id"] == 1
    assert live.table.fingerprint() == before


def test_replayed_message_id_is_refused(server: LiveServer) -> None:
    live = table(server, rounds=3)
    a = Client(server)
    a.join(live.code, "Aino")
    server.hub.apply(live, __import__("engine").StartTable(at=server.hub.now()))
    a.send(t="move", id=7, name="done", payload={})
    a.until("ack")
    seq = live.table.seq
    a.send(t="move", id=7, name="done", payload={})
    assert a.until("error")["reason"] == "replayed"
    assert live.table.seq == seq


def test_moves_before_joining_and_unknown_rooms_are_refused(server: LiveServer) -> None:
    live = table(server)
    client = Client(server)
    client.send(t="hello", v=1, role="seat", room="ZZZZZ")
    assert client.until("error")["reason"] == "no_room"
    client.hello(live.code)
    client.send(t="move", id=1, name="done", payload={})
    assert client.until("error")["reason"] == "not_seated"


def test_old_protocol_version_is_told_to_reload(server: LiveServer) -> None:
    live = table(server)
    client = Client(server)
    client.send(t="hello", v=99, role="seat", room=live.code)
    assert client.until("error")["reason"] == "old_version"


def test_flooding_is_rate_limited_without_closing(server: LiveServer) -> None:
    live = table(server)
    client = Client(server)
    client.hello(live.code)
    for _ in range(60):
        client.send(t="ping")
    reasons = []
    for _ in range(60):
        msg = json.loads(client.ws.recv(timeout=5))
        reasons.append(msg.get("reason", msg["t"]))
    assert "too_many" in reasons and "pong" in reasons


def test_websocket_from_another_site_is_refused(server: LiveServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(server.ws_url, origin="http://evil.example", open_timeout=5)
    assert refused.value.response.status_code == 403


def test_returning_tablet_gets_its_own_seat_back(server: LiveServer) -> None:
    live = table(server)
    a = Client(server)
    seat, token = a.join(live.code, "Aino")
    a.close()
    again = Client(server)
    welcome = again.hello(live.code, token=token)
    assert welcome["seat"] == seat
    assert len(live.table.meta.seats) == 1
    assert live.table.seat(seat).connected


def test_second_tab_takes_the_seat_and_the_first_is_told(server: LiveServer) -> None:
    live = table(server)
    first = Client(server)
    seat, token = first.join(live.code, "Aino")
    second = Client(server)
    assert second.hello(live.code, token=token)["seat"] == seat
    assert first.until("gone")["reason"] == "elsewhere"
    assert len([s for s in live.table.meta.seats if not s.gone]) == 1


def test_hand_over_frees_the_seat_and_forgets_the_token(server: LiveServer) -> None:
    live = table(server)
    a = Client(server)
    seat, token = a.join(live.code, "Aino")
    a.send(t="handover")
    assert a.until("gone")["reason"] == "handed_over"
    assert live.table.seat(seat).gone
    b = Client(server)
    assert b.hello(live.code, token=token)["seat"] is None
    assert [m["reason"] for m in b.seen if m["t"] == "gone"] == ["unknown"]


def test_restart_resumes_tables_and_seats(server: LiveServer) -> None:
    live = table(server, rounds=2)
    a = Client(server)
    seat, token = a.join(live.code, "Aino")
    server.hub.apply(live, __import__("engine").StartTable(at=server.hub.now()))
    a.until("controls")
    fingerprint_before = live.table.meta.turn.model_dump()
    server.restart()
    resumed = server.hub.find(live.code)
    assert resumed is not None
    assert resumed.table.meta.turn.model_dump() == fingerprint_before
    assert not resumed.table.seat(seat).connected  # nobody is connected after a restart
    again = Client(server)
    assert again.hello(live.code, token=token)["seat"] == seat
    controls = again.until("controls")
    assert controls["controls"]["your_turn"]
    again.send(t="move", id=1, name="done", payload={})
    again.until("ack")


def test_leader_admits_or_refuses_each_join_when_asked_to(server: LiveServer) -> None:
    live = server.hub.create_table("circle", {"rounds": 1}, admit=True)
    a, b = Client(server), Client(server)
    assert a.hello(live.code)["admit"] is True
    a.send(t="join", nickname="Aino", avatar=AVATAR)
    b.hello(live.code)
    b.send(t="join", nickname="Bashir", avatar=AVATAR)
    import time
    for _ in range(50):
        if len(live.pending) == 2:
            break
        time.sleep(0.05)
    assert live.table.meta.seats == []  # nobody is seated before the leader decides
    by_name = {p.nickname: key for key, p in live.pending.items()}
    assert server.hub.decide_join(live, by_name["Aino"], admit=True)
    assert a.until("seated")["seat"] == "s1"
    assert server.hub.decide_join(live, by_name["Bashir"], admit=False)
    refused = b.until("error")
    assert refused["reason"] == "refused" and "leader" in refused["message"]["en"]
    assert [s.nickname for s in live.table.meta.seats] == ["Aino"]
    assert not server.hub.decide_join(live, by_name["Aino"], admit=True)  # decided already


def test_leader_sets_the_screen_language_and_sees_a_mirroring_warning(
        server: LiveServer) -> None:
    live = table(server)
    screen = Client(server)
    screen.hello(live.code, role="screen")
    assert not [m for m in screen.seen if m["t"] == "settings"]  # each screen's own language
    screen.send(t="screen_info", displays=1, shown_on=0)
    panel = server.app.test_client()
    make_user(server.app)
    login(panel)
    with server.app.app_context():
        from facilitator.dbsession import db
        from facilitator.models import TableOwner, User
        user = db().query(User).one()
        db().add(TableOwner(table_id=live.table_id, organisation_id=user.organisation_id))
        db().commit()
    token = csrf_token(panel, f"/panel/t/{live.code}")
    import time
    for _ in range(50):
        if live.screen_info:
            break
        time.sleep(0.05)
    page = panel.get(f"/panel/t/{live.code}").get_data(as_text=True)
    assert 'id="mirror-warning"' in page
    panel.post(f"/panel/t/{live.code}/screen-lang", data={"lang": "sv", "csrf_token": token})
    assert screen.until("settings")["lang"] == "sv"
    assert panel.post(f"/panel/t/{live.code}/screen-lang",
                      data={"lang": "klingon", "csrf_token": token}).status_code == 400


def test_only_screens_may_tell_about_displays(server: LiveServer) -> None:
    live = table(server)
    tablet = Client(server)
    tablet.hello(live.code)
    tablet.send(t="screen_info", displays=2)
    assert tablet.until("error")["reason"] == "bad_message"
