"""Demand pages, one module per area: intake (the liaison's phone view, office intake, the
catalogue), a demand's own page and its steps, the lists (department inbox, office board,
legacy problems), the enterprise file's section and the statistics. The pages under the
enterprise's code are in `code` (`apps.py` registers them in the ``codes`` namespace)."""

from __future__ import annotations

from ..statistics import urls as statistics
from . import detail, enterprise, intake, lists

app_name = "demands"

urlpatterns = [
    *intake.urlpatterns,
    *detail.urlpatterns,
    *lists.urlpatterns,
    *enterprise.urlpatterns,
    *statistics.urlpatterns,
]
