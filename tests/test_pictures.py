"""Pictures in content and on the shared screen (issues 13 and 14).

A content file refers to a picture with an :class:`~engine.content.ImageRef`; the loader checks
it like every other field, and a bad one is refused with the file, the line and the field. The
escape rooms' find-in-the-picture locks show their pictures on both screens: the pygame screen
(drawn headless and looked at as a PNG) and the browser screen (``<img>`` with its words as
``alt``), both fetching the picture from the server's ``/content/<id>``, which serves only the
pictures content refers to.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pygame
import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops
from playwright.sync_api import Browser, expect
from pydantic import BaseModel, ConfigDict

from engine.content import ContentError, ContentFile, ImageRef, content_root, load_content_dir
from engine.images import MAX_IMAGE_BYTES
from engine.module import TableView
from engine.registry import find_game, load_game_content
from engine.scene import ImageElement, Scene
from engine.screen import Renderer, ScreenOptions
from engine.screen.pictures import Pictures, decode, server_base
from engine.testing import SimulatedTable
from engine.text import LocalizedText
from facilitator.cli import main as piiri
from games.escape_room.game import Feedback

from .live_server import LiveServer
from .test_screen import check_picture

OUTPUT = Path(__file__).resolve().parent / "output"
LANGS = {"fi": "Kartta", "sv": "Karta", "en": "A map", "fi-x-selko": "Kartta"}


@pytest.fixture(scope="module", autouse=True)
def _pygame() -> Iterator[None]:
    pygame.display.init()
    pygame.font.init()
    yield


# -- a tiny content model with a picture ----------------------------------------------------


class Gallery(ContentFile):
    kind: Literal["gallery"]
    picture: ImageRef


class GalleryFolder(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gallery: Gallery


def _alt(langs: dict[str, str] = LANGS) -> str:
    return "{" + ", ".join(f'{k}: "{v}"' for k, v in langs.items()) + "}"


def _gallery(folder: Path, file: str, alt: str | None = None) -> Path:
    """A content folder whose gallery.yaml refers to ``file``; the picture's ``file:`` is on
    line 5."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "gallery.yaml").write_text(
        "kind: gallery\n"
        "translations: {fi: written, sv: written, en: written, fi-x-selko: written}\n"
        "# a picture\n"
        "picture:\n"
        f"  file: {file}\n"
        f"  alt: {alt or _alt()}\n", encoding="utf-8")
    return folder


def _png(path: Path, size: tuple[int, int] = (64, 36)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (0, 114, 178)).save(path, format="PNG")
    return path


def _bomb(path: Path) -> Path:
    """A PNG of a few dozen bytes whose header claims 60 000 × 60 000 pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))
    return path


def _refused(folder: Path) -> list[Any]:
    with pytest.raises(ContentError) as caught:
        load_content_dir(folder, GalleryFolder, root=folder.parent)
    return caught.value.problems


def test_a_good_picture_loads_with_its_id_file_and_size(tmp_path: Path) -> None:
    folder = _gallery(tmp_path / "gallery_game", "pictures/map.png")
    _png(folder / "pictures" / "map.png", (64, 36))
    loaded = load_content_dir(folder, GalleryFolder, root=tmp_path)
    ref = loaded.gallery.picture
    assert ref.src == "gallery_game/pictures/map.png"
    assert ref.path == (folder / "pictures" / "map.png").resolve()
    assert ref.size == (64, 36)


@pytest.mark.parametrize(("file", "make", "says"), [
    ("pictures/missing.png", None, "the picture 'missing.png' does not exist"),
    ("../outside.png", "outside", "a path with '..'"),
    ("pictures/../../outside.png", "outside", "a path with '..'"),
    ("/etc/passwd.png", None, "not a full path"),
    ("pictures/bomb.png", "bomb", "claims to be far too large"),
    ("pictures/huge.png", "huge", "a picture may be at most 2 MB"),
    ("pictures/anim.gif", "gif", "must be a PNG, JPEG or WebP file"),
    ("pictures/gif.png", "gif-named-png", "is not a PNG, JPEG or WebP picture"),
    ("pictures/link.png", "link-out", "is outside the content folder"),
])
def test_a_bad_picture_is_refused_with_file_line_and_field(tmp_path: Path, file: str,
                                                           make: str | None, says: str) -> None:
    folder = _gallery(tmp_path / "gallery_game", file)
    pictures = folder / "pictures"
    pictures.mkdir(exist_ok=True)
    if make == "outside":
        _png(tmp_path / "outside.png")
    elif make == "bomb":
        _bomb(pictures / "bomb.png")
    elif make == "huge":
        (pictures / "huge.png").write_bytes(b"\x89PNG" + b"\0" * MAX_IMAGE_BYTES)
    elif make == "gif":
        Image.new("P", (8, 8)).save(pictures / "anim.gif", format="GIF")
    elif make == "gif-named-png":
        Image.new("P", (8, 8)).save(pictures / "gif.png", format="GIF")
    elif make == "link-out":
        (pictures / "link.png").symlink_to(_png(tmp_path / "elsewhere" / "secret.png"))
    problems = _refused(folder)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.file.endswith("gallery_game/gallery.yaml")
    assert problem.line == 5
    assert problem.field == "picture → file"
    assert says in problem.message
    assert "\n" not in str(problem)


def test_a_picture_without_words_in_one_language_is_refused(tmp_path: Path) -> None:
    langs = {k: v for k, v in LANGS.items() if k != "fi-x-selko"}
    folder = _gallery(tmp_path / "gallery_game", "map.png", alt=_alt(langs))
    _png(folder / "map.png")
    [problem] = _refused(folder)
    assert (problem.line, problem.field) == (6, "picture → alt")
    assert "no fi-x-selko text" in problem.message


def test_content_check_names_a_broken_picture_in_one_line(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(content_root(), tmp_path / "content")
    _bomb(tmp_path / "content" / "escape_room" / "pictures" / "stairwell.png")
    monkeypatch.setenv("PIIRI_CONTENT_DIR", str(tmp_path / "content"))
    load_game_content.cache_clear()
    try:
        result = CliRunner().invoke(piiri, ["content", "check"])
    finally:
        load_game_content.cache_clear()
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("ERROR")]
    assert errors == ["ERROR content/escape_room/rooms/lost-key.yaml, line 58: pictures → "
                      "stairwell → image → file: the picture 'stairwell.png' claims to be far "
                      "too large: a picture may have at most 4096 pixels a side and 8 "
                      "megapixels in all (make it smaller)"]


# -- the shipped escape rooms ----------------------------------------------------------------


def test_every_shipped_picture_is_checked_small_and_described_in_four_languages() -> None:
    content = load_game_content("escape_room")
    seen = 0
    for room in content.rooms.values():
        for picture in room.pictures.values():
            ref = picture.image
            assert ref is not None and ref.path is not None
            assert ref.size == (1280, 720)
            assert ref.path.stat().st_size < 300_000
            assert set(ref.alt.languages()) >= {"fi", "sv", "en", "fi-x-selko"}
            # The words name every lettered place the puzzle asks about.
            for area in picture.areas:
                assert f"({area.letter})" in ref.alt.pick("en")
            seen += 1
    assert seen == 2


def _room_scene(room_id: str, solved: list[str], **state: Any) -> Scene:
    sim = SimulatedTable(find_game("escape_room"), load_game_content("escape_room"), seed=3,
                         options={"room": room_id}, room_code="KX7PM")
    sim.join_many(4)
    sim.start()
    meta = sim.table.meta
    meta = meta.model_copy(update={"turn": meta.turn.model_copy(update={"phase": "room"})})
    game_state = sim.state.model_copy(update={"solved": solved, **state})
    return sim.module.scene(TableView(meta=meta, state=game_state, content=sim.content,
                                      options=sim.table.options))


STAIRWELL_OPEN = ["bus-time", "shopping-order", "neighbour-note"]


def _stairwell_scene() -> Scene:
    return _room_scene("lost-key", STAIRWELL_OPEN,
                       feedback=Feedback(puzzle="neighbour-note", kind="solved"))


def _picture_colours(path: Path, many: int = 6) -> list[tuple[int, int, int]]:
    with Image.open(path) as opened:
        counts = opened.convert("RGB").getcolors(maxcolors=1 << 16) or []
    return [colour for _, colour in sorted(counts, reverse=True)[:many]]


def _count(surface: pygame.Surface, colours: list[tuple[int, int, int]]) -> int:
    """How many pixels of ``surface`` are within a few steps of one of ``colours`` (scaling
    a picture moves its colours a little)."""
    drawn = Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB"))
    total = 0
    for colour in colours:
        diff = ImageChops.difference(drawn, Image.new("RGB", drawn.size, colour))
        r, g, b = diff.split()
        worst = ImageChops.lighter(ImageChops.lighter(r, g), b)
        total += sum(worst.histogram()[:7])
    return total


def test_find_in_the_picture_locks_show_their_picture_on_the_pygame_screen() -> None:
    scene = _stairwell_scene()
    [image] = [e for e in scene.elements if isinstance(e, ImageElement)]
    assert image.src == "escape_room/pictures/stairwell.png"
    assert (image.width, image.height) == (1280, 720)
    assert image.caption is not None and "C: kukkaruukku" in image.caption.pick("fi")
    # The garden's lanterns lock shows the map.
    garden = _room_scene("garden-party", ["gate", "noticeboard", "gardeners", "shed"])
    assert [e.src for e in garden.elements if isinstance(e, ImageElement)] == [
        "escape_room/pictures/garden-map.png"]

    renderer = Renderer(pictures=Pictures(folder=content_root()))
    surface = pygame.Surface((1920, 1080))
    report = renderer.render(scene, surface, options=ScreenOptions(lang="fi"))
    assert report.ok, report.issues
    OUTPUT.mkdir(exist_ok=True)
    pygame.image.save(surface, str(OUTPUT / "pictures-stairwell.png"))
    # The picture's own colours cover a good part of the screen; without pictures they do not
    # appear at all, and its words stand in.
    source = content_root() / "escape_room" / "pictures" / "stairwell.png"
    colours = [c for c in _picture_colours(source) if c != (30, 42, 54)]
    shown = _count(surface, colours)
    assert shown > 40_000, shown
    assert not any(text == image.alt.pick("fi") for _, text in report.texts)

    words_only = Renderer()
    bare = pygame.Surface((1920, 1080))
    bare_report = words_only.render(scene, bare, options=ScreenOptions(lang="fi"))
    assert bare_report.ok, bare_report.issues
    assert _count(bare, colours) < shown // 10  # (only in the edges of letters)
    drawn_words = " ".join(text for element, text in bare_report.texts if element == "image")
    assert " ".join(image.alt.pick("fi").split()[:4]) in drawn_words
    check_picture("escape_room_stairwell_picture", surface)


def test_a_picture_keeps_its_shape_and_is_not_blown_up_past_twice_its_size(
        tmp_path: Path) -> None:
    folder = tmp_path / "content"
    _png(folder / "g" / "small.png", (40, 40))
    _png(folder / "g" / "wide.png", (800, 200))
    renderer = Renderer(pictures=Pictures(folder=folder))
    for src, size, most in (("g/small.png", (40, 40), (80, 80)),
                            ("g/wide.png", (800, 200), (1600, 400))):
        scene = Scene(layout="card", elements=[ImageElement(
            src=src, alt=LocalizedText({"fi": "Kuva"}), width=size[0], height=size[1])])
        surface = pygame.Surface((1920, 1080))
        assert renderer.render(scene, surface).ok
        drawn = Image.frombytes("RGB", (1920, 1080), pygame.image.tobytes(surface, "RGB"))
        mask = Image.eval(drawn.split()[2], lambda v: 255 if v == 178 else 0)
        box = mask.getbbox()
        assert box is not None
        width, height = box[2] - box[0], box[3] - box[1]
        assert width <= most[0] + 2 and height <= most[1] + 2
        assert abs(width / height - size[0] / size[1]) < 0.05


# -- fetching and serving ----------------------------------------------------------------------


def test_the_screen_refuses_pictures_that_are_not_pictures_within_the_limits(
        tmp_path: Path) -> None:
    assert decode(_bomb(tmp_path / "bomb.png").read_bytes()) is None
    assert decode(b"<html>not a picture</html>") is None
    assert decode(b"\x89PNG" + b"\0" * (MAX_IMAGE_BYTES + 1)) is None
    assert decode(_png(tmp_path / "ok.png").read_bytes()) is not None
    # A folder source never reads outside its folder.
    outside = _png(tmp_path / "secret.png")
    inside = Pictures(folder=tmp_path / "content")
    (tmp_path / "content").mkdir()
    assert outside.exists() and not inside.fetch("../secret.png")
    assert server_base("http://10.0.0.5:5000/j/KX7PM") == "http://10.0.0.5:5000"
    with pytest.raises(ValueError):
        Pictures(base_url="file:///etc")


def test_the_server_serves_only_pictures_content_refers_to(server: LiveServer) -> None:
    import urllib.error
    import urllib.request

    def get(path: str, **headers: str) -> tuple[int, Any, bytes]:
        request = urllib.request.Request(server.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, b""

    status, headers, body = get("/content/escape_room/pictures/stairwell.png")
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=3600" in headers["Cache-Control"]
    assert headers["ETag"]
    expected = (content_root() / "escape_room" / "pictures" / "stairwell.png").read_bytes()
    assert body == expected
    status, _, _ = get("/content/escape_room/pictures/stairwell.png",
                       **{"If-None-Match": headers["ETag"]})
    assert status == 304
    database = Path(server.database)
    tricks = [
        "/content/escape_room/rooms/lost-key.yaml",  # a content file, not a picture
        "/content/escape_room/pictures/nope.png",
        "/content/escape_room/pictures/../rooms/lost-key.yaml",
        "/content/escape_room/pictures/%2e%2e/rooms/lost-key.yaml",
        "/content/..%2f..%2fpyproject.toml",
        "/content/%2e%2e/%2e%2e/engine/content.py",
        "/content//etc/passwd",
        "/content/escape_room/pictures/stairwell.png/",
    ]
    tricks += [f"/content/{database.name}", f"/content{database}",
               f"/content/../{database.parent.name}/{database.name}"]
    for path in tricks:
        assert get(path)[0] == 404, path
    # The pygame screen fetches the same picture over HTTP, and nothing else.
    pictures = Pictures(base_url=server_base(server.url))
    assert pictures.fetch("escape_room/pictures/stairwell.png")
    assert not pictures.fetch("escape_room/rooms/lost-key.yaml")
    assert pictures.surface("escape_room/pictures/stairwell.png").get_size() == (1280, 720)


@pytest.mark.browser
def test_the_browser_screen_shows_the_picture_with_its_words(browser: Browser,
                                                             server: LiveServer) -> None:
    live = server.hub.create_table("escape_room", {"room": "lost-key"}, seed=3)
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{server.url}/screen/{live.code}?lang=en")
    expect(page.locator("body")).to_have_attribute("data-conn", "open", timeout=15_000)
    scene = _stairwell_scene()
    image = next(e for e in scene.elements if isinstance(e, ImageElement))
    page.evaluate("scene => window.PiiriScreen.show(scene)", scene.model_dump(mode="json"))
    img = page.locator("[data-kind=image] img")
    expect(img).to_have_attribute("alt", image.alt.pick("en"))
    expect(img).to_have_attribute("src", "/content/escape_room/pictures/stairwell.png")
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-kind=image] img');"
        " return i && i.complete && i.naturalWidth > 0; }", timeout=15_000)
    expect(page.locator("[data-kind=image] figcaption")).to_contain_text("C: the flower pot")
    box = img.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "pictures-browser-stairwell.png"))

    # A picture the server does not serve is shown by its words.
    missing = scene.model_copy(update={"elements": [
        e.model_copy(update={"src": "escape_room/pictures/gone.png"})
        if isinstance(e, ImageElement) else e for e in scene.elements]})
    page.evaluate("scene => window.PiiriScreen.show(scene)", missing.model_dump(mode="json"))
    expect(page.locator("[data-kind=image][data-failed] .alt")).to_be_visible(timeout=15_000)
    expect(page.locator("[data-kind=image] .alt")).to_contain_text("A drawing of the stairwell")
    assert problems == []
    page.context.close()
