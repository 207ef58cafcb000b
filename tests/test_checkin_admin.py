"""The admin side of check-in protection: rotating the key without losing an answer, checking
that the keys open everything, retention of old check-ins, and no answer in the clear in the
database. Each database test runs on SQLite and on PostgreSQL (``database_url``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from facilitator.checkins.answers import open_answers, open_goal_text, save_answer, seal_goal_text
from facilitator.checkins.sealing import (
    KeyConfigError,
    Sealer,
    keys_from_config,
    new_key,
    write_key_file,
)
from facilitator.checkins.upkeep import (
    add_new_key,
    check_keys,
    delete_old_checkins,
    plan_rotation,
    reseal_all,
    rotate_key,
)
from facilitator.cli import main
from facilitator.db import make_engine, upgrade
from facilitator.models import (
    AuditEntry,
    CheckinAnswer,
    CheckinConsent,
    CheckinGoal,
    CheckinRound,
    Group,
    Member,
    Organisation,
    Period,
)

ANSWER = "kissanpentu-velho-42"
GOAL = "opettelen-uimaan-ZQX"
FOLLOW_UP = "uin-jo-kymmenen-metria-VKW"
SECRETS = (ANSWER, GOAL, FOLLOW_UP)
KEY_PATTERN = re.compile(r"^\s+([A-Za-z0-9_-]{43}=)\s*$", re.MULTILINE)


@pytest.fixture()
def engine(database_url: str) -> Iterator[Engine]:
    made = make_engine(database_url)
    upgrade(made)
    yield made
    made.dispose()


@pytest.fixture()
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key file of this test's own, outside any instance folder, holding one key."""
    path = tmp_path / "keys" / "checkin.keys"
    write_key_file(path, [new_key()])
    monkeypatch.setenv("PIIRI_CHECKIN_KEY_FILE", str(path))
    return path


def file_keys(path: Path) -> list[str]:
    return keys_from_config({"CHECKIN_KEY_FILE": str(path)})


# -- making check-ins -------------------------------------------------------------------------


def months_ago(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, 28))


def at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def add_group(session: Session) -> tuple[int, int, list[int]]:
    org = Organisation(name="Org A")
    session.add(org)
    session.flush()
    group = Group(organisation_id=org.id, name="Torstai")
    session.add(group)
    session.flush()
    members = [Member(group_id=group.id, nickname=n) for n in ("Aino-selvä", "Bashir")]
    session.add_all(members)
    session.flush()
    return org.id, group.id, [m.id for m in members]


def add_period(session: Session, group_id: int, ends_on: date | None) -> int:
    starts = (ends_on or date.today()) - timedelta(days=90)
    period = Period(group_id=group_id, name="Kausi", starts_on=starts, ends_on=ends_on)
    session.add(period)
    session.flush()
    return period.id


def add_round(session: Session, sealer: Sealer, org_id: int, group_id: int,
              members: list[int], period_id: int | None, opened: datetime | None = None) -> int:
    row = CheckinRound(organisation_id=org_id, group_id=group_id, period_id=period_id,
                       form_id="piiri", kind="start", opened_at=opened or datetime.now(UTC))
    session.add(row)
    session.flush()
    for member_id in members:
        session.add(CheckinConsent(round_id=row.id, member_id=member_id, text_id="consent-v1"))
        save_answer(session, sealer, round_id=row.id, member_id=member_id, item_id="mood",
                    domain="wellbeing", value=7)
        save_answer(session, sealer, round_id=row.id, member_id=member_id, item_id="words",
                    domain="mind", value=ANSWER)
    session.flush()
    return row.id


def add_goal(session: Session, sealer: Sealer, member_id: int, period_id: int | None,
             updated: datetime | None = None) -> int:
    goal = CheckinGoal(member_id=member_id, period_id=period_id, domain="body", sealed_text="",
                       updated_at=updated or datetime.now(UTC))
    session.add(goal)
    session.flush()
    goal.sealed_text = seal_goal_text(sealer, goal.id, member_id, "text", GOAL)
    goal.sealed_follow_up = seal_goal_text(sealer, goal.id, member_id, "follow_up", FOLLOW_UP)
    session.flush()
    return goal.id


def seed(engine: Engine, keys: list[str]) -> None:
    """One group, one round with two members' answers (4 values), one goal (2 values)."""
    sealer = Sealer(keys)
    with Session(engine) as session:
        org_id, group_id, members = add_group(session)
        period_id = add_period(session, group_id, None)
        add_round(session, sealer, org_id, group_id, members, period_id)
        add_goal(session, sealer, members[0], period_id)
        session.commit()


def contents(engine: Engine, keys: list[str]) -> tuple[list[Any], int]:
    """Every answer and goal text that ``keys`` open, and how many they do not."""
    sealer = Sealer(keys)
    opened: list[Any] = []
    with Session(engine) as session:
        pairs = session.execute(select(CheckinAnswer.round_id, CheckinAnswer.member_id)
                                .distinct()).all()
        for round_id, member_id in pairs:
            opened.extend(open_answers(session, sealer, round_id, member_id).values())
        total = int(session.scalar(select(func.count()).select_from(CheckinAnswer)) or 0)
        for goal in session.scalars(select(CheckinGoal)):
            total += 2
            for part, token in (("text", goal.sealed_text), ("follow_up", goal.sealed_follow_up)):
                value = open_goal_text(sealer, goal.id, goal.member_id, part, token)
                if value is not None:
                    opened.append(value)
    return sorted(opened, key=str), total - len(opened)


EVERYTHING = sorted([7, 7, ANSWER, ANSWER, GOAL, FOLLOW_UP], key=str)


def cli(*args: str, url: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, ["admin", *args, "--database-url", url], input=input)


# -- rotation ---------------------------------------------------------------------------------


def test_rotation_with_a_key_file_leaves_only_the_new_key(engine: Engine, key_file: Path) -> None:
    old = file_keys(key_file)
    seed(engine, old)
    assert contents(engine, old) == (EVERYTHING, 0)
    result = rotate_key(engine, {}, None)
    assert result.resealed == {"answers": 4, "goal texts": 1, "follow-up notes": 1}
    assert result.unreadable == [] and result.old_keys_retired
    assert file_keys(key_file) == [result.new_key]
    assert "#" in key_file.read_text() and result.new_key not in old
    assert contents(engine, [result.new_key]) == (EVERYTHING, 0)
    assert contents(engine, old) == ([], 6)  # the old key alone opens nothing any more


def test_a_stop_between_the_steps_loses_nothing(engine: Engine, key_file: Path) -> None:
    old = file_keys(key_file)
    seed(engine, old)
    plan = plan_rotation({}, None)
    assert file_keys(key_file) == old  # planning changes nothing
    add_new_key(plan)  # step 1 ...and the machine stops here
    assert file_keys(key_file) == [plan.new_key, *old]
    assert contents(engine, file_keys(key_file)) == (EVERYTHING, 0)
    resealed, unreadable = reseal_all(engine, file_keys(key_file))  # step 2 ...stop again
    assert sum(resealed.values()) == 6 and unreadable == []
    assert contents(engine, file_keys(key_file)) == (EVERYTHING, 0)
    assert contents(engine, [plan.new_key]) == (EVERYTHING, 0)
    again = rotate_key(engine, {}, None)  # running the command again finishes the job
    assert file_keys(key_file) == [again.new_key]
    assert contents(engine, [again.new_key]) == (EVERYTHING, 0)


def test_an_answer_written_meanwhile_with_the_old_key_keeps_the_old_key(
        database_url: str, engine: Engine, key_file: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import facilitator.checkins.upkeep as checkin_admin

    old = file_keys(key_file)
    seed(engine, old)
    real_reseal = checkin_admin.reseal_all

    def reseal_while_piiri_runs(bind: Any, keys: Any) -> Any:
        done = real_reseal(bind, keys)
        with Session(engine) as session:  # a Piiri left running saves with its old key
            answer = session.scalars(select(CheckinAnswer).where(
                CheckinAnswer.item_id == "mood")).first()
            assert answer is not None
            save_answer(session, Sealer(old), round_id=answer.round_id,
                        member_id=answer.member_id, item_id="mood", domain="wellbeing", value=3)
            session.commit()
        return done

    monkeypatch.setattr(checkin_admin, "reseal_all", reseal_while_piiri_runs)
    result = cli("rotate-key", "--yes", url=database_url)
    assert result.exit_code == 1
    assert "1 value(s) were written with the old key" in result.output
    keys = file_keys(key_file)
    assert keys[1:] == old  # the old key stays: nothing is lost
    opened, failed = contents(engine, keys)
    assert failed == 0 and 3 in opened
    monkeypatch.setattr(checkin_admin, "reseal_all", real_reseal)
    again = rotate_key(engine, {}, None)  # with Piiri stopped, the next run finishes
    assert again.old_keys_retired and file_keys(key_file) == [again.new_key]
    assert contents(engine, [again.new_key])[1] == 0


def test_rotate_key_command_with_a_key_file(database_url: str, engine: Engine,
                                            key_file: Path) -> None:
    old = file_keys(key_file)
    seed(engine, old)
    refused = cli("rotate-key", url=database_url, input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    assert file_keys(key_file) == old and contents(engine, old) == (EVERYTHING, 0)

    result = cli("rotate-key", "--yes", url=database_url)
    assert result.exit_code == 0, result.output
    assert "Re-sealed with the new key: 4 answers, 1 goal texts, 1 follow-up notes." in (
        result.output)
    assert "now holds only the new key" in result.output
    new = file_keys(key_file)
    assert len(new) == 1 and new != old
    assert new[0] not in result.output  # a key file's key is not printed
    assert contents(engine, new) == (EVERYTHING, 0)
    assert contents(engine, old) == ([], 6)


def test_rotate_key_command_with_the_key_in_the_environment(
        database_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    old = new_key()
    monkeypatch.setenv("PIIRI_CHECKIN_KEYS", old)
    seed(engine, [old])
    result = cli("rotate-key", "--yes", url=database_url)
    assert result.exit_code == 0, result.output
    printed = KEY_PATTERN.findall(result.output)
    assert len(printed) == 1 and printed[0] != old
    assert "Replace the value of PIIRI_CHECKIN_KEYS" in result.output
    assert "Keep the old key until" in result.output
    assert contents(engine, printed) == (EVERYTHING, 0)
    assert contents(engine, [old]) == ([], 6)
    # Until the environment is changed, both keys open everything; then check-keys agrees.
    monkeypatch.setenv("PIIRI_CHECKIN_KEYS", f"{printed[0]},{old}")
    checked = cli("check-keys", url=database_url)
    assert checked.exit_code == 0, checked.output
    assert "All 6 sealed values open with the newest key." in checked.output


def test_rotation_with_keys_in_the_configuration(engine: Engine) -> None:
    old = [new_key(), new_key()]
    seed(engine, old[1:])  # under the older key; one answer below under the newer one
    with Session(engine) as session:
        round_id = session.scalars(select(CheckinRound.id)).one()
        member_id = session.scalars(select(Member.id)).first()
        assert member_id is not None
        save_answer(session, Sealer(old), round_id=round_id, member_id=member_id,
                    item_id="mood", domain="wellbeing", value=9)
        session.commit()
    given = new_key()
    result = rotate_key(engine, {"CHECKIN_KEYS": old}, None, key=given)
    assert result.new_key == given and result.key_file is None
    assert not result.old_keys_retired and result.still_on_old_keys == 0
    opened, failed = contents(engine, [given])
    assert failed == 0 and 9 in opened and len(opened) == 6
    with pytest.raises(KeyConfigError, match="already one of the keys"):
        rotate_key(engine, {"CHECKIN_KEYS": [given, *old]}, None, key=given)


def test_a_value_no_key_opens_is_counted_and_left_alone(engine: Engine, key_file: Path) -> None:
    old = file_keys(key_file)
    seed(engine, old)
    stranger = Sealer([new_key()]).seal("x", bound={"member": 0, "round": 0, "item": "x"})
    with Session(engine) as session:
        answers = session.scalars(select(CheckinAnswer).order_by(CheckinAnswer.id)).all()
        answers[0].sealed = stranger
        answers[1].sealed = "vaurioitunut-ääkkönen"  # not even a token
        damaged = {answers[0].id: stranger, answers[1].id: "vaurioitunut-ääkkönen"}
        session.commit()
    result = rotate_key(engine, {}, None)
    assert sorted(u.row_id for u in result.unreadable) == sorted(damaged)
    assert result.resealed["answers"] == 2
    with Session(engine) as session:
        for row_id, value in damaged.items():
            assert session.get(CheckinAnswer, row_id).sealed == value  # type: ignore[union-attr]
    found = check_keys(engine, {}, None)
    assert found.kinds["answers"].total == 4 and found.kinds["answers"].newest == 2
    assert found.kinds["answers"].unreadable == 2 and len(found.unreadable) == 2


def test_check_keys_counts_what_opens_and_with_which_key(database_url: str, engine: Engine,
                                                         key_file: Path) -> None:
    old = file_keys(key_file)
    seed(engine, old)
    result = cli("check-keys", url=database_url)
    assert result.exit_code == 0, result.output
    assert "Answers: 4, 4 open with the newest key." in result.output
    assert "All 6 sealed values open with the newest key." in result.output

    newer = new_key()
    write_key_file(key_file, [newer, *old])
    with Session(engine) as session:
        goal = session.scalars(select(CheckinGoal)).one()
        goal.sealed_text = seal_goal_text(Sealer([newer]), goal.id, goal.member_id, "text", GOAL)
        session.commit()
    found = check_keys(engine, {}, None)
    assert (found.kinds["goal texts"].newest, found.kinds["answers"].older) == (1, 4)
    assert found.total == 6 and found.older == 5 and found.unreadable == []

    write_key_file(key_file, [newer])  # the old key lost: five values cannot be opened
    result = cli("check-keys", url=database_url)
    assert result.exit_code == 1
    assert "5 value(s) cannot be opened" in result.output
    assert "Goal texts: 1, 1 open with the newest key." in result.output


# -- keys refused -----------------------------------------------------------------------------


def test_a_key_file_in_the_instance_folder_is_refused(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    instance = tmp_path / "instance"
    inside = instance / "checkin.keys"
    write_key_file(inside, [new_key()])
    with pytest.raises(KeyConfigError, match="must not be in the instance folder"):
        rotate_key(make_engine("sqlite://"), {"CHECKIN_KEY_FILE": str(inside)}, str(instance))
    # The command finds the app's own instance folder and refuses before writing anything.
    app_instance = Path(Flask("facilitator.app").instance_path)
    monkeypatch.setenv("PIIRI_CHECKIN_KEY_FILE", str(app_instance / "checkin-test.keys"))
    result = CliRunner().invoke(main, ["admin", "rotate-key", "--yes", "--database",
                                       str(tmp_path / "piiri.sqlite3")])
    assert result.exit_code == 1
    assert "must not be in the instance folder" in result.output
    assert "Nothing was changed" in result.output
    assert not (app_instance / "checkin-test.keys").exists()


def test_a_malformed_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = str(tmp_path / "piiri.sqlite3")
    monkeypatch.setenv("PIIRI_CHECKIN_KEYS", "not-a-key")
    for command in (["rotate-key", "--yes"], ["check-keys"]):
        result = CliRunner().invoke(main, ["admin", *command, "--database", database])
        assert result.exit_code == 1
        assert "not a valid check-in key" in result.output
    monkeypatch.delenv("PIIRI_CHECKIN_KEYS")
    broken = tmp_path / "keys" / "checkin.keys"
    broken.parent.mkdir()
    for content in ("tama-ei-ole-avain\n", "tämä-ei-ole-avain\n"):
        broken.write_text(content, encoding="utf-8")
        with pytest.raises(KeyConfigError, match="not a valid check-in key"):
            rotate_key(make_engine("sqlite://"), {"CHECKIN_KEY_FILE": str(broken)}, None)
        assert broken.read_text(encoding="utf-8") == content  # left as it was
    with pytest.raises(KeyConfigError, match="not a valid check-in key"):
        plan_rotation({"CHECKIN_KEYS": new_key()}, None, key="lyhyt")


# -- retention --------------------------------------------------------------------------------


def seed_ages(engine: Engine, today: date) -> dict[str, int]:
    """Check-ins of a period that ended 13 months ago and of one that ended 11 months ago,
    rounds without a period opened as long ago, and audit entries."""
    sealer = Sealer([new_key()])
    ids: dict[str, int] = {}
    with Session(engine) as session:
        org_id, group_id, members = add_group(session)
        for age in (13, 11):
            ended = months_ago(today, age)
            period_id = add_period(session, group_id, ended)
            ids[f"round {age}"] = add_round(session, sealer, org_id, group_id, members,
                                            period_id, opened=at(ended - timedelta(days=30)))
            ids[f"loose {age}"] = add_round(session, sealer, org_id, group_id, members[:1],
                                            None, opened=at(ended))
            ids[f"goal {age}"] = add_goal(session, sealer, members[0], period_id)
        still_open = add_period(session, group_id, None)  # no end date: kept
        ids["round open"] = add_round(session, sealer, org_id, group_id, members, still_open,
                                      opened=at(months_ago(today, 30)))
        for member_id in members:
            session.add(AuditEntry(organisation_id=org_id, action="view_checkin",
                                   member_id=member_id, detail="round"))
        session.commit()
    return ids


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {model.__tablename__: int(session.scalar(
            select(func.count()).select_from(model)) or 0)
            for model in (CheckinAnswer, CheckinConsent, CheckinGoal, CheckinRound, AuditEntry)}


def test_retention_deletes_checkins_of_periods_that_ended_long_ago(engine: Engine) -> None:
    today = date(2027, 6, 15)
    ids = seed_ages(engine, today)
    before = counts(engine)
    assert before == {"checkin_answers": 4 + 2 + 4 + 2 + 4, "checkin_consents": 2 + 1 + 2 + 1 + 2,
                      "checkin_goals": 2, "checkin_rounds": 5, "audit_entries": 2}
    with Session(engine) as session:
        counted = delete_old_checkins(session, 12, today=today, dry_run=True)
    assert (counted.rounds, counted.answers, counted.consents, counted.goals) == (2, 6, 3, 1)
    assert counts(engine) == before  # a dry run changes nothing
    with Session(engine) as session:
        removed = delete_old_checkins(session, 12, today=today)
    assert removed == counted
    with Session(engine) as session:
        left = set(session.scalars(select(CheckinAnswer.round_id)))
        assert left == {ids["round 11"], ids["loose 11"], ids["round open"]}
        assert set(session.scalars(select(CheckinGoal.id))) == {ids["goal 11"]}
        assert set(session.scalars(select(CheckinConsent.round_id))) == left
    after = counts(engine)
    assert after["checkin_rounds"] == 5  # the rounds themselves hold no answer
    assert after["audit_entries"] == 2  # the audit trail stays
    with Session(engine) as session:  # nothing more to do the next time
        again = delete_old_checkins(session, 12, today=today)
    assert (again.rounds, again.answers, again.consents, again.goals) == (0, 0, 0, 0)


def test_retention_command_with_checkin_months(database_url: str, engine: Engine) -> None:
    ids = seed_ages(engine, datetime.now(UTC).date())
    before = counts(engine)
    dry = cli("retention", "--months", "24", "--checkin-months", "12", "--dry-run",
              url=database_url)
    assert dry.exit_code == 0, dry.output
    assert "Would delete 6 check-in answers (2 rounds), 3 consents and 1 goals older than " \
           "12 months." in dry.output
    assert counts(engine) == before
    done = cli("retention", "--months", "24", "--checkin-months", "12", url=database_url)
    assert done.exit_code == 0, done.output
    assert "Deleted 6 check-in answers" in done.output
    with Session(engine) as session:
        assert ids["round 13"] not in set(session.scalars(select(CheckinAnswer.round_id)))
    assert counts(engine)["audit_entries"] == 2
    # Without --checkin-months, check-ins are kept as long as --months says.
    kept = cli("retention", "--months", "24", "--dry-run", url=database_url)
    assert "Would delete 0 check-in answers (0 rounds)" in kept.output


# -- nothing in the clear ---------------------------------------------------------------------


def test_no_answer_or_goal_is_in_the_database_in_the_clear(database_url: str, engine: Engine,
                                                           key_file: Path) -> None:
    seed(engine, file_keys(key_file))
    rotate_key(engine, {}, None)
    assert contents(engine, file_keys(key_file)) == (EVERYTHING, 0)
    with engine.connect() as connection:
        for table in ("checkin_answers", "checkin_goals", "checkin_consents", "checkin_rounds"):
            rows = connection.execute(text(f"SELECT * FROM {table}")).all()
            dumped = repr(rows)
            assert not [s for s in SECRETS if s in dumped], table
    if engine.dialect.name == "sqlite":
        database = Path(engine.url.database or "")
        wal = database.with_name(database.name + "-wal")
        assert wal.exists()  # committed pages may sit in the WAL until a checkpoint
        raw = database.read_bytes() + wal.read_bytes()
        assert "Aino-selvä".encode() in raw  # the nickname is there in the clear: we can see
        for secret in SECRETS:
            assert secret.encode() not in raw, secret
