"""A written answer the activity gave no label still gets a visible one on the tablet, in the
reader's language (the client's own words), so that nobody meets a field without knowing what
it is for and axe-core finds nothing to flag."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, expect

from engine import FreeTextControl, ProposalControl, SeatControls
from engine.protocol import ControlsMessage, Welcome
from engine.text import LocalizedText
from facilitator.live.kitbrowser import FAKE_SOCKET

from .axe import assert_no_violations
from .live_server import LiveServer

pytestmark = pytest.mark.browser

WAIT = 20_000
#: The tablet's own words for an unlabelled answer and proposal (facilitator/static/tablet.js).
WORDS = {"fi": ("Vastauksesi", "Ehdotuksesi"),
         "sv": ("Ditt svar", "Ditt förslag"),
         "en": ("Your answer", "Your proposal"),
         "fi-x-selko": ("Kirjoita vastaus tähän", "Kirjoita ehdotus tähän")}


def test_an_unlabelled_free_text_field_gets_a_visible_label_in_every_language(
        browser: Browser, server: LiveServer) -> None:
    code = server.hub.create_table("circle", {"rounds": 1}, seed=1).code
    welcome = Welcome(room=code, seat="s1", title=LocalizedText({"fi": "Piiri"}),
                      status="playing", nickname="Aino")
    controls = SeatControls(seat="s1", items=[FreeTextControl(move="say"),
                                              ProposalControl(move="propose")])
    frame = ControlsMessage(seq=1, controls=controls).model_dump(mode="json")
    for lang, (answer, proposal) in WORDS.items():
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_init_script(FAKE_SOCKET % {
            "frames": json.dumps([welcome.model_dump(mode="json"), frame]),
            "lang": json.dumps(lang)})
        page = context.new_page()
        try:
            page.goto(f"{server.url}/j/{code}")
            fields = page.locator("textarea")
            expect(fields).to_have_count(2, timeout=WAIT)
            # Each field is named by a label the reader sees, not only by a placeholder.
            expect(page.get_by_label(answer, exact=True)).to_be_visible()
            expect(page.get_by_label(proposal, exact=True)).to_be_visible()
            expect(page.locator("label", has_text=answer)).to_be_visible()
            assert_no_violations(page, f"tablet [{lang}]: unlabelled free text and proposal")
        finally:
            context.close()
