"""Story files written by people outside the team, broken by accident or on purpose: each gets
a clear error (file, line where there is one, field) and changes nothing (issues 15 and 16).

Twee through ``piiri story import``, compiled Ink JSON, Piiri's own YAML stories, and a live
table whose story changes on disk or whose Ink runtime stops mid-play.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from engine import (
    Accepted,
    Avatar,
    AvatarColour,
    AvatarIcon,
    ContentError,
    MakeMove,
    Rejected,
    StartTable,
)
from engine.content import MAX_FILE_BYTES, content_root, load_content_dir, load_content_file
from engine.registry import load_game_content
from engine.table import Reason
from engine.testing import SimulatedTable
from facilitator.live.hub import Hub
from games.story import StoryContent
from games.story import module as story_game
from games.story.content import MAX_NUMBER, MAX_SCENES, Story
from games.story.ink import MAX_SCENE_CHARS, MAX_SCENE_LINES, InkStopped, InkStory
from games.story.twee import import_twee

HEAD = ":: StoryTitle\nA walk\n\n:: StoryIntro\nSam goes out.\n\n"
#: Two endings after a vote at Start.
TAIL = ":: Left\nLeft.\n----\nWhy left?\n\n:: Right\nRight.\n----\nWhy right?\n"
SMALL = HEAD + ":: Start\nWhere now?\n[[Left]]\n[[Right]]\n\n" + TAIL
AVATAR = Avatar(icon=AvatarIcon.sun, colour=AvatarColour.orange)


def errors(text: str, name: str = "walk.twee") -> list[tuple[int | None, str]]:
    return [(n.line, n.message) for n in import_twee(text, name, "en").notes
            if n.severity == "error"]


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def written(text: str, tmp_path: Path, name: str = "walk.twee") -> Story:
    """The story the import writes, loaded back by the content loader as a file."""
    result = import_twee(text, name, "en")
    assert not result.failed, result.notes
    out = tmp_path / f"{result.name}.yaml"
    out.write_text(result.text, encoding="utf-8")
    return load_content_file(out, Story)


# -- Twee: files that are not a story -------------------------------------------------------------


def test_an_empty_file_and_a_file_with_only_a_title_are_refused_in_one_sentence() -> None:
    assert errors("") == [(None, "the file has no passages (lines starting with '::'); is it a "
                                 "Twee 3 file?")]
    assert errors(":: StoryTitle\nHello\n") == [
        (None, "the file has no passages of the story itself")]


def test_a_missing_or_broken_storydata_starts_at_the_passage_start() -> None:
    result = import_twee(SMALL, "walk.twee", "en")
    assert not result.failed and result.notes == ()
    broken = SMALL.replace(":: Start", ':: StoryData\n{"start": "Right",\n\n:: Start')
    result = import_twee(broken, "walk.twee", "en")
    assert not result.failed
    assert [(n.line, n.severity, n.message) for n in result.notes] == [
        (line_of(broken, ":: StoryData"), "warning",
         "StoryData is not a JSON object; it is left out")]
    assert "  - id: start\n" in result.text.split("scenes:\n", 1)[1][:20]


def test_a_start_passage_that_does_not_exist_is_an_error_at_storydata() -> None:
    text = SMALL.replace(":: Start", ':: StoryData\n{"start": "Door"}\n\n:: Start')
    assert errors(text) == [(line_of(text, ":: StoryData"), "StoryData names the start "
                             "passage 'Door', but the story has no passage by that name")]


def test_two_passages_with_one_name_is_an_error_naming_both_lines() -> None:
    text = SMALL + ":: Left\nAgain.\n----\nWhy?\n"
    assert errors(text) == [(line_of(text, ":: Left\nAgain"), "a second passage is named "
                             f"'Left' (the first is at line {line_of(text, ':: Left')})")]


def test_names_that_make_the_same_id_get_ids_of_their_own(tmp_path: Path) -> None:
    text = (HEAD + ":: Start\nWhich door?\n[[Ovi]]\n[[ovi!]]\n\n:: Ovi\nA.\n----\nWhy?\n\n"
            ":: ovi!\nB.\n----\nWhy?\n")
    result = import_twee(text, "walk.twee", "en")
    assert [(n.line, n.message) for n in result.notes] == [
        (line_of(text, ":: ovi!"), "another passage already has the id 'ovi', so 'ovi!' gets "
                                   "'ovi-2'")]
    story = written(text, tmp_path)
    assert [c.goto for c in story.scene("start").choices] == ["ovi", "ovi-2"]
    assert story.scene("ovi-2").title["en"] == "ovi!"


# -- Twee: too much, too deep, not text ----------------------------------------------------------


def test_ten_thousand_passages_are_refused_in_one_sentence() -> None:
    many = "".join(f":: P{i}\nOn.\n[[P{i + 1}]]\n[[Left]]\n\n" for i in range(10_000))
    text = HEAD + ":: Start\nGo.\n[[P0]]\n[[Left]]\n\n" + many + ":: P10000\nEnd.\n[[Left]]\n" \
        + TAIL
    assert errors(text) == [(None, f"the file has 10,004 passages; a story may have at most "
                                   f"{MAX_SCENES:,} scenes: split it into several stories")]


def test_a_file_over_two_megabytes_and_a_passage_too_long_to_read_are_refused() -> None:
    huge = SMALL.replace("Where now?", "word " * (MAX_FILE_BYTES // 5 + 1))
    assert errors(huge) == [(None, "the file is larger than 2 MB, the most Piiri reads; split "
                                   "the story into smaller ones")]
    long = SMALL.replace("Where now?", "word " * (MAX_SCENE_CHARS // 5 + 1))
    assert errors(long) == [(line_of(long, ":: Start"),
                             f"'Start' has {MAX_SCENE_CHARS + 4:,} characters of text; a "
                             f"scene may have at most {MAX_SCENE_CHARS:,}: split it into "
                             "several passages")]


def test_deeply_nested_ifs_are_read_without_trouble(tmp_path: Path) -> None:
    depth = 3000
    text = SMALL.replace("[[Left]]", "<<if $seen>>" * depth + "[[Left]]" + "<</if>>" * depth)
    text = text.replace("[[Right]]", "[[Right]]\n[[Again->Start][$seen to true]]")
    story = written(text, tmp_path)
    assert story.scene("start").choices[0].when == {"seen": True}


def test_a_nul_byte_is_an_error_at_its_line() -> None:
    text = SMALL.replace("Where now?", "Where\x00 now?")
    assert errors(text) == [(line_of(text, "Where"), "this line has a NUL character (a zero "
                             "byte), which a text file does not have: is it a Twee file? Save "
                             "it as text (UTF-8) and try again")]


def test_a_byte_order_mark_and_windows_line_ends_read_as_plain_lines(tmp_path: Path) -> None:
    plain = import_twee(SMALL, "walk.twee", "en")
    windows = import_twee("\ufeff" + SMALL.replace("\n", "\r\n"), "walk.twee", "en")
    assert windows.text == plain.text and windows.notes == plain.notes
    assert "\r" not in windows.text


#: Names and texts that mean something to YAML, or that YAML reads as line breaks.
ODD_NAMES = ["Key: value", "# not a comment", "&anchor", "*alias", "---", "? question",
             "- dash", "'single'", '"double"', "!tag", "%percent", "@at", "`tick`", "> more",
             "yes", "null", "~", "123", "on", "tab\there", "2001-01-01"]
ODD_TEXTS = ["line\x85next", "a\u2028b\u2029c", "back\\slash \"quoted\" 'too'", "tab\tin",
             "\x1b[31mred", "del\x7fete", "zero\u200bwidth", "mid\ufeffmark", "ends in :",
             "&x *y !z", "{flow: map}", "[not, a, list]"]


def test_yaml_special_names_and_texts_come_back_exactly_as_written(tmp_path: Path) -> None:
    links = "".join(f"[[{name}]]\n" for name in ODD_NAMES)
    passages = "".join(f":: {name}\n{ODD_TEXTS[i % len(ODD_TEXTS)]}\n----\nWhy {name}?\n\n"
                       for i, name in enumerate(ODD_NAMES))
    text = HEAD.replace("A walk", "A: walk #1 &a *b") + ":: Start\nPick one?\n" + links + \
        "\n" + passages
    story = written(text, tmp_path, name="yes.twee")
    assert story.id == "yes" and story.title["en"] == "A: walk #1 &a *b"
    assert [c.label["en"] for c in story.scene("start").choices] == ODD_NAMES
    for i, name in enumerate(ODD_NAMES):
        scene = story.scene(story.scene("start").choices[i].goto)
        assert scene.title["en"] == name
        assert scene.text["en"] == ODD_TEXTS[i % len(ODD_TEXTS)]
        assert scene.debrief[0]["en"] == f"Why {name}?"


def test_variables_named_like_yaml_words_come_back_as_names(tmp_path: Path) -> None:
    text = SMALL.replace("[[Right]]", "[[Right]]\n[[Round->Start][$on to true; $yes to 2]]\n"
                                      "<<if $on and $yes is 2>>[[Again->Right]]<</if>>")
    choices = written(text, tmp_path).scene("start").choices
    assert choices[2].set == {"on": True, "yes": 2}
    assert choices[3].when == {"on": True, "yes": 2}


def test_html_and_script_in_a_passage_stay_plain_text(tmp_path: Path) -> None:
    shown = '<script>alert("hi")</script><img src=x onerror=alert(1)> <b>bold</b>'
    text = SMALL.replace("Left.\n", f"Left. {shown}\n")
    story = written(text, tmp_path)
    assert story.scene("left").text["en"] == f"Left. {shown}"


# -- Twee: the command, its source and where it writes ------------------------------------------


def piiri(*args: str) -> Any:
    from facilitator.cli import main

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A content folder of one shipped story (and another activity's folder beside it)."""
    root = tmp_path / "content"
    (root / "story" / "stories").mkdir(parents=True)
    shutil.copy(content_root() / "story" / "stories" / "first-day.yaml",
                root / "story" / "stories")
    shutil.copytree(content_root() / "story" / "pictures", root / "story" / "pictures")
    (root / "circle").mkdir()
    monkeypatch.setenv("PIIRI_CONTENT_DIR", str(root))
    return root


def test_a_windows_1252_file_is_refused_at_the_line_of_its_first_odd_letter(
        tmp_path: Path, content: Path) -> None:
    source = tmp_path / "walk.twee"
    source.write_bytes(SMALL.replace("Right.", "Oikealle, kävelylle.").encode("cp1252"))
    run = piiri("story", "import", str(source), "--out", str(tmp_path / "walk.yaml"))
    assert run.exit_code == 1
    assert (f"{source}:{line_of(SMALL, 'Right.')}: error: the file is not UTF-8 "
            "text (perhaps Windows-1252 or another old encoding): save it as UTF-8 and try "
            "again") in run.stderr
    assert not (tmp_path / "walk.yaml").exists()


def test_a_passage_that_leads_only_to_itself_is_refused_at_its_twee_line(
        tmp_path: Path, content: Path) -> None:
    text = SMALL.replace("[[Right]]", "[[Right]]\n[[Round->Round]]") + \
        "\n:: Round\nAnd round.\n[[Round]]\n"
    source = tmp_path / "walk.twee"
    source.write_text(text, encoding="utf-8")
    run = piiri("story", "import", str(source), "--out", str(tmp_path / "walk.yaml"))
    assert run.exit_code == 1
    assert (f"{source}:{line_of(text, ':: Round')}: error: scenes → item 4 → id: "
            "from the scene 'round' the story goes round in a loop with no way out to an "
            "ending") in run.stderr
    assert not (tmp_path / "walk.yaml").exists()


def test_out_outside_the_content_folder_is_written_with_a_word_about_the_check(
        tmp_path: Path, content: Path) -> None:
    source = tmp_path / "walk.twee"
    source.write_text(SMALL, encoding="utf-8")
    out = tmp_path / "elsewhere" / "walk.yaml"
    run = piiri("story", "import", str(source), "--out", str(out), "--lang", "en")
    assert run.exit_code == 0, run.stderr
    assert "It is outside the content folder, so it was checked on its own: move it into " \
        f"{content / 'story' / 'stories'}" in run.stdout
    assert load_content_file(out, Story).id == "walk"
    assert not list(out.parent.glob(".*"))  # no trial file left behind


def test_out_in_another_activitys_folder_is_refused(tmp_path: Path, content: Path) -> None:
    source = tmp_path / "walk.twee"
    source.write_text(SMALL, encoding="utf-8")
    out = content / "circle" / "walk.yaml"
    run = piiri("story", "import", str(source), "--out", str(out))
    assert run.exit_code == 1
    assert f"{out}: error: this is inside Piiri's content folder but outside story/" \
        in run.stderr
    assert not out.exists()


def test_out_over_a_file_or_a_link_is_refused_and_the_file_kept(
        tmp_path: Path, content: Path) -> None:
    source = tmp_path / "walk.twee"
    source.write_text(SMALL, encoding="utf-8")
    kept = tmp_path / "notes.yaml"
    kept.write_text("mine: true\n", encoding="utf-8")
    run = piiri("story", "import", str(source), "--out", str(kept))
    assert run.exit_code == 1 and "--replace" in run.stderr
    link = tmp_path / "link.yaml"
    link.symlink_to(kept)
    for extra in ([], ["--replace"]):
        run = piiri("story", "import", str(source), "--out", str(link), *extra)
        assert run.exit_code == 1
        assert f"{link}: error: this is a link to another file" in run.stderr
    assert kept.read_text(encoding="utf-8") == "mine: true\n" and link.is_symlink()


def test_a_link_left_where_the_trial_file_was_written_is_not_followed(
        tmp_path: Path, content: Path) -> None:
    source = tmp_path / "walk.twee"
    source.write_text(SMALL, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    folder = content / "story" / "stories"
    (folder / ".walk.yaml.importing").symlink_to(victim)  # the name the trial file had
    run = piiri("story", "import", str(source), "--lang", "en")
    assert run.exit_code == 0, run.stderr
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert load_content_file(folder / "walk.yaml", Story).id == "walk"


# -- Ink: compiled files that cannot be played ---------------------------------------------------


def compiled(*, after_go: list[Any] | None = None, knots: dict[str, Any] | None = None,
             go: str = "Go", start: list[Any] | None = None,
             variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """A compiled Ink story (as inklecate writes it): a line, then the choices Go (leading to
    ``after_go``) and Stay (an ending)."""
    opening = [*start, None] if start is not None else [
        "^Sam stands at the door.", "\n",
        "ev", "str", f"^{go}", "/str", "/ev", {"*": ".^.c-0", "flg": 20},
        "ev", "str", "^Stay", "/str", "/ev", {"*": ".^.c-1", "flg": 20},
        {"c-0": ["\n", *(after_go or ["^Sam goes.", "\n", "end"]), {"#f": 5}],
         "c-1": ["\n", "^Sam stays in.", "\n", "end", {"#f": 5}]}]
    named: dict[str, Any] = {**(knots or {})}
    if variables:
        named["global decl"] = ["ev", *[part for name, value in variables.items()
                                        for part in (value, {"VAR=": name})], "/ev", "end", None]
    return {"inkVersion": 21, "root": [opening, "done", named or None], "listDefs": {}}


def ink_content(root: Path, files: dict[str, Any]) -> Path:
    """``content/story/ink/stuck/`` holding ``files`` (language → compiled JSON, or bytes)."""
    folder = root / "story" / "ink" / "stuck"
    folder.mkdir(parents=True, exist_ok=True)
    langs = list(files)
    (folder / "story.yaml").write_text(
        "kind: ink-story\n"
        f"translations: {{{', '.join(f'{lang}: written' for lang in langs)}}}\n"
        "id: stuck\n"
        f"title: {{{', '.join(f'{lang}: A door' for lang in langs)}}}\n"
        f"intro: {{{', '.join(f'{lang}: Sam at the door.' for lang in langs)}}}\n"
        f"debrief:\n  - {{{', '.join(f'{lang}: What did Sam choose?' for lang in langs)}}}\n",
        encoding="utf-8")
    for lang, data in files.items():
        raw = data if isinstance(data, bytes) else b"\xef\xbb\xbf" + json.dumps(data).encode()
        (folder / f"{lang}.json").write_bytes(raw)
    return folder


def ink_problems(content: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content_dir(content / "story", StoryContent, content)
    return [f"{p.field}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize(("raw", "message"), [
    (b"Sam stands at the door.\n* Go\n", "translations → en: en.json is not JSON (line 1: "
     "Expecting value); it is not the file Inky exports: export it again (File → Export to "
     "JSON)"),
    (b'{"title": "A door", "scenes": []}', "translations → en: en.json is JSON but not a "
     "compiled Ink story (it has no 'inkVersion' and 'root'); export the story from Inky "
     "(File → Export to JSON)"),
    (json.dumps({**compiled(), "inkVersion": 99}).encode(), "translations → en: en.json was "
     "made by an Ink version Piiri cannot play (inkVersion 99; Piiri plays 18 to 21): export "
     "it again from a current Inky"),
    (json.dumps({**compiled(), "inkVersion": 12}).encode(), "translations → en: en.json was "
     "made by an Ink version Piiri cannot play (inkVersion 12; Piiri plays 18 to 21): export "
     "it again from a current Inky"),
    ("Sam é".encode("cp1252"), "translations → en: en.json is not UTF-8 text (byte 5 is not); "
     "it is not the file Inky exports: export it again (File → Export to JSON)"),
    (b"[" * 100_000 + b"]" * 100_000, "translations → en: en.json has lists inside lists too "
     "deep for a story; export it again from Inky"),
])
def test_a_file_that_is_not_a_playable_ink_story_is_named_in_plain_words(
        content: Path, raw: bytes, message: str) -> None:
    ink_content(content, {"en": raw})
    assert ink_problems(content) == [message]


def test_a_fifty_megabyte_file_is_refused_by_its_size_unread(content: Path) -> None:
    folder = ink_content(content, {"en": compiled()})
    with (folder / "en.json").open("r+b") as stream:
        stream.truncate(50 * 1024 * 1024)  # (a sparse file: nothing to read but its size)
    assert ink_problems(content) == ["translations → en: en.json in story/ink/stuck/ cannot be "
                                     "read (ink/stuck/en.json is larger than 8 MB)"]


def test_a_story_that_loops_at_its_start_is_refused_by_the_check(content: Path) -> None:
    loop = compiled(start=[{"->": "loop"}], knots={"loop": [{"->": "loop"}, None]})
    ink_content(content, {"en": loop})
    assert ink_problems(content) == [
        "translations → en: en.json cannot be played from its start: the story runs on "
        "without giving a line of text or a choice (a loop that writes no text, or a divert "
        "to a knot or stitch that is not there; check the story in Inky)"]


def test_languages_with_different_variables_are_refused(content: Path) -> None:
    ink_content(content, {"en": compiled(variables={"umbrella": False}),
                          "fi": compiled(variables={"sateenvarjo": False})})
    assert ink_problems(content) == [
        "translations → fi: the variable 'umbrella' is in en.json but not in fi.json"]


def ink_story(content: Path, data: dict[str, Any]) -> InkStory:
    ink_content(content, {"en": data})
    loaded = load_content_dir(content / "story", StoryContent, content)
    story = loaded.ink["stuck"]["story"]
    return story


@pytest.mark.parametrize(("after_go", "knots", "words"), [
    ([{"->": "loop"}], {"loop": [{"->": "loop"}, None]}, "without giving a line of text"),
    ([{"->": "loop"}], {"loop": ["^And again.", "\n", {"->": "loop"}, None]},
     f"more than {MAX_SCENE_LINES} lines"),
    (["^" + "long " * (MAX_SCENE_CHARS // 5 + 1), "\n", "end"], None,
     f"or {MAX_SCENE_CHARS:,} characters without a choice"),
])
def test_a_scene_that_never_stops_is_cut_off_with_a_plain_error(
        content: Path, after_go: list[Any], knots: dict[str, Any] | None, words: str) -> None:
    story = ink_story(content, compiled(after_go=after_go, knots=knots))
    assert [c.label["en"] for c in story.scene("start").choices] == ["Go", "Stay"]
    with pytest.raises(InkStopped) as caught:
        story.scene("start.0")
    assert str(caught.value).startswith("start.0: the story ") and words in str(caught.value)
    # The runtime is whole again: the other way still plays, and so does the start.
    assert story.scene("start.1").text["en"] == "Sam stays in." and story.scene("start.1").ending
    assert story.scene("start").text["en"] == "Sam stands at the door."


def test_an_empty_choice_and_a_story_that_ends_at_once_still_play(content: Path) -> None:
    story = ink_story(content, compiled(go=""))
    assert [c.label["en"] for c in story.scene("start").choices] in (["…", "Stay"], ["Stay"])
    ended = ink_story(content, compiled(start=["^The end already.", "\n", "end"]))
    sim = SimulatedTable(story_game, load_content_dir(content / "story", StoryContent, content),
                         seed=1, options={"story": "stuck"})
    sim.join_many(2)
    sim.start()
    assert ended.scene("start").ending
    sim.leader_move("go_on")
    assert sim.state.stage == "debrief"
    sim.assert_replays()


# -- Piiri's own YAML stories ----------------------------------------------------------------------

STORY = """\
kind: story
translations: {en: written}
id: walk
title: {en: A walk}
intro: {en: Sam goes out.}
scenes:
  - id: start
    title: {en: Start}
    text: {en: Which way now}
    choices:
      - {label: {en: Left}, goto: left}
      - {label: {en: Right}, goto: right}
  - id: left
    title: {en: Left}
    text: {en: Left.}
    ending: true
    debrief: [{en: Why left?}]
  - id: right
    title: {en: Right}
    text: {en: Right.}
    ending: true
    debrief: [{en: Why right?}]
"""


def story_problems(content: Path, text: str) -> list[str]:
    (content / "story" / "stories" / "walk.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content_dir(content / "story", StoryContent, content)
    return [str(p).split("content/", 1)[1] for p in caught.value.problems]


def test_the_example_story_loads(content: Path) -> None:
    (content / "story" / "stories" / "walk.yaml").write_text(STORY, encoding="utf-8")
    assert load_content_dir(content / "story", StoryContent, content).story("walk").start \
        == "start"


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("scenes:\n", "bomb: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, "
     "*a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, "
     "*c, *c, *c, *c, *c]\nscenes:\n", "story/stories/walk.yaml, line 9: aliases ('*name') "
     "repeat more than 10,000 values in this file; write the parts out instead"),
    ("id: left", "id: Left", "story/stories/walk.yaml, line 13: scenes → item 2 → id: may use "
     "only small letters a–z, digits and single hyphens (for example 'my-card-1')"),
    ("id: right", "id: left", "story/stories/walk.yaml, line 6: scenes: the scene id 'left' is "
     "used twice"),
    ("    text: {en: Right.}\n    ending: true\n    debrief: [{en: Why right?}]",
     "    text: {en: Right.}\n    next: right", "story/stories/walk.yaml, line 18: scenes → "
     "item 3 → id: from the scene 'right' the story goes round in a loop with no way out to "
     "an ending"),
    ("goto: left}", "goto: left, when: {ghost: true}}", "story/stories/walk.yaml, line 11: "
     "scenes → item 1 → choices → item 1 → when → ghost: the variable 'ghost' is read here, "
     "but no way to the scene 'start' sets it first"),
    ("goto: left}", "goto: left, set: {n: 99999999999999999999999}}", "story/stories/walk.yaml,"
     f" line 11: scenes → item 1 → choices → item 1 → set: the number given to the variable "
     f"'n' is too large: a variable holds a whole number up to {MAX_NUMBER:,}"),
    ("goto: left}", "goto: left, set: {n: 1.5}}", "story/stories/walk.yaml, line 11: scenes → "
     "item 1 → choices → item 1 → set: 1.5 is not a value a variable can have (the variable "
     "'n'): write true, false or a whole number"),
    ("    text: {en: Which way now}\n", "    text: {en: Which way now}\n    picture: {file: "
     "../../engine/door.png, alt: {en: A door}}\n", "story/stories/walk.yaml, line 10: scenes → "
     "item 1 → picture → file: the picture must be inside the content folder: a path with "
     "'..' (or an empty part) cannot be used"),
    ("    text: {en: Which way now}\n", "    text: {en: Which way now}\n    picture: {file: "
     "pictures/fake.png, alt: {en: A door}}\n", "story/stories/walk.yaml, line 10: scenes → "
     "item 1 → picture → file: the picture 'fake.png' is not a PNG, JPEG or WebP picture (or "
     "it is damaged)"),
    ("{en: Left.}", "{en: " + "x" * (MAX_SCENE_CHARS + 1) + "}", "story/stories/walk.yaml, "
     f"line 15: scenes → item 2 → text: the en text has {MAX_SCENE_CHARS + 1:,} characters; a "
     f"scene may have at most {MAX_SCENE_CHARS:,}: split it into several scenes"),
])
def test_a_hostile_or_careless_story_file_gets_one_plain_error(
        content: Path, old: str, new: str, problem: str) -> None:
    (content / "story" / "pictures" / "fake.png").write_text("not a picture", encoding="utf-8")
    assert old in STORY
    assert story_problems(content, STORY.replace(old, new, 1)) == [problem]


def test_a_story_of_too_many_scenes_is_refused_before_its_paths_are_followed(
        content: Path) -> None:
    scenes = [{"id": f"s{i}", "title": {"en": "On"}, "text": {"en": "On."}, "next": f"s{i + 1}"}
              for i in range(5000)]
    scenes.append({"id": "s5000", "title": {"en": "End"}, "text": {"en": "End."},
                   "ending": True, "debrief": [{"en": "Why?"}]})
    data = {**yaml.load(STORY, Loader=yaml.CSafeLoader), "scenes": scenes}
    assert story_problems(content, yaml.safe_dump(data)) == [
        f"story/stories/walk.yaml, line 5: scenes: the story has 5,001 scenes; a story may have "
        f"at most {MAX_SCENES:,}: split it into several stories"]


# -- at a live table ------------------------------------------------------------------------------


@pytest.fixture
def fresh_content() -> Iterator[None]:
    """``load_game_content`` reads the content again (as a restarted server would), before
    and after the test."""
    load_game_content.cache_clear()
    yield
    load_game_content.cache_clear()


def story_table(hub: Hub) -> Any:
    live = hub.create_table("story", {"story": "stuck"}, seed=1)
    seats = [hub.join(live, name, AVATAR)[0] for name in ("Aino", "Bashir")]
    assert all(isinstance(result, Accepted) for result in seats)
    hub.apply(live, StartTable(at=hub.now()))
    hub.apply(live, MakeMove(at=hub.now(), seat=None, name="go_on", payload={}))
    for seat in [s.id for s in live.table.meta.seats]:
        hub.apply(live, MakeMove(at=hub.now(), seat=seat, name="vote", payload={"value": "0"}))
    assert live.table.state.stage == "result" and live.table.state.outcome == 0
    return live


def test_an_ink_runtime_that_stops_mid_play_is_refused_and_the_table_kept(
        content: Path, make_store: Any, fresh_content: None) -> None:
    loop = compiled(after_go=[{"->": "loop"}], knots={"loop": [{"->": "loop"}, None]})
    ink_content(content, {"en": loop})
    hub = Hub(make_store())
    live = story_table(hub)
    seq, state = live.table.seq, live.table.state.model_dump(mode="json")
    result = hub.apply(live, MakeMove(at=hub.now(), seat=None, name="go_on", payload={}))
    assert isinstance(result, Rejected) and result.reason is Reason.game_error
    assert result.message["en"] == ("Something went wrong in the game. Nothing was changed; "
                                    "try again or pass.")
    assert "the story runs on without giving a line of text or a choice" in result.detail
    assert live.table.seq == seq and live.table.state.model_dump(mode="json") == state
    assert hub.find(live.code) is live
    live.table.scene()  # every view still draws (the scene the group is at)
    # The leader decides for the other way, and the story goes on along it.
    assert isinstance(hub.apply(live, MakeMove(at=hub.now(), seat=None, name="decide",
                                               payload={"option": 2})), Accepted)
    assert isinstance(hub.apply(live, MakeMove(at=hub.now(), seat=None, name="go_on",
                                               payload={})), Accepted)
    assert live.table.state.path[-1].scene == "start.1"


def test_a_story_changed_on_disk_keeps_its_table_until_restart_then_is_refused_plainly(
        content: Path, make_store: Any, fresh_content: None) -> None:
    folder = ink_content(content, {"en": compiled()})
    store = make_store()
    hub = Hub(store)
    live = story_table(hub)
    # A writer saves a new version while the group plays: the running table keeps its own.
    (folder / "en.json").write_bytes(json.dumps(compiled(go="Go out")).encode())
    assert live.table.content.story("stuck").scene("start").choices[0].label["en"] == "Go"
    assert isinstance(hub.apply(live, MakeMove(at=hub.now(), seat=None, name="go_on",
                                               payload={})), Accepted)
    assert live.table.state.path[-1].scene == "start.0"

    load_game_content.cache_clear()  # a restart reads the changed file
    again = Hub(make_store())
    problems = again.resume_all()
    assert len(problems) == 1 and problems[0].startswith(f"table {live.code}: The content of "
                                                         "'story' has changed since this "
                                                         "table was created")
    assert again.find(live.code) is None
    assert len(store.events(live.table_id)) == live.table.seq  # the log is kept as it was

    # Put back, the table resumes where it was.
    (folder / "en.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(compiled()).encode())
    load_game_content.cache_clear()
    third = Hub(make_store())
    assert third.resume_all() == []
    resumed = third.find(live.code)
    assert resumed is not None
    assert resumed.table.state.model_dump(mode="json") == live.table.state.model_dump(
        mode="json")
