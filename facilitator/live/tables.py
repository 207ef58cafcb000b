"""The leader's panel: today's meetings, live tables with their QR codes, running a table.

Every page needs a signed-in account; a table is visible only to its own organisation.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from engine import (
    GiveHint,
    Leave,
    MakeMove,
    PauseTable,
    Rejected,
    ResumeTable,
    SkipTurn,
    StartTable,
    TableStatus,
    message,
)
from engine.content import ContentError, content_root, load_content_file
from engine.proposals import PROPOSAL_MAX, WordList, held_back_words
from engine.protocol import Gone
from engine.registry import available_games, find_game, load_game_content
from facilitator.accounts import looks_like_identity_code, org_id, owned_table
from facilitator.dbsession import db
from facilitator.i18n import HELSINKI, current_lang
from facilitator.models import Group, Meeting, MeetingStatus, Period, Role, TableOwner

from .gameforms import FormField, fields_for, parse_form
from .hub import Hub, LiveTable

__all__ = ["bp"]

log = logging.getLogger("piiri.panel")

bp = Blueprint("panel", __name__, url_prefix="/panel", template_folder="templates")

_ACTIONS = {"start": StartTable, "pause": PauseTable, "resume": ResumeTable, "skip": SkipTurn}


def _hub() -> Hub:
    found: Hub = current_app.extensions["piiri.hub"]
    return found


@bp.before_request
def _signed_in() -> WerkzeugResponse | None:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.path))
    return None


def _own(live: LiveTable | None) -> LiveTable:
    """The table, if it belongs to the signed-in user's organisation (404 otherwise)."""
    if live is None:
        abort(404)
    owned_table(live.table_id)
    return live


def _open_table(game: str, options: dict[str, Any], admit: bool,
                meeting_id: int | None = None) -> LiveTable:
    live = _hub().create_table(game, options, admit=admit)
    db().add(TableOwner(table_id=live.table_id, organisation_id=org_id(), meeting_id=meeting_id,
                        started_by=int(current_user.id)))
    db().commit()
    return live


@bp.get("/")
def index() -> str:
    hub = _hub()
    games = sorted(available_games().values(), key=lambda m: m.id)
    owned = set(db().scalars(select(TableOwner.table_id).where(
        TableOwner.organisation_id == org_id())))
    # Tables in progress: an ended one is reached through its meeting's record instead.
    tables = [t for t in hub.tables() if t.table_id in owned
              and t.table.status is not TableStatus.ended]
    if hub.cluster is not None:  # several processes: the tables the others own, too
        tables += [t for t in hub.cluster.elsewhere(owned)
                   if t.table.status is not TableStatus.ended]
    today = datetime.now(HELSINKI).date()
    start = datetime.combine(today, time(0), tzinfo=HELSINKI).astimezone(UTC)
    meetings = list(db().scalars(
        select(Meeting).join(Period).join(Group)
        .where(Group.organisation_id == org_id(), Meeting.starts_at >= start,
               Meeting.starts_at < start + timedelta(days=1))
        .order_by(Meeting.starts_at)))
    from facilitator.groups import STATE_WORDS, steps

    found = steps(meetings, hub)
    if hub.cluster is not None:
        found = _steps_elsewhere(found, tables)
    return render_template("live/panel.html", games=games, tables=tables, meetings=meetings,
                           steps=found, state_words=STATE_WORDS)


def _steps_elsewhere(found: dict[int, Any], tables: list[LiveTable]) -> dict[int, Any]:
    """A running meeting's step leads to its table when another process owns it, too (the
    steps know only this process's tables)."""
    from facilitator.groups import Step

    codes = {live.table_id: live.code for live in tables}
    waiting = [meeting_id for meeting_id, step in found.items()
               if step.state == MeetingStatus.live.value and step.code is None]
    if not waiting or not codes:
        return found
    for meeting_id, table_id in db().execute(
            select(TableOwner.meeting_id, TableOwner.table_id)
            .where(TableOwner.meeting_id.in_(waiting), TableOwner.table_id.in_(codes))):
        if meeting_id is not None:
            found[meeting_id] = Step(found[meeting_id].state, codes[table_id])
    return found


def _choices(game: str) -> dict[str, Any]:
    module = find_game(game)
    return module.choices(load_game_content(game)) if module.choices else {}


@bp.route("/new/<game>", methods=["GET", "POST"])
def new_table(game: str) -> str | WerkzeugResponse:
    """Start a table: the game's own options as a form, then the table's page."""
    if game not in available_games():
        abort(404)
    module = find_game(game)
    fields = fields_for(module.options_type, current_lang(), _choices(game))
    if request.method == "POST":
        options, fields = parse_form(module.options_type, request.form, fields)
        if options is not None:
            live = _open_table(game, options, admit=request.form.get("admit") == "on")
            return redirect(url_for("panel.table", code=live.code))
    return render_template("live/panel_new.html", module=module, fields=fields)


@bp.post("/tables")
def create_table() -> WerkzeugResponse:
    """Start a table with the game's default options in one click."""
    game = request.form.get("game", "circle")
    if game not in available_games():
        abort(400)
    live = _open_table(game, {}, admit=request.form.get("admit") == "on")
    return redirect(url_for("panel.table", code=live.code))


def _move_forms(live: Any) -> list[tuple[Any, list[FormField]]]:
    module = live.table.module
    actions = live.table.facilitator_view().actions
    if not actions:  # before the start the game's state is still blank: nothing to ask it
        return []
    choices = _choices(module.id)
    if module.choices_for is not None:  # this table's own choices (its room, its open locks)
        choices = {**choices, **module.choices_for(live.table.view())}
    lang = current_lang()
    return [(action, fields_for(module.moves[action.move].payload, lang, choices))
            for action in actions]


_WORDS: dict[str, WordList | None] = {}


def _word_list() -> WordList | None:
    """``content/moderation/words.yaml``, read once (``None`` if it cannot be read: then no
    proposal is marked, and every proposal still waits for the leader)."""
    if "list" not in _WORDS:
        try:
            _WORDS["list"] = load_content_file(content_root() / "moderation" / "words.yaml",
                                               WordList)
        except (ContentError, OSError) as error:
            log.warning("the moderation word list cannot be read: %s", error)
            _WORDS["list"] = None
    return _WORDS["list"]


def _proposal_queue(live: LiveTable) -> list[dict[str, Any]]:
    """The proposals waiting for the leader, each with its writer's nickname and the listed
    words it holds (then the panel keeps its words folded away until the leader opens them)."""
    words = _word_list()
    out = []
    for p in live.table.meta.proposals.pending():
        seat = live.table.seat(p.seat)
        out.append({"id": p.id, "text": p.text, "nickname": seat.nickname if seat else "",
                    "held": bool(held_back_words(p.text, words))})
    return out


@bp.get("/t/<code>")
def table(code: str) -> str:
    live = _own(_hub().find(code))
    owner = owned_table(live.table_id)
    notes: list[Any] = []
    if owner.meeting_id is not None and current_user.can(Role.leader):
        from facilitator.groups import meeting_notes

        notes = meeting_notes(owner.meeting_id)
    return render_template("live/panel_table.html", live=live, view=live.table.facilitator_view(),
                           meeting_id=owner.meeting_id, notes=notes,
                           rollcall=current_user.can(Role.leader) and owner.meeting_id is not None,
                           moves=_move_forms(live), notice=request.args.get("notice"),
                           proposals=_proposal_queue(live), proposal_max=PROPOSAL_MAX,
                           js_strings=_js_strings(),
                           join_url=f"{_hub().public_url or request.host_url.rstrip('/')}"
                                    f"/j/{live.code}")


@bp.post("/t/<code>/move/<name>")
def leader_move(code: str, name: str) -> str | WerkzeugResponse:
    """A game's own leader action (skip a card, add the group's own card…)."""
    hub = _hub()
    live = _own(hub.find(code))
    if name not in live.table.module.moves:
        abort(404)
    module = live.table.module
    fields = fields_for(module.moves[name].payload, current_lang(), _choices(module.id))
    payload, fields = parse_form(module.moves[name].payload, request.form, fields)
    notice = None
    if payload is not None:
        result = hub.apply(live, MakeMove(at=hub.now(), seat=None, name=name, payload=payload))
        if isinstance(result, Rejected):
            notice = result.message.pick(current_lang())
    else:
        notice = "; ".join(f"{f.label}: {f.error}" for f in fields if f.error)
    return redirect(url_for("panel.table", code=live.code, notice=notice))


@bp.post("/t/<code>/proposal/<int:proposal>/<verb>")
def moderate(code: str, proposal: int, verb: str) -> WerkzeugResponse:
    """The leader accepts a participant's proposal (as written, or edited: the writer's tablet
    says so) or gives it back with a kind word."""
    if verb not in ("accept", "return"):
        abort(404)
    hub = _hub()
    live = _own(hub.find(code))
    field = "text" if verb == "accept" else "note"
    text = " ".join((request.form.get(field) or "").split())
    if looks_like_identity_code(text):
        return redirect(url_for("panel.table", code=live.code, notice=gettext(
            "Do not write a personal identity code here: Piiri uses nicknames only. "
            "Remove the code and save again.")))
    if verb == "accept":
        payload: dict[str, Any] = {"id": proposal, "text": text[:PROPOSAL_MAX] or None}
    else:
        payload = {"id": proposal, "note": text[:200]}
    result = hub.apply(live, MakeMove(at=hub.now(), seat=None, name=f"proposal_{verb}",
                                      payload=payload))
    notice = result.message.pick(current_lang()) if isinstance(result, Rejected) else None
    if verb == "accept" and notice is None:
        accepted = live.table.meta.proposals.find(proposal)
        for hook in hub.after_accept:  # e.g. a workshop adds it to the group's own draft
            hook(live, accepted)
    return redirect(url_for("panel.table", code=live.code, notice=notice))


@bp.post("/t/<code>/<action>")
def act(code: str, action: str) -> Response | WerkzeugResponse:
    hub = _hub()
    live = _own(hub.find(code))
    if action == "end":
        hub.end(live)
        from facilitator.groups import mark_ended

        mark_ended(live.table_id)  # the meeting's next step is its roll call
    elif action == "roster":
        live.show_roster = request.form.get("show") == "on"
    elif action == "screen-lang":
        lang = request.form.get("lang", "fi")
        if lang not in ("fi", "sv", "en", "fi-x-selko"):
            abort(400)
        hub.set_screen_lang(live, lang)
    elif action in ("admit", "refuse"):
        hub.decide_join(live, request.form.get("pending", ""), admit=action == "admit")
    elif action == "hint":
        text = (request.form.get("text") or "").strip()
        if not text:
            return redirect(url_for("panel.table", code=live.code,
                                    notice=gettext("Write the hint first.")))
        if looks_like_identity_code(text):
            return redirect(url_for("panel.table", code=live.code, notice=gettext(
                "Do not write a personal identity code here: Piiri uses nicknames only. "
                "Remove the code and save again.")))
        hub.apply(live, GiveHint(at=hub.now(), text=text[:280]))
    elif action in _ACTIONS:
        hub.apply(live, _ACTIONS[action](at=hub.now()))
    else:
        abort(404)
    return redirect(url_for("panel.table", code=live.code))


# -- the live view: what the table page polls ---------------------------------------------------

#: The table's status in the leader's words.
TABLE_WORDS = {"lobby": lazy_gettext("waiting to start"), "playing": lazy_gettext("in progress"),
               "paused": lazy_gettext("on a break"), "ended": lazy_gettext("ended")}
#: A seat's status in the leader's words.
SEAT_WORDS = {"waiting": lazy_gettext("waiting"), "turn": lazy_gettext("their turn"),
              "passed": lazy_gettext("passed"), "answered": lazy_gettext("answered"),
              "away": lazy_gettext("away"), "gone": lazy_gettext("left the game"),
              "active": lazy_gettext("taking part")}


@bp.app_template_global()
def seat_words(status: str) -> str:
    return str(SEAT_WORDS.get(status, status))


@bp.app_template_global()
def table_words(status: str) -> str:
    return str(TABLE_WORDS.get(status, status))


@bp.app_template_global()
def did_words(did: list[Any], lang: str) -> str:
    """What a seat did in the game's own words ("Clues shared 2 · Locks opened 1")."""
    return " · ".join(f"{row.label.pick(lang)} {row.value_in(lang)}" for row in did) or "–"


def _js_strings() -> dict[str, Any]:
    """panel.js's words, in the page's language (``{name}``-style slots are filled in JS)."""
    return {
        "lost": gettext("Connection lost – trying again…"),
        "login": gettext("Your sign-in has expired. Reload the page and sign in."),
        "noTable": gettext("The table cannot be found any more."),
        "failed": gettext("The action did not succeed"),
        "nobody": gettext("Nobody has joined yet."),
        "participants": gettext("Participants"),
        "round": gettext("round %(round)s", round="{round}"),
        "turnOf": gettext("turn: %(name)s", name="{name}"),
        "member": gettext("Member: %(name)s", name="{name}"),
        "notOnRoster": gettext("Not on the group's list"),
        "connected": gettext("connected"),
        "disconnected": gettext("not connected"),
        "labels": [gettext("Status:"), gettext("Connection:"), gettext("Turns:"),
                   gettext("Passes:")],
        "inGame": gettext("In the game:"),
        "remove": gettext("Remove"),
        "cancel": gettext("Cancel"),
        "removeSeat": gettext("Remove %(name)s from the game", name="{name}"),
        "admit": gettext("Admit"),
        "refuse": gettext("Not now"),
        "mirroring": gettext("This computer has only one display: the projector is probably "
                             "mirroring it, so this panel shows on the wall too. Use the panel "
                             "from a phone:"),
    }


def _live_view(live: LiveTable) -> dict[str, Any]:
    """The table as the leader's page shows it, taken in one piece under the table's lock."""
    lang = current_lang()
    with live.lock:
        view = live.table.facilitator_view()
        members = {member: name for name, member in live.roster.items()}
        current = next((s.nickname for s in view.seats if s.seat == view.current), None)
        return {
            "seq": live.table.seq,
            "code": live.code,
            "status": view.status,
            "status_text": table_words(view.status),
            "phase": view.phase,
            "flow": view.flow,
            "round": view.round,
            "current": view.current,
            "current_nickname": current,
            "timer_remaining_ms": view.timer_remaining_ms,
            "seats": [{
                "seat": s.seat, "nickname": s.nickname, "member": s.member,
                "member_name": members.get(s.member) if s.member else None,
                "connected": s.connected, "gone": s.gone,
                "status": s.status, "status_text": seat_words(s.status),
                "counts": s.counts,
                "did": did_words(s.did, lang),
            } for s in view.seats],
            "pending": [{"id": p.id, "nickname": p.nickname,
                         "member_name": members.get(p.member) if p.member else None}
                        for p in live.pending.values()],
            "roster": bool(live.roster),
            "screens": len(live.screens),
            "mirroring": any(i.displays <= 1 for i in live.screen_info.values()),
            "info": [{"label": row.label.pick(lang), "value": row.value_in(lang)}
                     for row in view.info] + _audience_info(live),
            # The proposal forms count as forms too: a new proposal loads the page again.
            "actions": [f"proposal:{p.id}" for p in live.table.meta.proposals.pending()]
                       + [a.move for a in view.actions],
        }


def _audience_info(live: LiveTable) -> list[dict[str, str]]:
    """How many watch, while the table's audience is open: a row of the page's info list,
    which the page's poll redraws (so the count follows without a reload)."""
    from .audience import panel_state

    state = panel_state(live)
    if state is None or not state["open"]:
        return []
    return [{"label": gettext("Audience watching"), "value": str(state["watching"])}]


@bp.get("/t/<code>/live.json")
def live_json(code: str) -> Response:
    """The leader's live view of a table, polled by panel.js every couple of seconds."""
    live = _own(_hub().find(code))
    body = _live_view(live)
    # A fresh token keeps the page's forms valid however long the page stays open.
    body["csrf_token"] = generate_csrf()
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/t/<code>/remove")
def remove_seat(code: str) -> WerkzeugResponse:
    """The leader removes a seat: it leaves the table, and its tablet is told so."""
    hub = _hub()
    live = _own(hub.find(code))
    seat_id = request.form.get("seat", "")
    notice = None
    conn = None
    with live.lock:
        seat = live.table.seat(seat_id)
        if seat is None:
            abort(400)
        if seat.gone:
            notice = gettext("%(nickname)s is no longer at the table.",
                             nickname=seat.nickname)
        elif live.table.status is TableStatus.ended:
            notice = gettext("The game has already ended.")
        else:
            # Off the table's connections first, so the broadcast after the leave skips it.
            conn = live.seats.pop(seat_id, None)
            result = hub.apply(live, Leave(at=hub.now(), seat=seat_id, removed_by_leader=True))
            if isinstance(result, Rejected):
                if conn is not None:
                    live.seats.setdefault(seat_id, conn)
                conn = None
                notice = result.message.pick(current_lang())
    if conn is not None:
        try:
            conn.send(Gone(reason="removed", message=message("removed")).model_dump_json())
        except Exception as error:  # a dropped socket: the seat is removed all the same
            log.debug("could not tell a removed seat: %s", error)
    return redirect(url_for("panel.table", code=live.code, notice=notice))
