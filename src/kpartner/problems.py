"""One record for everything that can be wrong with a data file.

Loader, schema checks and cross-file checks all return :class:`Problem` values;
they never print or exit. The CLI decides how to show them and which exit code
they mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """Stable problem codes: scripts and CI logs may rely on them."""

    FILE_MISSING = "file-missing"
    FILE_UNREADABLE = "file-unreadable"
    FILE_TOO_LARGE = "file-too-large"
    ENCODING = "encoding"
    CONTROL_CHARACTER = "control-character"
    EMPTY_FILE = "empty-file"
    YAML_SYNTAX = "yaml-syntax"
    YAML_TAG = "yaml-tag"
    YAML_TOO_DEEP = "yaml-too-deep"
    YAML_TOO_BIG = "yaml-too-big"
    DUPLICATE_KEY = "duplicate-key"
    TOP_LEVEL = "top-level"
    UNKNOWN_FIELD = "unknown-field"
    MISSING_FIELD = "missing-field"
    WRONG_TYPE = "wrong-type"
    BAD_VALUE = "bad-value"
    DUPLICATE_ID = "duplicate-id"
    UNKNOWN_REFERENCE = "unknown-reference"
    UNKNOWN_SECTOR = "unknown-sector"
    DUPLICATE_MEMBER = "duplicate-member"
    SYNONYM_CLASH = "synonym-clash"
    NO_SOURCES = "no-sources"
    FUTURE_DATE = "future-date"
    STALE = "stale"
    TOO_MANY_PROBLEMS = "too-many-problems"
    NOT_CROSS_CHECKED = "not-cross-checked"


class Place(Protocol):
    """A place in a file: the loader's ``Mark`` is one."""

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...


@dataclass(frozen=True, slots=True)
class At:
    """A place given by hand; ``START`` is a whole-file problem's place."""

    line: int
    column: int


START = At(1, 1)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong at one place of one file; ``line``/``column`` count from 1."""

    file: str
    line: int
    column: int
    level: Level
    code: Code
    message: str

    @classmethod
    def error(cls, file: str, at: Place, code: Code, message: str) -> Problem:
        return cls(file, at.line, at.column, Level.ERROR, code, message)

    @classmethod
    def warning(cls, file: str, at: Place, code: Code, message: str) -> Problem:
        return cls(file, at.line, at.column, Level.WARNING, code, message)

    @classmethod
    def too_many(
        cls,
        file: str,
        at: Place,
        limit: int,
        where: str = "in this file",
        level: Level = Level.ERROR,
    ) -> Problem:
        """The note that ends a file's list: an error when errors were cut off, a warning
        when only warnings were (a long list of old sources is no broken file)."""
        if level is Level.WARNING:
            said = f"listed the first {limit} warnings {where}; more follow once these are fixed"
        else:
            said = f"stopped after {limit} problems {where}; fix these and run again"
        return cls(file, at.line, at.column, level, Code.TOO_MANY_PROBLEMS, said)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.level} [{self.code}] {self.message}"


def has_errors(problems: list[Problem]) -> bool:
    return any(problem.level is Level.ERROR for problem in problems)
