"""Write an output file so that nothing the user had is ever lost.

``--output FILE`` used to be ``Path.write_text``: a profile given as its own output was
replaced by the report, a write that failed half-way (disk full, ``ulimit -f``) left a
truncated file with the old content gone, and readers could see an empty file while it
was written. Here the text goes to a temporary file in the same folder, is flushed to
disk, and only then renamed over the target, which is atomic on POSIX: readers see the
old file or the new one, never part of one.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputError(Exception):
    """The output file cannot or must not be written; the message says why."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(target: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before any work, a target that is an input or not a regular file.

    Only an existing target can be the same file as an input (a hard link or symlink
    counts: the comparison is by device and inode).
    """
    try:
        info = target.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise OutputError(
            f"cannot write {target}: {what}; name a file, or leave out --output for stdout"
        )
    if not os.access(target, os.W_OK):
        raise OutputError(f"cannot write {target}: the file is read-only")
    for source in inputs:
        if _same_file(target, source):
            raise OutputError(
                f"cannot write {target}: it is the input {source}; choose another output file"
            )


def write_atomically(target: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    """Replace ``target`` with ``text`` (UTF-8) only once all of it is safely written.

    On any failure the temporary file is removed and ``target`` is as it was.
    """
    check_output(target, inputs)
    shown = target
    # Through a symlink, the file it points at is replaced, not the link: the link stays
    # (and /dev/stdout, a link, is never swapped for a file in /dev).
    target = Path(os.path.realpath(target))
    data = text.encode("utf-8")
    folder = target.parent
    try:
        mode = 0o666 & ~_umask()
        if target.exists():
            mode = stat.S_IMODE(target.stat().st_mode)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=folder or Path(".")
        )
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        _remove(temporary)
        raise OutputError(f"cannot write {shown}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(temporary)
        raise


def write_all_atomically(files: dict[Path, str], inputs: Iterable[Path] = ()) -> None:
    """Write many files, each whole or not at all, with one flush to disk for them all.

    For a batch of reports: one ``fsync`` per file cost more than making the reports.
    Every text goes to a temporary file beside its target; one ``os.sync`` flushes them
    all; then each replaces its target. On a failure before the renames no target has
    changed; a failure during the renames (rare: a rename in one folder does not fail
    for want of space) leaves each target either old or new, never partial.
    """
    inputs = list(inputs)
    for target in files:
        check_output(target, inputs)
    written: list[tuple[str, Path, Path]] = []
    try:
        for target, text in files.items():
            real = Path(os.path.realpath(target))
            mode = stat.S_IMODE(real.stat().st_mode) if real.exists() else 0o666 & ~_umask()
            handle, temporary = tempfile.mkstemp(
                prefix=f".{real.name}.", suffix=".tmp", dir=real.parent
            )
            written.append((temporary, real, target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(text.encode("utf-8"))
            os.chmod(temporary, mode)
        os.sync()
        for temporary, real, _shown in written:
            os.replace(temporary, real)
    except OSError as exc:
        failed = written[-1][2] if written else next(iter(files), Path("."))
        for temporary, _real, _shown in written:
            _remove(temporary)
        raise OutputError(f"cannot write {failed}: {exc.strerror or exc}") from None
    except BaseException:
        for temporary, _real, _shown in written:
            _remove(temporary)
        raise


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
