"""Demo data for ``make demo``: an organisation, a leader, a group with a planned meeting.

Only ``piiri run --demo`` calls this; a real installation never gets demo data.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from .auth import create_user
from .dbsession import db
from .models import Group, Meeting, Member, Organisation, Period, Role, TableOwner, User

__all__ = ["DEMO_EMAIL", "seed_demo"]

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
        session.add(Meeting(period_id=period.id, starts_at=soon, theme="Tutustutaan",
                            game="elaman_varit",
                            game_options={"decks": ["everyday", "future"], "rounds": 2}))
        session.commit()
        return DEMO_EMAIL, password


def own_demo_table(app: Any, table_id: str) -> None:
    """Give a table opened by ``--demo`` to the demo organisation."""
    with app.app_context():
        session = db()
        org = session.scalar(select(Organisation).where(Organisation.name == DEMO_ORG))
        if org is not None and session.get(TableOwner, table_id) is None:
            session.add(TableOwner(table_id=table_id, organisation_id=org.id))
            session.commit()
