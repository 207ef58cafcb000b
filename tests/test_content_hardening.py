"""Hostile content files: each is refused quickly with one plain sentence naming the file (and
the line where there is one), and nothing is loaded. Cross-reference errors and pictures are
held to the same standard: every problem names its file, line and field.

No test here times anything (see STYLE.md): a file that is not refused quickly makes the suite
itself slow, or runs it out of memory, which is what these tests were written against.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import yaml
from PIL import Image

import engine.content
from engine import ContentError, Problem, check_image
from engine.content import (
    MAX_ALIAS_VALUES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    content_root,
    load_content_dir,
)
from engine.images import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from games.circle import CircleContent
from games.elaman_varit import ElamanVaritContent

HEAD = """\
kind: circle-prompts
translations: {fi: written, en: reviewed}
title: {fi: Kierros, en: Round}
description: {fi: Kuvaus, en: Description}
prompts:
"""

SHOWN = "content/circle/prompts.yaml"


def prompt(n: int) -> str:
    return f"  - id: prompt-{n}\n    text: {{fi: Kerro päivästäsi {n}, en: Tell of your day {n}}}\n"


def write(tmp_path: Path, text: str | bytes) -> Path:
    folder = tmp_path / "content" / "circle"
    folder.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / "prompts.yaml").write_bytes(data)
    return folder


def refused(tmp_path: Path, text: str | bytes) -> Problem:
    """The one problem a file is refused with."""
    with pytest.raises(ContentError) as caught:
        load_content_dir(write(tmp_path, text), CircleContent, tmp_path / "content")
    assert len(caught.value.problems) == 1, caught.value.problems
    problem = caught.value.problems[0]
    assert problem.file == SHOWN
    assert "\n" not in str(problem)
    return problem


def billion_laughs() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        name, inner = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{inner}'] * 9)}]")
    return "\n".join(lines) + "\n"


# -- YAML that would blow up ----------------------------------------------------------------


def test_billion_laughs_is_refused_at_the_line_where_aliases_pile_up(tmp_path: Path) -> None:
    problem = refused(tmp_path, HEAD + prompt(1) + billion_laughs())
    assert problem.line is not None and problem.line < 20
    assert f"repeat more than {MAX_ALIAS_VALUES:,} values" in problem.message


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    problem = refused(tmp_path, HEAD + "  - &loop\n    id: one\n    text: *loop\n")
    assert str(problem) == (f"{SHOWN}, line 8: the alias '*loop' is inside the part it repeats "
                            "('&loop'), so it would repeat without end")


def test_a_self_referencing_flow_alias_is_refused(tmp_path: Path) -> None:
    problem = refused(tmp_path, "kind: &k [1, [2, *k]]\n")
    assert problem.line == 1 and "'*k' is inside the part it repeats" in problem.message


@pytest.mark.parametrize("nesting", [
    pytest.param("x: " + "[" * 50_000 + "]" * 50_000 + "\n", id="flow-lists"),
    pytest.param("x: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n", id="flow-mappings"),
    pytest.param("x:\n" + "- " * 50_000 + "deep\n", id="block-lists"),
    pytest.param("".join(" " * depth + f"k{depth}:\n" for depth in range(1_000)),
                 id="block-mappings"),
])
def test_deep_nesting_is_refused_without_a_recursion_error(tmp_path: Path, nesting: str) -> None:
    problem = refused(tmp_path, nesting)
    assert problem.line is not None
    assert f"more than {MAX_DEPTH} levels deep" in problem.message


def test_an_alias_cannot_smuggle_in_deep_nesting(tmp_path: Path) -> None:
    half = MAX_DEPTH - 10
    text = f"a: &a {'[' * half}{']' * half}\nb: {'[' * half}*a{']' * half}\n"
    problem = refused(tmp_path, text)
    assert problem.line == 2 and "levels deep" in problem.message


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    body = HEAD + "".join(prompt(n) for n in range(MAX_FILE_BYTES // 60))
    assert len(body.encode("utf-8")) > MAX_FILE_BYTES
    problem = refused(tmp_path, body)
    assert str(problem) == (f"{SHOWN}: the file is larger than 2 MB, the most a content file "
                            "may be; split it into smaller files")


@pytest.mark.parametrize(("text", "line", "words"), [
    pytest.param("kind: *nothing\n", 1, "the alias '*nothing' names no anchor '&nothing'",
                 id="undefined-alias"),
    pytest.param("? [a, b]\n: c\n", 1, "a name before ':' must be a single word or text",
                 id="list-as-a-name"),
    pytest.param("kind: !!python/object/apply:os.system [ls]\n", 1,
                 "the tag '!!python/object/apply:os.system' is not one a content file can use",
                 id="python-tag"),
    pytest.param("kind: x\nwhen: 2024-13-45\n", 2, "'2024-13-45' cannot be read as a date",
                 id="impossible-date"),
    pytest.param("kind: x\n---\nkind: y\n", 2, "more than one document", id="two-documents"),
    pytest.param("kind: x\ntitle: \x07\n", 2, "control character", id="control-character"),
])
def test_odd_yaml_gets_one_plain_sentence_at_its_line(tmp_path: Path, text: str, line: int,
                                                      words: str) -> None:
    problem = refused(tmp_path, text)
    assert problem.line == line
    assert words in problem.message


@pytest.mark.parametrize(("text", "words"), [
    pytest.param(HEAD + billion_laughs(), "repeat more than", id="billion-laughs"),
    pytest.param("kind: &k [1, *k]\n", "inside the part it repeats", id="self-reference"),
    pytest.param("x: " + "[" * 50_000 + "]" * 50_000 + "\n", "levels deep", id="deep-flow"),
    pytest.param("x:\n" + "- " * 50_000 + "deep\n", "levels deep", id="deep-block"),
])
def test_the_pure_python_parser_refuses_the_same_files(tmp_path: Path, monkeypatch,
                                                      text: str, words: str) -> None:
    """Where PyYAML was built without libyaml, its own parser reads the files."""
    monkeypatch.setattr(engine.content, "_Loader", yaml.SafeLoader)
    assert words in refused(tmp_path, text).message


def test_a_large_valid_file_under_the_limit_still_loads(tmp_path: Path) -> None:
    items = []
    size = len(HEAD.encode("utf-8"))
    while size < MAX_FILE_BYTES * 9 // 10:
        items.append(prompt(len(items)))
        size += len(items[-1].encode("utf-8"))
    folder = write(tmp_path, HEAD + "".join(items))
    loaded = load_content_dir(folder, CircleContent, tmp_path / "content")
    assert len(loaded.prompts.prompts) == len(items)


def test_a_few_aliases_still_work(tmp_path: Path) -> None:
    text = HEAD + ("  - id: one\n    text: &same {fi: Sama, en: Same}\n"
                   "  - id: two\n    text: *same\n")
    loaded = load_content_dir(write(tmp_path, text), CircleContent, tmp_path / "content")
    assert [p.text.pick("en") for p in loaded.prompts.prompts] == ["Same", "Same"]


# -- errors between files --------------------------------------------------------------------


def test_a_meeting_naming_a_missing_deck_names_file_line_and_field(tmp_path: Path) -> None:
    shutil.copytree(content_root() / "elaman_varit", tmp_path / "content" / "elaman_varit")
    programme = tmp_path / "content" / "elaman_varit" / "programme.yaml"
    lines = programme.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, text in enumerate(lines) if text.strip().startswith("decks:"))
    lines[first] = lines[first].replace("decks: [", "decks: [no-such-deck, ", 1)
    assert "no-such-deck" in lines[first]
    programme.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content_dir(tmp_path / "content" / "elaman_varit", ElamanVaritContent,
                         tmp_path / "content")
    [problem] = caught.value.problems
    assert problem.file == "content/elaman_varit/programme.yaml"
    assert problem.line == first + 1
    assert problem.field == "meetings → item 1 → decks → item 1"
    assert problem.message.startswith("meeting 1 names a deck that does not exist: "
                                      "no-such-deck (the decks are everyday, ")


def test_a_deck_whose_id_is_not_its_file_name_names_the_id_line(tmp_path: Path) -> None:
    shutil.copytree(content_root() / "elaman_varit", tmp_path / "content" / "elaman_varit")
    deck = tmp_path / "content" / "elaman_varit" / "decks" / "family.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("\nid: family\n", "\nid: families\n", 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content_dir(tmp_path / "content" / "elaman_varit", ElamanVaritContent,
                         tmp_path / "content")
    [problem] = caught.value.problems
    assert problem.file == "content/elaman_varit/decks/family.yaml"
    assert problem.line == text.splitlines().index("id: family") + 1
    assert problem.field == "id"


def test_a_problem_in_no_file_names_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "elaman_varit"
    shutil.copytree(content_root() / "elaman_varit", folder)
    (folder / "programme.yaml").unlink()
    with pytest.raises(ContentError) as caught:
        load_content_dir(folder, ElamanVaritContent, tmp_path / "content")
    assert [str(p) for p in caught.value.problems] == [
        "content/elaman_varit: programme: is missing"]


# -- pictures --------------------------------------------------------------------------------


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header says it is ``width`` × ``height`` (with a correct checksum)."""
    buffer = io.BytesIO()
    Image.new("1", (8, 8)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    assert data[12:16] == b"IHDR"
    header = bytes(struct.pack(">II", width, height) + data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    bomb = tmp_path / "map.png"
    bomb.write_bytes(png_claiming(50_000, 50_000))
    [problem] = check_image(bomb, where="content/escape_room/rooms/x.yaml", line=12,
                            field="pictures → hall → image")
    assert (problem.file, problem.line, problem.field) == (
        "content/escape_room/rooms/x.yaml", 12, "pictures → hall → image")
    assert problem.message.startswith("the picture 'map.png' claims to be far too large")


def test_a_picture_over_the_pixel_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    big = tmp_path / "wide.png"
    side = int(MAX_IMAGE_PIXELS ** 0.5) + 1
    big.write_bytes(png_claiming(side, side))
    [problem] = check_image(big, where="wide.png")
    assert f"is {side} × {side} pixels, too large" in problem.message


def test_a_picture_file_over_the_byte_limit_is_refused(tmp_path: Path) -> None:
    noisy = tmp_path / "noise.png"
    Image.frombytes("RGB", (1024, 1024), os.urandom(3 * 1024 * 1024)).save(noisy)
    assert noisy.stat().st_size > MAX_IMAGE_BYTES
    [problem] = check_image(noisy, where="noise.png")
    assert str(problem) == ("noise.png: the picture 'noise.png' is 3 MB; a picture may be at "
                            "most 2 MB (save it smaller, for example as a JPEG or WebP)")


def test_a_text_file_named_png_is_not_a_picture(tmp_path: Path) -> None:
    fake = tmp_path / "fake.png"
    fake.write_text("this is not a picture\n", encoding="utf-8")
    [problem] = check_image(fake, where="fake.png")
    assert "is not a PNG, JPEG or WebP picture" in problem.message


def test_a_picture_in_another_format_is_refused_by_its_name(tmp_path: Path) -> None:
    gif = tmp_path / "moving.gif"
    Image.new("RGB", (8, 8)).save(gif)
    [problem] = check_image(gif, where="moving.gif")
    assert "must be a PNG, JPEG or WebP file" in problem.message


def test_a_picture_cut_short_is_refused(tmp_path: Path) -> None:
    whole = tmp_path / "whole.png"
    Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3)).save(whole)
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.read_bytes()[:4000])
    [problem] = check_image(cut, where="cut.png")
    assert "damaged or cut short" in problem.message


@pytest.mark.parametrize("name", ["fine.png", "fine.jpg", "fine.webp"])
def test_a_small_picture_passes(tmp_path: Path, name: str) -> None:
    picture = tmp_path / name
    Image.new("RGB", (640, 480), "orange").save(picture)
    assert check_image(picture, where=name) == []


# -- the command -----------------------------------------------------------------------------


def test_content_check_refuses_hostile_files_one_line_each(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(content_root(), root)
    (root / "circle" / "prompts.yaml").write_text(HEAD + prompt(1) + billion_laughs(),
                                                  encoding="utf-8")
    (root / "elaman_varit" / "programme.yaml").write_text("kind: &k [*k]\n", encoding="utf-8")
    (root / "escape_room" / "rooms" / "lost-key.yaml").write_text(
        "kind: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    piiri = Path(sys.executable).with_name("piiri")
    result = subprocess.run([str(piiri), "content", "check"], capture_output=True, text=True,
                            env={**os.environ, "PIIRI_CONTENT_DIR": str(root)}, timeout=120,
                            check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR ")]
    assert len(errors) == 3, result.stderr
    assert errors[0].startswith("ERROR content/circle/prompts.yaml, line ")
    assert "repeat more than" in errors[0]
    assert errors[1] == ("ERROR content/elaman_varit/programme.yaml, line 1: the alias '*k' is "
                         "inside the part it repeats ('&k'), so it would repeat without end")
    assert errors[2].startswith("ERROR content/escape_room/rooms/lost-key.yaml, line 1: ")
    assert "levels deep" in errors[2]
