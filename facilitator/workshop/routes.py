"""The leader's workshop pages: the group's own content, opening a workshop, the draft's items
and versions, playing it, exporting and importing it."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from engine import CreateTable, Join, MakeMove, TableStatus
from engine.proposals import PROPOSAL_MAX
from engine.registry import find_game
from facilitator.accounts import looks_like_identity_code, org_id, owned_group, requires
from facilitator.dbsession import db
from facilitator.groups import open_meeting_table
from facilitator.i18n import current_lang
from facilitator.live import Hub, LiveTable, carry_over, owned_like
from facilitator.models import AuditEntry, Meeting, MeetingStatus, Period, Role, TableOwner
from games.workshop import Made, target
from games.workshop.game import TARGETS, credited_name

from . import drafts
from .models import MadeContent, MadeCredit, MadeTable, MadeVersion

__all__ = ["AUDIT_WORDS", "accepted", "bp"]

bp = Blueprint("workshop", __name__, url_prefix="/workshop", template_folder="templates")

LANGUAGES = {"fi": "suomi", "sv": "svenska", "en": "English", "fi-x-selko": "selkosuomi"}

#: This area's audit codes.
AUDIT_WORDS = {"edit_made_item": lazy_gettext("Edited an item of the group's own content")}


def _hub() -> Hub:
    found: Hub = current_app.extensions["piiri.hub"]
    return found


def _made(made_id: int) -> MadeContent:
    made = db().get(MadeContent, made_id)
    if made is None or made.organisation_id != org_id():
        abort(404)
    return made


def _open(game: str, options: dict[str, Any], group: Any, meeting_id: int | None = None,
          content: Any = None, facts: tuple[Any, ...] = ()) -> LiveTable:
    live = _hub().create_table(game, options, content=content, facts=facts)
    live.roster = {m.nickname: str(m.id) for m in group.members if m.active}
    db().add(TableOwner(table_id=live.table_id, organisation_id=org_id(),
                        meeting_id=meeting_id, started_by=int(current_user.id)))
    return live


@bp.get("/group/<int:group_id>")
@requires(Role.leader)
def group_page(group_id: int) -> str:
    group = owned_group(group_id)
    made = drafts.offered(db(), group.id)
    return render_template("workshop/group.html", group=group, made=made,
                           targets=[(g, find_game(g).title.pick(current_lang()))
                                    for g in TARGETS],
                           draft_languages=LANGUAGES, notice=request.args.get("notice"))


@bp.post("/group/<int:group_id>/start")
@requires(Role.leader)
def start(group_id: int) -> WerkzeugResponse:
    """Open a workshop table for the group, and the draft its accepted proposals go into."""
    group = owned_group(group_id)
    game = request.form.get("target", "")
    name = " ".join((request.form.get("name") or "").split())[:60]
    language = request.form.get("language", "fi")
    if game not in TARGETS or language not in LANGUAGES:
        abort(400)
    if not name or looks_like_identity_code(name):
        return redirect(url_for("workshop.group_page", group_id=group.id, notice=gettext(
            "Give the group's name for what you make (a nickname-like name, no identity "
            "codes).")))
    options: dict[str, Any] = {"target": game, "name": name, "language": language}
    if target(game).lock:
        options["goal"] = drafts.LOCKS[1]
    live = _open("workshop", options, group)
    drafts.new_made(db(), organisation_id=org_id(), group_id=group.id, game=game, name=name,
                    language=language, user_id=int(current_user.id),
                    workshop_table=live.table_id)
    db().commit()
    return redirect(url_for("panel.table", code=live.code))


def accepted(live: LiveTable, proposal: Any) -> None:
    """The live area's after-accept hook: a proposal accepted at a workshop table becomes an
    item of the group's draft (a new version, by the leader who accepted it)."""
    if live.table.module.id != "workshop" or proposal is None:
        return
    made = db().scalar(select(MadeContent).where(MadeContent.workshop_table == live.table_id))
    if made is None:
        return
    view = live.table.view()
    translation = next((t for t in view.state.translations if t.proposal == proposal.id), None)
    if translation is not None:
        _translated(made, view.state.made, translation)
        return
    item: Made | None = next((m for m in view.state.made if m.proposal == proposal.id), None)
    if item is None:
        return
    seat = live.table.seat(item.seat)
    credit = credited_name(view, item)
    member = getattr(seat, "member", None)
    lock = {"answer": item.answer, "clues": item.clues, "hint": item.hint} \
        if item.answer is not None else None
    drafts.add_item(db(), made, item.text, item.kind, int(current_user.id), credit=credit,
                    member_id=int(member) if credit and member else None, lock=lock,
                    choices=item.choices)
    db().commit()


def _translated(made: MadeContent, made_items: list[Made], translation: Any) -> None:
    """A participant's accepted translation: the item gains that language (a new version).
    The workshop table shows the draft's items in the draft's order (those made before it,
    then those accepted at it), so an item's place there is its place in the draft."""
    place = next((n for n, m in enumerate(made_items) if m.proposal == translation.item), None)
    items = drafts.items_of(db(), made)
    if place is None or place >= len(items):
        return
    drafts.edit_item(db(), made, str(items[place]["id"]), translation.text,
                     int(current_user.id), translation.language)
    db().commit()


@bp.get("/made/<int:made_id>")
@requires(Role.leader)
def made_page(made_id: int) -> str:
    return _made_page(_made(made_id))


def _made_page(made: MadeContent, edit_problems: list[Any] | None = None,
               editing: str | None = None) -> str:
    """The made page; with ``edit_problems``, why the leader's change to ``editing`` was
    not saved (field by field), with what they wrote still in the form."""
    group = owned_group(made.group_id)
    items = drafts.items_of(db(), made)
    _, problems = drafts.check(made, items)
    versions = list(db().scalars(select(MadeVersion).where(
        MadeVersion.content_id == made.id).order_by(MadeVersion.version.desc())))
    credits = {c.item_id: c.name for c in db().scalars(
        select(MadeCredit).where(MadeCredit.content_id == made.id))}
    meetings = list(db().scalars(select(Meeting).join(Period).where(
        Period.group_id == group.id, Meeting.game == made.game,
        Meeting.status == MeetingStatus.planned.value).order_by(Meeting.starts_at)))
    kinds = target(made.game).kinds
    workshop = _running({made.workshop_table} if made.workshop_table else set())
    summaries = {i.get("id"): drafts.summary(i, made.language) for i in items}
    shape = target(made.game)
    return render_template("workshop/made.html", made=made, group=group, items=items,
                           summaries=summaries, shape=shape, ending=drafts.ENDING,
                           story_title=drafts.story_title(made, items).get(
                               made.language, made.name) if shape.story else None,
                           edit_problems=edit_problems or [], editing=editing,
                           form=request.form if edit_problems else {},
                           problems=problems, versions=versions, credits=credits,
                           meetings=meetings, kinds=kinds, draft_languages=LANGUAGES,
                           workshop=workshop, tryout=_tryout(made),
                           title=find_game(made.game).title.pick(current_lang()),
                           notice=request.args.get("notice"))


@bp.post("/made/<int:made_id>/play")
@requires(Role.leader)
def play(made_id: int) -> WerkzeugResponse:
    """Play the latest version now, or at one of the group's planned meetings."""
    made = _made(made_id)
    group = owned_group(made.group_id)
    content = drafts.content_for(db(), made, made.version)
    if content is None:
        return redirect(url_for("workshop.made_page", made_id=made.id, notice=gettext(
            "This cannot be played yet: fix what the page lists first.")))
    meeting_id = request.form.get("meeting", type=int)
    if meeting_id is not None:
        meeting = db().scalar(select(Meeting).join(Period).where(
            Meeting.id == meeting_id, Period.group_id == group.id, Meeting.game == made.game,
            Meeting.status == MeetingStatus.planned.value))
        if meeting is None:
            abort(404)
        # The meeting's one lifecycle (it claims the meeting, or finds it closed meanwhile).
        found = open_meeting_table(_hub(), meeting, int(current_user.id), content=content,
                                   options=drafts.options_for(made),
                                   facts=(drafts.played_fact(made),))
        if found is None:
            return redirect(url_for("workshop.made_page", made_id=made.id, notice=gettext(
                "That meeting's attendance is saved already: choose another meeting.")))
        live = found
    else:
        live = _open(made.game, drafts.options_for(made), group, None, content=content,
                     facts=(drafts.played_fact(made),))
    if live.table.content is content:  # not a table the meeting had open already
        drafts.record_table(db(), made, live.table_id)
    db().commit()
    return redirect(url_for("panel.table", code=live.code))


def _credited(table_id: str) -> list[str]:
    """The nicknames that chose to be named at a workshop table, as its log says: those it
    carried over from the workshop before it, then each seat's latest choice there."""
    nicknames: dict[str, str] = {}
    named: set[str] = set()
    for event in _hub().store.events(table_id):
        action = event.action
        if isinstance(action, CreateTable):
            if action.game != "workshop":
                return []
            named = {str(n) for n in action.options.get("credited") or []}
        elif isinstance(action, Join):
            for fact in event.facts:
                if fact.kind == "seat_joined" and fact.seat is not None:
                    nicknames[fact.seat] = action.nickname
        elif isinstance(action, MakeMove) and action.name == "credit" \
                and action.seat in nicknames:
            if action.payload.get("value") == "yes":
                named.add(nicknames[action.seat])
            else:
                named.discard(nicknames[action.seat])
    return sorted(named)


def _running(table_ids: set[str]) -> LiveTable | None:
    return next((t for t in _hub().tables() if t.table_id in table_ids
                 and t.table.status is not TableStatus.ended), None)


def _tryout(made: MadeContent) -> LiveTable | None:
    """A table playing this content now, if any."""
    return _running(set(db().scalars(select(MadeTable.table_id).where(
        MadeTable.content_id == made.id))))


@bp.post("/made/<int:made_id>/try")
@requires(Role.leader)
def try_now(made_id: int) -> WerkzeugResponse:
    """Play what we made: the workshop's people, on their tablets, go on to a table of the
    activity with the draft (no new join); the workshop table ends."""
    made = _made(made_id)
    owned_group(made.group_id)
    content = drafts.content_for(db(), made, made.version)
    if content is None:
        return redirect(url_for("workshop.made_page", made_id=made.id, notice=gettext(
            "This cannot be played yet: fix what the page lists first.")))
    workshop = _running({made.workshop_table} if made.workshop_table else set())
    if workshop is None:
        return redirect(url_for("workshop.made_page", made_id=made.id, notice=gettext(
            "The workshop table is not open now.")))
    live = carry_over(_hub(), workshop, made.game, drafts.options_for(made), content=content,
                      facts=(drafts.played_fact(made),))
    owned_like(db(), workshop.table_id, live.table_id)
    drafts.record_table(db(), made, live.table_id)
    db().commit()
    return redirect(url_for("panel.table", code=live.code))


@bp.post("/made/<int:made_id>/back")
@requires(Role.leader)
def back_to_workshop(made_id: int) -> WerkzeugResponse:
    """From trying the draft back to writing: the same people go on to a new workshop table,
    whose accepted proposals go into the same draft. It shows what the draft holds already,
    and each person's choice of being named (made at the workshop before) holds there too."""
    made = _made(made_id)
    owned_group(made.group_id)
    tryout = _tryout(made)
    if tryout is None:
        return redirect(url_for("workshop.made_page", made_id=made.id, notice=gettext(
            "No table is playing this now.")))
    live = carry_over(_hub(), tryout, "workshop", {
        "target": made.game, "name": made.name, "language": made.language,
        "earlier": drafts.earlier(db(), made),
        "credited": _credited(made.workshop_table) if made.workshop_table else [],
        **({"goal": drafts.LOCKS[1]} if target(made.game).lock else {})})
    owned_like(db(), tryout.table_id, live.table_id)
    made.workshop_table = live.table_id
    db().commit()
    return redirect(url_for("panel.table", code=live.code))


@bp.post("/made/<int:made_id>/item/<item_id>")
@requires(Role.leader)
def edit(made_id: int, item_id: str) -> WerkzeugResponse:
    """The leader changes an item's text, or adds it in another language (a new version,
    and an audit entry naming the item, never its text)."""
    made = _made(made_id)
    owned_group(made.group_id)
    text = " ".join((request.form.get("text") or "").split())
    language = request.form.get("language") or made.language
    if language not in LANGUAGES:
        abort(400)
    if not text or len(text) > PROPOSAL_MAX or looks_like_identity_code(text):
        return redirect(url_for("workshop.made_page", made_id=made.id, notice=gettext(
            "Write the text (at most %(n)s characters, no identity codes). Nothing was "
            "changed.", n=PROPOSAL_MAX)))
    if not drafts.edit_item(db(), made, item_id, text, int(current_user.id), language):
        abort(404)
    db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id),
                        action="edit_made_item", detail=f"{drafts.made_id(made)} {item_id}"
                        + ("" if language == made.language else f" {language}")))
    db().commit()
    return redirect(url_for("workshop.made_page", made_id=made.id,
                            notice=gettext("Saved as a new version.")))


@bp.post("/made/<int:made_id>/title")
@requires(Role.leader)
def retitle(made_id: int) -> WerkzeugResponse:
    """The story's title (a new version; a name, so it is the same in every language)."""
    made = _made(made_id)
    owned_group(made.group_id)
    if not target(made.game).story:
        abort(404)
    title = " ".join((request.form.get("title") or "").split())
    if not title or len(title) > 60 or looks_like_identity_code(title):
        return redirect(url_for("workshop.made_page", made_id=made.id, notice=gettext(
            "Write the story's title (at most 60 characters, no identity codes). Nothing was "
            "changed.")))
    drafts.retitle(db(), made, title, int(current_user.id))
    db().commit()
    return redirect(url_for("workshop.made_page", made_id=made.id,
                            notice=gettext("Saved as a new version.")))


@bp.post("/made/<int:made_id>/links")
@requires(Role.leader)
def links(made_id: int) -> WerkzeugResponse:
    """Where each choice of the story leads, and which scenes are endings (a new version);
    what is still missing is listed on the page, scene by scene."""
    made = _made(made_id)
    owned_group(made.group_id)
    if not target(made.game).story:
        abort(404)
    items = drafts.items_of(db(), made)
    ids = {str(i["id"]) for i in items}
    chosen: dict[tuple[str, int], str] = {}
    for item in items:
        for n, _ in enumerate(item.get("choices") or []):
            goto = request.form.get(f"goto-{item['id']}-{n}", "")
            if goto not in ids | {drafts.ENDING, ""}:
                abort(400)
            chosen[(str(item["id"]), n)] = goto
    endings = set(request.form.getlist("ending")) & ids
    changed = drafts.link_scenes(db(), made, chosen, endings, int(current_user.id))
    db().commit()
    return redirect(url_for("workshop.made_page", made_id=made.id, notice=gettext(
        "Saved as a new version.") if changed else gettext("Nothing was changed.")))


@bp.post("/made/<int:made_id>/lock/<item_id>")
@requires(Role.leader)
def edit_lock(made_id: int, item_id: str) -> tuple[str, int] | WerkzeugResponse:
    """The leader changes a lock's answer, clues and hint (a new version, only if the room
    still passes its checks; otherwise the page says why, field by field)."""
    made = _made(made_id)
    owned_group(made.group_id)
    if not target(made.game).lock:
        abort(404)
    answer = " ".join((request.form.get("answer") or "").split())
    clues = [" ".join(c.split()) for c in request.form.getlist("clue")]
    clues = [c for c in clues if c]
    hint = " ".join((request.form.get("hint") or "").split())
    written = [answer, *clues, hint]
    if not answer or any(len(t) > PROPOSAL_MAX for t in written) \
            or any(looks_like_identity_code(t) for t in written):
        return _made_page(made, [drafts.Problem(gettext("Lock"), gettext(
            "Write the answer, the clues and the hint (each at most %(n)s characters, no "
            "identity codes). Nothing was changed.", n=PROPOSAL_MAX))], item_id), 400
    problems = drafts.edit_lock(db(), made, item_id, answer, clues, hint,
                                int(current_user.id))
    if problems is None:
        abort(404)
    if problems:
        db().rollback()
        return _made_page(made, problems, item_id), 400
    db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id),
                        action="edit_made_item", detail=f"{drafts.made_id(made)} {item_id}"))
    db().commit()
    return redirect(url_for("workshop.made_page", made_id=made.id,
                            notice=gettext("Saved as a new version.")))


@bp.get("/made/<int:made_id>/export")
@requires(Role.leader)
def export(made_id: int) -> Response:
    made = _made(made_id)
    text = drafts.export_text(db(), made)
    return Response(text, mimetype="application/x-yaml", headers={
        "Content-Disposition": f'attachment; filename="{drafts.made_id(made)}.yaml"'})


@bp.post("/group/<int:group_id>/import")
@requires(Role.leader)
def import_file(group_id: int) -> str | WerkzeugResponse:
    """Store a content file another Piiri exported, only if it validates."""
    group = owned_group(group_id)
    game = request.form.get("target", "")
    upload = request.files.get("file")
    if game not in TARGETS or upload is None:
        abort(400)
    raw = upload.read(drafts.IMPORT_MAX + 1)
    made, problems = drafts.import_text(db(), raw, game=game, organisation_id=org_id(),
                                        group_id=group.id, user_id=int(current_user.id))
    if made is None:
        db().rollback()
        return render_template("workshop/group.html", group=group,
                               made=drafts.offered(db(), group.id), problems=problems,
                               targets=[(g, find_game(g).title.pick(current_lang()))
                                        for g in TARGETS], draft_languages=LANGUAGES, notice=None)
    db().commit()
    return redirect(url_for("workshop.made_page", made_id=made.id))
