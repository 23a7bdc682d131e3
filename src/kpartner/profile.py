"""A startup's profile in a file, for consultants who match many clients.

    # startup.yaml
    name: AeroLink
    technologies: [drones, 5G]
    description: Drone delivery of medical supplies over a private 5G network.
    cities: [Busan, Sejong]          # only projects in these cities
    projects: []                     # only these projects (ids)
    include_types: []                # only these kinds of company (telecom, it-services, ...)
    exclude_types: [finance]         # never these

It is read with the same loader and checks as the data files, so a mistake is reported
at its line.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from kpartner.loader import load_file
from kpartner.models import CompanyType, Id, Record, Text
from kpartner.problems import Problem, has_errors
from kpartner.schema import validate


class Profile(Record):
    name: Text | None = None
    technologies: list[Text] = Field(default_factory=list)
    description: Text | None = None
    cities: list[Text] = Field(default_factory=list)
    projects: list[Id] = Field(default_factory=list)
    include_types: list[CompanyType] = Field(default_factory=list)
    exclude_types: list[CompanyType] = Field(default_factory=list)


def load_profile(path: Path) -> tuple[Profile | None, list[Problem]]:
    result = load_file(path)
    if result.document is None:
        return None, result.problems
    profile, problems = validate(result.document, Profile)
    problems = sorted([*result.problems, *problems], key=Problem.sort_key)
    return (None if has_errors(problems) else profile), problems
