"""Writes of the fulfilment ledger (承诺兑现台账): one typed action per step of the table in
`workflow.py`, each taken on the workflow kit's `take_step` (lock, version, table, change,
event, in one transaction); opening entries for new matches; an enterprise's online
application; and the office's batch steps (一键告知, 免申即享 approval), which take the same
typed steps entry by entry.

Entering a state sets the working-day deadline of the administration's next step. The
enterprise (and for some steps its liaison, or the phone its application gave) is told in
the outbox inside the step's transaction, so a step and its message are stored together; the
message is delivered after commit."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.accounts.models import User
from lianqi.core import calendar_store, workdays
from lianqi.core.actors import Actor
from lianqi.core.uploads import check_upload, store_upload
from lianqi.core.workflow import StaleVersion, Step, TransitionNotAllowed, required_text, take_step
from lianqi.enterprises.models import Enterprise
from lianqi.notifications.actions import queue_notification
from lianqi.notifications.models import Channel
from lianqi.rules import Verdict

from ..choices import FulfilmentAction as A
from ..choices import FulfilmentState, PolicyKind
from ..models import Fulfilment, FulfilmentEvent, FulfilmentMaterial, Policy, PolicyVersion
from ..money import FEN, MAX_YUAN, yuan_text
from ..queries import awaiting_notice, engine_for, version_on
from ..subjects import enterprise_records
from ..workflow import WORKFLOW, step_workdays

#: A re-matching's verdicts: (policy id, enterprise id) → (verdict, amount, version).
Found = dict[tuple[int, int], tuple[str, Decimal | None, PolicyVersion]]

#: Policy kinds that promise no money: they are matched and shown, not followed in the ledger.
UNPAID_KINDS = (PolicyKind.REDUCTION, PolicyKind.ENTITLEMENT, PolicyKind.QUALIFICATION)

#: How many files one application may carry.
MAX_MATERIALS = 10


# --- Input every step checks the same way --------------------------------------------------


def _positive_amount(value: Decimal | str | None, field_name: str = "amount") -> Decimal:
    """An amount in yuan, more than zero and within what the ledger's column holds, to the
    fen (an amount with more decimals is refused, not rounded: the ledger answers for it)."""
    try:
        amount = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        amount = None
    if amount is None:
        raise ValidationError({field_name: _("请填写金额（元）")})
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field_name: _("金额须大于 0")})
    if amount > MAX_YUAN:
        raise ValidationError({field_name: _("金额超出范围")})
    if amount != amount.quantize(FEN):
        raise ValidationError({field_name: _("金额最多精确到分（两位小数）")})
    return amount.quantize(FEN)


def _step_due(state: str, at: dt.datetime) -> dt.date | None:
    """The deadline, in working days from `at`, of the administration's step after `state`."""
    n = step_workdays(state)
    if n is None:
        return None
    return workdays.add_workdays_at(at, n, calendar_store.get_calendar()).day


# --- One step on the kit -------------------------------------------------------------------


def _take(
    action: A,
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    enterprise: Enterprise | None,
    at: dt.datetime | None,
    note: str = "",
    change: Callable[[Step[Fulfilment]], None] | None = None,
) -> Fulfilment:
    """Take `action` on the kit; `change` checks the step's input and sets its fields (after
    the version and the table are checked, so a refused step is refused before its input is
    judged)."""
    return take_step(
        WORKFLOW,
        row=fulfilment,
        action=action,
        actor=actor,
        expected_version=expected_version,
        at=at,
        enterprise=enterprise,
        note=note.strip(),
        change=change,
        entered=_entered,
    )


def _entered(step: Step[Fulfilment]) -> None:
    """Entering a state starts the administration's clock for its next step (or stops it, when
    the enterprise is to act or the entry is closed), and is news for the enterprise."""
    entry = step.row
    entry.due_on = _step_due(entry.state, step.at)
    step.event["due_on"] = entry.due_on
    _tell_step(entry, step.action, step.at)


def _approving(amount: Decimal | str | None) -> Callable[[Step[Fulfilment]], None]:
    def change(step: Step[Fulfilment]) -> None:
        step.row.approved_amount = step.event["amount"] = _positive_amount(amount)

    return change


def notify_fulfilment(
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    note: str = "",
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """告知: the office or the policy's department tells the enterprise that the policy is for
    it and what to do next; its liaison, who follows it up, is told too."""
    return _take(
        A.NOTIFY,
        fulfilment=fulfilment,
        actor=actor,
        expected_version=expected_version,
        enterprise=enterprise,
        at=at,
        note=note,
    )


def apply_for_fulfilment(
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    text: str = "",
    name: str = "",
    phone: str = "",
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """申报: the enterprise (its account, or through its code with ``actor=None,
    enterprise=…``) or the office on its behalf applies, saying why (`text`) and whom to call
    back (`name`, `phone`; the phone is told of the decisions by SMS)."""

    def change(step: Step[Fulfilment]) -> None:
        entry = step.row
        entry.application_text = step.note = required_text(text, "text", _("请填写申报说明"))
        entry.applicant_name = name[:40]
        entry.applicant_phone = phone[:20]

    return _take(
        A.APPLY,
        fulfilment=fulfilment,
        actor=actor,
        expected_version=expected_version,
        enterprise=enterprise,
        at=at,
        change=change,
    )


def review_fulfilment(
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    note: str = "",
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """审核: the policy's department (or the office) finds the application in order, with its
    opinion (`note`)."""

    def change(step: Step[Fulfilment]) -> None:
        step.note = required_text(note, "note", _("请填写审核意见"))

    return _take(
        A.REVIEW,
        fulfilment=fulfilment,
        actor=actor,
        expected_version=expected_version,
        enterprise=enterprise,
        at=at,
        change=change,
    )


def approve_fulfilment(
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    amount: Decimal | None = None,
    note: str = "",
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """批准: the office or a leader approves a reviewed application at `amount` (yuan)."""
    return _take(
        A.APPROVE,
        fulfilment=fulfilment,
        actor=actor,
        expected_version=expected_version,
        enterprise=enterprise,
        at=at,
        note=note,
        change=_approving(amount),
    )


def approve_fulfilment_without_application(
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    amount: Decimal | None = None,
    note: str = "",
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """免申批准: the office or a leader approves a 免申即享 beneficiary the platform listed, at
    `amount` (yuan), without any application."""
    return _take(
        A.APPROVE_WITHOUT_APPLICATION,
        fulfilment=fulfilment,
        actor=actor,
        expected_version=expected_version,
        enterprise=enterprise,
        at=at,
        note=note,
        change=_approving(amount),
    )


def disburse_fulfilment(
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    amount: Decimal | None = None,
    disbursed_on: dt.date | None = None,
    voucher: str = "",
    note: str = "",
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """兑付: the office or the department records the payment — how much (no more than
    approved), on which day (not after today) and on which voucher."""

    def change(step: Step[Fulfilment]) -> None:
        entry = step.row
        paid = _positive_amount(amount)
        if entry.approved_amount is not None and paid > entry.approved_amount:
            raise ValidationError(
                {"amount": _("兑付金额不能超过批准金额 %(a)s") % {"a": yuan_text(entry.approved_amount)}}
            )
        if disbursed_on is None:
            raise ValidationError({"disbursed_on": _("请填写兑付日期")})
        if disbursed_on > workdays.shanghai_date(step.at):
            raise ValidationError({"disbursed_on": _("兑付日期不能晚于今天")})
        entry.voucher_number = required_text(voucher, "voucher", _("请填写凭证号"))[:60]
        entry.disbursed_amount = step.event["amount"] = paid
        entry.disbursed_on = disbursed_on

    return _take(
        A.DISBURSE,
        fulfilment=fulfilment,
        actor=actor,
        expected_version=expected_version,
        enterprise=enterprise,
        at=at,
        note=note,
        change=change,
    )


def reject_fulfilment(
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    reason: str = "",
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """不予通过: an application is turned down, with the reason the enterprise is told."""

    def change(step: Step[Fulfilment]) -> None:
        step.note = required_text(reason, "reason", _("请填写不予通过的理由"))
        step.row.reject_reason = step.note[:200]

    return _take(
        A.REJECT,
        fulfilment=fulfilment,
        actor=actor,
        expected_version=expected_version,
        enterprise=enterprise,
        at=at,
        change=change,
    )


def revise_fulfilment_amount(
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    amount: Decimal | str | None = None,
    reason: str = "",
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """修订金额: before payment, the office corrects the amount the entry stands at — the
    approved amount once approved, the computed one before — saying why (the figures it was
    computed from were corrected). The history keeps the old and the new amount; the step's
    deadline is not restarted."""

    def change(step: Step[Fulfilment]) -> None:
        new = _positive_amount(amount)
        why = required_text(reason, "reason", _("请填写修订金额的原因"))
        field_name = "approved_amount" if step.row.state == FulfilmentState.APPROVED else "promised_amount"
        old = getattr(step.row, field_name)
        if old is not None and Decimal(old) == new:
            raise ValidationError({"amount": _("金额与现在相同，无需修订")})
        setattr(step.row, field_name, new)
        step.event["amount"] = new
        step.note = _("%(reason)s：由 %(old)s 修订为 %(new)s") % {
            "reason": why,
            "old": yuan_text(old) if old is not None else _("未测算"),
            "new": yuan_text(new),
        }

    return take_step(
        WORKFLOW,
        row=fulfilment,
        action=A.REVISE,
        actor=actor,
        expected_version=expected_version,
        at=at,
        enterprise=enterprise,
        change=change,
    )


def revoke_fulfilment(
    *,
    fulfilment: Fulfilment,
    actor: Actor | None,
    expected_version: int,
    reason: str = "",
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """撤销兑现: before payment, the office withdraws the entry because the enterprise no
    longer qualifies (its figures were corrected below the policy's bar), with the reason the
    enterprise is told."""

    def change(step: Step[Fulfilment]) -> None:
        step.note = required_text(reason, "reason", _("请填写撤销的原因"))
        step.row.reject_reason = step.note[:200]

    return _take(
        A.REVOKE,
        fulfilment=fulfilment,
        actor=actor,
        expected_version=expected_version,
        enterprise=enterprise,
        at=at,
        change=change,
    )


#: Every step of the ledger's table and the action that takes it: what a page or an API
#: endpoint that receives a step's name calls.
STEP_ACTIONS: dict[str, Callable[..., Fulfilment]] = {
    A.NOTIFY: notify_fulfilment,
    A.APPLY: apply_for_fulfilment,
    A.REVIEW: review_fulfilment,
    A.APPROVE: approve_fulfilment,
    A.APPROVE_WITHOUT_APPLICATION: approve_fulfilment_without_application,
    A.DISBURSE: disburse_fulfilment,
    A.REJECT: reject_fulfilment,
    A.REVISE: revise_fulfilment_amount,
    A.REVOKE: revoke_fulfilment,
}

#: What every step action takes besides its own input.
_COMMON = frozenset({"fulfilment", "actor", "expected_version", "enterprise", "at"})


def step_input(action: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The part of posted `data` that the step `action` takes as its input (a form or the API
    may carry the fields of other steps)."""
    accepted = set(inspect.signature(STEP_ACTIONS[action]).parameters) - _COMMON
    return {key: value for key, value in data.items() if key in accepted}


# --- Several entries, or an entry opened on the way ---------------------------------------


def notify_matched_entries(
    *, policy: Policy, actor: Actor | None, period: int, at: dt.datetime | None = None
) -> int:
    """Tell every enterprise still only matched to `policy` for `period` (告知), in one go: the
    office's "notify all" after publishing (the policy page's button). Each entry the actor may
    notify takes `notify_fulfilment`, all in one transaction; returns how many were told."""
    at = at or timezone.now()
    with transaction.atomic():
        # Locked up front, in one order, so that nobody changes them between the check and the step.
        entries = list(
            awaiting_notice(
                Fulfilment.objects.select_for_update(of=("self",)).select_related("policy"),
                policy=policy,
                period=period,
            ).order_by("pk")
        )
        told = 0
        for entry in entries:
            if A.NOTIFY not in WORKFLOW.allowed_actions(entry, actor):
                continue
            notify_fulfilment(fulfilment=entry, actor=actor, expected_version=entry.version, at=at)
            told += 1
    return told


def approve_beneficiaries(
    *, fulfilments: Sequence[Fulfilment], actor: Actor | None, at: dt.datetime | None = None
) -> tuple[list[Fulfilment], list[tuple[Fulfilment, str]]]:
    """Approve a list of 免申即享 beneficiaries at their computed amounts, each with
    `approve_fulfilment_without_application` in its own transaction; returns the approved
    entries and, for the others, why not (no computed amount, not allowed, changed meanwhile)."""
    approved: list[Fulfilment] = []
    refused: list[tuple[Fulfilment, str]] = []
    for entry in fulfilments:
        if entry.promised_amount is None:
            refused.append((entry, _("测算金额缺少数据，请逐户核定")))
            continue
        try:
            approved.append(
                approve_fulfilment_without_application(
                    fulfilment=entry,
                    actor=actor,
                    expected_version=entry.version,
                    amount=entry.promised_amount,
                    at=at,
                )
            )
        except (TransitionNotAllowed, StaleVersion) as error:
            refused.append((entry, error.message))
    return approved, refused


def apply_for_policy(
    *,
    policy: Policy,
    enterprise: Enterprise,
    actor: Actor | None,
    text: str,
    name: str = "",
    phone: str = "",
    materials: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Fulfilment:
    """An enterprise applies online (一站办理) for a policy it fits or may fit (declaring its
    self-declared conditions by applying), with its materials: the ledger entry for this year
    is opened if the platform had not matched it yet, `apply_for_fulfilment` is taken and the
    files are stored, in one transaction; a refused file refuses the whole application."""
    at = at or timezone.now()
    if len(materials) > MAX_MATERIALS:
        raise ValidationError({"materials": _("申报材料最多 %(n)s 个文件") % {"n": MAX_MATERIALS}})
    for upload in materials:
        check_upload(upload, field="materials")
    day = workdays.shanghai_date(at)
    version = version_on(policy, day)
    if version is None or not policy.is_active:
        raise ValidationError({"text": _("该政策当前不在有效期内")})
    if policy.no_application or not policy.needs_application:
        raise ValidationError({"text": _("该政策无需申报")})
    engine = engine_for([version], enterprise_records(Enterprise.objects.filter(pk=enterprise.pk)), day)
    verdict = engine.match().verdict(policy.code, 0) if engine is not None else Verdict.INELIGIBLE
    if verdict is Verdict.INELIGIBLE:
        raise ValidationError({"text": _("贵企业不符合该政策的申报条件")})
    with transaction.atomic():
        entry, created = Fulfilment.objects.select_for_update().get_or_create(
            policy=policy,
            enterprise=enterprise,
            period=day.year,
            defaults={
                "jurisdiction_id": enterprise.jurisdiction_id,
                "policy_version": version,
                "last_changed_at": at,
            },
        )
        if created:
            WORKFLOW.record(
                entry,
                action="match",
                from_state="",
                actor=actor,
                at=at,
                note=_("企业自主申报"),
                due_on=entry.due_on,
            )
        applied = apply_for_fulfilment(
            fulfilment=entry,
            actor=actor,
            enterprise=enterprise if actor is None else None,
            expected_version=entry.version,
            text=text,
            name=name,
            phone=phone,
            at=at,
        )
        for upload in materials:
            store_upload(FulfilmentMaterial(fulfilment=applied, uploaded_by=actor, at=at), upload)
        return applied


def open_entries(
    pairs: Sequence[tuple[int, int]], found: Found, at: dt.datetime, *, tell: bool = True
) -> None:
    """Pairs that became eligible, for a policy with an amount to pay, enter the ledger as
    matched for this year with the administration's first deadline (unless already there for
    this year); their enterprises and liaisons are told, unless `tell` is off (a loader
    replaying the past). Written in bulk: a new policy may match thousands of enterprises."""
    period = workdays.shanghai_date(at).year
    if not pairs:
        return
    already = set(
        Fulfilment.objects.filter(
            period=period, policy_id__in={p for p, _e in pairs}, enterprise_id__in={e for _p, e in pairs}
        ).values_list("policy_id", "enterprise_id")
    )
    enterprises = Enterprise.objects.select_related("jurisdiction").in_bulk({e for _p, e in pairs})
    due_on = _step_due(FulfilmentState.MATCHED, at)
    entries: list[Fulfilment] = []
    for policy_id, enterprise_id in pairs:
        _verdict, amount, version = found[(policy_id, enterprise_id)]
        if (policy_id, enterprise_id) in already or version.policy.kind in UNPAID_KINDS:
            continue
        entry = Fulfilment(
            policy_id=policy_id,
            enterprise_id=enterprise_id,
            period=period,
            jurisdiction=enterprises[enterprise_id].jurisdiction,
            policy_version=version,
            promised_amount=amount,
            no_application=version.policy.no_application,
            due_on=due_on,
            last_changed_at=at,
        )
        entry.fill_derived_fields()
        entry.policy = version.policy  # for the notification's text, without a query
        entries.append(entry)
    # Both databases hand back the new primary keys from a bulk insert (RETURNING).
    created = Fulfilment.objects.bulk_create(entries, batch_size=1000)
    FulfilmentEvent.objects.bulk_create(
        [
            FulfilmentEvent(
                fulfilment=entry,
                jurisdiction_path=entry.jurisdiction_path,
                action="match",
                from_state="",
                to_state=entry.state,
                amount=entry.promised_amount,
                due_on=entry.due_on,
                note=_("平台匹配：符合申报条件"),
                at=at,
            )
            for entry in created
        ],
        batch_size=1000,
    )
    if tell:
        for entry in created:
            _tell_about_match(entry, enterprises[entry.enterprise_id], at)


# --- Telling the enterprise ----------------------------------------------------------------


def _tell(
    entry: Fulfilment,
    step: str,
    subject: str,
    body: str,
    at: dt.datetime,
    *,
    liaison: bool = False,
    sms: bool = False,
) -> None:
    """Queue a message about a ledger entry (in this transaction; delivered after commit): in
    the app to the enterprise's account users (and its liaison), and by SMS to the phone the
    application gave. Once per step, entry and recipient."""
    accounts = Q(enterprise_id=entry.enterprise_id)
    if liaison:
        accounts |= Q(staff__enterprises=entry.enterprise_id)
    recipients = User.objects.filter(accounts, is_active=True).distinct().order_by("pk")
    link = reverse("policies:detail", args=[entry.policy_id])
    for user in recipients:
        queue_notification(
            channel=Channel.IN_APP,
            recipient=user,
            subject=subject,
            body=body,
            link=link,
            dedupe_key=f"policy-{step}:{entry.pk}:{user.pk}",
            at=at,
        )
    if sms and entry.applicant_phone:
        queue_notification(
            channel=Channel.SMS,
            address=entry.applicant_phone,
            subject=subject,
            body=body,
            dedupe_key=f"policy-{step}:{entry.pk}:sms",
            at=at,
        )


def _tell_about_match(entry: Fulfilment, enterprise: Enterprise, at: dt.datetime) -> None:
    """A new match is news for the enterprise's account users and for its liaison."""
    subject = _("%(enterprise)s 符合政策“%(policy)s”") % {
        "enterprise": enterprise.name,
        "policy": entry.policy.title_with_level,
    }
    body = (
        _("无需申报，审核通过后直接兑现。") if entry.no_application else _("可在政策超市查看条件并在线申报。")
    )
    _tell(entry, "match", subject, body, at, liaison=True)


#: What the enterprise is told after each of the administration's decisions.
_DECISION_MESSAGES = {
    A.APPROVE: gettext_lazy("已批准，批准金额 %(amount)s，将按期兑付。"),
    A.APPROVE_WITHOUT_APPLICATION: gettext_lazy("免申即享：无需申报，已批准 %(amount)s，将按期兑付。"),
    A.DISBURSE: gettext_lazy("已兑付 %(amount)s（凭证号 %(voucher)s）。"),
    A.REJECT: gettext_lazy("未通过：%(reason)s"),
    A.REVOKE: gettext_lazy("已撤销：%(reason)s"),
}


def _tell_step(entry: Fulfilment, action: str, at: dt.datetime) -> None:
    """告知 tells the enterprise and its liaison that the policy is for it; a decision tells
    the enterprise (and the applicant's phone) what was decided; the other steps are the
    enterprise's own or internal."""
    if action == A.NOTIFY:
        subject = _("政策告知：%(policy)s") % {"policy": entry.policy.title_with_level}
        body = (
            _("贵企业符合该政策，无需申报，审核通过后直接兑现。")
            if entry.no_application
            else _("贵企业符合该政策，请在政策超市查看条件并在线申报。")
        )
        liaison, sms = True, False
    elif action in _DECISION_MESSAGES:
        subject = _("政策兑现：%(policy)s") % {"policy": entry.policy.title_with_level}
        body = str(_DECISION_MESSAGES[A(action)]) % {
            "amount": yuan_text(entry.disbursed_amount if action == A.DISBURSE else entry.approved_amount),
            "voucher": entry.voucher_number,
            "reason": entry.reject_reason,
        }
        liaison, sms = False, True
    else:
        return
    _tell(entry, str(action), subject, body, at, liaison=liaison, sms=sms)
