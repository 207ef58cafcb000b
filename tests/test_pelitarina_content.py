"""Pelitarina's content: the method's words and the game catalogue keep the agreed schema.

The module validates the same files through its own pydantic models; these tests read the
YAML as plain data so that the content stands checked on its own: every text in all four
languages, unique ids, enough games in every category, and icons that exist at the agreed size.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from pydantic import ConfigDict

from engine.content import ContentFile, load_content_file

FOLDER = Path(__file__).resolve().parent.parent / "content" / "pelitarina"
LANGUAGES = {"fi", "sv", "en", "fi-x-selko"}
STAGES = ["small-child", "school-years", "teens", "young-adult", "adult", "now"]
WHO_WITH = ["alone", "family", "friends", "classmates", "online-friends", "team"]
CATEGORIES = ["board", "card", "outdoor", "ball-sports", "video", "phone", "role-play",
              "puzzle-quiz", "music-dance", "made-up"]
ORIGINS = {"fi", "nordic", "global", "middle-east", "africa", "asia", "russia",
           "latin-america", "europe"}
TAGS = {"classic", "children", "street", "family", "online", "current"}
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def load(name: str) -> dict[str, Any]:
    with (FOLDER / name).open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def method() -> dict[str, Any]:
    return load("method.yaml")


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Any]:
    return load("catalogue.yaml")


def assert_text(value: Any, where: str) -> None:
    assert isinstance(value, dict), f"{where} is not a text in four languages"
    assert set(value) == LANGUAGES, f"{where} has languages {sorted(value)}"
    for tag, text in value.items():
        assert isinstance(text, str) and text.strip(), f"{where} has an empty {tag} text"
        assert text == text.strip(), f"{where} {tag} text starts or ends with a space"


def assert_unique_ids(items: list[dict[str, Any]], where: str) -> list[str]:
    ids = [item["id"] for item in items]
    twice = [i for i, n in Counter(ids).items() if n > 1]
    assert not twice, f"{where}: ids used twice: {twice}"
    for item_id in ids:
        assert ID.match(item_id), f"{where}: '{item_id}' is not a lowercase-hyphen id"
    return ids


def texts(value: Any, where: str = "") -> list[tuple[str, Any]]:
    """Every mapping in ``value`` that has a language key, with where it is."""
    found: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        if LANGUAGES & set(value):
            return [(where, value)]
        for key, inner in value.items():
            if key != "translations":
                found += texts(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for number, inner in enumerate(value):
            found += texts(inner, f"{where}[{number}]")
    return found


class _AnyFields(ContentFile):
    model_config = ConfigDict(extra="allow")


@pytest.mark.parametrize("name", ["method.yaml", "catalogue.yaml"])
def test_files_read_cleanly_through_the_engines_yaml_reader(name: str) -> None:
    # The engine's reader refuses a key given twice and YAML tags, which safe_load lets by.
    loaded = load_content_file(FOLDER / name, _AnyFields)
    assert set(loaded.translations) == LANGUAGES


@pytest.mark.parametrize("name, kind", [("method.yaml", "pelitarina-method"),
                                        ("catalogue.yaml", "pelitarina-catalogue")])
def test_each_file_names_its_kind_and_all_four_languages(name: str, kind: str) -> None:
    data = load(name)
    assert data["kind"] == kind
    assert data["translations"] == dict.fromkeys(sorted(LANGUAGES), "written")


@pytest.mark.parametrize("name", ["method.yaml", "catalogue.yaml"])
def test_every_text_has_all_four_languages_and_none_is_empty(name: str) -> None:
    found = texts(load(name))
    assert len(found) > 20
    for where, value in found:
        assert_text(value, f"{name}{where}")


def test_stages_are_the_six_life_stages_in_life_order(method: dict[str, Any]) -> None:
    stages = method["stages"]
    assert assert_unique_ids(stages, "stages") == STAGES
    for stage in stages:
        assert_text(stage["label"], f"stage {stage['id']} label")
        assert_text(stage["question"], f"stage {stage['id']} question")
        assert isinstance(stage["short"], bool)
    short = [s["id"] for s in stages if s["short"]]
    assert 2 <= len(short) < len(STAGES)
    assert short[-1] == "now"


def test_quick_picks_have_the_agreed_ids_and_enough_choices(method: dict[str, Any]) -> None:
    assert assert_unique_ids(method["who_with"], "who_with") == WHO_WITH
    assert 5 <= len(assert_unique_ids(method["feelings"], "feelings")) <= 7
    gave = method["gave"]
    gave_ids = assert_unique_ids(gave, "gave")
    assert len(gave_ids) >= 10
    assert {"co-operation", "patience", "planning", "creativity", "language",
            "keeping-at-it", "losing-and-winning-well"} <= set(gave_ids)
    for pick in method["who_with"] + method["feelings"] + gave:
        assert_text(pick["label"], f"pick {pick['id']}")
    for pick in gave:
        assert_text(pick["strength"], f"gave {pick['id']} strength")


def test_group_prompts_are_enough_and_mostly_for_any_group(method: dict[str, Any]) -> None:
    prompts = method["prompts"]
    assert len(assert_unique_ids(prompts, "prompts")) >= 8
    for prompt in prompts:
        assert_text(prompt["text"], f"prompt {prompt['id']}")
        assert isinstance(prompt["sensitive"], bool)
    assert sum(not p["sensitive"] for p in prompts) >= 8


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_summary_fills_in_the_strengths_and_nothing_else(method: dict[str, Any]) -> None:
    summary = method["summary"]
    assert set(summary) == {"intro", "none"}
    for part in summary.values():
        assert_text(part, "summary")
    strengths = [pick["strength"] for pick in method["gave"][:3]]
    for tag, text in summary["intro"].items():
        assert placeholders(text) == {"strengths"}
        filled = text.format(strengths=", ".join(s[tag] for s in strengths))
        assert all(s[tag] in filled for s in strengths)
    for text in summary["none"].values():
        assert placeholders(text) == set()


def test_consent_says_what_is_kept_who_sees_it_and_how_long(method: dict[str, Any]) -> None:
    consent = method["consent"]
    assert set(consent) == {"what", "who", "how_long"}
    for key, text in consent.items():
        assert_text(text, f"consent {key}")


def test_catalogue_has_exactly_the_ten_categories(catalogue: dict[str, Any]) -> None:
    categories = catalogue["categories"]
    assert assert_unique_ids(categories, "categories") == CATEGORIES
    for category in categories:
        assert_text(category["label"], f"category {category['id']} label")
        assert_text(category["alt"], f"category {category['id']} alt")
        assert category["icon"] == f"icons/{category['id']}.png"


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_icon_is_a_128_pixel_rgba_png(category: str) -> None:
    path = FOLDER / "icons" / f"{category}.png"
    assert path.is_file(), f"{path} is missing: run content/pelitarina/icons/make_icons.py"
    with Image.open(path) as picture:
        assert picture.format == "PNG"
        assert picture.size == (128, 128)
        assert picture.mode == "RGBA"


def test_catalogue_has_at_least_80_games_with_unique_ids(catalogue: dict[str, Any]) -> None:
    games = catalogue["games"]
    assert len(assert_unique_ids(games, "games")) >= 80
    for game in games:
        assert set(game) <= {"id", "category", "name", "original", "origin", "tags"}, game["id"]
        assert_text(game["name"], f"game {game['id']} name")


def test_no_two_games_share_a_name_in_any_language(catalogue: dict[str, Any]) -> None:
    for tag in sorted(LANGUAGES):
        names = [game["name"][tag].casefold() for game in catalogue["games"]]
        assert [n for n, count in Counter(names).items() if count > 1] == [], tag


def test_every_game_is_in_a_category_and_each_category_has_four(
        catalogue: dict[str, Any]) -> None:
    counts = Counter(game["category"] for game in catalogue["games"])
    assert set(counts) <= set(CATEGORIES), set(counts) - set(CATEGORIES)
    for category in CATEGORIES:
        assert counts[category] >= 4, f"{category} has only {counts[category]} games"


def test_origins_and_tags_use_the_agreed_words(catalogue: dict[str, Any]) -> None:
    games = catalogue["games"]
    for game in games:
        assert game.get("origin", "fi") in ORIGINS, game["id"]
        tags = game.get("tags", [])
        assert isinstance(tags, list) and set(tags) <= TAGS, game["id"]
        assert len(tags) == len(set(tags)), game["id"]
    origins = Counter(game["origin"] for game in games if "origin" in game)
    # The catalogue speaks to people of different origins, not only to those who grew up here.
    for origin in ("fi", "middle-east", "africa", "asia", "russia", "latin-america"):
        assert origins[origin] >= 3, f"only {origins[origin]} games from {origin}"


def test_original_names_are_in_their_own_scripts(catalogue: dict[str, Any]) -> None:
    originals = [game["original"] for game in catalogue["games"] if "original" in game]
    assert all(isinstance(o, str) and o.strip() == o and o for o in originals)

    def in_script(low: int, high: int) -> int:
        return sum(any(low <= ord(ch) <= high for ch in o) for o in originals)

    assert in_script(0x0400, 0x04FF) >= 3  # Cyrillic
    assert in_script(0x0600, 0x06FF) >= 3  # Arabic
    assert in_script(0x4E00, 0x9FFF) >= 3  # Chinese characters
