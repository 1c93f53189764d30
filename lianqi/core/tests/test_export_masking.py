"""Personal data masked by role everywhere: each export, read back with openpyxl, masks the
columns the one rule (`core.privacy`) says for each role and says so in its header; every
export leaves exactly one row in the export log with its count, filter and masked columns; the
page, the API and the export agree for the same user."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import QueryDict
from django.test import Client
from openpyxl import load_workbook

from lianqi.core.excel import unmarked
from lianqi.core.models import ExportRecord
from lianqi.core.roles import Role
from lianqi.enterprises.models import Contact
from lianqi.org.models import Staff
from lianqi.testing.world import World, make_enterprise

LIAISON_PHONE = "13800000001"  # the home park's liaison (`lianqi.testing.world`)
COLLEAGUE_PHONE = "13900000002"
HANDLER_PHONE = "13700000003"
CONTACT_PHONE = "13612345678"
MASKED = {
    LIAISON_PHONE: "138****0001",
    COLLEAGUE_PHONE: "139****0002",
    HANDLER_PHONE: "137****0003",
    CONTACT_PHONE: "136****5678",
}
STAFF_ROLES = (Role.LIAISON, Role.DEPARTMENT_HANDLER, Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
WHOLE = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)


@dataclass
class People:
    colleague: Staff
    handler: Staff


@pytest.fixture
def people(world: World) -> People:
    """Beside the world's liaison: a colleague who serves another enterprise, the department
    handler's own staff record, and a contact of the liaison's enterprise."""
    home = world.home
    colleague = Staff.objects.create(
        jurisdiction=home.park, name="同事甲", department=home.department, phone=COLLEAGUE_PHONE
    )
    make_enterprise(home.park, "同事服务的企业有限公司", liaison=colleague)
    handler = Staff.objects.create(
        jurisdiction=home.park,
        name="经办人乙",
        department=home.department,
        phone=HANDLER_PHONE,
        user=world.user(Role.DEPARTMENT_HANDLER),
    )
    Contact.objects.create(enterprise=home.enterprise, name="王经理", phone=CONTACT_PHONE, is_primary=True)
    return People(colleague=colleague, handler=handler)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Sheet:
    header: list[str]
    rows: list[tuple[Any, ...]]

    def column(self, title: str, key: int = 0) -> dict[str, Any]:
        """The column whose header (without its masked mark) is `title`, keyed by the cells of
        column `key`."""
        index = [unmarked(h)[0] for h in self.header].index(title)
        return {row[key]: row[index] for row in self.rows}

    def marked(self) -> list[str]:
        return [unmarked(h)[0] for h in self.header if unmarked(h)[1]]


def download(user: Any, url: str) -> Sheet:
    response = client_for(user).get(url)
    assert response.status_code == 200, (url, response.status_code)
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    return Sheet(header=[str(h) for h in values[0]], rows=[tuple(r) for r in values[1:]])


def expected(role: str, phone: str, *, own: bool) -> str:
    return phone if role in WHOLE or own else MASKED[phone]


# --- The staff list (干部名册) -------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_export_masks_colleagues_for_all_but_the_office(
    world: World, people: People, role: str
) -> None:
    sheet = download(world.user(role), "/org/staff/export/")
    phones = sheet.column("手机号")
    liaison = world.home.liaison_staff.name
    assert phones[liaison] == expected(role, LIAISON_PHONE, own=role == Role.LIAISON)
    assert phones["同事甲"] == expected(role, COLLEAGUE_PHONE, own=False)
    assert phones["经办人乙"] == expected(role, HANDLER_PHONE, own=role == Role.DEPARTMENT_HANDLER)
    assert ("手机号（已脱敏）" in sheet.header) is (role not in WHOLE)
    assert sheet.marked() == ([] if role in WHOLE else ["手机号"])


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_page_and_api_show_what_the_export_shows(world: World, people: People, role: str) -> None:
    user = world.user(role)
    exported = download(user, "/org/staff/export/").column("手机号")
    api = client_for(user).get("/api/v1/staff/", {"page_size": 100}).json()["results"]
    assert {row["name"]: row["phone"] for row in api} == exported
    page = client_for(user).get("/org/staff/").content.decode()
    detail = client_for(user).get(f"/org/staff/{people.colleague.pk}/").content.decode()
    for phone in exported.values():
        assert phone in page
    for hidden in {COLLEAGUE_PHONE, HANDLER_PHONE, LIAISON_PHONE} - set(exported.values()):
        assert hidden not in page
        assert f"tel:{hidden}" not in page
    assert exported["同事甲"] in detail
    assert (COLLEAGUE_PHONE in detail) is (role in WHOLE)


def test_a_masked_user_cannot_find_a_number_by_searching_its_digits(world: World, people: People) -> None:
    liaison = client_for(world.user(Role.LIAISON))
    assert "同事甲" not in liaison.get("/org/staff/", {"q": "0002"}).content.decode()
    assert liaison.get("/api/v1/staff/", {"q": "0002"}).json()["results"] == []
    office = client_for(world.user(Role.SERVICE_OFFICE))
    assert "同事甲" in office.get("/org/staff/", {"q": "0002"}).content.decode()


# --- The enterprise register ------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_register_export_masks_liaison_phones_but_ones_own(world: World, people: People, role: str) -> None:
    sheet = download(world.user(role), "/enterprises/export/")
    phones = sheet.column("联企干部手机号", key=1)
    own, others = phones[world.home.enterprise.name], phones["同事服务的企业有限公司"]
    assert own == expected(role, LIAISON_PHONE, own=role == Role.LIAISON)
    assert others == expected(role, COLLEAGUE_PHONE, own=False)
    assert sheet.marked() == ([] if role in WHOLE else ["联企干部手机号"])


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_register_api_and_file_show_the_liaison_as_the_export_does(
    world: World, people: People, role: str
) -> None:
    user = world.user(role)
    by_name = download(user, "/enterprises/export/").column("联企干部手机号", key=1)
    enterprise = world.home.enterprise
    body = client_for(user).get(f"/api/v1/enterprises/{enterprise.pk}/").json()
    assert body["liaison"]["phone"] == by_name[enterprise.name]
    section = client_for(user).get(f"/liaisons/enterprise/{enterprise.pk}/section/").content.decode()
    assert by_name[enterprise.name] in section
    assert (f"tel:{LIAISON_PHONE}" in section) is (by_name[enterprise.name] == LIAISON_PHONE)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_contacts_page_and_api_agree(world: World, people: People, role: str) -> None:
    user = world.user(role)
    enterprise = world.home.enterprise
    sees = role in WHOLE or role == Role.LIAISON  # the office's, and the enterprise's liaison
    shown = CONTACT_PHONE if sees else MASKED[CONTACT_PHONE]
    body = client_for(user).get(f"/api/v1/enterprises/{enterprise.pk}/").json()
    assert body["contacts"][0]["phone"] == shown
    page = client_for(user).get(f"/enterprises/{enterprise.pk}/sections/contacts/").content.decode()
    assert shown in page
    assert (CONTACT_PHONE in page) is sees


def test_the_enterprise_sees_its_own_people_and_its_liaison_but_no_other_cadre(
    world: World, people: People
) -> None:
    from lianqi.enterprises.permissions import can_see_contact_phone
    from lianqi.org.permissions import staff_phone

    user = world.user(Role.ENTERPRISE)
    assert staff_phone(user, world.home.liaison_staff) == LIAISON_PHONE
    assert staff_phone(user, people.colleague) == MASKED[COLLEAGUE_PHONE]
    assert can_see_contact_phone(user, world.home.enterprise.contacts.get())
    assert not can_see_contact_phone(world.other_user(Role.ENTERPRISE), world.home.enterprise.contacts.get())


def test_the_enterprises_home_page_shows_its_liaisons_work_phone(world: World, people: People) -> None:
    home = client_for(world.user(Role.ENTERPRISE)).get("/").content.decode()
    assert f"tel:{LIAISON_PHONE}" in home


def test_the_code_page_shows_the_liaison_to_whoever_holds_the_code(world: World, people: People) -> None:
    page = Client().get(f"/c/{world.home.enterprise.code_token}/").content.decode()
    assert f"tel:{LIAISON_PHONE}" in page


def test_a_masked_register_file_imports_back_without_its_masked_numbers(world: World, people: People) -> None:
    from lianqi.enterprises.columns import ENTERPRISE_COLUMNS
    from lianqi.enterprises.importing import read_records

    response = client_for(world.user(Role.LIAISON)).get("/enterprises/export/")
    records = dict(read_records(source=io.BytesIO(response.content)))
    assert records and all(record["liaison_phone"] is None for record in records.values())
    assert all(record["liaison_name"] for record in records.values())
    assert {c.key for c in ENTERPRISE_COLUMNS} <= set(next(iter(records.values())))


# --- Liaison load and the liaison import template (office roles only) --------------------------


@pytest.mark.parametrize("url", ["/liaisons/export/", "/liaisons/import/template/"])
def test_liaison_files_are_for_the_office_and_show_numbers_whole(
    world: World, people: People, url: str
) -> None:
    for role in (Role.LIAISON, Role.DEPARTMENT_HANDLER):
        assert client_for(world.user(role)).get(url).status_code == 403
    allowed = (Role.LEADER, *WHOLE) if url == "/liaisons/export/" else (Role.SERVICE_OFFICE, Role.ADMIN)
    for role in allowed:
        sheet = download(world.user(role), url)
        assert sheet.marked() == []
        cells = {cell for row in sheet.rows for cell in row}
        assert COLLEAGUE_PHONE in cells and LIAISON_PHONE in cells


# --- The export log: one row per export, whatever the export ------------------------------------

#: Every export, a filter it takes and a role that may take it.
EXPORTS = [
    ("/org/staff/export/?q=同事", Role.LIAISON),
    ("/org/departments/export/?q=经济", Role.DEPARTMENT_HANDLER),
    ("/enterprises/export/?q=示范", Role.LIAISON),
    ("/liaisons/export/?sort=load", Role.LEADER),
    ("/liaisons/import/template/", Role.SERVICE_OFFICE),
    ("/accounts/users/export/?role=liaison", Role.ADMIN),
    ("/demands/export/?state=new", Role.SERVICE_OFFICE),
    ("/demands/board/export/", Role.LEADER),
    ("/demands/legacy/export/", Role.SERVICE_OFFICE),
    ("/demands/inbox/export/", Role.DEPARTMENT_HANDLER),
    ("/demands/categories/export/", Role.SERVICE_OFFICE),
    ("/demands/statistics/export/", Role.LEADER),
    ("/policies/export/?q=补贴", Role.LIAISON),
    ("/policies/ledger/export/", Role.SERVICE_OFFICE),
    ("/enterprises/import/template/", Role.SERVICE_OFFICE),
]


@pytest.mark.parametrize(("url", "role"), EXPORTS)
def test_every_export_leaves_one_log_row_with_its_count_filter_and_masked_columns(
    world: World, people: People, url: str, role: str
) -> None:
    user = world.user(role)
    sheet = download(user, url)
    record = ExportRecord.objects.get()
    assert record.user == user
    assert record.username == user.username
    assert role in record.roles.split(",")
    assert record.jurisdiction == world.home.park
    assert record.rows == len(sheet.rows)
    asked = url.split("?", 1)[1] if "?" in url else ""
    assert QueryDict(record.query) == QueryDict(asked)
    assert record.masked_columns == sheet.marked()


def test_the_staff_export_log_row_counts_the_filtered_rows(world: World, people: People) -> None:
    download(world.user(Role.LIAISON), "/org/staff/export/?q=同事")
    download(world.user(Role.SERVICE_OFFICE), "/org/staff/export/")
    liaison_row, office_row = ExportRecord.objects.order_by("pk")
    assert (liaison_row.export, liaison_row.rows, liaison_row.masked_columns) == ("org.staff", 1, ["手机号"])
    assert (office_row.rows, office_row.masked_columns) == (3, [])


def test_the_log_is_append_only(world: World, people: People) -> None:
    download(world.user(Role.LIAISON), "/org/staff/export/")
    record = ExportRecord.objects.get()
    record.rows = 0
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(RuntimeError):
        record.delete()
    with pytest.raises(RuntimeError):
        ExportRecord.objects.all().delete()
    with pytest.raises(RuntimeError):
        ExportRecord.objects.update(rows=0)


# --- The log's pages -----------------------------------------------------------------------------


def test_log_page_is_the_administrators_scoped_to_their_park(world: World, people: People) -> None:
    download(world.user(Role.LIAISON), "/org/staff/export/?q=同事")
    download(world.other_user(Role.LIAISON), "/org/staff/export/")
    home_record = ExportRecord.objects.get(jurisdiction=world.home.park)
    other_record = ExportRecord.objects.get(jurisdiction=world.other.park)
    admin = client_for(world.user(Role.ADMIN))
    page = admin.get("/exports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-record="{home_record.pk}"' in html
    assert f'data-record="{other_record.pk}"' not in html
    assert "手机号" in html  # the masked column, named
    detail = admin.get(f"/exports/{home_record.pk}/")
    assert detail.status_code == 200
    assert "q=%E5%90%8C%E4%BA%8B" in detail.content.decode()
    # Another park's record answers as a missing one would.
    assert admin.get(f"/exports/{other_record.pk}/").status_code == 404
    assert admin.get("/exports/999999/").status_code == 404


@pytest.mark.parametrize(
    "role",
    [Role.SERVICE_OFFICE, Role.LEADER, Role.LIAISON, Role.DEPARTMENT_HANDLER, Role.FINANCE, Role.ENTERPRISE],
)
def test_log_pages_are_refused_to_everyone_else(world: World, people: People, role: str) -> None:
    download(world.user(Role.LIAISON), "/org/staff/export/")
    record = ExportRecord.objects.get()
    client = client_for(world.user(role))
    assert client.get("/exports/").status_code == 403
    assert client.get(f"/exports/{record.pk}/").status_code == 403
    assert "/exports/" not in client.get("/").content.decode()


def test_log_menu_entry_is_the_administrators(world: World) -> None:
    assert 'href="/exports/"' in client_for(world.user(Role.ADMIN)).get("/").content.decode()


def test_anonymous_is_sent_to_log_in(world: World) -> None:
    response = Client().get("/exports/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_log_is_searchable_by_user_and_export(world: World, people: People) -> None:
    download(world.user(Role.LIAISON), "/org/staff/export/")
    download(world.user(Role.SERVICE_OFFICE), "/org/departments/export/")
    admin = client_for(world.user(Role.ADMIN))
    liaison_only = admin.get("/exports/", {"q": world.user(Role.LIAISON).username}).content.decode()
    assert liaison_only.count("data-record=") == 1
    departments = admin.get("/exports/", {"export": "org.departments"}).content.decode()
    assert departments.count("data-record=") == 1
    assert json.dumps(ExportRecord.objects.get(export="org.departments").masked_columns) == "[]"


def test_the_log_exports_its_own_search_to_excel_and_records_that_too(world: World, people: People) -> None:
    download(world.user(Role.LIAISON), "/org/staff/export/?q=同事")
    download(world.other_user(Role.LIAISON), "/org/staff/export/")
    admin = world.user(Role.ADMIN)
    page = client_for(admin).get("/exports/", {"q": world.user(Role.LIAISON).username}).content.decode()
    assert 'href="/exports/xlsx/?q=' in page
    sheet = download(admin, f"/exports/xlsx/?q={world.user(Role.LIAISON).username}")
    assert sheet.header[:4] == ["导出时间", "导出人", "角色", "导出项"]
    # Only the admin's park, and only what the search finds.
    assert [row[1] for row in sheet.rows] == [world.user(Role.LIAISON).username]
    assert "q=%E5%90%8C%E4%BA%8B" in str(sheet.rows[0][4]) and sheet.rows[0][6] == "手机号"
    assert ExportRecord.objects.filter(export="core.export_log", user=admin, rows=1).exists()
    assert client_for(world.user(Role.SERVICE_OFFICE)).get("/exports/xlsx/").status_code == 403
