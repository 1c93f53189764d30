"""Policies through the enterprise's code: which policies an enterprise fits tells its figures,
so only the enterprise itself (a registered phone confirmed by SMS, or its logged-in user) sees
them and applies; whoever merely holds the code is sent to confirm a phone."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.enterprises import otp
from lianqi.enterprises.models import RetiredCodeToken
from lianqi.testing.world import World

from ..choices import FulfilmentState
from ..models import Fulfilment
from .test_actions import make_policy
from .test_api import TITLE, policy_in_force


def member(token: str, phone: str = "13900005678") -> Client:
    """A browser that confirmed one of the enterprise's registered phones."""
    client = Client()
    session = client.session
    otp.remember(session, token=token, name="王会计", phone=phone, at=timezone.now(), registered=True)
    session.save()
    return client


def test_the_code_page_lists_the_policies_it_fits_with_reasons(world: World) -> None:
    policy_in_force(world)
    token = world.home.enterprise.code_token
    html = member(token).get(reverse("codes:policy_list", args=[token])).content.decode()
    eligible = html.split('data-testid="eligible-policies"')[1].split('data-testid="unknown-policies"')[0]
    assert TITLE in eligible and "本企业为 2600 万元（来源：统计年报" in eligible
    public = Client().get(reverse("codes:public", args=[token])).content.decode()
    assert reverse("codes:policy_list", args=[token]) in public


def test_unknown_and_replaced_codes_and_other_parks_policies(world: World) -> None:
    policy = policy_in_force(world)
    assert Client().get(reverse("codes:policy_list", args=["nope"])).status_code == 404
    RetiredCodeToken.objects.create(token="old-token", enterprise=world.home.enterprise)
    assert Client().get(reverse("codes:policy_list", args=["old-token"])).status_code == 410
    elsewhere = make_policy(world, code="JK-2025-001", title="经开区政策", jurisdiction=world.other.park)
    token = world.home.enterprise.code_token
    assert member(token).get(reverse("codes:policy_detail", args=[token, elsewhere.pk])).status_code == 404
    assert member(token).get(reverse("codes:policy_detail", args=[token, policy.pk])).status_code == 200


def test_the_enterprises_policies_are_not_shown_to_whoever_holds_the_code(world: World) -> None:
    policy = policy_in_force(world)
    token = world.home.enterprise.code_token
    for url in (
        reverse("codes:policy_list", args=[token]),
        reverse("codes:policy_detail", args=[token, policy.pk]),
    ):
        for client in (Client(), _filer(token)):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("codes:confirm_phone", args=[token]))
            assert TITLE not in response.content.decode()


def _filer(token: str) -> Client:
    """A browser that confirmed a phone the enterprise did not register."""
    client = Client()
    session = client.session
    otp.remember(session, token=token, name="路人", phone="13700009999", at=timezone.now())
    session.save()
    return client


def test_applying_through_the_code_needs_a_confirmed_phone(world: World) -> None:
    policy = policy_in_force(world)
    token = world.home.enterprise.code_token
    url = reverse("codes:policy_detail", args=[token, policy.pk])
    client = Client()
    response = client.post(url, {"text": "申请培育奖励"})
    assert (
        response.status_code == 302 and reverse("codes:confirm_phone", args=[token]) in response["Location"]
    )
    assert Fulfilment.objects.get(policy=policy).state == FulfilmentState.MATCHED
    session = client.session
    otp.remember(session, token=token, name="王会计", phone="13900005678", at=timezone.now(), registered=True)
    session.save()
    response = client.post(url, {"text": "申请培育奖励"})
    assert response.status_code == 302
    entry = Fulfilment.objects.get(policy=policy)
    assert entry.state == FulfilmentState.APPLIED and entry.applicant_phone == "13900005678"
    assert entry.events.last().by_enterprise  # type: ignore[union-attr]
    assert "已申报" in client.get(url).content.decode()
