"""Property tests: no input, however odd, makes the loader or the validator raise."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpartner.catalog import FileKind, read_data_file
from kpartner.loader import load_text
from kpartner.problems import Problem
from kpartner.schema import validate


def _lines(text: str) -> int:
    """Lines as an editor counts them: CR LF, LF or a lone CR ends one; NEL does not."""
    return len(re.split(r"\r\n|\r|\n", text))


KEYS = st.sampled_from(
    [
        "projects",
        "companies",
        "sectors",
        "id",
        "name",
        "focus",
        "consortia",
        "members",
        "sources",
        "as_of",
        "url",
        "status",
        "lead",
        "company",
        "date",
        "kind",
        "serves",
        "NO",
        "1.10",
        "x",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.dates().map(str)
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_loads_or_gives_problems(text: str) -> None:
    result = load_text(text, "f.yaml")
    # A document may come with problems (the load goes on after a duplicate key); no
    # document always comes with the problem that stopped the load.
    assert result.document is not None or result.problems
    assert all(isinstance(p, Problem) and p.line >= 1 and p.column >= 1 for p in result.problems)
    assert all(p.line <= _lines(text) for p in result.problems), result.problems


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_load_or_give_problems(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    result = load_text(text, "f.yaml")
    assert result.document is not None or result.problems
    lines = _lines(text)
    assert all(1 <= p.line <= lines and p.column >= 1 for p in result.problems)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.sampled_from(list(FileKind)))
def test_any_yaml_shaped_document_validates_or_gives_problems(
    document: object, kind: FileKind
) -> None:
    text = yaml.safe_dump({kind.value: document}, allow_unicode=True)
    loaded = load_text(text, "f.yaml")
    assert loaded.document is not None, loaded.problems
    model, problems = validate(loaded.document, kind.model)
    assert (model is None) == bool(problems) or loaded.problems
    lines = _lines(text)
    assert all(1 <= p.line <= lines for p in problems)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(DOCUMENTS)
def test_the_validator_never_raises_on_a_file(tmp_path: Path, document: object) -> None:
    path = tmp_path / "projects.yaml"
    text = yaml.safe_dump({"projects": document}, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    loaded, problems = read_data_file(path)
    assert (loaded is None) == any(p.level == "error" for p in problems)
    lines = _lines(text)
    assert all(p.file == str(path) and 1 <= p.line <= lines for p in problems)
