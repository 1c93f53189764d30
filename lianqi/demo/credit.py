"""The main park's credit work at the figures of seed 003 (Shaoyang County's 信用 + 园区): 219 firms signed
credit commitments, 11 were named honest enterprises (诚信企业), 6 were helped through credit
repair, 159 registered on 湘信贷; a few collective interviews of dishonest enterprises; the
credit-based conveniences (信用租, 信易+审批, 信易+法律援助, 信易贷) and the published scoring rule.

Commitments, honours and registrations are written in bulk; the dishonesty records and their
repairs go through the actions, so each carries its history. Deterministic: the same seed,
scale and `today` give the same rows."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.credit import actions
from lianqi.credit.choices import BenefitKind, RecordKind
from lianqi.credit.models import Commitment, Honour, XindaiRegistration
from lianqi.credit.scoring import DEFAULT_RULE
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Jurisdiction

from .log import CHINESE, Say

#: Seed 003's figures at scale 1.
COMMITMENTS = 219
HONOURED = 11
REPAIRED = 6
XINDAI = 159
#: Records in force besides those repaired, and repairs still under way.
RECORDS_IN_FORCE = 14
REPAIRS_UNDER_WAY = 3
INTERVIEWS = 3

#: The commitment's text, named after the park.
TEXT_VERSION = "{park}企业信用承诺书（2023年版）"
SIGNERS = ("王建国", "李华", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周强", "吴芳", "徐涛", "孙丽")
AUTHORITIES = {
    RecordKind.PENALTY: (
        "{city}市场监督管理局",
        "{city}应急管理局",
        "{city}生态环境局",
        "国家税务总局{city}税务局",
    ),
    RecordKind.ABNORMAL: ("{city}市场监督管理局",),
    RecordKind.BLACKLIST: ("{city}中级人民法院",),
}
SUMMARIES = {
    RecordKind.PENALTY: (
        "未按规定开展安全生产教育培训",
        "污染防治设施未正常运行",
        "逾期未申报纳税",
        "产品标识不符合规定",
    ),
    RecordKind.ABNORMAL: ("未按期公示年度报告", "通过登记的住所无法联系"),
    RecordKind.BLACKLIST: ("有履行能力而拒不履行生效法律文书确定的义务",),
}
MATERIALS = "整改报告、信用修复承诺书、信用修复培训证明、处罚履行凭证"
CONVENIENCES = (
    ("标准厂房信用租", BenefitKind.RENT, "A级企业租用园区标准厂房，租金减免10%，押金减半", "A", False),
    (
        "信易+审批 容缺受理",
        BenefitKind.APPROVAL,
        "B级及以上企业办理审批可容缺受理、承诺后补材料，进入绿色通道",
        "B",
        True,
    ),
    (
        "信易+法律援助",
        BenefitKind.LEGAL_AID,
        "为守信企业免费提供合同审查、劳动争议等法律咨询和援助",
        "B",
        False,
    ),
    (
        "信易贷 优先对接",
        BenefitKind.FINANCE,
        "A级企业在湘信贷平台优先推送给合作银行，享受信用贷款利率优惠",
        "A",
        True,
    ),
)


@dataclass
class CreditDemoFigures:
    """What the builder made."""

    commitments: int = 0
    honoured: int = 0
    repaired: int = 0
    xindai: int = 0
    records: int = 0
    interviews: int = 0
    conveniences: int = 0

    def lines(self, say: Say = CHINESE) -> list[str]:
        return [
            say(
                f"  信用园区：签署信用承诺 {self.commitments} 家，诚信企业 {self.honoured} 家，"
                f"完成信用修复 {self.repaired} 家，湘信贷注册 {self.xindai} 家",
                f"  Credit: {self.commitments} credit commitments, {self.honoured} honest enterprises, "
                f"{self.repaired} repaired, {self.xindai} on 湘信贷",
            ),
            say(
                f"  失信记录 {self.records} 条，集体约谈 {self.interviews} 次，信易+便利 {self.conveniences} 项",
                f"  {self.records} dishonesty records, {self.interviews} collective interviews, "
                f"{self.conveniences} credit-based conveniences",
            ),
        ]


def _scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale)) if count else 0


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI)


def build_demo_credit(*, park: Jurisdiction, seed: int, scale: float, today: dt.date) -> CreditDemoFigures:
    """The credit work of `park` (see the module docstring)."""
    rng = random.Random(f"credit-{seed}")
    figures = CreditDemoFigures()
    office = (
        User.objects.filter(username="office").first()
        or User.objects.filter(jurisdiction=park, groups__name=Role.SERVICE_OFFICE).order_by("pk").first()
    )
    enterprises = list(Enterprise.objects.filter(jurisdiction=park).order_by("pk"))
    if office is None or not enterprises:
        return figures
    rng.shuffle(enterprises)
    city = park.parent.name if park.parent is not None else park.name
    # Those with records come from the tail, so few of them signed, none is honoured.
    n_records = min(len(enterprises) // 3, _scaled(REPAIRED + RECORDS_IN_FORCE + REPAIRS_UNDER_WAY, scale))
    flagged = enterprises[len(enterprises) - n_records :]
    good = enterprises[: len(enterprises) - n_records]

    signers = good[: min(len(good), _scaled(COMMITMENTS, scale))]
    rows = [
        Commitment(
            jurisdiction=park,
            enterprise=e,
            text_version=TEXT_VERSION.format(park=park.name),
            signed_on=_day(rng, today - dt.timedelta(days=700), today - dt.timedelta(days=30)),
            signed_by=e.legal_representative or rng.choice(SIGNERS),
        )
        for e in signers
    ]
    for row in rows:
        row.fill_derived_fields()
    Commitment.objects.bulk_create(rows)
    figures.commitments = len(rows)

    honoured = signers[: _scaled(HONOURED, scale)]
    honours = [
        Honour(
            jurisdiction=park,
            enterprise=e,
            title="诚信示范企业" if i % 3 else "守合同重信用企业",
            year=today.year - 1,
            awarded_by=f"{city}社会信用体系建设领导小组办公室",
        )
        for i, e in enumerate(honoured)
    ]
    for honour in honours:
        honour.fill_derived_fields()
    Honour.objects.bulk_create(honours)
    figures.honoured = len(honours)

    registered = (signers + good[len(signers) :])[: min(len(good), _scaled(XINDAI, scale))]
    registrations = [
        XindaiRegistration(
            jurisdiction=park,
            enterprise=e,
            registered_on=_day(rng, today - dt.timedelta(days=600), today - dt.timedelta(days=7)),
        )
        for e in sorted(registered, key=lambda e: e.pk)
    ]
    for registration in registrations:
        registration.fill_derived_fields()
    XindaiRegistration.objects.bulk_create(registrations)
    figures.xindai = len(registrations)

    # Dishonesty records: the first are repaired, the next under way, the rest in force.
    n_repaired = min(len(flagged), _scaled(REPAIRED, scale))
    n_under_way = min(len(flagged) - n_repaired, _scaled(REPAIRS_UNDER_WAY, scale))
    for index, enterprise in enumerate(flagged):
        kind = (
            RecordKind.BLACKLIST
            if index % 7 == 3
            else RecordKind.ABNORMAL
            if index % 3 == 1
            else RecordKind.PENALTY
        )
        decided = _day(rng, today - dt.timedelta(days=540), today - dt.timedelta(days=120))
        record = actions.record_dishonesty(
            enterprise=enterprise,
            kind=kind,
            authority=rng.choice(AUTHORITIES[kind]).format(city=city),
            document_no=f"{'罚' if kind == RecordKind.PENALTY else '异'}字〔{decided.year}〕{rng.randint(10, 299)}号",
            decided_on=decided,
            summary=rng.choice(SUMMARIES[kind]),
            actor=office,
            at=_at(decided + dt.timedelta(days=3)),
        )
        figures.records += 1
        if index >= n_repaired + n_under_way:
            continue
        applied = decided + dt.timedelta(days=rng.randint(20, 40))
        record = actions.apply_repair(
            record=record,
            actor=None,
            enterprise=enterprise,
            expected_version=1,
            applied_on=applied,
            at=_at(applied),
        )
        handed = applied + dt.timedelta(days=rng.randint(2, 7))
        record = actions.submit_repair_materials(
            record=record,
            actor=None,
            enterprise=enterprise,
            expected_version=2,
            materials=MATERIALS,
            at=_at(handed),
        )
        if index >= n_repaired:
            continue
        reviewed = handed + dt.timedelta(days=rng.randint(3, 10))
        record = actions.approve_repair(
            record=record, actor=office, expected_version=3, reviewed_on=reviewed, at=_at(reviewed)
        )
        repaired = reviewed + dt.timedelta(days=rng.randint(5, 15))
        actions.complete_repair(
            record=record, actor=office, expected_version=4, repaired_on=repaired, at=_at(repaired)
        )
        figures.repaired += 1

    # Collective interviews of the enterprises with records in force, a few months apart.
    in_force = flagged[n_repaired + n_under_way :] or flagged
    for number in range(min(INTERVIEWS, len(in_force))):
        held = today - dt.timedelta(days=60 + 110 * number)
        group = rng.sample(in_force, k=min(len(in_force), rng.randint(4, 8)))
        actions.hold_interview(
            jurisdiction=park,
            held_on=held,
            topic="失信企业集体约谈会：督促履行义务、主动开展信用修复",
            place="园区管委会三楼会议室",
            enterprises=group,
            note="宣讲信用修复政策，逐户明确整改事项和时限",
            actor=office,
            today=today,
        )
        figures.interviews += 1

    values = {name: getattr(DEFAULT_RULE, name) for name in actions.RULE_NAMES}
    actions.publish_rule(
        jurisdiction=park, values=values, actor=office, note="园区信用评价办法（试行）首次发布"
    )
    for name, benefit, description, lowest, clean in CONVENIENCES:
        actions.offer_convenience(
            jurisdiction=park,
            name=name,
            benefit=benefit,
            description=description,
            lowest_class=lowest,
            no_record_in_force=clean,
            actor=office,
        )
        figures.conveniences += 1
    return figures
