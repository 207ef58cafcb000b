"""Stories written in Ink play in the story activity (issue 16, the Ink part).

The fixture ``tests/ink/small-walk/`` is a compiled Ink story (``*.json``, made from the ``*.ink``
beside it as content/story/ink/README.md says) with once-only, sticky, conditional and fallback
choices, variables and every tag Piiri reads; its ``sv.json`` differs from the others in one
choice, for the check to refuse.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine import ContentError, MakeMove, StartTable, StoryPageElement, VoteControl
from engine.content import content_root, load_content_dir
from engine.log import replay
from engine.registry import load_game_content
from engine.testing import SimulatedTable
from games.story import StoryContent
from games.story import module as story_game
from games.story.content import Story
from games.story.ink import InkStory

from .browser import wait_for
from .live_server import LiveServer
from .test_protocol import Client

FIXTURE = Path(__file__).parent / "ink" / "small-walk"
SHIPPED = "a-neighbour-needs-a-hand-ink"
LANGUAGES = ("fi", "sv", "en", "fi-x-selko")
BOM = b"\xef\xbb\xbf"


def content_with_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         languages: tuple[str, ...] = ("en", "fi")) -> Path:
    """A content folder holding one shipped story of Piiri's own and the Ink fixture in
    ``languages``; Piiri reads content from it for the rest of the test."""
    root = tmp_path / "content"
    (root / "story" / "stories").mkdir(parents=True)
    shutil.copy(content_root() / "story" / "stories" / "first-day.yaml",
                root / "story" / "stories")
    shutil.copytree(content_root() / "story" / "pictures", root / "story" / "pictures")
    folder = root / "story" / "ink" / "small-walk"
    shutil.copytree(FIXTURE, folder)
    yaml = (FIXTURE / "story.yaml").read_text(encoding="utf-8")
    if "sv" in languages:
        yaml = (yaml.replace("fi: written}", "fi: written, sv: written}")
                .replace("fi: Pieni kävely}", "fi: Pieni kävely, sv: En liten promenad}")
                .replace("sateeseen.}", "sateeseen., sv: Sam går ut i regnet.}")
                .replace("hyvän sinulle?}", "hyvän sinulle?, sv: Vad gör en promenad bra?}"))
    (folder / "story.yaml").write_text(yaml, encoding="utf-8")
    monkeypatch.setenv("PIIRI_CONTENT_DIR", str(root))
    return root


@pytest.fixture
def walk_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StoryContent:
    root = content_with_fixture(tmp_path, monkeypatch)
    return load_content_dir(root / "story", StoryContent, root)


@pytest.fixture
def walk(walk_content: StoryContent) -> InkStory:
    story = walk_content.ink["small-walk"]["story"]
    return story


def labels(story: Any, scene_id: str, lang: str = "en") -> list[str]:
    return [c.label[lang] for c in story.scene(scene_id).choices]


# -- the compiled fixture, played through the runtime -------------------------------------------


def test_the_fixture_is_compiled_ink_with_a_byte_order_mark() -> None:
    for lang in ("en", "fi", "sv"):
        raw = (FIXTURE / f"{lang}.json").read_bytes()
        assert raw.startswith(BOM)  # as Inky and inklecate write it
        assert json.loads(raw.decode("utf-8-sig"))["inkVersion"] >= 20


def test_text_up_to_a_choice_is_one_scene_and_its_choices_the_options(walk: InkStory) -> None:
    start = walk.scene(walk.start)
    assert start.id == "start"
    assert start.text["en"] == "It rains a little. Sam stands at the door."
    assert start.text["fi"] == "Sataa vähän. Sami seisoo ovella."
    assert labels(walk, "start") == ["An umbrella", "Nothing"]
    assert labels(walk, "start", "fi") == ["Sateenvarjon", "Ei mitään"]
    assert [c.goto for c in start.choices] == ["start.0", "start.1"]
    with pytest.raises(KeyError):
        walk.scene("start.7")
    with pytest.raises(KeyError):
        walk.scene("door")


def test_variables_and_a_conditional_choice_behave_as_ink_defines(walk: InkStory) -> None:
    # With the umbrella the sticky conditional choice is there; without it, not.
    assert labels(walk, "start.0") == ["Feed the ducks", "Look at the sky", "Open the umbrella"]
    assert labels(walk, "start.1") == ["Feed the ducks", "Look at the sky"]
    assert walk.variables("start.0") == {"umbrella": True, "rounds": 1}
    assert walk.variables("start.1.0") == {"umbrella": False, "rounds": 2}
    assert "round the pond 2 times" in walk.scene("start.1.0").text["en"]


def test_once_only_choices_go_and_sticky_ones_stay(walk: InkStory) -> None:
    # Fed the ducks once: that once-only choice is gone, the sticky umbrella stays.
    assert labels(walk, "start.0.0") == ["Look at the sky", "Open the umbrella"]
    assert labels(walk, "start.0.0.0") == ["Open the umbrella"]


def test_the_fallback_choice_is_taken_when_nothing_else_is_left(walk: InkStory) -> None:
    # Without the umbrella, after both once-only choices only the fallback is left: Ink takes
    # it by itself, and the scene runs on to the ending.
    assert labels(walk, "start.1.0") == ["Look at the sky"]
    end = walk.scene("start.1.0.0")
    assert end.ending and not end.choices
    assert end.text["en"].endswith("Back home, Sam makes tea.")


def test_tags_carry_title_question_picture_and_flags(walk: InkStory) -> None:
    start = walk.scene("start")
    assert start.title.root == {"en": "At the door", "fi": "Ovella"}  # not the story's title
    assert start.question is not None and start.question["fi"] == "Mitä Sami ottaa mukaan?"
    # The picture beside the .ink files, checked by the loader like any content picture.
    assert start.picture is not None and start.picture.src == "story/ink/small-walk/door.png"
    assert start.picture.size == (320, 180)
    assert start.picture.alt["en"] == "A door open to a wet street"
    assert start.write_in and start.write_in_goto == "start.1"  # '# write-in: 2'
    assert not start.sensitive
    shelter = walk.scene("start.0.2")
    assert shelter.title["en"] == "Under the umbrella"
    assert shelter.sensitive and shelter.skip_to == "start.0.2.1"  # '# skip: 2'
    home = walk.scene("start.0.2.0")
    assert home.ending and home.title["en"] == "Home"
    assert [q.root for q in home.debrief] == [{"en": "What did Sam see on the way?",
                                               "fi": "Mitä Sami näki matkalla?"}]


def test_the_content_check_refuses_languages_that_differ_in_one_choice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = content_with_fixture(tmp_path, monkeypatch, ("en", "fi", "sv"))
    with pytest.raises(ContentError) as caught:
        load_content_dir(root / "story", StoryContent, root)
    [problem] = caught.value.problems
    assert problem.file.endswith("story/ink/small-walk/story.yaml")
    assert problem.field == "translations → sv"
    assert problem.line == 3
    assert problem.message == ("in the knot 'park', choice 2 is a once-only choice (*) in "
                               "en.json but a sticky choice (+) in sv.json")


def test_the_content_check_names_a_missing_compiled_file_and_a_missing_knot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = content_with_fixture(tmp_path, monkeypatch)
    folder = root / "story" / "ink" / "small-walk"
    (folder / "fi.json").unlink()
    with pytest.raises(ContentError) as caught:
        load_content_dir(root / "story", StoryContent, root)
    assert "there is no compiled Ink file fi.json" in str(caught.value)
    # A version without the knot 'shelter' (its name changed in the compiled file).
    compiled = (FIXTURE / "fi.json").read_bytes().replace(b'"shelter"', b'"suoja"')
    (folder / "fi.json").write_bytes(compiled)
    with pytest.raises(ContentError) as caught:
        load_content_dir(root / "story", StoryContent, root)
    assert "the knot 'shelter' is in en.json but not in fi.json" in str(caught.value)


# -- at a table ------------------------------------------------------------------------------


def play_to_the_end(sim: SimulatedTable, seats: list[str], pick: Callable[[Any], int],
                    lang: str = "en") -> None:
    """Everyone reads; at each vote the seats vote for ``pick(scene)`` (one passes)."""
    for _ in range(40):
        stage = sim.state.stage
        if stage == "debrief":
            return
        if stage == "read":
            page = next(e for e in sim.scene().elements if isinstance(e, StoryPageElement))
            assert page.body[lang].strip() and page.title is not None
            for seat in seats:
                if sim.state.stage == "read":
                    sim.move(seat, "read")
        elif stage == "vote":
            vote = next(c for c in sim.controls(seats[0]).items if isinstance(c, VoteControl))
            choice = pick(vote)
            sim.move(seats[0], "vote", value=str(choice))
            sim.pass_turn(seats[1])
            assert sim.state.stage == "result" and sim.state.outcome == choice
            sim.leader_move("go_on")
    raise AssertionError("the story never ended")


def test_a_scripted_table_plays_an_ink_story_to_an_ending(walk_content: StoryContent) -> None:
    sim = SimulatedTable(story_game, walk_content, seed=5, options={"story": "small-walk"})
    seats = sim.join_many(2)
    sim.start()
    # Umbrella, then feed the ducks (the last option each time: the umbrella at the pond),
    # then the sensitive scene: the leader skips it.
    sim.leader_move("go_on")
    sim.move(seats[0], "vote", value="0")
    sim.move(seats[1], "vote", value="0")
    assert sim.state.outcome == 0
    sim.leader_move("go_on")
    assert sim.state.path[-1].scene == "start.0"
    sim.leader_move("go_on")
    vote = next(c for c in sim.controls(seats[0]).items if isinstance(c, VoteControl))
    assert [o.label["en"] for o in vote.options] == ["Feed the ducks", "Look at the sky",
                                                     "Open the umbrella"]
    sim.move(seats[0], "vote", value="2")
    sim.move(seats[1], "vote", value="2")
    sim.leader_move("go_on")
    assert sim.state.path[-1].scene == "start.0.2"
    sim.leader_move("skip_scene")  # '# sensitive' with '# skip: 2'
    assert sim.state.path[-1].scene == "start.0.2.1"
    assert sim.state.stage == "read"
    sim.leader_move("go_on")
    assert sim.state.stage == "debrief"
    [ended] = sim.facts("story_ended")
    assert ended.data["ending"] == "start.0.2.1"
    dumped = json.dumps(sim.scene().model_dump(mode="json"), ensure_ascii=False)
    assert "1. At the door → An umbrella" in dumped
    assert "What did Sam see on the way?" in dumped  # the ending's own debrief question
    assert "What makes a walk good for you?" in dumped  # and the story's
    sim.assert_replays()


def test_a_single_choice_goes_on_without_a_vote_and_the_fallback_ends_it(
        walk_content: StoryContent) -> None:
    sim = SimulatedTable(story_game, walk_content, seed=5, options={"story": "small-walk"})
    seats = sim.join_many(2)
    sim.start()
    play_to_the_end(sim, seats, lambda vote: int(vote.options[-1].value))
    # Nothing; look at the sky; feed the ducks (then only the fallback is left).
    assert [s.scene for s in sim.state.path] == ["start", "start.1", "start.1.1", "start.1.1.0"]
    assert sim.scene().elements[0].body["en"].endswith("Back home, Sam makes tea.")
    sim.assert_replays()


def test_a_replay_rebuilds_the_runtime_from_the_choices_in_the_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = content_with_fixture(tmp_path, monkeypatch)
    content = load_content_dir(root / "story", StoryContent, root)
    sim = SimulatedTable(story_game, content, seed=2, options={"story": "small-walk"})
    seats = sim.join_many(2)
    sim.start()
    sim.leader_move("go_on")
    sim.move(seats[0], "vote", value="0")
    sim.move(seats[1], "vote", value="0")
    sim.leader_move("go_on")
    sim.leader_move("go_on")
    sim.move(seats[0], "vote", value="0")  # mid-vote: one ballot cast
    # As after a restart: the content read again (a runtime that has played nothing yet).
    fresh = load_content_dir(root / "story", StoryContent, root)
    again = replay(story_game, fresh, sim.log)
    assert again.fingerprint() == sim.table.fingerprint()
    assert again.state.ballots == {seats[0]: 0}
    view_before = sim.scene().model_dump(mode="json")
    story = fresh.ink["small-walk"]["story"]
    assert story.scene(again.state.path[-1].scene).model_dump(mode="json") == \
        content.ink["small-walk"]["story"].scene(sim.state.path[-1].scene).model_dump(mode="json")
    assert story.variables(again.state.path[-1].scene) == {"umbrella": True, "rounds": 1}
    assert view_before["elements"][0]["body"]["en"].startswith("Sam takes the umbrella.")


def test_views_do_not_replay_the_runtime(walk_content: StoryContent) -> None:
    sim = SimulatedTable(story_game, walk_content, seed=5, options={"story": "small-walk"})
    seats = sim.join_many(2)
    sim.start()
    sim.leader_move("go_on")
    sim.move(seats[0], "vote", value="0")
    sim.move(seats[1], "vote", value="0")
    sim.leader_move("go_on")
    story = walk_content.ink["small-walk"]["story"]
    player = story._player
    assert player is not None
    steps = player.steps
    for _ in range(20):
        sim.scene()
        for seat in seats:
            sim.controls(seat)
    assert player.steps == steps  # every view read the kept scene
    # The next scene costs one step past the last one in each language, not a replay.
    sim.leader_move("go_on")
    sim.move(seats[0], "vote", value="1")
    sim.move(seats[1], "vote", value="1")
    sim.leader_move("go_on")
    assert player.steps - steps == 2 * 2  # (the last scene again, then the new) × 2 languages


# -- the shipped Ink story is the shipped YAML story ------------------------------------------


def yaml_paths(story: Story) -> list[list[tuple[str, int | None]]]:
    """Every way through a story of Piiri's own format, as (scene, offered-choice index)."""
    out: list[list[tuple[str, int | None]]] = []

    def walk(scene_id: str, variables: dict[str, Any], so_far: list[tuple[str, int | None]],
             ) -> None:
        scene = story.scene(scene_id)
        if scene.ending:
            out.append([*so_far, (scene_id, None)])
        elif scene.next is not None:
            walk(scene.next, variables, [*so_far, (scene_id, None)])
        else:
            offered = [c for c in scene.choices
                       if all(variables.get(k, False) == v for k, v in c.when.items())]
            for n, choice in enumerate(offered):
                walk(choice.goto, {**variables, **choice.set}, [*so_far, (scene_id, n)])

    walk(story.start, {}, [])
    return out


def test_the_shipped_ink_story_tells_the_yaml_story_on_every_path_in_every_language() -> None:
    content: StoryContent = load_game_content("story")
    ink = content.story(SHIPPED)
    mine = content.stories["a-neighbour-needs-a-hand"]
    assert isinstance(ink, InkStory) and set(ink.translations) == set(LANGUAGES)
    # The same title, marked so that a leader choosing a story can tell the two apart.
    for lang, title in mine.title.root.items():
        assert ink.title[lang].startswith(title + " (Ink")
    checked = 0
    for path in yaml_paths(mine):
        at = ink.start
        texts: list[str] = []  # the YAML scenes that make one Ink scene (joined by 'next')
        for scene_id, choice in path:
            yaml_scene = mine.scene(scene_id)
            texts.append(scene_id)
            if choice is None and not yaml_scene.ending:
                continue
            ink_scene = ink.scene(at)
            for lang in LANGUAGES:
                assert ink_scene.text[lang] == "\n".join(mine.scene(s).text[lang]
                                                         for s in texts)
                assert ink_scene.title[lang] == mine.scene(texts[0]).title[lang]
            if yaml_scene.ending:
                assert ink_scene.ending and not ink_scene.choices
                assert [q.root for q in ink_scene.debrief] == \
                    [q.root for q in yaml_scene.debrief]
                checked += 1
                break
            assert choice is not None
            yaml_offered = [c for c in yaml_scene.choices if c in _offered_here(mine, path,
                                                                                scene_id)]
            assert [c.label.root for c in ink_scene.choices] == \
                [c.label.root for c in yaml_offered]
            assert ink_scene.sensitive == yaml_scene.sensitive
            at = ink_scene.choices[choice].goto
            texts = []
    assert checked == len(yaml_paths(mine)) > 20


def _offered_here(story: Story, path: list[tuple[str, int | None]], at: str) -> list[Any]:
    variables: dict[str, Any] = {}
    for scene_id, choice in path:
        scene = story.scene(scene_id)
        offered = [c for c in scene.choices
                   if all(variables.get(k, False) == v for k, v in c.when.items())]
        if scene_id == at:
            return offered
        if choice is not None:
            variables.update(offered[choice].set)
    raise AssertionError(at)


# -- a live server: a restart in the middle of a vote, and two tablets in Chromium ------------




def story_elements(table: Any) -> list[Any]:
    """The shared screen's story page, tally and notes (not the roster: who is connected)."""
    dumped = table.scene().model_dump(mode="json")
    return [e for e in dumped["elements"] if e["kind"] != "roster"]


def test_a_server_restart_mid_vote_keeps_the_votes_and_the_story(server: LiveServer) -> None:
    live = server.hub.create_table("story", {"story": SHIPPED}, seed=3)
    a, b = Client(server), Client(server)
    seat_a, token_a = a.join(live.code, "Aino")
    seat_b, token_b = b.join(live.code, "Bashir")
    hub = server.hub
    hub.apply(live, StartTable(at=hub.now()))
    hub.apply(live, MakeMove(at=hub.now(), seat=None, name="go_on", payload={}))
    hub.apply(live, MakeMove(at=hub.now(), seat=seat_a, name="vote", payload={"value": "1"}))
    hub.apply(live, MakeMove(at=hub.now(), seat=seat_b, name="vote", payload={"value": "1"}))
    hub.apply(live, MakeMove(at=hub.now(), seat=None, name="go_on", payload={}))
    hub.apply(live, MakeMove(at=hub.now(), seat=None, name="go_on", payload={}))
    assert live.table.state.stage == "vote" and live.table.state.path[-1].scene == "start.1"
    hub.apply(live, MakeMove(at=hub.now(), seat=seat_a, name="vote", payload={"value": "2"}))
    scene_before = story_elements(live.table)
    state_before = live.table.state.model_dump(mode="json")

    server.restart()
    resumed = server.hub.find(live.code)
    assert resumed is not None and resumed is not live
    # (the whole table differs only in who is connected: nobody, after a restart)
    assert resumed.table.state.model_dump(mode="json") == state_before
    assert resumed.table.state.ballots == {seat_a: 2}  # Aino's vote is kept
    assert story_elements(resumed.table) == scene_before  # the same page and ballot

    again = Client(server)
    assert again.hello(live.code, token=token_b)["seat"] == seat_b
    again.until("controls")
    again.send(t="move", id=1, name="vote", payload={"value": "2"})
    again.until("ack")
    state = resumed.table.state
    assert state.stage == "result" and state.outcome == 2 and state.tally == {0: 0, 1: 0, 2: 2}
    hub = server.hub
    hub.apply(resumed, MakeMove(at=hub.now(), seat=None, name="go_on", payload={}))
    ink = resumed.table.content.story(SHIPPED)
    now = ink.scene(resumed.table.state.path[-1].scene)
    assert now.id == "start.1.2"
    think = resumed.table.content.stories["a-neighbour-needs-a-hand"].scene("think")
    assert now.text.root == think.text.root  # the third choice at Raili's door


@pytest.mark.browser
def test_two_tablets_play_an_ink_story_to_an_ending(browser: Any, server: LiveServer) -> None:
    from playwright.sync_api import expect

    from games.story import words

    from .test_browser import join

    live = server.hub.create_table("story", {"story": SHIPPED}, seed=3)
    url = f"{server.url}/j/{live.code}"
    tablets = {}
    contexts = [browser.new_context(locale="en-GB") for _ in range(2)]
    try:
        for context, name in zip(contexts, ("Aino", "Bashir"), strict=True):
            page = context.new_page()
            tablets[join(page, url, name)] = page
        server.hub.apply(live, StartTable(at=server.hub.now()))
        ink = live.table.content.story(SHIPPED)
        first = ink.scene(ink.start)
        for page in tablets.values():
            expect(page.locator("main")).to_contain_text(first.text["en"][:40], timeout=20_000)

        def stage() -> tuple[int, str]:
            return len(live.table.state.path), live.table.state.stage

        for _ in range(60):
            if live.table.state.stage == "debrief":
                break
            before = stage()
            if before[1] == "vote":
                for seat, page in tablets.items():
                    page.locator("[data-kind=vote] button[data-value]").last.click(
                        timeout=20_000)
                    wait_for(lambda s=seat, b=before: s in live.table.state.ballots or stage() != b)
            else:
                for seat, page in tablets.items():
                    if stage() != before:
                        break
                    page.locator("[data-move=read][aria-pressed=false]").click(timeout=20_000)
                    wait_for(lambda s=seat, b=before: s in live.table.state.ready or stage() != b)
            wait_for(lambda b=before: stage() != b)
        assert live.table.state.stage == "debrief"
        ending = ink.scene(live.table.state.path[-1].scene)
        assert ending.ending
        for page in tablets.values():
            expect(page.locator("main")).to_contain_text(words.PATH.pick("en"), timeout=20_000)
            expect(page.locator("main")).to_contain_text(ending.debrief[0]["en"])
            expect(page.locator("main")).to_contain_text(ink.debrief[0]["en"])
        store = server.app.extensions["piiri.store"]
        facts = [f for e in store.events(live.table_id) for f in e.facts]
        [ended] = [f for f in facts if f.kind == "story_ended"]
        assert ended.data["ending"] == ending.id
    finally:
        for context in contexts:
            context.close()
