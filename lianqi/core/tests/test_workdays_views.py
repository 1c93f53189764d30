"""The working-day calendar pages: who may open and who may change them, entering a newly
announced year by pasting lines, the month grid, the warning banner and the deadline calculator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from lianqi.core import calendar_store, workdays
from lianqi.core.models import CalendarSource, CalendarYear, SpecialDay
from lianqi.core.roles import Role
from lianqi.testing.browser import PHONE, log_in, new_page, screenshot
from lianqi.testing.contracts import PageContract
from lianqi.testing.world import PASSWORD, World

D = dt.date
LAST_YEAR = workdays.package_years()[-1]
NEW_YEAR = LAST_YEAR + 1
READ = (Role.ADMIN, Role.SERVICE_OFFICE)


def new_year_text(year: int = NEW_YEAR) -> str:
    first = D(year, 1, 1)
    saturday = first + dt.timedelta(days=(5 - first.weekday()) % 7 + 7)
    return f"{year}-01-01 元旦 休\n{year}/1/2 元旦 休\n\n# 调休\n{saturday:%Y-%m-%d} 元旦 班\n"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Contracts: one per page and endpoint ----------------------------------------------------


class TestYearListContract(PageContract):
    allowed_roles = READ
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return "/workdays/"


class TestYearPageContract(PageContract):
    allowed_roles = READ
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return "/workdays/2025/"


class TestEnterPageContract(PageContract):
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE

    def url(self, world: World) -> str:
        return "/workdays/enter/"


class TestEnterPostContract(PageContract):
    method = "post"
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return "/workdays/enter/"

    def data(self, world: World) -> dict[str, Any]:
        return {"year": NEW_YEAR, "lines": new_year_text(), "note": ""}


class TestDaySetContract(PageContract):
    method = "post"
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return "/workdays/2025/days/"

    def data(self, world: World) -> dict[str, Any]:
        return {"day": "2025-03-10", "kind": "holiday", "name": "园区停电"}


class TestDayRemoveContract(PageContract):
    method = "post"
    allowed_roles = (Role.ADMIN,)
    denied_role = Role.SERVICE_OFFICE
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return "/workdays/2025/days/2025-01-26/remove/"


# --- Only the administrator changes the table ------------------------------------------------


@pytest.mark.parametrize("role", [Role.SERVICE_OFFICE, Role.LEADER, Role.LIAISON, Role.DEPARTMENT_HANDLER])
def test_other_roles_cannot_edit(world: World, role: str) -> None:
    client = client_for(world.user(role))
    count = SpecialDay.objects.count()
    responses = [
        client.post("/workdays/enter/", {"year": NEW_YEAR, "lines": new_year_text()}),
        client.post("/workdays/2025/days/", {"day": "2025-03-10", "kind": "holiday"}),
        client.post("/workdays/2025/days/2025-01-26/remove/"),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert SpecialDay.objects.count() == count
    assert not CalendarYear.objects.filter(year=NEW_YEAR).exists()


def test_the_service_office_sees_the_calendar_without_edit_controls(world: World) -> None:
    page = client_for(world.user(Role.SERVICE_OFFICE)).get("/workdays/2025/").content.decode()
    assert 'data-day="2025-01-28" data-kind="holiday"' in page
    assert "remove-day" not in page and 'name="kind"' not in page
    admin_page = client_for(world.user(Role.ADMIN)).get("/workdays/2025/").content.decode()
    assert "remove-day" in admin_page and 'name="kind"' in admin_page


def test_the_calendar_is_shared_by_every_park(world: World) -> None:
    # National reference data: the other park's office sees the same table.
    page = client_for(world.other_user(Role.SERVICE_OFFICE)).get("/workdays/2025/").content.decode()
    assert 'data-day="2025-02-08" data-kind="workday"' in page


# --- Pages -----------------------------------------------------------------------------------


def test_year_list_counts_each_year(world: World) -> None:
    page = client_for(world.user(Role.SERVICE_OFFICE)).get("/workdays/").content.decode()
    for year in (2004, 2025, LAST_YEAR):
        assert f'data-year="{year}"' in page
    holidays_2025 = SpecialDay.objects.filter(day__year=2025, kind="holiday").count()
    row = page.split('data-year="2025"')[1].split("</tr>")[0]
    assert f">{holidays_2025}<" in row


def test_year_page_grid_marks_spring_festival(world: World) -> None:
    page = client_for(world.user(Role.ADMIN)).get("/workdays/2025/").content.decode()
    for day in ("2025-01-28", "2025-02-01", "2025-02-04"):
        assert f'data-day="{day}" data-kind="holiday"' in page
    assert 'data-day="2025-01-26" data-kind="workday"' in page
    assert 'data-day="2025-02-05" data-kind="weekday"' in page
    assert 'data-day="2025-03-01" data-kind="weekend"' in page
    assert page.count('class="wd-month"') == 12


def test_a_year_without_data_says_so(world: World) -> None:
    page = client_for(world.user(Role.ADMIN)).get(f"/workdays/{NEW_YEAR}/").content.decode()
    assert 'data-testid="year-not-loaded"' in page
    assert f"/workdays/enter/?year={NEW_YEAR}" in page


def test_a_year_out_of_range_is_404(world: World) -> None:
    assert client_for(world.user(Role.ADMIN)).get("/workdays/1800/").status_code == 404


def test_deadline_calculator(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    page = client.get("/workdays/", {"start": "2025-01-24", "n": "3"}).content.decode()
    assert "2025-02-05" in page.split('data-testid="deadline-result"')[1]
    bad = client.get("/workdays/", {"start": "2025-13-40", "n": "3"})
    assert bad.status_code == 200
    assert 'data-error-for="start"' in bad.content.decode()
    beyond = client.get("/workdays/", {"start": f"{NEW_YEAR}-03-02", "n": "3"}).content.decode()
    assert "已按周一至周五计算" in beyond


# --- Entering a newly announced year through the page ----------------------------------------


class TestEnterYearPage:
    def test_pasted_lines_are_saved(self, world: World) -> None:
        admin = world.user(Role.ADMIN)
        response = client_for(admin).post(
            "/workdays/enter/", {"year": NEW_YEAR, "lines": new_year_text(), "note": "国办发明电〔x〕号"}
        )
        assert response.status_code == 302
        assert response["Location"] == f"/workdays/{NEW_YEAR}/"
        rows = SpecialDay.objects.filter(day__year=NEW_YEAR).order_by("day")
        assert [(r.kind, r.name, r.source, r.changed_by) for r in rows][:2] == [
            ("holiday", "元旦", CalendarSource.MANUAL, admin)
        ] * 2
        assert rows.count() == 3
        assert rows.last().kind == "workday"  # type: ignore[union-attr]
        assert CalendarYear.objects.get(year=NEW_YEAR).note == "国办发明电〔x〕号"

    def test_a_range_line_gives_every_day(self, world: World) -> None:
        text = f"{NEW_YEAR}-10-01~{NEW_YEAR}-10-07 国庆节 休\n{NEW_YEAR}-05-01 至 {NEW_YEAR}-05-03 劳动节 休"
        response = client_for(world.user(Role.ADMIN)).post(
            "/workdays/enter/", {"year": NEW_YEAR, "lines": text}
        )
        assert response.status_code == 302
        assert SpecialDay.objects.filter(day__year=NEW_YEAR, name="国庆节").count() == 7
        assert SpecialDay.objects.filter(day__year=NEW_YEAR, name="劳动节").count() == 3

    @pytest.mark.parametrize(
        ("bad_line", "words"),
        [
            (f"{NEW_YEAR}-13-01 元旦 休", ["第 2 行", "无效"]),
            (f"{NEW_YEAR + 1}-01-05 元旦 休", ["第 2 行", f"不在 {NEW_YEAR} 年内"]),
            (f"{NEW_YEAR}-01-01 元旦 放风", ["第 2 行", "放风"]),
            (f"{NEW_YEAR}-01-01 元旦 休", ["第 2 行", "与第 1 行重复"]),
            (f"{NEW_YEAR}-01-01", ["第 2 行", "缺少类型"]),
        ],
    )
    def test_a_bad_line_is_named_and_nothing_is_saved(
        self, world: World, bad_line: str, words: list[str]
    ) -> None:
        text = f"{NEW_YEAR}-01-01 元旦 休\n{bad_line}\n{NEW_YEAR}-01-02 元旦 休"
        response = client_for(world.user(Role.ADMIN)).post(
            "/workdays/enter/", {"year": NEW_YEAR, "lines": text}
        )
        assert response.status_code == 400
        page = response.content.decode()
        errors = " ".join(page.split('data-error-for="lines"')[1:])
        for word in words:
            assert word in errors
        assert f"{NEW_YEAR}-01-02 元旦 休" in page  # what was typed is still in the form
        assert not SpecialDay.objects.filter(day__year=NEW_YEAR).exists()
        assert not CalendarYear.objects.filter(year=NEW_YEAR).exists()

    def test_a_swapped_workday_on_a_weekday_is_refused(self, world: World) -> None:
        monday = D(NEW_YEAR, 1, 4)
        while monday.weekday() != 0:
            monday += dt.timedelta(days=1)
        text = f"{monday:%Y-%m-%d} 春节 班"
        response = client_for(world.user(Role.ADMIN)).post(
            "/workdays/enter/", {"year": NEW_YEAR, "lines": text}
        )
        assert response.status_code == 400
        assert "调休上班日应是周六或周日" in response.content.decode()

    def test_an_entered_year_needs_replace(self, world: World) -> None:
        client = client_for(world.user(Role.ADMIN))
        count = SpecialDay.objects.filter(day__year=2025).count()
        response = client.post("/workdays/enter/", {"year": 2025, "lines": "2025-01-01 元旦 休"})
        assert response.status_code == 400
        assert 'data-error-for="year"' in response.content.decode()
        assert SpecialDay.objects.filter(day__year=2025).count() == count
        response = client.post(
            "/workdays/enter/", {"year": 2025, "lines": "2025-01-01 元旦 休", "replace": "on"}
        )
        assert response.status_code == 302
        assert SpecialDay.objects.filter(day__year=2025).count() == 1

    def test_the_form_suggests_the_missing_year(self, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D(LAST_YEAR, 11, 20))
        page = client_for(world.user(Role.ADMIN)).get("/workdays/enter/").content.decode()
        assert f'value="{NEW_YEAR}"' in page


# --- Editing one day through the page, and the cache -----------------------------------------


def test_a_day_added_on_the_page_changes_the_next_deadline(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    query = {"start": "2025-03-07", "n": "1"}
    before = client.get("/workdays/", query).content.decode().split('data-testid="deadline-result"')[1]
    assert "2025-03-10" in before
    response = client.post(
        "/workdays/2025/days/", {"day": "2025-03-10", "kind": "holiday", "name": "园区停电"}
    )
    assert response.status_code == 302
    after = client.get("/workdays/", query).content.decode().split('data-testid="deadline-result"')[1]
    assert "2025-03-11" in after
    client.post("/workdays/2025/days/2025-03-10/remove/")
    again = client.get("/workdays/", query).content.decode().split('data-testid="deadline-result"')[1]
    assert "2025-03-10" in again


def test_a_day_of_another_year_is_refused_next_to_the_field(world: World) -> None:
    response = client_for(world.user(Role.ADMIN)).post(
        "/workdays/2025/days/", {"day": "2024-03-10", "kind": "holiday"}
    )
    assert response.status_code == 400
    assert "不在 2025 年内" in response.content.decode().split('data-error-for="day"')[1]
    assert not SpecialDay.objects.filter(day=D(2024, 3, 10)).exists()


def test_removing_a_day_from_the_wrong_year_is_404(world: World) -> None:
    client = client_for(world.user(Role.ADMIN))
    assert client.post("/workdays/2024/days/2025-01-26/remove/").status_code == 404
    assert client.post("/workdays/2025/days/not-a-date/remove/").status_code == 404
    assert SpecialDay.objects.filter(day=D(2025, 1, 26)).exists()


# --- The warning banner ----------------------------------------------------------------------


def test_warning_banner_names_the_missing_year(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    at = D(LAST_YEAR, 11, 20)
    html = render_to_string(
        "core/workdays_warning.html", calendar_store.warning_context(at=at, user=world.user(Role.LIAISON))
    )
    assert str(NEW_YEAR) in html and "周一至周五" in html
    assert "/workdays/" not in html  # a liaison cannot open the calendar page
    quiet = render_to_string(
        "core/workdays_warning.html", calendar_store.warning_context(at=D(LAST_YEAR, 6, 1))
    )
    assert "workdays-warning" not in quiet

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: at)
    page = client_for(world.user(Role.SERVICE_OFFICE)).get("/workdays/").content.decode()
    assert 'data-testid="workdays-warning"' in page
    assert f'data-year="{NEW_YEAR}"' in page and "未录入" in page


def test_the_menu_shows_the_calendar_to_the_office_only(world: World) -> None:
    office = client_for(world.user(Role.SERVICE_OFFICE)).get("/workdays/").content.decode()
    assert 'href="/workdays/"' in office.split('data-testid="nav"')[1]
    liaison = client_for(world.user(Role.LIAISON)).get("/").content.decode()
    assert 'href="/workdays/"' not in liaison


# --- In a real browser -----------------------------------------------------------------------


@pytest.mark.browser
def test_the_calendar_on_a_phone(browser: Any, live_server: Any, world: World) -> None:
    from playwright.sync_api import expect

    from lianqi.core import actions

    # A transactional test may have emptied the table before this one: make sure it is there.
    actions.load_package(years=[2025])
    admin = world.user(Role.ADMIN)
    page = new_page(browser, live_server.url, PHONE)
    log_in(page, admin.username, PASSWORD, "/workdays/2025/")
    expect(page.locator("h2.page-title")).to_contain_text("2025")
    holiday = page.locator('span[data-day="2025-01-29"]')
    expect(holiday).to_have_attribute("data-kind", "holiday")
    expect(page.locator('span[data-day="2025-02-08"]')).to_have_attribute("data-kind", "workday")
    # The grid fits the phone's width: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "workdays-year-phone")

    page.goto("/workdays/enter/")
    page.fill("#id_year", str(NEW_YEAR))
    page.fill("#id_lines", f"{NEW_YEAR}-01-01 元旦 休\n{NEW_YEAR}-02-30 春节 休")
    page.click("[data-testid=enter-year-form] button[type=submit]")
    expect(page.locator('[data-error-for="lines"]')).to_contain_text("第 2 行")
    screenshot(page, "workdays-enter-error-phone")
    page.fill("#id_lines", f"{NEW_YEAR}-01-01 元旦 休")
    page.click("[data-testid=enter-year-form] button[type=submit]")
    expect(page.locator(f'span[data-day="{NEW_YEAR}-01-01"]').first).to_have_attribute("data-kind", "holiday")


def test_staff_home_warns_while_this_year_is_missing_and_enterprises_are_not_bothered(world: World) -> None:
    this_year = timezone.localdate().year
    CalendarYear.objects.filter(year=this_year).delete()
    SpecialDay.objects.filter(day__year=this_year).delete()
    leader_home = client_for(world.user(Role.LEADER)).get("/").content.decode()
    assert 'data-testid="workdays-warning"' in leader_home
    assert str(this_year) in leader_home.split('data-testid="workdays-warning"')[1][:400]
    enterprise_home = client_for(world.user(Role.ENTERPRISE)).get("/").content.decode()
    assert 'data-testid="workdays-warning"' not in enterprise_home
