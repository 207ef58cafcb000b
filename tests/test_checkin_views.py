"""The leader's check-in pages: a member's chart and changes, answers and sealed goals, the
member's own data as CSV and PDF, erasure, the group's anonymous profile, reminders, and who
may see any of it."""

from __future__ import annotations

import csv
import doctest
import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from facilitator.checkins import due as checkin_due
from facilitator.checkins.answers import app_sealer, form, save_answer
from facilitator.checkins.charts import radar_chart
from facilitator.checkins.due import Due, due_checkins, is_current, midpoint
from facilitator.checkins.sealing import new_key
from facilitator.dbsession import db
from facilitator.i18n import HELSINKI
from facilitator.models import (
    AuditEntry,
    CheckinAnswer,
    CheckinConsent,
    CheckinGoal,
    CheckinRound,
    Group,
    Member,
    Organisation,
    Period,
    Role,
    User,
)

from .accounts import csrf_token, make_user, signed_in

KEY = new_key()
FORM = "piiri-arki"

#: Aino's start and end answers in Piiri's own form (the five-step item counts 1..5 as 0..10).
START = {"wellbeing-now": 4, "inclusion-good-company": 3, "inclusion-welcome": True,
         "mind-calm": 2, "everyday-flow": 5, "body-energy": 6, "skills-strengths": 4,
         "skills-practise-next": "Pyöräily", "future-outlook": 3, "future-next-step": 4}
END = {"wellbeing-now": 7, "inclusion-good-company": 5, "inclusion-welcome": False,
       "mind-calm": 4, "everyday-flow": 5, "body-energy": 5, "skills-strengths": 6,
       "skills-practise-next": "Ruoanlaitto", "future-outlook": 6, "future-next-step": 7}
#: Strings that are answers: none may ever reach an audit entry.
SECRETS = ("Pyöräily", "Ruoanlaitto", "Oppia ajamaan bussilla", "Kävi kahdesti")


@pytest.fixture()
def app_config() -> dict[str, Any]:
    return {"CHECKIN_KEYS": KEY}



def make_group(app: Any, nicknames: tuple[str, ...] = ("Aino", "Bashir"),
               starts_on: date = date(2026, 9, 1), ends_on: date | None = date(2026, 11, 30),
               org: str = "Org A") -> dict[str, Any]:
    """A group of the organisation, its members and one period."""
    with app.app_context():
        user = db().scalar(select(User).join(Organisation).where(Organisation.name == org)
                           .limit(1))
        assert user is not None
        group = Group(organisation_id=user.organisation_id, name="Torstairyhmä")
        db().add(group)
        db().flush()
        members = [Member(group_id=group.id, nickname=n) for n in nicknames]
        period = Period(group_id=group.id, name="Syksy 2026", starts_on=starts_on,
                        ends_on=ends_on)
        db().add_all([*members, period])
        db().commit()
        return {"org": user.organisation_id, "group": group.id, "period": period.id,
                **{m.nickname: m.id for m in members}}


def open_round(app: Any, ids: dict[str, Any], kind: str, at: datetime) -> int:
    with app.app_context():
        found = CheckinRound(organisation_id=ids["org"], group_id=ids["group"],
                             period_id=ids["period"], form_id=FORM, kind=kind, opened_at=at)
        db().add(found)
        db().commit()
        return found.id


def answer(app: Any, round_id: int, member_id: int, answers: dict[str, Any]) -> None:
    """Consent and answers, as the tablet flow stores them."""
    domains = {item.id: item.domain for item in form(FORM).items()}
    with app.app_context():
        db().add(CheckinConsent(round_id=round_id, member_id=member_id, text_id="v1"))
        for item_id, value in answers.items():
            save_answer(db(), app_sealer(app), round_id=round_id, member_id=member_id,
                        item_id=item_id, domain=domains[item_id], value=value)
        db().commit()


def start_and_end(app: Any) -> dict[str, Any]:
    ids = make_group(app)
    ids["start"] = open_round(app, ids, "start", datetime(2026, 9, 3, 9, tzinfo=UTC))
    ids["end"] = open_round(app, ids, "end", datetime(2026, 11, 26, 10, tzinfo=UTC))
    answer(app, ids["start"], ids["Aino"], START)
    answer(app, ids["end"], ids["Aino"], END)
    return ids


def change_row(page: str, domain: str) -> list[str]:
    row = re.search(rf'<tr data-domain="{domain}">(.*?)</tr>', page, re.S)
    assert row, domain
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)]


def audit(app: Any) -> list[AuditEntry]:
    with app.app_context():
        entries = list(db().scalars(select(AuditEntry).order_by(AuditEntry.id)))
        db().expunge_all()
        return entries


def post(client: Any, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client, "/panel/groups/"), **data},
                       **kwargs)


# -- the member's page -------------------------------------------------------------------------

def test_leader_sees_the_chart_and_the_changes_from_start_to_latest(app: Any) -> None:
    leader = signed_in(app)
    ids = start_and_end(app)
    response = leader.get(f"/panel/members/{ids['Aino']}/checkins")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    radar = re.search(r'<svg id="radar".*?</svg>', page, re.S)
    assert radar, "no chart"
    chart = radar.group(0)
    assert 'aria-labelledby="radar-title radar-desc"' in chart
    assert '<title id="radar-title">' in chart and '<desc id="radar-desc">' in chart
    assert chart.count("<polygon") == 5 + 2  # five rings, the start and the latest
    assert all(label in chart for label in ("Hyvinvointi", "Osallisuus", "Mieli", "Arki",
                                            "Taidot", "Keho"))
    assert "tulevaisuus" in chart  # "Työ ja tulevaisuus", wrapped on two lines

    assert change_row(page, "wellbeing") == ["Hyvinvointi", "4", "7", "nousi 3"]
    assert change_row(page, "mind") == ["Mieli", "2,5", "7,5", "nousi 5"]
    assert change_row(page, "body") == ["Keho", "6", "5", "laski 1"]
    assert change_row(page, "everyday") == ["Arki", "5", "5", "ei muutosta"]
    assert change_row(page, "work_future") == ["Työ ja tulevaisuus", "3,5", "6,5", "nousi 3"]

    # Every round with its kind and date, and its answers with the form's own questions.
    assert re.search(r"03\.09\.2026</td><td>Jakson alku</td><td>Oma tilanne nyt", page)
    assert re.search(r"26\.11\.2026</td><td>Jakson loppu</td>", page)
    assert "Kaiken kaikkiaan, miten voit näinä päivinä?" in page
    assert "Pyöräily" in page and "Ruoanlaitto" in page  # short text items
    assert "Kyllä" in page and ">Ei<" in page  # yes/no items
    assert "Harvoin (2/5)" in page and "Usein (4/5)" in page


def test_the_page_speaks_the_leaders_language(app: Any) -> None:
    leader = signed_in(app, lang="sv")
    ids = start_and_end(app)
    page = leader.get(f"/panel/members/{ids['Aino']}/checkins").get_data(as_text=True)
    assert change_row(page, "wellbeing") == ["Välmående", "4", "7", "steg med 3"]
    assert change_row(page, "body") == ["Kroppen", "6", "5", "sjönk med 1"]
    assert "Hur mår du nuförtiden, allt som allt?" in page
    english = signed_in(app, "en@a.example", lang="en")
    page = english.get(f"/panel/members/{ids['Aino']}/checkins").get_data(as_text=True)
    assert change_row(page, "mind") == ["Mind", "2.5", "7.5", "up 5"]
    assert change_row(page, "everyday") == ["Everyday life", "5", "5", "no change"]


def test_one_check_in_shows_its_scores_and_waits_for_the_next(app: Any) -> None:
    leader = signed_in(app)
    ids = make_group(app)
    start = open_round(app, ids, "start", datetime(2026, 9, 3, 9, tzinfo=UTC))
    answer(app, start, ids["Aino"], START)
    page = leader.get(f"/panel/members/{ids['Aino']}/checkins").get_data(as_text=True)
    assert change_row(page, "wellbeing") == ["Hyvinvointi", "4"]
    assert page.count("<polygon") == 5 + 1
    assert "Vertailu näkyy seuraavan arvion jälkeen." in page
    empty = leader.get(f"/panel/members/{ids['Bashir']}/checkins").get_data(as_text=True)
    assert 'id="radar"' not in empty
    assert "Tältä jaksolta ei ole vielä arvioiden vastauksia." in empty


def test_the_member_timeline_links_to_the_check_ins(app: Any) -> None:
    leader = signed_in(app)
    ids = make_group(app)
    page = leader.get(f"/panel/members/{ids['Aino']}").get_data(as_text=True)
    assert f'href="/panel/members/{ids["Aino"]}/checkins"' in page


def test_radar_geometry_puts_ten_on_the_outer_ring() -> None:
    chart = radar_chart(["A", "B", "C", "D"], [[10, 0, 5, None]])
    assert chart is not None
    dots = chart["series"][0]["dots"]
    assert [(d["x"], d["y"]) for d in dots] == [(320, 75), (320, 235), (320, 315)]
    assert chart["rings"][-1]["points"].startswith("320.0,75.0 480.0,235.0")
    assert radar_chart(["A", "B"], [[1, 2]]) is None  # two axes make no radar


# -- goals -------------------------------------------------------------------------------------

def test_goals_are_sealed_followed_up_and_marked_reached(app: Any, tmp_path: Path) -> None:
    leader = signed_in(app)
    ids = start_and_end(app)
    url = f"/panel/members/{ids['Aino']}/checkins"
    response = post(leader, f"{url}/goals", {"period": ids["period"], "goal-domain": "inclusion",
                                             "goal-text": "Oppia ajamaan bussilla"})
    assert response.status_code == 302
    with app.app_context():
        goal = db().scalar(select(CheckinGoal))
        assert goal is not None and goal.period_id == ids["period"]
        goal_id = goal.id
        raw = db().execute(text("SELECT * FROM checkin_goals")).all()
    assert "bussilla" not in repr(raw)  # sealed in the database
    page = leader.get(url).get_data(as_text=True)
    assert "Oppia ajamaan bussilla" in page and "Osallisuus" in page

    response = post(leader, f"{url}/goals/{goal_id}", {
        f"goal{goal_id}-follow_up": "Kävi kahdesti kaupungilla", f"goal{goal_id}-done": "y"})
    assert response.status_code == 302
    with app.app_context():
        raw = db().execute(text("SELECT sealed_follow_up FROM checkin_goals")).scalar()
    assert raw and "kahdesti" not in raw and "done" not in raw
    page = leader.get(url).get_data(as_text=True)
    assert "Kävi kahdesti kaupungilla" in page
    today = datetime.now(HELSINKI).date().strftime("%d.%m.%Y")
    assert f"saavutettu {today}" in page

    # Un-ticking keeps the note and clears the date.
    post(leader, f"{url}/goals/{goal_id}", {f"goal{goal_id}-follow_up": "Vielä harjoitellaan"})
    page = leader.get(url).get_data(as_text=True)
    assert "Vielä harjoitellaan" in page and f"saavutettu {today}" not in page
    actions = [(e.action, e.detail) for e in audit(app)]
    assert ("checkin_goal", f"goal {goal_id} added") in actions


@pytest.mark.parametrize(("lang", "refusal"), [
    ("fi", "Tähän ei saa kirjoittaa henkilötunnusta"),
    ("sv", "Här får du inte skriva någon personbeteckning"),
    ("en", "Do not write a personal identity code here"),
])
def test_a_goal_with_an_identity_code_is_refused_next_to_its_field(app: Any, lang: str,
                                                                   refusal: str) -> None:
    leader = signed_in(app, lang=lang)
    ids = make_group(app)
    url = f"/panel/members/{ids['Aino']}/checkins"
    response = post(leader, f"{url}/goals", {"period": ids["period"], "goal-domain": "mind",
                                             "goal-text": "Aino 131052-308T"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="goal-text-error" role="alert">(.*?)</p>', page)
    assert error and error.group(1).startswith(refusal)
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(CheckinGoal)) == 0
    post(leader, f"{url}/goals", {"period": ids["period"], "goal-domain": "mind",
                                  "goal-text": "Rauhallinen aamu"})
    with app.app_context():
        goal_id = db().scalar(select(CheckinGoal.id))
    response = post(leader, f"{url}/goals/{goal_id}", {
        f"goal{goal_id}-follow_up": "Soitti 131052-308T"})
    assert response.status_code == 400 and refusal in response.get_data(as_text=True)


# -- who may see it ----------------------------------------------------------------------------

def pages(ids: dict[str, Any]) -> list[str]:
    member = f"/panel/members/{ids['Aino']}/checkins"
    return [member, f"{member}/export.csv", f"{member}/export.pdf", f"{member}/erase",
            f"/panel/periods/{ids['period']}/checkins/profile"]


def test_a_cofacilitator_gets_403_on_every_check_in_page(app: Any) -> None:
    make_user(app)
    ids = start_and_end(app)
    peer = signed_in(app, "peer@a.example", role=Role.cofacilitator)
    for url in pages(ids):
        assert peer.get(url).status_code == 403, url
    token = csrf_token(peer, "/panel/")
    member = f"/panel/members/{ids['Aino']}/checkins"
    for url in (f"{member}/goals", f"{member}/goals/1", f"{member}/erase",
                f"{member}/rounds/{ids['start']}/withdraw"):
        assert peer.post(url, data={"csrf_token": token, "confirm": "yes"}
                         ).status_code == 403, url
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(CheckinAnswer)) == 10 + 10
    assert audit(app) == []


def test_another_organisation_gets_404(app: Any) -> None:
    make_user(app)
    ids = start_and_end(app)
    other = signed_in(app, "b@b.example", org="Org B")
    for url in pages(ids):
        assert other.get(url).status_code == 404, url
    member = f"/panel/members/{ids['Aino']}/checkins"
    for url in (f"{member}/goals", f"{member}/erase"):
        assert post(other, url, {"confirm": "yes", "goal-domain": "mind",
                                 "goal-text": "x"}).status_code == 404, url
    # A leader of their own member cannot pick another organisation's period either.
    theirs = make_group(app, ("Veera",), org="Org B")
    page = other.get(f"/panel/members/{theirs['Veera']}/checkins?period={ids['period']}")
    assert page.status_code == 404
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(CheckinAnswer)) == 20


def test_every_view_export_and_erasure_is_audited_without_answers(app: Any) -> None:
    leader = signed_in(app)
    ids = start_and_end(app)
    member = f"/panel/members/{ids['Aino']}/checkins"
    post(leader, f"{member}/goals", {"period": ids["period"], "goal-domain": "inclusion",
                                     "goal-text": "Oppia ajamaan bussilla"})
    leader.get(member)
    leader.get(f"{member}/export.csv")
    leader.get(f"{member}/export.pdf")
    leader.get(f"/panel/periods/{ids['period']}/checkins/profile")
    post(leader, f"{member}/erase", {"confirm": "yes"})
    entries = audit(app)
    actions = [(e.action, e.member_id) for e in entries]
    for action in ("checkin_view", "checkin_export_csv", "checkin_export_pdf", "checkin_erase",
                   "checkin_goal"):
        assert (action, ids["Aino"]) in actions, action
    assert ("checkin_group_profile", None) in actions
    for entry in entries:
        assert entry.user_id is not None and entry.organisation_id == ids["org"]
        assert not any(secret in entry.detail for secret in SECRETS), entry.detail
    erased = next(e for e in entries if e.action == "checkin_erase")
    # the check-in counts, then every other eraser's (facilitator.accounts.erase_member_data)
    assert erased.detail.startswith("checkin_answers 20, checkin_consents 2, checkin_goals 1")
    assert "private_values 0" in erased.detail


# -- the member's own data ---------------------------------------------------------------------

def test_the_csv_export_holds_the_members_rounds_answers_scores_and_goals(app: Any) -> None:
    leader = signed_in(app)
    ids = start_and_end(app)
    member = f"/panel/members/{ids['Aino']}/checkins"
    post(leader, f"{member}/goals", {"period": ids["period"], "goal-domain": "inclusion",
                                     "goal-text": "Oppia ajamaan bussilla"})
    response = leader.get(f"{member}/export.csv")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data(as_text=True)
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Tieto", "Päivä", "Arvio", "Elämänalue", "Kysymys tai tavoite",
                       "Vastaus, pistemäärä tai muistiinpano", "Tavoite saavutettu"]
    assert ["Vastaus", "03.09.2026", "Jakson alku", "Taidot",
            "Mitä haluaisit seuraavaksi harjoitella tai oppia?", "Pyöräily", ""] in rows
    assert ["Vastaus", "26.11.2026", "Jakson loppu", "Osallisuus",
            "Tunnetko olevasi tervetullut tähän ryhmään?", "Ei", ""] in rows
    assert ["Elämänalueen pistemäärä", "03.09.2026", "Jakson alku", "Mieli", "", "2,5", ""] in rows
    assert ["Elämänalueen pistemäärä", "26.11.2026", "Jakson loppu", "Työ ja tulevaisuus", "",
            "6,5", ""] in rows
    goal = [row for row in rows if row[0] == "Tavoite"]
    assert len(goal) == 1 and goal[0][3:6] == ["Osallisuus", "Oppia ajamaan bussilla", ""]
    assert sum(1 for row in rows if row[0] == "Vastaus") == 20
    assert sum(1 for row in rows if row[0] == "Elämänalueen pistemäärä") == 14


def test_the_pdf_export_is_a_pdf_with_the_font_embedded(app: Any) -> None:
    leader = signed_in(app)
    ids = start_and_end(app)
    response = leader.get(f"/panel/members/{ids['Aino']}/checkins/export.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.data
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert b"AtkinsonHyperlegible" in body  # the typeface travels with the file
    assert 10_000 < len(body) < 400_000
    empty = leader.get(f"/panel/members/{ids['Bashir']}/checkins/export.pdf")
    assert empty.status_code == 200 and empty.data.startswith(b"%PDF-")


# -- erasure -----------------------------------------------------------------------------------

def test_erasure_needs_a_ticked_confirmation_and_keeps_the_audit(app: Any) -> None:
    leader = signed_in(app)
    ids = start_and_end(app)
    member = f"/panel/members/{ids['Aino']}/checkins"
    post(leader, f"{member}/goals", {"period": ids["period"], "goal-domain": "inclusion",
                                     "goal-text": "Oppia ajamaan bussilla"})
    confirm = leader.get(f"{member}/erase").get_data(as_text=True)
    assert "20 vastausta" in confirm and "1 tavoite" in confirm
    unconfirmed = post(leader, f"{member}/erase", {})
    assert unconfirmed.status_code == 400
    assert 'id="confirm-error"' in unconfirmed.get_data(as_text=True)
    assert leader.post(f"{member}/erase", data={"confirm": "yes"}).status_code == 400  # no CSRF
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(CheckinAnswer)) == 20

    response = post(leader, f"{member}/erase", {"confirm": "yes"}, follow_redirects=True)
    assert response.status_code == 200
    assert ("Aino: arvioiden vastaukset, suostumukset ja tavoitteet, elämänjanat ja jaetut "
            "yhteenvedot sekä tekijämerkinnät on poistettu.") in response.get_data(as_text=True)
    with app.app_context():
        for model in (CheckinAnswer, CheckinConsent, CheckinGoal):
            assert db().scalar(select(func.count()).select_from(model).where(
                model.member_id == ids["Aino"])) == 0
        assert db().scalar(select(func.count()).select_from(CheckinRound)) == 2
    assert [e.action for e in audit(app)].count("checkin_erase") == 1


def test_consent_withdrawn_after_the_round_deletes_that_rounds_answers_only(app: Any) -> None:
    leader = signed_in(app)
    ids = start_and_end(app)
    url = f"/panel/members/{ids['Aino']}/checkins/rounds/{ids['start']}/withdraw"
    assert f"rounds/{ids['start']}/withdraw" in leader.get(
        f"/panel/members/{ids['Aino']}/checkins").get_data(as_text=True)
    post(leader, url, {})  # not ticked: nothing happens
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(CheckinAnswer).where(
            CheckinAnswer.round_id == ids["start"])) == 10
    post(leader, url, {"confirm": "yes"})
    with app.app_context():
        left = {r.round_id for r in db().scalars(select(CheckinAnswer))}
        consent = db().scalar(select(CheckinConsent).where(
            CheckinConsent.round_id == ids["start"]))
    assert left == {ids["end"]}
    assert consent is not None and consent.withdrawn_at is not None
    entries = [e for e in audit(app) if e.action == "checkin_withdraw"]
    assert len(entries) == 1 and entries[0].member_id == ids["Aino"]


# -- the group profile -------------------------------------------------------------------------

NAMES = ("Aino", "Bashir", "Camilla", "Dmitri", "Eeva")


def profile_cells(page: str, column: str) -> list[str]:
    return re.findall(rf'<td data-column="{column}">([^<]*)</td>', page)


def test_the_group_profile_is_hidden_below_five_and_shown_from_five(app: Any) -> None:
    leader = signed_in(app)
    ids = make_group(app, NAMES)
    start = open_round(app, ids, "start", datetime(2026, 9, 3, 9, tzinfo=UTC))
    mid = open_round(app, ids, "mid", datetime(2026, 10, 15, 9, tzinfo=UTC))
    for index, name in enumerate(NAMES[:4]):
        answer(app, start, ids[name], {"wellbeing-now": 2 * index, "mind-calm": 1 + index})
    for index, name in enumerate(NAMES):
        answers = {"wellbeing-now": 2 + 2 * index, "mind-calm": 1 + index}
        if name != "Eeva":
            answers["body-energy"] = 5
        answer(app, mid, ids[name], answers)
    url = f"/panel/periods/{ids['period']}/checkins/profile"
    page = leader.get(url).get_data(as_text=True)
    assert ("Vain 4 jäsentä vastasi. Profiili näytetään, kun vastaajia on vähintään 5, "
            "jotta ketään ei voi tunnistaa.") in page
    assert profile_cells(page, "start") == []
    assert "Jakson puoliväli, 15.10.2026" in page and "5 jäsentä vastasi." in page
    # wellbeing 2, 4, 6, 8, 10; mind 0, 2.5, 5, 7.5, 10; body by only four: not shown.
    assert profile_cells(page, "end") == ["6", "5", "–"]
    assert not any(name in page for name in NAMES)

    answer(app, start, ids["Eeva"], {"wellbeing-now": 9, "mind-calm": 5})
    end = open_round(app, ids, "end", datetime(2026, 11, 26, 9, tzinfo=UTC))
    for name in NAMES[:3]:
        answer(app, end, ids[name], {"wellbeing-now": 10})
    page = leader.get(url).get_data(as_text=True)
    # wellbeing 0, 2, 4, 6, 9 → 4.2; mind 0, 2.5, 5, 7.5, 10 → 5; the end round (3) is hidden.
    assert profile_cells(page, "start") == ["4,2", "5"]
    assert profile_cells(page, "end") == []
    assert "Jakson loppu, 26.11.2026" in page and "Vain 3 jäsentä vastasi." in page
    entries = [e for e in audit(app) if e.action == "checkin_group_profile"]
    assert len(entries) == 2 and all(e.member_id is None for e in entries)


def test_a_withdrawn_consent_does_not_count_towards_the_profile(app: Any) -> None:
    from facilitator.checkins.answers import withdraw_consent

    leader = signed_in(app)
    ids = make_group(app, NAMES)
    start = open_round(app, ids, "start", datetime(2026, 9, 3, 9, tzinfo=UTC))
    for name in NAMES:
        answer(app, start, ids[name], {"wellbeing-now": 5})
    with app.app_context():
        withdraw_consent(db(), start, ids["Eeva"])
        db().commit()
    page = leader.get(f"/panel/periods/{ids['period']}/checkins/profile").get_data(
        as_text=True)
    assert "Vain 4 jäsentä vastasi." in page and profile_cells(page, "start") == []


# -- reminders ---------------------------------------------------------------------------------

AUTUMN = (date(2026, 9, 1), date(2026, 11, 30))  # midpoint 16.10., end window from 16.11.
MEMBERS = [(1, "Aino"), (2, "Bashir"), (3, "Camilla"), (4, "Dmitri")]


def needs(today: date, answered: dict[int, set[str]],
          period: tuple[date, date | None] = AUTUMN) -> dict[str, str]:
    return {d.nickname: d.need for d in due_checkins(*period, today, MEMBERS, answered)}


def test_nothing_is_due_before_the_period_starts() -> None:
    assert needs(date(2026, 8, 31), {}) == {}


def test_before_the_midpoint_only_missing_start_check_ins_are_due() -> None:
    answered = {1: {"start"}, 2: {"free"}}
    assert needs(date(2026, 9, 1), answered) == {"Bashir": "start", "Camilla": "start",
                                                 "Dmitri": "start"}
    assert needs(date(2026, 10, 15), answered) == {"Bashir": "start", "Camilla": "start",
                                                   "Dmitri": "start"}


def test_from_the_midpoint_a_started_member_without_a_mid_check_in_is_reminded() -> None:
    assert midpoint(*AUTUMN) == date(2026, 10, 16)
    answered = {1: {"start"}, 2: {"start", "mid"}, 3: {"start", "free"}}
    assert needs(date(2026, 10, 16), answered) == {"Aino": "mid", "Camilla": "mid",
                                                   "Dmitri": "start"}


def test_two_weeks_before_the_end_the_end_check_in_replaces_the_mid_one() -> None:
    answered = {1: {"start"}, 2: {"start", "mid"}, 3: {"start", "end"}}
    assert needs(date(2026, 11, 15), answered)["Aino"] == "mid"
    assert needs(date(2026, 11, 16), answered) == {"Aino": "end", "Bashir": "end",
                                                   "Dmitri": "start"}
    assert needs(date(2027, 1, 10), answered) == {"Aino": "end", "Bashir": "end",
                                                  "Dmitri": "start"}


def test_a_period_without_an_end_date_reminds_only_of_the_start() -> None:
    open_ended = (date(2026, 9, 1), None)
    assert needs(date(2027, 6, 1), {1: {"start"}}, open_ended) == {
        "Bashir": "start", "Camilla": "start", "Dmitri": "start"}


def test_reminders_keep_the_given_order_and_say_who() -> None:
    found = due_checkins(*AUTUMN, date(2026, 9, 2), [(7, "Öljy"), (3, "Aapo")], {})
    assert found == [Due(7, "Öljy", "start"), Due(3, "Aapo", "start")]


def test_a_period_is_current_from_its_start_until_two_weeks_after_its_end() -> None:
    assert not is_current(*AUTUMN, date(2026, 8, 31))
    assert is_current(*AUTUMN, date(2026, 9, 1)) and is_current(*AUTUMN, date(2026, 12, 14))
    assert not is_current(*AUTUMN, date(2026, 12, 15))
    assert is_current(date(2026, 9, 1), None, date(2030, 1, 1))


def test_the_reminder_module_examples_hold() -> None:
    assert doctest.testmod(checkin_due).failed == 0


def test_the_group_and_period_pages_show_whose_check_ins_are_due(app: Any) -> None:
    leader = signed_in(app)
    today = datetime.now(HELSINKI).date()
    ids = make_group(app, ("Aino", "Bashir", "Camilla"), starts_on=today - timedelta(days=40),
                     ends_on=today + timedelta(days=5))
    start = open_round(app, ids, "start", datetime.now(UTC) - timedelta(days=39))
    end = open_round(app, ids, "end", datetime.now(UTC))
    for name in ("Aino", "Bashir"):
        answer(app, start, ids[name], {"wellbeing-now": 5})
    answer(app, end, ids["Aino"], {"wellbeing-now": 6})
    for url in (f"/panel/periods/{ids['period']}", f"/panel/groups/{ids['group']}"):
        page = leader.get(url).get_data(as_text=True)
        box = re.search(r'<section class="card checkin-due" id="checkins-due">.*?</section>',
                        page, re.S)
        assert box, url
        due = dict(re.findall(r'data-need="(\w+)"><a [^>]*>(\w+)</a>', box.group(0)))
        assert due == {"end": "Bashir", "start": "Camilla"}, url
        assert "Bashir</a>: loppuarvion aika" in box.group(0)
        assert "Camilla</a>: ei vielä alkuarviota" in box.group(0)
        assert f"/panel/periods/{ids['period']}/checkins/profile" in box.group(0)


@pytest.mark.browser
def test_the_chart_is_drawn_in_a_real_browser(tmp_path: Path, browser: Any) -> None:
    from .accounts import login_page
    from .live_server import running

    with running(tmp_path / "piiri.sqlite3", CHECKIN_KEYS=KEY) as server:
        make_user(server.app)
        ids = start_and_end(server.app)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        login_page(page, server.url)
        page.goto(f"{server.url}/panel/members/{ids['Aino']}/checkins")
        latest = page.locator("#radar .series-latest polygon").bounding_box()
        first = page.locator("#radar .series-first polygon").bounding_box()
        chart = page.locator("#radar").bounding_box()
        assert latest and first and chart
        assert latest["width"] > 100 and latest["height"] > 100
        assert chart["width"] > 400
        assert page.locator("#radar circle").count() == 7
        assert page.locator("#radar rect").count() == 7
        assert page.locator("#changes tbody tr").count() == 7
