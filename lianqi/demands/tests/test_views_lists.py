"""The demand lists: a scoping contract per page and export, then what a handler and the
office see (tabs, counts, overdue by working days), bulk assignment, filters, search, export
and legacy-problem progress."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.org.models import Department
from lianqi.testing.contracts import ListExportContract, ListPageContract, PageContract
from lianqi.testing.world import World, build_world, make_enterprise

from .. import actions
from ..choices import Channel, DemandState, Outcome
from ..models import Demand
from .factories import category, handler, make_demand

pytestmark = pytest.mark.django_db

BOARD = (Role.LEADER, Role.SERVICE_OFFICE, Role.ADMIN)
LIST = (Role.LEADER, Role.SERVICE_OFFICE, Role.ADMIN, Role.LIAISON, Role.DEPARTMENT_HANDLER)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def today() -> dt.date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def populated_world() -> World:
    """The world with handlers bound to their departments and, in each park, a new demand, an
    assigned one and a legacy problem, so every list has a row to show (or hide)."""
    world = build_world()
    for side in (world.home, world.other):
        handler(side)
    for side in (world.home, world.other):
        for state, legacy in (
            (DemandState.RECEIVED, False),
            (DemandState.ASSIGNED, False),
            (DemandState.HANDLING, True),
        ):
            make_demand(
                world,
                state,
                jurisdiction=side.park,
                enterprise=side.enterprise,
                liaison=side.liaison_staff,
                is_legacy=legacy,
                **({"lead_department": side.department} if state != DemandState.RECEIVED else {}),
            )
    return world


# --- Scoping contracts, one per page and export ----------------------------------------------


class _Populated:
    @pytest.fixture
    def world(self, db: Any) -> World:
        return populated_world()


class TestListContract(_Populated, ListPageContract):
    allowed_roles = LIST
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("demands:list")


class TestListExportContract(_Populated, ListExportContract):
    allowed_roles = LIST
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("demands:list_export")


class TestInboxContract(_Populated, ListPageContract):
    allowed_roles = (Role.DEPARTMENT_HANDLER,)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("demands:inbox")


class TestInboxExportContract(_Populated, ListExportContract):
    allowed_roles = (Role.DEPARTMENT_HANDLER,)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("demands:inbox_export")


class TestBoardContract(_Populated, ListPageContract):
    allowed_roles = BOARD
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("demands:board")


class TestBoardExportContract(_Populated, ListExportContract):
    allowed_roles = BOARD
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("demands:board_export")


class TestLegacyContract(_Populated, ListPageContract):
    allowed_roles = BOARD
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("demands:legacy")


class TestLegacyExportContract(_Populated, ListExportContract):
    allowed_roles = BOARD
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("demands:legacy_export")


class TestBulkAssignContract(_Populated, PageContract):
    method = "post"
    allowed_roles = BOARD
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("demands:bulk_assign")

    def data(self, world: World) -> dict[str, Any]:
        # The home park's first demand (received when the world was built; a later request in
        # the same test finds it assigned and gets the report, still a 200).
        demand = Demand.objects.filter(jurisdiction=world.home.park).order_by("pk").first()
        assert demand is not None
        return {
            "demands": [demand.pk],
            f"v{demand.pk}": demand.version,
            "department": world.home.department.pk,
            "workdays_limit": 5,
        }

    def test_other_park_cannot_assign_home_demands(self, world: World) -> None:
        data = self.data(world)
        response = client_for(world.other_user(Role.SERVICE_OFFICE)).post(self.url(world), data)
        assert response.status_code == 200
        # The other park's department list does not hold the home department: a field error.
        assert 'data-error-for="department"' in response.content.decode()
        data["department"] = world.other.department.pk
        response = client_for(world.other_user(Role.SERVICE_OFFICE)).post(self.url(world), data)
        assert "诉求不存在或无权查看" in response.content.decode()
        assert Demand.objects.get(pk=data["demands"][0]).state == DemandState.RECEIVED


# --- Department inbox --------------------------------------------------------------------------


def _tab_count(content: str, key: str) -> int:
    marker = f'data-count="{key}">'
    start = content.index(marker) + len(marker)
    return int(content[start : content.index("<", start)])


def _row_pk_list(content: str) -> list[int]:
    """The demands of a list page's rows, in the order shown."""
    return [int(part.split('"', 1)[0]) for part in content.split('data-testid="demand-row" data-pk="')[1:]]


def _row_pks(content: str) -> set[int]:
    return set(_row_pk_list(content))


def test_inbox_shows_only_its_departments_demands_in_the_right_tabs(world: World) -> None:
    user = handler(world.home)
    other_department = Department.objects.create(jurisdiction=world.home.park, name="科技局")
    t = today()
    mine = {
        "assigned": make_demand(world, DemandState.ASSIGNED, due_on=t + dt.timedelta(days=20)),
        "signed": make_demand(world, DemandState.SIGNED, due_on=t + dt.timedelta(days=20)),
        "overdue": make_demand(world, DemandState.HANDLING, due_on=t - dt.timedelta(days=1)),
        "due_today": make_demand(world, DemandState.HANDLING, due_on=t),
        "replied": make_demand(world, DemandState.REPLIED),
        "closed": make_demand(world, DemandState.CLOSED),
    }
    elsewhere = make_demand(world, DemandState.ASSIGNED, lead_department=other_department)
    co_handled = make_demand(world, DemandState.SIGNED, lead_department=other_department, due_on=t)
    co_handled.co_departments.add(world.home.department)
    client = client_for(user)

    def rows(tab: str) -> set[int]:
        response = client.get(reverse("demands:inbox"), {"tab": tab})
        assert response.status_code == 200
        return _row_pks(response.content.decode())

    assert rows("assigned") == {mine["assigned"].pk}
    assert rows("handling") == {mine["signed"].pk, mine["overdue"].pk, mine["due_today"].pk, co_handled.pk}
    # Due yesterday is overdue; due today is not yet (it is due soon).
    assert rows("overdue") == {mine["overdue"].pk}
    assert rows("due_soon") == {mine["due_today"].pk, co_handled.pk}
    assert rows("replied") == {mine["replied"].pk}
    everything = rows("all")
    assert everything == {d.pk for d in mine.values()} | {co_handled.pk}
    assert elsewhere.pk not in everything

    content = client.get(reverse("demands:inbox")).content.decode()
    assert [
        _tab_count(content, k) for k in ("assigned", "handling", "due_soon", "overdue", "replied", "all")
    ] == [
        1,
        4,
        2,
        1,
        1,
        7,
    ]
    handling = client.get(reverse("demands:inbox"), {"tab": "handling"}).content.decode()
    assert handling.count("bg-azure-lt") == 1  # the co-handled row is marked 协办


def test_inbox_pages_merge_led_and_co_handled_demands_newest_first(world: World) -> None:
    """The inbox reads a page from the led and the co-handled demands apart and merges them:
    across pages every row shows once, newest received first, whichever part it comes from."""
    user = handler(world.home)
    other_department = Department.objects.create(jurisdiction=world.home.park, name="科技局")
    expected: list[int] = []
    for day in range(1, 8):
        received = dt.datetime(2025, 3, day, 9, 0, tzinfo=SHANGHAI)
        if day % 3 == 0:
            demand = make_demand(
                world, DemandState.SIGNED, lead_department=other_department, received_at=received
            )
            demand.co_departments.add(world.home.department)
        else:
            demand = make_demand(world, DemandState.SIGNED, received_at=received)
        expected.insert(0, demand.pk)
    client = client_for(user)
    seen: list[int] = []
    for page in (1, 2, 3):
        response = client.get(reverse("demands:inbox"), {"tab": "all", "size": "3", "page": str(page)})
        seen += _row_pk_list(response.content.decode())
    assert seen == expected
    # A filter applies to both parts: March 3rd onwards leaves five rows, co-handled ones too.
    response = client.get(reverse("demands:inbox"), {"tab": "all", "received_from": "2025-03-03"})
    assert _row_pk_list(response.content.decode()) == expected[:5]


def test_a_page_of_more_rows_costs_no_more_queries(world: World) -> None:
    """Each row shows only columns the page read with it: a column read lazily would cost
    one query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.user(Role.SERVICE_OFFICE))

    def queries_for_board() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("demands:board"), {"tab": "overdue"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return len(captured)

    overdue = today() - dt.timedelta(days=3)
    make_demand(world, DemandState.HANDLING, due_on=overdue, is_legacy=True, extension_workdays=2)
    queries_for_board()  # the session and the calendar are read once, then cached
    few = queries_for_board()
    for _n in range(6):
        make_demand(world, DemandState.HANDLING, due_on=overdue, supervised_at=timezone.now())
    assert queries_for_board() == few


def test_list_rows_escape_what_people_typed(world: World) -> None:
    """A description or a name is shown as text, never run as markup."""
    enterprise = make_enterprise(world.home.park, "<b>湘潭</b>测试企业")
    make_demand(
        world, DemandState.RECEIVED, enterprise=enterprise, description='<script>alert("x")</script>贷款'
    )
    content = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("demands:board")).content.decode()
    assert "<script>alert" not in content and "<b>湘潭</b>" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;贷款" in content
    assert "&lt;b&gt;湘潭&lt;/b&gt;测试企业" in content


def test_inbox_overdue_counts_working_days_across_a_weekend(world: World) -> None:
    """A demand due on a Friday is not overdue on Saturday's eve and is on Monday; the due date
    itself is a working day, so only the comparison with today decides."""
    user = handler(world.home)
    t = today()
    last_friday = t - dt.timedelta(days=(t.weekday() - 4) % 7 or 7)
    demand = make_demand(world, DemandState.SIGNED, due_on=last_friday)
    content = client_for(user).get(reverse("demands:inbox"), {"tab": "overdue"}).content.decode()
    assert demand.pk in _row_pks(content)


def test_inbox_without_a_department_says_so(world: World) -> None:
    response = client_for(world.user(Role.DEPARTMENT_HANDLER)).get(reverse("demands:inbox"))
    assert response.status_code == 200
    assert "尚未关联部门" in response.content.decode()


def test_inbox_htmx_refresh_returns_only_the_table(world: World) -> None:
    user = handler(world.home)
    make_demand(world, DemandState.ASSIGNED)
    response = client_for(user).get(reverse("demands:inbox"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'data-testid="demand-table"' in content
    assert "<html" not in content
    assert response["Vary"] and "HX-Request" in response["Vary"]


# --- Office board -----------------------------------------------------------------------------


def test_board_tabs_hold_the_right_demands_with_counts(world: World) -> None:
    now = timezone.now()
    t = today()
    received = make_demand(world, DemandState.RECEIVED)
    sent_back = make_demand(
        world, DemandState.SENT_BACK, send_back_reason="非本部门职责", due_on=t + dt.timedelta(days=9)
    )
    overdue = make_demand(world, DemandState.HANDLING, due_on=t - dt.timedelta(days=1))
    extension = make_demand(
        world,
        DemandState.SIGNED,
        due_on=t + dt.timedelta(days=9),
        extension_workdays=5,
        extension_reason="需现场踏勘",
    )
    escalated = make_demand(world, DemandState.ESCALATED)
    fresh_reply = make_demand(world, DemandState.REPLIED, replied_at=now)
    old_reply = make_demand(world, DemandState.REPLIED, replied_at=now - dt.timedelta(days=30))
    supervised = make_demand(world, DemandState.HANDLING, due_on=t + dt.timedelta(days=9), supervised_at=now)
    make_demand(world, DemandState.CLOSED, supervised_at=now)  # closed: no longer under supervision
    client = client_for(world.user(Role.SERVICE_OFFICE))

    def rows(tab: str) -> tuple[set[int], str]:
        content = client.get(reverse("demands:board"), {"tab": tab}).content.decode()
        return _row_pks(content), content

    assert rows("received")[0] == {received.pk}
    assert rows("sent_back")[0] == {sent_back.pk}
    assert rows("overdue")[0] == {overdue.pk}
    assert rows("extension")[0] == {extension.pk}
    assert rows("escalated")[0] == {escalated.pk}
    assert rows("supervised")[0] == {supervised.pk}
    replied, content = rows("replied")
    assert replied == {fresh_reply.pk, old_reply.pk}
    # Only the reply older than the five-working-day rating window is marked for a return visit.
    assert content.count('data-testid="return-visit"') == 1
    marked = content.split('data-testid="return-visit"')[0].rsplit('data-pk="', 1)[1].split('"')[0]
    assert int(marked) == old_reply.pk
    counts = [
        _tab_count(content, k)
        for k in ("received", "sent_back", "overdue", "extension", "escalated", "replied", "supervised")
    ]
    assert counts == [1, 1, 1, 1, 1, 2, 1]


def _received(world: World, n: int) -> list[Demand]:
    return [make_demand(world, DemandState.RECEIVED, description=f"第{i}件诉求") for i in range(n)]


def test_bulk_assign_assigns_three_and_reports_the_stale_one_with_the_colleagues_name(world: World) -> None:
    demands = _received(world, 4)
    office = world.user(Role.SERVICE_OFFICE)
    colleague = world.user(Role.LEADER)
    data: dict[str, Any] = {
        "demands": [d.pk for d in demands],
        "department": world.home.department.pk,
        "workdays_limit": 5,
        **{f"v{d.pk}": d.version for d in demands},
    }
    # A colleague assigns the last one while the page is open.
    actions.assign_demand(
        demand=demands[3],
        actor=colleague,
        expected_version=demands[3].version,
        department=world.home.department,
        workdays_limit=3,
    )
    response = client_for(office).post(reverse("demands:bulk_assign"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "已交办 3 件" in content
    assert content.count('data-testid="failed-row"') == 1
    assert str(colleague) in content
    for d in demands[:3]:
        d.refresh_from_db()
        assert d.state == DemandState.ASSIGNED
        assert d.lead_department == world.home.department
        assert d.deadline_workdays == 5
        assert d.last_actor == office
    demands[3].refresh_from_db()
    assert demands[3].deadline_workdays == 3  # the colleague's assignment stands


def test_bulk_assign_reports_a_demand_no_longer_received_with_its_state(world: World) -> None:
    demand = make_demand(world, DemandState.CLOSED)
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("demands:bulk_assign"),
        {
            "demands": [demand.pk],
            f"v{demand.pk}": demand.version,
            "department": world.home.department.pk,
            "workdays_limit": 5,
        },
    )
    content = response.content.decode()
    assert "已交办 0 件" in content
    assert "已办结" in content


def test_bulk_assign_by_category_default_uses_each_demands_routing(world: World) -> None:
    from ..models import CategoryRouting

    CategoryRouting.objects.create(
        category=category(),
        jurisdiction=world.home.park,
        department=world.home.department,
        deadline_workdays=7,
    )
    demands = _received(world, 2)
    unrouted = make_demand(world, DemandState.RECEIVED, category=category("用地需求"))
    payload: dict[str, Any] = {
        "demands": [d.pk for d in [*demands, unrouted]],
        "use_default": "on",
        **{f"v{d.pk}": d.version for d in [*demands, unrouted]},
    }
    content = (
        client_for(world.user(Role.SERVICE_OFFICE))
        .post(reverse("demands:bulk_assign"), payload)
        .content.decode()
    )
    assert "已交办 2 件" in content
    assert "未配置默认牵头部门" in content
    for d in demands:
        d.refresh_from_db()
        assert (d.state, d.lead_department_id, d.deadline_workdays) == (
            DemandState.ASSIGNED,
            world.home.department.pk,
            7,
        )
    unrouted.refresh_from_db()
    assert unrouted.state == DemandState.RECEIVED


def test_bulk_assign_without_department_or_limit_shows_field_errors_and_assigns_nothing(world: World) -> None:
    demands = _received(world, 2)
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("demands:bulk_assign"),
        {
            "demands": [d.pk for d in demands],
            "workdays_limit": "",
            **{f"v{d.pk}": d.version for d in demands},
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-error-for="department"' in content
    assert 'data-error-for="workdays_limit"' in content
    assert content.count(" checked>") == 2  # the ticks are kept
    assert Demand.objects.filter(state=DemandState.RECEIVED).count() == 2


def test_bulk_assign_with_nothing_ticked_says_so(world: World) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("demands:bulk_assign"), {"department": world.home.department.pk, "workdays_limit": 5}
    )
    assert response.status_code == 200
    assert "请勾选要交办的诉求" in response.content.decode()


# --- Filters, search, export -----------------------------------------------------------------


def test_filters_and_search_narrow_the_rows(world: World) -> None:
    loan = make_demand(world, DemandState.RECEIVED, description="贷款审批进度慢")
    land = make_demand(
        world,
        DemandState.RECEIVED,
        description="新厂房用地指标不足",
        category=category("用地需求"),
        channel=Channel.HOTLINE,
    )
    late = make_demand(
        world, DemandState.HANDLING, description="电力增容", due_on=today() - dt.timedelta(days=3)
    )
    legacy = make_demand(world, DemandState.CLOSED, description="历史欠薪问题", is_legacy=True)
    old = make_demand(
        world,
        DemandState.RECEIVED,
        description="道路破损",
        received_at=dt.datetime(2024, 5, 1, 9, tzinfo=SHANGHAI),
    )
    client = client_for(world.user(Role.LEADER))

    def rows(**params: str) -> set[int]:
        response = client.get(reverse("demands:list"), params)
        assert response.status_code == 200
        return _row_pks(response.content.decode())

    assert rows() == {loan.pk, land.pk, late.pk, legacy.pk, old.pk}
    assert rows(q="用地") == {land.pk}
    assert rows(q="贷款 审批") == {loan.pk}
    assert rows(category=str(category("用地需求").pk)) == {land.pk}
    assert rows(channel=Channel.HOTLINE) == {land.pk}
    assert rows(overdue="true") == {late.pk}
    assert rows(legacy="true") == {legacy.pk}
    assert rows(state=DemandState.CLOSED) == {legacy.pk}
    assert rows(received_to="2024-12-31") == {old.pk}
    assert old.pk not in rows(received_from="2025-01-01")
    assert rows(department=str(world.home.department.pk)) == {late.pk, legacy.pk}
    # A mangled filter is dropped with a message; the others still apply.
    response = client.get(reverse("demands:list"), {"department": "abc", "q": "用地"})
    assert _row_pks(response.content.decode()) == {land.pk}
    assert 'data-testid="filter-problem"' in response.content.decode()


def test_other_parks_demand_never_lists(world: World) -> None:
    other = make_demand(
        world,
        jurisdiction=world.other.park,
        enterprise=world.other.enterprise,
        liaison=world.other.liaison_staff,
    )
    content = client_for(world.user(Role.LEADER)).get(reverse("demands:list")).content.decode()
    assert other.pk not in _row_pks(content)


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    return list(
        load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True)
    )


def test_export_holds_exactly_the_filtered_rows(world: World) -> None:
    land = make_demand(
        world, DemandState.RECEIVED, description="新厂房用地指标不足", category=category("用地需求")
    )
    make_demand(world, DemandState.RECEIVED, description="贷款审批进度慢")
    sheet = _sheet(
        client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("demands:list_export"), {"q": "用地"})
    )
    assert sheet[0][0] == "编号"
    assert [row[0] for row in sheet[1:]] == [land.pk]
    assert sheet[1][2] == world.home.enterprise.name
    assert sheet[1][6] == "已受理"


def test_board_export_follows_the_tab(world: World) -> None:
    received = make_demand(world, DemandState.RECEIVED)
    escalated = make_demand(world, DemandState.ESCALATED)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    assert [r[0] for r in _sheet(client.get(reverse("demands:board_export")))[1:]] == [received.pk]
    assert [r[0] for r in _sheet(client.get(reverse("demands:board_export"), {"tab": "escalated"}))[1:]] == [
        escalated.pk
    ]


# --- Legacy problems ---------------------------------------------------------------------------


def test_legacy_page_shows_clearing_progress_by_department(world: World) -> None:
    science = Department.objects.create(jurisdiction=world.home.park, name="科技局")
    for _ in range(3):
        make_demand(world, DemandState.CLOSED, is_legacy=True, outcome=Outcome.SOLVED)
    make_demand(world, DemandState.ESCALATED, is_legacy=True)
    open_science = make_demand(world, DemandState.HANDLING, is_legacy=True, lead_department=science)
    make_demand(world, DemandState.HANDLING)  # not a legacy problem
    make_demand(
        world,
        DemandState.HANDLING,
        is_legacy=True,
        jurisdiction=world.other.park,
        enterprise=world.other.enterprise,
    )
    response = client_for(world.user(Role.LEADER)).get(reverse("demands:legacy"))
    content = response.content.decode()
    for figure, value in (("total", "5"), ("cleared", "3"), ("open", "2"), ("percent", "60.0%")):
        assert f'data-figure="{figure}">{value}<' in content, figure
    table = content.split('data-testid="legacy-departments"')[1].split("</table>")[0]
    assert "科技局" in table and "经济发展局" in table
    assert "75.0%" in table  # 经济发展局: 3 of 4 cleared
    rows = content.split('data-testid="demand-table"')[1]
    pks = [int(p.split('"', 1)[0]) for p in rows.split('data-pk="')[1:]]
    assert len(pks) == 5
    assert open_science.pk in pks[:2]  # open ones first


def test_legacy_page_with_no_legacy_problem_is_fully_cleared(world: World) -> None:
    content = client_for(world.user(Role.LEADER)).get(reverse("demands:legacy")).content.decode()
    assert 'data-figure="percent">100.0%<' in content


def test_list_rows_link_to_nothing_broken_for_another_enterprise(world: World) -> None:
    """A row for an enterprise without a liaison still renders (no liaison, no department)."""
    bare = make_enterprise(world.home.park, "韶山无联企干部商行")
    demand = make_demand(world, DemandState.RECEIVED, enterprise=bare, liaison=None)
    content = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("demands:list")).content.decode()
    assert demand.pk in _row_pks(content)


def test_a_board_search_offers_the_register_for_closed_demands(world: World) -> None:
    make_demand(world, DemandState.CLOSED, description="光伏屋顶并网手续")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    board = client.get(reverse("demands:board"), {"q": "光伏"}).content.decode()
    assert "光伏屋顶并网手续" not in board  # the board holds open work only …
    link = reverse("demands:list") + "?q=%E5%85%89%E4%BC%8F"
    assert f'href="{link}"' in board and "含已办结" in board
    assert "光伏屋顶并网手续" in client.get(link).content.decode()  # … the register finds it
    assert 'data-testid="search-closed"' not in client.get(reverse("demands:board")).content.decode()


def test_liaison_filter_is_a_picker_holding_only_the_chosen(world: World) -> None:
    """Hundreds of liaisons are searched through `org:pick_staff`; the page renders none of
    them but the one chosen, and never another park's."""
    liaison, other = world.home.liaison_staff, world.other.liaison_staff
    for role, name in ((Role.DEPARTMENT_HANDLER, "demands:inbox"), (Role.SERVICE_OFFICE, "demands:board")):
        client = client_for(world.user(role))
        plain = client.get(reverse(name)).content.decode()
        assert f'data-picker="{reverse("org:pick_staff")}"' in plain
        assert liaison.name not in plain
        chosen = client.get(reverse(name), {"liaison": liaison.pk}).content.decode()
        assert f'<option value="{liaison.pk}" selected>{liaison.name}</option>' in chosen
        assert other.name not in client.get(reverse(name), {"liaison": other.pk}).content.decode()
