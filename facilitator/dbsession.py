"""One SQLAlchemy session per request, closed when the request ends."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from sqlalchemy.orm import Session

__all__ = ["db", "init_app"]


def db() -> Session:
    """The current request's session (made on first use)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["piiri.sessionmaker"]()
    session: Session = g.db_session
    return session


def _close(error: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        if error is not None:
            session.rollback()
        session.close()


def init_app(app: Any) -> None:
    app.teardown_appcontext(_close)
