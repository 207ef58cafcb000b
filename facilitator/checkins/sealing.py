"""Sealing check-in answers: every answer and goal is encrypted before it reaches the database.

The key is kept apart from what it protects, so that a copied database file (or a backup, or a
stolen laptop's instance folder) reveals no answer:

* ``CHECKIN_KEYS`` in the app's configuration, or the ``PIIRI_CHECKIN_KEYS`` environment
  variable: one or more Fernet keys separated by commas, the newest first; or
* ``CHECKIN_KEY_FILE`` / ``PIIRI_CHECKIN_KEY_FILE``: a file holding those keys, one per line;
* otherwise ``~/.config/piiri/checkin.keys`` (``$XDG_CONFIG_HOME`` is honoured), made with a
  fresh key the first time a check-in is opened, readable by its owner only.

A key file inside the instance folder is refused: the point is that the database and the key
are never copied together. Keep a copy of the key somewhere safe (the organisation's password
manager): without it the answers cannot be read back by anyone, Piiri included.

``piiri admin rotate-key`` makes a new key, re-seals every answer and goal with it, and then
retires the old keys (see :func:`facilitator.checkins.upkeep.rotate_key`).

Each sealed value carries where it belongs (member, round, item): a value copied to another
row fails to open instead of showing up as someone else's answer.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["KeyConfigError", "SealError", "Sealer", "default_key_file", "key_file_of",
           "keys_from_config", "new_key", "write_key_file"]


class KeyConfigError(Exception):
    """The check-in key is missing, malformed or kept in the wrong place."""


class SealError(Exception):
    """A sealed value could not be opened (wrong key, tampered, or moved to another row)."""


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def default_key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "piiri" / "checkin.keys"


def _parse(text: str, where: str) -> list[str]:
    lines = [line for line in text.splitlines() if not line.strip().startswith("#")]
    keys = [k.strip() for k in ",".join(lines).split(",")]
    keys = [k for k in keys if k]
    for key in keys:
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as error:
            raise KeyConfigError(f"{where}: not a valid check-in key ({error})") from None
    return keys


def write_key_file(path: Path, keys: Sequence[str]) -> None:
    """Write ``keys`` (newest first) to ``path`` atomically, readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(path.name + ".new")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write("# Piiri check-in keys, newest first. Keep a safe copy; never beside "
                     "the database.\n")
        handle.write("\n".join(keys) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a power cut
    finally:
        os.close(folder)


def key_file_of(config: Mapping[str, Any]) -> Path | None:
    """The key file in use, or ``None`` when the keys come from configuration directly."""
    if config.get("CHECKIN_KEYS") or os.environ.get("PIIRI_CHECKIN_KEYS"):
        return None
    named = config.get("CHECKIN_KEY_FILE") or os.environ.get("PIIRI_CHECKIN_KEY_FILE")
    return Path(named).expanduser() if named else default_key_file()


def keys_from_config(config: Mapping[str, Any], instance_path: str | None = None,
                     create: bool = False) -> list[str]:
    """The check-in keys, newest first.

    Raises:
        KeyConfigError: none configured (and ``create`` is off), malformed, or in the
            instance folder.
    """
    given = config.get("CHECKIN_KEYS") or os.environ.get("PIIRI_CHECKIN_KEYS")
    if given:
        text = ",".join(given) if isinstance(given, list | tuple) else str(given)
        return _parse(text, "CHECKIN_KEYS")
    path = key_file_of(config)
    assert path is not None
    if instance_path is not None:
        inside = Path(instance_path).resolve()
        if path.resolve().is_relative_to(inside):
            raise KeyConfigError(f"{path}: the check-in key file must not be in the instance "
                                 "folder, next to the database; keep it elsewhere")
    if not path.exists():
        if not create:
            raise KeyConfigError(f"{path}: no check-in key yet (set CHECKIN_KEYS or "
                                 "CHECKIN_KEY_FILE, or open a check-in to make one)")
        write_key_file(path, [new_key()])
    try:
        keys = _parse(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as error:
        raise KeyConfigError(f"{path}: the key file cannot be read ({error})") from None
    if not keys:
        raise KeyConfigError(f"{path}: the file holds no key")
    return keys


class Sealer:
    """Seals and opens values with the newest key; opens with any of the older ones too."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise KeyConfigError("no check-in key")
        self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in keys])

    def seal(self, value: Any, *, bound: Mapping[str, Any]) -> str:
        """Encrypt ``value`` together with ``bound`` (the row it belongs to)."""
        data = json.dumps({"b": dict(bound), "v": value}, ensure_ascii=False,
                          separators=(",", ":"), sort_keys=True)
        return self._fernet.encrypt(data.encode("utf-8")).decode("ascii")

    def open(self, token: str, *, bound: Mapping[str, Any]) -> Any:
        """The value sealed in ``token``.

        Raises:
            SealError: wrong key, a damaged token, or a token sealed for another row.
        """
        try:
            data = json.loads(self._fernet.decrypt(token.encode("ascii")))
        except (InvalidToken, ValueError, UnicodeEncodeError):
            raise SealError("the value cannot be opened with the configured keys") from None
        if data.get("b") != json.loads(json.dumps(dict(bound))):
            raise SealError("the value belongs to another record")
        return data.get("v")

    def reseal(self, token: str) -> str:
        """The same value sealed with the newest key (key rotation)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeEncodeError):
            raise SealError("the value cannot be opened with the configured keys") from None
