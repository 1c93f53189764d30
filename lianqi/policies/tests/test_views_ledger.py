"""The ledger pages: scoping (one contract per view), an application made online, approved
and paid through the forms, and 免申即享 beneficiaries approved in one go."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role
from lianqi.testing.contracts import ListExportContract, ListPageContract, ObjectPageContract
from lianqi.testing.world import World

from .. import actions
from ..choices import FulfilmentState
from ..models import Fulfilment, Policy
from .test_actions import make_policy, revenue, rule


def _published(world: World, **extra: Any) -> Policy:
    policy = make_policy(world, **extra)
    draft = actions.save_policy_draft(
        policy=policy, actor=None, rule=rule(policy.code), valid_from=dt.date(2025, 1, 1)
    )
    actions.publish_policy_version(version=draft, actor=world.user(Role.SERVICE_OFFICE))
    return policy


def home_entry(world: World, **extra: Any) -> Fulfilment:
    entry = Fulfilment.objects.filter(enterprise=world.home.enterprise).first()
    if entry is None:
        revenue(world.home.enterprise, timezone.localdate().year - 1, 2600)
        policy = _published(world, **extra)
        actions.rematch_policy(policy=policy)
        entry = Fulfilment.objects.get(policy=policy, enterprise=world.home.enterprise)
    return entry


LEDGER_READERS = (*STAFF_ROLES, Role.ENTERPRISE)


class TestLedgerContract(ListPageContract):
    allowed_roles = (Role.LEADER, Role.SERVICE_OFFICE, Role.ENTERPRISE, Role.ADMIN)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        home_entry(world)
        return reverse("policies:ledger")


class TestLedgerExportContract(ListExportContract):
    allowed_roles = (Role.LEADER, Role.SERVICE_OFFICE, Role.ADMIN)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        home_entry(world)
        return reverse("policies:ledger_export")


class TestFulfilmentContract(ObjectPageContract):
    allowed_roles = (Role.LEADER, Role.SERVICE_OFFICE, Role.ENTERPRISE, Role.ADMIN)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        return reverse("policies:fulfilment", args=[home_entry(world).pk])


class TestFulfilmentStepContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE,)
    denied_role = Role.FINANCE
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("policies:fulfilment_step", args=[home_entry(world).pk, "notify"])

    def data(self, world: World) -> dict[str, Any]:
        return {"expected_version": home_entry(world).version}


class TestMaterialDownloadContract(ObjectPageContract):
    allowed_roles = (Role.SERVICE_OFFICE, Role.ENTERPRISE)
    denied_role = Role.FINANCE

    def url(self, world: World) -> str:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from lianqi.core.uploads import store_upload

        from ..models import FulfilmentMaterial

        entry = home_entry(world)
        material = entry.materials.first()
        if material is None:
            material = FulfilmentMaterial(fulfilment=entry, at=timezone.now())
            store_upload(material, SimpleUploadedFile("报表.pdf", b"%PDF-1.4", "application/pdf"))
        return reverse("policies:material", args=[entry.pk, material.pk])


class TestBeneficiariesContract(ObjectPageContract):
    allowed_roles = (Role.LEADER, *OFFICE_ROLES)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("policies:beneficiaries", args=[home_entry(world, no_application=True).policy_id])


class TestApplyContract(ObjectPageContract):
    allowed_roles = (Role.ENTERPRISE,)
    denied_role = Role.LIAISON

    def url(self, world: World) -> str:
        return reverse("policies:apply", args=[home_entry(world).policy_id])


class TestNotifyMatchedContract(ObjectPageContract):
    method = "post"
    allowed_roles = (Role.SERVICE_OFFICE, Role.DEPARTMENT_HANDLER)
    denied_role = Role.LIAISON
    ok_statuses = (302,)

    def url(self, world: World) -> str:
        return reverse("policies:notify_matched", args=[home_entry(world).policy_id])


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_an_application_goes_online_to_payment_and_shows_in_the_totals(world: World) -> None:
    revenue(world.home.enterprise, timezone.localdate().year - 1, 2600)
    policy = _published(world)
    enterprise = _client(world.user(Role.ENTERPRISE))
    detail = enterprise.get(reverse("policies:detail", args=[policy.pk])).content.decode()
    assert 'data-testid="apply"' in detail
    response = enterprise.post(
        reverse("policies:apply", args=[policy.pk]), {"text": "申请培育奖励", "name": "王会计"}
    )
    entry = Fulfilment.objects.get(policy=policy)
    assert response.status_code == 302 and entry.state == FulfilmentState.APPLIED
    office = _client(world.user(Role.SERVICE_OFFICE))
    step = lambda action, **data: office.post(  # noqa: E731
        reverse("policies:fulfilment_step", args=[entry.pk, action]),
        {"expected_version": Fulfilment.objects.get(pk=entry.pk).version, **data},
    )
    assert step("review", note="材料齐全").status_code == 302
    bad = step("approve", amount="-3")
    assert bad.status_code == 400 and 'data-error-for="amount"' in bad.content.decode()
    assert step("approve", amount="10").status_code == 302
    paid = step("disburse", amount="10", disbursed_on=timezone.localdate().isoformat(), voucher="PZ-2025-88")
    assert paid.status_code == 302
    entry.refresh_from_db()
    assert entry.state == FulfilmentState.DISBURSED and entry.voucher_number == "PZ-2025-88"
    ledger = office.get(reverse("policies:ledger"), {"by": "period"}).content.decode()
    totals = ledger.split('data-testid="ledger-totals"')[1].split('data-testid="ledger-list"')[0]
    assert "10.00" in totals and str(entry.period) in totals


def test_a_stale_step_is_refused_with_a_message(world: World) -> None:
    entry = home_entry(world)
    office = _client(world.user(Role.SERVICE_OFFICE))
    url = reverse("policies:fulfilment_step", args=[entry.pk, "notify"])
    response = office.post(url, {"expected_version": entry.version + 5}, follow=True)
    assert "已被他人修改" in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == FulfilmentState.MATCHED


def test_no_application_beneficiaries_are_approved_in_one_go(world: World) -> None:
    entry = home_entry(world, no_application=True)
    leader = _client(world.user(Role.LEADER))
    url = reverse("policies:beneficiaries", args=[entry.policy_id])
    assert world.home.enterprise.name in leader.get(url).content.decode()
    response = leader.post(url, {"entry": [entry.pk]}, follow=True)
    assert "已批准 1 家企业" in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == FulfilmentState.APPROVED and entry.approved_amount == entry.promised_amount
    none_chosen = leader.post(url, {})
    assert none_chosen.status_code == 400


def test_an_application_carries_its_materials_and_a_refused_file_stores_nothing(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    revenue(world.home.enterprise, timezone.localdate().year - 1, 2600)
    policy = _published(world)
    enterprise = _client(world.user(Role.ENTERPRISE))
    url = reverse("policies:apply", args=[policy.pk])
    bad = SimpleUploadedFile("报表.pdf", b"MZ\x90\x00", "application/pdf")
    refused = enterprise.post(url, {"text": "申请培育奖励", "materials": [bad]})
    assert refused.status_code == 400 and "内容与文件类型不符" in refused.content.decode()
    assert not Fulfilment.objects.filter(policy=policy, state=FulfilmentState.APPLIED).exists()
    good = SimpleUploadedFile("2025年度财务报表.pdf", b"%PDF-1.4 test", "application/pdf")
    assert enterprise.post(url, {"text": "申请培育奖励", "materials": [good]}).status_code == 302
    entry = Fulfilment.objects.get(policy=policy)
    material = entry.materials.get()
    office = _client(world.user(Role.SERVICE_OFFICE))
    page = office.get(reverse("policies:fulfilment", args=[entry.pk])).content.decode()
    assert "2025年度财务报表.pdf" in page
    download = office.get(reverse("policies:material", args=[entry.pk, material.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"  # type: ignore[attr-defined]
    stranger = _client(world.other_user(Role.SERVICE_OFFICE))
    assert stranger.get(reverse("policies:material", args=[entry.pk, material.pk])).status_code == 404


def test_the_enterprise_is_told_of_approval_and_payment(world: World) -> None:
    from lianqi.notifications.models import Notification

    entry = home_entry(world, no_application=True)
    actions.approve_beneficiaries(fulfilments=[entry], actor=world.user(Role.LEADER))
    told = Notification.objects.filter(
        recipient=world.user(Role.ENTERPRISE), subject__contains=entry.policy.title
    )
    assert told.filter(body__contains="免申即享").exists()


def test_the_office_tells_every_matched_enterprise_from_the_policy_page(world: World) -> None:
    from lianqi.notifications.models import Notification

    entry = home_entry(world)
    office = _client(world.user(Role.SERVICE_OFFICE))
    page = office.get(reverse("policies:detail", args=[entry.policy_id])).content.decode()
    assert 'data-testid="notify-all"' in page and "告知 1 家已匹配企业" in page
    # Neither a liaison nor a leader gets the button (the ledger's notify step is not theirs).
    leader_page = _client(world.user(Role.LEADER)).get(reverse("policies:detail", args=[entry.policy_id]))
    assert 'data-testid="notify-all"' not in leader_page.content.decode()

    response = office.post(reverse("policies:notify_matched", args=[entry.policy_id]), follow=True)
    assert "已告知 1 家企业" in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == FulfilmentState.NOTIFIED
    told = set(
        Notification.objects.filter(subject__startswith="政策告知").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {world.user(Role.ENTERPRISE).username, world.user(Role.LIAISON).username}
    # Nothing is left to tell: no button, and a second click tells nobody twice.
    assert 'data-testid="notify-all"' not in response.content.decode()
    again = office.post(reverse("policies:notify_matched", args=[entry.policy_id]), follow=True)
    assert "没有需要您告知的企业" in again.content.decode()
    assert Notification.objects.filter(subject__startswith="政策告知").count() == 2


def test_the_ledger_narrows_to_one_policy_from_its_page_and_exports_it(world: World) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    entry = home_entry(world)
    other = _published(world, title="另一项研发补助", code="XT-2025-099")
    actions.rematch_policy(policy=other)
    assert Fulfilment.objects.filter(policy=other).exists()
    office = _client(world.user(Role.SERVICE_OFFICE))
    detail = office.get(reverse("policies:detail", args=[entry.policy_id])).content.decode()
    link = f"{reverse('policies:ledger')}?policy={entry.policy_id}"
    assert f'href="{link}"' in detail

    page = office.get(link).content.decode()
    assert 'data-testid="ledger-policy"' in page and entry.policy.title in page
    assert "另一项研发补助" not in page.split('data-testid="ledger-totals"')[1]
    # The filter stays when another is added, and the export carries it.
    assert f'name="policy" value="{entry.policy_id}"' in page
    workbook = load_workbook(
        BytesIO(office.get(reverse("policies:ledger_export"), {"policy": entry.policy_id}).content)
    )
    titles = {row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    assert titles == {entry.policy.title_with_level}
    # A mangled policy id is ignored, not an error.
    assert office.get(reverse("policies:ledger"), {"policy": "x"}).status_code == 200
