"""The year's figures on the overview, against sums worked out by hand: applications taken
through the actions on given days (so every step marks its day cells), the headline in the
seed's form, the tables by institution, product kind, industry and enterprise kind and by
month, the approval rate, the median working days of each step, the share of
financing-difficulty demands closed by a loan — a later step changes them at once, and the
other park's applications never count."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.demands.choices import DemandState
from lianqi.demands.tests.factories import category, make_demand
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.testing.world import World, make_enterprise

from .. import actions, queries
from ..choices import FigureDimension
from ..models import Application
from .factories import institution_of, product_of


def _at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=SHANGHAI)


def _lend(
    world: World, enterprise, *, applied: dt.datetime, wan: int, tranches: list[tuple[int, dt.date]]
) -> Application:  # type: ignore[no-untyped-def]
    """An application of `enterprise` taken to a loan: accepted the next working day (a
    Monday for a Friday), investigated, approved three days later, then paid in `tranches`."""
    bank = world.user(Role.FINANCE)
    row = actions.apply_for_product(
        enterprise=enterprise,
        product=product_of(world.home),
        amount_yuan=Decimal(wan * 10_000),
        term_months=12,
        purpose="采购原材料",
        consent=True,
        actor=world.user(Role.SERVICE_OFFICE),
        at=applied,
    )
    accepted = applied + dt.timedelta(days=1)
    row = actions.accept_application(application=row, actor=bank, expected_version=1, at=accepted)
    row = actions.investigate_application(application=row, actor=bank, expected_version=2, at=accepted)
    decided = accepted + dt.timedelta(days=3)
    row = actions.approve_application(
        application=row, actor=bank, expected_version=3, granted_yuan=Decimal(wan * 10_000), at=decided
    )
    for amount, day in tranches:
        row = actions.disburse_application(
            application=row,
            actor=bank,
            expected_version=row.version,
            disbursed_yuan=Decimal(amount * 10_000),
            disbursed_on=day,
            at=dt.datetime(day.year, day.month, day.day, 15, tzinfo=SHANGHAI),
        )
    return row


def test_the_years_figures_add_up_to_hand_computed_sums(world: World) -> None:
    institution_of(world.home)
    small = make_enterprise(world.home.park, "湘潭示范小微科技有限公司", kind=EnterpriseKind.BELOW_SIZE)
    # Applied Tuesday 4 March, accepted Wednesday (1 working day), decided Saturday 8 March
    # (Thursday and Friday: 2 working days), first paid Monday 10 March (1 working day).
    first = _lend(
        world,
        world.home.enterprise,
        applied=_at(3, 4),
        wan=301,  # 1 万元 of it not yet drawn
        tranches=[(100, dt.date(2025, 3, 10)), (200, dt.date(2025, 4, 15))],
    )
    _lend(world, small, applied=_at(4, 1), wan=50, tranches=[(50, dt.date(2025, 4, 7))])
    declined = actions.apply_for_product(
        enterprise=small,
        product=product_of(world.home),
        amount_yuan="200000",
        term_months=12,
        purpose="扩大产能",
        consent=True,
        actor=world.user(Role.SERVICE_OFFICE),
        at=_at(5, 6),
    )
    bank = world.user(Role.FINANCE)
    declined = actions.accept_application(application=declined, actor=bank, expected_version=1, at=_at(5, 7))
    actions.decline_application(
        application=declined, actor=bank, expected_version=2, reason="经营现金流不足", at=_at(5, 8)
    )
    # The other park's loan is theirs alone.
    institution_of(world.other)
    other_product = product_of(world.other)
    other = actions.apply_for_product(
        enterprise=world.other.enterprise,
        product=other_product,
        amount_yuan="900000",
        term_months=12,
        purpose="采购设备",
        consent=True,
        actor=world.other_user(Role.SERVICE_OFFICE),
        at=_at(3, 4),
    )
    assert other.pk

    office = Client()
    office.force_login(world.user(Role.SERVICE_OFFICE))
    figures = queries.year_figures(world.user(Role.SERVICE_OFFICE), 2025)
    assert figures.total.applications == 3
    assert (figures.total.granted, figures.total.declined) == (2, 1)
    assert figures.total.approval_rate == Decimal("66.7")
    assert figures.total.granted_fen == 351 * 1_000_000
    assert figures.total.disbursed_fen == 350 * 1_000_000
    assert (figures.total.tranches, figures.total.served) == (3, 2)
    by_kind = {row.key: row for row in figures.tables[FigureDimension.ENTERPRISE_KIND]}
    assert by_kind[EnterpriseKind.BELOW_SIZE].disbursed_fen == 50 * 1_000_000
    assert by_kind[EnterpriseKind.BELOW_SIZE].declined == 1
    assert by_kind[EnterpriseKind.ABOVE_SIZE].disbursed_fen == 300 * 1_000_000
    [industry] = figures.tables[FigureDimension.INDUSTRY]
    assert (industry.key, industry.name, industry.applications) == ("C", "C 制造业", 3)
    # Loans are counted in the month they were paid: ¥1m in March, ¥2m + ¥0.5m in April.
    assert [m.disbursed_fen // 1_000_000 for m in figures.months[2:5]] == [100, 250, 0]
    assert [m.applications for m in figures.months[2:5]] == [1, 1, 1]
    steps = {s.step: s for s in figures.steps}
    # Accepted the day after applying: 1 working day each (Tue→Wed, Tue→Wed, Tue→Wed).
    assert (steps["accept"].median, steps["accept"].count) == (Decimal(1), 3)
    # Decided after 2, 1 (Wednesday 2 April → Saturday 5 April over the Qingming holiday) and
    # 1 working days.
    assert (steps["decide"].median, steps["decide"].count) == (Decimal(1), 3)
    # First tranche after approval: Saturday 8 March → Monday 10 March, Saturday 5 April →
    # Monday 7 April: 1 working day each.
    assert (steps["disburse"].median, steps["disburse"].count) == (Decimal(1), 2)
    html = office.get(reverse("finance:overview") + "?year=2025").content.decode()
    assert 'data-figure="disbursed">350.00<' in html and 'data-figure="enterprises">2<' in html

    # A later tranche of the first loan, in May, moves the figures at once.
    actions.disburse_application(
        application=first,
        actor=bank,
        expected_version=Application.objects.get(pk=first.pk).version,
        disbursed_yuan="0.01",
        disbursed_on=dt.date(2025, 5, 20),
        at=_at(5, 20),
    )
    figures = queries.year_figures(world.user(Role.SERVICE_OFFICE), 2025)
    assert figures.total.disbursed_fen == 350 * 1_000_000 + 1
    assert figures.months[4].disbursed_fen == 1
    assert figures.total.served == 2  # the same two enterprises

    # The other park's office sees its own application and nothing of this park's.
    theirs = queries.year_figures(world.other_user(Role.SERVICE_OFFICE), 2025)
    assert (theirs.total.applications, theirs.total.disbursed_fen) == (1, 0)

    response = office.get(reverse("finance:overview") + "?year=2025&export=month")
    rows = list(
        load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    assert Decimal(str(rows[4][-1])) == Decimal("2500000.00")  # April, to the fen


def test_the_share_of_financing_demands_closed_by_a_loan(world: World) -> None:
    institution_of(world.home)
    make_demand(world, DemandState.CLOSED, received_at=_at(2, 10), closed_at=_at(4, 30))
    small = make_enterprise(world.home.park, "湘潭示范小微科技有限公司")
    make_demand(world, DemandState.CLOSED, enterprise=small, received_at=_at(2, 10), closed_at=_at(3, 1))
    # Still open, and of another category: neither counts.
    make_demand(world, DemandState.HANDLING, received_at=_at(2, 10))
    make_demand(world, DemandState.CLOSED, category=category("政策咨询"), closed_at=_at(4, 30))
    _lend(world, world.home.enterprise, applied=_at(3, 4), wan=100, tranches=[(100, dt.date(2025, 3, 10))])
    # The small firm's loan came after its demand was closed: not closed by it.
    _lend(world, small, applied=_at(3, 4), wan=50, tranches=[(50, dt.date(2025, 3, 11))])
    figures = queries.year_figures(world.user(Role.SERVICE_OFFICE), 2025)
    assert (figures.financing_closed_by_loan, figures.financing_demands) == (1, 2)
    assert figures.financing_share == Decimal("50.0")
    assert queries.year_figures(world.other_user(Role.SERVICE_OFFICE), 2025).financing_demands == 0


def test_the_median_of_a_histogram() -> None:
    assert queries.median_of(Counter()) is None
    assert queries.median_of(Counter({3: 1})) == 3
    assert queries.median_of(Counter({1: 1, 4: 1})) == Decimal("2.5")
    assert queries.median_of(Counter({0: 2, 5: 1, 9: 2})) == 5


def test_the_rebuild_command_recounts_the_cells_from_the_applications(world: World) -> None:
    from django.core.management import call_command

    from ..choices import ApplicationState
    from ..models import FigureCell
    from .factories import make_application

    make_application(world, ApplicationState.DISBURSED, granted_fen=123_456_789, disbursed_fen=123_456_789)
    office = world.user(Role.SERVICE_OFFICE)
    before = queries.year_figures(office, 2025).total
    FigureCell.objects.all().delete()  # lost, or never built for rows loaded by SQL
    out = io.StringIO()
    call_command("rebuild_finance_figures", stdout=out)
    assert "recounted" in out.getvalue()
    assert queries.year_figures(office, 2025).total == before
    assert before.disbursed_fen == 123_456_789
