"""Sample scenes that use every element the screen draws, with real-length Finnish text.

The screen's reference pictures, its benchmark and ``python -m engine.screen --preview`` all draw
these, so that a change to the drawing can be looked at without a server, a game or tablets.
They are plain data; nothing here is a rule of any game.
"""

from __future__ import annotations

from typing import Any

from engine.controls import reaction_counts
from engine.scene import (
    Avatar,
    AvatarColour,
    AvatarIcon,
    BoardElement,
    BoardSpace,
    CardElement,
    DieElement,
    JoinCardElement,
    LockElement,
    LockPanelElement,
    PauseOverlay,
    ProgressElement,
    ReactionsElement,
    RosterElement,
    RosterEntry,
    Scene,
    SeatStatus,
    StoryPageElement,
    TextBlockElement,
    ThemeBadge,
    TimerElement,
    Token,
    VoteTallyElement,
    VoteTallyRow,
)
from engine.text import LocalizedText

__all__ = ["LONG_PROMPT", "NAMES", "PROMPT", "REACTIONS", "SAMPLES", "board_scene", "reactions",
           "roster", "sample"]

NAMES = ["Aino", "Bashir", "Camilla", "Dmitri", "Eeva", "Fatima", "Göran", "Hanna", "Ilkka",
         "Jamal", "Kaisa", "Leo"]
_ICONS = list(AvatarIcon)
_COLOURS = list(AvatarColour)


def _t(fi: str, sv: str | None = None, en: str | None = None) -> LocalizedText:
    texts = {"fi": fi}
    if sv:
        texts["sv"] = sv
    if en:
        texts["en"] = en
    return LocalizedText(texts)


def roster(count: int, *, turn: int | None = 0,
           statuses: dict[int, SeatStatus] | None = None,
           away: tuple[int, ...] = ()) -> RosterElement:
    """A roster of ``count`` people with distinct avatars; ``turn`` is whose turn it is."""
    entries = []
    for i in range(count):
        status = (statuses or {}).get(i, SeatStatus.turn if i == turn else SeatStatus.waiting)
        if i in away:
            status = SeatStatus.away
        entries.append(RosterEntry(
            seat=f"s{i + 1}", nickname=NAMES[i % len(NAMES)],
            avatar=Avatar(icon=_ICONS[(i * 5) % len(_ICONS)],
                          colour=_COLOURS[i % len(_COLOURS)]),
            status=status, connected=i not in away))
    return RosterElement(entries=entries)


THEMES = [
    ("home", "#E69F00", "house", _t("Koti", "Hem", "Home")),
    ("friends", "#56B4E9", "people", _t("Ystävät", "Vänner", "Friends")),
    ("nature", "#009E73", "tree", _t("Luonto", "Natur", "Nature")),
    ("feelings", "#CC79A7", "heart", _t("Tunteet", "Känslor", "Feelings")),
    ("rest", "#7F7F7F", "cup", _t("Tauko", "Paus", "Break")),
    ("dreams", "#0072B2", "star", _t("Unelmat", "Drömmar", "Dreams")),
]

PROMPT = _t("Mikä sai sinut hymyilemään tällä viikolla?",
            "Vad fick dig att le den här veckan?",
            "What made you smile this week?")
LONG_PROMPT = _t(
    "Muistele jotakin paikkaa, jossa olet viihtynyt. Millainen se oli? Mitä siellä kuului, "
    "miltä siellä tuoksui ja keitä siellä oli kanssasi? Kerro siitä muille niin paljon tai "
    "vähän kuin haluat.",
    "Tänk på en plats där du har trivts. Hur var den? Vad hörde du där, hur doftade det och "
    "vem var där med dig? Berätta så mycket eller lite du vill.",
    "Think of a place where you felt good. What was it like? What could you hear, what did it "
    "smell like, and who was there with you? Tell the others as much or as little as you like.")


def board_scene(tokens: int = 12, *, spaces: int = 24, highlight: int | None = 5,
                moved: dict[int, int] | None = None) -> Scene:
    """The busiest picture: a board of ``spaces`` with ``tokens`` tokens, a card, a roster,
    a timer and progress. ``moved`` puts token ``i`` on another space."""
    board_spaces = []
    for i in range(spaces):
        theme_id, colour, icon, name = THEMES[i % len(THEMES)]
        board_spaces.append(BoardSpace(theme=theme_id, colour=colour, icon=icon, label=name))
    places = [0, 0, 0, 2, 5, 5, 7, 11, 11, 11, 15, 20]
    token_list = []
    for i in range(tokens):
        space = (moved or {}).get(i, places[i % len(places)])
        token_list.append(Token(seat=f"s{i + 1}", space=space))
    theme_id, colour, icon, name = THEMES[(highlight or 0) % len(THEMES)]
    dice: list[Any] = []
    if moved and len(moved) == 1:
        # A game that rolled says so: the die's value and a roll number new to this scene.
        index, space = next(iter(moved.items()))
        steps = (space - places[index % len(places)]) % spaces
        if 1 <= steps <= 6:
            dice.append(DieElement(value=steps, roll=1, seat=f"s{index + 1}"))
    return Scene(title=_t("Elämän värit", "Livets färger", "Colours of life"), layout="board",
                 elements=[*dice,
                     BoardElement(spaces=board_spaces, tokens=token_list, highlight=highlight),
                     CardElement(title=_t("Aino"), body=PROMPT,
                                 theme=ThemeBadge(id=theme_id, name=name, colour=colour,
                                                  icon=icon),
                                 card_kind=_t("Kysymys", "Fråga", "Question")),
                     roster(tokens, turn=4, statuses={1: SeatStatus.passed,
                                                      2: SeatStatus.answered},
                            away=(9,)),
                     ProgressElement(done=2, total=5, label=_t("Kierros 2/5", "Runda 2/5",
                                                                 "Round 2 of 5")),
                 ])


def _lobby(count: int) -> Scene:
    elements: list[Any] = [
        JoinCardElement(code="KX7PM", url="http://192.168.1.20:5000/j/KX7PM"),
        roster(count, turn=None)]
    if count == 0:
        elements.append(TextBlockElement(
            text=_t("Kukaan ei ole vielä liittynyt.", "Ingen har anslutit ännu.",
                    "Nobody has joined yet."), style="note"))
    return Scene(title=_t("Kierros", "Rundan", "Round of the circle"), layout="lobby",
                 elements=elements)


#: Every reaction, with counts of one and two digits: the widest the reactions get.
REACTIONS = {"heart": 11, "me_too": 4, "clap": 12, "thanks": 2}


def reactions(seat: str = "s2", counts: dict[str, int] | None = None) -> ReactionsElement:
    """What the speaker ``seat`` has received this turn (all four reactions by default)."""
    return ReactionsElement(seat=seat, counts=reaction_counts(counts or REACTIONS))


def _card_scene(long: bool = False, *, timer: bool = True, seats: int = 5,
                reacted: bool = False) -> Scene:
    elements: list[Any] = [
        CardElement(title=_t("Bashir"), body=LONG_PROMPT if long else PROMPT,
                    theme=ThemeBadge(id="feelings", name=THEMES[3][3], colour="#CC79A7",
                                     icon="heart"),
                    card_kind=_t("Kysymys", "Fråga", "Question")),
        roster(seats, turn=1, statuses={0: SeatStatus.answered, 2: SeatStatus.passed},
               away=(4,)),
        ProgressElement(done=1, total=2, label=_t("Kierros 1/2", "Runda 1/2", "Round 1 of 2")),
    ]
    if reacted:
        elements.insert(1, reactions("s2"))
    if timer:
        elements.append(TimerElement(remaining_ms=83_000, total_ms=120_000, running=True))
    elements.append(TextBlockElement(
        title=_t("Vinkki ohjaajalta", "Tips från ledaren", "A hint from the leader"),
        text=_t("Voit kertoa pienenkin asian. Hyvä kahvi aamulla riittää.",
                "Du kan berätta något litet. En god kaffe på morgonen räcker.",
                "A small thing is fine. A good coffee in the morning is enough."),
        style="hint"))
    return Scene(title=_t("Kierros", "Rundan", "Round of the circle"), layout="card",
                 elements=elements)


def _tally() -> Scene:
    return Scene(title=_t("Yhteinen päätös", "Gemensamt beslut", "Deciding together"),
                 layout="card", elements=[
                     VoteTallyElement(
                         question=_t("Mitä teemme ensi viikolla?", "Vad gör vi nästa vecka?",
                                     "What shall we do next week?"),
                         rows=[VoteTallyRow(label=_t("Kävelylle puistoon", "Promenad i parken",
                                                     "A walk in the park"), count=4),
                               VoteTallyRow(label=_t("Leivotaan pullaa", "Vi bakar bullar",
                                                     "Bake buns"), count=2),
                               VoteTallyRow(label=_t("Elokuva", "Film", "A film"), count=1),
                               VoteTallyRow(label=_t("En osaa sanoa", "Vet inte",
                                                     "Can't say"), count=0)],
                         voters=8, voted=7),
                     roster(8, turn=None, statuses={i: SeatStatus.answered for i in range(7)}),
                 ])


def _story() -> Scene:
    return Scene(title=_t("Tarina: Matka saaristoon", "Berättelse: Resan till skärgården",
                          "Story: A trip to the archipelago"), layout="story", elements=[
        StoryPageElement(
            title=_t("Luku 2: Lautalla", "Kapitel 2: På färjan", "Chapter 2: On the ferry"),
            body=_t("Lautta lähti satamasta aamulla kello yhdeksän. Meri oli tyyni ja aurinko "
                    "paistoi. Leena seisoi kannella ja katseli, kuinka kaupunki jäi taakse. "
                    "Hän mietti, mitä saarella odottaisi. Vieressä istui vanha mies, joka "
                    "syötti lokeille leivänmuruja ja hymyili.\nMitä Leena voisi sanoa "
                    "miehelle?",
                    "Färjan lämnade hamnen klockan nio på morgonen. Havet var lugnt och solen "
                    "sken. Leena stod på däck och såg staden försvinna. Bredvid satt en gammal "
                    "man som matade måsarna och log.\nVad kunde Leena säga till mannen?",
                    "The ferry left the harbour at nine in the morning. The sea was calm and "
                    "the sun was shining. Leena stood on deck and watched the city fall "
                    "behind. An old man beside her fed the gulls and smiled.\nWhat could "
                    "Leena say to him?")),
        ProgressElement(done=2, total=6, label=_t("Luku 2/6", "Kapitel 2/6", "Chapter 2 of 6")),
        roster(4, turn=2),
    ])


def _locks() -> Scene:
    return Scene(title=_t("Pakohuone: Kadonnut avain", "Flyktrum: Den borttappade nyckeln",
                          "Escape room: The lost key"), layout="room", elements=[
        LockPanelElement(locks=[
            LockElement(id="a", label=_t("Kirjahylly", "Bokhyllan", "The bookshelf"),
                        solved=True),
            LockElement(id="b", label=_t("Vanha matkalaukku", "Den gamla resväskan",
                                         "The old suitcase")),
            LockElement(id="c", label=_t("Kello seinällä", "Klockan på väggen",
                                         "The clock on the wall")),
            LockElement(id="d", label=_t("Ovi ulos", "Dörren ut", "The door out"),
                        available=False),
        ]),
        TextBlockElement(text=_t("Etsikää vihjeitä yhdessä. Jokainen ratkaisu avaa lukon.",
                                 "Leta ledtrådar tillsammans. Varje lösning öppnar ett lås.",
                                 "Look for clues together. Each answer opens a lock."),
                         style="body"),
        ProgressElement(done=1, total=4, label=_t("Lukkoja auki 1/4", "Öppna lås 1/4",
                                                   "Locks open: 1 of 4")),
        TimerElement(remaining_ms=0, total_ms=600_000, running=True),
        roster(6, turn=None, statuses={0: SeatStatus.answered}),
    ])


def _closing() -> Scene:
    return Scene(title=_t("Kierros", "Rundan", "Round of the circle"), layout="closing",
                 elements=[
                     TextBlockElement(text=_t("Puhuimme 6 kysymyksestä yhdessä.",
                                              "Vi pratade om 6 frågor tillsammans.",
                                              "Together we talked about 6 questions."),
                                      title=_t("Kiitos kierroksesta!", "Tack för rundan!",
                                               "Thank you for the round!"), style="title"),
                     roster(5, turn=None),
                 ])


def _paused() -> Scene:
    scene = _card_scene(timer=False)
    return scene.model_copy(update={"overlay": PauseOverlay(
        title=_t("Tauko", "Paus", "Break"),
        body=_t("Peli on tauolla. Jatketaan pian.", "Spelet har paus. Vi fortsätter snart.",
                "The game is on a break. We will go on soon."))})


def _texts() -> Scene:
    return Scene(title=_t("Tervetuloa", "Välkommen", "Welcome"), layout="card", elements=[
        TextBlockElement(title=_t("Tänään", "I dag", "Today"),
                         text=_t("Ensin kierros, sitten kahvitauko ja lopuksi tarina.",
                                 "Först en runda, sedan kaffe och till sist en berättelse.",
                                 "First a round, then coffee, and last a story."),
                         style="body"),
        TextBlockElement(text=_t("Voit aina ohittaa vuorosi.", "Du kan alltid hoppa över.",
                                 "You can always pass your turn."), style="title"),
        TextBlockElement(text=_t("Puhelimen voi pitää äänettömällä.",
                                 "Telefonen kan vara på ljudlöst.",
                                 "Phones can stay on silent."), style="note"),
        ProgressElement(done=14, total=20),
    ])


def _face_down() -> Scene:
    return Scene(title=_t("Kierros", "Rundan", "Round of the circle"), layout="card",
                 elements=[CardElement(body=PROMPT, face_up=False), roster(3, turn=0)])


SAMPLES = {
    "lobby_empty": lambda: _lobby(0),
    "lobby_3": lambda: _lobby(3),
    "lobby_12": lambda: _lobby(12),
    "card": lambda: _card_scene(),
    "card_long": lambda: _card_scene(long=True),
    "card_face_down": _face_down,
    "board_12": lambda: board_scene(12),
    "board_reactions": lambda: board_scene(12).model_copy(update={"elements": [
        *board_scene(12).elements, reactions("s5")]}),
    "card_reactions_12": lambda: _card_scene(seats=12, reacted=True),
    "tally": _tally,
    "story": _story,
    "locks": _locks,
    "closing": _closing,
    "paused": _paused,
    "texts": _texts,
}


def sample(name: str) -> Scene:
    """The sample scene ``name`` (see :data:`SAMPLES`), made fresh."""
    return SAMPLES[name]()
