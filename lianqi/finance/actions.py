"""Every write of the finance supermarket: institutions and their users, products (drafted by
the institution, published by the park's office after review, withdrawn), an enterprise's
application, one keyword-only, typed `verb_noun` action per step of the table
(`workflow.TABLE`) on core's `take_step`, and turning a stalled application into a demand
through the demands' intake action. Money arrives as yuan (as typed) and is stored as whole
fen; an amount with a fraction of a fen is refused, never rounded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core import calendar_store, workdays
from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import StaleVersion, Step, required_text, take_step
from lianqi.demands.actions.intake import submit_demand
from lianqi.demands.choices import Channel
from lianqi.demands.models import Category
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction
from lianqi.rules import ENTERPRISE_CATALOGUE, RuleError, rules_from_data

from .choices import ApplicationAction, ApplicationState, InstitutionKind, ProductKind, ProductState
from .models import Application, Institution, Product
from .money import MAX_FEN, fen_of
from .permissions import ancestor_paths
from .workflow import is_member, workflow

#: The demand category a stalled or refused application becomes (demands' seeded catalogue).
FINANCING_CATEGORY = "融资困难"
#: The office roles that manage institutions and review products.
OFFICE_ROLES = (Role.SERVICE_OFFICE, Role.ADMIN)


def _fen(value: Any, field: str, *, positive: bool = True) -> int:
    """Yuan as typed → whole fen, or a `ValidationError` naming `field`."""
    fen = fen_of(value)
    if fen is None:
        raise ValidationError({field: _("请填写金额（元），最多两位小数")})
    if fen > MAX_FEN or fen < 0 or (positive and fen == 0):
        raise ValidationError({field: _("金额须大于 0 且不超过 1000 亿元")})
    return fen


def _check_office(actor: Actor, path: str, field: str = "institution") -> None:
    if not (has_role(actor, OFFICE_ROLES) and path_visible(actor, path)):
        raise ValidationError({field: _("只有本辖区的金融服务部门可以办理")})


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
    _check_office(actor, jurisdiction.path, "jurisdiction")
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
    _check_office(actor, institution.jurisdiction_path)
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
    low, high = _fen(min_amount_yuan, "min_amount_yuan"), _fen(max_amount_yuan, "max_amount_yuan")
    if high < low:
        raise ValidationError({"max_amount_yuan": _("最高额度不能低于最低额度")})
    if min_rate < 0 or max_rate < min_rate or max_rate >= 100:
        raise ValidationError({"max_rate": _("利率区间不正确：最高利率不能低于最低利率，且须低于 100%")})
    if min_term_months <= 0 or max_term_months < min_term_months:
        raise ValidationError({"max_term_months": _("期限区间不正确：最长期限不能短于最短期限")})
    if promise_workdays <= 0:
        raise ValidationError({"promise_workdays": _("承诺受理时限须至少 1 个工作日")})
    checked = _check_rule(code, rule)
    with transaction.atomic():
        if Product.objects.filter(code=code).exists():
            raise ValidationError({"code": _("产品编号已被使用")})
        return Product.objects.create(
            institution=institution,
            code=code,
            name=name,
            kind=kind,
            min_amount_fen=low,
            max_amount_fen=high,
            min_rate=min_rate,
            max_rate=max_rate,
            min_term_months=min_term_months,
            max_term_months=max_term_months,
            collateral=collateral.strip()[:200],
            promise_workdays=promise_workdays,
            description=description.strip(),
            rule=checked,
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
    _check_office(actor, product.institution.jurisdiction_path, "state")
    return _set_product_state(product, ProductState.PUBLISHED, (ProductState.DRAFT, ProductState.WITHDRAWN))


def withdraw_product(*, product: Product, actor: Actor) -> Product:
    """Take a product off the shelf (its institution's user or the office); applications
    already made go on."""
    if not (
        is_member(actor, product.institution_id)
        or (has_role(actor, OFFICE_ROLES) and path_visible(actor, product.institution.jurisdiction_path))
    ):
        raise ValidationError({"state": _("只能下架本机构的产品")})
    return _set_product_state(product, ProductState.WITHDRAWN, (ProductState.PUBLISHED,))


# --- Applications ----------------------------------------------------------------------------


def accept_due(product: Product, at: dt.datetime) -> dt.date:
    """The last day the institution may accept an application made at `at`: the product's
    promised working days on the Chinese calendar."""
    return workdays.add_workdays_at(at, product.promise_workdays, calendar_store.get_calendar()).day


def apply_for_product(
    *,
    enterprise: Enterprise,
    product: Product,
    amount_yuan: Decimal | str,
    term_months: int,
    purpose: str,
    consent: bool,
    actor: Actor,
    at: dt.datetime | None = None,
) -> Application:
    """An enterprise applies for a published product serving it: an amount within the
    product's range, a term it offers, what the money is for, and consent to share its data
    with the institution. The institution's clock starts: it accepts within the product's
    promised working days. By the enterprise's own account (or the park's office for it)."""
    at = at or timezone.now()
    own = has_role(actor, (Role.ENTERPRISE,)) and actor.enterprise_id == enterprise.pk
    if not own and not (has_role(actor, OFFICE_ROLES) and path_visible(actor, enterprise.jurisdiction_path)):
        raise ValidationError({"enterprise": _("只能为本企业申请")})
    errors: dict[str, str] = {}
    amount = fen_of(amount_yuan)
    if amount is None:
        errors["amount_yuan"] = _("请填写金额（元），最多两位小数")
    elif not product.min_amount_fen <= amount <= product.max_amount_fen:
        errors["amount_yuan"] = _("申请金额须在 %(low)s 至 %(high)s 元之间") % {
            "low": f"{product.min_amount_fen / 100:,.2f}",
            "high": f"{product.max_amount_fen / 100:,.2f}",
        }
    if not product.min_term_months <= term_months <= product.max_term_months:
        errors["term_months"] = _("该产品的期限为 %(low)s 至 %(high)s 个月") % {
            "low": product.min_term_months,
            "high": product.max_term_months,
        }
    if not purpose.strip():
        errors["purpose"] = _("请填写资金用途")
    if not consent:
        errors["consent"] = _("须同意向该机构共享企业数据，机构才能审核申请")
    if errors or amount is None:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Product.objects.select_for_update().select_related("institution").get(pk=product.pk)
        if locked.state != ProductState.PUBLISHED:
            raise ValidationError({"product": _("该产品已下架")})
        if locked.institution.jurisdiction_path not in ancestor_paths(enterprise.jurisdiction_path):
            raise ValidationError({"product": _("该产品不面向本企业所在辖区")})
        row = Application.objects.create(
            jurisdiction_id=enterprise.jurisdiction_id,
            enterprise=enterprise,
            product=locked,
            institution=locked.institution,
            amount_fen=amount,
            term_months=term_months,
            purpose=purpose.strip()[:200],
            consent=True,
            submitted_at=at,
            accept_due=accept_due(locked, at),
            last_actor=actor,
            last_changed_at=at,
        )
        workflow.record(
            row, action=ApplicationAction.APPLY, from_state="", actor=actor, at=at, note=row.purpose
        )
    return row


def accept_application(
    *, application: Application, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Application:
    """The institution accepts the application for review (受理)."""

    def change(step: Step[Application]) -> None:
        step.row.accepted_at = step.at

    return take_step(
        workflow,
        row=application,
        action=ApplicationAction.ACCEPT,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def approve_application(
    *,
    application: Application,
    actor: Actor,
    expected_version: int,
    granted_yuan: Decimal | str,
    at: dt.datetime | None = None,
) -> Application:
    """The institution approves, granting credit (授信) of at most the amount applied for."""

    def change(step: Step[Application]) -> None:
        granted = _fen(granted_yuan, "granted_yuan")
        if granted > step.row.amount_fen:
            raise ValidationError({"granted_yuan": _("授信金额不能超过申请金额")})
        step.row.granted_fen = granted
        step.row.decided_at = step.at

    return take_step(
        workflow,
        row=application,
        action=ApplicationAction.APPROVE,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def decline_application(
    *,
    application: Application,
    actor: Actor,
    expected_version: int,
    reason: str,
    at: dt.datetime | None = None,
) -> Application:
    """The institution declines, saying why (the enterprise reads the reason)."""

    def change(step: Step[Application]) -> None:
        step.row.reason = step.note = required_text(reason, "reason", _("请填写未通过原因"))
        step.row.decided_at = step.at

    return take_step(
        workflow,
        row=application,
        action=ApplicationAction.DECLINE,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def disburse_application(
    *,
    application: Application,
    actor: Actor,
    expected_version: int,
    disbursed_yuan: Decimal | str,
    disbursed_on: dt.date | None,
    at: dt.datetime | None = None,
) -> Application:
    """The institution lends (放款): an amount no larger than the credit granted, on a day no
    earlier than the approval and not in the future."""

    def change(step: Step[Application]) -> None:
        amount = _fen(disbursed_yuan, "disbursed_yuan")
        if step.row.granted_fen is None or amount > step.row.granted_fen:
            raise ValidationError({"disbursed_yuan": _("放款金额不能超过授信金额")})
        if disbursed_on is None:
            raise ValidationError({"disbursed_on": _("请填写放款日期")})
        approved_on = workdays.shanghai_date(step.row.decided_at) if step.row.decided_at else None
        if disbursed_on > workdays.shanghai_date(step.at) or (approved_on and disbursed_on < approved_on):
            raise ValidationError({"disbursed_on": _("放款日期须在授信之后且不晚于今天")})
        step.row.disbursed_fen = amount
        step.row.disbursed_on = disbursed_on

    return take_step(
        workflow,
        row=application,
        action=ApplicationAction.DISBURSE,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def withdraw_application(
    *, application: Application, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Application:
    """The enterprise withdraws its application before a decision."""
    return take_step(
        workflow,
        row=application,
        action=ApplicationAction.WITHDRAW,
        actor=actor,
        expected_version=expected_version,
        at=at,
    )


def can_raise_demand(application: Application, *, at: dt.datetime) -> bool:
    """Whether the application has stalled: declined, or not accepted by its deadline, or
    accepted but undecided long after it — and not already turned into a demand."""
    if application.demand_id is not None:
        return False
    if application.state == ApplicationState.DECLINED:
        return True
    return application.state == ApplicationState.SUBMITTED and workdays.is_overdue(application.accept_due, at)


def raise_demand(
    *, application: Application, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Application:
    """Turn a stalled application (declined, or not accepted in time) into a demand of category
    融资困难 through the demands' intake action, linked to the application, so the park follows
    it up like any demand. By the enterprise's liaison or the office of its jurisdiction."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("enterprise", "product", "institution")
            .get(pk=application.pk)
        )
        if locked.version != expected_version:
            raise StaleVersion(workflow, locked)
        enterprise = locked.enterprise
        liaison = (
            has_role(actor, (Role.LIAISON,))
            and enterprise.liaison is not None
            and enterprise.liaison.user_id == actor.pk
        )
        office = has_role(actor, OFFICE_ROLES) and path_visible(actor, locked.jurisdiction_path)
        if not (liaison or office):
            raise ValidationError({"application": _("只有企业的联企干部或金融服务部门可以转为诉求")})
        if not can_raise_demand(locked, at=at):
            raise ValidationError({"application": _("只有未按时受理或未通过的申请可以转为诉求")})
        category = Category.objects.filter(name=FINANCING_CATEGORY).first()
        if category is None:
            raise ValidationError({"application": _("诉求类别“融资困难”不存在")})
        if locked.state == ApplicationState.DECLINED:
            situation = _("未通过，原因：%(reason)s") % {"reason": locked.reason}
        else:
            situation = _("超过受理期限 %(due)s 仍未受理") % {"due": locked.accept_due.isoformat()}
        description = _("企业向%(institution)s申请“%(product)s”%(amount)s元，%(situation)s。") % {
            "institution": locked.institution.name,
            "product": locked.product.name,
            "amount": f"{locked.amount_fen / 100:,.2f}",
            "situation": situation,
        }
        demand = submit_demand(
            enterprise=enterprise,
            category=category,
            channel=Channel.LIAISON if liaison else Channel.API,
            description=description,
            actor=actor,
            at=at,
        )
        locked.demand = demand
        locked.version += 1
        locked.last_actor = actor
        locked.last_changed_at = at
        locked.save(update_fields=["demand", "version", "last_actor", "last_changed_at", "updated_at"])
        workflow.record(
            locked,
            action=ApplicationAction.RAISE_DEMAND,
            from_state=locked.state,
            actor=actor,
            at=at,
            note=description,
        )
    return locked


#: The action of each step by the table's name for it: what the step page and the API call
#: with the input the step needs (`workflow.needs_of`).
STEPS: dict[str, Callable[..., Application]] = {
    ApplicationAction.ACCEPT: accept_application,
    ApplicationAction.APPROVE: approve_application,
    ApplicationAction.DECLINE: decline_application,
    ApplicationAction.DISBURSE: disburse_application,
    ApplicationAction.WITHDRAW: withdraw_application,
}
