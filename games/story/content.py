"""Piiri's own story format: one YAML file per story under ``content/story/stories/``.

A story is a set of scenes. A scene either goes on by itself (``next``), asks the group to
choose (``choices``, two or more), or is an ending (``ending: true``, with debrief questions).
Choices may depend on story variables (``when``) and change them (``set``). Variables are
true/false or whole numbers; ``when: {asked_for_help: true}`` holds when the variable has that
value (a variable nobody has set yet counts as false, or 0).

Example (a story of three scenes, shortened to English)::

    kind: story
    translations: {en: written}
    id: short-walk
    title: {en: A short walk}
    intro: {en: Sam goes out for a walk.}
    debrief: [{en: What makes a walk good for you?}]
    scenes:
      - id: door
        title: {en: At the door}
        text: {en: It is raining a little.}
        question: {en: What does Sam take along?}
        choices:
          - {label: {en: An umbrella}, goto: park, set: {umbrella: true}}
          - {label: {en: Nothing}, goto: park}
      - id: park
        title: {en: In the park}
        text: {en: The rain stops.}
        ending: true
        debrief: [{en: What did Sam notice on the way?}]

Write-in options: ``write_in: true`` on a scene with choices lets participants propose their
own option for its vote (the leader reads every proposal first, see :mod:`engine.proposals`);
``write_in_goto: <scene id>`` is where the story goes when a write-in wins (without it the
leader tells how the story goes on and picks the scene). The leader may also turn write-ins on
for every vote (the table option ``write_ins``).

Checks, each named at its file, line and field: every ``goto`` (and ``next``, ``skip_to``)
names a scene; every scene can be reached from the first; from every scene an ending can be
reached through choices without a condition (so no path ends nowhere and no loop is without a
way out); a choice's condition reads only variables that some way to its scene can have set.

A scene's picture is an :class:`~engine.content.ImageRef` (``picture: {file: pictures/door.png,
alt: {...}}``, the file inside ``content/story/``): the content loader checks that the file is
there and is a picture within the limits, and the alt text has every language of the story,
like any other content picture. The screens show it above the scene's words while the group
reads it.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from engine import ContentFile, LocalizedText
from engine.content import ImageRef, raise_problems, said, unique_ids

from .ink import MAX_SCENE_CHARS, InkStory

__all__ = ["MAX_NUMBER", "MAX_SCENES", "Choice", "Picture", "Scene", "Story", "StoryContent"]

_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_VARIABLE = r"^[a-z][a-z0-9_]*$"
_Loc = tuple[str | int, ...]

#: Longest alternative text for a picture, in characters, in any language.
ALT_LIMIT = 250

#: The most scenes one story may have (the shipped stories have about 20): the checks of how
#: scenes lead to one another then stay quick whatever a file holds.
MAX_SCENES = 1000

#: The largest whole number a story variable may be given or compared with (either way).
MAX_NUMBER = 999_999_999

Value = bool | int


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _raise(title: str, problems: list[tuple[_Loc, str]]) -> None:
    """:func:`engine.content.raise_problems`: each problem at its field, a coded check (made
    with :func:`engine.content.said`) carrying its code and values."""
    raise_problems(problems, title)


class Picture(ImageRef):
    """A picture shown with a scene (its file inside ``content/story/``), told in words for
    those who cannot see it, in a sentence or two."""

    @field_validator("alt")
    @classmethod
    def _short(cls, alt: LocalizedText) -> LocalizedText:
        for lang, text in alt.root.items():
            if len(text) > ALT_LIMIT:
                raise ValueError(f"the {lang} alternative text is longer than {ALT_LIMIT} "
                                 "characters; say what the picture shows in a sentence or two")
        return alt


class Choice(_Model):
    """One option on a ballot: its words, where it leads, when it is offered, what it sets."""

    label: LocalizedText
    goto: str
    when: dict[str, Value] = Field(default_factory=dict)
    """Offered only while every named variable has the given value."""
    set: dict[str, Value] = Field(default_factory=dict)
    """Variables this choice sets when the group takes it."""

    @field_validator("when", "set", mode="before")
    @classmethod
    def _values(cls, value: Any) -> Any:
        """One plain sentence for a value no variable can have (instead of one for each kind
        it is not), and no number too large to show or store."""
        if not isinstance(value, dict):
            return value
        for name, given in value.items():
            if isinstance(given, bool):
                continue
            if not isinstance(given, int):
                shown = repr(given) if not isinstance(given, str) else f"'{given[:40]}'"
                raise ValueError(f"{shown} is not a value a variable can have (the variable "
                                 f"'{name}'): write true, false or a whole number")
            if abs(given) > MAX_NUMBER:
                raise ValueError(f"the number given to the variable '{name}' is too large: "
                                 f"a variable holds a whole number up to {MAX_NUMBER:,}")
        return value

    @field_validator("when", "set")
    @classmethod
    def _names(cls, value: dict[str, Value]) -> dict[str, Value]:
        for name in value:
            if not re.match(_VARIABLE, name):
                raise ValueError(f"'{name}' is not a variable name: use small letters a–z, "
                                 "digits and '_', starting with a letter (for example "
                                 "'asked_for_help')")
        return value


class Scene(_Model):
    """One page of the story."""

    id: str = Field(pattern=_ID)
    title: LocalizedText
    text: LocalizedText
    sensitive: bool = False
    """Touches on something that can hurt (loss, addiction, violence): the leader may skip it."""
    skip_to: str | None = None
    """Where the story goes when the leader skips this sensitive scene (default: ``next``)."""
    picture: Picture | None = None
    question: LocalizedText | None = None
    """What the vote asks (default: "What happens next?")."""
    choices: list[Choice] = Field(default_factory=list)
    next: str | None = None
    write_in: bool = False
    """Participants may propose their own option for this vote (the leader reads it first)."""
    write_in_goto: str | None = None
    """Where the story goes when a write-in option wins (default: the leader tells how the
    story goes on and picks the scene)."""
    ending: bool = False
    debrief: list[LocalizedText] = Field(default_factory=list)
    """Questions to talk about when the story ends here."""

    @field_validator("text")
    @classmethod
    def _readable(cls, text: LocalizedText) -> LocalizedText:
        for lang, words in text.root.items():
            if len(words) > MAX_SCENE_CHARS:
                raise ValueError(f"the {lang} text has {len(words):,} characters; a scene may "
                                 f"have at most {MAX_SCENE_CHARS:,}: split it into several "
                                 "scenes")
        return text

    @model_validator(mode="after")
    def _shape(self) -> Scene:
        problems: list[tuple[_Loc, str]] = []
        if self.ending:
            if self.choices or self.next:
                problems.append((("ending",), "an ending has no 'choices' and no 'next'"))
            if not self.debrief:  # named at 'ending', the line the writer has written
                problems.append((("ending",), "an ending needs at least one debrief question "
                                               "for the group to talk about"))
        else:
            if self.choices and self.next:
                problems.append((("next",), "a scene has either 'choices' or 'next', not both"))
            elif not self.choices and not self.next:
                problems.append((("choices",), said(
                    "give the scene 'choices' (two or more), a 'next' scene, or mark it "
                    "'ending: true'", "no_way_on")))
            elif len(self.choices) == 1:
                problems.append((("choices",), said(
                    "a vote needs two or more choices; for one way on, write "
                    "'next: <scene id>'", "one_choice")))
            if self.debrief:
                problems.append((("debrief",), "debrief questions belong to endings (or to the "
                                               "whole story)"))
        if self.skip_to is not None and not self.sensitive:
            problems.append((("skip_to",), "only a sensitive scene is skipped; add "
                                           "'sensitive: true' or remove 'skip_to'"))
        if self.sensitive and not self.ending and self.next is None and self.skip_to is None:
            problems.append((("skip_to",), "a sensitive scene with choices needs 'skip_to': "
                                           "where the story goes if the leader skips it"))
        if self.write_in_goto is not None and not self.choices:
            problems.append((("write_in_goto",), "only a scene with a vote ('choices') can "
                                                 "take write-in options"))
        if self.choices and all(c.when for c in self.choices):
            problems.append((("choices",), "at least one choice must have no 'when', so the "
                                           "group always has something to choose"))
        _raise("Scene", problems)
        return self

    def ways_on(self) -> list[str]:
        """Every scene this one can lead to (by choice, by itself or by a skip)."""
        out = [c.goto for c in self.choices]
        if self.next is not None:
            out.append(self.next)
        if self.skip_to is not None:
            out.append(self.skip_to)
        if self.write_in_goto is not None:
            out.append(self.write_in_goto)
        return out

    def sure_ways_on(self) -> list[str]:
        """The ways on that are always there (choices without a condition)."""
        out = [c.goto for c in self.choices if not c.when]
        if self.next is not None:
            out.append(self.next)
        return out


class Story(ContentFile):
    """One story: its scenes (the first is where it starts) and its debrief questions."""

    id: str = Field(pattern=_ID)
    title: LocalizedText
    intro: LocalizedText
    """A sentence or two for the leader choosing a story, and for the first screen."""
    debrief: list[LocalizedText] = Field(default_factory=list)
    """Questions for every ending, after the ending's own."""
    scenes: list[Scene] = Field(min_length=2)

    @field_validator("scenes", mode="before")
    @classmethod
    def _not_too_many(cls, scenes: Any) -> Any:
        if isinstance(scenes, list) and len(scenes) > MAX_SCENES:
            raise ValueError(f"the story has {len(scenes):,} scenes; a story may have at most "
                             f"{MAX_SCENES:,}: split it into several stories")
        return scenes

    @field_validator("scenes")
    @classmethod
    def _unique(cls, scenes: list[Scene]) -> list[Scene]:
        return unique_ids(scenes, "scene id")

    @model_validator(mode="after")
    def _graph(self) -> Story:
        _raise("Story", graph_problems(self))
        return self

    @property
    def start(self) -> str:
        return self.scenes[0].id

    def scene(self, scene_id: str) -> Scene:
        for scene in self.scenes:
            if scene.id == scene_id:
                return scene
        raise KeyError(scene_id)


def graph_problems(story: Story) -> list[tuple[_Loc, str]]:
    """Everything wrong with how the scenes of ``story`` lead to one another, each at its field.

    >>> graph_problems(Story.model_construct(scenes=[]))
    []
    """
    scenes = {s.id: (i, s) for i, s in enumerate(story.scenes)}
    problems: list[tuple[_Loc, str]] = []
    known = ", ".join(scenes)
    for i, scene in enumerate(story.scenes):
        for c, choice in enumerate(scene.choices):
            if choice.goto not in scenes:
                problems.append((("scenes", i, "choices", c, "goto"), said(
                    f"there is no scene '{choice.goto}' (the scenes are {known})",
                    "no_such_scene")))
        for name in ("next", "skip_to", "write_in_goto"):
            target = getattr(scene, name)
            if target is not None and target not in scenes:
                problems.append((("scenes", i, name),
                                 f"there is no scene '{target}' (the scenes are {known})"))
    if problems or not story.scenes:
        return problems  # the rest needs every way on to lead somewhere

    def ways(scene_id: str, sure: bool = False) -> list[str]:
        scene = scenes[scene_id][1]
        return scene.sure_ways_on() if sure else scene.ways_on()

    # Reached from the start along any way.
    reached = {story.start}
    queue = deque([story.start])
    while queue:
        for target in ways(queue.popleft()):
            if target not in reached:
                reached.add(target)
                queue.append(target)
    for i, scene in enumerate(story.scenes):
        if scene.id not in reached:
            problems.append((("scenes", i, "id"), said(
                f"no choice or 'next' leads to the scene '{scene.id}', so the group can never "
                f"see it (the story starts at '{story.start}')", "scene_unreachable")))

    # Able to finish: an ending can be reached through ways that are always there.
    finishes = {s.id for s in story.scenes if s.ending}
    changed = True
    while changed:
        changed = False
        for scene in story.scenes:
            if scene.id not in finishes and any(t in finishes for t in scene.sure_ways_on()):
                finishes.add(scene.id)
                changed = True
    if not finishes:
        problems.append((("scenes",), said(
            "the story has no ending: mark at least one scene 'ending: true'", "no_ending")))
        return problems
    for i, scene in enumerate(story.scenes):
        if scene.id in finishes or scene.id not in reached:
            continue
        if _in_loop(scene.id, lambda s: ways(s, sure=True)):
            problems.append((("scenes", i, "id"), said(
                f"from the scene '{scene.id}' the story goes round in a loop with no way out "
                "to an ending", "no_way_to_ending")))
        else:
            problems.append((("scenes", i, "id"), said(
                f"from the scene '{scene.id}' no ending can be reached (through choices "
                "without a 'when')", "no_way_to_ending")))

    # Variables: what some way to each scene can have set before the group chooses there.
    may_be_set: dict[str, set[str]] = {s.id: set() for s in story.scenes}
    changed = True
    while changed:
        changed = False
        for scene in story.scenes:
            if scene.id not in reached:
                continue
            here = may_be_set[scene.id]
            outgoing: list[tuple[str, set[str]]] = [(c.goto, here | set(c.set))
                                                    for c in scene.choices]
            outgoing += [(t, here) for t in (scene.next, scene.skip_to, scene.write_in_goto)
                         if t is not None]
            for target, names in outgoing:
                if not names <= may_be_set[target]:
                    may_be_set[target] |= names
                    changed = True
    for i, scene in enumerate(story.scenes):
        for c, choice in enumerate(scene.choices):
            for name in choice.when:
                if name not in may_be_set[scene.id]:
                    problems.append((("scenes", i, "choices", c, "when", name),
                                     f"the variable '{name}' is read here, but no way to the "
                                     f"scene '{scene.id}' sets it first"))
    return problems


def _in_loop(start: str, ways: Any) -> bool:
    seen: set[str] = set()
    queue = deque(ways(start))
    while queue:
        current = queue.popleft()
        if current == start:
            return True
        if current not in seen:
            seen.add(current)
            queue.extend(ways(current))
    return False


class StoryContent(_Model):
    """``content/story/``: ``stories/<id>.yaml``, and Ink stories in ``ink/<id>/`` (see
    :mod:`games.story.ink`)."""

    stories: dict[str, Story] = Field(min_length=1)
    ink: dict[str, dict[Literal["story"], InkStory]] = Field(default_factory=dict)
    """Each Ink story's folder, holding its ``story.yaml`` (and the compiled files beside it)."""

    @model_validator(mode="after")
    def _names(self) -> StoryContent:
        problems: list[tuple[_Loc, str]] = [
            (("stories", key, "id"), f"the story in stories/{key}.yaml has the id "
                                     f"'{story.id}'; name the file {story.id}.yaml or change "
                                     "the id")
            for key, story in self.stories.items() if story.id != key]
        for key, folder in self.ink.items():
            ink = folder["story"]
            if ink.id != key:
                problems.append((("ink", key, "story", "id"),
                                 f"the story in ink/{key}/ has the id '{ink.id}'; name the "
                                 f"folder {ink.id} or change the id"))
            elif key in self.stories:
                problems.append((("ink", key, "story", "id"),
                                 f"there is a story '{key}' in stories/ already; give the "
                                 "Ink story another id"))
        raise_problems(problems, "StoryContent")
        return self

    def story(self, story_id: str) -> Story:
        """The story ``story_id``, in Piiri's own format or in Ink (an :class:`InkStory` has
        the same ``id``, ``title``, ``intro``, ``debrief``, ``translations``, ``start``,
        ``scenes`` and ``scene()``, and plays the same way).

        Raises:
            KeyError: if there is no such story.
        """
        if story_id in self.stories:
            return self.stories[story_id]
        found: Story = self.ink[story_id]["story"]  # type: ignore[assignment]
        return found

    def all_stories(self) -> list[Story]:
        """Every story, Piiri's own first, then the Ink stories."""
        return [*self.stories.values(), *(self.story(key) for key in self.ink)]
