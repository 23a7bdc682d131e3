"""A typer command with the options of ``kpartner match`` and nothing in its body.

``bench_targets.py`` runs it as the floor of the start-up target: what any typer program
with these options costs before it does anything (typer 0.29 coerces every value through
a pydantic ``TypeAdapter``, importing pydantic's validation machinery on the way).

    python benchmarks/typer_floor.py match --tech drones,5g --format json
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Kind(StrEnum):
    OPPORTUNITY = "opportunity"
    COMPANY = "company"


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


app = typer.Typer()


@app.command("match")
def match(
    tech: Annotated[list[str] | None, typer.Option("--tech", "-t")] = None,
    describe: Annotated[str | None, typer.Option("--describe", "-d")] = None,
    profile: Annotated[Path | None, typer.Option("--profile")] = None,
    kinds: Annotated[list[Kind] | None, typer.Option("--type")] = None,
    project: Annotated[list[str] | None, typer.Option("--project")] = None,
    city: Annotated[list[str] | None, typer.Option("--city")] = None,
    top: Annotated[int, typer.Option("--top", min=1)] = 10,
    min_score: Annotated[float, typer.Option("--min-score", min=0, max=100)] = 0.0,
    fmt: Annotated[Format | None, typer.Option("--format", "-f")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    data: Annotated[Path | None, typer.Option("--data")] = None,
) -> None:
    """Nothing: the cost of parsing the options is what is measured."""


@app.command("other")
def other() -> None:
    """A second command, so that ``match`` is a subcommand as in kpartner."""


if __name__ == "__main__":
    app()
