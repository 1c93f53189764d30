"""Products matched to enterprises, on the eligibility engine (`lianqi.rules`) with the policy
supermarket's subject records and explanations in words (`policies.subjects`,
`policies.explanations`), so a product's admission criteria read exactly like a policy's
conditions: met, not met with the enterprise's figure, or unknown for lack of data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lianqi.enterprises.models import Enterprise
from lianqi.policies.explanations import Sentence, WordedExplanation, Wording
from lianqi.policies.queries import ruleset_outline
from lianqi.policies.subjects import enterprise_record, enterprise_records
from lianqi.rules import ENTERPRISE_CATALOGUE, Engine, RuleSet, Verdict, build_table, explain, rules_from_data

from .choices import ProductState
from .models import Product
from .permissions import ancestor_paths

#: Eligible first, then those that depend on missing data, then those the enterprise fails.
VERDICT_ORDER = {Verdict.ELIGIBLE: 0, Verdict.UNKNOWN: 1, Verdict.INELIGIBLE: 2}


@dataclass
class ProductFit:
    """One product as an enterprise sees it: the verdict and the reasons in words."""

    product: Product
    verdict: Verdict
    words: WordedExplanation

    @property
    def eligible(self) -> bool:
        return self.verdict is Verdict.ELIGIBLE


def products_ruleset(products: Iterable[Product]) -> RuleSet:
    """The admission criteria of several products as one rule set (a parameter named by more
    than one product is taken from the first)."""
    parameters: dict[str, Any] = {}
    rules: list[Any] = []
    for product in products:
        for parameter in product.rule.get("parameters", []):
            parameters.setdefault(parameter["name"], parameter)
        rules.extend(product.rule["rules"])
    return rules_from_data(
        {"version": 1, "parameters": list(parameters.values()), "rules": rules}, ENTERPRISE_CATALOGUE
    )


def fits_for(enterprise: Enterprise, products: Sequence[Product], *, day: dt.date) -> list[ProductFit]:
    """Every product of `products` for one enterprise on `day`, with its verdict and reasons,
    eligible first."""
    if not products:
        return []
    ruleset = products_ruleset(products)
    rules = ruleset.by_code()
    record = enterprise_record(enterprise)
    explanations = [
        explain(rules[p.code], record, as_of=day, parameters=ruleset.parameters) for p in products
    ]
    wording = Wording(item for explanation in explanations for item in explanation.items())
    fits = [
        ProductFit(product, explanation.verdict, wording.explanation(explanation, None, as_of=day))
        for product, explanation in zip(products, explanations, strict=True)
    ]
    return sorted(fits, key=lambda fit: VERDICT_ORDER[fit.verdict])


def fit_for(enterprise: Enterprise, product: Product, *, day: dt.date) -> ProductFit:
    """One product for one enterprise."""
    return fits_for(enterprise, [product], day=day)[0]


def outline(product: Product, *, day: dt.date) -> list[Sentence]:
    """A product's admission criteria as sentences, for a reader who is no enterprise."""
    return ruleset_outline(products_ruleset([product]), day=day)[0]


def reach(
    products: Sequence[Product], enterprises: QuerySet[Enterprise], *, day: dt.date
) -> dict[int, dict[str, int]]:
    """How many of `enterprises` qualify for each product (by the product's pk), and how many
    are left open for lack of data: the whole jurisdiction matched in one pass of the engine."""
    records = enterprise_records(enterprises)
    if not products or not records:
        return {product.pk: {"eligible": 0, "unknown": 0} for product in products}
    ruleset = products_ruleset(products)
    engine = Engine.compile(
        ruleset, build_table(records, ENTERPRISE_CATALOGUE), as_of=day, parameters=ruleset.parameters
    )
    matching = engine.match()
    result = {}
    for product in products:
        sets = matching.sets(product.code)
        result[product.pk] = {"eligible": len(sets[Verdict.ELIGIBLE]), "unknown": len(sets[Verdict.UNKNOWN])}
    return result


def eligible_count(enterprise: Enterprise, *, day: dt.date | None = None) -> int:
    """How many published products serving the enterprise it qualifies for (its code page's
    tile): verdicts only, one pass of the engine over its record."""
    products = list(
        Product.objects.filter(
            state=ProductState.PUBLISHED,
            institution__jurisdiction_path__in=ancestor_paths(enterprise.jurisdiction_path),
        )
    )
    if not products:
        return 0
    ruleset = products_ruleset(products)
    table = build_table([enterprise_record(enterprise)], ENTERPRISE_CATALOGUE)
    engine = Engine.compile(ruleset, table, as_of=day or timezone.localdate(), parameters=ruleset.parameters)
    match = engine.match_one(0)
    return sum(1 for product in products if match.verdict(product.code) is Verdict.ELIGIBLE)
