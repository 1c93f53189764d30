"""An enterprise's application, one keyword-only, typed `verb_noun` action per step of the
table (`workflow.TABLE`) on core's `take_step`, and turning a stalled application into a
demand through the demands' intake action. Money arrives as yuan (as typed) and is stored as
whole fen; an amount with a fraction of a fen is refused, never rounded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core import calendar_store, workdays
from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.uploads import check_upload, store_upload
from lianqi.core.workflow import StaleVersion, Step, required_text, take_step
from lianqi.demands.actions.intake import submit_demand
from lianqi.demands.choices import Channel
from lianqi.demands.models import Category
from lianqi.enterprises.models import Enterprise

from ..choices import FINANCING_CATEGORY, ApplicationAction, ApplicationState, ProductState
from ..models import Application, ApplicationMaterial, Product, Tranche
from ..money import fen_of, yuan_text
from ..permissions import ancestor_paths
from ..workflow import workflow
from .checks import OFFICE_ROLES, yuan_to_fen

#: The most files one application takes.
MAX_MATERIALS = 10


# --- Applications ----------------------------------------------------------------------------


def accept_due(product: Product, at: dt.datetime) -> dt.date:
    """The last day the institution may accept an application made at `at`: the product's
    promised working days on the Chinese calendar."""
    return workdays.add_workdays_at(at, product.promise_workdays, calendar_store.get_calendar()).day


def decide_due(product: Product, accepted_at: dt.datetime) -> dt.date:
    """The last day the institution may decide (grant credit or decline) an application it
    accepted at `accepted_at`, due diligence included: the product's promised working days."""
    return workdays.add_workdays_at(accepted_at, product.decide_workdays, calendar_store.get_calendar()).day


def apply_for_product(
    *,
    enterprise: Enterprise,
    product: Product,
    amount_yuan: Decimal | str,
    term_months: int,
    purpose: str,
    consent: bool,
    actor: Actor,
    materials: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Application:
    """An enterprise applies for a published product serving it: an amount within the
    product's range, a term it offers, what the money is for, consent to share its data with
    the institution, and its materials (checked like every upload; a refused file refuses the
    application). The institution's clock starts: it accepts within the product's promised
    working days. By the enterprise's own account (or the park's office for it)."""
    at = at or timezone.now()
    if len(materials) > MAX_MATERIALS:
        raise ValidationError({"materials": _("申请材料最多 %(n)s 个文件") % {"n": MAX_MATERIALS}})
    for upload in materials:
        check_upload(upload, field="materials")
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
        for upload in materials:
            store_upload(ApplicationMaterial(application=row, uploaded_by=actor, at=at), upload)
        workflow.record(
            row, action=ApplicationAction.APPLY, from_state="", actor=actor, at=at, note=row.purpose
        )
    return row


def accept_application(
    *, application: Application, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Application:
    """The institution accepts the application for review (受理); the clock of its decision
    starts (the product's promised working days to approve or decline)."""

    def change(step: Step[Application]) -> None:
        step.row.accepted_at = step.at
        step.row.decide_due = decide_due(step.row.product, step.at)

    return take_step(
        workflow,
        row=application,
        action=ApplicationAction.ACCEPT,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def investigate_application(
    *, application: Application, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Application:
    """The institution starts its due diligence (尽职调查: the site visit, the accounts, the
    collateral); credit is granted only after it, within the same decision deadline."""

    def change(step: Step[Application]) -> None:
        step.row.investigated_at = step.at

    return take_step(
        workflow,
        row=application,
        action=ApplicationAction.INVESTIGATE,
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
        granted = yuan_to_fen(granted_yuan, "granted_yuan")
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
    """The institution pays out a tranche of the loan (放款): the first one moves the application
    to 已放款, later ones keep it there. The tranches never add up to more than the credit
    granted; each is on a day no earlier than the approval and not in the future."""

    def change(step: Step[Application]) -> None:
        amount = yuan_to_fen(disbursed_yuan, "disbursed_yuan")
        already = step.row.disbursed_fen or 0
        granted = step.row.granted_fen
        if granted is None or already + amount > granted:
            left = max((granted or 0) - already, 0)
            raise ValidationError(
                {
                    "disbursed_yuan": _("各笔放款合计不能超过授信金额，尚可放款 %(left)s 元")
                    % {"left": yuan_text(left)}
                }
            )
        if disbursed_on is None:
            raise ValidationError({"disbursed_on": _("请填写放款日期")})
        approved_on = workdays.shanghai_date(step.row.decided_at) if step.row.decided_at else None
        if disbursed_on > workdays.shanghai_date(step.at) or (approved_on and disbursed_on < approved_on):
            raise ValidationError({"disbursed_on": _("放款日期须在授信之后且不晚于今天")})
        Tranche.objects.create(
            application=step.row,
            number=step.row.tranches.count() + 1,
            amount_fen=amount,
            disbursed_on=disbursed_on,
            actor=actor,
        )
        step.row.disbursed_fen = already + amount
        step.row.disbursed_on = step.row.disbursed_on or disbursed_on

    return take_step(
        workflow,
        row=application,
        action=ApplicationAction.DISBURSE,
        actor=actor,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def close_application(
    *, application: Application, actor: Actor, expected_version: int, at: dt.datetime | None = None
) -> Application:
    """The institution closes an approved or disbursed application (办结): the loan is settled,
    or what is left of the credit will not be drawn. Nothing more is paid out; what was stays
    in the figures."""
    return take_step(
        workflow,
        row=application,
        action=ApplicationAction.CLOSE,
        actor=actor,
        expected_version=expected_version,
        at=at,
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
    accepted but undecided past its decision deadline — and not already turned into a demand."""
    if application.demand_id is not None:
        return False
    if application.state == ApplicationState.DECLINED:
        return True
    due = application.due
    return due is not None and workdays.is_overdue(due, at)


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
        elif locked.state == ApplicationState.SUBMITTED:
            situation = _("超过受理期限 %(due)s 仍未受理") % {"due": locked.accept_due.isoformat()}
        else:
            situation = _("超过审批期限 %(due)s 仍未审批") % {"due": str(locked.due)}
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
    ApplicationAction.INVESTIGATE: investigate_application,
    ApplicationAction.APPROVE: approve_application,
    ApplicationAction.DECLINE: decline_application,
    ApplicationAction.DISBURSE: disburse_application,
    ApplicationAction.WITHDRAW: withdraw_application,
    ApplicationAction.CLOSE: close_application,
}
