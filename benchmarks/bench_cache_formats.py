"""Measure the ways of keeping a compiled catalog, to choose the cache's format.

    python benchmarks/bench_cache_formats.py 100000   # companies (default 10000)

Each format is loaded in a fresh process (``python -c``), so the time includes the imports
the format needs (pydantic's model classes for pydantic records). The candidates:

* **pickle, pydantic records**: the validated objects as they are;
* **pickle, twins**: what the cache stores (``kpartner.records``; equal values shared),
  with the indexes built before writing (terms, taxonomy, latest news) and the kpartner
  modules their classes live in, which the others do not include;
* **marshal / JSON, plain data**: the records as nested lists, without the objects a
  ranking reads; a lower bound for any format that must still build those objects.

msgspec would decode into its own ``Struct`` classes, a third definition of every record
(beside the pydantic models and the twins) and a new dependency, for a load no faster
than unpickling tuples, which already runs in C. This measures; it asserts nothing.
"""

from __future__ import annotations

import json
import marshal
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from bench_match import generate
from bench_targets import machine
from kpartner.catalog import CatalogResult, load_catalog
from kpartner.catalog_cache import _Compiler, _index, _TwinPickler

# Each with the cycle collector paused, as the cache loads (it found nothing and took most
# of the time for every format).
LOAD = {
    "pickle, pydantic records": "import pickle; pickle.load(open({path!r}, 'rb'))",
    "pickle, twins (the cache)": "import pickle; pickle.load(open({path!r}, 'rb'))",
    "marshal, plain data": "import marshal; marshal.load(open({path!r}, 'rb'))",
    "JSON, plain data": "import json; json.load(open({path!r}, 'rb'))",
}
PAUSED = "import gc; gc.disable(); "


def plain(value: Any) -> Any:
    """A record as nested lists of strings and numbers, field by field."""
    if hasattr(value, "model_dump"):
        return [plain(getattr(value, name)) for name in type(value).model_fields]
    if isinstance(value, list):
        return [plain(item) for item in value]
    if type(value) in (str, int, float, bool) or value is None:
        return value
    return str(value)  # an enum's value, a date in ISO form


def timed(code: str, repeat: int = 3) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(size: int) -> None:
    print(f"# cache formats, {size} companies — {machine()}")
    print("# fresh process each, median of 3; 'python' is the interpreter starting alone")
    print()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "data").mkdir()
        generate(root / "data", size)
        result = load_catalog(root / "data")
        assert result.catalog is not None
        catalog = result.catalog
        records = [
            [plain(s) for s in catalog.sectors.values()],
            [plain(p) for p in catalog.projects.values()],
            [plain(c) for c in catalog.companies.values()],
        ]
        paths = {name: root / f"{n}.bin" for n, name in enumerate(LOAD)}
        names = list(LOAD)
        with paths[names[0]].open("wb") as file:
            pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
        compiled = _Compiler().catalog(catalog)
        _index(compiled)
        with paths[names[1]].open("wb") as file:
            _TwinPickler(file).dump(CatalogResult(compiled, result.problems))
        paths[names[2]].write_bytes(marshal.dumps(records))
        paths[names[3]].write_text(json.dumps(records), encoding="utf-8")
        base = timed("pass")
        print("| format | size | load, fresh process |")
        print("|---|---:|---:|")
        print(f"| python | | {base:.3f} s |")
        for name, code in LOAD.items():
            megabytes = paths[name].stat().st_size / 1e6
            seconds = timed(PAUSED + code.format(path=str(paths[name])))
            print(f"| {name} | {megabytes:.0f} MB | {seconds:.3f} s |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
