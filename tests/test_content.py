"""Content loading: a broken file gets an error naming the file, the line and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine import ContentError
from engine.content import content_root, load_content_dir
from facilitator.cli import main
from games.circle import CircleContent

GOOD = """\
kind: circle-prompts
translations: {fi: written, en: reviewed}
title: {fi: Kierros, en: Round}
description: {fi: Kuvaus, en: Description}
prompts:
  - id: one
    text: {fi: Yksi, en: One}
  - id: two
    text:
      fi: Kaksi
      en: Two
"""


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "content" / "circle"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "prompts.yaml").write_text(text, encoding="utf-8")
    return folder


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content_dir(write(tmp_path, text), CircleContent, tmp_path / "content")
    return [str(p) for p in caught.value.problems]


def test_good_file_loads(tmp_path: Path) -> None:
    loaded = load_content_dir(write(tmp_path, GOOD), CircleContent, tmp_path / "content")
    assert [p.id for p in loaded.prompts.prompts] == ["one", "two"]


def test_missing_translation_names_file_line_and_field(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("      en: Two\n", ""))
    assert found == ["content/circle/prompts.yaml, line 9: prompts → item 2 → text: no en text, "
                     "although the file lists it under 'translations'"]


def test_misspelt_field_is_named_with_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("  - id: two\n", "  - id: two\n    sensitiv: true\n")
    found = problems(tmp_path, text)
    assert found == ["content/circle/prompts.yaml, line 9: prompts → item 2 → sensitiv: "
                     "is not a field this file can have (check the spelling)"]


def test_wrong_type_is_explained_in_plain_words(tmp_path: Path) -> None:
    text = GOOD.replace("  - id: one\n", "  - id: one\n    sensitive: maybe\n")
    found = problems(tmp_path, text)
    assert found == ["content/circle/prompts.yaml, line 7: prompts → item 1 → sensitive: "
                     "should be true or false"]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("title: {fi: Kierros, en: Round}",
                                            "title: {fi: Kierros, en: Round"))
    assert len(found) == 1 and found[0].startswith("content/circle/prompts.yaml, line ")
    assert "YAML" in found[0]


def test_a_key_given_twice_is_an_error_not_silently_overwritten(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("    text: {fi: Yksi, en: One}\n",
                                            "    text: {fi: Yksi, en: One}\n    id: uno\n"))
    assert found == ["content/circle/prompts.yaml, line 8: 'id' is given twice"]


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("id: two", "id: one"))
    assert "the id 'one' is used twice" in found[0]


def test_unknown_language_tag_is_refused(tmp_path: Path) -> None:
    found = problems(tmp_path, GOOD.replace("translations: {fi: written, en: reviewed}",
                                            "translations: {fi: written, english: reviewed}"))
    assert "'english' is not a language tag" in found[0]


def test_content_check_passes_on_the_shipped_content() -> None:
    result = CliRunner().invoke(main, ["content", "check"])
    assert result.exit_code == 0, result.output
    assert "circle/prompts.yaml" in result.output
    assert "fi-x-selko written" in result.output


def test_content_check_fails_on_a_broken_copy(tmp_path: Path, monkeypatch) -> None:
    from engine.registry import load_game_content

    shutil.copytree(content_root(), tmp_path / "content")
    broken = tmp_path / "content" / "circle" / "prompts.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("sensitive: false",
                                                                 "sensitive: nope", 1))
    monkeypatch.setenv("PIIRI_CONTENT_DIR", str(tmp_path / "content"))
    load_game_content.cache_clear()
    try:
        result = CliRunner().invoke(main, ["content", "check"])
    finally:
        load_game_content.cache_clear()
    assert result.exit_code == 1
    assert "content/circle/prompts.yaml, line" in result.output
    assert "should be true or false" in result.output


def test_content_check_checks_the_moderation_word_list(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The word list that holds proposals back is content too: a broken one fails the check."""
    import shutil

    from click.testing import CliRunner

    from engine.content import content_root
    from facilitator.cli import main

    root = tmp_path / "content"
    shutil.copytree(content_root(), root)
    words = root / "moderation" / "words.yaml"
    assert "ok    moderation/words.yaml" in CliRunner().invoke(
        main, ["content", "check"], env={"PIIRI_CONTENT_DIR": str(root)}).output
    words.write_text(words.read_text(encoding="utf-8").replace("words:", "wordz:", 1),
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["content", "check"],
                                env={"PIIRI_CONTENT_DIR": str(root)})
    assert result.exit_code == 1
    assert "moderation/words.yaml" in result.output
