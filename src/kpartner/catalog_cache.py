"""The compiled catalog: a validated, indexed catalog kept on disk between runs.

Reading a catalog means parsing YAML, validating every record and cross-checking the
files; on 10k companies that is seconds, repeated on every run of an unchanged folder.
``load_catalog_cached`` keeps the result in the user's cache folder and loads it back
when nothing it depends on has changed:

* every data file's size, modification time and content checksum (CRC-32);
* kpartner's modules (an edited source or another installed version changes their sizes
  and modification times), and the versions of Python and pydantic (read from pydantic's
  files, without importing it);
* the folder as given (problems name files the way the user wrote them), the date the
  checks ran against, and the age limit.

The cache file starts with a key made from everything but the files' content, then the
content digest it was made for. A run checks the key first (no file is read for it),
then unpickles the catalog while a thread reads the data files and works out their
CRC-32s (reading and CRC-32 release the GIL, so on two cores the check costs almost
nothing beside unpickling); only when the digests agree is the catalog served. A file
changed with its size and mtime kept is read afresh, whatever was loaded discarded.

The cached form is a pickle of the ``CatalogResult`` whose records are
:mod:`kpartner.records` twins: tuples of field values under the model's name, rebuilt by
the unpickler without running Python code and without importing pydantic; equal values
are stored once; and the indexes every query needs (terms, taxonomy, each project's latest
news) are built before it is written. A record's fields no ranking reads (sources,
notes, descriptions) are kept as one pickled ``bytes`` object until a row shown reads
them. Building pydantic's model classes would cost a warm
run more than everything else it does, and rebuilding pydantic records one
``__setstate__`` at a time made loading 100k companies take seconds (the README's
performance section has the measurements that chose this format over pickled pydantic
records, JSON and marshal). After loading, the objects are
moved out of the cycle collector's reach (``gc.freeze``): a catalog is millions of objects
that live as long as the run, and collecting them over and over found nothing.

A cache file that is missing, truncated, corrupt,
written by something else or unreadable is ignored and rebuilt: the cache can slow a run
down, never break one. Writes go to a temporary file renamed into place, so concurrent
runs each see a whole file or none. Only sound catalogs are kept; a folder with errors
is read afresh every time, so its errors are always reported from the files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import importlib.util
import io
import os
import pickle
import sys
import tempfile
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISREG
from typing import IO, Any

from kpartner.catalog import Catalog, CatalogResult, data_files, load_catalog
from kpartner.inputs import MAX_FILE_BYTES
from kpartner.records import Twin, packed_fields, twin_class

MAGIC = b"kpartner-catalog-cache 4\n"
DIGEST_SIZE = 16  # the data files' content digest, in the cache file after the key
CHUNK = 1 << 20  # how much of a data file its checksum reads at a time
ENV_DISABLE = "KPARTNER_NO_CACHE"


def cache_dir() -> Path:
    """The user's cache folder for kpartner: ``$XDG_CACHE_HOME/kpartner`` and the
    platform's usual place otherwise (``~/.cache``, ``~/Library/Caches``, ``%LOCALAPPDATA%``)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        base = Path(xdg)
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path.home() / ".cache"
    return base / "kpartner"


def _code_fingerprint() -> tuple[Any, ...]:
    from kpartner import __file__ as package_init

    files = sorted(Path(package_init).parent.glob("*.py"))
    # pydantic's own version file, stat'ed: importing pydantic is what a warm run avoids.
    spec = importlib.util.find_spec("pydantic")
    if spec is not None and spec.origin:
        files.append(Path(spec.origin).parent / "version.py")
    modules = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        modules.append((str(path), stat.st_size, stat.st_mtime_ns))
    return (sys.version, tuple(modules))


def cache_key(data_dir: Path, today: dt.date, max_age_days: int | None) -> bytes | None:
    """What the cached catalog depends on, but the data files' content, as a digest; None
    when a data file is not a regular file of a sane size (then there is nothing to cache).
    Their content is :func:`content_digest`'s: the cache file keeps both."""
    digest = hashlib.blake2b(digest_size=32)
    parts: list[Any] = [str(data_dir), today.isoformat(), max_age_days, _code_fingerprint()]
    for path in data_files(data_dir):
        try:
            stat = path.stat()
        except OSError:
            return None
        if not S_ISREG(stat.st_mode) or stat.st_size > MAX_FILE_BYTES:
            return None  # a FIFO, a device, a huge file: the loader reports it
        parts.append((path.name, stat.st_size, stat.st_mtime_ns))
    digest.update(repr(parts).encode("utf-8", "surrogatepass"))
    return digest.digest()


def content_digest(paths: list[Path], chunk: int = CHUNK) -> bytes | None:
    """The files' CRC-32s, as a digest; None when one cannot be read.

    CRC-32 beside size and mtime catches an edit that keeps both (a copy over the file,
    a clock set back) at four times BLAKE2b's speed, and a change check needs no defence
    against forgery: the cache is the user's own. The files are read ``chunk`` bytes at a
    time into one buffer: no copy of a 100 MB file is ever held whole."""
    buffer = bytearray(chunk)
    view = memoryview(buffer)
    crcs = []
    for path in paths:
        crc = 0
        try:
            with path.open("rb", buffering=0) as file:
                while size := file.readinto(buffer):
                    crc = zlib.crc32(view[:size], crc)
        except OSError:
            return None
        crcs.append(crc)
    return hashlib.blake2b(repr(crcs).encode(), digest_size=DIGEST_SIZE).digest()


class _Checksum:
    """:func:`content_digest` worked out in a thread while the main one loads the cache.
    Reading a file and CRC-32 over more than a few kilobytes release the GIL, so on a
    machine with two cores the check costs a warm run almost nothing beside unpickling
    (which holds the GIL)."""

    def __init__(self, paths: list[Path]) -> None:
        self._paths = paths
        self._digest: bytes | None = None
        self._thread: threading.Thread | None = threading.Thread(
            target=self._run, name="kpartner-checksum", daemon=True
        )
        try:
            self._thread.start()
        except RuntimeError:  # no thread to be had: worked out when asked
            self._thread = None

    def _run(self) -> None:
        self._digest = content_digest(self._paths)

    def result(self) -> bytes | None:
        if self._thread is None:
            return content_digest(self._paths)
        self._thread.join()
        return self._digest


def _cache_file(data_dir: Path) -> Path:
    try:
        where = str(data_dir.resolve())
    except OSError:
        where = str(data_dir.absolute())
    name = hashlib.blake2b(f"{data_dir}\0{where}".encode("utf-8", "surrogatepass"), digest_size=16)
    return cache_dir() / f"catalog-{name.hexdigest()}.pickle"


def _read(path: Path, key: bytes) -> tuple[bytes, CatalogResult] | None:
    """The content digest ``path`` was made for, and its catalog, if ``path`` holds one
    made for ``key``; None for anything else."""
    try:
        with path.open("rb") as file:
            if file.read(len(MAGIC)) != MAGIC or file.read(len(key)) != key:
                return None
            content = file.read(DIGEST_SIZE)
            result = pickle.load(file)
    except Exception:
        return None
    if not isinstance(result, CatalogResult) or result.catalog is None:
        return None
    return content, result


def _write(path: Path, key: bytes, content: bytes, result: CatalogResult) -> None:
    """Write atomically; a failure (read-only home, disk full) only costs the cache."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a pickle runs code: ours only
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(MAGIC)
            file.write(key)
            file.write(content)
            _TwinPickler(file).dump(result)
        os.replace(temporary, path)
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


class _TwinPickler(pickle.Pickler):
    """Writes a twin class as a call to ``twin_class`` (a twin itself is a tuple: the
    unpickler rebuilds it in C), and a slotted dataclass through its constructor."""

    def __init__(self, file: IO[bytes]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, type) and issubclass(obj, Twin):
            return twin_class, (obj.model_name, obj.field_names)
        cls = type(obj)
        if "__slots__" in cls.__dict__ and dataclasses.is_dataclass(cls) and _by_init(cls):
            # A slotted dataclass's own unpickling runs __setstate__ and fields() for
            # every object; its constructor is quicker.
            return cls, tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))
        return NotImplemented


class _Compiler:
    """Turns validated records into twins. Equal dates and equal records without lists
    (a source several records cite, a member) become one shared object, and every empty
    list the same empty list: a catalog is read, never changed, and a 100k-company one is
    millions of objects, each rebuilt on every run."""

    def __init__(self) -> None:
        from pydantic import BaseModel  # loaded already: the catalog was just validated

        self._model = BaseModel
        self._shared: dict[Any, Any] = {}
        self._empty: list[Any] = []
        self._types: dict[type, type[Twin]] = {}

    def __call__(self, value: Any) -> Any:
        kind = type(value)
        if kind is str or value is None or kind is int or kind is float or kind is bool:
            return value
        if kind is list:
            return [self(item) for item in value] if value else self._empty
        if isinstance(value, self._model):
            twin_type = self._types.get(kind)
            if twin_type is None:
                twin_type = self._types[kind] = twin_class(kind.__name__, tuple(kind.model_fields))
            fields = value.__dict__
            names = twin_type.field_names
            packed = packed_fields(twin_type.model_name, names)
            values = {name: self(fields[name]) for name in names}
            kept = tuple(values[name] for name in packed)
            if any(kept):  # one blob for all of them, in each of their slots
                values.update(dict.fromkeys(packed, self._pickled(kept)))
            twin = tuple.__new__(twin_type, [values[name] for name in names])
            with contextlib.suppress(TypeError):  # a field holds a list: not shared
                twin = self._shared.setdefault((twin_type, twin), twin)
            return twin
        if kind is dt.date:
            return self._shared.setdefault(value, value)
        return value

    @staticmethod
    def _pickled(value: tuple[Any, ...]) -> bytes:
        """A record's packed fields as plain ``bytes``, which the unpickler rebuilds
        with one copy (a bytes subclass costs it a constructor call as well)."""
        buffer = io.BytesIO()
        _TwinPickler(buffer).dump(value)
        return buffer.getvalue()

    def catalog(self, catalog: Catalog) -> Catalog:
        return Catalog(
            sectors={key: self(sector) for key, sector in catalog.sectors.items()},
            projects={key: self(project) for key, project in catalog.projects.items()},
            companies={key: self(company) for key, company in catalog.companies.items()},
            data_dir=catalog.data_dir,
        )


@functools.cache
def _by_init(cls: type) -> bool:
    return all(f.init for f in dataclasses.fields(cls)) and "__reduce__" not in cls.__dict__


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading allocates millions of objects and frees almost none: the cycle collector,
    run on every few hundred allocations, found nothing and cost over half the time.
    Afterwards they are frozen (kept out of later collections) for the same reason."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def load_catalog_cached(
    data_dir: Path, today: dt.date | None = None, max_age_days: int | None = None
) -> CatalogResult:
    """``load_catalog``, from the compiled cache when the folder is unchanged."""
    with _collector_paused():
        return _load(data_dir, today, max_age_days)


def _load(data_dir: Path, today: dt.date | None, max_age_days: int | None) -> CatalogResult:
    if os.environ.get(ENV_DISABLE, "").strip() not in ("", "0"):
        return load_catalog(data_dir, today=today, max_age_days=max_age_days)
    day = today or dt.date.today()
    key = cache_key(data_dir, day, max_age_days)
    if key is None:
        return load_catalog(data_dir, today=today, max_age_days=max_age_days)
    files = data_files(data_dir)
    checksum = _Checksum(files)  # sizes and mtimes agree: the content is checked meanwhile
    path = _cache_file(data_dir)
    found = _read(path, key)
    content = checksum.result()
    if content is None:  # a file could not be read: the loader reports it
        return load_catalog(data_dir, today=today, max_age_days=max_age_days)
    if found is not None and found[0] == content:
        cached = found[1]
        assert cached.catalog is not None
        object.__setattr__(cached.catalog, "data_dir", data_dir)
        return cached
    # A file changed and kept its size and mtime: what was loaded is never served.
    found = None
    result = load_catalog(data_dir, today=day, max_age_days=max_age_days)
    # Written only if the files did not change while they were read.
    unchanged = cache_key(data_dir, day, max_age_days) == key and content_digest(files) == content
    if result.catalog is not None and unchanged:
        # This run goes on with the compiled catalog too: a cold run works on exactly
        # what a warm one loads, and its indexes are built already.
        result = CatalogResult(_Compiler().catalog(result.catalog), result.problems)
        assert result.catalog is not None
        _index(result.catalog)
        _write(path, key, content, result)
    return result


def _index(catalog: Catalog) -> None:
    """Work out what every query needs and no query changes, so that it is cached too:
    the term index, the taxonomy, the date of each project's latest news, the date of
    the data and the sectors it names. (Not the teams: a ranking builds the few it needs,
    faster than loading them all.) Their owners keep them in
    ``catalog.derived``."""
    from kpartner.matching import data_as_of, unlisted
    from kpartner.query import Query, term_index
    from kpartner.ranking import Scorer

    term_index(catalog)
    data_as_of(catalog)
    unlisted(catalog, Query((), ()))
    scorer = Scorer(catalog, Query((), ()))
    scorer.idf  # noqa: B018 - computed and kept with the catalog
    for project in catalog.projects.values():
        scorer.years_since_news(project)
