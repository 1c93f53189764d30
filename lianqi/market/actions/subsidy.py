"""Shaoshan's local-purchase subsidy (本地战略性产业产品首次采购补贴) paid from the purchase
records: the policy lives in the policy supermarket, its amount comes from here. For a year,
every enterprise under the policy's jurisdiction whose purchases of strategic-industry products
from local suppliers not affiliated with it first reach ¥300,000 that year is owed 3 % of them
(`chainmap.subsidies_due`); it enters the policy's fulfilment ledger with that amount through
the ledger's own action (`open_entries`: matched, the enterprise and its liaison told), so the
rest of its way — notice, application, approval, payment — is the ledger's. (The policy
supermarket refuses 免申即享 for a rule that reads a self-reported figure such as
`local_purchase`, so these entries always go through an application.) An enterprise already in the ledger for the policy (any year) is not paid twice."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.demands import notify
from lianqi.enterprises.models import Enterprise
from lianqi.policies.actions.ledger import Found, open_entries, revise_fulfilment_amount, revoke_fulfilment
from lianqi.policies.choices import FulfilmentState, MatchVerdict
from lianqi.policies.models import Fulfilment, Policy
from lianqi.policies.money import yuan_text
from lianqi.policies.queries import version_on

from .. import chainmap
from ..models import PurchaseTotal, SubsidyGrant


@dataclass
class SubsidyRun:
    """What one run did: the enterprises owed the subsidy, those newly entered in the ledger
    and the total amount entered (yuan)."""

    due: list[chainmap.SubsidyDue] = field(default_factory=list)
    entered: list[int] = field(default_factory=list)
    amount: Decimal = Decimal("0.00")


def qualifying_purchases(path: str, up_to: int) -> dict[int, dict[int, Decimal]]:
    """Per enterprise under `path`, per year up to `up_to`: purchases of strategic-industry
    products from local suppliers that are not affiliated with the buyer (yuan)."""
    yearly: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = PurchaseTotal.objects.filter(
        jurisdiction_path__startswith=path, year__lte=up_to, qualifying__gt=0
    ).values_list("buyer_id", "year", "qualifying")
    for buyer, year, amount in rows:
        yearly[buyer][year] = amount
    return yearly


def subsidy_due(policy: Policy, year: int) -> list[chainmap.SubsidyDue]:
    """Who is owed the local-purchase subsidy of `policy` for `year`, from the records."""
    return chainmap.subsidies_due(qualifying_purchases(policy.jurisdiction_path, year), year)


def grant_local_purchase_subsidy(
    *, policy: Policy, year: int, actor: Actor, at: dt.datetime | None = None
) -> SubsidyRun:
    """Enter the enterprises owed the local-purchase subsidy for `year` in `policy`'s ledger
    with the amount computed from their purchases (the office or a leader of the policy's
    jurisdiction). Running it again adds only the enterprises not yet in the ledger."""
    at = at or timezone.now()
    if not has_role(actor, (Role.SERVICE_OFFICE, Role.LEADER)) or not path_visible(
        actor, policy.jurisdiction_path
    ):
        raise ValidationError({"policy": _("只有政策所属辖区的营商办或领导可以兑现该政策")})
    if year > timezone.localdate(at).year:
        raise ValidationError({"year": _("年度不能晚于今年")})
    return enter_subsidy(policy=policy, year=year, at=at)


def enter_subsidy(*, policy: Policy, year: int, at: dt.datetime) -> SubsidyRun:
    """The writes of `grant_local_purchase_subsidy` once the actor is checked (the demo, which
    replays a year, calls it directly)."""
    version = version_on(policy, timezone.localdate(at))
    if version is None:
        raise ValidationError({"policy": _("该政策没有现行有效的版本")})
    run = SubsidyRun(due=subsidy_due(policy, year))
    with transaction.atomic():
        already = set(Fulfilment.objects.filter(policy=policy).values_list("enterprise_id", flat=True))
        fresh = [d for d in run.due if d.enterprise not in already]
        pairs = [(policy.pk, d.enterprise) for d in fresh]
        found: Found = {
            (policy.pk, d.enterprise): (MatchVerdict.ELIGIBLE.value, d.amount, version) for d in fresh
        }
        open_entries(pairs, found, at)
        entries = Fulfilment.objects.filter(policy=policy, enterprise_id__in=[d.enterprise for d in fresh])
        basis = {d.enterprise: d.purchases for d in fresh}
        for entry in entries:
            run.entered.append(entry.enterprise_id)
            run.amount += entry.promised_amount or Decimal("0")
            SubsidyGrant.objects.create(
                fulfilment=entry,
                buyer_id=entry.enterprise_id,
                year=year,
                purchases=basis[entry.enterprise_id],
            )
    return run


#: The ledger states in which an entry's amount may still be revised (not yet paid, not closed).
REVISABLE = (
    FulfilmentState.MATCHED,
    FulfilmentState.NOTIFIED,
    FulfilmentState.APPLIED,
    FulfilmentState.REVIEWED,
    FulfilmentState.APPROVED,
)


def follow_corrected_purchases(*, buyer: Enterprise, years: set[int], actor: Actor, at: dt.datetime) -> int:
    """After a purchase of `buyer` in `years` was corrected: each subsidy entry computed from
    those years and not yet paid takes the amount the corrected records give (修订金额), or is
    withdrawn when they no longer reach the subsidy's bar (撤销兑现), with the reason 采购记录更正.
    Taken by the office or a leader who corrected the purchase; anyone else's correction is
    put before the office with the amount it should now be. Call inside the correction's own
    transaction. Returns the entries revised, withdrawn or put before the office."""
    grants = SubsidyGrant.objects.select_related("fulfilment__policy").filter(
        buyer=buyer, year__in=years, fulfilment__state__in=REVISABLE
    )
    office = has_role(actor, (Role.SERVICE_OFFICE, Role.LEADER)) and path_visible(
        actor, buyer.jurisdiction_path
    )
    done = 0
    for grant in grants:
        entry = Fulfilment.objects.select_for_update().get(pk=grant.fulfilment_id)
        due = next(
            (d for d in subsidy_due(entry.policy, grant.year) if d.enterprise == buyer.pk),
            None,
        )
        current = entry.approved_amount if entry.state == FulfilmentState.APPROVED else entry.promised_amount
        if due is not None and current is not None and due.amount == current:
            continue
        words = {"year": grant.year, "amount": yuan_text(due.amount) if due else ""}
        if not office:
            _tell_office(entry, buyer, due, at)
        elif due is None:
            revoke_fulfilment(
                fulfilment=entry,
                actor=actor,
                expected_version=entry.version,
                reason=_("采购记录更正：%(year)s年本地采购不再达到补贴条件") % words,
                at=at,
            )
        else:
            revise_fulfilment_amount(
                fulfilment=entry,
                actor=actor,
                expected_version=entry.version,
                amount=due.amount,
                reason=_("采购记录更正"),
                at=at,
            )
            grant.purchases = due.purchases
            grant.save(update_fields=["purchases"])
        done += 1
    return done


def _tell_office(
    entry: Fulfilment, buyer: Enterprise, due: chainmap.SubsidyDue | None, at: dt.datetime
) -> None:
    """Put a correction the enterprise made before the office, which decides on the ledger."""
    words = {
        "enterprise": buyer.name,
        "policy": entry.policy.title,
        "amount": yuan_text(due.amount) if due else "",
    }
    body = (
        _("%(enterprise)s更正了采购记录，按更正后的记录“%(policy)s”应为 %(amount)s，请在兑现台账中修订金额。")
        if due
        else _("%(enterprise)s更正了采购记录，更正后不再达到“%(policy)s”的补贴条件，请在兑现台账中撤销兑现。")
    ) % words
    link = reverse("policies:fulfilment", args=[entry.pk])
    message = notify.Message(_("本地采购补贴待修订：%(enterprise)s") % words, body, link)
    notify.to_users(
        notify.office_users(cast(Any, entry)),
        message,
        key=f"market:subsidy:{entry.pk}:v{entry.version}:{due.amount if due else 'none'}",
        at=at,
    )
