"""The committed JSON Schemas: in step with the models, and accepted by an independent validator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kpartner.catalog import FileKind
from kpartner.json_schema import json_schema_text

from .conftest import run

ROOT = Path(__file__).parent.parent
SCHEMAS = ROOT / "schemas"
DATA = ROOT / "data"


@pytest.mark.parametrize("kind", list(FileKind), ids=str)
def test_committed_schema_matches_the_models(kind: FileKind) -> None:
    committed = (SCHEMAS / f"{kind.value}.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema_text(kind), (
        f"schemas/{kind.value}.schema.json is out of date: "
        f"run 'kpartner schema {kind.value} > schemas/{kind.value}.schema.json'"
    )
    assert run("schema", kind.value).stdout == committed


@pytest.mark.parametrize("kind", list(FileKind), ids=str)
def test_data_files_point_editors_at_their_schema(kind: FileKind) -> None:
    first = (DATA / kind.file_name).read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schemas/{kind.value}.schema.json"


def _check_jsonschema(schema: Path, instance: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(instance)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("kind", list(FileKind), ids=str)
def test_shipped_data_passes_an_independent_validator(kind: FileKind) -> None:
    result = _check_jsonschema(SCHEMAS / f"{kind.value}.schema.json", DATA / kind.file_name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_independent_validator_does_reject_a_bad_file() -> None:
    bad = ROOT / "tests" / "fixtures" / "bad" / "projects-unknown-field.yaml"
    result = _check_jsonschema(SCHEMAS / "projects.schema.json", bad)
    assert result.returncode == 1
    assert "'memebers' was unexpected" in result.stdout
