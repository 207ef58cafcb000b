"""Reports: what a group's meetings add up to. The participants' own feedback at the end of a
meeting (a side round of the hub, kept as totals only), a leader's period report and the
organisation's report (page, PDF, XLSX; every small count suppressed), and the leaders'
observations for social reporting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitator import lazy_exports

if TYPE_CHECKING:
    from .feedback import FeedbackFlow
    from .models import FeedbackTotals, Observation
    from .retention import forget_periods

__all__ = ["FeedbackFlow", "FeedbackTotals", "Observation", "forget_periods", "init_app"]

__getattr__ = lazy_exports(__name__, {"FeedbackFlow": ".feedback", "FeedbackTotals": ".models",
                                      "Observation": ".models",
                                      "forget_periods": ".retention"})


def init_app(app: Any) -> None:
    """Give the hub its feedback side round (opened when a meeting's game ends), and register
    the leader's feedback pages."""
    from facilitator.accounts import describe_actions

    from . import pages, reporting
    from .feedback import FeedbackFlow

    hub = app.extensions["piiri.hub"]
    flow = FeedbackFlow(app.extensions["piiri.sessionmaker"])
    hub.add_side_round(flow)
    hub.after_end.append(lambda live: flow.opened_after_end(hub, live))
    app.register_blueprint(pages.bp)
    app.register_blueprint(reporting.bp)
    describe_actions(pages.AUDIT_WORDS)
    describe_actions(reporting.AUDIT_WORDS)
