"""Invitations to a bank–enterprise matching event: from a condition over the register (a
pilot's whitelist among others) and from the financing-difficulty demands of the months
before, each with why; sent once (a second send invites nobody twice), told to the
enterprise's account in the app, refused with the field named, and scoped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.demands.choices import DemandState
from lianqi.demands.tests.factories import category, make_demand
from lianqi.enterprises.models import Industry
from lianqi.notifications.models import Channel, Notification
from lianqi.testing.world import World, make_enterprise

from .. import actions
from ..models import EventInvitation
from .test_events import event_of

MANUFACTURERS = {"attribute": "industry", "op": "prefix", "value": ["C"]}


def _trade() -> Industry:
    return Industry.objects.get_or_create(
        code="F", defaults={"level": 1, "name": "批发和零售业", "section": "F"}
    )[0]


def _rule(condition: Mapping[str, object]) -> dict[str, object]:
    return {"version": 1, "rules": [{"code": "RULE", "name": "邀请", "eligibility": condition}]}


def test_the_rule_and_the_recent_financing_demands_say_whom_to_invite(world: World) -> None:
    event = event_of(world)
    today = timezone.localdate()
    trader = make_enterprise(world.home.park, "湘潭示范商贸有限公司", industry=_trade())
    make_demand(
        world, DemandState.RECEIVED, enterprise=trader, received_at=timezone.now() - dt.timedelta(days=40)
    )
    old = make_enterprise(world.home.park, "湘潭示范老字号有限公司", industry=_trade())
    make_demand(
        world, DemandState.CLOSED, enterprise=old, received_at=timezone.now() - dt.timedelta(days=400)
    )
    other = make_enterprise(world.home.park, "湘潭示范咨询有限公司", industry=_trade())
    make_demand(world, DemandState.RECEIVED, enterprise=other, category=category("政策咨询"))
    make_demand(world, DemandState.RECEIVED, enterprise=world.other.enterprise)  # the other park's

    preview = actions.invitation_preview(event, _rule(MANUFACTURERS), 6, today)
    reasons = {i.enterprise_id: i.reason for i in preview}
    assert reasons == {world.home.enterprise.pk: "符合邀请规则", trader.pk: "近 6 个月有融资困难诉求"}
    # Looking back far enough takes in the old demand too; no rule, demands alone.
    assert {i.enterprise_id for i in actions.invitation_preview(event, None, 24, today)} == {
        trader.pk,
        old.pk,
    }


def test_sending_invites_once_and_tells_the_enterprise(world: World) -> None:
    event = event_of(world)
    office = world.user(Role.SERVICE_OFFICE)
    enterprise_user = world.user(Role.ENTERPRISE)
    sent = actions.send_event_invitations(
        event=event, rule=_rule(MANUFACTURERS), demand_months=0, actor=office
    )
    assert [row.enterprise for row in sent] == [world.home.enterprise]
    note = Notification.objects.get(recipient=enterprise_user, channel=Channel.IN_APP)
    assert event.title in note.subject and "高新区管委会" in note.body
    again = actions.send_event_invitations(
        event=event, rule=_rule(MANUFACTURERS), demand_months=6, actor=office
    )
    assert again == [] and EventInvitation.objects.count() == 1
    assert Notification.objects.filter(recipient=enterprise_user).count() == 1
    with pytest.raises(ValidationError) as refused:  # another park's office
        actions.send_event_invitations(
            event=event,
            rule=_rule(MANUFACTURERS),
            demand_months=0,
            actor=world.other_user(Role.SERVICE_OFFICE),
        )
    assert "event" in refused.value.message_dict


def test_the_page_previews_sends_and_names_bad_input(world: World) -> None:
    event = event_of(world)
    url = reverse("finance:event_invitations", args=[event.pk])
    office = Client()
    office.force_login(world.user(Role.SERVICE_OFFICE))
    rule = '{"attribute": "industry", "op": "prefix", "value": ["C"]}'
    page = office.post(url, {"rule": rule, "demand_months": "6", "preview": "1"}).content.decode()
    preview = page.split('data-testid="invitation-preview"')[1].split("</ul>")[0]
    assert world.home.enterprise.name in preview and "符合邀请规则" in preview
    assert not EventInvitation.objects.exists()  # a preview writes nothing
    for bad, field in (
        ({"rule": "{industry: C}"}, "rule"),
        ({"rule": rule, "demand_months": "30"}, "demand_months"),
    ):
        page = office.post(url, {"demand_months": "6", **bad, "send": "1"}).content.decode()
        assert f'data-error-for="{field}"' in page
    assert not EventInvitation.objects.exists()
    nobody = office.post(url, {"rule": "", "demand_months": "0", "send": "1"}).content.decode()
    assert 'data-error-for="rule"' in nobody  # nothing to invite is said, not silently done
    response = office.post(url, {"rule": rule, "demand_months": "6", "send": "1"})
    assert response.status_code == 302
    page = office.get(event.get_absolute_url()).content.decode()
    invited = page.split('data-testid="invitations"')[1].split("</ul>")[0]
    assert world.home.enterprise.name in invited
    # Another park's office, and a bank, get nothing of it.
    other = Client()
    other.force_login(world.other_user(Role.SERVICE_OFFICE))
    assert other.post(url, {"rule": rule, "demand_months": "6", "send": "1"}).status_code == 404
    bank = Client()
    bank.force_login(world.user(Role.FINANCE))
    assert bank.post(url, {"rule": rule, "send": "1"}).status_code in (403, 404)
    assert EventInvitation.objects.count() == 1


def test_the_api_previews_and_sends_and_names_a_bad_condition(world: World) -> None:
    from rest_framework.test import APIClient

    event = event_of(world)
    url = f"/api/v1/finance/events/{event.pk}/invitations/"
    office = APIClient()
    office.force_authenticate(world.user(Role.SERVICE_OFFICE))
    preview = office.post(url, {"condition": MANUFACTURERS, "demand_months": 0}, format="json")
    assert preview.status_code == 200
    assert preview.json() == [{"enterprise": world.home.enterprise.pk, "reason": "符合邀请规则"}]
    assert not EventInvitation.objects.exists()
    bad = office.post(url, {"condition": "{industry}", "send": True}, format="json")
    assert bad.status_code == 400 and "condition" in bad.json()["error"]["fields"]
    sent = office.post(url, {"condition": MANUFACTURERS, "demand_months": 0, "send": True}, format="json")
    assert sent.status_code == 201 and EventInvitation.objects.count() == 1
    other = APIClient()
    other.force_authenticate(world.other_user(Role.SERVICE_OFFICE))
    assert other.post(url, {"condition": MANUFACTURERS, "send": True}, format="json").status_code == 404
