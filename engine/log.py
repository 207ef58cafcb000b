"""Replaying a table's event log, and the checks that keep old logs honest.

A table's state is a fold of its events. ``replay`` rebuilds it, from the first event or from a
snapshot, and refuses (with a sentence a leader can read) rather than produce a different table:
when the log was written by a game version this Piiri cannot replay, when the content changed,
or when re-applying an event gives other facts than the log recorded.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from .actions import CreateTable
from .module import GameModule
from .table import Accepted, Event, Snapshot, Table, content_fingerprint

__all__ = [
    "ContentChanged",
    "LogVersionError",
    "ReplayDiverged",
    "ReplayError",
    "replay",
]


class ReplayError(Exception):
    """A log could not be replayed into the table it describes."""


class LogVersionError(ReplayError):
    """The log belongs to another game or a game version this Piiri cannot replay."""


class ContentChanged(ReplayError):
    """The content in use now is not the content the table was played with."""


class ReplayDiverged(ReplayError):
    """Re-applying an event gave a different result from the one the log recorded."""


def _check_create(module: GameModule[Any], content: Any, create: CreateTable,
                  migrating: bool = False) -> None:
    if create.game != module.id:
        raise LogVersionError(
            f"This log is of the game '{create.game}', not '{module.id}'.")
    if not migrating and not module.can_replay(create.game_version):
        raise LogVersionError(
            f"This table was played with version {create.game_version} of '{module.id}'; "
            f"this Piiri has version {module.version}, which cannot replay it. Open it with "
            f"the Piiri version it was played with; its records are kept as they were.")
    if create.content_hash != content_fingerprint(content):
        raise ContentChanged(
            f"The content of '{module.id}' has changed since this table was created "
            f"(was {create.content_hash}, now {content_fingerprint(content)}). "
            "The table cannot be resumed with different content (cards, rooms or stories); "
            "put the earlier files back to resume it. Its records are kept.")


def replay(module: GameModule[Any], content: Any, events: Iterable[Event],
           snapshot: Snapshot | None = None) -> Table:
    """Rebuild a table from its log, optionally starting from a snapshot.

    Args:
        module: the game the log was written for.
        content: the content the table uses (checked against the hash in the log).
        events: the log in sequence order, starting with the ``create`` event.
        snapshot: a snapshot of the same table; events up to its ``seq`` are skipped. One
            written by an older version of a game that has ``migrate`` is migrated, and the
            events after it are applied under the new version (they must give the same facts).

    Returns:
        The table exactly as it was after the last event.

    Raises:
        ReplayError: the log cannot be replayed faithfully; the message says why.
    """
    iterator = iter(events)
    first = next(iterator, None)
    if first is None or not isinstance(first.action, CreateTable) or first.seq != 1:
        raise ReplayError("A table's log must begin with its 'create' event.")
    create = first.action
    # A snapshot an older version wrote, of a game that says how to bring its state up to
    # date: the table goes on from there under the new version.
    migrating = (snapshot is not None and module.migrate is not None
                 and snapshot.meta.game_version < module.version)
    _check_create(module, content, create, migrating)
    table: Table
    if migrating:
        assert snapshot is not None
        table = _migrated(module, content, snapshot)
    elif snapshot is not None and snapshot.meta.game_version == module.version:
        table = Table.restore(module, content, snapshot)
        if table.fingerprint() != snapshot.fingerprint:
            raise ReplayDiverged(f"The snapshot at event {snapshot.seq} does not match itself.")
    else:
        created = Table.from_create(module, content, create)
        if not isinstance(created, Accepted):
            raise ReplayError(f"The table's options are no longer valid: {created.detail}")
        table = created.table
    for event in iterator:
        if event.seq <= table.seq:
            continue
        if event.seq != table.seq + 1:
            raise ReplayError(f"Event {table.seq + 1} is missing from the log.")
        result = table.apply(event.action)
        if not isinstance(result, Accepted):
            raise ReplayDiverged(
                f"Event {event.seq} ({event.action.type}) was refused on replay: "
                f"{result.reason.value} {result.detail}".strip())
        if result.event.facts != event.facts:
            raise ReplayDiverged(
                f"Event {event.seq} ({event.action.type}) gave different results on replay.")
        table = result.table
    return table


def _migrated(module: GameModule[Any], content: Any, snapshot: Snapshot) -> Table:
    """The table a snapshot of an older version describes, its state changed by the game's
    ``migrate`` into what this version reads."""
    assert module.migrate is not None
    old = snapshot.meta.game_version
    meta = snapshot.meta.model_copy(update={"game_version": module.version}, deep=True)
    state = copy.deepcopy(snapshot.state)
    try:
        if meta.started:
            state = module.migrate(old, state)
        return Table.restore(module, content, Snapshot(seq=snapshot.seq, meta=meta, state=state,
                                                       fingerprint=""))
    except Exception as error:  # the game's own code: whatever it raises, refuse plainly
        raise LogVersionError(
            f"This table was played with version {old} of '{module.id}', and its state could "
            f"not be brought to version {module.version} ({type(error).__name__}: {error}). "
            "Open it with the Piiri version it was played with; its records are kept as "
            "they were.") from None
