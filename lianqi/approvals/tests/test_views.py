"""This wing's pages: one shared contract per page (anonymous, a role that may not, the other
park, a role that may), then what the pages show and do."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ListPageContract, ObjectPageContract
from lianqi.testing.world import World

from ..choices import ApprovalsState
from ..models import Approvals
from ..permissions import MANAGERS, READERS
from .factories import TITLE, make_approvals


def home_approvals(world: World, state: str = ApprovalsState.DRAFT) -> Approvals:
    """The home park's one item, made on first use (a contract asks for its URL many times)."""
    return Approvals.objects.filter(enterprise=world.home.enterprise).first() or make_approvals(world, state)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestListContract(ListPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_approvals(world)
        return reverse("approvals:list")


class TestDetailContract(ObjectPageContract):
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("approvals:detail", args=[home_approvals(world).pk])


class TestStepContract(ObjectPageContract):
    method = "post"
    ok_statuses = (302,)
    allowed_roles = READERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("approvals:step", args=[home_approvals(world, ApprovalsState.SUBMITTED).pk, "approve"])

    def data(self, world: World) -> dict[str, Any]:
        return {"approve-expected_version": home_approvals(world).version}


class TestCreateContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("approvals:create", args=[world.home.enterprise.pk])


class TestEnterpriseSectionContract(ObjectPageContract):
    allowed_roles = MANAGERS
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        home_approvals(world)
        return reverse("approvals:enterprise_section", args=[world.home.enterprise.pk])


def test_the_detail_offers_the_steps_the_user_may_take(world: World) -> None:
    row = make_approvals(world, ApprovalsState.SUBMITTED)
    office = client_for(world.user(Role.SERVICE_OFFICE)).get(row.get_absolute_url()).content.decode()
    assert 'data-testid="step-approve"' in office and 'data-testid="step-return"' in office
    own = client_for(world.user(Role.ENTERPRISE)).get(row.get_absolute_url()).content.decode()
    assert TITLE in own and 'data-testid="step-' not in own


def test_a_step_from_the_page_moves_the_item(world: World) -> None:
    row = make_approvals(world, ApprovalsState.SUBMITTED)
    url = reverse("approvals:step", args=[row.pk, "approve"])
    response = client_for(world.user(Role.LEADER)).post(url, {"approve-expected_version": 1})
    assert response.status_code == 302 and response["Location"] == row.get_absolute_url()
    row.refresh_from_db()
    assert (row.state, row.version) == (ApprovalsState.APPROVED, 2)


def test_bad_input_is_shown_next_to_its_field_and_kept(world: World) -> None:
    row = make_approvals(world, ApprovalsState.APPROVED)
    url = reverse("approvals:step", args=[row.pk, "close"])
    response = client_for(world.user(Role.SERVICE_OFFICE)).post(
        url, {"close-expected_version": 1, "close-outcome": "   "}
    )
    assert response.status_code == 200
    assert 'data-error-for="outcome"' in response.content.decode()
    row.refresh_from_db()
    assert row.state == ApprovalsState.APPROVED


def test_a_stale_page_is_told_who_changed_the_item(world: World) -> None:
    row = make_approvals(world, ApprovalsState.SUBMITTED)
    leader = world.user(Role.LEADER)
    client_for(leader).post(reverse("approvals:step", args=[row.pk, "approve"]), {"approve-expected_version": 1})
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("approvals:step", args=[row.pk, "return"])
    response = client.post(url, {"return-expected_version": 1, "return-note": "补充材料"}, follow=True)
    assert str(leader) in response.content.decode()
    row.refresh_from_db()
    assert (row.state, row.version) == (ApprovalsState.APPROVED, 2)


def test_an_item_is_registered_from_the_enterprise_s_file(world: World) -> None:
    client = client_for(world.user(Role.SERVICE_OFFICE))
    url = reverse("approvals:create", args=[world.home.enterprise.pk])
    assert 'data-error-for="title"' in client.post(url, {"title": ""}).content.decode()
    response = client.post(url, {"title": "安全生产检查"})
    row = Approvals.objects.get(title="安全生产检查")
    assert response["Location"] == row.get_absolute_url()
    assert row.enterprise == world.home.enterprise


def test_the_code_page_asks_for_the_enterprise_s_phone_first(world: World) -> None:
    make_approvals(world)
    url = reverse("codes:approvals_list", args=[world.home.enterprise.code_token])
    response = Client().get(url)
    assert response.status_code == 302
    assert reverse("codes:confirm_phone", args=[world.home.enterprise.code_token]) in response["Location"]
