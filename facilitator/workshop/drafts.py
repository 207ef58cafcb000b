"""The group's own content: its versions, its checks, and playing, exporting and importing it.

Everything the activity's content needs is read from the activity's own content models
(:func:`games.workshop.target`): a made file is validated by the same pydantic model as the
shipped files, and problems are told field by field in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine import Fact
from engine.content import texts_in
from engine.registry import find_game, load_game_content
from games.workshop import target, words
from games.workshop.targets import lock_item

from .models import MadeContent, MadeCredit, MadeTable, MadeVersion

__all__ = ["LANGUAGES", "Problem", "add_item", "check", "content_for", "earlier", "edit_item",
           "erase_credits", "export_text", "file_data", "forget_old", "import_text", "items_of",
           "made_id", "new_made", "offered", "played_fact", "summary", "with_marked_originals"]

#: The longest import accepted, in bytes (a content file may be at most 2 MB; a deck is small).
IMPORT_MAX = 256 * 1024


@dataclass(frozen=True)
class Problem:
    """What is wrong with a draft, at one field, in plain words."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


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
    lang = made.language
    shape = target(made.game).answer_shape(kind, answer) or "text"
    return lock_item(kind, answer, shape, clues,
                     [hint, words.ANSWER_HINT.pick(lang).format(answer=answer)], lang,
                     title=words.LOCK_TITLE.pick(lang).format(n=number),
                     task=words.LOCK_TASK["code" if shape == "code" else "riddle"].pick(lang),
                     solved=words.LOCK_SOLVED.pick(lang))


def add_item(session: Session, made: MadeContent, text: str, kind: str | None,
             user_id: int | None, credit: str | None = None,
             member_id: int | None = None, lock: dict[str, Any] | None = None) -> str:
    """Add one item (an accepted proposal) as a new version; its id. ``credit`` is the
    maker's chosen name, given only with their consent. A lock comes with ``lock``: its
    ``answer``, ``clues`` and ``hint``."""
    items = items_of(session, made)
    number = max((int(str(i["id"]).rsplit("-", 1)[-1]) for i in items), default=0) + 1
    item_id = f"{made_id(made)}-{number}"
    shape = target(made.game)
    item: dict[str, Any] = {"id": item_id, "text": {made.language: text}}
    if shape.lock:
        assert lock is not None and kind is not None
        item = {"id": item_id, **_lock(made, number, kind, lock["answer"], lock["clues"],
                                       lock["hint"])}
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
        return pick(item["text"])
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
    data["translations"] = {made.language: "written", **{
        lang: "written" for lang in _complete(items) if lang != made.language}}
    if "id" in data:
        data["id"] = made_id(made)
    data[shape.items] = items
    if shape.lock:
        _room_frame(made, data)
    return data


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
    start = sum(len(lock.get("clues") or []) for lock in locks[:-1])
    data.update({
        "final": ids[-1] if ids else "", "pictures": {}, "minutes": max(10, 5 * len(locks)),
        "min_players": 2, "max_players": max(2, min(6, start)),
        "intro": {"title": {lang: made.name}, "body": {lang: words.ROOM_INTRO.pick(lang)}},
        "outro": {"title": {lang: made.name}, "body": {lang: words.ROOM_OUTRO.pick(lang)},
                  "questions": [{lang: q.pick(lang)} for q in words.ROOM_QUESTIONS]}})


def _plain(error: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    out = []
    for item in error.errors():
        where = ".".join(str(part) for part in (*prefix, *item["loc"]) if part != "root")
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "too_short" and item["loc"] and item["loc"][-1] != "root":
            message = "add at least one first"
        out.append(Problem(where, message))
    return out


def check(made: MadeContent, items: list[dict[str, Any]]) -> tuple[Any, list[Problem]]:
    """The made file validated by the activity's own file model, and the whole content with it
    in; or ``None`` and the problems, field by field."""
    shape = target(made.game)
    if shape.lock and not LOCKS[0] <= len(items) <= LOCKS[1]:
        return None, [Problem(shape.items, f"a room made in a workshop has {LOCKS[0]} to "
                                           f"{LOCKS[1]} locks (it has {len(items)})")]
    try:
        file = shape.file_model.model_validate(file_data(made, items))
    except ValidationError as error:
        return None, _plain(error)
    problems = [Problem(".".join(str(p) for p in path), f"no {made.language} text")
                for path, text in texts_in(file) if made.language not in text.languages()]
    if problems:
        return None, problems
    content = load_game_content(made.game)
    fields = {name: getattr(content, name) for name in type(content).model_fields}
    current = fields[shape.field]
    fields[shape.field] = {**current, made_id(made): file} if shape.many else file
    try:
        merged = type(content).model_validate(fields)
    except ValidationError as error:
        return None, _plain(error)
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
    if shape.many and shape.field.removesuffix("s") in fields:  # one room among rooms
        return {shape.field.removesuffix("s"): made_id(made)}
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
        text = summary(item, made.language, answer=False)[:2000]  # shown on the screen
        if text:
            out.append({"text": text, "kind": item.get("kind"), "by": named.get(item["id"])})
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


def import_text(session: Session, text: str, *, game: str, organisation_id: int,
                group_id: int, user_id: int | None) -> tuple[MadeContent | None, list[Problem]]:
    """Store an exported file as the group's own, only if it validates (nothing stored
    otherwise)."""
    if len(text.encode()) > IMPORT_MAX:
        return None, [Problem("", "the file is too large")]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return None, [Problem("", f"this is not a YAML file ({error.__class__.__name__})")]
    shape = target(game)
    if not isinstance(data, dict) or not isinstance(data.get(shape.items), list):
        return None, [Problem(shape.items, "the file has no list of items")]
    languages = list(data.get("translations") or {}) or ["fi"]
    name_field = next((v for k, v in data.items() if k in ("name", "title")
                       and isinstance(v, dict)), {})
    name = str(next(iter(name_field.values()), "")) or "Tuotu"
    with session.begin_nested() as trial:
        made = new_made(session, organisation_id=organisation_id, group_id=group_id,
                        game=game, name=name[:60], language=languages[0], user_id=user_id,
                        change="imported")
        items = [{**item, "id": f"{made_id(made)}-{n}"} if isinstance(item, dict) else item
                 for n, item in enumerate(data[shape.items], start=1)]
        version = session.scalar(select(MadeVersion).where(MadeVersion.content_id == made.id))
        assert version is not None
        version.items = items
        _, problems = check(made, items)
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
