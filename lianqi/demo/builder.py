"""The demo park: 湖南省 → 湘潭市 with three parks, at the scale seed 001 reports for the main one
(近1200家市场主体, 27个部门, 近500名“一对一专属服务员”), every enterprise covered by a liaison.

`build_demo` is deterministic: the same seed and scale give the same rows in the same order
(pick `today` to pin the years too). Only what must stay secret differs between two builds:
each enterprise's code token and the password hashes' salt.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from lianqi.accounts.models import User
from lianqi.core.roles import Role
from lianqi.enterprises.actions.industries import load_industries
from lianqi.enterprises.actions.tags import create_tag
from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
from lianqi.enterprises.industries import SHIPPED_FILE, read_rows
from lianqi.enterprises.models import Contact, Enterprise, Industry, Tag, YearFigure
from lianqi.liaisons.actions import assign_by_rules
from lianqi.org.choices import JurisdictionLevel, StaffTier
from lianqi.org.models import Department, Jurisdiction, Staff

from . import catalogue, names
from .approvals import ApprovalFigures, build_demo_approvals
from .catalogue import DEPARTMENTS, INDIVIDUAL_TRADES, MANUFACTURING, SHOP_TRADES, ParkSpec, TradeLine
from .credit import CreditDemoFigures, build_demo_credit
from .demands import DemandFigures, build_demands
from .finance import FinanceDemoSummary, build_demo_finance
from .inspections import InspectionDemoFigures, adopt_quiet_rule, build_demo_inspections
from .land import build_demo_land
from .log import CHINESE, Say
from .market import MarketFigures, build_market
from .policies import PolicyDemoSummary, build_demo_policies
from .projects import ProjectFigures, build_demo_projects

K = EnterpriseKind

#: The one password of every demo login; printed by `manage.py demo` and `lianqi demo`.
DEMO_PASSWORD = "lianqi-demo"


@dataclass(frozen=True)
class DemoLogin:
    """One demo account: the role it shows, its username, and who it is in the demo."""

    role: str
    username: str
    password: str
    who: str = ""
    #: For a cadre who serves enterprises as a liaison: how many.
    serves: int | None = None

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


#: (role, username) of the demo logins, in the order they are printed.
DEMO_USERNAMES: tuple[tuple[Role, str], ...] = (
    (Role.LEADER, "leader"),
    (Role.SERVICE_OFFICE, "office"),
    (Role.DEPARTMENT_HANDLER, "handler"),
    (Role.LIAISON, "liaison"),
    (Role.ENTERPRISE, "enterprise"),
    (Role.FINANCE, "bank"),
    (Role.ADMIN, "admin"),
)
DEMO_INSTITUTION = "潭州示范农村商业银行"


@dataclass
class DemoSummary:
    """What `build_demo` made, for the command to print and the tests to check."""

    seed: int
    scale: float
    #: Park name → kind → number of enterprises.
    parks: dict[str, dict[str, int]] = field(default_factory=dict)
    departments: int = 0
    #: Park name → its departments.
    park_departments: dict[str, int] = field(default_factory=dict)
    staff: int = 0
    enterprises: int = 0
    covered: int = 0
    industry_classes_loaded: bool = False
    logins: list[DemoLogin] = field(default_factory=list)
    #: The demand figures of the main park (None when built without demands).
    demands: DemandFigures | None = None
    #: The policy shelf and its ledger (None when built without policies).
    policies: PolicyDemoSummary | None = None
    #: The finance supermarket (None when built without it).
    finance: FinanceDemoSummary | None = None
    market: MarketFigures | None = None
    #: The main park's inspectors, a year of registered inspections and the lenient lists.
    inspections: InspectionDemoFigures | None = None
    #: The main park's credit work (seed 003's 信用 + 园区).
    credit: CreditDemoFigures | None = None
    #: The main park's key projects and dispatch meetings (None when built without demands).
    projects: ProjectFigures | None = None
    #: The main park's approval charts (一图三单) and its key projects' runs.
    approvals: ApprovalFigures | None = None
    seconds: float = 0.0


def format_logins(logins: list[DemoLogin], say: Say = CHINESE) -> str:
    """The demo logins as a plain-text table (role, username, password, who) in the log's
    language (the names of people and enterprises stay as they are)."""
    rows = [(say("角色", "Role"), say("用户名", "Username"), say("密码", "Password"), say("身份", "Who"))]
    with translation.override(say.language):
        for login in logins:
            who = login.who
            if login.serves is not None:
                who += say(
                    f"（联系 {login.serves} 家企业）",
                    f" (liaison of {login.serves} enterprise{'' if login.serves == 1 else 's'})",
                )
            rows.append((login.role_label, login.username, login.password, who))
    # Chinese characters take two columns in a terminal.
    width = [max(_columns(row[i]) for row in rows) for i in range(3)]
    lines = []
    for row in rows:
        cells = [row[i] + " " * (width[i] - _columns(row[i])) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
    return "\n".join(lines)


def _columns(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


class DemoExistsError(RuntimeError):
    """The database already holds the demo park; reset it first."""


def demo_exists() -> bool:
    return Jurisdiction.objects.filter(code=catalogue.MAIN_PARK.code).exists()


def demo_logins() -> list[DemoLogin]:
    """The demo accounts that exist in the database, with who each one is in the demo."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[u for _, u in DEMO_USERNAMES]).select_related(
            "enterprise", "staff", "staff__department"
        )
    }
    return [
        DemoLogin(role.value, username, DEMO_PASSWORD, *_who(users[username]))
        for role, username in DEMO_USERNAMES
        if username in users
    ]


def _who(user: User) -> tuple[str, int | None]:
    """Who a demo login is in the demo, and how many enterprises they serve as a liaison."""
    staff = getattr(user, "staff", None)
    if staff is not None:
        department = staff.department.short_name if staff.department else ""
        who = f"{department}{staff.position} {staff.name}"
        served = Enterprise.objects.filter(liaison=staff).count() if staff.tier == StaffTier.STAFF else None
        return who, served
    if user.enterprise is not None:
        return user.enterprise.name, None
    return user.institution or user.display_name, None


def wipe_database() -> None:
    """Drop every table of the default database and migrate again: a reset from scratch that
    also re-runs the data migrations (role groups, shipped industries)."""
    tables = connection.introspection.table_names()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if tables:
                cursor.execute("DROP TABLE IF EXISTS " + ", ".join(quote(t) for t in tables) + " CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
    call_command("migrate", interactive=False, verbosity=0)


def ensure_reference_data() -> bool:
    """Role groups, the industry table and the national tags. Loads the full GB/T 4754 table
    from the shared data folder when it is there (in place, through the same loader as
    `manage.py import_industries`). Returns whether four-level classes are available."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    if not Industry.objects.filter(level=2).exists():
        load_industries(read_rows(SHIPPED_FILE), Industry)
    full_table = settings.SHARED_DATA_DIR / "gbt4754-2017.csv"
    if full_table.exists() and not Industry.objects.filter(level=4).exists():
        load_industries(read_rows(full_table), Industry)
    for order, (name, description) in enumerate(catalogue.TAGS, start=1):
        Tag.objects.get_or_create(
            name=name, jurisdiction=None, defaults={"description": description, "order": order * 10}
        )
    return Industry.objects.filter(level=4).exists()


def build_demo(
    *,
    scale: float = 1.0,
    seed: int = 2022,
    today: dt.date | None = None,
    demands: bool = True,
    policies: bool = True,
    finance: bool = True,
) -> DemoSummary:
    """Build the demo city, its three parks, their departments, staff and enterprises, cover
    every enterprise with a liaison by the rules, and create one login per role; with
    `demands`, also the main park's year of demands (`lianqi.demo.demands`), whose "now" is
    `today`; with `policies`, the city's policy shelf and its fulfilment ledger
    (`lianqi.demo.policies`).

    All or nothing, in one transaction. Refuses to run when the demo park already exists."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    started = time.monotonic()
    with transaction.atomic():
        if demo_exists():
            raise DemoExistsError("the demo park already exists")
        summary = DemoSummary(seed=seed, scale=scale)
        summary.industry_classes_loaded = ensure_reference_data()
        today = today or timezone.localdate()
        world = _Builder(seed=seed, scale=scale, today=today)
        world.build(summary)
        summary.inspections = build_demo_inspections(
            park=world.main_park, seed=seed, scale=scale, today=today, reports=demands
        )
        if demands:
            summary.demands = build_demands(park=world.main_park, seed=seed, scale=scale, today=today)
            summary.projects = build_demo_projects(park=world.main_park, seed=seed, scale=scale, today=today)
            summary.approvals = build_demo_approvals(park=world.main_park, seed=seed, today=today)
        if policies:
            summary.policies = build_demo_policies(
                province=world.province,
                city=world.city,
                parks=world.park_jurisdictions,
                seed=seed,
                today=today,
            )
        if finance:
            summary.finance = build_demo_finance(
                city=world.city, park=world.main_park, seed=seed, scale=scale, today=today
            )
        office = User.objects.filter(username="office").first()
        summary.credit = build_demo_credit(park=world.main_park, seed=seed, scale=scale, today=today)
        adopt_quiet_rule(park=world.main_park, office=office)
        summary.market = build_market(
            park=world.main_park, city=world.city, seed=seed, scale=scale, today=today, office=office
        )
        if demands:
            build_demo_land(park=world.main_park, seed=seed, scale=scale, today=today, office=office)
    summary.seconds = time.monotonic() - started
    return summary


def _share(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders get the rest)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _scaled(count: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(count * scale)) if count else 0


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def _head_title(department: str) -> str:
    if department == "纪工委":
        return "纪工委副书记"
    for suffix, title in (
        ("分局", "分局长"),
        ("局", "局长"),
        ("部", "部长"),
        ("大队", "大队长"),
        ("公司", "经理"),
    ):
        if department.endswith(suffix):
            return title
    return "主任"


def _staff_titles(department: str) -> tuple[str, ...]:
    if department.endswith("公司"):
        return ("客户经理", "技术专责", "综合专责")
    if department == "消防救援大队":
        return ("消防监督员", "消防文员")
    if department == "公安分局":
        return ("民警", "警务辅助人员")
    if department == "纪工委":
        return ("纪检监察员",)
    return ("科员", "一级科员", "二级科员", "四级主任科员", "专干", "办事员")


@dataclass
class _Park:
    spec: ParkSpec
    jurisdiction: Jurisdiction
    townships: list[Jurisdiction]
    departments: dict[str, Department]
    staff: list[Staff]
    enterprises: list[Enterprise]


class _Builder:
    """Draws every row of the demo from seeded random generators, one per park, so that the
    parks do not shift one another when one of them changes."""

    def __init__(self, *, seed: int, scale: float, today: dt.date) -> None:
        self.seed = seed
        self.scale = scale
        self.today = today
        self.years = [today.year - 3, today.year - 2, today.year - 1]
        self.used_names: set[str] = set()
        self.used_codes: set[str] = set()
        self.used_phones: set[str] = set()
        self.used_people: set[str] = set()
        self.industries = self._industry_lookup()
        #: The tags every park draws from by name: the national ones, then the city's.
        self.tags = {t.name: t for t in Tag.objects.filter(jurisdiction__isnull=True)}
        #: Each park's own tags with the odds of drawing them, by park code.
        self.park_tags: dict[str, list[tuple[Tag, float]]] = {}
        self.actor: User | None = None

    # --- reference data -------------------------------------------------------------------
    @staticmethod
    def _industry_lookup() -> dict[str, Industry]:
        """Each demo industry code → the most precise row present: the class when the full
        table is loaded, its division otherwise."""
        codes = [line.code for line in MANUFACTURING] + [t.code for t in (*SHOP_TRADES, *INDIVIDUAL_TRADES)]
        rows = Industry.objects.in_bulk([*codes, *(c[:2] for c in codes)])
        lookup = {}
        for code in codes:
            found = rows.get(code) or rows.get(code[:2])
            if found is None:
                raise RuntimeError(f"industry {code[:2]} is missing: run the migrations")
            lookup[code] = found
        return lookup

    # --- the whole demo -------------------------------------------------------------------
    def build(self, summary: DemoSummary) -> None:
        province = Jurisdiction.objects.create(
            code=catalogue.PROVINCE[0],
            name=catalogue.PROVINCE[1],
            short_name=catalogue.PROVINCE[2],
            level=JurisdictionLevel.PROVINCE,
        )
        city = Jurisdiction.objects.create(
            code=catalogue.CITY[0],
            name=catalogue.CITY[1],
            short_name=catalogue.CITY[2],
            level=JurisdictionLevel.CITY,
            parent=province,
        )
        password = make_password(DEMO_PASSWORD)
        admin = User.objects.create(
            username="admin",
            password=password,
            display_name="系统管理员",
            jurisdiction=city,
            is_staff=True,
            is_superuser=True,
        )
        admin.groups.add(Group.objects.get(name=Role.ADMIN))
        self.actor = admin
        for order, (name, description) in enumerate(catalogue.CITY_TAGS, start=1):
            tag = create_tag(
                actor=admin, name=name, jurisdiction=city, description=description, order=order * 10
            )
            self.tags[tag.name] = tag

        parks = [self._park(city, spec) for spec in (catalogue.MAIN_PARK, *catalogue.OTHER_PARKS)]
        for park in parks:
            assign_by_rules(jurisdiction=park.jurisdiction, actor=admin, only_uncovered=True)
        main = parks[0]
        self.main_park = main.jurisdiction
        self.province, self.city = province, city
        self.park_jurisdictions = [park.jurisdiction for park in parks]
        summary.logins = self._logins(main, password)

        for park in parks:
            counts = {kind.value: 0 for kind in EnterpriseKind}
            for enterprise in park.enterprises:
                counts[enterprise.kind] += 1
            summary.parks[park.spec.name] = counts
            summary.departments += len(park.departments)
            summary.park_departments[park.spec.name] = len(park.departments)
            summary.staff += len(park.staff)
            summary.enterprises += len(park.enterprises)
        summary.covered = Enterprise.objects.filter(
            jurisdiction_path__startswith=city.path, liaison__isnull=False
        ).count()

    # --- one park -------------------------------------------------------------------------
    def _park(self, city: Jurisdiction, spec: ParkSpec) -> _Park:
        rng = random.Random(f"{self.seed}:{spec.code}")
        jurisdiction = Jurisdiction.objects.create(
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            level=JurisdictionLevel.PARK,
            parent=city,
        )
        townships = [
            Jurisdiction.objects.create(
                code=code, name=name, short_name=name, level=JurisdictionLevel.TOWNSHIP, parent=jurisdiction
            )
            for code, name in spec.townships
        ]
        self.park_tags[spec.code] = [
            (
                create_tag(
                    actor=self.actor, name=name, jurisdiction=jurisdiction, description=text, order=order * 10
                ),
                odds,
            )
            for order, (name, text, odds) in enumerate(spec.tags, start=1)
        ]
        departments = self._departments(jurisdiction, spec)
        staff = self._staff(rng, jurisdiction, spec, departments)
        enterprises = self._enterprises(rng, jurisdiction, townships, spec)
        return _Park(spec, jurisdiction, townships, departments, staff, enterprises)

    def _departments(self, park: Jurisdiction, spec: ParkSpec) -> dict[str, Department]:
        rows = []
        for order, (name, short_name, prefixes, _size) in enumerate(DEPARTMENTS, start=1):
            if name in spec.departments:
                rows.append(
                    Department(
                        jurisdiction=park,
                        name=name,
                        short_name=short_name,
                        order=order * 10,
                        industry_prefixes=prefixes,
                    )
                )
        for row in rows:
            row.fill_derived_fields()  # bulk_create skips save()
        Department.objects.bulk_create(rows)
        return {d.name: d for d in Department.objects.filter(jurisdiction=park)}

    def _person(self, rng: random.Random) -> str:
        while True:
            name = names.person_name(rng)
            if name not in self.used_people:
                self.used_people.add(name)
                return name

    def _phone(self, rng: random.Random) -> str:
        while True:
            phone = names.mobile(rng)
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def _staff(
        self, rng: random.Random, park: Jurisdiction, spec: ParkSpec, departments: dict[str, Department]
    ) -> list[Staff]:
        """Leaders, then per department a head, deputies and staff, sized by the catalogue."""
        leaders, middle, plain = spec.staff
        sized = [(departments[name], size) for name, _s, _p, size in DEPARTMENTS if name in departments]
        rows: list[Staff] = []

        def add(department: Department | None, position: str, tier: str) -> None:
            rows.append(
                Staff(
                    jurisdiction=park,
                    name=self._person(rng),
                    department=department,
                    position=position,
                    tier=tier,
                    phone=self._phone(rng),
                )
            )

        for position in catalogue.LEADER_POSITIONS[: _scaled(leaders, self.scale, minimum=2)]:
            add(None, position, StaffTier.LEADER)
        deputies = _share(max(0, round(middle * self.scale) - len(sized)), [size for _, size in sized])
        members = _share(_scaled(plain, self.scale, minimum=len(sized)), [size for _, size in sized])
        for (department, _size), n_deputies, n_members in zip(sized, deputies, members, strict=True):
            head = _head_title(department.name)
            add(department, head, StaffTier.MIDDLE)
            for _ in range(n_deputies):
                add(department, head if head.startswith("纪工委") else "副" + head, StaffTier.MIDDLE)
            titles = _staff_titles(department.name)
            for _ in range(n_members):
                add(department, rng.choice(titles), StaffTier.STAFF)
        for row in rows:
            row.fill_derived_fields()  # bulk_create skips save()
        return Staff.objects.bulk_create(rows)

    # --- enterprises ----------------------------------------------------------------------
    def _enterprises(
        self, rng: random.Random, park: Jurisdiction, townships: list[Jurisdiction], spec: ParkSpec
    ) -> list[Enterprise]:
        made: list[_Drawn] = []
        for kind in (K.ABOVE_SIZE, K.BELOW_SIZE, K.PROJECT, K.SHOP, K.INDIVIDUAL):
            for _ in range(_scaled(spec.kinds[kind], self.scale)):
                made.append(self._draw(rng, kind, park, townships, spec))
        # The park's own tags from a generator of their own, so that adding one leaves every
        # other draw of the park as it was.
        tag_rng = random.Random(f"{self.seed}:{spec.code}:tags")
        for drawn in made:
            if drawn.enterprise.kind in (K.ABOVE_SIZE, K.BELOW_SIZE):
                drawn.tags += [tag for tag, odds in self.park_tags[spec.code] if tag_rng.random() < odds]
        objs = [d.enterprise for d in made]
        for obj in objs:
            obj.fill_derived_fields()  # bulk_create skips Enterprise.save()
        bulk_create_with_history(
            objs, Enterprise, batch_size=500, default_user=self.actor, default_change_reason="演示数据"
        )
        if any(obj.pk is None for obj in objs):
            # A database without INSERT … RETURNING does not hand the new ids back.
            codes = [obj.credit_code for obj in objs]
            by_code = dict(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", "pk"))
            for obj in objs:
                obj.pk = by_code[obj.credit_code]
        links, figures, contacts = [], [], []
        for drawn in made:
            enterprise = drawn.enterprise
            links += [Enterprise.tags.through(enterprise_id=enterprise.pk, tag_id=t.pk) for t in drawn.tags]
            for figure in drawn.figures:
                figure.enterprise = enterprise
                figures.append(figure)
            for contact in drawn.contacts:
                contact.enterprise = enterprise
                contacts.append(contact)
        Enterprise.tags.through.objects.bulk_create(links, batch_size=1000)
        bulk_create_with_history(
            figures, YearFigure, batch_size=1000, default_user=self.actor, default_change_reason="演示数据"
        )
        Contact.objects.bulk_create(contacts, batch_size=1000)
        return objs

    def _unique_name(self, make: Callable[[], str]) -> str:
        while True:
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _code(self, rng: random.Random, *, division: str, individual: bool, founded: dt.date) -> str:
        while True:
            code = names.credit_code(
                rng, division=division, individual=individual, new_style=founded.year >= 2016
            )
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def _founded(self, rng: random.Random, kind: EnterpriseKind) -> dt.date:
        back = {
            K.ABOVE_SIZE: (25, 4),
            K.BELOW_SIZE: (15, 1),
            K.SHOP: (12, 1),
            K.PROJECT: (3, 1),
            K.INDIVIDUAL: (15, 1),
        }[kind]
        start = dt.date(self.today.year - back[0], 1, 1)
        end = min(dt.date(self.today.year - back[1], 12, 31), self.today - dt.timedelta(days=30))
        return start + dt.timedelta(days=rng.randrange((end - start).days + 1))

    def _address(
        self,
        rng: random.Random,
        spec: ParkSpec,
        kind: EnterpriseKind,
        township: Jurisdiction | None,
        road: str,
    ) -> str:
        city = "韶山市" if spec.short_name.startswith("韶山") else "湘潭市"
        area = spec.short_name.removeprefix("湘潭").removeprefix("韶山")
        base = f"湖南省{city}{area}{township.name if township else ''}{road}"
        if kind == K.PROJECT:
            # A site under construction is found by its crossroads, not by a door number.
            other = rng.choice([r for r in spec.roads if r != road])
            return f"{base}与{other}交汇处"
        number = rng.randint(1, 399)
        if kind in (K.SHOP, K.INDIVIDUAL):
            return f"{base}{number}号{rng.randint(1, 30)}号门面"
        building = rng.choice(("", "", f"{rng.randint(1, 12)}栋", f"标准厂房{rng.randint(1, 20)}栋"))
        return f"{base}{number}号{building}"

    def _draw(
        self,
        rng: random.Random,
        kind: EnterpriseKind,
        park: Jurisdiction,
        townships: list[Jurisdiction],
        spec: ParkSpec,
    ) -> _Drawn:
        township = rng.choice(townships) if townships and kind in (K.SHOP, K.INDIVIDUAL) else None
        road = rng.choice(spec.roads)
        founded = self._founded(rng, kind)
        # One size per firm drives its capital, head count and revenue, so that they agree.
        size = rng.random()
        representative = self._person(rng)
        tags: list[Tag] = []
        if kind in (K.ABOVE_SIZE, K.BELOW_SIZE, K.PROJECT):
            column = {K.ABOVE_SIZE: 0, K.BELOW_SIZE: 1, K.PROJECT: 2}[kind]
            weights = [line.weights[column] * spec.profile.get(line.code, 1.0) for line in MANUFACTURING]
            line = rng.choices(MANUFACTURING, weights=weights)[0]
            industry = self.industries[line.code]
            tags = self._tags(rng, kind, industry, size)
            listed = "上市企业" in {t.name for t in tags}
            company = self._unique_name(
                lambda: names.company_name(rng, rng.choice(line.words), listed=listed)
            )
            name = company
            if kind == K.PROJECT:
                title = rng.choice(("生产基地项目", "智能制造项目", "扩能技改项目", "产业化项目"))
                name = self._unique_name(lambda: company + line.product + title)
            division = rng.choice((catalogue.CITY[0], spec.code))
            individual = False
        elif kind == K.SHOP:
            trade = self._trade(rng, SHOP_TRADES)
            industry = self.industries[trade.code]
            branch = township.name.removesuffix("街道") if township else road
            name = self._unique_name(
                lambda: (
                    f"湘潭{names.brand(rng)}{trade.word}有限公司{branch}{rng.choice(('店', '分店', '门店'))}"
                )
            )
            division = rng.choice((catalogue.CITY[0], spec.code))
            individual = False
        else:
            trade = self._trade(rng, INDIVIDUAL_TRADES)
            industry = self.industries[trade.code]
            place, division = rng.choice(spec.individual_places)
            name = self._unique_name(lambda: f"{place}{self._shop_sign(rng, representative)}{trade.word}")
            individual = True
        status = EnterpriseStatus.ACTIVE
        if kind in (K.BELOW_SIZE, K.SHOP, K.INDIVIDUAL):
            roll = rng.random()
            if roll < 0.02:
                status = EnterpriseStatus.MOVED_OUT if roll < 0.012 else EnterpriseStatus.CLOSED
        capital_range, staff_range = {
            K.ABOVE_SIZE: ((1000, 80000), (60, 3000)),
            K.BELOW_SIZE: ((50, 3000), (8, 300)),
            K.SHOP: ((10, 500), (3, 40)),
            K.PROJECT: ((2000, 100000), (0, 0)),
            K.INDIVIDUAL: ((1, 50), (1, 6)),
        }[kind]
        enterprise = Enterprise(
            credit_code=self._code(rng, division=division, individual=individual, founded=founded),
            name=name,
            kind=kind,
            status=status,
            industry=industry,
            jurisdiction=township or park,
            legal_representative=representative,
            address=self._address(rng, spec, kind, township, road),
            founded_on=founded,
            registered_capital=_money(_sized(rng, size, *capital_range)),
            employees=round(_sized(rng, size, *staff_range)) if staff_range[1] else None,
        )
        return _Drawn(
            enterprise=enterprise,
            tags=tags,
            figures=self._figures(rng, kind, tags, size),
            contacts=self._contacts(rng, kind, representative),
        )

    @staticmethod
    def _trade(rng: random.Random, trades: Sequence[TradeLine]) -> TradeLine:
        return rng.choices(trades, weights=[t.weight for t in trades])[0]

    @staticmethod
    def _shop_sign(rng: random.Random, owner: str) -> str:
        """What a self-employed shop is called after: the owner (张记, 建华) or a lucky word."""
        surname = owner[:2] if owner.startswith("欧阳") else owner[:1]
        given = owner[len(surname) :]
        return rng.choice(
            (f"{surname}记", given if len(given) == 2 else f"{surname}氏", names.brand(rng), owner)
        )

    def _tags(self, rng: random.Random, kind: EnterpriseKind, industry: Industry, size: float) -> list[Tag]:
        odds = {
            K.ABOVE_SIZE: {
                "高新技术企业": 0.45,
                "科技型中小企业": 0.25,
                "专精特新": 0.18,
                "企业技术中心": 0.12,
                "外贸企业": 0.15,
                "瞪羚企业": 0.05,
                "上市企业": 0.02,
                "链主企业": 0.02,
            },
            K.BELOW_SIZE: {
                "科技型中小企业": 0.2,
                "高新技术企业": 0.1,
                "创新型中小企业": 0.12,
                "外贸企业": 0.05,
            },
            K.PROJECT: {},
        }[kind]
        # Larger firms are likelier to hold a title: half the odds for the smallest, 1.5× for the largest.
        chosen = [name for name, p in odds.items() if rng.random() < p * (0.5 + size)]
        if kind == K.ABOVE_SIZE and industry.section == "C":
            chosen.insert(0, "规上工业")
        if "专精特新" in chosen and rng.random() < 0.2:
            chosen.append("小巨人")
        return [self.tags[name] for name in chosen]

    def _figures(
        self, rng: random.Random, kind: EnterpriseKind, tags: list[Tag], size: float
    ) -> list[YearFigure]:
        """Output, revenue, tax and R&D (万元) for the last three years, growing towards now."""
        if kind == K.PROJECT:
            return []
        research = any(t.name in {"高新技术企业", "科技型中小企业", "专精特新"} for t in tags)
        revenue_range = {
            K.ABOVE_SIZE: (2200, 150000),
            K.BELOW_SIZE: (80, 1900),
            K.SHOP: (30, 1500),
            K.INDIVIDUAL: (5, 120),
        }[kind]
        revenue = _sized(rng, size, *revenue_range)
        tax_rate = (
            rng.uniform(0.015, 0.06) if kind in (K.ABOVE_SIZE, K.BELOW_SIZE) else rng.uniform(0.005, 0.02)
        )
        rd_rate = rng.uniform(0.03, 0.08) if research else rng.uniform(0.0, 0.02)
        figures = []
        for year in reversed(self.years):
            industrial = kind in (K.ABOVE_SIZE, K.BELOW_SIZE)
            figures.append(
                YearFigure(
                    year=year,
                    output_value=_money(revenue * rng.uniform(1.0, 1.12)) if industrial else None,
                    revenue=_money(revenue),
                    tax=_money(revenue * tax_rate),
                    rd_spending=_money(revenue * rd_rate) if industrial else None,
                )
            )
            revenue /= 1 + rng.uniform(-0.06, 0.22)
        figures.reverse()
        return figures

    def _contacts(self, rng: random.Random, kind: EnterpriseKind, representative: str) -> list[Contact]:
        primary_titles, other_titles, count = {
            K.ABOVE_SIZE: (("董事长", "总经理"), ("办公室主任", "财务总监", "行政经理", "生产经理"), (2, 3)),
            K.BELOW_SIZE: (("总经理", "执行董事"), ("办公室主任", "财务经理", "行政主管"), (1, 3)),
            K.PROJECT: (("项目经理", "项目负责人"), ("报建专员", "工程部经理"), (1, 2)),
            K.SHOP: (("店长", "负责人"), ("副店长",), (1, 2)),
            K.INDIVIDUAL: (("经营者",), (), (1, 1)),
        }[kind]
        contacts = []
        others = rng.sample(other_titles, len(other_titles))
        for index in range(min(rng.randint(*count), len(others) + 1)):
            if index == 0:
                title = rng.choice(primary_titles)
                name = representative if title in {"董事长", "执行董事", "经营者"} else self._person(rng)
            else:
                title, name = others.pop(), self._person(rng)
            contacts.append(Contact(name=name, title=title, phone=self._phone(rng), is_primary=index == 0))
        return contacts

    # --- logins ---------------------------------------------------------------------------
    def _logins(self, main: _Park, password: str) -> list[DemoLogin]:
        """One account per role in the main park, bound to a fitting staff member or firm."""
        staff = main.staff
        office = main.departments[catalogue.SERVICE_OFFICE]
        economy = main.departments["经济发展局"]
        leader = next(s for s in staff if s.position == "管委会主任")
        office_head = next(s for s in staff if s.department_id == office.pk and s.tier == StaffTier.MIDDLE)
        handler = next(s for s in staff if s.department_id == economy.pk and s.tier == StaffTier.STAFF)
        # The liaison account belongs to an ordinary cadre who serves a handful of firms.
        loads = dict(
            Enterprise.objects.filter(liaison__in=[s.pk for s in staff])
            .values("liaison")
            .annotate(n=Count("pk"))
            .values_list("liaison", "n")
        )
        serving = [s for s in staff if s.tier == StaffTier.STAFF and s.pk != handler.pk and loads.get(s.pk)]
        liaison = next((s for s in serving if loads[s.pk] >= 2), serving[0])
        firm = next(
            e for e in main.enterprises if e.kind == K.ABOVE_SIZE and e.status == EnterpriseStatus.ACTIVE
        )

        bound: dict[str, tuple[Staff | None, Enterprise | None]] = {
            Role.LEADER: (leader, None),
            Role.SERVICE_OFFICE: (office_head, None),
            Role.DEPARTMENT_HANDLER: (handler, None),
            Role.LIAISON: (liaison, None),
            Role.ENTERPRISE: (None, firm),
            Role.FINANCE: (None, None),
        }
        for role, username in DEMO_USERNAMES:
            if role == Role.ADMIN:
                continue
            member, enterprise = bound[role]
            user = User.objects.create(
                username=username,
                password=password,
                # Accounts without a staff row read as whom they act for in every history.
                display_name=member.name
                if member
                else (enterprise.name[:50] if enterprise else f"{DEMO_INSTITUTION}客户经理"),
                phone=member.phone if member else "",
                jurisdiction=enterprise.jurisdiction if enterprise else main.jurisdiction,
                enterprise=enterprise,
                institution=DEMO_INSTITUTION if role == Role.FINANCE else "",
            )
            user.groups.add(Group.objects.get(name=role))
            if member is not None:
                member.user = user
                member.save(update_fields=["user", "updated_at"])
        return demo_logins()


@dataclass
class _Drawn:
    """An enterprise drawn but not yet stored, with the rows that hang from it."""

    enterprise: Enterprise
    tags: list[Tag]
    figures: list[YearFigure]
    contacts: list[Contact]


def _sized(rng: random.Random, size: float, low: float, high: float) -> float:
    """A figure between `low` and `high` on a log scale (many small firms, a few large), at the
    firm's `size` give or take a little, so that capital, head count and revenue agree."""
    position = min(1.0, max(0.0, size + rng.gauss(0, 0.12)))
    return math.exp(math.log(low) + position * (math.log(high) - math.log(low)))
