"""The inspection statistics on a small world with known answers: each figure at the edge of
its definition (the year's first and last day, a cancelled inspection, a check-in before its
registration, four ratings against five, an enterprise moved out of the register), a
department handler's own department only, another jurisdiction's nothing, the same figures
over the API, the Excel files, the warning to the office and its home-page panel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core import registry
from lianqi.core.registry import Period
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.demands.models import Category
from lianqi.demands.tests.factories import handler
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.notifications.models import Notification
from lianqi.org.choices import StaffTier
from lianqi.org.models import Department, Staff
from lianqi.testing.world import Side, World, make_enterprise

from .. import actions, dashboards, queries
from .. import cells as cells_module
from ..choices import InspectionState
from ..models import Inspection, JointVisit, Rating, StatisticsCell
from ..warnings import warn_repeated_inspection
from .factories import make_inspector, registration

pytestmark = pytest.mark.django_db

YEAR = 2025


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def inspect(
    side: Side, enterprise: Enterprise, department: Department, day: dt.date, **fields: Any
) -> Inspection:
    values: dict[str, Any] = {
        "jurisdiction": side.park,
        "enterprise": enterprise,
        "department": department,
        "legal_basis": "《安全生产法》",
        "task": "安全生产检查",
        "trigger": "complaint",
        "planned_on": day,
    }
    values.update(fields)
    if values.get("state") == InspectionState.CLOSED:
        values.setdefault("finding", "no_problem")
    row = Inspection.objects.create(**values)
    # Written past the actions: its statistics day is marked as an import's would be.
    cells_module.mark_inspection(row)
    return row


def rate(row: Inspection, score: int) -> None:
    Rating.objects.create(inspection=row, score=score, rated_at=at(row.planned_on, 17))
    cells_module.mark_inspection(row)


class Known:
    """The home park's year 2025 (and 2024, and the other park), and what the figures must be."""

    def __init__(self, world: World) -> None:
        home = world.home
        a = home.department
        b = Department.objects.create(jurisdiction=home.park, name="市场监管局", order=200)
        self.a, self.b = a, b
        e1 = home.enterprise
        e2 = make_enterprise(home.park, "湘潭精密机械有限公司")
        e3 = make_enterprise(home.park, "湘潭新材料有限公司")
        e4 = make_enterprise(home.park, "湘潭电子有限公司")
        gone = make_enterprise(home.park, "已迁出企业", status=EnterpriseStatus.MOVED_OUT)
        self.e1 = e1
        d = dt.date
        # e1: four inspections in the year, the first and last day included → bucket 4+.
        first = inspect(home, e1, a, d(YEAR, 1, 1), checked_in_at=at(d(YEAR, 1, 1), 10))
        Inspection.objects.filter(pk=first.pk).update(created_at=at(d(YEAR, 1, 1), 9, 59))
        late = inspect(home, e1, a, d(YEAR, 3, 12), checked_in_at=at(d(YEAR, 3, 12), 9))
        # Registered a minute after the inspectors went in: not registered before entry.
        Inspection.objects.filter(pk=late.pk).update(created_at=at(d(YEAR, 3, 12), 9, 1))
        warned = inspect(home, e1, b, d(YEAR, 3, 13), cap_warnings=["同一周内已登记 2 次检查"])
        last = inspect(home, e1, b, d(YEAR, 12, 31))
        # Outside the year on either side, and cancelled: not counted.
        inspect(home, e1, a, d(YEAR + 1, 1, 1))
        inspect(home, e3, a, d(YEAR, 3, 14), state=InspectionState.CANCELLED)
        # e2: one, joint → bucket 1.
        visit = JointVisit.objects.create(
            jurisdiction=home.park, enterprise=e2, planned_on=d(YEAR, 3, 12), lead_department=b
        )
        joint = inspect(home, e2, b, d(YEAR, 3, 12), joint_visit=visit)
        # e4: two in February, one joint and one closed service visit → bucket 2.
        visit4 = JointVisit.objects.create(
            jurisdiction=home.park, enterprise=e4, planned_on=d(YEAR, 2, 1), lead_department=a
        )
        feb1 = inspect(home, e4, a, d(YEAR, 2, 1), joint_visit=visit4)
        feb2 = inspect(home, e4, a, d(YEAR, 2, 2), state=InspectionState.CLOSED, visit_kind="service")
        # A firm moved out is not in the register, even when inspected before it left.
        inspect(home, gone, a, d(YEAR - 1, 5, 5))
        # Ratings: department A four (no figure), B one; five in all → an average.
        for row, score in ((first, 5), (late, 4), (feb1, 4), (feb2, 3), (last, 2)):
            rate(row, score)
        # Last year: ten inspections (one above, nine here) → −30 %.
        for day in range(1, 10):
            inspect(home, e2, a, d(YEAR - 1, 6, day))
        # The other park: never in the home park's figures.
        for day in (5, 6, 7):
            inspect(world.other, world.other.enterprise, world.other.department, d(YEAR, 4, day))
        # Reports of unregistered entries (demands in the category 执法检查).
        Category.objects.get_or_create(name=actions.INSPECTION_CATEGORY)
        for enterprise, when in (
            (e1, at(d(YEAR, 3, 20))),
            (e1, at(d(YEAR, 12, 31), 23, 30)),  # still December in Beijing time
            (e1, at(d(YEAR - 1, 12, 31), 23, 30)),  # last year
            (world.other.enterprise, at(d(YEAR, 3, 20))),  # another park
        ):
            actions.report_unregistered_entry(
                enterprise=enterprise,
                description="两人未出示检查码入企检查",
                contact_name="张经理",
                contact_phone="13900000000",
                at=when,
            )
        self.warned, self.joint = warned, joint


@pytest.fixture
def known(world: World) -> Known:
    return Known(world)


def figures(row: queries.StatisticsRow) -> dict[str, Any]:
    return {key: figure.value for key, figure in row.figures.items()}


def test_the_year_total_follows_each_definition(world: World, known: Known) -> None:
    result = queries.inspection_statistics(world.user(Role.SERVICE_OFFICE), YEAR)
    total = result.total.figures
    assert total["inspections"].value == 7  # not the cancelled one, not 1 January of next year
    assert total["closed"].value == 1
    assert total["service"].value == 1  # the rest are enforcement inspections
    assert (total["joint_rate"].numerator, total["joint_rate"].denominator) == (2, 7)
    assert total["joint_rate"].display == "28.6%"
    # Two checked in; the one registered after entry is not counted as registered before.
    assert (
        total["registered_before_entry_rate"].numerator,
        total["registered_before_entry_rate"].denominator,
    ) == (1, 2)
    assert total["cap_warnings"].value == 1
    assert total["unregistered_reports"].value == 2
    assert str(total["rating"].value) == "3.60"
    assert result.headline["enterprises_inspected"].value == 3
    assert str(result.headline["per_enterprise"].value) == "2.33"
    assert result.headline["yoy_rate"].display == "-30.0%"
    assert result.distribution == [("0", 1), ("1", 1), ("2", 1), ("3", 0), ("4+", 1)]


def test_the_tables_split_by_department_and_month(world: World, known: Known) -> None:
    result = queries.inspection_statistics(world.user(Role.SERVICE_OFFICE), YEAR)
    by_department = {row.label: figures(row) for row in result.departments}
    assert by_department["经济发展局"]["inspections"] == 4
    assert by_department["经济发展局"]["rating"] is None  # four ratings: nothing shown
    assert by_department["市场监管局"]["inspections"] == 3
    months = {row.key: figures(row) for row in result.months}
    assert len(months) == 12
    assert [months[f"{YEAR}-{m:02d}"]["inspections"] for m in (1, 2, 3, 4, 12)] == [1, 2, 3, 0, 1]
    assert months[f"{YEAR}-03"]["unregistered_reports"] == 1
    assert months[f"{YEAR}-12"]["unregistered_reports"] == 1
    assert months[f"{YEAR}-04"]["joint_rate"] is None  # nothing to divide by


def test_a_department_handler_sees_its_own_department_only(world: World, known: Known) -> None:
    handler = world.user(Role.DEPARTMENT_HANDLER)
    Staff.objects.create(
        jurisdiction=world.home.park,
        name="市场监管经办",
        department=known.b,
        tier=StaffTier.STAFF,
        user=handler,
    )
    result = queries.inspection_statistics(handler, YEAR)
    assert [row.label for row in result.departments] == ["市场监管局"]
    assert result.total.figures["inspections"].value == 3
    page = client_for(handler).get(reverse("inspections:statistics"), {"year": YEAR}).content.decode()
    assert "市场监管局" in page and "经济发展局" not in page


def test_the_page_shows_figures_with_definitions_and_another_park_sees_none_of_them(
    world: World, known: Known
) -> None:
    page = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("inspections:statistics"), {"year": YEAR})
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="figure-inspections">7' in text
    assert "目标 ≥ 60%" in text and "并入联合检查" in text
    other = client_for(world.other_user(Role.SERVICE_OFFICE)).get(
        reverse("inspections:statistics"), {"year": YEAR}
    )
    assert 'data-testid="figure-inspections">3' in other.content.decode()
    assert "湘潭高新区" not in other.content.decode()
    assert client_for(world.user(Role.ENTERPRISE)).get(reverse("inspections:statistics")).status_code == 403


def test_a_bad_year_says_so_and_counts_this_year(world: World) -> None:
    page = client_for(world.user(Role.LEADER)).get(reverse("inspections:statistics"), {"year": "abc"})
    assert page.status_code == 200
    assert "年度应为 2000 至 2100 之间的整数" in page.content.decode()
    api = client_for(world.user(Role.LEADER)).get("/api/v1/inspection-statistics/", {"year": "1800"})
    assert api.status_code == 400 and "year" in api.content.decode()


def test_the_api_gives_the_page_figures_in_scope(world: World, known: Known) -> None:
    body = (
        client_for(world.user(Role.SERVICE_OFFICE))
        .get("/api/v1/inspection-statistics/", {"year": YEAR})
        .json()
    )
    total = {f["key"]: f for f in body["total"]["figures"]}
    assert total["inspections"]["value"] == 7
    assert total["joint_rate"]["value"] == pytest.approx(28.6)
    assert [b["enterprises"] for b in body["distribution"]] == [1, 1, 1, 0, 1]
    assert {d["key"] for d in body["definitions"]} >= {"joint_rate", "yoy_rate", "distribution"}
    other = (
        client_for(world.other_user(Role.SERVICE_OFFICE))
        .get("/api/v1/inspection-statistics/", {"year": YEAR})
        .json()
    )
    assert {f["key"]: f for f in other["total"]["figures"]}["inspections"]["value"] == 3
    assert client_for(world.user(Role.ENTERPRISE)).get("/api/v1/inspection-statistics/").status_code == 403


def test_the_statistics_export_opens_with_the_figures(world: World, known: Known) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).get(
        reverse("inspections:statistics_export"), {"year": YEAR}
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按部门", "按月份", "企业受检次数分布", "指标口径"]
    rows = list(book["按部门"].iter_rows(values_only=True))
    assert rows[-1][:2] == ("合计", 7)
    assert list(book["企业受检次数分布"].iter_rows(values_only=True))[-1] == ("4+", 1)


def test_the_lists_export_and_stay_in_scope(world: World) -> None:
    make_inspector(world.home, 1)
    make_inspector(world.other, 9)
    office = client_for(world.user(Role.SERVICE_OFFICE))
    book = openpyxl.load_workbook(io.BytesIO(office.get(reverse("inspections:inspectors_export")).content))
    certificates = [row[3] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert certificates == [f"{world.home.park.code}-0001"]
    for page, name in (
        ("inspections:inspectors", "inspections:inspectors_export"),
        ("inspections:quiet_periods", "inspections:quiet_periods_export"),
        ("inspections:joint_visits", "inspections:joint_visits_export"),
    ):
        assert reverse(name) in office.get(reverse(page)).content.decode()  # the page links to its file
        response = office.get(reverse(name))
        assert response.status_code == 200
        openpyxl.load_workbook(io.BytesIO(response.content))
    assert (
        client_for(world.user(Role.LIAISON)).get(reverse("inspections:inspectors_export")).status_code == 403
    )


def test_the_office_is_warned_once_of_an_inspection_over_a_cap(world: World, known: Known) -> None:
    assert warn_repeated_inspection(known.warned) == 1
    assert warn_repeated_inspection(known.warned) == 1  # asked again: still one message
    messages = Notification.objects.filter(subject__contains="重复检查预警")
    assert [m.recipient for m in messages] == [world.user(Role.SERVICE_OFFICE)]
    assert "同一周内已登记 2 次检查" in messages[0].body
    assert warn_repeated_inspection(known.joint) == 0  # no cap hit, nobody told


def test_the_office_home_lists_firms_inspected_repeatedly_this_month(world: World) -> None:
    today = timezone.localdate()
    home = world.home
    second = make_enterprise(home.park, "只查一次的企业")
    inspect(home, home.enterprise, home.department, today)
    inspect(home, home.enterprise, home.department, today.replace(day=1))
    inspect(home, second, home.department, today)
    page = client_for(world.user(Role.SERVICE_OFFICE)).get("/").content.decode()
    assert "本月多次受检企业" in page and "本月 2 次" in page
    panel = dashboards._office(world.user(Role.SERVICE_OFFICE)).panels[0]
    assert [(row.label, row.meta) for row in panel.rows] == [(home.enterprise.name, "本月 2 次")]
    assert dashboards._office(world.other_user(Role.SERVICE_OFFICE)).panels[0].rows == []


def test_the_new_measures_give_the_page_figures(world: World, known: Known) -> None:
    measures = {m.key: m for m in registry.measures()}
    path, year = world.home.park.path, Period.year(YEAR)
    assert measures["inspections.registered_before_entry"].compute(path, year) == Decimal("50.0")
    assert measures["inspections.unregistered_reports"].compute(path, year) == 2
    assert measures["inspections.unregistered_reports"].compute(world.city.path, year) == 3


def test_a_registration_over_the_day_cap_is_the_one_the_office_hears_of(world: World) -> None:
    first = actions.register_inspection(**registration(world))
    second = actions.register_inspection(
        **registration(world, task="消防检查"), exception_reason="群众举报需当日复查"
    )
    assert warn_repeated_inspection(first) == 0
    assert warn_repeated_inspection(second) == 1
    message = Notification.objects.get(subject__contains="重复检查预警")
    assert message.link == second.get_absolute_url()
    assert "同一天已登记 1 次检查" in message.body


def test_overdue_rectifications_are_counted_by_department_and_month_as_defined(world: World) -> None:
    home = world.home
    firm = home.enterprise
    fire = Department.objects.create(jurisdiction=home.park, name="消防救援大队")

    def ordered(department: Department, day: dt.date, due: dt.date, **follow_up: Any) -> None:
        inspect(
            home,
            firm,
            department,
            day,
            state=InspectionState.CLOSED,
            finding="rectification",
            rectification_days=5,
            rectification_due_on=due,
            **follow_up,
        )

    today = dt.date(YEAR, 6, 30)
    ordered(home.department, dt.date(YEAR, 2, 3), dt.date(YEAR, 2, 10))  # open, deadline passed
    ordered(
        home.department,
        dt.date(YEAR, 2, 4),
        dt.date(YEAR, 2, 11),
        follow_up="rectified",
        rectified_on=dt.date(YEAR, 2, 11),
    )
    ordered(
        fire,
        dt.date(YEAR, 3, 3),
        dt.date(YEAR, 3, 10),
        follow_up="rectified",
        rectified_on=dt.date(YEAR, 3, 12),
    )
    ordered(fire, dt.date(YEAR, 3, 4), dt.date(YEAR, 3, 11), follow_up="escalated")
    ordered(fire, dt.date(YEAR, 6, 27), dt.date(YEAR, 7, 4))  # open, not due yet
    ordered(fire, dt.date(YEAR, 6, 23), today)  # due today: not overdue yet
    result = queries.inspection_statistics(world.user(Role.SERVICE_OFFICE), YEAR, today=today)
    assert result.total.figures["rectifications_overdue"].value == 3
    by_department = {row.label: row.figures["rectifications_overdue"].value for row in result.departments}
    assert by_department == {home.department.name: 1, "消防救援大队": 2}
    by_month = {row.label: row.figures["rectifications_overdue"].value for row in result.months}
    assert (by_month[f"{YEAR}-02"], by_month[f"{YEAR}-03"], by_month[f"{YEAR}-06"]) == (1, 2, 0)
    # Today every deadline of that year has passed: the page, the API and the file count 5.
    office = client_for(world.user(Role.SERVICE_OFFICE))
    page = office.get(reverse("inspections:statistics"), {"year": YEAR}).content.decode()
    assert "整改逾期数" in page and "未在截止日期当天或之前确认整改完成" in page
    body = office.get("/api/v1/inspection-statistics/", {"year": YEAR}).json()
    assert {f["key"]: f for f in body["total"]["figures"]}["rectifications_overdue"]["value"] == 5
    book = openpyxl.load_workbook(
        io.BytesIO(office.get(reverse("inspections:statistics_export"), {"year": YEAR}).content)
    )
    rows = list(book["按部门"].iter_rows(values_only=True))
    assert rows[-1][rows[0].index("整改逾期数")] == 5
    # The named measure dashboards and assessments read counts the same, and only below its path.
    measure = {m.key: m for m in registry.measures()}["inspections.rectifications_overdue"]
    assert measure.compute(home.park.path, Period.year(YEAR)) == 5
    assert measure.compute(world.other.park.path, Period.year(YEAR)) == 0


def test_the_homes_list_rectifications_past_their_deadline_without_follow_up(world: World) -> None:
    home = world.home
    today = timezone.localdate()
    fire = Department.objects.create(jurisdiction=home.park, name="消防救援大队")
    late = dict(state=InspectionState.CLOSED, finding="rectification", rectification_days=5)
    past = today - dt.timedelta(days=30)
    inspect(
        home,
        home.enterprise,
        home.department,
        past,
        rectification_due_on=today - dt.timedelta(days=2),
        **late,
    )
    inspect(home, home.enterprise, fire, past, rectification_due_on=today - dt.timedelta(days=9), **late)
    inspect(home, home.enterprise, fire, past, rectification_due_on=today + dt.timedelta(days=3), **late)
    inspect(
        home,
        home.enterprise,
        fire,
        past,
        rectification_due_on=today - dt.timedelta(days=5),
        follow_up="rectified",
        rectified_on=today - dt.timedelta(days=5),
        **late,
    )
    page = client_for(world.user(Role.SERVICE_OFFICE)).get("/").content.decode()
    assert "逾期未整改" in page
    office_rows = dashboards._office(world.user(Role.SERVICE_OFFICE)).panels[1].rows
    assert [row.label for row in office_rows] == [
        f"{home.enterprise.name} · 消防救援大队",
        f"{home.enterprise.name} · {home.department.name}",
    ]
    own = dashboards._department(handler(home)).panels[0].rows
    assert [row.label for row in own] == [f"{home.enterprise.name} · {home.department.name}"]
    assert "逾期未整改" in client_for(handler(home)).get("/").content.decode()
    assert dashboards._office(world.other_user(Role.SERVICE_OFFICE)).panels[1].rows == []


def test_the_day_cells_follow_every_step_and_read_as_the_inspections_do(world: World, known: Known) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    before = queries.inspection_statistics(office, YEAR).total.figures
    # A step after the cells were counted moves the figures at once: the workflow marks its day.
    planned = Inspection.objects.filter(
        jurisdiction=world.home.park, planned_on=dt.date(YEAR, 12, 31), state=InspectionState.REGISTERED
    ).get()
    actions.cancel_inspection(
        inspection=planned, actor=office, expected_version=planned.version, note="企业已停产"
    )
    after = queries.inspection_statistics(office, YEAR)
    assert (before["inspections"].value, after.total.figures["inspections"].value) == (7, 6)
    # The stored cells and a count straight from the inspections agree on every figure.
    StatisticsCell.objects.all().delete()
    cells_module.mark_all_stale()
    rebuilt = queries.inspection_statistics(office, YEAR)
    assert {k: f.value for k, f in after.total.figures.items()} == {
        k: f.value for k, f in rebuilt.total.figures.items()
    }


def test_an_order_becomes_overdue_in_the_cells_the_day_after_its_deadline(world: World) -> None:
    home = world.home
    due = dt.date(YEAR, 5, 9)  # a Friday
    inspect(
        home,
        home.enterprise,
        home.department,
        dt.date(YEAR, 5, 2),
        state=InspectionState.CLOSED,
        finding="rectification",
        rectification_days=5,
        rectification_due_on=due,
    )
    cells_module.refresh(at=at(due, 20))  # counted on the deadline: not overdue yet
    cells_module.mark_passed_deadlines(due)
    cell = StatisticsCell.objects.get(planned_on=dt.date(YEAR, 5, 2))
    assert cell.rectifications_overdue == 0
    # Nothing happens to the inspection; the next day's check marks its day and it is counted.
    assert cells_module.mark_passed_deadlines(due + dt.timedelta(days=1)) == 1
    assert cells_module.mark_passed_deadlines(due + dt.timedelta(days=1)) == 0  # once a day
    cells_module.refresh(at=at(due + dt.timedelta(days=1), 8))
    cell = StatisticsCell.objects.get(planned_on=dt.date(YEAR, 5, 2))
    assert cell.rectifications_overdue == 1
