"""Rebuild the demand statistics' day cells from the demands: after demands were written
without the actions (an import, a restored backup), or to check nothing has drifted."""

from __future__ import annotations

from lianqi.core.management.rebuild import RebuildCellsCommand
from lianqi.demands.statistics import mark_all_stale, refresh


class Command(RebuildCellsCommand):
    help = "Recount every day's demand statistics cells from the demands and their events."
    mark_all = staticmethod(mark_all_stale)
    refresh = staticmethod(refresh)
