"""A check-in round at a meeting's live table, over real WebSockets: consent first, private
answers sealed in the database, the log and the shared screen without a single answer."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from facilitator.checkins.sealing import new_key
from facilitator.dbsession import db
from facilitator.models import AuditEntry, CheckinAnswer, CheckinConsent, CheckinRound, Role

from .accounts import csrf_token, login, make_user
from .live_server import LiveServer, running
from .test_meetings import plan
from .test_protocol import Client

KEY = new_key()
SECRET_TEXT = "kissanpentu-velho-42"


@pytest.fixture()
def server_config(database_url: str) -> dict[str, Any]:
    """On SQLite and on a real PostgreSQL server alike."""
    return {"DATABASE_URL": database_url, "CHECKIN_KEYS": KEY}


def start_meeting(server: LiveServer) -> tuple[Any, str, dict[str, int], str]:
    make_user(server.app)
    panel = server.app.test_client()
    login(panel)
    period_id, meeting_id, ids = plan(server)
    token = csrf_token(panel, f"/panel/periods/{period_id}")
    started = panel.post(f"/panel/meetings/{meeting_id}/start", data={"csrf_token": token})
    code = started.headers["Location"].rsplit("/", 1)[1]
    return panel, code, ids, token


def open_checkin(panel: Any, code: str, token: str, kind: str = "start") -> None:
    response = panel.post(f"/panel/t/{code}/checkin/open",
                          data={"csrf_token": token, "kind": kind, "form": "piiri-arki"})
    assert response.status_code == 302


def controls(client: Client) -> dict[str, Any]:
    return client.until("controls")["controls"]


def kinds(c: dict[str, Any]) -> list[str]:
    return [item["kind"] for item in c["items"]]


class Tablet:
    def __init__(self, server: LiveServer, code: str, name: str) -> None:
        self.client = Client(server)
        self.seat, self.token = self.client.join(code, name)
        self.next_id = 1

    def move(self, name: str, **payload: Any) -> dict[str, Any]:
        self.client.send(t="move", id=self.next_id, name=name, payload=payload)
        self.next_id += 1
        while True:
            msg = json.loads(self.client.ws.recv(timeout=5))
            self.client.seen.append(msg)
            if msg["t"] in ("ack", "error"):
                return msg

    def skip(self) -> dict[str, Any]:
        self.client.send(t="pass", id=self.next_id)
        self.next_id += 1
        return self.client.until("ack")

    def now(self) -> dict[str, Any]:
        """The controls after everything so far (the last frame received)."""
        self.client.drain()
        frames = [m for m in self.client.seen if m["t"] == "controls"]
        return frames[-1]["controls"]

    def answer_current(self, value: Any) -> dict[str, Any]:
        current = self.now()
        item = next(i for i in current["items"] if i.get("move") == "checkin.answer")
        return self.move("checkin.answer", item=item["payload"]["item"], value=value)


def answer_value(kind: str) -> Any:
    return {"slider": 7, "scale5": 4, "choice": "yes", "free_text": SECRET_TEXT}[kind]


def answer_all(tablet: Tablet) -> int:
    answered = 0
    while True:
        current = tablet.now()
        item = next((i for i in current["items"] if i.get("move") == "checkin.answer"), None)
        if item is None:
            return answered
        reply = tablet.move("checkin.answer", item=item["payload"]["item"],
                            value=answer_value(item["kind"]))
        assert reply["t"] == "ack", reply
        answered += 1


def test_a_round_from_consent_to_summary_stores_only_sealed_answers(server: LiveServer) -> None:
    panel, code, ids, token = start_meeting(server)
    screen = Client(server)
    screen.hello(code, role="screen")
    aino, bashir, camilla = (Tablet(server, code, n) for n in ("Aino", "Bashir", "Camilla"))
    open_checkin(panel, code, token)

    first = aino.now()
    assert "consent" in kinds(first) and "slider" not in kinds(first)
    consent = next(i for i in first["items"] if i["kind"] == "consent")
    assert "12" in consent["text"]["fi"]  # how long, in the words agreed to
    # An answer before consent is refused and stores nothing.
    refused = aino.move("checkin.answer", item="wellbeing-now", value=5)
    assert refused["t"] == "error"

    assert aino.move("checkin.consent", value=True, text_id=consent["text_id"])["t"] == "ack"
    question = aino.now()
    assert "slider" in kinds(question) and "pass" in kinds(question)
    # A wrong value and a stale item are refused with words, nothing changes.
    assert aino.answer_current(11)["t"] == "error"
    stale = aino.move("checkin.answer", item="body-move", value=3)
    assert stale["t"] == "error" and stale["message"]["en"]
    assert aino.skip()["t"] == "ack"  # the first item skipped
    answered = answer_all(aino)
    summary = aino.now()
    assert "bars" in kinds(summary)
    bars = next(i for i in summary["items"] if i["kind"] == "bars")
    assert bars["before_label"] is None  # a first check-in: nothing to compare with
    assert [b["now"] for b in bars["bars"] if b["now"] is not None]

    # Bashir says no: nothing stored. Camilla answers two, then withdraws: nothing kept.
    bashir.now()
    assert bashir.move("checkin.consent", value=False, text_id="piiri-consent-2")["t"] == "ack"
    assert "declined" not in json.dumps(bashir.now())  # words, not codes
    camilla.now()
    camilla.move("checkin.consent", value=True, text_id="piiri-consent-2")
    camilla.answer_current(3)
    camilla.answer_current(6)
    assert camilla.move("checkin.withdraw")["t"] == "ack"

    with server.app.app_context():
        rows = list(db().scalars(select(CheckinAnswer)))
        assert {r.member_id for r in rows} == {ids["Aino"]}
        assert len(rows) == answered
        consents = {c.member_id: c for c in db().scalars(select(CheckinConsent))}
        assert set(consents) == {ids["Aino"], ids["Camilla"]}
        assert consents[ids["Camilla"]].withdrawn_at is not None
        for row in rows:
            assert SECRET_TEXT not in row.sealed and row.sealed.startswith("gAAAA")
        events = [json.loads(body) for (body,) in
                  db().execute(text("SELECT body FROM table_events")).all()]
    assert SECRET_TEXT not in json.dumps(events)
    marks = [e["action"] for e in events if e["action"]["type"] == "checkin_mark"]
    assert all(set(m) <= {"type", "at", "seat", "mark", "item"} for m in marks)
    assert {m["mark"] for m in marks} >= {"consented", "answered", "skipped", "finished",
                                         "declined", "withdrawn"}

    # The shared screen saw counts only: never an answer, never a name in the round.
    screen.drain()
    scenes = [m for m in screen.seen if m["t"] == "scene"]
    checkin_scenes = [m for m in scenes if m["scene"]["title"]["en"] == "Check-in"]
    assert checkin_scenes
    for scene in checkin_scenes:
        dumped = json.dumps(scene)
        assert SECRET_TEXT not in dumped
        for name in ("Aino", "Bashir", "Camilla"):
            assert name not in dumped
    labels = [e["label"]["en"] for m in checkin_scenes for e in m["scene"]["elements"]
              if e["kind"] == "progress"]
    assert labels[-1] == "3 of 3 done"

    # Closing the round lets the game go on; the round is marked closed.
    page = panel.get(f"/panel/t/{code}/checkin").get_data(as_text=True)
    count = re.search(r'id="checkin-count"[^>]*><strong>([^<]*)<', page)
    assert count is not None and re.fullmatch(r"\D*3\D+3\D*", count.group(1))
    panel.post(f"/panel/t/{code}/checkin/close", data={"csrf_token": token})
    live = server.hub.find(code)
    assert live is not None and live.table.meta.checkin is None
    with server.app.app_context():
        assert db().scalar(select(CheckinRound)).closed_at is not None  # type: ignore[union-attr]


def test_earlier_results_show_only_on_a_seat_the_leader_confirmed(server: LiveServer) -> None:
    panel, code, ids, token = start_meeting(server)
    aino = Tablet(server, code, "Aino")
    for round_number, value in ((1, 3), (2, 8)):
        open_checkin(panel, code, token, kind="start" if round_number == 1 else "end")
        aino.now()
        aino.move("checkin.consent", value=True, text_id="piiri-consent-2")
        aino.answer_current(value)
        aino.move("checkin.finish")
        bars = next(i for i in aino.now()["items"] if i["kind"] == "bars")
        wellbeing = next(b for b in bars["bars"] if b["label"]["en"] == "Wellbeing")
        assert wellbeing["now"] == value
        # Picked from the roster, not confirmed by the leader: no earlier results shown.
        assert wellbeing["before"] is None
        with server.app.app_context():
            shown = [(a.action, a.member_id, a.user_id) for a in db().scalars(
                select(AuditEntry).where(AuditEntry.action == "checkin_summary"))]
        assert shown.count(("checkin_summary", ids["Aino"], None)) == round_number
        if round_number == 2:
            page = panel.get(f"/panel/t/{code}/checkin")
            assert page.status_code == 200
            panel.post(f"/panel/t/{code}/checkin/tie", data={
                "csrf_token": token, "seat": aino.seat, "member": str(ids["Aino"])})
            bars = next(i for i in aino.now()["items"] if i["kind"] == "bars")
            wellbeing = next(b for b in bars["bars"] if b["label"]["en"] == "Wellbeing")
            assert (wellbeing["before"], wellbeing["now"]) == (3, 8)
        panel.post(f"/panel/t/{code}/checkin/close", data={"csrf_token": token})


def test_a_seat_without_a_member_can_only_say_not_this_time(server: LiveServer) -> None:
    panel, code, ids, token = start_meeting(server)
    guest = Tablet(server, code, "Vieras")
    open_checkin(panel, code, token)
    shown = guest.now()
    assert "consent" not in kinds(shown)
    refused = guest.move("checkin.consent", value=True, text_id="piiri-consent-2")
    assert refused["t"] == "error" and "ohjaaja" in refused["message"]["fi"]
    assert guest.move("checkin.consent", value=False)["t"] == "ack"
    with server.app.app_context():
        assert db().scalar(select(CheckinConsent)) is None


def test_identity_codes_are_refused_in_written_answers(server: LiveServer) -> None:
    panel, code, ids, token = start_meeting(server)
    aino = Tablet(server, code, "Aino")
    open_checkin(panel, code, token)
    aino.now()
    aino.move("checkin.consent", value=True, text_id="piiri-consent-2")
    while True:
        item = next(i for i in aino.now()["items"] if i.get("move") == "checkin.answer")
        if item["kind"] == "free_text":
            break
        aino.skip()
    refused = aino.move("checkin.answer", item=item["payload"]["item"],
                        value="Olen 131052-308T")
    assert refused["t"] == "error" and "henkilötunnus" in refused["message"]["fi"]
    with server.app.app_context():
        assert db().scalar(select(CheckinAnswer)) is None


def test_cofacilitators_never_see_the_check_in(server: LiveServer) -> None:
    panel, code, ids, token = start_meeting(server)
    make_user(server.app, "peer@a.example", role=Role.cofacilitator)
    peer = server.app.test_client()
    login(peer, "peer@a.example")
    assert peer.get(f"/panel/t/{code}/checkin").status_code == 403
    assert peer.post(f"/panel/t/{code}/checkin/open",
                     data={"csrf_token": token, "kind": "start",
                           "form": "piiri-arki"}).status_code in (400, 403)
    assert "checkin-link" not in peer.get(f"/panel/t/{code}").get_data(as_text=True)
    assert "checkin-link" in panel.get(f"/panel/t/{code}").get_data(as_text=True)


def test_a_round_survives_a_restart(server: LiveServer) -> None:
    panel, code, ids, token = start_meeting(server)
    aino = Tablet(server, code, "Aino")
    open_checkin(panel, code, token)
    aino.now()
    aino.move("checkin.consent", value=True, text_id="piiri-consent-2")
    aino.answer_current(4)
    aino.client.close()
    server.restart()
    back = Client(server)
    back.hello(code, token=aino.token)
    shown = controls(back)
    assert "checkin.answer" in json.dumps(shown)
    assert "Kysymys 2/" in json.dumps(shown, ensure_ascii=False)


def test_without_configured_keys_a_key_file_is_made_outside_the_instance(
        tmp_path: Path) -> None:
    with running(tmp_path / "piiri.sqlite3") as server:
        panel, code, ids, token = start_meeting(server)
        open_checkin(panel, code, token)
        key_file = Path(os.environ["XDG_CONFIG_HOME"]) / "piiri" / "checkin.keys"
        assert key_file.exists()
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert not key_file.resolve().is_relative_to(Path(server.app.instance_path).resolve())


def test_the_check_in_the_group_is_due_for_is_offered_first(server: LiveServer) -> None:
    from datetime import UTC, datetime, timedelta

    from facilitator.checkins.answers import save_answer
    from facilitator.checkins.sealing import Sealer
    from facilitator.models import Meeting, Period

    panel, code, ids, token = start_meeting(server)
    page = panel.get(f"/panel/t/{code}/checkin").get_data(as_text=True)
    assert re.search(r'value="start" checked', page)
    with server.app.app_context():
        meeting = db().scalar(select(Meeting))
        assert meeting is not None
        period = db().get(Period, meeting.period_id)
        assert period is not None
        period.starts_on = datetime.now(UTC).date() - timedelta(days=80)
        period.ends_on = datetime.now(UTC).date() + timedelta(days=5)
        started = CheckinRound(organisation_id=1, group_id=period.group_id, period_id=period.id,
                               form_id="piiri-arki", kind="start")
        db().add(started)
        db().flush()
        for member_id in ids.values():
            db().add(CheckinConsent(round_id=started.id, member_id=member_id,
                                    text_id="piiri-consent-2"))
            save_answer(db(), Sealer([KEY]), round_id=started.id, member_id=member_id,
                        item_id="wellbeing-now", domain="wellbeing", value=5)
        db().commit()
    page = panel.get(f"/panel/t/{code}/checkin").get_data(as_text=True)
    assert re.search(r'value="end" checked', page)


def test_ending_the_game_during_a_round_closes_the_round(server: LiveServer) -> None:
    panel, code, ids, token = start_meeting(server)
    aino = Tablet(server, code, "Aino")
    open_checkin(panel, code, token)
    aino.now()
    panel.post(f"/panel/t/{code}/end", data={"csrf_token": token})
    live = server.hub.find(code)
    assert live is not None and live.table.meta.checkin is None
    assert "checkin.consent" not in json.dumps(aino.now())
    with server.app.app_context():
        assert db().scalar(select(CheckinRound)).closed_at is not None  # type: ignore[union-attr]


def test_a_seat_answering_cannot_be_moved_to_another_member(server: LiveServer) -> None:
    panel, code, ids, token = start_meeting(server)
    aino = Tablet(server, code, "Aino")
    open_checkin(panel, code, token)
    aino.now()
    aino.move("checkin.consent", value=True, text_id="piiri-consent-2")
    aino.answer_current(6)
    page = panel.post(f"/panel/t/{code}/checkin/tie", data={
        "csrf_token": token, "seat": aino.seat, "member": str(ids["Bashir"])},
        follow_redirects=True).get_data(as_text=True)
    assert "withdraw" in page or "peru" in page.lower()
    live = server.hub.find(code)
    assert live is not None and live.table.seat(aino.seat).member == str(ids["Aino"])
    # Confirming the same member is fine.
    panel.post(f"/panel/t/{code}/checkin/tie", data={
        "csrf_token": token, "seat": aino.seat, "member": str(ids["Aino"])})
    assert live.table.seat(aino.seat).member_confirmed


def test_the_same_member_on_a_handed_over_tablet_carries_on(server: LiveServer) -> None:
    panel, code, ids, token = start_meeting(server)
    first = Tablet(server, code, "Aino")
    open_checkin(panel, code, token)
    first.now()
    first.move("checkin.consent", value=True, text_id="piiri-consent-2")
    first.answer_current(2)
    # A second tablet for the same member while the first still answers: refused.
    second = Tablet(server, code, "Aino T")  # typed, then tied by the leader
    panel.post(f"/panel/t/{code}/checkin/tie", data={
        "csrf_token": token, "seat": second.seat, "member": str(ids["Aino"])})
    second.now()
    refused = second.move("checkin.consent", value=True, text_id="piiri-consent-2")
    assert refused["t"] == "error"
    # Once the first tablet is handed over, the second one carries on for Aino.
    first.client.send(t="handover")
    import time
    live = server.hub.find(code)
    assert live is not None
    deadline = time.monotonic() + 10
    while not live.table.seat(first.seat).gone:  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "the hand-over did not arrive"
        time.sleep(0.02)
    assert second.move("checkin.consent", value=True, text_id="piiri-consent-2")["t"] == "ack"
    assert second.answer_current(9)["t"] == "ack"
    with server.app.app_context():
        value_rows = list(db().scalars(select(CheckinAnswer)))
        assert len(value_rows) == 1 and value_rows[0].member_id == ids["Aino"]


def test_a_broken_form_file_is_explained_and_nothing_opens(
        server: LiveServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from facilitator.checkins import answers as checkin

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
    broken = content / "checkins" / "piiri-arki.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("kind: scale10",
                                                                 "kind: slider10", 1),
                      encoding="utf-8")
    monkeypatch.setenv("PIIRI_CONTENT_DIR", str(content))
    checkin._installed.cache_clear()
    try:
        panel, code, ids, token = start_meeting(server)
        page = panel.get(f"/panel/t/{code}/checkin")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert 'id="forms-problem"' in text and "piiri-arki.yaml" in text
        opened = panel.post(f"/panel/t/{code}/checkin/open", data={
            "csrf_token": token, "kind": "start", "form": "piiri-arki"},
            follow_redirects=True)
        assert opened.status_code == 200
        live = server.hub.find(code)
        assert live is not None and live.table.meta.checkin is None
        with server.app.app_context():
            assert db().scalar(select(CheckinRound)) is None
    finally:
        monkeypatch.delenv("PIIRI_CONTENT_DIR")
        checkin._installed.cache_clear()


def test_todays_meetings_say_how_many_are_due_a_check_in(server: LiveServer) -> None:
    from datetime import datetime, time

    from facilitator.i18n import HELSINKI
    from facilitator.models import Meeting

    make_user(server.app)
    make_user(server.app, "peer@a.example", role=Role.cofacilitator)
    leader = server.app.test_client()
    login(leader)
    period_id, meeting_id, ids = plan(server)
    with server.app.app_context():
        meeting = db().get(Meeting, meeting_id)
        assert meeting is not None
        meeting.starts_at = datetime.combine(datetime.now(HELSINKI).date(), time(12),
                                             tzinfo=HELSINKI)
        db().commit()
    today = leader.get("/panel/").get_data(as_text=True)
    note = re.search(r'class="checkin-due-note"[^>]*>([^<]*)<', today)
    assert note is not None and str(len(ids)) in note.group(1)
    peer = server.app.test_client()
    login(peer, "peer@a.example")
    assert "checkin-due-note" not in peer.get("/panel/").get_data(as_text=True)
