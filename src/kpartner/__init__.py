"""kpartner: find the right Korean partner for a smart-city project.

The library API (the CLI is a thin layer over it)::

    from kpartner import load_catalog, shipped_data_dir

    result = load_catalog(shipped_data_dir())
    catalog = result.catalog  # None when the data has errors; see result.problems
"""

from kpartner.catalog import Catalog, CatalogResult, load_catalog
from kpartner.datadir import resolve_data_dir, shipped_data_dir
from kpartner.problems import Problem

__all__ = [
    "Catalog",
    "CatalogResult",
    "Problem",
    "load_catalog",
    "resolve_data_dir",
    "shipped_data_dir",
]
