"""Room codes: short, unambiguous, inoffensive, forgiving of how people type them."""

from __future__ import annotations

from facilitator.live.roomcode import ALPHABET, is_acceptable, new_room_code, normalise


def test_codes_use_no_characters_that_look_alike() -> None:
    assert not set("0O1IL") & set(ALPHABET)
    codes = {new_room_code() for _ in range(2000)}
    assert all(len(code) == 5 and set(code) <= set(ALPHABET) for code in codes)
    assert len(codes) > 1990  # random, not a short cycle


def test_rude_words_are_never_handed_out() -> None:
    assert not is_acceptable("FUCKA")
    assert not is_acceptable("APASK")
    assert not is_acceptable("XSEX2")
    assert is_acceptable("KX7PM")


def test_typed_codes_are_case_and_space_insensitive() -> None:
    assert normalise(" kx7 pm ") == "KX7PM"
