"""The demo city's policy shelf and a year of fulfilment: several hundred policies at national,
provincial, city and park level (专精特新 awards tiered by revenue, R&D subsidies, loan interest
subsidies, talent subsidies, Shaoshan's 3% subsidy on local purchases, 免申即享 tax awards …),
each year's edition valid for its year; last year's matches taken through the ledger to
payment on dated working days (Shaoyang's order of magnitude: tens of millions of yuan a year),
and this year's matched in March, partly paid and partly under way, with a late batch
matched three weeks before the build day. Deterministic for a seed and a day."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db.models import Sum

from lianqi.core import calendar_store, workdays
from lianqi.org.models import Department, Jurisdiction
from lianqi.policies import actions
from lianqi.policies.choices import FulfilmentState, PolicyKind, PolicyLevel
from lianqi.policies.models import Fulfilment, Policy, PolicyMatch

from .log import CHINESE, Say

SHANGHAI = workdays.SHANGHAI


#: The main park's last year of payments (seed 003: 依托湘易办APP完成承诺兑现办件24件、免申即享6件。
#: 1—12月，共兑现企业奖补资金4860.2194万元), in yuan.
MAIN_PARK_FULFILMENTS = 24
MAIN_PARK_NO_APPLICATION = 6
MAIN_PARK_DISBURSED = Decimal("48602194.00")
#: Applications of the main park's last year that the review rejected.
MAIN_PARK_REJECTED = 3
#: Random draws `_closest_above` tries for a set of promises just above the total.
SUBSET_DRAWS = 400
#: At most this many of the main park's paid applications come from one policy.
PAID_PER_POLICY = 5


@dataclass
class MainParkLedger:
    """The main park's ledger of last year, as its office's ledger page totals it."""

    park: str
    year: int
    fulfilments: int
    no_application: int
    disbursed: Decimal
    no_application_disbursed: Decimal


@dataclass
class PolicyDemoSummary:
    """What the demo's policy shelf holds, printed at the end of the build."""

    policies: int = 0
    in_force: int = 0
    no_application: int = 0
    matched_pairs: int = 0
    ledger_entries: int = 0
    disbursed_entries: int = 0
    disbursed_amount: Decimal = Decimal("0")
    by_state: dict[str, int] = field(default_factory=dict)
    main_park: MainParkLedger | None = None

    def lines(self, say: Say = CHINESE) -> list[str]:
        lines = [
            say(
                f"  政策 {self.policies} 项（现行 {self.in_force} 项，免申即享 {self.no_application} 项）",
                f"  Policies: {self.policies} ({self.in_force} in force, {self.no_application} 免申即享 "
                "without application)",
            ),
            say(
                f"  匹配 {self.matched_pairs} 对，兑现台账 {self.ledger_entries} 条",
                f"  Matches: {self.matched_pairs} pairs; fulfilment ledger: {self.ledger_entries} entries",
            ),
            say(
                f"  上年度兑付 {self.disbursed_entries} 笔，合计 ¥{self.disbursed_amount:,.2f}",
                f"  Paid last year: {self.disbursed_entries} entries, ¥{self.disbursed_amount:,.2f} in all",
            ),
        ]
        m = self.main_park
        if m is not None:
            lines.append(
                say(
                    f"  {m.park} {m.year} 年兑付 {m.fulfilments + m.no_application} 笔（承诺兑现 {m.fulfilments}、"
                    f"免申即享 {m.no_application}），合计 ¥{m.disbursed:,.2f}，"
                    f"其中免申即享 ¥{m.no_application_disbursed:,.2f}",
                    f"  {m.park} paid in {m.year}: {m.fulfilments + m.no_application} entries "
                    f"({m.fulfilments} fulfilment cases, {m.no_application} without application), "
                    f"¥{m.disbursed:,.2f} in all, of which ¥{m.no_application_disbursed:,.2f} without application",
                )
            )
        return lines


def _all(*conditions: dict[str, Any]) -> dict[str, Any]:
    return {"all": list(conditions)}


def _tag(name: str) -> dict[str, Any]:
    return {"attribute": "tags", "op": "has", "value": name}


def _not_tag(name: str) -> dict[str, Any]:
    return {"not": _tag(name)}


def _figure(attribute: str, op: str, value: float, year: str = "Y-1") -> dict[str, Any]:
    return {"attribute": attribute, "year": year, "op": op, "value": value}


def _industry(*prefixes: str) -> dict[str, Any]:
    return {"attribute": "industry", "op": "prefix", "value": list(prefixes)}


def _kind(*kinds: str) -> dict[str, Any]:
    return {"attribute": "kind", "op": "in", "value": list(kinds)}


def _declare(text: str) -> dict[str, Any]:
    return {"declare": text}


def _fixed(amount: float) -> dict[str, Any]:
    return {"type": "fixed", "amount": amount, "unit": "万元"}


def _tiered(attribute: str, brackets: Iterable[tuple[float, float]]) -> dict[str, Any]:
    return {
        "type": "tiered",
        "attribute": attribute,
        "year": "Y-1",
        "brackets": [{"from": start, "amount": amount} for start, amount in brackets],
        "unit": "万元",
    }


def _percentage(attribute: str, rate: float, cap: float, year: str = "Y-1") -> dict[str, Any]:
    return {
        "type": "percentage",
        "attribute": attribute,
        "year": year,
        "rate": rate,
        "cap": cap,
        "unit": "万元",
    }


@dataclass(frozen=True)
class Template:
    """One kind of policy the shelf repeats per level and year: its title, kind, department,
    condition tree, benefit and whether it is 免申即享."""

    key: str
    title: str
    kind: str
    department: str
    summary: str
    eligibility: dict[str, Any]
    benefit: dict[str, Any] | None
    levels: tuple[str, ...]
    no_application: bool = False
    industries: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Park-level policies only these parks issue (empty: every park).
    park_codes: tuple[str, ...] = ()


CLEAN = _not_tag("失信企业")
NO_ACCIDENT = _declare("近三年未发生较大及以上安全生产事故和环境污染事件")

TEMPLATES: tuple[Template, ...] = (
    Template(
        "zjtx",
        "专精特新中小企业奖励",
        PolicyKind.AWARD,
        "经济发展局",
        "对新认定的专精特新中小企业按上年度营业收入分档给予一次性奖励。",
        _all(_tag("专精特新"), _kind("above_size", "below_size"), CLEAN),
        _tiered("revenue", ((0, 10), (5000, 20), (20000, 30))),
        (PolicyLevel.PROVINCE, PolicyLevel.CITY, PolicyLevel.PARK),
    ),
    Template(
        "xjr",
        "专精特新“小巨人”企业奖励",
        PolicyKind.AWARD,
        "经济发展局",
        "对国家级专精特新“小巨人”企业给予一次性奖励。",
        _all(_tag("小巨人"), CLEAN),
        _fixed(50),
        (PolicyLevel.NATIONAL, PolicyLevel.CITY, PolicyLevel.PARK),
    ),
    Template(
        "gxjs",
        "高新技术企业认定奖励",
        PolicyKind.AWARD,
        "科技创新局",
        "对首次认定或重新认定的高新技术企业给予奖励。",
        _all(_tag("高新技术企业"), CLEAN),
        _fixed(10),
        (PolicyLevel.PROVINCE, PolicyLevel.CITY, PolicyLevel.PARK),
    ),
    Template(
        "yfbz",
        "企业研发费用后补助",
        PolicyKind.AWARD,
        "科技创新局",
        "按上年度研发投入的一定比例给予后补助，设封顶。",
        _all(_figure("rd_spending", ">=", 100), CLEAN),
        _percentage("rd_spending", 5, 200),
        (PolicyLevel.PROVINCE, PolicyLevel.CITY, PolicyLevel.PARK),
        industries=(("", ()), ("（先进制造业）", ("C",))),
    ),
    Template(
        "xsg",
        "新升规工业企业奖励",
        PolicyKind.AWARD,
        "经济发展局",
        "对上年度首次纳入规模以上工业统计的企业给予奖励，平台核验后直接兑现。",
        _all(
            _kind("above_size"),
            _industry("C"),
            _figure("revenue", ">=", 2000),
            _figure("revenue", "<", 2000, "Y-2"),
        ),
        _fixed(10),
        (PolicyLevel.CITY, PolicyLevel.PARK),
        no_application=True,
    ),
    Template(
        "nsjl",
        "纳税贡献奖励",
        PolicyKind.AWARD,
        "财政局",
        "按上年度纳税额分档奖励纳税贡献突出的企业，平台核验税务数据后直接兑现。",
        _all(_figure("tax", ">=", 300), CLEAN),
        _tiered("tax", ((300, 5), (1000, 15), (3000, 40))),
        (PolicyLevel.PARK,),
        no_application=True,
    ),
    Template(
        "dktx",
        "中小微企业贷款贴息",
        PolicyKind.AWARD,
        "金融服务中心",
        "对当年新增银行流动资金贷款并按期付息的中小微企业给予贴息。",
        _all(
            _kind("above_size", "below_size"),
            _figure("revenue", "<", 40000),
            _declare("当年新增银行流动资金贷款并按期付息"),
            CLEAN,
        ),
        _tiered("revenue", ((0, 3), (2000, 8), (10000, 15))),
        (PolicyLevel.CITY, PolicyLevel.PARK),
    ),
    Template(
        "rcbt",
        "企业引进高层次人才补贴",
        PolicyKind.AWARD,
        "人力资源和社会保障局",
        "对企业全职引进硕士研究生以上或高级职称人才给予补贴。",
        _all(
            _kind("above_size", "below_size"),
            _declare("当年全职引进硕士研究生以上或高级职称人才并缴纳社保满6个月"),
        ),
        _fixed(3),
        (PolicyLevel.PROVINCE, PolicyLevel.CITY, PolicyLevel.PARK),
    ),
    Template(
        "wmjl",
        "外贸企业出口奖励",
        PolicyKind.AWARD,
        "招商合作局",
        "对有进出口实绩的外贸企业按规模给予奖励。",
        _all(_tag("外贸企业"), CLEAN),
        _tiered("revenue", ((0, 2), (5000, 5), (20000, 10))),
        (PolicyLevel.CITY, PolicyLevel.PARK),
    ),
    Template(
        "jszx",
        "企业技术中心认定奖励",
        PolicyKind.AWARD,
        "科技创新局",
        "对新认定的省级及以上企业技术中心给予奖励。",
        _all(_tag("企业技术中心")),
        _fixed(30),
        (PolicyLevel.PROVINCE, PolicyLevel.CITY),
    ),
    Template(
        "ssjl",
        "企业上市奖励",
        PolicyKind.AWARD,
        "金融服务中心",
        "对在境内外上市的企业分阶段给予奖励。",
        _all(_tag("上市企业")),
        _fixed(200),
        (PolicyLevel.PROVINCE, PolicyLevel.CITY),
    ),
    Template(
        "dlqy",
        "瞪羚企业培育奖励",
        PolicyKind.AWARD,
        "科技创新局",
        "对认定的瞪羚企业给予奖励。",
        _all(_tag("瞪羚企业")),
        _fixed(20),
        (PolicyLevel.PARK,),
    ),
    Template(
        "cxzx",
        "创新型中小企业奖励",
        PolicyKind.AWARD,
        "科技创新局",
        "对认定的创新型中小企业给予一次性奖励。",
        _all(_tag("创新型中小企业")),
        _fixed(5),
        (PolicyLevel.PARK,),
    ),
    Template(
        "kjxzx",
        "科技型中小企业研发奖补",
        PolicyKind.AWARD,
        "科技创新局",
        "对入库科技型中小企业按研发投入给予奖补。",
        _all(_tag("科技型中小企业"), _figure("rd_spending", ">=", 20)),
        _percentage("rd_spending", 10, 50),
        (PolicyLevel.PROVINCE, PolicyLevel.PARK),
    ),
    Template(
        "bdcg",
        "本地战略性产业产品首次采购补贴",
        PolicyKind.AWARD,
        "经济发展局",
        "企业当年首次采购本地战略性新兴产业企业产品 30 万元以上的，按采购额的 3% 给予补贴（韶山）。",
        _all(
            {"attribute": "jurisdiction", "op": "prefix", "value": ["430373", "430382"]},
            _figure("local_purchase", ">=", 30, "Y"),
            _declare("采购为当年首次采购，产品属于本地战略性新兴产业企业"),
        ),
        _percentage("local_purchase", 3, 100, "Y"),
        (PolicyLevel.PARK,),
        park_codes=("430373",),
    ),
    Template(
        "jgsb",
        "工业企业技术改造补助",
        PolicyKind.AWARD,
        "经济发展局",
        "对实施技术改造、设备投资达到规模的工业企业给予补助。",
        _all(
            _industry("C"),
            _kind("above_size"),
            _declare("当年技术改造设备投资额不低于 500 万元"),
            NO_ACCIDENT,
            CLEAN,
        ),
        _tiered("output_value", ((0, 20), (10000, 50), (50000, 100))),
        (PolicyLevel.PROVINCE, PolicyLevel.CITY, PolicyLevel.PARK),
        industries=(("", ()), ("（装备制造）", ("34", "35")), ("（新材料）", ("26", "30", "31"))),
    ),
    Template(
        "wgjm",
        "小微企业和个体工商户税费减免",
        PolicyKind.REDUCTION,
        "税务分局",
        "符合条件的小型微利企业和个体工商户减半征收相关税费。",
        _all(_kind("below_size", "shop", "individual"), _figure("revenue", "<", 3000)),
        None,
        (PolicyLevel.NATIONAL,),
    ),
    Template(
        "zzrd",
        "绿色工厂认定",
        PolicyKind.QUALIFICATION,
        "生态环境分局",
        "对能耗、排放达到标准的工业企业认定为绿色工厂，享受相关优先政策。",
        _all(_industry("C"), _kind("above_size"), _declare("单位产品能耗达到行业先进值"), NO_ACCIDENT),
        None,
        (PolicyLevel.PROVINCE,),
    ),
    Template(
        "sdq",
        "企业用水用电用气优惠",
        PolicyKind.ENTITLEMENT,
        "供电公司",
        "园区规上工业企业享受用能报装绿色通道和阶段性优惠。",
        _all(_tag("规上工业")),
        None,
        (PolicyLevel.PARK,),
    ),
)

LEVEL_PREFIX: dict[str, str] = {
    PolicyLevel.NATIONAL: "GJ",
    PolicyLevel.PROVINCE: "HN",
    PolicyLevel.CITY: "XT",
    PolicyLevel.PARK: "",
}
LEVEL_ISSUER: dict[str, str] = {
    PolicyLevel.NATIONAL: "国务院有关部委",
    PolicyLevel.PROVINCE: "湖南省人民政府办公厅",
    PolicyLevel.CITY: "湘潭市人民政府",
}
# A park's policy amounts are smaller than the city's, the province's larger.
LEVEL_SCALE: dict[str, float] = {
    PolicyLevel.NATIONAL: 1.0,
    PolicyLevel.PROVINCE: 1.5,
    PolicyLevel.CITY: 1.0,
    PolicyLevel.PARK: 0.6,
}


def _scaled_benefit(benefit: dict[str, Any] | None, factor: float) -> dict[str, Any] | None:
    if benefit is None:
        return None
    scaled = dict(benefit)

    def money(value: float) -> float:
        return round(value * factor, 1)

    if "amount" in scaled:
        scaled["amount"] = money(scaled["amount"])
    if "brackets" in scaled:
        scaled["brackets"] = [{"from": b["from"], "amount": money(b["amount"])} for b in scaled["brackets"]]
    if "cap" in scaled:
        scaled["cap"] = money(scaled["cap"])
    return scaled


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI)


def _workday_after(day: dt.date, n: int) -> dt.date:
    return workdays.add_workdays(day, n, calendar_store.get_calendar()).day


#: Share of the ledger entries each year that the demo takes further than "notified".
REPLAY_SHARE = 0.12
#: Share of this year's late batch whose matches the office has not yet told (overdue flags).
UNTOLD_SHARE = 0.3
#: Share of this year's shelf matched only three weeks before the build day (the rest in
#: March, when the build day is at least `SPRING_LEAD_DAYS` after it).
LATE_SHARE = 0.15
SPRING_LEAD_DAYS = 120


def build_demo_policies(
    *, province: Jurisdiction, city: Jurisdiction, parks: list[Jurisdiction], seed: int, today: dt.date
) -> PolicyDemoSummary:
    """Put the shelf in place for the last three years and this one, match each
    year on its own day, and replay the ledger: every matched enterprise told; a share applied,
    reviewed, approved and paid last year (免申即享 ones approved without applying); this year
    under way. `parks[0]` is the main park."""
    rng = random.Random(seed * 31 + 5)
    summary = PolicyDemoSummary()
    last_year, this_year = today.year - 1, today.year
    offices = {park.pk: _office_user(park) for park in parks}
    holders: list[tuple[str, Jurisdiction]] = [
        (PolicyLevel.NATIONAL, province),
        (PolicyLevel.PROVINCE, province),
        (PolicyLevel.CITY, city),
        *[(PolicyLevel.PARK, park) for park in parks],
    ]
    main_departments = {d.name: d for d in Department.objects.filter(jurisdiction=parks[0])}
    by_year: dict[int, list[Policy]] = {
        year: [] for year in (last_year - 2, last_year - 1, last_year, this_year)
    }
    serial: dict[str, int] = {}
    for year in by_year:
        for level, holder in holders:
            for template in TEMPLATES:
                if level not in template.levels:
                    continue
                if (
                    level == PolicyLevel.PARK
                    and template.park_codes
                    and holder.code not in template.park_codes
                ):
                    continue
                for suffix, prefixes in template.industries or (("", ()),):
                    prefix = LEVEL_PREFIX[level] or f"P{holder.code[-2:]}"
                    serial[f"{prefix}{year}"] = serial.get(f"{prefix}{year}", 0) + 1
                    code = f"{prefix}-{year}-{serial[f'{prefix}{year}']:03d}"
                    policy = _policy(
                        template, level, holder, year, code, suffix, prefixes, main_departments, parks[0]
                    )
                    by_year[year].append(policy)
                    summary.no_application += policy.no_application
    summary.policies = sum(len(p) for p in by_year.values())
    summary.in_force = len(by_year[this_year])

    # Last year: matched in March, everyone told, a share taken through to payment.
    told_on = _workday_after(dt.date(last_year, 3, 2), 0)
    actions.rematch_policies(policies=by_year[last_year], at=_at(told_on), tell=False)
    _notify(by_year[last_year], parks, offices, last_year, told_on)
    main_park = parks[0]
    for entry in _sample(rng, last_year, outside=main_park.path):
        _replay(rng, entry, offices[_park_of(entry, parks).pk], last_year, told_on)
    summary.main_park = _main_park_year(rng, main_park, offices[main_park.pk], last_year, told_on)
    # This year: when the build day is far enough into the year, most of the shelf was matched
    # in March as last year's was, everyone told, a share paid by now and a share under way; the
    # rest (the park-level policies at the end of the shelf) matched three weeks ago, most told,
    # a share under way — so the leader's year-to-date payments and the overdue flags both show.
    shelf = by_year[this_year]
    spring_on = _workday_after(dt.date(this_year, 3, 2), 0)
    spring: list[Policy] = []
    if (today - spring_on).days >= SPRING_LEAD_DAYS:
        spring = shelf[: int(len(shelf) * (1 - LATE_SHARE))]
        actions.rematch_policies(policies=spring, at=_at(spring_on), tell=False)
        _notify(spring, parks, offices, this_year, spring_on)
        for entry in _sample(rng, this_year, outside=main_park.path):
            _replay(rng, entry, offices[_park_of(entry, parks).pk], this_year, spring_on)
        # The main park keeps last year's pace: about as many payments so far as last year's.
        own = list(
            Fulfilment.objects.filter(
                period=this_year, state=FulfilmentState.NOTIFIED, jurisdiction_path__startswith=main_park.path
            ).order_by("pk")
        )
        paid_so_far = min(len(own), MAIN_PARK_FULFILMENTS + MAIN_PARK_NO_APPLICATION)
        for entry in sorted(rng.sample(own, paid_so_far), key=lambda e: e.pk):
            _replay(rng, entry, offices[main_park.pk], this_year, spring_on)
        for entry in _sample(rng, this_year):
            _advance(rng, entry, offices[_park_of(entry, parks).pk], _workday_after(spring_on, 40), today)
    late = shelf[len(spring) :]
    start = max(_workday_after(today - dt.timedelta(days=21), 0), dt.date(this_year, 1, 5))
    actions.rematch_policies(policies=late, at=_at(start, 9), tell=False)
    untold = set(rng.sample(range(len(late)), int(len(late) * UNTOLD_SHARE)))
    told = [p for i, p in enumerate(late) if i not in untold]
    _notify(told, parks, offices, this_year, _workday_after(start, 1))
    late_ids = {p.pk for p in late}
    for entry in _sample(rng, this_year, states=(FulfilmentState.NOTIFIED,)):
        if entry.policy_id in late_ids:
            _advance(rng, entry, offices[_park_of(entry, parks).pk], _workday_after(start, 1), today)

    summary.matched_pairs = PolicyMatch.objects.count()
    summary.ledger_entries = Fulfilment.objects.count()
    paid = Fulfilment.objects.filter(period=last_year, state=FulfilmentState.DISBURSED)
    summary.disbursed_entries = paid.count()
    summary.disbursed_amount = paid.aggregate(s=Sum("disbursed_amount"))["s"] or Decimal("0")
    for state in FulfilmentState:
        summary.by_state[state.value] = Fulfilment.objects.filter(state=state).count()
    return summary


def _park_of(entry: Fulfilment, parks: list[Jurisdiction]) -> Jurisdiction:
    return next(p for p in parks if entry.jurisdiction_path.startswith(p.path))


def _notify(
    policies: list[Policy], parks: list[Jurisdiction], offices: dict[int, Any], period: int, day: dt.date
) -> None:
    """Each park's office tells its matched enterprises of each policy (one batch per park)."""
    for policy in policies:
        for park in parks:
            if policy.jurisdiction_path.startswith(park.path) or park.path.startswith(
                policy.jurisdiction_path
            ):
                actions.notify_matched_entries(
                    policy=policy, actor=offices[park.pk], period=period, at=_at(day)
                )


def _sample(
    rng: random.Random,
    period: int,
    states: Iterable[str] = (FulfilmentState.NOTIFIED,),
    *,
    outside: str | None = None,
) -> list[Fulfilment]:
    """`REPLAY_SHARE` of the year's entries in `states` (leaving out those under the path
    `outside`), in ledger order."""
    queryset = Fulfilment.objects.filter(period=period, state__in=list(states))
    if outside is not None:
        queryset = queryset.exclude(jurisdiction_path__startswith=outside)
    entries = list(queryset.select_related("policy", "enterprise").order_by("pk"))
    return sorted(rng.sample(entries, int(len(entries) * REPLAY_SHARE)), key=lambda e: e.pk)


def _main_park_year(
    rng: random.Random, park: Jurisdiction, office: Any, year: int, told_on: dt.date
) -> MainParkLedger:
    """The main park's last year as seed 003 reports it: `MAIN_PARK_FULFILMENTS` applications
    taken to payment and `MAIN_PARK_NO_APPLICATION` 免申即享 benefits paid without one, together
    exactly `MAIN_PARK_DISBURSED` yuan; a few other applications rejected. The paid entries are
    drawn among the larger promises (a year's fulfilment cases are the big awards), and the
    approved amounts are the promises as the office's review trimmed them to the total."""
    entries = list(
        Fulfilment.objects.filter(
            period=year,
            state=FulfilmentState.NOTIFIED,
            jurisdiction_path__startswith=park.path,
            promised_amount__isnull=False,
        )
        .select_related("policy", "enterprise")
        .order_by("pk")
    )
    free = [e for e in entries if e.no_application]
    applied = [e for e in entries if not e.no_application]
    # A very small demo may match fewer entries than the seed's year paid: it pays them all.
    no_application = rng.sample(free, min(len(free), MAIN_PARK_NO_APPLICATION))
    needed = MAIN_PARK_DISBURSED - sum((_promised(e) for e in no_application), Decimal("0"))
    paid = _closest_above(rng, applied, min(len(applied), MAIN_PARK_FULFILMENTS), needed) if applied else []
    amounts = _trimmed([_promised(e) for e in paid], needed) if paid else []
    for entry in no_application:
        _replay(rng, entry, office, year, told_on)
    for entry, amount in zip(paid, amounts, strict=True):
        _replay(rng, entry, office, year, told_on, amount=amount, reject=False)
    chosen = {e.pk for e in paid}
    others = [e for e in applied if e.pk not in chosen]
    for entry in sorted(rng.sample(others, min(len(others), MAIN_PARK_REJECTED)), key=lambda e: e.pk):
        _reject(rng, entry, office, told_on)
    ledger = Fulfilment.objects.filter(
        period=year, jurisdiction_path__startswith=park.path, state=FulfilmentState.DISBURSED
    )
    figures = ledger.aggregate(total=Sum("disbursed_amount"))
    return MainParkLedger(
        park=park.name,
        year=year,
        fulfilments=ledger.filter(no_application=False).count(),
        no_application=ledger.filter(no_application=True).count(),
        disbursed=figures["total"] or Decimal("0"),
        no_application_disbursed=ledger.filter(no_application=True).aggregate(s=Sum("disbursed_amount"))["s"]
        or Decimal("0"),
    )


def _promised(entry: Fulfilment) -> Decimal:
    assert entry.promised_amount is not None
    return entry.promised_amount


def _closest_above(
    rng: random.Random, entries: list[Fulfilment], count: int, needed: Decimal
) -> list[Fulfilment]:
    """`count` of `entries`, each enterprise once and at most `PAID_PER_POLICY` per policy,
    whose promises add up to at least `needed` and as little above it as a few hundred random
    draws among the larger promises find; in the ledger's order."""
    larger = sorted(entries, key=lambda e: (-_promised(e), e.pk))[: max(count * 5, 120)]

    def draw() -> list[Fulfilment]:
        drawn: list[Fulfilment] = []
        firms: set[int] = set()
        per_policy: Counter[int] = Counter()
        shuffled = rng.sample(larger, len(larger))
        for entry in shuffled:
            if entry.enterprise_id in firms or per_policy[entry.policy_id] >= PAID_PER_POLICY:
                continue
            drawn.append(entry)
            firms.add(entry.enterprise_id)
            per_policy[entry.policy_id] += 1
            if len(drawn) == count:
                return drawn
        # A small demo has too few firms for the spread: fill up with what is left.
        return drawn + [e for e in shuffled if e not in drawn][: count - len(drawn)]

    def distance(drawn: list[Fulfilment]) -> tuple[bool, Decimal]:
        # Any set at or above the total beats every set below it; then the nearer, the better.
        total = sum((_promised(e) for e in drawn), Decimal("0"))
        return (total < needed, abs(total - needed))

    best = draw()
    for _ in range(SUBSET_DRAWS - 1):
        drawn = draw()
        if distance(drawn) < distance(best):
            best = drawn
    return sorted(best, key=lambda e: e.pk)


def _trimmed(promised: list[Decimal], total: Decimal) -> list[Decimal]:
    """`promised` scaled to add up to exactly `total` (to the yuan, the remainder on the first
    ones): the amounts the office approved after its review."""
    whole = sum(promised, Decimal("0"))
    amounts = [(p * total / whole).quantize(Decimal("1"), rounding=ROUND_FLOOR) for p in promised]
    for index in range(int(total - sum(amounts, Decimal("0")))):
        amounts[index % len(amounts)] += 1
    return [a.quantize(Decimal("0.01")) for a in amounts]


def _office_user(park: Jurisdiction) -> Any:
    """The park's service-office account: the demo login in the main park; elsewhere an
    account that cannot log in, standing for that park's office."""
    from django.contrib.auth.models import Group

    from lianqi.accounts.models import User
    from lianqi.core.roles import Role

    user = User.objects.filter(groups__name=Role.SERVICE_OFFICE, jurisdiction=park).order_by("pk").first()
    if user is None:
        user = User(username=f"office-{park.code}", jurisdiction=park, display_name=f"{park.name}营商办")
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.SERVICE_OFFICE))
    return user


def _policy(
    template: Template,
    level: str,
    holder: Jurisdiction,
    year: int,
    code: str,
    suffix: str,
    prefixes: tuple[str, ...],
    departments: dict[str, Department],
    main_park: Jurisdiction,
) -> Policy:
    department = departments.get(template.department) if holder.pk == main_park.pk else None
    eligibility = template.eligibility
    if prefixes:
        eligibility = {"all": [_industry(*prefixes), *eligibility["all"]]}
    issuer = LEVEL_ISSUER.get(level) or f"{holder.name}管理委员会"
    policy = actions.create_policy(
        actor=None,
        jurisdiction=holder,
        code=code,
        title=f"{year}年度{template.title}{suffix}",
        level=level,
        kind=template.kind,
        department=department,
        issuer=issuer,
        document_number=f"{issuer[:2]}发〔{year}〕{int(code[-3:]) + 10}号",
        summary=template.summary,
        needs_application=not template.no_application and template.benefit is not None,
        no_application=template.no_application,
        is_active=True,
    )
    benefit = _scaled_benefit(template.benefit, LEVEL_SCALE[level])
    rule = {
        "version": 1,
        "rules": [
            {
                "code": code,
                "name": policy.title,
                "eligibility": eligibility,
                **({"benefit": benefit} if benefit else {}),
            }
        ],
    }
    draft = actions.save_policy_draft(
        policy=policy,
        actor=None,
        rule=rule,
        valid_from=dt.date(year, 1, 1),
        valid_to=dt.date(year, 12, 31),
        note="演示数据",
    )
    # Published without a re-match: the demo matches each year on its own day.
    actions.publish_policy_version(version=draft, actor=None, at=_at(dt.date(year, 1, 2)), rematch=False)
    return policy


def _step(
    action: Callable[..., Fulfilment], entry: Fulfilment, actor: Any, day: dt.date, **data: Any
) -> Fulfilment:
    """Take one step of the ledger (`action`, one of the ledger's typed actions) at 10 o'clock
    on `day`; the enterprise acts through its code when there is no actor."""
    return action(
        fulfilment=entry,
        actor=actor,
        enterprise=entry.enterprise if actor is None else None,
        expected_version=entry.version,
        at=_at(day, 10),
        **data,
    )


def _reject(rng: random.Random, entry: Fulfilment, office: Any, told_on: dt.date) -> None:
    """An application that did not hold: applied, then rejected at review."""
    day = _workday_after(told_on, rng.randint(5, 30))
    entry = _step(
        actions.apply_for_fulfilment, entry, None, day, text="按通知要求提交申报材料", name="企业财务负责人"
    )
    _step(
        actions.reject_fulfilment,
        entry,
        office,
        _workday_after(day, rng.randint(3, 9)),
        reason="申报材料与实际情况不符",
    )


def _replay(
    rng: random.Random,
    entry: Fulfilment,
    office: Any,
    year: int,
    told_on: dt.date,
    *,
    amount: Decimal | None = None,
    reject: bool = True,
) -> None:
    """A told entry of `year`, to payment (or, with `reject`, sometimes a rejection) on dated
    working days, at `amount` when given (else the promise)."""
    day = told_on
    amount = amount if amount is not None else entry.promised_amount
    if entry.no_application:
        if amount is None:
            return
        day = _workday_after(day, rng.randint(3, 15))
        entry = _step(actions.approve_fulfilment_without_application, entry, office, day, amount=amount)
    else:
        day = _workday_after(day, rng.randint(5, 30))
        entry = _step(
            actions.apply_for_fulfilment,
            entry,
            None,
            day,
            text="按通知要求提交申报材料",
            name="企业财务负责人",
        )
        day = _workday_after(day, rng.randint(3, 9))
        if reject and rng.random() < 0.08:
            _step(actions.reject_fulfilment, entry, office, day, reason="申报材料与实际情况不符")
            return
        entry = _step(actions.review_fulfilment, entry, office, day, note="材料齐全，符合条件")
        day = _workday_after(day, rng.randint(2, 5))
        # A policy without a computed amount is approved at 2–8 万元, in yuan as the ledger keeps it.
        amount = amount if amount is not None else Decimal(rng.choice((2, 3, 5, 8))) * 10000
        entry = _step(actions.approve_fulfilment, entry, office, day, amount=amount)
    day = _workday_after(day, rng.randint(5, 14))
    _step(
        actions.disburse_fulfilment,
        entry,
        office,
        day,
        amount=amount,
        disbursed_on=day,
        voucher=f"PZ-{year}-{entry.pk:05d}",
    )


def _advance(rng: random.Random, entry: Fulfilment, office: Any, start: dt.date, today: dt.date) -> None:
    """This year's told entry, moved a random way along: applied, reviewed or approved."""
    if entry.no_application:
        return
    depth = rng.random()
    day = start

    def later(low: int, high: int) -> dt.date:
        return min(_workday_after(day, rng.randint(low, high)), today)

    day = later(1, 6)
    entry = _step(
        actions.apply_for_fulfilment, entry, None, day, text="在线提交申报材料", name="企业财务负责人"
    )
    if depth < 0.5:
        return
    day = later(1, 5)
    entry = _step(actions.review_fulfilment, entry, office, day, note="材料齐全，符合条件")
    if depth < 0.8 or entry.promised_amount is None:
        return
    _step(actions.approve_fulfilment, entry, office, later(1, 3), amount=entry.promised_amount)
