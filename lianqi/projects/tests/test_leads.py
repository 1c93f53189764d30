"""The attraction pipeline with a real database: every (stage, action, role) of the lead table,
the dates and amount each step checks, the page's funnel and signings, scoped to the park."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.core.workflow import TransitionNotAllowed, walk_table
from lianqi.testing.contracts import ListPageContract, ObjectPageContract
from lianqi.testing.world import World

from ..actions.pipeline import LEAD_STEPS, create_lead
from ..choices import LEAD_DATE_FIELDS, PIPELINE, LeadStage
from ..models import Lead, LeadEvent
from ..permissions import MANAGERS
from ..workflow import LEAD_TABLE, ROLES, lead_needs_of, lead_workflow

AT = dt.datetime(2025, 6, 16, 9, 30, tzinfo=SHANGHAI)
NAME = "新能源电池材料招商项目"


def make_lead(world: World, state: str = LeadStage.LEAD, side: Any = None, **fields: Any) -> Lead:
    """A lead placed directly in `state`, with a date for every stage up to it."""
    side = side or world.home
    values: dict[str, Any] = {"jurisdiction": side.park, "name": NAME, "investor": "宁德某新能源科技有限公司"}
    stop = LeadStage.TALKS if state == LeadStage.DROPPED else state
    for index, stage in enumerate(PIPELINE[: PIPELINE.index(stop) + 1]):
        values[LEAD_DATE_FIELDS[stage]] = dt.date(2025, 1, 6) + dt.timedelta(days=20 * index)
    if values.get("signed_on"):
        values["amount"] = Decimal("150000000.00")
    if state == LeadStage.DROPPED:
        values["dropped_on"] = dt.date(2025, 3, 1)
    values.update(state=state, **fields)
    return Lead.objects.create(**values)


INPUTS = {"on": AT.date(), "amount": Decimal("320000000.00"), "note": "投资方调整布局"}
SIGN = {"on": AT.date(), "amount": Decimal("320000000.00")}


def test_every_step_of_the_table_has_its_action() -> None:
    assert set(LEAD_STEPS) == {action for _state, action in LEAD_TABLE}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), walk_table(lead_workflow, ROLES))
def test_table(world: World, state: str, action: str, role: str, allowed: bool) -> None:
    row = make_lead(world, state)
    actor = world.user(role)

    def take() -> Lead:
        inputs = {need: INPUTS[need] for need in lead_needs_of(action)}
        return LEAD_STEPS[action](lead=row, actor=actor, expected_version=1, at=AT, **inputs)

    if allowed:
        moved = take()
        assert moved.state == LEAD_TABLE[(state, action)].next_state
        event = LeadEvent.objects.get(lead=row)
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            action,
            state,
            moved.state,
            actor,
        )
    else:
        with pytest.raises(TransitionNotAllowed):
            take()
        row.refresh_from_db()
        assert (row.state, row.version) == (state, 1)


def test_signing_needs_an_amount_to_the_fen_and_dates_in_order(world: World) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    row = create_lead(
        jurisdiction=world.home.park,
        name=NAME,
        investor="某集团",
        found_on=dt.date(2025, 3, 3),
        actor=office,
        at=AT,
    )
    for bad, field in (
        ({"amount": Decimal("1.234")}, "amount"),
        ({"amount": Decimal("0")}, "amount"),
        ({"on": dt.date(2025, 3, 1)}, "on"),
        ({"on": dt.date(2025, 7, 1)}, "on"),
    ):
        with pytest.raises(ValidationError) as refused:
            LEAD_STEPS["sign"](lead=row, actor=office, expected_version=1, at=AT, **{**SIGN, **bad})
        assert field in refused.value.message_dict
    row.refresh_from_db()
    assert (row.state, row.amount, row.signed_on) == (LeadStage.LEAD, None, None)
    signed = LEAD_STEPS["sign"](lead=row, actor=office, expected_version=1, at=AT, **SIGN)
    assert (signed.state, signed.amount, signed.signed_on) == (
        LeadStage.SIGNED,
        Decimal("320000000.00"),
        AT.date(),
    )
    with pytest.raises(ValidationError) as outside:
        create_lead(
            jurisdiction=world.home.park,
            name=NAME,
            investor="某集团",
            found_on=dt.date(2025, 3, 3),
            actor=world.other_user(Role.SERVICE_OFFICE),
            at=AT,
        )
    assert "jurisdiction" in outside.value.message_dict


class TestPipelineContract(ListPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def marker(self, world: World) -> str:
        return NAME

    def url(self, world: World) -> str:
        if not Lead.objects.filter(jurisdiction=world.home.park).exists():
            make_lead(world, LeadStage.SIGNED)
        return reverse("projects:pipeline")


class TestLeadContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        lead = Lead.objects.filter(jurisdiction=world.home.park).first() or make_lead(world)
        return reverse("projects:lead", args=[lead.pk])


def test_the_page_shows_the_funnel_signings_over_100m_and_same_year_projects(world: World) -> None:
    year = 2025
    make_lead(world, LeadStage.PRODUCING, name="年产10GWh储能电池项目")  # signed, landed, producing in 2025
    make_lead(world, LeadStage.SIGNED, name="精密模具项目", amount=Decimal("60000000.00"))
    make_lead(world, LeadStage.DROPPED, name="光伏玻璃项目")
    make_lead(world, LeadStage.SIGNED, side=world.other, name="别处的项目")
    client = Client()
    client.force_login(world.user(Role.LEADER))
    page = client.get(reverse("projects:pipeline"), {"year": year}).content.decode()
    assert "别处的项目" not in page
    signed = page.split('data-testid="signed">')[1].split("<")[0]
    big = page.split('data-testid="big">')[1].split("<")[0]
    assert signed.startswith("2 ·") and big.startswith("1 ·")
    assert page.split('data-testid="same-year">')[1].startswith("1<")
    # Three leads: all at 线索, all at 洽谈 (the skipped ones pass through), two signed.
    talks = page.split('data-testid="funnel-talks">')[1].split("</tr>")[0]
    assert "66.7%" in talks


def test_a_step_from_the_page_moves_the_lead_and_bad_input_is_kept(world: World) -> None:
    row = make_lead(world, LeadStage.TALKS)
    client = Client()
    client.force_login(world.user(Role.SERVICE_OFFICE))
    url = reverse("projects:lead_step", args=[row.pk, "sign"])
    bad = client.post(url, {"sign-expected_version": 1, "sign-on": "2025-06-16", "sign-amount": ""})
    assert bad.status_code == 200 and 'data-error-for="amount"' in bad.content.decode()
    good = client.post(
        url, {"sign-expected_version": 1, "sign-on": "2025-06-16", "sign-amount": "88000000.50"}
    )
    assert good.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.amount) == (LeadStage.SIGNED, Decimal("88000000.50"))
