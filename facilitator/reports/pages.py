"""The leader's page of a meeting's feedback: totals only, only after the round has closed
(live totals would tell the last person's answer), and only when at least five people answered.
Leaders only; every view is audited."""

from __future__ import annotations

import random
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator.accounts import org_id, owned_meeting, owned_table, requires
from facilitator.dbsession import db
from facilitator.i18n import current_lang
from facilitator.live import Hub
from facilitator.models import AuditEntry, Role

from .feedback import OFF
from .models import FeedbackTotals
from .words import FACES, PICKS

__all__ = ["AUDIT_WORDS", "MIN_RESPONDENTS", "bp"]

bp = Blueprint("reports", __name__, url_prefix="/panel", template_folder="templates")

#: Fewer answers than this are never shown: with so few, an answer could be told apart.
MIN_RESPONDENTS = 5

AUDIT_WORDS = {"feedback_view": lazy_gettext("Viewed a meeting's feedback totals")}

_shuffle = random.SystemRandom()


@bp.get("/meetings/<int:meeting_id>/feedback")
@requires(Role.leader)
def feedback(meeting_id: int) -> Any:
    meeting = owned_meeting(meeting_id)
    rows = list(db().scalars(select(FeedbackTotals).where(
        FeedbackTotals.meeting_id == meeting.id,
        FeedbackTotals.organisation_id == org_id())))
    state, totals = "none", None
    if rows and any(r.closed_at is None for r in rows):
        state = "open"
    elif rows:
        respondents = sum(r.respondents for r in rows)
        if respondents < MIN_RESPONDENTS:
            state = "too_few"
        else:
            state = "shown"
            lang = current_lang()
            words = [w for r in rows for w in r.words]
            _shuffle.shuffle(words)
            totals = {
                "respondents": respondents,
                "faces": [(label.pick(lang), sum(r.faces.get(v, 0) for r in rows))
                          for v, label in FACES.items()],
                "picks": [(label.pick(lang), sum(r.picks.get(v, 0) for r in rows))
                          for v, label in PICKS.items()],
                "words": words,
            }
    db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id),
                        action="feedback_view", member_id=None,
                        detail=f"meeting {meeting.id}, {state}"))
    db().commit()
    return render_template("reports/feedback.html", meeting=meeting, state=state,
                           totals=totals, minimum=MIN_RESPONDENTS)


@bp.post("/t/<code>/feedback")
@requires(Role.leader)
def toggle(code: str) -> WerkzeugResponse:
    """The leader's choice for this table: ask for feedback when the game ends (on unless
    switched off)."""
    hub: Hub = current_app.extensions["piiri.hub"]
    live = hub.find(code)
    if live is None:
        abort(404)
    owned_table(live.table_id)
    live.side[OFF] = request.form.get("ask") != "on"
    notice = (gettext("Feedback will be asked when the game ends.") if not live.side[OFF]
              else gettext("No feedback will be asked at this table."))
    return redirect(url_for("panel.table", code=live.code, notice=notice))


def asks_feedback(live: Any) -> bool:
    """Whether the table will ask for feedback when its game ends (for the live page)."""
    return not live.side.get(OFF)
