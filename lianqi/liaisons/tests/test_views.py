"""The liaison pages: one contract per page (scoping, roles), then what a user does on each."""

from __future__ import annotations

import io
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.excel import XLSX_CONTENT_TYPE
from lianqi.core.models import Job
from lianqi.core.roles import Role
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Enterprise
from lianqi.liaisons import actions
from lianqi.liaisons.choices import AssignmentMethod
from lianqi.liaisons.models import LiaisonChange
from lianqi.org.choices import StaffTier
from lianqi.org.models import Staff
from lianqi.testing.contracts import ListPageContract, ObjectPageContract, PageContract
from lianqi.testing.world import World

from .helpers import enterprise, staff, xlsx

OFFICE = (Role.SERVICE_OFFICE, Role.ADMIN)
VIEWERS = (Role.LEADER, *OFFICE)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class XlsxAsText:
    """Read a downloaded workbook as the text of its cells, so the list contract can look for
    the home park's rows in it."""

    def request(self, client: Client, world: World) -> Any:
        response = super().request(client, world)  # type: ignore[misc]
        if response.status_code == 200:
            assert response["Content-Type"] == XLSX_CONTENT_TYPE
            sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
            cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
            response.content = "\n".join(cells).encode()
        return response


# --- Contracts ----------------------------------------------------------------------------------


class TestCoverageContract(ListPageContract):
    allowed_roles = VIEWERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("liaisons:coverage")

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


class TestCoverageExportContract(XlsxAsText, ListPageContract):
    allowed_roles = VIEWERS
    denied_role = Role.DEPARTMENT_HANDLER

    def url(self, world: World) -> str:
        return reverse("liaisons:coverage_export")

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


class TestAssignContract(ObjectPageContract):
    allowed_roles = OFFICE
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("liaisons:assign", args=[world.home.enterprise.pk])


class TestBulkContract(ListPageContract):
    allowed_roles = OFFICE
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("liaisons:bulk")


class TestImportContract(PageContract):
    allowed_roles = OFFICE
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("liaisons:import")


class TestImportTemplateContract(XlsxAsText, ListPageContract):
    allowed_roles = OFFICE
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("liaisons:import_template")


class TestImportPreviewContract(ObjectPageContract):
    allowed_roles = OFFICE
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        job = actions.stage_liaison_import(
            actor=world.user(Role.SERVICE_OFFICE),
            source=xlsx(["统一社会信用代码", "联企干部"], [[world.home.enterprise.credit_code, "无此人"]]),
            original_name="a.xlsx",
        )
        return reverse("liaisons:import_preview", args=[job.pk])


class TestRulesContract(ListPageContract):
    allowed_roles = OFFICE
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("liaisons:rules")

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


class TestHandoverContract(ObjectPageContract):
    allowed_roles = OFFICE
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("liaisons:handover", args=[world.home.liaison_staff.pk])


# --- Coverage -----------------------------------------------------------------------------------


def test_coverage_is_green_only_when_nothing_is_uncovered(world: World) -> None:
    leader = client_for(world.user(Role.LEADER))
    page = leader.get(reverse("liaisons:coverage")).content.decode()
    assert "bg-green-lt" in page and 'data-testid="uncovered-list"' not in page
    # A leader may look but not act.
    assert reverse("liaisons:rules") not in page

    firm = enterprise(world.home, "尚无联企干部的公司")
    page = leader.get(reverse("liaisons:coverage")).content.decode()
    assert "bg-red-lt" in page and firm.name in page
    assert world.other.enterprise.name not in page

    office_page = (
        client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("liaisons:coverage")).content.decode()
    )
    assert reverse("liaisons:assign", args=[firm.pk]) in office_page


def test_coverage_flags_staff_who_left_still_holding_and_overloaded_liaisons(world: World) -> None:
    home = world.home
    for i in range(7):
        enterprise(home, f"重负载企业{i}", liaison=home.liaison_staff)
    for name in ("轻负载甲", "轻负载乙"):
        enterprise(home, f"{name}的企业", liaison=staff(home, name))
    gone = staff(home, "已离岗仍联系", is_active=False)
    enterprise(home, "被遗忘的企业", liaison=gone)

    page = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("liaisons:coverage")).content.decode()

    assert 'data-testid="left-holding"' in page
    assert reverse("liaisons:handover", args=[gone.pk]) in page
    assert page.count('data-overloaded="1"') == 1
    assert "被遗忘的企业" in page  # its liaison has left: it counts as uncovered


def test_load_table_sorts_and_exports(world: World) -> None:
    home = world.home
    busy = staff(home, "甲忙碌")
    for i in range(3):
        enterprise(home, f"企业{i}", liaison=busy)
    client = client_for(world.user(Role.LEADER))

    by_load = client.get(reverse("liaisons:coverage"), {"sort": "-load"}).content.decode()
    by_name = client.get(reverse("liaisons:coverage"), {"sort": "name"}).content.decode()
    assert by_load.index("甲忙碌") < by_load.index(home.liaison_staff.name)
    assert by_name.index(home.liaison_staff.name) < by_name.index("甲忙碌")

    response = client.get(reverse("liaisons:coverage_export"), {"sort": "-load"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "联企干部"
    assert rows[1][0] == "甲忙碌" and rows[1][5] == 3


# --- By hand ------------------------------------------------------------------------------------


def test_assign_by_hand_records_the_change_and_shows_it(world: World) -> None:
    firm = world.home.enterprise
    successor = staff(world.home, "新任干部")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("liaisons:assign", args=[firm.pk])

    # The form's picker finds the successor, and never the other park's cadre.
    form_page = client.get(url).content.decode()
    assert f'data-picker="{reverse("liaisons:pick")}"' in form_page
    found = client.get(reverse("liaisons:pick"), {"q": "干部"}).content.decode()
    assert "新任干部" in found and world.other.liaison_staff.name not in found

    response = client.post(url, {"staff": successor.pk, "reason": "原干部调岗"})

    assert response.status_code == 302
    assert Enterprise.objects.get(pk=firm.pk).liaison == successor
    page = client.get(url).content.decode()
    assert "原干部调岗" in page and "手工指定" in page


def test_assign_refuses_staff_of_another_park_or_who_left_next_to_the_field(world: World) -> None:
    firm = world.home.enterprise
    gone = staff(world.home, "离岗者", is_active=False)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("liaisons:assign", args=[firm.pk])

    for candidate in (world.other.liaison_staff, gone):
        response = client.post(url, {"staff": candidate.pk, "reason": "保留这段文字"})
        assert response.status_code == 200
        page = response.content.decode()
        assert 'data-error-for="staff"' in page and "保留这段文字" in page
    assert Enterprise.objects.get(pk=firm.pk).liaison == world.home.liaison_staff
    assert not LiaisonChange.objects.exists()


# --- In bulk ------------------------------------------------------------------------------------


def test_bulk_assign_ticked_enterprises(world: World) -> None:
    a, b, c = (enterprise(world.home, f"批量{i}") for i in "甲乙丙")
    target = staff(world.home, "批量干部")
    client = client_for(world.user(Role.SERVICE_OFFICE))

    response = client.post(
        reverse("liaisons:bulk"),
        {"scope": "selected", "ids": [a.pk, c.pk], "staff": target.pk, "reason": "调整"},
    )

    assert response.status_code == 302
    assert [Enterprise.objects.get(pk=x.pk).liaison_id for x in (a, b, c)] == [target.pk, None, target.pk]
    assert set(LiaisonChange.objects.values_list("method", flat=True)) == {AssignmentMethod.BULK}


def test_bulk_assign_all_matching_a_filter(world: World) -> None:
    shops = [enterprise(world.home, f"门店{i}", kind=EnterpriseKind.SHOP) for i in range(3)]
    firm = enterprise(world.home, "大型制造公司")
    enterprise(world.other, "经开区门店", kind=EnterpriseKind.SHOP)
    target = staff(world.home, "门店干部")
    client = client_for(world.user(Role.SERVICE_OFFICE))

    listing = client.get(reverse("liaisons:bulk"), {"kind": "shop"}).content.decode()
    assert all(s.name in listing for s in shops) and firm.name not in listing and "经开区门店" not in listing

    response = client.post(
        reverse("liaisons:bulk"), {"kind": "shop", "scope": "all", "expected": 3, "staff": target.pk}
    )

    assert response.status_code == 302 and "kind=shop" in response["Location"]
    assert Enterprise.objects.filter(liaison=target).count() == 3
    assert Enterprise.objects.get(pk=firm.pk).liaison_id is None


def test_bulk_assign_refuses_another_parks_enterprise_and_changes_nothing(world: World) -> None:
    mine = enterprise(world.home, "本园企业")
    target = staff(world.home, "批量干部")
    client = client_for(world.user(Role.SERVICE_OFFICE))

    response = client.post(
        reverse("liaisons:bulk"),
        {"scope": "selected", "ids": [mine.pk, world.other.enterprise.pk], "staff": target.pk},
    )

    assert response.status_code == 200
    assert 'data-error-for="ids"' in response.content.decode()
    assert Enterprise.objects.get(pk=mine.pk).liaison_id is None
    assert Enterprise.objects.get(pk=world.other.enterprise.pk).liaison == world.other.liaison_staff


def test_bulk_assign_needs_a_choice_of_enterprises(world: World) -> None:
    target = staff(world.home, "批量干部")
    response = client_for(world.user(Role.ADMIN)).post(
        reverse("liaisons:bulk"), {"scope": "selected", "staff": target.pk}
    )
    assert response.status_code == 200
    assert "请至少勾选一家企业" in response.content.decode()


# --- From Excel ---------------------------------------------------------------------------------


def test_import_upload_preview_and_apply(world: World) -> None:
    home = world.home
    firm = enterprise(home, "待导入企业")
    cadre = staff(home, "导入干部")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    upload = xlsx(
        ["统一社会信用代码", "联企干部"],
        [[firm.credit_code, "导入干部"], [world.other.enterprise.credit_code, "导入干部"]],
    )

    response = client.post(reverse("liaisons:import"), {"file": upload})

    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "本辖区没有该统一社会信用代码的企业" in preview and "待导入企业" in preview
    assert Enterprise.objects.get(pk=firm.pk).liaison_id is None

    applied = client.post(response["Location"])
    assert applied.status_code == 302
    assert Enterprise.objects.get(pk=firm.pk).liaison == cadre
    assert Enterprise.objects.get(pk=world.other.enterprise.pk).liaison == world.other.liaison_staff
    assert Job.objects.get().status == Job.Status.DONE


def test_import_rejects_a_file_that_is_not_a_workbook_next_to_the_field(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    fake = io.BytesIO(b"not a workbook")
    fake.name = "名单.xlsx"
    response = client.post(reverse("liaisons:import"), {"file": fake})
    assert response.status_code == 200
    assert 'data-error-for="file"' in response.content.decode()

    csv = io.BytesIO(b"a,b")
    csv.name = "名单.csv"
    response = client.post(reverse("liaisons:import"), {"file": csv})
    assert ".xlsx" in response.content.decode()


def test_import_template_lists_the_parks_enterprises_for_re_upload(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.get(reverse("liaisons:import_template"))
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("统一社会信用代码", "企业名称", "联企干部", "联企干部手机号")
    assert rows[1][:3] == (
        world.home.enterprise.credit_code,
        world.home.enterprise.name,
        world.home.liaison_staff.name,
    )

    # The downloaded file, re-uploaded unchanged, is accepted and changes nothing.
    upload = io.BytesIO(response.content)
    upload.name = "template.xlsx"
    staged = client.post(reverse("liaisons:import"), {"file": upload})
    job = Job.objects.get()
    assert staged.status_code == 302
    assert job.result["errors"] == [] and job.result["unchanged"] == 1


# --- By rules -----------------------------------------------------------------------------------


def test_rules_preview_then_apply(world: World) -> None:
    firms = [enterprise(world.home, f"未覆盖{i}", kind=EnterpriseKind.BELOW_SIZE) for i in range(3)]
    client = client_for(world.user(Role.SERVICE_OFFICE))

    preview = client.get(reverse("liaisons:rules")).content.decode()
    assert all(f.name in preview for f in firms)
    assert "经济发展局" in preview  # the reason names the department whose industry matched
    assert not LiaisonChange.objects.exists()

    response = client.post(reverse("liaisons:rules"), {"only_uncovered": "on", "leader_quota": 5})

    assert response.status_code == 302
    assert Enterprise.objects.filter(pk__in=[f.pk for f in firms], liaison__isnull=True).count() == 0
    assert LiaisonChange.objects.filter(method=AssignmentMethod.RULE).count() == 3
    assert Enterprise.objects.get(pk=world.other.enterprise.pk).liaison == world.other.liaison_staff


def test_rules_preview_reports_a_bad_quota_next_to_the_field(world: World) -> None:
    response = client_for(world.user(Role.ADMIN)).get(reverse("liaisons:rules"), {"leader_quota": "-3"})
    assert response.status_code == 200
    assert 'data-error-for="leader_quota"' in response.content.decode()


# --- Handover -----------------------------------------------------------------------------------


def handover_setup(world: World) -> tuple[Staff, list[Staff], list[Enterprise]]:
    departing = world.home.liaison_staff
    colleagues = [staff(world.home, "同事甲"), staff(world.home, "同事乙")]
    firms = [world.home.enterprise] + [
        enterprise(world.home, f"移交企业{i}", liaison=departing) for i in range(3)
    ]
    return departing, colleagues, firms


def plan_fields(page: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'name="(plan_\d+)" value="(\d+)"', page))


def test_handover_spread_preview_then_confirm_keeps_coverage_complete(world: World) -> None:
    departing, _colleagues, _firms = handover_setup(world)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("liaisons:handover", args=[departing.pk])
    base = {"mode": "spread", "left_on": "2026-03-02", "reason": "调离"}

    preview = client.post(url, {**base, "step": "preview"})
    page = preview.content.decode()
    plan = plan_fields(page)
    assert len(plan) == 4 and "同事甲" in page and "同事乙" in page
    assert Staff.objects.get(pk=departing.pk).is_active  # the preview changes nothing

    response = client.post(url, {**base, "step": "confirm", **plan})

    assert response.status_code == 302
    assert not Staff.objects.get(pk=departing.pk).is_active
    assert not Enterprise.objects.filter(liaison=departing).exists()
    coverage = client.get(reverse("liaisons:coverage")).content.decode()
    assert 'data-testid="uncovered-count">0<' in coverage


def test_handover_confirm_with_one_enterprise_missing_changes_nothing(world: World) -> None:
    departing, colleagues, firms = handover_setup(world)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("liaisons:handover", args=[departing.pk])
    base = {"mode": "one", "successor": colleagues[0].pk, "left_on": "2026-03-02"}
    plan = plan_fields(client.post(url, {**base, "step": "preview"}).content.decode())
    assert len(plan) == 4
    plan.pop(f"plan_{firms[-1].pk}")

    response = client.post(url, {**base, "step": "confirm", **plan})

    assert response.status_code == 200
    assert "没有指定接替" in response.content.decode()
    assert Staff.objects.get(pk=departing.pk).is_active
    assert Enterprise.objects.filter(liaison=departing).count() == 4
    assert not LiaisonChange.objects.exists()


def test_handover_refuses_a_successor_from_another_park(world: World) -> None:
    departing, _colleagues, firms = handover_setup(world)
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("liaisons:handover", args=[departing.pk])
    base = {"mode": "one", "left_on": "2026-03-02", "step": "confirm"}
    forged = {f"plan_{f.pk}": str(world.other.liaison_staff.pk) for f in firms}

    response = client.post(url, {**base, "successor": world.other.liaison_staff.pk, **forged})
    assert response.status_code == 200
    assert 'data-error-for="successor"' in response.content.decode()
    assert Enterprise.objects.filter(liaison=departing).count() == 4


def test_handover_requires_a_successor_when_giving_all_to_one(world: World) -> None:
    departing, _colleagues, _firms = handover_setup(world)
    response = client_for(world.user(Role.ADMIN)).post(
        reverse("liaisons:handover", args=[departing.pk]),
        {"mode": "one", "left_on": "2026-03-02", "step": "preview"},
    )
    assert response.status_code == 200
    assert "请选择接替的干部" in response.content.decode()


def test_a_leader_holding_what_the_layout_gives_leaders_is_not_overloaded(world: World) -> None:
    home = world.home
    # Cadres hold one firm each; the park's leaders five each, as their tier's rule gives them.
    for i in range(6):
        enterprise(home, f"普通企业{i}", liaison=staff(home, f"干部{i}"))
    leaders = [staff(home, f"领导{i}", tier=StaffTier.LEADER) for i in range(3)]
    for leader in leaders:
        for i in range(5):
            enterprise(home, f"{leader.name}联系企业{i}", liaison=leader)
    busiest = staff(home, "领导超载", tier=StaffTier.LEADER)
    for i in range(12):
        enterprise(home, f"超载企业{i}", liaison=busiest)

    page = client_for(world.user(Role.SERVICE_OFFICE)).get(reverse("liaisons:coverage")).content.decode()
    flagged = re.findall(r'data-overloaded="1"[^>]*>.*?</tr>', page, re.S)
    assert len(flagged) == 1 and "领导超载" in flagged[0]
