"""Read a YAML file into plain Python data, keeping the line and column of every value.

PyYAML's ordinary loaders lose what a data checker needs: they keep the last of two
duplicate keys, forget where each value stood, and will happily expand an alias bomb.
This loader builds the data itself from the parser's event stream, without recursion,
so that it can:

* reject duplicate keys at the second occurrence;
* remember a mark (line, column) for every mapping key and sequence item, so later
  checks can point at ``file:line:col`` instead of a JSON path;
* construct only plain YAML types (never ``!!python/...``);
* bound the work: file size, nesting depth, and how much aliases may repeat.

It never raises for bad input: every failure is returned as a :class:`Problem`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from kpartner.problems import Code, Level, Problem

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_VALUES = 1_000_000  # values that aliases may repeat: stops "billion laughs"

YamlPath = tuple[str | int, ...]

_SAFE_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

_Parser: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


@dataclass(frozen=True, slots=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass(slots=True)
class Document:
    """One YAML file's data, and where each part of it was written."""

    file: str
    data: Any
    marks: dict[YamlPath, Mark] = field(default_factory=dict)
    plain_scalars: dict[YamlPath, str] = field(default_factory=dict)

    def mark_at(self, path: YamlPath) -> Mark:
        """The mark of ``path``, or of its closest ancestor that has one."""
        for end in range(len(path), -1, -1):
            mark = self.marks.get(path[:end])
            if mark is not None:
                return mark
        return Mark(1, 1)


@dataclass(slots=True)
class LoadResult:
    document: Document | None
    problems: list[Problem]


class _Stop(Exception):
    """Raised inside the builder to end the load with one problem."""

    def __init__(self, code: Code, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.mark = mark


def _mark(yaml_mark: Any) -> Mark:
    if yaml_mark is None:
        return Mark(1, 1)
    return Mark(int(yaml_mark.line) + 1, int(yaml_mark.column) + 1)


@dataclass(slots=True)
class _Frame:
    """An open mapping or sequence while its events arrive."""

    container: dict[str, Any] | list[Any]
    path: YamlPath
    anchor: str | None
    size: int = 1
    pending_key: str | None = None
    key_marks: dict[str, Mark] = field(default_factory=dict)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.document = Document(file=file, data=None)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, expanded size)
        self.alias_values = 0
        self.documents = 0
        self.resolver = Resolver()
        self.constructor = SafeConstructor()

    def feed(self, event: Event) -> None:
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Stop(
                    Code.YAML_SYNTAX,
                    "a data file holds one YAML document; found a second '---'",
                    _mark(event.start_mark),
                )
        elif isinstance(event, MappingStartEvent | SequenceStartEvent):
            self._open(event)
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            frame = self.stack.pop()
            if isinstance(frame.container, dict) and frame.pending_key is not None:
                raise _Stop(
                    Code.YAML_SYNTAX, "mapping ends without a value", _mark(event.start_mark)
                )
            self._add(frame.container, frame.size, frame.anchor, event)
        elif isinstance(event, ScalarEvent):
            self._scalar(event)
        elif isinstance(event, AliasEvent):
            anchor = event.anchor or ""
            if anchor not in self.anchors:
                raise _Stop(Code.YAML_SYNTAX, f"unknown alias '*{anchor}'", _mark(event.start_mark))
            value, size = self.anchors[anchor]
            self._count_alias(size, event)
            self._add(value, size, None, event)

    def _count_alias(self, size: int, event: Event) -> None:
        self.alias_values += size
        if self.alias_values > MAX_ALIAS_VALUES:
            raise _Stop(
                Code.YAML_TOO_BIG,
                f"aliases here repeat more than {MAX_ALIAS_VALUES:,} values "
                "(an alias bomb?); refusing to read on",
                _mark(event.start_mark),
            )

    def _open(self, event: MappingStartEvent | SequenceStartEvent) -> None:
        is_map = isinstance(event, MappingStartEvent)
        expected = _MAP_TAG if is_map else _SEQ_TAG
        if event.tag not in (None, "!", expected):
            raise _Stop(
                Code.YAML_TAG,
                f"tag '{event.tag}' is not allowed in a data file; remove it",
                _mark(event.start_mark),
            )
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(
                Code.YAML_TOO_DEEP,
                f"nesting deeper than {MAX_DEPTH} levels; a data file never needs that",
                _mark(event.start_mark),
            )
        path = self._child_path(event)
        self.document.marks.setdefault(path, _mark(event.start_mark))
        container: dict[str, Any] | list[Any] = {} if is_map else []
        self.stack.append(_Frame(container, path, event.anchor))

    def _child_path(self, event: Event) -> YamlPath:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.container, list):
            return (*parent.path, len(parent.container))
        if parent.pending_key is None:
            raise _Stop(
                Code.YAML_SYNTAX,
                "a mapping key must be a plain value, not a list or mapping",
                _mark(event.start_mark),
            )
        return (*parent.path, parent.pending_key)

    def _scalar(self, event: ScalarEvent) -> None:
        parent = self.stack[-1] if self.stack else None
        if (
            isinstance(parent, _Frame)
            and isinstance(parent.container, dict)
            and parent.pending_key is None
        ):
            self._key(parent, event)
            return
        value = self._construct(event)
        path = self._child_path(event)
        if event.implicit[0] and not event.style:  # plain (unquoted) text
            self.document.plain_scalars[path] = event.value
        self._add(value, 1, event.anchor, event)

    def _key(self, frame: _Frame, event: ScalarEvent) -> None:
        # Keys are field names: read them as the text written (so `no:` stays "no").
        key = event.value
        mark = _mark(event.start_mark)
        if key in frame.key_marks:
            first = frame.key_marks[key]
            raise _Stop(
                Code.DUPLICATE_KEY,
                f"duplicate key '{key}' (first at line {first.line}); "
                "YAML would silently keep only the last one",
                mark,
            )
        frame.key_marks[key] = mark
        frame.pending_key = key
        self.document.marks[(*frame.path, key)] = mark

    def _construct(self, event: ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag not in _SAFE_SCALAR_TAGS:
            raise _Stop(
                Code.YAML_TAG,
                f"tag '{event.tag}' is not allowed in a data file; remove it",
                _mark(event.start_mark),
            )
        node = ScalarNode(tag, event.value, None, None, event.style)
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise _Stop(
                Code.BAD_VALUE, f"cannot read {event.value!r}: {exc}", _mark(event.start_mark)
            ) from None

    def _add(self, value: Any, size: int, anchor: str | None, event: Event) -> None:
        if anchor:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.document.data = value
            self.document.marks.setdefault((), _mark(event.start_mark))
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.container, list):
            index = len(parent.container)
            self.document.marks.setdefault((*parent.path, index), _mark(event.start_mark))
            parent.container.append(value)
        else:
            key = parent.pending_key
            assert key is not None  # a value always follows a key here
            parent.container[key] = value
            parent.pending_key = None


def _position_to_mark(text: str, position: int) -> Mark:
    before = text[:position]
    line = before.count("\n") + 1
    return Mark(line, position - (before.rfind("\n") + 1) + 1)


def _yaml_error(file: str, text: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    if isinstance(exc, yaml.reader.ReaderError):
        where = _position_to_mark(text, exc.position)
        message = f"character {exc.character!r} is not allowed in YAML"
        if exc.character == "\0":
            message = "NUL byte in file; is this a text file?"
        return Problem(file, where.line, where.column, Level.ERROR, Code.ENCODING, message)
    where = _mark(mark)
    message = (
        " ".join(
            part for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part
        )
        or str(exc).splitlines()[0]
    )
    if "nesting depth" in message:  # libyaml's own limit on [[[[...
        message = f"nesting deeper than {MAX_DEPTH} levels; a data file never needs that"
        return Problem(file, where.line, where.column, Level.ERROR, Code.YAML_TOO_DEEP, message)
    if "flow" in message:
        message += " (is a '[' or '{' left open?)"
    lines = text.splitlines()
    if 0 < where.line <= len(lines) and "\t" in lines[where.line - 1][: where.column]:
        message += " (a tab: YAML allows only spaces for indentation)"
    code = Code.YAML_SYNTAX
    return Problem(file, where.line, where.column, Level.ERROR, code, message)


def load_text(text: str, file: str) -> LoadResult:
    """Parse ``text`` (already decoded) and return its document or the problem that stops it."""
    if "\0" in text:
        where = _position_to_mark(text, text.index("\0"))
        return LoadResult(
            None,
            [
                Problem(
                    file,
                    where.line,
                    where.column,
                    Level.ERROR,
                    Code.ENCODING,
                    "NUL byte in file; is this a text file?",
                )
            ],
        )
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=_Parser):
            builder.feed(event)
    except _Stop as stop:
        problem = Problem(
            file, stop.mark.line, stop.mark.column, Level.ERROR, stop.code, stop.message
        )
        return LoadResult(None, [problem])
    except yaml.YAMLError as exc:
        return LoadResult(None, [_yaml_error(file, text, exc)])
    if builder.documents == 0 or builder.document.data is None:
        return LoadResult(
            None, [Problem(file, 1, 1, Level.ERROR, Code.EMPTY_FILE, "the file holds no data")]
        )
    return LoadResult(builder.document, [])


def load_file(path: Path, display_name: str | None = None) -> LoadResult:
    """Read and parse one YAML file; size, encoding and I/O failures become problems."""
    file = display_name or str(path)

    def fail(code: Code, message: str, mark: Mark = Mark(1, 1)) -> LoadResult:
        return LoadResult(None, [Problem(file, mark.line, mark.column, Level.ERROR, code, message)])

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(
                Code.FILE_TOO_LARGE, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        return fail(Code.FILE_MISSING, "no such file")
    except IsADirectoryError:
        return fail(Code.FILE_UNREADABLE, "is a folder, not a file")
    except OSError as exc:
        return fail(Code.FILE_UNREADABLE, f"cannot read: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8-sig")  # a UTF-8 BOM is fine
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8-sig", errors="replace")
        where = _position_to_mark(good, len(good))
        return fail(
            Code.ENCODING,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            where,
        )
    return load_text(text, file)
