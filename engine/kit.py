"""The module kit: a conformance check anyone runs on any game module.

:func:`check_module` plays seeded random sessions, legal and illegal, at every seat count the
module claims (a few of them when it claims many) and checks what every module must do:

- nothing it does raises (a move, a hook or a view that raises is a bug in the module);
- a refused action changes nothing, not even the table it was refused on;
- pass is offered, and accepted, whenever something is asked of a seat;
- replaying the log gives the same table, and the table survives being written as JSON;
- no fact carries text a participant typed (facts go to the records; answers stay private);
- its content validates, and (given a ``screen`` check, see
  :func:`engine.screen.kitcheck.screen_problems`) every scene it showed fits the shared
  screen in every language of its content.

This module is pure: the screen check comes in as a function, so that the engine core stays
free of pygame. ``piiri check-game NAME`` and :func:`engine.testing.check_module` pass it in.

Example::

    report = check_module(find_game("circle"), load_game_content("circle"))
    assert report.ok, report.text()
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .actions import (
    Join,
    Leave,
    MakeMove,
    PassTurn,
    PauseTable,
    Presence,
    ResumeTable,
    SkipTurn,
)
from .content import ContentError, ContentFile, content_root, load_content_dir
from .controls import Reaction, SeatControls
from .module import Flow, GameModule, Who
from .scene import Avatar, AvatarColour, AvatarIcon, Scene
from .table import Accepted, Reason, Rejected, Snapshot, Table, TableStatus
from .testing import SimulatedTable
from .text import EASY_FINNISH

__all__ = ["BrowserCheck", "Check", "Report", "ScreenCheck", "check_module",
           "load_module_content", "play_randomly", "random_payload"]

ScreenCheck = Callable[[Scene, str], list[str]]
"""Draws a scene in a language and returns what did not fit, one plain sentence each."""
BrowserCheck = Callable[[list[Scene], list[SeatControls], list[str]],
                        tuple[list[str], list[str]]]
"""Shows scenes on the browser screen and controls lists in the tablet client, in each of the
languages; returns (what did not fit on the screen, what axe-core found on the tablet), one
plain sentence each. :mod:`facilitator.live.kitbrowser` makes one with Chromium."""

#: Languages a module without content is checked in.
FIRST_CLASS = ["fi", "sv", "en", EASY_FINNISH]
#: At most this many seat counts are played (the smallest ones and the largest).
SEAT_COUNTS = 4
#: Actions per session.
ACTIONS = 120
#: Scenes per module and language drawn by the screen check (the longest texts first).
SCENES = 12
#: Problems kept per check (the count says how many there were).
KEEP = 5


@dataclass
class Check:
    """One thing the kit checks, with what it found wrong (nothing, when it passed)."""

    name: str
    what: str
    problems: list[str] = field(default_factory=list)
    count: int = 0
    """How many problems there were (``problems`` keeps the first few)."""

    @property
    def ok(self) -> bool:
        return self.count == 0

    def fail(self, sentence: str) -> None:
        self.count += 1
        if len(self.problems) < KEEP and sentence not in self.problems:
            self.problems.append(sentence)


@dataclass
class Report:
    """What :func:`check_module` found, check by check. ``text()`` is the plain report."""

    game: str
    checks: dict[str, Check] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks.values())

    def check(self, name: str) -> Check:
        return self.checks[name]

    def text(self) -> str:
        lines = [f"Checking the activity '{self.game}':"]
        lines += [f"  {note}" for note in self.notes]
        for check in self.checks.values():
            lines.append(f"{'ok  ' if check.ok else 'FAIL'}  {check.what}")
            lines += [f"        - {problem}" for problem in check.problems]
            if check.count > len(check.problems):
                lines.append(f"        … {check.count - len(check.problems)} more like these")
        failed = sum(1 for check in self.checks.values() if not check.ok)
        lines.append(f"'{self.game}' passes every check." if not failed else
                     f"'{self.game}' fails {failed} of {len(self.checks)} checks.")
        return "\n".join(lines)


def load_module_content(module: GameModule[Any]) -> Any:
    """The content of ``module`` from its content folder (under ``content/``, or wherever an
    absolute ``content_dir`` points), without needing the module to be installed.

    Raises:
        ContentError: naming the file, line and field of every problem.
    """
    if module.content_type is None or module.content_dir is None:
        return None
    root = content_root()
    return load_content_dir(root / module.content_dir, module.content_type, root)


def check_module(module: GameModule[Any], content: Any = None, *,
                 screen: ScreenCheck | None = None, seeds: tuple[int, ...] = (1, 2),
                 actions: int = ACTIONS, browser: BrowserCheck | None = None) -> Report:
    """Check that ``module`` keeps the contract; see the module docstring for what is checked.

    Args:
        module: the game module.
        content: its loaded content; ``None`` loads it from the module's content folder.
        screen: draws a scene in a language and says what did not fit; ``None`` skips the
            screen check (it needs pygame: :func:`engine.testing.check_module` brings it).
        seeds: one session per seed at each seat count.
        actions: actions per session.
        browser: shows the scenes on the browser screen and the controls lists in the tablet
            client and says what went wrong; ``None`` (the default) leaves the browser out.

    Returns:
        A :class:`Report`; ``report.ok`` is whether every check passed.
    """
    report = Report(module.id)
    for name, what in [
        ("content", "content validates"),
        ("raises", "nothing raises (moves, hooks and views)"),
        ("refusals", "a refused action changes nothing"),
        ("pass", "pass is offered and accepted whenever something is asked of a seat"),
        ("replay", "replaying the log gives the same table"),
        ("serialise", "the table survives being written as JSON and read back"),
        ("privacy", "no fact carries text a participant typed"),
        ("screen", "every scene fits the shared screen in every language"),
    ]:
        report.checks[name] = Check(name, what)
    if browser is not None:
        report.checks["browser_screen"] = Check(
            "browser_screen", "every scene fits the browser screen in every language")
        report.checks["tablet"] = Check(
            "tablet", "every controls list passes axe-core in the tablet client")
    if content is None and module.content_type is not None:
        try:
            content = load_module_content(module)
        except ContentError as error:
            for problem in error.problems:
                report.check("content").fail(str(problem))
            report.notes.append("The content does not load, so no session could be played.")
            return report
    scenes: dict[str, Scene] = {}
    tablets: dict[str, SeatControls] = {}
    counts = seat_counts(module)
    played = 0
    for seats in counts:
        for seed in seeds:
            played += _Session(module, content, seats, seed, report, scenes,
                               tablets).run(actions)
    report.notes.append(f"Played {len(counts) * len(seeds)} seeded sessions at "
                        f"{', '.join(map(str, counts))} seats ({played} actions) and saw "
                        f"{len(scenes)} different scenes.")
    languages = content_languages(content)
    if screen is None:
        report.checks["screen"].what += " (not drawn: no screen check given)"
    else:
        report.checks["screen"].what += f" ({', '.join(languages)})"
        chosen = _choose(list(scenes.values()))
        for language in languages:
            for scene in chosen:
                try:
                    for trouble in screen(scene, language):
                        report.check("screen").fail(f"[{language}] {trouble}")
                except Exception as error:  # a scene the renderer cannot draw is a failure
                    report.check("screen").fail(f"[{language}] drawing the scene "
                                                f"'{_plain(scene.title, language)}' raised "
                                                f"{type(error).__name__}: {error}")
    if browser is not None:
        chosen_controls = _choose_controls(list(tablets.values()))
        report.checks["tablet"].what += f" ({len(chosen_controls)} different lists)"
        try:
            on_screen, on_tablet = browser(_choose(list(scenes.values())), chosen_controls,
                                           languages)
        except Exception as error:  # no browser, or the page broke: say so, never pass
            report.check("browser_screen").fail(f"the browser check could not run: "
                                                f"{type(error).__name__}: {error}")
        else:
            for sentence in on_screen:
                report.check("browser_screen").fail(sentence)
            for sentence in on_tablet:
                report.check("tablet").fail(sentence)
    return report


def _choose_controls(lists: list[SeatControls]) -> list[SeatControls]:
    """One controls list of each shape (the kinds of its items in order), the one with the
    most text, at most ``SCENES * 2`` of them."""
    best: dict[tuple[str, ...], SeatControls] = {}
    for controls in lists:
        shape = tuple(item.kind for item in controls.items)
        held = best.get(shape)
        if held is None or len(controls.model_dump_json()) > len(held.model_dump_json()):
            best[shape] = controls
    return sorted(best.values(), key=lambda c: -len(c.model_dump_json()))[:SCENES * 2]


def seat_counts(module: GameModule[Any]) -> list[int]:
    """The seat counts the kit plays: the smallest few the module claims, and its largest."""
    low, high = module.min_seats, module.max_seats
    counts = list(range(low, min(high, low + SEAT_COUNTS - 2) + 1))
    if high not in counts:
        counts.append(high)
    return counts


def content_languages(content: Any) -> list[str]:
    """Every language the content's files say they are in (the first-class four without
    content)."""
    found: list[str] = []
    for item in _content_files(content):
        found += [tag for tag in item.translations if tag not in found]
    return found or list(FIRST_CLASS)


def _content_files(value: Any) -> Iterator[ContentFile]:
    if isinstance(value, ContentFile):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _content_files(item)
    elif isinstance(value, BaseModel):
        root = getattr(value, "root", None)
        if root is not None and not type(value).model_fields.keys() - {"root"}:
            yield from _content_files(root)
            return
        for name in type(value).model_fields:
            yield from _content_files(getattr(value, name))


def _plain(text: Any, language: str) -> str:
    pick = getattr(text, "pick", None)
    return str(pick(language)) if pick is not None else str(text or "")


def _choose(scenes: list[Scene]) -> list[Scene]:
    """The scenes most likely not to fit: those with the most text first, then one of each
    layout not chosen yet."""
    ranked = sorted(scenes, key=lambda scene: -len(scene.model_dump_json()))
    chosen = ranked[:SCENES]
    layouts = {scene.layout for scene in chosen}
    for scene in ranked[SCENES:]:
        if scene.layout not in layouts:
            chosen.append(scene)
            layouts.add(scene.layout)
    return chosen


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def random_payload(control: Any, pick: random.Random, typed: set[str]) -> dict[str, Any]:
    """What a tablet would send for ``control``, with a random value in it (the kind of value
    the control asks for: one of its options, a code of its alphabet, a number in its range…).
    Text typed into a free-text control is added to ``typed``."""
    kind = control.kind
    value: Any
    if kind in ("button", "die"):
        return dict(control.payload)
    if kind in ("choice", "vote"):
        values = [option.value for option in control.options]
        if kind == "choice" and control.multiple:
            value = pick.sample(values, pick.randint(0, len(values))) if values else []
        else:
            value = pick.choice(values) if values else ""
    elif kind == "code":
        symbols = {"digits": "1234567890", "letters": "ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ",
                   "colours": ["red", "yellow", "green", "blue"],
                   "directions": ["up", "right", "down", "left"]}[control.alphabet.value]
        keys = [pick.choice(list(symbols)) for _ in range(control.length)]
        value = "".join(keys) if control.alphabet.value in ("digits", "letters") else keys
    elif kind == "slider":
        value = pick.randint(control.minimum, control.maximum)
    elif kind == "scale5":
        value = pick.randint(1, 5)
    elif kind == "free_text":
        value = f"Oma vastaukseni {len(typed) + 1} kissoista ja kahvista"
        value = value[: control.max_length]
        typed.add(value)
    elif kind == "reactions":
        value = pick.choice(list(control.reactions) or list(Reaction)).value
    elif kind == "order":
        value = [option.value for option in control.items]
        pick.shuffle(value)
    elif kind == "match":
        rights = [option.value for option in control.right]
        value = {option.value: pick.choice(rights) for option in control.left} if rights else {}
    elif kind == "point":
        value = {"x": round(pick.random(), 3), "y": round(pick.random(), 3)}
    elif kind == "consent":
        return {**control.payload, control.field: pick.random() < 0.8,
                "text_id": control.text_id}
    elif kind == "ready":
        value = not control.done
    else:
        return dict(control.payload)
    return {**control.payload, control.field: value}


def play_randomly(sim: SimulatedTable, pick: random.Random, *, actions: int = 400,
                  pass_rate: float = 0.15) -> int:
    """Play a started simulated table the way a group might, using only what each tablet
    shows: whoever is asked something taps one of their controls with a value it offers (or
    passes, now and then, and when a tap is refused); with nobody asked, someone taps
    something they may (a free room), else the leader makes one of the game's moves. Stops
    when the game ends, after ``actions`` actions, or when nobody can do anything more; the
    caller ends the table then if it wants to. Works for any module, knowing none of its moves.

    Returns:
        How many actions were sent.

    Example::

        sim = SimulatedTable(find_game("story"), load_game_content("story"), seed=2)
        sim.join_many(3)
        sim.start()
        play_randomly(sim, random.Random(2))
    """
    typed: set[str] = set()
    leader = [name for name, move in sim.module.moves.items() if move.who is Who.facilitator]
    sent = 0
    idle = 0
    while sim.status is not TableStatus.ended and sent < actions and idle < 20:
        if sim.status is TableStatus.paused:
            sim.send(ResumeTable(at=sim._stamp()))
            sent += 1
            continue
        present = [seat.id for seat in sim.table.meta.seats if not seat.gone]
        pending = [seat for seat in present if sim.table.pending(seat)]
        offered: list[tuple[str, Any]] = [
            (seat, item) for seat in (pending or present)
            for item in sim.table.controls(seat).items if getattr(item, "move", None)
            and not (item.kind == "ready" and item.done)]  # nobody takes back "I'm ready"
        sent += 1
        if pending and (not offered or pick.random() < pass_rate):
            sim.send(PassTurn(at=sim._stamp(), seat=pick.choice(pending)))
            idle = 0
            continue
        if offered:
            seat, control = pick.choice(offered)
            result = sim.send(MakeMove(at=sim._stamp(), seat=seat, name=control.move,
                                       payload=random_payload(control, pick, typed)))
            if isinstance(result, Rejected) and seat in pending:
                sim.send(PassTurn(at=sim._stamp(), seat=seat))
            idle = 0 if isinstance(result, Accepted) or seat in pending else idle + 1
            continue
        if leader:
            result = sim.send(MakeMove(at=sim._stamp(), seat=None, name=pick.choice(leader),
                                       payload={}))
            idle = 0 if isinstance(result, Accepted) else idle + 1
            continue
        break
    return sent


class _Session:
    """One seeded random session at one seat count."""

    def __init__(self, module: GameModule[Any], content: Any, seats: int, seed: int,
                 report: Report, scenes: dict[str, Scene],
                 tablets: dict[str, SeatControls] | None = None) -> None:
        self.module = module
        self.content = content
        self.seats = seats
        self.seed = seed
        self.report = report
        self.scenes = scenes
        self.tablets = tablets if tablets is not None else {}
        self.random = random.Random(seed * 1000 + seats)
        self.typed: set[str] = set()
        self.where = f"{seats} seats, seed {seed}"
        self.sim: SimulatedTable | None = None

    def fail(self, check: str, sentence: str) -> None:
        self.report.check(check).fail(f"{sentence} ({self.where})")

    # -- the session ---------------------------------------------------------------------

    def run(self, actions: int) -> int:
        try:
            self.sim = SimulatedTable(self.module, self.content, seed=self.seed)
            self.sim.join_many(self.seats)
            self.see()
            self.sim.start()
        except Exception as error:  # setup, a join hook or the lobby view raised
            self.fail("raises", f"starting a table raised {type(error).__name__}: {error}")
            return 0
        done = 0
        for done in range(1, actions + 1):  # noqa: B007
            if self.sim.status is TableStatus.ended or not self.see():
                break
            if not self.step():
                break
        self.see()
        self.finish()
        return done

    def step(self) -> bool:
        """One random action, legal or not; ``False`` when nothing more can be done."""
        sim = self.sim
        assert sim is not None
        roll = self.random.random()
        present = [s.id for s in sim.table.meta.seats if not s.gone]
        pending = [seat for seat in present if sim.table.pending(seat)]
        if roll < 0.15:
            self.illegal(present, pending)
            return True
        if roll < 0.25 and pending:
            self.pass_turn(self.random.choice(pending))
            return True
        if roll < 0.30:
            self.engine_action(present)
            return True
        offered = [(seat, control) for seat in (pending if pending and roll < 0.8 else present)
                   for control in self.interactive(seat)]
        leader = [name for name, move in self.module.moves.items()
                  if move.who is Who.facilitator]
        if not offered:
            if pending:
                self.pass_turn(self.random.choice(pending))
                return True
            if leader:
                self.send(MakeMove(at=sim._stamp(), seat=None, name=self.random.choice(leader),
                                   payload={}), "a leader's move")
                return True
            return False
        if leader and self.random.random() < 0.05:
            self.send(MakeMove(at=sim._stamp(), seat=None, name=self.random.choice(leader),
                               payload={}), "a leader's move")
            return True
        seat, control = self.random.choice(offered)
        payload = self.payload(control)
        self.send(MakeMove(at=sim._stamp(), seat=seat, name=control.move, payload=payload),
                  f"the move '{control.move}' from a {control.kind} control")
        return True

    def interactive(self, seat: str) -> list[Any]:
        assert self.sim is not None
        return [item for item in self.sim.table.controls(seat).items
                if getattr(item, "move", None)]

    def payload(self, control: Any) -> dict[str, Any]:
        """What a tablet would send for ``control``, with a random value in it."""
        return random_payload(control, self.random, self.typed)

    def pass_turn(self, seat: str) -> None:
        assert self.sim is not None
        result = self.send(PassTurn(at=self.sim._stamp(), seat=seat), "passing")
        if isinstance(result, Rejected) and result.reason is not Reason.game_error:
            self.fail("pass", f"seat {seat} was asked something but passing was refused "
                              f"({result.reason.value})")

    def engine_action(self, present: list[str]) -> None:
        sim = self.sim
        assert sim is not None
        choice = self.random.randrange(4)
        if choice == 0:
            self.send(SkipTurn(at=sim._stamp()), "the leader skipping")
        elif choice == 1:
            if isinstance(self.send(PauseTable(at=sim._stamp()), "pausing"), Accepted):
                seat = present[0] if present else None
                if seat is not None and self.interactive(seat):
                    control = self.interactive(seat)[0]
                    self.illegal_send(MakeMove(at=sim._stamp(), seat=seat, name=control.move,
                                               payload=self.payload(control)),
                                      "a move while the table is paused")
                self.send(ResumeTable(at=sim._stamp()), "resuming")
        elif choice == 2 and present:
            seat = self.random.choice(present)
            self.send(Presence(at=sim._stamp(), seat=seat, connected=False), "a tablet dropping")
            self.send(Presence(at=sim._stamp(), seat=seat, connected=True), "a tablet back")
        elif len(present) < self.module.max_seats:
            avatar = Avatar(icon=self.random.choice(list(AvatarIcon)),
                            colour=self.random.choice(list(AvatarColour)))
            self.send(Join(at=sim._stamp(), nickname=f"Myöhässä {sim.table.meta.seats_made}",
                           avatar=avatar), "a late-comer joining")
        elif present and len(present) > self.module.min_seats:
            self.send(Leave(at=sim._stamp(), seat=self.random.choice(present)), "leaving")

    def illegal(self, present: list[str], pending: list[str]) -> None:
        """An action the engine must refuse, whatever the game."""
        sim = self.sim
        assert sim is not None
        turn_moves = [name for name, move in self.module.moves.items() if move.who is Who.turn]
        tablet_moves = [name for name, move in self.module.moves.items()
                        if move.who is not Who.facilitator]
        leader_moves = [name for name, move in self.module.moves.items()
                        if move.who is Who.facilitator]
        flow = self.module.phases[sim.table.meta.turn.phase].flow \
            if sim.table.meta.turn.phase in self.module.phases else None
        options: list[tuple[Any, str]] = [
            (MakeMove(at=sim._stamp(), seat=self.random.choice(present) if present else "s1",
                      name="kit_no_such_move", payload={}), "a move the game does not have"),
            (MakeMove(at=sim._stamp(), seat="s999", name=self.random.choice(tablet_moves)
                      if tablet_moves else "kit", payload={}), "a move from a seat not there"),
        ]
        waiting = [seat for seat in present if seat not in pending]
        if waiting and flow is not Flow.free:
            options.append((PassTurn(at=sim._stamp(), seat=self.random.choice(waiting)),
                            "a pass from a seat nothing is asked of"))
            if turn_moves and flow is Flow.turns:
                options.append((MakeMove(at=sim._stamp(), seat=self.random.choice(waiting),
                                         name=self.random.choice(turn_moves), payload={}),
                                "a move out of turn"))
        if leader_moves and present:
            options.append((MakeMove(at=sim._stamp(), seat=self.random.choice(present),
                                     name=self.random.choice(leader_moves), payload={}),
                            "a leader's move from a tablet"))
        if tablet_moves:
            options.append((MakeMove(at=sim._stamp(), seat=None,
                                     name=self.random.choice(tablet_moves), payload={}),
                            "a tablet's move from the panel"))
        action, what = self.random.choice(options)
        self.illegal_send(action, what)
        # A payload nobody's tablet sends: it may be refused or ignored, but must not break.
        offered = [control for seat in present for control in self.interactive(seat)]
        if offered:
            control = self.random.choice(offered)
            seat = next((s for s in present if control in self.interactive(s)), None)
            self.send(MakeMove(at=sim._stamp(), seat=seat, name=control.move,
                               payload={**control.payload, control.field: {"kit": [None, 1e9]},
                                        "kit_extra": "x" * 300}),
                      f"the move '{control.move}' with a malformed payload")

    # -- sending, with the checks every action gets ---------------------------------------

    def send(self, action: Any, what: str) -> Any:
        sim = self.sim
        assert sim is not None
        before = sim.table
        fingerprint = before.fingerprint()
        result = sim.send(action)
        if isinstance(result, Rejected):
            if result.reason is Reason.game_error:
                self.fail("raises", f"{what} raised {result.detail}")
            if sim.table is not before or before.fingerprint() != fingerprint:
                self.fail("refusals", f"{what} was refused ({result.reason.value}) but the "
                                      "table changed")
        return result

    def illegal_send(self, action: Any, what: str) -> None:
        result = self.send(action, what)
        if isinstance(result, Accepted):
            self.fail("refusals", f"{what} was accepted; it should be refused")

    # -- what every state must allow -------------------------------------------------------

    def see(self) -> bool:
        """Every view of the table as it is now; ``False`` if one raised."""
        sim = self.sim
        assert sim is not None
        table = sim.table
        try:
            scene = table.scene()
            self.scenes.setdefault(scene.model_dump_json(), scene)
            table.facilitator_view()
            for seat in table.meta.seats:
                if seat.gone:
                    continue
                controls = table.controls(seat.id)
                if controls.items:
                    self.tablets.setdefault(controls.model_dump_json(), controls)
                if table.pending(seat.id) and not any(i.kind == "pass" for i in controls.items):
                    self.fail("pass", f"seat {seat.id} is asked something but has no pass")
        except Exception as error:
            self.fail("raises", f"a view of the table raised {type(error).__name__}: {error}")
            return False
        if table.meta.seq % 5 == 0 or table.status is TableStatus.ended:
            self.serialise(table)
        return True

    def serialise(self, table: Table) -> None:
        try:
            text = table.snapshot().model_dump_json()
            again = Table.restore(self.module, self.content, Snapshot.model_validate_json(text))
        except Exception as error:
            self.fail("serialise", f"the table at event {table.seq} could not be written and "
                                   f"read back: {type(error).__name__}: {error}")
            return
        if again.fingerprint() != table.fingerprint():
            self.fail("serialise", f"the table at event {table.seq} read back from JSON is not "
                                   "the same table")

    def finish(self) -> None:
        sim = self.sim
        assert sim is not None
        try:
            sim.assert_replays()
        except Exception as error:
            self.fail("replay", f"replaying {len(sim.log)} events: {error}")
        for fact in sim.facts():
            for text in _strings(fact.data):
                if any(typed in text for typed in self.typed):
                    self.fail("privacy", f"the fact '{fact.kind}' carries the text a "
                                         f"participant typed: '{text[:60]}'")
