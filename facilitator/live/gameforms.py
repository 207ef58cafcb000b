"""Forms the panel builds from a game's pydantic models: its options and its leader moves.

A game describes its options and move payloads once, as pydantic models; the panel turns them
into form fields (numbers, yes/no, text, choices), so a new game needs no panel code. Labels come
from each field's ``json_schema_extra={"label": {...}}``; choices from the game's ``choices``
hook (for example the decks a leader can pick).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import MultiDict

from engine import LocalizedText, Option

__all__ = ["FormField", "fields_for", "parse_form"]


@dataclass
class FormField:
    name: str
    kind: str  # "int", "bool", "text", "choice", "choices"
    label: str
    default: Any = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None


def _label(name: str, info: dict[str, Any], lang: str) -> str:
    extra = info.get("label")
    if isinstance(extra, dict):
        return LocalizedText(extra).pick(lang)
    return name.replace("_", " ").capitalize()


def fields_for(model: type[BaseModel], lang: str = "fi",
               choices: dict[str, list[Option]] | None = None) -> list[FormField]:
    """Form fields for ``model``'s fields, in its order."""
    schema = model.model_json_schema()
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    try:
        defaults = model().model_dump(mode="json")
    except ValidationError:
        defaults = {}
    out = []
    for name, info in props.items():
        options = (choices or {}).get(name)
        kinds = [info, *info.get("anyOf", [])]
        types = {k.get("type") for k in kinds}
        item = FormField(name=name, kind="text", label=_label(name, info, lang),
                         default=defaults.get(name, info.get("default")),
                         required=name in required)
        if options is not None:
            item.kind = "choices" if "array" in types else "choice"
            item.choices = [(o.value, o.label.pick(lang)) for o in options]
        elif "boolean" in types:
            item.kind = "bool"
        elif "integer" in types:
            item.kind = "int"
            for k in kinds:
                item.minimum = k.get("minimum", item.minimum)
                item.maximum = k.get("maximum", item.maximum)
        else:
            for k in kinds:
                item.max_length = k.get("maxLength", item.max_length)
        out.append(item)
    return out


def parse_form(model: type[BaseModel], form: MultiDict[str, str],
               fields: list[FormField]) -> tuple[dict[str, Any] | None, list[FormField]]:
    """Read a submitted form into ``model``'s data; on errors, the fields carry messages."""
    data: dict[str, Any] = {}
    for item in fields:
        if item.kind == "bool":
            data[item.name] = form.get(item.name) == "on"
        elif item.kind == "choices":
            data[item.name] = form.getlist(item.name)
        else:
            raw = (form.get(item.name) or "").strip()
            if raw == "":
                if item.required:
                    data[item.name] = raw
                elif item.default is None and item.name in form:
                    data[item.name] = None
                continue
            data[item.name] = raw
    try:
        return model.model_validate(data).model_dump(mode="json"), fields
    except ValidationError as error:
        by_name = {f.name: f for f in fields}
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else ""
            if name in by_name:
                by_name[name].error = problem["msg"].removeprefix("Value error, ")
        return None, fields
