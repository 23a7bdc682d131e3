"""The hostile-input corpus (fixtures/hostile/cases.yaml) through the real command line.

Each case runs ``python -m kpartner`` in a fresh process, because what is tested is what
a process does: its output encoding, a full disk, a closed pipe, a file-size limit, a
FIFO that would block ``open()``. Every case must finish in time, show no traceback,
never exit 4, and write no raw control character; then its own expectations hold.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import FIXTURES, MINI

HOSTILE = FIXTURES / "hostile"
CASES: dict[str, dict[str, Any]] = yaml.safe_load(
    (HOSTILE / "cases.yaml").read_text(encoding="utf-8")
)
SRC = Path(__file__).resolve().parent.parent / "src"
TIMEOUT = 60
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
MANY_MEMBERS = "".join(f"          - company: nobody-{n}\n" for n in range(250))


def _expand(text: str, tmp: Path) -> str:
    return (
        text.replace("{tmp}", str(tmp))
        .replace("{data}", str(tmp / "data"))
        .replace("{hostile}", str(HOSTILE))
        .replace("{long}", "x" * 100_000)
        .replace("{digits}", "9" * 400)
        .replace("{many-members}", MANY_MEMBERS)
        .replace("{byte-ff}", os.fsdecode(b"\xff"))
    )


def _prepare(case: dict[str, Any], tmp: Path) -> None:
    shutil.copytree(MINI, tmp / "data")
    for name, text in case.get("write", {}).items():
        target = tmp / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if text.startswith("@copy "):
            shutil.copy(tmp / text.removeprefix("@copy "), target)
        else:
            target.write_text(text, encoding="utf-8")
    for name, edits in case.get("replace", {}).items():
        path = tmp / name
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, f"{name} has no {old!r}"
            text = text.replace(old, _expand(new, tmp), 1)
        path.write_text(text, encoding="utf-8")
    for name in case.get("fifo", []):
        (tmp / name).unlink(missing_ok=True)
        os.mkfifo(tmp / name)
    for name, target in case.get("symlink", {}).items():
        (tmp / name).unlink(missing_ok=True)
        (tmp / name).symlink_to(target)


def _limit_file_size(limit: int | None) -> Callable[[], None] | None:
    if limit is None:
        return None

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def _snapshot(tmp: Path, names: list[str]) -> dict[str, bytes]:
    return {name: (tmp / name).read_bytes() for name in names}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_case(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    _prepare(case, tmp_path)
    before = _snapshot(tmp_path, case.get("unchanged", []))
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "COLUMNS": "120",
        "NO_COLOR": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("KPARTNER_DEBUG", None)
    env.update(case.get("env", {}))
    if env.get("PYTHONIOENCODING") == "":
        del env["PYTHONIOENCODING"]
    args = [_expand(str(arg), tmp_path) for arg in case["args"]]
    stdout: Any = subprocess.PIPE
    stderr: Any = subprocess.PIPE
    closing: list[int] = []
    if case.get("stdout_to") == "full":
        stdout = open("/dev/full", "wb")  # noqa: SIM115
    elif case.get("stdout_to") == "closed":
        read_end, write_end = os.pipe()
        os.close(read_end)  # nobody reads: the first write gets EPIPE
        stdout = write_end
        closing.append(write_end)
    if case.get("stderr_to") == "full":
        stderr = open("/dev/full", "wb")  # noqa: SIM115
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kpartner", *args],
            stdout=stdout,
            stderr=stderr,
            env=env,
            cwd=tmp_path,
            timeout=TIMEOUT,
            preexec_fn=_limit_file_size(case.get("fsize")),
            check=False,
        )
    finally:
        for handle in closing:
            os.close(handle)
        for stream in (stdout, stderr):
            if hasattr(stream, "close"):
                stream.close()
    out = (done.stdout or b"").decode("utf-8", errors="replace")
    err = (done.stderr or b"").decode("utf-8", errors="replace")
    assert "Traceback" not in out + err, err
    assert done.returncode != 4, err
    assert not RAW_CONTROL.search(out + err), (out + err)[:2000]
    assert done.returncode == case["exit"], (out[-2000:], err[-2000:])
    if "stderr" in case:
        lines = [line for line in err.splitlines() if case["stderr"] in line]
        assert lines, err[-3000:]
        assert all(len(line) < 2000 for line in err.splitlines())
    if "stdout_has" in case:
        assert case["stdout_has"] in out, out[-3000:]
    if "stdout_lacks" in case:
        assert case["stdout_lacks"] not in out, out[-3000:]
    assert _snapshot(tmp_path, case.get("unchanged", [])) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == [], "a temporary output file was left behind"
