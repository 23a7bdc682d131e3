"""The matching API: what a founder asks, in; a ranked, explained report, out.

    from kpartner import load_catalog, shipped_data_dir
    from kpartner.matching import match

    catalog = load_catalog(shipped_data_dir()).catalog
    report = match(catalog, tech=["drones", "5g"])
    for result in report.results:
        print(result.rank, result.name, result.score, result.reasons[0])

The CLI's ``kpartner match`` is a thin layer over :func:`match`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kpartner.catalog import Catalog, UnknownName, in_city
from kpartner.query import Query, resolve, split_terms
from kpartner.ranking import Filters, Match, rank
from kpartner.schema import suggest


class NoTermResolved(Exception):
    """None of the startup's terms named a sector: nothing to match on."""

    def __init__(self, query: Query) -> None:
        super().__init__("none of the terms names a known technology or domain")
        self.query = query


@dataclass(frozen=True)
class MatchReport:
    query: Query
    results: list[Match]
    data_as_of: dt.date
    startup: str | None = None  # the profile's name, for the report's title


def match(
    catalog: Catalog,
    tech: list[str] | None = None,
    describe: str | None = None,
    filters: Filters | None = None,
) -> MatchReport:
    """Resolve ``tech`` (and the terms ``describe`` mentions) and rank partners for them.

    Raises :class:`NoTermResolved` when nothing the user gave names a sector, and
    :class:`UnknownName` when a project or city filter names nothing in the catalog.
    """
    filters = filters or Filters()
    _check_filters(catalog, filters)
    query = resolve(catalog, split_terms(tech or []), describe)
    if not query.terms:
        raise NoTermResolved(query)
    results = rank(catalog, query, filters)
    return MatchReport(query, results, catalog.data_as_of)


def _check_filters(catalog: Catalog, filters: Filters) -> None:
    for project in sorted(filters.projects):
        if project not in catalog.projects:
            raise UnknownName("project", project, suggest(project, list(catalog.projects)))
    cities = list(dict.fromkeys(p.city for p in catalog.projects.values()))
    for city in filters.cities:
        if not any(in_city(project, city) for project in catalog.projects.values()):
            raise UnknownName("city", city, suggest(city, cities))
