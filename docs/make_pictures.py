"""Draw the pictures of docs/modules.md: each element of the Scene vocabulary as the shared
screen's renderer draws it, written to docs/pictures/scene-<kind>.png.

Run from the top of the repository (no window opens)::

    .venv/bin/python docs/make_pictures.py

The elements are the renderer's own sample scenes' (engine/screen/samples.py), each drawn
alone under its sample's title, so a picture changes when the drawing does: run this again
after changing the renderer, and look at the pictures before committing them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

#: Width of a picture in the docs (the screen is drawn at 1920×1080, then scaled down).
WIDTH = 640


def elements_by_kind() -> dict[str, object]:
    """The first scene (with only that element) in which each element kind appears."""
    from engine.screen.samples import SAMPLES

    found: dict[str, object] = {}
    for name in SAMPLES:
        scene = SAMPLES[name]()
        for element in scene.elements:
            if element.kind not in found:
                found[element.kind] = scene.model_copy(update={"elements": [element],
                                                               "overlay": None})
        if scene.overlay is not None and "pause" not in found:
            found["pause"] = scene
    if "die" not in found:  # no sample has a die on its own
        from engine.scene import DieElement, Scene
        from engine.text import LocalizedText

        found["die"] = Scene(title=LocalizedText({"fi": "Heitä noppaa", "en": "Roll the die"}),
                             layout="card", elements=[DieElement(value=5, roll=1)])
    return found


def main(out: Path) -> list[Path]:
    import pygame

    from engine.content import content_root
    from engine.screen.pictures import Pictures
    from engine.screen.render import Renderer
    from engine.screen.theme import DESIGN_SIZE

    pygame.display.init()
    pygame.font.init()
    renderer = Renderer(pictures=Pictures(folder=content_root()))
    surface = pygame.Surface(DESIGN_SIZE)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, scene in sorted(elements_by_kind().items()):
        renderer.render(scene, surface, lang="fi")  # type: ignore[arg-type]
        height = round(WIDTH * DESIGN_SIZE[1] / DESIGN_SIZE[0])
        small = pygame.transform.smoothscale(surface, (WIDTH, height))
        path = out / f"scene-{kind}.png"
        pygame.image.save(small, str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent))
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else here / "pictures"):
        print(path)
