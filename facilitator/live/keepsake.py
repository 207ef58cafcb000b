"""Keepsakes (:mod:`engine.keepsake`) served: a participant's one-time link shown as a QR code
on their own tablet, the leader's printout when the participant asked for one, and a shared
strengths summary attached to a confirmed member's page.

A link is an unguessable token kept only in this process's memory: it opens the page once
and expires after :data:`LINK_MINUTES`; its QR code is added to that seat's controls only
(:attr:`Hub.controls_additions`), so no other tablet and no screen ever gets it. The page is
rendered from the table's private values when it is opened and is never stored.
"""

from __future__ import annotations

import io
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import qrcode
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from engine import SeatControls, TextControl
from engine.keepsake import Keepsake, keepsake_for
from facilitator.accounts import org_id, owned_table, requires
from facilitator.dbsession import db
from facilitator.i18n import current_lang
from facilitator.models import AuditEntry, MeetingNote, Role, TableOwner

from .hub import Hub, LiveTable
from .sealed import PrivateValueRow

__all__ = ["LINK_MINUTES", "KeepsakeLinks", "bp", "init_keepsakes", "shared_summaries"]

#: How long a one-time link works.
LINK_MINUTES = 30
#: The reference under which a shared summary is kept (sealed) in ``private_values``.
_SHARED = "shared.{seat}.summary"

bp = Blueprint("keepsake", __name__, template_folder="templates")

_LINK_INTRO = {"fi": "Kuvaa koodi omalla puhelimellasi. Linkki toimii kerran, 30 minuuttia.",
               "sv": "Skanna koden med din egen telefon. Länken fungerar en gång, i 30 minuter.",
               "en": "Scan the code with your own phone. The link works once, for 30 minutes.",
               "fi-x-selko": "Kuvaa koodi puhelimella. Se toimii kerran."}
_LINK_ALT = {"fi": "QR-koodi omaan sivuusi", "sv": "QR-kod till din egen sida",
             "en": "QR code to your own page", "fi-x-selko": "QR-koodi sinun sivullesi"}


@dataclass
class _Link:
    table_id: str
    code: str
    seat: str
    expires: datetime
    used: bool = False


class KeepsakeLinks:
    """The one-time links of this process, by token."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self._links: dict[str, _Link] = {}
        self._lock = threading.Lock()

    def _valid(self, link: _Link) -> bool:
        return not link.used and link.expires > self.hub.now()

    def token_for(self, live: LiveTable, seat: str) -> str | None:
        """The seat's link token (a new one when it has none that still works); ``None``
        once its link has been opened."""
        with self._lock:
            for token, link in list(self._links.items()):
                if link.expires <= self.hub.now():
                    del self._links[token]  # expired: forget it
                elif link.table_id == live.table_id and link.seat == seat:
                    return None if link.used else token
            token = secrets.token_urlsafe(32)
            self._links[token] = _Link(live.table_id, live.code, seat,
                                       self.hub.now() + timedelta(minutes=LINK_MINUTES))
            return token

    def peek(self, token: str) -> _Link | None:
        with self._lock:
            link = self._links.get(token)
            return link if link is not None and self._valid(link) else None

    def take(self, token: str) -> _Link | None:
        """The link, used up now; ``None`` if it is unknown, used or expired."""
        with self._lock:
            link = self._links.get(token)
            if link is None or not self._valid(link):
                return None
            link.used = True
            return link


def _links() -> KeepsakeLinks:
    found: KeepsakeLinks = current_app.extensions["piiri.keepsake_links"]
    return found


def _add_qr(links: KeepsakeLinks) -> Any:
    def add(live: LiveTable, seat: str, controls: SeatControls) -> SeatControls:
        keepsake = keepsake_for(live.table, seat)
        if keepsake is None or not keepsake.wants_link:
            return controls
        token = links.token_for(live, seat)
        if token is None:
            return controls
        qr = TextControl(text=_text(_LINK_INTRO), qr_image=f"/k/{token}/qr.png",
                         qr_alt=_text(_LINK_ALT), style="card", read_aloud=True)
        return controls.model_copy(update={"items": [*controls.items, qr]})
    return add


def _text(words: dict[str, str]) -> Any:
    from engine import LocalizedText

    return LocalizedText(words)


def init_keepsakes(app: Any) -> None:
    hub: Hub = app.extensions["piiri.hub"]
    links = KeepsakeLinks(hub)
    app.extensions["piiri.keepsake_links"] = links
    hub.controls_additions.append(_add_qr(links))
    app.register_blueprint(bp)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _live_of(link: _Link) -> LiveTable:
    live = current_app.extensions["piiri.hub"].find(link.code)
    if live is None or live.table_id != link.table_id:
        abort(404)
    found: LiveTable = live
    return found


# -- the participant's own page ----------------------------------------------------------------


@bp.get("/k/<token>/qr.png")
def qr_image(token: str) -> Response:
    if _links().peek(token) is None:
        abort(404)
    url = f"{request.host_url.rstrip('/')}/k/{token}"
    public = current_app.extensions["piiri.hub"].public_url
    if public:
        url = f"{public}/k/{token}"
    image = qrcode.make(url, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return _no_store(Response(buffer.getvalue(), mimetype="image/png"))


@bp.get("/k/<token>")
def open_link(token: str) -> Response:
    """The keepsake, once: the link is used up as soon as the page is made."""
    link = _links().take(token)
    if link is None:
        page = render_template("live/keepsake_gone.html")
        return _no_store(Response(page, status=404))
    live = _live_of(link)
    keepsake = keepsake_for(live.table, link.seat)
    current_app.extensions["piiri.hub"].broadcast(live)  # the QR code leaves the tablet
    if keepsake is None:
        abort(404)
    page = render_template("live/keepsake.html", keepsake=keepsake, lang=current_lang(),
                           printout=False)
    return _no_store(Response(page))


# -- the leader's page -------------------------------------------------------------------------


def _own(code: str) -> LiveTable:
    live = current_app.extensions["piiri.hub"].find(code)
    if live is None:
        abort(404)
    owned_table(live.table_id)
    found: LiveTable = live
    return found


def _sealer() -> Any:
    return current_app.extensions["piiri.hub"].vault._sealer()


def _attached(session: Session, table_id: str, seat: str) -> bool:
    return session.get(PrivateValueRow, (table_id, _SHARED.format(seat=seat))) is not None


def _rows(live: LiveTable) -> list[dict[str, Any]]:
    rows = []
    for seat in live.table.meta.seats:
        keepsake = keepsake_for(live.table, seat.id)
        if keepsake is None or not (keepsake.wants_print or keepsake.shares_summary):
            continue
        rows.append({"seat": seat, "keepsake": keepsake,
                     "attached": _attached(db(), live.table_id, seat.id)})
    return rows


def _meeting_id(live: LiveTable) -> int | None:
    owner = db().get(TableOwner, live.table_id)
    return owner.meeting_id if owner is not None else None


@bp.get("/panel/t/<code>/keepsakes")
@requires(Role.leader)
def page(code: str) -> Any:
    """What participants asked for: printouts, shared summaries; and the leader's own note."""
    live = _own(code)
    return render_template("live/keepsakes.html", live=live, rows=_rows(live),
                           meeting_id=_meeting_id(live), lang=current_lang())


@bp.get("/panel/t/<code>/keepsakes/<seat>/print")
@requires(Role.leader)
def printout(code: str, seat: str) -> Any:
    """A participant's keepsake to print, only when they asked for a printout."""
    live = _own(code)
    keepsake = keepsake_for(live.table, seat)
    if keepsake is None or not keepsake.wants_print:
        abort(404)
    member = live.table.seat(seat)
    db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id),
                        action="keepsake_print",
                        member_id=int(member.member) if member and member.member else None,
                        detail=f"table {live.code}, seat {seat}"))
    db().commit()
    return _no_store(Response(render_template("live/keepsake.html", keepsake=keepsake,
                                              lang=current_lang(), printout=True)))


@bp.post("/panel/t/<code>/keepsakes/<seat>/attach")
@requires(Role.leader)
def attach(code: str, seat: str) -> Any:
    """Attach a shared summary to the member's page: only the participant's own choice, from
    a seat the leader has confirmed as that member."""
    live = _own(code)
    keepsake = keepsake_for(live.table, seat)
    found = live.table.seat(seat)
    back = redirect(url_for("keepsake.page", code=live.code))
    if keepsake is None or not keepsake.shares_summary or keepsake.summary is None:
        flash(gettext("This participant has not shared a summary."), "error")
        return back
    if found is None or found.member is None or not found.member_confirmed:
        flash(gettext("First confirm on the check-in page which member sits at this "
                      "tablet."), "error")
        return back
    keep_shared(db(), live, seat, int(found.member), keepsake)
    db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id),
                        action="keepsake_share", member_id=int(found.member),
                        detail=f"table {live.code}, seat {seat}"))
    db().commit()
    flash(gettext("The summary is on %(name)s's page.", name=found.nickname))
    return back


@bp.post("/panel/t/<code>/keepsakes/note")
@requires(Role.leader)
def note(code: str) -> Any:
    """The worker's own note in one-to-one work, kept as a note of the table's meeting."""
    live = _own(code)
    meeting_id = _meeting_id(live)
    text = (request.form.get("note") or "").strip()
    from facilitator.accounts import looks_like_identity_code

    error = None
    if meeting_id is None:
        error = gettext("This table is not a planned meeting, so a note cannot be kept.")
    elif not text or len(text) > 1000:
        error = gettext("Write a note of 1 to 1000 characters.")
    elif looks_like_identity_code(text):
        error = gettext("Do not write a personal identity code here: Piiri uses nicknames "
                        "only. Remove the code and save again.")
    if error is not None:
        return render_template("live/keepsakes.html", live=live, rows=_rows(live),
                               meeting_id=meeting_id, lang=current_lang(), error=error,
                               note_text=text), 400
    db().add(MeetingNote(meeting_id=meeting_id, author=int(current_user.id), text=text))
    db().commit()
    flash(gettext("Your note is kept with the meeting's notes."))
    return redirect(url_for("keepsake.page", code=live.code))


# -- shared summaries on the member's page -----------------------------------------------------


def keep_shared(session: Session, live: LiveTable, seat: str, member: int,
                keepsake: Keepsake) -> None:
    """Keep a shared summary for a member, sealed like the table's private values (so erasing
    the member or the table's retention removes it too)."""
    ref = _SHARED.format(seat=seat)
    bound = {"table": live.table_id, "ref": ref}
    summary = keepsake.summary.model_dump(mode="json") if keepsake.summary else {}
    sealed = _sealer().seal(summary, bound=bound)
    rows = PrivateValueRow.__table__
    session.execute(delete(rows).where(rows.c.table_id == live.table_id, rows.c.ref == ref))
    session.execute(insert(rows), [{"table_id": live.table_id, "ref": ref, "seat": seat,
                                    "member": str(member), "sealed": sealed,
                                    "created_at": datetime.now(UTC)}])


def shared_summaries(session: Session, sealer: Any, member_id: int,
                     lang: str) -> list[tuple[datetime, str]]:
    """The summaries a member shared, newest first, in ``lang`` (the caller audits the read)."""
    rows = PrivateValueRow.__table__
    found = session.execute(select(rows.c.table_id, rows.c.ref, rows.c.sealed,
                                   rows.c.created_at).where(
        rows.c.member == str(member_id), rows.c.ref.like("shared.%")).order_by(
        rows.c.created_at.desc())).all()
    from engine import LocalizedText

    out = []
    for table_id, ref, token, at in found:
        try:
            value = sealer.open(token, bound={"table": table_id, "ref": ref})
        except Exception:  # a wrong key: left out, never its content
            continue
        out.append((at, LocalizedText(value).pick(lang) if value else ""))
    return out



@bp.app_template_global("keepsake_page")
def keepsake_page(live: LiveTable) -> str | None:
    """The address of a table's take-home page, for a game that has keepsakes."""
    from engine.keepsake import has_keepsake

    return url_for("keepsake.page", code=live.code) if has_keepsake(live.table) else None
