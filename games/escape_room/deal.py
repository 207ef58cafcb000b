"""Dealing clues to the tablets: pure functions over plain lists and mappings.

Why it matters: the room is only solved together if each tablet holds something the others
need, and nobody sits with an empty tablet. So:

* Clues are dealt round the table one at a time, in the order the puzzles open (the puzzles
  open at the start first). Hands then differ by at most one clue, the clues of one puzzle land
  on different tablets whenever there are enough tablets (so the group has to talk), and, when
  the start puzzles hold at least as many clues as there are players, everyone has something to
  share from the first minute. The content check runs this same function for every group size
  a room supports.
* A tablet that drops and comes back keeps its seat, and hands are kept per seat, so it gets
  its clues back untouched.
* When someone leaves for good, each of their clues goes to whoever holds the fewest clues of
  unsolved puzzles, preferring a tablet without another clue of the same puzzle. No clue is lost.
* A late-comer takes unread clues from the fullest hands until hands are even; if no hand can
  spare one, they get a copy of a clue of an open lock, so they have something to say too.

Hands map a seat to its clue ids (``"bus-time.2"``); the same clue may be in two hands after a
copy. Nothing here draws random numbers: the seat order comes from the game's seeded shuffle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["deal", "deal_order", "late_comer", "rehome", "start_puzzles"]

Hands = dict[str, list[str]]
Moves = list[tuple[str, str]]


def _puzzle(clue: str) -> str:
    return clue.rsplit(".", 1)[0]


def start_puzzles(graph: Mapping[str, Sequence[str]]) -> set[str]:
    """The puzzles open at the start: those that require nothing."""
    return {pid for pid, needs in graph.items() if not needs}


def deal_order(graph: Mapping[str, Sequence[str]],
               clues: Mapping[str, Sequence[str]]) -> list[str]:
    """Every clue in dealing order: puzzles by how deep they sit (start puzzles first), then in
    the order the room lists them; a puzzle's clues in their own order.

    >>> deal_order({"a": [], "b": ["a"], "c": []}, {"a": ["a.1"], "b": ["b.1"], "c": ["c.1"]})
    ['a.1', 'c.1', 'b.1']
    """
    depth: dict[str, int] = {}

    def depth_of(pid: str, seen: frozenset[str] = frozenset()) -> int:
        if pid not in depth:
            needs = [n for n in graph.get(pid, []) if n in graph and n not in seen]
            depth[pid] = 1 + max((depth_of(n, seen | {pid}) for n in needs), default=-1)
        return depth[pid]

    order = sorted(graph, key=lambda pid: (depth_of(pid), list(graph).index(pid)))
    return [clue for pid in order for clue in clues.get(pid, [])]


def deal(clues: Sequence[str], seats: Sequence[str]) -> Hands:
    """Deal ``clues`` round ``seats`` one at a time.

    >>> deal(["a.1", "a.2", "b.1"], ["s1", "s2"])
    {'s1': ['a.1', 'b.1'], 's2': ['a.2']}
    """
    hands: Hands = {seat: [] for seat in seats}
    if not seats:
        return hands
    for index, clue in enumerate(clues):
        hands[seats[index % len(seats)]].append(clue)
    return hands


def _load(hand: Sequence[str], unsolved: set[str]) -> int:
    return sum(1 for clue in hand if _puzzle(clue) in unsolved)


def rehome(hands: Mapping[str, Sequence[str]], clues: Sequence[str], seats: Sequence[str],
           unsolved: set[str]) -> tuple[Hands, Moves]:
    """Give ``clues`` (of someone who left) to the remaining ``seats``.

    Clues of solved puzzles are dropped, and so are clues someone else already holds. Each other
    clue goes to the seat with the fewest clues of unsolved puzzles, preferring one without a
    clue of the same puzzle; ties go to the earlier seat in ``seats``.

    Returns:
        The new hands and the ``(clue, seat)`` moves made.

    >>> rehome({"s2": ["a.2"], "s3": []}, ["a.1", "b.1"], ["s2", "s3"], {"a", "b"})
    ({'s2': ['a.2', 'b.1'], 's3': ['a.1']}, [('a.1', 's3'), ('b.1', 's2')])
    """
    out: Hands = {seat: list(hands.get(seat, [])) for seat in seats}
    moves: Moves = []
    if not seats:
        return out, moves
    held = {clue for hand in out.values() for clue in hand}
    for clue in clues:
        if _puzzle(clue) not in unsolved or clue in held:
            continue
        puzzle = _puzzle(clue)
        seat = min(seats, key=lambda s: (any(_puzzle(c) == puzzle for c in out[s]),
                                         _load(out[s], unsolved), seats.index(s)))
        out[seat].append(clue)
        held.add(clue)
        moves.append((clue, seat))
    return out, moves


def late_comer(hands: Mapping[str, Sequence[str]], newcomer: str, seats: Sequence[str],
               unsolved: set[str], open_now: set[str],
               read: Mapping[str, Sequence[str]]) -> tuple[Hands, Moves, str | None]:
    """Give a late-comer a fair share of clues.

    Clues move from the seat holding the most clues of unsolved puzzles (it keeps at least
    one) to the newcomer until the hands are even. Only clues the holder has not read move, so
    nobody loses what they were looking at; clues of open locks move first. If the newcomer then
    holds nothing for an open lock, they get a copy of the open lock's clue held by the fewest.

    Args:
        hands: the current hands (the newcomer's may already hold spare clues).
        newcomer: the late-comer's seat.
        seats: every seat at the table in dealing order, the newcomer included.
        unsolved: puzzles not yet solved.
        open_now: unsolved puzzles open right now.
        read: per seat, the clues it has opened.

    Returns:
        The new hands, the ``(clue, from_seat)`` moves, and the copied clue (or ``None``).
    """
    out: Hands = {seat: list(hands.get(seat, [])) for seat in seats}
    out.setdefault(newcomer, [])
    moves: Moves = []

    def movable(seat: str) -> list[str]:
        seen = set(read.get(seat, []))
        own = [c for c in out[seat] if _puzzle(c) in unsolved and c not in seen]
        return sorted(own, key=lambda c: (_puzzle(c) not in open_now,
                                          any(_puzzle(x) == _puzzle(c) for x in out[newcomer]),
                                          out[seat].index(c)))

    while True:
        donors = [s for s in seats if s != newcomer and _load(out[s], unsolved) >= 2
                  and movable(s)]
        if not donors:
            break
        donor = max(donors, key=lambda s: (_load(out[s], unsolved), -seats.index(s)))
        if _load(out[donor], unsolved) - _load(out[newcomer], unsolved) <= 1:
            break
        clue = movable(donor)[0]
        out[donor].remove(clue)
        out[newcomer].append(clue)
        moves.append((clue, donor))

    copied = None
    if open_now and not any(_puzzle(c) in open_now for c in out[newcomer]):
        holders: dict[str, int] = {}
        for seat in seats:
            for clue in out[seat]:
                if _puzzle(clue) in open_now:
                    holders[clue] = holders.get(clue, 0) + 1
        if holders:
            copied = min(holders, key=lambda c: (holders[c], c))
            out[newcomer].append(copied)
    return out, moves, copied
