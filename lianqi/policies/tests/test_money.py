"""Money to the yuan: an amount typed into the ledger's form comes back to the fen on the
entry's page, in the ledger and in its export; the ledger's totals equal a hand sum; policies
from above are grouped by level, never as "—"; the rule engine's 万元 become yuan once."""

from __future__ import annotations

import io
import random
from decimal import Decimal
from typing import Any

import openpyxl
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lianqi.core.roles import Role
from lianqi.testing.world import World, make_enterprise

from ..choices import FulfilmentState as S
from ..choices import PolicyLevel
from ..models import Fulfilment
from ..money import MAX_YUAN, wan_text, yuan_of, yuan_text
from .test_actions import make_policy
from .test_measures import _entry, _version

YUAN = st.decimals(min_value=Decimal("0.01"), max_value=MAX_YUAN, places=2, allow_nan=False)


def _client(world: World, role: Role) -> Client:
    client = Client()
    client.force_login(world.user(role))
    return client


def _post_step(client: Client, entry: Fulfilment, action: str, **data: Any) -> Any:
    entry.refresh_from_db()
    return client.post(
        reverse("policies:fulfilment_step", args=[entry.pk, action]),
        {"expected_version": entry.version, **data},
    )


def _export(client: Client) -> dict[str, dict[str, Any]]:
    """The ledger's export read back: each row by its voucher number."""
    response = client.get(reverse("policies:ledger_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return {str(row[header.index("凭证号")]): dict(zip(header, row, strict=True)) for row in rows[1:]}


def test_the_formats_read_as_an_official_expects() -> None:
    assert yuan_text(Decimal("48602194")) == "¥48,602,194.00"
    assert yuan_text(None) == "—"
    assert wan_text(Decimal("48602194")) == "4,860.22"
    # The rule engine's floats in the policy's unit become yuan to the fen, once.
    assert yuan_of(0.1 + 0.2, "万元") == Decimal("3000.00")
    assert yuan_of(12.5, "元") == Decimal("12.50")
    assert yuan_of(float("nan"), "万元") is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=YUAN)
def test_an_amount_goes_from_the_form_to_the_page_and_the_export_to_the_fen(
    world: World, amount: Decimal
) -> None:
    with transaction.atomic():
        policy = make_policy(world)
        _version(policy)
        entry = _entry(policy, world.home.park, world.home.enterprise, S.REVIEWED)
        office = _client(world, Role.SERVICE_OFFICE)
        assert _post_step(office, entry, "approve", amount=str(amount)).status_code == 302
        paid = _post_step(
            office,
            entry,
            "disburse",
            amount=str(amount),
            disbursed_on=timezone.localdate().isoformat(),
            voucher="PZ-RT-1",
        )
        assert paid.status_code == 302
        entry.refresh_from_db()
        assert entry.approved_amount == entry.disbursed_amount == amount
        assert entry.events.get(action="disburse").amount == amount
        page = office.get(reverse("policies:fulfilment", args=[entry.pk])).content.decode()
        assert yuan_text(amount) in page
        exported = _export(office)["PZ-RT-1"]
        assert Decimal(str(exported["兑付金额（元）"])).quantize(Decimal("0.01")) == amount
        transaction.set_rollback(True)


def test_the_form_refuses_what_is_not_an_amount_in_yuan_field_by_field(world: World) -> None:
    policy = make_policy(world)
    _version(policy)
    entry = _entry(policy, world.home.park, world.home.enterprise, S.REVIEWED)
    office = _client(world, Role.SERVICE_OFFICE)
    for bad in ("0", "-1", "12.345", "10000000000000", "一万"):
        response = _post_step(office, entry, "approve", amount=bad)
        assert response.status_code == 400 and 'data-error-for="amount"' in response.content.decode(), bad
    entry.refresh_from_db()
    assert entry.state == S.REVIEWED and entry.approved_amount is None


def test_the_ledgers_totals_equal_a_hand_sum_to_the_fen(world: World) -> None:
    rng = random.Random(3)
    policy = make_policy(world)
    _version(policy)
    provincial = make_policy(
        world, code="HN-2025-001", title="省级技改补贴", level=PolicyLevel.PROVINCE, department=None
    )
    _version(provincial)
    amounts: list[Decimal] = []
    without_application: list[Decimal] = []
    for i in range(30):
        firm = make_enterprise(world.home.park, f"台账测试{i}有限公司")
        amount = Decimal(rng.randint(1, 10**9)) / 100  # up to ¥10m, fen included
        amounts.append(amount)
        if i % 5 == 4:
            without_application.append(amount)
        _entry(
            policy if i % 3 else provincial,
            world.home.park,
            firm,
            S.DISBURSED,
            approved_amount=amount,
            disbursed_amount=amount,
            voucher_number=f"PZ-{i}",
            no_application=i % 5 == 4,
        )
    hand_sum = sum(amounts, Decimal("0"))
    office = _client(world, Role.SERVICE_OFFICE)
    page = office.get(reverse("policies:ledger"), {"by": "department"}).content.decode()
    grand = page.split('data-testid="ledger-grand-total"')[1].split("</tr>")[0]
    assert yuan_text(hand_sum) in grand
    # 其中免申即享: the six paid without an application, to the fen.
    free = page.split('data-testid="ledger-no-application-total"')[1].split("</tr>")[0]
    assert "其中免申即享" in free and ">6<" in free
    assert yuan_text(sum(without_application, Decimal("0"))) in free
    totals = page.split('data-testid="ledger-totals"')[1].split('data-testid="ledger-grand-total"')[0]
    # The provincial policy names no department in the park: grouped as a policy from above.
    assert "上级政策（省级）" in totals and "<td>—</td>" not in totals
    assert world.home.department.name in totals
    exported = _export(office)
    assert sum((Decimal(str(row["兑付金额（元）"])) for row in exported.values()), Decimal("0")) == hand_sum
    assert {row["主管部门"] for row in exported.values()} == {world.home.department.name, "上级政策（省级）"}


def test_the_measure_reads_the_ledgers_yuan_in_wan_exactly(world: World) -> None:
    from lianqi.core import registry
    from lianqi.core.registry import Period

    policy = make_policy(world)
    _version(policy)
    _entry(
        policy, world.home.park, world.home.enterprise, S.DISBURSED, disbursed_amount=Decimal("48602194.01")
    )
    figure = registry.measure("policies.disbursed_amount").compute(world.home.park.path, Period.year(2025))
    assert figure == Decimal("4860.219401")


def test_an_approved_amount_is_told_to_the_enterprise_in_yuan(world: World) -> None:
    from lianqi.notifications.models import Notification

    policy = make_policy(world)
    _version(policy)
    entry = _entry(policy, world.home.park, world.home.enterprise, S.REVIEWED)
    office = _client(world, Role.SERVICE_OFFICE)
    assert _post_step(office, entry, "approve", amount="48602194.5").status_code == 302
    told = Notification.objects.filter(body__contains="¥48,602,194.50")
    assert told.exists()
