"""A campaign's coverage: visited and not yet, by liaison and department (the furthest behind
first), forms collected by channel, demands raised by category; and the liaison's plan, not
yet visited first."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lianqi.core.roles import Role
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department, Staff
from lianqi.testing.world import World, make_enterprise

from .. import actions, queries
from ..models import Campaign, Visit
from .factories import AT, NEEDY, QUIET, key, make_campaign


def visit(
    world: World,
    campaign: Campaign,
    enterprise: Enterprise,
    role: str = Role.SERVICE_OFFICE,
    answers: dict[str, Any] = QUIET,
    **extra: Any,
) -> Visit:
    return actions.record_visit(
        enterprise=enterprise,
        actor=world.user(role),
        idempotency_key=key(),
        campaign=campaign,
        answers=answers,
        at=AT,
        **extra,
    )


def test_coverage_counts_visited_enterprises_by_liaison_and_department(world: World) -> None:
    park = world.home.park
    safety = Department.objects.create(jurisdiction=park, name="应急管理局")
    colleague = Staff.objects.create(jurisdiction=park, name="李干部", department=safety)
    second = make_enterprise(park, "湘潭二号机械有限公司", liaison=world.home.liaison_staff)
    third = make_enterprise(park, "湘潭三号材料有限公司", liaison=colleague)
    make_enterprise(park, "湘潭四号无人企业")
    make_enterprise(park, "已迁出企业", status=EnterpriseStatus.MOVED_OUT)
    campaign = make_campaign(world)
    make_enterprise(world.other.park, "别的园区企业")
    visit(
        world, campaign, world.home.enterprise, Role.LIAISON, answers=NEEDY, solved={"needs:用工": "已对接"}
    )
    visit(world, campaign, world.home.enterprise)  # a second visit of the same enterprise
    visit(world, campaign, third)

    found = queries.coverage(campaign)
    assert (found.total.targets, found.total.visited, found.total.not_visited) == (4, 2, 2)
    assert found.total.rate == Decimal("50.0")
    by_liaison = {row.label: (row.targets, row.visited) for row in found.by_liaison}
    assert by_liaison == {"湘潭高新区联企干部": (2, 1), "李干部": (1, 1), "未分配联企干部": (1, 0)}
    assert found.by_liaison[0].label == "未分配联企干部"  # the furthest behind first
    by_department = {row.label: (row.targets, row.visited) for row in found.by_department}
    assert by_department == {"经济发展局": (2, 1), "应急管理局": (1, 1), "未分配部门": (1, 0)}
    assert found.forms == {"liaison": 3} and found.forms_total == 3
    assert {(r.category, r.raised, r.solved_on_spot, r.closed) for r in found.demands} == {
        ("用工招聘", 1, 1, 1),
        ("融资困难", 1, 0, 0),
    }
    assert found.demands_total == 2
    assert second.pk not in {v.enterprise_id for v in Visit.objects.all()}  # targeted, not yet visited


def test_the_plan_puts_the_liaison_s_enterprises_not_yet_visited_first(world: World) -> None:
    park = world.home.park
    other = make_enterprise(park, "湘潭阿尔法电子有限公司", liaison=world.home.liaison_staff)
    make_enterprise(park, "不归我管的企业")
    campaign = make_campaign(world)
    liaison = world.user(Role.LIAISON)
    before = queries.visit_plan(liaison, campaign)
    assert [e.name for e in before] == sorted([other.name, world.home.enterprise.name])
    visit(world, campaign, other, Role.LIAISON)
    after = queries.visit_plan(liaison, campaign)
    assert [(e.name, e.visited) for e in after] == [  # type: ignore[attr-defined]
        (world.home.enterprise.name, False),
        (other.name, True),
    ]
