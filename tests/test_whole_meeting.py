"""A new group leader's whole meeting, clicked through in real browsers at a live server.

The leader signs in for the first time (which makes the account), makes a group of five at once,
a period and today's meeting with the story activity, opens its table with the meeting's one
next-step button, and five phone-sized tablets join through the room code page, tapping their
names. The browser screen shows the story; the group plays it to an ending with a pass, a
write-in the leader approves from the panel's queue and a tablet that reloads in the middle of a
vote. The feedback round follows on the tablets; the leader takes the roll call, closes it (a
second click changes nothing), reads the period report and exports the period's records. axe-core
looks at every page and tablet state passed through.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import func, select

from engine import TableStatus
from facilitator.dbsession import db
from facilitator.i18n import HELSINKI
from facilitator.models import AttendanceRecord, Meeting
from games.story import words

from .axe import report, violations
from .browser import settle, wait_for
from .live_server import LiveServer
from .test_story_browser import everyone_reads, everyone_votes_first

pytestmark = pytest.mark.browser

WAIT = 20_000
NAMES = ("Aino", "Bashir", "Camilla", "Dmitri", "Eeva")
PASSWORD = "oikein-hyvä-salasana"
WRITE_IN = "Kim kysyy neuvoa naapurilta"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}




class Walk:
    """The pages and states met, and axe's findings on each."""

    def __init__(self) -> None:
        self.met: list[str] = []
        self.problems: list[str] = []

    def check(self, name: str, page: Page) -> None:
        self.met.append(name)
        for attempt in range(3):
            # The leader's live page loads itself again when its forms change (the game
            # started, a proposal came): look again at the page that loaded.
            try:
                page.wait_for_load_state()
                settle(page)
                found = violations(page)
                break
            except PlaywrightError as error:
                if "context was destroyed" not in str(error) or attempt == 2:
                    raise
        if found:
            self.problems.append(f"{name} ({page.url}):\n{report(found)}")


def finnish_only(page: Page, name: str) -> None:
    """No English word of the panel's or the tablet's own is left in a Finnish page."""
    text = page.locator("body").inner_text()
    for english in ("Submit", "Cancel", "Start the game", "Save", "Next", "Back", "Error",
                    "Loading", "Skip", "Pass", "Vote", "Join", "Waiting"):
        assert f" {english} " not in f" {' '.join(text.split())} ", (name, english, text)


def give_feedback(page: Page, face: str | None, word: str | None, more: list[str] | None,
                  walk: Walk | None) -> None:
    """Answer the three feedback questions on a tablet by tapping (``None`` skips one)."""
    main = page.locator("main")
    expect(main).to_contain_text("Kysymys 1/3", timeout=WAIT)
    if face is None:
        main.locator("[data-kind=pass]").click()
    else:
        main.locator(f"[data-value='{face}']").click()
    expect(main).to_contain_text("Kysymys 2/3", timeout=WAIT)
    if walk is not None:
        walk.check("tablet: feedback, a word", page)
    if word is None:
        main.locator("[data-kind=pass]").click()
    else:
        main.locator("textarea").fill(word)
        main.locator("[data-role=send]").click()
    expect(main).to_contain_text("Kysymys 3/3", timeout=WAIT)
    if walk is not None:
        walk.check("tablet: feedback, more of", page)
    if more is None:
        main.locator("[data-kind=pass]").click()
    else:
        for value in more:
            main.locator(f"[data-value='{value}']").click()
        main.locator("[data-role=send]").click()
    expect(main.locator("[data-kind=pass]")).to_have_count(0, timeout=WAIT)
    if walk is not None:
        walk.check("tablet: feedback, thanks", page)


def later_today() -> datetime:
    now = datetime.now(HELSINKI)
    soon = now + timedelta(minutes=5)
    return soon if soon.date() == now.date() else now.replace(hour=23, minute=59)


def test_the_live_page_of_every_game_opens_before_its_start(app: Any) -> None:
    """A table waiting for its players has a blank game state: the leader's page must not ask
    the game about it (the story's page was a raw server error until the game started)."""
    from engine.registry import available_games

    from .accounts import csrf_token, signed_in

    client = signed_in(app, lang="fi")
    token = csrf_token(client, "/panel/")
    for game in sorted(available_games()):
        opened = client.post("/panel/tables", data={"game": game, "csrf_token": token})
        assert opened.status_code == 302, game
        response = client.get(opened.headers["Location"])
        assert response.status_code == 200, game
        assert 'id="room-code"' in response.get_data(as_text=True)


def test_a_new_leader_runs_a_whole_story_meeting_with_five_tablets(
        browser: Browser, server: LiveServer, tmp_path: Path) -> None:
    walk = Walk()
    base = server.url
    panel = browser.new_context(locale="fi-FI", viewport=DESKTOP,
                                accept_downloads=True).new_page()

    # -- the first visit makes the account ---------------------------------------------------
    panel.goto(f"{base}/panel/")
    expect(panel.locator("#setup")).to_be_visible()
    walk.check("panel: first-run setup", panel)
    finnish_only(panel, "setup")
    panel.fill("#setup [name=organisation]", "Kaupungin sosiaalipalvelut")
    panel.fill("#setup [name=name]", "Leena")
    panel.fill("#setup [name=email]", "leena@example.fi")
    panel.fill("#setup [name=password]", PASSWORD)
    panel.fill("#setup [name=again]", PASSWORD)
    panel.click("#setup button[type=submit]")
    panel.wait_for_url(f"{base}/panel/")
    walk.check("panel: Today, empty", panel)
    finnish_only(panel, "today")

    # -- a group of five, added at once; a period; today's meeting ------------------------------
    panel.click("text=Ryhmät")
    walk.check("panel: groups", panel)
    panel.fill("#new-group [name=name]", "Torstain ryhmä")
    panel.click("#new-group button[type=submit]")
    walk.check("panel: a new group", panel)
    panel.fill("#new-member [name=m-nickname]", "\n".join(NAMES))
    panel.click("#new-member button[type=submit]")
    expect(panel.locator("#members li")).to_have_count(5)
    walk.check("panel: the group with its members", panel)
    panel.fill("#new-period [name=p-name]", "Kevät")
    panel.fill("#new-period [name=p-starts_on]", datetime.now(HELSINKI).date().isoformat())
    panel.click("#new-period button[type=submit]")
    period_url = panel.url
    walk.check("panel: a new period", panel)
    when = later_today()
    panel.fill("#new-meeting [name=day]", when.date().isoformat())
    panel.fill("#new-meeting [name=at]", when.strftime("%H:%M"))
    panel.fill("#new-meeting [name=theme]", "Tarina yhdessä")
    panel.select_option("#new-meeting select[name=activity]", label="Tarina")
    panel.click("#new-meeting button[type=submit]")
    expect(panel.locator("#meetings li")).to_have_count(1)
    walk.check("panel: the period with a planned meeting", panel)
    panel.locator("#meetings .options-link").click()
    walk.check("panel: the meeting's choices", panel)
    panel.locator("#meeting-options [name=write_ins]").check()
    panel.click("#meeting-options button[type=submit]")
    panel.wait_for_url(period_url)
    expect(panel.locator("#meetings li[data-state=planned]")).to_have_count(1)

    # -- Today: the meeting's one next-step button opens its table, with the QR and room code --
    panel.click("nav >> text=Tänään")
    today = panel.locator("#today li[data-state=planned]")
    expect(today).to_contain_text("Torstain ryhmä")
    walk.check("panel: Today with the planned meeting", panel)
    expect(today.locator("button[data-next]")).to_have_count(1)
    stale = panel.context.new_page()  # a second tab, left on Today with its "open" button
    stale.goto(f"{base}/panel/")
    today.locator("button[data-next=open]").click()
    panel.wait_for_url(f"{base}/panel/t/*")
    code = panel.locator("#room-code").inner_text().strip()
    live = server.hub.find(code)
    assert live is not None and live.table.options.write_ins
    expect(panel.locator("#qr")).to_be_visible()
    assert f"{base}/j/{code}" in panel.locator(".join").inner_text()
    walk.check("panel: the live table, nobody yet", panel)
    finnish_only(panel, "live table")

    # -- the browser screen, opened from the live page's link -----------------------------------
    screen = browser.new_context(locale="fi-FI",
                                 viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(base + (panel.locator("#screens a[target=_blank]").get_attribute("href") or ""))
    expect(screen.locator("body")).to_have_attribute("data-conn", "open", timeout=WAIT)
    expect(screen.locator("body")).to_contain_text(code, timeout=WAIT)
    expect(screen.locator("body")).to_contain_text(f"127.0.0.1:{server.port}/j")
    walk.check("screen: waiting for players", screen)

    # -- five phones type the room code at /j and tap their names --------------------------------
    tablets: dict[str, Page] = {}
    for i, name in enumerate(NAMES):
        page = browser.new_context(locale="fi-FI", viewport=PHONE, is_mobile=True,
                                   has_touch=True).new_page()
        page.goto(f"{base}/j")
        if i == 0:
            walk.check("tablet: the room code page", page)
        page.fill("#code", code.lower())
        page.locator("button[type=submit]").click()
        expect(page.locator("body")).to_have_attribute("data-state", "join", timeout=WAIT)
        roster = page.locator("[data-role=name]")
        expect(roster.first).to_be_visible(timeout=WAIT)
        offered = roster.all_inner_texts()
        # The names already taken are not offered to the next tablet.
        assert [o.strip() for o in offered] == list(NAMES[i:]), offered
        if i == 0:
            walk.check("tablet: pick your name", page)
        roster.filter(has_text=name).click()
        page.click("[data-role=join]")
        expect(page.locator("body")).to_have_attribute("data-state", "seated", timeout=WAIT)
        seat = page.locator("body").get_attribute("data-seat")
        assert seat
        tablets[seat] = page
        if i == 0:
            walk.check("tablet: seated, waiting for the start", page)
    wait_for(lambda: len(live.table.meta.seats) == 5)
    expect(panel.locator("#seats tbody tr")).to_have_count(5, timeout=WAIT)
    # -- the leader starts the game from the live page ----------------------------------------
    panel.locator("form[data-action=start] button").click()
    wait_for(lambda: live.table.status is TableStatus.playing)
    expect(panel.locator("body")).to_have_attribute("data-status", "playing", timeout=WAIT)
    expect(panel.locator("form[data-move=go_on]")).to_be_attached(timeout=WAIT)
    walk.check("panel: the game running", panel)
    finnish_only(panel, "live table, running")
    story = live.table.content.stories[live.table.state.story]
    first = story.scene(story.start)
    expect(screen.locator("body")).to_contain_text(first.title.pick("fi"), timeout=WAIT)
    walk.check("screen: a scene", screen)
    aino, bashir, camilla, dmitri, eeva = tablets.values()
    seats = list(tablets)
    expect(aino.locator("[data-move=read]")).to_be_visible(timeout=WAIT)
    walk.check("tablet: reading a scene", aino)
    finnish_only(aino, "tablet reading")

    everyone_reads(live, tablets)
    assert live.table.state.stage == "vote"
    expect(aino.locator("[data-kind=vote]")).to_be_visible(timeout=WAIT)
    walk.check("tablet: voting, with the write-in field", aino)
    walk.check("screen: a vote", screen)

    # Aino writes her own option; the leader accepts it from the queue on the live page.
    aino.locator("[data-kind=proposal] textarea").fill(WRITE_IN)
    aino.locator("[data-kind=proposal] [data-role=send]").click()
    wait_for(lambda: bool(live.table.meta.proposals.pending()))
    walk.check("tablet: a proposal waiting for the leader", aino)
    queued = panel.locator("#proposals [data-proposal]")
    expect(queued).to_contain_text(WRITE_IN, timeout=WAIT)  # the page loads it by itself
    walk.check("panel: the proposal queue", panel)
    queued.locator("form[action$='/accept'] button[type=submit]").click()
    wait_for(lambda: not live.table.meta.proposals.pending())
    for page in tablets.values():
        expect(page.locator("[data-kind=vote]")).to_contain_text(WRITE_IN, timeout=WAIT)
    expect(screen.locator("body")).to_contain_text(WRITE_IN, timeout=WAIT)

    # Votes: Aino and Bashir for the write-in, Camilla passes, Dmitri's tablet reloads in the
    # middle of the vote and finds its own vote again, Eeva votes for the write-in too.
    offered = list(live.table.state.offered)
    mine = offered[-1]
    aino.locator(f"[data-kind=vote] button[data-value='{mine}']").click()
    wait_for(lambda: seats[0] in live.table.state.ballots)
    walk.check("tablet: voted", aino)
    bashir.locator(f"[data-kind=vote] button[data-value='{mine}']").click()
    wait_for(lambda: seats[1] in live.table.state.ballots)
    camilla.locator("[data-kind=pass]").click(timeout=WAIT)
    wait_for(lambda: seats[2] in live.table.state.passed)
    dmitri.locator(f"[data-kind=vote] button[data-value='{offered[0]}']").click()
    wait_for(lambda: seats[3] in live.table.state.ballots)
    dmitri.reload()
    expect(dmitri.locator("body")).to_have_attribute("data-state", "seated", timeout=WAIT)
    assert dmitri.locator("body").get_attribute("data-seat") == seats[3]
    expect(dmitri.locator("main")).to_contain_text("Äänestit:", timeout=WAIT)
    expect(dmitri.locator("[data-kind=vote]")).to_have_count(0)
    walk.check("tablet: voted, after a reload", dmitri)
    eeva.locator(f"[data-kind=vote] button[data-value='{mine}']").click()
    wait_for(lambda: live.table.state.stage == "result")
    assert live.table.state.outcome == mine
    walk.check("tablet: the result of a vote", camilla)
    walk.check("screen: the result of a vote", screen)
    assert len(live.table.meta.seats) == 5

    # The write-in names no scene: the leader tells how it goes on and picks where, on the panel.
    expect(panel.locator("form[data-move=continue_at]")).to_be_visible(timeout=WAIT)
    walk.check("panel: a write-in won", panel)
    walk.check("tablet: a write-in won", aino)
    form = panel.locator("form[data-move=continue_at]")
    form.locator("select[name=scene]").select_option(first.choices[0].goto)
    form.locator("button[type=submit]").click()
    wait_for(lambda: len(live.table.state.path) == 2)
    assert live.table.state.path[0].written == WRITE_IN

    # On to an ending.
    while live.table.state.stage != "debrief":
        if live.table.state.stage == "vote":
            expect(bashir.locator("[data-kind=vote]")).to_be_visible(timeout=WAIT)
            everyone_votes_first(live, tablets)
        else:
            everyone_reads(live, tablets)
    for page in tablets.values():
        expect(page.locator("main")).to_contain_text(words.PATH.pick("fi"), timeout=WAIT)
    walk.check("tablet: the ending and its debrief", eeva)
    walk.check("screen: the ending", screen)
    # The story stays open for the talk; the leader's page says what comes next.
    expect(panel.locator("body")).to_have_attribute("data-status", "playing", timeout=WAIT)
    expect(panel.locator("#info")).to_contain_text("Tarina päättyi", timeout=WAIT)
    expect(panel.locator("#info")).to_contain_text("lopeta peli")
    walk.check("panel: the story at its ending", panel)

    # -- the leader ends the game; the feedback round opens on the tablets ---------------------
    panel.locator("details.confirm[data-action=end] summary").click()
    panel.locator("details.confirm[data-action=end] button[type=submit]").click()
    wait_for(lambda: live.table.status is TableStatus.ended)
    expect(panel.locator("#rollcall-next")).to_be_visible(timeout=WAIT)
    walk.check("panel: the game over", panel)
    for page in tablets.values():
        expect(page.locator("main")).to_contain_text("Millainen tämä päivä oli sinulle?",
                                                     timeout=WAIT)
    walk.check("tablet: feedback, the faces", aino)
    walk.check("screen: feedback", screen)
    answers = {aino: ("good", None, ["games"]), bashir: ("good", "kiva", None),
               camilla: ("okay", None, None), dmitri: (None, None, ["talking", "calm"]),
               eeva: ("hard", "väsyttää", ["calm"])}
    for page, (face, word, more) in list(answers.items())[:4]:
        give_feedback(page, face, word, more, walk if page is aino else None)
    expect(screen.locator("body")).to_contain_text("4/5", timeout=WAIT)

    # -- the roll call, filled in from who joined; closing it locks the record -----------------
    # The leader goes to the roll call while Eeva still answers: saving it would end the
    # feedback, and the page says so.
    panel.locator("#rollcall-next button").click()
    rollcall = panel.locator("#rollcall")
    expect(rollcall).to_be_visible()
    expect(panel.locator("#still-answering")).to_contain_text("4/5 on valmiina")
    walk.check("panel: the roll call while the feedback goes on", panel)
    give_feedback(eeva, *answers[eeva], None)
    expect(screen.locator("body")).to_contain_text("5/5", timeout=WAIT)
    panel.reload()
    expect(panel.locator("#still-answering")).to_have_count(0)
    walk.check("panel: the roll call", panel)
    finnish_only(panel, "roll call")
    for name in NAMES:
        expect(rollcall.locator("tr", has_text=name).locator("select")).to_have_value("present")
    meeting_url = panel.url
    rollcall.locator("button[type=submit]").click()
    expect(panel.locator("#summary")).to_be_visible()
    walk.check("panel: the locked record", panel)
    for name in NAMES:
        expect(panel.locator("#summary tr", has_text=name)).to_contain_text("Paikalla")
    wait_for(lambda: live.table.meta.side is None)
    meeting_id = int(meeting_url.split("/meetings/", 1)[1].split("?")[0])

    def saved() -> tuple[str, int, int]:
        with server.app.app_context():
            meeting = db().get(Meeting, meeting_id)
            assert meeting is not None
            return (meeting.status, int(db().scalar(select(func.count()).select_from(
                AttendanceRecord).where(AttendanceRecord.meeting_id == meeting_id)) or 0),
                len(server.hub.tables()))

    assert saved()[:2] == ("closed", 5)
    before = saved()
    # The stale tab's "open" button, and the roll call sent again (back, then save): nothing
    # reopens and nothing is recorded twice.
    stale.locator("#today button[data-next=open]").click()
    expect(stale.locator("body")).to_contain_text("on jo kirjattu")
    walk.check("panel: the record after a stale 'open'", stale)
    assert saved() == before
    panel.go_back()
    if panel.locator("#rollcall button[type=submit]").count():
        panel.locator("#rollcall button[type=submit]").click()
    expect(panel.locator("#summary")).to_be_visible()
    assert saved() == before
    panel.goto(f"{base}/panel/")
    expect(panel.locator("#today li[data-state=closed] button[data-next=record]")).to_be_visible()
    expect(panel.locator("#today button[data-next=open]")).to_have_count(0)
    stale.close()

    # -- the period's report: the feedback totals, five answers --------------------------------
    panel.goto(period_url)
    panel.locator("#period-reports a").first.click()
    walk.check("panel: the period report", panel)
    report_text = panel.locator("main").inner_text()
    faces = panel.locator("table", has_text="Vastanneita")
    expect(faces.locator("tr", has_text="Vastanneita")).to_contain_text("5")
    # A Piiri that never opened a check-in has no key yet: that is not "a missing key".
    assert "avain puuttuu" not in report_text, report_text
    assert "Aino" not in report_text  # nobody is named

    # -- the period's records as XLSX and CSV -------------------------------------------------
    panel.goto(period_url)
    with panel.expect_download() as download:
        panel.locator("a[href$='/export.xlsx']").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheets = book.worksheets
    participation = [[c for c in row] for row in sheets[0].iter_rows(values_only=True)]
    totals = [[c for c in row] for row in sheets[1].iter_rows(values_only=True)]
    with panel.expect_download() as download:
        panel.locator("a[href$='/export.csv']").click()
    raw = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    csv_totals = rows[rows.index(["Jäsenittäin"]) + 1:]
    csv_participation = rows[3:3 + rows[3:].index([])]
    for table in (participation[3:], csv_participation):
        header, *lines = table
        assert header[:6] == ["Päivä", "Kellonaika", "Teema", "Toiminta", "Jäsen", "Läsnäolo"]
        assert [line[4] for line in lines] == list(NAMES)
        assert {line[5] for line in lines} == {"Paikalla"}
    votes = live.table.state.votes  # every vote opened; Camilla passed one of them
    expected = {name: [1, 1, votes - (name == "Camilla"), int(name == "Aino"),
                       int(name == "Aino")] for name in NAMES}
    for table in (totals[3:], csv_totals):
        header, *lines = table
        assert header == ["Jäsen", "Osallistui tapaamisiin", "Pidettyjä tapaamisia",
                          "Ääniä annettu", "Omia vaihtoehtoja ehdotettu",
                          "Omia vaihtoehtoja otettu mukaan"], header
        assert {line[0]: [int(v) for v in line[1:]] for line in lines} == expected
    # Nothing anyone chose, wrote or skipped is in the records: only counts.
    cells = " ".join(str(c) for row in [*participation, *totals, *rows] for c in row)
    chosen = {first.choices[0].label.pick("fi"), first.choices[1].label.pick("fi"), WRITE_IN,
              "kiva", "väsyttää"}
    assert not [c for c in chosen if c in cells]
    assert "Ohit" not in cells and "ohit" not in cells  # no passes column
    walk.check("panel: the period after the exports", panel)

    for page in [panel, screen, *tablets.values()]:
        page.context.close()
    assert not walk.problems, "\n\n".join(walk.problems)
