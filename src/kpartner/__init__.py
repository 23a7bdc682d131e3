"""kpartner: find the right Korean partner for a smart-city project.

The library API (the CLI is a thin layer over it)::

    from kpartner import load_catalog, match, shipped_data_dir

    catalog = load_catalog(shipped_data_dir()).catalog  # None if the data has errors
    report = match(catalog, tech=["drones", "5g"])
    for result in report.results:
        print(result.rank, result.name, result.score, result.reasons[0])
"""

from typing import TYPE_CHECKING, Any

from kpartner.catalog import Catalog, CatalogResult, load_catalog
from kpartner.datadir import resolve_data_dir, shipped_data_dir
from kpartner.matching import MatchReport, NoTermResolved, match
from kpartner.problems import Problem
from kpartner.ranking import Filters
from kpartner.results import Evidence, EvidenceKind, Kind, Match

if TYPE_CHECKING:
    from kpartner.validation import ValidationReport, validate_paths


def __getattr__(name: str) -> Any:
    """``validate_paths`` and its report load the YAML reader and every check: only on use."""
    if name in ("ValidationReport", "validate_paths"):
        from kpartner import validation

        return getattr(validation, name)
    raise AttributeError(f"module 'kpartner' has no attribute {name!r}")


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
