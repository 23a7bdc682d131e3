"""A client's profile in a file, for consultants who match many clients.

    # startup.yaml
    name: AeroLink                   # the client: the report's title and file name
    contact: Jane Doe <jane@aerolink.example>   # optional, shown in the report's header
    technologies: [drones, 5G]
    description: Drone delivery of medical supplies over a private 5G network.
    cities: [Busan, Sejong]          # only projects in these cities
    projects: []                     # only these projects (ids)
    include_types: []                # only these kinds of company (telecom, it-services, ...)
    exclude_types: [finance]         # never these
    exclude_companies: [acme-it]     # already in talks: never suggested as the way in
    notes: Met KT at the Busan expo.  # optional, printed in the report

It is read with the same loader and checks as the data files, so a mistake is reported
at its line.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import Field

from kpartner.catalog import Catalog, in_city
from kpartner.inputs import InputError, check_readable
from kpartner.loader import Document, load_file
from kpartner.models import CompanyType, Id, Record, Text
from kpartner.problems import START, Code, Problem, has_errors
from kpartner.query import resolve, split_terms
from kpartner.ranking import Filters
from kpartner.schema import validate
from kpartner.suggest import did_you_mean, suggest


class Profile(Record):
    name: Text | None = None
    contact: Text | None = None
    technologies: list[Text] = Field(default_factory=list)
    description: Text | None = None
    cities: list[Text] = Field(default_factory=list)
    projects: list[Id] = Field(default_factory=list)
    include_types: list[CompanyType] = Field(default_factory=list)
    exclude_types: list[CompanyType] = Field(default_factory=list)
    exclude_companies: list[Id] = Field(default_factory=list)
    notes: Text | None = None


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
    known = (
        ("projects", "project", catalog.projects, read.profile.projects),
        ("exclude_companies", "company", catalog.companies, read.profile.exclude_companies),
    )
    for key, noun, records, named in known:
        for index, name in enumerate(named):
            if name not in records:
                hint = did_you_mean(suggest(name, list(records)))
                problems.append(
                    Problem.error(
                        document.file,
                        document.mark_at((key, index)),
                        Code.UNKNOWN_REFERENCE,
                        f"unknown {noun} '{name}'{hint}",
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


def unknown_terms(read: ProfileFile, catalog: Catalog) -> list[Problem]:
    """Warnings for the profile's technologies that name no sector, with suggestions.

    A warning, not an error: the other terms still match, and the report lists the
    terms it did not understand among its caveats.
    """
    if read.profile is None or read.document is None:
        return []
    document = read.document
    # One resolve for all the terms: building the term index is the costly part.
    parts = {index: split_terms([term]) for index, term in enumerate(read.profile.technologies)}
    missing = {
        term.input: term
        for term in resolve(
            catalog, [part for split in parts.values() for part in split]
        ).unresolved
    }
    problems = []
    for index, split in parts.items():
        for part in split:
            if part not in missing:
                continue
            what = (
                "names more than one sector"
                if missing[part].ambiguous
                else "not a known technology"
            )
            hint = did_you_mean(list(missing[part].suggestions))
            problems.append(
                Problem.warning(
                    document.file,
                    document.mark_at(("technologies", index)),
                    Code.UNKNOWN_SECTOR,
                    f"'{part}': {what}{hint}",
                )
            )
    return problems


def apply(profile: Profile, filters: Filters) -> Filters:
    """The profile's filters under ``filters``: what the command line gave wins."""
    return replace(
        filters,
        projects=filters.projects or frozenset(profile.projects),
        cities=filters.cities or tuple(profile.cities),
        include_types=frozenset(profile.include_types),
        exclude_types=frozenset(profile.exclude_types),
        exclude_companies=filters.exclude_companies | frozenset(profile.exclude_companies),
    )


TEMPLATE = """\
# A client profile for kpartner: `kpartner shortlist THIS-FILE --out reports/`.
# Every field but `name` and one of `technologies` or `description` may be left out.
# `kpartner sectors` lists the technologies and domains kpartner knows.

# The client: the report's title and its file name.
name: Your Client Ltd
# Who at the client the report is for (optional; shown in the report's header).
contact: Jane Doe <jane@example.com>

# What the client offers, in English or Korean (drones, 5G, 드론, "energy storage", ...).
technologies: [drones, 5G]
# A sentence or two about the client; the technologies it names count too.
description: Drone delivery of medical supplies over a private 5G network.

# Only projects in these cities, or only these project ids (leave empty for all).
cities: []
projects: []

# Kinds of company wanted or never wanted as partners, any of:
{types}
include_types: []
exclude_types: []

# Companies the client is already talking to (ids from `kpartner companies`):
# they are never suggested as the way in.
exclude_companies: []

# Notes printed in the report, as they are.
notes: >-
  First contact at the Busan smart-city expo; the client prefers pilots with a city partner.
""".format(
    types=textwrap.fill(
        ", ".join(CompanyType) + ".", 88, initial_indent="# ", subsequent_indent="# "
    )
)
