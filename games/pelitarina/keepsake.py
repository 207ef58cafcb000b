"""What a participant takes home of Pelitarina, and what they share with their leader.

At the end each person chooses, on their own tablet: their life line as a one-time link shown
as a QR code there (the server makes the link; nothing is downloaded onto a shared tablet), a
printout from the leader, and whether their strengths summary goes to the leader. Only the
choices are moves (and so in the log); the life line itself stays in the sealed store.

One-to-one mode: a worker and one client, no shared screen. The client's tablet shows the
question the screen would show, and the worker's panel shows it too.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from engine import (
    ButtonControl,
    Control,
    InfoRow,
    LocalizedText,
    MoveContext,
    TableView,
    TextControl,
    in_four,
)
from engine.keepsake import Keepsake, KeepsakeSection

_w = in_four

KEEP_CHOICES = ("link", "print", "share")

ONE_TO_ONE = _w("Kahden kesken (työntekijä ja asiakas, ei yhteistä näyttöä)",
                "Två och två (arbetare och klient, ingen gemensam skärm)",
                "One to one (a worker and a client, no shared screen)",
                "Kahden kesken")
TAKE_LINK = _w("Ota elämänjana mukaan (QR-koodi)", "Ta med livslinjen (QR-kod)",
               "Take my life line with me (QR code)", "Ota jana mukaan")
TAKE_PRINT = _w("Pyydä ohjaajalta tuloste", "Be ledaren om en utskrift",
                "Ask the leader for a printout", "Pyydä paperi ohjaajalta")
SHARE = _w("Jaa vahvuuteni ohjaajalle", "Dela mina styrkor med ledaren",
           "Share my strengths with the leader", "Näytä vahvuudet ohjaajalle")
SHARE_CONFIRM = _w("Ohjaaja näkee vahvuutesi ja voi liittää ne suunnitelmaasi. Jaetaanko?",
                   "Ledaren ser dina styrkor och kan lägga dem till din plan. Dela?",
                   "Your leader will see your strengths and may add them to your plan. "
                   "Share?",
                   "Ohjaaja näkee vahvuutesi. Jaetaanko?")
SHARED = _w("Jaettu ohjaajalle.", "Delat med ledaren.", "Shared with your leader.",
            "Jaettu ohjaajalle.")
PRINT_ASKED = _w("Ohjaaja voi nyt tulostaa elämänjanasi sinulle.",
                 "Ledaren kan nu skriva ut din livslinje åt dig.",
                 "Your leader can now print your life line for you.",
                 "Ohjaaja voi tulostaa janasi.")
KEEPSAKE_TITLE = _w("Elämänjanani peleissä", "Min livslinje i spel",
                    "My life line in games", "Minun peli-janani")
KEEPSAKE_INTRO = _w("Nämä pelit ovat kulkeneet mukanasi. Ne ovat sinun tarinasi.",
                    "De här spelen har följt dig. De är din berättelse.",
                    "These games have been with you. They are your story.",
                    "Nämä pelit ovat sinun tarinasi.")
QUESTION_NOW = _w("Kysymys nyt", "Frågan nu", "The question now", "Kysymys nyt")


class KeepPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str = Field(min_length=1, max_length=10)


def keep(ctx: MoveContext[Any], state: Any, payload: KeepPayload) -> Any:
    """A seat chooses what to do with its own life line (link, print, share)."""
    if payload.value not in KEEP_CHOICES:
        return ctx.refuse("no_such_choice", TAKE_LINK)
    if ctx.seat is None:
        return ctx.refuse("no_seat", TAKE_LINK)
    chosen = state.keeps.setdefault(ctx.seat, [])
    if payload.value not in chosen:
        chosen.append(payload.value)
        if payload.value == "share":
            ctx.fact("summary_shared", seat=ctx.seat)
    return state


def summary_controls(view: TableView[Any], seat: str) -> list[Control]:
    """The keepsake buttons under a seat's own summary (and what it has chosen)."""
    line = view.state.lines.get(seat)
    if line is None or not line.entries:
        return []
    chosen = view.state.keeps.get(seat, [])
    items: list[Control] = []
    if "link" not in chosen:
        items.append(ButtonControl(move="keep", payload={"value": "link"}, label=TAKE_LINK,
                                   tone="secondary"))
    if "print" in chosen:
        items.append(TextControl(text=PRINT_ASKED, style="note"))
    else:
        items.append(ButtonControl(move="keep", payload={"value": "print"}, label=TAKE_PRINT,
                                   tone="secondary"))
    if "share" in chosen:
        items.append(TextControl(text=SHARED, style="note"))
    else:
        items.append(ButtonControl(move="keep", payload={"value": "share"}, label=SHARE,
                                   tone="secondary", confirm=SHARE_CONFIRM))
    return items


def prompt_text(view: TableView[Any]) -> LocalizedText | None:
    """The question for the telling now, if any."""
    state = view.state
    if not 0 <= state.prompt < len(state.prompts):
        return None
    found = next((p for p in view.content.method.prompts
                  if p.id == state.prompts[state.prompt]), None)
    return None if found is None else found.text


def one_to_one_controls(view: TableView[Any]) -> list[Control]:
    """In one-to-one mode the client's tablet shows the question the screen would show."""
    text = prompt_text(view)
    if not view.options.one_to_one or text is None or view.phase != "tell":
        return []
    return [TextControl(title=QUESTION_NOW, text=text, style="card")]


def prompt_row(view: TableView[Any]) -> list[InfoRow]:
    """The question for the worker's panel (in every mode: it is content, never private)."""
    text = prompt_text(view)
    if text is None or view.phase != "tell":
        return []
    langs = QUESTION_NOW.languages()
    return [InfoRow(label=LocalizedText({
        lang: f"{QUESTION_NOW.pick(lang)}: {text.pick(lang)}" for lang in langs}), value="")]


def make(view: TableView[Any], seat: str) -> Keepsake | None:
    """A seat's life line as a printable page, with its strengths summary."""
    from .game import _game_name, _stage_label, _strengths

    line = view.state.lines.get(seat)
    if line is None or not line.entries or (view.phase != "summary" and not view.ended):
        return None
    langs = KEEPSAKE_TITLE.languages()
    sections = []
    for stage in view.state.stages:
        names = []
        for entry in line.entries:
            if entry.stage != stage:
                continue
            name, original, _category = _game_name(view, entry)
            names.append(name if original is None else LocalizedText(
                {lang: f"{name.pick(lang)} ({original})" for lang in langs}))
        if names:
            sections.append(KeepsakeSection(heading=_stage_label(view, stage), lines=names))
    chosen = view.state.keeps.get(seat, [])
    return Keepsake(title=KEEPSAKE_TITLE, intro=KEEPSAKE_INTRO, sections=sections,
                    summary=_strengths(view, line), wants_link="link" in chosen,
                    wants_print="print" in chosen, shares_summary="share" in chosen)
