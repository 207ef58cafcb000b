"""Text in several languages, and how a reader's language is chosen.

Content carries its own translations, so every piece of text a participant can see is a
:class:`LocalizedText`: a mapping from a BCP-47 language tag to the text in that language.
Easy Finnish (selkosuomi) is the private-use tag ``fi-x-selko``.

Example:
    >>> t = LocalizedText({"fi": "Sinun vuorosi", "en": "Your turn"})
    >>> t.pick("sv")
    'Sinun vuorosi'
    >>> t.pick("fi-x-selko")
    'Sinun vuorosi'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import RootModel, field_validator

__all__ = [
    "EASY_FINNISH",
    "FIRST_CLASS_LANGUAGES",
    "LocalizedText",
    "fallback_chain",
    "in_four",
    "is_rtl",
    "valid_language_tag",
]

EASY_FINNISH = "fi-x-selko"
FIRST_CLASS_LANGUAGES: tuple[str, ...] = ("fi", "sv", "en", EASY_FINNISH)

# Languages written right to left; the base subtag decides.
_RTL = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"})

# A practical subset of BCP-47: language, optional script/region/variants, optional private use.
_TAG = re.compile(
    r"^[a-z]{2,3}"
    r"(-[A-Z][a-z]{3})?"
    r"(-([A-Z]{2}|[0-9]{3}))?"
    r"(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(-x(-[a-z0-9]{1,8})+)?$"
)


def valid_language_tag(tag: str) -> bool:
    """Tell whether ``tag`` is a well-formed language tag such as ``fi``, ``sv-FI`` or
    ``fi-x-selko``."""
    return bool(_TAG.match(tag))


def is_rtl(tag: str) -> bool:
    """Tell whether text in language ``tag`` is written right to left (``ar``, ``fa``...)."""
    return tag.split("-", 1)[0] in _RTL


def fallback_chain(tag: str) -> list[str]:
    """The order in which translations are tried for a reader of ``tag``.

    First the tag itself, then its shorter forms (``fi-x-selko`` → ``fi``); then, for readers of
    Finland's national languages, Finnish before English (a Swedish speaker in Finland reads
    Finnish more often than English); for everyone else English, then Finnish.

    >>> fallback_chain("fi-x-selko")
    ['fi-x-selko', 'fi', 'en', 'sv']
    >>> fallback_chain("ar")
    ['ar', 'en', 'fi', 'sv']
    """
    chain: list[str] = []
    parts = tag.split("-")
    for end in range(len(parts), 0, -1):
        candidate = "-".join(parts[:end])
        if candidate.endswith("-x"):
            continue
        chain.append(candidate)
    national = parts[0] in ("fi", "sv")
    for extra in ("fi", "en", "sv") if national else ("en", "fi", "sv"):
        if extra not in chain:
            chain.append(extra)
    return chain


class LocalizedText(RootModel[dict[str, str]]):
    """Text with translations keyed by language tag. Dumps to a plain JSON object."""

    @field_validator("root")
    @classmethod
    def _check(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("text needs at least one language")
        for tag, text in value.items():
            if not valid_language_tag(tag):
                raise ValueError(f"'{tag}' is not a language tag (such as fi, sv, en, fi-x-selko)")
            if not text.strip():
                raise ValueError(f"the {tag} text is empty")
        return value

    @classmethod
    def of(cls, value: LocalizedText | Mapping[str, str] | str) -> LocalizedText:
        """Make text from a mapping, another text, or a language-neutral string (names, codes)."""
        if isinstance(value, LocalizedText):
            return value
        if isinstance(value, str):
            return cls.model_construct({"und": value})
        return cls(dict(value))

    def pick(self, tag: str) -> str:
        """The text for a reader of ``tag``, following :func:`fallback_chain`."""
        root = self.root
        for candidate in fallback_chain(tag):
            if candidate in root:
                return root[candidate]
        return next(iter(root.values()))

    def languages(self) -> list[str]:
        return list(self.root)

    def format(self, **params: Any) -> LocalizedText:
        """The same text with ``{name}`` placeholders filled in every language."""
        return LocalizedText.model_construct({k: v.format(**params) for k, v in self.root.items()})

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        return iter(self.root)

    def __getitem__(self, tag: str) -> str:
        return self.root[tag]


def in_four(fi: str, sv: str, en: str, selko: str) -> LocalizedText:
    """Text in the four first-class languages, in the order games write them.

    >>> in_four("Kiitos", "Tack", "Thank you", "Kiitos").pick("sv")
    'Tack'
    """
    return LocalizedText({"fi": fi, "sv": sv, "en": en, EASY_FINNISH: selko})
