"""The whole leader's flow in real browsers: sign in, make a group, plan, start in two clicks,
four tablets join from the QR code and play, the roll call, the record and its export — and a
second organisation sees none of it."""

from __future__ import annotations

import subprocess
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from engine import TableStatus
from facilitator.i18n import HELSINKI

from .accounts import login_page, make_user
from .live_server import LiveServer

pytestmark = pytest.mark.browser


def test_leader_runs_a_meeting_from_plan_to_record(browser: Browser, server: LiveServer,
                                                    tmp_path: Path) -> None:
    make_user(server.app, "leader@a.example", "Org A")
    make_user(server.app, "other@b.example", "Org B")
    leader = browser.new_page(viewport={"width": 420, "height": 900})
    login_page(leader, server.url, "leader@a.example")

    # A group of four pseudonymous members, a period, and a meeting later today.
    leader.click("text=Ryhmät")
    leader.fill("#new-group input[name=name]", "Torstain ryhmä")
    leader.click("#new-group button[type=submit]")
    for nickname in ("Aino", "Bashir", "Camilla", "Dmitri"):
        leader.fill("#new-member [name=m-nickname]", nickname)
        leader.click("#new-member button[type=submit]")
    expect(leader.locator("#members li")).to_have_count(4)
    group_url = leader.url
    leader.fill("#new-period input[name=p-name]", "Syksy")
    leader.fill("#new-period input[name=p-starts_on]", datetime.now(HELSINKI).date().isoformat())
    leader.click("#new-period button[type=submit]")
    soon = datetime.now(HELSINKI) + timedelta(minutes=30)
    if soon.date() != datetime.now(HELSINKI).date():
        soon = datetime.now(HELSINKI).replace(hour=23, minute=59)
    leader.fill("#new-meeting input[name=day]", soon.date().isoformat())
    leader.fill("#new-meeting input[name=at]", soon.strftime("%H:%M"))
    leader.fill("#new-meeting input[name=theme]", "Tutustutaan")
    leader.select_option("#new-meeting select[name=activity]", "game:circle")
    leader.click("#new-meeting button[type=submit]")
    period_url = leader.url

    # Two clicks from the panel's front page: Tänään → Aloita.
    leader.click("text=Tänään")
    leader.click("#today button[type=submit]")
    code = leader.locator("#room-code").inner_text()
    png = tmp_path / "qr.png"
    png.write_bytes(urllib.request.urlopen(f"{server.url}/qr/{code}.png", timeout=5).read())
    url = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True,
                         check=True, timeout=30).stdout.strip()
    assert url == f"{server.url}/j/{code}"

    live = server.hub.find(code)
    assert live is not None
    tablets = {}
    for name in ("Aino", "Bashir", "Camilla", "Dmitri"):
        page = browser.new_context().new_page()
        page.goto(url)
        page.locator("[data-role=name]", has_text=name).click()
        page.click("[data-role=join]")
        expect(page.locator("body")).to_have_attribute("data-state", "seated")
        tablets[page.locator("body").get_attribute("data-seat")] = page
    leader.reload()
    leader.locator("form[action$='/start'] button").click()
    deadline = datetime.now() + timedelta(seconds=10)
    while live.table.status is TableStatus.lobby and datetime.now() < deadline:
        leader.wait_for_timeout(50)
    assert live.table.status is TableStatus.playing
    seats = {s.id: s.nickname for s in live.table.meta.seats}
    while live.table.status is TableStatus.playing:
        seat = live.table.meta.turn.current
        number = live.table.meta.turn.number
        page = tablets[seat]
        if seats[seat] == "Bashir":
            page.locator("[data-kind=pass]").first.click()
        else:
            page.locator("[data-move=done]").first.click()
        deadline = datetime.now() + timedelta(seconds=20)
        while (live.table.meta.turn.number == number
               and live.table.status is TableStatus.playing and datetime.now() < deadline):
            leader.wait_for_timeout(50)

    # The roll call, pre-filled from who joined; Dmitri left early in real life.
    leader.goto(period_url)
    leader.locator("#meetings a").first.click()
    dmitri = leader.locator("#rollcall tr", has_text="Dmitri")
    expect(dmitri.locator("select")).to_have_value("present")
    dmitri.locator("select").select_option("left_early")
    leader.click("#rollcall button[type=submit]")
    summary = leader.locator("#summary")
    expect(summary.locator("tr", has_text="Aino")).to_contain_text("Paikalla")
    expect(summary.locator("tr", has_text="Dmitri")).to_contain_text("Lähti aiemmin")
    aino_turns = summary.locator("tr", has_text="Aino").locator("td").nth(2)
    expect(aino_turns).to_have_text("2")  # two rounds, a turn each
    bashir_turns = summary.locator("tr", has_text="Bashir").locator("td").nth(2)
    expect(bashir_turns).to_have_text("0")

    # The export for the client plan.
    leader.goto(period_url)
    with leader.expect_download() as download:
        leader.click("text=Lataa osallistuminen (CSV)")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Ryhmä;Torstain ryhmä") and lines[1].startswith("Jakso;Syksy")
    header = next(i for i, line in enumerate(lines) if line.startswith("Päivä;"))
    assert lines[header].startswith("Päivä;Kellonaika;Teema;Toiminta;Jäsen;Läsnäolo")
    table = lines[header + 1:lines.index("", header)]
    assert len(table) == 4 and any("Dmitri" in line and "Lähti aiemmin" in line
                                   for line in table)

    # Another organisation's leader sees none of it.
    other = browser.new_page()
    login_page(other, server.url, "other@b.example")
    for path in (group_url, period_url, f"{server.url}/panel/t/{code}",
                 f"{period_url}/export.csv"):
        response = other.goto(path)
        assert response is not None and response.status == 404, path
    other.goto(f"{server.url}/panel/")
    expect(other.locator("body")).not_to_contain_text("Torstain ryhmä")
    expect(other.locator("#tables")).not_to_contain_text(code)
