"""Writes of the shelf: putting a policy up and changing it, drafting its rule (in forms or
from a rule file read by `queries.read_rule_file`) and publishing a version. Publishing, and taking a policy on or off the
shelf, re-matches its enterprises after commit (`signals.policy_changed`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.validity import ending_before, make_room
from lianqi.org.models import Department, Jurisdiction
from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
    Declaration,
    RuleSet,
    rules_to_data,
    run_test_cases,
)

from ..choices import VersionState
from ..models import Policy, PolicyVersion
from ..queries import parse_policy_rule, version_on
from ..signals import announce_change

#: Attributes the enterprise reports itself: a 免申即享 policy may not depend on them, since
#: nobody verifies them before the money goes out.
SELF_REPORTED_SOURCES = frozenset({"企业填报"})

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


def _check_department(jurisdiction_path: str, department: Department | None) -> None:
    # A department answers for policies of its own jurisdiction and below.
    if department is not None and not jurisdiction_path.startswith(department.jurisdiction_path):
        raise ValidationError({"department": _("主管部门须属于政策所在辖区")})


def create_policy(*, actor: Actor | None, jurisdiction: Jurisdiction, **fields: Any) -> Policy:
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


def update_policy(*, policy: Policy, actor: Actor | None, **fields: Any) -> Policy:
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
                _check_no_application(parse_policy_rule(locked, version.rule))
        locked.full_clean()
        locked.save()
        if locked.is_active != was_active:
            announce_change(locked.pk)
    return locked


def save_policy_draft(
    *,
    policy: Policy,
    actor: Actor | None,
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


def _check_no_application(ruleset: RuleSet) -> None:
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
    *, version: PolicyVersion, actor: Actor | None, at: dt.datetime | None = None, rematch: bool = True
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
            _check_no_application(ruleset)
        published = policy.versions.select_for_update().filter(state=VersionState.PUBLISHED)
        to_end, clash = make_room(published, version.valid_from, version.valid_to)
        if clash is not None:
            raise ValidationError({"valid_from": _("与已发布的第 %(n)s 版有效期重叠") % {"n": clash.number}})
        for other in to_end:
            other.valid_to = ending_before(version.valid_from)
            other.save(update_fields=["valid_to", "updated_at"])
        version.state = VersionState.PUBLISHED
        version.published_at = at
        version.published_by = actor
        version.save()
        if rematch:
            announce_change(policy.pk)
    return version
