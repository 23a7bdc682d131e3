"""Shared test helpers: the fixture catalog and a CLI runner with a fixed, plain terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpartner.catalog import Catalog, load_catalog
from kpartner.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
# The repository's data/, so that a curator's edit is what the tests check (the installed
# copy may be older); .ci/run separately checks that the wheel carries the data.
DATA = Path(__file__).parent.parent / "data"
TODAY = "2026-11-26"


@pytest.fixture
def mini_catalog() -> Catalog:
    result = load_catalog(MINI)
    assert result.problems == []
    assert result.catalog is not None
    return result.catalog


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the session: the user's own is never touched."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    """Fixed width and no colour, so rendered output is the same everywhere."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("KPARTNER_DATA", str(DATA))
    # Advice depends on the date (years without news make a lead stale): a fixed one.
    monkeypatch.setenv("KPARTNER_TODAY", TODAY)
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr


def run(*args: str) -> Run:
    """Invoke the CLI in-process; stdout and stderr kept apart."""
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)
