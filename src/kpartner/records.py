"""Read-only twins of the pydantic records, for a catalog loaded from the compiled cache.

A warm run needs none of pydantic's validation, only the records' fields, yet building
pydantic's model classes costs it more than everything else it does (see the README's
performance section). So :mod:`kpartner.catalog_cache` stores each record as a *twin*: a
tuple of its field values whose class is named after the model and has one read-only
property per field. A twin reads like its model (``project.status``,
``source.model_dump(mode="json", exclude_none=True)``) and compares equal to it; a tuple
is also rebuilt by the unpickler without running any Python code, which keeps loading a
100k-company catalog fast.

The twin classes are made from the models' field lists when a cache is written and from
the cache itself when it is read, so they cannot fall out of step with :mod:`kpartner.models`
(a changed model changes the code fingerprint, and an old cache is never read).
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable
from enum import Enum
from operator import itemgetter
from typing import Any, ClassVar, Protocol

_CLASSES: dict[tuple[str, tuple[str, ...]], type[Twin]] = {}

# Fields no ranking reads, only the rows shown and the browse commands: a record's
# non-empty ones are pickled together into an area of bytes kept beside the catalog, and
# each of their slots holds the same ``Stored`` reference to it, unpacked when a field is
# read. On a 100k-company catalog with the shipped catalog's field sizes they are most of
# the cache's bytes, and a warm run reads only those of the rows it shows. (Not a
# company's aliases: looking a company up by name reads every company's.)
PACKED: dict[str, frozenset[str]] = {
    "Company": frozenset({"description", "notes", "sources"}),
    "Project": frozenset({"summary", "timeline", "sources", "notes"}),
    "Consortium": frozenset({"sources", "notes"}),
}


def packed_fields(model_name: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The model's packed fields, in field order: the order of a record's packed tuple."""
    packed = PACKED.get(model_name, frozenset())
    return tuple(name for name in fields if name in packed)


class Area(Protocol):
    """Where packed fields lie: bytes in memory, or a region of a cache file."""

    def read(self, offset: int, length: int) -> bytes: ...


class MemoryArea:
    """The packed fields of a catalog just compiled, in memory; written out verbatim as
    the cache file's area, so a ``Stored`` reference means the same in both."""

    def __init__(self) -> None:
        self.data = bytearray()

    def add(self, value: bytes) -> Stored:
        stored = Stored((self, len(self.data), len(value)))
        self.data += value
        return stored

    def read(self, offset: int, length: int) -> bytes:
        return bytes(self.data[offset : offset + length])


class Stored(tuple):  # type: ignore[type-arg]
    """``(area, offset, length)``: a record's packed fields, pickled as one tuple in its
    area. A tuple, so the unpickler rebuilds it without running Python code."""

    __slots__ = ()

    def unpack(self) -> tuple[Any, ...]:
        area, offset, length = self
        values: tuple[Any, ...] = pickle.loads(area.read(offset, length))
        return values


def _read_packed(index: int, position: int) -> Callable[[Twin], Any]:
    """The reader of the field in slot ``index``, ``position`` in the record's packed tuple."""

    def read(self: Twin) -> Any:
        value = tuple.__getitem__(self, index)
        return value.unpack()[position] if type(value) is Stored else value

    return read


class Twin(tuple):  # type: ignore[type-arg]
    """A record's field values, in the model's field order."""

    __slots__ = ()
    model_name: ClassVar[str] = ""
    field_names: ClassVar[tuple[str, ...]] = ()

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        """The fields as a dict, as pydantic's ``model_dump`` gives them (``mode="json"``:
        dates as ISO text, enums as their values)."""
        return {
            name: _dump(value, mode, exclude_none)
            for name, value in zip(self.field_names, self.values(), strict=True)
            if not (exclude_none and value is None)
        }

    def values(self) -> list[Any]:
        """The field values, packed ones unpacked (read once for the record: its packed
        slots hold one ``Stored``, whose tuple is in field order)."""
        slots = tuple.__iter__(self)
        stored = next((value for value in tuple.__iter__(self) if type(value) is Stored), None)
        if stored is None:
            return list(slots)
        unpacked = iter(stored.unpack())
        return [next(unpacked) if type(value) is Stored else value for value in slots]

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Twin:
        values = dict(zip(self.field_names, self.values(), strict=True)) | (update or {})
        return tuple.__new__(type(self), [values[name] for name in self.field_names])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Twin):
            if self.model_name != other.model_name:
                return False
            return tuple.__eq__(self, other) or self.values() == other.values()
        # A pydantic record of the same model: field by field (a nested record compares
        # through this method again, from the other side).
        if type(other).__name__ == self.model_name and hasattr(type(other), "model_fields"):
            return all(
                getattr(other, name) == value
                for name, value in zip(self.field_names, self.values(), strict=True)
            )
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{n}={v!r}" for n, v in zip(self.field_names, self.values(), strict=True)
        )
        return f"{self.model_name}({fields})"


def twin_class(name: str, fields: tuple[str, ...]) -> type[Twin]:
    """The twin class of the model ``name`` with ``fields``, made once per process."""
    key = (name, fields)
    found = _CLASSES.get(key)
    if found is None:
        namespace: dict[str, Any] = {
            "__slots__": (),
            "__module__": __name__,
            "model_name": name,
            "field_names": fields,
        }
        packed = packed_fields(name, fields)
        for index, field in enumerate(fields):
            if field in packed:
                namespace[field] = property(_read_packed(index, packed.index(field)))
            else:
                namespace[field] = property(itemgetter(index))
        found = _CLASSES[key] = type(name, (Twin,), namespace)
    return found


def _dump(value: Any, mode: str, exclude_none: bool) -> Any:
    if isinstance(value, Twin):
        return value.model_dump(mode=mode, exclude_none=exclude_none)
    if isinstance(value, list):
        return [_dump(item, mode, exclude_none) for item in value]
    if mode == "json":
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, dt.date):
            return value.isoformat()
    return value
