"""A report as tables of figures, in the reader's language, with every small or derivable count
of people suppressed (:func:`facilitator.reports.suppression.suppress`), and its charts.

The panel page, the PDF and the XLSX are all drawn from the same :class:`Report`, so an export
can never show a figure the page hides.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal, gettext, lazy_gettext
from markupsafe import Markup

from facilitator.checkins import DOMAIN_LABELS, GROUP_PROFILE_MIN
from facilitator.groups import ACTIVITY_WORDS, ATTENDANCE_WORDS

from .charts import FACES as FACE_PICTURES
from .charts import Series, bar_chart
from .figures import Figures
from .models import CATEGORIES, FREQUENCIES, Observation
from .suppression import MINIMUM, Hidden, suppress
from .words import FACES, PICKS

__all__ = ["CATEGORY_WORDS", "FREQUENCY_WORDS", "Cell", "Report", "Table", "build",
           "cell_for", "fewer_than", "not_shown", "shown_count"]

CATEGORY_WORDS = {
    "income": lazy_gettext("Income"), "housing": lazy_gettext("Housing"),
    "services": lazy_gettext("Services"), "health": lazy_gettext("Health"),
    "work_study": lazy_gettext("Work and study"), "loneliness": lazy_gettext("Loneliness"),
    "digital_exclusion": lazy_gettext("Digital exclusion"), "other": lazy_gettext("Other"),
}
FREQUENCY_WORDS = {
    "once": lazy_gettext("Once"), "sometimes": lazy_gettext("Sometimes"),
    "often": lazy_gettext("Often"), "every_meeting": lazy_gettext("At almost every meeting"),
}
assert set(CATEGORY_WORDS) == set(CATEGORIES) and set(FREQUENCY_WORDS) == set(FREQUENCIES)

#: The attendance values in the order a table lists them.
_ATTENDANCE = ("present", "late", "left_early", "absent")


def fewer_than() -> str:
    return gettext("fewer than %(n)s", n=MINIMUM)


def not_shown() -> str:
    return gettext("not shown")


@dataclass
class Cell:
    """What one cell shows; ``value`` is the number (None when hidden or not a number)."""

    text: str
    value: float | None = None
    hidden: Hidden | None = None


def cell_for(value: float | None, hidden: Hidden | None = None,
             text: str | None = None) -> Cell:
    """A count as a cell: "fewer than 5" or "not shown" when hidden."""
    if hidden is Hidden.small:
        return Cell(fewer_than(), None, hidden)
    if hidden is Hidden.derivable:
        return Cell(not_shown(), None, hidden)
    if value is None:
        return Cell(text or "–")
    return Cell(text if text is not None else format_decimal(value), value)


@dataclass
class Table:
    """One table of figures: a sheet of the XLSX, a table of the page and the PDF."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    chart: Markup | None = None

    @property
    def sheet(self) -> str:
        """A sheet name Excel accepts (31 characters, none of []:*?/\\)."""
        name = "".join(c for c in self.title if c not in "[]:*?/\\")
        return name[:31] or self.key


@dataclass
class Report:
    title: str
    subtitle: str
    tables: list[Table] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    group_names: dict[int, str] = field(default_factory=dict)
    period_names: dict[int, str] = field(default_factory=dict)


def shown_count(value: int) -> str:
    """A count of people as a report shows it alone: "fewer than 5" under five."""
    return fewer_than() if value < MINIMUM else str(value)


def _label_row(label: str, *cells: Cell) -> list[Cell]:
    return [Cell(label), *cells]


def _suppressed(cells: Mapping[Hashable, int],
                relations: Sequence[tuple[Hashable, Sequence[Hashable]]]) -> dict[Any, Cell]:
    hidden = suppress(cells, relations)
    return {key: cell_for(value, hidden.get(key)) for key, value in cells.items()}


def build(figures: Figures, title: str, subtitle: str, *, organisation: bool) -> Report:
    """The report's tables from its raw figures, every count of people suppressed."""
    report = Report(title, subtitle, observations=figures.observations)
    count_col, label_col = gettext("How many"), gettext("What")
    hidden_text = fewer_than()

    report.tables.append(Table("meetings", gettext("Meetings"), [label_col, count_col], [
        _label_row(gettext("Planned"), cell_for(figures.meetings_planned)),
        _label_row(gettext("Held"), cell_for(figures.meetings_held))]))

    activities = sorted(figures.activities.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    table = Table("activities", gettext("Activities used"),
                  [gettext("Activity"), gettext("Meetings held")],
                  [_label_row(name, cell_for(n)) for name, n in activities],
                  note=gettext("Offline activities are included."))
    if activities:
        table.chart = bar_chart(
            gettext("Activity mix"),
            gettext("How many meetings were held with each activity. The same figures are "
                    "in the table."),
            [name for name, _ in activities],
            [Series(gettext("Meetings held"), [float(n) for _, n in activities])])
    report.tables.append(table)

    # Attendance: the kinds, the meetings and their totals are one set of relations, so that
    # no hidden count can be worked out across the two tables.
    cells: dict[Hashable, int] = {("kind", k): figures.attendance.get(k, 0) for k in _ATTENDANCE}
    attended = sum(figures.attendance.get(k, 0) for k in _ATTENDANCE[:3])
    cells[("all",)] = attended + figures.attendance.get("absent", 0)
    cells[("attended",)] = attended
    for index, (_day, there) in enumerate(figures.trend):
        cells[("meeting", index)] = there
    relations: list[tuple[Hashable, Sequence[Hashable]]] = [
        (("all",), [("attended",), ("kind", "absent")]),
        (("attended",), [("kind", k) for k in _ATTENDANCE[:3]]),
        (("attended",), [("meeting", i) for i in range(len(figures.trend))]),
    ]
    shown = _suppressed(cells, relations)
    report.tables.append(Table(
        "attendance", gettext("Attendance"), [gettext("Attendance"), gettext("Times")],
        [*[_label_row(str(ATTENDANCE_WORDS[k]), shown[("kind", k)]) for k in _ATTENDANCE],
         _label_row(gettext("All records"), shown[("all",)])],
        note=gettext("Each member at each meeting with a closed roll call counts once.")))
    trend_rows = [_label_row(day.strftime("%d.%m.%Y"), shown[("meeting", i)])
                  for i, (day, _n) in enumerate(figures.trend)]
    table = Table("trend", gettext("Attendance over the period"),
                  [gettext("Meeting"), gettext("People there")], trend_rows)
    if trend_rows:
        table.chart = bar_chart(
            gettext("Attendance over the period"),
            gettext("How many people were at each meeting, first meeting at the top. The same "
                    "figures are in the table."),
            [row[0].text for row in trend_rows],
            [Series(gettext("People there"), [row[1].value for row in trend_rows],
                    notes=[row[1].text for row in trend_rows])],
            hidden_text=hidden_text)
    report.tables.append(table)

    spread_keys = ("all", "most", "some", "none")
    cells = {k: figures.spread.get(k, 0) for k in spread_keys}
    cells["members"] = sum(cells.values())
    shown = _suppressed(cells, [("members", spread_keys)])
    spread_words = {"all": gettext("Came to every meeting"),
                    "most": gettext("Came to half or more"),
                    "some": gettext("Came to fewer than half"),
                    "none": gettext("Did not come")}
    report.tables.append(Table(
        "spread", gettext("How regularly members came"), [label_col, gettext("Members")],
        [*[_label_row(spread_words[k], shown[k]) for k in spread_keys],
         _label_row(gettext("Members with a record"), shown["members"])]))

    rows = []
    for kind, (total, people) in figures.participation.items():
        small = people < MINIMUM
        rows.append(_label_row(str(ACTIVITY_WORDS.get(kind, kind)),
                               cell_for(total, Hidden.small if small else None),
                               cell_for(people, Hidden.small if small else None)))
    report.tables.append(Table(
        "participation", gettext("Taking part"),
        [gettext("Kind"), gettext("Group total"), gettext("People who did it")], rows,
        note=gettext("Totals for the whole group, as the activities count them; passing a "
                     "turn is never counted against anyone.")))

    if organisation:
        cells = {}
        for name, (_held, attendances) in figures.by_group.items():
            cells[name] = attendances
        cells[("total",)] = sum(cells.values())
        shown = _suppressed(cells, [(("total",), list(figures.by_group))])
        report.tables.append(Table(
            "groups", gettext("By group"),
            [gettext("Group"), gettext("Meetings held"), gettext("Attendances")],
            [_label_row(name, cell_for(held), shown[name])
             for name, (held, _a) in figures.by_group.items()]))

    report.tables.append(_checkin_table(figures, organisation))
    report.tables.append(_goal_table(figures))
    report.tables.extend(_feedback_tables(figures, hidden_text))
    return report


def _score(value: float | None) -> Cell:
    if value is None:
        return Cell(fewer_than(), None, Hidden.small)
    return Cell(format_decimal(value, format="0.0"), value)


def _checkin_table(figures: Figures, organisation: bool) -> Table:
    profile = figures.checkins
    columns = [gettext("Life area"), gettext("Start (0–10)"), gettext("End (0–10)")]
    note = gettext("Means of the group, each shown from %(n)s people who answered.",
                   n=GROUP_PROFILE_MIN)
    if organisation:
        note += " " + gettext("Only answers given under a consent that allows their use in "
                              "anonymous reports are counted.")
    table = Table("checkins", gettext("Check-in profile, start and end"), columns, [], note)
    # Without a key there is nothing to open, which only matters once someone has answered
    # (a new Piiri has no key until its first check-in, and nothing is missing then).
    if not profile.readable and (profile.start_respondents or profile.end_respondents):
        table.note = gettext("The check-in answers cannot be opened here (no check-in key).")
        return table
    if (profile.start_respondents < GROUP_PROFILE_MIN
            or profile.end_respondents < GROUP_PROFILE_MIN):
        table.note = gettext("Fewer than %(n)s people answered the start or the end check-in, "
                             "so the profile is not shown.", n=GROUP_PROFILE_MIN) + (
            " " + note if organisation else "")
        return table
    domains = [d for d in DOMAIN_LABELS if d in profile.start or d in profile.end]
    lang_labels = [DOMAIN_LABELS[d].pick(_lang()) for d in domains]
    for domain, label in zip(domains, lang_labels, strict=True):
        table.rows.append([Cell(label), _score(profile.start.get(domain)),
                           _score(profile.end.get(domain))])
    table.note = gettext("%(start)s answered at the start and %(end)s at the end.",
                         start=profile.start_respondents, end=profile.end_respondents
                         ) + " " + note
    if domains:
        table.chart = bar_chart(
            gettext("Check-in profile, start and end"),
            gettext("The group's mean score per life area from 0 to 10: filled bars at the "
                    "start, outlined bars at the end. The same figures are in the table."),
            lang_labels,
            [Series(gettext("Start"), [row[1].value for row in table.rows], "#D55E00"),
             Series(gettext("End"), [row[2].value for row in table.rows], "#0072B2",
                    outline=True)],
            maximum=10, hidden_text=fewer_than(),
            number=lambda v: format_decimal(v, format="0.0"))
    return table


def _lang() -> str:
    from facilitator.i18n import current_lang

    return current_lang()


def _goal_table(figures: Figures) -> Table:
    table = Table("goals", gettext("Goals"), [gettext("Goals"), gettext("How many")], [])
    if not figures.goals_readable and figures.goals_set:
        table.rows.append(_label_row(gettext("Set"), cell_for(figures.goals_set, Hidden.small
                                     if figures.goals_set < MINIMUM else None)))
        table.note = gettext("Whether goals were reached cannot be read here (no check-in "
                             "key).")
        return table
    cells = {"set": figures.goals_set, "reached": figures.goals_reached,
             "open": figures.goals_set - figures.goals_reached}
    shown = _suppressed(cells, [("set", ["reached", "open"])])
    table.rows = [_label_row(gettext("Set"), shown["set"]),
                  _label_row(gettext("Reached"), shown["reached"]),
                  _label_row(gettext("Not reached yet"), shown["open"])]
    return table


def _feedback_tables(figures: Figures, hidden_text: str) -> list[Table]:
    lang = _lang()
    respondents = figures.feedback_respondents
    faces = Table("faces", gettext("Feedback: how was today?"),
                  [gettext("Answer"), gettext("How many")], [])
    picks = Table("picks", gettext("Feedback: what would you like more of?"),
                  [gettext("Answer"), gettext("How many")], [])
    if respondents < MINIMUM:
        faces.note = gettext("Fewer than %(n)s answers to the feedback, so none is shown.",
                             n=MINIMUM)
        return [faces, picks]
    cells = {v: figures.faces.get(v, 0) for v in FACES}
    cells["skipped"] = max(0, respondents - sum(cells.values()))
    cells["respondents"] = respondents
    shown = _suppressed(cells, [("respondents", [*FACES, "skipped"])])
    faces.rows = [*[_label_row(label.pick(lang), shown[v]) for v, label in FACES.items()],
                  _label_row(gettext("No face chosen"), shown["skipped"]),
                  _label_row(gettext("People who answered"), shown["respondents"])]
    faces.note = gettext("Answers added up over the meetings' feedback rounds; nobody's own "
                         "answer is kept.")
    faces.chart = bar_chart(
        gettext("Feedback faces"),
        gettext("How many chose each face. The same figures are in the table."),
        [label.pick(lang) for label in FACES.values()],
        [Series(gettext("How many"), [shown[v].value for v in FACES],
                notes=[shown[v].text for v in FACES])],
        hidden_text=hidden_text, pictures=[FACE_PICTURES[v] for v in FACES])
    picks.rows = [_label_row(label.pick(lang), cell_for(figures.picks.get(v, 0), Hidden.small
                             if figures.picks.get(v, 0) < MINIMUM else None))
                  for v, label in PICKS.items()]
    picks.note = gettext("Each person could pick several.")
    return [faces, picks]
