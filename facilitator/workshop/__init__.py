"""Workshop: the group's own content made in co-creation workshops. Opening a workshop table,
adding each proposal the leader accepts to the group's draft (through the live area's
after-accept hook), versions, playing the draft like shipped content, exporting and importing
it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitator import lazy_exports

if TYPE_CHECKING:
    from .drafts import (
        content_for,
        erase_credits,
        export_text,
        forget_old,
        import_text,
        offered,
    )
    from .models import MadeContent, MadeCredit, MadeTable, MadeVersion

__all__ = ["MadeContent", "MadeCredit", "MadeTable", "MadeVersion", "content_for",
           "content_source", "erase_credits", "export_text", "forget_old", "import_text",
           "init_app", "offered"]

__getattr__ = lazy_exports(__name__, {
    "MadeContent": ".models", "MadeCredit": ".models", "MadeTable": ".models",
    "MadeVersion": ".models", "content_for": ".drafts", "erase_credits": ".drafts",
    "export_text": ".drafts", "import_text": ".drafts", "offered": ".drafts",
    "forget_old": ".drafts",
})


def content_source(sessions: Any) -> Any:
    """For the hub: the content a table was made with, when it is a group's own (by the
    version the table recorded), else ``None``. Given before the hub resumes its tables."""

    def source(table_id: str, game: str) -> Any:
        from .drafts import content_for
        from .models import MadeContent, MadeTable

        with sessions() as session:
            used = session.get(MadeTable, table_id)
            if used is None:
                return None
            made = session.get(MadeContent, used.content_id)
            return content_for(session, made, used.version) if made is not None else None

    return source


def init_app(app: Any) -> None:
    """The workshop pages; accepted workshop proposals go into the group's draft; erasing a
    member removes their credits."""
    from facilitator.accounts import describe_actions, member_erasers

    from . import routes
    from .drafts import erase_credits

    app.register_blueprint(routes.bp)
    describe_actions(routes.AUDIT_WORDS)
    app.extensions["piiri.hub"].after_accept.append(routes.accepted)
    member_erasers["made_credits"] = erase_credits


COMMANDS: dict[str, str] = {}
ADMIN_COMMANDS: dict[str, str] = {}
