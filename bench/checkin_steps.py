"""What one check-in answer costs the server, next to an ordinary game move at the same table.

A 12-seat table of the circle activity belongs to a planned meeting of a group of 12 members,
each seat tied to its member, each with a connected (null) tablet so that every step fans out
views to all twelve as the server does. A check-in round is opened with Piiri's own form; every
seat gives consent and answers every item. For each answer the script times the hub's whole
step: the check whether the step is allowed, sealing the value (Fernet), the committed insert,
the logged mark, the next controls of all twelve seats and the shared screen's scene.

The reference beside it, in the same run and interleaved move for move: the same hub and
storage playing an ordinary game move ("done") at a second 12-seat table. Its p99 is the floor
a check-in step stands on; ``ratio`` is how much more an answer costs.

Run ``.venv/bin/python bench/checkin_steps.py`` (``--help`` for the knobs). The last line is
``key=value`` pairs only.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engine import Avatar, AvatarColour, AvatarIcon, StartTable, TableStatus
from facilitator.app import create_app
from facilitator.checkins import CheckinFlow
from facilitator.checkins.answers import form
from facilitator.checkins.sealing import new_key
from facilitator.checkins.words import CONSENT_TEXT_ID
from facilitator.dbsession import db
from facilitator.models import (
    CheckinKind,
    Group,
    Meeting,
    Member,
    Organisation,
    Period,
    TableOwner,
)

SEATS = 12
FORM = "piiri-arki"


class Null:
    """A tablet that takes every frame and does nothing with it."""

    def send(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def value_for(kind: str, n: int) -> Any:
    return {"scale10": n % 11, "scale5": 1 + n % 5, "yes_no": "yes" if n % 2 else "no",
            "short_text": f"vastaus {n}"}[kind]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="check-in rounds (default 5)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="piiri-bench-"))
    app = create_app({"DATABASE": str(folder / "bench.sqlite3"), "SECRET_KEY": "bench",
                      "TICKS": False, "CHECKIN_KEYS": new_key()})
    hub = app.extensions["piiri.hub"]
    with app.app_context():
        org = Organisation(name="Bench")
        db().add(org)
        db().flush()
        group = Group(organisation_id=org.id, name="Bench")
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=f"Jäsen {i + 1}") for i in range(SEATS)]
        db().add_all(members)
        period = Period(group_id=group.id, name="Bench", starts_on=datetime.now(UTC).date())
        db().add(period)
        db().flush()
        meeting = Meeting(period_id=period.id, starts_at=datetime.now(UTC), game="circle")
        db().add(meeting)
        db().commit()
        ids = [m.id for m in members]
        org_id, group_id, period_id, meeting_id = org.id, group.id, period.id, meeting.id

    def table() -> Any:
        live = hub.create_table("circle", {"rounds": 10}, seed=7)
        for i, member_id in enumerate(ids):
            avatar = Avatar(icon=list(AvatarIcon)[i % len(AvatarIcon)],
                            colour=list(AvatarColour)[i % len(AvatarColour)])
            hub.join(live, f"Jäsen {i + 1}", avatar, member=str(member_id))
            hub.attach(live, Null(), live.table.meta.seats[-1].id)
        return live

    checkin_table, game_table = table(), table()
    with app.app_context():
        db().add(TableOwner(table_id=checkin_table.table_id, organisation_id=org_id,
                            meeting_id=meeting_id))
        db().commit()
    hub.apply(game_table, StartTable(at=hub.now()))
    items = form(FORM).items()
    answer_ns: list[int] = []
    game_ns: list[int] = []
    msg = 0
    for round_number in range(args.rounds):
        flow = hub.side_round_of(CheckinFlow)
        flow.open(hub, checkin_table, organisation_id=org_id, group_id=group_id,
                          period_id=period_id, meeting_id=meeting_id, form_id=FORM,
                          kind=CheckinKind.free, user_id=None)
        seats = [s.id for s in checkin_table.table.meta.seats]
        for seat in seats:
            msg += 1
            hub.move(checkin_table, seat, msg, "checkin.consent",
                     {"value": True, "text_id": CONSENT_TEXT_ID})
        for n, item in enumerate(items):
            for seat in seats:
                msg += 1
                payload = {"item": item.id, "value": value_for(item.kind, n + round_number)}
                began = time.perf_counter_ns()
                result = hub.move(checkin_table, seat, msg, "checkin.answer", payload)
                answer_ns.append(time.perf_counter_ns() - began)
                assert not hasattr(result, "reason"), result
                if game_table.table.status is TableStatus.ended:
                    game_table = table()
                    hub.apply(game_table, StartTable(at=hub.now()))
                current = game_table.table.meta.turn.current
                msg += 1
                began = time.perf_counter_ns()
                hub.move(game_table, current, msg, "done", {})
                game_ns.append(time.perf_counter_ns() - began)
        hub.side_round_of(CheckinFlow).close(hub, checkin_table)
    ms = 1e6
    answer_p50, answer_p99 = percentile(answer_ns, 0.5) / ms, percentile(answer_ns, 0.99) / ms
    floor_p50, floor_p99 = percentile(game_ns, 0.5) / ms, percentile(game_ns, 0.99) / ms
    print(f"Piiri check-in steps · {platform.python_implementation()} "
          f"{platform.python_version()} · SQLite (WAL, synchronous=FULL), a fresh file")
    print(f"{len(answer_ns)} answers at a {SEATS}-seat table ({args.rounds} rounds of "
          f"{len(items)} items), each sealed, committed, logged and fanned out to {SEATS} "
          "tablets")
    print(f"  check-in answer: p50 {answer_p50:.2f} ms  p99 {answer_p99:.2f} ms")
    print(f"  game move (floor, same hub and storage): p50 {floor_p50:.2f} ms  "
          f"p99 {floor_p99:.2f} ms")
    app.extensions["piiri.store"].close()
    shutil.rmtree(folder, ignore_errors=True)
    print(f"answers={len(answer_ns)} answer_p50_ms={answer_p50:.2f} "
          f"answer_p99_ms={answer_p99:.2f} floor_p50_ms={floor_p50:.2f} "
          f"floor_p99_ms={floor_p99:.2f} ratio={answer_p99 / floor_p99:.2f}")


if __name__ == "__main__":
    main()
