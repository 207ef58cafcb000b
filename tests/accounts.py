"""Accounts for tests: make a user, sign in through the real form (CSRF token included)."""

from __future__ import annotations

import re
from typing import Any

from facilitator.accounts.auth import create_user
from facilitator.models import Role

PASSWORD = "oikein-hyvä-salasana"


def make_user(app: Any, email: str = "leader@a.example", org: str = "Org A",
              role: Role = Role.leader, password: str = PASSWORD) -> int:
    with app.app_context():
        return create_user(email, email.split("@")[0], password, org, role).id


def csrf_token(client: Any, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def login(client: Any, email: str = "leader@a.example", password: str = PASSWORD) -> Any:
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


def login_page(page: Any, base_url: str, email: str = "leader@a.example",
               password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("#login button[type=submit]")
    page.wait_for_url(f"{base_url}/panel/")


def signed_in(app: Any, email: str = "leader@a.example", org: str = "Org A",
              role: Role = Role.leader, lang: str = "fi") -> Any:
    """A test client signed in (through the form) as a new user whose language is ``lang``."""
    from facilitator.dbsession import db
    from facilitator.models import User

    user_id = make_user(app, email, org, role)
    with app.app_context():
        user = db().get(User, user_id)
        assert user is not None
        user.lang = lang
        db().commit()
    client = app.test_client()
    login(client, email)
    return client
