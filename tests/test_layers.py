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


def test_games_import_nothing_from_the_facilitator() -> None:
    offenders = {str(path.relative_to(ROOT)) for path in (ROOT / "games").rglob("*.py")
                 if "facilitator" in imported_roots(path)}
    assert offenders == set()


AREAS = ("live", "groups", "checkins", "accounts", "reports")


def _facilitator_imports(path: Path) -> set[str]:
    """The facilitator modules a file imports, as dotted names (relative ones resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("facilitator"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("facilitator"):
                found.add(name)
    return found


def test_facilitator_areas_use_each_other_only_through_their_packages() -> None:
    """An area may import another area's package (what its ``__init__`` exports), never the
    modules inside it; the shell at the top may import any area's package."""
    offenders: dict[str, list[str]] = {}
    for area in AREAS:
        for path in (ROOT / "facilitator" / area).rglob("*.py"):
            bad = sorted(name for name in _facilitator_imports(path)
                         if name.split(".")[1:2] != [area] and name.count(".") >= 2
                         and name.split(".")[1] in AREAS)
            if bad:
                offenders[str(path.relative_to(ROOT))] = bad
    for path in (ROOT / "facilitator").glob("*.py"):
        bad = sorted(name for name in _facilitator_imports(path)
                     if name.count(".") >= 2 and name.split(".")[1] in AREAS
                     and not name.endswith(".commands"))
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_the_area_check_would_catch_a_private_import(tmp_path: Path) -> None:
    folder = ROOT / "facilitator" / "groups"
    sample = folder / "_layer_probe.py"
    try:
        sample.write_text("from facilitator.live.hub import Hub\nfrom ..live import Hub\n")
        assert _facilitator_imports(sample) == {"facilitator.live.hub", "facilitator.live"}
    finally:
        sample.unlink()


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """The names and string values a Python file's code uses (docstrings and comments, which
    may name a game as an example, left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                                | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                id(node) not in docstrings):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            found.append((node.lineno, node.attr))
    return found


def test_no_game_is_named_in_the_facilitator_or_the_engine() -> None:
    """Games are found through the module contract; none is written into the server."""
    named = []
    for folder in ("facilitator", "engine"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix == ".py":
                used = _code_strings(path)
            elif path.suffix in (".html", ".js", ".css", ".cfg"):
                used = list(enumerate(path.read_text(encoding="utf-8").splitlines(), 1))
            else:
                continue
            named += [f"{path.relative_to(ROOT)}:{number}" for number, text in used
                      if "elaman" in text or "escape_room" in text]
    assert named == []


def test_the_game_name_check_would_catch_one(tmp_path: Path) -> None:
    sample = tmp_path / "named.py"
    sample.write_text('"""Like escape_room."""\nGAME = "elaman_varit"  # fine here\n')
    assert [text for _, text in _code_strings(sample) if "elaman" in text] == ["elaman_varit"]
    assert not [text for _, text in _code_strings(sample) if "escape_room" in text]


def test_the_top_of_the_facilitator_is_only_the_shell() -> None:
    assert len(list((ROOT / "facilitator").glob("*.py"))) <= 10


def test_the_tablet_and_the_screen_share_one_copy_of_their_common_code() -> None:
    """Language rules, avatar pictures and colours, DOM helpers and the backoff live once, in
    static/common.js, which both pages load before their own script."""
    static = ROOT / "facilitator" / "static"
    common = (static / "common.js").read_text(encoding="utf-8")
    shared = ("function fallbackChain(", "function baseOf(", "function colourOf(", "function h(",
              "sun: C(", "['orange', '#E69F00'")
    for client in ("tablet.js", "screen.js"):
        text = (static / client).read_text(encoding="utf-8")
        assert [piece for piece in shared if piece in text] == [], client
    assert all(piece in common for piece in shared)
    for page in ("tablet.html", "screen.html"):
        html = (ROOT / "facilitator" / "live" / "templates" / "live" / page).read_text()
        assert html.index("/common.js") < html.index(f"/{page.replace('.html', '.js')}")
