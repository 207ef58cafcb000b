"""The story on the pygame shared screen, kept as reference pictures (looked at): a long scene
paged, a vote with its tallies, and an ending with the group's path and the debrief questions,
in Finnish and Swedish.

Rewrite the pictures after a deliberate change, and look at them, with::

    PIIRI_UPDATE_SCREEN_REFS=1 .venv/bin/pytest tests/test_story_screen.py
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import re

import pygame
import pytest

from engine import StoryPageElement, VoteTallyElement
from engine.registry import load_game_content
from engine.screen import Renderer, ScreenOptions
from engine.testing import SimulatedTable
from games.story import StoryContent, words
from games.story import module as story_game

from .test_screen import check_picture
from .test_story import paths

LANGS = ["fi", "sv"]
SIZE = (1920, 1080)


@pytest.fixture(scope="module")
def stories() -> StoryContent:
    loaded: StoryContent = load_game_content("story")
    return loaded


@pytest.fixture(autouse=True)
def _pygame() -> None:
    pygame.init()


def play_to(stories: StoryContent, story_id: str, scene_id: str, seats: int = 4,
            **options: object) -> tuple[SimulatedTable, list[str]]:
    """A table of ``seats`` that has read its way, voting together, to ``scene_id``."""
    story = stories.stories[story_id]
    path = next(p for p in paths(story) if scene_id in [s for s, _ in p])
    sim = SimulatedTable(story_game, stories, seed=5,
                         options={"story": story_id, **options})
    ids = sim.join_many(seats)
    sim.start()
    for here, choice in path:
        if here == scene_id:
            break
        sim.leader_move("go_on")
        if sim.state.stage == "vote":
            for seat in ids:
                sim.move(seat, "vote", value=str(choice))
            sim.leader_move("go_on")
    assert sim.state.path[-1].scene == scene_id and sim.state.stage == "read"
    return sim, ids


def test_a_long_scene_is_paged_and_every_word_is_on_a_page(stories: StoryContent) -> None:
    """At a vote the scene shares the screen with the ballot: the longest scene of the first
    story that ends in a vote does not fit beside it, so its words take turns on pages, none
    cut."""
    story = stories.stories["first-day"]
    longest = max((s for s in story.scenes if s.choices), key=lambda s: len(s.text.pick("fi")))
    sim, _ = play_to(stories, "first-day", longest.id, results_live=True)
    sim.leader_move("go_on")
    assert sim.state.stage == "vote"
    page = next(e for e in sim.scene().elements if isinstance(e, StoryPageElement))
    for lang in LANGS:
        options = ScreenOptions(lang=lang)
        renderer = Renderer()
        words: list[str] = []
        seen: set[int] = set()
        pages = 0
        for now in range(0, 600_000, 1_000):
            surface = pygame.Surface(SIZE)
            report = renderer.render(sim.scene(), surface, options=options, now_ms=now)
            assert report.ok, report.issues
            paged = [p for p in report.paged if p[0] == "story"]
            if now == 0:
                assert paged, f"{lang}: the long scene needs pages beside the ballot"
                check_picture(f"story_long_scene_paged_{lang}", surface)
            if not paged:  # the column's other page: the ballot's notes
                continue
            _, shown, pages = paged[0]
            if shown not in seen:
                seen.add(shown)
                title = page.title.pick(lang) if page.title else ""
                words += [w for element, text in report.texts
                          if element == "story" and text != title
                          and not re.fullmatch(r"\d+/\d+", text) for w in text.split()]
        assert seen == set(range(pages)) and pages > 1
        assert words == page.body.pick(lang).split()


def test_a_votes_options_and_tallies_are_on_the_first_page(stories: StoryContent) -> None:
    """With results shown live, the ballot's options and counts are on the screen while the
    scene's words take turns above them (they used to wait on the column's second page)."""
    sim, ids = play_to(stories, "first-day", "morning", results_live=True, write_ins=True)
    sim.leader_move("go_on")
    assert sim.state.stage == "vote"
    sim.move(ids[0], "propose", value="Syö ensin kunnon aamiaisen")
    sim.leader_move("proposal_accept", id=1)
    offered = sim.state.offered
    assert len(offered) == 3
    sim.move(ids[0], "vote", value=str(offered[0]))
    sim.move(ids[1], "vote", value=str(offered[2]))
    sim.move(ids[2], "vote", value=str(offered[2]))
    tally = next(e for e in sim.scene().elements if isinstance(e, VoteTallyElement))
    assert [r.count for r in tally.rows] == [1, 0, 2]
    for lang in LANGS:
        surface = pygame.Surface(SIZE)
        report = Renderer().render(sim.scene(), surface, options=ScreenOptions(lang=lang),
                                   now_ms=0)
        assert report.ok, report.issues
        shown = [text for _, text in report.texts]
        for row in tally.rows:
            assert row.label.pick(lang) in shown, f"{lang}: {row.label.pick(lang)} not shown"
        assert {"0", "1", "2"} <= set(shown)
        assert tally.question.pick(lang) in " ".join(shown)
        check_picture(f"story_vote_tallies_{lang}", surface)


def test_an_ending_shows_the_path_and_the_debrief(stories: StoryContent) -> None:
    story = stories.stories["first-day"]
    ending = next(s.id for s in story.scenes if s.ending)
    sim, _ = play_to(stories, "first-day", ending, seats=3)
    sim.leader_move("go_on")
    assert sim.state.stage == "debrief"
    for lang in LANGS:
        renderer = Renderer()
        seen = ""
        for now in range(0, 600_000, 1_000):
            surface = pygame.Surface(SIZE)
            report = renderer.render(sim.scene(), surface, options=ScreenOptions(lang=lang),
                                     now_ms=now)
            assert report.ok, report.issues
            shown = " ".join(text for _, text in report.texts)
            if words.PATH.pick(lang) in shown and words.PATH.pick(lang) not in seen:
                check_picture(f"story_ending_{lang}", surface)  # the path the group took
            seen += shown
        assert story.scene(ending).title.pick(lang) in seen
        assert story.debrief[0].pick(lang).split()[0] in seen


def test_with_results_hidden_the_options_are_on_the_first_page(stories: StoryContent) -> None:
    """Hidden results (the default) leave the tally only "voted 1/4": the numbered options
    under it stay with it on the column's first page while the long scene's words take turns
    (they used to wait on the second page, with the tie rule)."""
    story = stories.stories["first-day"]
    longest = max((s for s in story.scenes if s.choices), key=lambda s: len(s.text.pick("fi")))
    sim, ids = play_to(stories, "first-day", longest.id)
    sim.leader_move("go_on")
    assert sim.state.stage == "vote"
    sim.move(ids[0], "vote", value=str(sim.state.offered[0]))
    tally = next(e for e in sim.scene().elements if isinstance(e, VoteTallyElement))
    assert tally.rows == []  # no counts until the vote closes
    for lang in LANGS:
        surface = pygame.Surface(SIZE)
        report = Renderer().render(sim.scene(), surface, options=ScreenOptions(lang=lang),
                                   now_ms=0)
        assert report.ok, report.issues
        assert ("column", 0, 2) in report.paged  # the scene does not fit beside the ballot
        shown = " ".join(text for _, text in report.texts)
        for n, choice in enumerate(sim.state.offered, start=1):
            label = longest.choices[choice].label.pick(lang)
            assert f"{n}. {label}" in shown, f"{lang}: option {n} is not on the first page"
        assert tally.question.pick(lang) in shown
        check_picture(f"story_vote_hidden_{lang}", surface)
