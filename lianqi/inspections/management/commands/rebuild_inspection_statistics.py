"""Rebuild the inspection statistics' day cells from the inspections: after rows were written
without the actions (an import, a restored backup), or to check nothing drifted."""

from __future__ import annotations

from lianqi.core.management.rebuild import RebuildCellsCommand
from lianqi.inspections.cells import mark_all_stale, refresh


class Command(RebuildCellsCommand):
    help = "Recount every planned day's inspection statistics cells from the inspections."
    mark_all = staticmethod(mark_all_stale)
    refresh = staticmethod(refresh)
