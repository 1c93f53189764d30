"""The demo city's finance supermarket at the proportions of Loudi's (seed 000: 27
institutions, 166 products, ¥15.944bn granted, ¥13.372bn lent to 66,905 enterprises), scaled to
the demo city: 27 institutions serving the whole city (banks, guarantee companies, micro-lenders,
insurers, an investment fund), about 160 published products with real-looking terms and
admission criteria, and a year of applications taken through the finance actions — most
disbursed, some declined with a reason, a few withdrawn, the recent ones still under way and a
handful past their acceptance deadline. The `bank` login is the user of 潭州示范农村商业银行,
whose work queue is its home. Deterministic for a seed and a day."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from lianqi.accounts.models import User
from lianqi.core import workdays
from lianqi.core.roles import Role
from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.finance import actions, queries
from lianqi.finance import cells as figure_cells
from lianqi.finance.choices import ApplicationState, InstitutionKind, ProductKind
from lianqi.finance.matching import products_ruleset
from lianqi.finance.models import VERSIONED_TERMS, Application, Institution, MatchingEvent, Product
from lianqi.org.models import Jurisdiction
from lianqi.policies.subjects import enterprise_records
from lianqi.rules import ENTERPRISE_CATALOGUE, Engine, Verdict, build_table

from .log import CHINESE, Say

SHANGHAI = workdays.SHANGHAI
K = InstitutionKind
P = ProductKind

#: Applications over the year at scale 1.
YEAR_APPLICATIONS = 360

#: (name, kind, local branches): the 27 institutions of the city's supermarket. The first is the
#: demo's `bank` login's institution (`builder.DEMO_INSTITUTION`).
INSTITUTIONS: tuple[tuple[str, str, int], ...] = (
    ("潭州示范农村商业银行", K.BANK, 42),
    ("中国工商银行湘潭分行", K.BANK, 18),
    ("中国农业银行湘潭分行", K.BANK, 21),
    ("中国银行湘潭分行", K.BANK, 12),
    ("中国建设银行湘潭分行", K.BANK, 16),
    ("交通银行湘潭分行", K.BANK, 6),
    ("中国邮政储蓄银行湘潭市分行", K.BANK, 25),
    ("湖南银行湘潭分行", K.BANK, 14),
    ("长沙银行湘潭分行", K.BANK, 9),
    ("招商银行湘潭分行", K.BANK, 3),
    ("兴业银行湘潭分行", K.BANK, 3),
    ("中信银行湘潭分行", K.BANK, 2),
    ("光大银行湘潭分行", K.BANK, 2),
    ("民生银行湘潭分行", K.BANK, 2),
    ("浦发银行湘潭分行", K.BANK, 2),
    ("华夏银行湘潭分行", K.BANK, 2),
    ("广发银行湘潭分行", K.BANK, 1),
    ("平安银行湘潭分行", K.BANK, 1),
    ("湘潭村镇银行", K.BANK, 5),
    ("湘潭市融资担保有限公司", K.GUARANTEE, 1),
    ("湘潭高新区融资担保有限公司", K.GUARANTEE, 1),
    ("湖南省融资担保集团湘潭分公司", K.GUARANTEE, 1),
    ("湘潭市昭山小额贷款有限公司", K.MICROLENDER, 1),
    ("湘潭市岳塘小额贷款有限公司", K.MICROLENDER, 1),
    ("中国人民财产保险湘潭市分公司", K.INSURER, 8),
    ("平安财产保险湘潭中心支公司", K.INSURER, 3),
    ("湘潭产业发展投资基金", K.FUND, 1),
)


def _any(*conditions: dict[str, Any]) -> dict[str, Any]:
    return {"any": list(conditions)}


def _tag(name: str) -> dict[str, Any]:
    return {"attribute": "tags", "op": "has", "value": name}


def _figure(attribute: str, value: float) -> dict[str, Any]:
    return {"attribute": attribute, "year": "Y-1", "op": ">=", "value": value}


def _years(n: int) -> dict[str, Any]:
    return {"attribute": "founded_on", "op": ">=", "value": n, "unit": "年"}


def _kinds(*kinds: str) -> dict[str, Any]:
    return {"attribute": "kind", "op": "in", "value": list(kinds)}


MANUFACTURING = {"attribute": "industry", "op": "prefix", "value": ["C"]}
FIRMS = _kinds("above_size", "below_size")


@dataclass(frozen=True)
class ProductTemplate:
    """A kind of product an institution offers: its name, amounts (万元), rates (%), terms
    (months), collateral, the working days it promises and its admission criteria."""

    name: str
    kind: str
    amounts: tuple[int, int]
    rates: tuple[str, str]
    terms: tuple[int, int]
    collateral: str
    promise: int
    conditions: tuple[dict[str, Any], ...]


BANK_PRODUCTS = (
    ProductTemplate(
        "园区信用贷",
        P.CREDIT,
        (10, 500),
        ("3.45", "4.35"),
        (6, 36),
        "信用",
        3,
        (FIRMS, _years(2), _figure("revenue", 500)),
    ),
    ProductTemplate(
        "科创知识价值信用贷",
        P.KNOWLEDGE_VALUE,
        (50, 1000),
        ("3.20", "3.95"),
        (12, 36),
        "信用",
        5,
        (_any(_tag("科技型中小企业"), _tag("高新技术企业")), _years(1)),
    ),
    ProductTemplate(
        "专精特新贷",
        P.CREDIT,
        (100, 3000),
        ("3.10", "3.85"),
        (12, 36),
        "信用",
        3,
        (_any(_tag("专精特新"), _tag("小巨人")),),
    ),
    ProductTemplate(
        "厂房抵押贷",
        P.MORTGAGE,
        (100, 5000),
        ("3.65", "4.75"),
        (12, 120),
        "厂房、土地使用权抵押",
        7,
        (FIRMS, _years(3), {"attribute": "registered_capital", "op": ">=", "value": 500}),
    ),
    ProductTemplate(
        "政银担批量贷",
        P.GUARANTEED,
        (30, 1000),
        ("3.85", "4.85"),
        (12, 36),
        "政府性融资担保",
        5,
        (FIRMS, {"attribute": "employees", "op": ">=", "value": 10}),
    ),
    ProductTemplate(
        "知识产权质押贷",
        P.IP_PLEDGE,
        (50, 2000),
        ("3.50", "4.50"),
        (12, 36),
        "专利权、商标权质押",
        7,
        (_tag("高新技术企业"),),
    ),
    ProductTemplate(
        "订单e贷",
        P.SUPPLY_CHAIN,
        (20, 800),
        ("3.90", "5.20"),
        (3, 12),
        "应收账款",
        3,
        (MANUFACTURING, _figure("revenue", 2000)),
    ),
)
GUARANTEE_PRODUCTS = (
    ProductTemplate(
        "动产质押融资担保",
        P.MOVABLE_PLEDGE,
        (50, 2000),
        ("4.00", "5.50"),
        (6, 24),
        "存货、设备动产质押",
        5,
        (MANUFACTURING, _figure("output_value", 2000)),
    ),
    ProductTemplate(
        "小微企业融资担保",
        P.GUARANTEED,
        (10, 500),
        ("4.20", "5.80"),
        (6, 24),
        "反担保",
        5,
        (FIRMS, _years(1)),
    ),
    ProductTemplate(
        "科技企业担保",
        P.GUARANTEED,
        (50, 1000),
        ("3.90", "5.00"),
        (12, 36),
        "股权反担保",
        5,
        (_any(_tag("科技型中小企业"), _tag("瞪羚企业")),),
    ),
)
MICRO_PRODUCTS = (
    ProductTemplate(
        "个体工商户经营贷",
        P.CREDIT,
        (5, 100),
        ("6.00", "12.00"),
        (3, 12),
        "信用",
        2,
        (_kinds("shop", "individual"),),
    ),
    ProductTemplate("过桥周转贷", P.CREDIT, (20, 500), ("7.20", "10.80"), (1, 6), "保证", 2, (FIRMS,)),
    ProductTemplate(
        "小微设备贷", P.MORTGAGE, (10, 300), ("6.50", "9.60"), (6, 24), "设备抵押", 3, (FIRMS, _years(1))
    ),
)
INSURER_PRODUCTS = (
    ProductTemplate(
        "贷款保证保险", P.INSURANCE, (10, 500), ("1.50", "2.50"), (12, 24), "保证保险", 5, (FIRMS, _years(2))
    ),
    ProductTemplate(
        "首台套重大技术装备保险",
        P.INSURANCE,
        (100, 3000),
        ("0.80", "1.50"),
        (12, 36),
        "—",
        10,
        (MANUFACTURING, _tag("高新技术企业")),
    ),
    ProductTemplate(
        "出口信用保险", P.INSURANCE, (20, 1000), ("0.30", "0.90"), (12, 12), "—", 5, (_tag("外贸企业"),)
    ),
)
FUND_PRODUCTS = (
    ProductTemplate(
        "成长期股权投资",
        P.EQUITY,
        (500, 5000),
        ("0.00", "0.00"),
        (36, 84),
        "股权",
        20,
        (_any(_tag("瞪羚企业"), _tag("小巨人"), _tag("专精特新")),),
    ),
    ProductTemplate(
        "产业链强链补链投资",
        P.EQUITY,
        (1000, 10000),
        ("0.00", "0.00"),
        (36, 96),
        "股权",
        20,
        (_tag("链主企业"),),
    ),
)
TEMPLATES: dict[str, tuple[ProductTemplate, ...]] = {
    K.BANK: BANK_PRODUCTS,
    K.GUARANTEE: GUARANTEE_PRODUCTS,
    K.MICROLENDER: MICRO_PRODUCTS,
    K.INSURER: INSURER_PRODUCTS,
    K.FUND: FUND_PRODUCTS,
}

DECLINE_REASONS = (
    "近两年经营性现金流为负，第一还款来源不足",
    "企业在他行已有逾期记录，暂不符合准入要求",
    "抵押物评估价值不足，无法覆盖申请金额",
    "申请金额超过企业年营业收入的合理比例",
    "实际控制人征信存在不良记录",
)
PURPOSES = (
    "采购原材料",
    "支付工人工资",
    "新增生产设备",
    "扩大产能",
    "研发投入",
    "补充流动资金",
    "偿还到期贷款后续贷",
)


@dataclass
class FinanceDemoSummary:
    """What the demo's finance supermarket holds, printed at the end of the build."""

    institutions: int = 0
    products: int = 0
    applications: int = 0
    enterprises_served: int = 0
    granted_fen: int = 0
    disbursed_fen: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    events: int = 0

    def lines(self, say: Say = CHINESE) -> list[str]:
        granted = f"¥{self.granted_fen / 100:,.2f}"
        disbursed = f"¥{self.disbursed_fen / 100:,.2f}"
        return [
            say(
                f"  金融机构 {self.institutions} 家，金融产品 {self.products} 个，融资申请 {self.applications} 笔",
                f"  {self.institutions} financial institutions, {self.products} products, "
                f"{self.applications} loan applications",
            ),
            say(
                f"  授信 {granted}，放款 {disbursed}（{self.enterprises_served} 家企业）",
                f"  Credit granted {granted}, loans disbursed {disbursed} ({self.enterprises_served} enterprises)",
            ),
            say(f"  银企对接会 {self.events} 场", f"  {self.events} bank–enterprise matching events"),
        ]


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.randint(9, 16), rng.randint(0, 59), tzinfo=SHANGHAI)


def _wan(rng: random.Random, low: int, high: int) -> int:
    """An amount in 万元 between `low` and `high` on a log scale (many small loans, few large)."""
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    return max(low, min(high, round(value)))


#: The main park's two bank–enterprise matching events: (title, days before today, place, firms,
#: amount signed in 万元) — seed 002 (27 firms, ¥6.6057bn) and seed 001 (48 firms, ¥13.167bn).
EVENTS = (
    ("园区银企对接会（春季）", 230, "高新区管委会一楼报告厅", 27, 660_570),
    ("“金融助企·园区行”银企对接会", 75, "湘潭国际会展中心", 48, 1_316_700),
)


def build_demo_finance(
    *, city: Jurisdiction, park: Jurisdiction, seed: int, scale: float, today: dt.date
) -> FinanceDemoSummary:
    """Register the institutions and their products (published after the office's review),
    bind the `bank` login to its institution, and replay a year of applications through the
    finance actions, each by an enterprise of the city that qualifies for the product or whose
    data leaves it open."""
    rng = random.Random(seed * 53 + 7)
    admin = User.objects.get(username="admin")
    summary = FinanceDemoSummary()
    products: list[Product] = []
    weights: list[float] = []
    for index, (name, kind, branches) in enumerate(INSTITUTIONS):
        institution = actions.create_institution(
            jurisdiction=city, name=name, kind=kind, branches=branches, actor=admin, contact_name="客户经理"
        )
        short = name.replace("湘潭", "").replace("分行", "").replace("有限公司", "")
        for number, template in enumerate(TEMPLATES[kind], start=1):
            if kind == K.BANK and index > 8 and rng.random() < 0.15:
                continue  # the smaller banks do not offer every kind
            code = f"JR{index + 1:02d}-{number:02d}"
            product = actions.create_product(
                institution=institution,
                actor=admin,
                code=code,
                name=f"{short}·{template.name}",
                kind=template.kind,
                min_amount_yuan=Decimal(template.amounts[0] * 10_000),
                max_amount_yuan=Decimal(template.amounts[1] * 10_000),
                min_rate=Decimal(template.rates[0]),
                max_rate=Decimal(template.rates[1]),
                min_term_months=template.terms[0],
                max_term_months=template.terms[1],
                collateral=template.collateral,
                promise_workdays=template.promise,
                rule={
                    "version": 1,
                    "rules": [
                        {
                            "code": code,
                            "name": template.name,
                            "eligibility": {"all": list(template.conditions)},
                        }
                    ],
                },
            )
            products.append(actions.publish_product(product=product, actor=admin))
            # The demo bank's queue is what its login sees: it gets a larger share.
            weights.append(6.0 if index == 0 else 1.0 if kind == K.BANK else 0.5)
    bank = User.objects.filter(groups__name=Role.FINANCE, institution=INSTITUTIONS[0][0]).first()
    if bank is not None:
        actions.bind_institution_user(
            institution=Institution.objects.get(name=INSTITUTIONS[0][0]), user=bank, actor=admin
        )

    candidates = _candidates(city, products, today)
    enterprises = Enterprise.objects.in_bulk([pk for ids in candidates.values() for pk in ids])
    users = _enterprise_actors(enterprises)
    bank_users = _bank_actors(products, admin)
    for _n in range(max(1, round(YEAR_APPLICATIONS * scale))):
        product = rng.choices(products, weights)[0]
        pool = candidates[product.pk]
        if not pool:
            continue
        enterprise = enterprises[rng.choice(pool)]
        _replay(product, enterprise, users[enterprise.pk], bank_users[product.institution_id], rng, today)

    _events(park, rng, today, admin, bank_users)
    _versions(rng, today, admin)
    _pilot(park, rng, today, admin)
    # The year's steps marked their days: counted now, so the figures page opens at once.
    figure_cells.refresh()
    summary.events = MatchingEvent.objects.filter(jurisdiction=park).count()
    applications = Application.objects.filter(jurisdiction_path__startswith=city.path)
    totals = applications.aggregate(granted=Sum("granted_fen"), disbursed=Sum("disbursed_fen"))
    summary.institutions = len(INSTITUTIONS)
    summary.products = len(products)
    summary.applications = applications.count()
    summary.granted_fen = totals["granted"] or 0
    summary.disbursed_fen = totals["disbursed"] or 0
    summary.enterprises_served = (
        applications.filter(state=ApplicationState.DISBURSED).values("enterprise").distinct().count()
    )
    summary.by_state = dict(
        applications.values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return summary


def _candidates(city: Jurisdiction, products: list[Product], today: dt.date) -> dict[int, list[int]]:
    """Per product, the city's enterprises it does not rule out (eligible, or open for lack of
    data), matched in one pass of the engine."""
    records = enterprise_records(Enterprise.objects.filter(jurisdiction_path__startswith=city.path))
    ruleset = products_ruleset(products)
    engine = Engine.compile(
        ruleset, build_table(records, ENTERPRISE_CATALOGUE), as_of=today, parameters=ruleset.parameters
    )
    matching = engine.match()
    result: dict[int, list[int]] = {}
    for product in products:
        sets = matching.sets(product.code)
        result[product.pk] = sorted(sets[Verdict.ELIGIBLE] | sets[Verdict.UNKNOWN])
    return result


def _enterprise_actors(enterprises: dict[int, Enterprise]) -> dict[int, Any]:
    """Who applies for each enterprise: its own account (企业账号) — the demo's enterprise login
    for its firm, and for every other applicant an account of the enterprise role bound to it
    that cannot log in — since applying is the enterprise's own step."""
    from django.contrib.auth.models import Group

    own: dict[int, Any] = {
        u.enterprise_id: u
        for u in User.objects.filter(enterprise_id__in=list(enterprises))
        if u.enterprise_id
    }
    group = Group.objects.get(name=Role.ENTERPRISE)
    for pk in sorted(set(enterprises) - set(own)):
        enterprise = enterprises[pk]
        user = User(
            username=f"qy-{enterprise.credit_code}",
            jurisdiction_id=enterprise.jurisdiction_id,
            enterprise=enterprise,
            display_name=enterprise.name[:50],
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(group)
        own[pk] = user
    return own


def _bank_actors(products: list[Product], admin: Any) -> dict[int, Any]:
    """The user each institution acts with: the demo `bank` login for its bank, an account that
    cannot log in for each of the others."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=Role.FINANCE)
    actors: dict[int, Any] = {}
    names = [name for name, _kind, _branches in INSTITUTIONS]
    for institution in {product.institution for product in products}:
        user = institution.members.first()
        if user is None:
            user = User(
                username=f"fi-{names.index(institution.name) + 1:02d}",
                jurisdiction_id=institution.jurisdiction_id,
                institution=institution.name,
                display_name=f"{institution.name[:44]}客户经理",
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
            actions.bind_institution_user(institution=institution, user=user, actor=admin)
        actors[institution.pk] = user
    return actors


def _replay(
    product: Product, enterprise: Enterprise, firm: Any, bank: Any, rng: random.Random, today: dt.date
) -> None:
    """One application from its day to where it stands today: accepted within the promise
    (a few never), due diligence (a few still running past the decision deadline), then
    approved or declined, then disbursed — a larger loan in two or three tranches — each step
    on its own day."""
    now = _moment(today, rng).replace(hour=8)
    days_ago = rng.randint(0, 364)
    at = _moment(today - dt.timedelta(days=days_ago), rng)
    low, high = product.min_amount_fen // 1_000_000, product.max_amount_fen // 1_000_000
    amount = _wan(rng, low, high)
    row = actions.apply_for_product(
        enterprise=enterprise,
        product=product,
        amount_yuan=Decimal(amount * 10_000),
        term_months=rng.randint(product.min_term_months, product.max_term_months),
        purpose=rng.choice(PURPOSES),
        consent=True,
        actor=firm,
        at=at,
    )
    if rng.random() < 0.03:
        return  # never accepted: past its deadline unless very recent
    if rng.random() < 0.03:
        actions.withdraw_application(
            application=row, actor=firm, expected_version=row.version, at=at + dt.timedelta(hours=5)
        )
        return
    step_at = _moment(at.date() + dt.timedelta(days=rng.randint(0, 2)), rng)
    if step_at >= now:
        return
    row = actions.accept_application(application=row, actor=bank, expected_version=row.version, at=step_at)
    if rng.random() < 0.04:  # declined on acceptance, plainly outside the bank's appetite
        step_at = _moment(step_at.date() + dt.timedelta(days=1), rng)
        if step_at < now:
            actions.decline_application(
                application=row,
                actor=bank,
                expected_version=row.version,
                reason=rng.choice(DECLINE_REASONS),
                at=step_at,
            )
        return
    step_at = _moment(step_at.date() + dt.timedelta(days=rng.randint(1, 4)), rng)
    if step_at >= now:
        return
    row = actions.investigate_application(
        application=row, actor=bank, expected_version=row.version, at=step_at
    )
    if rng.random() < 0.03:
        return  # due diligence still running: past its decision deadline unless recent
    step_at = _moment(step_at.date() + dt.timedelta(days=rng.randint(2, 12)), rng)
    if step_at >= now:
        return
    if rng.random() < 0.10:
        actions.decline_application(
            application=row,
            actor=bank,
            expected_version=row.version,
            reason=rng.choice(DECLINE_REASONS),
            at=step_at,
        )
        return
    granted = max(low, int(amount * rng.choice((1.0, 1.0, 0.9, 0.8, 0.6))))
    row = actions.approve_application(
        application=row,
        actor=bank,
        expected_version=row.version,
        granted_yuan=Decimal(granted * 10_000),
        at=step_at,
    )
    # A loan of 1,000 万元 or more is often paid out in tranches as the works need it.
    shares = [granted] if granted < 1000 or rng.random() < 0.5 else _split(granted, rng.randint(2, 3), rng)
    for number, share in enumerate(shares):
        wait = rng.randint(1, 7) if number == 0 else rng.randint(15, 40)
        step_at = _moment(step_at.date() + dt.timedelta(days=wait), rng)
        if step_at >= now:
            return
        row = actions.disburse_application(
            application=row,
            actor=bank,
            expected_version=row.version,
            disbursed_yuan=Decimal(share * 10_000),
            disbursed_on=step_at.date(),
            at=step_at,
        )


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` (万元) in `parts` tranches of whole 万元 adding up to it exactly."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _versions(rng: random.Random, today: dt.date, admin: Any) -> None:
    """The demo bank's product versions as its login finds them: a rate cut published to take
    effect in a fortnight, a longer term waiting for the office's review, and a raised ceiling
    the office returned with its comment."""
    bank = User.objects.filter(username="bank").first()
    # The institutions serve the whole city: the city's administration reviews their products.
    office = admin
    products = list(Product.objects.filter(institution__name=INSTITUTIONS[0][0]).order_by("code")[:3])
    if bank is None or len(products) < 3:
        return
    changes: list[tuple[Product, dict[str, Any], str]] = [
        (products[0], {"min_rate": products[0].min_rate - Decimal("0.20")}, "下调利率下限 20 个基点"),
        (products[1], {"max_term_months": products[1].max_term_months + 12}, "最长期限延长 12 个月"),
        (products[2], {"max_amount_fen": products[2].max_amount_fen * 2}, "最高额度提高一倍"),
    ]
    versions = []
    for product, change, note in changes:
        terms = {**{name: getattr(product, name) for name in VERSIONED_TERMS}, **change}
        versions.append(
            actions.submit_product_version(
                product=product,
                actor=bank,
                # Never in the past, should the demo be built for an earlier day.
                valid_from=max(today, timezone.localdate()) + dt.timedelta(days=14),
                note=note,
                min_amount_yuan=Decimal(terms.pop("min_amount_fen")) / 100,
                max_amount_yuan=Decimal(terms.pop("max_amount_fen")) / 100,
                **terms,
            )
        )
    actions.publish_product_version(version=versions[0], actor=office, comment="同意，按期生效")
    actions.return_product_version(
        version=versions[2], actor=office, comment="提高额度须附风险补偿方案，请补充后重新提交"
    )


#: The invitation rule of the demo's matching events.
ABOVE_SIZE_RULE = {
    "version": 1,
    "rules": [
        {
            "code": "INVITE",
            "name": "规上企业",
            "eligibility": {"attribute": "kind", "op": "in", "value": [EnterpriseKind.ABOVE_SIZE.value]},
        }
    ],
}


def _events(
    park: Jurisdiction, rng: random.Random, today: dt.date, admin: Any, bank_users: dict[int, Any]
) -> None:
    """The park's two matching events, each with the firms invited a fortnight before, the banks
    and firms that came, and one agreement per firm whose amounts add up exactly to the seed's
    figure."""
    office = User.objects.filter(username="office").first() or admin
    banks = list(Institution.objects.filter(kind=K.BANK).order_by("pk")[:9])
    firms = list(
        Enterprise.objects.filter(
            jurisdiction_path__startswith=park.path,
            kind=EnterpriseKind.ABOVE_SIZE,
            status=EnterpriseStatus.ACTIVE,
        ).order_by("pk")
    )
    for title, days_ago, place, count, total_wan in EVENTS:
        came = rng.sample(banks, 6)
        event = actions.create_event(
            jurisdiction=park,
            title=title,
            held_on=today - dt.timedelta(days=days_ago),
            institutions=came,
            actor=office,
            place=place,
        )
        # Invited a fortnight before: the park's above-size firms, and those that raised a
        # financing-difficulty demand in the six months before.
        sent = dt.datetime.combine(event.held_on - dt.timedelta(days=14), dt.time(9), tzinfo=SHANGHAI)
        actions.send_event_invitations(
            event=event, rule=ABOVE_SIZE_RULE, demand_months=6, actor=office, at=sent
        )
        signed = rng.sample(firms, min(count, len(firms)))
        # Those who signed came, and about a third as many more who signed nothing that day.
        others = [firm for firm in firms if firm not in signed]
        for firm in signed + rng.sample(others, min(len(others), count // 3)):
            actions.record_attendance(event=event, enterprise=firm, actor=office)
        weights = [rng.lognormvariate(0, 0.9) for _ in signed]
        amounts = [max(100, int(total_wan * w / sum(weights))) for w in weights]
        amounts[-1] += total_wan - sum(amounts)  # exactly the seed's total
        for firm, amount in zip(signed, amounts, strict=True):
            agreement = actions.record_agreement(
                event=event,
                enterprise=firm,
                institution=rng.choice(came),
                amount_yuan=Decimal(amount * 10_000),
                kind=rng.choice((P.CREDIT, P.MORTGAGE, P.GUARANTEED, P.SUPPLY_CHAIN, P.MOVABLE_PLEDGE)),
                actor=office,
            )
            if rng.random() < 0.6:
                _follow_up(agreement, bank_users[agreement.institution_id], rng, today)


def _follow_up(agreement: Any, bank: Any, rng: random.Random, today: dt.date) -> None:
    """An agreement signed at an event followed through: within weeks the firm applies to the
    institution for the product closest to what was signed (up to the product's ceiling), and the
    loan is disbursed, so the event's page shows what was lent since."""
    products = list(
        Product.objects.filter(institution_id=agreement.institution_id, state="published").order_by(
            "-max_amount_fen", "pk"
        )
    )
    product = next((p for p in products if p.kind == agreement.kind), products[0] if products else None)
    if product is None:
        return
    firm = _enterprise_actors({agreement.enterprise_id: agreement.enterprise})[agreement.enterprise_id]
    amount = max(product.min_amount_fen, min(agreement.amount_fen, product.max_amount_fen))
    at = _moment(agreement.event.held_on + dt.timedelta(days=rng.randint(5, 30)), rng)
    steps = [at + dt.timedelta(days=d) for d in (1, 2, 6, 9)]
    if steps[-1].date() >= today:
        return
    row = actions.apply_for_product(
        enterprise=agreement.enterprise,
        product=product,
        amount_yuan=Decimal(amount) / 100,
        term_months=product.max_term_months,
        purpose=f"{agreement.event.title}签约项目",
        consent=True,
        actor=firm,
        at=at,
    )
    row = actions.accept_application(application=row, actor=bank, expected_version=row.version, at=steps[0])
    row = actions.investigate_application(
        application=row, actor=bank, expected_version=row.version, at=steps[1]
    )
    row = actions.approve_application(
        application=row,
        actor=bank,
        expected_version=row.version,
        granted_yuan=Decimal(amount) / 100,
        at=steps[2],
    )
    actions.disburse_application(
        application=row,
        actor=bank,
        expected_version=row.version,
        disbursed_yuan=Decimal(amount) / 100,
        disbursed_on=steps[3].date(),
        at=steps[3],
    )


def _pilot(park: Jurisdiction, rng: random.Random, today: dt.date, admin: Any) -> None:
    """The main park's movable-property pledge pilot (动产质押融资试点): one guarantee company with
    its dedicated product, six pilot banks, and a whitelist — manufacturers with last year's
    output of 2,000 万元 or more, two firms added by hand and one removed, each with its reason."""
    office = User.objects.filter(username="office").first() or admin
    guarantor = Institution.objects.get(name="湘潭高新区融资担保有限公司")
    product = Product.objects.filter(institution=guarantor, kind=P.MOVABLE_PLEDGE).first()
    banks = list(Institution.objects.filter(kind=K.BANK).order_by("pk")[:6])
    pilot = actions.create_pilot(
        jurisdiction=park,
        name="动产质押融资试点",
        code="DCZY",
        guarantor=guarantor,
        banks=banks,
        product=product,
        actor=office,
    )
    rule = {
        "version": 1,
        "rules": [
            {
                "code": "WL-DCZY",
                "name": "动产质押融资白名单",
                "eligibility": {"all": [MANUFACTURING, _figure("output_value", 2000)]},
            }
        ],
    }
    actions.save_whitelist_rule(
        pilot=pilot, rule=rule, actor=office, note="制造业企业，上年产值 2000 万元以上"
    )
    firms = list(
        Enterprise.objects.filter(
            jurisdiction_path__startswith=park.path, kind=EnterpriseKind.BELOW_SIZE
        ).order_by("pk")[:40]
    )
    for firm, reason in zip(
        rng.sample(firms, 2), ("担保公司实地核查存货充足", "列入园区重点培育企业"), strict=True
    ):
        actions.change_whitelist(pilot=pilot, enterprise=firm, included=True, reason=reason, actor=office)
    members = queries.whitelist(pilot, day=today)
    if members.by_rule:
        removed = Enterprise.objects.get(pk=min(members.by_rule))
        actions.change_whitelist(
            pilot=pilot, enterprise=removed, included=False, reason="存在未结诉讼，暂缓纳入", actor=office
        )
