"""The panel's list of installed activities: each one's version, the languages of its content
and whether its content loads. An activity that could not be loaded is listed with the reason,
so a broken third-party module never breaks the panel (see :func:`engine.registry.installed`)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from engine.registry import installed

__all__ = ["bp"]

bp = Blueprint("activities", __name__, url_prefix="/panel/activities",
               template_folder="templates")

#: Names of the languages content is written in; any other tag is shown as it is.
LANGUAGE_NAMES = {
    "fi": lazy_gettext("Finnish"),
    "sv": lazy_gettext("Swedish"),
    "en": lazy_gettext("English"),
    "fi-x-selko": lazy_gettext("Easy Finnish"),
}


@bp.before_request
def _signed_in() -> WerkzeugResponse | None:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    return None


@bp.get("/")
def index() -> str:
    return render_template("live/activities.html", activities=installed(),
                           language_names=LANGUAGE_NAMES)
