"""Story pictures go the engine's picture way (issue 15): a scene's picture is an
:class:`~engine.content.ImageRef` the content loader checks, the scene shows it as an
:class:`~engine.scene.ImageElement` while the group reads, and both screens draw it with its
words as ``alt``: the pygame screen (headless, kept as a reference picture, looked at) and the
browser screen (``<img>`` fetched from the server's ``/content/<id>``).

Rewrite the reference picture after a deliberate change, and look at it, with::

    PIIRI_UPDATE_SCREEN_REFS=1 .venv/bin/pytest tests/test_story_pictures.py
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import shutil
from pathlib import Path

import pygame
import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Browser, expect

from engine import ContentError, StoryPageElement
from engine.content import content_root, load_content_dir
from engine.registry import load_game_content
from engine.scene import ImageElement, Scene
from engine.screen import Renderer, ScreenOptions
from engine.screen.pictures import Pictures
from engine.testing import SimulatedTable
from games.story import StoryContent
from games.story import module as story_game

from .live_server import LiveServer
from .test_screen import check_picture
from .test_story import line_of, problems_of
from .test_story_ink import FIXTURE
from .test_story_screen import play_to

LANGUAGES = ("fi", "sv", "en", "fi-x-selko")

SMALL = """kind: story
translations: {en: written}
id: walk
title: {en: A walk}
intro: {en: A short walk.}
scenes:
  - id: door
    title: {en: At the door}
    text: {en: It rains.}
    picture:
      file: pictures/rain.png
      alt: {en: Rain on a window}
    choices:
      - {label: {en: Go}, goto: park}
      - {label: {en: Stay}, goto: park}
  - id: park
    title: {en: The park}
    text: {en: Ducks.}
    ending: true
    debrief: [{en: What did you see?}]
"""


@pytest.fixture(scope="module", autouse=True)
def _pygame() -> None:
    pygame.display.init()
    pygame.font.init()


@pytest.fixture(scope="module")
def stories() -> StoryContent:
    loaded: StoryContent = load_game_content("story")
    return loaded


# -- the loader checks the picture ----------------------------------------------------------


def test_a_missing_picture_file_is_named_by_file_line_and_field(tmp_path: Path) -> None:
    problems, text = problems_of(tmp_path, SMALL)
    [problem] = problems
    assert problem.file.endswith("story/stories/walk.yaml")
    assert problem.line == line_of(text, "file: pictures/rain.png")
    assert problem.field == "scenes → item 1 → picture → file"
    assert problem.message == "the picture 'rain.png' does not exist"


def test_a_file_that_is_not_a_picture_is_refused(tmp_path: Path) -> None:
    pictures = tmp_path / "content" / "story" / "pictures"
    pictures.mkdir(parents=True)
    (pictures / "rain.png").write_text("not a picture", encoding="utf-8")
    [problem], _ = problems_of(tmp_path, SMALL)
    assert problem.field == "scenes → item 1 → picture → file"
    assert "is not a PNG, JPEG or WebP picture" in problem.message


def test_a_picture_that_is_there_loads_with_its_id_and_size(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "story" / "stories").mkdir(parents=True)
    (root / "story" / "stories" / "walk.yaml").write_text(SMALL, encoding="utf-8")
    (root / "story" / "pictures").mkdir()
    Image.new("RGB", (64, 36), (0, 114, 178)).save(root / "story" / "pictures" / "rain.png")
    loaded = load_content_dir(root / "story", StoryContent, root)
    picture = loaded.stories["walk"].scene("door").picture
    assert picture is not None
    assert (picture.src, picture.size) == ("story/pictures/rain.png", (64, 36))


def test_an_ink_picture_tag_makes_the_same_picture_and_a_missing_one_names_the_story(
        tmp_path: Path) -> None:
    root = tmp_path / "content"
    folder = root / "story" / "ink" / "small-walk"
    (root / "story" / "stories").mkdir(parents=True)
    (root / "story" / "stories" / "walk.yaml").write_text(
        SMALL.replace("    picture:\n      file: pictures/rain.png\n"
                      "      alt: {en: Rain on a window}\n", ""), encoding="utf-8")
    shutil.copytree(FIXTURE, folder)
    loaded = load_content_dir(root / "story", StoryContent, root)
    ink = loaded.story("small-walk")
    sim = SimulatedTable(story_game, loaded, seed=1, options={"story": "small-walk"})
    sim.join_many(2)
    sim.start()
    [image] = [e for e in sim.scene().elements if isinstance(e, ImageElement)]
    picture = ink.scene("start").picture
    assert picture is not None
    assert (image.src, image.width, image.height) == ("story/ink/small-walk/door.png", 320, 180)
    assert image.alt.root == picture.alt.root
    assert image.alt["en"] == "A door open to a wet street"  # the scene's own '# alt:' tag

    (folder / "door.png").unlink()
    with pytest.raises(ContentError) as caught:
        load_content_dir(root / "story", StoryContent, root)
    [problem] = caught.value.problems
    assert problem.file.endswith("story/ink/small-walk/story.yaml")
    assert "'# picture: door.png'" in problem.message
    assert "no picture 'door.png' in story/ink/small-walk/" in problem.message


# -- the shipped stories' pictures ------------------------------------------------------------


def test_the_shipped_stories_have_checked_pictures_told_in_four_languages(
        stories: StoryContent) -> None:
    seen = {}
    for story in stories.stories.values():
        for scene in story.scenes:
            if scene.picture is not None:
                assert scene.picture.path is not None and scene.picture.size == (1280, 720)
                assert scene.picture.path.stat().st_size < 100_000
                assert set(scene.picture.alt.languages()) == set(LANGUAGES)
                seen[story.id] = seen.get(story.id, 0) + 1
    assert set(seen) == set(stories.stories)


def _door(stories: StoryContent) -> Scene:
    """The first story's locked door as the group reads it."""
    sim, _ = play_to(stories, "first-day", "door")
    return sim.scene()


def test_a_shipped_scene_shows_its_picture_while_the_group_reads_it(
        stories: StoryContent) -> None:
    scene = _door(stories)
    [image] = [e for e in scene.elements if isinstance(e, ImageElement)]
    assert image.src == "story/pictures/locked-door.png"
    assert (image.width, image.height) == (1280, 720)
    assert image.alt["en"].startswith("A locked glass door")
    assert [e.kind for e in scene.elements][:2] == ["image", "story"]


def test_the_pygame_screen_draws_the_picture_and_its_words_stand_in_without_it(
        stories: StoryContent) -> None:
    scene = _door(stories)
    [image] = [e for e in scene.elements if isinstance(e, ImageElement)]
    page = next(e for e in scene.elements if isinstance(e, StoryPageElement))
    surface = pygame.Surface((1920, 1080))
    renderer = Renderer(pictures=Pictures(folder=content_root()))
    report = renderer.render(scene, surface, options=ScreenOptions(lang="fi"), now_ms=0)
    assert report.ok, report.issues
    # The picture's own colours cover a good part of the screen, and the scene's words are
    # all there on one page beside it.
    door_blue = (150, 196, 226)
    assert _pixels(surface, door_blue) > 15_000
    assert not [p for p in report.paged if p[0] == "story"]
    drawn = " ".join(text for element, text in report.texts if element == "story")
    assert drawn.split() == [*page.title.pick("fi").split(), *page.body.pick("fi").split()]
    check_picture("story_picture_door_fi", surface)

    # Where the picture cannot be shown, its words are there instead.
    bare = pygame.Surface((1920, 1080))
    bare_report = Renderer().render(scene, bare, options=ScreenOptions(lang="sv"), now_ms=0)
    assert bare_report.ok, bare_report.issues
    assert _pixels(bare, door_blue) < 500
    words = " ".join(text for element, text in bare_report.texts if element == "image")
    assert words.split() == image.alt.pick("sv").split()


def _pixels(surface: pygame.Surface, colour: tuple[int, int, int]) -> int:
    drawn = Image.frombytes("RGB", surface.get_size(), pygame.image.tobytes(surface, "RGB"))
    diff = ImageChops.difference(drawn, Image.new("RGB", drawn.size, colour)).convert("L")
    return sum(diff.histogram()[:6])


@pytest.mark.browser
def test_the_browser_screen_shows_the_picture_with_its_words(
        browser: Browser, server: LiveServer, stories: StoryContent) -> None:
    live = server.hub.create_table("story", {"story": "first-day"}, seed=3)
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{server.url}/screen/{live.code}?lang=sv")
    expect(page.locator("body")).to_have_attribute("data-conn", "open", timeout=15_000)
    scene = _door(stories)
    image = next(e for e in scene.elements if isinstance(e, ImageElement))
    page.evaluate("scene => window.PiiriScreen.show(scene)", scene.model_dump(mode="json"))
    img = page.locator("[data-kind=image] img")
    expect(img).to_have_attribute("alt", image.alt.pick("sv"))
    expect(img).to_have_attribute("src", "/content/story/pictures/locked-door.png")
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-kind=image] img');"
        " return i && i.complete && i.naturalWidth === 1280; }", timeout=15_000)
    box = img.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    expect(page.locator("[data-kind=story]")).to_contain_text("Den låsta dörren")
    assert problems == []
    page.context.close()
