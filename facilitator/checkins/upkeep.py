"""Upkeep of check-ins for the organisation's administrator: the key and old answers.

Rotating the key (``piiri admin rotate-key``) goes in an order that loses nothing wherever the
machine stops:

1. when the keys are in a key file, the file is rewritten (atomically) with the new key in
   front of the old ones, so that the file opens both old and new values;
2. every sealed answer, goal text and follow-up note is re-sealed with the new key, in one
   database transaction;
3. once every value that opened before opens with the new key alone, the file is rewritten
   with only the new key.

A stop after step 1 or 2 leaves a key file that opens every value; running the command again
finishes the job. When the keys come from ``CHECKIN_KEYS`` / ``PIIRI_CHECKIN_KEYS``, Piiri
cannot change them: the new key is handed to the admin *before* anything is re-sealed, to put
in place of the old value.

A value that no configured key opens is counted and left exactly as it is (it may still open
with a key kept somewhere else). Piiri should be stopped while the key changes: a running
server keeps sealing with the keys it started with.

Retention (``piiri admin retention --checkin-months N``) deletes the answers, goals and
consents of periods that ended more than N months ago, and of rounds without a period opened
more than N months ago. The rounds themselves (when, which form; no answer) and the audit
trail stay.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Engine, Table, and_, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from facilitator.models import CheckinAnswer, CheckinConsent, CheckinGoal, CheckinRound, Period

from .sealing import (
    KeyConfigError,
    Sealer,
    SealError,
    key_file_of,
    keys_from_config,
    new_key,
    write_key_file,
)

__all__ = [
    "CheckinsRemoved",
    "KeyCheck",
    "Opened",
    "Rotation",
    "RotationPlan",
    "Unreadable",
    "add_new_key",
    "check_keys",
    "delete_old_checkins",
    "plan_rotation",
    "reseal_all",
    "retire_old_keys",
    "rotate_key",
]

answers_table: Table = CheckinAnswer.__table__  # type: ignore[assignment]
goals_table: Table = CheckinGoal.__table__  # type: ignore[assignment]

#: Every sealed column: (what it holds, in words; its table; the column's name).
SEALED_COLUMNS: tuple[tuple[str, Table, str], ...] = (
    ("answers", answers_table, "sealed"),
    ("goal texts", goals_table, "sealed_text"),
    ("follow-up notes", goals_table, "sealed_follow_up"),
)


@dataclass(frozen=True)
class Unreadable:
    """A sealed value that none of the configured keys opens."""

    table: str
    row_id: int
    column: str

    def __str__(self) -> str:
        return f"{self.table} {self.row_id} ({self.column})"


@dataclass
class Opened:
    """How many values of one kind open, and with which key."""

    total: int = 0
    newest: int = 0  # with the newest key
    older: int = 0  # only with an older key

    @property
    def unreadable(self) -> int:
        return self.total - self.newest - self.older


@dataclass
class KeyCheck:
    """What :func:`check_keys` found, per kind of value (see ``SEALED_COLUMNS``)."""

    keys: int
    kinds: dict[str, Opened]
    unreadable: list[Unreadable] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(k.total for k in self.kinds.values())

    @property
    def older(self) -> int:
        return sum(k.older for k in self.kinds.values())


@dataclass(frozen=True)
class RotationPlan:
    """A rotation about to happen: the new key, the keys in use, and their file (if any)."""

    new_key: str
    old_keys: tuple[str, ...]
    key_file: Path | None


@dataclass
class Rotation:
    """What :func:`rotate_key` did."""

    new_key: str
    key_file: Path | None
    resealed: dict[str, int]
    unreadable: list[Unreadable]
    #: The key file holds only the new key now (always ``False`` without a key file).
    old_keys_retired: bool
    #: Values that still open only with an old key after the re-seal (written meanwhile by a
    #: Piiri that was left running); while there are any, the old keys stay in the file.
    still_on_old_keys: int

    @property
    def total(self) -> int:
        return sum(self.resealed.values())


@contextmanager
def _session(bind: Engine | Session) -> Iterator[Session]:
    if isinstance(bind, Session):
        yield bind
    else:
        with Session(bind) as session:
            yield session


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise KeyConfigError(f"not a valid check-in key ({error})") from None


def _keys(config: Mapping[str, Any], instance_path: str | None) -> list[str]:
    """The configured keys; a key file that cannot be read is a key problem too."""
    try:
        return keys_from_config(config, instance_path)
    except UnicodeDecodeError:
        raise KeyConfigError(f"{key_file_of(config)}: not a valid check-in key file (it holds "
                             "characters no key has)") from None
    except OSError as error:
        raise KeyConfigError(f"{key_file_of(config)}: cannot read the check-in key file "
                             f"({error.strerror})") from None


def _sealed_values(session: Session, table: Table, column: str,
                   lock: bool = False) -> list[tuple[int, str]]:
    query = (select(table.c.id, table.c[column]).where(table.c[column].is_not(None))
             .order_by(table.c.id))
    if lock:
        query = query.with_for_update()
    return [(int(row[0]), str(row[1])) for row in session.execute(query)]


def _opens(fernet: Fernet | MultiFernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode("ascii"))
    except (InvalidToken, ValueError, UnicodeEncodeError):
        return False
    return True


def _scan(session: Session, keys: Sequence[str]) -> KeyCheck:
    newest = _fernet(keys[0])
    older = MultiFernet([_fernet(k) for k in keys[1:]]) if len(keys) > 1 else None
    check = KeyCheck(keys=len(keys), kinds={})
    for kind, table, column in SEALED_COLUMNS:
        opened = check.kinds[kind] = Opened()
        for row_id, token in _sealed_values(session, table, column):
            opened.total += 1
            if _opens(newest, token):
                opened.newest += 1
            elif older is not None and _opens(older, token):
                opened.older += 1
            else:
                check.unreadable.append(Unreadable(table.name, row_id, column))
    return check


def check_keys(bind: Engine | Session, config: Mapping[str, Any],
               instance_path: str | None) -> KeyCheck:
    """Try to open every sealed answer, goal text and follow-up note with the configured keys.

    Raises:
        KeyConfigError: no key configured, a malformed key, or a key file in the instance
            folder.
    """
    keys = _keys(config, instance_path)
    with _session(bind) as session:
        return _scan(session, keys)


# -- rotation, step by step -----------------------------------------------------------------


def plan_rotation(config: Mapping[str, Any], instance_path: str | None,
                  key: str | None = None) -> RotationPlan:
    """The keys in use and a new key (``key``, or a freshly made one). Changes nothing.

    Raises:
        KeyConfigError: no key configured yet, a malformed key (configured or given), or a
            key file in the instance folder.
    """
    old = _keys(config, instance_path)
    key = key.strip() if key else new_key()
    _fernet(key)
    if key in old:
        raise KeyConfigError("the new check-in key is already one of the keys in use")
    return RotationPlan(new_key=key, old_keys=tuple(old), key_file=key_file_of(config))


def _write_durably(path: Path, keys: Sequence[str]) -> None:
    """Write the key file, and make its new name survive a power cut before the database is
    touched (the rename is only durable once its folder is synced; POSIX only)."""
    write_key_file(path, keys)
    if os.name == "posix":
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def add_new_key(plan: RotationPlan) -> None:
    """Step 1: a key file gets the new key in front of the old ones (atomically)."""
    if plan.key_file is not None:
        _write_durably(plan.key_file, [plan.new_key, *plan.old_keys])


def reseal_all(bind: Engine | Session,
               keys: Sequence[str]) -> tuple[dict[str, int], list[Unreadable]]:
    """Step 2: re-seal every value with ``keys[0]`` in one transaction, and commit.

    Returns how many values of each kind were re-sealed, and those no key opens (left as
    they were).
    """
    sealer = Sealer(keys)
    resealed: dict[str, int] = {}
    unreadable: list[Unreadable] = []
    with _session(bind) as session:
        try:
            for kind, table, column in SEALED_COLUMNS:
                changes = []
                for row_id, token in _sealed_values(session, table, column, lock=True):
                    try:
                        changes.append({"b_id": row_id, "b_old": token,
                                        "b_new": sealer.reseal(token)})
                    except (SealError, UnicodeEncodeError):
                        unreadable.append(Unreadable(table.name, row_id, column))
                if changes:
                    # Only where the value is still the one read (a value changed meanwhile
                    # keeps its key and is caught by the check before the old keys go).
                    session.execute(
                        update(table).where(table.c.id == bindparam("b_id"),
                                            table.c[column] == bindparam("b_old"))
                        .values({column: bindparam("b_new")}), changes)
                resealed[kind] = len(changes)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return resealed, unreadable


def retire_old_keys(plan: RotationPlan) -> None:
    """Step 3: a key file keeps only the new key."""
    if plan.key_file is not None:
        _write_durably(plan.key_file, [plan.new_key])


def rotate_key(bind: Engine | Session, config: Mapping[str, Any], instance_path: str | None,
               key: str | None = None) -> Rotation:
    """Make a new check-in key (or use ``key``), re-seal every answer and goal with it, and
    retire the old keys when they are in a key file (see the module's note for the order).

    With keys from ``CHECKIN_KEYS`` / ``PIIRI_CHECKIN_KEYS`` nothing is written outside the
    database: the caller must hand ``Rotation.new_key`` to the admin (best: make the key
    with :func:`plan_rotation` and show it *before* calling this with ``key``).

    Raises:
        KeyConfigError: as :func:`plan_rotation`.
    """
    plan = plan_rotation(config, instance_path, key)
    keys = [plan.new_key, *plan.old_keys]
    add_new_key(plan)
    resealed, unreadable = reseal_all(bind, keys)
    with _session(bind) as session:
        after = _scan(session, keys)
    retired = plan.key_file is not None and after.older == 0
    if retired:
        retire_old_keys(plan)
    return Rotation(new_key=plan.new_key, key_file=plan.key_file, resealed=resealed,
                    unreadable=unreadable, old_keys_retired=retired,
                    still_on_old_keys=after.older)


# -- retention ------------------------------------------------------------------------------


@dataclass
class CheckinsRemoved:
    rounds: int = 0  # rounds whose answers or consents were (or would be) deleted
    answers: int = 0
    consents: int = 0
    goals: int = 0


def delete_old_checkins(session: Session, months: int, today: date | None = None,
                        dry_run: bool = False) -> CheckinsRemoved:
    """Delete the answers and consents of rounds, and the goals, whose period ended more
    than ``months`` ago; a round without a period counts from when it was opened, a goal
    without a period from when it was last changed. A period with no end date keeps its
    check-ins. The rounds and the audit trail stay. With ``dry_run`` only count; otherwise
    commit.
    """
    today = today or datetime.now(UTC).date()
    cutoff_day = today - timedelta(days=round(months * 30.44))
    cutoff = datetime.combine(cutoff_day, time.min, tzinfo=UTC)
    ended = select(Period.id).where(Period.ends_on.is_not(None), Period.ends_on < cutoff_day)
    old_rounds = select(CheckinRound.id).where(or_(
        CheckinRound.period_id.in_(ended),
        and_(CheckinRound.period_id.is_(None), CheckinRound.opened_at < cutoff)))
    answers = CheckinAnswer.round_id.in_(old_rounds)
    consents = CheckinConsent.round_id.in_(old_rounds)
    goals = or_(CheckinGoal.period_id.in_(ended),
                and_(CheckinGoal.period_id.is_(None), CheckinGoal.updated_at < cutoff))

    def count(model: Any, where: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(where)) or 0)

    rounds = set(session.scalars(select(CheckinAnswer.round_id).where(answers).distinct()))
    rounds |= set(session.scalars(select(CheckinConsent.round_id).where(consents).distinct()))
    removed = CheckinsRemoved(rounds=len(rounds), answers=count(CheckinAnswer, answers),
                              consents=count(CheckinConsent, consents),
                              goals=count(CheckinGoal, goals))
    if dry_run:
        return removed
    session.execute(delete(CheckinAnswer).where(answers))
    session.execute(delete(CheckinConsent).where(consents))
    session.execute(delete(CheckinGoal).where(goals))
    session.commit()
    return removed
