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

from engine import GiveHint, MakeMove, PauseTable, Rejected, ResumeTable, SkipTurn, StartTable
from engine.registry import available_games, find_game, load_game_content

from .forms import FormField, fields_for, parse_form
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


def _choices(game: str) -> dict[str, Any]:
    module = find_game(game)
    return module.choices(load_game_content(game)) if module.choices else {}


@bp.route("/new/<game>", methods=["GET", "POST"])
def new_table(game: str) -> str | WerkzeugResponse:
    """Start a table: the game's own options as a form, then the table's page."""
    if game not in available_games():
        abort(404)
    module = find_game(game)
    fields = fields_for(module.options_type, "fi", _choices(game))
    if request.method == "POST":
        options, fields = parse_form(module.options_type, request.form, fields)
        if options is not None:
            live = _hub().create_table(game, options, admit=request.form.get("admit") == "on")
            return redirect(url_for("panel.table", code=live.code))
    return render_template("panel_new.html", module=module, fields=fields)


@bp.post("/tables")
def create_table() -> WerkzeugResponse:
    """Start a table with the game's default options in one click."""
    game = request.form.get("game", "circle")
    if game not in available_games():
        abort(400)
    live = _hub().create_table(game, {}, admit=request.form.get("admit") == "on")
    return redirect(url_for("panel.table", code=live.code))


def _move_forms(live: Any) -> list[tuple[Any, list[FormField]]]:
    module = live.table.module
    choices = _choices(module.id)
    return [(action, fields_for(module.moves[action.move].payload, "fi", choices))
            for action in live.table.facilitator_view().actions]


@bp.get("/t/<code>")
def table(code: str) -> str:
    live = _hub().find(code)
    if live is None:
        abort(404)
    return render_template("panel_table.html", live=live, view=live.table.facilitator_view(),
                           moves=_move_forms(live), notice=request.args.get("notice"),
                           join_url=f"{_hub().public_url or request.host_url.rstrip('/')}"
                                    f"/j/{live.code}")


@bp.post("/t/<code>/move/<name>")
def leader_move(code: str, name: str) -> str | WerkzeugResponse:
    """A game's own leader action (skip a card, add the group's own card…)."""
    hub = _hub()
    live = hub.find(code)
    if live is None or name not in live.table.module.moves:
        abort(404)
    module = live.table.module
    fields = fields_for(module.moves[name].payload, "fi", _choices(module.id))
    payload, fields = parse_form(module.moves[name].payload, request.form, fields)
    notice = None
    if payload is not None:
        result = hub.apply(live, MakeMove(at=hub.now(), seat=None, name=name, payload=payload))
        if isinstance(result, Rejected):
            notice = result.message.pick("fi")
    else:
        notice = "; ".join(f"{f.label}: {f.error}" for f in fields if f.error)
    return redirect(url_for("panel.table", code=live.code, notice=notice))


@bp.post("/t/<code>/<action>")
def act(code: str, action: str) -> Response | WerkzeugResponse:
    hub = _hub()
    live = hub.find(code)
    if live is None:
        abort(404)
    if action == "end":
        hub.end(live)
    elif action == "screen-lang":
        lang = request.form.get("lang", "fi")
        if lang not in ("fi", "sv", "en", "fi-x-selko"):
            abort(400)
        hub.set_screen_lang(live, lang)
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
