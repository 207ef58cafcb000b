"""Rules and views of the story activity: pure functions over :class:`StoryState`.

A scene is read together (phase ``read``); at a choice everyone votes or passes at once
(phase ``vote``, a together round that closes when every seat has answered, or when the leader
closes it); the result is shown (phase ``result``) and the story goes on along the winning
choice; at an ending the group sees the path it took and talks (phase ``debrief``).

Ballots are kept in the state by seat, because a seat may change its own vote and its own
tablet shows it; the shared screen, the leader's view and every other tablet get counts only,
and no fact ever names an option beside a seat.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine import (
    Contribution,
    ContributionKind,
    Control,
    Flow,
    Importer,
    InfoRow,
    LocalizedText,
    Move,
    MoveContext,
    Option,
    Phase,
    Proposal,
    Proposals,
    ReadyControl,
    Scene,
    SetupContext,
    StoryPageElement,
    TableView,
    TextBlockElement,
    TextControl,
    TimerElement,
    VoteControl,
    VoteTallyElement,
    VoteTallyRow,
    Who,
    define_game,
    roster,
)
from engine.audience import Audience, AudienceBallot
from engine.scene import ImageElement, RosterElement, SeatStatus

from . import words
from .content import Scene as StoryScene
from .content import Story, StoryContent
from .twee import import_twee

Stage = Literal["read", "vote", "result", "debrief"]
How = Literal["vote", "draw", "leader", "next", "only", "skip"]


def _label(fi: str, sv: str, en: str) -> Any:
    return {"label": {"fi": fi, "sv": sv, "en": en}}


class StoryOptions(BaseModel):
    """What the leader chooses for a table."""

    model_config = ConfigDict(extra="forbid")

    story: str = Field(default="first-day", json_schema_extra=_label(
        "Tarina", "Berättelse", "Story"))
    results_live: bool = Field(default=False, json_schema_extra=_label(
        "Näytä äänet jo äänestyksen aikana", "Visa rösterna redan under omröstningen",
        "Show the votes while the vote is open"))
    """Off by default: with live counts, whoever watches the screen as one person taps may
    guess their vote."""
    change_vote: bool = Field(default=False, json_schema_extra=_label(
        "Ääntä saa vaihtaa, kunnes äänestys päättyy", "Man får byta röst tills omröstningen "
        "stänger", "Votes may be changed until the vote closes"))
    tie_rule: Literal["draw", "leader"] = Field(default="draw", json_schema_extra=_label(
        "Tasapelin ratkaisee", "Lika röster avgörs av", "A tie is settled by"))
    vote_seconds: int | None = Field(default=None, ge=30, le=600, json_schema_extra=_label(
        "Rauhallinen ajastin äänestykselle, sekunteja (tyhjä: ei ajastinta)",
        "Lugn timer för omröstningen, sekunder (tomt: ingen timer)",
        "A gentle timer for each vote, in seconds (empty: none)"))
    """Shown as a calm countdown; it never closes a vote by itself."""
    write_ins: bool = Field(default=False, json_schema_extra=_label(
        "Osallistujat voivat ehdottaa omia vaihtoehtojaan jokaiseen äänestykseen",
        "Deltagarna får föreslå egna alternativ i varje omröstning",
        "Participants may propose their own options in every vote"))
    """Scenes marked ``write_in`` take write-ins anyway; this turns them on for every vote."""


Value = bool | int


class Step(BaseModel):
    """One scene on the group's path, and how the story went on from it."""

    scene: str
    arrived_with: dict[str, Value] = Field(default_factory=dict)
    """The story variables as they were when the group came to this scene (for going back)."""
    choice: int | None = None
    how: How | None = None
    written: str | None = None
    """The words of the write-in option the story went on from, if it did."""


class WriteIn(BaseModel):
    """A participant's own option on this vote's ballot, accepted by the leader."""

    text: str
    proposal: int


class StoryState(BaseModel):
    story: str
    path: list[Step]
    variables: dict[str, Value] = Field(default_factory=dict)
    stage: Stage = "read"
    ready: list[str] = Field(default_factory=list)
    """Seats that have read the scene (or the result)."""
    offered: list[int] = Field(default_factory=list)
    """The choices on the ballot, by their place in the scene (conditions applied); a
    write-in option comes after the scene's own choices (number ``len(choices) + k``)."""
    write_ins: list[WriteIn] = Field(default_factory=list)
    """This vote's write-in options, as the leader accepted them."""
    ballots: dict[str, int] = Field(default_factory=dict)
    """Each seat's own vote. Never shown to anyone but that seat, never put in a fact."""
    passed: list[str] = Field(default_factory=list)
    tally: dict[int, int] = Field(default_factory=dict)
    """Counts per choice once the vote has closed."""
    tied: list[int] = Field(default_factory=list)
    outcome: int | None = None
    outcome_how: How | None = None
    votes: int = 0
    """How many votes have been opened (each reopening counts)."""
    deadline: datetime | None = None


class ReadPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: bool = True


class VotePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str = Field(min_length=1, max_length=4)


class ContinueAtPayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scene: str = Field(min_length=1, max_length=80, json_schema_extra=_label(
        "Kohtaus", "Scen", "Scene"))


class DecidePayload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    option: int = Field(ge=1, le=9, json_schema_extra=_label(
        "Vaihtoehdon numero (kuten ruudulla)", "Alternativets nummer (som på skärmen)",
        "The option's number (as on the screen)"))


# -- reading the story ---------------------------------------------------------------------------


def _story(view: TableView[StoryState] | MoveContext[StoryState], state: StoryState) -> Story:
    content: StoryContent = view.content
    return content.story(state.story)  # Piiri's own format or Ink (games.story.ink)


def _scene(view: TableView[StoryState] | MoveContext[StoryState],
           state: StoryState) -> StoryScene:
    return _story(view, state).scene(state.path[-1].scene)


def _choice_label(scene: StoryScene, state: StoryState, choice: int) -> LocalizedText:
    """An option's words: the scene's own choice, or a write-in as its writer wrote it (as the
    leader accepted it)."""
    if choice < len(scene.choices):
        return scene.choices[choice].label
    return LocalizedText.of(state.write_ins[choice - len(scene.choices)].text)


def _choice_goto(scene: StoryScene, choice: int) -> str | None:
    """Where an option leads (``None``: a write-in with no branch named; the leader picks)."""
    if choice < len(scene.choices):
        return scene.choices[choice].goto
    return scene.write_in_goto


def _offered(scene: StoryScene, variables: dict[str, Value]) -> list[int]:
    return [i for i, choice in enumerate(scene.choices)
            if all(variables.get(name, False) == value for name, value in choice.when.items())]


def _languages(story: Story) -> list[str]:
    return list(story.translations)


def _lines(story: Story, parts: list[LocalizedText]) -> LocalizedText:
    """Several texts as one, a line each, in every language of the story."""
    return LocalizedText({lang: "\n".join(p.pick(lang) for p in parts)
                          for lang in _languages(story)})


def _fill(template: LocalizedText, story: Story, **texts: LocalizedText | int) -> LocalizedText:
    """``template`` in every language of the story, with texts picked in the same language."""
    out = {}
    for lang in _languages(story):
        values = {k: (v.pick(lang) if isinstance(v, LocalizedText) else v)
                  for k, v in texts.items()}
        out[lang] = template.pick(lang).format(**values)
    return LocalizedText(out)


# -- moving through the story --------------------------------------------------------------------


def setup(ctx: SetupContext) -> StoryState:
    content: StoryContent = ctx.content
    options: StoryOptions = ctx.options
    known = {s.id for s in content.all_stories()}
    story_id = options.story if options.story in known else sorted(content.stories)[0]
    return StoryState(story=story_id, path=[Step(scene=content.story(story_id).start)])


def begin_read(ctx: MoveContext[StoryState], state: StoryState) -> StoryState:
    scene = _scene(ctx, state)
    state.stage = "read"
    state.ready = []
    _clear_vote(state)
    ctx.fact("scene_shown", story=state.story, scene=scene.id, step=len(state.path))
    return state


def _clear_vote(state: StoryState) -> None:
    state.offered, state.ballots, state.passed, state.write_ins = [], {}, [], []
    state.tally, state.tied = {}, []
    state.outcome, state.outcome_how, state.deadline = None, None, None


def _goto(ctx: MoveContext[StoryState], state: StoryState, target: str, how: How,
          choice: int | None = None) -> StoryState:
    step = state.path[-1]
    step.choice, step.how = choice, how
    scene = _scene(ctx, state)
    if choice is not None and choice >= len(scene.choices):
        step.written = state.write_ins[choice - len(scene.choices)].text
        ctx.fact("choice_made", story=state.story, scene=step.scene, choice=choice, how=how,
                 write_in=True)
    elif choice is not None:
        picked = scene.choices[choice]
        state.variables.update(picked.set)
        ctx.fact("choice_made", story=state.story, scene=step.scene, choice=choice, how=how)
    state.path.append(Step(scene=target, arrived_with=dict(state.variables)))
    ctx.set_phase("read")
    return state


def _go_on(ctx: MoveContext[StoryState], state: StoryState) -> StoryState | object:
    """What "go on" means at this point: the next scene, the vote, or the debrief."""
    scene = _scene(ctx, state)
    if state.stage == "result":
        if state.outcome is None:
            return ctx.refuse("story.decide_first", words.DECIDE_FIRST)
        assert state.outcome_how is not None
        target = _choice_goto(scene, state.outcome)
        if target is None:
            return ctx.refuse("story.continue_at_first", words.CONTINUE_AT_FIRST)
        return _goto(ctx, state, target, state.outcome_how, state.outcome)
    if state.stage != "read":
        return ctx.refuse("story.not_now", words.NOT_NOW)
    if scene.ending:
        ctx.set_phase("debrief")
        return state
    if scene.next is not None:
        return _goto(ctx, state, scene.next, "next")
    offered = _offered(scene, state.variables)
    if len(offered) == 1:  # the conditions left one way on: no vote is needed
        return _goto(ctx, state, scene.choices[offered[0]].goto, "only", offered[0])
    ctx.set_phase("vote")
    return state


def go_on(ctx: MoveContext[StoryState], state: StoryState, payload: BaseModel) -> object:
    return _go_on(ctx, state)


def read(ctx: MoveContext[StoryState], state: StoryState, payload: ReadPayload) -> object:
    """A tablet's "I have read it"; when every seat at the table has, the story goes on."""
    assert ctx.seat is not None
    if state.stage not in ("read", "result"):
        return ctx.refuse("story.not_now", words.NOT_NOW)
    if payload.value and ctx.seat not in state.ready:
        state.ready.append(ctx.seat)
    elif not payload.value and ctx.seat in state.ready:
        state.ready.remove(ctx.seat)
    present = {s.id for s in ctx.view.seats()}
    settled = state.outcome is not None and _choice_goto(_scene(ctx, state),
                                                           state.outcome) is not None
    if present <= set(state.ready) and (state.stage == "read" or settled):
        return _go_on(ctx, state)
    return state


def begin_vote(ctx: MoveContext[StoryState], state: StoryState) -> StoryState:
    scene = _scene(ctx, state)
    options: StoryOptions = ctx.options
    _clear_vote(state)
    state.stage = "vote"
    state.ready = []
    state.offered = _offered(scene, state.variables)
    state.votes += 1
    if options.vote_seconds is not None:
        state.deadline = ctx.view.now + timedelta(seconds=options.vote_seconds)
    ctx.fact("vote_opened", story=state.story, scene=scene.id, vote=state.votes,
             options=len(state.offered))
    return state


def vote(ctx: MoveContext[StoryState], state: StoryState, payload: VotePayload) -> object:
    seat = ctx.seat
    assert seat is not None
    options: StoryOptions = ctx.options
    try:
        choice = int(payload.value)
    except ValueError:
        return ctx.refuse("story.no_such_choice", words.NO_SUCH_CHOICE)
    if choice not in state.offered:
        return ctx.refuse("story.no_such_choice", words.NO_SUCH_CHOICE)
    again = seat in state.ballots or seat in state.passed
    if again and not options.change_vote:
        return ctx.refuse("story.already_voted", words.ALREADY_VOTED)
    changed = seat in state.ballots  # a seat that passed and then votes casts its first vote
    state.ballots[seat] = choice
    if seat in state.passed:
        state.passed.remove(seat)
    # Never the option: who voted what stays between the seat and its own tablet.
    ctx.fact("vote_changed" if changed else "vote_cast", seat=seat, vote=state.votes)
    return state


def on_pass(ctx: MoveContext[StoryState], state: StoryState) -> StoryState:
    if state.stage == "vote" and ctx.seat is not None and ctx.seat not in state.passed:
        state.passed.append(ctx.seat)
        ctx.fact("vote_passed", seat=ctx.seat, vote=state.votes)
    return state


def _close(ctx: MoveContext[StoryState], state: StoryState, by: str,
           settle: bool = True) -> StoryState:
    """Count the ballots and settle the outcome: the most votes, or a tie by the table's rule
    (unless the leader is deciding anyway: ``settle=False``)."""
    options: StoryOptions = ctx.options
    scene = _scene(ctx, state)
    tally = {choice: 0 for choice in state.offered}
    for choice in state.ballots.values():
        if choice in tally:
            tally[choice] += 1
    state.tally = tally
    most = max(tally.values(), default=0)
    leaders = [choice for choice, count in tally.items() if count == most]
    if not settle:
        pass
    elif len(leaders) == 1:
        state.outcome, state.outcome_how = leaders[0], "vote"
    elif options.tie_rule == "draw":
        state.tied = leaders
        state.outcome, state.outcome_how = ctx.random.choice(leaders), "draw"
    else:
        state.tied = leaders
    state.stage = "result"
    state.ready = []
    ctx.fact("vote_closed", story=state.story, scene=scene.id, vote=state.votes, by=by,
             tallies={str(k): v for k, v in tally.items()}, outcome=state.outcome,
             how=state.outcome_how)
    ctx.set_phase("result")
    return state


def end_vote(ctx: MoveContext[StoryState], state: StoryState) -> StoryState:
    """Every seat has voted or passed (or the leader skipped the round)."""
    return _close(ctx, state, by="all")


def close_vote(ctx: MoveContext[StoryState], state: StoryState, payload: BaseModel) -> object:
    if state.stage != "vote":
        return ctx.refuse("story.not_now", words.NOT_NOW)
    return _close(ctx, state, by="leader")


def reopen(ctx: MoveContext[StoryState], state: StoryState, payload: BaseModel) -> object:
    if state.stage != "result":
        return ctx.refuse("story.not_now", words.NOT_NOW)
    ctx.fact("vote_reopened", story=state.story, scene=state.path[-1].scene, vote=state.votes)
    ctx.set_phase("vote")
    return state


def decide(ctx: MoveContext[StoryState], state: StoryState, payload: DecidePayload) -> object:
    """The leader settles the vote: the option numbered as on the screen."""
    if state.stage not in ("vote", "result"):
        return ctx.refuse("story.not_now", words.NOT_NOW)
    if payload.option > len(state.offered):
        return ctx.refuse("story.no_such_choice", words.NO_SUCH_CHOICE)
    if state.stage == "vote":
        _close(ctx, state, by="leader", settle=False)
    choice = state.offered[payload.option - 1]
    state.outcome, state.outcome_how = choice, "leader"
    target = _choice_goto(_scene(ctx, state), choice)
    if target is None:  # a write-in with no branch: the leader narrates and picks the scene
        return state
    return _goto(ctx, state, target, "leader", choice)


def continue_at(ctx: MoveContext[StoryState], state: StoryState,
                payload: ContinueAtPayload) -> object:
    """A write-in option won where the scene names no branch for it: the leader tells how the
    story goes on and picks the scene it goes on from."""
    scene = _scene(ctx, state)
    if state.stage != "result" or state.outcome is None or state.outcome_how is None or \
            _choice_goto(scene, state.outcome) is not None:
        return ctx.refuse("story.not_now", words.NOT_NOW)
    story = _story(ctx, state)
    if payload.scene not in {s.id for s in story.scenes}:
        return ctx.refuse("story.no_such_scene", words.NO_SUCH_SCENE)
    return _goto(ctx, state, payload.scene, state.outcome_how, state.outcome)


# -- write-in options ----------------------------------------------------------------------------


def _write_ins_open(view: TableView[StoryState], seat: str) -> bool:
    state = view.state
    options: StoryOptions = view.options
    if state.stage != "vote" or view.ended:
        return False
    scene = _story(view, state).scene(state.path[-1].scene)
    return bool(scene.choices) and (scene.write_in or options.write_ins)


def _write_in_topic(view: TableView[StoryState]) -> str:
    state = view.state
    if not state.path:
        return ""
    return f"{state.path[-1].scene}#{state.votes}"


def _write_in_accepted(ctx: MoveContext[StoryState], state: StoryState,
                       proposal: Proposal) -> object:
    """An accepted proposal joins this vote's ballot as one more option."""
    if state.stage != "vote" or proposal.topic != _write_in_topic(ctx.view):
        return ctx.refuse("story.vote_over", words.VOTE_OVER)
    if len(state.offered) >= 9:  # the leader's "decide" numbers options 1..9
        return ctx.refuse("story.ballot_full", words.BALLOT_FULL)
    scene = _scene(ctx, state)
    state.offered.append(len(scene.choices) + len(state.write_ins))
    state.write_ins.append(WriteIn(text=proposal.text, proposal=proposal.id))
    return state


def back(ctx: MoveContext[StoryState], state: StoryState, payload: BaseModel) -> object:
    if len(state.path) < 2:
        return ctx.refuse("story.at_start", words.AT_START)
    left = state.path.pop()
    before = state.path[-1]
    before.choice, before.how, before.written = None, None, None
    state.variables = dict(before.arrived_with)
    ctx.fact("scene_back", story=state.story, scene=left.scene, to=before.scene)
    ctx.set_phase("read")
    return state


def skip_scene(ctx: MoveContext[StoryState], state: StoryState, payload: BaseModel) -> object:
    scene = _scene(ctx, state)
    if not scene.sensitive:
        return ctx.refuse("story.not_sensitive", words.NOT_SENSITIVE)
    if state.stage not in ("read", "vote", "result") or scene.ending:
        return ctx.refuse("story.not_now", words.NOT_NOW)
    target = scene.skip_to or scene.next
    assert target is not None  # the content model makes sure of it
    ctx.fact("scene_skipped", story=state.story, scene=scene.id)
    return _goto(ctx, state, target, "skip")


def begin_debrief(ctx: MoveContext[StoryState], state: StoryState) -> StoryState:
    state.stage = "debrief"
    state.ready = []
    _clear_vote(state)
    ctx.fact("story_ended", story=state.story, ending=state.path[-1].scene,
             scenes=len(state.path))
    return state


def choices(content: StoryContent) -> dict[str, list[Option]]:
    stories = [Option(value=s.id, label=s.title) for s in content.all_stories()]
    rules = [Option(value=k, label=v) for k, v in words.RULE.items()]
    return {"story": stories, "tie_rule": rules}


# -- views ---------------------------------------------------------------------------------------


def _page(scene: StoryScene) -> StoryPageElement:
    return StoryPageElement(title=scene.title, body=scene.text)


def _picture(scene: StoryScene) -> list[ImageElement]:
    """The scene's picture, drawn by every screen as any content picture (its words in its
    place when it cannot be shown); none when the scene has none."""
    picture = scene.picture
    if picture is None:
        return []
    width, height = picture.size or (None, None)
    return [ImageElement(src=picture.src, alt=picture.alt, width=width, height=height)]


def _question(scene: StoryScene) -> LocalizedText:
    return scene.question or words.DEFAULT_QUESTION


def _roster(view: TableView[StoryState]) -> RosterElement:
    # Voted and passed look alike on the shared screen: nobody can see who passed.
    element = roster(view)
    for entry in element.entries:
        if entry.status is SeatStatus.passed:
            entry.status = SeatStatus.answered
    return element


def _path(view: TableView[StoryState], story: Story) -> LocalizedText:
    lines = []
    for n, step in enumerate(view.state.path, start=1):
        scene = story.scene(step.scene)
        if step.choice is not None:
            label = LocalizedText.of(step.written) if step.written is not None else \
                scene.choices[step.choice].label
            lines.append(_fill(LocalizedText({lang: "{n}. {scene} → {choice}"
                                              for lang in _languages(story)}), story,
                               n=n, scene=scene.title, choice=label))
        else:
            lines.append(_fill(LocalizedText({lang: "{n}. {scene}"
                                              for lang in _languages(story)}), story,
                               n=n, scene=scene.title))
    return _lines(story, lines)


def _debrief(story: Story, scene: StoryScene) -> list[LocalizedText]:
    return [*scene.debrief, *story.debrief]


def _results_shown(view: TableView[StoryState]) -> bool:
    options: StoryOptions = view.options
    return view.state.stage == "result" or (view.state.stage == "vote" and options.results_live)


def _tally(view: TableView[StoryState], scene: StoryScene) -> VoteTallyElement:
    state = view.state
    rows = []
    if _results_shown(view):
        counts = state.tally if state.stage == "result" else _live_counts(state)
        rows = [VoteTallyRow(label=_choice_label(scene, state, c), count=counts.get(c, 0))
                for c in state.offered]
    return VoteTallyElement(question=_question(scene), rows=rows, voters=len(view.seats()),
                            voted=len(state.ballots))


def _live_counts(state: StoryState) -> dict[int, int]:
    counts = {c: 0 for c in state.offered}
    for choice in state.ballots.values():
        counts[choice] = counts.get(choice, 0) + 1
    return counts


def _result_line(view: TableView[StoryState], story: Story, scene: StoryScene) -> LocalizedText:
    state = view.state
    if state.outcome is None or state.outcome_how is None:
        return words.LEADER_DECIDES
    template = words.CHOSEN.get(state.outcome_how, words.CHOSEN["vote"])
    return _fill(template, story, choice=_choice_label(scene, state, state.outcome))


def _numbered(story: Story, scene: StoryScene, state: StoryState) -> LocalizedText:
    return _lines(story, [_fill(words.OPTION_LINE, story, n=n,
                                choice=_choice_label(scene, state, c))
                          for n, c in enumerate(state.offered, start=1)])


def scene(view: TableView[StoryState]) -> Scene:
    state = view.state
    options: StoryOptions = view.options
    story = _story(view, state)
    here = story.scene(state.path[-1].scene)
    if state.stage == "debrief" or view.ended:
        elements: list[object] = [_page(here),
                                  TextBlockElement(title=words.PATH, text=_path(view, story)),
                                  TextBlockElement(title=words.TALK, style="body",
                                                   text=_lines(story, _debrief(story, here)))]
        return Scene(title=story.title, layout="closing" if view.ended else "story",
                     elements=elements)
    # The picture goes with reading the scene; at the vote the ballot needs the room.
    elements = [*_picture(here), _page(here)] if state.stage == "read" else [_page(here)]
    if state.stage == "vote":
        elements.append(_tally(view, here))
        notes = [words.RULE[options.tie_rule]]
        if options.results_live:
            notes.insert(0, _numbered(story, here, state))
        else:
            # The tally shows only how many have voted, so the options follow it in a block
            # of their own, which the screen keeps with the tally on every page.
            elements.append(TextBlockElement(text=_numbered(story, here, state), style="body"))
            notes.append(words.HIDDEN)
        if state.deadline is not None and options.vote_seconds is not None:
            left = max(0, int((state.deadline - view.now).total_seconds() * 1000))
            elements.append(TimerElement(remaining_ms=left, total_ms=options.vote_seconds * 1000,
                                         running=left > 0))
            if left == 0:
                notes.append(words.TIME_UP)
        elements.append(TextBlockElement(text=_lines(story, notes), style="note"))
    elif state.stage == "result":
        elements.append(_tally(view, here))
        elements.append(TextBlockElement(text=_result_line(view, story, here), style="title"))
    elements.append(_roster(view))
    return Scene(title=story.title, layout="story", elements=elements)


def controls(view: TableView[StoryState], seat: str) -> list[Control]:
    state = view.state
    options: StoryOptions = view.options
    story = _story(view, state)
    here = story.scene(state.path[-1].scene)
    page = TextControl(title=here.title, text=here.text, style="card")
    if state.stage == "debrief":
        items: list[Control] = [page, TextControl(title=words.PATH, text=_path(view, story))]
        items += [TextControl(title=words.TALK, text=q) for q in _debrief(story, here)]
        return items
    if state.stage == "read":
        return [page, ReadyControl(move="read", done=seat in state.ready, label=words.READ),
                TextControl(text=words.READ_NOTE, style="note", read_aloud=False)]
    if state.stage == "vote":
        items = [page, TextControl(text=_question(here), style="title")]
        mine = state.ballots.get(seat)
        can_vote = seat in view.waiting() or options.change_vote
        if can_vote:
            items.append(VoteControl(move="vote", options=[
                Option(value=str(c), label=_choice_label(here, state, c))
                for c in state.offered],
                chosen=str(mine) if mine is not None else None, label=words.VOTE_NOW))
        if mine is not None:
            items.append(TextControl(text=_fill(words.YOUR_VOTE, story,
                                                choice=_choice_label(here, state, mine)),
                                 style="note"))
        elif seat in state.passed:
            items.append(TextControl(text=words.YOU_PASSED, style="note"))
        if options.change_vote and (mine is not None or seat in state.passed):
            items.append(TextControl(text=words.CAN_CHANGE, style="note", read_aloud=False))
        return items
    # The result: counts only, the same for everyone.
    counts = [_fill(words.VOTES_LINE, story, choice=_choice_label(here, state, c),
                    count=state.tally.get(c, 0)) for c in state.offered]
    items = [TextControl(text=_result_line(view, story, here), style="title"),
             TextControl(text=_lines(story, counts), style="body")]
    if state.outcome is not None:
        items.append(ReadyControl(move="read", done=seat in state.ready, label=words.READ))
    return items


def _in_each(make: Callable[[str], str]) -> LocalizedText:
    """Words the panel shows in the leader's language, made the same way in each."""
    return LocalizedText({lang: make(lang) for lang in ("fi", "sv", "en", "fi-x-selko")})


def facilitator(view: TableView[StoryState]) -> list[InfoRow]:
    state = view.state
    story = _story(view, state)
    here = story.scene(state.path[-1].scene)
    rows = [InfoRow(label=words.STORY_INFO, value=story.title),
            InfoRow(label=words.SCENE_INFO,
                    value=_in_each(lambda lang: f"{len(state.path)}. {here.title.pick(lang)}"))]
    if here.sensitive and state.stage != "debrief":
        rows.append(InfoRow(label=words.SENSITIVE_INFO, value=words.SENSITIVE_VALUE))
    if state.stage == "debrief":  # the story stays open for the talk: the leader ends it
        rows.append(InfoRow(label=words.THE_END, value=words.ENDED_NEXT))
    if state.stage in ("vote", "result"):
        rows.append(InfoRow(label=words.VOTED_INFO,
                            value=f"{len(state.ballots)}/{len(view.seats())}"))
        shown = _results_shown(view)
        counts = state.tally if state.stage == "result" else _live_counts(state)

        def listed(lang: str) -> str:
            return "; ".join(f"{n}. {_choice_label(here, state, c).pick(lang)}"
                             + (f" ({counts.get(c, 0)})" if shown else "")
                             for n, c in enumerate(state.offered, start=1))

        rows.append(InfoRow(label=words.OPTIONS_INFO, value=_in_each(listed)))
        if _write_ins_open(view, ""):
            rows.append(InfoRow(label=words.WRITE_INS_INFO, value=words.WRITE_INS))
        if state.stage == "result" and state.outcome is not None and \
                _choice_goto(here, state.outcome) is None:
            rows.append(InfoRow(label=words.CONTINUE_AT, value=words.CONTINUE_AT_FIRST))
    return rows


def audience_scene(view: TableView[StoryState]) -> Scene:
    """The story as an audience sees it: the same page, ballot and result, without the
    roster (nobody's name, nothing tied to a seat)."""
    shown = scene(view)
    return shown.model_copy(update={"elements": [e for e in shown.elements
                                                 if not isinstance(e, RosterElement)]})


def audience_ballot(view: TableView[StoryState]) -> AudienceBallot | None:
    """The audience's own ballot on the group's vote (open while the group votes, its count
    kept through the result); ``None`` when nothing is being voted on."""
    state = view.state
    if state.stage not in ("vote", "result") or not state.offered:
        return None
    here = _scene(view, state)
    # One key per vote: the scene and how far the story has come (a vote reopened on the
    # same scene keeps its audience ballot).
    return AudienceBallot(
        key=f"{len(state.path)}:{here.id}", question=_question(here),
        options=[Option(value=str(c), label=_choice_label(here, state, c))
                 for c in state.offered],
        open=state.stage == "vote", show_counts=_results_shown(view))


_LEADER = frozenset({"go_on", "back", "skip_scene"})

module = define_game(
    id="story",
    version=1,
    title=words.TITLE,
    description=words.DESCRIPTION,
    min_seats=1,
    max_seats=12,
    state_type=StoryState,
    options_type=StoryOptions,
    content_type=StoryContent,
    content_dir="story",
    setup=setup,
    moves={
        "read": Move(read, payload=ReadPayload, who=Who.any),
        "vote": Move(vote, payload=VotePayload, who=Who.any, ends_turn=True),
        "go_on": Move(go_on, who=Who.facilitator, label=words.GO_ON),
        "close_vote": Move(close_vote, who=Who.facilitator, label=words.CLOSE_VOTE),
        "reopen": Move(reopen, who=Who.facilitator, label=words.REOPEN),
        "decide": Move(decide, payload=DecidePayload, who=Who.facilitator, label=words.DECIDE),
        "back": Move(back, who=Who.facilitator, label=words.BACK),
        "skip_scene": Move(skip_scene, who=Who.facilitator, label=words.SKIP_SCENE),
        "continue_at": Move(continue_at, payload=ContinueAtPayload, who=Who.facilitator,
                            label=words.CONTINUE_AT),
    },
    phases={
        "read": Phase(flow=Flow.free, on_begin=begin_read,
                      moves=frozenset({"read", *_LEADER})),
        "vote": Phase(flow=Flow.together, on_begin=begin_vote, on_end=end_vote,
                      moves=frozenset({"vote", "close_vote", "decide", "back", "skip_scene"})),
        "result": Phase(flow=Flow.free, moves=frozenset({"read", "reopen", "decide",
                                                         "continue_at", *_LEADER})),
        "debrief": Phase(flow=Flow.free, on_begin=begin_debrief, moves=frozenset({"back"})),
    },
    start_phase="read",
    on_pass=on_pass,
    scene=scene,
    controls=controls,
    facilitator=facilitator,
    choices=choices,
    choices_for=lambda view: {"scene": [Option(value=s.id, label=s.title)
                                        for s in _story(view, view.state).scenes]},
    # Votes cast, own options proposed and, of them, those the leader took in count; none
    # names what anyone chose or wrote, and a pass is never a contribution.
    contributions={"vote_cast": Contribution(ContributionKind.votes, words.VOTES_CAST),
                   "proposal_made": Contribution(ContributionKind.proposals,
                                                 words.PROPOSALS_MADE),
                   "proposal_accepted": Contribution(ContributionKind.proposals_accepted,
                                                     words.PROPOSALS_ACCEPTED)},
    importers=dict.fromkeys((".twee", ".tw"), Importer(
        import_twee, file_type=Story, folder="stories",
        description="a Twee 3 file from Twine 2 or Tweego")),
    proposals=Proposals(open=_write_ins_open, on_accepted=_write_in_accepted,
                        topic=_write_in_topic, label=words.WRITE_IN_LABEL),
    audience=Audience(scene=audience_scene, ballot=audience_ballot),
)
