"""Rules and views of the workshop: the group writes its own content for another activity.

Every seat writes proposals through the engine's one proposal path (:mod:`engine.proposals`):
the leader reads each one first in the panel's queue, and only an accepted one reaches the
game, the shared screen and the other tablets. What a proposal becomes is read from the target
activity's own content models (:mod:`games.workshop.targets`). The screen never names a writer
unless that writer chose so on their own tablet.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from engine import (
    ButtonControl,
    CardElement,
    ChoiceControl,
    ContentFile,
    Contribution,
    ContributionKind,
    Control,
    Flow,
    InfoRow,
    LocalizedText,
    Move,
    MoveContext,
    Option,
    Phase,
    ProgressElement,
    Proposal,
    Proposals,
    Scene,
    SetupContext,
    TableView,
    TextBlockElement,
    TextControl,
    Who,
    define_game,
    roster,
)

from . import words
from .targets import TargetError, target

__all__ = ["Made", "WorkshopContent", "WorkshopOptions", "WorkshopState", "module"]

#: The activities a workshop can make now.
TARGETS = ("elaman_varit", "circle", "escape_room", "story")
_LANGS = Literal["fi", "sv", "en", "fi-x-selko"]


class Starter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: LocalizedText


class StarterFile(ContentFile):
    """``content/workshop/starters.yaml``: sentence starters a participant may begin with."""

    starters: list[Starter] = Field(min_length=1)
    scenes: list[Starter] = Field(default_factory=list)
    """Starters for a scene of a story and its choices."""


class WorkshopContent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starters: StarterFile


def _label(fi: str, sv: str, en: str) -> dict[str, Any]:
    return {"label": {"fi": fi, "sv": sv, "en": en}}


class Earlier(BaseModel):
    """An item the group made before this table (coming back to the workshop after trying the
    draft), as the draft holds it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)
    kind: str | None = None
    by: str | None = Field(default=None, max_length=40)
    """The maker's chosen name, only when they chose to be named."""
    choices: list[str] = Field(default_factory=list, max_length=3)
    """A story scene's choices."""


class WorkshopOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(default="elaman_varit", json_schema_extra=_label(
        "Mitä tehdään", "Vad vi gör", "What we make"))
    name: str = Field(default="Oma pakka", min_length=1, max_length=60, json_schema_extra=_label(
        "Ryhmän nimi tekeleelle", "Gruppens namn på det", "The group's name for it"))
    language: _LANGS = Field(default="fi", json_schema_extra=_label(
        "Kieli", "Språk", "Language"))
    goal: int = Field(default=6, ge=1, le=40, json_schema_extra=_label(
        "Tavoite (kpl)", "Mål (st)", "Goal (how many)"))
    # Set by the panel when the group comes back to writing, never in the leader's form.
    earlier: SkipJsonSchema[list[Earlier]] = Field(default_factory=list, max_length=400)
    """What the group has made already: shown as made, counted in the progress."""
    credited: SkipJsonSchema[list[str]] = Field(default_factory=list, max_length=40)
    """The nicknames that chose at the workshop before to be named with what they make (a
    seat's own choice at this table goes first)."""

    @field_validator("target")
    @classmethod
    def _makeable(cls, value: str) -> str:
        if value not in TARGETS:
            raise ValueError(f"a workshop makes one of: {', '.join(TARGETS)}")
        try:
            target(value)
        except TargetError as error:
            raise ValueError(str(error)) from None
        return value


class Made(BaseModel):
    """One accepted proposal, as the target's item will hold it (a lock: its last part)."""

    proposal: int
    seat: str
    text: str
    kind: str | None = None
    answer: str | None = None
    """A lock's answer (never on the shared screen)."""
    clues: list[str] = Field(default_factory=list)
    hint: str | None = None
    thumbs: dict[str, int] = Field(default_factory=dict)
    """Each seat's thumb on it (+1 or -1); shown as counts only."""
    by: str | None = None
    """For an item made before this table: its maker's chosen name, if they chose one."""
    choices: list[str] = Field(default_factory=list)
    """A story scene's choices (its text is ``text``)."""


class Translation(BaseModel):
    """An accepted proposal that gives a made item's text in another language."""

    proposal: int
    item: int
    """The made item's ``proposal`` number."""
    language: str
    text: str


class Translating(BaseModel):
    """A seat writing a made item in another language (the language once chosen)."""

    item: int
    language: str | None = None


#: The most clues one proposed lock has.
MAX_CLUES = 3
#: The least and most choices one proposed story scene has.
MIN_CHOICES, MAX_CHOICES = 2, 3
#: The languages a made item may be written in.
LANGUAGES = ("fi", "sv", "en", "fi-x-selko")


class LockForm(BaseModel):
    """A lock a seat is proposing, part by part: each part is a proposal the leader reads
    first; only accepted parts are kept here (and shown only on the writer's own tablet)."""

    answer: str | None = None
    clues: list[str] = Field(default_factory=list)
    clues_done: bool = False

    def part(self) -> Literal["answer", "clue", "hint"]:
        if self.answer is None:
            return "answer"
        return "hint" if self.clues_done or len(self.clues) >= MAX_CLUES else "clue"

    def empty(self) -> bool:
        return self.answer is None


class SceneForm(BaseModel):
    """A story scene a seat is proposing: its text, then its choices, each a proposal the
    leader reads first (only accepted parts are kept, shown only on the writer's tablet)."""

    text: str | None = None
    choices: list[str] = Field(default_factory=list)
    want: int = MIN_CHOICES
    """How many choices the writer gives it."""

    def empty(self) -> bool:
        return self.text is None


class WorkshopState(BaseModel):
    made: list[Made] = Field(default_factory=list)
    locks: dict[str, LockForm] = Field(default_factory=dict)
    """Each seat's lock in the making (when the workshop makes locks)."""
    kind: dict[str, str] = Field(default_factory=dict)
    """The kind each seat is writing now."""
    credit: dict[str, bool] = Field(default_factory=dict)
    """Seats that chose, on their own tablet, to be named with what they made."""
    scenes: dict[str, SceneForm] = Field(default_factory=dict)
    """Each seat's story scene in the making (when the workshop makes a story)."""
    translating: dict[str, Translating] = Field(default_factory=dict)
    """Seats writing a made item in another language."""
    translations: list[Translation] = Field(default_factory=list)


class KindPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str


class CreditPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Literal["yes", "no"]


class CountPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Literal["2", "3"]


class ItemPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: int


class LanguagePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: Literal["fi", "sv", "en", "fi-x-selko"]


class ThumbPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: int
    value: Literal["up", "down"]


def _kinds(view: TableView[Any]) -> tuple[str, ...]:
    return target(view.options.target).kinds


def _pending(view: TableView[Any], seat: str) -> bool:
    return any(p.status == "pending" for p in view.meta.proposals.of_seat(seat))


def setup(ctx: SetupContext) -> WorkshopState:
    # Items made before get numbers below zero: a proposal's number is never one of them.
    return WorkshopState(made=[
        Made(proposal=-n, seat="", text=item.text, kind=item.kind, by=item.by,
             choices=item.choices)
        for n, item in enumerate(ctx.options.earlier, start=1)])


def choose_kind(ctx: MoveContext[WorkshopState], state: WorkshopState,
                payload: KindPayload) -> Any:
    if payload.value not in _kinds(ctx.view):
        return ctx.refuse("workshop.no_such_kind", words.NO_SUCH_KIND)
    assert ctx.seat is not None
    if _pending(ctx.view, ctx.seat):  # the kind is read when the proposal is accepted
        return ctx.refuse("workshop.wait", words.WAIT_FOR_LEADER)
    form = state.locks.get(ctx.seat)
    if form is not None and not form.empty():  # its answer was written for this kind
        return ctx.refuse("workshop.finish_lock", words.FINISH_LOCK_FIRST)
    state.kind[ctx.seat] = payload.value
    return state


def clues_done(ctx: MoveContext[WorkshopState], state: WorkshopState, payload: Any) -> Any:
    """Enough clues: the seat goes on to the lock's hint."""
    assert ctx.seat is not None
    form = state.locks.get(ctx.seat)
    kind = state.kind.get(ctx.seat, "")
    if form is None or form.part() != "clue" or _pending(ctx.view, ctx.seat) \
            or len(form.clues) < _shape(ctx.view).min_clues(kind):
        return ctx.refuse("workshop.not_now", words.NOT_NOW)
    form.clues_done = True
    return state


def scene_choices(ctx: MoveContext[WorkshopState], state: WorkshopState,
                  payload: CountPayload) -> Any:
    """How many choices the seat's scene will have (two or three)."""
    assert ctx.seat is not None
    want = int(payload.value)
    form = state.scenes.get(ctx.seat, SceneForm())
    if not _shape(ctx.view).story or _pending(ctx.view, ctx.seat):
        return ctx.refuse("workshop.not_now", words.NOT_NOW)
    if want <= len(form.choices):  # it would be whole without its last proposal read
        return ctx.refuse("workshop.finish_scene", words.FINISH_SCENE_FIRST)
    form.want = want
    state.scenes[ctx.seat] = form
    return state


def translate(ctx: MoveContext[WorkshopState], state: WorkshopState,
              payload: ItemPayload) -> Any:
    """The seat starts writing a made item in another language (a proposal like any other)."""
    assert ctx.seat is not None
    if not _translatable(ctx.view) or _pending(ctx.view, ctx.seat):
        return ctx.refuse("workshop.not_now", words.NOT_NOW)
    if not any(m.proposal == payload.item for m in state.made):
        return ctx.refuse("workshop.no_such_item", words.NO_SUCH_ITEM)
    state.translating[ctx.seat] = Translating(item=payload.item)
    return state


def translate_to(ctx: MoveContext[WorkshopState], state: WorkshopState,
                 payload: LanguagePayload) -> Any:
    assert ctx.seat is not None
    chosen = state.translating.get(ctx.seat)
    if chosen is None or _pending(ctx.view, ctx.seat):
        return ctx.refuse("workshop.not_now", words.NOT_NOW)
    if payload.value == ctx.view.options.language:  # the item is written in it already
        return ctx.refuse("workshop.same_language", words.NOT_NOW)
    chosen.language = payload.value
    return state


def translate_back(ctx: MoveContext[WorkshopState], state: WorkshopState, payload: Any) -> Any:
    assert ctx.seat is not None
    if ctx.seat not in state.translating or _pending(ctx.view, ctx.seat):
        return ctx.refuse("workshop.not_now", words.NOT_NOW)
    del state.translating[ctx.seat]
    return state


def _translatable(view: TableView[Any]) -> bool:
    """Items of one text each (a card, a question, a story scene's text) can be written in
    another language on a tablet; a lock's parts are the leader's to translate."""
    return not _shape(view).lock


def credit(ctx: MoveContext[WorkshopState], state: WorkshopState,
           payload: CreditPayload) -> WorkshopState:
    assert ctx.seat is not None
    state.credit[ctx.seat] = payload.value == "yes"
    return state


def thumb(ctx: MoveContext[WorkshopState], state: WorkshopState, payload: ThumbPayload) -> Any:
    item = next((m for m in state.made if m.proposal == payload.item), None)
    if item is None:
        return ctx.refuse("workshop.no_such_item", words.NO_SUCH_ITEM)
    assert ctx.seat is not None
    item.thumbs[ctx.seat] = 1 if payload.value == "up" else -1
    return state


def proposals_open(view: TableView[WorkshopState], seat: str) -> bool:
    translating = view.state.translating.get(seat)
    if translating is not None:
        return translating.language is not None
    return not _kinds(view) or seat in view.state.kind


def _shape(view: TableView[Any]) -> Any:
    return target(view.options.target)


def on_accepted(ctx: MoveContext[WorkshopState], state: WorkshopState,
                proposal: Proposal) -> Any:
    kind = state.kind.get(proposal.seat)
    shape = _shape(ctx.view)
    translating = state.translating.pop(proposal.seat, None)
    if translating is not None and translating.language is not None:
        state.translations.append(Translation(proposal=proposal.id, item=translating.item,
                                              language=translating.language,
                                              text=proposal.text))
        return state
    if shape.story:
        scene = state.scenes.setdefault(proposal.seat, SceneForm())
        if scene.text is None:
            scene.text = proposal.text
            return state
        scene.choices.append(proposal.text)
        if len(scene.choices) >= scene.want:  # the scene is whole
            state.made.append(Made(proposal=proposal.id, seat=proposal.seat, text=scene.text,
                                   choices=scene.choices))
            del state.scenes[proposal.seat]
        return state
    if not shape.lock:
        state.made.append(Made(proposal=proposal.id, seat=proposal.seat, text=proposal.text,
                               kind=kind))
        return state
    form = state.locks.setdefault(proposal.seat, LockForm())
    part = form.part()
    if part == "answer":
        if kind is None or shape.answer_shape(kind, proposal.text) is None:
            return ctx.refuse("workshop.answer_shape", words.ANSWER_SHAPE)
        form.answer = proposal.text
    elif part == "clue":
        form.clues.append(proposal.text)
    else:  # the hint: the lock is whole
        state.made.append(Made(proposal=proposal.id, seat=proposal.seat,
                               text=" · ".join(form.clues), kind=kind, answer=form.answer,
                               clues=form.clues, hint=proposal.text))
        del state.locks[proposal.seat]
    return state


def credits(view: TableView[WorkshopState], seat: str) -> bool:
    """Whether the seat chose to be named: at this table, else at the workshop before."""
    chosen = view.state.credit.get(seat)
    if chosen is None:
        return bool(seat) and view.nickname(seat) in view.options.credited
    return chosen


def credited_name(view: TableView[WorkshopState], item: Made) -> str | None:
    """The writer's nickname, only if they chose to be named."""
    if not item.seat:
        return item.by
    return view.nickname(item.seat) if credits(view, item.seat) else None


def _kind_words(kind: str | None) -> LocalizedText | None:
    if kind is None:
        return None
    return words.KINDS.get(kind, LocalizedText.of(kind))


def _body(item: Made) -> str:
    """An item as the screen and the tablets show it: a scene with its choices."""
    return f"{item.text} → {' / '.join(item.choices)}" if item.choices else item.text


def _thumbs(item: Made) -> LocalizedText:
    up = sum(1 for v in item.thumbs.values() if v > 0)
    return words.THUMBS.format(up=up, down=len(item.thumbs) - up)


def scene(view: TableView[WorkshopState]) -> Scene:
    state = view.state
    options: WorkshopOptions = view.options
    name = LocalizedText.of(options.name)
    done = len(state.made)
    if view.ended:
        return Scene(title=words.TITLE, layout="closing", elements=[
            TextBlockElement(text=words.MADE.format(n=done, name=options.name),
                             title=words.THANKS, style="title")])
    elements: list[Any] = [TextBlockElement(text=name, style="title")]
    if not state.made:
        elements.append(TextBlockElement(text=words.NOTHING_YET, style="note"))
    for item in state.made[-4:]:  # the latest few: readable from 5 m
        writer = credited_name(view, item)
        elements.append(CardElement(
            title=words.BY.format(name=writer) if writer else None,
            body=LocalizedText({options.language: _body(item)}),
            card_kind=_kind_words(item.kind)))
    elements.append(roster(view))
    elements.append(ProgressElement(done=min(done, options.goal), total=options.goal,
                                    label=words.PROGRESS.format(done=done, goal=options.goal)))
    return Scene(title=words.TITLE, layout="card", elements=elements)


def controls(view: TableView[WorkshopState], seat: str) -> list[Control]:
    state = view.state
    options: WorkshopOptions = view.options
    items: list[Control] = [TextControl(text=words.WRITE.format(name=options.name),
                                        style="title")]
    kinds = _kinds(view)
    shape = _shape(view)
    form = state.locks.get(seat, LockForm())
    translating = state.translating.get(seat)
    if translating is not None:
        return [*items, *_translate_controls(view, seat, translating)]
    if shape.story:
        items.extend(_scene_controls(view, seat, state.scenes.get(seat, SceneForm())))
    if kinds:
        chosen = state.kind.get(seat)
        if chosen is not None:
            items.append(TextControl(text=(words.LOCK_CHOSEN if shape.lock
                                           else words.KIND_CHOSEN).format(
                kind=(_kind_words(chosen) or LocalizedText.of(chosen)).pick(options.language))))
        if not _pending(view, seat) and form.empty():
            items.append(ChoiceControl(
                move="kind", label=words.PICK_LOCK if shape.lock else words.PICK_KIND,
                options=[Option(value=k, label=_kind_words(k) or LocalizedText.of(k))
                         for k in kinds]))
        if shape.lock and chosen is not None:
            items.extend(_lock_controls(view, seat, form, chosen))
    starters: WorkshopContent = view.content
    if not shape.lock:  # the starters begin a card or a question, not a lock's answer
        chosen_starters = starters.starters.scenes if shape.story and \
            starters.starters.scenes else starters.starters.starters
        items.append(TextControl(title=words.STARTERS, style="note", text=LocalizedText({
            lang: " / ".join(s.text.pick(lang) for s in chosen_starters)
            for lang in LANGUAGES})))
    items.append(ChoiceControl(move="credit", label=words.CREDIT, options=[
        Option(value="yes", label=words.CREDIT_YES), Option(value="no", label=words.CREDIT_NO)]))
    if seat in state.credit or view.nickname(seat) in options.credited:
        items.append(TextControl(style="note", text=words.CREDIT_ON if credits(view, seat)
                                 else words.CREDIT_OFF))
    translatable = _translatable(view) and not _pending(view, seat)
    for item in state.made[-3:]:
        items.append(TextControl(text=LocalizedText({options.language: _body(item)}),
                                 title=_thumbs(item), style="card"))
        items.append(ButtonControl(move="thumb", label=words.THUMB_UP, tone="secondary",
                                   payload={"item": item.proposal, "value": "up"}))
        items.append(ButtonControl(move="thumb", label=words.THUMB_DOWN, tone="secondary",
                                   payload={"item": item.proposal, "value": "down"}))
        if translatable:
            items.append(ButtonControl(move="translate", label=words.TRANSLATE,
                                       tone="secondary", payload={"item": item.proposal}))
    return items


def _scene_controls(view: TableView[WorkshopState], seat: str,
                    form: SceneForm) -> list[Control]:
    """The guided form of a story scene on its writer's own tablet: how many choices, which
    part to write now, and what is accepted so far."""
    items: list[Control] = []
    if not form.empty():
        items.append(TextControl(style="note", text=LocalizedText({
            lang: text.format(parts=" · ".join([form.text or "", *form.choices]))
            for lang, text in words.SCENE_SO_FAR.root.items()})))
    if not _pending(view, seat) and len(form.choices) < MIN_CHOICES:
        items.append(ChoiceControl(move="scene_choices", label=words.PICK_CHOICES, options=[
            Option(value=n, label=label) for n, label in words.CHOICES_COUNT.items()]))
    step = words.STEP_SCENE if form.empty() else words.STEP_CHOICE.format(
        n=len(form.choices) + 1, of=form.want)
    items.append(TextControl(text=step, style="hint"))
    return items


def _translate_controls(view: TableView[WorkshopState], seat: str,
                        translating: Translating) -> list[Control]:
    """Writing a made item in another language: the item in its own words, the language to
    write in, and a way back (while nothing waits for the leader)."""
    options: WorkshopOptions = view.options
    item = next((m for m in view.state.made if m.proposal == translating.item), None)
    shown = item.text if item is not None else ""
    items: list[Control] = [TextControl(style="card", text=LocalizedText({
        lang: text.format(text=shown) for lang, text in words.TRANSLATING.root.items()}))]
    pending = _pending(view, seat)
    if not pending:
        items.append(ChoiceControl(move="translate_to", label=words.PICK_LANGUAGE, options=[
            Option(value=lang, label=LocalizedText.of(name))
            for lang, name in words.LANGUAGE_NAMES.items() if lang != options.language]))
    if translating.language is not None:
        name = words.LANGUAGE_NAMES[translating.language]
        items.append(TextControl(style="hint", text=words.WRITE_IN.format(language=name)))
    if not pending:
        items.append(ButtonControl(move="translate_back", label=words.TRANSLATE_BACK,
                                   tone="secondary"))
    return items


def _lock_controls(view: TableView[WorkshopState], seat: str, form: LockForm,
                   kind: str) -> list[Control]:
    """The guided form of a lock on its writer's own tablet: which part to write now, what
    is accepted so far, and "enough clues" once the kind has its least number."""
    items: list[Control] = []
    if not form.empty():
        items.append(TextControl(style="note", text=LocalizedText({
            lang: text.format(parts=" · ".join([
                words.ANSWER_IS[lang].format(answer=form.answer), *form.clues]))
            for lang, text in words.SO_FAR.root.items()})))
    part = form.part()
    step = {"answer": words.STEP_ANSWER, "hint": words.STEP_HINT}.get(part) \
        or words.STEP_CLUE.format(n=len(form.clues) + 1)
    items.append(TextControl(text=step, style="hint"))
    if part == "clue" and not _pending(view, seat) \
            and len(form.clues) >= _shape(view).min_clues(kind):
        items.append(ButtonControl(move="clues_done", label=words.CLUES_DONE, tone="secondary"))
    return items


def facilitator(view: TableView[WorkshopState]) -> list[InfoRow]:
    queue = view.meta.proposals
    return [InfoRow(label=words.PROPOSALS_MADE, value=str(queue.made)),
            InfoRow(label=words.PROPOSALS_ACCEPTED, value=str(len(view.state.made)))]


def _targets(content: Any) -> dict[str, list[Option]]:
    from engine.registry import find_game

    return {"target": [Option(value=game, label=find_game(game).title) for game in TARGETS]}


module = define_game(
    id="workshop",
    version=1,
    title=words.TITLE,
    description=words.DESCRIPTION,
    min_seats=1,
    max_seats=12,
    state_type=WorkshopState,
    options_type=WorkshopOptions,
    content_type=WorkshopContent,
    content_dir="workshop",
    setup=setup,
    phases={"make": Phase(flow=Flow.free)},
    moves={
        "kind": Move(choose_kind, payload=KindPayload, who=Who.any),
        "credit": Move(credit, payload=CreditPayload, who=Who.any),
        "thumb": Move(thumb, payload=ThumbPayload, who=Who.any),
        "clues_done": Move(clues_done, who=Who.any),
        "scene_choices": Move(scene_choices, payload=CountPayload, who=Who.any),
        "translate": Move(translate, payload=ItemPayload, who=Who.any),
        "translate_to": Move(translate_to, payload=LanguagePayload, who=Who.any),
        "translate_back": Move(translate_back, who=Who.any),
    },
    scene=scene,
    controls=controls,
    facilitator=facilitator,
    choices=_targets,
    proposals=Proposals(open=proposals_open, on_accepted=on_accepted,
                        topic=lambda view: "workshop"),
    # The proposals made, and of them those the leader accepted, each in its own column of
    # the records (never their text).
    contributions={
        "proposal_made": Contribution(ContributionKind.proposals, words.PROPOSALS_MADE),
        "proposal_accepted": Contribution(ContributionKind.proposals_accepted,
                                          words.PROPOSALS_ACCEPTED),
    },
)
