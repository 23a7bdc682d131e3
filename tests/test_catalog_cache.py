"""The compiled catalog cache: same results warm or cold, damage ignored, races safe."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest

from kpartner.catalog import Catalog, load_catalog
from kpartner.catalog_cache import (
    DIGEST_SIZE,
    HEADER_SIZE,
    MAGIC,
    cache_dir,
    content_digest,
    load_catalog_cached,
)
from kpartner.matching import match

from .conftest import MINI, run


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture catalog, with a cache folder of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("KPARTNER_TODAY", "2022-06-01")
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    return data


def cache_files() -> list[Path]:
    return sorted(cache_dir().glob("catalog-*.pickle"))


def match_json(folder: Path) -> str:
    result = run("match", "--tech", "smart mobility", "--format", "json", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_warm_cache_gives_the_same_output(folder: Path) -> None:
    cold = match_json(folder)
    assert len(cache_files()) == 1
    assert cache_files()[0].read_bytes().startswith(MAGIC)
    assert match_json(folder) == cold


def test_the_cached_catalog_equals_a_fresh_one(folder: Path) -> None:
    load_catalog_cached(folder)
    warm = load_catalog_cached(folder)
    fresh = load_catalog(folder)
    assert warm.catalog is not None
    assert fresh.catalog is not None
    assert warm.problems == fresh.problems
    assert warm.catalog.companies == fresh.catalog.companies
    assert warm.catalog.projects == fresh.catalog.projects
    assert warm.catalog.data_dir == folder
    assert match(warm.catalog, tech=["drones"]) == match(fresh.catalog, tech=["drones"])


def test_an_edited_data_file_is_read_again(folder: Path) -> None:
    match_json(folder)
    path = folder / "companies.yaml"
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    # The same size and modification time: only the content check can tell. The cached
    # catalog passes the check of sizes and mtimes and is loaded, then discarded.
    path.write_text(text.replace("Acme IT", "Acme XY"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    for _ in range(2):  # rebuilt, then served from the cache rewritten for the new content
        result = load_catalog_cached(folder)
        assert result.catalog is not None
        names = {company.name for company in result.catalog.companies.values()}
        assert "Acme XY" in names
        assert "Acme IT" not in names
    assert result == load_catalog(folder)


def test_a_cache_made_for_other_content_is_not_served(folder: Path) -> None:
    """The stored content digest disagrees, sizes and mtimes agree: rebuilt from the files."""
    cold = match_json(folder)
    [path] = cache_files()
    whole = bytearray(path.read_bytes())
    digest_at = len(MAGIC) + 32
    whole[digest_at] ^= 0xFF
    path.write_bytes(bytes(whole))
    assert match_json(folder) == cold
    assert path.read_bytes()[digest_at] == whole[digest_at] ^ 0xFF  # written again


def test_the_content_digest_reads_in_chunks_and_sees_one_byte(tmp_path: Path) -> None:
    files = [tmp_path / name for name in ("a", "b", "empty")]
    files[0].write_bytes(bytes(range(256)) * 41)
    files[1].write_bytes(b"kpartner " * 1000)
    files[2].write_bytes(b"")
    whole = content_digest(files)
    assert whole is not None
    assert len(whole) == DIGEST_SIZE
    assert {content_digest(files, chunk) for chunk in (1, 7, 4096, 1 << 20)} == {whole}
    files[1].write_bytes(b"kpartner " * 999 + b"kpartneR ")
    assert content_digest(files) != whole
    assert content_digest([*files, tmp_path / "missing"]) is None


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a cache at all",
        MAGIC,
        MAGIC + b"\0" * 32 + b"\x80\x05garbage",
        b"\x80\x05\x95",
    ],
    ids=["empty", "foreign", "magic-only", "corrupt-pickle", "bare-pickle"],
)
def test_a_damaged_cache_is_rebuilt(folder: Path, damage: bytes) -> None:
    cold = match_json(folder)
    [path] = cache_files()
    path.write_bytes(damage)
    assert match_json(folder) == cold
    assert path.read_bytes().startswith(MAGIC)


def test_a_truncated_cache_is_rebuilt(folder: Path) -> None:
    cold = match_json(folder)
    [path] = cache_files()
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    assert match_json(folder) == cold
    assert path.read_bytes() == whole


def test_an_unusable_cache_folder_is_no_error(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    assert match_json(folder) == match_json(folder)
    assert blocker.read_text() == "a file where the cache folder should be"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_cache_file_is_ignored(folder: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root reads everything")
    cold = match_json(folder)
    [path] = cache_files()
    path.chmod(0)
    try:
        assert match_json(folder) == cold
    finally:
        path.chmod(0o600)


def test_concurrent_runs_all_succeed_and_agree(folder: Path) -> None:
    """Eight processes start on an empty cache at once: every one gets the whole result."""
    env = dict(os.environ)
    command = [
        sys.executable,
        "-m",
        "kpartner",
        "match",
        "--tech",
        "smart mobility",
        "--format",
        "json",
        "--data",
        str(folder),
    ]
    for _ in range(2):  # the first round races to write, the second to read while rewriting
        processes = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(8)
        ]
        outputs = [process.communicate() for process in processes]
        assert [process.returncode for process in processes] == [0] * 8, outputs[0][1]
        assert len({stdout for stdout, _ in outputs}) == 1
        for path in cache_files():
            path.write_bytes(path.read_bytes()[:100])  # damaged: the second round rebuilds
    assert outputs[0][0].decode() == match_json(folder)
    leftovers = [p.name for p in cache_dir().iterdir() if not p.name.endswith(".pickle")]
    assert leftovers == []


def test_cached_records_read_like_the_models(folder: Path) -> None:
    """Every field and every dump of a cached record is the validated record's."""
    load_catalog_cached(folder)
    warm = load_catalog_cached(folder).catalog
    fresh = load_catalog(folder).catalog
    assert warm is not None
    assert fresh is not None
    pairs = [
        *zip(warm.sectors.values(), fresh.sectors.values(), strict=True),
        *zip(warm.sourced_records(), fresh.sourced_records(), strict=True),
    ]
    for cached, record in pairs:
        assert type(cached).__name__ == type(record).__name__
        assert cached == record
        assert (cached != record) is False
        for mode in ("python", "json"):
            for exclude_none in (False, True):
                assert cached.model_dump(mode=mode, exclude_none=exclude_none) == (
                    record.model_dump(mode=mode, exclude_none=exclude_none)
                )
        for name in type(record).model_fields:
            assert getattr(cached, name) == getattr(record, name)

    def places(catalog: Catalog) -> dict[str, list[tuple[str, str, str | None, bool]]]:
        return {
            company: [(m.project.id, m.consortium.id, m.role, m.is_lead) for m in found]
            for company, found in catalog.memberships.items()
        }

    assert places(warm) == places(fresh)


def test_fields_no_ranking_reads_stay_packed_until_read(folder: Path) -> None:
    """A record's sources, notes and description lie pickled together in the cache file's
    area, one reference in each of their slots, read when one is: the rows shown read
    them, the ranking never does."""
    from kpartner.records import PACKED, Stored, packed_fields

    load_catalog_cached(folder)
    warm = load_catalog_cached(folder).catalog
    fresh = load_catalog(folder).catalog
    assert warm is not None
    assert fresh is not None
    assert "sources" in PACKED["Company"]
    seen = 0
    for company in warm.companies.values():
        twin: Any = company  # a twin, typed as the model it stands for
        names = type(twin).field_names
        packed = packed_fields("Company", names)
        assert "sources" in packed
        slots = {id(tuple.__getitem__(twin, names.index(name))) for name in packed}
        blob = tuple.__getitem__(twin, names.index("sources"))
        record = fresh.companies[company.id]
        if any(getattr(record, name) for name in packed):
            seen += 1
            assert type(blob) is Stored
            assert len(slots) == 1  # one reference, in every packed field's slot
        else:
            assert blob == []
        for name in names:
            assert getattr(company, name) == getattr(record, name)
    assert seen
    company = next(c for c in warm.companies.values() if c.sources)
    copied = company.model_copy(update={"name": "Renamed"})
    assert copied.sources == company.sources  # unpacked on copy, equal all the same
    assert copied != company


def test_looking_a_company_up_by_name_reads_no_packed_field(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``show NAME`` reads every company's names and aliases: none of them is packed."""
    from kpartner.records import Stored

    match_json(folder)
    unpacked: list[Stored] = []
    unpack = Stored.unpack

    def counted(self: Stored) -> tuple[Any, ...]:
        unpacked.append(self)
        return unpack(self)

    monkeypatch.setattr(Stored, "unpack", counted)
    result = run("show", "Nobody Named This", "--data", str(folder))
    assert result.exit_code != 0
    assert "Nobody Named This" in result.stderr
    assert unpacked == []


def test_a_catalog_let_go_closes_its_cache_file(folder: Path) -> None:
    """A loaded catalog keeps its cache file open for its packed fields, and no longer:
    nothing holds it in a cycle (which, frozen, would never be collected)."""
    from kpartner.records import Stored

    load_catalog_cached(folder)
    warm = load_catalog_cached(folder).catalog
    assert warm is not None
    stored = next(v for c in warm.companies.values() for v in c if type(v) is Stored)
    area = weakref.ref(stored[0])
    del warm, stored
    assert area() is None


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="lists open files on Linux")
def test_a_rebuild_keeps_no_old_cache_file_open(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache whose header fits but whose catalog is damaged is read no further and
    closed before it is replaced (Windows replaces no open file)."""
    cold = match_json(folder)
    [path] = cache_files()
    whole = bytearray(path.read_bytes())
    whole[HEADER_SIZE + 2 :] = b"\0" * (len(whole) - HEADER_SIZE - 2)  # same size, no catalog
    path.write_bytes(bytes(whole))
    fds = Path("/proc/self/fd")
    open_when_replaced: list[str] = []
    replace = os.replace

    def watched(source: Any, target: Any) -> None:
        opened = [os.readlink(fds / fd) for fd in os.listdir(fds) if (fds / fd).is_symlink()]
        open_when_replaced.extend(name for name in opened if path.name in name)
        replace(source, target)

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", watched)
        assert load_catalog_cached(folder).catalog is not None
    assert open_when_replaced == []
    assert path.read_bytes() != bytes(whole)  # written again
    assert match_json(folder) == cold


def test_a_damaged_area_is_rebuilt(folder: Path) -> None:
    """The packed fields' area, at the end of the file, is checked by its CRC-32."""
    cold = match_json(folder)
    [path] = cache_files()
    whole = bytearray(path.read_bytes())
    whole[-3] ^= 0xFF
    path.write_bytes(bytes(whole))
    assert match_json(folder) == cold
    assert path.read_bytes()[-3] == whole[-3] ^ 0xFF  # written again


@pytest.mark.skipif(sys.platform == "win32", reason="an open file is not replaced there")
def test_packed_fields_are_read_from_the_file_loaded(folder: Path) -> None:
    """Another run may replace the cache file while a catalog loaded from it is in use:
    its packed fields still come from the file it was loaded from."""
    load_catalog_cached(folder)
    warm = load_catalog_cached(folder).catalog
    fresh = load_catalog(folder).catalog
    assert warm is not None
    assert fresh is not None
    [path] = cache_files()
    replacement = path.with_name("replacement")
    replacement.write_bytes(b"another run's cache")
    os.replace(replacement, path)
    for company in warm.companies.values():
        record = fresh.companies[company.id]
        assert (company.sources, company.notes) == (record.sources, record.notes)
        assert company.model_dump(mode="json") == record.model_dump(mode="json")


def test_a_warm_run_builds_no_pydantic_model(folder: Path) -> None:
    """A catalog from the cache needs neither the YAML reader nor pydantic's models."""
    probe = (
        "import sys; from pathlib import Path\n"
        "from kpartner.catalog_cache import load_catalog_cached\n"
        f"assert load_catalog_cached(Path({str(folder)!r})).catalog is not None\n"
        "heavy = ('kpartner.models', 'yaml', 'kpartner.loader')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["['kpartner.loader', 'kpartner.models', 'yaml']", "[]"]
