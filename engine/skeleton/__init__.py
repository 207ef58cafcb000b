"""The module kit's skeleton: ``piiri new-game NAME`` writes a working activity to change.

Inside Piiri's own repository (a folder whose ``pyproject.toml`` registers ``piiri.games``
and that has ``games/``), the activity goes where the built-in ones are: ``games/NAME/``,
``content/NAME/`` and ``tests/test_NAME.py``. Anywhere else it is a distribution of its own,
``NAME/`` with its ``pyproject.toml``, the package (its content folder inside it) and tests.

The files are made from the ``*.tmpl`` files beside this module; ``{{name}}`` and the other
markers are filled in. The example is "one good thing": each person in turn tells one good
thing on a topic, or passes.

Example::

    made = new_game("kiitos", Path.cwd())
    print(made.next_steps())
"""

from __future__ import annotations

import keyword
import sys
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

__all__ = ["NameProblem", "Skeleton", "is_piiri_repository", "new_game"]


class NameProblem(ValueError):
    """The name cannot be used, or the files would overwrite something; says why."""


@dataclass
class Skeleton:
    """What :func:`new_game` wrote and how to go on."""

    name: str
    root: Path
    """The folder that holds the ``pyproject.toml`` to register the activity in."""
    in_repository: bool
    written: list[Path] = field(default_factory=list)
    entry_point: str = ""

    def next_steps(self) -> str:
        lines = [f"Wrote the activity '{self.name}':"]
        lines += [f"  {path}" for path in self.written]
        if self.in_repository:
            lines += [
                "",
                "Register it: add this line under [project.entry-points.\"piiri.games\"] in "
                f"{self.root / 'pyproject.toml'}:",
                f"  {self.entry_point}",
                "then install again, so that Piiri finds it:",
                f"  pip install -e {self.root}",
            ]
        else:
            lines += [
                "",
                f"It is a distribution of its own; {self.root / 'pyproject.toml'} registers it:",
                f"  {self.entry_point}",
                "Install it beside Piiri (in Piiri's environment), so that Piiri finds it:",
                f"  pip install -e {self.root}",
            ]
        lines += [
            "Then:",
            f"  piiri simulate --game {self.name}",
            f"  piiri check-game {self.name}",
            "  piiri content check",
        ]
        return "\n".join(lines)


def is_piiri_repository(folder: Path) -> bool:
    """Whether ``folder`` is Piiri's own repository (where built-in activities live)."""
    pyproject = folder / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return False
    return '"piiri.games"' in text and (folder / "games").is_dir() and \
        (folder / "engine").is_dir()


def check_name(name: str) -> None:
    """Refuse a name that is no lowercase Python identifier or that would hide a module.

    Raises:
        NameProblem: saying why, in a sentence.
    """
    if not name.isidentifier() or name != name.lower() or not name[0].isalpha():
        raise NameProblem(f"'{name}' cannot name an activity: use lowercase letters, digits "
                          "and _, starting with a letter (for example good_things)")
    if keyword.iskeyword(name) or name in sys.stdlib_module_names or \
            name in ("engine", "games", "facilitator", "content", "tests", "piiri"):
        raise NameProblem(f"'{name}' is already the name of a Python module; choose another")


def _template(name: str) -> str:
    return files(__name__).joinpath(f"{name}.tmpl").read_text(encoding="utf-8")


def _fill(text: str, marks: dict[str, str]) -> str:
    for key, value in marks.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def new_game(name: str, where: Path) -> Skeleton:
    """Write a working activity called ``name`` in or under ``where``.

    Raises:
        NameProblem: the name cannot be used, or a file it would write is already there
            (nothing is written then).
    """
    check_name(name)
    where = where.resolve()
    inside = is_piiri_repository(where)
    if inside:
        package = f"games.{name}"
        package_dir = where / "games" / name
        content_dir = where / "content" / name
        test = where / "tests" / f"test_{name}.py"
        root = where
        marks = {
            "content_import": "",
            "content_dir_code": f'CONTENT_DIR = "{name}"\n"""The content folder, under '
                                f'``content/``."""',
            "package_path": f"games/{name}/",
            "content_path": f"content/{name}/",
            "test_path": f"tests/test_{name}.py",
            "pip": "pip install -e .",
            "pytest": f"pytest tests/test_{name}.py",
        }
    else:
        root = where / name
        package = name
        package_dir = root / name
        content_dir = package_dir / "content"
        test = root / "tests" / f"test_{name}.py"
        marks = {
            "content_import": "from importlib.resources import files\n",
            "content_dir_code": "CONTENT_DIR = str(files(__package__ or __name__) / "
                                '"content")\n"""The content folder, inside this package (an '
                                'absolute path: Piiri reads it where the package is '
                                'installed)."""',
            "package_path": f"{name}/",
            "content_path": f"{name}/content/",
            "test_path": f"tests/test_{name}.py",
            "pip": "pip install -e .",
            "pytest": "pytest",
        }
    entry_point = f'{name} = "{package}:module"'
    marks.update(name=name, package=package, entry_point=entry_point,
                 dist=name.replace("_", "-"))
    plan: dict[Path, str] = {
        package_dir / "__init__.py": "init.py",
        package_dir / "game.py": "game.py",
        package_dir / "words.py": "words.py",
        content_dir / "topics.yaml": "topics.yaml",
        test: "test_game.py",
        package_dir / "README.md": "README.md",
    }
    if not inside:
        plan[root / "pyproject.toml"] = "pyproject.toml"
        del plan[package_dir / "README.md"]
        plan[root / "README.md"] = "README.md"
    taken = [path for path in (package_dir, content_dir, test) if path.exists()]
    if not inside and root.exists():
        taken.insert(0, root)
    if taken:
        raise NameProblem(f"'{taken[0]}' is already there; nothing was written (choose another "
                          "name, or move it away)")
    made = Skeleton(name=name, root=root, in_repository=inside, entry_point=entry_point)
    for path, template in plan.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(_template(template), marks), encoding="utf-8")
        made.written.append(path)
    return made
