"""The leader's panel in Finnish, Swedish and English: each user's own language, the switch, the
catalogs' completeness, and their compilation when the app starts."""

from __future__ import annotations

import csv
import errno
import html
import io
import json
import os
import re
import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from facilitator import i18n
from facilitator.dbsession import db
from facilitator.models import AttendanceRecord, Group, Meeting, Member, Period, User

from .accounts import csrf_token, login, make_user, signed_in

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "facilitator" / "translations"



def texts(page: str, tag: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", found)).strip()
            for found in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", page, re.S)]


def html_lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', page)
    assert found
    return found.group(1)


# -- each user's own language --------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "today", "labels"), [
    ("fi", "Tänään", ["Ryhmän nimi", "Kuvaus"]),
    ("sv", "I dag", ["Gruppens namn", "Beskrivning"]),
    ("en", "Today", ["Group name", "Description"]),
])
def test_the_panel_speaks_the_users_language(app: Any, lang: str, today: str,
                                             labels: list[str]) -> None:
    client = signed_in(app, lang=lang)
    page = client.get("/panel/").get_data(as_text=True)
    assert texts(page, "h1") == [today]
    assert html_lang(page) == lang
    page = client.get("/panel/groups/").get_data(as_text=True)
    assert texts(page, "label") == labels
    assert html_lang(page) == lang


def test_a_swedish_user_sees_no_finnish(app: Any) -> None:
    client = signed_in(app, lang="sv")
    page = client.get("/panel/").get_data(as_text=True)
    assert "Dagens träffar" in page and "Öppna ett bord utan planerad träff" in page
    for finnish in ("Tänään", "Ryhmät", "Kirjaudu ulos", "Avaa pöytä"):
        assert finnish not in page


def test_switching_the_language_changes_the_next_page(app: Any) -> None:
    user_id = make_user(app)
    client = app.test_client()
    login(client)
    assert "Ryhmät" in texts(client.get("/panel/groups/").get_data(as_text=True), "h1")
    token = csrf_token(client, "/panel/groups/")
    response = client.post("/panel/lang", data={"lang": "sv", "next": "/panel/groups/",
                                                "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/panel/groups/"
    page = client.get("/panel/groups/").get_data(as_text=True)
    assert texts(page, "h1") == ["Grupper"] and html_lang(page) == "sv"
    with app.app_context():
        user = db().get(User, user_id)
        assert user is not None and user.lang == "sv"
    # Saved to the account: a new sign-in elsewhere speaks Swedish too.
    other = app.test_client()
    login(other)
    assert texts(other.get("/panel/").get_data(as_text=True), "h1") == ["I dag"]
    client.post("/panel/lang", data={"lang": "en", "next": "/panel/", "csrf_token": token})
    assert texts(client.get("/panel/").get_data(as_text=True), "h1") == ["Today"]


def test_the_switch_is_in_the_header_and_redirects_only_within_the_site(app: Any) -> None:
    client = signed_in(app, lang="fi")
    page = client.get("/panel/groups/?x=1").get_data(as_text=True)
    switch = re.search(r'<form[^>]*id="lang-switch".*?</form>', page, re.S)
    assert switch and 'action="/panel/lang"' in switch.group(0)
    assert 'name="next" value="/panel/groups/?x=1"' in switch.group(0)
    assert re.findall(r'name="lang" value="(\w+)"', switch.group(0)) == ["fi", "sv", "en"]
    token = csrf_token(client, "/panel/")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "", "panel"):
        response = client.post("/panel/lang", data={"lang": "en", "next": target,
                                                    "csrf_token": token})
        assert response.headers["Location"] == "/panel/", target
    assert client.post("/panel/lang", data={"lang": "de", "csrf_token": token}
                       ).status_code == 400
    assert client.post("/panel/lang", data={"lang": "sv"}).status_code == 400  # no CSRF token


def test_signed_out_pages_follow_the_cookie_then_the_browser(app: Any) -> None:
    make_user(app)
    client = app.test_client()
    assert texts(client.get("/login").get_data(as_text=True), "h1") == ["Kirjaudu sisään"]
    swedish = {"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"}
    assert texts(client.get("/login", headers=swedish).get_data(as_text=True),
                 "h1") == ["Logga in"]
    german = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
    assert texts(client.get("/login", headers=german).get_data(as_text=True),
                 "h1") == ["Please sign in"]
    assert texts(client.get("/login", headers={"Accept-Language": "de"}).get_data(
        as_text=True), "h1") == ["Kirjaudu sisään"]  # none of ours: Finnish
    # The switch on the sign-in page: a cookie, which wins over the browser's wish.
    token = csrf_token(client, "/login")
    response = client.post("/lang", data={"lang": "en", "next": "/login?next=/panel/",
                                          "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/panel/"
    assert "lang=en" in response.headers["Set-Cookie"]
    page = client.get("/login", headers=swedish).get_data(as_text=True)
    assert texts(page, "h1") == ["Please sign in"] and html_lang(page) == "en"
    # Signed in, the account's own language wins over the cookie (the account says fi).
    login(client)
    assert texts(client.get("/panel/").get_data(as_text=True), "h1") == ["Tänään"]


def test_a_wrong_password_is_told_in_the_pages_language(app: Any) -> None:
    make_user(app)
    client = app.test_client()
    token = csrf_token(client, "/login")
    page = client.post("/login", headers={"Accept-Language": "en"}, data={
        "email": "leader@a.example", "password": "wrong", "csrf_token": token}
    ).get_data(as_text=True)
    assert "The email or the password is wrong." in page


# -- forms and exports ---------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "refusal"), [
    ("fi", "Tähän ei saa kirjoittaa henkilötunnusta"),
    ("sv", "Här får du inte skriva någon personbeteckning"),
    ("en", "Do not write a personal identity code here"),
])
def test_an_identity_code_is_refused_in_the_users_language(app: Any, lang: str,
                                                           refusal: str) -> None:
    client = signed_in(app, lang=lang)
    token = csrf_token(client, "/panel/groups/")
    group_url = client.post("/panel/groups/", data={"name": "Ryhmä", "csrf_token": token}
                            ).headers["Location"]
    response = client.post(f"{group_url}/members", data={
        "m-nickname": "Aino 131052-308T", "m-csrf_token": token})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = texts(page, "p")
    assert any(e.startswith(refusal) for e in errors), errors
    # The built-in messages of the form library follow too.
    response = client.post("/panel/groups/", data={"name": "", "csrf_token": token})
    assert {"fi": "Anna ryhmälle nimi.", "sv": "Ge gruppen ett namn.",
            "en": "Give the group a name."}[lang] in response.get_data(as_text=True)


def _closed_meeting(app: Any) -> int:
    with app.app_context():
        user = db().query(User).one()
        group = Group(organisation_id=user.organisation_id, name="Torstai")
        db().add(group)
        db().flush()
        member = Member(group_id=group.id, nickname="Aino")
        period = Period(group_id=group.id, name="Syksy", starts_on=date(2026, 9, 1))
        db().add_all([member, period])
        db().flush()
        meeting = Meeting(period_id=period.id, starts_at=datetime(2026, 9, 3, 9, tzinfo=UTC),
                          theme="Tutustutaan", offline_activity="walk", status="closed")
        db().add(meeting)
        db().flush()
        db().add(AttendanceRecord(meeting_id=meeting.id, member_id=member.id,
                                  attendance="left_early", turns=2))
        db().commit()
        return period.id


@pytest.mark.parametrize(("lang", "header", "row"), [
    ("fi", ["Päivä", "Kellonaika", "Teema", "Toiminta", "Jäsen", "Läsnäolo", "Vuoroja"],
     ["03.09.2026", "12:00", "Tutustutaan", "Kävely", "Aino", "Lähti aiemmin", "2"]),
    ("sv", ["Dag", "Klockslag", "Tema", "Verksamhet", "Medlem", "Närvaro", "Turer"],
     ["03.09.2026", "12:00", "Tutustutaan", "Promenad", "Aino", "Gick tidigare", "2"]),
    ("en", ["Day", "Time", "Theme", "Activity", "Member", "Attendance", "Turns"],
     ["03.09.2026", "12:00", "Tutustutaan", "Walk", "Aino", "Left early", "2"]),
])
def test_the_export_is_in_the_users_language(app: Any, lang: str, header: list[str],
                                             row: list[str]) -> None:
    client = signed_in(app, lang=lang)
    period_id = _closed_meeting(app)
    raw = client.get(f"/panel/periods/{period_id}/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    assert rows[3] == header  # issue 13: the group and period come first
    assert rows[4] == row
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(client.get(f"/panel/periods/{period_id}/export.xlsx").data))
    sheet = book.active
    assert sheet is not None
    assert [c.value for c in sheet[4]] == header


def test_the_live_table_page_and_its_script_get_the_users_words(app: Any) -> None:
    client = signed_in(app, lang="en")
    token = csrf_token(client, "/panel/")
    table_url = client.post("/panel/tables", data={"game": "circle", "csrf_token": token}
                            ).headers["Location"]
    page = client.get(table_url).get_data(as_text=True)
    assert html_lang(page) == "en"
    assert texts(page, "h2")[:1] == ["Waiting for approval"]
    blob = re.search(r"data-i18n='([^']*)'", page)
    assert blob
    words = json.loads(html.unescape(blob.group(1)))
    assert words["participants"] == "Participants"
    assert words["removeSeat"] == "Remove {name} from the game"
    assert words["labels"] == ["Status:", "Connection:", "Turns:", "Passes:"]
    view = client.get(f"{table_url}/live.json").get_json()
    assert view["status_text"] == "waiting to start"
    script = (ROOT / "facilitator" / "static" / "panel.js").read_text(encoding="utf-8")
    assert not re.search(r"[äöåÄÖÅ]", script)  # every word comes from the page


# -- the catalogs ---------------------------------------------------------------------------------

def _catalog(path: Path, locale: str | None = None) -> Any:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def test_the_template_is_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """messages.pot holds exactly what the code marks (run the extraction again and compare)."""
    fresh = tmp_path / "messages.pot"
    monkeypatch.chdir(ROOT)
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "facilitator/babel.cfg",
                                "-o", str(fresh), "facilitator"])
    kept = {m.id for m in _catalog(TRANSLATIONS / "messages.pot") if m.id}
    marked = {m.id for m in _catalog(fresh) if m.id}
    assert marked == kept, ("run pybabel extract and update the catalogs",
                            sorted(map(str, marked - kept)), sorted(map(str, kept - marked)))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    template = _catalog(TRANSLATIONS / "messages.pot")
    catalog = _catalog(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", lang)
    assert not catalog.fuzzy
    assert len([m for m in template if m.id]) > 150
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        assert found is not None, (lang, message.id)
        assert "fuzzy" not in found.flags, (lang, message.id)
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        assert strings and all(s.strip() for s in strings), (lang, message.id)
        if "python-format" in message.flags:  # the same %(slots)s in every language
            slots = set(re.findall(r"%\((\w+)\)", str(message.id)))
            for string in strings:
                assert set(re.findall(r"%\((\w+)\)", string)) <= slots, (lang, message.id)
    obsolete = {m.id for m in catalog if m.id} - {m.id for m in template if m.id}
    assert not obsolete, (lang, obsolete)


# -- compiling them when the app starts ---------------------------------------------------------

def _copy_sources(to: Path) -> Path:
    for lang in i18n.LANGUAGES:
        folder = to / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        shutil.copy2(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", folder)
    return to


def test_catalogs_compile_when_missing_or_older_than_their_source(tmp_path: Path) -> None:
    source = _copy_sources(tmp_path / "translations")
    assert i18n.compile_catalogs(tmp_path / "instance", source) == source
    mo = source / "sv" / "LC_MESSAGES" / "messages.mo"
    assert all((source / lang / "LC_MESSAGES" / "messages.mo").is_file()
               for lang in i18n.LANGUAGES)
    assert not (tmp_path / "instance").exists()
    # Current: left alone.
    os.utime(mo, (1_000_000_000, 1_000_000_000))
    po = source / "sv" / "LC_MESSAGES" / "messages.po"
    os.utime(po, (900_000_000, 900_000_000))
    i18n.compile_catalogs(tmp_path / "instance", source)
    assert mo.stat().st_mtime == 1_000_000_000
    # An edited .po (newer than its .mo): compiled again, with the new text.
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "I dag"', 'msgstr "Idag"'),
                  encoding="utf-8")
    i18n.compile_catalogs(tmp_path / "instance", source)
    assert mo.stat().st_mtime > 1_000_000_000
    from babel.support import Translations
    assert Translations.load(str(source), ["sv"]).gettext("Today") == "Idag"


def test_a_read_only_package_compiles_into_the_instance_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _copy_sources(tmp_path / "package" / "translations")
    real = tempfile.mkstemp

    def read_only(*args: Any, **kwargs: Any) -> Any:
        if Path(kwargs["dir"]).is_relative_to(source):
            raise OSError(errno.EROFS, "Read-only file system")
        return real(*args, **kwargs)

    monkeypatch.setattr(i18n.tempfile, "mkstemp", read_only)
    fallback = tmp_path / "instance" / "translations"
    assert i18n.compile_catalogs(fallback, source) == fallback
    assert (fallback / "fi" / "LC_MESSAGES" / "messages.mo").is_file()
    assert not list(source.rglob("*.mo"))


def test_the_app_uses_the_catalogs_it_compiled(app: Any) -> None:
    folder = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    for lang in i18n.LANGUAGES:
        mo = folder / lang / "LC_MESSAGES" / "messages.mo"
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        assert mo.stat().st_mtime >= po.stat().st_mtime
