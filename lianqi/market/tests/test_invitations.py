"""Invitations to a matching event: drawn from a rule over the register and from open needs,
previewed, sent once through the outbox, then attendance marked on the invited."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from lianqi.core.roles import Role
from lianqi.notifications.models import Notification
from lianqi.testing.world import World, make_user

from .. import actions
from ..choices import ParticipantRole
from ..models import FairParticipant
from .factories import enterprise_in, make_need


def office(world: World) -> Any:
    return world.user(Role.SERVICE_OFFICE)


def industry_rule(prefix: str) -> dict[str, Any]:
    eligibility = {"attribute": "industry", "op": "prefix", "value": [prefix]}
    return {"version": 1, "rules": [{"code": "INVITE", "name": "邀请", "eligibility": eligibility}]}


def test_invitations_come_from_the_rule_and_open_needs_are_previewed_and_sent_once(world: World) -> None:
    supplier = world.home.enterprise
    buyer = enterprise_in(world, "需方企业")
    make_need(buyer)
    elsewhere = enterprise_in(world, "外园区企业", where="city")
    make_need(elsewhere)
    account = make_user("supplier-user", Role.ENTERPRISE, world.home.park, enterprise=supplier)
    fair = actions.create_fair(actor=office(world), held_on=dt.date(2099, 5, 20), theme="线缆供需对接会")
    rule = industry_rule(supplier.industry.code)

    preview = {i.enterprise_id: i.role for i in actions.invitation_preview(fair, rule, dt.date(2099, 5, 1))}
    assert preview[buyer.pk] == ParticipantRole.BUYER  # an open need outranks the rule
    assert preview[supplier.pk] == ParticipantRole.SUPPLIER
    assert elsewhere.pk not in preview  # another park's firm is not this park's guest
    assert not FairParticipant.objects.exists()  # a preview writes nothing

    sent = actions.send_invitations(fair=fair, rule=rule, actor=office(world))
    assert {(p.enterprise_id, p.role) for p in sent} == set(preview.items())
    # Each invitation records who sent it and why.
    assert {(p.invited_by, p.reason) for p in sent} == {
        (office(world), "有未满足的采购需求"),
        (office(world), "符合邀请规则"),
    }
    staff = Client()
    staff.force_login(office(world))
    guests = staff.get(fair.get_absolute_url()).content.decode().split('data-testid="participants"')[1]
    assert "符合邀请规则" in guests.split("</ul>")[0]
    told = Notification.objects.filter(
        recipient=account, dedupe_key__startswith=f"market-fair-invite:{fair.pk}:"
    )
    assert told.count() == 1 and "线缆供需对接会" in told.get().subject

    again = actions.send_invitations(fair=fair, rule=rule, actor=office(world))
    assert again == []
    assert FairParticipant.objects.filter(fair=fair).count() == len(preview)
    assert Notification.objects.filter(recipient=account).count() == 1

    actions.invite(
        fair=fair, enterprise=buyer, role=ParticipantRole.BUYER, actor=office(world), attended=True
    )
    assert FairParticipant.objects.get(fair=fair, enterprise=buyer).attended
    assert not FairParticipant.objects.get(fair=fair, enterprise=supplier).attended


def test_only_the_office_of_the_events_jurisdiction_sends_invitations(world: World) -> None:
    fair = actions.create_fair(actor=office(world), held_on=dt.date(2099, 5, 20), theme="对接会")
    with pytest.raises(ValidationError) as refused:
        actions.send_invitations(fair=fair, rule=None, actor=world.user(Role.ENTERPRISE))
    assert "rule" in refused.value.message_dict
    with pytest.raises(ValidationError) as bad_rule:
        actions.send_invitations(fair=fair, rule=industry_rule("不是代码"), actor=office(world))
    assert "rule" in bad_rule.value.message_dict
    with pytest.raises(ValidationError):
        actions.send_invitations(fair=fair, rule=None, actor=world.other.users[Role.SERVICE_OFFICE])
    assert not FairParticipant.objects.exists()


def test_the_event_page_previews_then_sends_invitations_and_names_a_bad_rule(world: World) -> None:
    from django.test import Client
    from django.urls import reverse

    buyer = enterprise_in(world, "需方企业")
    make_need(buyer)
    fair = actions.create_fair(actor=office(world), held_on=dt.date(2099, 5, 20), theme="线缆供需对接会")
    client = Client()
    client.force_login(office(world))
    url = reverse("market:fair_invitations", args=[fair.pk])
    preview = client.post(url, {"rule": "", "preview": "1"}).content.decode()
    assert (
        'data-testid="invitation-preview"' in preview
        and "需方企业" in preview
        and "有未满足的采购需求" in preview
    )
    assert not FairParticipant.objects.exists()
    typed = json.dumps(
        {"attribute": "industry", "op": "prefix", "value": [world.home.enterprise.industry.code]}
    )
    by_rule = client.post(url, {"rule": typed, "preview": "1"}).content.decode()
    assert world.home.enterprise.name in by_rule and 'data-testid="invitation-error"' not in by_rule
    unknown = client.post(
        url, {"rule": '{"attribute": "no_such_thing", "op": "=", "value": 1}', "preview": "1"}
    )
    assert (
        'data-testid="invitation-error"' in unknown.content.decode()
        and "no_such_thing" in unknown.content.decode()
    )
    bad = client.post(url, {"rule": "{not json", "send": "1"})
    assert bad.status_code == 200 and 'data-testid="invitation-error"' in bad.content.decode()
    assert not FairParticipant.objects.exists()
    assert client.post(url, {"rule": "", "send": "1"}).status_code == 302
    assert client.post(url, {"rule": "", "send": "1"}).status_code == 302
    assert list(FairParticipant.objects.values_list("enterprise_id", flat=True)) == [buyer.pk]
    assert Client().post(url, {"send": "1"}).status_code in (302, 403)


def test_the_event_page_finds_firms_by_name_to_invite_and_to_record_a_deal(world: World) -> None:
    """The office picks firms with the searchable picker (not by typing a register id); a firm
    outside its jurisdiction is refused on its field and nothing is written."""
    from django.test import Client
    from django.urls import reverse

    from ..models import FairDeal

    buyer = enterprise_in(world, "需方企业")
    supplier = world.home.enterprise
    stranger = enterprise_in(world, "外省企业", where="elsewhere")
    fair = actions.create_fair(actor=office(world), held_on=dt.date(2099, 5, 20), theme="线缆供需对接会")
    client = Client()
    client.force_login(office(world))
    page = client.get(fair.get_absolute_url()).content.decode()
    assert page.count('data-picker="/enterprises/pick/') == 3  # invite, buyer, supplier
    invite = reverse("market:fair_participant", args=[fair.pk])
    refused = client.post(invite, {"enterprise": stranger.pk, "role": ParticipantRole.BUYER})
    assert refused.status_code == 200 and 'data-error-for="enterprise"' in refused.content.decode()
    assert not FairParticipant.objects.exists()
    assert client.post(invite, {"enterprise": buyer.pk, "role": ParticipantRole.BUYER}).status_code == 302
    assert FairParticipant.objects.get(fair=fair).enterprise == buyer
    deal = reverse("market:fair_deal", args=[fair.pk])
    data = {"buyer": buyer.pk, "supplier": stranger.pk, "subject": "电缆采购", "amount": "1200000.50"}
    refused = client.post(deal, data)
    assert 'data-error-for="supplier"' in refused.content.decode() and "需方企业" in refused.content.decode()
    assert client.post(deal, data | {"supplier": supplier.pk}).status_code == 302
    signed = FairDeal.objects.get(fair=fair)
    assert (signed.buyer, signed.supplier, str(signed.amount)) == (buyer, supplier, "1200000.50")


def test_the_api_previews_and_sends_invitations_scoped_to_the_event_s_office(world: World) -> None:
    from django.test import Client

    supplier = world.home.enterprise
    buyer = enterprise_in(world, "需方企业")
    make_need(buyer)
    account = make_user("invited-user", Role.ENTERPRISE, world.home.park, enterprise=supplier)
    fair = actions.create_fair(actor=office(world), held_on=dt.date(2099, 5, 20), theme="线缆供需对接会")
    url = f"/api/v1/market/fairs/{fair.pk}/invitations/"
    client = Client()
    client.force_login(office(world))
    condition = {"attribute": "industry", "op": "prefix", "value": [supplier.industry.code]}
    preview = client.post(url, {"condition": condition}, content_type="application/json")
    assert preview.status_code == 200
    assert {(row["enterprise"], row["role"]) for row in preview.json()} == {
        (buyer.pk, ParticipantRole.BUYER),
        (supplier.pk, ParticipantRole.SUPPLIER),
    }
    assert not FairParticipant.objects.exists()
    bad = client.post(url, {"condition": "{not json"}, content_type="application/json")
    assert bad.status_code == 400 and "condition" in bad.json()["error"]["fields"]
    sent = client.post(url, {"condition": condition, "send": True}, content_type="application/json")
    assert sent.status_code == 201 and len(sent.json()) == 2
    again = client.post(url, {"condition": condition, "send": True}, content_type="application/json")
    assert again.status_code == 201 and again.json() == []
    message = Notification.objects.get(recipient=account)
    assert message.link == "" and "2099-05-20" in message.body  # the event's page is the staff's
    other = Client()
    other.force_login(world.other.users[Role.SERVICE_OFFICE])
    assert other.post(url, {"send": True}, content_type="application/json").status_code == 404
    enterprise = Client()
    enterprise.force_login(account)
    assert enterprise.post(url, {}, content_type="application/json").status_code in (403, 404)
