"""The group's own content: its versions, its checks, and playing, exporting and importing it.

Everything the activity's content needs is read from the activity's own content models
(:func:`games.workshop.target`): a made file is validated by the same pydantic model as the
shipped files, and problems are told field by field in plain words.
"""

from __future__ import annotations

from typing import Any

import yaml
from flask_babel import lazy_gettext
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine import Fact
from engine.content import texts_in
from engine.registry import find_game, load_game_content
from games.workshop import target, words
from games.workshop.targets import lock_item

from .models import MadeContent, MadeCredit, MadeTable, MadeVersion
from .problems import Problem, language_name, place_of, told

__all__ = ["ENDING", "LANGUAGES", "Problem", "add_item", "check", "content_for", "earlier",
           "edit_item", "edit_lock", "erase_credits", "export_text", "file_data", "forget_old",
           "import_text", "items_of", "link_scenes", "made_id", "new_made", "offered",
           "played_fact", "retitle", "story_title", "summary", "with_marked_originals"]

#: The longest import accepted, in bytes (a content file may be at most 2 MB; a deck is small).
IMPORT_MAX = 256 * 1024
#: The most items an imported file may have (a made deck, room or story is small).
IMPORT_ITEMS = 200
#: The most values an imported file may hold, counting each value again wherever a YAML alias
#: repeats it, and how deep they may sit: a hostile file is refused before it is walked.
IMPORT_VALUES = 20_000
IMPORT_DEPTH = 12
#: The longest text an item of a made file may have (a proposal is at most 80 characters;
#: a leader's own words of a shipped-like item fit easily).
TEXT_MAX = 500


def made_id(made: MadeContent) -> str:
    """The made file's id in the activity's content (never one of the shipped ids)."""
    return f"oma-{made.id}"


def new_made(session: Session, *, organisation_id: int, group_id: int, game: str, name: str,
             language: str, user_id: int | None, workshop_table: str | None = None,
             items: list[dict[str, Any]] | None = None, change: str = "started") -> MadeContent:
    """A new made content with its first version (no items yet, or ``items``)."""
    target(game)  # a workshop can make it
    made = MadeContent(organisation_id=organisation_id, group_id=group_id, game=game,
                       name=name, language=language, version=1,
                       workshop_table=workshop_table)
    session.add(made)
    session.flush()
    session.add(MadeVersion(content_id=made.id, version=1, items=list(items or []),
                            change=change, changed_by=user_id))
    session.flush()
    return made


def items_of(session: Session, made: MadeContent, version: int | None = None) -> list[Any]:
    found = session.scalar(select(MadeVersion).where(
        MadeVersion.content_id == made.id, MadeVersion.version == (version or made.version)))
    return list(found.items) if found is not None else []


def _new_version(session: Session, made: MadeContent, items: list[dict[str, Any]],
                 change: str, user_id: int | None) -> int:
    made.version += 1
    session.add(MadeVersion(content_id=made.id, version=made.version, items=items,
                            change=change, changed_by=user_id))
    session.flush()
    return made.version


def _lock(made: MadeContent, number: int, kind: str, answer: str, clues: list[str],
          hint: str) -> dict[str, Any]:
    """A proposed lock as the activity's item model holds it: what the writer wrote (the
    answer, the clues, the hint as the first tier of help), and the words every made lock
    shares (its name, its task, the last tier of help that tells the answer)."""
    shape = target(made.game).answer_shape(kind, answer) or "text"
    item = lock_item(kind, answer, shape, clues, [hint], made.language)
    # Our own words are given in every language; the group's words stay in theirs.
    item["hints"].append(_four(words.ANSWER_HINT, answer=answer))
    item.update(title=_four(words.LOCK_TITLE, n=number),
                task=_four(words.LOCK_TASK["code" if shape == "code" else "riddle"]),
                solved=_four(words.LOCK_SOLVED))
    return item


def _four(text: Any, **values: Any) -> dict[str, str]:
    """One of Piiri's own texts (:mod:`games.workshop.words`) in every language of a draft."""
    return {lang: text.pick(lang).format(**values) for lang in LANGUAGES}


#: A story choice that ends the story (the draft keeps it so; play leads it to an ending
#: scene of Piiri's own words).
ENDING = "ending"


def _scene(made: MadeContent, number: int, text: str, choices: list[str]) -> dict[str, Any]:
    """A proposed story scene as the story's scene model holds it: the writer's text and
    choices, not yet leading anywhere (the leader links them), and a title of our words."""
    lang = made.language
    return {"title": _four(words.SCENE_TITLE, n=number), "text": {lang: text},
            "choices": [{"label": {lang: c}, "goto": ""} for c in choices]}


def add_item(session: Session, made: MadeContent, text: str, kind: str | None,
             user_id: int | None, credit: str | None = None,
             member_id: int | None = None, lock: dict[str, Any] | None = None,
             choices: list[str] | None = None) -> str:
    """Add one item (an accepted proposal) as a new version; its id. ``credit`` is the
    maker's chosen name, given only with their consent. A lock comes with ``lock``: its
    ``answer``, ``clues`` and ``hint``; a story scene with its ``choices``."""
    items = items_of(session, made)
    number = max((int(str(i["id"]).rsplit("-", 1)[-1]) for i in items), default=0) + 1
    item_id = f"{made_id(made)}-{number}"
    shape = target(made.game)
    item: dict[str, Any] = {"id": item_id, "text": {made.language: text}}
    if shape.lock:
        assert lock is not None and kind is not None
        item = {"id": item_id, **_lock(made, number, kind, lock["answer"], lock["clues"],
                                       lock["hint"])}
    elif shape.story:
        item = {"id": item_id, **_scene(made, number, text, list(choices or []))}
    elif shape.kinds:
        item["kind"] = kind if kind in shape.kinds else shape.kinds[0]
    _new_version(session, made, [*items, item], f"added {item_id}", user_id)
    if credit:
        session.add(MadeCredit(content_id=made.id, item_id=item_id, name=credit,
                               member_id=member_id))
    return item_id


def edit_item(session: Session, made: MadeContent, item_id: str, text: str,
              user_id: int | None, language: str | None = None) -> bool:
    """Change one item's text as a new version: in the draft's language, or add (or change)
    its text in another ``language``."""
    language = language or made.language
    items = [dict(i) for i in items_of(session, made)]
    for item in items:
        if item["id"] == item_id:
            item["text"] = {**item["text"], language: text}
            change = "edited" if language == made.language else f"added {language} to"
            _new_version(session, made, items, f"{change} {item_id}", user_id)
            return True
    return False


def edit_lock(session: Session, made: MadeContent, item_id: str, answer: str,
              clues: list[str], hint: str, user_id: int | None) -> list[Problem] | None:
    """Change a lock's parts (its answer, clues and the group's hint) as a new version, only
    if the room still passes its checks; the problems field by field otherwise (nothing is
    changed then), ``None`` if there is no such lock."""
    items = [dict(i) for i in items_of(session, made)]
    found = next((n for n, i in enumerate(items) if i.get("id") == item_id), None)
    if found is None:
        return None
    old = items[found]
    kind = str(old.get("kind"))
    shape = target(made.game)
    lang = made.language
    problems: list[Problem] = []
    where = lazy_gettext("Lock %(n)s", n=found + 1)
    if shape.answer_shape(kind, answer) is None:
        problems.append(Problem(where, lazy_gettext(
            "the answer of this kind of lock is numbers only (for example 482)")))
    if not shape.min_clues(kind) <= len(clues) <= 3:
        problems.append(Problem(where, lazy_gettext(
            "write %(least)s to 3 clues", least=shape.min_clues(kind))))
    if not hint:
        problems.append(Problem(where, lazy_gettext("write the hint")))
    if problems:
        return problems
    new = _lock(made, found + 1, kind, answer, clues, hint)
    # What was added in other languages stays where the group's words did not change.
    for key in ("title", "task", "solved"):
        if isinstance(old.get(key), dict):
            new[key] = {**new[key], **old[key]}
    kept_hints = [dict(h) for h in old.get("hints") or []]
    if kept_hints and kept_hints[0].get(lang) == hint:
        new["hints"][0] = kept_hints[0]
    for n, clue in enumerate(new["clues"]):
        before = (old.get("clues") or [])[n] if n < len(old.get("clues") or []) else {}
        if isinstance(before, dict) and before.get(lang) == clue[lang]:
            new["clues"][n] = dict(before)
    items[found] = {**{k: v for k, v in old.items() if k not in new}, **new,
                    "id": item_id}
    _, problems = check(made, items)
    if problems:
        return problems
    _new_version(session, made, items, f"edited the lock {item_id}", user_id)
    return []


def link_scenes(session: Session, made: MadeContent, links: dict[tuple[str, int], str],
                endings: set[str], user_id: int | None) -> bool:
    """Where each story choice leads (a scene's id, :data:`ENDING`, or ``""`` for not yet)
    and which scenes are endings, as a new version (none when nothing changed). Links to no
    scene of the story are refused by the checks, which say so for each choice."""
    items = [dict(i) for i in items_of(session, made)]
    for item in items:
        item_id = str(item.get("id"))
        item["choices"] = [{**choice, "goto": links.get((item_id, n), choice.get("goto", ""))}
                           for n, choice in enumerate(item.get("choices") or [])]
        if item_id in endings:
            item["ending"] = True
        else:
            item.pop("ending", None)
    if items == items_of(session, made):
        return False
    _new_version(session, made, items, "linked the scenes", user_id)
    return True


def story_title(made: MadeContent, items: list[dict[str, Any]]) -> dict[str, str]:
    """The story's title: as the leader set it (kept with the first scene, so each version
    has its own), else the group's name for it from the workshop."""
    given = items[0].get("story_title") if items else None
    return dict(given) if isinstance(given, dict) and given else {made.language: made.name}


def retitle(session: Session, made: MadeContent, title: str, user_id: int | None) -> None:
    """Set the story's title: a new version when it has scenes, else its name."""
    items = [dict(i) for i in items_of(session, made)]
    if not items:
        made.name = title
        return
    items[0]["story_title"] = {made.language: title}
    _new_version(session, made, items, "titled the story", user_id)


#: How many locks a room made in a workshop has, at least and at most.
LOCKS = (3, 5)
#: The languages a draft may be written or translated in.
LANGUAGES = ("fi", "sv", "en", "fi-x-selko")
#: What marks a text shown in its original language, where the reader's is missing: the
#: original's name in that language itself.
ORIGINAL_MARK = {"fi": "suomeksi", "sv": "på svenska", "en": "in English",
                 "fi-x-selko": "selkosuomeksi"}


def _localized(value: Any) -> list[dict[str, Any]]:
    """Every text by language in an item (``{fi: ..., sv: ...}``; also a lock's accepted
    answers by language)."""
    if isinstance(value, list):
        return [found for v in value for found in _localized(v)]
    if not isinstance(value, dict):
        return []
    if value and set(value) <= set(LANGUAGES) \
            and all(isinstance(v, (str, list)) for v in value.values()):
        return [value]
    return [found for v in value.values() for found in _localized(v)]


def _complete(items: list[dict[str, Any]]) -> list[str]:
    """The languages every item has all its texts in."""
    texts = _localized(items)
    return [lang for lang in LANGUAGES if items and all(lang in t for t in texts)]


def summary(item: dict[str, Any], language: str, answer: bool = True) -> str:
    """An item in a line, in ``language`` (else its first): a card's text; a lock's clues,
    and (with ``answer``) its answer and help."""
    def pick(text: Any) -> str:
        return str(text.get(language) or next(iter(text.values()), "")) \
            if isinstance(text, dict) else ""

    if "text" in item:
        said = pick(item["text"])
        choices = [pick(c.get("label")) for c in item.get("choices") or []
                   if isinstance(c, dict)]
        return f"{said} → {' / '.join(choices)}" if choices and answer else said
    clues = " · ".join(pick(c) for c in item.get("clues") or [])
    if not answer:
        return clues
    spec = item.get("answer") or {}
    said = spec.get("code") or next(iter((spec.get("accepted") or {}).values()), [""])[0]
    hints = [pick(h) for h in item.get("hints") or []]
    return f"{clues} → {said}" + (f" ({hints[0]})" if hints else "")


def with_marked_originals(made: MadeContent, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For play: where an item has no text in a language, the original with a small marker
    (``Mikä ilahdutti sinua? (suomeksi)``), instead of hiding it or passing it off as a
    translation."""
    mark = ORIGINAL_MARK.get(made.language, made.language)

    def marked(value: Any) -> Any:
        if isinstance(value, list):
            return [marked(v) for v in value]
        if not isinstance(value, dict):
            return value
        original = value.get(made.language)
        if isinstance(original, str) and set(value) <= set(LANGUAGES):
            return {**{lang: f"{original} ({mark})" for lang in LANGUAGES}, **value}
        return {key: marked(v) for key, v in value.items()}

    return [marked(item) for item in items]


def file_data(made: MadeContent, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The made content as one content file of its activity: the file-level fields of a
    shipped file (colour, icon…), the group's name for its texts, its own items."""
    shape = target(made.game)
    shipped = getattr(load_game_content(made.game), shape.field)
    model = next(iter(shipped.values())) if shape.many else shipped
    data: dict[str, Any] = model.model_dump(mode="json", exclude_defaults=False)
    for key, value in list(data.items()):
        if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()) \
                and key != "translations":
            data[key] = {made.language: made.name}
    # A story's title is a name: the languages are those its scenes are written in.
    texts = [{k: v for k, v in i.items() if k != "story_title"} if isinstance(i, dict) else i
             for i in items]
    data["translations"] = {made.language: "written", **{
        lang: "written" for lang in _complete(texts) if lang != made.language}}
    if "id" in data:
        data["id"] = made_id(made)
    data[shape.items] = items
    if shape.lock:
        _room_frame(made, data)
    if shape.story:
        _story_frame(made, data, items)
    return data


def _story_frame(made: MadeContent, data: dict[str, Any], items: list[dict[str, Any]]) -> None:
    """What a story of made scenes needs around them: its title, an intro and debrief
    questions of our own words, endings without choices, and one ending scene of our words
    for the choices that end the story."""
    end = f"{made_id(made)}-end"
    scenes = []
    ends = False
    for item in items:
        scene = {k: v for k, v in item.items() if k != "story_title"} \
            if isinstance(item, dict) else item
        if isinstance(scene, dict) and scene.get("ending"):
            scene["choices"] = []  # kept in the draft, in case it is no ending after all
            scene["debrief"] = [_four(words.STORY_QUESTIONS[0])]
        elif isinstance(scene, dict) and isinstance(scene.get("choices"), list):
            # (choices that are no list are left for the story's model to refuse)
            scene["choices"] = [
                {**c, "goto": end if c.get("goto") == ENDING else c.get("goto")}
                if isinstance(c, dict) else c for c in scene["choices"]]
            ends = ends or any(c.get("goto") == end for c in scene["choices"]
                               if isinstance(c, dict))
        scenes.append(scene)
    if ends:
        scenes.append({"id": end, "title": _four(words.END_TITLE),
                       "text": _four(words.END_TEXT), "ending": True,
                       "debrief": [_four(words.STORY_QUESTIONS[0])]})
    title = story_title(made, items)
    original = title.get(made.language) or next(iter(title.values()))
    data.update({
        "id": made_id(made), "scenes": scenes, "intro": _four(words.STORY_INTRO),
        "title": {lang: title.get(lang, original) for lang in data["translations"]},
        "debrief": [_four(q) for q in words.STORY_QUESTIONS[1:]]})

def _room_frame(made: MadeContent, data: dict[str, Any]) -> None:
    """What a room of made locks needs around its locks: the last lock is the final one and
    needs all the others, which are open from the start; the room claims the group sizes
    whose every player holds a clue at the start (the room's own check deals them to prove
    it); its own words, no pictures of another room."""
    lang = made.language
    locks = [dict(lock) for lock in data[target(made.game).items] if isinstance(lock, dict)]
    ids = [str(lock.get("id")) for lock in locks]
    for lock in locks:
        lock["requires"] = ids[:-1] if lock is locks[-1] else []
        lock.pop("picture", None)
    data[target(made.game).items] = locks
    start = sum(len(clues) for lock in locks[:-1]
                if isinstance(clues := lock.get("clues"), list))
    data.update({
        "final": ids[-1] if ids else "", "pictures": {}, "minutes": max(10, 5 * len(locks)),
        "min_players": 2, "max_players": max(2, min(6, start)),
        "intro": {"title": {lang: made.name}, "body": _four(words.ROOM_INTRO)},
        "outro": {"title": {lang: made.name}, "body": _four(words.ROOM_OUTRO),
                  "questions": [_four(q) for q in words.ROOM_QUESTIONS]}})


def _where(scene: int, choice: int | None = None) -> Any:
    if choice is None:
        return lazy_gettext("Scene %(n)s", n=scene)
    return lazy_gettext("Scene %(n)s, choice %(c)s", n=scene, c=choice)


def _story_problems(made: MadeContent, items: list[dict[str, Any]]) -> list[Problem]:
    """What the leader still has to do on a draft story, in the leader's words: write two
    scenes, and choose where every choice leads."""
    problems = []
    if len(items) < 2:
        problems.append(Problem(lazy_gettext("Scenes"), lazy_gettext(
            "a story needs at least two scenes: accept more scenes in the workshop")))
    ids = {str(i.get("id")) for i in items}
    for n, item in enumerate(items, start=1):
        if item.get("ending"):
            continue
        choices = item.get("choices")
        for c, choice in enumerate(choices if isinstance(choices, list) else [], start=1):
            goto = choice.get("goto") if isinstance(choice, dict) else None
            if not goto or not isinstance(goto, str):
                problems.append(Problem(_where(n, c), lazy_gettext(
                    "choose where this choice leads: a scene, or the end of the story")))
            elif goto != ENDING and goto not in ids:
                problems.append(Problem(_where(n, c), lazy_gettext(
                    "the scene this choice leads to is not in the story; choose another")))
    return problems


def _walk(value: Any, path: tuple[Any, ...] = ()) -> Any:
    """Every text (a string) inside an item, with where it is."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _walk(inner, (*path, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            yield from _walk(inner, (*path, n))


def _shape_problems(made: MadeContent, items: list[Any]) -> list[Problem]:
    """What must hold before the activity's models read a made file: each item is a set of
    named parts, and no text is longer than :data:`TEXT_MAX`."""
    shape = target(made.game)
    problems = []
    for n, item in enumerate(items):
        loc = (shape.items, n)
        if not isinstance(item, dict):
            problems.append(Problem(".".join(map(str, loc)), "should be a set of named parts",
                                    place_of(shape, loc)[0], lazy_gettext(
                                        "should be a set of named parts")))
            continue
        for path, text in _walk(item, loc):
            if len(text) > TEXT_MAX:
                problems.append(Problem(
                    ".".join(map(str, path)), f"the text is longer than {TEXT_MAX} characters",
                    place_of(shape, path)[0], lazy_gettext(
                        "is too long (at most %(n)s characters)", n=TEXT_MAX)))
    return problems


def check(made: MadeContent, items: list[dict[str, Any]]) -> tuple[Any, list[Problem]]:
    """The made file validated by the activity's own file model, and the whole content with it
    in; or ``None`` and the problems, field by field."""
    shape = target(made.game)
    problems = _shape_problems(made, items)
    if problems:
        return None, problems
    if shape.story:
        problems = _story_problems(made, items)
        if problems:
            return None, problems
    if shape.lock and not LOCKS[0] <= len(items) <= LOCKS[1]:
        return None, [Problem(shape.items, f"a room made in a workshop has {LOCKS[0]} to "
                                           f"{LOCKS[1]} locks (it has {len(items)})",
                              lazy_gettext("The room"), lazy_gettext(
                                  "a room made in a workshop has %(least)s to %(most)s locks "
                                  "(it has %(n)s)", least=LOCKS[0], most=LOCKS[1],
                                  n=len(items)))]
    try:
        file = shape.file_model.model_validate(file_data(made, items))
    except ValidationError as error:
        errors = error.errors()
        if shape.story:  # the ending scene of our words is unreached only when another is
            errors = [e for e in errors if not (
                len(e["loc"]) > 1 and e["loc"][0] == shape.items
                and isinstance(e["loc"][1], int) and e["loc"][1] >= len(items))] or errors
        return None, told(shape, errors)
    problems = [Problem(".".join(str(p) for p in path), f"no {made.language} text",
                        place_of(shape, path)[0], lazy_gettext(
                            "there is no text in %(language)s, the language it is written in",
                            language=language_name(made.language)))
                for path, text in texts_in(file) if made.language not in text.languages()]
    if problems:
        return None, problems
    content = load_game_content(made.game)
    fields = {name: getattr(content, name) for name in type(content).model_fields}
    current = fields[shape.field]
    fields[shape.field] = {**current, made_id(made): file} if shape.many else file
    if shape.story:
        # The story's content-wide check is only that each story's key is its id (true by
        # making); validating the whole content again would read its Ink files anew, which
        # only the content loader may do.
        return content.model_copy(update={shape.field: fields[shape.field]}), []
    try:
        merged = type(content).model_validate(fields)
    except ValidationError as error:
        # Only the made file can be wrong here: its errors, told below its key.
        errors = [{**e, "loc": e["loc"][2:]} if e["loc"][:2] == (shape.field, made_id(made))
                  else {**e, "loc": e["loc"][1:]} if e["loc"][:1] == (shape.field,) else e
                  for e in error.errors()] if shape.many else \
            [{**e, "loc": e["loc"][1:]} for e in error.errors()]
        return None, told(shape, errors)
    return merged, []


def content_for(session: Session, made: MadeContent, version: int) -> Any:
    """The activity's content with this version of the made file in, for play: a text
    missing in a language shows in the original with a marker (``None`` if invalid)."""
    items = items_of(session, made, version)
    if check(made, items)[1]:
        return None
    merged, _ = check(made, with_marked_originals(made, items))
    return merged


def options_for(made: MadeContent) -> dict[str, Any]:
    """A table's options that play the made file (a deck among decks is chosen by id)."""
    module = find_game(made.game)
    shape = target(made.game)
    fields = module.options_type.model_fields
    if shape.many and shape.field in fields:
        return {shape.field: [made_id(made)]}
    for one in (shape.field.removesuffix("s"), shape.field.removesuffix("ies") + "y"):
        if shape.many and one in fields:  # one room among rooms, one story among stories
            return {one: made_id(made)}
    return {}


def offered(session: Session, group_id: int, game: str | None = None) -> list[MadeContent]:
    """The group's own content (only this group's), newest first."""
    query = select(MadeContent).where(MadeContent.group_id == group_id)
    if game is not None:
        query = query.where(MadeContent.game == game)
    return list(session.scalars(query.order_by(MadeContent.id.desc())))


def record_table(session: Session, made: MadeContent, table_id: str) -> None:
    session.add(MadeTable(table_id=table_id, content_id=made.id, version=made.version))


def played_fact(made: MadeContent) -> Fact:
    """The fact a table playing the latest version starts with (in its first event, so its own
    log says what it played; the id is the made file's, never a member's)."""
    return Fact(kind="made_content_played", data={
        "game": made.game, "content": made_id(made), "version": made.version})


def earlier(session: Session, made: MadeContent) -> list[dict[str, Any]]:
    """The latest version's items as a workshop table shows them as made already: the text in
    the draft's language, the kind, and the maker's name where they chose to be named."""
    named = {c.item_id: c.name for c in session.scalars(
        select(MadeCredit).where(MadeCredit.content_id == made.id))}
    out = []
    for item in items_of(session, made):
        # Every item, in the draft's order: a tablet names an item by its place.
        text = summary(item, made.language, answer=False)[:2000] or "…"  # shown on the screen
        choices = [str(c.get("label", {}).get(made.language, ""))[:200]
                   for c in item.get("choices") or [] if isinstance(c, dict)][:3]
        out.append({"text": text, "kind": item.get("kind"), "by": named.get(item["id"]),
                    **({"choices": choices} if choices else {})})
    return out


def export_text(session: Session, made: MadeContent) -> str:
    """The latest version as a content file: no member ids, no version history; makers named
    only where they chose to be (as a comment a reader sees)."""
    data = file_data(made, items_of(session, made))
    credits = sorted({c.name for c in session.scalars(
        select(MadeCredit).where(MadeCredit.content_id == made.id))})
    head = "# Made by a group in a Piiri workshop"
    if credits:
        head += " (credited by their own choice: " + ", ".join(credits) + ")"
    return head + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _too_much(data: Any) -> bool:
    """More values than :data:`IMPORT_VALUES` (each repeat of a YAML alias counted again), or
    deeper than :data:`IMPORT_DEPTH`: counted without recursion, stopping at the limit."""
    todo: list[tuple[Any, int]] = [(data, 0)]
    seen = 0
    while todo:
        value, depth = todo.pop()
        seen += 1
        if seen > IMPORT_VALUES or depth > IMPORT_DEPTH:
            return True
        if isinstance(value, dict):
            todo.extend((v, depth + 1) for v in value.values())
            todo.extend((k, depth + 1) for k in value)
        elif isinstance(value, list):
            todo.extend((v, depth + 1) for v in value)
    return False


def _file_problem(message: str, said: Any) -> tuple[None, list[Problem]]:
    return None, [Problem("", message, None, said)]


def import_text(session: Session, text: str | bytes, *, game: str, organisation_id: int,
                group_id: int, user_id: int | None) -> tuple[MadeContent | None, list[Problem]]:
    """Store an exported file as the group's own, only if it validates (nothing stored
    otherwise; what is wrong is told in the leader's language)."""
    raw = text.encode() if isinstance(text, str) else text
    if len(raw) > IMPORT_MAX:
        return _file_problem("the file is too large", lazy_gettext(
            "The file is too large: a content file made in a workshop is at most %(n)s kB.",
            n=IMPORT_MAX // 1024))
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _file_problem("the file is not UTF-8 text", lazy_gettext(
            "This is not a content file: Piiri cannot read it as text."))
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        return _file_problem(f"this is not a YAML file ({error.__class__.__name__})",
                             lazy_gettext("This is not a content file Piiri can read (its "
                                          "lines are not in the YAML form of content files)."))
    shape = target(game)
    if not isinstance(data, dict) or not isinstance(data.get(shape.items), list):
        return _file_problem("the file has no list of items", lazy_gettext(
            "This file has nothing to import for this activity: choose the activity it was "
            "exported from."))
    if _too_much(data) or len(data[shape.items]) > IMPORT_ITEMS:
        return _file_problem("the file holds too much", lazy_gettext(
            "The file holds too much: a content file made in a workshop has at most %(n)s "
            "items.", n=IMPORT_ITEMS))
    translations = data.get("translations")
    languages = [t for t in translations if t in LANGUAGES] \
        if isinstance(translations, dict) else []
    name_field = next((v for k, v in data.items() if k in ("name", "title")
                       and isinstance(v, dict)), {})
    name = " ".join(str(next(iter(name_field.values()), "")).split()) or "Tuotu"
    with session.begin_nested() as trial:
        made = new_made(session, organisation_id=organisation_id, group_id=group_id,
                        game=game, name=name[:60], language=(languages or ["fi"])[0],
                        user_id=user_id,
                        change="imported")
        items = [{**item, "id": f"{made_id(made)}-{n}"} if isinstance(item, dict) else item
                 for n, item in enumerate(data[shape.items], start=1)]
        if shape.story:  # the choices lead to the scenes by their new ids
            renamed = {str(old.get("id")): new["id"] for old, new
                       in zip(data[shape.items], items, strict=True) if isinstance(old, dict)}
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("choices"), list):
                    item["choices"] = [{**c, "goto": renamed.get(str(c.get("goto")),
                                                                 c.get("goto"))}
                                       if isinstance(c, dict) else c for c in item["choices"]]
        version = session.scalar(select(MadeVersion).where(MadeVersion.content_id == made.id))
        assert version is not None
        version.items = items
        try:
            _, problems = check(made, items)
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
            # A shape no check foresaw: refused in plain words all the same.
            problems = [Problem("", f"the file cannot be read ({error.__class__.__name__})",
                                None, lazy_gettext("This file cannot be read as content of "
                                                   "this activity."))]
        if problems:
            trial.rollback()
            return None, problems
    return made, []


def erase_credits(session: Session, member_id: int) -> int:
    """Erasing a member removes their credits (what they made stays, unnamed)."""
    result: Any = session.execute(delete(MadeCredit).where(MadeCredit.member_id == member_id))
    return int(result.rowcount or 0)


def forget_old(session: Session, old_tables: list[str], cutoff: Any, *,
               dry_run: bool = False) -> int:
    """The retention rule's part for made content (``piiri admin retention``): which version
    the deleted tables played goes with them; versions changed before ``cutoff`` go, except
    each content's latest and any a kept table played; a content whose latest version is
    older than ``cutoff`` and that no kept table played goes whole, with its makers' credits.
    Returns how many versions (whole contents' included) are or would be deleted."""
    gone_tables = set(old_tables)
    played = {(row.content_id, row.version) for row in session.scalars(select(MadeTable))
              if row.table_id not in gone_tables}
    kept_contents = {content for content, _ in played}
    doomed_versions: list[int] = []
    doomed_contents: list[int] = []
    for made in session.scalars(select(MadeContent)):
        versions = list(session.scalars(select(MadeVersion).where(
            MadeVersion.content_id == made.id)))
        latest = max(versions, key=lambda v: v.version, default=None)
        if latest is not None and _before(latest.at, cutoff) and made.id not in kept_contents:
            doomed_contents.append(made.id)
            doomed_versions.extend(v.id for v in versions)
            continue
        doomed_versions.extend(v.id for v in versions if v is not latest
                               and _before(v.at, cutoff) and (made.id, v.version) not in played)
    if dry_run:
        return len(doomed_versions)
    if old_tables:
        session.execute(delete(MadeTable).where(MadeTable.table_id.in_(old_tables)))
    if doomed_versions:
        session.execute(delete(MadeVersion).where(MadeVersion.id.in_(doomed_versions)))
    if doomed_contents:
        session.execute(delete(MadeCredit).where(MadeCredit.content_id.in_(doomed_contents)))
        session.execute(delete(MadeTable).where(MadeTable.content_id.in_(doomed_contents)))
        session.execute(delete(MadeContent).where(MadeContent.id.in_(doomed_contents)))
    return len(doomed_versions)


def _before(at: Any, cutoff: Any) -> bool:
    """``at < cutoff``, also when the database gave ``at`` back without its time zone."""
    if at.tzinfo is None and cutoff.tzinfo is not None:
        at = at.replace(tzinfo=cutoff.tzinfo)
    return bool(at < cutoff)
