"""Smart selection (智能化选地): a project's needs against the park's parcels, ranked with
reasons. Plain Python (the import-linter's "no Django" contract), in the eligibility engine's
manner (`lianqi.rules`): every hard condition is met, not met or unknown (the parcel does not
hold the figure, or the project did not promise it) and says the figure it read and the one it
was compared with; a parcel meeting all is eligible, one failing any is not, the rest wait on
a figure. Among them a soft fit (0–100) ranks: the area near the middle of the wanted range,
the price under the budget, the power to spare, the infrastructure that reaches the parcel,
and how far the project's promises clear the 标准地 indicators.

Ranking reads only numbers; the reasons (`Ranked.checks`) are written when a page asks for
them, so ranking thousands of parcels stays in milliseconds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from lianqi.rules.model import Verdict

from . import messages as m
from .messages import Message, text

#: Hard conditions' verdicts as the engine's three values.
MET, NOT_MET, UNKNOWN = Verdict.ELIGIBLE, Verdict.INELIGIBLE, Verdict.UNKNOWN
_RANK = {MET: 0, UNKNOWN: 1, NOT_MET: 2}


@dataclass(frozen=True)
class Needs:
    """What a project needs and promises. Money in yuan; area in mu; indicators per mu in 万元."""

    area_min_mu: float | None = None
    area_max_mu: float | None = None
    land_use: str = ""
    land_use_label: str = ""
    power_kva: float | None = None
    budget: float | None = None
    industry_code: str = ""
    investment_per_mu: float | None = None
    tax_per_mu: float | None = None
    energy_per_output: float | None = None
    emissions_tpa: float | None = None


@dataclass(slots=True)
class Offer:
    """What selection reads of a parcel."""

    pk: int
    code: str
    state: str
    area_mu: float
    land_use: str
    price: float
    zone: str = ""
    barred: tuple[str, ...] = ()
    power_kva: float | None = None
    water_tpd: float | None = None
    gas: bool = False
    sewage: bool = False
    road: bool = False
    investment_per_mu_min: float | None = None
    tax_per_mu_min: float | None = None
    energy_per_output_max: float | None = None
    emissions_max: float | None = None
    #: Labels for the reasons: the state's and the use's words.
    state_label: str = ""
    use_label: str = ""


@dataclass(frozen=True)
class Check:
    """One condition of the selection for one parcel: met / not met / unknown, with the figure
    read and what it was compared with, as messages (`messages.py`) a page translates."""

    key: str
    label: Message
    verdict: Verdict
    figure: Message
    target: Message
    hard: bool = True

    def render(self, translate: Callable[[str], str] = str) -> str:
        """The reason in the language `translate` gives (Chinese by default)."""
        reason = Message(m.REASON, {"label": self.label, "figure": self.figure, "target": self.target})
        return reason.render(translate)

    @property
    def text(self) -> str:
        return self.render()


def _n(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def _wan(yuan: float) -> Message:
    return Message(m.WAN, {"value": f"{yuan / 10000:,.2f}"})


def _barred_prefix(offer: Offer, code: str) -> str | None:
    code = code.upper()
    return next((p for p in offer.barred if code.startswith(p.upper())), None)


def _verdicts(needs: Needs, o: Offer) -> tuple[int, int]:
    """How many hard conditions fail and how many are unknown (the fast path of ranking)."""
    failed = unknown = 0
    if o.state != "available":
        failed += 1
    if needs.land_use and o.land_use != needs.land_use:
        failed += 1
    if (needs.area_min_mu is not None and o.area_mu < needs.area_min_mu) or (
        needs.area_max_mu is not None and o.area_mu > needs.area_max_mu
    ):
        failed += 1
    if needs.power_kva is not None:
        if o.power_kva is None:
            unknown += 1
        elif o.power_kva < needs.power_kva:
            failed += 1
    if needs.budget is not None and o.price > needs.budget:
        failed += 1
    if needs.industry_code and o.barred and _barred_prefix(o, needs.industry_code):
        failed += 1
    for promised, bound, at_least in (
        (needs.investment_per_mu, o.investment_per_mu_min, True),
        (needs.tax_per_mu, o.tax_per_mu_min, True),
        (needs.energy_per_output, o.energy_per_output_max, False),
        (needs.emissions_tpa, o.emissions_max, False),
    ):
        if bound is None:
            continue
        if promised is None:
            unknown += 1
        elif (promised < bound) if at_least else (promised > bound):
            failed += 1
    return failed, unknown


def _clip(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else x


def fit_score(needs: Needs, o: Offer) -> float:
    """The soft fit, 0–100: each part weighed only when the project says something about it
    (infrastructure always counts)."""
    total = weight = 0.0
    if needs.area_min_mu is not None or needs.area_max_mu is not None:
        low = needs.area_min_mu if needs.area_min_mu is not None else 0.0
        high = needs.area_max_mu if needs.area_max_mu is not None else max(low * 2, o.area_mu)
        half = max((high - low) / 2, 1e-9)
        total += 25 * _clip(1 - abs(o.area_mu - (low + high) / 2) / half)
        weight += 25
    if needs.budget:
        total += 20 * _clip(1 - o.price / needs.budget)
        weight += 20
    if needs.power_kva and o.power_kva is not None:
        total += 15 * _clip((o.power_kva - needs.power_kva) / needs.power_kva)
        weight += 15
    infrastructure = (o.water_tpd is not None and o.water_tpd > 0) + o.gas + o.sewage + o.road
    total += 20 * infrastructure / 4
    weight += 20
    margins = []
    if needs.investment_per_mu is not None and o.investment_per_mu_min:
        margins.append(_clip(needs.investment_per_mu / o.investment_per_mu_min - 1))
    if needs.tax_per_mu is not None and o.tax_per_mu_min:
        margins.append(_clip(needs.tax_per_mu / o.tax_per_mu_min - 1))
    if margins:
        total += 20 * sum(margins) / len(margins)
        weight += 20
    return round(100 * total / weight, 1) if weight else 0.0


def explain(needs: Needs, o: Offer) -> list[Check]:
    """Every condition for one parcel, hard first, in reading order."""
    checks: list[Check] = [
        Check(
            "state",
            Message(m.STATE),
            MET if o.state == "available" else NOT_MET,
            text(o.state_label or o.state),
            Message(m.AVAILABLE),
        )
    ]
    if needs.land_use:
        checks.append(
            Check(
                "land_use",
                Message(m.LAND_USE),
                MET if o.land_use == needs.land_use else NOT_MET,
                text(o.use_label or o.land_use),
                text(needs.land_use_label or needs.land_use),
            )
        )
    if needs.area_min_mu is not None or needs.area_max_mu is not None:
        low, high = needs.area_min_mu, needs.area_max_mu
        if low is not None and high is not None:
            wanted = Message(m.MU_BETWEEN, {"low": _n(low), "high": _n(high)})
        elif low is not None:
            wanted = Message(m.MU_AT_LEAST, {"value": _n(low)})
        else:
            wanted = Message(m.MU_AT_MOST, {"value": _n(high or 0)})
        inside = (low is None or o.area_mu >= low) and (high is None or o.area_mu <= high)
        checks.append(
            Check(
                "area",
                Message(m.AREA),
                MET if inside else NOT_MET,
                Message(m.MU, {"value": _n(o.area_mu)}),
                wanted,
            )
        )
    if needs.power_kva is not None:
        wanted = Message(m.KVA_AT_LEAST, {"value": _n(needs.power_kva)})
        if o.power_kva is None:
            checks.append(Check("power", Message(m.POWER), UNKNOWN, Message(m.NOT_RECORDED), wanted))
        else:
            checks.append(
                Check(
                    "power",
                    Message(m.POWER),
                    MET if o.power_kva >= needs.power_kva else NOT_MET,
                    Message(m.KVA, {"value": _n(o.power_kva)}),
                    wanted,
                )
            )
    if needs.budget is not None:
        checks.append(
            Check(
                "price",
                Message(m.PRICE),
                MET if o.price <= needs.budget else NOT_MET,
                _wan(o.price),
                Message(m.WITHIN_BUDGET, {"value": f"{needs.budget / 10000:,.2f}"}),
            )
        )
    if needs.industry_code:
        prefix = _barred_prefix(o, needs.industry_code)
        code = needs.industry_code.upper()
        barred: Any = " ".join(o.barred) or Message(m.NONE)
        if prefix and o.zone:
            figure = Message(m.PROJECT_INDUSTRY_BARRED, {"code": code, "zone": o.zone, "prefix": prefix})
        elif prefix:
            figure = Message(m.PROJECT_INDUSTRY_BARRED_HERE, {"code": code, "prefix": prefix})
        else:
            figure = Message(m.PROJECT_INDUSTRY, {"code": code})
        if o.zone:
            target = Message(m.NOT_BARRED, {"zone": o.zone, "barred": barred})
        else:
            target = Message(m.NOT_BARRED_HERE, {"barred": barred})
        checks.append(Check("industry", Message(m.INDUSTRY), NOT_MET if prefix else MET, figure, target))
    for key, label, promised, bound, at_least in (
        ("investment_per_mu", m.INVESTMENT, needs.investment_per_mu, o.investment_per_mu_min, True),
        ("tax_per_mu", m.TAX, needs.tax_per_mu, o.tax_per_mu_min, True),
        ("energy_per_output", m.ENERGY, needs.energy_per_output, o.energy_per_output_max, False),
        ("emissions_tpa", m.EMISSIONS, needs.emissions_tpa, o.emissions_max, False),
    ):
        if bound is None:
            continue
        figure_template, target_template = m.INDICATORS[key]
        target = Message(target_template, {"value": _n(bound)})
        if promised is None:
            checks.append(Check(key, Message(label), UNKNOWN, Message(m.NOT_PROMISED), target))
            continue
        ok = promised >= bound if at_least else promised <= bound
        checks.append(
            Check(
                key,
                Message(label),
                MET if ok else NOT_MET,
                Message(figure_template, {"value": _n(promised)}),
                target,
            )
        )
    infrastructure = [
        (m.WATER, o.water_tpd is not None and o.water_tpd > 0),
        (m.GAS, o.gas),
        (m.SEWAGE, o.sewage),
        (m.ROAD, o.road),
    ]
    have = tuple(Message(name) for name, ok in infrastructure if ok)
    checks.append(
        Check(
            "infrastructure",
            Message(m.INFRASTRUCTURE),
            MET if len(have) == len(infrastructure) else UNKNOWN,
            Message("%(text)s", {"text": have}) if have else Message(m.NONE),
            Message(m.ALL_SERVICES),
            hard=False,
        )
    )
    return checks


@dataclass(slots=True)
class Ranked:
    """One parcel's place in the selection: its verdict over the hard conditions, its soft
    fit, and (on demand) every condition with its figures."""

    offer: Offer
    needs: Needs = field(repr=False)
    failed: int
    unknown: int
    score: float
    _checks: list[Check] | None = field(default=None, repr=False, compare=False)

    @property
    def verdict(self) -> Verdict:
        if self.failed:
            return NOT_MET
        return UNKNOWN if self.unknown else MET

    @property
    def checks(self) -> list[Check]:
        """Every condition with its figures, written the first time a page asks."""
        if self._checks is None:
            self._checks = explain(self.needs, self.offer)
        return self._checks

    @property
    def reasons_not_met(self) -> list[Check]:
        return [c for c in self.checks if c.hard and c.verdict is NOT_MET]


def select(needs: Needs, offers: Iterable[Offer], *, include_failed: bool = True) -> list[Ranked]:
    """Every offer ranked: eligible first, then those waiting on a figure, then those failing
    (unless `include_failed` is False); within each by soft fit, then by fewer failures, then
    code. The loop is `_verdicts` and `fit_score` unrolled over locals (the same rules; a test
    holds them equal), as it runs once per parcel of a park."""
    low, high = needs.area_min_mu, needs.area_max_mu
    use = needs.land_use
    power = needs.power_kva
    budget = needs.budget
    industry = needs.industry_code.upper()
    invest, tax = needs.investment_per_mu, needs.tax_per_mu
    energy, emissions = needs.energy_per_output, needs.emissions_tpa
    ranged = low is not None or high is not None
    low0 = low if low is not None else 0.0
    mid = (low0 + high) / 2 if high is not None else 0.0
    half = max((high - low0) / 2, 1e-9) if high is not None else 1.0
    base_weight = 20.0 + (25.0 if ranged else 0.0) + (20.0 if budget else 0.0)
    ranked: list[Ranked] = []
    keyed: list[tuple[int, int, float, str, int]] = []
    for offer in offers:
        failed = unknown = 0
        if offer.state != "available":
            failed += 1
        if use and offer.land_use != use:
            failed += 1
        area = offer.area_mu
        if (low is not None and area < low) or (high is not None and area > high):
            failed += 1
        kva = offer.power_kva
        if power is not None:
            if kva is None:
                unknown += 1
            elif kva < power:
                failed += 1
        price = offer.price
        if budget is not None and price > budget:
            failed += 1
        if industry and offer.barred:
            for prefix in offer.barred:
                if industry.startswith(prefix.upper()):
                    failed += 1
                    break
        bound = offer.investment_per_mu_min
        if bound is not None:
            if invest is None:
                unknown += 1
            elif invest < bound:
                failed += 1
        bound = offer.tax_per_mu_min
        if bound is not None:
            if tax is None:
                unknown += 1
            elif tax < bound:
                failed += 1
        bound = offer.energy_per_output_max
        if bound is not None:
            if energy is None:
                unknown += 1
            elif energy > bound:
                failed += 1
        bound = offer.emissions_max
        if bound is not None:
            if emissions is None:
                unknown += 1
            elif emissions > bound:
                failed += 1
        if failed and not include_failed:
            continue
        # fit_score, unrolled
        total = 20.0 * (((offer.water_tpd or 0) > 0) + offer.gas + offer.sewage + offer.road) / 4
        weight = base_weight
        if ranged:
            x = 1 - abs(area - mid) / half
            total += (
                25 * (0.0 if x < 0 else 1.0 if x > 1 else x)
                if high is not None
                else 25
                * _clip(
                    1
                    - abs(area - (low0 + max(low0 * 2, area)) / 2)
                    / max((max(low0 * 2, area) - low0) / 2, 1e-9)
                )
            )
        if budget:
            x = 1 - price / budget
            total += 20 * (0.0 if x < 0 else 1.0 if x > 1 else x)
        if power and kva is not None:
            x = (kva - power) / power
            total += 15 * (0.0 if x < 0 else 1.0 if x > 1 else x)
            weight += 15
        margin = count = 0.0
        if invest is not None and offer.investment_per_mu_min:
            x = invest / offer.investment_per_mu_min - 1
            margin += 0.0 if x < 0 else 1.0 if x > 1 else x
            count += 1
        if tax is not None and offer.tax_per_mu_min:
            x = tax / offer.tax_per_mu_min - 1
            margin += 0.0 if x < 0 else 1.0 if x > 1 else x
            count += 1
        if count:
            total += 20 * margin / count
            weight += 20
        ranked.append(Ranked(offer, needs, failed, unknown, round(100 * total / weight, 1)))
    for i, r in enumerate(ranked):
        keyed.append((2 if r.failed else 1 if r.unknown else 0, r.failed, -r.score, r.offer.code, i))
    keyed.sort()
    return [ranked[k[-1]] for k in keyed]
