"""Pelitarina in the leader's panel: erasing a member takes their life line with it (from the
sealed store and from a table running now), the take-home keepsake, sharing a strengths
summary with the leader, and the one-to-one mode."""

from __future__ import annotations

import json
import re
from typing import Any

from engine import Avatar, AvatarColour, AvatarIcon, StartTable, TieMember
from tests.accounts import csrf_token, signed_in

TYPED = "Kvorkelin Lautapeli"  # a game name nobody else would type


# -- helpers -----------------------------------------------------------------------------------


def _member(app: Any, nickname: str = "Aino", org: str = "Org A") -> int:
    from sqlalchemy import select

    from facilitator.dbsession import db
    from facilitator.models import Group, Member, Organisation

    with app.app_context():
        found = db().scalar(select(Organisation).where(Organisation.name == org))
        assert found is not None
        group = Group(organisation_id=found.id, name="Torstai")
        db().add(group)
        db().flush()
        member = Member(group_id=group.id, nickname=nickname)
        db().add(member)
        db().commit()
        return member.id


def _own_table(app: Any, options: dict[str, Any] | None = None, org: str = "Org A",
               meeting: bool = False) -> Any:
    """A Pelitarina table of this organisation (optionally a planned meeting's)."""
    from datetime import UTC, date, datetime

    from sqlalchemy import select

    from facilitator.dbsession import db
    from facilitator.models import Group, Meeting, Organisation, Period, TableOwner

    hub = app.extensions["piiri.hub"]
    live = hub.create_table("pelitarina", options)
    with app.app_context():
        found = db().scalar(select(Organisation).where(Organisation.name == org))
        if found is None:
            found = Organisation(name=org)
            db().add(found)
            db().flush()
        meeting_id = None
        if meeting:
            group = Group(organisation_id=found.id, name="Kahden kesken")
            db().add(group)
            db().flush()
            period = Period(group_id=group.id, name="Syksy", starts_on=date.today())
            db().add(period)
            db().flush()
            row = Meeting(period_id=period.id, starts_at=datetime.now(UTC), game="pelitarina")
            db().add(row)
            db().flush()
            meeting_id = row.id
        db().add(TableOwner(table_id=live.table_id, organisation_id=found.id,
                            meeting_id=meeting_id))
        db().commit()
    live.meeting_id = meeting_id  # for the test only
    return live


def _to_summary(hub: Any, live: Any, *seats: Seat) -> None:
    """Everyone has built; each tells in turn; the table reaches the summaries."""
    while live.table.view().phase == "tell":
        current = live.table.view().current
        seat = next(s for s in seats if s.id == current)
        seat.move("show", value="line")
        seat.move("told")
    assert live.table.view().phase == "summary"


def _audits(app: Any, action: str) -> list[Any]:
    from sqlalchemy import select

    from facilitator.dbsession import db
    from facilitator.models import AuditEntry

    with app.app_context():
        return list(db().scalars(select(AuditEntry).where(AuditEntry.action == action)))


class Seat:
    """One participant's tablet, driven through the hub."""

    def __init__(self, hub: Any, live: Any, nickname: str, member: int | None = None) -> None:
        self.hub, self.live = hub, live
        hub.join(live, nickname, Avatar(icon=AvatarIcon.sun, colour=AvatarColour.orange),
                 None if member is None else str(member))
        self.id = live.table.meta.seats[-1].id
        self.msg = 0

    def move(self, name: str, **payload: Any) -> Any:
        self.msg += 1
        result = self.hub.move(self.live, self.id, self.msg, name, payload)
        assert result.__class__.__name__ == "Accepted", result
        return result

    def build(self, typed: str, gave: list[str] | None = None) -> None:
        self.move("consent", value="yes")
        self.move("open_stage", value=self.live.table.state.stages[0])
        self.move("go", value="type")
        self.move("type_name", value=typed)
        self.move("set_gave", entry=0, value=gave or ["patience", "cooperation"])
        self.move("ready")

    def controls(self) -> str:
        return self.hub.controls_frame(self.live, self.id)


def _table(hub: Any, options: dict[str, Any] | None = None) -> Any:
    return hub.create_table("pelitarina", options)


def _start(hub: Any, live: Any) -> None:
    hub.apply(live, StartTable(at=hub.now()))


def _confirm(hub: Any, live: Any, seat: Seat, member: int) -> None:
    hub.apply(live, TieMember(at=hub.now(), seat=seat.id, member=str(member)))


# -- 1. erasing a member -----------------------------------------------------------------------


def test_erasing_a_member_in_the_panel_removes_their_life_line_everywhere(app: Any) -> None:
    client = signed_in(app)
    member = _member(app)
    hub = app.extensions["piiri.hub"]
    live = _table(hub)
    aino = Seat(hub, live, "Aino", member)
    other = Seat(hub, live, "Ben")
    _start(hub, live)
    aino.build(TYPED)
    other.build("Toisen peli")
    assert hub.vault.load(live.table_id)  # kept, sealed
    assert TYPED in aino.controls()  # and shown on her own tablet
    path = f"/panel/members/{member}/checkins/erase"
    response = client.post(path, data={"confirm": "yes", "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    # gone from the sealed store …
    left = hub.vault.load(live.table_id)
    assert all(not ref.startswith(f"{aino.id}.") for ref in left)
    assert "Toisen peli" in left.values()  # … only hers
    # … and from the table running now: her tablet no longer shows it
    assert not any(ref.startswith(f"{aino.id}.") for ref in live.table.private)
    assert TYPED not in aino.controls()
    assert TYPED not in json.dumps(live.table.scene().model_dump(mode="json"))
    # the audit entry counts them, never their content
    from sqlalchemy import select

    from facilitator.dbsession import db
    from facilitator.models import AuditEntry

    with app.app_context():
        entry = db().scalar(select(AuditEntry).where(AuditEntry.action == "checkin_erase"))
        assert entry is not None and "private_values" in entry.detail
        assert TYPED not in entry.detail


# -- 2. the take-home keepsake -----------------------------------------------------------------

_QR = re.compile(r"/k/([A-Za-z0-9_-]{40,})/qr\.png")


def test_a_one_time_link_shows_as_a_qr_code_on_the_own_tablet_only_and_opens_once(
        app: Any) -> None:
    hub = app.extensions["piiri.hub"]
    live = _own_table(app)
    aino, ben = Seat(hub, live, "Aino"), Seat(hub, live, "Ben")
    _start(hub, live)
    aino.build(TYPED)
    ben.build("Toisen peli")
    _to_summary(hub, live, aino, ben)
    assert not _QR.search(aino.controls())  # nothing until she asks
    aino.move("keep", value="link")
    found = _QR.search(aino.controls())
    assert found, aino.controls()
    token = found.group(1)
    # only her tablet gets it: not Ben's, not the screen, not the log
    assert token not in ben.controls()
    assert token not in hub.scene_frame(live)
    assert all(token not in e.model_dump_json() for e in hub.store.events(live.table_id))
    web = app.test_client()
    picture = web.get(f"/k/{token}/qr.png")
    assert picture.status_code == 200 and picture.data.startswith(b"\x89PNG")
    assert picture.headers["Cache-Control"] == "no-store"
    page = web.get(f"/k/{token}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert TYPED in text and "patience" in text and "Toisen peli" not in text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    # once only: the page, its picture and the code on the tablet are gone
    assert web.get(f"/k/{token}").status_code == 404
    assert web.get(f"/k/{token}/qr.png").status_code == 404
    assert not _QR.search(aino.controls())


def test_a_link_nobody_opened_expires_and_a_guessed_one_opens_nothing(app: Any) -> None:
    from datetime import timedelta

    hub = app.extensions["piiri.hub"]
    live = _own_table(app)
    aino = Seat(hub, live, "Aino")
    _start(hub, live)
    aino.build(TYPED)
    _to_summary(hub, live, aino)
    aino.move("keep", value="link")
    found = _QR.search(aino.controls())
    assert found
    token = found.group(1)
    web = app.test_client()
    assert web.get("/k/" + "A" * 43).status_code == 404
    clock = hub.clock
    later = clock() + timedelta(minutes=31)
    hub.clock = lambda: later
    try:
        gone = web.get(f"/k/{token}")
        assert gone.status_code == 404 and TYPED not in gone.get_data(as_text=True)
        fresh = _QR.search(aino.controls())  # her tablet gets a new one that works
        assert fresh and fresh.group(1) != token
    finally:
        hub.clock = clock


def test_the_leader_prints_a_life_line_only_when_the_participant_asked(app: Any) -> None:
    client = signed_in(app)
    hub = app.extensions["piiri.hub"]
    live = _own_table(app)
    aino = Seat(hub, live, "Aino")
    _start(hub, live)
    aino.build(TYPED)
    _to_summary(hub, live, aino)
    path = f"/panel/t/{live.code}/keepsakes/{aino.id}/print"
    assert client.get(path).status_code == 404  # she has not asked
    page = client.get(f"/panel/t/{live.code}/keepsakes").get_data(as_text=True)
    assert TYPED not in page and "keepsake-" + aino.id not in page
    aino.move("keep", value="print")
    page = client.get(f"/panel/t/{live.code}/keepsakes").get_data(as_text=True)
    assert path in page and TYPED not in page  # a link to print, not the content
    printed = client.get(path)
    assert printed.status_code == 200 and TYPED in printed.get_data(as_text=True)
    assert _audits(app, "keepsake_print")
    # another organisation's leader gets nothing
    other = signed_in(app, "leader@b.example", "Org B")
    assert other.get(path).status_code == 404


# -- 3. sharing with the leader ----------------------------------------------------------------


def test_a_shared_summary_reaches_the_member_page_only_from_a_confirmed_seat(app: Any) -> None:
    client = signed_in(app, lang="en")
    member = _member(app)
    hub = app.extensions["piiri.hub"]
    live = _own_table(app)
    aino = Seat(hub, live, "Aino", member)
    _start(hub, live)
    aino.build(TYPED, gave=["patience"])
    _to_summary(hub, live, aino)
    keepsakes = f"/panel/t/{live.code}/keepsakes"
    attach = f"{keepsakes}/{aino.id}/attach"
    # nothing goes to the leader unless she shares
    assert "patience" not in client.get(keepsakes).get_data(as_text=True)
    client.post(attach, data={"csrf_token": csrf_token(client, keepsakes)})
    assert not _audits(app, "keepsake_share")
    aino.move("keep", value="share")
    page = client.get(keepsakes).get_data(as_text=True)
    assert "patience" in page and TYPED not in page
    # a roster pick alone is not enough: the leader must have confirmed the seat
    refused = client.post(attach, data={"csrf_token": csrf_token(client, keepsakes)},
                          follow_redirects=True).get_data(as_text=True)
    assert "confirm" in refused and not _audits(app, "keepsake_share")
    member_page = f"/panel/members/{member}/checkins"
    assert "patience" not in client.get(member_page).get_data(as_text=True)
    _confirm(hub, live, aino, member)
    client.post(attach, data={"csrf_token": csrf_token(client, keepsakes)})
    entries = _audits(app, "keepsake_share")
    assert len(entries) == 1 and entries[0].member_id == member
    shown = client.get(member_page).get_data(as_text=True)
    assert "shared-strengths" in shown and "patience" in shown and TYPED not in shown
    # erasing the member takes the shared summary too
    erase = f"/panel/members/{member}/checkins/erase"
    client.post(erase, data={"confirm": "yes", "csrf_token": csrf_token(client, erase)})
    assert "shared-strengths" not in client.get(member_page).get_data(as_text=True)


def _shared_and_attached(app: Any, client: Any, member: int) -> Any:
    """Aino builds (with a typed game), shares her strengths from a confirmed seat, and the
    leader attaches them to her page."""
    hub = app.extensions["piiri.hub"]
    live = _own_table(app)
    aino = Seat(hub, live, "Aino", member)
    _start(hub, live)
    aino.build(TYPED, gave=["patience"])
    _to_summary(hub, live, aino)
    aino.move("keep", value="share")
    _confirm(hub, live, aino, member)
    keepsakes = f"/panel/t/{live.code}/keepsakes"
    client.post(f"{keepsakes}/{aino.id}/attach",
                data={"csrf_token": csrf_token(client, keepsakes)})
    assert len(_audits(app, "keepsake_share")) == 1
    return aino


def test_a_shared_summary_is_in_the_members_client_plan_export_and_audited(
        app: Any, tmp_path: Any) -> None:
    import csv
    import io
    import shutil
    import subprocess

    client = signed_in(app, lang="en")
    member = _member(app)
    exports = f"/panel/members/{member}/checkins/export"
    # before anything is shared, the export holds no strengths
    assert "patience" not in client.get(f"{exports}.csv").get_data(as_text=True)
    _shared_and_attached(app, client, member)
    raw = client.get(f"{exports}.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    shared = [row for row in rows if row[0] == "Shared strengths"]
    assert len(shared) == 1 and "patience" in shared[0][5], rows
    assert TYPED not in raw  # the summary, never the life line's games
    pdf = tmp_path / "own.pdf"
    pdf.write_bytes(client.get(f"{exports}.pdf").data)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed: make test installs it"
    text = subprocess.run([pdftotext, str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Strengths the member shared" in text and "patience" in text
    assert TYPED not in text
    # each export is in the audit log, with the count only
    for action in ("checkin_export_csv", "checkin_export_pdf"):
        entries = _audits(app, action)
        assert entries[-1].member_id == member
        assert "1 shared summaries" in entries[-1].detail and "patience" not in (
            entries[-1].detail)


def test_the_erase_page_names_and_counts_life_lines_summaries_and_credits(app: Any) -> None:
    from facilitator.dbsession import db
    from facilitator.models import Member
    from facilitator.workshop import MadeContent, MadeCredit

    client = signed_in(app, lang="en")
    member = _member(app)
    _shared_and_attached(app, client, member)
    with app.app_context():
        group = db().get(Member, member).group
        made = MadeContent(organisation_id=group.organisation_id, group_id=group.id,
                           game="circle", name="Our prompts", language="fi")
        db().add(made)
        db().flush()
        db().add(MadeCredit(content_id=made.id, item_id="p1", name="Aino", member_id=member))
        db().commit()
    erase = f"/panel/members/{member}/checkins/erase"
    page = client.get(erase).get_data(as_text=True)
    counts = re.search(r'<ul id="erase-counts">(.*?)</ul>', page, re.S)
    assert counts is not None
    listed = " ".join(counts.group(1).split())
    assert "private choices in games, such as the games on a life line" in listed
    assert "1 strengths summary the member shared" in listed
    assert "1 credit as a maker in a workshop" in listed
    assert "life lines and shared summaries, and their credits as a maker" in page
    done = client.post(erase, data={"confirm": "yes", "csrf_token": csrf_token(client, erase)},
                       follow_redirects=True).get_data(as_text=True)
    assert ("Aino&#39;s check-in answers, consents and goals, life lines and shared summaries, "
            "and their credits as a maker are erased.") in done
    after = " ".join(client.get(erase).get_data(as_text=True).split())
    assert "0 strengths summaries" in after and "0 credits as a maker" in after
    assert "0 private choices in games" in after


# -- 4. one to one -----------------------------------------------------------------------------


def test_one_to_one_session_prompts_on_the_tablet_and_panel_and_a_private_note(
        app: Any) -> None:
    from sqlalchemy import select

    from facilitator.dbsession import db
    from facilitator.models import MeetingNote

    client = signed_in(app, lang="en")
    hub = app.extensions["piiri.hub"]
    live = _own_table(app, {"one_to_one": True}, meeting=True)
    client_seat = Seat(hub, live, "Aino")
    _start(hub, live)
    client_seat.build(TYPED)
    view = live.table.view()
    assert view.phase == "tell" and view.current == client_seat.id
    prompt = next(p for p in live.table.content.method.prompts
                  if p.id == view.state.prompts[view.state.prompt])
    # the client's own tablet shows the question (no shared screen is needed) …
    assert prompt.text.pick("fi") in client_seat.controls()
    # … and so does the worker's live table page
    panel = client.get(f"/panel/t/{live.code}").get_data(as_text=True)
    assert prompt.text.pick("en") in panel and "keepsake-link" in panel
    client_seat.move("show", value="game:0")
    client_seat.move("told")
    assert live.table.view().phase == "summary"
    # the worker's own note is kept as a meeting note, never on the tablet or screen
    note = "Asiakas innostui lautapeleistä"
    keepsakes = f"/panel/t/{live.code}/keepsakes"
    empty = client.post(f"{keepsakes}/note", data={"note": " ",
                                                    "csrf_token": csrf_token(client, keepsakes)})
    assert empty.status_code == 400 and "1 to 1000" in empty.get_data(as_text=True)
    saved = client.post(f"{keepsakes}/note", data={"note": note,
                                                    "csrf_token": csrf_token(client, keepsakes)})
    assert saved.status_code == 302
    with app.app_context():
        notes = list(db().scalars(select(MeetingNote).where(
            MeetingNote.meeting_id == live.meeting_id)))
    assert [n.text for n in notes] == [note]
    assert note not in client_seat.controls() and note not in hub.scene_frame(live)


def test_new_panel_pages_say_their_words_in_every_panel_language(app: Any) -> None:
    hub = app.extensions["piiri.hub"]
    for lang, word in (("fi", "Kotiin vietävät"), ("sv", "Att ta hem"), ("en", "Take-home")):
        client = signed_in(app, f"{lang}@a.example", lang=lang)
        live = _own_table(app)
        page = client.get(f"/panel/t/{live.code}/keepsakes").get_data(as_text=True)
        assert word in page, lang
    assert hub


# -- accessibility: every new panel page and tablet state --------------------------------------


def test_new_pages_and_the_qr_tablet_state_are_axe_clean(browser: Any, server: Any) -> None:
    from playwright.sync_api import expect

    from tests.accounts import login_page, make_user
    from tests.axe import assert_no_violations
    from tests.test_browser import join

    make_user(server.app)
    member = _member(server.app)
    hub = server.hub
    live = _own_table(server.app)
    tablet = browser.new_context(locale="fi-FI").new_page()
    seat_id = join(tablet, f"{server.url}/j/{live.code}", "Aino")
    aino = Seat.__new__(Seat)
    aino.hub, aino.live, aino.id, aino.msg = hub, live, seat_id, 1000
    _start(hub, live)
    aino.build(TYPED)
    _to_summary(hub, live, aino)
    expect(tablet.locator("[data-move=keep]").first).to_be_visible(timeout=20_000)
    assert_no_violations(tablet, "tablet: summary with keepsake choices")
    for choice in ("link", "print", "share"):
        aino.move("keep", value=choice)
    expect(tablet.locator("img.text-qr")).to_be_visible(timeout=20_000)
    assert_no_violations(tablet, "tablet: the one-time QR code")
    token = _QR.search(aino.controls())
    assert token
    hub.apply(live, TieMember(at=hub.now(), seat=aino.id, member=str(member)))

    leader = browser.new_context(locale="fi-FI").new_page()
    login_page(leader, server.url)
    leader.goto(f"{server.url}/panel/t/{live.code}/keepsakes")
    assert_no_violations(leader, "panel: take-home and notes")
    leader.click(f"#keepsake-{aino.id} button")
    expect(leader.locator(f"#keepsake-{aino.id}")).not_to_contain_text("confirm",
                                                                       timeout=20_000)
    assert_no_violations(leader, "panel: take-home after attaching")
    leader.goto(f"{server.url}/panel/t/{live.code}/keepsakes/{aino.id}/print")
    assert_no_violations(leader, "panel: the printout")
    leader.goto(f"{server.url}/panel/members/{member}/checkins")
    expect(leader.locator("#shared-strengths")).to_be_visible(timeout=20_000)
    assert_no_violations(leader, "panel: member page with shared strengths")

    phone = browser.new_context(locale="fi-FI").new_page()
    phone.goto(f"{server.url}/k/{token.group(1)}")
    expect(phone.locator("body")).to_have_attribute("data-state", "keepsake")
    assert_no_violations(phone, "phone: the keepsake page")
    phone.goto(f"{server.url}/k/{token.group(1)}")
    expect(phone.locator("body")).to_have_attribute("data-state", "keepsake-gone")
    assert_no_violations(phone, "phone: a used link")
    for page in (tablet, leader, phone):
        page.context.close()
