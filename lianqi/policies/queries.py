"""Reads of the policy supermarket: a policy's rule checked and the version in force, the
engine compiled over enterprises, an enterprise's policies with reasons (一键智配), the sandbox
that compares a draft with the rule in force, and the ledger's lists, totals and overdue steps.
Every function that depends on "now" takes the day or time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from lianqi.core import workdays
from lianqi.core.registry import Period
from lianqi.core.search import apply_search
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.rules import (
    ENTERPRISE_CATALOGUE,
    Engine,
    Explanation,
    NearMiss,
    Not,
    RuleError,
    RuleSet,
    Verdict,
    build_table,
    explain,
    load_json,
    load_yaml,
    miss_item,
    outline_items,
    read_xlsx,
    rules_from_data,
    rules_to_data,
)
from lianqi.rules.model import walk

from .choices import FulfilmentAction, FulfilmentState, MatchVerdict, PolicyLevel, VersionState
from .explanations import Sentence, WordedExplanation, Wording
from .models import (
    Fulfilment,
    FulfilmentEvent,
    FulfilmentMaterial,
    Policy,
    PolicyMatch,
    PolicyVersion,
    leveled_title,
)
from .permissions import policies_for_enterprise
from .subjects import enterprise_record, enterprise_records

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


def read_rule_file(policy: Policy, *, name: str, content: bytes) -> RuleSet:
    """A rule file (JSON, YAML or the rule spreadsheet) for one policy, refused whole with the
    line (or sheet and row) and field of every fault."""
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


def latest_draft(policy: Policy) -> PolicyVersion | None:
    """The policy's newest draft, if one is being written."""
    return policy.versions.filter(state=VersionState.DRAFT).order_by("-number").first()


def version_numbered(policy: Policy, number: int) -> PolicyVersion | None:
    """The policy's version with this number."""
    return policy.versions.filter(number=number).first()


def shown_version(policy: Policy, day: dt.date) -> PolicyVersion | None:
    """The version a rule file or page shows by default: the one in force on `day`, else the
    latest."""
    return version_on(policy, day) or policy.versions.order_by("-number").first()


def versions_of(policy: Policy) -> QuerySet[PolicyVersion]:
    """Every version of the policy, newest first."""
    return policy.versions.order_by("-number")


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


def engine_for(versions: list[PolicyVersion], records: list[dict[str, Any]], day: dt.date) -> Engine | None:
    """The engine compiled for the rules of `versions` over the enterprise `records` on `day`
    (None when there is nothing to match)."""
    if not versions or not records:
        return None
    ruleset = combined_ruleset(versions)
    return Engine.compile(
        ruleset, build_table(records, ENTERPRISE_CATALOGUE), as_of=day, parameters=ruleset.parameters
    )


# --- An enterprise's policies and the sandbox ----------------------------------------------


@dataclass
class PolicyFit:
    """One policy as an enterprise sees it: the verdict, the amount, the explanation (the
    engine's, and `words`: the same in sentences), and whether declaring its self-declared
    conditions would make it eligible."""

    policy: Policy
    version: PolicyVersion
    verdict: Verdict
    explanation: Explanation
    to_declare: bool = False
    words: WordedExplanation | None = None


@dataclass
class PolicyMiss:
    """A policy the enterprise would fit if one condition went the other way: the engine's
    near miss and that condition in words (with the gap, for a figure)."""

    policy: Policy
    miss: NearMiss
    words: Sentence


@dataclass
class PoliciesForEnterprise:
    """An enterprise's policies (一键智配): those it fits, those it may fit, and near misses."""

    eligible: list[PolicyFit] = field(default_factory=list)
    unknown: list[PolicyFit] = field(default_factory=list)
    near_misses: list[PolicyMiss] = field(default_factory=list)


def eligible_count(enterprise: Enterprise) -> int:
    """How many policies the enterprise fits, as stored by the last re-matching (its code
    page's tile)."""
    return enterprise.policy_matches.filter(verdict=MatchVerdict.ELIGIBLE).count()


def policies_for(enterprise: Enterprise, *, day: dt.date) -> PoliciesForEnterprise:
    """Match one enterprise against every policy in force over its jurisdiction on `day`,
    live (milliseconds), with the explanation of each verdict and the near misses."""
    policies = {p.code: p for p in policies_for_enterprise(enterprise)}
    versions = versions_on(list(policies.values()), day)
    result = PoliciesForEnterprise()
    if not versions:
        return result
    ruleset = combined_ruleset(versions)
    record = enterprise_record(enterprise)
    engine = Engine.compile(
        ruleset, build_table([record], ENTERPRISE_CATALOGUE), as_of=day, parameters=ruleset.parameters
    )
    match = engine.match_one(0)
    by_code = {v.policy.code: v for v in versions}
    to_declare = set(match.to_declare)
    rules = ruleset.by_code()
    for rule in ruleset.rules:
        verdict = match.verdict(rule.code)
        if verdict is Verdict.INELIGIBLE:
            continue
        fit = PolicyFit(
            policies[rule.code],
            by_code[rule.code],
            verdict,
            explain(rule, record, as_of=day, parameters=ruleset.parameters),
            rule.code in to_declare,
        )
        (result.eligible if verdict is Verdict.ELIGIBLE else result.unknown).append(fit)
    misses = engine.near_misses(0)
    fits = result.eligible + result.unknown
    wording = Wording(
        [item for fit in fits for item in fit.explanation.items()] + [miss_item(miss) for miss in misses]
    )
    for fit in fits:
        fit.words = wording.explanation(fit.explanation, rules[fit.policy.code].benefit, as_of=day)
    result.near_misses = [PolicyMiss(policies[m.rule], m, wording.near_miss(m)) for m in misses]
    return result


def policy_fit(
    enterprise: Enterprise, policy: Policy, *, day: dt.date
) -> tuple[PolicyFit | None, PolicyMiss | None]:
    """How one policy fits the enterprise on `day`: its fit (eligible or may be) with the
    reasons, or the near miss naming the condition it fails by a little (or neither)."""
    found = policies_for(enterprise, day=day)
    fit = next((f for f in found.eligible + found.unknown if f.policy.pk == policy.pk), None)
    miss = next((m for m in found.near_misses if m.policy.pk == policy.pk), None)
    return fit, miss


def explain_match(match: PolicyMatch, *, day: dt.date) -> WordedExplanation:
    """Why a stored match holds on `day`: its version's rule over the enterprise's record,
    condition by condition, in words."""
    ruleset = rules_from_data(match.version.rule, ENTERPRISE_CATALOGUE)
    rule = ruleset.rules[0]
    explanation = explain(rule, enterprise_record(match.enterprise), as_of=day, parameters=ruleset.parameters)
    return Wording(explanation.items()).explanation(explanation, rule.benefit, as_of=day)


@dataclass
class Sandbox:
    """A draft compared with the rule in force. `eligible` fit on the platform's data;
    `possible` are those not ruled out (eligible, or missing data or a self-declared condition
    away); who enters and who leaves is counted on the possible, since an enterprise that can
    declare is one the policy reaches. Budgets sum the eligible enterprises' amounts."""

    draft_eligible: int
    draft_possible: int
    current_eligible: int | None
    current_possible: int | None
    entering: list[int]
    leaving: list[int]
    draft_budget: float | None
    current_budget: float | None
    unknown_amounts: int = 0


def _reach(ruleset: Any, table: Any, code: str, day: dt.date) -> tuple[set[int], set[int], Any]:
    matching = Engine.compile(ruleset, table, as_of=day, parameters=ruleset.parameters).match()
    sets = matching.sets(code)
    eligible = set(sets[Verdict.ELIGIBLE])
    return eligible, eligible | set(sets[Verdict.UNKNOWN]), matching.budget(code)


def sandbox(policy: Policy, rule: Mapping[str, Any], *, day: dt.date) -> Sandbox:
    """Run a draft rule over every active enterprise under the policy's jurisdiction and
    compare it with the version in force on `day`, without storing anything."""
    draft = parse_policy_rule(policy, rule)
    records = enterprise_records(
        Enterprise.objects.filter(
            jurisdiction_path__startswith=policy.jurisdiction_path, status=EnterpriseStatus.ACTIVE
        )
    )
    if not records:
        return Sandbox(0, 0, None, None, [], [], None, None)
    table = build_table(records, ENTERPRISE_CATALOGUE)
    draft_eligible, draft_possible, draft_budget = _reach(draft, table, policy.code, day)
    current = version_on(policy, day)
    current_eligible: set[int] | None = None
    current_possible: set[int] = set()
    current_budget = None
    if current is not None:
        current_eligible, current_possible, budget = _reach(
            combined_ruleset([current]), table, policy.code, day
        )
        current_budget = budget.total if budget is not None else None
    return Sandbox(
        draft_eligible=len(draft_eligible),
        draft_possible=len(draft_possible),
        current_eligible=len(current_eligible) if current_eligible is not None else None,
        current_possible=len(current_possible) if current is not None else None,
        entering=sorted(draft_possible - current_possible),
        leaving=sorted(current_possible - draft_possible),
        draft_budget=draft_budget.total if draft_budget is not None else None,
        current_budget=current_budget,
        unknown_amounts=draft_budget.unknown_amounts if draft_budget is not None else 0,
    )


def enterprise_names(ids: list[int]) -> dict[int, str]:
    """Enterprise names by primary key (the sandbox names who enters and who leaves)."""
    return dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name"))


#: Ledger states whose step belongs to the administration (a deadline runs).
ADMINISTRATION_STATES = (
    FulfilmentState.MATCHED,
    FulfilmentState.APPLIED,
    FulfilmentState.REVIEWED,
    FulfilmentState.APPROVED,
)


def overdue_fulfilments(queryset: QuerySet[Fulfilment], *, at: dt.datetime) -> QuerySet[Fulfilment]:
    """Entries whose administration step is past its working-day deadline at `at`."""
    return queryset.filter(state__in=ADMINISTRATION_STATES, due_on__lt=workdays.shanghai_date(at))


def awaiting_notice(entries: QuerySet[Fulfilment], *, policy: Policy, period: int) -> QuerySet[Fulfilment]:
    """The entries of `policy` for `period` still only matched: what the policy page's 一键告知
    (`actions.notify_matched_entries`) would tell."""
    return entries.filter(policy=policy, period=period, state=FulfilmentState.MATCHED)


def is_overdue(entry: Fulfilment, *, at: dt.datetime) -> bool:
    """Whether the entry's administration step is past its deadline at `at`."""
    return overdue_fulfilments(Fulfilment.objects.filter(pk=entry.pk), at=at).exists()


def awaiting_approval(entries: QuerySet[Fulfilment], *, policy: Policy) -> QuerySet[Fulfilment]:
    """A 免申即享 policy's beneficiaries (of `entries`) not yet approved: what its beneficiaries
    page approves in one go (`actions.approve_beneficiaries`)."""
    return entries.filter(
        policy=policy, state__in=(FulfilmentState.MATCHED, FulfilmentState.NOTIFIED)
    ).select_related("enterprise")


def history_of(entry: Fulfilment) -> QuerySet[FulfilmentEvent]:
    """The entry's steps in order, with who took them."""
    return entry.events.select_related("actor")


def materials_of(entry: Fulfilment) -> QuerySet[FulfilmentMaterial]:
    """The documents the entry's application carries."""
    return entry.materials.all()


def narrowed_to(policies: QuerySet[Policy], pk: int) -> Policy | None:
    """The policy a list is narrowed to, if it is among `policies` (else the narrowing is
    ignored)."""
    return policies.filter(pk=pk).first()


def entries_of(enterprise: Enterprise, *, policy: Policy | None = None) -> QuerySet[Fulfilment]:
    """An enterprise's ledger entries (of one policy, when given), the latest year first."""
    entries = Fulfilment.objects.filter(enterprise=enterprise)
    if policy is not None:
        entries = entries.filter(policy=policy)
    return entries.order_by("-period")


def has_applied(entries: QuerySet[Fulfilment]) -> bool:
    """Whether any of `entries` went past the match and the notice (an application is in)."""
    return entries.exclude(state__in=(FulfilmentState.MATCHED, FulfilmentState.NOTIFIED)).exists()


def _ledger_figures() -> dict[str, Any]:
    """The ledger's figures over a set of entries, each defined here once: the ledger page's
    totals, an enterprise's benefits and the registered measures (`measures.py`) all read
    them. Amounts are yuan (to the fen), as the ledger stores them; sums of Decimals."""
    disbursed = Q(state=FulfilmentState.DISBURSED)
    return {
        "entries": Count("pk"),
        "approved": Sum("approved_amount"),
        "disbursed": Sum("disbursed_amount"),
        "disbursed_count": Count("pk", filter=disbursed),
        "enterprises_benefited": Count("enterprise", filter=disbursed, distinct=True),
        # 其中免申即享: the share of the entries and payments that needed no application.
        "no_application_entries": Count("pk", filter=Q(no_application=True)),
        "no_application_approved": Sum("approved_amount", filter=Q(no_application=True)),
        "no_application_disbursed": Sum("disbursed_amount", filter=Q(no_application=True)),
        "no_application_disbursed_count": Count("pk", filter=disbursed & Q(no_application=True)),
    }


#: The figures that are sums of yuan (zero, not NULL, over no rows).
AMOUNT_FIGURES = ("approved", "disbursed", "no_application_approved", "no_application_disbursed")
#: The figures the ledger's summary shows per policy, department or year.
TOTAL_FIGURES = ("entries", "approved", "disbursed", "disbursed_count")


def _figures(row: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    # A sum over no rows is NULL; the ledger shows it as zero.
    return {name: (row[name] or Decimal("0")) if name in AMOUNT_FIGURES else row[name] for name in names}


def responsible_label(level: str) -> str:
    """The name the ledger gives a policy that names no department in the park: "上级政策"
    by its level, so that no row of the ledger is left without a name."""
    if level == PolicyLevel.PARK:
        return _("园区政策（未指定部门）")
    return _("上级政策（%(level)s）") % {"level": PolicyLevel(level).label}


def responsible_of(policy: Policy) -> str:
    """Who answers for a policy's entries in the ledger (its export's department column)."""
    return policy.department.name if policy.department else responsible_label(policy.level)


def _responsible() -> Coalesce:
    """`responsible_of` in the database, for the ledger's grouping by department."""
    return Coalesce(
        F("policy__department__name"),
        Case(
            *(
                When(policy__level=level, then=Value(responsible_label(level)))
                for level in PolicyLevel.values
            ),
            output_field=CharField(),
        ),
        output_field=CharField(),
    )


def ledger_totals(queryset: QuerySet[Fulfilment], *, by: str) -> list[dict[str, Any]]:
    """Counts and amounts by `by` ("policy", "department" or "period"): entries, approved and
    disbursed amounts, disbursed count — for the ledger's summary and its export."""
    figures = _ledger_figures()
    if by == "policy":
        # By the policy itself, named with its level: two levels may publish one title.
        rows = (
            queryset.order_by()
            .values("policy", "policy__title", "policy__level")
            .annotate(**{name: figures[name] for name in TOTAL_FIGURES})
            .order_by("policy__title", "policy__level", "policy")
        )
        return [
            {"key": leveled_title(row["policy__title"], row["policy__level"]), **_figures(row, TOTAL_FIGURES)}
            for row in rows
        ]
    field_name = {"department": "responsible", "period": "period"}[by]
    if by == "department":
        queryset = queryset.annotate(responsible=_responsible())
    rows = (
        queryset.order_by()
        .values(field_name)
        .annotate(**{name: figures[name] for name in TOTAL_FIGURES})
        .order_by(field_name)
    )
    return [{"key": row[field_name], **_figures(row, TOTAL_FIGURES)} for row in rows]


def ledger_figures(queryset: QuerySet[Fulfilment]) -> dict[str, Any]:
    """Every figure of `_ledger_figures` over the whole of `queryset` (one row)."""
    figures = _ledger_figures()
    return _figures(queryset.order_by().aggregate(**figures), list(figures))


def ledger_in(jurisdiction_path: str, period: Period) -> QuerySet[Fulfilment]:
    """The ledger entries of a jurisdiction (and those below it) whose 兑现年度 falls within
    the years `period` covers: the rows the ledger page shows when filtered by that year."""
    return Fulfilment.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        period__gte=period.start.year,
        period__lte=period.end.year,
    )


def overdue_count(jurisdiction_path: str, period: Period, *, at: dt.datetime) -> int:
    """How many of those entries are in an administration step past its deadline at `at`."""
    return overdue_fulfilments(ledger_in(jurisdiction_path, period), at=at).count()


# --- An enterprise's file ------------------------------------------------------------------


def matches_of(matches: QuerySet[PolicyMatch], enterprise: Enterprise) -> QuerySet[PolicyMatch]:
    """The enterprise's current matches (of `matches`, those the user may see): the policies
    it fits first, then those it may fit, each with the policy and the computed amount."""
    return matches.filter(enterprise=enterprise).select_related("policy").order_by("verdict", "policy__code")


def benefits_of(entries: QuerySet[Fulfilment], enterprise: Enterprise) -> QuerySet[Fulfilment]:
    """The enterprise's ledger entries (of `entries`, those the user may see), the latest
    year first, each with when it applied (`applied_at`) and was approved (`approved_at`),
    read from its history."""
    events = FulfilmentEvent.objects.filter(fulfilment=OuterRef("pk")).order_by("-at", "-pk")
    approvals = (FulfilmentAction.APPROVE, FulfilmentAction.APPROVE_WITHOUT_APPLICATION)
    return (
        entries.filter(enterprise=enterprise)
        .select_related("policy")
        .annotate(
            applied_at=Subquery(events.filter(action=FulfilmentAction.APPLY).values("at")[:1]),
            approved_at=Subquery(events.filter(action__in=approvals).values("at")[:1]),
        )
        .order_by("-period", "policy__code")
    )


def _in_force(day: dt.date) -> Q:
    return Q(state=VersionState.PUBLISHED, valid_from__lte=day) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def policy_list(
    policies: QuerySet[Policy],
    *,
    day: dt.date,
    q: str = "",
    level: str = "",
    kind: str = "",
    department: Any = None,
    validity: str = "",
) -> QuerySet[Policy]:
    """Policies filtered as the supermarket's browse page asks, each with `in_force` (a version
    holds on `day`) and the counts of enterprises that fit (`eligible_count`) or may
    (`unknown_count`)."""
    versions = PolicyVersion.objects.filter(policy=OuterRef("pk"))
    queryset = policies.select_related("department").annotate(
        in_force=Exists(versions.filter(_in_force(day))),
        upcoming=Exists(versions.filter(state=VersionState.PUBLISHED, valid_from__gt=day)),
        eligible_count=Count("matches", filter=Q(matches__verdict=MatchVerdict.ELIGIBLE), distinct=True),
        unknown_count=Count("matches", filter=Q(matches__verdict=MatchVerdict.UNKNOWN), distinct=True),
    )
    if q:
        queryset = apply_search(queryset, q)
    if level:
        queryset = queryset.filter(level=level)
    if kind:
        queryset = queryset.filter(kind=kind)
    if department is not None:
        queryset = queryset.filter(department=department)
    if validity == "in_force":
        queryset = queryset.filter(in_force=True)
    elif validity == "upcoming":
        queryset = queryset.filter(in_force=False, upcoming=True)
    elif validity == "expired":
        queryset = queryset.filter(in_force=False, upcoming=False)
    return queryset.order_by("-in_force", "code")


def rule_outline(version: PolicyVersion, *, day: dt.date) -> tuple[list[Sentence], str]:
    """A version's conditions as indented sentences in the reader's language (with the
    parameter values of `day`), and its benefit in words."""
    return ruleset_outline(rules_from_data(version.rule, ENTERPRISE_CATALOGUE), day=day)


def ruleset_outline(ruleset: RuleSet, *, day: dt.date) -> tuple[list[Sentence], str]:
    """`rule_outline` of a rule set's (only) rule, as the workbench reads it from its rows."""
    rule = ruleset.rules[0]
    items = outline_items(rule, as_of=day, parameters=ruleset.parameters)
    wording = Wording(items)
    benefit = wording.benefit_text(rule.benefit, as_of=day) if rule.benefit is not None else ""
    return wording.sentences(items), benefit


def node_sentences(ruleset: RuleSet, *, day: dt.date) -> dict[str, Sentence | None]:
    """Each node of a rule set's (only) rule by its path, read as a sentence (what the
    workbench shows above each row). A `not` row has none of its own: the rows beneath it
    read with the negation already said (不满足 + 含标签 reads 企业没有…标签)."""
    rule = ruleset.rules[0]
    items = outline_items(rule, as_of=day, parameters=ruleset.parameters)
    sentences = iter(Wording(items).sentences(items))
    return {path: None if isinstance(node, Not) else next(sentences) for path, node in walk(rule.eligibility)}


def match_counts(policy: Policy, user_matches: QuerySet[PolicyMatch]) -> dict[str, int]:
    """How many enterprises (of those the user may see) fit the policy, or may."""
    rows = user_matches.filter(policy=policy).order_by().values("verdict").annotate(n=Count("pk"))
    counts = {MatchVerdict.ELIGIBLE.value: 0, MatchVerdict.UNKNOWN.value: 0}
    counts.update({row["verdict"]: row["n"] for row in rows})
    return counts


def ledger_list(
    queryset: QuerySet[Fulfilment],
    *,
    at: dt.datetime,
    q: str = "",
    state: str = "",
    period: int | None = None,
    overdue: bool = False,
    no_application: bool = False,
    policy: int | None = None,
) -> QuerySet[Fulfilment]:
    """Ledger entries filtered as the ledger page asks, overdue administration steps first."""
    queryset = queryset.select_related("policy", "policy__department", "enterprise")
    if q:
        for term in q.split():
            queryset = queryset.filter(Q(enterprise__name__icontains=term) | Q(policy__title__icontains=term))
    if state:
        queryset = queryset.filter(state=state)
    if period:
        queryset = queryset.filter(period=period)
    if overdue:
        queryset = overdue_fulfilments(queryset, at=at)
    if no_application:
        queryset = queryset.filter(no_application=True)
    if policy:
        queryset = queryset.filter(policy_id=policy)
    return queryset.order_by("due_on", "-period", "policy__code", "enterprise__name")
