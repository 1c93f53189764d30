"""Demand pages, one module per area: intake (the liaison's phone view, office intake, the
catalogue), a demand's own page and its actions, the lists (department inbox, office board,
legacy problems) and the statistics."""

from __future__ import annotations

from . import urls_detail, urls_intake, urls_lists, urls_stats

app_name = "demands"

urlpatterns = [
    *urls_intake.urlpatterns,
    *urls_detail.urlpatterns,
    *urls_lists.urlpatterns,
    *urls_stats.urlpatterns,
]
