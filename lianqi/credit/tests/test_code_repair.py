"""The enterprise applies for credit repair through its code (营商码): only its own records in
force are offered, the application enters the repair workflow and the service office hears
of it; a bad choice or an empty correction is refused next to its field and nothing moves."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.notifications.models import Notification
from lianqi.testing.world import World

from ..choices import RecordKind, RepairState
from .factories import make_record


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(world: World) -> str:
    return reverse("codes:credit_repair", args=[world.home.enterprise.code_token])


def test_the_form_offers_only_the_enterprises_own_records_in_force(world: World) -> None:
    mine = make_record(world, summary="逾期未缴纳罚款")
    make_record(world, RepairState.APPLIED, summary="已在修复中的记录")
    make_record(world, side=world.other, summary="别人的失信事由")
    page = _client(world.user(Role.ENTERPRISE)).get(_url(world)).content.decode()
    assert "逾期未缴纳罚款" in page and f'value="{mine.pk}"' in page
    assert "别人的失信事由" not in page and "已在修复中的记录" not in page


def test_the_application_enters_the_workflow_and_the_office_is_told(world: World) -> None:
    record = make_record(world, kind=RecordKind.PENALTY)
    response = _client(world.user(Role.ENTERPRISE)).post(
        _url(world), {"record": record.pk, "correction": "罚款已于上月全额缴纳，附缴款凭证"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("codes:credit", args=[world.home.enterprise.code_token])
    record.refresh_from_db()
    assert record.state == RepairState.MATERIALS
    assert record.applied_on == timezone.localdate()
    assert "罚款已于上月全额缴纳" in record.materials
    assert [e.to_state for e in record.events.order_by("pk")] == [RepairState.APPLIED, RepairState.MATERIALS]
    told = Notification.objects.get(recipient=world.user(Role.SERVICE_OFFICE))
    assert world.home.enterprise.name in told.subject and told.link == record.get_absolute_url()
    assert not Notification.objects.filter(recipient=world.other_user(Role.SERVICE_OFFICE)).exists()
    # The office now finds it among the repairs waiting for review.
    repairs = _client(world.user(Role.SERVICE_OFFICE)).get(reverse("credit:repairs")).content.decode()
    assert world.home.enterprise.name in repairs


@pytest.mark.parametrize("field", ["record", "correction"])
def test_a_bad_application_is_refused_next_to_its_field(world: World, field: str) -> None:
    mine = make_record(world)
    theirs = make_record(world, side=world.other)
    data = {"record": mine.pk, "correction": "已整改"}
    data[field] = theirs.pk if field == "record" else "  "
    page = _client(world.user(Role.ENTERPRISE)).post(_url(world), data)
    assert page.status_code == 200
    assert f'data-error-for="{field}"' in page.content.decode()
    for row in (mine, theirs):
        row.refresh_from_db()
        assert row.state == RepairState.IN_FORCE
    assert not Notification.objects.exists()


def test_the_code_page_links_to_the_application(world: World) -> None:
    make_record(world)
    url = reverse("codes:credit", args=[world.home.enterprise.code_token])
    page = _client(world.user(Role.ENTERPRISE)).get(url).content.decode()
    assert _url(world) in page


def test_a_wrong_code_names_no_enterprise(world: World) -> None:
    make_record(world)
    response = Client().get(reverse("codes:credit_repair", args=["not-a-token"]))
    assert response.status_code == 404
    assert world.home.enterprise.name not in response.content.decode()


def test_a_visitor_who_has_not_confirmed_a_phone_is_sent_to_confirm(world: World) -> None:
    response = Client().get(_url(world))
    assert response.status_code == 302
    assert reverse("codes:confirm_phone", args=[world.home.enterprise.code_token]) in response["Location"]
    another = _client(world.other_user(Role.ENTERPRISE)).get(_url(world))
    assert another.status_code == 302
