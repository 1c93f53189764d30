"""The register pages: scoping contracts for each view, then what a clerk sees and does."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.enterprises import creditcode, permissions
from lianqi.enterprises.actions import update_enterprise
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Contact, Enterprise, Industry, Tag, YearFigure
from lianqi.liaisons.models import LiaisonChange
from lianqi.testing.contracts import ListPageContract, ObjectPageContract, PageContract
from lianqi.testing.world import World, credit_code, make_enterprise

REGISTER = permissions.REGISTER_ROLES
EDIT = permissions.EDIT_ROLES


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Scoping contracts, one per view ---------------------------------------------------------


class TestListContract(ListPageContract):
    allowed_roles = REGISTER
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("enterprises:list")


class TestDetailContract(ObjectPageContract):
    allowed_roles = REGISTER
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("enterprises:detail", args=[world.home.enterprise.pk])


class TestCreateContract(PageContract):
    allowed_roles = EDIT
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("enterprises:create")


class TestEditContract(ObjectPageContract):
    allowed_roles = EDIT
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("enterprises:edit", args=[world.home.enterprise.pk])


class TestYearFigureContract(ObjectPageContract):
    method = "post"
    allowed_roles = EDIT
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("enterprises:year_figure_save", args=[world.home.enterprise.pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"year": 2024, "output_value": "1200.50"}


class TestContactAddContract(ObjectPageContract):
    method = "post"
    allowed_roles = EDIT
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("enterprises:contact_add", args=[world.home.enterprise.pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"name": "王经理", "phone": "13912345678"}


class TestContactEditContract(ObjectPageContract):
    method = "post"
    allowed_roles = EDIT
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        contact, _ = Contact.objects.get_or_create(enterprise=world.home.enterprise, name="王经理")
        return reverse("enterprises:contact_edit", args=[world.home.enterprise.pk, contact.pk])

    def data(self, world: World) -> dict[str, Any]:
        return {"name": "王经理", "title": "总经理", "phone": "13912345678"}


class TestContactDeleteContract(ObjectPageContract):
    method = "post"
    allowed_roles = EDIT
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        contact = Contact.objects.create(enterprise=world.home.enterprise, name="待删除")
        return reverse("enterprises:contact_delete", args=[world.home.enterprise.pk, contact.pk])


# --- The list ----------------------------------------------------------------------------------


@pytest.fixture
def register(world: World) -> dict[str, Enterprise]:
    """A few enterprises of the home park with different names, kinds and tags."""
    tag = Tag.objects.create(name="专精特新")
    park = world.home.park
    made = {
        "cable": make_enterprise(park, "湘潭华菱线缆电缆有限公司", kind=EnterpriseKind.ABOVE_SIZE),
        "shop": make_enterprise(park, "湘潭电缆五金门市部", kind=EnterpriseKind.SHOP),
        "motor": make_enterprise(park, "湖南电机制造有限公司", kind=EnterpriseKind.BELOW_SIZE),
    }
    made["motor"].tags.add(tag)
    return made


def names_in(response: Any) -> str:
    return response.content.decode()


def test_search_and_kind_filter_narrow_the_list(world: World, register: dict[str, Enterprise]) -> None:
    client = client_for(world.user(Role.LEADER))
    everything = names_in(client.get(reverse("enterprises:list")))
    assert register["motor"].name in everything
    found = names_in(client.get(reverse("enterprises:list"), {"q": "湘潭 电缆"}))
    assert register["cable"].name in found and register["shop"].name in found
    assert register["motor"].name not in found
    shops = names_in(client.get(reverse("enterprises:list"), {"q": "湘潭电缆", "kind": "shop"}))
    assert register["shop"].name in shops and register["cable"].name not in shops


def test_tag_and_uncovered_filters(world: World, register: dict[str, Enterprise]) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    tag = Tag.objects.get(name="专精特新")
    tagged = names_in(client.get(reverse("enterprises:list"), {"tag": tag.pk}))
    assert register["motor"].name in tagged and register["cable"].name not in tagged
    uncovered = names_in(client.get(reverse("enterprises:list"), {"uncovered": "true"}))
    assert register["cable"].name in uncovered
    assert world.home.enterprise.name not in uncovered


def test_list_shows_liaison_and_department(world: World) -> None:
    page = names_in(client_for(world.user(Role.LIAISON)).get(reverse("enterprises:list")))
    assert world.home.liaison_staff.name in page
    assert world.home.department.name in page


def test_bad_filter_value_shows_a_message_and_keeps_other_filters(
    world: World, register: dict[str, Enterprise]
) -> None:
    client = client_for(world.user(Role.LEADER))
    response = client.get(
        reverse("enterprises:list"), {"tag": "not-a-tag", "kind": "shop", "sort": "nonsense"}
    )
    assert response.status_code == 200
    page = names_in(response)
    assert "筛选条件" in page and "无效" in page
    assert register["shop"].name in page and register["cable"].name not in page
    huge = client.get(reverse("enterprises:list"), {"liaison": "9" * 30, "page": "x", "size": "-3"})
    assert huge.status_code == 200


def test_htmx_request_gets_only_the_table(world: World) -> None:
    client = client_for(world.user(Role.LEADER))
    response = client.get(reverse("enterprises:list"), {"q": "示范"}, HTTP_HX_REQUEST="true")
    body = names_in(response)
    assert "<html" not in body and 'data-testid="enterprise-table"' in body
    assert world.home.enterprise.name in body
    full = names_in(client.get(reverse("enterprises:list")))
    assert "<html" in full and 'id="enterprise-filter"' in full


def test_sorting_and_paging(world: World, register: dict[str, Enterprise]) -> None:
    client = client_for(world.user(Role.LEADER))
    for index, enterprise in enumerate(Enterprise.objects.filter(jurisdiction=world.home.park)):
        enterprise.employees = index * 10
        enterprise.save()
    first = names_in(client.get(reverse("enterprises:list"), {"sort": "-employees", "size": "1"}))
    top = Enterprise.objects.filter(jurisdiction=world.home.park).order_by("-employees").first()
    assert top is not None and top.name in first
    assert "1 / 4" in first


# --- Detail ------------------------------------------------------------------------------------


def test_contact_phone_is_masked_for_roles_that_do_not_need_it(world: World) -> None:
    enterprise = world.home.enterprise
    Contact.objects.create(enterprise=enterprise, name="李会计", phone="13912345678")
    url = reverse("enterprises:detail", args=[enterprise.pk])
    for role in (Role.LEADER, Role.SERVICE_OFFICE, Role.LIAISON):  # the liaison serves it
        page = names_in(client_for(world.user(role)).get(url))
        assert "13912345678" in page, role
    handler_page = names_in(client_for(world.user(Role.DEPARTMENT_HANDLER)).get(url))
    assert "13912345678" not in handler_page
    assert "139****5678" in handler_page


def test_detail_shows_field_history_with_old_and_new_values(world: World) -> None:
    enterprise = world.home.enterprise
    office = world.user(Role.SERVICE_OFFICE)
    update_enterprise(
        enterprise=enterprise, actor=office, values={"name": "湘潭新名称科技有限公司", "employees": 88}
    )
    page = names_in(
        client_for(world.user(Role.LEADER)).get(reverse("enterprises:detail", args=[enterprise.pk]))
    )
    assert "湘潭高新区示范电缆有限公司" in page  # the old name, in the history
    assert "湘潭新名称科技有限公司" in page
    assert "从业人数" in page and "88" in page
    assert str(office) in page


def test_detail_shows_liaison_and_its_history(world: World) -> None:
    from lianqi.liaisons.actions import assign_liaison
    from lianqi.org.models import Staff

    enterprise = world.home.enterprise
    newcomer = Staff.objects.create(jurisdiction=world.home.park, name="赵新来", phone="13700000002")
    assign_liaison(
        enterprise=enterprise, staff=newcomer, actor=world.user(Role.SERVICE_OFFICE), reason="调岗"
    )
    page = names_in(
        client_for(world.user(Role.LEADER)).get(reverse("enterprises:detail", args=[enterprise.pk]))
    )
    assert "赵新来" in page and "13700000002" in page
    assert "调岗" in page and world.home.liaison_staff.name in page


def test_edit_and_rotate_buttons_only_for_office(world: World) -> None:
    url = reverse("enterprises:detail", args=[world.home.enterprise.pk])
    office = names_in(client_for(world.user(Role.SERVICE_OFFICE)).get(url))
    liaison = names_in(client_for(world.user(Role.LIAISON)).get(url))
    assert 'data-testid="edit-link"' in office and 'data-testid="rotate-button"' in office
    assert 'data-testid="edit-link"' not in liaison and 'data-testid="rotate-button"' not in liaison


# --- Create and edit ---------------------------------------------------------------------------


def create_data(world: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "credit_code": credit_code(),
        "name": "湘潭智造装备有限公司",
        "kind": EnterpriseKind.ABOVE_SIZE,
        "status": "active",
        "industry": "38",
        "jurisdiction": world.home.park.pk,
        "address": "湘潭高新区晓塘路9号",
    }
    data.update(overrides)
    return data


def test_create_enterprise_with_liaison(world: World) -> None:
    tag = Tag.objects.create(name="高新技术企业")
    client = client_for(world.user(Role.SERVICE_OFFICE))
    data = create_data(world, industry="C38", tags=[tag.pk], liaison=world.home.liaison_staff.pk)
    response = client.post(reverse("enterprises:create"), data)
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(credit_code=data["credit_code"])
    assert response["Location"] == reverse("enterprises:detail", args=[enterprise.pk])
    assert enterprise.industry_id == "38" and list(enterprise.tags.all()) == [tag]
    assert enterprise.liaison == world.home.liaison_staff
    assert LiaisonChange.objects.filter(enterprise=enterprise).count() == 1


def test_wrong_check_character_names_the_expected_one(world: World) -> None:
    good = credit_code()
    wrong = good[:17] + next(c for c in creditcode.ALPHABET if c != good[17])
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("enterprises:create"), create_data(world, credit_code=wrong)
    )
    assert response.status_code == 200
    assert f"最后一位应为“{good[17]}”" in names_in(response)
    assert "湘潭智造装备有限公司" in names_in(response)  # what was typed is kept
    assert not Enterprise.objects.filter(name="湘潭智造装备有限公司").exists()


def test_duplicate_credit_code_is_refused_next_to_the_field(world: World) -> None:
    existing = world.home.enterprise.credit_code
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("enterprises:create"), create_data(world, credit_code=existing.lower())
    )
    page = names_in(response)
    assert response.status_code == 200
    assert 'data-error-for="credit_code"' in page and "已经登记过" in page


def test_jurisdiction_outside_the_users_subtree_is_refused(world: World) -> None:
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("enterprises:create"), create_data(world, jurisdiction=world.other.park.pk)
    )
    assert response.status_code == 200
    assert 'data-error-for="jurisdiction"' in names_in(response)
    assert not Enterprise.objects.filter(name="湘潭智造装备有限公司").exists()


def test_industry_class_code_not_loaded_suggests_its_division(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    response = client.post(reverse("enterprises:create"), create_data(world, industry="3831"))
    page = names_in(response)
    assert 'data-error-for="industry"' in page and "38 电气机械和器材制造业" in page
    Industry.objects.create(
        code="383", level=3, name="电线、电缆、光缆及电工器材制造", section="C", parent_id="38"
    )
    Industry.objects.create(code="3831", level=4, name="电线、电缆制造", section="C", parent_id="383")
    response = client.post(reverse("enterprises:create"), create_data(world, industry="3831 电线、电缆制造"))
    assert response.status_code == 302
    assert Enterprise.objects.get(name="湘潭智造装备有限公司").industry_id == "3831"


def test_edit_changes_fields_and_keeps_credit_code(world: World) -> None:
    enterprise = world.home.enterprise
    client = client_for(world.user(Role.ADMIN))
    form_page = names_in(client.get(reverse("enterprises:edit", args=[enterprise.pk])))
    assert enterprise.name in form_page and 'name="credit_code"' not in form_page
    data = create_data(world, name="湘潭改名电缆有限公司", employees="120", credit_code="IGNORED")
    response = client.post(reverse("enterprises:edit", args=[enterprise.pk]), data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.name == "湘潭改名电缆有限公司" and enterprise.employees == 120
    assert creditcode.is_valid(enterprise.credit_code)


def test_edit_with_bad_number_keeps_the_form(world: World) -> None:
    enterprise = world.home.enterprise
    response = client_for(world.user(Role.ADMIN)).post(
        reverse("enterprises:edit", args=[enterprise.pk]), create_data(world, employees="很多")
    )
    assert response.status_code == 200
    assert 'data-error-for="employees"' in names_in(response)
    enterprise.refresh_from_db()
    assert enterprise.employees is None


# --- Figures and contacts on the detail page ---------------------------------------------------


def test_year_figures_are_added_then_corrected(world: World) -> None:
    enterprise = world.home.enterprise
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("enterprises:year_figure_save", args=[enterprise.pk])
    client.post(url, {"year": 2024, "output_value": "1000", "tax": "50"})
    client.post(url, {"year": 2024, "output_value": "1100", "tax": "50"})
    figure = YearFigure.objects.get(enterprise=enterprise, year=2024)
    assert str(figure.output_value) == "1100.00" and str(figure.tax) == "50.00"
    page = names_in(client.get(reverse("enterprises:detail", args=[enterprise.pk])))
    assert "1100.00" in page and "修改 2024 年度数据" in page


def test_bad_year_figure_shows_the_error_on_the_detail_page(world: World) -> None:
    enterprise = world.home.enterprise
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("enterprises:year_figure_save", args=[enterprise.pk]), {"year": "三年", "revenue": "77"}
    )
    assert response.status_code == 400
    page = names_in(response)
    assert 'data-error-for="year"' in page and 'value="77"' in page
    assert not YearFigure.objects.filter(enterprise=enterprise).exists()


def test_contact_add_edit_delete(world: World) -> None:
    enterprise = world.home.enterprise
    client = client_for(world.user(Role.SERVICE_OFFICE))
    client.post(
        reverse("enterprises:contact_add", args=[enterprise.pk]), {"name": "周总", "phone": "13600000000"}
    )
    contact = Contact.objects.get(enterprise=enterprise, name="周总")
    bad = client.post(
        reverse("enterprises:contact_edit", args=[enterprise.pk, contact.pk]),
        {"name": "周总", "phone": "电话"},
    )
    assert bad.status_code == 400 and 'data-error-for="phone"' in names_in(bad)
    client.post(
        reverse("enterprises:contact_edit", args=[enterprise.pk, contact.pk]),
        {"name": "周总", "title": "董事长", "phone": "13600000001", "is_primary": "on"},
    )
    contact.refresh_from_db()
    assert contact.title == "董事长" and contact.is_primary
    client.post(reverse("enterprises:contact_delete", args=[enterprise.pk, contact.pk]))
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_contact_of_another_enterprise_cannot_be_reached_through_this_one(world: World) -> None:
    other_contact = Contact.objects.create(enterprise=world.other.enterprise, name="外园联系人")
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        reverse("enterprises:contact_delete", args=[world.home.enterprise.pk, other_contact.pk])
    )
    assert response.status_code == 404
    assert Contact.objects.filter(pk=other_contact.pk).exists()


def test_industry_filter_by_section_and_division_prefix(world: World) -> None:
    Industry.objects.get_or_create(code="F", defaults={"level": 1, "name": "批发和零售业", "section": "F"})
    Industry.objects.get_or_create(
        code="51", defaults={"level": 2, "name": "批发业", "section": "F", "parent_id": "F"}
    )
    trader = make_enterprise(
        world.home.park, "湘潭五金批发有限公司", industry=Industry.objects.get(code="51")
    )
    client = client_for(world.user(Role.LEADER))
    by_section = names_in(client.get(reverse("enterprises:list"), {"industry": "f"}))
    assert trader.name in by_section and world.home.enterprise.name not in by_section
    by_division = names_in(client.get(reverse("enterprises:list"), {"industry": "38"}))
    assert world.home.enterprise.name in by_division and trader.name not in by_division
