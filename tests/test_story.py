"""The story activity: its story format's checks, and whole scripted sessions of the stories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engine import ContentError, ContributionKind, Rejected, StoryPageElement, VoteControl
from engine.content import Problem, content_root, load_content_dir
from engine.registry import find_game, load_game_content
from engine.testing import SimulatedTable
from games.story import StoryContent
from games.story import module as story_game
from games.story.content import Story

LANGUAGES = ("fi", "sv", "en", "fi-x-selko")

# -- the format's checks, each at its file, line and field ------------------------------------

SMALL = """\
kind: story
translations: {en: written}
id: walk
title: {en: A walk}
intro: {en: Sam goes for a walk.}
scenes:
  - id: door
    title: {en: At the door}
    text: {en: It rains a little.}
    choices:
      - label: {en: Umbrella}
        goto: park
        set: {umbrella: true}
      - label: {en: Nothing}
        goto: park
  - id: park
    title: {en: The park}
    text: {en: Ducks.}
    choices:
      - label: {en: Sit down}
        goto: home
      - label: {en: Open the umbrella}
        goto: home
        when: {umbrella: true}
  - id: home
    title: {en: Home}
    text: {en: Tea.}
    ending: true
    debrief: [{en: What did you see?}]
"""


def problems_of(tmp_path: Path, text: str, name: str = "walk") -> tuple[list[Problem], str]:
    root = tmp_path / "content"
    folder = root / "story" / "stories"
    folder.mkdir(parents=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content_dir(root / "story", StoryContent, root)
    return caught.value.problems, text


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_the_small_story_is_valid(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "story" / "stories").mkdir(parents=True)
    (root / "story" / "stories" / "walk.yaml").write_text(SMALL, encoding="utf-8")
    loaded = load_content_dir(root / "story", StoryContent, root)
    assert [s.id for s in loaded.stories["walk"].scenes] == ["door", "park", "home"]


def test_a_goto_naming_no_scene_is_named(tmp_path: Path) -> None:
    problems, text = problems_of(tmp_path, SMALL.replace("goto: park\n        set",
                                                         "goto: parc\n        set"))
    [problem] = problems
    assert problem.file == "content/story/stories/walk.yaml"
    assert problem.line == line_of(text, "goto: parc")
    assert problem.field == "scenes → item 1 → choices → item 1 → goto"
    assert "no scene 'parc'" in problem.message


def test_a_scene_nothing_leads_to_is_named(tmp_path: Path) -> None:
    text = SMALL + """\
  - id: attic
    title: {en: The attic}
    text: {en: Dust.}
    next: home
"""
    problems, text = problems_of(tmp_path, text)
    [problem] = problems
    assert problem.line == line_of(text, "id: attic")
    assert problem.field.endswith("scenes → item 4 → id")
    assert "can never see it" in problem.message


def test_a_loop_without_a_way_out_is_named(tmp_path: Path) -> None:
    text = SMALL.replace("""      - label: {en: Sit down}
        goto: home""", """      - label: {en: Sit down}
        goto: pond""") + """\
  - id: pond
    title: {en: The pond}
    text: {en: Round and round.}
    next: park
"""
    problems, text = problems_of(tmp_path, text)
    loops = [p for p in problems if "loop with no way out" in p.message]
    assert {p.line for p in loops} == {line_of(text, "id: park"), line_of(text, "id: pond")}
    assert all(p.file == "content/story/stories/walk.yaml" for p in loops)
    assert any(p.field.endswith("scenes → item 2 → id") for p in loops)


def test_a_variable_read_before_it_can_be_set_is_named(tmp_path: Path) -> None:
    problems, text = problems_of(tmp_path, SMALL.replace("when: {umbrella: true}",
                                                         "when: {raincoat: true}"))
    [problem] = problems
    assert problem.line == line_of(text, "when: {raincoat: true}")
    assert problem.field.endswith("scenes → item 2 → choices → item 2 → when → raincoat")
    assert "'raincoat' is read here" in problem.message


def test_a_missing_translation_is_named(tmp_path: Path) -> None:
    text = SMALL.replace("translations: {en: written}",
                         "translations: {en: written, fi: written}").replace(
        "title: {en: A walk}", "title: {en: A walk, fi: Kävely}")
    problems, text = problems_of(tmp_path, text)
    first = problems[0]
    assert first.line == line_of(text, "intro:")
    assert first.field == "intro"
    assert "no fi text" in first.message
    assert len(problems) > 5  # every text without Finnish is named


def test_a_picture_needs_its_alt_text(tmp_path: Path) -> None:
    text = SMALL.replace("    text: {en: Ducks.}\n",
                         "    text: {en: Ducks.}\n    picture: {file: ducks.png}\n")
    problems, text = problems_of(tmp_path, text)
    [problem] = problems
    assert problem.line == line_of(text, "picture:")
    assert problem.field.endswith("scenes → item 2 → picture → alt")
    assert problem.message == "is missing"


def test_a_picture_alt_text_must_be_short(tmp_path: Path) -> None:
    long = "Ducks on a pond. " * 20
    text = SMALL.replace("    text: {en: Ducks.}\n",
                         f"    text: {{en: Ducks.}}\n    picture:\n      file: ducks.png\n"
                         f"      alt: {{en: {long}}}\n")
    problems, text = problems_of(tmp_path, text)
    [problem] = problems
    assert problem.line == line_of(text, "alt:")
    assert "longer than 250" in problem.message


def test_every_choice_behind_a_condition_is_named(tmp_path: Path) -> None:
    text = SMALL.replace("""      - label: {en: Sit down}
        goto: home
""", """      - label: {en: Sit down}
        goto: home
        when: {umbrella: false}
""")
    problems, text = problems_of(tmp_path, text)
    [problem] = problems
    assert problem.field.endswith("scenes → item 2 → choices")
    assert "at least one choice must have no 'when'" in problem.message


def test_a_sensitive_scene_with_choices_needs_skip_to(tmp_path: Path) -> None:
    text = SMALL.replace("    text: {en: Ducks.}\n",
                         "    text: {en: Ducks.}\n    sensitive: true\n")
    problems, _ = problems_of(tmp_path, text)
    [problem] = problems
    assert problem.field.endswith("scenes → item 2 → skip_to")
    assert "needs 'skip_to'" in problem.message


def test_an_ending_needs_debrief_questions(tmp_path: Path) -> None:
    text = SMALL.replace("    debrief: [{en: What did you see?}]\n", "")
    problems, text = problems_of(tmp_path, text)
    [problem] = problems
    assert problem.line == line_of(text, "ending: true")
    assert "at least one debrief question" in problem.message


def test_a_story_file_is_named_by_its_id(tmp_path: Path) -> None:
    problems, text = problems_of(tmp_path, SMALL, name="stroll")
    [problem] = problems
    assert problem.file == "content/story/stories/stroll.yaml"
    assert problem.line == line_of(text, "id: walk")
    assert "has the id 'walk'" in problem.message


# -- the shipped stories ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def stories() -> StoryContent:
    loaded: StoryContent = load_game_content("story")
    return loaded


def paths(story: Story) -> list[list[tuple[str, int | None]]]:
    """Every way through ``story``: (scene, choice taken there) pairs, conditions applied."""
    out: list[list[tuple[str, int | None]]] = []

    def walk(scene_id: str, variables: dict[str, Any], so_far: list[tuple[str, int | None]],
             ) -> None:
        scene = story.scene(scene_id)
        assert len(so_far) < 60, "a path goes round without end"
        if scene.ending:
            out.append([*so_far, (scene_id, None)])
        elif scene.next is not None:
            walk(scene.next, variables, [*so_far, (scene_id, None)])
        else:
            for i, choice in enumerate(scene.choices):
                if all(variables.get(k, False) == v for k, v in choice.when.items()):
                    walk(choice.goto, {**variables, **choice.set}, [*so_far, (scene_id, i)])

    walk(story.start, {}, [])
    return out


def test_story_is_installed_and_counts_votes_as_contributions() -> None:
    assert find_game("story") is story_game
    counted = story_game.contributions["vote_cast"]
    assert counted.kind is ContributionKind.votes
    assert set(counted.label.languages()) >= set(LANGUAGES)
    assert "vote_passed" not in story_game.contributions


def test_each_shipped_story_is_long_enough(stories: StoryContent) -> None:
    for story in stories.stories.values():
        assert set(story.translations) >= set(LANGUAGES)
        assert len(story.scenes) >= 15
        assert sum(1 for s in story.scenes if s.ending) >= 3
        assert story.debrief
        for path in paths(story):
            votes = sum(1 for _, choice in path if choice is not None)
            assert votes >= 5, f"{story.id}: a path with {votes} votes: {path}"


def play_path(stories: StoryContent, story_id: str, path: list[tuple[str, int | None]],
              lang: str, seed: int = 1) -> SimulatedTable:
    """Three seats play ``path``: they read, vote for the path's choice (one passes), and go on.
    Returns the table at the debrief."""
    sim = SimulatedTable(story_game, stories, seed=seed, options={"story": story_id})
    seats = sim.join_many(3)
    sim.start()
    for n, (scene_id, choice) in enumerate(path):
        assert sim.state.path[-1].scene == scene_id
        page = next(e for e in sim.scene().elements if isinstance(e, StoryPageElement))
        assert page.body.pick(lang) == page.body[lang] and page.body[lang].strip()
        assert page.title is not None and page.title[lang].strip()
        for seat in seats:  # the group reads; every other scene the leader moves on instead
            if n % 2:
                sim.move(seat, "read")
        if not n % 2:
            sim.leader_move("go_on")
        if choice is None:
            continue
        if sim.state.stage == "read":  # the conditions left one way on
            continue
        assert sim.state.stage == "vote"
        offered = sim.state.offered
        vote = next(c for c in sim.controls(seats[0]).items if isinstance(c, VoteControl))
        assert [o.value for o in vote.options] == [str(c) for c in offered]
        assert all(o.label[lang].strip() for o in vote.options)
        sim.move(seats[0], "vote", value=str(choice))
        sim.pass_turn(seats[1])
        sim.move(seats[2], "vote", value=str(choice))
        assert sim.state.stage == "result" and sim.state.outcome == choice
        sim.leader_move("go_on")
    assert sim.state.stage == "debrief"
    [ended] = sim.facts("story_ended")
    assert ended.data["ending"] == path[-1][0]
    for item in sim.controls(seats[1]).items:
        text = getattr(item, "text", None)
        if text is not None and "und" not in text.languages():
            assert text.pick(lang).strip()
    return sim


def test_every_path_of_every_story_reaches_an_ending_in_every_language(
        stories: StoryContent) -> None:
    played = 0
    for story in stories.stories.values():
        every = paths(story)
        endings = {path[-1][0] for path in every}
        assert endings == {s.id for s in story.scenes if s.ending}
        for i, path in enumerate(every):
            sim = play_path(stories, story.id, path, LANGUAGES[i % len(LANGUAGES)])
            # The path the screen shows is the one the group took.
            assert [s.scene for s in sim.state.path] == [scene for scene, _ in path]
            played += 1
    assert played > 20


def test_a_whole_session_replays_to_the_same_table(stories: StoryContent) -> None:
    story = stories.stories["first-day"]
    sim = play_path(stories, "first-day", paths(story)[-1], "sv", seed=9)
    sim.assert_replays()
    sim.end()
    assert sim.scene().layout == "closing"
    sim.assert_replays()


# -- votes: ties, passes, changes, privacy ----------------------------------------------------


def at_first_vote(stories: StoryContent, seats: int = 3, **options: Any,
                  ) -> tuple[SimulatedTable, list[str]]:
    sim = SimulatedTable(story_game, stories, seed=4, options={"story": "first-day", **options})
    ids = sim.join_many(seats)
    sim.start()
    sim.leader_move("go_on")
    assert sim.state.stage == "vote"
    return sim, ids


def test_a_tie_is_settled_by_a_seeded_draw_and_the_screen_says_so(
        stories: StoryContent) -> None:
    sim, (a, b) = at_first_vote(stories, seats=2)
    notes = json.dumps(sim.scene().model_dump(mode="json"), ensure_ascii=False)
    assert "If the votes are tied, a draw decides." in notes
    sim.move(a, "vote", value="0")
    sim.move(b, "vote", value="1")
    assert sim.state.stage == "result"
    assert sim.state.outcome_how == "draw" and sim.state.outcome in (0, 1)
    [closed] = sim.facts("vote_closed")
    assert closed.data["tallies"] == {"0": 1, "1": 1}
    assert closed.data["how"] == "draw"
    again = sim.assert_replays()  # the draw comes from the table's seed: replay draws the same
    assert again.state.outcome == sim.state.outcome


def test_a_tie_can_be_left_to_the_leader(stories: StoryContent) -> None:
    sim, (a, b) = at_first_vote(stories, seats=2, tie_rule="leader")
    assert "If the votes are tied, the leader decides." in json.dumps(
        sim.scene().model_dump(mode="json"))
    sim.move(a, "vote", value="0")
    sim.move(b, "vote", value="1")
    assert sim.state.stage == "result" and sim.state.outcome is None
    refused = sim.try_move(None, "go_on")
    assert isinstance(refused, Rejected) and refused.message_key == "story.decide_first"
    sim.leader_move("decide", option=2)
    assert sim.state.path[-1].scene == "call"
    assert sim.state.path[0].how == "leader"
    assert sim.state.variables == {"called_aila": True}
    sim.assert_replays()


def test_a_pass_is_one_tap_and_never_counted(stories: StoryContent) -> None:
    sim, (a, b, c) = at_first_vote(stories)
    assert any(item.kind == "pass" for item in sim.controls(b).items)
    sim.move(a, "vote", value="1")
    sim.pass_turn(b)
    # On the screen a seat that passed looks like one that voted.
    roster = next(e for e in sim.scene().elements if e.kind == "roster")
    assert [e.status.value for e in roster.entries] == ["answered", "answered", "waiting"]
    assert any("You passed this vote" in json.dumps(i.model_dump(mode="json"))
               for i in sim.controls(b).items)
    sim.move(c, "vote", value="1")
    [passed] = sim.facts("vote_passed")
    assert passed.seat == b and passed.data == {"vote": 1}
    [closed] = sim.facts("vote_closed")
    assert closed.data["tallies"] == {"0": 0, "1": 2}
    assert "vote_passed" not in story_game.contributions


def test_when_everyone_passes_the_tie_rule_decides_among_all(stories: StoryContent) -> None:
    sim, seats = at_first_vote(stories)
    for seat in seats:
        sim.pass_turn(seat)
    assert sim.state.stage == "result"
    assert sim.state.tied == [0, 1] and sim.state.outcome_how == "draw"


def test_a_vote_is_not_changed_unless_the_table_allows_it(stories: StoryContent) -> None:
    sim, (a, _b, _c) = at_first_vote(stories)
    sim.move(a, "vote", value="0")
    refused = sim.try_move(a, "vote", value="1")
    assert isinstance(refused, Rejected) and refused.message_key == "story.already_voted"
    assert sim.state.ballots == {a: 0}


def test_a_vote_can_be_changed_until_close_when_allowed(stories: StoryContent) -> None:
    sim, (a, b, c) = at_first_vote(stories, change_vote=True)
    sim.move(a, "vote", value="0")
    sim.move(a, "vote", value="1")
    sim.pass_turn(b)
    sim.move(b, "vote", value="1")  # from a pass to a vote
    assert [f.kind for f in sim.facts() if f.seat in (a, b) and f.kind.startswith("vote")] == [
        "vote_cast", "vote_changed", "vote_passed", "vote_cast"]  # a pass is not a vote
    mine = next(i for i in sim.controls(a).items if isinstance(i, VoteControl))
    assert mine.chosen == "1"
    sim.move(c, "vote", value="0")
    assert sim.state.stage == "result"
    assert sim.state.tally == {0: 1, 1: 2} and sim.state.outcome == 1
    refused = sim.try_move(a, "vote", value="0")  # closed: nothing more to change
    assert isinstance(refused, Rejected)
    sim.assert_replays()


def test_votes_stay_private(stories: StoryContent) -> None:
    sim, (a, b, c) = at_first_vote(stories)
    sim.move(a, "vote", value="1")
    sim.move(b, "vote", value="0")
    for fact in sim.facts("vote_cast"):
        assert set(fact.data) == {"vote"}  # the seat, never the option
    screen = sim.scene()
    tally = next(e for e in screen.elements if e.kind == "tally")
    assert tally.rows == [] and tally.voted == 2 and tally.voters == 3  # hidden until closed
    dumped = json.dumps(screen.model_dump(mode="json"), ensure_ascii=False)
    assert "You voted" not in dumped and "Äänestit" not in dumped
    # Each tablet shows its own vote only; the one yet to vote shows nobody's.
    own = {seat: json.dumps(sim.controls(seat).model_dump(mode="json"), ensure_ascii=False)
           for seat in (a, b, c)}
    assert "Calls a friend, Aila" in own[a].split("You voted")[1]
    assert "Sets off early on foot" in own[b].split("You voted")[1]
    assert "You voted" not in own[c]
    vote_c = next(i for i in sim.controls(c).items if isinstance(i, VoteControl))
    assert vote_c.chosen is None
    # The leader's view has counts only, and only once they are shown.
    info = " ".join(row.value_in("en") for row in sim.table.facilitator_view().info)
    assert "2/3" in info and "(1)" not in info


def test_results_can_be_shown_live(stories: StoryContent) -> None:
    sim, (a, _b, _c) = at_first_vote(stories, results_live=True)
    sim.move(a, "vote", value="1")
    tally = next(e for e in sim.scene().elements if e.kind == "tally")
    assert [r.count for r in tally.rows] == [0, 1]


def test_a_gentle_timer_counts_down_but_never_closes_the_vote(stories: StoryContent) -> None:
    sim, (a, _b, _c) = at_first_vote(stories, vote_seconds=60)
    timer = next(e for e in sim.scene().elements if e.kind == "timer")
    assert timer.total_ms == 60_000 and timer.running
    sim.advance(120)
    sim.move(a, "vote", value="0")
    assert sim.state.stage == "vote"
    timer = next(e for e in sim.scene().elements if e.kind == "timer")
    assert timer.remaining_ms == 0 and not timer.running
    assert "The time is up" in json.dumps(sim.scene().model_dump(mode="json"))


# -- the leader's moves ------------------------------------------------------------------------


def test_the_leader_closes_early_reopens_and_decides(stories: StoryContent) -> None:
    sim, (a, b, _c) = at_first_vote(stories)
    sim.move(a, "vote", value="1")
    sim.leader_move("close_vote")
    assert sim.state.stage == "result" and sim.state.outcome == 1
    assert sim.facts("vote_closed")[-1].data["by"] == "leader"
    sim.leader_move("reopen")
    assert sim.state.stage == "vote" and sim.state.ballots == {}
    assert len(sim.facts("vote_opened")) == 2 and sim.facts("vote_reopened")
    sim.move(b, "vote", value="1")
    sim.leader_move("decide", option=1)  # decided during the vote: it closes, then goes on
    assert sim.state.path[-1].scene == "walk"
    assert sim.facts("vote_closed")[-1].data["outcome"] is None
    assert sim.facts("choice_made")[-1].data == {"story": "first-day", "scene": "morning",
                                                 "choice": 0, "how": "leader"}
    refused = sim.try_move(None, "decide", option=1)
    assert isinstance(refused, Rejected)  # nothing to decide while reading
    sim.assert_replays()


def test_the_engine_skip_closes_the_vote_too(stories: StoryContent) -> None:
    sim, (a, _b, _c) = at_first_vote(stories)
    sim.move(a, "vote", value="0")
    sim.skip()
    assert sim.state.stage == "result" and sim.state.outcome == 0


def test_the_leader_goes_back_one_scene_and_the_variables_go_back_too(
        stories: StoryContent) -> None:
    sim, _ = at_first_vote(stories)
    refused = sim.try_move(None, "back")
    assert isinstance(refused, Rejected) and refused.message_key == "story.at_start"
    sim.leader_move("decide", option=2)
    assert sim.state.variables == {"called_aila": True}
    sim.leader_move("back")
    assert [s.scene for s in sim.state.path] == ["morning"]
    assert sim.state.stage == "read" and sim.state.variables == {}
    assert sim.state.path[0].choice is None
    [back] = sim.facts("scene_back")
    assert back.data == {"story": "first-day", "scene": "call", "to": "morning"}
    assert len(sim.facts("scene_shown")) == 3  # morning, call, morning again: the log keeps all
    sim.assert_replays()


def test_the_leader_skips_only_a_sensitive_scene(stories: StoryContent) -> None:
    sim, _ = at_first_vote(stories)
    refused = sim.try_move(None, "skip_scene")
    assert isinstance(refused, Rejected) and refused.message_key == "story.not_sensitive"
    for option in (1, 2, 1, 1):  # walk, notice board, clothes, ask Tuula
        sim.leader_move("decide", option=option)
        if sim.state.stage == "read" and not story_of(sim).scene(
                sim.state.path[-1].scene).choices:
            sim.leader_move("go_on")
        sim.leader_move("go_on")
    assert sim.state.path[-1].scene == "lunch"
    sim.leader_move("decide", option=1)
    assert sim.state.path[-1].scene == "table-talk"
    assert any(row.label["en"] == "Sensitive scene" for row in sim.table.facilitator_view().info)
    sim.leader_move("skip_scene")
    assert sim.state.path[-1].scene == "afternoon"
    assert sim.facts("scene_skipped")[0].data["scene"] == "table-talk"
    assert sim.state.path[-2].how == "skip"


def story_of(sim: SimulatedTable) -> Story:
    content: StoryContent = sim.content
    return content.stories[sim.state.story]


def test_a_condition_adds_an_option_only_when_it_holds(stories: StoryContent) -> None:
    for read_board, expected in ((False, 3), (True, 4)):
        sim, _ = at_first_vote(stories)
        sim.leader_move("decide", option=1)  # walk
        sim.leader_move("go_on")
        sim.leader_move("go_on")  # the door's vote
        sim.leader_move("decide", option=2 if read_board else 1)
        sim.leader_move("go_on")
        sim.leader_move("go_on")  # the tour's vote
        assert len(sim.state.offered) == expected


def test_at_an_ending_the_path_and_debrief_show_never_per_person(
        stories: StoryContent) -> None:
    story = stories.stories["first-day"]
    path = paths(story)[0]
    sim = play_path(stories, "first-day", path, "en")
    dumped = json.dumps(sim.scene().model_dump(mode="json"), ensure_ascii=False)
    assert "The path we took" in dumped and "Let's talk together" in dumped
    assert "1. Morning → Sets off early on foot" in dumped
    assert story.debrief[0]["en"] in dumped
    for nickname in ("Aino", "Bashir", "Camilla"):
        assert nickname not in dumped.split("The path we took")[1].split("roster")[0]


def test_the_content_check_passes() -> None:
    loaded = load_content_dir(content_root() / "story", StoryContent)
    assert "first-day" in loaded.stories


def test_the_leaders_view_speaks_the_leaders_language(stories: StoryContent) -> None:
    sim, _ = at_first_vote(stories)
    story = stories.stories["first-day"]
    info = {row.label["en"]: row for row in sim.table.facilitator_view().info}
    titles = {lang: info["Story"].value_in(lang) for lang in ("fi", "sv", "en")}
    assert titles == {lang: story.title[lang] for lang in ("fi", "sv", "en")}
    options = next(row for label, row in info.items() if "ption" in label)
    first = story.scene(sim.state.path[-1].scene).choices[0].label
    assert first["sv"] in options.value_in("sv") and first["fi"] not in options.value_in("sv")
