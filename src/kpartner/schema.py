"""Validate a loaded YAML document against a model; report errors at their YAML line.

pydantic reports a location such as ``('projects', 3, 'consortia', 0, 'memebers')``.
The loader kept a mark for every key and item, so each error is placed at the line
a person has to edit, and worded for that person rather than as a JSON path.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from kpartner.loader import Document, YamlPath
from kpartner.problems import Code, Problem
from kpartner.suggest import did_you_mean, suggest

__all__ = ["did_you_mean", "format_path", "suggest", "validate"]  # suggest: for matching.py

ModelT = TypeVar("ModelT", bound=BaseModel)

_WRONG_TYPE_SUFFIXES = ("_type", "_parsing")
_QUOTING_HELPS = frozenset({"string_type", "enum", "literal_error"})


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


def _yaml11_hint(document: Document, path: YamlPath, value: Any, kind: str) -> str:
    """Explain YAML 1.1's surprises: ``NO`` read as false, ``1.10`` read as 1.1.

    Only where quoting helps: the field wants text and got what YAML made of it.
    """
    written = document.plain_scalars.get(path)
    if written is None or isinstance(value, str | dt.datetime):
        return ""  # a timestamp is no partial date quoted either
    if kind not in _QUOTING_HELPS:
        # A number field: quotes would not help, but a surprise is still worth a word
        # (`02020` is octal 1040, `1:20` is 80).
        surprising = isinstance(value, int | float) and not isinstance(value, bool)
        if surprising and written.strip() != str(value):
            return f" (YAML reads {written} as {value})"
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
            message += did_you_mean(close)
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
        if kind == "enum" and isinstance(value, str):
            choices = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
            message += did_you_mean(suggest(value, choices, limit=1))
        message += _yaml11_hint(document, loc, value, kind)
    mark = document.mark_at(loc)
    return Problem.error(document.file, mark, code, message)


MAX_PROBLEMS_PER_FILE = 200
_CHUNK = 1000


def _record_lists(model: type[BaseModel], data: Any) -> dict[str, type[BaseModel]]:
    """The model's list-of-records fields present in ``data`` as lists (``projects: [...]``)."""
    if not isinstance(data, dict):
        return {}
    found = {}
    for name, field in model.model_fields.items():
        inner = _model_inside(field.annotation)
        if inner is not None and isinstance(data.get(name), list):
            found[name] = inner
    return found


def _reported(document: Document, loc: YamlPath) -> bool:
    """The loader already reported this value or one that holds it."""
    bad = document.bad_paths
    return bool(bad) and any(loc[:end] in bad for end in range(len(loc) + 1))


def validate(document: Document, model: type[ModelT]) -> tuple[ModelT | None, list[Problem]]:
    """Build ``model`` from the document, or return its problems placed at their lines.

    Long record lists are checked a thousand records at a time, and checking stops after
    ``MAX_PROBLEMS_PER_FILE`` problems: a file of a million broken records gets a bounded
    answer, not a million messages and gigabytes of error objects.
    """
    lists = _record_lists(model, document.data)
    problems: list[Problem] = []
    failed = False
    head = {**document.data, **{name: [] for name in lists}} if lists else document.data
    try:
        model.model_validate(head)
    except ValidationError as exc:
        failed = True
        problems += [
            _problem(document, model, error)
            for error in exc.errors()
            if not _reported(document, tuple(error["loc"]))
        ]
    records: dict[str, list[BaseModel]] = {}
    stopped = False
    for name, item in lists.items():
        adapter: TypeAdapter[list[BaseModel]] = TypeAdapter(list[item])  # type: ignore[valid-type]
        items = document.data[name]
        records[name] = []
        for start in range(0, len(items), _CHUNK):
            if len(problems) >= MAX_PROBLEMS_PER_FILE:
                stopped = True
                break
            try:
                records[name] += adapter.validate_python(items[start : start + _CHUNK])
            except ValidationError as exc:
                failed = True
                for error in exc.errors():
                    index, *rest = error["loc"]
                    loc = (name, start + int(index), *rest)
                    if not _reported(document, loc):
                        placed = {**error, "loc": loc}
                        problems.append(_problem(document, model, placed))  # type: ignore[arg-type]
    if not failed:
        return model.model_validate({**document.data, **records} if lists else document.data), []
    problems.sort(key=Problem.sort_key)
    if problems and (stopped or len(problems) > MAX_PROBLEMS_PER_FILE):
        problems = problems[:MAX_PROBLEMS_PER_FILE]
        last = problems[-1]
        problems.append(Problem.too_many(document.file, last, MAX_PROBLEMS_PER_FILE))
    return None, problems
