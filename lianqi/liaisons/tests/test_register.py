"""What the liaison layout does for the register and on the enterprise's file: the history of the
liaisons the register sets itself (through its `liaisons_set` signal), the enterprise's liaison
section, and the layout's measures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lianqi.core import registry
from lianqi.core.roles import STAFF_ROLES, Role
from lianqi.enterprises import actions as register
from lianqi.enterprises import signals
from lianqi.enterprises.choices import EnterpriseKind, EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.liaisons import actions, queries
from lianqi.liaisons.choices import AssignmentMethod
from lianqi.liaisons.models import LiaisonChange
from lianqi.org.choices import JurisdictionLevel
from lianqi.org.models import Jurisdiction
from lianqi.testing.contracts import ObjectPageContract
from lianqi.testing.world import World, credit_code, ensure_industries

from .helpers import enterprise, staff


def file_new(world: World, **extra: Any) -> Enterprise:
    return register.create_enterprise(
        actor=world.user(Role.SERVICE_OFFICE),
        credit_code=credit_code(),
        jurisdiction=world.home.park,
        values={"name": "湘潭新建档有限公司", "kind": EnterpriseKind.SHOP, "industry": ensure_industries()},
        **extra,
    )


# --- The register's liaisons ---------------------------------------------------------------------


def test_every_way_the_register_sets_a_liaison_is_a_method_of_the_history() -> None:
    assert set(actions.REGISTER_METHODS) == {signals.CREATED, signals.IMPORTED}
    assert actions.REGISTER_METHODS[signals.CREATED] == AssignmentMethod.CREATED
    assert actions.REGISTER_METHODS[signals.IMPORTED] == AssignmentMethod.EXCEL


def test_filing_with_a_liaison_records_the_first_liaison(world: World) -> None:
    created = file_new(world, liaison=world.home.liaison_staff)
    assert created.liaison == world.home.liaison_staff
    change = LiaisonChange.objects.get(enterprise=created)
    assert (change.from_staff, change.to_staff, change.method, change.actor) == (
        None,
        world.home.liaison_staff,
        AssignmentMethod.CREATED,
        world.user(Role.SERVICE_OFFICE),
    )
    assert change.jurisdiction_path == created.jurisdiction_path


def test_filing_with_a_liaison_who_may_not_serve_files_nothing(world: World) -> None:
    departed = staff(world.home, "已离岗干部", is_active=False)
    for liaison, message in ((world.other.liaison_staff, "不在该企业所在辖区"), (departed, "已离岗")):
        with pytest.raises(ValidationError) as refused:
            file_new(world, liaison=liaison)
        assert message in refused.value.message_dict["liaison"][0]
    assert not Enterprise.objects.filter(name="湘潭新建档有限公司").exists()
    assert not LiaisonChange.objects.exists()


def test_a_failing_history_undoes_the_filing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(**kwargs: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "record_register_liaisons", explode)
    with pytest.raises(RuntimeError):
        file_new(world, liaison=world.home.liaison_staff)
    assert not Enterprise.objects.filter(name="湘潭新建档有限公司").exists()


# --- The enterprise's liaison on its file ----------------------------------------------------------


class TestLiaisonSectionContract(ObjectPageContract):
    allowed_roles = tuple(STAFF_ROLES)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("liaisons:enterprise_section", args=[world.home.enterprise.pk])


def section(world: World, role: str) -> str:
    client = Client()
    client.force_login(world.user(role))
    response = client.get(reverse("liaisons:enterprise_section", args=[world.home.enterprise.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_section_shows_the_liaison_and_every_change(world: World) -> None:
    newcomer = staff(world.home, "赵新来", phone="13700000002")
    actions.assign_liaison(
        enterprise=world.home.enterprise, staff=newcomer, actor=world.user(Role.SERVICE_OFFICE), reason="调岗"
    )
    html = section(world, Role.LIAISON)
    assert "<html" not in html
    assert "赵新来" in html and "调岗" in html
    # A colleague's work phone is masked for a liaison (`core.privacy`), whole for the office.
    assert "137****0002" in html and "13700000002" not in html
    assert world.home.liaison_staff.name in html  # the previous liaison, in the history
    assert reverse("liaisons:assign", args=[world.home.enterprise.pk]) not in html
    office = section(world, Role.SERVICE_OFFICE)
    assert reverse("liaisons:assign", args=[world.home.enterprise.pk]) in office
    assert 'href="tel:13700000002"' in office


def test_the_section_is_registered_for_every_staff_role(world: World) -> None:
    found = next(s for s in registry.enterprise_sections() if s.key == "liaisons.history")
    assert found.url_name == "liaisons:enterprise_section" and set(found.roles) == set(STAFF_ROLES)


# --- Measures ------------------------------------------------------------------------------------


def test_the_measures_count_coverage_as_the_coverage_page_does(world: World) -> None:
    enterprise(world.home, "无人联系的企业")
    enterprise(world.home, "已迁出的企业", status=EnterpriseStatus.MOVED_OUT)
    left = staff(world.home, "离岗仍联系者", is_active=False)
    enterprise(world.home, "离岗干部联系的企业", liaison=left)
    path, period = world.home.park.path, registry.Period.year(dt.date.today().year)
    summary = queries.coverage_summary(world.user(Role.LEADER))
    assert (summary.total, summary.uncovered) == (3, 2)
    rate = registry.measure("liaisons.coverage_rate").compute(path, period)
    assert rate == Decimal(str(summary.rate)) == Decimal("33.3")
    assert registry.measure("liaisons.uncovered").compute(path, period) == summary.uncovered == 2
    # A jurisdiction without active enterprises has nothing to divide by.
    empty = Jurisdiction.objects.create(
        code="430373", name="空园区", level=JurisdictionLevel.PARK, parent=world.city
    )
    assert registry.measure("liaisons.coverage_rate").compute(empty.path, period) is None
    assert registry.measure("liaisons.uncovered").compute(empty.path, period) == 0
