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

import bisect
import re
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

from kpartner.inputs import InputError, read_bytes
from kpartner.problems import Code, Problem
from kpartner.text import CONTROL, escape_controls

MAX_DEPTH = 64
MAX_ALIAS_VALUES = 1_000_000  # values that aliases may repeat: stops "billion laughs"

YamlPath = tuple[str | int, ...]

_SAFE_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_STR_TAG = "tag:yaml.org,2002:str"
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
    bad_paths: set[YamlPath] = field(default_factory=set)
    """Values the loader already reported (a bad tagged value, a duplicate key): the
    schema check says nothing more about them."""

    def mark_at(self, path: YamlPath) -> Mark:
        """The mark of ``path``, or of its closest ancestor that has one."""
        for end in range(len(path), -1, -1):
            mark = self.marks.get(path[:end])
            if mark is not None:
                return mark
        return Mark(1, 1)


@dataclass(slots=True)
class LoadResult:
    """The document (``None`` when the file could not be read to its end) and its problems.

    A document can come with problems: a duplicate key or a value that cannot be read is
    reported and the rest of the file is still read, so one run reports every problem.
    """

    document: Document | None
    problems: list[Problem]


class _Stop(Exception):
    """Raised inside the builder to end the load with one problem."""

    def __init__(self, code: Code, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.mark = mark


_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# What YAML (and PyYAML's reader) refuses: C0 controls but tab and line breaks, DEL,
# C1 controls but NEL, surrogates, U+FFFE and U+FFFF.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


class Lines:
    """Line and column of a character offset, counted as an editor counts them.

    YAML also breaks lines at NEL (U+0085) and U+2028/U+2029, which editors show inside
    a line; the parser's own line numbers are used only when the text has none of them.
    """

    def __init__(self, text: str) -> None:
        self.starts: list[int] | None = None
        if any(char in text for char in _YAML_ONLY_BREAKS):
            self.starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]

    def at(self, offset: int) -> Mark:
        assert self.starts is not None
        line = bisect.bisect_right(self.starts, offset)
        return Mark(line, offset - self.starts[line - 1] + 1)

    def mark(self, yaml_mark: Any) -> Mark:
        if yaml_mark is None:
            return Mark(1, 1)
        if self.starts is not None and getattr(yaml_mark, "index", None) is not None:
            return self.at(int(yaml_mark.index))
        return Mark(int(yaml_mark.line) + 1, int(yaml_mark.column) + 1)


MAX_LOADER_PROBLEMS = 200


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
    def __init__(self, file: str, lines: Lines) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []
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
                    self.lines.mark(event.start_mark),
                )
        elif isinstance(event, MappingStartEvent | SequenceStartEvent):
            self._open(event)
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            frame = self.stack.pop()
            if isinstance(frame.container, dict) and frame.pending_key is not None:
                raise _Stop(
                    Code.YAML_SYNTAX,
                    "mapping ends without a value",
                    self.lines.mark(event.start_mark),
                )
            self._add(frame.container, frame.size, frame.anchor, event)
        elif isinstance(event, ScalarEvent):
            self._scalar(event)
        elif isinstance(event, AliasEvent):
            anchor = event.anchor or ""
            if anchor not in self.anchors:
                raise _Stop(
                    Code.YAML_SYNTAX,
                    f"unknown alias '*{anchor}'",
                    self.lines.mark(event.start_mark),
                )
            parent = self.stack[-1] if self.stack else None
            if parent and isinstance(parent.container, dict) and parent.pending_key is None:
                raise _Stop(
                    Code.YAML_SYNTAX,
                    f"an alias ('*{anchor}') cannot be a mapping key; write the key out",
                    self.lines.mark(event.start_mark),
                )
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
                self.lines.mark(event.start_mark),
            )

    def _open(self, event: MappingStartEvent | SequenceStartEvent) -> None:
        is_map = isinstance(event, MappingStartEvent)
        expected = _MAP_TAG if is_map else _SEQ_TAG
        path = self._child_path(event)
        if event.tag not in (None, "!", expected):
            self._report(
                Code.YAML_TAG,
                f"tag '{event.tag}' is not allowed in a data file; remove it",
                self.lines.mark(event.start_mark),
                path,
            )
        if len(self.stack) >= MAX_DEPTH:
            raise _Stop(
                Code.YAML_TOO_DEEP,
                f"nesting deeper than {MAX_DEPTH} levels; a data file never needs that",
                self.lines.mark(event.start_mark),
            )
        self.document.marks.setdefault(path, self.lines.mark(event.start_mark))
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
                self.lines.mark(event.start_mark),
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
        path = self._child_path(event)
        value = self._construct(event, path)
        if event.implicit[0] and not event.style:  # plain (unquoted) text
            self.document.plain_scalars[path] = event.value
        self._add(value, 1, event.anchor, event)

    def _report(self, code: Code, message: str, mark: Mark, path: YamlPath) -> None:
        """A problem that does not stop the load: the rest of the file is still read."""
        self.problems.append(Problem.error(self.file, mark, code, message))
        self.document.bad_paths.add(path)
        if len(self.problems) >= MAX_LOADER_PROBLEMS:
            raise _Stop(
                Code.TOO_MANY_PROBLEMS,
                f"stopped after {MAX_LOADER_PROBLEMS} problems in this file; "
                "fix these and run again",
                mark,
            )

    def _key(self, frame: _Frame, event: ScalarEvent) -> None:
        # Keys are field names: read them as the text written (so `no:` stays "no").
        key = event.value
        mark = self.lines.mark(event.start_mark)
        path = (*frame.path, key)
        control = CONTROL.search(key)
        if control is not None:
            self._report(
                Code.CONTROL_CHARACTER,
                f"control character U+{ord(control.group()):04X} in the key "
                f"{escape_controls(_shown(key))}; remove it",
                mark,
                path,
            )
        if key in frame.key_marks:
            first = frame.key_marks[key]
            self._report(
                Code.DUPLICATE_KEY,
                f"duplicate key '{key}' (first at line {first.line}); "
                "YAML would silently keep only the last one",
                mark,
                path,
            )
        else:
            frame.key_marks[key] = mark
            self.document.marks[path] = mark
        frame.pending_key = key

    def _construct(self, event: ScalarEvent, path: YamlPath) -> Any:
        """The value of a scalar, or its text with a problem reported when it has none.

        Explicit tags (``!!bool maybe``, ``!!int ''``, ``!!timestamp yesterday``) and
        oversized numbers make PyYAML's constructors raise all kinds of errors; each
        becomes a problem at the value's place.
        """
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
            if tag not in _SAFE_SCALAR_TAGS:  # YAML 1.1's `=` (value) and `<<` (merge)
                tag = _STR_TAG
        mark = self.lines.mark(event.start_mark)
        if tag not in _SAFE_SCALAR_TAGS:
            self._report(
                Code.YAML_TAG,
                f"tag '{event.tag}' is not allowed in a data file; remove it",
                mark,
                path,
            )
            return event.value
        control = CONTROL.search(event.value)
        if control is not None:
            # Written as an escape ("\e[2J", "\u202e"): it would reach a terminal raw.
            shown = escape_controls(_shown(event.value))
            self._report(
                Code.CONTROL_CHARACTER,
                f"control character U+{ord(control.group()):04X} in {shown}; remove it",
                mark,
                path,
            )
            return event.value
        node = ScalarNode(tag, event.value, None, None, event.style)
        try:
            return self.constructor.construct_object(node)
        except Exception:
            what = tag.rsplit(":", 1)[-1]
            self._report(Code.BAD_VALUE, f"cannot read {_shown(event.value)} as {what}", mark, path)
            return event.value

    def _add(self, value: Any, size: int, anchor: str | None, event: Event) -> None:
        if anchor:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.document.data = value
            self.document.marks.setdefault((), self.lines.mark(event.start_mark))
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.container, list):
            index = len(parent.container)
            self.document.marks.setdefault((*parent.path, index), self.lines.mark(event.start_mark))
            parent.container.append(value)
        else:
            key = parent.pending_key
            assert key is not None  # a value always follows a key here
            parent.container[key] = value
            parent.pending_key = None


def _shown(text: str, limit: int = 60) -> str:
    """A value as a problem message quotes it: shortened, never multi-line."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _position_to_mark(text: str, position: int) -> Mark:
    """Line and column of a character offset; CR LF, LF and a lone CR each end a line."""
    before = _LINE_BREAK.split(text[:position])
    return Mark(len(before), len(before[-1]) + 1)


def _within(text: str, mark: Mark) -> Mark:
    """``mark``, or the end of the text when the parser points past it (``[`` at EOF)."""
    rows = _LINE_BREAK.split(text)
    if mark.line <= len(rows):
        return mark
    return Mark(len(rows), len(rows[-1]) + 1)


def _yaml_error(file: str, text: str, exc: yaml.YAMLError, lines: Lines) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    if isinstance(exc, yaml.reader.ReaderError):  # not reached: load_text looks first
        return Problem.error(file, Mark(1, 1), Code.ENCODING, str(exc).splitlines()[0])
    where = _within(text, lines.mark(mark))
    message = (
        " ".join(
            part for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part
        )
        or str(exc).splitlines()[0]
    )
    if "nesting depth" in message:  # libyaml's own limit on [[[[...
        message = f"nesting deeper than {MAX_DEPTH} levels; a data file never needs that"
        return Problem.error(file, where, Code.YAML_TOO_DEEP, message)
    if "flow" in message:
        message += " (is a '[' or '{' left open?)"
    lines_of_text = _LINE_BREAK.split(text)
    if (
        0 < where.line <= len(lines_of_text)
        and "\t" in lines_of_text[where.line - 1][: where.column]
    ):
        message += " (a tab: YAML allows only spaces for indentation)"
    code = Code.YAML_SYNTAX
    return Problem.error(file, where, code, message)


def load_text(text: str, file: str) -> LoadResult:
    """Parse ``text`` (already decoded) and return its document and its problems."""
    lines = Lines(text)
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        # Found here rather than by the parser: libyaml reports a byte offset, which
        # puts a control character after Hangul on the wrong line and column.
        where = _position_to_mark(text, bad.start())
        char = bad.group()
        message = (
            "NUL byte in file; is this a text file?"
            if char == "\0"
            else f"control character U+{ord(char):04X} is not allowed in YAML; remove it"
        )
        return LoadResult(None, [Problem.error(file, where, Code.ENCODING, message)])
    builder = _Builder(file, lines)
    try:
        for event in yaml.parse(text, Loader=_Parser):
            builder.feed(event)
    except _Stop as stop:
        problems = [*builder.problems, Problem.error(file, stop.mark, stop.code, stop.message)]
        return LoadResult(None, problems)
    except yaml.YAMLError as exc:
        return LoadResult(None, [*builder.problems, _yaml_error(file, text, exc, lines)])
    if builder.documents == 0 or builder.document.data is None:
        return LoadResult(
            None, [Problem.error(file, Mark(1, 1), Code.EMPTY_FILE, "the file holds no data")]
        )
    return LoadResult(builder.document, builder.problems)


def load_file(path: Path, display_name: str | None = None) -> LoadResult:
    """Read and parse one YAML file; size, encoding and I/O failures become problems."""
    file = display_name or str(path)

    def fail(code: Code, message: str, mark: Mark = Mark(1, 1)) -> LoadResult:
        return LoadResult(None, [Problem.error(file, mark, code, message)])

    try:
        raw = read_bytes(path)
    except InputError as exc:
        return fail(exc.code, exc.message)
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
