"""Accounts, organisations and groups: sign-in, isolation, and forms that refuse bad data."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from facilitator.accounts.throttle import PAIR_FREE, MemoryThrottle
from facilitator.cli import main
from facilitator.dbsession import db
from facilitator.models import Meeting, Role

from .accounts import PASSWORD, csrf_token, login, make_user


@pytest.fixture()
def app_config(database_url: str) -> dict[str, Any]:
    """The panel on SQLite and on a real PostgreSQL server alike."""
    return {"DATABASE_URL": database_url}


@pytest.fixture()
def client(app: Any) -> Any:
    return app.test_client()


def test_first_run_page_makes_the_first_admin(client: Any) -> None:
    assert client.get("/login").headers["Location"].endswith("/setup")
    token = csrf_token(client, "/setup")
    response = client.post("/setup", data={
        "organisation": "Kaupungin sosiaalityö", "name": "Aino", "email": "aino@k.example",
        "password": "pitkä-salasana", "again": "pitkä-salasana", "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/panel/").status_code == 200
    assert client.get("/setup").status_code == 302  # only while no account exists


def test_sign_in_and_session_cookie_flags(app: Any, client: Any) -> None:
    make_user(app)
    response = login(client)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/panel/").status_code == 200


def test_forms_without_a_csrf_token_are_refused(app: Any, client: Any) -> None:
    make_user(app)
    login(client)
    response = client.post("/panel/groups/", data={"name": "Ryhmä"})
    assert response.status_code == 400


def test_sign_in_attempts_are_rate_limited_with_a_clear_message(app: Any, client: Any) -> None:
    make_user(app, email="slow@a.example")
    app.extensions["piiri.signin_throttle"] = MemoryThrottle(clock=lambda: 1000.0)  # time stands
    for _ in range(PAIR_FREE):
        page = login(client, "slow@a.example", "väärä").get_data(as_text=True)
        assert "Sähköposti tai salasana ei täsmää" in page
    response = login(client, "slow@a.example", PASSWORD)
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 'id="wait"' in page and "sekunnin päästä" in page
    assert client.get("/panel/").status_code == 302  # still not signed in


def test_an_organisation_sees_nothing_of_another(app: Any) -> None:
    make_user(app, "a@a.example", "Org A")
    make_user(app, "b@b.example", "Org B")
    a, b = app.test_client(), app.test_client()
    login(a, "a@a.example")
    login(b, "b@b.example")
    token = csrf_token(a, "/panel/groups/")
    created = a.post("/panel/groups/", data={"name": "A:n ryhmä", "csrf_token": token})
    group_url = created.headers["Location"]
    token = csrf_token(a, group_url)
    a.post(f"{group_url}/members", data={"m-nickname": "Aino", "m-csrf_token": token})
    made = a.post(f"{group_url}/periods", data={"p-name": "Syksy", "p-starts_on": "2026-09-01",
                                                 "p-csrf_token": token})
    period_url = made.headers["Location"]
    assert "Aino" in a.get(group_url).get_data(as_text=True)
    assert b.get(group_url).status_code == 404
    assert b.get(period_url).status_code == 404
    assert "A:n ryhmä" not in b.get("/panel/groups/").get_data(as_text=True)
    token_b = csrf_token(b, "/panel/groups/")
    assert b.post(f"{group_url}/members", data={"m-nickname": "X",
                                                "m-csrf_token": token_b}).status_code == 404


def test_cofacilitator_runs_tables_but_does_not_manage_groups(app: Any, client: Any) -> None:
    make_user(app, "peer@a.example", role=Role.cofacilitator)
    login(client, "peer@a.example")
    assert client.get("/panel/").status_code == 200
    assert client.get("/panel/groups/").status_code == 403


def test_identity_codes_are_refused_next_to_the_field(app: Any, client: Any) -> None:
    make_user(app)
    login(client)
    token = csrf_token(client, "/panel/groups/")
    group_url = client.post("/panel/groups/", data={"name": "Ryhmä", "csrf_token": token}
                            ).headers["Location"]
    token = csrf_token(client, group_url)
    response = client.post(f"{group_url}/members", data={
        "m-nickname": "Aino 131052-308T", "m-csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="m-nickname-error"' in page and "henkilötunnusta" in page
    assert "131052-308T" in page  # what was typed stays, to be corrected
    with client.application.app_context():
        from facilitator.models import Member
        assert db().scalars(select(Member)).all() == []


def test_meetings_across_the_october_clock_change(app: Any, client: Any) -> None:
    make_user(app)
    login(client)
    token = csrf_token(client, "/panel/groups/")
    group_url = client.post("/panel/groups/", data={"name": "Ryhmä", "csrf_token": token}
                            ).headers["Location"]
    token = csrf_token(client, group_url)
    period_url = client.post(f"{group_url}/periods", data={
        "p-name": "Syksy", "p-starts_on": "2026-10-01", "p-csrf_token": token}
    ).headers["Location"]
    for day in ("2026-10-24", "2026-10-26"):  # Finland leaves summer time on 25 October
        token = csrf_token(client, period_url)
        response = client.post(period_url, data={"day": day, "at": "10:00", "theme": "Teema",
                                                  "activity": "game:circle",
                                                  "csrf_token": token})
        assert response.status_code == 302
    with app.app_context():
        times = [m.starts_at for m in db().scalars(select(Meeting).order_by(Meeting.id))]
    assert times == [datetime(2026, 10, 24, 7, 0, tzinfo=UTC),   # EEST, UTC+3
                     datetime(2026, 10, 26, 8, 0, tzinfo=UTC)]   # EET, UTC+2
    page = client.get(period_url).get_data(as_text=True)
    assert page.count("klo 10.00") == 2  # both shown as 10:00 Helsinki time


def test_a_period_cannot_end_before_it_starts(app: Any, client: Any) -> None:
    make_user(app)
    login(client)
    token = csrf_token(client, "/panel/groups/")
    group_url = client.post("/panel/groups/", data={"name": "Ryhmä", "csrf_token": token}
                            ).headers["Location"]
    token = csrf_token(client, group_url)
    response = client.post(f"{group_url}/periods", data={
        "p-name": "X", "p-starts_on": "2026-10-10", "p-ends_on": "2026-10-01",
        "p-csrf_token": token})
    assert response.status_code == 400
    assert "ei voi päättyä ennen" in response.get_data(as_text=True)


def test_admin_command_creates_a_user(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [
        "admin", "create-user", "--email", "new@x.example", "--name", "Uusi",
        "--organisation", "X", "--role", "leader", "--database", str(tmp_path / "p.sqlite3"),
        "--password", "kymmenen-merkkiä"])
    assert result.exit_code == 0, result.output
    assert "Created new@x.example" in result.output
