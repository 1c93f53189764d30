"""Builders for the projects' tests: a key project of a park placed directly in any stage (so each
step is tested from its own starting point), the actor of each workflow role, and a demand
category for problems and decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lianqi.core.workdays import SHANGHAI
from lianqi.demands.models import Category
from lianqi.testing.world import Side, World

from ..choices import STAGE_DATE_FIELDS, ProjectKind, ProjectLevel, ProjectStage
from ..models import Project

AT = dt.datetime(2025, 6, 16, 9, 30, tzinfo=SHANGHAI)
TODAY = AT.date()
NAME = "年产5万吨特种电缆项目"


def make_project(
    world: World, state: str = ProjectStage.SIGNED, side: Side | None = None, **fields: Any
) -> Project:
    """A key project of a park's enterprise (the home park's unless `side` says otherwise), placed
    directly in `state` with the date of each stage up to it."""
    side = side or world.home
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "enterprise": side.enterprise,
        "name": NAME,
        "kind": ProjectKind.INDUSTRIAL,
        "level": ProjectLevel.CITY,
        "total_investment": Decimal("500000000.00"),
        "plan_year": 2025,
        "year_plan": Decimal("120000000.00"),
        "leader": "张副主任",
        "department": side.department,
        "state": state,
    }
    stages = list(ProjectStage)
    for index, stage in enumerate(stages[: stages.index(ProjectStage(state)) + 1]):
        values[STAGE_DATE_FIELDS[stage]] = dt.date(2025, 1, 10) + dt.timedelta(days=20 * index)
    values.update(fields)
    return Project.objects.create(**values)


def category() -> Category:
    """A demand category for the problems and decisions that become demands."""
    return Category.objects.get_or_create(name="项目建设", defaults={"deadline_workdays": 10})[0]
