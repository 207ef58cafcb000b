"""Rules and views of Elämän värit: pure functions over :class:`EVState`.

A turn: roll the die on your tablet → your token moves → the space decides what happens: a
card of its theme, everyone answering, a free choice of theme, kind words, or a rest → you talk
(in the room, not in the app) → others may send supportive reactions → you, or the leader, end
the turn. You may always pass, or change the card once. Nobody is asked why.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine import (
    BoardElement,
    BoardSpace,
    ButtonControl,
    CardElement,
    ChoiceControl,
    Contribution,
    ContributionKind,
    Control,
    DieControl,
    DieElement,
    Flow,
    InfoRow,
    LocalizedText,
    Move,
    MoveContext,
    Option,
    Phase,
    PlannedMeeting,
    Programme,
    ProgressElement,
    Reaction,
    ReactionsControl,
    ReactionsElement,
    ReactionTallyControl,
    Scene,
    SetupContext,
    TableView,
    TextBlockElement,
    TextControl,
    ThemeBadge,
    Token,
    Who,
    define_game,
    reaction_counts,
    roster,
)

from . import words
from .content import ElamanVaritContent

SpaceKind = Literal["theme", "everyone", "free", "kind_words", "rest"]
Stage = Literal["roll", "card", "choose", "kind_words", "rest", "everyone"]
_SPECIALS: tuple[SpaceKind, ...] = ("everyone", "free", "kind_words", "rest")
_SPECIAL_LOOK = {  # colour and icon of the special spaces (never colour alone)
    "everyone": ("#0072B2", "people"),
    "free": ("#FFFFFF", "choice"),
    "kind_words": ("#D55E00", "speech"),
    "rest": ("#BBBBBB", "cup"),
}


def _label(fi: str, sv: str, en: str) -> dict[str, object]:
    return {"label": {"fi": fi, "sv": sv, "en": en}}


class EVOptions(BaseModel):
    """What the leader chooses when starting a table."""

    model_config = ConfigDict(extra="forbid")

    decks: list[str] = Field(default_factory=lambda: ["relationships", "parenthood", "family"],
                             min_length=1, json_schema_extra=_label(
                                 "Aiheet pelissä", "Teman i spelet", "Themes in play"))
    include_sensitive: bool = Field(default=False, json_schema_extra=_label(
        "Ota mukaan herkät kortit", "Ta med känsliga kort", "Include sensitive cards"))
    rounds: int | None = Field(default=3, ge=1, le=20, json_schema_extra=_label(
        "Kierroksia (tyhjä: ohjaaja lopettaa)", "Rundor (tomt: ledaren avslutar)",
        "Rounds (empty: the leader ends)"))
    """End after this many rounds (None: when the leader ends it or the time is up)."""
    minutes: int | None = Field(default=None, ge=5, le=180, json_schema_extra=_label(
        "Minuutteja enintään", "Högst minuter", "Minutes at most"))
    """End at the first turn that would begin after this many minutes."""
    board_size: int = Field(default=24, ge=12, le=40, json_schema_extra=_label(
        "Ruutuja laudalla", "Rutor på brädet", "Spaces on the board"))


class Space(BaseModel):
    kind: SpaceKind
    deck: str | None = None


class OwnCard(BaseModel):
    """A card the group wrote for this session (typed by the leader)."""

    id: str
    deck: str
    text: str


class EVState(BaseModel):
    decks: list[str]
    board: list[Space]
    positions: dict[str, int] = Field(default_factory=dict)
    piles: dict[str, list[str]] = Field(default_factory=dict)
    drawn: dict[str, int] = Field(default_factory=dict)
    own: dict[str, OwnCard] = Field(default_factory=dict)
    include_sensitive: bool = False
    stage: Stage = "roll"
    card: str | None = None
    deck: str | None = None
    redrawn: bool = False
    die: int | None = None
    rolls: int = 0
    roller: str | None = None
    talked: dict[str, int] = Field(default_factory=dict)
    """Cards talked about per theme: the closing screen's only figures (never per person)."""
    answered: int = 0
    reactions: dict[str, int] = Field(default_factory=dict)
    ends_at: datetime | None = None


class Value(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str = Field(min_length=1, max_length=40)


class ReactPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Reaction


class OwnCardPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=280, json_schema_extra=_label(
        "Kortin teksti", "Kortets text", "The card's text"))
    deck: str | None = Field(default=None, json_schema_extra=_label("Aihe", "Tema", "Theme"))


class SensitivePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: bool = Field(json_schema_extra=_label("Herkät kortit mukana", "Känsliga kort med",
                                                 "Sensitive cards in"))


# -- setup and drawing cards -------------------------------------------------------------------


def _board(decks: list[str], size: int) -> list[Space]:
    spaces: list[Space] = []
    theme = special = 0
    for index in range(size):
        if index % 6 == 5:
            spaces.append(Space(kind=_SPECIALS[special % len(_SPECIALS)]))
            special += 1
        else:
            spaces.append(Space(kind="theme", deck=decks[theme % len(decks)]))
            theme += 1
    return spaces


def _pile(content: ElamanVaritContent, deck: str, state: EVState) -> list[str]:
    cards = [c.id for c in content.decks[deck].cards
             if state.include_sensitive or not c.sensitive]
    return cards + [own.id for own in state.own.values() if own.deck == deck]


def setup(ctx: SetupContext) -> EVState:
    content: ElamanVaritContent = ctx.content
    options: EVOptions = ctx.options
    decks = [d for d in options.decks if d in content.decks] or sorted(content.decks)[:3]
    state = EVState(decks=decks, board=_board(decks, options.board_size),
                    include_sensitive=options.include_sensitive,
                    positions={seat: 0 for seat in ctx.seats})
    for deck in decks:
        state.piles[deck] = ctx.random.shuffled(_pile(content, deck, state))
        state.drawn[deck] = 0
    if options.minutes is not None:
        state.ends_at = ctx.now + timedelta(minutes=options.minutes)
    return state


def _draw(ctx: MoveContext[EVState], state: EVState, deck: str) -> None:
    pile = state.piles[deck]
    if not pile:
        pile.extend(ctx.random.shuffled(_pile(ctx.content, deck, state)))
    if state.drawn[deck] >= len(pile):
        state.piles[deck] = pile = ctx.random.shuffled(_pile(ctx.content, deck, state))
        state.drawn[deck] = 0
    state.card = pile[state.drawn[deck]]
    state.deck = deck
    state.drawn[deck] += 1


def _kind(view_content: ElamanVaritContent, state: EVState, card_id: str) -> str:
    if card_id in state.own:
        return "own"
    return view_content.card(card_id).kind


def _show(ctx: MoveContext[EVState], state: EVState, deck: str, everyone: bool = False) -> None:
    """Draw a card of ``deck``; an all-together card (or an everyone space) asks everyone."""
    _draw(ctx, state, deck)
    assert state.card is not None
    ctx.fact("card_shown", seat=ctx.current, card=state.card, deck=deck)
    if everyone or _kind(ctx.content, state, state.card) == "together":
        state.stage = "everyone"
        ctx.set_phase("everyone")
    else:
        state.stage = "card"


# -- moves -------------------------------------------------------------------------------------


def on_turn_begin(ctx: MoveContext[EVState], state: EVState) -> EVState:
    if state.ends_at is not None and ctx.view.now >= state.ends_at:
        ctx.end_game()  # the chosen time is up: end between turns, never mid-answer
        return state
    state.stage, state.card, state.deck = "roll", None, None
    state.redrawn = False
    state.reactions = {}
    if ctx.seat is not None and ctx.seat not in state.positions:
        state.positions[ctx.seat] = 0  # a late-comer starts at the start
    return state


def roll(ctx: MoveContext[EVState], state: EVState, payload: BaseModel) -> object:
    if state.stage != "roll":
        return ctx.refuse("elaman_varit.not_now", words.NOT_NOW)
    assert ctx.seat is not None
    state.die = ctx.random.die(6)
    state.rolls += 1
    state.roller = ctx.seat
    position = (state.positions.get(ctx.seat, 0) + state.die) % len(state.board)
    state.positions[ctx.seat] = position
    space = state.board[position]
    ctx.fact("die_rolled", seat=ctx.seat, value=state.die, space=position)
    if space.kind == "theme":
        assert space.deck is not None
        _show(ctx, state, space.deck)
    elif space.kind == "everyone":
        _show(ctx, state, ctx.random.choice(state.decks), everyone=True)
    elif space.kind == "free":
        state.stage = "choose"
    else:
        state.stage = space.kind
    return state


def choose(ctx: MoveContext[EVState], state: EVState, payload: Value) -> object:
    if state.stage != "choose":
        return ctx.refuse("elaman_varit.not_now", words.NOT_NOW)
    if payload.value not in state.decks:
        return ctx.refuse("elaman_varit.unknown_deck", words.UNKNOWN_DECK)
    ctx.fact("theme_chosen", seat=ctx.seat, deck=payload.value)
    _show(ctx, state, payload.value)
    return state


def done(ctx: MoveContext[EVState], state: EVState, payload: BaseModel) -> object:
    if state.stage not in ("card", "kind_words", "rest"):
        return ctx.refuse("elaman_varit.not_now", words.NOT_NOW)
    if state.stage == "card" and state.deck is not None:
        state.talked[state.deck] = state.talked.get(state.deck, 0) + 1
        ctx.fact("turn_taken", seat=ctx.seat, card=state.card, deck=state.deck)
    else:
        ctx.fact("turn_taken", seat=ctx.seat, space=state.stage)
    ctx.end_turn()
    return state


def redraw(ctx: MoveContext[EVState], state: EVState, payload: BaseModel) -> object:
    if state.stage != "card" or state.deck is None:
        return ctx.refuse("elaman_varit.not_now", words.NOT_NOW)
    if state.redrawn:
        return ctx.refuse("elaman_varit.already_redrawn", words.ALREADY_REDRAWN)
    state.redrawn = True
    ctx.fact("card_redrawn", seat=ctx.seat, card=state.card, deck=state.deck)
    _show(ctx, state, state.deck)
    return state


def answered(ctx: MoveContext[EVState], state: EVState, payload: BaseModel) -> EVState:
    state.answered += 1
    ctx.fact("everyone_answered", seat=ctx.seat, card=state.card, deck=state.deck)
    return state


def react(ctx: MoveContext[EVState], state: EVState, payload: ReactPayload) -> object:
    if state.stage not in ("card", "kind_words"):
        return ctx.refuse("elaman_varit.not_now", words.NOT_NOW)
    kind = payload.value.value
    state.reactions[kind] = state.reactions.get(kind, 0) + 1
    ctx.fact("reaction_sent", seat=ctx.seat, to=ctx.current, reaction=kind)
    if ctx.current is not None:
        ctx.fact("reaction_received", seat=ctx.current, reaction=kind)
    return state


def everyone_done(ctx: MoveContext[EVState], state: EVState) -> EVState:
    if state.answered and state.deck is not None:
        state.talked[state.deck] = state.talked.get(state.deck, 0) + 1
    # The roll that drew the everyone card was the roller's turn: it counts as one taken, as
    # a card talked about alone does. Tables begun by version 1 did not record it, and their
    # logs must replay exactly as written.
    if state.roller is not None and ctx.view.meta.game_version >= 2:
        ctx.fact("turn_taken", seat=state.roller, card=state.card, deck=state.deck,
                 everyone=True)
    state.answered = 0
    state.stage, state.card = "roll", None
    ctx.set_phase("play")
    return state


def skip_card(ctx: MoveContext[EVState], state: EVState, payload: BaseModel) -> object:
    if state.deck is None or state.stage not in ("card", "everyone"):
        return ctx.refuse("elaman_varit.not_now", words.NOT_NOW)
    ctx.fact("card_skipped_by_leader", seat=ctx.current, card=state.card, deck=state.deck)
    _draw(ctx, state, state.deck)
    return state


def add_card(ctx: MoveContext[EVState], state: EVState, payload: OwnCardPayload) -> object:
    deck = payload.deck or state.deck or state.decks[0]
    if deck not in state.decks:
        return ctx.refuse("elaman_varit.unknown_deck", words.UNKNOWN_DECK)
    card = OwnCard(id=f"own-{len(state.own) + 1}", deck=deck, text=" ".join(payload.text.split()))
    state.own[card.id] = card
    pile = state.piles[deck]
    # Shuffled in among the cards not drawn yet, so it comes up during this session.
    position = ctx.random.randint(state.drawn[deck], len(pile))
    pile.insert(position, card.id)
    ctx.fact("own_card_added", card=card.id, deck=deck)
    return state


def set_sensitive(ctx: MoveContext[EVState], state: EVState, payload: SensitivePayload) -> object:
    state.include_sensitive = payload.value
    for deck in state.decks:
        rest = _pile(ctx.content, deck, state)
        state.piles[deck] = ctx.random.shuffled(rest)
        state.drawn[deck] = 0
    ctx.fact("sensitive_cards", included=payload.value)
    return state


def choices(content: ElamanVaritContent) -> dict[str, list[Option]]:
    decks = [Option(value=d.id, label=d.name, icon=d.icon, colour=d.colour)
             for d in content.decks.values()]
    return {"decks": decks, "deck": decks}


def end_if(view: TableView[EVState]) -> bool:
    options: EVOptions = view.options
    return options.rounds is not None and view.round > options.rounds


# -- views -------------------------------------------------------------------------------------


def _card_text(view: TableView[EVState], card_id: str) -> LocalizedText:
    own = view.state.own.get(card_id)
    if own is not None:
        return LocalizedText.of(own.text)
    content: ElamanVaritContent = view.content
    return content.card(card_id).text


def _badge(view: TableView[EVState], deck: str) -> ThemeBadge:
    d = view.content.decks[deck]
    return ThemeBadge(id=d.id, name=d.name, colour=d.colour, icon=d.icon)


@lru_cache(maxsize=64)
def _turn_of(name: str) -> LocalizedText:
    return words.TURN_OF.format(name=name)


def _spaces(view: TableView[EVState]) -> list[BoardSpace]:
    out = []
    for space in view.state.board:
        if space.kind == "theme" and space.deck is not None:
            deck = view.content.decks[space.deck]
            out.append(BoardSpace(theme=deck.id, colour=deck.colour, icon=deck.icon,
                                  label=deck.name))
        else:
            colour, icon = _SPECIAL_LOOK[space.kind]
            out.append(BoardSpace(theme=space.kind, colour=colour, icon=icon,
                                  label=words.SPACE[space.kind]))
    return out


def scene(view: TableView[EVState]) -> Scene:
    state = view.state
    if view.ended:
        total = sum(state.talked.values())
        elements: list[object] = [TextBlockElement(title=words.THANKS, style="title",
                                                   text=words.TALKED_TOTAL.format(n=total))]
        for deck in state.decks:
            if state.talked.get(deck):
                name = view.content.decks[deck].name
                lines = {lang: words.TALKED_THEME[lang].format(theme=name.pick(lang),
                                                               n=state.talked[deck])
                         for lang in words.TALKED_THEME.languages()}
                elements.append(TextBlockElement(text=LocalizedText(lines), style="body"))
        return Scene(title=words.TITLE, layout="closing", elements=elements)  # type: ignore[arg-type]
    seats = {s.id for s in view.seats()}
    tokens = [Token(seat=seat, space=pos) for seat, pos in state.positions.items()
              if seat in seats]
    mover = view.current or state.roller
    highlight = state.positions.get(mover) if mover is not None else None
    elements = [BoardElement(spaces=_spaces(view), tokens=tokens, highlight=highlight)]
    if state.die is not None:
        elements.append(DieElement(value=state.die, roll=state.rolls, seat=state.roller))
    if state.card is not None and state.deck is not None:
        title = (words.EVERYONE_TITLE if state.stage == "everyone"
                 else LocalizedText.of(view.nickname(view.current)))
        elements.append(CardElement(title=title, body=_card_text(view, state.card),
                                    theme=_badge(view, state.deck),
                                    card_kind=words.KIND[_kind(view.content, state, state.card)]))
    elif state.stage == "roll" and view.current is not None:
        name = view.nickname(view.current)
        elements.append(TextBlockElement(title=LocalizedText.of(name),
                                         text=words.ROLLING.format(name=name)))
    elif state.stage in ("kind_words", "rest", "choose") and view.current is not None:
        elements.append(TextBlockElement(title=words.SPACE["free" if state.stage == "choose"
                                                           else state.stage],
                                         text=words.SPACE_TEXT[
                                             "free" if state.stage == "choose" else state.stage]))
    if state.reactions and view.current is not None:  # counts and icons, never who sent them
        elements.append(ReactionsElement(seat=view.current,
                                         counts=reaction_counts(state.reactions)))
    elements.append(roster(view))
    options: EVOptions = view.options
    if options.rounds is not None:
        n = min(view.round, options.rounds)
        elements.append(ProgressElement(done=n, total=options.rounds,
                                        label=words.ROUND.format(n=n, total=options.rounds)))
    return Scene(title=words.TITLE, layout="board", elements=elements)  # type: ignore[arg-type]


def controls(view: TableView[EVState], seat: str) -> list[Control]:
    state = view.state
    if state.stage == "everyone":
        if state.card is None:
            return []
        card = TextControl(text=_card_text(view, state.card), style="card",
                           title=words.EVERYONE_TITLE, colour=_badge(view, state.deck or "").colour
                           if state.deck else None)
        if seat in view.waiting():
            return [card, ButtonControl(move="answered", label=words.ANSWERED)]
        return [card]
    if seat != view.current:
        items: list[Control] = [TextControl(text=_turn_of(view.nickname(view.current)))]
        if state.card is not None and state.stage == "card":
            items.append(TextControl(text=_card_text(view, state.card), style="card"))
        if state.stage in ("card", "kind_words"):
            items.append(ReactionsControl(move="react"))
        return items
    if state.stage == "roll":
        return [TextControl(text=words.ROLL_PROMPT, style="title"),
                DieControl(move="roll", label=words.ROLL)]
    if state.stage == "choose":
        options = [Option(value=d, label=view.content.decks[d].name,
                          icon=view.content.decks[d].icon, colour=view.content.decks[d].colour)
                   for d in state.decks]
        return [TextControl(text=words.SPACE_TEXT["free"]),
                ChoiceControl(move="choose", options=options)]
    if state.stage in ("kind_words", "rest"):
        label = words.GO_ON if state.stage == "rest" else words.DONE
        return [TextControl(text=words.SPACE_TEXT[state.stage], title=words.SPACE[state.stage]),
                ButtonControl(move="done", label=label), *_received(state)]
    if state.card is None or state.deck is None:
        return []
    deck = view.content.decks[state.deck]
    items = [TextControl(text=_card_text(view, state.card), style="card", colour=deck.colour,
                         icon=deck.icon, title=words.KIND[_kind(view.content, state, state.card)]),
             ButtonControl(move="done", label=words.DONE)]
    if not state.redrawn:
        items.append(ButtonControl(move="redraw", label=words.ANOTHER, tone="secondary"))
    return items + _received(state)


def _received(state: EVState) -> list[Control]:
    """The speaker's own view of the reactions sent to them this turn (counts, no names)."""
    if not state.reactions:
        return []
    return [ReactionTallyControl(counts=reaction_counts(state.reactions))]


def facilitator(view: TableView[EVState]) -> list[InfoRow]:
    state = view.state
    names = LocalizedText({lang: ", ".join(view.content.decks[d].name.pick(lang)
                                          for d in state.decks)
                           for lang in ("fi", "sv", "en", "fi-x-selko")})
    return [InfoRow(label=words.CARDS_TALKED, value=str(sum(state.talked.values()))),
            InfoRow(label=words.DECKS_IN_PLAY, value=names)]


def programme(content: ElamanVaritContent) -> Programme:
    """The programme of meetings in ``programme.yaml``, each with its theme and decks."""
    return Programme(title=content.programme.name, meetings=tuple(
        PlannedMeeting(theme=m.theme, options={"decks": list(m.decks)},
                       leader_note=m.leader_note)
        for m in sorted(content.programme.meetings, key=lambda m: m.number)))


module = define_game(
    id="elaman_varit",
    version=2,
    replays_versions=frozenset({1}),
    title=words.TITLE,
    description=words.DESCRIPTION,
    min_seats=1,
    max_seats=12,
    state_type=EVState,
    options_type=EVOptions,
    content_type=ElamanVaritContent,
    content_dir="elaman_varit",
    setup=setup,
    moves={
        "roll": Move(roll),
        "choose": Move(choose, payload=Value),
        "done": Move(done),
        "redraw": Move(redraw),
        "react": Move(react, payload=ReactPayload, who=Who.others),
        "answered": Move(answered, ends_turn=True),
        "skip_card": Move(skip_card, who=Who.facilitator, label=words.SKIP_CARD),
        "add_card": Move(add_card, payload=OwnCardPayload, who=Who.facilitator,
                         label=words.ADD_CARD),
        "set_sensitive": Move(set_sensitive, payload=SensitivePayload, who=Who.facilitator,
                              label=words.SENSITIVE_ON),
    },
    phases={
        "play": Phase(flow=Flow.turns, moves=frozenset({
            "roll", "choose", "done", "redraw", "react", "skip_card", "add_card",
            "set_sensitive"})),
        "everyone": Phase(flow=Flow.together, on_end=everyone_done, moves=frozenset({
            "answered", "skip_card", "add_card", "set_sensitive"})),
    },
    on_turn_begin=on_turn_begin,
    end_if=end_if,
    scene=scene,
    controls=controls,
    facilitator=facilitator,
    choices=choices,
    contributions={
        "turn_taken": Contribution(ContributionKind.turns, words.TURNS_TAKEN),
        "everyone_answered": Contribution(ContributionKind.answers, words.ANSWERS),
        "reaction_sent": Contribution(ContributionKind.reactions, words.ENCOURAGEMENTS),
    },
    programme=programme,
)
