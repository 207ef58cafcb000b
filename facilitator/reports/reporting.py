"""The report pages: a leader's period report, the organisation's report (admins; whole periods
or whole calendar months, never a freely chosen span), their PDF and XLSX, and the leaders'
observations for social reporting with the organisation's view of them.

Every report viewed or exported writes an audit entry (no member is named: a report names
nobody)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

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
from flask_babel import gettext, lazy_gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from facilitator.accounts import no_identity_code, org_id, owned_period, requires
from facilitator.checkins import KeyConfigError, app_sealer
from facilitator.dbsession import db
from facilitator.i18n import current_lang
from facilitator.models import AuditEntry, Group, Member, Period, Role

from . import exports
from .figures import Scope, gather, month_scope, period_scope
from .models import CATEGORIES, FREQUENCIES, Observation
from .suppression import MINIMUM, suppress
from .tables import (
    CATEGORY_WORDS,
    FREQUENCY_WORDS,
    Cell,
    Report,
    Table,
    build,
    cell_for,
    fewer_than,
)

__all__ = ["AUDIT_WORDS", "bp"]

bp = Blueprint("report_pages", __name__, url_prefix="/panel", template_folder="templates")

AUDIT_WORDS = {
    "report_period_view": lazy_gettext("Viewed a period report"),
    "report_period_pdf": lazy_gettext("Exported a period report (PDF)"),
    "report_period_xlsx": lazy_gettext("Exported a period report (Excel)"),
    "report_org_view": lazy_gettext("Viewed the organisation's report"),
    "report_org_pdf": lazy_gettext("Exported the organisation's report (PDF)"),
    "report_org_xlsx": lazy_gettext("Exported the organisation's report (Excel)"),
    "observation_add": lazy_gettext("Recorded an observation for social reporting"),
    "observation_edit": lazy_gettext("Changed an observation for social reporting"),
    "observation_delete": lazy_gettext("Deleted an observation for social reporting"),
    "observations_view": lazy_gettext("Viewed the organisation's observations"),
    "observations_xlsx": lazy_gettext("Exported the organisation's observations (Excel)"),
}


def _audit(action: str, detail: str) -> None:
    db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id), action=action,
                        member_id=None, detail=detail))
    db().commit()


def _sealer() -> Any | None:
    try:
        return app_sealer()
    except KeyConfigError:
        return None


def _names(report: Report) -> Report:
    groups = db().scalars(select(Group).where(Group.organisation_id == org_id()))
    report.group_names = {g.id: g.name for g in groups}
    report.period_names = {p.id: p.name for p in db().scalars(select(Period).join(Group).where(
        Group.organisation_id == org_id()))}
    return report


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _logo() -> Path | None:
    configured = current_app.config.get("REPORT_LOGO")
    return Path(configured) if configured else None


def _export(report: Report, kind: str, name: str) -> Response:
    if kind == "pdf":
        return _download(exports.pdf(report, current_lang(), _logo()), "application/pdf",
                         f"{name}.pdf")
    return _download(exports.xlsx(report),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"{name}.xlsx")


# -- the period report ---------------------------------------------------------------------------

def _period_report(period: Period) -> Report:
    figures = gather(db(), period_scope(period, org_id()), _sealer(), current_lang())
    ends = period.ends_on.strftime("%d.%m.%Y") if period.ends_on else "…"
    subtitle = f"{period.group.name} · {period.starts_on.strftime('%d.%m.%Y')}–{ends}"
    report = build(figures, gettext("Period report: %(name)s", name=period.name), subtitle,
                   organisation=False)
    return _names(report)


@bp.get("/periods/<int:period_id>/report")
@requires(Role.leader)
def period_report(period_id: int) -> Any:
    period = owned_period(period_id)
    report = _period_report(period)
    _audit("report_period_view", f"period {period.id}")
    return render_template("reports/report.html", report=report, period=period,
                           exports={"pdf": url_for(".period_export", period_id=period.id,
                                                   kind="pdf"),
                                    "xlsx": url_for(".period_export", period_id=period.id,
                                                    kind="xlsx")},
                           minimum=MINIMUM, categories=CATEGORY_WORDS,
                           frequencies=FREQUENCY_WORDS, fewer=fewer_than())


@bp.get("/periods/<int:period_id>/report.<any(pdf, xlsx):kind>")
@requires(Role.leader)
def period_export(period_id: int, kind: str) -> Response:
    period = owned_period(period_id)
    report = _period_report(period)
    _audit(f"report_period_{kind}", f"period {period.id}")
    return _export(report, kind, f"piiri-period-{period.id}")


# -- the organisation's report -------------------------------------------------------------------

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _org_scope() -> tuple[Scope | None, str | None, str]:
    """The scope asked for in the query: ``month=2026-10`` or ``period=…`` (one or more whole
    periods). Returns (scope, error, words for the subtitle); no scope and no error: the
    choice page."""
    month = (request.args.get("month") or "").strip()
    period_ids = request.args.getlist("period")
    if request.args.get("from") or request.args.get("to"):
        return None, gettext("Reports cover whole periods or whole calendar months only, "
                             "never a chosen span of days."), ""
    if month and period_ids:
        return None, gettext("Choose either a month or periods, not both."), ""
    if month:
        found = _MONTH.fullmatch(month)
        if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
            return None, gettext("Write the month as on a calendar, for example 2026-10."), ""
        first = date(int(found.group(1)), int(found.group(2)), 1)
        return month_scope(first, org_id()), None, first.strftime("%m/%Y")
    if period_ids:
        try:
            wanted = {int(p) for p in period_ids}
        except ValueError:
            return None, gettext("Choose the periods from the list."), ""
        periods = list(db().scalars(select(Period).join(Group).where(
            Period.id.in_(wanted), Group.organisation_id == org_id())
            .order_by(Period.starts_on, Period.id)))
        if len(periods) != len(wanted):
            return None, gettext("Choose the periods from the list."), ""
        scope = Scope(org_id(), periods=periods, for_organisation=True)
        return scope, None, ", ".join(f"{p.group.name}: {p.name}" for p in periods)
    return None, None, ""


def _org_report(scope: Scope, words: str) -> Report:
    figures = gather(db(), scope, _sealer(), current_lang())
    report = build(figures, gettext("Organisation report: %(name)s",
                                    name=current_user.organisation.name), words,
                   organisation=True)
    return _names(report)


def _choices() -> list[Period]:
    return list(db().scalars(select(Period).join(Group).where(
        Group.organisation_id == org_id()).order_by(Group.name, Period.starts_on)))


@bp.get("/reports")
@requires(Role.admin)
def organisation() -> Any:
    scope, error, words = _org_scope()
    report = None
    query = request.query_string.decode("ascii", "replace")
    if scope is not None:
        report = _org_report(scope, words)
        _audit("report_org_view", words[:200])
    return render_template("reports/organisation.html", report=report, error=error,
                           periods=_choices(), chosen=request.args.getlist("period"),
                           month=request.args.get("month", ""), minimum=MINIMUM,
                           exports={"pdf": url_for(".organisation_export", kind="pdf") + "?"
                                    + query,
                                    "xlsx": url_for(".organisation_export", kind="xlsx") + "?"
                                    + query} if report else None), 400 if error else 200


@bp.get("/reports/organisation.<any(pdf, xlsx):kind>")
@requires(Role.admin)
def organisation_export(kind: str) -> Any:
    scope, error, words = _org_scope()
    if scope is None:
        flash(error or gettext("Choose a month or periods first."))
        return redirect(url_for(".organisation"))
    report = _org_report(scope, words)
    _audit(f"report_org_{kind}", words[:200])
    return _export(report, kind, "piiri-organisation-report")


# -- observations --------------------------------------------------------------------------------

def no_nickname(form: Any, field: Any) -> None:
    """Refuse text that names a member of the group by their nickname."""
    text = str(field.data or "")
    for nickname in getattr(form, "nicknames", ()):
        if nickname and re.search(rf"(?<!\w){re.escape(nickname)}(?!\w)", text,
                                  re.IGNORECASE):
            raise ValidationError(gettext(
                "Do not name anyone: \"%(name)s\" is a member's nickname. Describe the "
                "situation without names and save again.", name=nickname))


_TEXT_CHECKS = [no_identity_code, no_nickname]


class ObservationForm(FlaskForm):
    phenomenon = StringField(lazy_gettext("What did you observe?"), validators=[
        DataRequired(lazy_gettext("Describe the phenomenon in a few words.")),
        Length(max=300), *_TEXT_CHECKS],
        description=lazy_gettext("For example: travel costs keep members from coming."))
    category = SelectField(lazy_gettext("Category"), choices=[],
                           validators=[DataRequired(lazy_gettext("Choose a category."))])
    affected = IntegerField(lazy_gettext("How many people in the group does it affect?"),
                            validators=[InputRequired(lazy_gettext(
                                "Write how many people it affects, as a number.")),
                                NumberRange(0, 1000, lazy_gettext(
                                    "Write a number from 0 to 1000."))])
    frequency = SelectField(lazy_gettext("How often did it come up?"), choices=[],
                            validators=[DataRequired(lazy_gettext("Choose how often."))])
    evidence = TextAreaField(lazy_gettext("Evidence"), validators=[
        Optional(), Length(max=2000), *_TEXT_CHECKS],
        description=lazy_gettext("What you saw or heard, without names."))
    use_attendance = BooleanField(lazy_gettext("Attach the period's attendance figures"))
    use_feedback = BooleanField(lazy_gettext("Attach the period's feedback totals"))
    proposal = TextAreaField(lazy_gettext("Proposal"), validators=[
        Optional(), Length(max=2000), *_TEXT_CHECKS],
        description=lazy_gettext("What should change, and who could change it?"))


def _observation_form(period: Period) -> ObservationForm:
    form = ObservationForm()
    form.category.choices = [("", "–")] + [(c, str(CATEGORY_WORDS[c])) for c in CATEGORIES]
    form.frequency.choices = [("", "–")] + [(f, str(FREQUENCY_WORDS[f])) for f in FREQUENCIES]
    form.nicknames = [m.nickname for m in db().scalars(  # type: ignore[attr-defined]
        select(Member).where(Member.group_id == period.group_id))]
    return form


def _fill(observation: Observation, form: ObservationForm) -> None:
    """Put the form's (validated) values into ``observation``."""
    observation.phenomenon = form.phenomenon.data.strip()
    observation.category = form.category.data
    observation.affected = int(form.affected.data)
    observation.frequency = form.frequency.data
    observation.evidence = (form.evidence.data or "").strip()
    observation.figures = [name for name, on in (("attendance", form.use_attendance.data),
                                                 ("feedback", form.use_feedback.data)) if on]
    observation.proposal = (form.proposal.data or "").strip()


def _may_change(observation: Observation) -> bool:
    """Only an observation's author, or an admin of the organisation, changes or deletes it."""
    return current_user.can("admin") or observation.author == int(current_user.id)


def _owned_observation(observation_id: int) -> Observation:
    """The organisation's observation, which the signed-in user may change (else 404 / 403)."""
    observation = db().scalar(select(Observation).where(
        Observation.id == observation_id, Observation.organisation_id == org_id()))
    if observation is None:
        abort(404)
    owned_period(observation.period_id)
    if not _may_change(observation):
        abort(403)
    return observation


def _evidence(period: Period) -> dict[str, Any]:
    """The period's own figures an observation can lean on, as the report shows them."""
    report = _period_report(period)
    return {t.key: t for t in report.tables if t.key in ("attendance", "faces")}


@bp.route("/periods/<int:period_id>/observations", methods=["GET", "POST"])
@requires(Role.leader)
def observations(period_id: int) -> Any:
    period = owned_period(period_id)
    form = _observation_form(period)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            observation = Observation(organisation_id=org_id(), group_id=period.group_id,
                                      period_id=period.id, author=int(current_user.id),
                                      created_at=datetime.now(UTC))
            _fill(observation, form)
            db().add(observation)
            _audit("observation_add", f"period {period.id}")
            flash(gettext("The observation is saved."))
            return redirect(url_for(".observations", period_id=period.id))
        status = 400
    found = list(db().scalars(select(Observation).where(
        Observation.period_id == period.id, Observation.organisation_id == org_id())
        .order_by(Observation.created_at)))
    return render_template("reports/observations.html", period=period, form=form,
                           observations=found, categories=CATEGORY_WORDS,
                           frequencies=FREQUENCY_WORDS, minimum=MINIMUM,
                           fewer=fewer_than(), may_change=_may_change), status


@bp.route("/observations/<int:observation_id>/edit", methods=["GET", "POST"])
@requires(Role.leader)
def observation_edit(observation_id: int) -> Any:
    """Change an observation (its author or an admin); the same checks as a new one."""
    observation = _owned_observation(observation_id)
    period = owned_period(observation.period_id)
    form = _observation_form(period)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            _fill(observation, form)
            _audit("observation_edit", f"observation {observation.id}, period {period.id}")
            flash(gettext("The observation is saved."))
            return redirect(url_for(".observations", period_id=period.id))
        status = 400
    else:
        form.phenomenon.data = observation.phenomenon
        form.category.data = observation.category
        form.affected.data = observation.affected
        form.frequency.data = observation.frequency
        form.evidence.data = observation.evidence
        form.use_attendance.data = "attendance" in observation.figures
        form.use_feedback.data = "feedback" in observation.figures
        form.proposal.data = observation.proposal
    return render_template("reports/observation_edit.html", period=period, form=form,
                           observation=observation), status


@bp.post("/observations/<int:observation_id>/delete")
@requires(Role.leader)
def observation_delete(observation_id: int) -> WerkzeugResponse:
    """Delete an observation (its author or an admin), with an audit entry."""
    observation = _owned_observation(observation_id)
    period_id = observation.period_id
    db().delete(observation)
    _audit("observation_delete", f"observation {observation_id}, period {period_id}")
    flash(gettext("The observation is deleted."))
    return redirect(url_for(".observations", period_id=period_id))


def _org_observations() -> Report:
    found = list(db().scalars(select(Observation).where(
        Observation.organisation_id == org_id()).order_by(Observation.category,
                                                          Observation.created_at)))
    report = _names(Report(gettext("Observations for social reporting"),
                           current_user.organisation.name, observations=found))
    groups = sorted({o.group_id for o in found},
                    key=lambda g: report.group_names.get(g, "").casefold())
    # People affected by category and group, with row and column totals, suppressed as one
    # cross table.
    cells: dict[Any, int] = {}
    relations: list[tuple[Any, list[Any]]] = []
    for category in CATEGORIES:
        for group in groups:
            cells[(category, group)] = sum(o.affected for o in found
                                           if o.category == category and o.group_id == group)
        cells[(category, None)] = sum(cells[(category, g)] for g in groups)
        relations.append(((category, None), [(category, g) for g in groups]))
    for group in groups:
        cells[(None, group)] = sum(cells[(c, group)] for c in CATEGORIES)
        relations.append(((None, group), [(c, group) for c in CATEGORIES]))
    cells[(None, None)] = sum(cells[(None, g)] for g in groups)
    relations.append(((None, None), [(c, None) for c in CATEGORIES]))
    relations.append(((None, None), [(None, g) for g in groups]))
    hidden = suppress(cells, relations)
    rows = []
    for category in (*CATEGORIES, None):
        label = str(CATEGORY_WORDS[category]) if category else gettext("All")
        observed = sum(1 for o in found if category is None or o.category == category)
        rows.append([Cell(label), Cell(str(observed), observed),
                     *[cell_for(cells[(category, g)], hidden.get((category, g)))
                       for g in (*groups, None)]])
    report.tables.append(Table(
        "categories", gettext("People affected by category and group"),
        [gettext("Category"), gettext("Observations"),
         *[report.group_names.get(g, "") for g in groups], gettext("All groups")], rows,
        note=gettext("How many people the observations say are affected. Counts of fewer "
                     "than %(n)s people are not shown, nor counts from which one could be "
                     "worked out.", n=MINIMUM)))
    return report


@bp.get("/reports/observations")
@requires(Role.admin)
def organisation_observations() -> Any:
    report = _org_observations()
    _audit("observations_view", f"{len(report.observations)} observations")
    header, rows = exports.observation_rows(report)
    return render_template("reports/org_observations.html", report=report, header=header,
                           rows=rows)


@bp.get("/reports/observations.xlsx")
@requires(Role.admin)
def organisation_observations_xlsx() -> Response:
    report = _org_observations()
    _audit("observations_xlsx", f"{len(report.observations)} observations")
    return _export(report, "xlsx", "piiri-observations")
