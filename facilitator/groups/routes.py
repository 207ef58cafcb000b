"""Groups, their pseudonymous members, periods and planned meetings; starting a planned
meeting's table in two clicks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext, ngettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from engine import ContentError, Programme
from engine.registry import available_games, load_game_content
from facilitator.accounts import (
    no_identity_code,
    org_id,
    owned_group,
    owned_meeting,
    owned_period,
    requires,
)
from facilitator.dbsession import db
from facilitator.i18n import current_lang, local_to_utc
from facilitator.live import Hub
from facilitator.models import (
    OFFLINE_ACTIVITIES,
    Group,
    Meeting,
    MeetingStatus,
    Member,
    Period,
    Role,
    TableOwner,
)

from .lifecycle import STATE_WORDS, open_meeting_table, steps

__all__ = ["bp"]

bp = Blueprint("groups", __name__, url_prefix="/panel", template_folder="templates")

#: The offline activities (:data:`~facilitator.models.OFFLINE_ACTIVITIES`) in words.
OFFLINE_NAMES = {
    "social_circus": lazy_gettext("Social circus"), "geocaching": lazy_gettext("Geocaching"),
    "billiards": lazy_gettext("Billiards"), "film_group": lazy_gettext("Film group"),
    "walk": lazy_gettext("Walk"), "board_games": lazy_gettext("Board games"),
    "console_games": lazy_gettext("Console games"), "other": lazy_gettext("Other activity"),
}


class GroupForm(FlaskForm):
    name = StringField(lazy_gettext("Group name"), validators=[
        DataRequired(lazy_gettext("Give the group a name.")), Length(max=120),
        no_identity_code])
    description = TextAreaField(lazy_gettext("Description"), validators=[
        Optional(), Length(max=400), no_identity_code])


class MemberForm(FlaskForm):
    """New members: one nickname a line, so that a leader adds the whole group in one go."""

    nickname = TextAreaField(lazy_gettext("Nicknames, one per line"), validators=[
        DataRequired(lazy_gettext("Enter a nickname.")), no_identity_code],
        render_kw={"rows": 4, "autocomplete": "off"})
    note = StringField(lazy_gettext("Short note (when you add one member)"), validators=[
        Optional(), Length(max=200), no_identity_code])

    def __init__(self, *args: Any, group: Group | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.group = group

    def nicknames(self) -> list[str]:
        """The nicknames typed, one a line, empty lines left out."""
        return [line.strip() for line in (self.nickname.data or "").splitlines()
                if line.strip()]

    def validate_nickname(self, field: Any) -> None:
        names = self.nicknames()
        if not names:
            raise ValidationError(gettext("Enter a nickname."))
        too_long = [n for n in names if len(n) > 40]
        if too_long:
            raise ValidationError(gettext(
                "A nickname can be at most 40 characters: %(name)s", name=too_long[0]))
        taken = {m.nickname.casefold() for m in self.group.members} if self.group else set()
        seen: set[str] = set()
        for name in names:
            if name.casefold() in taken or name.casefold() in seen:
                raise ValidationError(gettext(
                    "The group already has the nickname %(name)s. Give each member a "
                    "nickname of their own.", name=name))
            seen.add(name.casefold())

    def validate_note(self, field: Any) -> None:
        if field.data and field.data.strip() and len(self.nicknames()) > 1:
            raise ValidationError(gettext(
                "A note is for one member: add the members first, then the note."))


class PeriodForm(FlaskForm):
    name = StringField(lazy_gettext("Period name"), validators=[
        DataRequired(lazy_gettext("Give the period a name.")), Length(max=120),
        no_identity_code])
    starts_on = DateField(lazy_gettext("Starts"), validators=[
        DataRequired(lazy_gettext("Choose the start date."))])
    ends_on = DateField(lazy_gettext("Ends"), validators=[Optional()])

    def validate_ends_on(self, field: Any) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(gettext("A period cannot end before it starts."))


class MeetingForm(FlaskForm):
    day = DateField(lazy_gettext("Day"), validators=[
        DataRequired(lazy_gettext("Choose the day."))])
    at = TimeField(lazy_gettext("Time"), validators=[
        DataRequired(lazy_gettext("Choose the time."))])
    theme = StringField(lazy_gettext("Theme"), validators=[
        Optional(), Length(max=200), no_identity_code])
    activity = SelectField(lazy_gettext("Activity"), validators=[
        DataRequired(lazy_gettext("Choose the activity."))])


def _activity_choices() -> list[tuple[str, str]]:
    lang = current_lang()
    games = [(f"game:{g.id}", g.title.pick(lang)) for g in available_games().values()]
    offline = [(f"offline:{key}", str(OFFLINE_NAMES[key])) for key in OFFLINE_ACTIVITIES]
    return sorted(games) + offline


@bp.app_template_global("game_title")
def game_title(game: str | None) -> str:
    """An activity's title in the panel's language (its id only if it is not installed)."""
    module = available_games().get(game or "")
    return module.title.pick(current_lang()) if module is not None else (game or "")


@bp.route("/groups/", methods=["GET", "POST"])
@requires(Role.leader)
def groups() -> str | WerkzeugResponse:
    form = GroupForm()
    if form.validate_on_submit():
        group = Group(organisation_id=org_id(), name=form.name.data.strip(),
                      description=(form.description.data or "").strip())
        db().add(group)
        db().commit()
        return redirect(url_for("groups.group", group_id=group.id))
    rows = db().scalars(select(Group).where(Group.organisation_id == org_id(),
                                            Group.archived.is_(False)).order_by(Group.name))
    return render_template("groups/groups.html", groups=list(rows), form=form)


@bp.get("/groups/<int:group_id>")
@requires(Role.leader)
def group(group_id: int) -> str:
    found = owned_group(group_id)
    member_form = MemberForm(prefix="m")
    if "added" in request.args:  # members were just added: the cursor waits for the next ones
        member_form.nickname.render_kw = {**(member_form.nickname.render_kw or {}),
                                          "autofocus": True}
    return render_template("groups/group.html", group=found, member_form=member_form,
                           period_form=PeriodForm(prefix="p"), overview=_overview(found))


def _overview(group: Group) -> dict[str, Any]:
    """The group at a glance: for each member, meetings attended of the closed ones. Listed in
    nickname order, never ranked. Reading it is reading records, so it is audited."""
    from flask_login import current_user

    from facilitator.models import AttendanceRecord, AuditEntry

    closed = [m.id for p in group.periods for m in p.meetings
              if m.status == MeetingStatus.closed.value]
    attended: dict[int, int] = {m.id: 0 for m in group.members}
    if closed:
        for record in db().scalars(select(AttendanceRecord).where(
                AttendanceRecord.meeting_id.in_(closed))):
            if record.current("attendance") != "absent" and record.member_id in attended:
                attended[record.member_id] += 1
        for member_id in attended:
            db().add(AuditEntry(organisation_id=org_id(), user_id=int(current_user.id),
                                action="view_group_overview", member_id=member_id,
                                detail=f"group {group.id}"))
        db().commit()
    return {"total": len(closed), "attended": attended}


@bp.post("/groups/<int:group_id>/members")
@requires(Role.leader)
def add_member(group_id: int) -> str | WerkzeugResponse:
    """Add one member or several (one nickname a line); the page comes back ready for the
    next names, with the cursor in the box."""
    found = owned_group(group_id)
    form = MemberForm(prefix="m", group=found)
    if form.validate_on_submit():
        names = form.nicknames()
        note = (form.note.data or "").strip()
        db().add_all(Member(group_id=found.id, nickname=name, note=note) for name in names)
        db().commit()
        flash(ngettext("%(num)s member added: %(names)s", "%(num)s members added: %(names)s",
                       len(names), names=", ".join(names)))
        return redirect(url_for("groups.group", group_id=found.id, added=len(names),
                                _anchor="new-member"))
    return render_template("groups/group.html", group=found, member_form=form,
                           period_form=PeriodForm(prefix="p"),
                           overview=_overview(found)), 400  # type: ignore[return-value]


@bp.post("/groups/<int:group_id>/periods")
@requires(Role.leader)
def add_period(group_id: int) -> str | WerkzeugResponse:
    found = owned_group(group_id)
    form = PeriodForm(prefix="p")
    if form.validate_on_submit():
        period = Period(group_id=found.id, name=form.name.data.strip(),
                        starts_on=form.starts_on.data, ends_on=form.ends_on.data)
        db().add(period)
        db().commit()
        return redirect(url_for("groups.period", period_id=period.id))
    return render_template("groups/group.html", group=found, member_form=MemberForm(prefix="m"),
                           period_form=form, overview=_overview(found)), 400  # type: ignore[return-value]


@bp.route("/periods/<int:period_id>", methods=["GET", "POST"])
@requires(Role.leader)
def period(period_id: int) -> str | WerkzeugResponse:
    found = owned_period(period_id)
    form = MeetingForm()
    form.activity.choices = _activity_choices()
    if form.validate_on_submit():
        kind, _, name = form.activity.data.partition(":")
        meeting = Meeting(period_id=found.id, starts_at=local_to_utc(form.day.data, form.at.data),
                          theme=(form.theme.data or "").strip(),
                          game=name if kind == "game" else None,
                          offline_activity=name if kind == "offline" else None)
        db().add(meeting)
        db().commit()
        return redirect(url_for("groups.period", period_id=found.id))
    from flask import current_app

    status = 400 if form.is_submitted() else 200
    return render_template("groups/period.html", period=found, form=form,
                           steps=steps(list(found.meetings), current_app.extensions["piiri.hub"]),
                           state_words=STATE_WORDS,
                           programme_form=_programme_form(_programmes()),
                           game_titles={g.id: g.title.pick(current_lang())
                                        for g in available_games().values()},
                           offline_names=OFFLINE_NAMES), status  # type: ignore[return-value]


@bp.post("/meetings/<int:meeting_id>/start")
@requires(Role.cofacilitator)
def start_meeting(meeting_id: int) -> WerkzeugResponse:
    """The second click: a table of the planned activity opens, with its QR code. A closed
    meeting's record stays locked: the server refuses (a stale tab's button included)."""
    from flask import current_app
    from flask_login import current_user

    meeting = owned_meeting(meeting_id)
    if meeting.game is None:
        return redirect(url_for("groups.period", period_id=meeting.period_id))
    hub: Hub = current_app.extensions["piiri.hub"]
    live = open_meeting_table(hub, meeting, int(current_user.id))
    if live is None:
        flash(gettext("This meeting is already recorded, so no table is opened for it. You "
                      "can correct its record on this page."))
        if current_user.can(Role.leader):
            return redirect(url_for("meetings.meeting", meeting_id=meeting.id))
        return redirect(url_for("panel.index"))
    return redirect(url_for("panel.table", code=live.code))


class ProgrammeForm(FlaskForm):
    programme = SelectField(lazy_gettext("Programme"), choices=[])
    first_day = DateField(lazy_gettext("First meeting"),
                          validators=[DataRequired(lazy_gettext("Choose a date."))])
    at = TimeField(lazy_gettext("Time"), validators=[DataRequired(lazy_gettext("Choose a time."))])


def _programmes() -> dict[str, Programme]:
    """The programme of every installed game that offers one, by game."""
    found: dict[str, Programme] = {}
    for game_id, module in sorted(available_games().items()):
        if module.programme is None:
            continue
        try:
            programme = module.programme(load_game_content(game_id))
        except ContentError:  # a broken content file is reported by `piiri content check`
            continue
        if programme is not None and programme.meetings:
            found[game_id] = programme
    return found


def _programme_form(programmes: dict[str, Programme]) -> ProgrammeForm:
    form = ProgrammeForm(prefix="g")
    lang = current_lang()
    form.programme.choices = [
        (game_id, ngettext("%(title)s (%(num)s meeting)", "%(title)s (%(num)s meetings)",
                           len(p.meetings), title=p.title.pick(lang)))
        for game_id, p in programmes.items()]
    return form


@bp.post("/periods/<int:period_id>/programme")
@requires(Role.leader)
def plan_programme(period_id: int) -> WerkzeugResponse:
    """Plan a period from a game's programme: one meeting a week, each with the programme's
    theme and the game's choices for it."""
    found = owned_period(period_id)
    programmes = _programmes()
    form = _programme_form(programmes)
    if not form.validate_on_submit():
        flash(gettext("Choose the programme, and the date and time of the first meeting."))
        return redirect(url_for("groups.period", period_id=found.id))
    game = form.programme.data
    programme = programmes[game]
    lang = current_lang()
    for week, planned in enumerate(programme.meetings):
        day = form.first_day.data + timedelta(weeks=week)
        db().add(Meeting(period_id=found.id, starts_at=local_to_utc(day, form.at.data),
                         theme=planned.theme.pick(lang)[:200], game=game,
                         game_options=dict(planned.options)))
    db().commit()
    flash(gettext("%(n)s meetings planned from the programme.", n=len(programme.meetings)))
    return redirect(url_for("groups.period", period_id=found.id))


@bp.route("/meetings/<int:meeting_id>/options", methods=["GET", "POST"])
@requires(Role.leader)
def meeting_options(meeting_id: int) -> str | WerkzeugResponse:
    """The planned game's own choices for a meeting (decks, rounds…), from the game's options
    model, kept with the meeting and used when its table opens."""
    from engine.registry import find_game, load_game_content
    from facilitator.live import fields_for, parse_form

    found = owned_meeting(meeting_id)
    if found.game is None or found.game not in available_games():
        abort(404)
    module = find_game(found.game)
    choices = module.choices(load_game_content(found.game)) if module.choices else {}
    fields = fields_for(module.options_type, current_lang(), choices)
    for item in fields:  # start from what was chosen before
        if item.name in (found.game_options or {}):
            item.default = found.game_options[item.name]
    if request.method == "POST":
        options, fields = parse_form(module.options_type, request.form, fields)
        if options is not None:
            found.game_options = options
            db().commit()
            flash(gettext("The meeting's choices are saved."))
            return redirect(url_for("groups.period", period_id=found.period_id))
    return render_template("groups/meeting_options.html", meeting=found, module=module,
                           fields=fields)


def restore_rosters(hub: Hub) -> None:
    """After a restart, tables of planned meetings offer their group's names again."""
    for live in hub.tables():
        owner = db().get(TableOwner, live.table_id)
        if owner is None or owner.meeting_id is None:
            continue
        meeting = db().get(Meeting, owner.meeting_id)
        if meeting is not None:
            live.roster = {m.nickname: str(m.id) for m in meeting.period.group.members
                           if m.active}
