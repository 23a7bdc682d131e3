"""Start-up: a repeated ``kpartner match --format json`` imports only what it uses.

The start-up target (README, "The speed targets") is timed in ``benchmarks/``, never here;
this keeps what makes it hold from coming undone: the modules a warm JSON match does not
use are not imported, whatever is added to the modules it does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import DATA, TODAY

# Each is imported where it is used: rich to draw a table, pydantic's models and the YAML
# reader (with the checks and their problems) to read the files, rapidfuzz for a typo or
# a suggestion, jinja2 for a shortlist, the other commands' modules by those commands.
NOT_ON_A_WARM_MATCH = (
    "jinja2",
    "pydantic",
    "rapidfuzz",
    "rich",
    "yaml",
    "kpartner.json_schema",
    "kpartner.loader",
    "kpartner.models",
    "kpartner.problems",
    "kpartner.profile",
    "kpartner.render_shortlist",
    "kpartner.render_team",
    "kpartner.rules",
    "kpartner.schema",
    "kpartner.setcover",
    "kpartner.shortlist",
    "kpartner.teambuilder",
    "kpartner.teamwords",
    "kpartner.validation",
    "kpartner.views",
)

PROBE = (
    "import contextlib, io, sys\n"
    "sys.argv = ['kpartner', 'match', '--tech', 'drones,5g', '--format', 'json']\n"
    "from kpartner.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
    "    main()\n"
    f"print(' '.join(sorted(m for m in {NOT_ON_A_WARM_MATCH!r} if m in sys.modules)))\n"
)


def test_a_warm_json_match_imports_only_what_it_uses(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path),
        "KPARTNER_DATA": str(DATA),
        "KPARTNER_TODAY": TODAY,
    }
    runs = [
        subprocess.run(
            [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, env=env
        ).stdout.split()
        for _ in range(2)
    ]
    assert "kpartner.models" in runs[0]  # the first run read the files and filled the cache
    assert runs[1] == []
