"""The writes outside the table and what the steps check: applying (each bad field named,
nothing written), money kept to the fen, products checked by the rule engine and published
only by the office, and a stalled application turned into a demand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed
from lianqi.demands.models import Demand
from lianqi.testing.world import World

from .. import actions, queries
from ..choices import ApplicationState, ProductState
from ..models import Application, ApplicationEvent, Product
from .factories import AT, institution_of, make_application, product_of, product_rule


def _apply(world: World, **overrides: object) -> Application:
    values: dict[str, object] = {
        "enterprise": world.home.enterprise,
        "product": product_of(world.home),
        "amount_yuan": "1000000.00",
        "term_months": 12,
        "purpose": "采购原材料",
        "consent": True,
        "actor": world.user(Role.ENTERPRISE),
        "at": AT,
    }
    values.update(overrides)
    return actions.apply_for_product(**values)  # type: ignore[arg-type]


def test_an_application_starts_the_banks_clock_in_working_days(world: World) -> None:
    row = _apply(world, at=dt.datetime(2025, 3, 7, 10, tzinfo=AT.tzinfo))  # a Friday
    assert row.state == ApplicationState.SUBMITTED
    assert row.amount_fen == 100_000_000
    # Three working days from Friday: Monday, Tuesday, Wednesday.
    assert row.accept_due == dt.date(2025, 3, 12)
    assert ApplicationEvent.objects.get(application=row).action == "apply"


def test_acceptance_starts_the_decision_clock_and_credit_waits_for_due_diligence(world: World) -> None:
    bank = world.user(Role.FINANCE)
    row = make_application(world)
    product = row.product
    product.decide_workdays = 10
    product.save(update_fields=["decide_workdays"])
    friday = dt.datetime(2025, 9, 26, 16, tzinfo=AT.tzinfo)  # the National Day week follows
    row = actions.accept_application(application=row, actor=bank, expected_version=1, at=friday)
    # Ten working days from Friday 26 September 2025: Sunday the 28th is a make-up working
    # day, 1–8 October are holidays, Saturday the 11th is worked again.
    assert row.decide_due == dt.date(2025, 10, 16)
    with pytest.raises(TransitionNotAllowed):  # no credit before due diligence
        actions.approve_application(application=row, actor=bank, expected_version=2, granted_yuan="1000")
    row = actions.investigate_application(application=row, actor=bank, expected_version=2, at=friday)
    assert (row.state, row.investigated_at) == (ApplicationState.DILIGENCE, friday)
    assert not queries.is_overdue(row, at=dt.datetime(2025, 10, 16, 20, tzinfo=AT.tzinfo))
    late = dt.datetime(2025, 10, 17, 9, tzinfo=AT.tzinfo)
    assert queries.is_overdue(row, at=late)
    assert list(queries.overdue(Application.objects.all(), at=late)) == [row]
    # Undecided past its deadline, the liaison may turn it into a financing demand.
    row = actions.raise_demand(application=row, actor=world.user(Role.LIAISON), expected_version=3, at=late)
    assert row.demand is not None and "超过审批期限 2025-10-16 仍未审批" in row.demand.description


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_yuan": "99999.99"}, "amount_yuan"),  # one fen below the product's least
        ({"amount_yuan": "5000000.01"}, "amount_yuan"),  # one fen above its most
        ({"amount_yuan": "100000.001"}, "amount_yuan"),  # a fraction of a fen
        ({"term_months": 48}, "term_months"),
        ({"purpose": "  "}, "purpose"),
        ({"consent": False}, "consent"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_nothing_written(
    world: World, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _apply(world, **overrides)
    assert field in refused.value.message_dict
    assert not Application.objects.exists()


def test_the_bounds_of_the_range_are_accepted_to_the_fen(world: World) -> None:
    assert _apply(world, amount_yuan="100000.00").amount_fen == 10_000_000
    assert _apply(world, amount_yuan=Decimal("5000000.00")).amount_fen == 500_000_000


def test_a_withdrawn_product_or_another_parks_product_takes_no_application(world: World) -> None:
    withdrawn = product_of(world.home, code="P-OLD", state=ProductState.WITHDRAWN)
    with pytest.raises(ValidationError) as refused:
        _apply(world, product=withdrawn)
    assert "product" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _apply(world, product=product_of(world.other))
    with pytest.raises(ValidationError):  # another enterprise's account
        _apply(world, actor=world.other_user(Role.ENTERPRISE))
    assert not Application.objects.exists()


def test_credit_and_loan_are_kept_to_the_fen_and_the_loan_never_exceeds_the_credit(world: World) -> None:
    bank = world.user(Role.FINANCE)
    row = make_application(world, ApplicationState.DILIGENCE)
    with pytest.raises(ValidationError) as refused:  # more than applied for
        actions.approve_application(
            application=row, actor=bank, expected_version=1, granted_yuan="1000000.01"
        )
    assert "granted_yuan" in refused.value.message_dict
    row = actions.approve_application(
        application=row, actor=bank, expected_version=1, granted_yuan="876543.21"
    )
    assert row.granted_fen == 87_654_321
    with pytest.raises(ValidationError) as refused:
        actions.disburse_application(
            application=row,
            actor=bank,
            expected_version=2,
            disbursed_yuan="876543.22",
            disbursed_on=dt.date.today(),
        )
    assert "disbursed_yuan" in refused.value.message_dict
    row.refresh_from_db()
    assert (row.state, row.disbursed_fen) == (ApplicationState.APPROVED, None)
    row = actions.disburse_application(
        application=row,
        actor=bank,
        expected_version=2,
        disbursed_yuan="876543.21",
        disbursed_on=dt.date.today(),
    )
    assert (row.state, row.disbursed_fen) == (ApplicationState.DISBURSED, 87_654_321)


def test_the_figures_add_up_to_the_fen(world: World) -> None:
    amounts = [12_345_601, 98_765_499, 1]
    for fen in amounts:
        make_application(world, ApplicationState.DISBURSED, granted_fen=fen, disbursed_fen=fen)
    make_application(world, ApplicationState.DECLINED)
    make_application(world)
    totals = queries.figures(Application.objects.all())
    assert totals["disbursed_fen"] == sum(amounts)
    assert (totals["applications"], totals["granted"], totals["declined"], totals["open"]) == (5, 3, 1, 1)
    assert totals["approval_rate"] == 75.0


def test_a_declined_application_needs_its_reason(world: World) -> None:
    row = make_application(world)
    with pytest.raises(ValidationError) as refused:
        actions.decline_application(
            application=row, actor=world.user(Role.FINANCE), expected_version=1, reason=" "
        )
    assert "reason" in refused.value.message_dict


def test_a_product_is_checked_by_the_rule_engine_and_published_by_the_office_only(world: World) -> None:
    institution = institution_of(world.home)
    values: dict[str, object] = {
        "institution": institution,
        "actor": world.user(Role.FINANCE),
        "code": "NEW-1",
        "name": "科技贷",
        "kind": "credit",
        "min_amount_yuan": "10000",
        "max_amount_yuan": "3000000",
        "min_rate": Decimal("3.2"),
        "max_rate": Decimal("4.0"),
        "min_term_months": 6,
        "max_term_months": 24,
        "rule": product_rule("NEW-1"),
    }
    broken = product_rule("NEW-1")
    broken["rules"][0]["eligibility"]["all"][1]["attribute"] = "no_such_thing"
    with pytest.raises(ValidationError) as refused:
        actions.create_product(**{**values, "rule": broken})  # type: ignore[arg-type]
    assert "rule" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        actions.create_product(**{**values, "max_amount_yuan": "9999.99"})  # type: ignore[arg-type]
    assert "max_amount_yuan" in refused.value.message_dict
    product = actions.create_product(**values)  # type: ignore[arg-type]
    assert (product.state, product.min_amount_fen) == (ProductState.DRAFT, 1_000_000)
    with pytest.raises(ValidationError):  # the bank does not publish its own product
        actions.publish_product(product=product, actor=world.user(Role.FINANCE))
    with pytest.raises(ValidationError):  # nor the other park's office
        actions.publish_product(product=product, actor=world.other_user(Role.SERVICE_OFFICE))
    product = actions.publish_product(product=product, actor=world.user(Role.SERVICE_OFFICE))
    assert Product.objects.get(pk=product.pk).state == ProductState.PUBLISHED


def test_an_overdue_application_becomes_a_financing_demand_once(world: World) -> None:
    row = make_application(world)  # due 2025-03-06
    liaison = world.user(Role.LIAISON)
    on_time = dt.datetime(2025, 3, 6, 18, tzinfo=AT.tzinfo)
    with pytest.raises(ValidationError):
        actions.raise_demand(application=row, actor=liaison, expected_version=1, at=on_time)
    late = dt.datetime(2025, 3, 7, 9, tzinfo=AT.tzinfo)
    with pytest.raises(ValidationError):  # another park's office
        actions.raise_demand(
            application=row, actor=world.other_user(Role.SERVICE_OFFICE), expected_version=1, at=late
        )
    row = actions.raise_demand(application=row, actor=liaison, expected_version=1, at=late)
    demand = Demand.objects.get()
    assert row.demand == demand
    assert (demand.category.name, demand.enterprise) == ("融资困难", world.home.enterprise)
    assert row.institution.name in demand.description
    with pytest.raises(ValidationError):  # not twice
        actions.raise_demand(application=row, actor=liaison, expected_version=2, at=late)
    assert Demand.objects.count() == 1
