"""The supermarket's catalogue: institutions and their users, products drafted by the
institution and published by the park's office after review, or withdrawn."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import required_text
from lianqi.org.models import Jurisdiction
from lianqi.rules import ENTERPRISE_CATALOGUE, RuleError, rules_from_data

from ..choices import InstitutionKind, ProductKind, ProductState
from ..models import Institution, Product
from ..workflow import is_member
from .checks import OFFICE_ROLES, check_office, yuan_to_fen

# --- Institutions ----------------------------------------------------------------------------


def create_institution(
    *,
    jurisdiction: Jurisdiction,
    name: str,
    kind: InstitutionKind | str,
    actor: Actor,
    branches: int = 0,
    contact_name: str = "",
    contact_phone: str = "",
) -> Institution:
    """Register a financial institution serving `jurisdiction` and everything below it. Only
    the office of that jurisdiction (or above) may."""
    name = required_text(name, "name", _("请填写机构名称"))
    check_office(actor, jurisdiction.path, "jurisdiction")
    if kind not in InstitutionKind.values:
        raise ValidationError({"kind": _("请选择机构类型")})
    if branches < 0:
        raise ValidationError({"branches": _("网点数不能为负数")})
    with transaction.atomic():
        if Institution.objects.filter(jurisdiction=jurisdiction, name=name).exists():
            raise ValidationError({"name": _("本辖区已有同名机构")})
        return Institution.objects.create(
            jurisdiction=jurisdiction,
            name=name,
            kind=kind,
            branches=branches,
            contact_name=contact_name.strip()[:40],
            contact_phone=contact_phone.strip()[:20],
        )


def bind_institution_user(*, institution: Institution, user: Any, actor: Actor) -> Institution:
    """Make `user` (who holds the financial-institution role) a user of `institution`: from
    then on they see its products and the applications made to it."""
    check_office(actor, institution.jurisdiction_path)
    if not has_role(user, (Role.FINANCE,)):
        raise ValidationError({"user": _("该用户不是金融机构用户")})
    with transaction.atomic():
        locked = Institution.objects.select_for_update().get(pk=institution.pk)
        locked.members.add(user)
    return locked


# --- Products --------------------------------------------------------------------------------


def _check_rule(code: str, rule: Any) -> dict[str, Any]:
    """The admission criteria, checked by the rule engine: it parses, holds exactly one rule,
    and that rule carries the product's code."""
    try:
        ruleset = rules_from_data(rule, ENTERPRISE_CATALOGUE)
    except RuleError as error:
        raise ValidationError({"rule": [str(issue) for issue in error.issues]}) from error
    if len(ruleset.rules) != 1 or ruleset.rules[0].code != code:
        raise ValidationError(
            {"rule": _("准入条件须恰好包含一条规则，其编号与产品编号“%(code)s”一致") % {"code": code}}
        )
    return dict(rule)


def create_product(
    *,
    institution: Institution,
    actor: Actor,
    code: str,
    name: str,
    kind: ProductKind | str,
    min_amount_yuan: Decimal | str,
    max_amount_yuan: Decimal | str,
    min_rate: Decimal,
    max_rate: Decimal,
    min_term_months: int,
    max_term_months: int,
    rule: dict[str, Any],
    collateral: str = "",
    promise_workdays: int = 5,
    decide_workdays: int = 15,
    description: str = "",
) -> Product:
    """Draft a product of `institution`: by a user of that institution, or by the office of its
    jurisdiction. A draft is seen by nobody else until the office publishes it."""
    if not (
        is_member(actor, institution.pk)
        or (has_role(actor, OFFICE_ROLES) and path_visible(actor, institution.jurisdiction_path))
    ):
        raise ValidationError({"institution": _("只能为本机构登记产品")})
    code = required_text(code, "code", _("请填写产品编号"))
    name = required_text(name, "name", _("请填写产品名称"))
    if kind not in ProductKind.values:
        raise ValidationError({"kind": _("请选择产品类型")})
    terms = checked_terms(
        code,
        min_amount_yuan=min_amount_yuan,
        max_amount_yuan=max_amount_yuan,
        min_rate=min_rate,
        max_rate=max_rate,
        min_term_months=min_term_months,
        max_term_months=max_term_months,
        rule=rule,
        collateral=collateral,
        promise_workdays=promise_workdays,
        decide_workdays=decide_workdays,
        description=description,
    )
    with transaction.atomic():
        if Product.objects.filter(code=code).exists():
            raise ValidationError({"code": _("产品编号已被使用")})
        return Product.objects.create(institution=institution, code=code, name=name, kind=kind, **terms)


def checked_terms(
    code: str,
    *,
    min_amount_yuan: Decimal | str,
    max_amount_yuan: Decimal | str,
    min_rate: Decimal,
    max_rate: Decimal,
    min_term_months: int,
    max_term_months: int,
    rule: dict[str, Any],
    collateral: str = "",
    promise_workdays: int = 5,
    decide_workdays: int = 15,
    description: str = "",
) -> dict[str, Any]:
    """A product's terms as typed, checked (each refusal on its field) and as the model keeps
    them (amounts in fen): for a new product and for a new version of one alike."""
    low, high = (
        yuan_to_fen(min_amount_yuan, "min_amount_yuan"),
        yuan_to_fen(max_amount_yuan, "max_amount_yuan"),
    )
    if high < low:
        raise ValidationError({"max_amount_yuan": _("最高额度不能低于最低额度")})
    if min_rate < 0 or max_rate < min_rate or max_rate >= 100:
        raise ValidationError({"max_rate": _("利率区间不正确：最高利率不能低于最低利率，且须低于 100%")})
    if min_term_months <= 0 or max_term_months < min_term_months:
        raise ValidationError({"max_term_months": _("期限区间不正确：最长期限不能短于最短期限")})
    if promise_workdays <= 0:
        raise ValidationError({"promise_workdays": _("承诺受理时限须至少 1 个工作日")})
    if not 1 <= decide_workdays <= 120:
        raise ValidationError({"decide_workdays": _("承诺审批时限须在 1 至 120 个工作日之间")})
    return {
        "min_amount_fen": low,
        "max_amount_fen": high,
        "min_rate": min_rate,
        "max_rate": max_rate,
        "min_term_months": min_term_months,
        "max_term_months": max_term_months,
        "collateral": collateral.strip()[:200],
        "promise_workdays": promise_workdays,
        "decide_workdays": decide_workdays,
        "description": description.strip(),
        "rule": _check_rule(code, rule),
    }


def may_manage_product(actor: Any, product: Product) -> bool:
    """A user of the product's institution, or the office of its jurisdiction."""
    return is_member(actor, product.institution_id) or (
        has_role(actor, OFFICE_ROLES) and path_visible(actor, product.institution.jurisdiction_path)
    )


def _set_product_state(product: Product, state: ProductState, allowed_from: tuple[str, ...]) -> Product:
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        if locked.state not in allowed_from:
            raise ValidationError(
                {"state": _("产品当前为“%(state)s”，不能执行此操作") % {"state": locked.get_state_display()}}
            )
        locked.state = state
        locked.save(update_fields=["state", "updated_at"])
    return locked


def publish_product(*, product: Product, actor: Actor) -> Product:
    """Put a drafted (or withdrawn) product on the shelf, after the office's review: only the
    office of the institution's jurisdiction may."""
    check_office(actor, product.institution.jurisdiction_path, "state")
    return _set_product_state(product, ProductState.PUBLISHED, (ProductState.DRAFT, ProductState.WITHDRAWN))


def withdraw_product(*, product: Product, actor: Actor) -> Product:
    """Take a product off the shelf (its institution's user or the office); applications
    already made go on."""
    if not may_manage_product(actor, product):
        raise ValidationError({"state": _("只能下架本机构的产品")})
    return _set_product_state(product, ProductState.WITHDRAWN, (ProductState.PUBLISHED,))
