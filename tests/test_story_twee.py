"""Stories from Twine: ``piiri story import`` reads Twee 3, writes Piiri's story format and says
what it could not carry over, each at its line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from engine import Importer, ImportResult, ModuleError, Scene, define_game
from engine.content import MAX_FILE_BYTES, content_root, load_content_dir, load_content_file
from engine.registry import find_game, load_game_content
from engine.testing import SimulatedTable
from games.story import StoryContent
from games.story import module as story_game
from games.story.content import Story
from games.story.twee import import_twee, parse_twee

ROOT = Path(__file__).resolve().parent.parent
SOURCE = content_root() / "story" / "sources" / "first-day.twee"

#: A small story that uses every form of link, tags, metadata and the special passages.
WALK = """\
Anything before the first passage is not read.

:: StoryTitle
A walk

:: StoryData
{"ifid": "0E6C3E29-8F55-4E8B-9F0B-6D4F2A3C1B11", "format": "SugarCube",
 "format-version": "2.37.3", "start": "Door", "zoom": 1}

:: StoryIntro
Sam goes out for a walk.

:: StoryDebrief
- What makes a walk good for you?

:: StoryInit
<<set $umbrella to false>>

:: Style [stylesheet]
body { color: red; }

:: Code [script]
window.alert("hi");

:: Door {"position":"100,100","size":"100,100"}
It rains a little. Sam could [[take the park road->Park]] or stay in.

What does Sam take along?

[[Umbrella->Park][$umbrella to true]]
[[Home<-Nothing, back in]]
[[Cafe]]
[[Tea at Ann's|Ann's]]

:: Park [sensitive skip-to:Home]
Ducks. A <b>big</b> dog barks.
<<if $umbrella>>[[Open the umbrella->Home]]<</if>>
[[Sit down->Home]]
[[Feed the ducks->Cafe]]

:: Cafe
Warm cocoa.
[[Home]]

:: Ann's [write-in colour-red]
Ann pours tea.
[[Home]]

:: Home [ending]
Tea at home.
----
What did Sam see?
How did Sam feel?

:: Attic
Nobody comes up here.
[[Home]]
"""


def imported(text: str, name: str = "walk.twee", lang: str = "en") -> tuple[ImportResult, Story]:
    result = import_twee(text, name, lang)
    assert not result.failed, result.notes
    return result, Story.model_validate(_yaml(result.text))


def _yaml(text: str) -> Any:
    import yaml

    return yaml.safe_load(text)


def notes_of(result: ImportResult, severity: str = "warning") -> list[tuple[int | None, str]]:
    return [(n.line, n.message) for n in result.notes if n.severity == severity]


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


# -- the file -------------------------------------------------------------------------------


def test_passage_headers_give_name_tags_and_metadata() -> None:
    parsed = parse_twee(WALK)
    park = next(p for p in parsed.passages if p.name == "Park")
    assert park.tags == ("sensitive", "skip-to:Home")
    door = next(p for p in parsed.passages if p.name == "Door")
    assert door.metadata == {"position": "100,100", "size": "100,100"}
    assert door.line == line_of(WALK, ":: Door")
    assert parsed.notes == []


def test_escapes_in_a_name_and_a_header_line_in_the_text() -> None:
    parsed = parse_twee(":: A \\[draft\\] [x]\nText\n\\:: not a passage\n")
    [passage] = parsed.passages
    assert passage.name == "A [draft]" and passage.tags == ("x",)
    assert passage.body[-1] == (3, ":: not a passage")


def test_bad_metadata_is_a_warning_at_its_line() -> None:
    parsed = parse_twee(":: Start\nA\n:: B {position: 1}\nB\n")
    assert [(n.line, n.severity) for n in parsed.notes] == [(3, "warning")]


# -- what the story becomes -----------------------------------------------------------------


def test_links_of_every_form_become_choices() -> None:
    result, story = imported(WALK)
    door = story.scene("door")
    assert [(c.label["en"], c.goto) for c in door.choices] == [
        ("take the park road", "park"),  # inline, its words stay in the sentence
        ("Umbrella", "park"),
        ("Nothing, back in", "home"),
        ("Cafe", "cafe"),
        ("Tea at Ann's", "ann-s"),
    ]
    assert door.text["en"] == "It rains a little. Sam could take the park road or stay in."
    assert door.question is not None and door.question["en"] == "What does Sam take along?"
    assert story.scene("cafe").next == "home"  # one link: it goes on by itself


def test_special_passages_give_title_start_intro_and_debrief() -> None:
    result, story = imported(WALK)
    assert story.id == "walk" and story.title["en"] == "A walk"
    assert story.intro["en"] == "Sam goes out for a walk."
    assert [q["en"] for q in story.debrief] == ["What makes a walk good for you?"]
    assert story.start == "door"  # StoryData's start, though Door is not the first passage
    warned = notes_of(result)
    assert (line_of(WALK, ":: Style"), "'Style' is a stylesheet passage: Piiri's screens draw "
            "the story themselves; it is not carried over") in warned
    assert (line_of(WALK, ":: Code"), "'Code' is a script passage: Piiri runs no scripts; it "
            "is not carried over") in warned
    # StoryInit setting false is what Piiri does anyway: nothing to say about it.
    assert not [m for line, m in warned if line == line_of(WALK, "<<set $umbrella")]


def test_tags_are_read_and_unknown_ones_reported() -> None:
    result, story = imported(WALK)
    park = story.scene("park")
    assert park.sensitive and park.skip_to == "home"
    home = story.scene("home")
    assert home.ending and [q["en"] for q in home.debrief] == ["What did Sam see?",
                                                               "How did Sam feel?"]
    assert home.text["en"] == "Tea at home."
    warned = notes_of(result)
    at = line_of(WALK, ":: Ann's")
    assert (at, "the tag 'colour-red' is not one Piiri reads; it is left out") in warned
    assert story.scene("ann-s").write_in  # the tag 'write-in' becomes the scene's field
    assert not [m for line, m in warned if "write-in" in m]


def test_a_condition_and_a_change_of_the_subset() -> None:
    _, story = imported(WALK)
    door, park = story.scene("door"), story.scene("park")
    assert door.choices[1].set == {"umbrella": True}
    assert [(c.label["en"], c.when) for c in park.choices] == [
        ("Open the umbrella", {"umbrella": True}), ("Sit down", {}), ("Feed the ducks", {})]


def test_else_turns_a_true_false_condition_round_and_names_become_piiri_names() -> None:
    text = STORY_HEAD + """\
:: Start
Where now?
[[Left->Fork][$sawDuck to true; $count = 2]]
[[Right->Fork]]

:: Fork
<<if $sawDuck is true>>[[Back to the duck->End]]<<else>>[[Look for a duck->End]]<</if>>
<<if not $sawDuck and $count is 2>>[[Count again->End]]<</if>>
[[Go home->End]]

:: End
Done.
----
Why?
"""
    result, story = imported(text)
    fork = story.scene("fork")
    assert [c.when for c in fork.choices] == [
        {"saw_duck": True}, {"saw_duck": False}, {"saw_duck": False, "count": 2}, {}]
    assert (line_of(text, "[[Left"), "the variable $sawDuck is called 'saw_duck' in Piiri") \
        in notes_of(result)
    assert story.scene("start").choices[0].set == {"saw_duck": True, "count": 2}


def test_a_condition_beyond_the_subset_is_a_warning_and_the_link_stays() -> None:
    text = STORY_HEAD + """\
:: Start
A fork in the road.
<<if $a or $b>>[[Maybe->End]]<</if>>
[[Surely->End]]

:: End
Done.
----
Why?
"""
    result = import_twee(text, "or.twee", "en")
    assert not result.failed
    [(line, message)] = notes_of(result)
    assert line == line_of(text, "<<if $a or $b>>")
    assert "not one Piiri reads" in message and "offered without a condition" in message


def test_a_broken_link_is_an_error_naming_its_line() -> None:
    text = WALK.replace("[[Feed the ducks->Cafe]]", "[[Feed the ducks->Caff]]")
    result = import_twee(text, "walk.twee", "en")
    assert result.failed and result.text == ""
    assert (line_of(text, "[[Feed the ducks"), "the link 'Feed the ducks' goes to a passage "
            "'Caff' that does not exist") in notes_of(result, "error")


def test_an_unknown_macro_is_a_warning_with_its_line_and_stays_as_text() -> None:
    text = WALK.replace("Warm cocoa.", 'Warm cocoa. <<audio "slurp" play>>\n(set: $cups to 2)')
    result, story = imported(text)
    assert story.scene("cafe").text["en"] == 'Warm cocoa. <<audio "slurp" play>>\n' \
                                             "(set: $cups to 2)"
    warned = notes_of(result)
    at = line_of(text, "Warm cocoa.")
    assert (at, "the macro <<audio>> is not carried over; it is shown as plain text") in warned
    assert (at + 1, "the Harlowe macro (set:) is not carried over; it is shown as plain "
                    "text") in warned
    assert not result.failed


def test_html_in_a_passage_is_kept_as_plain_text() -> None:
    text = WALK.replace("Warm cocoa.", "Warm <i>cocoa</i>.<script>alert(1)</script>")
    result, story = imported(text)
    assert story.scene("cafe").text["en"] == "Warm <i>cocoa</i>.<script>alert(1)</script>"
    at = line_of(text, "Warm <i>")
    warned = notes_of(result)
    for tag in ("<i>", "</i>", "<script>", "</script>"):
        assert (at, f"HTML ({tag}) is shown as plain text: Piiri's screens draw the story "
                    "themselves") in warned
    assert (line_of(text, "A <b>big</b>"), "HTML (<b>) is shown as plain text: Piiri's "
            "screens draw the story themselves") in warned


def test_passages_nobody_can_reach_are_reported_and_left_out() -> None:
    result, story = imported(WALK)
    assert "attic" not in [s.id for s in story.scenes]
    assert (line_of(WALK, ":: Attic"), "no link leads to 'Attic' from the start ('Door'), so "
            "nobody can reach it; it is left out") in notes_of(result)


def test_set_in_a_passage_and_comments() -> None:
    text = WALK.replace("Warm cocoa.", "Warm /* not for the group */cocoa.\n<<set $hot to true>>")
    result, story = imported(text)
    assert story.scene("cafe").text["en"] == "Warm cocoa."
    [(line, message)] = [n for n in notes_of(result) if "<<set" in n[1]]
    assert line == line_of(text, "<<set $hot") and "put the change on the link" in message


def test_an_ending_needs_a_debrief_question() -> None:
    text = WALK.replace("----\nWhat did Sam see?\nHow did Sam feel?\n", "")
    result = import_twee(text, "walk.twee", "en")
    [(line, message)] = notes_of(result, "error")
    assert line == line_of(text, ":: Home") and "debrief question" in message


def test_a_sensitive_vote_needs_somewhere_to_skip_to() -> None:
    text = WALK.replace("[sensitive skip-to:Home]", "[sensitive]")
    result = import_twee(text, "walk.twee", "en")
    [(line, message)] = notes_of(result, "error")
    assert line == line_of(text, ":: Park") and "skip-to:" in message


def test_a_passage_reached_only_by_a_skip_is_kept() -> None:
    text = STORY_HEAD + """\
:: Start [sensitive skip-to:quiet-room]
Loud news.
[[Talk->End]]
[[Listen->End]]

:: Quiet room
A calm place.
[[End]]

:: End
Done.
----
Why?
"""
    result, story = imported(text)
    assert story.scene("start").skip_to == "quiet-room"
    assert story.scene("quiet-room").next == "end"
    assert notes_of(result) == []


def test_a_story_without_an_intro_is_an_error() -> None:
    result = import_twee(WALK.replace(":: StoryIntro", ":: Intro"), "walk.twee", "en")
    assert any("StoryIntro" in m for _, m in notes_of(result, "error"))


def test_many_open_links_are_read_in_one_pass() -> None:
    """A file of a hundred thousand unclosed '[[' is read once, not once per '[['."""
    text = STORY_HEAD + ":: Start\n" + "[[" * 100_000 + " <<" * 100_000 + "\n"
    result = import_twee(text, "many.twee", "en")
    assert result.failed  # it is an ending without a debrief question


STORY_HEAD = ":: StoryTitle\nT\n\n:: StoryIntro\nAn intro.\n\n"


# -- the shipped source ---------------------------------------------------------------------


def test_the_shipped_twee_source_is_the_shipped_story_in_finnish() -> None:
    result = import_twee(SOURCE.read_text(encoding="utf-8"), SOURCE.name, "fi")
    assert result.notes == ()
    mine = Story.model_validate(_yaml(result.text))
    shipped = load_game_content("story").stories["first-day"]  # (its pictures beside it)
    assert mine.id == shipped.id and list(mine.translations) == ["fi"]
    ids = {a.id: b.id for a, b in zip(shipped.scenes, mine.scenes, strict=True)}

    def shape(story: Story, ids: dict[str, str]) -> list[Any]:
        def to(scene_id: str | None) -> str | None:
            return None if scene_id is None else ids.get(scene_id, scene_id)

        return [story.title["fi"], story.intro["fi"], [q["fi"] for q in story.debrief], [(
            to(s.id), s.title["fi"], s.text["fi"], s.question["fi"] if s.question else None,
            [(c.label["fi"], to(c.goto), c.when, c.set) for c in s.choices], to(s.next),
            s.ending, [q["fi"] for q in s.debrief], s.sensitive, to(s.skip_to))
            for s in story.scenes]]  # (pictures are not carried from Twine)

    assert shape(mine, {}) == shape(shipped, ids)


# -- an imported story at a table -----------------------------------------------------------


def play_to_the_end(content: StoryContent, story_id: str) -> SimulatedTable:
    sim = SimulatedTable(story_game, content, seed=3, options={"story": story_id})
    seats = sim.join_many(2)
    sim.start()
    for _ in range(100):
        stage = sim.state.stage
        if stage == "debrief":
            break
        if stage == "vote":
            last = str(sim.state.offered[-1])
            sim.move(seats[0], "vote", value=last)
            sim.pass_turn(seats[1])
        else:
            sim.leader_move("go_on")
    assert sim.state.stage == "debrief"
    return sim


@pytest.mark.parametrize(("text", "name", "lang"), [(WALK, "walk.twee", "en"),
                                                    (None, "first-day.twee", "fi")])
def test_an_imported_story_plays_to_an_ending_at_a_table(tmp_path: Path, text: str | None,
                                                         name: str, lang: str) -> None:
    result = import_twee(text or SOURCE.read_text(encoding="utf-8"), name, lang)
    folder = tmp_path / "content" / "story" / "stories"
    folder.mkdir(parents=True)
    (folder / f"{result.name}.yaml").write_text(result.text, encoding="utf-8")
    content = load_content_dir(tmp_path / "content" / "story", StoryContent,
                               tmp_path / "content")
    sim = play_to_the_end(content, result.name)
    [ended] = sim.facts("story_ended")
    assert content.stories[result.name].scene(ended.data["ending"]).ending


# -- the engine's contract ------------------------------------------------------------------


def test_the_story_game_declares_its_twee_importer() -> None:
    importer = find_game("story").importers[".twee"]
    assert importer.file_type is Story and importer.folder == "stories"


def test_an_importer_must_be_named_by_a_file_suffix() -> None:
    class State(BaseModel):
        pass

    def convert(text: str, source: str, language: str) -> ImportResult:
        return ImportResult("", "x")

    with pytest.raises(ModuleError, match="importer 'twee' must be a file suffix"):
        define_game(id="tiny", version=1, title=story_game.title, state_type=State,
                    setup=lambda ctx: State(), moves={}, scene=lambda view: Scene(),
                    controls=lambda view, seat: [], content_type=State, content_dir="tiny",
                    importers={"twee": Importer(convert, file_type=State)})


# -- the command ----------------------------------------------------------------------------


def piiri(*args: str, content: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if content is not None:
        env["PIIRI_CONTENT_DIR"] = str(content)
    return subprocess.run([sys.executable, "-m", "facilitator.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_command_writes_a_valid_story_and_lists_the_warnings(tmp_path: Path) -> None:
    source = tmp_path / "walk.twee"
    source.write_text(WALK, encoding="utf-8")
    out = tmp_path / "walk.yaml"
    run = piiri("story", "import", str(source), "--out", str(out), "--lang", "en")
    assert run.returncode == 0, run.stderr
    assert f"{source}:{line_of(WALK, ':: Attic')}: warning: no link leads to 'Attic'" \
        in run.stderr
    assert f"Wrote {out}: it passes the content check" in run.stdout
    assert load_content_file(out, Story).scene("door").choices[0].goto == "park"
    again = piiri("story", "import", str(source), "--out", str(out), "--lang", "en")
    assert again.returncode == 1 and "--replace" in again.stderr
    assert piiri("story", "import", str(source), "--out", str(out), "--lang", "en",
                 "--replace").returncode == 0


def test_the_command_refuses_a_broken_link_and_writes_nothing(tmp_path: Path) -> None:
    text = WALK.replace("[[Home]]\n\n:: Ann's", "[[Hom]]\n\n:: Ann's")
    source = tmp_path / "walk.twee"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "walk.yaml"
    run = piiri("story", "import", str(source), "--out", str(out))
    assert run.returncode == 1
    assert (f"{source}:{line_of(text, '[[Hom]]')}: error: the link 'Hom' goes to a passage "
            "'Hom' that does not exist") in run.stderr
    assert "nothing was written" in run.stderr and not out.exists()


def test_the_command_writes_to_the_content_folder_and_checks_it_there(tmp_path: Path) -> None:
    content = tmp_path / "content"
    source = tmp_path / "A Walk.twee"
    source.write_text(WALK, encoding="utf-8")
    run = piiri("story", "import", str(source), content=content)
    assert run.returncode == 0, run.stderr
    written = content / "story" / "stories" / "a-walk.yaml"
    assert load_content_file(written, Story).id == "a-walk"
    assert "fi: " in written.read_text(encoding="utf-8")  # Finnish unless told otherwise


def test_a_problem_the_content_check_finds_is_shown_at_the_twee_line(tmp_path: Path) -> None:
    text = STORY_HEAD + """\
:: Start
<<if $lucky>>[[Win->End]]<</if>>
[[Walk->End]]

:: End
Done.
----
Why?
"""
    source = tmp_path / "luck.twee"
    source.write_text(text, encoding="utf-8")
    run = piiri("story", "import", str(source), "--out", str(tmp_path / "luck.yaml"))
    assert run.returncode == 1
    assert (f"{source}:{line_of(text, '<<if $lucky')}: error: scenes → item 1 → choices → "
            "item 1 → when → lucky: the variable 'lucky' is read here, but no way to the "
            "scene 'start' sets it first") in run.stderr
    assert not (tmp_path / "luck.yaml").exists()


def test_the_command_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    big = tmp_path / "big.twee"
    big.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    run = piiri("story", "import", str(big), "--out", str(tmp_path / "big.yaml"))
    assert run.returncode == 1 and "larger than 2 MB" in run.stderr
    other = tmp_path / "story.ink"
    other.write_text("Hello", encoding="utf-8")
    run = piiri("story", "import", str(other))
    assert run.returncode == 1 and "reads .tw, .twee files" in run.stderr
    assert piiri("story", "import", str(SOURCE), "--lang", "x y").returncode == 1


def test_the_shipped_source_imports_with_the_command(tmp_path: Path) -> None:
    out = tmp_path / "first-day.yaml"
    run = piiri("story", "import", str(SOURCE), "--out", str(out))
    assert run.returncode == 0 and run.stderr == ""


def test_help_loads_no_game() -> None:
    code = ("import sys; from click.testing import CliRunner; import facilitator.cli as cli; "
            "CliRunner().invoke(cli.main, ['--help']); "
            "print(sorted(m for m in sys.modules if m.startswith('games')))")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    assert run.stdout.strip() == "[]"
