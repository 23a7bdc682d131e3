"""kpartner: find the right Korean partner for a smart-city project.

The library API (the CLI is a thin layer over it)::

    from kpartner import load_catalog, match, shipped_data_dir

    catalog = load_catalog(shipped_data_dir()).catalog  # None if the data has errors
    report = match(catalog, tech=["drones", "5g"])
    for result in report.results:
        print(result.rank, result.name, result.score, result.reasons[0])
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kpartner.catalog import Catalog, CatalogResult, load_catalog
    from kpartner.datadir import resolve_data_dir, shipped_data_dir
    from kpartner.matching import MatchReport, NoTermResolved, match
    from kpartner.problems import Problem
    from kpartner.ranking import Filters
    from kpartner.results import Evidence, EvidenceKind, Kind, Match
    from kpartner.validation import ValidationReport, validate_paths

# Each name is imported on first use: `python -m kpartner` imports this package first, and
# a run loads only what its command needs (validate_paths the YAML reader and every check).
_WHERE = {
    "Catalog": "catalog",
    "CatalogResult": "catalog",
    "load_catalog": "catalog",
    "resolve_data_dir": "datadir",
    "shipped_data_dir": "datadir",
    "MatchReport": "matching",
    "NoTermResolved": "matching",
    "match": "matching",
    "Problem": "problems",
    "Filters": "ranking",
    "Evidence": "results",
    "EvidenceKind": "results",
    "Kind": "results",
    "Match": "results",
    "ValidationReport": "validation",
    "validate_paths": "validation",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'kpartner' has no attribute {name!r}")
    return getattr(import_module(f"kpartner.{module}"), name)


__all__ = [
    "Catalog",
    "CatalogResult",
    "Evidence",
    "EvidenceKind",
    "Filters",
    "Kind",
    "Match",
    "MatchReport",
    "NoTermResolved",
    "Problem",
    "ValidationReport",
    "load_catalog",
    "match",
    "resolve_data_dir",
    "shipped_data_dir",
    "validate_paths",
]
