"""Demand statistics (诉求统计, M3), one entry point for the pages, the API, the measures and the
workflow: what they use is named here; the rooms behind it are

- `figures`: the definitions and the counting (live from the demands, or added up from the
  stored day cells);
- `cells`: the day cells' writes (a stale mark per event, the refresh that recomputes them);
- `scope`: what one request asks for, limited to what the user may see, and its figures;
- `views`, `urls`: the page and its Excel export (imported by `demands.urls` alone, so that
  the workflow's hook does not load the pages).

See `docs/decisions/0004-statistics-day-cells.md`.
"""

from __future__ import annotations

from .cells import mark_all_stale, mark_counted_days_stale, mark_stale, refresh
from .figures import (
    DEFINITIONS,
    GROUP_LABELS,
    GROUPS,
    Counts,
    Definition,
    Figure,
    Period,
    Row,
    Statistics,
    compute_statistics,
    day_cells,
    definitions_markdown,
    fill_months,
    filter_by_day,
    filter_demands,
    statistics_from_cells,
)
from .ladder import RUNGS, Ladder, ladder
from .scope import (
    STATS_ROLES,
    Scope,
    StatisticsForm,
    jurisdiction_statistics,
    read_request,
    statistics_for,
    statistics_scope,
)

__all__ = [
    "DEFINITIONS",
    "GROUPS",
    "GROUP_LABELS",
    "RUNGS",
    "STATS_ROLES",
    "Counts",
    "Definition",
    "Figure",
    "Ladder",
    "Period",
    "Row",
    "Scope",
    "Statistics",
    "StatisticsForm",
    "compute_statistics",
    "day_cells",
    "definitions_markdown",
    "fill_months",
    "filter_by_day",
    "filter_demands",
    "jurisdiction_statistics",
    "ladder",
    "mark_all_stale",
    "mark_counted_days_stale",
    "mark_stale",
    "read_request",
    "refresh",
    "statistics_for",
    "statistics_from_cells",
    "statistics_scope",
]
