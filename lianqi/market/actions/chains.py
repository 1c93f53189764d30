"""Writes of the industrial chains (产业链), by the service office of the chain's jurisdiction:
the chain with its leader (链长) and party committee (链上党委), its nodes, the enterprises
placed on them, the committee's members and meetings, and a matching event drawn from the
chain (its enterprises with open needs as buyers, the others as suppliers)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import required_text
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction

from ..choices import ChainRole, ListingState, ParticipantRole
from ..models import (
    Chain,
    ChainFirm,
    ChainNode,
    CommitteeMeeting,
    CommitteeMember,
    FairParticipant,
    MatchingFair,
    Need,
)


def may_manage_chain(actor: Actor, path: str) -> bool:
    """Whether `actor` keeps the chains of the jurisdiction at `path`: its service office."""
    return has_role(actor, (Role.SERVICE_OFFICE,)) and path_visible(actor, path)


def _check(actor: Actor, chain: Chain) -> None:
    if not may_manage_chain(actor, chain.jurisdiction_path):
        raise ValidationError({"chain": _("只有本辖区的营商办可以维护产业链")})


def create_chain(
    *,
    actor: Actor,
    jurisdiction: Jurisdiction,
    name: str,
    description: str = "",
    home_park: Jurisdiction | None = None,
    leader_name: str = "",
    leader_title: str = "",
    committee_name: str = "",
) -> Chain:
    """A new industrial chain of `jurisdiction` (a city or a park the actor's office serves)."""
    if not may_manage_chain(actor, jurisdiction.path):
        raise ValidationError({"jurisdiction": _("只有本辖区的营商办可以维护产业链")})
    name = required_text(name, "name", _("请填写产业链名称"))
    if home_park is not None and not home_park.path.startswith(jurisdiction.path):
        raise ValidationError({"home_park": _("主要承载园区须在产业链所属辖区之内")})
    if Chain.objects.filter(jurisdiction=jurisdiction, name=name).exists():
        raise ValidationError({"name": _("该辖区已有同名产业链")})
    return Chain.objects.create(
        jurisdiction=jurisdiction,
        name=name[:100],
        description=description.strip(),
        home_park=home_park,
        leader_name=leader_name.strip()[:50],
        leader_title=leader_title.strip()[:100],
        committee_name=committee_name.strip()[:100],
    )


def add_node(
    *, chain: Chain, actor: Actor, name: str, parent: ChainNode | None = None, order: int = 0
) -> ChainNode:
    """A node of the chain's tree, under `parent` (a root when None)."""
    _check(actor, chain)
    name = required_text(name, "name", _("请填写环节名称"))
    if parent is not None and parent.chain_id != chain.pk:
        raise ValidationError({"parent": _("上级环节不属于该产业链")})
    if ChainNode.objects.filter(chain=chain, parent=parent, name=name).exists():
        raise ValidationError({"name": _("同一上级环节下已有该环节")})
    return ChainNode.objects.create(chain=chain, parent=parent, name=name[:100], order=order)


def place_firm(*, node: ChainNode, enterprise: Enterprise, role: str, actor: Actor) -> ChainFirm:
    """Place an enterprise of the chain's jurisdiction on a node with its role (again: change
    the role)."""
    chain = node.chain
    _check(actor, chain)
    if role not in ChainRole.values:
        raise ValidationError({"role": _("请选择链上角色")})
    if not enterprise.jurisdiction_path.startswith(chain.jurisdiction_path):
        raise ValidationError({"enterprise": _("该企业不在产业链所属辖区之内")})
    row, _created = ChainFirm.objects.update_or_create(
        node=node, enterprise=enterprise, defaults={"chain": chain, "role": role}
    )
    return row


def remove_firm(*, firm: ChainFirm, actor: Actor) -> None:
    """Take an enterprise off a node."""
    _check(actor, firm.chain)
    firm.delete()


def add_member(*, chain: Chain, actor: Actor, name: str, post: str, unit: str = "") -> CommitteeMember:
    """A member of the chain's party committee with their post (书记, 副书记, 委员)."""
    _check(actor, chain)
    errors: dict[str, list[str]] = {}
    for field_name, value, message in (
        ("name", name, _("请填写姓名")),
        ("post", post, _("请填写党委职务")),
    ):
        if not (value or "").strip():
            errors[field_name] = [message]
    if errors:
        raise ValidationError(errors)
    order = chain.members.count() + 1
    return CommitteeMember.objects.create(
        chain=chain, name=name.strip()[:50], post=post.strip()[:50], unit=unit.strip()[:200], order=order
    )


def record_meeting(
    *, chain: Chain, actor: Actor, held_on: dt.date | None, subject: str, decisions: str = ""
) -> CommitteeMeeting:
    """A meeting of the chain's party committee (定期调度), with what it decided."""
    _check(actor, chain)
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = [_("请填写会议日期")]
    if not (subject or "").strip():
        errors["subject"] = [_("请填写会议主题")]
    if errors or held_on is None:
        raise ValidationError(errors)
    return CommitteeMeeting.objects.create(
        chain=chain,
        held_on=held_on,
        subject=subject.strip()[:200],
        decisions=decisions.strip(),
        recorded_by=actor,
    )


def fair_from_chain(*, chain: Chain, actor: Actor, held_on: dt.date | None, theme: str = "") -> MatchingFair:
    """A matching event for the chain (the office of its jurisdiction): its enterprises with
    open needs are invited as buyers, the others as suppliers; the event page lists the chain's
    missing nodes as the targets to bring in."""
    _check(actor, chain)
    if held_on is None:
        raise ValidationError({"held_on": _("请填写举办日期")})
    theme = (theme or "").strip() or _("%(chain)s供需对接会") % {"chain": chain.name}
    firm_ids = set(chain.firms.values_list("enterprise_id", flat=True))
    buyers = set(
        Need.objects.filter(enterprise_id__in=firm_ids, state=ListingState.OPEN).values_list(
            "enterprise_id", flat=True
        )
    )
    try:
        with transaction.atomic():
            fair = MatchingFair.objects.create(
                jurisdiction_id=chain.jurisdiction_id,
                held_on=held_on,
                theme=theme[:200],
                chain=chain,
                recorded_by=actor,
            )
            FairParticipant.objects.bulk_create(
                [
                    FairParticipant(
                        fair=fair,
                        enterprise_id=enterprise_id,
                        role=ParticipantRole.BUYER if enterprise_id in buyers else ParticipantRole.SUPPLIER,
                    )
                    for enterprise_id in sorted(firm_ids)
                ]
            )
    except IntegrityError:
        raise ValidationError({"held_on": _("对接会登记失败，请重试")}) from None
    return fair
