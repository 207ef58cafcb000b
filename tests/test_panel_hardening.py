"""The panel hardened to OWASP ASVS level 2 (issue 14): security headers and a CSP the pages
work under, Secure cookies and proxy headers only when configured, sessions that end on the
server, sign-in throttling that spares the owner, safe redirects, ids that cannot overflow,
and the per-member access log (Client Data Act 703/2023)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import argon2
import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from facilitator.accounts.throttle import (
    ACCOUNT_CAP_S,
    ADDRESS_FREE,
    PAIR_FREE,
    MemoryThrottle,
)
from facilitator.app import create_app
from facilitator.cli import main
from facilitator.dbsession import db
from facilitator.models import AuditEntry, Group, Meeting, Member, Period, Role, User

from .accounts import PASSWORD, csrf_token, login, login_page, make_user
from .live_server import LiveServer
from .test_protocol import Client


@pytest.fixture()
def client(app: Any) -> Any:
    return app.test_client()


def other_app(tmp_path: Path, **config: Any) -> Any:
    """An app of its own (another configuration) on a fresh database."""
    folder = tmp_path / "other"
    folder.mkdir(parents=True, exist_ok=True)
    return create_app({"DATABASE": str(folder / "piiri.sqlite3"), "TICKS": False,
                       "SECRET_KEY": "test-secret", **config})


def open_table(client: Any) -> str:
    """Open a circle table through the panel's form; its room code."""
    token = csrf_token(client, "/panel/new/circle")
    response = client.post("/panel/new/circle", data={"csrf_token": token})
    assert response.status_code == 302
    code = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert client.get(response.headers["Location"]).status_code == 200
    return code


def plan_meeting(app: Any) -> tuple[int, int, int]:
    """A group with one member, a period and a meeting in the first user's organisation:
    (meeting id, member id, group id)."""
    with app.app_context():
        user = db().scalar(select(User))
        assert user is not None
        group = Group(organisation_id=user.organisation_id, name="Torstai")
        db().add(group)
        db().flush()
        member = Member(group_id=group.id, nickname="Aino")
        period = Period(group_id=group.id, name="Syksy", starts_on=datetime.now(UTC).date())
        db().add_all([member, period])
        db().flush()
        meeting = Meeting(period_id=period.id, starts_at=datetime.now(UTC) + timedelta(hours=1),
                          theme="Tutustutaan", game="circle", game_options={"rounds": 1})
        db().add(meeting)
        db().commit()
        return meeting.id, member.id, group.id


# -- headers -----------------------------------------------------------------------------------

def csp(response: Any) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_panel_tablet_and_screen_pages_send_security_headers(app: Any, client: Any) -> None:
    make_user(app)
    login(client)
    code = open_table(client)
    pages = {"/login": None, "/panel/": None, f"/panel/t/{code}": None, f"/j/{code}": None,
             f"/screen/{code}": None, "/j/NOPE1": None, f"/qr/{code}.png": None}
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        policy = csp(response)
        assert policy["script-src"] == "script-src 'self'", path  # no inline script, no eval
        assert policy["frame-ancestors"] == "frame-ancestors 'none'", path
        assert policy["object-src"] == "object-src 'none'", path
        assert "'self'" in policy["connect-src"] and "ws://localhost" in policy["connect-src"]
        assert policy["img-src"] == "img-src 'self' data:", path
        if not path.startswith("/screen/"):
            assert policy["style-src"] == "style-src 'self'", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "no-referrer", path
        assert "camera=()" in response.headers["Permissions-Policy"], path
        assert "Strict-Transport-Security" not in response.headers, path  # plain HTTP here


def test_a_strange_host_header_cannot_write_into_the_policy(client: Any) -> None:
    response = client.get("/login", headers={"Host": "x; script-src *"})
    assert "script-src *" not in response.headers["Content-Security-Policy"]
    assert csp(response)["script-src"] == "script-src 'self'"


def test_panel_templates_hold_no_inline_script_style_or_handler() -> None:
    root = Path(__file__).parent.parent / "facilitator"
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"<style\b", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert not re.search(r"\sstyle\s*=", text), template


def test_https_public_address_makes_cookies_secure_and_sends_hsts(tmp_path: Path) -> None:
    app = other_app(tmp_path, PUBLIC_URL="https://piiri.example.fi")
    try:
        make_user(app)
        client = app.test_client()
        response = login(client)
        assert response.status_code == 302
        assert "Secure" in response.headers["Set-Cookie"]
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        app.extensions["piiri.store"].close()


def test_plain_http_laptop_cookies_are_not_secure(app: Any, client: Any) -> None:
    make_user(app)
    response = login(client)
    assert "Secure" not in response.headers["Set-Cookie"]


def test_wsgi_reads_the_proxy_and_cookie_settings_from_the_environment() -> None:
    from facilitator.app import config_from_env

    config = config_from_env({"PIIRI_TRUST_PROXY": "1", "PIIRI_SECURE_COOKIES": "1"})
    assert config["TRUST_PROXY"] == 1 and config["SESSION_COOKIE_SECURE"] is True
    assert "TRUST_PROXY" not in config_from_env({})
    with pytest.raises(ValueError):
        config_from_env({"PIIRI_TRUST_PROXY": "yes"})


FORWARDED = {"X-Forwarded-Proto": "https"}


def test_forwarded_scheme_is_ignored_unless_a_proxy_is_configured(app: Any,
                                                                  tmp_path: Path) -> None:
    plain = app.test_client().get("/login", headers=FORWARDED)
    assert "Strict-Transport-Security" not in plain.headers
    proxied = other_app(tmp_path, TRUST_PROXY=1)
    try:
        behind = proxied.test_client().get("/login", headers=FORWARDED)
        assert behind.headers["Strict-Transport-Security"].startswith("max-age=")
    finally:
        proxied.extensions["piiri.store"].close()


def attempt(client: Any, email: str, password: str, address: str = "198.51.100.7",
            headers: dict[str, str] | None = None) -> Any:
    """One sign-in from ``address`` (the connection's address, as the server sees it)."""
    environ = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=environ).get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token},
                       environ_base=environ, headers=headers or {})


class Clock:
    """A clock the test moves by hand (the throttle's waits without waiting)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock(app: Any) -> Clock:
    made = Clock()
    app.extensions["piiri.signin_throttle"] = MemoryThrottle(clock=made)
    return made


def test_forwarded_address_counts_only_behind_a_configured_proxy(tmp_path: Path) -> None:
    for proxies, refused in ((0, True), (1, False)):
        app = other_app(tmp_path / str(proxies), TRUST_PROXY=proxies)
        try:
            app.extensions["piiri.signin_throttle"] = MemoryThrottle(clock=Clock())
            make_user(app)
            client = app.test_client()
            for n in range(ADDRESS_FREE):  # one address guesses over many accounts
                attempt(client, f"x{n}@a.example", "väärä",
                        headers={"X-Forwarded-For": "203.0.113.1"})
            # Another client of the same proxy: a different person only if the proxy is known.
            response = attempt(client, "leader@a.example", PASSWORD,
                               headers={"X-Forwarded-For": "203.0.113.2"})
            assert (response.status_code == 429) is refused, proxies
        finally:
            app.extensions["piiri.store"].close()


# -- sessions that end on the server -------------------------------------------------------------

def copy_of_session(app: Any, client: Any) -> Any:
    """Another browser holding a copy of ``client``'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def test_an_old_session_cookie_is_refused_after_signing_out(app: Any, client: Any) -> None:
    make_user(app)
    login(client)
    copy = copy_of_session(app, client)
    other_device = app.test_client()
    login(other_device)
    assert copy.get("/panel/").status_code == 200
    token = csrf_token(client, "/panel/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert copy.get("/panel/").status_code == 302  # to the sign-in page
    assert other_device.get("/panel/").status_code == 302  # signing out ends every session
    assert login(client).status_code == 302 and client.get("/panel/").status_code == 200


def test_a_new_password_or_a_disabled_account_ends_every_session(app: Any,
                                                                 tmp_path: Path) -> None:
    make_user(app)
    database = str(tmp_path / "piiri.sqlite3")
    runner = CliRunner()

    def admin(*args: str, password: str | None = None) -> None:
        given = f"{password}\n{password}\n" if password else None
        result = runner.invoke(main, ["admin", *args, "--email", "leader@a.example",
                                      "--database", database], input=given)
        assert result.exit_code == 0, result.output

    first = app.test_client()
    login(first)
    admin("set-password", password="uusi-pitkä-salasana")
    assert first.get("/panel/").status_code == 302
    assert login(first).status_code == 200  # the old password no longer works
    assert login(first, password="uusi-pitkä-salasana").status_code == 302
    assert first.get("/panel/").status_code == 200
    admin("disable-user")
    assert first.get("/panel/").status_code == 302
    admin("enable-user")
    assert first.get("/panel/").status_code == 302  # an ended session stays ended
    assert login(first, password="uusi-pitkä-salasana").status_code == 302


# -- sign-in throttling ------------------------------------------------------------------------

def test_the_owner_signs_in_from_elsewhere_while_an_address_guesses(app: Any,
                                                                   clock: Clock) -> None:
    make_user(app)
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(20):  # a patient guesser waits each wait out
        response = attempt(attacker, "leader@a.example", "väärä")
        if response.status_code == 429:
            clock.now += int(response.headers["Retry-After"])
            response = attempt(attacker, "leader@a.example", "väärä")
        assert response.status_code == 200
    # The guessing address waits longer and longer ...
    refused = attempt(attacker, "leader@a.example", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60
    # ... while the owner, from another address, waits seconds at most, never a lock-out.
    response = attempt(owner, "leader@a.example", PASSWORD, address="192.0.2.10")
    if response.status_code == 429:
        assert int(response.headers["Retry-After"]) <= ACCOUNT_CAP_S
        clock.now += ACCOUNT_CAP_S
        response = attempt(owner, "leader@a.example", PASSWORD, address="192.0.2.10")
    assert response.status_code == 302
    assert owner.get("/panel/").status_code == 200


def test_one_address_spraying_many_accounts_is_held_back(app: Any, clock: Clock) -> None:
    for n in range(20):
        make_user(app, f"user{n}@a.example")
    client = app.test_client()
    checked = refused = 0
    for _ in range(5):
        for n in range(20):  # 100 guesses over 20 accounts, none above five per account
            response = attempt(client, f"user{n}@a.example", "Kesä2026!")
            if response.status_code == 429:
                refused += 1
                assert 'id="wait"' in response.get_data(as_text=True)
            else:
                checked += 1
    assert checked == ADDRESS_FREE and refused == 100 - ADDRESS_FREE


def test_a_wait_says_how_long_in_the_readers_language(app: Any, clock: Clock) -> None:
    make_user(app)
    client = app.test_client()
    for _ in range(PAIR_FREE):
        attempt(client, "leader@a.example", "väärä")
    page = attempt(client, "leader@a.example", PASSWORD).get_data(as_text=True)
    assert "Yritä uudelleen 1 sekunnin päästä." in page
    clock.now += 1
    assert attempt(client, "leader@a.example", "väärä").status_code == 200
    clock.now += 1  # the next wait is two seconds: one is not enough
    assert attempt(client, "leader@a.example", PASSWORD).status_code == 429
    clock.now += 1
    assert attempt(client, "leader@a.example", PASSWORD).status_code == 302


@pytest.fixture()
def verified(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[argon2.Parameters]]:
    """The argon2 parameters of every password check (the real check still runs)."""
    seen: list[argon2.Parameters] = []
    real: Callable[..., bool] = argon2.PasswordHasher.verify

    def spy(self: argon2.PasswordHasher, stored: str, password: str) -> bool:
        seen.append(argon2.extract_parameters(stored))
        return real(self, stored, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    yield seen


def test_an_unknown_email_costs_the_same_password_check_as_a_known_one(
        app: Any, clock: Clock, verified: list[argon2.Parameters]) -> None:
    make_user(app)
    client = app.test_client()
    with app.app_context():
        stored = db().scalar(select(User.password_hash))
    assert stored is not None
    attempt(client, "leader@a.example", "väärä")
    assert verified == [argon2.extract_parameters(stored)]
    attempt(client, "nobody@a.example", "väärä")
    assert verified == [argon2.extract_parameters(stored)] * 2
    known = attempt(client, "leader@a.example", "väärä")
    unknown = attempt(client, "nobody@a.example", "väärä")
    assert known.status_code == unknown.status_code == 200

    def same(response: Any, email: str) -> str:
        page = response.get_data(as_text=True).replace(email, "EMAIL")
        # CSRF tokens carry the second they were signed in: leave every one of them out.
        return re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "", page)

    assert same(known, "leader@a.example") == same(unknown, "nobody@a.example")


# -- redirects and ids -------------------------------------------------------------------------

@pytest.mark.parametrize("back", ["//evil.example", "/\t/evil.example", "/\n/evil.example",
                                  "/\\evil.example", "https://evil.example/", "/%0A/"])
def test_a_note_goes_back_only_to_a_page_of_this_site(app: Any, client: Any,
                                                      back: str) -> None:
    make_user(app)
    login(client)
    meeting_id, _, _ = plan_meeting(app)
    page = f"/panel/meetings/{meeting_id}"
    token = csrf_token(client, page)
    response = client.post(f"{page}/notes", data={"text": "Hyvä tapaaminen", "back": back,
                                                  "csrf_token": token})
    assert response.status_code == 302
    location = response.headers["Location"]
    if back == "/%0A/":
        assert location == "/%0A/"  # an odd path of this site, harmless
    else:
        assert location == page


def test_a_note_goes_back_to_the_live_page_it_came_from(app: Any, client: Any) -> None:
    make_user(app)
    login(client)
    meeting_id, _, _ = plan_meeting(app)
    token = csrf_token(client, f"/panel/meetings/{meeting_id}")
    response = client.post(f"/panel/meetings/{meeting_id}/notes", data={
        "text": "Hyvä", "back": "/panel/t/ABCDE", "csrf_token": token})
    assert response.headers["Location"] == "/panel/t/ABCDE"


@pytest.mark.parametrize("number", ["99999999999999999999999", str(2**31), "9" * 5000])
def test_an_id_too_big_for_the_database_is_not_found(app: Any, client: Any, number: str) -> None:
    make_user(app)
    login(client)
    assert client.get(f"/panel/meetings/{number}").status_code == 404
    assert client.get(f"/panel/members/{number}").status_code == 404


# -- who processed a member's data -------------------------------------------------------------

def test_an_admin_lists_and_prints_every_access_to_one_members_data(app: Any) -> None:
    make_user(app, "admin@a.example", role=Role.admin)
    make_user(app, "leader@a.example")
    leader, admin = app.test_client(), app.test_client()
    login(leader)
    login(admin, "admin@a.example")
    _, aino, group_id = plan_meeting(app)
    assert leader.get(f"/panel/members/{aino}").status_code == 200  # a view, audited
    url = f"/panel/audit/members/{aino}"
    assert f'href="{url}"' in admin.get("/panel/audit").get_data(as_text=True)
    with app.app_context():
        org = db().scalar(select(User.organisation_id))
        other = Member(group_id=group_id, nickname="Bashir")
        db().add(other)
        db().flush()
        long_ago = datetime(2020, 3, 2, 10, 0, tzinfo=UTC)
        db().add(AuditEntry(organisation_id=org, user_id=None, action="checkin_view",
                            member_id=aino, detail="round 1", at=long_ago))
        # More than the audit page's 500 latest, all about someone else.
        db().add_all([AuditEntry(organisation_id=org, user_id=None, action="view_member",
                                 member_id=other.id, detail="timeline") for _ in range(600)])
        db().commit()
    assert "round 1" not in admin.get("/panel/audit").get_data(as_text=True)
    page = admin.get(url).get_data(as_text=True)
    assert "Aino" in page and "round 1" in page and "Bashir" not in page
    assert "view_member" in page and "leader" in page  # who looked, by name
    assert "view_access_log" in page  # this look is itself recorded
    assert "data-print" in page
    assert page.index("round 1") < page.index("view_member")  # oldest first
    recent = admin.get(f"{url}?from=2021-01-01").get_data(as_text=True)
    assert "round 1" not in recent and "view_member" in recent
    old = admin.get(f"{url}?from=2020-03-02&to=2020-03-02").get_data(as_text=True)
    assert "round 1" in old and 'data-action="view_member"' not in old
    with app.app_context():
        looks = db().scalars(select(AuditEntry).where(
            AuditEntry.action == "view_access_log", AuditEntry.member_id == aino)).all()
        assert [look.detail for look in looks] == ["… – …", "2021-01-01 – …",
                                                    "2020-03-02 – 2020-03-02"]
    assert f'href="{url}"' in admin.get(f"/panel/members/{aino}").get_data(as_text=True)


def test_a_bad_span_is_explained_and_records_nothing(app: Any) -> None:
    make_user(app, "admin@a.example", role=Role.admin)
    admin = app.test_client()
    login(admin, "admin@a.example")
    _, aino, _ = plan_meeting(app)
    response = admin.get(f"/panel/audit/members/{aino}?from=24.10.2026")
    assert response.status_code == 400
    assert 'id="span-error"' in response.get_data(as_text=True)
    response = admin.get(f"/panel/audit/members/{aino}?from=2026-10-24&to=2026-10-01")
    assert response.status_code == 400
    with app.app_context():
        assert db().scalars(select(AuditEntry).where(
            AuditEntry.action == "view_access_log")).all() == []


def test_the_access_log_is_for_the_members_own_organisations_admins(app: Any) -> None:
    make_user(app, "leader@a.example")
    make_user(app, "admin@b.example", org="Org B", role=Role.admin)
    _, aino, _ = plan_meeting(app)
    leader, stranger = app.test_client(), app.test_client()
    login(leader)
    login(stranger, "admin@b.example")
    assert leader.get(f"/panel/audit/members/{aino}").status_code == 403
    assert stranger.get(f"/panel/audit/members/{aino}").status_code == 404


# -- in a real browser: the pages still work under the policy ------------------------------------

WATCH = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
window.printed = 0;
window.print = () => { window.printed += 1; };
"""


def watched(browser: Browser) -> tuple[Page, list[str]]:
    context = browser.new_context()
    context.add_init_script(WATCH)  # injected by the browser: not subject to the page's CSP
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    return page, messages


def no_violations(page: Page, messages: list[str]) -> None:
    assert page.evaluate("window.cspViolations") == []
    assert [m for m in messages if "Content Security Policy" in m] == []


@pytest.mark.browser
def test_pages_work_under_the_content_security_policy(browser: Browser,
                                                      server: LiveServer) -> None:
    make_user(server.app, "admin@a.example", role=Role.admin)
    _, aino, group_id = plan_meeting(server.app)
    page, messages = watched(browser)
    login_page(page, server.url, "admin@a.example")
    no_violations(page, messages)
    page.goto(f"{server.url}/panel/groups/{group_id}")
    expect(page.locator("h1")).to_contain_text("Torstai")
    no_violations(page, messages)
    page.goto(f"{server.url}/panel/members/{aino}")
    page.click("[data-print]")
    page.wait_for_function("window.printed === 1")  # the print button's script ran
    page.goto(f"{server.url}/panel/audit/members/{aino}")
    page.click("[data-print]")
    page.wait_for_function("window.printed === 1")
    no_violations(page, messages)
    # The live table page: panel.js polls and redraws when a tablet joins.
    page.goto(f"{server.url}/panel/new/circle")
    page.click("#options button[type=submit]")
    code = page.locator("#room-code").inner_text()
    expect(page.locator("body")).to_have_attribute("data-conn", "ok")
    live = server.hub.find(code)
    assert live is not None
    tablet = Client(server)
    seat, _ = tablet.join(live.code, "Bashir")
    expect(page.locator(f"#seats tr[data-seat={seat}]")).to_contain_text("Bashir",
                                                                       timeout=6000)
    page.wait_for_function("document.getElementById('qr').complete")
    assert page.evaluate("document.getElementById('qr').naturalWidth") > 0  # img-src 'self'
    no_violations(page, messages)
    # The tablet: its script opens the WebSocket (connect-src) and shows the join form.
    tablet_page, tablet_messages = watched(browser)
    tablet_page.goto(f"{server.url}/j/{code}")
    expect(tablet_page.locator("body")).to_have_attribute("data-state", "join", timeout=20_000)
    no_violations(tablet_page, tablet_messages)
    # The shared screen in a browser.
    screen, screen_messages = watched(browser)
    screen.goto(f"{server.url}/screen/{code}")
    expect(screen.locator("body")).to_have_attribute("data-conn", "open", timeout=20_000)
    no_violations(screen, screen_messages)
    # A room that is not there.
    gone, gone_messages = watched(browser)
    gone.goto(f"{server.url}/j/ZZZZZ")
    expect(gone.locator("body")).to_have_attribute("data-state", "no-room")
    no_violations(gone, gone_messages)


def test_the_limits_exemption_comes_from_the_environment_for_every_entry() -> None:
    """PIIRI_LIMITS_EXEMPT: the addresses no per-address limit applies to, read alike by
    `piiri serve` and the WSGI entry (empty: none, not even this computer)."""
    from facilitator.app import config_from_env
    from facilitator.live.commands import serve_config

    assert "LIMITS_EXEMPT" not in config_from_env({})
    assert config_from_env({"PIIRI_LIMITS_EXEMPT": ""})["LIMITS_EXEMPT"] == []
    assert config_from_env({"PIIRI_LIMITS_EXEMPT": "10.0.0.5 ::1"})["LIMITS_EXEMPT"] == [
        "10.0.0.5", "::1"]
    assert serve_config(5000, None, None, "http://x", {"PIIRI_LIMITS_EXEMPT": ""})[
        "LIMITS_EXEMPT"] == []
