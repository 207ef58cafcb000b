"""Rules and views of the circle game: pure functions over :class:`CircleState`."""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from engine import (
    ButtonControl,
    CardElement,
    ContentFile,
    Contribution,
    ContributionKind,
    Control,
    InfoRow,
    LocalizedText,
    Move,
    MoveContext,
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
    Who,
    define_game,
    reaction_counts,
    roster,
)
from engine.content import unique_ids

from . import words


class Prompt(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    sensitive: bool = False
    text: LocalizedText


class PromptFile(ContentFile):
    title: LocalizedText
    description: LocalizedText
    prompts: list[Prompt] = Field(min_length=1)

    @field_validator("prompts")
    @classmethod
    def _unique(cls, prompts: list[Prompt]) -> list[Prompt]:
        return unique_ids(prompts)


class CircleContent(BaseModel):
    """``content/circle/``: the prompts file."""

    model_config = ConfigDict(extra="forbid")

    prompts: PromptFile

    def prompt(self, prompt_id: str) -> Prompt:
        # Looked up for the speaker's and the listeners' tablets after every turn: by an index
        # made once per content (content is never changed once loaded).
        kept = _PROMPTS.get(id(self))
        if kept is None or kept[0] is not self:
            if len(_PROMPTS) >= 64:
                _PROMPTS.clear()
            kept = _PROMPTS[id(self)] = (self, {p.id: p for p in self.prompts.prompts})
        return kept[1][prompt_id]


_PROMPTS: dict[int, tuple[CircleContent, dict[str, Prompt]]] = {}


class CircleOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rounds: int = Field(default=2, ge=1, le=10, json_schema_extra={"label": {
        "fi": "Kierroksia", "sv": "Rundor", "en": "Rounds"}})
    include_sensitive: bool = Field(default=False, json_schema_extra={"label": {
        "fi": "Ota mukaan herkät kysymykset", "sv": "Ta med känsliga frågor",
        "en": "Include sensitive prompts"}})


class CircleState(BaseModel):
    deck: list[str] = Field(default_factory=list)
    drawn: int = 0
    prompt: str | None = None
    redrawn: bool = False
    talked: int = 0
    reactions: dict[str, int] = Field(default_factory=dict)
    """Reactions to the current speaker, by kind (counts only, never by sender)."""


class ReactPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Reaction


def _draw(ctx: MoveContext[CircleState], state: CircleState) -> None:
    if state.drawn >= len(state.deck):
        state.deck = ctx.random.shuffled(state.deck)
        state.drawn = 0
    state.prompt = state.deck[state.drawn]
    state.drawn += 1


def setup(ctx: SetupContext) -> CircleState:
    content: CircleContent = ctx.content
    options: CircleOptions = ctx.options
    ids = [p.id for p in content.prompts.prompts if options.include_sensitive or not p.sensitive]
    return CircleState(deck=ctx.random.shuffled(ids))


def on_turn_begin(ctx: MoveContext[CircleState], state: CircleState) -> CircleState:
    _draw(ctx, state)
    state.redrawn = False
    state.reactions = {}
    ctx.fact("card_shown", seat=ctx.seat, card=state.prompt)
    return state


def done(ctx: MoveContext[CircleState], state: CircleState, payload: BaseModel) -> CircleState:
    state.talked += 1
    ctx.fact("turn_taken", seat=ctx.seat, card=state.prompt)
    return state


def redraw(ctx: MoveContext[CircleState], state: CircleState,
           payload: BaseModel) -> CircleState | object:
    if state.redrawn:
        return ctx.refuse("already_redrawn", words.ALREADY_REDRAWN)
    state.redrawn = True
    _draw(ctx, state)
    ctx.fact("card_redrawn", seat=ctx.seat, card=state.prompt)
    return state


def react(ctx: MoveContext[CircleState], state: CircleState,
          payload: ReactPayload) -> CircleState:
    kind = payload.value.value
    state.reactions[kind] = state.reactions.get(kind, 0) + 1
    ctx.fact("reaction_sent", seat=ctx.seat, to=ctx.current, reaction=kind)
    if ctx.current is not None:
        ctx.fact("reaction_received", seat=ctx.current, reaction=kind)
    return state


def new_prompt(ctx: MoveContext[CircleState], state: CircleState,
               payload: BaseModel) -> CircleState:
    _draw(ctx, state)
    ctx.fact("card_skipped_by_leader", seat=ctx.current, card=state.prompt)
    return state


def end_if(view: TableView[CircleState]) -> bool:
    options: CircleOptions = view.options
    return view.round > options.rounds


def scene(view: TableView[CircleState]) -> Scene:
    state = view.state
    options: CircleOptions = view.options
    content: CircleContent = view.content
    if view.ended:
        return Scene(title=words.TITLE, layout="closing", elements=[
            TextBlockElement(text=words.TALKED.format(n=state.talked), title=words.THANKS,
                             style="title"),
        ])
    elements: list[object] = []
    if state.prompt is not None and view.current is not None:
        elements.append(_card(content, view.nickname(view.current), state.prompt))
        if state.reactions:  # counts and icons only, never who sent them
            elements.append(_reactions(view.current, tuple(state.reactions.items())))
    elements.append(roster(view, shared=True))  # shown as it is, never changed here
    elements.append(_progress(min(view.round, options.rounds), options.rounds))
    return Scene(title=words.TITLE, layout="card", elements=elements)  # type: ignore[arg-type]


# A scene's elements are made once for what they show and shared between scenes (a view is
# never changed in place): a speaker's card stays the same for the whole turn.
_CARDS: dict[tuple[str, str], tuple[CircleContent, CardElement]] = {}


def _card(content: CircleContent, name: str, prompt: str) -> CardElement:
    kept = _CARDS.get((name, prompt))
    if kept is not None and kept[0] is content:
        return kept[1]
    card = CardElement(title=LocalizedText.of(name), body=content.prompt(prompt).text)
    if len(_CARDS) >= 1024:
        _CARDS.clear()
    _CARDS[(name, prompt)] = (content, card)
    return card


@lru_cache(maxsize=256)
def _reactions(seat: str, counts: tuple[tuple[str, int], ...]) -> ReactionsElement:
    return ReactionsElement(seat=seat, counts=reaction_counts(dict(counts)))


@lru_cache(maxsize=128)
def _progress(done: int, total: int) -> ProgressElement:
    # The same line for every move of a round: made once (a scene is never changed in place).
    return ProgressElement(done=done, total=total, label=words.ROUND.format(n=done, total=total))


def controls(view: TableView[CircleState], seat: str) -> list[Control]:
    state = view.state
    content: CircleContent = view.content
    if state.prompt is None or view.current is None:
        return []
    card = TextControl(text=content.prompt(state.prompt).text, style="card")
    if seat == view.current:
        items: list[Control] = [card, _DONE]
        if not state.redrawn:
            items.append(_ANOTHER)
        if state.reactions:
            items.append(ReactionTallyControl(counts=reaction_counts(state.reactions)))
        return items
    return [_speaking(view.nickname(view.current)), card, _REACT]


def controls_key(view: TableView[CircleState], seat: str) -> tuple[object, ...]:
    """Everything :func:`controls` reads: the speaker sees the card and their buttons, every
    listener the same three lines (so their tablets share one set of controls). The speaker
    is named by seat: a seat keeps its name at a table, and keys are kept per table."""
    state = view.state
    current = view.current
    if state.prompt is None or current is None:
        return ("nothing",)
    if seat == current:
        return ("speaker", state.prompt, state.redrawn, tuple(sorted(state.reactions.items())))
    return ("listener", state.prompt, current)


# The controls that are always the same, made once (views are never changed in place).
_DONE = ButtonControl(move="done", label=words.DONE)
_ANOTHER = ButtonControl(move="redraw", label=words.ANOTHER, tone="secondary")
_REACT = ReactionsControl(move="react")


@lru_cache(maxsize=256)
def _speaking(name: str) -> TextControl:
    # Every listener's tablet shows this line after every turn; made once per name.
    return TextControl(text=words.SPEAKING.format(name=name))


def facilitator(view: TableView[CircleState]) -> list[InfoRow]:
    state = view.state
    return [
        InfoRow(label=words.TALKED_INFO, value=str(state.talked)),
        InfoRow(label=words.REACTIONS_INFO, value=str(sum(state.reactions.values()))),
    ]


module = define_game(
    id="circle",
    version=1,
    title=words.TITLE,
    description=words.DESCRIPTION,
    min_seats=1,
    max_seats=12,
    state_type=CircleState,
    options_type=CircleOptions,
    content_type=CircleContent,
    content_dir="circle",
    setup=setup,
    moves={
        "done": Move(done, ends_turn=True),
        "redraw": Move(redraw),
        "react": Move(react, payload=ReactPayload, who=Who.others),
        "new_prompt": Move(new_prompt, who=Who.facilitator, label=words.NEW_PROMPT),
    },
    on_turn_begin=on_turn_begin,
    end_if=end_if,
    scene=scene,
    controls=controls,
    controls_key=controls_key,
    facilitator=facilitator,
    contributions={
        "turn_taken": Contribution(ContributionKind.turns, words.TURNS_TAKEN),
        "reaction_sent": Contribution(ContributionKind.reactions, words.ENCOURAGEMENTS),
    },
)
