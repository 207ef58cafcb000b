"""Rules and views of Pelitarina: pure functions over :class:`PelitarinaState`.

Three phases. *build* (everyone at once): behind a short consent screen, each person makes a
life line on their own tablet; every game picked, searched for or typed, and every quick pick,
is a private value (:mod:`engine.sealed`), so the log and the state hold only references.
*tell* (in turns): each person chooses what the screen shows (the whole line, one stage, one
game, or nothing) and tells; the others send encouragement. *summary* (everyone at once): each
tablet shows its own strengths; the screen shows what the group has in common, counted only
from what people chose to show, never who.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from engine import (
    ERASED,
    ButtonControl,
    CardElement,
    ChoiceControl,
    Contribution,
    ContributionKind,
    Control,
    Flow,
    FreeTextControl,
    InfoRow,
    LocalizedText,
    Move,
    MoveContext,
    Option,
    Phase,
    Private,
    ProgressElement,
    Reaction,
    ReactionsControl,
    ReactionsElement,
    ReactionTallyControl,
    Scene,
    Sealed,
    SetupContext,
    TableView,
    TextBlockElement,
    TextControl,
    TimelineElement,
    TimelineItem,
    TimelineStage,
    Who,
    define_game,
    reaction_counts,
    roster,
)
from engine.keepsake import register_keepsake

from . import keepsake, words
from .content import PelitarinaContent

MAX_PER_STAGE = 3
NAME_MAX = 60
#: The tablet's own icons for the categories (the screen draws the content's pictures).
_TABLET_ICONS = {"outdoor": "tree", "music-dance": "note", "made-up": "star",
                 "puzzle-quiz": "key", "board": "house"}


class PelitarinaOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shorter: bool = Field(default=False, json_schema_extra={"label": words.SHORTER})
    include_sensitive: bool = Field(default=False,
                                    json_schema_extra={"label": words.INCLUDE_SENSITIVE})
    one_to_one: bool = Field(default=False, json_schema_extra={"label": keepsake.ONE_TO_ONE})


class EntryState(BaseModel):
    """One game on a life line. Only references: what it is lives in the sealed store."""

    stage: str
    what: Sealed
    """A catalogue game's id, or the name the person typed (``typed``)."""
    typed: bool = False
    who: Sealed | None = None
    feel: Sealed | None = None
    gave: Sealed | None = None


class ShowState(BaseModel):
    kind: str  # line, stage, game
    index: int = 0


class SeatLine(BaseModel):
    consent: str = "asked"  # asked, given, declined
    entries: list[EntryState] = Field(default_factory=list)
    stage: str | None = None
    """The stage open on the tablet."""
    view: str = "stages"  # stages, stage, category, search, type, picks
    category: str | None = None
    query: Sealed | None = None
    editing: int | None = None
    ready: bool = False


class PelitarinaState(BaseModel):
    stages: list[str] = Field(default_factory=list)
    lines: dict[str, SeatLine] = Field(default_factory=dict)
    offered: list[str] = Field(default_factory=list)
    """Seats that have had their telling turn."""
    showing: ShowState | None = None
    shown: dict[str, list[ShowState]] = Field(default_factory=dict)
    """What each seat chose to show, for the closing count (never drawn with who)."""
    prompts: list[str] = Field(default_factory=list)
    prompt: int = -1
    reactions: dict[str, int] = Field(default_factory=dict)
    stories: int = 0
    keeps: dict[str, list[str]] = Field(default_factory=dict)
    """What each seat chose to do with its own life line: link, print, share."""


# -- payloads ---------------------------------------------------------------------------------


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ValuePayload(_Payload):
    value: str = Field(min_length=1, max_length=80)


_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                          max_length=NAME_MAX)]


class GamePayload(_Payload):
    value: Private[_Name]  # type: ignore[valid-type]


class TypedPayload(_Payload):
    value: Private[_Name]  # type: ignore[valid-type]


class PicksPayload(_Payload):
    entry: int = Field(ge=0, le=20)
    value: Private[list[str]]  # type: ignore[valid-type]


class EntryPayload(_Payload):
    entry: int = Field(ge=0, le=20)


class ReactPayload(_Payload):
    value: Reaction


# -- helpers -----------------------------------------------------------------------------------


def _content(view: TableView[Any]) -> PelitarinaContent:
    content: PelitarinaContent = view.content
    return content


def _line(state: PelitarinaState, seat: str | None) -> SeatLine:
    if seat is None:
        return SeatLine()
    line = state.lines.get(seat)
    if line is None:
        line = SeatLine()
        state.lines[seat] = line
    return line


def _opened(view: TableView[Any], sealed: Sealed | None) -> Any:
    return ERASED if sealed is None else view.opened(sealed)


def _game_name(view: TableView[Any], entry: EntryState) -> tuple[LocalizedText, str | None,
                                                                    str | None]:
    """An entry's name, its original-script name, and its category (or ERASED words)."""
    what = _opened(view, entry.what)
    if isinstance(what, str) and entry.typed:
        return LocalizedText.of(what), None, None
    if isinstance(what, str):
        game = _content(view).game(what)
        if game is not None:
            return game.name, game.original, game.category
    return words.ERASED_ITEM, None, None


def _icon(view: TableView[Any], category: str | None) -> tuple[str | None, LocalizedText | None]:
    found = _content(view).category(category) if category else None
    if found is None or found.picture is None or not found.picture.src:
        return None, None
    return found.picture.src, found.alt


def _stage_label(view: TableView[Any], stage_id: str) -> LocalizedText:
    stage = _content(view).stage(stage_id)
    return stage.label if stage is not None else LocalizedText.of(stage_id)


def _in_stage(line: SeatLine, stage: str) -> list[int]:
    return [i for i, e in enumerate(line.entries) if e.stage == stage]


def _building(ctx: MoveContext[PelitarinaState], state: PelitarinaState) -> SeatLine:
    line = _line(state, ctx.seat)
    return line


# -- setup and hooks ---------------------------------------------------------------------------


def setup(ctx: SetupContext) -> PelitarinaState:
    content: PelitarinaContent = ctx.content
    options: PelitarinaOptions = ctx.options
    stages = [s.id for s in content.method.stages if s.short or not options.shorter]
    prompts = [p.id for p in content.method.prompts
               if options.include_sensitive or not p.sensitive]
    return PelitarinaState(stages=stages or [content.method.stages[0].id],
                           prompts=ctx.random.shuffled(prompts),
                           lines={seat: SeatLine() for seat in ctx.seats})


def on_join(ctx: MoveContext[PelitarinaState], state: PelitarinaState) -> PelitarinaState:
    _line(state, ctx.seat)
    return state


def on_turn_begin(ctx: MoveContext[PelitarinaState], state: PelitarinaState) -> PelitarinaState:
    if ctx.seat in state.offered:
        ctx.set_phase("summary")  # everyone has had their turn to tell
        return state
    if ctx.seat is not None:
        state.offered.append(ctx.seat)
    state.showing = None
    state.reactions = {}
    if state.prompts:
        state.prompt = (state.prompt + 1) % len(state.prompts)
    return state


def on_summary_end(ctx: MoveContext[PelitarinaState], state: PelitarinaState) -> PelitarinaState:
    ctx.end_game()
    return state


# -- building ----------------------------------------------------------------------------------


def consent(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
            payload: ValuePayload) -> PelitarinaState:
    line = _building(ctx, state)
    if payload.value == "yes":
        line.consent = "given"
    else:
        line.consent = "declined"
        ctx.fact("lifeline_declined", seat=ctx.seat)
        ctx.end_turn()  # nothing more is asked of this seat while the others build
    return state


def _must_consent(ctx: MoveContext[PelitarinaState], line: SeatLine) -> object | None:
    if line.consent != "given":
        return ctx.refuse("consent_first", words.CONSENT_TITLE)
    return None


def open_stage(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
               payload: ValuePayload) -> PelitarinaState | object:
    line = _building(ctx, state)
    refused = _must_consent(ctx, line)
    if refused is not None:
        return refused
    if payload.value not in state.stages:
        return ctx.refuse("no_such_stage", words.CHOOSE_STAGE)
    line.stage, line.view, line.category, line.query, line.editing = (
        payload.value, "stage", None, None, None)
    return state


def go(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
       payload: ValuePayload) -> PelitarinaState | object:
    """Move between the tablet's screens: ``stages``, ``stage``, ``search``, ``type``, or a
    category id."""
    line = _building(ctx, state)
    refused = _must_consent(ctx, line)
    if refused is not None:
        return refused
    target = payload.value
    if target == "stages":
        line.view, line.stage, line.editing = "stages", None, None
    elif line.stage is None:
        return ctx.refuse("no_stage", words.CHOOSE_STAGE)
    elif target in ("stage", "search", "type"):
        line.view, line.editing = target, None
        if target == "search":
            line.query = None
    elif _content(ctx.view).category(target) is not None:
        line.view, line.category, line.editing = "category", target, None
    else:
        return ctx.refuse("no_such_screen", words.BACK)
    return state


def search(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
           payload: GamePayload) -> PelitarinaState | object:
    line = _building(ctx, state)
    refused = _must_consent(ctx, line)
    if refused is not None:
        return refused
    line.query = payload.value
    line.view = "search"
    return state


def _add(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
         what: Sealed, typed: bool = False) -> PelitarinaState | object:
    line = _building(ctx, state)
    refused = _must_consent(ctx, line)
    if refused is not None:
        return refused
    if line.stage is None:
        return ctx.refuse("no_stage", words.CHOOSE_STAGE)
    if len(_in_stage(line, line.stage)) >= MAX_PER_STAGE:
        return ctx.refuse("stage_full", words.STAGE_FULL)
    line.entries.append(EntryState(stage=line.stage, what=what, typed=typed))
    line.editing = len(line.entries) - 1
    line.view = "picks"
    return state


def pick_game(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
              payload: GamePayload) -> PelitarinaState | object:
    value = ctx.view.opened(payload.value)
    # A value this table can see must be a catalogue game; an erased one (on replay) is
    # accepted as it was when it was made.
    if value is not ERASED and _content(ctx.view).game(str(value)) is None:
        return ctx.refuse("no_such_game", words.PICK_GAME)
    return _add(ctx, state, payload.value)


def type_name(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
              payload: TypedPayload) -> PelitarinaState | object:
    return _add(ctx, state, payload.value, typed=True)


def _picks(ctx: MoveContext[PelitarinaState], state: PelitarinaState, payload: PicksPayload,
           kind: str) -> PelitarinaState | object:
    line = _building(ctx, state)
    if payload.entry >= len(line.entries):
        return ctx.refuse("no_such_game", words.PICK_GAME)
    setattr(line.entries[payload.entry], kind, payload.value)
    return state


def set_who(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
            payload: PicksPayload) -> PelitarinaState | object:
    return _picks(ctx, state, payload, "who")


def set_feel(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
             payload: PicksPayload) -> PelitarinaState | object:
    return _picks(ctx, state, payload, "feel")


def set_gave(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
             payload: PicksPayload) -> PelitarinaState | object:
    return _picks(ctx, state, payload, "gave")


def remove_game(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
                payload: EntryPayload) -> PelitarinaState | object:
    line = _building(ctx, state)
    if payload.entry >= len(line.entries):
        return ctx.refuse("no_such_game", words.PICK_GAME)
    del line.entries[payload.entry]
    line.editing, line.view = None, "stage"
    return state


def ready(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
          payload: BaseModel) -> PelitarinaState:
    line = _building(ctx, state)
    line.ready = True
    line.view, line.editing, line.query = "stages", None, None
    ctx.fact("lifeline_ready", seat=ctx.seat)
    return state


# -- telling -----------------------------------------------------------------------------------


def show(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
         payload: ValuePayload) -> PelitarinaState | object:
    line = _line(state, ctx.seat)
    kind, _, number = payload.value.partition(":")
    if kind == "nothing":
        state.showing = None
        return state
    index = int(number) if number.isdigit() else 0
    if kind == "stage" and not 0 <= index < len(state.stages):
        return ctx.refuse("no_such_stage", words.WHAT_TO_SHOW)
    if kind == "game" and not 0 <= index < len(line.entries):
        return ctx.refuse("no_such_game", words.WHAT_TO_SHOW)
    if kind not in ("line", "stage", "game"):
        return ctx.refuse("no_such_choice", words.WHAT_TO_SHOW)
    state.showing = ShowState(kind=kind, index=index)
    if ctx.seat is not None:
        state.shown.setdefault(ctx.seat, []).append(state.showing)
    ctx.fact("shown_on_screen", seat=ctx.seat, what=kind)
    return state


def told(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
         payload: BaseModel) -> PelitarinaState:
    state.stories += 1
    ctx.fact("story_told", seat=ctx.seat)
    return state


def react(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
          payload: ReactPayload) -> PelitarinaState:
    kind = payload.value.value
    state.reactions[kind] = state.reactions.get(kind, 0) + 1
    ctx.fact("reaction_sent", seat=ctx.seat, reaction=kind)
    if ctx.current is not None:
        ctx.fact("reaction_received", seat=ctx.current, reaction=kind)
    return state


def summary_ok(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
               payload: BaseModel) -> PelitarinaState:
    return state


# -- what the screen shows ---------------------------------------------------------------------


def _shown_entries(view: TableView[PelitarinaState], seat: str,
                   show: ShowState) -> list[EntryState]:
    line = view.state.lines.get(seat, SeatLine())
    if show.kind == "line":
        return list(line.entries)
    if show.kind == "stage":
        stage = view.state.stages[show.index] if show.index < len(view.state.stages) else ""
        return [e for e in line.entries if e.stage == stage]
    if show.kind == "game" and show.index < len(line.entries):
        return [line.entries[show.index]]
    return []


def _item(view: TableView[PelitarinaState], entry: EntryState) -> TimelineItem:
    name, original, category = _game_name(view, entry)
    icon, alt = _icon(view, category)
    return TimelineItem(label=name, original=original, icon=icon, icon_alt=alt)


def timeline(view: TableView[PelitarinaState], entries: list[EntryState],
             stages: list[str]) -> TimelineElement:
    """The life line of these entries over these stages (only what was chosen to show)."""
    return TimelineElement(stages=[
        TimelineStage(label=_stage_label(view, stage),
                      items=[_item(view, e) for e in entries if e.stage == stage][:MAX_PER_STAGE])
        for stage in stages])


def _common(view: TableView[PelitarinaState]) -> list[tuple[int, LocalizedText]]:
    """Games shown by two or more people, with how many: never who."""
    counts: Counter[str] = Counter()
    names: dict[str, LocalizedText] = {}
    for seat, shows in view.state.shown.items():
        mine: set[str] = set()
        for show in shows:
            for entry in _shown_entries(view, seat, show):
                what = _opened(view, entry.what)
                if isinstance(what, str) and not entry.typed:
                    game = _content(view).game(what)
                    if game is not None:
                        mine.add(game.id)
                        names[game.id] = game.name
        counts.update(mine)
    common = [(n, names[g]) for g, n in counts.most_common() if n >= 2]
    return common[:5]


def scene(view: TableView[PelitarinaState]) -> Scene:
    state = view.state
    content = _content(view)
    title = content.method.title
    if view.phase == "build":
        seats = view.seats()
        done = sum(1 for s in seats if s.id not in view.waiting())
        count = words.READY_COUNT.format(ready=done, total=len(seats))
        return Scene(title=title, layout="card", elements=[
            TextBlockElement(text=words.BUILDING, title=count, style="title"),
            ProgressElement(done=done, total=max(len(seats), 1), label=count),
            roster(view),
        ])
    if view.phase == "summary" or view.ended:
        common = _common(view)
        langs = words.COMMON_GAME.languages()
        text = (LocalizedText({lang: "\n".join(
            words.COMMON_GAME.pick(lang).format(n=n, name=name.pick(lang))
            for n, name in common) for lang in langs}) if common else words.COMMON_NONE)
        return Scene(title=title, layout="closing", elements=[
            TextBlockElement(text=text, title=words.COMMON_TITLE if common else words.THANKS,
                             style="title")])
    elements: list[Any] = []
    current = view.current
    if current is not None:
        name = view.nickname(current)
        if state.showing is not None:
            entries = _shown_entries(view, current, state.showing)
            stages = ([s for s in state.stages if any(e.stage == s for e in entries)]
                      if state.showing.kind != "line" else state.stages)
            element = timeline(view, entries, stages or state.stages[:1])
            elements.append(element.model_copy(update={
                "title": words.TELLING.format(name=name)}))
        else:
            elements.append(TextBlockElement(text=words.CHOSE_NOTHING.format(name=name),
                                             style="title"))
        if 0 <= state.prompt < len(state.prompts):
            prompt = next(p for p in content.method.prompts
                          if p.id == state.prompts[state.prompt])
            elements.append(CardElement(title=words.QUESTION, body=prompt.text))
        if state.reactions:
            elements.append(ReactionsElement(seat=current,
                                             counts=reaction_counts(state.reactions)))
    elements.append(roster(view))
    return Scene(title=title, layout="card", elements=elements)


# -- what each tablet shows --------------------------------------------------------------------


def _options(items: list[Any]) -> list[Option]:
    return [Option(value=i.id, label=i.label) for i in items]


def _chosen(view: TableView[PelitarinaState], sealed: Sealed | None) -> list[str]:
    value = _opened(view, sealed)
    return [str(v) for v in value] if isinstance(value, list) else []


def _build_controls(view: TableView[PelitarinaState], seat: str) -> list[Control]:
    content = _content(view)
    method = content.method
    line = view.state.lines.get(seat, SeatLine())
    if line.consent == "asked":
        consent = method.consent
        return [
            TextControl(title=words.CONSENT_TITLE, text=consent.what, style="title"),
            TextControl(text=consent.who),
            TextControl(text=consent.how_long),
            ButtonControl(move="consent", payload={"value": "yes"}, label=words.CONSENT_YES),
            ButtonControl(move="consent", payload={"value": "no"}, label=words.CONSENT_NO,
                          tone="secondary"),
        ]
    if line.consent == "declined":
        return [TextControl(text=words.DECLINED)]
    if seat not in view.waiting():
        return [TextControl(text=words.WAIT_OTHERS, style="title")]
    back = ButtonControl(move="go", payload={"value": "stage"}, label=words.BACK,
                         tone="secondary")
    if line.view == "stages" or line.stage is None:
        options = [Option(value=s, label=LocalizedText({
            lang: f"{_stage_label(view, s).pick(lang)} · "
                  f"{words.GAMES_COUNT.format(n=len(_in_stage(line, s))).pick(lang)}"
            for lang in words.GAMES_COUNT.languages()})) for s in view.state.stages]
        return [
            TextControl(title=words.STAGES_TITLE, text=words.BUILD_INTRO, style="title"),
            ChoiceControl(move="open_stage", label=words.CHOOSE_STAGE, options=options),
            ButtonControl(move="ready", label=words.READY, confirm=words.READY_CONFIRM),
        ]
    stage = content.stage(line.stage)
    question = stage.question if stage is not None else words.CHOOSE_STAGE
    if line.view == "picks" and line.editing is not None and line.editing < len(line.entries):
        entry = line.entries[line.editing]
        name, original, _category = _game_name(view, entry)
        fixed = {"entry": line.editing}
        return [
            TextControl(text=name if original is None else LocalizedText(
                {lang: f"{name.pick(lang)} ({original})" for lang in name.languages()}),
                style="title"),
            ChoiceControl(move="set_who", payload=fixed, label=words.WHO_WITH, multiple=True,
                          options=_options(method.who_with)),
            ChoiceControl(move="set_feel", payload=fixed, label=words.FEELINGS, multiple=True,
                          options=_options(method.feelings)),
            ChoiceControl(move="set_gave", payload=fixed, label=words.GAVE, multiple=True,
                          options=_options(method.gave)),
            ButtonControl(move="go", payload={"value": "stage"}, label=words.DONE_GAME),
            ButtonControl(move="remove_game", payload=fixed, label=words.REMOVE,
                          tone="secondary", confirm=words.REMOVE),
        ]
    if line.view == "category" and line.category is not None:
        games = [g for g in content.catalogue.games if g.category == line.category]
        return [TextControl(text=question, style="title"),
                ChoiceControl(move="pick_game", label=words.PICK_GAME, options=[
                    Option(value=g.id, label=g.name) for g in games]), back]
    if line.view == "search":
        items: list[Control] = [TextControl(text=question, style="title"),
                                FreeTextControl(move="search", label=words.SEARCH,
                                                max_length=NAME_MAX)]
        query = _opened(view, line.query)
        if isinstance(query, str) and query.strip():
            needle = query.strip().casefold()
            found = [g for g in content.catalogue.games
                     if any(needle in n.casefold() for n in g.name.root.values())
                     or (g.original and needle in g.original.casefold())][:12]
            if found:
                items.append(ChoiceControl(move="pick_game", label=words.PICK_GAME, options=[
                    Option(value=g.id, label=g.name) for g in found]))
            else:
                items.append(TextControl(text=words.NO_MATCH))
        items.append(back)
        return items
    if line.view == "type":
        return [TextControl(text=question, style="title"),
                FreeTextControl(move="type_name", label=words.TYPE_NAME, max_length=NAME_MAX),
                back]
    # the stage: its games, and ways to add one
    mine = _in_stage(line, line.stage)
    items = [TextControl(text=question, style="title")]
    for index in mine:
        name, _original, _category = _game_name(view, line.entries[index])
        items.append(TextControl(text=name, style="card"))
    if len(mine) < MAX_PER_STAGE:
        items.append(ChoiceControl(move="go", label=words.PICK_CATEGORY, options=[
            Option(value=c.id, label=c.label, icon=_TABLET_ICONS.get(c.id),
                   image=c.picture.src if c.picture else None, image_alt=c.alt)
            for c in content.catalogue.categories]))
        items.append(ButtonControl(move="go", payload={"value": "search"}, label=words.SEARCH,
                                   tone="secondary"))
        items.append(ButtonControl(move="go", payload={"value": "type"},
                                   label=words.TYPE_NAME, tone="secondary"))
    else:
        items.append(TextControl(text=words.STAGE_FULL, style="note"))
    if mine:  # each game opens again for its quick picks or to remove it
        for index in mine:
            name, _o, _c = _game_name(view, line.entries[index])
            items.append(ButtonControl(move="edit", payload={"entry": index}, label=name,
                                       tone="secondary"))
    items.append(ButtonControl(move="go", payload={"value": "stages"}, label=words.BACK,
                               tone="secondary"))
    return items


def edit(ctx: MoveContext[PelitarinaState], state: PelitarinaState,
         payload: EntryPayload) -> PelitarinaState | object:
    line = _building(ctx, state)
    if payload.entry >= len(line.entries):
        return ctx.refuse("no_such_game", words.PICK_GAME)
    line.editing, line.view = payload.entry, "picks"
    return state


def _show_options(view: TableView[PelitarinaState], line: SeatLine) -> list[Option]:
    options = [Option(value="line", label=words.SHOW_LINE)]
    for index, stage in enumerate(view.state.stages):
        if _in_stage(line, stage):
            label = _stage_label(view, stage)
            options.append(Option(value=f"stage:{index}", label=LocalizedText({
                lang: words.SHOW_STAGE.pick(lang).replace("{label}", label.pick(lang))
                for lang in words.SHOW_STAGE.languages()})))
    for index, entry in enumerate(line.entries):
        name, _original, _category = _game_name(view, entry)
        options.append(Option(value=f"game:{index}", label=LocalizedText({
            lang: words.SHOW_GAME.pick(lang).replace("{name}", name.pick(lang))
            for lang in words.SHOW_GAME.languages()})))
    options.append(Option(value="nothing", label=words.SHOW_NOTHING))
    return options


def _strengths(view: TableView[PelitarinaState], line: SeatLine) -> LocalizedText:
    method = _content(view).method
    picked: list[str] = []
    for entry in line.entries:
        for gave in _chosen(view, entry.gave):
            if gave not in picked:
                picked.append(gave)
    found = [g for g in method.gave if g.id in picked]
    if not found:
        return method.summary.none
    langs = method.summary.intro.languages()
    return LocalizedText({lang: method.summary.intro.pick(lang).replace(
        "{strengths}", ", ".join(g.strength.pick(lang) for g in found)) for lang in langs})


def controls(view: TableView[PelitarinaState], seat: str) -> list[Control]:
    state = view.state
    if view.phase == "build":
        return _build_controls(view, seat)
    line = state.lines.get(seat, SeatLine())
    if view.phase == "summary":
        items: list[Control] = [TextControl(title=words.SUMMARY_TITLE,
                                            text=_strengths(view, line), style="card")]
        if line.entries:
            items.append(TextControl(text=LocalizedText({
                lang: ", ".join(_game_name(view, e)[0].pick(lang) for e in line.entries)
                for lang in words.SUMMARY_TITLE.languages()}), style="note"))
        if seat in view.waiting():
            items.extend(keepsake.summary_controls(view, seat))
            items.append(ButtonControl(move="summary_ok", label=words.SUMMARY_OK))
        return items
    current = view.current
    if current is None:
        return []
    if seat == current:
        items = []
        if line.entries:
            items.append(ChoiceControl(move="show", label=words.WHAT_TO_SHOW,
                                       options=_show_options(view, line)))
            if state.showing is not None:
                items.append(TextControl(text=words.ON_SCREEN, style="note"))
        else:
            items.append(TextControl(text=words.NO_LINE))
        items.extend(keepsake.one_to_one_controls(view))
        items.append(ButtonControl(move="told", label=words.TOLD))
        if state.reactions:
            items.append(ReactionTallyControl(counts=reaction_counts(state.reactions)))
        return items
    return [TextControl(text=words.LISTEN.format(name=view.nickname(current))),
            ReactionsControl(move="react")]


def facilitator(view: TableView[PelitarinaState]) -> list[InfoRow]:
    state = view.state
    ready_count = sum(1 for line in state.lines.values() if line.ready)
    shown = sum(len(v) for v in state.shown.values())
    return [InfoRow(label=words.READY_INFO, value=str(ready_count)),
            InfoRow(label=words.STORIES_TOLD, value=str(state.stories)),
            InfoRow(label=words.SHOWN_INFO, value=str(shown)), *keepsake.prompt_row(view)]


_BUILD = frozenset({"consent", "open_stage", "go", "search", "pick_game", "type_name",
                    "set_who", "set_feel", "set_gave", "remove_game", "edit", "ready"})

module = define_game(
    id="pelitarina",
    version=1,
    title=words.TITLE,
    description=LocalizedText({
        "fi": "Jokainen kertoo elämästään pelien kautta: oma elämänjana omalla tabletilla, "
              "sitten vuorotellen ryhmälle vain se, minkä itse haluaa näyttää.",
        "sv": "Var och en berättar om sitt liv genom spelen: en egen livslinje på den egna "
              "surfplattan, sedan i tur och ordning bara det man själv vill visa.",
        "en": "Each person tells their life through the games they have played: a life line "
              "on their own tablet, then in turns only what they choose to show.",
        "fi-x-selko": "Kerrot elämästäsi pelien avulla. Näytät muille vain sen, minkä "
                      "haluat."}),
    min_seats=1,
    max_seats=12,
    state_type=PelitarinaState,
    options_type=PelitarinaOptions,
    content_type=PelitarinaContent,
    content_dir="pelitarina",
    setup=setup,
    phases={
        "build": Phase(flow=Flow.together, moves=_BUILD, next="tell"),
        "tell": Phase(flow=Flow.turns, moves=frozenset({"show", "told", "react"})),
        "summary": Phase(flow=Flow.together, moves=frozenset({"summary_ok", "keep"}),
                         on_end=on_summary_end),
    },
    start_phase="build",
    moves={
        "consent": Move(consent, payload=ValuePayload),
        "open_stage": Move(open_stage, payload=ValuePayload),
        "go": Move(go, payload=ValuePayload),
        "search": Move(search, payload=GamePayload),
        "pick_game": Move(pick_game, payload=GamePayload),
        "type_name": Move(type_name, payload=TypedPayload),
        "set_who": Move(set_who, payload=PicksPayload),
        "set_feel": Move(set_feel, payload=PicksPayload),
        "set_gave": Move(set_gave, payload=PicksPayload),
        "remove_game": Move(remove_game, payload=EntryPayload),
        "edit": Move(edit, payload=EntryPayload),
        "ready": Move(ready, ends_turn=True),
        "show": Move(show, payload=ValuePayload),
        "told": Move(told, ends_turn=True),
        "react": Move(react, payload=ReactPayload, who=Who.others),
        "summary_ok": Move(summary_ok, ends_turn=True),
        "keep": Move(keepsake.keep, payload=keepsake.KeepPayload),
    },
    on_turn_begin=on_turn_begin,
    on_join=on_join,
    scene=scene,
    controls=controls,
    facilitator=facilitator,
    contributions={
        "story_told": Contribution(ContributionKind.turns, words.STORIES_TOLD),
        "shown_on_screen": Contribution(ContributionKind.answers, words.SHOWN),
        "reaction_sent": Contribution(ContributionKind.reactions, words.ENCOURAGEMENTS),
        "lifeline_ready": Contribution(ContributionKind.answers, words.READY_FACT),
    },
)

register_keepsake(module.id, keepsake.make)
