"""The leader's panel (first cut): create a table, show its QR code, run it.

Until leader accounts arrive, the panel opens with the key ``piiri run`` prints
(``/panel?key=…``), kept in a SameSite=Strict session cookie.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from engine import GiveHint, PauseTable, ResumeTable, SkipTurn, StartTable
from engine.registry import available_games

from .hub import Hub

__all__ = ["bp"]

bp = Blueprint("panel", __name__, url_prefix="/panel")

_ACTIONS = {"start": StartTable, "pause": PauseTable, "resume": ResumeTable, "skip": SkipTurn}


def _hub() -> Hub:
    found: Hub = current_app.extensions["piiri.hub"]
    return found


@bp.before_request
def _leader_only() -> WerkzeugResponse | None:
    key = request.args.get("key")
    expected = current_app.config["LEADER_KEY"]
    if key is not None and hmac.compare_digest(key, expected):
        session["leader"] = True
        return redirect(request.path)
    if not session.get("leader"):
        abort(403)
    return None


@bp.get("/")
def index() -> str:
    hub = _hub()
    games = sorted(available_games().values(), key=lambda m: m.id)
    tables = [t for t in hub.tables()]
    return render_template("panel.html", games=games, tables=tables)


@bp.post("/tables")
def create_table() -> WerkzeugResponse:
    game = request.form.get("game", "circle")
    if game not in available_games():
        abort(400)
    options: dict[str, Any] = {}
    if request.form.get("rounds"):
        try:
            options["rounds"] = int(request.form["rounds"])
        except ValueError:
            abort(400)
    live = _hub().create_table(game, options, admit=request.form.get("admit") == "on")
    return redirect(url_for("panel.table", code=live.code))


@bp.get("/t/<code>")
def table(code: str) -> str:
    live = _hub().find(code)
    if live is None:
        abort(404)
    return render_template("panel_table.html", live=live, view=live.table.facilitator_view(),
                           join_url=f"{_hub().public_url or request.host_url.rstrip('/')}"
                                    f"/j/{live.code}")


@bp.post("/t/<code>/<action>")
def act(code: str, action: str) -> Response | WerkzeugResponse:
    hub = _hub()
    live = hub.find(code)
    if live is None:
        abort(404)
    if action == "end":
        hub.end(live)
    elif action in ("admit", "refuse"):
        hub.decide_join(live, request.form.get("pending", ""), admit=action == "admit")
    elif action == "hint":
        text = (request.form.get("text") or "").strip()
        if text:
            hub.apply(live, GiveHint(at=hub.now(), text=text[:280]))
    elif action in _ACTIONS:
        hub.apply(live, _ACTIONS[action](at=hub.now()))
    else:
        abort(404)
    return redirect(url_for("panel.table", code=live.code))
