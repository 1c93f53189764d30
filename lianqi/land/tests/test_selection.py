"""Smart selection without a database: each hard condition met / not met / unknown with the
figure it read, the 标准地 indicators against the project's promises, and the ranking."""

from __future__ import annotations

from dataclasses import replace

from .. import messages as m
from ..selection import MET, NOT_MET, UNKNOWN, Needs, Offer, explain, select

BASE = Offer(
    pk=1,
    code="XT-01",
    state="available",
    area_mu=50,
    land_use="0601",
    price=12_000_000,
    zone="先进制造产业园",
    barred=("C25", "C26"),
    power_kva=2000,
    water_tpd=500,
    gas=True,
    sewage=True,
    road=True,
    investment_per_mu_min=300,
    tax_per_mu_min=20,
    energy_per_output_max=0.5,
    emissions_max=10,
    state_label="可供地",
    use_label="工业用地",
)
NEEDS = Needs(
    area_min_mu=30,
    area_max_mu=60,
    land_use="0601",
    land_use_label="工业用地",
    power_kva=1500,
    budget=15_000_000,
    industry_code="C3831",
    investment_per_mu=350,
    tax_per_mu=25,
    energy_per_output=0.3,
    emissions_tpa=4,
)


def verdicts(offer: Offer, needs: Needs = NEEDS) -> dict[str, tuple[str, str]]:
    return {c.key: (c.verdict.value, c.text) for c in explain(needs, offer)}


def test_a_parcel_that_meets_everything_is_eligible_and_says_so() -> None:
    [ranked] = select(NEEDS, [BASE])
    assert ranked.verdict is MET
    assert all(c.verdict is MET for c in ranked.checks)
    texts = [c.text for c in ranked.checks]
    assert "面积：50 亩（要求 ≥ 30 亩，≤ 60 亩）" in texts
    assert "价格：1,200.00 万元（要求 ≤ 预算 1,500.00 万元）" in texts
    assert "承诺亩均投资：350 万元/亩（要求 ≥ 标准地指标 300 万元/亩）" in texts


def test_each_hard_condition_fails_with_its_figure() -> None:
    cases = {
        "state": (replace(BASE, state="reserved", state_label="已预订"), "地块状态：已预订（要求 可供地）"),
        "land_use": (
            replace(BASE, land_use="0505", use_label="商务金融用地"),
            "用地性质：商务金融用地（要求 工业用地）",
        ),
        "area": (replace(BASE, area_mu=80), "面积：80 亩（要求 ≥ 30 亩，≤ 60 亩）"),
        "power": (replace(BASE, power_kva=1250), "供电容量：1,250 千伏安（要求 ≥ 1,500 千伏安）"),
        "price": (replace(BASE, price=16_000_000), "价格：1,600.00 万元（要求 ≤ 预算 1,500.00 万元）"),
        "investment_per_mu": (
            replace(BASE, investment_per_mu_min=400),
            "承诺亩均投资：350 万元/亩（要求 ≥ 标准地指标 400 万元/亩）",
        ),
        "tax_per_mu": (
            replace(BASE, tax_per_mu_min=30),
            "承诺亩均税收：25 万元/亩·年（要求 ≥ 标准地指标 30 万元/亩·年）",
        ),
        "energy_per_output": (
            replace(BASE, energy_per_output_max=0.2),
            "单位产出能耗：0.3 吨标煤/万元（要求 ≤ 标准地指标 0.2 吨标煤/万元）",
        ),
        "emissions_tpa": (
            replace(BASE, emissions_max=3),
            "主要污染物排放：4 吨/年（要求 ≤ 标准地指标 3 吨/年）",
        ),
    }
    for key, (offer, text) in cases.items():
        [ranked] = select(NEEDS, [offer])
        assert ranked.verdict is NOT_MET, key
        assert [(c.key, c.text) for c in ranked.reasons_not_met] == [(key, text)]


def test_a_barred_industry_names_the_zone_and_the_prefix() -> None:
    [ranked] = select(replace(NEEDS, industry_code="c2614"), [BASE])
    assert ranked.verdict is NOT_MET
    [reason] = ranked.reasons_not_met
    assert (
        reason.text
        == "行业准入：项目行业 C2614，先进制造产业园禁止 C26 类（要求 不属于先进制造产业园禁止的行业（C25 C26））"
    )


def test_a_figure_nobody_holds_is_unknown_not_a_failure() -> None:
    offer = replace(BASE, power_kva=None)
    needs = replace(NEEDS, tax_per_mu=None)
    [ranked] = select(needs, [offer])
    assert ranked.verdict is UNKNOWN
    found = verdicts(offer, needs)
    assert found["power"] == ("unknown", "供电容量：未登记（要求 ≥ 1,500 千伏安）")
    assert found["tax_per_mu"][0] == "unknown" and "项目未填报" in found["tax_per_mu"][1]


def test_an_indicator_the_parcel_does_not_set_is_not_checked() -> None:
    offer = replace(BASE, energy_per_output_max=None, emissions_max=None)
    assert "energy_per_output" not in verdicts(offer) and "emissions_tpa" not in verdicts(offer)


def test_ranking_puts_eligible_first_then_pending_then_failing_and_by_fit() -> None:
    middle = replace(BASE, pk=2, code="B", area_mu=45)  # nearest the middle of 30–60 mu
    edge = replace(BASE, pk=3, code="A", area_mu=31)
    pending = replace(BASE, pk=4, code="C", power_kva=None, area_mu=45)
    failing = replace(BASE, pk=5, code="D", state="sold")
    bare = replace(BASE, pk=6, code="E", area_mu=45, gas=False, sewage=False, road=False)
    order = [r.offer.code for r in select(NEEDS, [failing, pending, edge, bare, middle])]
    assert order == ["B", "E", "A", "C", "D"]
    assert [r.offer.code for r in select(NEEDS, [failing, middle], include_failed=False)] == ["B"]


def test_no_needs_still_ranks_by_status_and_infrastructure() -> None:
    bare = replace(BASE, pk=2, code="A", gas=False)
    ranked = select(Needs(), [bare, BASE])
    assert [r.offer.code for r in ranked] == ["XT-01", "A"]
    assert ranked[0].score == 100.0 and ranked[1].score == 75.0


def test_the_unrolled_ranking_agrees_with_the_rules_it_unrolls() -> None:
    import random

    from ..selection import _verdicts, fit_score

    rng = random.Random(7)
    offers = [
        replace(
            BASE,
            pk=i,
            code=f"P{i:03d}",
            state=rng.choice(("available", "sold")),
            area_mu=rng.uniform(5, 90),
            land_use=rng.choice(("0601", "0505")),
            price=rng.uniform(1e6, 3e7),
            power_kva=rng.choice((None, 630, 2000)),
            gas=rng.random() < 0.5,
            investment_per_mu_min=rng.choice((None, 300.0, 500.0)),
            tax_per_mu_min=rng.choice((None, 20.0, 40.0)),
            energy_per_output_max=rng.choice((None, 0.2, 0.5)),
        )
        for i in range(300)
    ]
    for needs in (
        NEEDS,
        Needs(),
        Needs(area_min_mu=10),
        Needs(area_max_mu=30, budget=1e7),
        replace(NEEDS, tax_per_mu=None),
    ):
        for ranked in select(needs, offers):
            assert (ranked.failed, ranked.unknown) == _verdicts(needs, ranked.offer)
            assert ranked.score == fit_score(needs, ranked.offer)
            assert (ranked.verdict is NOT_MET) == any(c.hard and c.verdict is NOT_MET for c in ranked.checks)


def test_a_reason_is_rendered_in_the_language_the_page_asks_for() -> None:
    """The engine gives message templates and figures; the page's gettext gives the words."""
    english = {
        m.REASON: "%(label)s: %(figure)s (required: %(target)s)",
        m.AREA: "Area",
        m.MU: "%(value)s mu",
        m.MU_BETWEEN: "%(low)s to %(high)s mu",
        m.INFRASTRUCTURE: "Services",
        m.WATER: "water",
        m.GAS: "gas",
        m.LIST_SEPARATOR: ", ",
        m.ALL_SERVICES: "water, gas, sewage and road (bonus)",
    }

    def translate(msgid: str) -> str:
        return english.get(msgid, msgid)

    offer = replace(BASE, area_mu=3.75, sewage=False, road=False)
    checks = {c.key: c for c in explain(Needs(area_min_mu=20, area_max_mu=40), offer)}
    assert checks["area"].text == "面积：3.75 亩（要求 ≥ 20 亩，≤ 40 亩）"
    assert checks["area"].render(translate) == "Area: 3.75 mu (required: 20 to 40 mu)"
    assert checks["infrastructure"].text == "配套：供水、天然气（要求 水、气、污水、道路齐全（加分项））"
    assert checks["infrastructure"].render(translate) == (
        "Services: water, gas (required: water, gas, sewage and road (bonus))"
    )
