"""Homes that start with one's own work: the liaison's enterprises with their open demands and
the days since the last contact, the enterprise's demands with what awaits its rating first, the
handler's inbox and the office's intake before the park's figures."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.demands.choices import Channel, DemandState
from lianqi.demands.tests.factories import handler, make_demand
from lianqi.testing.world import World, make_enterprise
from lianqi.visits import actions as visit_actions
from lianqi.visits.tests.factories import key


def home(user: object) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client.get(reverse("home")).content.decode()


def card_labels(html: str) -> list[str]:
    return [label.strip() for label in re.findall(r'class="subheader"[^>]*>([^<]*)<', html)]


def rows(html: str) -> list[tuple[str, str]]:
    """The (label, meta) of every row of the home's lists, in order."""
    return re.findall(
        r'<div class="text-truncate" title="[^"]*">([^<]*)</div><div class="small text-secondary text-truncate">([^<]*)</div>',
        html,
    )


def test_the_liaison_sees_each_enterprise_with_its_open_demands_and_days_since_the_last_contact(
    world: World,
) -> None:
    never = make_enterprise(world.home.park, "湘潭高新区从未联系公司", liaison=world.home.liaison_staff)
    called = make_enterprise(world.home.park, "湘潭高新区电话联系公司", liaison=world.home.liaison_staff)
    make_demand(world)
    make_demand(world, state=DemandState.ASSIGNED)
    make_demand(world, state=DemandState.CLOSED)
    # The enterprise's own hotline call is not the liaison's contact; a demand the liaison
    # filed after a call is.
    make_demand(world, enterprise=never, state=DemandState.CLOSED, channel=Channel.HOTLINE)
    make_demand(world, enterprise=called, received_at=timezone.now() - dt.timedelta(days=5))
    visit_actions.record_visit(
        enterprise=world.home.enterprise,
        actor=world.user(Role.LIAISON),
        idempotency_key=key(),
        checked_in_at=timezone.now() - dt.timedelta(days=3),
        people_met="王总经理",
    )
    html = home(world.user(Role.LIAISON))
    assert card_labels(html)[0] == "我联系的企业"
    found = dict(rows(html))
    assert found[world.home.enterprise.name] == "在办诉求 2 件 · 距上次联系 3 天"
    assert found[called.name] == "在办诉求 1 件 · 距上次联系 5 天"
    assert found[never.name] == "在办诉求 0 件 · 尚未联系"


def test_the_enterprise_home_opens_on_its_demands_awaiting_its_rating_first(world: World) -> None:
    make_demand(world, description="较早的诉求")
    replied = make_demand(world, state=DemandState.REPLIED)
    make_demand(world, state=DemandState.CLOSED)
    html = home(world.user(Role.ENTERPRISE))
    labels = card_labels(html)
    assert labels[:2] == ["待我评价", "在办诉求"]
    assert labels.index("可享受的政策") < labels.index("联企干部")
    listed = rows(html)
    assert listed[0] == (f"#{replied.pk} · {replied.category.name}", "已答复，请评价")
    assert reverse("codes:demand_detail", args=[world.home.enterprise.code_token, replied.pk]) in html
    # Another park's enterprise user sees none of it.
    assert f"#{replied.pk} ·" not in home(world.other_user(Role.ENTERPRISE))


def test_the_handler_and_the_office_open_on_their_own_queues(world: World) -> None:
    make_demand(world, state=DemandState.ASSIGNED)
    assert card_labels(home(handler(world.home)))[:3] == ["待签收诉求", "即将到期诉求", "已超期诉求"]
    assert card_labels(home(world.user(Role.SERVICE_OFFICE)))[:3] == [
        "新受理待交办",
        "已超期诉求",
        "即将到期诉求",
    ]


def test_the_handler_s_home_lists_what_its_department_owes_the_nearest_deadline_first(world: World) -> None:
    today = timezone.localdate()
    later = make_demand(world, state=DemandState.HANDLING, due_on=today + dt.timedelta(days=9))
    late = make_demand(world, state=DemandState.SIGNED, due_on=today - dt.timedelta(days=2))
    to_sign = make_demand(world, state=DemandState.ASSIGNED, due_on=today + dt.timedelta(days=3))
    replied = make_demand(world, state=DemandState.REPLIED)
    listed = rows(home(handler(world.home)))
    listed = [(label, meta) for label, meta in listed if label.startswith("#")]
    numbers = [label.split(" ")[0] for label, _meta in listed]
    assert numbers == [f"#{late.pk}", f"#{to_sign.pk}", f"#{later.pk}"]
    assert listed[0][1] == f"已超期 · 期限 {(today - dt.timedelta(days=2)).isoformat()}"
    assert listed[2][1] == f"期限 {(today + dt.timedelta(days=9)).isoformat()}"
    # A replied demand no longer waits on the department; another park's handler sees none.
    assert f"#{replied.pk} " not in home(handler(world.home))
    assert f"#{late.pk} " not in home(handler(world.other))


def test_the_leader_opens_on_coverage_then_the_year_s_figures_then_what_is_overdue(world: World) -> None:
    labels = card_labels(home(world.user(Role.LEADER)))
    assert labels[:4] == ["联企覆盖率", "受理诉求数", "满意率", "回访满意率"]
    assert labels.index("已超期诉求") < labels.index("在园企业")


def test_the_enterprise_s_demand_list_puts_what_awaits_its_rating_first(world: World) -> None:
    replied = make_demand(
        world, state=DemandState.REPLIED, received_at=dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    )
    newer = make_demand(world)
    client = Client()
    client.force_login(world.user(Role.ENTERPRISE))
    html = client.get(reverse("demands:enterprise_demands"), follow=True).content.decode()
    assert html.index(f"#{replied.pk} ") < html.index(f"#{newer.pk} ")
