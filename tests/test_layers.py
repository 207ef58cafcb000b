"""DESIGN.md's layers: the engine core imports no web, drawing, database or network code."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"flask", "werkzeug", "pygame", "arcade", "sqlalchemy", "sqlite3", "psycopg",
             "psycopg2", "redis", "socket", "http", "urllib", "requests", "httpx", "asyncio",
             "websockets", "simple_websocket", "gevent", "alembic", "time"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_engine_core_imports_no_flask_pygame_database_or_network() -> None:
    offenders = {}
    for path in (ROOT / "engine").rglob("*.py"):
        if "screen" in path.relative_to(ROOT / "engine").parts:
            continue
        bad = imported_roots(path) & FORBIDDEN
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_games_import_no_flask_pygame_or_io() -> None:
    offenders = {}
    for path in (ROOT / "games").rglob("*.py"):
        bad = imported_roots(path) & (FORBIDDEN | {"os", "pathlib", "io", "subprocess"})
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def test_the_layer_check_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("import flask\nfrom pygame import display\n")
    assert imported_roots(sample) & FORBIDDEN == {"flask", "pygame"}
