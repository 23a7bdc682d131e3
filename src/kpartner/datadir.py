"""Which data folder is in use: ``--data``, then ``KPARTNER_DATA``, then the shipped data."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "KPARTNER_DATA"


class DataDirError(Exception):
    """The data folder named by the user does not exist or is not a folder."""


def shipped_data_dir() -> Path:
    """The data that came with kpartner.

    An installed wheel carries it as ``kpartner/data``; an editable install from a
    checkout reads the repository's ``data/`` folder directly.
    """
    packaged = Path(__file__).resolve().parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def resolve_data_dir(option: Path | None, environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if option is not None:
        folder, origin = option, "--data"
    elif environ.get(ENV_VAR):
        folder, origin = Path(environ[ENV_VAR]), ENV_VAR
    else:
        folder, origin = shipped_data_dir(), "shipped data"
    try:
        mode = folder.stat().st_mode
    except FileNotFoundError:
        raise DataDirError(f"{origin}: no such folder: {folder}") from None
    except OSError as exc:
        raise DataDirError(f"{origin}: cannot read {folder}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(mode):
        raise DataDirError(f"{origin}: not a folder: {folder}")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise DataDirError(f"{origin}: folder is not readable: {folder}")
    return folder
