"""Builders for the finance supermarket's tests: an institution in each park with the park's
financial-institution user bound to it, a published product whose admission criteria are a
rule (manufacturing, revenue last year at least 1,000 万元), applications placed directly in
any state of the lifecycle, and the actor of each workflow role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.enterprises.models import YearFigure
from lianqi.testing.world import Side, World, make_user

from .. import cells
from ..choices import ApplicationState, InstitutionKind, ProductKind, ProductState
from ..models import Application, Institution, Product, Tranche
from ..workflow import BANK, ENTERPRISE

AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)
#: Input that satisfies every step's needs (`workflow.needs_of`).
INPUTS: dict[str, Any] = {
    "granted_yuan": Decimal("800000.00"),
    "reason": "经营现金流不足以覆盖还款",
    "disbursed_yuan": Decimal("800000.00"),
    "disbursed_on": dt.date(2025, 3, 3),
}


def product_rule(code: str, revenue: int = 1000) -> dict[str, Any]:
    """Manufacturing enterprises with last year's revenue of at least `revenue` 万元."""
    return {
        "version": 1,
        "rules": [
            {
                "code": code,
                "name": "制造业流动资金贷",
                "eligibility": {
                    "all": [
                        {"attribute": "industry", "op": "prefix", "value": ["C"]},
                        {"attribute": "revenue", "year": "Y-1", "op": ">=", "value": revenue},
                    ]
                },
            }
        ],
    }


def institution_of(side: Side, name: str = "", *, user: User | None = None) -> Institution:
    """The park's bank, with the park's financial-institution user (or `user`) as its user."""
    name = name or f"{side.park.name}农商银行"
    institution, _created = Institution.objects.get_or_create(
        jurisdiction=side.park, name=name, defaults={"kind": InstitutionKind.BANK, "branches": 3}
    )
    institution.members.add(user or side.users[Role.FINANCE])
    return institution


def product_of(side: Side, *, code: str = "", state: str = ProductState.PUBLISHED, **fields: Any) -> Product:
    """The park's bank's product: ¥100,000.00–¥5,000,000.00, 3.45%–4.35%, 6–36 months."""
    institution = fields.pop("institution", None) or institution_of(side)
    code = code or f"P-{side.park.code}"
    existing = Product.objects.filter(code=code).first()
    if existing is not None:
        return existing
    values: dict[str, Any] = {
        "institution": institution,
        "code": code,
        "name": "科创流动资金贷",
        "kind": ProductKind.CREDIT,
        "min_amount_fen": 10_000_000,
        "max_amount_fen": 500_000_000,
        "min_rate": Decimal("3.45"),
        "max_rate": Decimal("4.35"),
        "min_term_months": 6,
        "max_term_months": 36,
        "promise_workdays": 3,
        "rule": product_rule(code),
        "state": state,
    }
    values.update(fields)
    return Product.objects.create(**values)


def rival_bank_user(world: World) -> User:
    """Another institution's user in the home park, bound to a bank of its own."""
    user = User.objects.filter(username="home_rival_bank").first() or make_user(
        "home_rival_bank", Role.FINANCE, world.home.park
    )
    institution_of(world.home, "湘潭高新区建设银行", user=user)
    return user


def give_revenue(side: Side, year: int, wan: int) -> None:
    YearFigure.objects.update_or_create(enterprise=side.enterprise, year=year, defaults={"revenue": wan})


def make_application(
    world: World, state: str = ApplicationState.SUBMITTED, side: Side | None = None, **fields: Any
) -> Application:
    """An application of a park's enterprise for its bank's product, placed directly in `state`
    with what that state implies (a credit once approved, a loan once disbursed, a reason once
    declined)."""
    side = side or world.home
    product = product_of(side)
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "enterprise": side.enterprise,
        "product": product,
        "institution": product.institution,
        "amount_fen": 100_000_000,
        "term_months": 12,
        "purpose": "采购原材料",
        "consent": True,
        "state": state,
        "submitted_at": AT,
        "accept_due": dt.date(2025, 3, 6),
    }
    if state not in (ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN):
        values.update(accepted_at=AT, decide_due=dt.date(2025, 3, 27))
    if state == ApplicationState.DILIGENCE:
        values.update(investigated_at=AT)
    if state in (ApplicationState.APPROVED, ApplicationState.DISBURSED, ApplicationState.CLOSED):
        values.update(granted_fen=90_000_000, decided_at=AT)
    if state in (ApplicationState.DISBURSED, ApplicationState.CLOSED):
        # A first tranche of ¥100,000 out of ¥900,000 granted: another of `INPUTS` still fits.
        values.update(disbursed_fen=10_000_000, disbursed_on=AT.date())
    if state == ApplicationState.DECLINED:
        values.update(reason=INPUTS["reason"], decided_at=AT)
    values.update(fields)
    row = Application.objects.create(**values)
    if row.disbursed_fen:
        Tranche.objects.create(
            application=row,
            number=1,
            amount_fen=row.disbursed_fen,
            disbursed_on=row.disbursed_on or AT.date(),
        )
    # Written past the actions: its figures' days are marked as an import's would be.
    cells.mark_application(row, at=row.decided_at or row.submitted_at)
    return row


def actor_for(world: World, role: str) -> User:
    """Who takes a step in a workflow role: the home park's bank user, or the enterprise's account."""
    if role == BANK:
        institution_of(world.home)
        return world.user(Role.FINANCE)
    assert role == ENTERPRISE
    return world.user(Role.ENTERPRISE)
