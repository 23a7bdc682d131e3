"""Check data folders and files: every problem, with its file, line, column and code.

This is what ``kpartner validate`` and CI run. It reuses the catalog's own reading and
checks: a file is parsed once, validated against its model, then the files of one folder
are checked against each other. A file named on its own is checked against its sibling
files (when they are sound), so a pre-commit hook that passes only the changed file
still catches a member id that the companies file does not have.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kpartner.catalog import FileKind, LoadedFile, loaded_documents, read_data_file
from kpartner.inputs import InputError, check_readable
from kpartner.problems import START, Code, Level, Problem
from kpartner.rules import cross_check


class PathNotFound(Exception):
    """A path given to validate does not exist: a usage error, not a data problem."""


@dataclass(frozen=True)
class ValidationReport:
    problems: list[Problem]
    files_checked: int

    @property
    def errors(self) -> int:
        return sum(problem.level is Level.ERROR for problem in self.problems)

    @property
    def warnings(self) -> int:
        return sum(problem.level is Level.WARNING for problem in self.problems)


def _files(paths: Iterable[Path]) -> list[Path]:
    """Each folder becomes its three data files (missing ones included, to be reported).

    A file named on its own must be readable: one that is not is a usage error, said in
    one line, like any other file a user names.
    """
    files: list[Path] = []
    for path in paths:
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                raise PathNotFound(f"no such file or folder: {path}") from None
            raise PathNotFound(f"cannot read {path}: {exc.strerror or exc}") from None
        if is_dir:
            if not os.access(path, os.R_OK | os.X_OK):
                raise PathNotFound(f"cannot read {path}: Permission denied")
            if not any(_exists(path / kind.file_name) for kind in FileKind):
                raise PathNotFound(
                    f"no kpartner data files in {path} "
                    "(expected sectors.yaml, projects.yaml and companies.yaml)"
                )
            files += [path / kind.file_name for kind in FileKind]
        else:
            try:
                check_readable(path)
            except InputError as exc:
                raise PathNotFound(f"cannot read {path}: {exc.message}") from None
            files.append(path)
    return list(dict.fromkeys(files))


def _exists(path: Path) -> bool:
    try:
        path.lstat()
    except OSError:
        return False
    return True


def validate_paths(
    paths: Iterable[Path], today: dt.date | None = None, max_age_days: int | None = None
) -> ValidationReport:
    """Every problem in the given folders and files, sorted by file, line and column."""
    files = _files(paths)
    by_folder: dict[Path, list[Path]] = {}
    for file in files:
        by_folder.setdefault(file.parent, []).append(file)
    problems: list[Problem] = []
    for folder, named in by_folder.items():
        problems += _check_folder(folder, named, today, max_age_days)
    problems.sort(key=Problem.sort_key)
    return ValidationReport(problems, len(files))


def _check_folder(
    folder: Path, named: list[Path], today: dt.date | None, max_age_days: int | None
) -> list[Problem]:
    """The named files of one folder, each checked against the others and its siblings.

    Two files of one kind (``projects.yaml`` and ``projects-2024.yaml``, as a pre-commit
    hook passes them) are each cross-checked, once each, against the files of the other
    kinds.
    """
    problems: list[Problem] = []
    named_files: list[LoadedFile] = []
    for path in named:
        file, file_problems = read_data_file(path)
        problems += file_problems
        if file is not None:
            named_files.append(file)
    base: dict[FileKind, LoadedFile] = {}
    for file in named_files:
        base.setdefault(file.kind, file)
    checked = set(base)
    for kind in FileKind:
        sibling = folder / kind.file_name
        if kind not in base and sibling not in named and _exists(sibling):
            file, _ = read_data_file(sibling, kind)  # its own problems are not reported here
            if file is not None:
                base[kind] = file
    # Cross-file problems are reported wherever they fall: renaming a company in
    # companies.yaml breaks the members that name it in projects.yaml.
    cross: dict[Problem, None] = {}
    variants: list[LoadedFile | None] = [*named_files] or [None]
    for file in variants:
        loaded = dict(base) if file is None else {**base, file.kind: file}
        found = cross_check(*loaded_documents(loaded), today=today, max_age_days=max_age_days)
        cross.update(dict.fromkeys(found))
    problems += cross
    problems += _alone(checked, base)
    return problems


def _alone(checked: set[FileKind], loaded: dict[FileKind, LoadedFile]) -> list[Problem]:
    """Say so when a file's references could not be checked for want of its siblings."""
    needs = {
        FileKind.PROJECTS: (FileKind.COMPANIES, FileKind.SECTORS),
        FileKind.COMPANIES: (FileKind.SECTORS,),
        FileKind.SECTORS: (),
    }
    problems = []
    for kind in sorted(checked):
        missing = [other for other in needs[kind] if other not in loaded]
        if missing:
            names = " and ".join(other.file_name for other in missing)
            problems.append(
                Problem.warning(
                    loaded[kind].document.file,
                    START,
                    Code.NOT_CROSS_CHECKED,
                    f"no sound {names} beside this file: its references to them were not checked",
                )
            )
    return problems
