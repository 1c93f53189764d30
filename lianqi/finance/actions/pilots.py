"""Financing pilots and their whitelists: setting a pilot up, saving a new version of its
whitelist rule, and adding or removing an enterprise by hand with a reason. By the office of
the pilot's jurisdiction."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.workflow import required_text
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction
from lianqi.rules import ENTERPRISE_CATALOGUE, RuleError, rules_from_data

from ..choices import InstitutionKind
from ..models import Institution, Pilot, Product, WhitelistChange, WhitelistVersion
from ..permissions import ancestor_paths
from ..whitelists import WHITELISTS
from .checks import check_office

CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9-]{0,39}")


def create_pilot(
    *,
    jurisdiction: Jurisdiction,
    name: str,
    code: str,
    guarantor: Institution,
    banks: Iterable[Institution],
    actor: Actor,
    product: Product | None = None,
) -> Pilot:
    """Set up a pilot of `jurisdiction`, led by a guarantee company, with its banks. Its code
    (DCZY) is what a product's rule names to ask for the pilot's whitelist."""
    check_office(actor, jurisdiction.path, "jurisdiction")
    name = required_text(name, "name", _("请填写试点名称"))
    code = required_text(code, "code", _("请填写试点编号")).upper()
    serving = set(ancestor_paths(jurisdiction.path))
    chosen = list(banks)
    errors: dict[str, str] = {}
    if not CODE_PATTERN.fullmatch(code):
        errors["code"] = _("试点编号只能由字母、数字和连字符组成，不超过 40 个字符")
    elif Pilot.objects.filter(code=code).exists():
        errors["code"] = _("该试点编号已被使用")
    if guarantor.kind != InstitutionKind.GUARANTEE or guarantor.jurisdiction_path not in serving:
        errors["guarantor"] = _("牵头机构须为服务本辖区的融资担保公司")
    if not chosen or any(bank.jurisdiction_path not in serving for bank in chosen):
        errors["banks"] = _("请选择服务本辖区的试点银行")
    if product is not None and product.institution_id not in {guarantor.pk, *(bank.pk for bank in chosen)}:
        errors["product"] = _("专属产品须为试点机构的产品")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pilot = Pilot.objects.create(
            jurisdiction=jurisdiction, name=name, code=code, guarantor=guarantor, product=product
        )
        pilot.banks.set(chosen)
    return pilot


def save_whitelist_rule(
    *, pilot: Pilot, rule: dict[str, Any], actor: Actor, note: str = ""
) -> WhitelistVersion:
    """Save the pilot's whitelist rule as its next version (the engine checks it first)."""
    check_office(actor, pilot.jurisdiction_path, "pilot")
    try:
        ruleset = rules_from_data(rule, ENTERPRISE_CATALOGUE)
    except RuleError as error:
        raise ValidationError({"rule": [str(issue) for issue in error.issues]}) from error
    if len(ruleset.rules) != 1:
        raise ValidationError({"rule": _("白名单规则须恰好包含一条规则")})
    if any(getattr(leaf, "attribute", None) == WHITELISTS for _path, leaf in ruleset.rules[0].conditions()):
        # Membership is computed from these rules: one reading it would go round in a circle.
        raise ValidationError({"rule": _("白名单规则不能以试点白名单为条件")})
    with transaction.atomic():
        locked = Pilot.objects.select_for_update().get(pk=pilot.pk)
        last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
        return WhitelistVersion.objects.create(
            pilot=locked, number=last + 1, rule=dict(rule), note=note.strip()[:200], saved_by=actor
        )


def change_whitelist(
    *, pilot: Pilot, enterprise: Enterprise, included: bool, reason: str, actor: Actor
) -> WhitelistChange:
    """Add an enterprise to the whitelist, or remove it, by hand: always with a reason."""
    check_office(actor, pilot.jurisdiction_path, "pilot")
    reason = required_text(reason, "reason", _("请填写调整理由"))
    if not enterprise.jurisdiction_path.startswith(pilot.jurisdiction_path):
        raise ValidationError({"enterprise": _("企业须属于试点所在辖区")})
    with transaction.atomic():
        Pilot.objects.select_for_update().get(pk=pilot.pk)
        return WhitelistChange.objects.create(
            pilot=pilot, enterprise=enterprise, included=included, reason=reason[:200], actor=actor
        )
