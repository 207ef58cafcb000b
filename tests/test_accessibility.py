"""Accessibility in a real browser: axe-core finds no WCAG 2.1 A/AA violation on any panel
page, any tablet state or the browser screen, and every page reflows at 320 CSS pixels wide
(WCAG 1.4.10: a 1280 px window zoomed to 400 %, or a phone at 200 %) without scrolling sideways.

The pages and states are listed once, in :data:`PANEL_PAGES`, :data:`TABLET_STATES` and
:data:`SCREEN_STATES`: a new page goes there. Each test walks its pages at both sizes and
reports every problem it found, page by page, before failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import select

from engine import EndTable, StartTable
from facilitator.dbsession import db
from facilitator.models import Group, Meeting, Member, Period, Role, User

from .accounts import csrf_token, login, login_page, make_user
from .axe import report, violations
from .live_server import LiveServer
from .test_checkin_browser import answer, consent, join_by_name

pytestmark = pytest.mark.browser

WIDE: ViewportSize = {"width": 1280, "height": 800}
#: 1280 px at 400 % (or a 640 px window at 200 %, or the smallest phones): WCAG 1.4.10.
NARROW: ViewportSize = {"width": 320, "height": 640}
SIZES = [pytest.param(WIDE, id="1280"), pytest.param(NARROW, id="320")]

#: Every panel page, as (name, address); ``{…}`` are filled from :class:`Site`.
PANEL_PAGES: list[tuple[str, str]] = [
    ("Today", "/panel/"),
    ("group list", "/panel/groups/"),
    ("group", "/panel/groups/{group}"),
    ("period", "/panel/periods/{period}"),
    ("meeting roll call", "/panel/meetings/{meeting}"),
    ("closed meeting", "/panel/meetings/{closed}"),
    ("meeting options", "/panel/meetings/{meeting}/options"),
    ("member", "/panel/members/{member}"),
    ("member check-ins", "/panel/members/{member}/checkins"),
    ("group profile", "/panel/periods/{period}/checkins/profile"),
    ("audit", "/panel/audit"),
    ("new table", "/panel/new/circle"),
    ("new escape room", "/panel/new/escape_room"),
    ("live table", "/panel/t/{code}"),
    ("check-in at a table", "/panel/t/{code}/checkin"),
]
#: Pages seen before signing in.
SIGNED_OUT_PAGES: list[tuple[str, str]] = [("login", "/login"), ("enter a code", "/j/"),
                                           ("unknown room", "/j/ZZZZZ")]
#: The states a tablet passes through, in the order :func:`test_every_tablet_state` meets them.
TABLET_STATES = ["join: pick your name", "join: type a name", "waiting for the start",
                 "check-in consent", "check-in slider question", "check-in summary",
                 "your turn", "someone else's turn", "your turn with reactions", "ended"]
SCREEN_STATES = ["lobby", "in game"]


@dataclass
class Site:
    server: LiveServer
    ids: dict[str, Any]

    def url(self, path: str) -> str:
        return self.server.url + path.format(**self.ids)


def _plan(server: LiveServer, names: list[str], closed: bool) -> dict[str, Any]:
    with server.app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        group = Group(organisation_id=user.organisation_id, name="Tiistairyhmä")
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=n) for n in names]
        db().add_all(members)
        today = datetime.now(UTC).date()
        period = Period(group_id=group.id, name="Kevät", starts_on=today - timedelta(days=8),
                        ends_on=today + timedelta(days=90))
        db().add(period)
        db().flush()
        meetings = [Meeting(period_id=period.id, starts_at=datetime.now(UTC) + timedelta(days=d),
                            theme="Alkuun", game="circle", game_options={"rounds": 1})
                    for d in (-7, 0, 0)]
        db().add_all(meetings)
        db().commit()
        ids = {"group": group.id, "period": period.id, "closed": meetings[0].id,
               "meeting": meetings[1].id, "spare": meetings[2].id, "member": members[0].id}
    panel = server.app.test_client()
    login(panel)
    token = csrf_token(panel, f"/panel/periods/{ids['period']}")
    if closed:
        form = {"csrf_token": token}
        for member in members:
            form[f"attendance-{member.id}"] = "present"
        assert panel.post(f"/panel/meetings/{ids['closed']}/close",
                          data=form).status_code == 302
    started = panel.post(f"/panel/meetings/{ids['meeting']}/start", data={"csrf_token": token})
    ids["code"] = started.headers["Location"].rsplit("/", 1)[1]
    return ids


@pytest.fixture(scope="module")
def site(module_server: LiveServer) -> Site:
    """One organisation with an admin, a group, a period, a closed meeting and a meeting whose
    table is open with two seats, shared by this module's tests (they only look)."""
    make_user(module_server.app, role=Role.admin)
    ids = _plan(module_server, ["Aino", "Bashir", "Camilla"], closed=True)
    live = module_server.hub.find(ids["code"])
    assert live is not None
    return Site(module_server, ids)


def check(page: Page, name: str, viewport: ViewportSize, problems: list[str]) -> None:
    """axe's violations and sideways scrolling on ``page`` now, added to ``problems``."""
    found = violations(page)
    if found:
        problems.append(f"{name} at {viewport['width']} px:\n{report(found)}")
    if viewport["width"] <= 320:
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > viewport["width"] + 1:
            culprits = page.evaluate(f"""Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > {viewport['width']} + 1)
                .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                + (e.className && typeof e.className === 'string' ? '.' +
                e.className.trim().split(/\\s+/).join('.') : ''))""")
            problems.append(f"{name} at {viewport['width']} px: the page is {wide} px wide "
                            f"and scrolls sideways (WCAG 1.4.10); too wide: {culprits}")


def until(page: Page, condition: str, tries: int = 200) -> None:
    """Wait until ``condition`` holds in the page. (The pages' Content Security Policy forbids
    eval, which Playwright's wait_for_function needs.)"""
    for _ in range(tries):
        if page.evaluate(condition):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {condition}")


def settle(page: Page) -> None:
    """Let the page's one-off animations (a control arriving, a bar growing) finish, so axe
    sees the colours the reader will see."""
    until(page, "document.getAnimations().every(a => a.playState !== 'running'"
                " || a.effect.getTiming().iterations === Infinity)")


def verdict(problems: list[str]) -> None:
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("viewport", SIZES)
def test_every_panel_page(browser: Browser, site: Site, viewport: ViewportSize) -> None:
    problems: list[str] = []
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    for name, path in SIGNED_OUT_PAGES:
        page.goto(site.url(path))
        check(page, name, viewport, problems)
    login_page(page, site.server.url)
    for name, path in PANEL_PAGES:
        response = page.goto(site.url(path))
        assert response is not None and response.ok, f"{name}: {path} answered {response}"
        if path.startswith("/panel/t/") and path.count("/") == 3:
            expect(page.locator("body")).to_have_attribute("data-conn", "ok")
        check(page, name, viewport, problems)
    context.close()
    verdict(problems)


@pytest.mark.parametrize("viewport", SIZES)
def test_first_run_setup_page(browser: Browser, server: LiveServer,
                              viewport: ViewportSize) -> None:
    problems: list[str] = []
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(f"{server.url}/setup")
    expect(page.locator("form#setup")).to_be_visible()
    check(page, "setup", viewport, problems)
    page.context.close()
    verdict(problems)


@pytest.mark.parametrize("viewport", SIZES)
def test_every_tablet_state_and_the_screen(browser: Browser, server: LiveServer,
                                           viewport: ViewportSize) -> None:
    make_user(server.app)
    ids = _plan(server, ["Aino", "Bashir"], closed=False)
    code = ids["code"]
    live = server.hub.find(code)
    assert live is not None
    problems: list[str] = []
    met: list[str] = []

    def state(name: str, page: Page) -> None:
        met.append(name)
        settle(page)
        check(page, f"tablet: {name}", viewport, problems)

    screen = browser.new_context(viewport=viewport).new_page()
    screen.goto(f"{server.url}/screen/{code}")
    expect(screen.locator("body")).to_have_attribute("data-conn", "open", timeout=20_000)
    check(screen, "screen: lobby", viewport, problems)

    url = f"{server.url}/j/{code}"
    tablets = {}
    for name in ("Aino", "Bashir"):
        tablets[name] = browser.new_context(viewport=viewport).new_page()
        tablets[name].goto(url)
        expect(tablets[name].locator("body")).to_have_attribute("data-state", "join")
    aino, bashir = tablets["Aino"], tablets["Bashir"]
    state("join: pick your name", aino)
    bashir.locator("[data-role=other-name]").click()
    state("join: type a name", bashir)
    join_by_name(aino, url, "Aino")
    join_by_name(bashir, url, "Bashir")
    state("waiting for the start", aino)

    leader = browser.new_context(viewport=WIDE).new_page()
    login_page(leader, server.url)
    leader.goto(f"{server.url}/panel/t/{code}/checkin")
    leader.locator("input[name=kind][value=start]").check()
    leader.locator("#checkin-open button[type=submit]").click()
    expect(leader.locator("#checkin-count")).to_be_visible()
    expect(aino.locator("[data-kind=consent]")).to_be_visible(timeout=20_000)
    state("check-in consent", aino)
    consent(aino)
    expect(aino.locator("[data-kind=slider]")).to_be_visible(timeout=20_000)
    state("check-in slider question", aino)
    answer(aino, "Aino")
    expect(aino.locator("[data-kind=bars]")).to_be_visible()
    state("check-in summary", aino)
    consent(bashir, yes=False)
    leader.goto(f"{server.url}/panel/t/{code}/checkin")
    leader.locator("form[action$='/checkin/close'] button[type=submit]").click()
    leader.context.close()

    server.hub.apply(live, StartTable(at=server.hub.now()))
    seats = {s.id: s.nickname for s in live.table.meta.seats}
    speaker = tablets[seats[live.table.meta.turn.current]]
    listener = bashir if speaker is aino else aino
    expect(speaker.locator("[data-move=done]")).to_be_visible(timeout=20_000)
    state("your turn", speaker)
    expect(listener.locator("[data-kind=reactions]")).to_be_visible(timeout=20_000)
    state("someone else's turn", listener)
    listener.locator("[data-kind=reactions] [data-value=heart]").click()
    expect(speaker.locator("[data-kind=reaction_tally]")).to_be_visible(timeout=20_000)
    state("your turn with reactions", speaker)
    expect(screen.locator("[data-kind=card]")).to_be_visible(timeout=20_000)
    check(screen, "screen: in game", viewport, problems)

    server.hub.apply(live, EndTable(at=server.hub.now()))
    until(aino, "!document.querySelector('[data-kind=reaction_tally], [data-move=done], "
                "[data-kind=reactions]')")
    state("ended", aino)
    for page in [screen, *tablets.values()]:
        page.context.close()
    assert met == TABLET_STATES, "the walk met other states than the list names"
    verdict(problems)
