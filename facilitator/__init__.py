"""The facilitator side of Piiri: the Flask app that serves the leader's panel, the tablets and
the shared-screen stream, and the ``piiri`` command.

At the top is only the shell (the app factory, the command line, the WSGI entry, the database
and its models, languages and time). Everything else lives in one package per area, each with
its blueprints, templates and words, and a public surface in its ``__init__``:

- :mod:`facilitator.live`: live tables (the hub, WebSockets, storage, room codes, the tablet
  and browser-screen pages, the leader's pages for running a table);
- :mod:`facilitator.groups`: groups, members, periods, meetings, roll calls, records, exports,
  retention;
- :mod:`facilitator.checkins`: self-assessment check-ins from the form files to the sealed
  answers and the leader's pages;
- :mod:`facilitator.accounts`: sign-in, users, organisations, access rules, privacy, audit.

An area imports another area only through that area's package (``from facilitator.live import
Hub``), never its modules; ``tests/test_layers.py`` keeps it so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, names: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports an area's public names on first use.

    Areas export lazily so that importing the command line (which imports every area's
    commands) loads no web server, database driver or TLS module before ``piiri run`` has
    monkey-patched them for gevent.
    """

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module, package), name)

    return __getattr__
