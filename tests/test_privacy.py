"""Free text never holds a personal identity code."""

from __future__ import annotations

import pytest

from facilitator.accounts.privacy import looks_like_identity_code, valid_identity_code


@pytest.mark.parametrize("text", [
    "131052-308T", "Aino 131052-308T", "hetu 010101A123X", "290200+1234", "150599Y0016",
    "131052 - 308T".replace(" - ", "-"), "040404b123x",
])
def test_identity_code_shapes_are_caught(text: str) -> None:
    assert looks_like_identity_code(text)


@pytest.mark.parametrize("text", [
    "Kokoonnutaan klo 10-12", "puh. 040 123 4567", "2024-10-27", "huone 204",
    "991399-123X",  # no 99th day of a 13th month
    "ABC131052-308TX",
])
def test_ordinary_text_passes(text: str) -> None:
    assert not looks_like_identity_code(text)


def test_check_character_is_verified() -> None:
    assert valid_identity_code("131052-308T")
    assert not valid_identity_code("131052-308U")
