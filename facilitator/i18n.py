"""The panel's languages: Finnish (the default), Swedish and English, through Flask-Babel.

The source strings are English; ``translations/{fi,sv,en}/LC_MESSAGES/messages.po`` hold the
catalogs (extract with ``pybabel extract -F facilitator/babel.cfg -o
facilitator/translations/messages.pot facilitator``). No compiled ``.mo`` is kept in the
repository: :func:`compile_catalogs` compiles each catalog when the app starts, if its ``.mo`` is
missing or older than its ``.po`` -- beside the ``.po`` when the package folder is writable, else
in the instance folder.

The language of a request is the signed-in user's own (``User.lang``), else the ``lang`` cookie
that the language switch on the sign-in pages sets, else the browser's best match among the
three, else Finnish. The tablet and the shared screen have catalogs of their own (in their JS).
"""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, Flask, abort, has_request_context, redirect, request, url_for
from flask_babel import Babel, get_locale, gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator.dbsession import db

__all__ = ["DEFAULT", "HELSINKI", "LANGUAGES", "bp", "compile_catalogs", "current_lang", "helsinki",
           "init_app", "local_to_utc", "safe_path", "select_locale"]

log = logging.getLogger("piiri.i18n")

#: The panel's languages, the default first.
LANGUAGES = ("fi", "sv", "en")
DEFAULT = "fi"
#: Each language in its own words, for the switch.
ENDONYMS = {"fi": "suomi", "sv": "svenska", "en": "English"}
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
#: The catalogs shipped with the package.
TRANSLATIONS = Path(__file__).parent / "translations"
DOMAIN = "messages"

bp = Blueprint("i18n", __name__)

#: Meetings happen in Finland: dates and times are shown and typed as Helsinki wall-clock time
#: (stored as UTC).
HELSINKI = ZoneInfo("Europe/Helsinki")
#: Clock times as each language writes them (Finnish and Finland-Swedish: 14.30).
_CLOCK = {"en": "%H:%M"}


def local_to_utc(day: Any, at: time) -> datetime:
    """A wall-clock time in Helsinki as a UTC instant (daylight saving handled)."""
    return datetime.combine(day, at, tzinfo=HELSINKI).astimezone(UTC)


def helsinki(value: datetime | None, fmt: str | None = None) -> str:
    """Show a stored UTC time as Helsinki wall-clock time: with ``fmt`` (strftime), or by
    default as the day and the time in the panel's language ("24.10.2026 klo 10.00").
    The templates' ``helsinki`` filter."""
    if not value:
        return ""
    local = value.astimezone(HELSINKI)
    if fmt is not None:
        return local.strftime(fmt)
    return gettext("%(date)s at %(time)s", date=local.strftime("%d.%m.%Y"),
                   time=local.strftime(_CLOCK.get(current_lang(), "%H.%M")))


# -- compiling the catalogs ----------------------------------------------------------------------

def _compile(po: Path, mo: Path, lang: str) -> bool:
    """Compile ``po`` into ``mo`` unless ``mo`` is at least as new; True if it wrote."""
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return False
    with po.open("rb") as source:
        catalog = read_po(source, locale=lang, domain=DOMAIN)
    mo.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: two workers starting at once never read half a file.
    handle, temp = tempfile.mkstemp(dir=mo.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        os.replace(temp, mo)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def compile_catalogs(fallback: Path, source: Path = TRANSLATIONS) -> Path:
    """Make sure every language's ``.mo`` is there and current; return the folder that holds
    them (``source`` itself, or ``fallback`` if ``source`` cannot be written)."""
    for target in (source, fallback):
        try:
            for lang in LANGUAGES:
                po = source / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
                if _compile(po, target / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", lang):
                    log.info("compiled the %s catalog into %s", lang, target)
            return target
        except OSError as error:
            if target == fallback:
                raise
            log.info("cannot write the catalogs beside their sources (%s); using %s",
                     error, fallback)
    raise AssertionError("unreachable")


# -- choosing the language -----------------------------------------------------------------------

def _known(value: object) -> str | None:
    """One of :data:`LANGUAGES` for a tag such as ``sv``, ``sv-FI`` or ``fi-x-selko``."""
    if not isinstance(value, str):
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def select_locale() -> str:
    """Flask-Babel's locale selector: user, then cookie, then browser, then Finnish."""
    if not has_request_context():
        return DEFAULT
    if current_user and current_user.is_authenticated:
        found = _known(getattr(current_user, "lang", None))
        if found:
            return found
    found = _known(request.cookies.get(COOKIE))
    if found:
        return found
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def current_lang() -> str:
    """The language of this request (for picking a game's own texts, too)."""
    return _known(str(get_locale() or DEFAULT)) or DEFAULT


# -- switching it --------------------------------------------------------------------------------

def safe_path(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site (``/…``), else ``default``: never a redirect to
    another host (``//host``, ``/\\host``, ``https://…``)."""
    if (target and target.startswith("/") and not target.startswith(("//", "/\\"))
            and "\\" not in target and not any(ord(c) < 32 for c in target)):
        return target
    return default


def _here() -> str:
    """Where the switch should come back to: this page, or for a page answering a post (a form
    with errors), the page the post came from."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return ""


def _chosen() -> str:
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        abort(400)
    return lang


def _back(lang: str, default: str) -> WerkzeugResponse:
    response = redirect(safe_path(request.form.get("next"), default))
    response.set_cookie(COOKIE, lang, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=request.is_secure)
    return response


@bp.post("/lang")
def set_cookie_lang() -> WerkzeugResponse:
    """The switch on the sign-in and first-run pages: a cookie, for this browser."""
    return _back(_chosen(), url_for("auth.login"))


@bp.post("/panel/lang")
@login_required
def set_user_lang() -> WerkzeugResponse:
    """The switch in the panel's header: saved to the account, and to a cookie so that the
    sign-in page speaks it too after signing out."""
    lang = _chosen()
    user = current_user._get_current_object()  # loaded through this request's session
    user.lang = lang
    db().commit()
    return _back(lang, url_for("panel.index"))


def _template_globals() -> dict[str, Any]:
    return {"current_lang": current_lang(), "languages": list(ENDONYMS.items()),
            "here": _here() if has_request_context() else ""}


def init_app(app: Flask) -> None:
    """Compile the catalogs if needed, and set Flask-Babel up with :func:`select_locale`."""
    if not app.config.get("BABEL_TRANSLATION_DIRECTORIES"):
        folder = compile_catalogs(Path(app.instance_path) / "translations")
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(folder)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    Babel(app, locale_selector=select_locale)
    app.context_processor(_template_globals)
    app.add_template_filter(helsinki, "helsinki")
    app.register_blueprint(bp)
