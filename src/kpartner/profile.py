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

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from kpartner.catalog import Catalog, in_city
from kpartner.inputs import InputError, check_readable
from kpartner.loader import Document, load_file
from kpartner.models import CompanyType, Id, Record, Text
from kpartner.problems import START, Code, Problem, has_errors
from kpartner.schema import validate
from kpartner.suggest import did_you_mean, suggest


class Profile(Record):
    name: Text | None = None
    technologies: list[Text] = Field(default_factory=list)
    description: Text | None = None
    cities: list[Text] = Field(default_factory=list)
    projects: list[Id] = Field(default_factory=list)
    include_types: list[CompanyType] = Field(default_factory=list)
    exclude_types: list[CompanyType] = Field(default_factory=list)


@dataclass(frozen=True)
class ProfileFile:
    """A profile as read: the record (``None`` when it has errors), where each part was
    written, and its problems."""

    profile: Profile | None
    document: Document | None
    problems: list[Problem]


def read_profile(path: Path) -> ProfileFile:
    """The profile at ``path`` with its problems placed at their lines.

    Raises :class:`~kpartner.inputs.InputError` when the file cannot be read at all
    (missing, a folder, a FIFO, a device): that is one reason, not a located problem.
    """
    check_readable(path)
    result = load_file(path)
    if result.document is None:
        return ProfileFile(None, None, result.problems)
    profile, problems = validate(result.document, Profile)
    problems = sorted([*result.problems, *problems], key=Problem.sort_key)
    return ProfileFile(None if has_errors(problems) else profile, result.document, problems)


def load_profile(path: Path) -> tuple[Profile | None, list[Problem]]:
    """The profile, or its problems (an unreadable file is one problem here)."""
    try:
        read = read_profile(path)
    except InputError as exc:
        return None, [Problem.error(str(path), START, exc.code, exc.message)]
    return read.profile, read.problems


def unknown_names(read: ProfileFile, catalog: Catalog) -> list[Problem]:
    """The profile's projects and cities that name nothing in the catalog, at their lines.

    Matching would report them too, but without saying where in the profile they are.
    """
    if read.profile is None or read.document is None:
        return []
    document = read.document
    problems = []
    for index, project in enumerate(read.profile.projects):
        if project not in catalog.projects:
            hint = did_you_mean(suggest(project, list(catalog.projects)))
            problems.append(
                Problem.error(
                    document.file,
                    document.mark_at(("projects", index)),
                    Code.UNKNOWN_REFERENCE,
                    f"unknown project '{project}'{hint}",
                )
            )
    cities = sorted({project.city for project in catalog.projects.values()})
    for index, city in enumerate(read.profile.cities):
        if not any(in_city(project, city) for project in catalog.projects.values()):
            hint = did_you_mean(suggest(city, cities))
            problems.append(
                Problem.error(
                    document.file,
                    document.mark_at(("cities", index)),
                    Code.UNKNOWN_REFERENCE,
                    f"unknown city '{city}'{hint}",
                )
            )
    return problems
