"""The HTML report loaded in a real browser: headless Chromium's DOM, and a screenshot.

Skipped, with the reason, where Chromium is not installed (``.ci/run`` installs Debian's
``chromium`` when it can). The screenshot is kept for a person to look at: its path is
printed, under ``$KPARTNER_ARTEFACTS`` (default ``/tmp/kpartner-artefacts``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kpartner.catalog import Catalog
from kpartner.render_shortlist import render_html
from kpartner.shortlist import ClientReport, build_report

HERE = Path(__file__).parent / "fixtures" / "shortlist"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)
ARTEFACTS = Path(os.environ.get("KPARTNER_ARTEFACTS", "/tmp/kpartner-artefacts"))

pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium on PATH (apt-get install chromium); the HTML is still parsed "
    "by test_shortlist.py",
)


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    return subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",  # CI runs as root in a container
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",  # the page must need no network at all
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def page(mini_catalog: Catalog, tmp_path: Path) -> Path:
    outcome = build_report(mini_catalog, HERE / "aerolink.yaml", 10, dt.date(2026, 11, 26))
    assert isinstance(outcome, ClientReport)
    path = tmp_path / "aerolink.html"
    path.write_text(render_html(outcome), encoding="utf-8")
    return path


def test_report_in_a_real_browser(page: Path, tmp_path: Path) -> None:
    result = _chromium("--dump-dom", page.as_uri(), profile=tmp_path / "chrome")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert '<span class="client">AeroLink</span>' in dom
    assert "알파 시범도시" in dom
    assert dom.index('id="row-1"') < dom.index('id="row-2"')
    assert "Alpha pilot city" in dom.split('id="row-1"')[1].split("</tr>")[0]
    assert "Beta town challenge" in dom.split('id="row-2"')[1].split("</tr>")[0]
    assert '<li id="ref-1">' in dom


def test_screenshot_for_a_person(page: Path, tmp_path: Path) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / "shortlist-report.png"
    shot.unlink(missing_ok=True)
    result = _chromium(
        f"--screenshot={shot}",
        "--window-size=1100,1800",
        "--hide-scrollbars",
        page.as_uri(),
        profile=tmp_path / "chrome",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.stat().st_size > 10_000  # a page, not a blank
    shutil.copy(page, ARTEFACTS / page.name)
    print(f"\nscreenshot of the HTML report: {shot}")
