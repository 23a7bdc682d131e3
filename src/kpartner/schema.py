"""Validate a loaded YAML document against a model; report errors at their YAML line.

pydantic reports a location such as ``('projects', 3, 'consortia', 0, 'memebers')``.
The loader kept a mark for every key and item, so each error is placed at the line
a person has to edit, and worded for that person rather than as a JSON path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from rapidfuzz import process
from rapidfuzz.distance import OSA

from kpartner.loader import Document, YamlPath
from kpartner.problems import Code, Level, Problem

ModelT = TypeVar("ModelT", bound=BaseModel)

_WRONG_TYPE_SUFFIXES = ("_type", "_parsing")


def format_path(path: YamlPath) -> str:
    """``('projects', 3, 'name')`` → ``projects[3].name``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _field_names(model: type[BaseModel], loc: YamlPath) -> list[str]:
    """The field names the model accepts at ``loc`` (for "did you mean")."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if current else None
        if field is None:
            return []
        current = _model_inside(field.annotation)
    return list(current.model_fields) if current else []


def _model_inside(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_inside(arg)
        if found is not None:
            return found
    return None


def suggest(word: str, choices: list[str], limit: int = 3) -> list[str]:
    """Close spellings of ``word`` among ``choices``, best first, ties in choice order.

    A choice within a few edits (a transposition is one) comes first; then choices that
    contain the word, so ``alpha`` finds ``alpha-city``.
    """
    cutoff = max(1, len(word) // 3)
    found = process.extract(
        word, choices, scorer=OSA.distance, processor=str.casefold, score_cutoff=cutoff, limit=limit
    )
    close = [choice for choice, _distance, _index in found]
    if len(word) >= 3:
        close += [c for c in choices if word.casefold() in c.casefold() and c not in close]
    return close[:limit]


def _did_you_mean(options: list[str]) -> str:
    if not options:
        return ""
    return "; did you mean " + " or ".join(f"'{option}'" for option in options) + "?"


def _yaml11_hint(document: Document, path: YamlPath, value: Any) -> str:
    """Explain YAML 1.1's surprises: ``NO`` read as false, ``1.10`` read as 1.1."""
    written = document.plain_scalars.get(path)
    if written is None or isinstance(value, str):
        return ""
    kind = {bool: str(value).lower(), float: f"the number {value}", int: f"the number {value}"}.get(
        type(value), ""
    )
    if isinstance(value, dt.date):
        kind = "a date"
    if not kind:
        return ""
    return f' (YAML reads unquoted {written} as {kind}: write it in quotes, "{written}")'


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the value {value!r}"


def _problem(document: Document, model: type[BaseModel], error: ErrorDetails) -> Problem:
    loc: YamlPath = tuple(error["loc"])
    kind = error["type"]
    where = format_path(loc) or "top level"
    value = error.get("input")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        code = Code.UNKNOWN_FIELD
        message = f"unknown field '{name}' in {format_path(loc[:-1]) or 'top level'}"
        allowed = _field_names(model, loc[:-1])
        close = suggest(name, allowed)
        if close:
            message += _did_you_mean(close)
        elif allowed:
            message += "; allowed: " + ", ".join(allowed)
    elif not loc and kind in ("model_type", "dict_type"):
        code = Code.TOP_LEVEL
        fields = " or ".join(f"'{name}:'" for name in model.model_fields)
        message = f"the top level must be a mapping with the key {fields}, got {_kind_of(value)}"
    elif loc and loc[-1] == "sources" and kind == "too_short":
        code = Code.NO_SOURCES
        message = f"{where}: a record needs at least one source (url, publisher, published)"
    elif kind == "missing":
        code = Code.MISSING_FIELD
        message = f"missing required field '{loc[-1]}' in {format_path(loc[:-1]) or 'top level'}"
    else:
        code = Code.WRONG_TYPE if kind.endswith(_WRONG_TYPE_SUFFIXES) else Code.BAD_VALUE
        shown = (
            repr(value)
            if isinstance(value, str | int | float | bool | dt.date)
            else type(value).__name__
        )
        text = error["msg"].removeprefix("Value error, ")
        message = f"{where}: {text[0].lower()}{text[1:]}, got {shown}"
        message += _yaml11_hint(document, loc, value)
    mark = document.mark_at(loc)
    return Problem(document.file, mark.line, mark.column, Level.ERROR, code, message)


def validate(document: Document, model: type[ModelT]) -> tuple[ModelT | None, list[Problem]]:
    """Build ``model`` from the document, or return its problems placed at their lines."""
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        problems = [_problem(document, model, error) for error in exc.errors()]
        return None, sorted(problems, key=Problem.sort_key)
