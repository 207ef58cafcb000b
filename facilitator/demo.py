"""Demo data for ``make demo``: an organisation, a leader, a group with a planned meeting.

Only ``piiri run --demo`` calls this; a real installation never gets demo data.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from engine import ContentError
from engine.registry import available_games, load_game_content
from facilitator.accounts import create_user
from facilitator.dbsession import db
from facilitator.models import Group, Meeting, Member, Organisation, Period, Role, User

__all__ = ["DEMO_EMAIL", "demo_activity", "open_demo_table", "seed_demo"]

DEMO_EMAIL = "ohjaaja@demo.piiri"
DEMO_ORG = "Piiri-demo"


def seed_demo(app: Any) -> tuple[str, str | None]:
    """Create the demo organisation once. Returns the demo login (email, new password or
    None when the demo leader existed already)."""
    with app.app_context():
        session = db()
        if session.scalar(select(User).where(User.email == DEMO_EMAIL)) is not None:
            return DEMO_EMAIL, None
        password = secrets.token_urlsafe(9)
        user = create_user(DEMO_EMAIL, "Demo-ohjaaja", password, DEMO_ORG, Role.leader)
        group = Group(organisation_id=user.organisation_id, name="Torstain ryhmä",
                      description="Kokeiluryhmä: kaikki tiedot ovat keksittyjä.")
        session.add(group)
        session.flush()
        for nickname in ("Aino", "Bashir", "Camilla", "Dmitri"):
            session.add(Member(group_id=group.id, nickname=nickname))
        today = datetime.now(UTC).date()
        period = Period(group_id=group.id, name="Syksyn jakso", starts_on=today,
                        ends_on=today + timedelta(weeks=12))
        session.add(period)
        session.flush()
        soon = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=5)
        game, options, theme = demo_activity()
        session.add(Meeting(period_id=period.id, starts_at=soon, theme=theme, game=game,
                            game_options=options))
        session.commit()
        return DEMO_EMAIL, password


def demo_activity() -> tuple[str, dict[str, Any], str]:
    """What the demo meeting plays: the first meeting of the first installed game that offers
    a programme (else the first installed game, with its own defaults). Returns the game, its
    options and the meeting's theme."""
    games = sorted(available_games().items())
    for game_id, module in games:
        if module.programme is None:
            continue
        try:
            programme = module.programme(load_game_content(game_id))
        except ContentError:
            continue
        if programme is not None and programme.meetings:
            first = programme.meetings[0]
            return game_id, dict(first.options), first.theme.pick("fi")[:200]
    return games[0][0], {}, "Tutustutaan"


def open_demo_table(app: Any) -> Any:
    """Open the demo meeting's table, the same one its *Open the table* button leads to, so
    that the shared screen and the leader meet one table. Returns the live table."""
    from facilitator.groups import open_meeting_table

    with app.app_context():
        session = db()
        meeting = session.scalar(
            select(Meeting).join(Period).join(Group).join(Organisation)
            .where(Organisation.name == DEMO_ORG, Meeting.game.is_not(None))
            .order_by(Meeting.starts_at.desc()))
        if meeting is None:
            return None
        return open_meeting_table(app.extensions["piiri.hub"], meeting, None)
