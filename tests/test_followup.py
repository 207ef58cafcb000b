"""Carrying a table's seats over to a follow-up table of another activity: the same people
with the tokens they hold, no new join, and back again (real WebSocket tablets)."""

from __future__ import annotations

from engine import StartTable, TableStatus

from .live_server import LiveServer
from .test_protocol import Client


def test_tablets_and_the_screen_follow_their_seats_to_the_next_activity_and_back(
        server: LiveServer) -> None:
    from facilitator.live.followup import carry_over

    hub = server.hub
    first = hub.create_table("circle", {"rounds": 1}, seed=3)
    screen = Client(server)
    screen.hello(first.code, role="screen")
    a, b = Client(server), Client(server)
    seat_a, token_a = a.join(first.code, "Aino")
    seat_b, token_b = b.join(first.code, "Bashir")
    hub.apply(first, StartTable(at=hub.now()))

    then = carry_over(hub, first, "workshop", {"target": "circle", "name": "Omat"})
    # The old table has ended cleanly, and everyone connected to it is sent on.
    assert first.table.status is TableStatus.ended
    assert a.until("follow")["room"] == then.code
    assert b.until("follow")["room"] == then.code
    assert screen.until("follow")["room"] == then.code
    assert [(s.nickname, s.avatar) for s in then.table.meta.seats] == [
        (s.nickname, s.avatar) for s in first.table.meta.seats]

    # Each tablet comes with the token it holds: welcomed in its seat, no join asked.
    a2, b2 = Client(server), Client(server)
    welcome = a2.hello(then.code, token=token_a)
    assert (welcome["seat"], welcome["nickname"]) == (then.table.meta.seats[0].id, "Aino")
    assert a2.until("controls")["controls"]["items"]
    assert b2.hello(then.code, token=token_b)["nickname"] == "Bashir"
    assert len(then.table.meta.seats) == 2 and all(s.connected for s in then.table.meta.seats)
    screen2 = Client(server)
    assert screen2.hello(then.code, role="screen")["scene"]

    # Back again likewise; a tablet that slept meanwhile is told where its seat went when
    # it comes back to the room it knew.
    b2.close()
    back = carry_over(hub, then, "circle", {"rounds": 1})
    assert a2.until("follow")["room"] == back.code
    assert screen2.until("follow")["room"] == back.code
    waking = Client(server)
    waking.send(t="hello", v=1, role="seat", room=first.code, token=token_b)
    assert waking.until("follow")["room"] == back.code
    b3 = Client(server)
    assert b3.hello(back.code, token=token_b)["nickname"] == "Bashir"
    assert then.table.status is TableStatus.ended
    # The ended tables hold no seat any more: their tokens moved on with the people.
    stale = Client(server)
    stale.send(t="hello", v=1, role="seat", room=back.code, token="not-a-token")
    assert stale.until("welcome")["seat"] is None


def test_a_token_of_an_ended_table_that_was_not_followed_up_is_told_the_table_ended(
        server: LiveServer) -> None:
    hub = server.hub
    live = hub.create_table("circle", {"rounds": 1}, seed=3)
    a = Client(server)
    _, token = a.join(live.code, "Aino")
    hub.end(live)
    again = Client(server)
    again.send(t="hello", v=1, role="seat", room=live.code, token=token)
    assert again.until("gone")["reason"] == "ended"
