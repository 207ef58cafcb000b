"""Leaders' accounts: passwords (argon2), sign-in with a rate limit, the first-run page.

Sessions are Flask-Login's, in HttpOnly SameSite cookies; every form carries a CSRF token
(Flask-WTF). Sign-in attempts are limited per address and account: after
:data:`MAX_FAILURES` failures within :data:`WINDOW_S`, the page says how long to wait.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from facilitator.dbsession import db
from facilitator.i18n import current_lang, safe_path
from facilitator.models import Organisation, Role, User

__all__ = ["bp", "create_user", "hash_password", "login_manager", "verify_password"]

bp = Blueprint("auth", __name__, template_folder="templates")
login_manager = LoginManager()
login_manager.login_view = "auth.login"

def N_(text: str) -> str:
    """Marks ``text`` for the catalogs; it is translated where it is shown."""
    return text


login_manager.login_message = N_("Please sign in to continue.")
# Flashed in the language of the request that needed a sign-in.
login_manager.localize_callback = gettext

_hasher = PasswordHasher()
MAX_FAILURES = 5
WINDOW_S = 15 * 60


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


class _Limiter:
    """Failed sign-ins per key within a sliding window (one process; kept in memory)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait_s(self, key: str) -> int:
        """Seconds until another attempt is allowed (0: allowed now)."""
        now = time.monotonic()
        with self._lock:
            failures = self._failures[key]
            while failures and now - failures[0] > WINDOW_S:
                failures.popleft()
            if len(failures) < MAX_FAILURES:
                return 0
            return int(WINDOW_S - (now - failures[0])) + 1

    def failed(self, key: str) -> None:
        with self._lock:
            self._failures[key].append(time.monotonic())

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


limiter = _Limiter()


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db().get(User, int(user_id))
    return user if user is not None and user.active else None


def create_user(email: str, name: str, password: str, organisation: str | int,
                role: Role = Role.leader, lang: str = "fi") -> User:
    """Make an account, and its organisation when given by name."""
    session = db()
    if isinstance(organisation, int):
        org = session.get(Organisation, organisation)
        if org is None:
            raise ValueError(f"no organisation {organisation}")
    else:
        org = session.scalar(select(Organisation).where(Organisation.name == organisation))
        if org is None:
            org = Organisation(name=organisation)
            session.add(org)
            session.flush()
    user = User(email=email.strip().lower(), name=name.strip(), organisation_id=org.id,
                password_hash=hash_password(password), role=role.value, lang=lang)
    session.add(user)
    session.commit()
    return user


class LoginForm(FlaskForm):
    email = EmailField(lazy_gettext("Email"), validators=[
        DataRequired(lazy_gettext("Enter your email address.")),
        Email(lazy_gettext("Check the email address."))])
    password = PasswordField(lazy_gettext("Password"), validators=[
        DataRequired(lazy_gettext("Enter your password."))])


class SetupForm(FlaskForm):
    organisation = StringField(lazy_gettext("Organisation or team"), validators=[
        DataRequired(lazy_gettext("Enter the organisation's name.")), Length(max=120)])
    name = StringField(lazy_gettext("Your name"), validators=[
        DataRequired(lazy_gettext("Enter your name.")), Length(max=120)])
    email = EmailField(lazy_gettext("Email"), validators=[
        DataRequired(lazy_gettext("Enter your email address.")),
        Email(lazy_gettext("Check the email address."))])
    password = PasswordField(lazy_gettext("Password"), validators=[
        DataRequired(lazy_gettext("Enter your password.")),
        Length(min=10, message=lazy_gettext("The password must have at least 10 characters."))])
    again = PasswordField(lazy_gettext("Password again"), validators=[
        EqualTo("password", message=lazy_gettext("The passwords are not the same."))])


def _no_users() -> bool:
    return not db().scalar(select(func.count()).select_from(User))


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | WerkzeugResponse:
    if _no_users():
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    wait = 0
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        key = f"{request.remote_addr}|{email}"
        wait = limiter.wait_s(key)
        if not wait:
            user = db().scalar(select(User).where(User.email == email))
            if user is not None and user.active and verify_password(user.password_hash,
                                                                      form.password.data or ""):
                limiter.clear(key)
                login_user(user)
                return redirect(_safe_next())
            limiter.failed(key)
            form.password.errors = [gettext("The email or the password is wrong.")]
            wait = limiter.wait_s(key)
    return render_template("accounts/login.html", form=form, wait_minutes=(wait + 59) // 60)


def _safe_next() -> str:
    return safe_path(request.args.get("next"), url_for("panel.index"))


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> str | WerkzeugResponse:
    """The first-run page: only while no account exists, it makes the first admin."""
    if not _no_users():
        return redirect(url_for("auth.login"))
    form = SetupForm()
    if form.validate_on_submit():
        user = create_user(form.email.data or "", form.name.data or "", form.password.data or "",
                           form.organisation.data or "", Role.admin, lang=current_lang())
        login_user(user)
        flash(gettext("Welcome! Your account has been created."))
        return redirect(url_for("panel.index"))
    return render_template("accounts/setup.html", form=form)


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    logout_user()
    return redirect(url_for("auth.login"))


def current() -> Any:
    """The signed-in user (for type checkers: the User model)."""
    return current_user._get_current_object()


def init_app(app: Any) -> None:
    login_manager.init_app(app)
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Strict")
