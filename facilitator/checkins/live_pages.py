"""The leader's side of a check-in round at a live table: open it, tie seats to members,
follow how many are done, close it. Leaders only: co-facilitators never see check-ins."""

from __future__ import annotations

import ipaddress
from collections import Counter
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from engine import Rejected, TieMember
from facilitator.accounts import org_id, owned_table, requires
from facilitator.dbsession import db
from facilitator.i18n import HELSINKI, current_lang
from facilitator.live import Hub, LiveTable
from facilitator.models import CheckinKind, Meeting, Member, Role

from . import answers
from .pages import due_in_period
from .round import CheckinFlow
from .sealing import KeyConfigError

__all__ = ["bp"]

bp = Blueprint("checkin_panel", __name__, url_prefix="/panel", template_folder="templates")

KIND_WORDS = {"start": lazy_gettext("Start of the period"),
              "mid": lazy_gettext("Middle of the period"),
              "end": lazy_gettext("End of the period"),
              "free": lazy_gettext("Other check-in")}


def _hub() -> Hub:
    found: Hub = current_app.extensions["piiri.hub"]
    return found


def _flow() -> CheckinFlow:
    return _hub().side_round_of(CheckinFlow)


def _live(code: str) -> tuple[LiveTable, Meeting | None]:
    live = _hub().find(code)
    if live is None:
        abort(404)
    owner = owned_table(live.table_id)
    meeting = db().get(Meeting, owner.meeting_id) if owner.meeting_id is not None else None
    return live, meeting


def plain_http_address(hub: Hub, page_url: str) -> str | None:
    """The address tablets use, when answers would travel over the network unencrypted:
    plain ``http://`` to anything but this computer itself. None over TLS or loopback.

    >>> plain_http_address(Hub.__new__(Hub), "http://192.168.1.20:5000/")
    'http://192.168.1.20:5000'
    """
    url = (getattr(hub, "public_url", None) or page_url).rstrip("/")
    parts = urlsplit(url)
    if parts.scheme != "http":
        return None
    host = (parts.hostname or "").strip("[]")
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass  # a name: it may point anywhere
    return url


def _members(meeting: Meeting | None) -> list[Member]:
    if meeting is None:
        return []
    return [m for m in meeting.period.group.members if m.active]


@bp.get("/t/<code>/checkin")
@requires(Role.leader)
def page(code: str) -> str:
    live, meeting = _live(code)
    flow = _flow()
    state = live.table.meta.checkin
    members = _members(meeting)
    names = {str(m.id): m.nickname for m in members}
    seats: list[dict[str, Any]] = []
    done = 0
    present = [s for s in live.table.meta.seats if not s.gone]
    for seat in present:
        progress = state.progress(seat.id) if state else None
        if progress is None:
            word = ""
        elif progress.done:
            word, done = gettext("done"), done + 1
        elif progress.consent == "given":
            word = gettext("answering")
        else:
            word = gettext("not started")
        seats.append({"id": seat.id, "nickname": seat.nickname, "member": seat.member,
                      "member_name": names.get(seat.member or ""),
                      "confirmed": seat.member_confirmed, "word": word})
    active = flow.active(live) if flow is not None else None
    return render_template(
        "checkins/live.html", live=live, meeting=meeting, state=state, seats=seats, done=done,
        present=len(present), members=members, forms=answers.forms(), kinds=KIND_WORDS,
        active=active, lang=current_lang(), suggested=_suggested_kind(meeting),
        forms_problem=answers.forms_problem(),
        plain_http=plain_http_address(_hub(), request.host_url))


def _suggested_kind(meeting: Meeting | None) -> str:
    """The kind most of the group is due for (start, mid or end), else a free check-in."""
    if meeting is None:
        return "free"
    due = Counter(d.need for d in due_in_period(meeting.period, datetime.now(HELSINKI).date()))
    return due.most_common(1)[0][0] if due else "free"


@bp.post("/t/<code>/checkin/open")
@requires(Role.leader)
def open_round(code: str) -> WerkzeugResponse:
    live, meeting = _live(code)
    back = redirect(url_for("checkin_panel.page", code=live.code))
    if meeting is None:
        flash(gettext("A check-in belongs to a group: start the table from the group's "
                      "meeting, then open the check-in there."))
        return back
    kind = request.form.get("kind", "")
    form_id = request.form.get("form", "")
    if kind not in KIND_WORDS or form_id not in answers.forms():
        flash(gettext("Choose the kind of check-in and the form."))
        return back
    hub = _hub()
    if (plain_http_address(hub, request.host_url) is not None
            and request.form.get("private_network") != "yes"):
        flash(gettext("The check-in was not opened. Tablets reach Piiri over plain HTTP here, "
                      "so answers travel unencrypted: confirm that this is your "
                      "organisation's own private network, or ask your administrator to "
                      "serve Piiri over TLS (https)."))
        return back
    try:
        result = _flow().open(
            hub, live, organisation_id=org_id(), group_id=meeting.period.group_id,
            period_id=meeting.period_id, meeting_id=meeting.id, form_id=form_id,
            kind=CheckinKind(kind), user_id=int(current_user.id))
    except KeyConfigError as error:
        current_app.logger.error("check-in key: %s", error)
        flash(gettext("Check-ins cannot be opened: the key that protects the answers is not "
                      "set up. Ask your administrator (see the check-in key section of the "
                      "guide)."))
        return back
    if isinstance(result, Rejected):
        flash(result.message.pick(current_lang()))
    return back


@bp.post("/t/<code>/checkin/close")
@requires(Role.leader)
def close_round(code: str) -> WerkzeugResponse:
    live, _meeting = _live(code)
    hub = _hub()
    result = _flow().close(hub, live)
    if isinstance(result, Rejected):
        flash(result.message.pick(current_lang()))
        return redirect(url_for("checkin_panel.page", code=live.code))
    return redirect(url_for("panel.table", code=live.code))


@bp.post("/t/<code>/checkin/tie")
@requires(Role.leader)
def tie(code: str) -> WerkzeugResponse:
    """Confirm (or change, or clear) which member sits at a seat."""
    live, meeting = _live(code)
    seat_id = request.form.get("seat", "")
    member = request.form.get("member") or None
    if live.table.seat(seat_id) is None:
        abort(400)
    if member is not None and member not in {str(m.id) for m in _members(meeting)}:
        abort(400)
    hub = _hub()
    with live.lock:
        seat = live.table.seat(seat_id)
        state = live.table.meta.checkin
        if (state is not None and seat is not None and member != seat.member
                and state.progress(seat_id).consent == "given"):
            # Answers given so far are stored for the member the seat had: moving them to
            # someone else would mix two people's answers.
            flash(gettext("%(nickname)s has already started answering in this check-in. If "
                          "the tablet is linked to the wrong person, they can withdraw their "
                          "consent on the tablet (that deletes the answers), and then you can "
                          "link it again.", nickname=seat.nickname))
            return redirect(url_for("checkin_panel.page", code=live.code))
        result = hub.apply(live, TieMember(at=hub.now(), seat=seat_id, member=member))
        active = _flow().active(live)
        if active is not None:
            active.summaries.pop(seat_id, None)
            hub.broadcast(live)
    if isinstance(result, Rejected):
        flash(result.message.pick(current_lang()))
    return redirect(url_for("checkin_panel.page", code=live.code))

