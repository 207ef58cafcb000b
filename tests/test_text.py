"""Languages: fallback order, right-to-left, and tags."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from engine import LocalizedText, fallback_chain, is_rtl
from engine.messages import MESSAGES
from engine.text import valid_language_tag


def test_easy_finnish_falls_back_to_finnish_then_english() -> None:
    assert fallback_chain("fi-x-selko")[:3] == ["fi-x-selko", "fi", "en"]
    text = LocalizedText({"fi": "Hei", "en": "Hi"})
    assert text.pick("fi-x-selko") == "Hei"


def test_swedish_reader_gets_finnish_before_english() -> None:
    assert LocalizedText({"fi": "Hei", "en": "Hi"}).pick("sv") == "Hei"


def test_other_languages_fall_back_to_english() -> None:
    assert LocalizedText({"fi": "Hei", "en": "Hi"}).pick("so") == "Hi"
    assert LocalizedText({"fi": "Hei", "ar": "مرحبا"}).pick("ar") == "مرحبا"


def test_right_to_left_languages_are_marked() -> None:
    assert is_rtl("ar") and is_rtl("fa-IR") and not is_rtl("fi-x-selko")


@pytest.mark.parametrize("tag", ["fi", "sv-FI", "fi-x-selko", "ar", "zh-Hant-TW", "und"])
def test_open_language_tags_are_accepted(tag: str) -> None:
    assert valid_language_tag(tag)


@pytest.mark.parametrize("bad", [{"finnish": "x"}, {"fi": "  "}, {}])
def test_broken_text_is_refused(bad: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        LocalizedText(bad)


def test_every_engine_message_is_in_all_first_class_languages() -> None:
    for key, text in MESSAGES.items():
        assert set(text.languages()) >= {"fi", "sv", "en", "fi-x-selko"}, key
