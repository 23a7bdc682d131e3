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

A cache file holds, in order: a header (a key made from everything but the files'
content, the content digest it was made for, the sizes of what follows and the CRC-32
of the area), the pickled catalog, and the area of packed fields. A run checks the key
first (no data file is read for it), then unpickles the catalog while a thread reads the
data files and the area and works out their CRC-32s (reading and CRC-32 release the GIL,
so on two cores the checks cost little beside unpickling); only when both agree is the
catalog served. A file changed with its size and mtime kept is read afresh, whatever was
loaded discarded.

The cached form is a pickle of the ``CatalogResult`` whose records are
:mod:`kpartner.records` twins: tuples of field values under the model's name, rebuilt by
the unpickler without running Python code and without importing pydantic; equal values
are stored once; and the indexes every query needs (terms, taxonomy, each project's latest
news) are built before it is written. A record's fields no ranking reads (sources, notes,
descriptions) are pickled together into the area; the record holds where
(:class:`kpartner.records.Stored`), and they are read from the file, kept open, when a row
shown reads them: most of a 100k-company cache is never read by a query. Building
pydantic's model classes would cost a warm run more than everything else it does, and
rebuilding pydantic records one ``__setstate__`` at a time made loading 100k companies
take seconds (the README's performance section has the measurements that chose this
format over pickled pydantic records, JSON and marshal). After loading, the objects are
moved out of the cycle collector's reach (``gc.freeze``): a catalog is millions of objects
that live as long as the run, and collecting them over and over found nothing.

A cache file that is missing, truncated, corrupt, written by something else or
unreadable is ignored and rebuilt: the cache can slow a run down, never break one. Writes
go to a temporary file renamed into place, so concurrent runs each see a whole file or
none, and a run reading packed fields keeps reading the file it loaded. Only sound
catalogs are kept; a folder with errors is read afresh every time, so its errors are
always reported from the files.
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
import struct
import sys
import tempfile
import threading
import weakref
import zlib
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISREG
from typing import IO, Any

from kpartner.catalog import Catalog, CatalogResult, data_files, load_catalog
from kpartner.inputs import MAX_FILE_BYTES
from kpartner.records import Area, MemoryArea, Twin, packed_fields, twin_class

MAGIC = b"kpartner-catalog-cache 5\n"
KEY_SIZE = 32
DIGEST_SIZE = 16  # the data files' content digest, in the cache file after the key
# Then the sizes of the pickled catalog and of the packed fields' area, and the area's CRC-32.
SIZES = struct.Struct(">QQI")
HEADER_SIZE = len(MAGIC) + KEY_SIZE + DIGEST_SIZE + SIZES.size
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
    digest = hashlib.blake2b(digest_size=KEY_SIZE)
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
    against forgery: the cache is the user's own."""
    crcs = []
    for path in paths:
        try:
            with path.open("rb", buffering=0) as file:
                crcs.append(_crc(file, 0, MAX_FILE_BYTES + 1, chunk))
        except OSError:
            return None
    return hashlib.blake2b(repr(crcs).encode(), digest_size=DIGEST_SIZE).digest()


def _crc(file: io.BufferedReader | io.FileIO, start: int, length: int, chunk: int = CHUNK) -> int:
    """CRC-32 of ``length`` bytes of ``file`` from ``start`` (fewer at its end), read
    ``chunk`` bytes at a time into one buffer: no copy of a 100 MB file is held whole."""
    buffer = bytearray(min(chunk, length))
    view = memoryview(buffer)
    crc = 0
    file.seek(start)
    while length > 0:
        size = file.readinto(view[: min(chunk, length)])
        if not size:
            break
        crc = zlib.crc32(view[:size], crc)
        length -= size
    return crc


class FileArea:
    """The packed fields of a catalog loaded from a cache file, read from that file when
    a field is. It keeps the file open: a run that replaces the cache file meanwhile
    makes a new one, and this one still reads the file it loaded."""

    def __init__(self, file: io.BufferedReader, start: int, size: int) -> None:
        self._file = file
        self._start = start
        self._size = size
        self._lock = threading.Lock()  # a seek and a read, one reader at a time
        weakref.finalize(self, file.close)  # closed with the last record that reads it

    def read(self, offset: int, length: int) -> bytes:
        if offset < 0 or length < 0 or offset + length > self._size:
            raise pickle.UnpicklingError("a packed field outside the cache file's area")
        with self._lock:
            self._file.seek(self._start + offset)
            data = self._file.read(length)
        if len(data) != length:
            raise pickle.UnpicklingError("the cache file's area was cut short")
        return data

    def crc(self) -> int:
        with self._lock:
            return _crc(self._file, self._start, self._size)


@dataclasses.dataclass(frozen=True)
class _Header:
    raw: bytes
    content: bytes
    catalog_size: int
    area: FileArea
    area_crc: int


def _header(path: Path, key: bytes) -> _Header | None:
    """The header of the cache file at ``path`` if it was made for ``key`` and is whole,
    with its packed fields' area open for reading; None for anything else."""
    try:
        file = path.open("rb")
    except OSError:
        return None
    try:
        header = file.read(HEADER_SIZE)
        if len(header) != HEADER_SIZE or not header.startswith(MAGIC + key):
            raise ValueError("not a cache for this key")
        content = header[len(MAGIC) + KEY_SIZE : len(MAGIC) + KEY_SIZE + DIGEST_SIZE]
        catalog_size, area_size, area_crc = SIZES.unpack(header[-SIZES.size :])
        if os.fstat(file.fileno()).st_size != HEADER_SIZE + catalog_size + area_size:
            raise ValueError("truncated or grown")
    except Exception:
        file.close()
        return None
    area = FileArea(file, HEADER_SIZE + catalog_size, area_size)
    return _Header(header, content, catalog_size, area, area_crc)


class _Checks:
    """What a cached catalog is checked against, worked out in a thread while the main
    one unpickles it: the data files' :func:`content_digest`, and whether the cache
    file's area still has the CRC-32 it was written with. Reading a file and CRC-32 over
    more than a few kilobytes release the GIL, so on a machine with two cores the checks
    cost a warm run little beside unpickling (which holds the GIL)."""

    def __init__(self, files: list[Path], header: _Header | None) -> None:
        self._files = files
        self._header = header
        self._found: tuple[bytes | None, bool] = (None, False)
        self._thread: threading.Thread | None = threading.Thread(
            target=self._run, name="kpartner-checksum", daemon=True
        )
        try:
            self._thread.start()
        except RuntimeError:  # no thread to be had: worked out when asked
            self._thread = None

    def _run(self) -> None:
        self._found = self._work()

    def _work(self) -> tuple[bytes | None, bool]:
        content = content_digest(self._files)
        header = self._header
        try:
            area_sound = header is not None and header.area.crc() == header.area_crc
        except OSError:
            area_sound = False
        return content, area_sound

    def result(self) -> tuple[bytes | None, bool]:
        """The data files' content digest (None if one cannot be read), and whether the
        cache file's area is sound."""
        if self._thread is not None:
            self._thread.join()
        found = self._found if self._thread is not None else self._work()
        self._header = None  # nor keeps the cache file open: a rebuild replaces it
        return found


def _cache_file(data_dir: Path) -> Path:
    try:
        where = str(data_dir.resolve())
    except OSError:
        where = str(data_dir.absolute())
    name = hashlib.blake2b(f"{data_dir}\0{where}".encode("utf-8", "surrogatepass"), digest_size=16)
    return cache_dir() / f"catalog-{name.hexdigest()}.pickle"


def _this_area() -> Area:
    """Stands in a cache file for the area its packed fields lie in: ``_Unpickler``
    gives the area of the file it reads."""
    raise pickle.UnpicklingError("packed fields are read with the cache file they lie in")


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], area: Area) -> None:
        super().__init__(file)
        self._area = area

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == _this_area.__name__:
            area = self._area  # not self: the unpickler keeps what it returns in its memo
            return lambda: area
        return super().find_class(module, name)


def _unpickle(path: Path, header: _Header) -> CatalogResult | None:
    """The catalog in the cache file at ``path``; None if it is not one."""
    try:
        with path.open("rb") as file:
            if file.read(HEADER_SIZE) != header.raw:
                return None  # replaced since its header was read
            result = _Unpickler(file, header.area).load()
            if file.tell() != HEADER_SIZE + header.catalog_size:
                return None
    except Exception:
        return None
    if not isinstance(result, CatalogResult) or result.catalog is None:
        return None
    return result


def _write(path: Path, key: bytes, content: bytes, result: CatalogResult, area: bytearray) -> None:
    """Write atomically; a failure (read-only home, disk full) only costs the cache."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # a pickle runs code: ours only
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")
    except OSError:
        return
    try:
        catalog = io.BytesIO()
        _TwinPickler(catalog).dump(result)
        with os.fdopen(fd, "wb") as file:
            file.write(MAGIC)
            file.write(key)
            file.write(content)
            file.write(SIZES.pack(catalog.tell(), len(area), zlib.crc32(area)))
            file.write(catalog.getbuffer())
            file.write(area)
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
        if isinstance(obj, MemoryArea):
            return _this_area, ()
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
        self.area = MemoryArea()

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
            if any(kept):  # pickled together, one reference in each of their slots
                values.update(dict.fromkeys(packed, self.area.add(self._pickled(kept))))
            twin = tuple.__new__(twin_type, [values[name] for name in names])
            with contextlib.suppress(TypeError):  # a field holds a list: not shared
                twin = self._shared.setdefault((twin_type, twin), twin)
            return twin
        if kind is dt.date:
            return self._shared.setdefault(value, value)
        return value

    @staticmethod
    def _pickled(value: tuple[Any, ...]) -> bytes:
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
    path = _cache_file(data_dir)
    header = _header(path, key)  # sizes and mtimes agree: the content is checked meanwhile
    checks = _Checks(files, header)
    cached = _unpickle(path, header) if header is not None else None
    content, area_sound = checks.result()
    if content is None:  # a file could not be read: the loader reports it
        return load_catalog(data_dir, today=today, max_age_days=max_age_days)
    if cached is not None and header is not None and header.content == content and area_sound:
        assert cached.catalog is not None
        object.__setattr__(cached.catalog, "data_dir", data_dir)
        return cached
    # A file changed and kept its size and mtime, or the cache file is damaged: what was
    # loaded is never served.
    cached = header = None
    result = load_catalog(data_dir, today=day, max_age_days=max_age_days)
    # Written only if the files did not change while they were read.
    unchanged = cache_key(data_dir, day, max_age_days) == key and content_digest(files) == content
    if result.catalog is not None and unchanged:
        # This run goes on with the compiled catalog too: a cold run works on exactly
        # what a warm one loads, and its indexes are built already.
        compiler = _Compiler()
        result = CatalogResult(compiler.catalog(result.catalog), result.problems)
        assert result.catalog is not None
        _index(result.catalog)
        _write(path, key, content, result, compiler.area.data)
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
