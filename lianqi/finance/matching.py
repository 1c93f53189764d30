"""Products matched to enterprises, on the eligibility engine (`lianqi.rules`) with the policy
supermarket's subject records and explanations in words (`policies.subjects`,
`policies.explanations`), so a product's admission criteria read exactly like a policy's
conditions: met, not met with the enterprise's figure, or unknown for lack of data."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
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


#: The shelves' compiled programs, by the day, the shelf's query and a summary that moves with
#: any change of its products (a product changes only through a save, which moves its
#: `updated_at`; one published or withdrawn changes the count or the latest change). A few are
#: kept: one per day and set of institutions serving a park.
_SHELVES: OrderedDict[tuple[Any, ...], Shelf] = OrderedDict()
_SHELVES_KEPT = 8
_SHELVES_LOCK = threading.Lock()


@dataclass
class Shelf:
    """A shelf's admission criteria compiled once (one enterprise's verdicts for all of them are
    then a fraction of a millisecond, `Engine.match_one` on its record), with each product's pk
    by its rule's code and the products' order by name."""

    engine: Engine
    pks: dict[str, int]
    by_name: list[str]
    #: Largest loan first: the order a liaison's "best matches" take.
    by_amount: list[str]


def shelf_of(products: QuerySet[Product], *, day: dt.date) -> Shelf:
    """The compiled shelf of `products` on `day`, kept while its products are unchanged."""
    products = products.order_by()
    summary = products.aggregate(n=Count("pk"), ids=Sum("pk"), latest=Max("updated_at"))
    key = (day, str(products.query), summary["n"], summary["ids"], summary["latest"])
    with _SHELVES_LOCK:
        kept = _SHELVES.get(key)
        if kept is not None:
            _SHELVES.move_to_end(key)
            return kept
    rows = list(
        products.select_related(None).only("pk", "code", "name", "max_amount_fen", "rule").order_by("pk")
    )
    ruleset = products_ruleset(rows)
    engine = Engine.compile(
        ruleset, build_table([], ENTERPRISE_CATALOGUE), as_of=day, parameters=ruleset.parameters
    )
    shelf = Shelf(
        engine,
        {row.code: row.pk for row in rows},
        [row.code for row in sorted(rows, key=lambda row: (row.name, row.pk))],
        [row.code for row in sorted(rows, key=lambda row: (-row.max_amount_fen, row.name, row.pk))],
    )
    with _SHELVES_LOCK:
        _SHELVES[key] = shelf
        while len(_SHELVES) > _SHELVES_KEPT:
            _SHELVES.popitem(last=False)
    return shelf


@dataclass
class ShelfForEnterprise:
    """ "Products for me": how many products serving the enterprise it qualifies for, may
    qualify for once its data is in, and fails; and the pks of the first two groups in the
    order shown (qualifying first, then by name), whose reasons are worded a page at a time."""

    eligible: int
    unknown: int
    ineligible: int
    shown: list[int]


def shelf_for(record: dict[str, Any], products: QuerySet[Product], *, day: dt.date) -> ShelfForEnterprise:
    """One enterprise's verdicts (from its record, `policies.subjects.enterprise_record`) over
    `products` (the shelf serving it), counted and ordered, from the shelf's kept program."""
    shelf = shelf_of(products, day=day)
    match = shelf.engine.match_one(record)
    eligible, unknown = set(match.eligible), set(match.unknown)
    shown = [shelf.pks[code] for code in shelf.by_name if code in eligible]
    shown += [shelf.pks[code] for code in shelf.by_name if code in unknown]
    return ShelfForEnterprise(
        len(eligible), len(unknown), len(shelf.pks) - len(eligible) - len(unknown), shown
    )


@dataclass
class BestMatches:
    """One enterprise's standing on the shelf serving it, as its liaison reads it: how many
    products it qualifies for and may qualify for, and the largest of those it qualifies for."""

    enterprise: Enterprise
    eligible: int
    unknown: int
    best: list[Product]


def best_matches(
    enterprises: Sequence[Enterprise],
    shelves: Callable[[Enterprise], QuerySet[Product]],
    *,
    day: dt.date,
    top: int = 3,
) -> list[BestMatches]:
    """For each of `enterprises` (a liaison's), its counts and its `top` largest products it
    qualifies for, from the kept program of the shelf serving it (`shelves`): the records are
    read in one batch, each verdict is one run of the program."""
    records = {
        record["id"]: record
        for record in enterprise_records(Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]))
    }
    found: list[tuple[Enterprise, int, int, list[int]]] = []
    for enterprise in enterprises:
        shelf = shelf_of(shelves(enterprise), day=day)
        match = shelf.engine.match_one(records[enterprise.pk])
        eligible = set(match.eligible)
        best = [shelf.pks[code] for code in shelf.by_amount if code in eligible][:top]
        found.append((enterprise, len(eligible), len(match.unknown), best))
    products = Product.objects.select_related("institution").in_bulk(
        [pk for *_rest, best in found for pk in best]
    )
    return [
        BestMatches(enterprise, eligible, unknown, [products[pk] for pk in best])
        for enterprise, eligible, unknown, best in found
    ]


def fits_for(
    enterprise: Enterprise, products: Sequence[Product], *, day: dt.date, record: dict[str, Any] | None = None
) -> list[ProductFit]:
    """Every product of `products` for one enterprise on `day`, with its verdict and reasons,
    eligible first (`record`: the enterprise's, when the caller has it already)."""
    if not products:
        return []
    ruleset = products_ruleset(products)
    rules = ruleset.by_code()
    record = record or enterprise_record(enterprise)
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
