"""Enterprises as the eligibility engine reads them: one plain record per enterprise (see
`lianqi.rules.subjects`), built from the register, its tags and its yearly figures with a
fixed number of queries however many enterprises there are."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lianqi.core import registry
from lianqi.enterprises.models import Enterprise, YearFigure
from lianqi.rules import ENTERPRISE_CATALOGUE, Engine, RuleError, Verdict, build_table, rules_from_data

# The enterprise catalogue rules, the rule editor and the explanations use holds the built-in
# attributes plus those the apps declare with their values in core's registry (the credit
# class, a pilot's whitelist); the engine, free of Django, reads them through this source.
# The apps register in their `ready()`, so the catalogue asks the registry each time it is read.
ENTERPRISE_CATALOGUE.extend_from(registry.enterprise_attribute_declarations)

#: Yearly figures the register holds, by the engine's attribute name.
YEARLY_FIELDS = ("output_value", "revenue", "tax", "rd_spending")


def enterprise_records(
    enterprises: QuerySet[Enterprise], *, skip: Collection[str] = ()
) -> list[dict[str, Any]]:
    """The engine's records of `enterprises`, in primary-key order. Anything not on record is
    left out of the record, so the engine treats it as unknown, never as zero. The computed
    attributes named in `skip` are left out (see `registry.enterprise_attribute_values`)."""
    rows = list(
        enterprises.order_by("pk").values(
            "pk", "jurisdiction__code", "industry_id", "kind", "founded_on", "registered_capital", "employees"
        )
    )
    ids = [row["pk"] for row in rows]
    tags: dict[int, set[str]] = defaultdict(set)
    for enterprise_id, name in Enterprise.tags.through.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "tag__name"
    ):
        tags[enterprise_id].add(name)
    yearly: dict[int, dict[str, dict[int, Any]]] = defaultdict(lambda: defaultdict(dict))
    for figure in YearFigure.objects.filter(enterprise_id__in=ids).values(
        "enterprise_id", "year", *YEARLY_FIELDS
    ):
        for name in YEARLY_FIELDS:
            if figure[name] is not None:
                yearly[figure["enterprise_id"]][name][figure["year"]] = figure[name]
    # Attributes other apps compute (the credit class), through core's registry.
    computed = registry.enterprise_attribute_values(ids, skip=skip)
    return [
        {**_record(dict(row), tags.get(row["pk"], set()), yearly.get(row["pk"], {})), **computed[row["pk"]]}
        for row in rows
    ]


def _record(row: dict[str, Any], tags: Iterable[str], yearly: dict[str, dict[int, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": row["pk"],
        "jurisdiction": row["jurisdiction__code"],
        "industry": row["industry_id"],
        "kind": row["kind"],
        "tags": set(tags),
        "founded_on": row["founded_on"],
        "registered_capital": row["registered_capital"],
        "employees": row["employees"],
    }
    record.update({name: dict(values) for name, values in yearly.items()})
    return {key: value for key, value in record.items() if value is not None}


def enterprise_record(enterprise: Enterprise) -> dict[str, Any]:
    """The engine's record of one enterprise."""
    return enterprise_records(Enterprise.objects.filter(pk=enterprise.pk))[0]


def eligible_ids(enterprises: QuerySet[Enterprise], rule: Mapping[str, Any], on: dt.date) -> set[int]:
    """The ids of `enterprises` that a one-rule file (``{"version": 1, "rules": [...]}``) admits
    on `on`, in one run of the engine over the same records as the policies' matching. An
    enterprise whose data leaves the verdict undecided is not admitted: whoever acts on the
    answer (a campaign's targets, an item's reach, an invitation) cannot act on a guess."""
    records = enterprise_records(enterprises)
    if not records:
        return set()
    ruleset = rules_from_data(dict(rule), ENTERPRISE_CATALOGUE)
    table = build_table(records, ENTERPRISE_CATALOGUE)
    matching = Engine.compile(ruleset, table, as_of=on, parameters=ruleset.parameters).match()
    return set(matching.sets(ruleset.rules[0].code)[Verdict.ELIGIBLE])


def parsed_condition(eligibility: Any, name: str = "") -> tuple[dict[str, Any], list[str]]:
    """A condition over the register — typed as the rule engine's JSON (``{"attribute":
    "credit_class", "op": "in", "value": ["A"]}``) or given as data — as a one-rule file for
    `eligible_ids`, with what is wrong with it in words for the field it came from. An empty
    condition is no rule and nothing wrong."""
    if isinstance(eligibility, str):
        text = eligibility.strip()
        try:
            eligibility = json.loads(text) if text else {}
        except ValueError:
            return {}, [_("适用企业规则须为规则引擎的 JSON 格式")]
    if not eligibility:
        return {}, []
    rule = {"version": 1, "rules": [{"code": "RULE", "name": name or "RULE", "eligibility": eligibility}]}
    try:
        rules_from_data(rule, ENTERPRISE_CATALOGUE)
    except RuleError as error:
        return {}, [str(issue) for issue in error.issues]
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        return {}, [str(error)]
    return rule, []
