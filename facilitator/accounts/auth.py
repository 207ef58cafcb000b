"""Leaders' accounts: passwords (argon2), sign-in with throttling, the first-run page, and
sessions that end on the server's word.

Sessions are Flask-Login's, in HttpOnly SameSite cookies (Secure behind TLS); every form carries
a CSRF token (Flask-WTF). A session carries the user's *session epoch* from when it began:
signing out, a new password or a disabled account moves the epoch on (:func:`end_sessions`), and
every session of an older epoch is refused from then on, on every device, even if someone kept
a copy of the cookie. Failed sign-ins slow down per address and account, per account and per
address (see :mod:`facilitator.accounts.throttle`); an unknown email costs the same password
check as a known one, so the answer's timing does not tell who has an account.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select, update
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from facilitator.dbsession import db
from facilitator.i18n import current_lang, safe_path
from facilitator.models import Organisation, Role, User

from .throttle import MemoryThrottle, SignInThrottle, StoreThrottle

__all__ = ["bp", "create_user", "end_sessions", "hash_password", "login_manager", "sign_in",
           "throttle", "verify_password"]

bp = Blueprint("auth", __name__, template_folder="templates")
log = logging.getLogger("piiri.accounts")

login_manager = LoginManager()
login_manager.login_view = "auth.login"

def N_(text: str) -> str:
    """Marks ``text`` for the catalogs; it is translated where it is shown."""
    return text


login_manager.login_message = N_("Please sign in to continue.")
# Flashed in the language of the request that needed a sign-in.
login_manager.localize_callback = gettext

_hasher = PasswordHasher()
#: The session key that holds the epoch the session began in.
EPOCH_KEY = "_epoch"
_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _unknown_account_hash() -> str:
    """A hash of a random password, made like every stored one: an unknown email is checked
    against it, so it costs the same work as a known one."""
    global _dummy_hash
    if _dummy_hash is None:
        import secrets

        _dummy_hash = hash_password(secrets.token_urlsafe(24))
    return _dummy_hash


def throttle() -> SignInThrottle:
    """This app's sign-in throttle: in this process's memory, or in Redis when the app shares
    a store with other processes (``REDIS_URL``; see :func:`init_app`)."""
    found: SignInThrottle = current_app.extensions["piiri.signin_throttle"]
    return found


def _address() -> str:
    """Who is trying, for the throttle: the client's address (the proxy's word for it only
    with ``TRUST_PROXY``); an IPv6 client counts by its /64 network, which one user holds."""
    raw = request.remote_addr or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    try:
        user = db().get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    if user is None or not user.active or session.get(EPOCH_KEY) != user.session_epoch:
        return None  # gone, disabled, or a session that was ended
    return user


def sign_in(user: User) -> None:
    """Start a session for ``user`` in the user's current epoch."""
    login_user(user)
    session[EPOCH_KEY] = user.session_epoch


def end_sessions(user_id: int) -> None:
    """End every session of a user, on every device (signing out, a new password, a disabled
    account). The caller commits."""
    db().execute(update(User).where(User.id == user_id)
                 .values(session_epoch=User.session_epoch + 1))


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
        from facilitator.live import StoreUnavailable

        email = (form.email.data or "").strip().lower()
        address = _address()
        try:
            wait = throttle().wait_s(address, email)
            if not wait:
                user = db().scalar(select(User).where(User.email == email))
                # The same argon2 work whether or not the account exists.
                matches = verify_password(user.password_hash if user is not None
                                          else _unknown_account_hash(),
                                          form.password.data or "")
                if user is not None and user.active and matches:
                    throttle().succeeded(address, email)
                    sign_in(user)
                    return redirect(_safe_next())
                throttle().failed(address, email)
                form.password.errors = [gettext("The email or the password is wrong.")]
        except StoreUnavailable:
            # The sign-in counts live in Redis, which is away: without them nobody may be let
            # in (that would lift the throttle), so nobody is, and nothing is changed.
            log.warning("sign-in refused: the shared store cannot be reached")
            page = render_template("accounts/login.html", form=form, wait_s=0,
                                   unavailable=True)
            return WerkzeugResponse(page, status=503, mimetype="text/html",
                                    headers={"Retry-After": "30"})
        if wait:
            page = render_template("accounts/login.html", form=form, wait_s=wait)
            return WerkzeugResponse(page, status=429, mimetype="text/html",
                                    headers={"Retry-After": str(wait)})
    return render_template("accounts/login.html", form=form, wait_s=0)


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
        sign_in(user)
        flash(gettext("Welcome! Your account has been created."))
        return redirect(url_for("panel.index"))
    return render_template("accounts/setup.html", form=form)


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    """Sign out here and everywhere: every session of this user ends on the server."""
    if current_user.is_authenticated:
        end_sessions(int(current_user.id))
        db().commit()
    logout_user()
    session.pop(EPOCH_KEY, None)
    return redirect(url_for("auth.login"))


def current() -> Any:
    """The signed-in user (for type checkers: the User model)."""
    return current_user._get_current_object()


def init_app(app: Any) -> None:
    login_manager.init_app(app)
    from facilitator.live import shared_store

    # Sessions need nothing shared: a session's epoch is in the database (see end_sessions),
    # so signing out on one process ends the session on every other at its next request.
    store = shared_store(app)
    app.extensions.setdefault("piiri.signin_throttle",
                              MemoryThrottle() if store.local else StoreThrottle(store))
    _unknown_account_hash()  # made now, so the first unknown email takes no longer than others
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Strict")
