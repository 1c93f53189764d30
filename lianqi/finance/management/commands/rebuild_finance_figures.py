"""Rebuild the finance figures' day cells from the applications and their loans: after rows
were written without the actions (an import, a restored backup), or to check nothing drifted."""

from __future__ import annotations

from lianqi.core.management.rebuild import RebuildCellsCommand
from lianqi.finance.cells import mark_all_stale, refresh


class Command(RebuildCellsCommand):
    help = "Recount every day's finance figure cells from the applications and their loans."
    mark_all = staticmethod(mark_all_stale)
    refresh = staticmethod(refresh)
