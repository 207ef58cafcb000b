"""The module test kit: simulated seats playing a scripted session, with replay checks.

Example (a whole scripted round of the circle game)::

    sim = SimulatedTable(find_game("circle"), load_game_content("circle"), seed=3)
    aino, ben = sim.join_many(2)
    sim.start()
    sim.move(aino, "done")
    sim.pass_turn(ben)
    assert sim.facts("turn_passed")[0].seat == ben
    sim.assert_replays()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from .actions import (
    EndTable,
    GiveHint,
    Join,
    Leave,
    MakeMove,
    PassTurn,
    PauseTable,
    Presence,
    ResumeTable,
    SetTimer,
    SkipTurn,
    StartTable,
    Tick,
)
from .controls import SeatControls
from .log import replay
from .module import Fact, GameModule
from .scene import Avatar, AvatarColour, AvatarIcon, Scene
from .table import Accepted, Event, Reason, Rejected, Result, Table, TableStatus

__all__ = ["NAMES", "SimulatedTable", "UnexpectedRejection", "check_module"]

#: Nicknames the kit gives simulated seats, in join order.
NAMES = ["Aino", "Bashir", "Camilla", "Dmitri", "Eeva", "Fatima", "Göran", "Hanna", "Ilkka",
         "Jamal", "Kaisa", "Leo"]


class UnexpectedRejection(AssertionError):
    """A scripted action that should have been accepted was not."""


class SimulatedTable:
    """A table with simulated seats and a simulated clock, keeping its whole log.

    Every action is stamped one second after the previous one unless :meth:`advance` moves the
    clock. Methods named after an action assert that it was accepted; ``try_*`` methods return
    the :class:`~engine.table.Result` instead.
    """

    def __init__(self, module: GameModule[Any], content: Any = None, *, seed: int = 1,
                 options: dict[str, Any] | None = None,
                 start: datetime = datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
                 room_code: str = "TEST") -> None:
        self.module = module
        self.content = content
        self.now = start
        created = Table.create(module, content, table_id="sim", seed=seed, at=start,
                               room_code=room_code, options=options)
        if not isinstance(created, Accepted):
            raise UnexpectedRejection(f"could not create the table: {created.detail}")
        self.table: Table = created.table
        self.log: list[Event] = [created.event]

    # -- time ----------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        """Move the simulated clock forward (nothing is sent)."""
        self.now += timedelta(seconds=seconds)

    def _stamp(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now

    # -- sending -------------------------------------------------------------------------

    def send(self, action: Any) -> Result:
        """Apply an action; on acceptance the table and log move on.

        Like the hub, after a clock jump it first sends the tick the engine asks for.
        """
        result = self.table.apply(action)
        if isinstance(result, Rejected) and result.reason is Reason.needs_tick:
            ticked = self.table.apply(Tick(at=action.at))
            if isinstance(ticked, Accepted):
                self.table = ticked.table
                self.log.append(ticked.event)
            result = self.table.apply(action)
        if isinstance(result, Accepted):
            self.table = result.table
            self.log.append(result.event)
        return result

    def _must(self, result: Result) -> Accepted:
        if isinstance(result, Rejected):
            raise UnexpectedRejection(
                f"{result.reason.value}: {result.message.pick('en')} {result.detail}".strip())
        return result

    def join(self, nickname: str | None = None, avatar: Avatar | None = None,
             member: str | None = None) -> str:
        """A new seat; returns its id."""
        index = self.table.meta.seats_made
        nickname = nickname or NAMES[index % len(NAMES)]
        icons, colours = list(AvatarIcon), list(AvatarColour)
        avatar = avatar or Avatar(icon=icons[index % len(icons)],
                                  colour=colours[index % len(colours)])
        self._must(self.send(Join(at=self._stamp(), nickname=nickname, avatar=avatar,
                                  member=member)))
        return self.table.meta.seats[-1].id

    def join_many(self, count: int) -> list[str]:
        return [self.join() for _ in range(count)]

    def start(self) -> None:
        self._must(self.send(StartTable(at=self._stamp())))

    def try_move(self, seat: str | None, name: str, **payload: Any) -> Result:
        return self.send(MakeMove(at=self._stamp(), seat=seat, name=name, payload=payload))

    def move(self, seat: str | None, name: str, **payload: Any) -> Accepted:
        return self._must(self.try_move(seat, name, **payload))

    def leader_move(self, name: str, **payload: Any) -> Accepted:
        return self.move(None, name, **payload)

    def try_pass(self, seat: str) -> Result:
        return self.send(PassTurn(at=self._stamp(), seat=seat))

    def pass_turn(self, seat: str) -> Accepted:
        return self._must(self.try_pass(seat))

    def leave(self, seat: str, removed_by_leader: bool = False) -> Accepted:
        return self._must(self.send(Leave(at=self._stamp(), seat=seat,
                                          removed_by_leader=removed_by_leader)))

    def disconnect(self, seat: str) -> Accepted:
        return self._must(self.send(Presence(at=self._stamp(), seat=seat, connected=False)))

    def reconnect(self, seat: str) -> Accepted:
        return self._must(self.send(Presence(at=self._stamp(), seat=seat, connected=True)))

    def pause(self) -> Accepted:
        return self._must(self.send(PauseTable(at=self._stamp())))

    def resume(self) -> Accepted:
        return self._must(self.send(ResumeTable(at=self._stamp())))

    def skip(self) -> Accepted:
        return self._must(self.send(SkipTurn(at=self._stamp())))

    def end(self) -> Accepted:
        return self._must(self.send(EndTable(at=self._stamp())))

    def hint(self, text: str, to: str | None = None) -> Accepted:
        return self._must(self.send(GiveHint(at=self._stamp(), text=text, to=to)))

    def set_timer(self, seconds: int | None, extend: int = 0) -> Accepted:
        return self._must(self.send(SetTimer(at=self._stamp(), seconds=seconds, extend=extend)))

    def tick(self) -> Result:
        """Send a tick at the current simulated time (without moving the clock)."""
        return self.send(Tick(at=self.now))

    # -- reading -------------------------------------------------------------------------

    @property
    def current(self) -> str | None:
        return self.table.meta.turn.current

    @property
    def status(self) -> TableStatus:
        return self.table.status

    @property
    def state(self) -> Any:
        return self.table.state

    def controls(self, seat: str) -> SeatControls:
        return self.table.controls(seat)

    def scene(self) -> Scene:
        return self.table.scene()

    def facts(self, kind: str | None = None, seat: str | None = None) -> list[Fact]:
        """Facts in the log, optionally of one kind and/or one seat."""
        return [f for e in self.log for f in e.facts
                if (kind is None or f.kind == kind) and (seat is None or f.seat == seat)]

    def assert_replays(self) -> Table:
        """Replay the log from the start and check it gives exactly this table."""
        again = replay(self.module, self.content, self.log)
        if again.fingerprint() != self.table.fingerprint():
            raise AssertionError("replaying the log gave a different table")
        return again

    def play(self, policy: Callable[[SimulatedTable, str], None], max_actions: int = 1000) -> int:
        """Let ``policy(sim, seat)`` act for whoever is asked something, until the game ends.

        Returns the number of turns played.
        """
        turns = 0
        while self.status is TableStatus.playing and turns < max_actions:
            pending = [s.id for s in self.table.meta.seats if self.table.pending(s.id)]
            if not pending:
                break
            for seat in pending:
                if self.status is TableStatus.playing and self.table.pending(seat):
                    policy(self, seat)
                    turns += 1
        return turns


def check_module(module: GameModule[Any], content: Any = None, *, screen: bool = True,
                 **kwargs: Any) -> Any:
    """The module kit's conformance check (:func:`engine.kit.check_module`), for a module's
    own tests: seeded random sessions at every seat count it claims, and (with ``screen``)
    every scene drawn offscreen in every language of its content. Returns a
    :class:`engine.kit.Report`::

        report = check_module(module)
        assert report.ok, report.text()
    """
    # Imported here: the screen check needs pygame, which the rest of this kit (and the
    # engine core that imports it) must not load. Only a test that asks for it pays for it.
    if screen:
        from .screen.kitcheck import check_module as with_screen

        return with_screen(module, content, **kwargs)
    from .kit import check_module as without_screen

    return without_screen(module, content, **kwargs)
