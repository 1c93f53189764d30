"""One contract per endpoint and action: anonymous → 401 in the error shape, a role that may not
→ 403, the other park → 404 (objects) or none of the home park's rows (lists), allowed → 2xx."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lianqi.core.roles import Role
from lianqi.enterprises.models import Enterprise, Tag
from lianqi.liaisons.actions import assign_liaison
from lianqi.liaisons.models import LiaisonChange
from lianqi.org.choices import StaffTier
from lianqi.org.models import Staff
from lianqi.testing.contracts import ApiListContract, ApiObjectContract
from lianqi.testing.world import World, credit_code

STAFF = (Role.LEADER, Role.SERVICE_OFFICE, Role.DEPARTMENT_HANDLER, Role.LIAISON, Role.ADMIN)
EVERY_ROLE = tuple(Role)


def _second_staff(side: Any) -> Staff:
    return Staff.objects.create(
        jurisdiction=side.park,
        name=f"{side.park.name}第二干部",
        department=side.department,
        tier=StaffTier.MIDDLE,
    )


class _SharedReference:
    """Reference data (industries, tags) is the same for every park: both parks see it."""

    def marker(self, world: World) -> str:
        raise NotImplementedError

    def test_every_park_sees_the_same_rows(self, world: World) -> None:
        client = Client()
        for user in (world.user(Role.LIAISON), world.other_user(Role.ENTERPRISE)):
            client.force_login(user)
            response = self.request(client, world)  # type: ignore[attr-defined]
            assert response.status_code == 200
            assert self.marker(world) in response.content.decode()


class _SharedList(_SharedReference):
    def test_other_jurisdiction_sees_no_home_rows(self, world: World) -> None:
        pytest.skip("reference data is not scoped; see test_every_park_sees_the_same_rows")


class _SharedObject(_SharedReference):
    def test_other_jurisdiction_gets_404(self, world: World) -> None:
        pytest.skip("reference data is not scoped; see test_every_park_sees_the_same_rows")


# --- org --------------------------------------------------------------------------------------


class TestJurisdictionList(ApiListContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return "/api/v1/jurisdictions/"

    def marker(self, world: World) -> str:
        return world.home.park.name


class TestJurisdictionDetail(ApiObjectContract):
    allowed_roles = STAFF
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return f"/api/v1/jurisdictions/{world.home.park.code}/"


class TestDepartmentList(ApiListContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return "/api/v1/departments/"

    def marker(self, world: World) -> str:
        # Both parks have a 经济发展局; the park name tells them apart.
        return world.home.park.name


class TestDepartmentDetail(ApiObjectContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return f"/api/v1/departments/{world.home.department.pk}/"


class TestStaffList(ApiListContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return "/api/v1/staff/"

    def marker(self, world: World) -> str:
        return world.home.liaison_staff.name


class TestStaffDetail(ApiObjectContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return f"/api/v1/staff/{world.home.liaison_staff.pk}/"


# --- enterprises ------------------------------------------------------------------------------


class TestEnterpriseList(ApiListContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return "/api/v1/enterprises/"


class TestEnterpriseDetail(ApiObjectContract):
    allowed_roles = STAFF
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return f"/api/v1/enterprises/{world.home.enterprise.pk}/"


class TestEnterpriseCreate(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE, Role.ADMIN)
    denied_role = Role.LIAISON
    ok_statuses = (201,)

    def url(self, world: World) -> str:
        return "/api/v1/enterprises/"

    def data(self, world: World) -> dict[str, Any]:
        return {
            "credit_code": credit_code(),
            "name": "湘潭新材料科技有限公司",
            "kind": "below_size",
            "industry": "38",
            "jurisdiction": world.home.park.code,
        }

    def test_other_jurisdiction_gets_404(self, world: World) -> None:
        pytest.skip("a create names its jurisdiction in the body: see the test below")

    def test_other_park_cannot_create_in_home_park(self, world: World) -> None:
        before = Enterprise.objects.count()
        for role in self.allowed_roles:
            response = self.request(self.client_for(world.other_user(role)), world)
            assert response.status_code == 400, (role, response.status_code)
            assert "jurisdiction" in response.json()["error"]["fields"]
        assert Enterprise.objects.count() == before


class TestEnterprisePartialUpdate(ApiObjectContract):
    method = "patch"
    allowed_roles = (Role.SERVICE_OFFICE, Role.ADMIN)
    denied_role = Role.LEADER

    def url(self, world: World) -> str:
        return f"/api/v1/enterprises/{world.home.enterprise.pk}/"

    def data(self, world: World) -> dict[str, Any]:
        return {"address": "湘潭高新区晓塘路9号", "employees": 120}

    def test_the_change_is_stored(self, world: World) -> None:
        response = self.request(self.client_for(world.user(Role.SERVICE_OFFICE)), world)
        assert response.json()["address"] == "湘潭高新区晓塘路9号"
        world.home.enterprise.refresh_from_db()
        assert world.home.enterprise.employees == 120


class TestAssignLiaison(ApiObjectContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE, Role.ADMIN)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return f"/api/v1/enterprises/{world.home.enterprise.pk}/assign-liaison/"

    def data(self, world: World) -> dict[str, Any]:
        return {"staff": _second_staff(world.home).pk, "reason": "按行业调整"}


class TestIndustryList(_SharedList, ApiListContract):
    allowed_roles = EVERY_ROLE

    def url(self, world: World) -> str:
        return "/api/v1/industries/"

    def marker(self, world: World) -> str:
        return "电气机械和器材制造业"


class TestIndustryDetail(_SharedObject, ApiObjectContract):
    allowed_roles = EVERY_ROLE

    def url(self, world: World) -> str:
        return "/api/v1/industries/38/"

    def marker(self, world: World) -> str:
        return "电气机械和器材制造业"


class TestTagList(_SharedList, ApiListContract):
    allowed_roles = EVERY_ROLE

    @pytest.fixture(autouse=True)
    def _tag(self, world: World) -> None:
        Tag.objects.create(name="专精特新")

    def url(self, world: World) -> str:
        return "/api/v1/tags/"

    def marker(self, world: World) -> str:
        return "专精特新"


class TestTagDetail(_SharedObject, ApiObjectContract):
    allowed_roles = EVERY_ROLE

    @pytest.fixture(autouse=True)
    def _tag(self, world: World) -> None:
        self.tag = Tag.objects.create(name="高新技术企业")

    def url(self, world: World) -> str:
        return f"/api/v1/tags/{self.tag.pk}/"

    def marker(self, world: World) -> str:
        return "高新技术企业"


# --- liaisons ---------------------------------------------------------------------------------


class TestLiaisonChangeList(ApiListContract):
    allowed_roles = STAFF
    denied_role = Role.ENTERPRISE

    @pytest.fixture(autouse=True)
    def _changes(self, world: World) -> None:
        for side in (world.home, world.other):
            assign_liaison(enterprise=side.enterprise, staff=_second_staff(side), actor=None, reason="调整")
        assert LiaisonChange.objects.count() == 2

    def url(self, world: World) -> str:
        return "/api/v1/liaison-changes/"


# --- accounts ---------------------------------------------------------------------------------


class TestMe(ApiListContract):
    """`me` describes the caller: the other park's user sees their own park, never the home one."""

    allowed_roles = EVERY_ROLE

    def url(self, world: World) -> str:
        return "/api/v1/me/"

    def marker(self, world: World) -> str:
        return world.home.park.name
