"""Every write of the policy supermarket: drafting and publishing a policy's rule, re-matching
enterprises when a policy or an enterprise changes, and the steps of the fulfilment ledger.
Each action is keyword-only, runs in one transaction, locks what it changes and writes its
event; notifications are queued in the outbox and delivered after commit."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.core import calendar_store, workdays
from lianqi.core.uploads import check_upload, store_upload
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
    Declaration,
    Engine,
    RuleError,
    RuleSet,
    Verdict,
    build_table,
    rules_from_data,
    rules_to_data,
    run_test_cases,
)

from . import workflow
from .choices import FulfilmentAction, FulfilmentState, MatchVerdict, PolicyKind, VersionState
from .models import Fulfilment, FulfilmentEvent, FulfilmentMaterial, Policy, PolicyMatch, PolicyVersion
from .subjects import enterprise_records

#: Attributes the enterprise reports itself: a 免申即享 policy may not depend on them, since
#: nobody verifies them before the money goes out.
SELF_REPORTED_SOURCES = frozenset({"企业填报"})


# --- Rules and versions ----------------------------------------------------------------------


def parse_policy_rule(policy: Policy, data: Mapping[str, Any]) -> RuleSet:
    """The rule file data of one version, checked: it parses and validates (every fault
    listed under ``rule`` with its location), holds exactly one rule, and that rule carries
    the policy's code."""
    try:
        ruleset = rules_from_data(dict(data), ENTERPRISE_CATALOGUE)
    except RuleError as error:
        raise ValidationError({"rule": [str(issue) for issue in error.issues]}) from error
    if len(ruleset.rules) != 1:
        raise ValidationError({"rule": _("一个政策版本须恰好包含一条规则")})
    if ruleset.rules[0].code != policy.code:
        raise ValidationError(
            {
                "rule": _("规则编号“%(code)s”须与政策编号“%(policy)s”一致")
                % {
                    "code": ruleset.rules[0].code,
                    "policy": policy.code,
                }
            }
        )
    return ruleset


def save_policy_draft(
    *,
    policy: Policy,
    actor: Any,
    rule: Mapping[str, Any],
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str = "",
    draft: PolicyVersion | None = None,
) -> PolicyVersion:
    """Store a draft of the policy's rule (a new one, or `draft` edited). The rule must parse
    and validate; its test cases run on publishing, not here, so a half-finished draft can be
    kept."""
    ruleset = parse_policy_rule(policy, rule)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("失效日期不能早于生效日期")})
    with transaction.atomic():
        Policy.objects.select_for_update().get(pk=policy.pk)
        if draft is None:
            number = (policy.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            draft = PolicyVersion(policy=policy, number=number)
        else:
            draft = PolicyVersion.objects.select_for_update().get(pk=draft.pk, policy=policy)
            if draft.state != VersionState.DRAFT:
                raise ValidationError({"rule": _("已发布的版本不能修改，请新建版本")})
        draft.rule = rules_to_data(ruleset)
        draft.valid_from = valid_from
        draft.valid_to = valid_to
        draft.note = note[:200]
        draft.save()
    return draft


def _check_no_application(policy: Policy, ruleset: RuleSet) -> None:
    rule = ruleset.rules[0]
    for path, leaf in rule.conditions():
        if isinstance(leaf, Declaration):
            raise ValidationError(
                {
                    "rule": _("免申即享政策的条件须全部由平台数据核验，第 %(path)s 项是企业自主申报")
                    % {"path": path}
                }
            )
        attribute = ENTERPRISE_CATALOGUE[leaf.attribute]
        if attribute.source in SELF_REPORTED_SOURCES:
            raise ValidationError(
                {
                    "rule": _("免申即享政策的条件须全部由平台数据核验，第 %(path)s 项“%(label)s”来自企业填报")
                    % {"path": path, "label": attribute.label}
                }
            )


def publish_policy_version(
    *, version: PolicyVersion, actor: Any, at: dt.datetime | None = None, rematch: bool = True
) -> PolicyVersion:
    """Publish a draft. Refused when the rule's own test cases fail (each failure listed), when
    a 免申即享 policy depends on anything not verified by the platform, or when it would overlap
    a published version that starts on or after it. An open-ended earlier version is closed the
    day before this one takes effect. Matches are recomputed after commit (unless `rematch` is
    off, for a loader that matches on dates of its own)."""
    at = at or timezone.now()
    with transaction.atomic():
        policy = Policy.objects.select_for_update().get(pk=version.policy_id)
        version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
        if version.state != VersionState.DRAFT:
            raise ValidationError({"rule": _("只有草稿可以发布")})
        ruleset = parse_policy_rule(policy, version.rule)
        failures = run_test_cases(ruleset.rules[0], parameters=ruleset.parameters)
        if failures:
            raise ValidationError({"rule": [_("测试用例未通过：%(f)s") % {"f": str(f)} for f in failures]})
        if policy.no_application:
            _check_no_application(policy, ruleset)
        published = policy.versions.select_for_update().filter(state=VersionState.PUBLISHED)
        for other in published:
            ends = other.valid_to or dt.date.max
            version_ends = version.valid_to or dt.date.max
            overlaps = other.valid_from <= version_ends and version.valid_from <= ends
            if not overlaps:
                continue
            if other.valid_from < version.valid_from:
                other.valid_to = version.valid_from - dt.timedelta(days=1)
                other.save(update_fields=["valid_to", "updated_at"])
            else:
                raise ValidationError(
                    {"valid_from": _("与已发布的第 %(n)s 版有效期重叠") % {"n": other.number}}
                )
        version.state = VersionState.PUBLISHED
        version.published_at = at
        version.published_by = actor
        version.save()
        if rematch:
            _rematch_after_commit(policy.pk)
    return version


def _rematch_after_commit(policy_id: int) -> None:
    from .tasks import rematch_policy_task

    transaction.on_commit(lambda: rematch_policy_task.enqueue(policy_id))


def versions_on(policies: list[Policy], day: dt.date) -> list[PolicyVersion]:
    """The version in force on `day` of each of `policies` that has one, in one query (an
    enterprise's re-matching reads every policy over it)."""
    found: dict[int, PolicyVersion] = {}
    candidates = (
        PolicyVersion.objects.filter(
            policy__in=[p.pk for p in policies], state=VersionState.PUBLISHED, valid_from__lte=day
        )
        .exclude(valid_to__lt=day)
        .select_related("policy")
        .order_by("policy_id", "-valid_from")
    )
    for version in candidates:
        found.setdefault(version.policy_id, version)
    return [found[p.pk] for p in policies if p.pk in found]


def version_on(policy: Policy, day: dt.date) -> PolicyVersion | None:
    """The published version of `policy` in force on `day`."""
    return (
        policy.versions.filter(state=VersionState.PUBLISHED, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .order_by("-valid_from")
        .first()
    )


# --- Matching --------------------------------------------------------------------------------


@dataclass
class MatchChange:
    """What one re-matching did: pairs that became eligible, stopped matching, or stayed."""

    entered: set[tuple[int, int]] = field(default_factory=set)
    left: set[tuple[int, int]] = field(default_factory=set)
    kept: int = 0


def _amount(value: float | None) -> Decimal | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return Decimal(str(round(value, 2)))


def _store_matches(
    found: dict[tuple[int, int], tuple[str, Decimal | None, PolicyVersion]],
    existing: dict[tuple[int, int], PolicyMatch],
    paths: Mapping[int, str],
    at: dt.datetime,
) -> MatchChange:
    """Write the new verdicts in bulk (a policy may match thousands of enterprises): remove the
    pairs that no longer match, add the new ones, update the rest."""
    change = MatchChange()
    gone = [match.pk for key, match in existing.items() if key not in found]
    change.left = {key for key in existing if key not in found}
    if gone:
        PolicyMatch.objects.filter(pk__in=gone).delete()
    new_rows: list[PolicyMatch] = []
    changed: list[PolicyMatch] = []
    for key, (verdict, amount, version) in found.items():
        policy_id, enterprise_id = key
        match = existing.get(key)
        if match is None:
            new_rows.append(
                PolicyMatch(
                    policy_id=policy_id,
                    enterprise_id=enterprise_id,
                    version=version,
                    verdict=verdict,
                    amount=amount,
                    jurisdiction_path=paths[enterprise_id],
                    matched_at=at,
                )
            )
            if verdict == MatchVerdict.ELIGIBLE:
                change.entered.add(key)
            continue
        if match.verdict != MatchVerdict.ELIGIBLE and verdict == MatchVerdict.ELIGIBLE:
            change.entered.add(key)
        else:
            change.kept += 1
        match.verdict, match.amount, match.version, match.matched_at = verdict, amount, version, at
        changed.append(match)
    PolicyMatch.objects.bulk_create(new_rows, batch_size=1000)
    PolicyMatch.objects.bulk_update(changed, ["verdict", "amount", "version", "matched_at"], batch_size=1000)
    return change


def _open_fulfilments(
    change: MatchChange, found: Mapping[tuple[int, int], Any], at: dt.datetime, *, tell: bool = True
) -> None:
    """A pair that became eligible, for a policy with an amount to pay, enters the ledger as
    matched for this year with the administration's first deadline (unless it is already there
    for this year); its enterprise and liaison are told, unless `tell` is off (a loader
    replaying the past)."""
    period = workdays.shanghai_date(at).year
    pairs = sorted(change.entered)
    if not pairs:
        return
    already = set(
        Fulfilment.objects.filter(
            period=period, policy_id__in={p for p, _e in pairs}, enterprise_id__in={e for _p, e in pairs}
        ).values_list("policy_id", "enterprise_id")
    )
    enterprises = Enterprise.objects.select_related("jurisdiction", "liaison__user").in_bulk(
        {e for _p, e in pairs}
    )
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


#: Policy kinds that promise no money: they are matched and shown, not followed in the ledger.
UNPAID_KINDS = (PolicyKind.REDUCTION, PolicyKind.ENTITLEMENT, PolicyKind.QUALIFICATION)


def _tell_about_match(entry: Fulfilment, enterprise: Enterprise, at: dt.datetime) -> None:
    """A new match is news for the enterprise's account users and for its liaison."""
    subject = _("%(enterprise)s 符合政策“%(policy)s”") % {
        "enterprise": enterprise.name,
        "policy": entry.policy.title,
    }
    body = (
        _("无需申报，审核通过后直接兑现。") if entry.no_application else _("可在政策超市查看条件并在线申报。")
    )
    _tell(entry, enterprise, "match", subject, body, at, liaison=True)


def _tell(
    entry: Fulfilment,
    enterprise: Enterprise,
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
    from django.urls import reverse

    from lianqi.accounts.models import User
    from lianqi.notifications.actions import queue_notification
    from lianqi.notifications.models import Channel

    recipients = list(User.objects.filter(enterprise=enterprise, is_active=True))
    liaison_user = getattr(enterprise.liaison, "user", None) if liaison and enterprise.liaison_id else None
    if liaison_user is not None and liaison_user.is_active:
        recipients.append(liaison_user)
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


#: What the enterprise is told after each of the administration's decisions.
_DECISION_MESSAGES = {
    FulfilmentAction.APPROVE: gettext_lazy("已批准，批准金额 %(amount)s 万元，将按期兑付。"),
    FulfilmentAction.APPROVE_WITHOUT_APPLICATION: gettext_lazy(
        "免申即享：无需申报，已批准 %(amount)s 万元，将按期兑付。"
    ),
    FulfilmentAction.DISBURSE: gettext_lazy("已兑付 %(amount)s 万元（凭证号 %(voucher)s）。"),
    FulfilmentAction.REJECT: gettext_lazy("未通过：%(reason)s"),
}


def _tell_notified(entry: Fulfilment, at: dt.datetime) -> None:
    """告知: the administration tells the enterprise (and its liaison, who follows it up) that
    the policy is for it and what to do next."""
    subject = _("政策告知：%(policy)s") % {"policy": entry.policy.title}
    body = (
        _("贵企业符合该政策，无需申报，审核通过后直接兑现。")
        if entry.no_application
        else _("贵企业符合该政策，请在政策超市查看条件并在线申报。")
    )
    _tell(entry, entry.enterprise, "notify", subject, body, at, liaison=True)


def _tell_decision(entry: Fulfilment, action: str, at: dt.datetime) -> None:
    if action == FulfilmentAction.NOTIFY:
        _tell_notified(entry, at)
        return
    message = _DECISION_MESSAGES.get(FulfilmentAction(action))
    if message is None:
        return
    body = str(message) % {
        "amount": entry.disbursed_amount if action == FulfilmentAction.DISBURSE else entry.approved_amount,
        "voucher": entry.voucher_number,
        "reason": entry.reject_reason,
    }
    subject = _("政策兑现：%(policy)s") % {"policy": entry.policy.title}
    _tell(entry, entry.enterprise, str(action), subject, body, at, sms=True)


def combined_ruleset(versions: list[PolicyVersion]) -> RuleSet:
    """The rules of several versions as one rule set for the engine. A parameter defined by
    more than one policy is taken from the first (policies of one park share their thresholds)."""
    parameters: dict[str, Any] = {}
    for version in versions:
        for parameter in version.rule.get("parameters", []):
            parameters.setdefault(parameter["name"], parameter)
    return rules_from_data(
        {
            "version": 1,
            "parameters": list(parameters.values()),
            "rules": [rule for version in versions for rule in version.rule["rules"]],
        },
        ENTERPRISE_CATALOGUE,
    )


def _engine_for(versions: list[PolicyVersion], records: list[dict[str, Any]], day: dt.date) -> Engine | None:
    if not versions or not records:
        return None
    ruleset = combined_ruleset(versions)
    return Engine.compile(
        ruleset, build_table(records, ENTERPRISE_CATALOGUE), as_of=day, parameters=ruleset.parameters
    )


def rematch_policy(*, policy: Policy, at: dt.datetime | None = None) -> MatchChange:
    """Match every active enterprise under the policy's jurisdiction against the version in
    force today and store the result: new eligible pairs enter the ledger and are notified."""
    return rematch_policies(policies=[policy], at=at)


def rematch_policies(
    *, policies: list[Policy], at: dt.datetime | None = None, tell: bool = True
) -> MatchChange:
    """Re-match several policies in one pass of the engine: one table of the enterprises under
    any of them, every version in force compiled together, each policy's verdicts kept for the
    enterprises under its own jurisdiction."""
    at = at or timezone.now()
    day = workdays.shanghai_date(at)
    with transaction.atomic():
        locked = list(
            Policy.objects.select_for_update().filter(pk__in=[p.pk for p in policies]).order_by("pk")
        )
        existing = {
            (m.policy_id, m.enterprise_id): m
            for m in PolicyMatch.objects.filter(policy__in=[p.pk for p in locked])
        }
        versions = versions_on([p for p in locked if p.is_active], day)
        found: dict[tuple[int, int], tuple[str, Decimal | None, PolicyVersion]] = {}
        paths: dict[int, str] = {}
        if versions:
            under = Q(pk__in=[])
            for version in versions:
                under |= Q(jurisdiction_path__startswith=version.policy.jurisdiction_path)
            enterprises = Enterprise.objects.filter(under, status=EnterpriseStatus.ACTIVE)
            paths = dict(enterprises.values_list("pk", "jurisdiction_path"))
            engine = _engine_for(versions, enterprise_records(enterprises), day)
            if engine is not None:
                matching = engine.match()
                for version in versions:
                    code, scope = version.policy.code, version.policy.jurisdiction_path
                    rows, amounts = matching.amounts(code)
                    amount_of = {
                        int(engine.table.ids[r]): _amount(float(a))
                        for r, a in zip(rows, amounts, strict=True)
                    }
                    for verdict, stored in (
                        (Verdict.ELIGIBLE, MatchVerdict.ELIGIBLE),
                        (Verdict.UNKNOWN, MatchVerdict.UNKNOWN),
                    ):
                        for enterprise_id in matching.ids(code, verdict).tolist():
                            if paths[int(enterprise_id)].startswith(scope):
                                amount = (
                                    amount_of.get(int(enterprise_id))
                                    if stored == MatchVerdict.ELIGIBLE
                                    else None
                                )
                                found[(version.policy_id, int(enterprise_id))] = (stored, amount, version)
        change = _store_matches(found, existing, paths, at)
        _open_fulfilments(change, found, at, tell=tell)
    return change


def rematch_enterprise(*, enterprise: Enterprise, at: dt.datetime | None = None) -> MatchChange:
    """Match one enterprise against every policy in force over its jurisdiction (its data
    changed): milliseconds, so it runs right after the enterprise is saved."""
    at = at or timezone.now()
    day = workdays.shanghai_date(at)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        ancestors = [
            enterprise.jurisdiction_path[: i + 1]
            for i, c in enumerate(enterprise.jurisdiction_path)
            if c == "/"
        ]
        policies = list(Policy.objects.filter(is_active=True, jurisdiction_path__in=ancestors))
        versions = versions_on(policies, day)
        existing = {
            (m.policy_id, m.enterprise_id): m for m in PolicyMatch.objects.filter(enterprise=enterprise)
        }
        found: dict[tuple[int, int], tuple[str, Decimal | None, PolicyVersion]] = {}
        if enterprise.status == EnterpriseStatus.ACTIVE:
            engine = _engine_for(
                versions, enterprise_records(Enterprise.objects.filter(pk=enterprise.pk)), day
            )
            if engine is not None:
                matching = engine.match()
                for version in versions:
                    code = version.policy.code
                    verdict = matching.verdict(code, 0)
                    if verdict is Verdict.ELIGIBLE:
                        _rows, amounts = matching.amounts(code)
                        amount = _amount(float(amounts[0])) if len(amounts) else None
                        found[(version.policy_id, enterprise.pk)] = (MatchVerdict.ELIGIBLE, amount, version)
                    elif verdict is Verdict.UNKNOWN:
                        found[(version.policy_id, enterprise.pk)] = (MatchVerdict.UNKNOWN, None, version)
        change = _store_matches(found, existing, {enterprise.pk: enterprise.jurisdiction_path}, at)
        _open_fulfilments(change, found, at)
    return change


# --- The fulfilment ledger -------------------------------------------------------------------


class StaleFulfilment(Exception):
    """The ledger entry changed after the page was loaded; the step is refused."""

    def __init__(self, entry: Fulfilment) -> None:
        self.current_version = entry.version
        self.message = _("该兑现事项已被他人修改，当前状态为“%(state)s”，请刷新后重试") % {
            "state": entry.get_state_display()
        }
        super().__init__(self.message)


def _step_due(state: str, at: dt.datetime) -> dt.date | None:
    n = workflow.step_workdays(state)
    if n is None:
        return None
    return workdays.add_workdays_at(at, n, calendar_store.get_calendar()).day


def _record(
    entry: Fulfilment,
    action: str,
    from_state: str,
    actor: Any,
    note: str,
    at: dt.datetime,
    amount: Decimal | None = None,
) -> FulfilmentEvent:
    return FulfilmentEvent.objects.create(
        fulfilment=entry,
        jurisdiction_path=entry.jurisdiction_path,
        action=action,
        from_state=from_state,
        to_state=entry.state,
        actor=actor,
        by_enterprise=actor is None,
        amount=amount,
        due_on=entry.due_on,
        note=note,
        at=at,
    )


def _positive_amount(value: Any, field_name: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except Exception as error:
        raise ValidationError({field_name: _("请填写金额（万元）")}) from error
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field_name: _("金额须大于 0")})
    return amount.quantize(Decimal("0.01"))


def take_fulfilment_step(
    *,
    entry: Fulfilment,
    action: str,
    actor: Any,
    expected_version: int,
    data: Mapping[str, Any],
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> Fulfilment:
    """Take one step of the ledger (see `workflow.TRANSITIONS`): lock the entry, refuse a stale
    version or a step not allowed, check the step's input (`text` for an application, `note`
    for a review, `amount` for an approval, `amount`/`disbursed_on`/`voucher` for a
    disbursement, `reason` for a rejection), move it on with the next step's working-day
    deadline and write the event."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Fulfilment.objects.select_for_update(of=("self",)).select_related("policy").get(pk=entry.pk)
        if locked.version != expected_version:
            raise StaleFulfilment(locked)
        transition = workflow.check(locked, action, actor, enterprise=enterprise)
        from_state = locked.state
        note = str(data.get("note") or "").strip()
        amount: Decimal | None = None
        if action == FulfilmentAction.APPLY:
            text = str(data.get("text") or "").strip()
            if not text:
                raise ValidationError({"text": _("请填写申报说明")})
            locked.application_text = text
            locked.applicant_name = str(data.get("name") or "")[:40]
            locked.applicant_phone = str(data.get("phone") or "")[:20]
            note = text
        elif action == FulfilmentAction.REVIEW:
            if not note:
                raise ValidationError({"note": _("请填写审核意见")})
        elif action in (FulfilmentAction.APPROVE, FulfilmentAction.APPROVE_WITHOUT_APPLICATION):
            amount = _positive_amount(data.get("amount"))
            locked.approved_amount = amount
        elif action == FulfilmentAction.DISBURSE:
            amount = _positive_amount(data.get("amount"))
            if locked.approved_amount is not None and amount > locked.approved_amount:
                raise ValidationError(
                    {"amount": _("兑付金额不能超过批准金额 %(a)s 万元") % {"a": locked.approved_amount}}
                )
            disbursed_on = data.get("disbursed_on")
            if not isinstance(disbursed_on, dt.date):
                raise ValidationError({"disbursed_on": _("请填写兑付日期")})
            if disbursed_on > workdays.shanghai_date(at):
                raise ValidationError({"disbursed_on": _("兑付日期不能晚于今天")})
            voucher = str(data.get("voucher") or "").strip()
            if not voucher:
                raise ValidationError({"voucher": _("请填写凭证号")})
            locked.disbursed_amount, locked.disbursed_on, locked.voucher_number = (
                amount,
                disbursed_on,
                voucher[:60],
            )
        elif action == FulfilmentAction.REJECT:
            reason = str(data.get("reason") or "").strip()
            if not reason:
                raise ValidationError({"reason": _("请填写不予通过的理由")})
            locked.reject_reason = reason[:200]
            note = reason
        locked.state = transition.next_state
        locked.due_on = _step_due(locked.state, at)
        locked.version += 1
        locked.last_changed_at = at
        locked.save()
        _record(locked, action, from_state, actor, note, at, amount=amount)
        _tell_decision(locked, action, at)
    return locked


def approve_without_application(
    *, entries: list[Fulfilment], actor: Any, at: dt.datetime | None = None
) -> tuple[list[Fulfilment], list[tuple[Fulfilment, str]]]:
    """Approve a list of 免申即享 beneficiaries at their computed amounts, each in its own
    transaction; returns the approved entries and, for the others, why not (no computed
    amount, not allowed, changed meanwhile)."""
    approved: list[Fulfilment] = []
    refused: list[tuple[Fulfilment, str]] = []
    for entry in entries:
        if entry.promised_amount is None:
            refused.append((entry, _("测算金额缺少数据，请逐户核定")))
            continue
        try:
            approved.append(
                take_fulfilment_step(
                    entry=entry,
                    action=FulfilmentAction.APPROVE_WITHOUT_APPLICATION,
                    actor=actor,
                    expected_version=entry.version,
                    data={"amount": entry.promised_amount},
                    at=at,
                )
            )
        except (workflow.TransitionNotAllowed, StaleFulfilment) as error:
            refused.append((entry, error.message))
    return approved, refused


def apply_for_policy(
    *,
    policy: Policy,
    enterprise: Enterprise,
    actor: Any,
    text: str,
    name: str = "",
    phone: str = "",
    materials: Sequence[UploadedFile] = (),
    at: dt.datetime | None = None,
) -> Fulfilment:
    """An enterprise applies online (一站办理) for a policy it fits or may fit (declaring its
    self-declared conditions by applying), with its materials: the ledger entry for this year
    is opened if the platform had not matched it yet, the application step is taken and the
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
    engine = _engine_for([version], enterprise_records(Enterprise.objects.filter(pk=enterprise.pk)), day)
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
            _record(entry, "match", "", actor, _("企业自主申报"), at)
        applied = take_fulfilment_step(
            entry=entry,
            action=FulfilmentAction.APPLY,
            actor=actor,
            enterprise=enterprise if actor is None else None,
            expected_version=entry.version,
            data={"text": text, "name": name, "phone": phone},
            at=at,
        )
        for upload in materials:
            store_upload(FulfilmentMaterial(fulfilment=applied, uploaded_by=actor, at=at), upload)
        return applied


#: How many files one application may carry.
MAX_MATERIALS = 10


# --- Policies and rule files -----------------------------------------------------------------

POLICY_FIELDS = (
    "code",
    "title",
    "level",
    "kind",
    "department",
    "issuer",
    "document_number",
    "summary",
    "source_url",
    "needs_application",
    "no_application",
    "is_active",
)


def _check_department(jurisdiction_path: str, department: Any) -> None:
    # A department answers for policies of its own jurisdiction and below.
    if department is not None and not jurisdiction_path.startswith(department.jurisdiction_path):
        raise ValidationError({"department": _("主管部门须属于政策所在辖区")})


def create_policy(*, actor: Any, jurisdiction: Any, **fields: Any) -> Policy:
    """Put a new policy on the shelf of `jurisdiction` (its rule is drafted on the workbench
    and published from there)."""
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    _check_department(jurisdiction.path, fields.get("department"))
    if Policy.objects.filter(code=fields.get("code")).exists():
        raise ValidationError({"code": _("政策编号已存在")})
    with transaction.atomic():
        policy = Policy(jurisdiction=jurisdiction, **fields)
        policy.full_clean()
        policy.save()
    return policy


def update_policy(*, policy: Policy, actor: Any, **fields: Any) -> Policy:
    """Change a policy's particulars. The code never changes (it names the rule in every
    version); switching to 免申即享 is refused while the version in force rests on
    self-reported facts. Matches are recomputed after commit when activity changes."""
    fields.pop("code", None)
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        _check_department(locked.jurisdiction_path, fields.get("department", locked.department))
        was_active = locked.is_active
        for name, value in fields.items():
            setattr(locked, name, value)
        if locked.no_application:
            version = version_on(locked, timezone.localdate())
            if version is not None:
                _check_no_application(locked, parse_policy_rule(locked, version.rule))
        locked.full_clean()
        locked.save()
        if locked.is_active != was_active:
            _rematch_after_commit(locked.pk)
    return locked


def read_rule_file(policy: Policy, *, name: str, content: bytes) -> RuleSet:
    """A rule file (JSON, YAML or the rule spreadsheet) for one policy, refused whole with the
    line (or sheet and row) and field of every fault."""
    from lianqi.rules import load_json, load_yaml, read_xlsx

    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    try:
        if suffix == "xlsx":
            ruleset = read_xlsx(content, ENTERPRISE_CATALOGUE)
        elif suffix in ("yaml", "yml"):
            ruleset = load_yaml(content.decode("utf-8"), ENTERPRISE_CATALOGUE)
        elif suffix == "json":
            ruleset = load_json(content.decode("utf-8"), ENTERPRISE_CATALOGUE)
        else:
            raise ValidationError({"file": _("请上传 .json、.yaml 或 .xlsx 文件")})
    except UnicodeDecodeError as error:
        raise ValidationError({"file": _("文件不是 UTF-8 编码的文本")}) from error
    except RuleError as error:
        raise ValidationError({"file": [str(issue) for issue in error.issues]}) from error
    return parse_policy_rule(policy, rules_to_data(ruleset))


def notify_matched_entries(*, policy: Policy, actor: Any, period: int, at: dt.datetime | None = None) -> int:
    """Tell every enterprise still only matched to `policy` for `period` (告知), in one go: the
    office's "notify all" after publishing (the policy page's button). The same step as
    `take_fulfilment_step` with ``notify``, written for all entries at once, each enterprise
    and its liaison told in the app; returns how many were told."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = list(
            Fulfilment.objects.select_for_update(of=("self",))
            .select_related("policy", "enterprise__liaison__user")
            .filter(policy=policy, period=period, state=FulfilmentState.MATCHED)
            .order_by("pk")
        )
        allowed = [
            entry for entry in locked if FulfilmentAction.NOTIFY in workflow.allowed_actions(entry, actor)
        ]
        if not allowed:
            return 0
        due_on = _step_due(FulfilmentState.NOTIFIED, at)
        for entry in allowed:
            entry.state = FulfilmentState.NOTIFIED
            entry.due_on = due_on
            entry.version += 1
            entry.last_changed_at = at
        Fulfilment.objects.bulk_update(
            allowed, ["state", "due_on", "version", "last_changed_at"], batch_size=1000
        )
        FulfilmentEvent.objects.bulk_create(
            [
                FulfilmentEvent(
                    fulfilment=entry,
                    jurisdiction_path=entry.jurisdiction_path,
                    action=FulfilmentAction.NOTIFY,
                    from_state=FulfilmentState.MATCHED,
                    to_state=FulfilmentState.NOTIFIED,
                    actor=actor,
                    due_on=due_on,
                    at=at,
                )
                for entry in allowed
            ],
            batch_size=1000,
        )
        for entry in allowed:
            _tell_notified(entry, at)
    return len(allowed)
