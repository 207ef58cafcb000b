"""Draw the pictures of docs/modules.md's Controls table: each control of the tablet vocabulary
as the real tablet client draws it, in Debian's Chromium, written to
docs/pictures/control-<kind>.png.

Run from the top of the repository (needs Chromium and Playwright, as ``make test`` sets up)::

    .venv/bin/python docs/make_control_pictures.py

Piiri runs on a loopback port with a throwaway database, and the tablet page (``/j/<code>``)
gets each control from a stand-in for its WebSocket, as the module kit's browser check shows
controls (facilitator/live/kitbrowser.py). A picture changes when the client's drawing does:
run this again after changing facilitator/static/tablet.js or tablet.css, and look at the
pictures before committing them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

#: The tablet's width in CSS pixels (a small phone held upright), and the space kept round a
#: control in its picture.
WIDTH, MARGIN = 390, 12
#: The picture in the tablet's content folder that the point control shows.
POINT_PICTURE = "/content/story/pictures/locked-door.png"


def samples() -> dict[str, Any]:
    """One control of each kind, as an activity would send it (in Finnish and English)."""
    from engine.controls import (
        BarPair,
        BarsControl,
        ButtonControl,
        ChoiceControl,
        CodeAlphabet,
        CodeEntryControl,
        ConsentControl,
        DieControl,
        FreeTextControl,
        MatchPairsControl,
        Option,
        OrderControl,
        PassControl,
        PointControl,
        ProposalControl,
        ReactionCount,
        ReactionsControl,
        ReactionTallyControl,
        ReadyControl,
        Scale5Control,
        SliderControl,
        TextControl,
        VoteControl,
    )
    from engine.text import LocalizedText

    def w(fi: str, en: str) -> LocalizedText:
        return LocalizedText({"fi": fi, "en": en})

    def options(*pairs: tuple[str, str, str]) -> list[Option]:
        return [Option(value=value, label=w(fi, en)) for value, fi, en in pairs]

    seasons = options(("spring", "Kevät", "Spring"), ("summer", "Kesä", "Summer"),
                      ("autumn", "Syksy", "Autumn"))
    found: list[Any] = [
        TextControl(title=w("Kortti", "Card"), style="card",
                    text=w("Kerro jostakin, mikä sai sinut hymyilemään tällä viikolla.",
                           "Tell about something that made you smile this week.")),
        ButtonControl(move="said", label=w("Olen kertonut", "I have said my piece")),
        ChoiceControl(move="pick", label=w("Mikä vuodenaika on sinun?", "Which season is yours?"),
                      options=seasons),
        VoteControl(move="vote", label=w("Mitä tarinassa tapahtuu seuraavaksi?",
                                         "What happens next in the story?"),
                    options=options(("door", "Avataan ovi", "We open the door"),
                                    ("wait", "Odotetaan", "We wait"))),
        DieControl(move="roll"),
        CodeEntryControl(move="try", label=w("Lukon koodi", "The lock's code"),
                         alphabet=CodeAlphabet.digits, length=4),
        SliderControl(move="rate", label=w("Miten jaksat tänään?", "How are you today?"),
                      low_label=w("Huonosti", "Badly"), high_label=w("Hyvin", "Well")),
        Scale5Control(move="often", label=w("Kuinka usein liikut ulkona?",
                                            "How often do you get out and about?"),
                      steps=[w("En koskaan", "Never"), w("Harvoin", "Rarely"),
                             w("Joskus", "Sometimes"), w("Usein", "Often"),
                             w("Joka päivä", "Every day")]),
        FreeTextControl(move="answer", label=w("Sinun vastauksesi", "Your answer"),
                        max_length=80),
        ProposalControl(label=w("Uusi kysymys pakkaan", "A new question for the deck")),
        ReactionsControl(move="react"),
        ReactionTallyControl(counts=[ReactionCount(reaction="heart", count=3),
                                     ReactionCount(reaction="clap", count=2)]),
        OrderControl(move="order", label=w("Järjestä aamun askeleet", "Put the morning in order"),
                     items=options(("wake", "Herään", "I wake up"),
                                   ("coffee", "Keitän kahvit", "I make coffee"),
                                   ("bus", "Menen bussiin", "I take the bus"))),
        MatchPairsControl(move="match", label=w("Yhdistä parit", "Match the pairs"),
                          left=options(("fi", "Kiitos", "Kiitos"), ("sv", "Tack", "Tack")),
                          right=options(("en-thanks", "Thank you", "Thank you"),
                                        ("ar-thanks", "شكرا", "شكرا"))),
        PointControl(move="point", label=w("Mistä avain löytyy?", "Where is the key?"),
                     image=POINT_PICTURE, alt=w("Lukittu ovi rappukäytävässä",
                                                "A locked door in a stairwell")),
        ConsentControl(move="consent", text_id="demo-1",
                       text=w("Vastauksesi tallennetaan. Vain sinä ja ohjaajasi näette ne.",
                              "Your answers are kept. Only you and your leader see them.")),
        BarsControl(title=w("Sinun tuloksesi", "Your results"), now_label=w("Nyt", "Now"),
                    before_label=w("Viime kerta", "Last time"),
                    bars=[BarPair(label=w("Mieli", "Mind"), icon="sun", now=7, before=5),
                          BarPair(label=w("Arki", "Everyday life"), icon="house", now=6,
                                  before=6)]),
        PassControl(),
        ReadyControl(move="ready"),
    ]
    return {control.kind: control for control in found}


def main(out: Path, browser: Any = None, lang: str = "fi") -> list[Path]:
    """Write one picture per control kind into ``out``; ``browser`` is a Playwright browser
    to use (else Debian's Chromium is started and stopped)."""
    from engine.controls import SeatControls
    from engine.protocol import ControlsMessage, Welcome
    from engine.text import LocalizedText
    from facilitator.live.kitbrowser import FAKE_SOCKET, _chromium, _piiri

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with _piiri() as (url, hub), _chromium(browser) as chromium:
        code = hub.create_table("circle", {}, seed=1).code
        welcome = Welcome(room=code, seat="s1", title=LocalizedText({"fi": "Piiri"}),
                          status="playing", nickname="Aino")
        context = chromium.new_context(viewport={"width": WIDTH, "height": 1200},
                                       reduced_motion="reduce")
        context.add_init_script(FAKE_SOCKET % {
            "frames": json.dumps([welcome.model_dump(mode="json")]), "lang": json.dumps(lang)})
        page = context.new_page()
        try:
            page.goto(f"{url}/j/{code}")
            page.wait_for_selector("body[data-state=seated]", timeout=15_000)
            for seq, (kind, control) in enumerate(sorted(samples().items()), start=1):
                frame = ControlsMessage(seq=seq, controls=SeatControls(seat="s1",
                                                                       items=[control]))
                page.evaluate("frame => window.__piiriKitPush(frame)",
                              frame.model_dump(mode="json"))
                drawn = page.locator(f"#main [data-kind={kind}]")
                drawn.wait_for(state="visible", timeout=15_000)
                page.wait_for_function("() => [...document.images].every(i => i.complete)")
                box = drawn.bounding_box()
                assert box is not None, kind
                path = out / f"control-{kind}.png"
                page.screenshot(path=str(path), clip={
                    "x": max(0, box["x"] - MARGIN), "y": max(0, box["y"] - MARGIN),
                    "width": min(WIDTH, box["width"] + 2 * MARGIN),
                    "height": box["height"] + 2 * MARGIN})
                written.append(path)
        finally:
            context.close()
    return written


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    for made in main(Path(sys.argv[1]) if len(sys.argv) > 1 else here / "pictures"):
        print(made)
