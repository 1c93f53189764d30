"""The enterprise import: upload, preview, commit, and everything that must be refused."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lianqi.core.models import Job
from lianqi.core.roles import Role
from lianqi.enterprises import importing
from lianqi.enterprises.columns import ENTERPRISE_COLUMNS
from lianqi.enterprises.models import Enterprise, Tag
from lianqi.enterprises.permissions import EDIT_ROLES
from lianqi.liaisons.choices import AssignmentMethod
from lianqi.liaisons.models import LiaisonChange
from lianqi.org.models import Staff
from lianqi.testing.contracts import ListPageContract, ObjectPageContract, PageContract
from lianqi.testing.world import World

from .fixtures_import import JOB_FILE_NAME, fresh_code, home_job, row, upload, workbook

START = reverse("enterprises:import_start")


def office(world: World) -> Any:
    return world.user(Role.SERVICE_OFFICE)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def start(client: Client, content: bytes, capture: Any) -> Job:
    """Upload a workbook and run its validation; returns the job."""
    with capture(execute=True):
        response = client.post(START, {"file": upload(content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def commit(client: Client, job: Job, mode: str, capture: Any) -> Any:
    with capture(execute=True):
        response = client.post(reverse("enterprises:import_commit", args=[job.pk]), {"mode": mode})
    job.refresh_from_db()
    return response


def errors_of(job: Job) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for number, column, message in job.result["errors"]:
        found.setdefault(number, []).append((column, message))
    return found


# --- happy path --------------------------------------------------------------------------------


def test_import_creates_and_updates_with_tags_liaison_and_history(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Tag.objects.create(name="专精特新")
    Tag.objects.create(name="高新技术企业")
    user = office(world)
    existing = world.home.enterprise
    liaison = world.home.liaison_staff
    newcomer_liaison = Staff.objects.create(
        jurisdiction=world.home.park, name="王五", phone="139 0000 0002", department=world.home.department
    )
    content = workbook(
        [
            row(
                credit_code=existing.credit_code,
                name="湘潭高新区示范电缆股份有限公司",
                kind=existing.kind,
                tags="专精特新,高新技术企业",
                liaison_name=liaison.name,
            ),
            row(name="湘潭新导入电机有限公司", kind="above_size", tags="专精特新", liaison_name="王五"),
        ]
    )
    client = client_for(user)
    job = start(client, content, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.READY
    assert job.result["counts"] == {"total": 2, "new": 1, "update": 1, "bad": 0}
    assert Enterprise.objects.filter(name="湘潭新导入电机有限公司").count() == 0  # preview writes nothing

    page = client.get(reverse("enterprises:import_preview", args=[job.pk])).content.decode()
    assert (
        'data-testid="import-all"' in page
        and "disabled" not in page.split('data-testid="import-all"')[1][:20]
    )

    commit(client, job, importing.MODE_ALL, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    assert job.result["written"]["created"] == 1
    assert job.result["written"]["updated"] == 1

    existing.refresh_from_db()
    assert existing.name == "湘潭高新区示范电缆股份有限公司"
    assert "股份" in existing.search_text
    assert set(existing.tags.values_list("name", flat=True)) == {"专精特新", "高新技术企业"}
    last = existing.history.first()  # type: ignore[attr-defined]
    assert (last.history_user, last.history_type, last.history_change_reason) == (user, "~", "Excel 导入")

    created = Enterprise.objects.get(name="湘潭新导入电机有限公司")
    assert created.jurisdiction == world.home.park
    assert created.jurisdiction_path == world.home.park.path
    assert created.credit_code.lower() in created.search_text
    assert created.liaison == newcomer_liaison
    assert list(created.tags.values_list("name", flat=True)) == ["专精特新"]
    assert created.history.get().history_user == user  # type: ignore[attr-defined]
    change = LiaisonChange.objects.get(enterprise=created)
    assert (change.to_staff, change.method, change.actor) == (newcomer_liaison, AssignmentMethod.EXCEL, user)
    # The existing enterprise already had this liaison: no new change is recorded.
    assert not LiaisonChange.objects.filter(enterprise=existing).exists()

    page = client.get(reverse("enterprises:import_preview", args=[job.pk])).content.decode()
    assert 'data-testid="job-done"' in page


def test_template_download_is_a_workbook_that_imports_cleanly(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(office(world))
    response = client.get(reverse("enterprises:import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [c.title for c in ENTERPRISE_COLUMNS]
    assert sheet.max_row == 2
    job = start(client, response.content, django_capture_on_commit_callbacks)
    assert job.result["counts"]["bad"] == 0, job.result["errors"]
    assert job.result["counts"]["new"] == 1


# --- refused files -------------------------------------------------------------------------------


def test_wrong_headers_name_missing_and_unknown_columns(world: World) -> None:
    columns = [c for c in ENTERPRISE_COLUMNS if c.key != "name"]
    content = workbook([row()], columns=columns, extra=["备注"])
    response = client_for(office(world)).post(START, {"file": upload(content)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "缺少列：企业名称" in page
    assert "无法识别的列：备注" in page
    assert not Job.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused_by_its_content(world: World) -> None:
    response = client_for(office(world)).post(
        START, {"file": upload(b"credit_code,name\n1,2\n", "名录.xlsx")}
    )
    assert response.status_code == 200
    assert "无法打开该文件" in response.content.decode()
    assert not Job.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world: World, settings: Any) -> None:
    settings.LIANQI_IMPORT_MAX_BYTES = 1000
    response = client_for(office(world)).post(START, {"file": upload(workbook([row()]))})
    assert "文件过大" in response.content.decode()
    assert not Job.objects.exists()


# --- bad rows ----------------------------------------------------------------------------------------


def test_duplicate_codes_in_the_file_name_each_other(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    code = fresh_code()
    content = workbook([row(credit_code=code), row(), row(credit_code=code.lower())])
    job = start(client_for(office(world)), content, django_capture_on_commit_callbacks)
    errors = errors_of(job)
    assert errors[2] == [("统一社会信用代码", "与第 4 行的统一社会信用代码重复")]
    assert errors[4] == [("统一社会信用代码", "与第 2 行的统一社会信用代码重复")]
    assert 3 not in errors
    assert job.result["counts"] == {"total": 3, "new": 1, "update": 0, "bad": 2}


def test_bad_credit_code_names_the_expected_check_character(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    good = fresh_code()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    job = start(
        client_for(office(world)), workbook([row(credit_code=wrong)]), django_capture_on_commit_callbacks
    )
    [(column, message)] = errors_of(job)[2]
    assert column == "统一社会信用代码"
    assert f"应为“{good[17]}”" in message


def test_code_of_the_other_park_is_refused_without_naming_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    other = world.other.enterprise
    client = client_for(office(world))
    job = start(
        client,
        workbook([row(credit_code=other.credit_code, name="改名")]),
        django_capture_on_commit_callbacks,
    )
    [(column, message)] = errors_of(job)[2]
    assert column == "统一社会信用代码"
    assert "其他辖区" in message
    page = client.get(reverse("enterprises:import_preview", args=[job.pk])).content.decode()
    assert other.name not in page
    assert job.result["counts"]["bad"] == 1


def test_every_kind_of_bad_cell_is_reported_with_column_and_reason(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Tag.objects.create(name="专精特新")
    park = world.home.park
    twin_a = Staff.objects.create(jurisdiction=park, name="赵六", phone="13900000011")
    Staff.objects.create(jurisdiction=park, name="赵六", phone="13900000012")
    Staff.objects.create(jurisdiction=park, name="离岗者", phone="13900000013", is_active=False)
    rows = [
        row(kind="大企业"),  # 2
        row(industry="9999"),  # 3
        row(jurisdiction=world.other.park.code),  # 4
        row(founded_on="去年春天"),  # 5
        row(registered_capital="很多"),  # 6
        row(employees="-5"),  # 7
        row(tags="专精特新、独角兽"),  # 8
        row(liaison_name="查无此人"),  # 9
        row(liaison_name="赵六"),  # 10: two of that name
        row(liaison_name="离岗者"),  # 11: not active
        row(liaison_name=world.other.liaison_staff.name),  # 12: the other park's staff
        row(name=None),  # 13
        row(liaison_name="赵六", liaison_phone="13900000011", kind="门店", founded_on="2020/2/3"),  # 14: fine
    ]
    job = start(client_for(office(world)), workbook(rows), django_capture_on_commit_callbacks)
    errors = errors_of(job)
    expected_columns = {
        2: "主体类型",
        3: "行业代码",
        4: "辖区代码",
        5: "成立日期",
        6: "注册资本（万元）",
        7: "从业人数",
        8: "标签",
        9: "联企干部",
        10: "联企干部",
        11: "联企干部",
        12: "联企干部",
        13: "企业名称",
    }
    assert {n: [c for c, _m in e] for n, e in errors.items()} == {n: [c] for n, c in expected_columns.items()}
    assert "规上企业" in errors[2][0][1]
    assert "独角兽" in errors[8][0][1] and "专精特新" not in errors[8][0][1]
    assert "手机号" in errors[10][0][1]
    assert job.result["counts"] == {"total": 13, "new": 1, "update": 0, "bad": 12}

    commit(client_for(office(world)), job, importing.MODE_VALID, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    assert Enterprise.objects.get(name="湘潭新导入电机有限公司").liaison == twin_a


def test_progress_is_reported_every_500_rows(world: World) -> None:
    content = workbook([row() for _ in range(1200)])
    seen: list[int] = []
    importing.validate_workbook(
        source=io.BytesIO(content), user=office(world), progress=lambda done, total: seen.append(done)
    )
    assert seen == [0, 500, 1000]


# --- commit -------------------------------------------------------------------------------------------


def test_import_only_valid_rows_leaves_bad_ones_out(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    content = workbook([row(name="好企业甲"), row(name="坏企业", industry="XX"), row(name="好企业乙")])
    client = client_for(office(world))
    job = start(client, content, django_capture_on_commit_callbacks)
    page = client.get(reverse("enterprises:import_preview", args=[job.pk])).content.decode()
    assert "只导入 2 行无误的数据" in page
    commit(client, job, importing.MODE_VALID, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE, job.error
    assert set(Enterprise.objects.filter(name__contains="企业").values_list("name", flat=True)) == {
        "好企业甲",
        "好企业乙",
    }
    assert job.result["written"]["skipped"] == 1


def test_import_all_is_refused_while_bad_rows_exist(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    content = workbook([row(name="好企业甲"), row(name="坏企业", industry="XX")])
    client = client_for(office(world))
    job = start(client, content, django_capture_on_commit_callbacks)
    page = client.get(reverse("enterprises:import_preview", args=[job.pk])).content.decode()
    button = page.split('data-testid="import-all"')[1].split(">")[0]
    assert "disabled" in button
    response = commit(client, job, importing.MODE_ALL, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert job.status == Job.Status.READY
    assert not Enterprise.objects.filter(name="好企业甲").exists()
    page = client.get(response["Location"]).content.decode()
    assert "还有 1 行有问题，不能全部导入" in page


def test_a_failure_in_the_middle_of_commit_writes_nothing(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Tag.objects.create(name="专精特新")
    existing = world.home.enterprise
    old_name = existing.name
    content = workbook(
        [
            row(
                credit_code=existing.credit_code,
                name="不该出现的新名字",
                kind=existing.kind,
                tags="专精特新",
                liaison_name=world.home.liaison_staff.name,
            ),
            row(name="不该出现的新企业", liaison_name=world.home.liaison_staff.name),
        ]
    )
    client = client_for(office(world))
    job = start(client, content, django_capture_on_commit_callbacks)
    history_before = existing.history.count()  # type: ignore[attr-defined]

    def explode(**kwargs: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr("lianqi.liaisons.actions.record_register_liaisons", explode)
    commit(client, job, importing.MODE_ALL, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert "未写入任何数据" in job.error
    existing.refresh_from_db()
    assert existing.name == old_name
    assert not existing.tags.exists()
    assert existing.history.count() == history_before  # type: ignore[attr-defined]
    assert not Enterprise.objects.filter(name="不该出现的新企业").exists()
    assert not Enterprise.history.filter(name="不该出现的新企业").exists()  # type: ignore[attr-defined]
    page = client.get(reverse("enterprises:import_preview", args=[job.pk])).content.decode()
    assert "未写入任何数据" in page


def test_ten_thousand_rows_validate_and_commit(
    world: World, django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    liaison = world.home.liaison_staff
    rows = [
        row(credit_code=fresh_code(), name=f"批量企业{i:05d}", liaison_name=liaison.name if i % 2 else None)
        for i in range(10_000)
    ]
    rows[0]["credit_code"] = world.home.enterprise.credit_code
    rows[0]["kind"] = world.home.enterprise.kind
    content = workbook(rows)
    client = client_for(office(world))
    began = time.monotonic()
    job = start(client, content, django_capture_on_commit_callbacks)
    assert job.result["counts"] == {"total": 10_000, "new": 9_999, "update": 1, "bad": 0}
    assert (job.processed, job.total) == (10_000, 10_000)
    # Bulk writes: statements grow with batches, not rows (SQLite caps a statement at 999
    # parameters, so about 50 rows per INSERT there; PostgreSQL takes 1,000).
    with django_assert_max_num_queries(1_000):
        commit(client, job, importing.MODE_ALL, django_capture_on_commit_callbacks)
    elapsed = time.monotonic() - began
    assert job.status == Job.Status.DONE, job.error
    assert Enterprise.objects.filter(name__startswith="批量企业").count() == 10_000
    # Odd rows name the liaison; row 0 (the existing enterprise) already had them.
    assert Enterprise.objects.filter(name__startswith="批量企业", liaison=liaison).count() == 5_000 + 1
    assert LiaisonChange.objects.filter(method=AssignmentMethod.EXCEL).count() == 5_000
    assert not Enterprise.objects.filter(search_text="").exists()
    assert elapsed < 120, elapsed


# --- htmx progress ------------------------------------------------------------------------------------


def test_preview_polls_while_running_and_refreshes_when_settled(world: World) -> None:
    job = home_job(world)
    client = client_for(office(world))
    url = reverse("enterprises:import_preview", args=[job.pk])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, processed=500, total=1000)
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "500 / 1000" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.READY)
    settled = client.get(url, headers={"HX-Request": "true"})
    assert settled["HX-Refresh"] == "true"


# --- contracts: scoping of every page -----------------------------------------------------------------


class TestUploadPage(PageContract):
    allowed_roles = EDIT_ROLES
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return START


class TestTemplateDownload(PageContract):
    allowed_roles = EDIT_ROLES
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return reverse("enterprises:import_template")


class TestPreviewPage(ObjectPageContract):
    allowed_roles = EDIT_ROLES
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("enterprises:import_preview", args=[home_job(world).pk])


class TestCommit(ObjectPageContract):
    method = "post"
    allowed_roles = EDIT_ROLES
    denied_role = Role.DEPARTMENT_HANDLER
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("enterprises:import_commit", args=[home_job(world).pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"mode": importing.MODE_VALID}

    def test_other_jurisdiction_cannot_commit(self, world: World) -> None:
        job = home_job(world)
        self.test_other_jurisdiction_gets_404(world)
        job.refresh_from_db()
        assert job.status == Job.Status.READY


class TestJobList(ListPageContract):
    allowed_roles = EDIT_ROLES
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_job(world)
        return reverse("enterprises:import_jobs")

    def marker(self, world: World) -> str:
        return JOB_FILE_NAME
