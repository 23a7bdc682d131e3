"""Open a file a user named, for reading, without hanging or running out of memory.

Only regular files are read. A FIFO would block ``open()`` until a writer comes (it
never does); ``/dev/zero`` reports a size of 0 and then never ends; a socket cannot be
read at all. So the file is opened without blocking, checked to be a regular file, and
read only up to the size limit, whatever ``st_size`` claimed.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the problem codes load with the first error: a run reading no file
    # through here (a catalog from the compiled cache) never needs them
    from kpartner.problems import Code

# A 100,000-company export with descriptions, notes and sources is about 110 MB.
MAX_FILE_BYTES = 256 * 1024 * 1024
_CHUNK = 1024 * 1024


class InputError(Exception):
    """A named file cannot be read; ``code`` says which way, the message why."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "is not a regular file"


def _reason(exc: OSError) -> InputError:
    from kpartner.problems import Code

    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return InputError(Code.FILE_MISSING, "no such file")
    if exc.errno == errno.EISDIR:
        return InputError(Code.FILE_UNREADABLE, "is a folder, not a file")
    if exc.errno == errno.ELOOP:
        return InputError(Code.FILE_UNREADABLE, "too many levels of symbolic links")
    return InputError(Code.FILE_UNREADABLE, str(exc.strerror or exc))


def _open(path: Path) -> int:
    """Open without blocking (a FIFO must not hang us) and without taking a terminal."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        return os.open(path, flags)
    except OSError as exc:
        raise _reason(exc) from None


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The content of the regular file ``path``, at most ``limit`` bytes of it.

    Raises :class:`InputError` for a missing, unreadable, non-regular or too large file.
    """
    from kpartner.problems import Code

    handle = _open(path)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(Code.FILE_UNREADABLE, _kind_of(info.st_mode))
        if info.st_size > limit:
            raise InputError(
                Code.FILE_TOO_LARGE, f"file is {info.st_size:,} bytes; the limit is {limit:,}"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(handle, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # the file grew, or st_size lied
                raise InputError(
                    Code.FILE_TOO_LARGE, f"file is larger than the limit of {limit:,} bytes"
                )
        return b"".join(chunks)
    except OSError as exc:
        raise _reason(exc) from None
    finally:
        os.close(handle)


def check_readable(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file that can be opened."""
    handle = _open(path)
    try:
        mode = os.fstat(handle).st_mode
    finally:
        os.close(handle)
    if not stat.S_ISREG(mode):
        from kpartner.problems import Code

        raise InputError(Code.FILE_UNREADABLE, _kind_of(mode))
