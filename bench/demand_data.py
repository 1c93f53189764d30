"""Fill a PostgreSQL database with enterprises and demands in realistic states, fast.

    from bench.demand_data import generate
    world = generate(enterprises=100_000, demands=1_000_000, seed=20250301)

Reusable by any benchmark that needs demands (lists, statistics, API). Rows are written with
`COPY` in chunks, so a million demands take about a minute, most of it PostgreSQL building
its indexes. The result is deterministic for a given seed and reference day `at_day`
(default: today in Shanghai, so that "overdue" and "due soon" hold a realistic share whatever
day the benchmark runs).

What is generated:

- a city with the park (湘潭高新区, four townships) and a neighbouring park that holds 10 % of
  everything (outside the benchmark users' scope);
- 27 departments in the park and 6 in the neighbour, each category routed to one of them;
- 500 staff per park (liaisons), users `bench_leader`, `bench_office` (service office) and
  `bench_handler` (department handler of the park's busiest department);
- `enterprises` enterprises, each with a liaison;
- `demands` demands received over three years before `at_day`, shaped like the seeds: 70 %
  of the closed ones solved on the spot, the rest assigned with a working-day deadline; demands
  older than 45 days are closed except a few escalated legacy problems; recent ones are spread
  over every open state (new, assigned, signed, handling, sent back, replied, escalated), some
  overdue, some due soon, some with an extension request or under supervision, 5 % with a
  co-handling department. Demand events are not generated (no list reads them).
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bench.enterprise_list import CORES, GIVEN, PLACES, SURNAMES, TRADES

PARK_CODE = "430371"
NEIGHBOUR_CODE = "430372"
CHUNK = 100_000

DEPARTMENTS = [
    "经济发展局",
    "科技和工业信息化局",
    "商务和招商合作局",
    "自然资源和规划分局",
    "住房和城乡建设局",
    "财政局",
    "人力资源和社会保障局",
    "行政审批服务局",
    "生态环境分局",
    "应急管理局",
    "市场监督管理局",
    "税务局",
    "城市管理和综合执法局",
    "社会事业局",
    "党群工作部",
    "综合办公室",
    "营商环境办公室",
    "金融服务中心",
    "投资促进中心",
    "产业发展中心",
    "园区建设中心",
    "交通运输分局",
    "水务局",
    "供电公司联络处",
    "燃气公司联络处",
    "公安分局",
    "消防救援大队",
]

#: Per category: what enterprises write, and the department (index above) it goes to.
ISSUES: dict[str, tuple[int, list[str]]] = {
    "融资困难": (
        17,
        [
            "流动资金贷款审批进度慢",
            "申请贴息贷款需要指导",
            "续贷手续复杂",
            "设备融资租赁咨询",
            "应收账款质押融资",
        ],
    ),
    "用地需求": (
        3,
        ["新厂房用地指标不足", "扩建项目用地报批", "土地证办理进度", "闲置厂房盘活", "标准厂房租赁"],
    ),
    "用工招聘": (6, ["技术工人招聘困难", "春节后返岗用工缺口", "职业技能培训补贴申领", "社保缴费基数咨询"]),
    "审批服务": (7, ["施工许可证办理", "环评审批时间长", "消防验收排期", "不动产登记材料", "排污许可证延续"]),
    "基础设施": (20, ["园区道路破损积水", "厂区周边路灯不亮", "雨污管网堵塞", "公交线路延伸到厂区"]),
    "水电气": (23, ["电力增容申请", "天然气接入报装", "供水压力不足", "停电频繁影响生产"]),
    "政策咨询": (0, ["高新技术企业认定政策", "研发费用加计扣除", "专精特新申报条件", "稳岗补贴政策"]),
    "市场拓展": (2, ["产品进入本地供应链", "参加展会补贴", "外贸订单出口退税", "对接本地整车企业"]),
    "培训指导": (1, ["数字化改造培训", "安全生产培训", "企业管理人员培训", "知识产权申报辅导"]),
    "安全环保": (8, ["危废处置渠道", "环保检查整改指导", "安全生产标准化评审", "VOCs治理设备补助"]),
    "其他": (16, ["企业子女入学", "人才公寓申请", "员工通勤班车", "周边餐饮配套"]),
}
SUFFIXES = ["有限公司", "科技有限公司", "股份有限公司", "门市部", "经营部", "项目"]
CHANNELS = [
    ("liaison", 55),
    ("enterprise_code", 20),
    ("hotline", 12),
    ("roundtable", 6),
    ("dispatch_meeting", 5),
    ("letter", 2),
]
LIMITS = [3, 5, 5, 5, 7, 10, 15]


@dataclass
class Generated:
    """What a benchmark needs to act: the users, the park and the handler's department."""

    leader: Any
    office: Any
    handler: Any
    park: Any
    department_id: int
    demands: int
    enterprises: int
    at_day: dt.date


def _null(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _copy(cursor: Any, table: str, columns: str, rows: Iterator[list[Any]]) -> int:
    """COPY `rows` into `table` in chunks, so a million rows never sit in one string."""
    written = 0
    buffer = io.StringIO()
    pending = 0
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            buffer.write("\t".join(_null(v) for v in row))
            buffer.write("\n")
            pending += 1
            if pending == CHUNK:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
                written += pending
                pending = 0
        if pending:
            copy.write(buffer.getvalue())
            written += pending
    return written


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def _user(username: str, role: str, park: Any, display: str) -> Any:
    from django.contrib.auth.models import Group

    from lianqi.accounts.models import User

    user, created = User.objects.get_or_create(
        username=username, defaults={"jurisdiction": park, "display_name": display}
    )
    if created:
        user.set_password("bench-only-not-a-real-password")
        user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _places() -> tuple[Any, Any, list[Any]]:
    from lianqi.org.models import Jurisdiction

    province, _ = Jurisdiction.objects.get_or_create(
        code="430000", defaults={"name": "湖南省", "level": "province"}
    )
    city, _ = Jurisdiction.objects.get_or_create(
        code="430300", defaults={"name": "湘潭市", "level": "city", "parent": province}
    )
    park, _ = Jurisdiction.objects.get_or_create(
        code=PARK_CODE, defaults={"name": "湘潭高新区", "level": "park", "parent": city}
    )
    neighbour, _ = Jurisdiction.objects.get_or_create(
        code=NEIGHBOUR_CODE, defaults={"name": "湘潭经开区", "level": "park", "parent": city}
    )
    townships = [
        Jurisdiction.objects.get_or_create(
            code=f"{PARK_CODE}{i:03d}", defaults={"name": name, "level": "township", "parent": park}
        )[0]
        for i, name in enumerate(["双马街道", "板塘街道", "昭山镇", "九华街道"], start=1)
    ]
    return park, neighbour, townships


def _existing(park: Any, enterprises: int, demands: int, at_day: dt.date) -> Generated | None:
    from lianqi.demands.models import Demand
    from lianqi.enterprises.models import Enterprise
    from lianqi.org.models import Staff

    if Enterprise.objects.count() != enterprises or Demand.objects.count() != demands:
        return None
    handler = _user("bench_handler", "department_handler", park, "基准测试部门经办人")
    staff = Staff.objects.filter(user=handler).first()
    if staff is None or staff.department_id is None:
        return None
    return Generated(
        leader=_user("bench_leader", "leader", park, "基准测试领导"),
        office=_user("bench_office", "service_office", park, "基准测试营商办"),
        handler=handler,
        park=park,
        department_id=staff.department_id,
        demands=demands,
        enterprises=enterprises,
        at_day=at_day,
    )


def generate(
    *,
    enterprises: int = 100_000,
    demands: int = 1_000_000,
    seed: int = 20250301,
    at_day: dt.date | None = None,
    reuse: bool = True,
) -> Generated:
    """Create (or, with `reuse`, keep when the counts already match) the park, its staff, its
    enterprises and demands. Wipes existing enterprises, demands and staff (and what references
    them) first: use a database of its own. PostgreSQL only."""
    from django.db import connection, transaction

    from lianqi.core import calendar_store, workdays
    from lianqi.core.search import normalise_search_text
    from lianqi.demands.models import Category, CategoryRouting
    from lianqi.enterprises import creditcode
    from lianqi.enterprises.models import new_code_token
    from lianqi.org.models import Department, Staff

    if connection.vendor != "postgresql":
        raise RuntimeError("demand_data.generate needs PostgreSQL (it writes with COPY)")
    at_day = at_day or workdays.shanghai_date(dt.datetime.now(dt.UTC))
    park, neighbour, townships = _places()
    if reuse and (found := _existing(park, enterprises, demands, at_day)) is not None:
        print(f"reusing {enterprises:,} enterprises and {demands:,} demands already in the database")
        return found

    rng = random.Random(seed)
    started = time.perf_counter()
    cal = calendar_store.get_calendar()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                # The rows are consistent by construction; checking a million deferred foreign
                # keys at commit would take longer than writing them.
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "TRUNCATE demands_demandevent, demands_demandattachment, demands_demand_co_departments, "
                "demands_demand, enterprises_enterprise_tags, enterprises_historicalenterprise, "
                "enterprises_contact, enterprises_yearfigure, enterprises_enterprise, org_staff CASCADE"
            )
            cursor.execute("DELETE FROM demands_categoryrouting")
        # Departments and staff of both parks.
        departments: dict[int, list[Any]] = {}
        staff: dict[int, list[Any]] = {}
        for place, names in ((park, DEPARTMENTS), (neighbour, DEPARTMENTS[:6])):
            departments[place.pk] = [
                Department.objects.get_or_create(jurisdiction=place, name=name, defaults={"order": i})[0]
                for i, name in enumerate(names)
            ]
            staff[place.pk] = Staff.objects.bulk_create(
                [
                    Staff(
                        jurisdiction=place,
                        jurisdiction_path=place.path,
                        name=_name(rng),
                        department=rng.choice(departments[place.pk]),
                        phone=f"139{rng.randrange(10**8):08d}",
                    )
                    for _ in range(500)
                ]
            )
        categories = list(Category.objects.order_by("order", "name"))
        routing: dict[tuple[int, int], tuple[Any, int]] = {}
        for place in (park, neighbour):
            for category in categories:
                index, _issues = ISSUES.get(category.name, (16, []))
                department = departments[place.pk][index % len(departments[place.pk])]
                CategoryRouting.objects.create(
                    category=category, jurisdiction=place, department=department, deadline_workdays=5
                )
                routing[(place.pk, category.pk)] = (department, 5)

        # Enterprises.
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('enterprises_enterprise', 'id'))")
            first_enterprise = cursor.fetchone()[0]
        stamp = f"{at_day.isoformat()} 08:00:00+08"
        enterprise_rows: list[tuple[int, Any, str, int]] = []  # (pk, jurisdiction, name, liaison)

        def enterprise_iter() -> Iterator[list[Any]]:
            for n in range(enterprises):
                pk = first_enterprise + n
                place = neighbour if n % 10 == 9 else rng.choice([park, *townships])
                top = neighbour if place is neighbour else park
                trade, division = rng.choice(TRADES)
                name = f"{rng.choice(PLACES)}{rng.choice(CORES)}{trade}{rng.choice(SUFFIXES)}"
                code = creditcode.complete(f"91430300{n + 1:09d}")
                liaison = rng.choice(staff[top.pk])
                address = f"{place.name}创新大道{rng.randrange(1, 300)}号"
                enterprise_rows.append((pk, place, name, liaison.pk))
                yield [
                    pk,
                    stamp,
                    stamp,
                    place.pk,
                    place.path,
                    code,
                    name,
                    "below_size",
                    "active",
                    division,
                    _name(rng),
                    address,
                    None,
                    None,
                    None,
                    liaison.pk,
                    new_code_token(),
                    normalise_search_text(name, code, address),
                ]

        with connection.cursor() as cursor:
            _copy(
                cursor,
                "enterprises_enterprise",
                "id, created_at, updated_at, jurisdiction_id, jurisdiction_path, credit_code, name, kind, status, "
                "industry_id, legal_representative, address, founded_on, registered_capital, employees, liaison_id, "
                "code_token, search_text",
                enterprise_iter(),
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('enterprises_enterprise', 'id'), %s)",
                [first_enterprise + enterprises],
            )

        # Demands.
        due_cache: dict[tuple[dt.date, int], dt.date] = {}

        def due(day: dt.date, n: int) -> dt.date:
            key = (day, n)
            if key not in due_cache:
                due_cache[key] = workdays.add_workdays(day, n, cal).day
            return due_cache[key]

        channels = [c for c, w in CHANNELS for _ in range(w)]
        open_states = [
            "received",
            "assigned",
            "signed",
            "handling",
            "handling",
            "sent_back",
            "replied",
            "escalated",
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('demands_demand', 'id'))")
            first_demand = cursor.fetchone()[0]
        co_rows: list[list[int]] = []
        per_department: dict[int, int] = {}

        def moment(day: dt.date, hour: int, minute: int) -> str:
            return f"{day.isoformat()} {hour:02d}:{minute:02d}:00+08"

        # Oldest first, so that ids grow with the receiving time as they do in production
        # (open demands are the recent ones and sit together at the end of the table).
        ages = sorted((int(1095 * rng.random() ** 1.6) for _ in range(demands)), reverse=True)

        def demand_iter() -> Iterator[list[Any]]:
            for n in range(demands):
                pk = first_demand + n
                e_pk, place, e_name, liaison = enterprise_rows[rng.randrange(enterprises)]
                top = neighbour if place is neighbour else park
                category = rng.choice(categories)
                _index, issues = ISSUES.get(category.name, (16, ["其他事项"]))
                description = f"{rng.choice(issues)}，{rng.choice(['请协调解决', '希望尽快答复', '望予支持', '请帮助对接'])}"
                # Skewed towards recent days: the intake grows year on year.
                age = ages[n]
                received = at_day - dt.timedelta(days=age)
                r_hour, r_min = rng.randrange(8, 18), rng.randrange(60)
                legacy = rng.random() < 0.004
                if age > 45:
                    state = "escalated" if legacy and rng.random() < 0.3 else "closed"
                else:
                    state = "closed" if rng.random() < 0.55 else rng.choice(open_states)
                on_spot = state == "closed" and not legacy and rng.random() < 0.7
                department, limit = routing[(top.pk, category.pk)]
                if rng.random() < 0.25:
                    department = rng.choice(departments[top.pk])
                limit = rng.choice(LIMITS)
                assigned = (
                    None
                    if on_spot or state == "received"
                    else received + dt.timedelta(days=rng.randrange(0, 2))
                )
                if assigned is not None and assigned > at_day:
                    assigned = at_day
                lead = department.pk if assigned is not None else None
                due_on = due(assigned, limit) if assigned is not None else None
                if state in ("assigned", "signed", "handling") and rng.random() < 0.12:
                    due_on = at_day - dt.timedelta(days=rng.randrange(1, 12))  # overdue
                replied = None
                if state in ("replied", "closed") and not on_spot and assigned is not None:
                    replied = min(at_day, assigned + dt.timedelta(days=rng.randrange(1, 12)))
                closed = None
                if state == "closed":
                    closed = (on_spot and received) or min(
                        at_day, (replied or received) + dt.timedelta(days=rng.randrange(0, 8))
                    )
                outcome = ""
                if state == "closed" or state == "replied":
                    outcome = (
                        "solved"
                        if on_spot or rng.random() < 0.85
                        else rng.choice(["explained", "not_remit", "duplicate"])
                    )
                extension = (
                    rng.choice([3, 5]) if state in ("signed", "handling") and rng.random() < 0.06 else None
                )
                supervised = (
                    moment(received + dt.timedelta(days=1), 10, 0)
                    if state not in ("received", "closed") and rng.random() < 0.05
                    else None
                )
                contact = _name(rng) if rng.random() < 0.3 else ""
                if lead is not None:
                    per_department[lead] = per_department.get(lead, 0) + 1
                    if rng.random() < 0.05:
                        co = rng.choice(departments[top.pk])
                        if co.pk != lead:
                            co_rows.append([pk, co.pk])
                yield [
                    pk,
                    stamp,
                    stamp,
                    place.pk,
                    place.path,
                    e_pk,
                    liaison,
                    category.pk,
                    rng.choice(channels),
                    description,
                    state,
                    outcome,
                    on_spot,
                    moment(received, r_hour, r_min),
                    contact,
                    f"138{rng.randrange(10**8):08d}" if contact else "",
                    normalise_search_text(description, e_name, category.name, contact),
                    None,
                    lead,
                    moment(assigned, 9, 0) if assigned else None,
                    limit if assigned else None,
                    due_on,
                    "[]",
                    extension,
                    "需现场踏勘，申请延期" if extension else "",
                    "非本部门职责" if state == "sent_back" else "",
                    "已协调处理" if replied or on_spot else "",
                    moment(replied, 16, 0)
                    if replied
                    else (moment(received, r_hour, r_min) if on_spot else None),
                    0,
                    None,
                    None,
                    "",
                    "",
                    None,
                    "expert" if state == "escalated" else "",
                    "专家专项协商会" if state == "escalated" else "",
                    None,
                    None,
                    legacy,
                    supervised,
                    None,
                    moment(closed, 17, 0) if closed else None,
                    rng.randrange(1, 6),
                    None,
                    moment(closed or replied or received, 17, 30),
                ]

        with connection.cursor() as cursor:
            _copy(
                cursor,
                "demands_demand",
                "id, created_at, updated_at, jurisdiction_id, jurisdiction_path, enterprise_id, liaison_id, "
                "category_id, channel, description, state, outcome, solved_on_spot, received_at, contact_name, "
                "contact_phone, search_text, raised_by_id, lead_department_id, assigned_at, deadline_workdays, "
                "due_on, fallback_years, extension_workdays, extension_reason, send_back_reason, reply, replied_at, "
                "redo_count, contacted, solved, satisfaction, rating_source, rated_at, venue, meeting, meeting_on, "
                "escalation_owner_id, is_legacy, supervised_at, merged_into_id, closed_at, version, last_actor_id, "
                "last_changed_at",
                demand_iter(),
            )
            _copy(cursor, "demands_demand_co_departments", "demand_id, department_id", iter(co_rows))
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('demands_demand', 'id'), %s)", [first_demand + demands]
            )
        busiest = max((d for d in departments[park.pk]), key=lambda d: per_department.get(d.pk, 0))
        handler = _user("bench_handler", "department_handler", park, "基准测试部门经办人")
        Staff.objects.create(jurisdiction=park, name="基准经办人", department=busiest, user=handler)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"generated {enterprises:,} enterprises and {demands:,} demands in {time.perf_counter() - started:.1f} s "
        f"(handler's department {busiest.name}: {per_department.get(busiest.pk, 0):,} demands)"
    )
    return Generated(
        leader=_user("bench_leader", "leader", park, "基准测试领导"),
        office=_user("bench_office", "service_office", park, "基准测试营商办"),
        handler=handler,
        park=park,
        department_id=busiest.pk,
        demands=demands,
        enterprises=enterprises,
        at_day=at_day,
    )
