"""Which projects a ranking must score: the most promising first, with a bound on each.

Scoring a project means weighing every member of its team against the startup's
sectors; on a 100k-company catalog that is most of a run. Yet a list keeps only the
``top`` best. :func:`by_bound` gives each project in scope a ceiling on any score it can
earn, worked out from its focus alone (which sectors it names is known at once; what
its team does is what costs), and orders the projects by it. The ranking scores them in
that order and stops at the first whose ceiling is below the last score it keeps: no
project after it can enter the list. The list is the same as scoring every project,
since the order of the results never depends on the order of scoring.

The ceiling follows :meth:`kpartner.ranking.Scorer.demand` and ``gap`` term by term,
taking the largest value each term could reach:

* each asked sector's strength is its direct link to the focus, or, if the project has
  any consortium, what a team member's work could give
  (:data:`~kpartner.ranking.TEAM_SCOPE` times the closest link, 1);
* the share of the focus met counts every directly linked focus sector;
* the gap counts every asked sector with a direct link, as if the team knew none of them.

Each is at least the real term, and the score is made from them by the same sums,
products and roundings (:func:`kpartner.matching` builds it with its own functions), so
no ceiling is below the score. ``tests/test_index.py`` checks the cut ranking against
the full one on the shipped data and on generated catalogs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kpartner.ranking import FOCUS_FLOOR, TEAM_SCOPE, Scorer

if TYPE_CHECKING:
    from kpartner.models import Project

STRONGEST_LINK = 1.0  # the weight of the very sector: no link is closer
MARGIN = 1e-9  # floating-point slack: a ceiling errs upwards


def by_bound(
    scorer: Scorer,
    projects: Iterable[Project],
    ceiling: Callable[[float, float, float], float],
) -> list[tuple[float, Project]]:
    """``(ceiling, project)``, highest ceiling first (file order among equals).

    ``ceiling(demand, gap, stage)`` turns the bounds on a project's demand and gap and
    its stage into the best score any of its suggestions could get.
    """
    bounded = [
        (ceiling(*_bounds(scorer, project), scorer.stage(project)), project) for project in projects
    ]
    return sorted(bounded, key=lambda pair: -pair[0])


def _bounds(scorer: Scorer, project: Project) -> tuple[float, float]:
    """Upper bounds on the project's demand and gap for the scorer's query."""
    asked = scorer.asked
    weights = scorer.asked_weights
    total = sum(weights.values())
    if not asked or not total:
        return 0.0, 0.0
    focus = scorer.catalog.project_sectors[project.id]
    direct = {a: (target, relation.weight) for a, target, relation in scorer.fit(focus).links}
    # Any consortium may put members in the live team (whether it does costs the team).
    through_team = TEAM_SCOPE * STRONGEST_LINK if project.consortia else 0.0
    strengths = {a: max(direct[a][1] if a in direct else 0.0, through_team) for a in asked}
    coverage = sum(weights[a] * strengths[a] for a in asked) / total
    met: dict[str, float] = {}
    for target, weight in direct.values():
        met[target] = max(met.get(target, 0.0), weight)
    idf = scorer.idf
    share = sum(idf.get(t, 1.0) * w for t, w in met.items()) / sum(idf.get(s, 1.0) for s in focus)
    demand = min(1.0, coverage * (FOCUS_FLOOR + (1 - FOCUS_FLOOR) * min(1.0, share)))
    gap = sum(weights[a] for a in direct) / total
    return demand + MARGIN, min(1.0, gap) + MARGIN
