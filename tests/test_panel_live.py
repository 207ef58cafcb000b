"""The leader's live table page: joins, admissions and removals show up without reloading, in a
real browser against a real server (panel.js polling live.json)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from engine import StartTable

from .accounts import csrf_token, login, login_page, make_user
from .live_server import LiveServer
from .test_protocol import AVATAR, Client

pytestmark = pytest.mark.browser

WAIT = 6000  # ms: three polls


def open_table(browser: Browser, server: LiveServer, admit: bool = False) -> tuple[Page, Any]:
    """Sign in on a phone-sized page and open a circle table through the panel's own form."""
    make_user(server.app)
    page = browser.new_page(viewport={"width": 420, "height": 900})
    login_page(page, server.url)
    page.goto(f"{server.url}/panel/new/circle")
    if admit:
        page.check("input[name=admit]")
    page.click("#options button[type=submit]")
    code = page.locator("#room-code").inner_text()
    live = server.hub.find(code)
    assert live is not None and live.admit is admit
    expect(page.locator("body")).to_have_attribute("data-conn", "ok")
    page.evaluate("window.stillTheSamePage = true")  # gone if anything reloads the page
    return page, live


def same_page(page: Page) -> bool:
    return bool(page.evaluate("window.stillTheSamePage === true"))


def test_a_joining_tablet_appears_without_reloading(browser: Browser,
                                                    server: LiveServer) -> None:
    page, live = open_table(browser, server)
    expect(page.locator("#seats tbody tr.empty")).to_be_visible()
    tablet = Client(server)
    seat, _ = tablet.join(live.code, "Aino")
    row = page.locator(f"#seats tr[data-seat={seat}]")
    expect(row).to_contain_text("Aino", timeout=WAIT)
    expect(row).to_contain_text("yhteydessä")
    expect(page.locator("#seats-title")).to_have_text("Osallistujat (1)")
    # The tablet drops off the Wi-Fi: the panel says so.
    tablet.close()
    expect(row).to_contain_text("ei yhteyttä", timeout=WAIT)
    assert same_page(page)
    # Starting from the panel updates the status line in place.
    page.click(".actions [data-action=start] button")
    expect(page.locator("body")).to_have_attribute("data-status", "playing", timeout=WAIT)
    expect(page.locator("#status-line")).to_contain_text("Käynnissä")
    expect(page.locator(".actions [data-action=pause]")).to_be_visible()
    expect(page.locator(".actions [data-action=start]")).to_be_hidden()


def test_a_pending_join_is_admitted_from_the_panel(browser: Browser, server: LiveServer) -> None:
    page, live = open_table(browser, server, admit=True)
    expect(page.locator("#pending-section")).to_be_hidden()
    tablet = Client(server)
    tablet.hello(live.code)
    tablet.send(t="join", nickname="Bashir", avatar=AVATAR)
    waiting = page.locator("#pending [data-pending]")
    expect(waiting).to_have_count(1, timeout=WAIT)
    expect(waiting).to_contain_text("Bashir")
    assert live.table.meta.seats == []  # nobody is seated before the leader decides
    waiting.locator("button", has_text="Hyväksy").click()
    seated = tablet.until("seated")
    expect(page.locator(f"#seats tr[data-seat={seated['seat']}]")).to_contain_text(
        "Bashir", timeout=WAIT)
    expect(page.locator("#pending-section")).to_be_hidden()
    assert same_page(page)
    # The server cannot be reached: the page says so, and recovers by itself.
    page.route("**/live.json", lambda route: route.abort())
    expect(page.locator("#live-note")).to_contain_text("Yhteys katkesi", timeout=WAIT)
    page.unroute("**/live.json")
    expect(page.locator("#live-note")).to_be_hidden(timeout=WAIT)


def test_removing_a_seat_tells_its_tablet(browser: Browser, server: LiveServer) -> None:
    page, live = open_table(browser, server)
    aino, bashir = Client(server), Client(server)
    seat_a, _ = aino.join(live.code, "Aino")
    seat_b, token_b = bashir.join(live.code, "Bashir")
    row = page.locator(f"#seats tr[data-seat={seat_b}]")
    expect(row).to_contain_text("Bashir", timeout=WAIT)
    # One tap opens the confirmation; only the second removes.
    row.locator("summary", has_text="Poista").click()
    confirm = row.locator("button", has_text="Poista Bashir pelistä")
    expect(confirm).to_be_visible()
    # Someone joins meanwhile: the seats are drawn again and the confirmation stays open.
    camilla = Client(server)
    seat_c, _ = camilla.join(live.code, "Camilla")
    expect(page.locator(f"#seats tr[data-seat={seat_c}]")).to_be_visible(timeout=WAIT)
    expect(confirm).to_be_visible()
    confirm.click()
    gone = bashir.until("gone")
    assert gone["reason"] == "removed" and gone["message"]["fi"]
    expect(row).to_have_attribute("data-status", "gone", timeout=WAIT)
    expect(row).to_contain_text("poistunut")
    expect(row.locator("summary")).to_have_count(0)
    expect(page.locator("#seats-title")).to_have_text("Osallistujat (2)")
    assert seat_b not in live.seats and seat_a in live.seats
    facts = [f["kind"] for e in server.app.extensions["piiri.store"].events(live.table_id)
             for f in e.model_dump()["facts"]]
    assert "seat_removed" in facts
    # The removed seat cannot be taken back with its token; the other tablet is still served.
    again = Client(server)
    assert again.hello(live.code, token=token_b)["seat"] is None
    assert [m["reason"] for m in again.seen if m["t"] == "gone"] == ["unknown"]
    aino.send(t="ping")
    assert aino.until("pong")
    assert same_page(page)


def test_live_view_is_for_the_tables_own_organisation(browser: Browser,
                                                      server: LiveServer) -> None:
    page, live = open_table(browser, server)
    screen = Client(server)
    screen.hello(live.code, role="screen")
    screen.send(t="screen_info", displays=1)
    tablet = Client(server)
    seat, _ = tablet.join(live.code, "Aino")
    expect(page.locator("#mirror-warning")).to_be_visible(timeout=WAIT)
    expect(page.locator("#screen-count")).to_have_text("1")

    own = server.app.test_client()
    login(own)
    response = own.get(f"/panel/t/{live.code}/live.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    view = response.get_json()
    assert view["status"] == "lobby" and view["seq"] == live.table.seq
    assert view["screens"] == 1 and view["mirroring"] is True
    assert view["pending"] == []
    assert [(s["seat"], s["nickname"], s["connected"], s["gone"]) for s in view["seats"]] == [
        (seat, "Aino", True, False)]
    # Passes are counted in the live view (never in exports).
    server.hub.apply(live, StartTable(at=server.hub.now()))
    tablet.send(t="pass", id=1)
    tablet.until("ack")
    view = own.get(f"/panel/t/{live.code}/live.json").get_json()
    assert view["status"] == "playing" and view["seats"][0]["counts"]["turn_passed"] == 1
    assert view["info"] and all(row["label"] and "value" in row for row in view["info"])
    expect(page.locator(f"#seats tr[data-seat={seat}] td").nth(4)).to_have_text("1",
                                                                              timeout=WAIT)

    make_user(server.app, email="leader@b.example", org="Org B")
    other = server.app.test_client()
    login(other, email="leader@b.example")
    assert other.get(f"/panel/t/{live.code}/live.json").status_code == 404
    token = csrf_token(other, "/panel/")
    assert other.post(f"/panel/t/{live.code}/remove",
                      data={"seat": seat, "csrf_token": token}).status_code == 404
    assert not live.table.seat(seat).gone
    # Without JavaScript the remove form is a plain post back to the table page.
    token = csrf_token(own, f"/panel/t/{live.code}")
    removed = own.post(f"/panel/t/{live.code}/remove", data={"seat": seat, "csrf_token": token})
    assert removed.status_code == 302 and removed.headers["Location"].endswith(live.code)
    assert live.table.seat(seat).gone and seat not in live.seats
    assert tablet.until("gone")["reason"] == "removed"
    again = own.post(f"/panel/t/{live.code}/remove", data={"seat": seat, "csrf_token": token})
    assert "notice=" in again.headers["Location"]
    assert own.post(f"/panel/t/{live.code}/remove",
                    data={"seat": "s99", "csrf_token": token}).status_code == 400
    assert own.get("/panel/t/NOPE1/live.json").status_code == 404
