"""Calm animation that helps the group follow a change: it is never needed to understand it.

The server sends a whole new scene after every change; on its own the screen would jump from one
picture to the next. The :class:`Animator` compares each new scene with the one before and, for
a moment (400–800 ms), eases the difference in:

- a token walks space by space to where it landed, with a small hop on each space; when exactly
  one token moved forward one to six spaces, a die first tumbles and settles on that number;
- a card turns over when a new card is drawn or a card is turned face up or down;
- vote-tally bars fill from the old counts to the new;
- a person who joins fades in on the lobby;
- a reaction whose count grows pops gently (its disc swells a little and settles).

Drawing asks the animator where things are now; it never changes the scene. Everything can be
skipped (any key or click on the screen window) and nothing moves in reduced-motion mode, where
every change is shown at once. The first scene a screen receives is shown as it is: a screen
that connects mid-game has nothing to compare with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from engine.scene import (
    BoardElement,
    CardElement,
    DieElement,
    ReactionsElement,
    RosterElement,
    Scene,
    VoteTallyElement,
)

__all__ = ["CARD_TURN_MS", "DIE_MS", "Animator", "CardTurn", "DieRoll", "ease"]

CARD_TURN_MS = 650
DIE_MS = 450
TALLY_MS = 600
APPEAR_MS = 500
STEP_MS = 170
WALK_MIN_MS = 400
WALK_MAX_MS = 800
DIE_LINGER_MS = 650
DIE_FADE_MS = 300
POP_MS = 450
#: How much larger a reaction's disc is at the height of its pop.
POP_GROW = 0.18


def ease(t: float) -> float:
    """Ease in and out (cubic): slow start, slow end, for 0 ≤ t ≤ 1."""
    t = min(1.0, max(0.0, t))
    return 4 * t * t * t if t < 0.5 else 1 - (-2 * t + 2) ** 3 / 2


@dataclass
class _Walk:
    start: int
    steps: int  # signed: negative walks backwards
    size: int
    begin_ms: int
    step_ms: float

    @property
    def end_ms(self) -> int:
        return self.begin_ms + round(abs(self.steps) * self.step_ms)

    def position(self, now_ms: int) -> float:
        elapsed = now_ms - self.begin_ms
        if elapsed <= 0:
            return float(self.start)
        done = min(elapsed / self.step_ms, abs(self.steps))
        whole = math.floor(done)
        frac = ease(done - whole) if whole < abs(self.steps) else 0.0
        travelled = whole + frac
        return (self.start + math.copysign(travelled, self.steps)) % self.size


@dataclass(frozen=True)
class DieRoll:
    """The die shown while a token's move is explained: ``face`` now, tilted ``angle``
    degrees, faded to ``alpha`` (0–255)."""

    face: int
    angle: float
    alpha: int
    seat: str
    space: int


@dataclass(frozen=True)
class CardTurn:
    """A card half way through turning: ``squeeze`` is its width now (1 = full), ``showing``
    the card face seen now (None: its back)."""

    squeeze: float
    showing: CardElement | None


@dataclass
class _Anim:
    walks: dict[str, _Walk] = field(default_factory=dict)
    die: tuple[int, str, int, int, int] | None = None  # face, seat, space, begin, end
    cards: dict[int, tuple[CardElement | None, int]] = field(default_factory=dict)
    tallies: dict[int, tuple[list[int], int]] = field(default_factory=dict)
    appear: dict[str, int] = field(default_factory=dict)
    pops: dict[str, int] = field(default_factory=dict)


def _of_kind(scene: Scene, kind: type) -> list:  # type: ignore[type-arg]
    return [e for e in scene.elements if isinstance(e, kind)]


def _card_face(card: CardElement) -> CardElement | None:
    return card if card.face_up else None


class Animator:
    """Eases each change of scene in; asked by the renderer where things are at a moment.

    Example::

        animator = Animator()
        animator.update(first_scene, now_ms=0)     # shown at once
        animator.update(second_scene, now_ms=1000) # token walks, card turns...
        while animator.active(now_ms):
            render(second_scene, surface, motion=animator, now_ms=now_ms)
    """

    def __init__(self, *, reduced_motion: bool = False) -> None:
        self.reduced_motion = reduced_motion
        self.scene: Scene | None = None
        self.scene_at_ms = 0
        self._anim = _Anim()
        self._end_ms = 0

    # -- receiving scenes -------------------------------------------------------------------

    def update(self, scene: Scene, now_ms: int) -> None:
        """Take the new ``scene`` that arrived at ``now_ms`` and plan how to ease it in."""
        previous, self.scene, self.scene_at_ms = self.scene, scene, now_ms
        if previous is None or self.reduced_motion:
            self._anim = _Anim()
            self._end_ms = now_ms
            return
        anim = _Anim()
        ends = [now_ms]
        ends.append(self._plan_board(previous, scene, now_ms, anim))
        ends.append(self._plan_cards(previous, scene, now_ms, anim))
        ends.append(self._plan_tallies(previous, scene, now_ms, anim))
        ends.append(self._plan_appear(previous, scene, now_ms, anim))
        ends.append(self._plan_pops(previous, scene, now_ms, anim))
        self._anim = anim
        self._end_ms = max(ends)

    def _plan_board(self, previous: Scene, scene: Scene, now_ms: int, anim: _Anim) -> int:
        old_boards = _of_kind(previous, BoardElement)
        new_boards = _of_kind(scene, BoardElement)
        if not old_boards or not new_boards:
            return now_ms
        old, new = old_boards[0], new_boards[0]
        size = len(new.spaces)
        if size == 0 or len(old.spaces) != size:
            return now_ms
        before = {t.seat: t.space for t in old.tokens}
        moves: dict[str, int] = {}
        for token in new.tokens:
            if token.seat not in before or before[token.seat] == token.space:
                continue
            forward = (token.space - before[token.seat]) % size
            moves[token.seat] = forward if forward <= size // 2 else forward - size
        if not moves:
            return now_ms
        begin = now_ms
        # A die tumbles only when the game says one was rolled (a new DieElement.roll).
        dice = _of_kind(scene, DieElement)
        old_dice = _of_kind(previous, DieElement)
        if dice and (not old_dice or old_dice[0].roll != dice[0].roll):
            rolled = dice[0]
            seat = rolled.seat if rolled.seat in moves else next(iter(moves))
            begin = now_ms + DIE_MS
            anim.die = (min(max(rolled.value, 1), 6), seat, before[seat], now_ms, 0)
        end = begin
        for seat, steps in moves.items():
            walk_ms = min(WALK_MAX_MS, max(WALK_MIN_MS, abs(steps) * STEP_MS))
            walk = _Walk(start=before[seat] % size, steps=steps, size=size, begin_ms=begin,
                         step_ms=walk_ms / abs(steps))
            anim.walks[seat] = walk
            end = max(end, walk.end_ms)
        if anim.die is not None:
            # The die shows its number while the token sets off, then fades: it may cover a
            # corner of the card, so it does not stay for the whole walk.
            face, seat, space, start, _ = anim.die
            anim.die = (face, seat, space, start, start + DIE_MS + DIE_LINGER_MS)
            end = max(end, start + DIE_MS + DIE_LINGER_MS)
        return end

    def _plan_cards(self, previous: Scene, scene: Scene, now_ms: int, anim: _Anim) -> int:
        old_cards = _of_kind(previous, CardElement)
        end = now_ms
        for index, card in enumerate(_of_kind(scene, CardElement)):
            old = old_cards[index] if index < len(old_cards) else None
            if old is not None and old == card:
                continue
            if old is None and not card.face_up:
                continue
            anim.cards[index] = (_card_face(old) if old is not None else None, now_ms)
            end = now_ms + CARD_TURN_MS
        return end

    def _plan_tallies(self, previous: Scene, scene: Scene, now_ms: int, anim: _Anim) -> int:
        old_tallies = _of_kind(previous, VoteTallyElement)
        end = now_ms
        for index, tally in enumerate(_of_kind(scene, VoteTallyElement)):
            old = old_tallies[index] if index < len(old_tallies) else None
            same_rows = old is not None and [r.label for r in old.rows] == [
                r.label for r in tally.rows]
            before = [r.count for r in old.rows] if old is not None and same_rows else [
                0] * len(tally.rows)
            if before == [r.count for r in tally.rows]:
                continue
            anim.tallies[index] = (before, now_ms)
            end = now_ms + TALLY_MS
        return end

    def _plan_appear(self, previous: Scene, scene: Scene, now_ms: int, anim: _Anim) -> int:
        seen = {e.seat for r in _of_kind(previous, RosterElement) for e in r.entries}
        end = now_ms
        for roster in _of_kind(scene, RosterElement):
            for entry in roster.entries:
                if entry.seat not in seen:
                    anim.appear[entry.seat] = now_ms
                    end = now_ms + APPEAR_MS
        return end

    def _plan_pops(self, previous: Scene, scene: Scene, now_ms: int, anim: _Anim) -> int:
        new = _of_kind(scene, ReactionsElement)
        if not new:
            return now_ms
        old = [e for e in _of_kind(previous, ReactionsElement) if e.seat == new[0].seat]
        before = {c.reaction.value: c.count for c in old[0].counts} if old else {}
        end = now_ms
        for count in new[0].counts:
            if count.count > before.get(count.reaction.value, 0):
                anim.pops[count.reaction.value] = now_ms
                end = now_ms + POP_MS
        return end

    # -- control ----------------------------------------------------------------------------

    def skip(self) -> None:
        """Finish every animation now: the scene shows as it is."""
        self._anim = _Anim()
        self._end_ms = 0

    def active(self, now_ms: int) -> bool:
        """Whether something is still moving at ``now_ms`` (so the screen keeps drawing)."""
        return now_ms < self._end_ms

    # -- asked while drawing ----------------------------------------------------------------

    def token_position(self, seat: str, now_ms: int) -> float | None:
        """Where ``seat``'s token is along the loop (fractional space index), or None when it
        stands where the scene says."""
        walk = self._anim.walks.get(seat)
        if walk is None or now_ms >= walk.end_ms:
            return None
        return walk.position(now_ms)

    def die_roll(self, now_ms: int) -> DieRoll | None:
        """The die explaining a move, tumbling and then settled, or None."""
        if self._anim.die is None:
            return None
        face, seat, space, begin, end = self._anim.die
        if now_ms >= end:
            return None
        elapsed = now_ms - begin
        if elapsed < DIE_MS:
            # Tumble through a fixed sequence of faces that never shows the result early.
            sequence = [f for f in (3, 5, 2, 6, 1, 4, 3, 5) if f != face]
            shown = sequence[(elapsed // 75) % len(sequence)]
            angle = (1 - ease(elapsed / DIE_MS)) * 200.0
            return DieRoll(face=shown, angle=angle, alpha=255, seat=seat, space=space)
        fade = max(0.0, min(1.0, (end - now_ms) / DIE_FADE_MS))
        return DieRoll(face=face, angle=0.0, alpha=round(255 * fade), seat=seat, space=space)

    def card_turn(self, index: int, now_ms: int) -> CardTurn | None:
        """How far the ``index``-th card of the scene has turned, or None when at rest."""
        found = self._anim.cards.get(index)
        if found is None:
            return None
        old_face, begin = found
        t = (now_ms - begin) / CARD_TURN_MS
        if t >= 1:
            return None
        t = ease(max(0.0, t))
        if t < 0.5:
            return CardTurn(squeeze=1 - 2 * t, showing=old_face)
        scene_cards = _of_kind(self.scene, CardElement) if self.scene else []
        card = scene_cards[index] if index < len(scene_cards) else None
        return CardTurn(squeeze=2 * t - 1, showing=_card_face(card) if card else None)

    def tally_counts(self, index: int, now_ms: int) -> list[float] | None:
        """The ``index``-th tally's bar lengths in votes now, or None when they are still."""
        found = self._anim.tallies.get(index)
        if found is None or self.scene is None:
            return None
        before, begin = found
        t = (now_ms - begin) / TALLY_MS
        if t >= 1:
            return None
        tallies = _of_kind(self.scene, VoteTallyElement)
        if index >= len(tallies):
            return None
        e = ease(max(0.0, t))
        return [b + (row.count - b) * e for b, row in zip(before, tallies[index].rows,
                                                           strict=False)]

    def appear(self, seat: str, now_ms: int) -> float:
        """How far ``seat`` has faded in on the roster: 0 just joined, 1 fully there."""
        begin = self._anim.appear.get(seat)
        if begin is None:
            return 1.0
        return ease((now_ms - begin) / APPEAR_MS)

    def reaction_pop(self, reaction: str, now_ms: int) -> float:
        """How large ``reaction``'s disc is drawn now: 1 at rest, a little more for a moment
        after its count grew."""
        begin = self._anim.pops.get(reaction)
        if begin is None:
            return 1.0
        t = (now_ms - begin) / POP_MS
        if not 0 <= t < 1:
            return 1.0
        return 1.0 + POP_GROW * math.sin(math.pi * t)
