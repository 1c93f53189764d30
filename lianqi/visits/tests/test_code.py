"""The enterprise's electronic questionnaire through its code (营商码): the tile shows only while
an open campaign takes the enterprise in; every page needs a confirmed phone; anyone who
confirmed one may fill the form in, which counts toward coverage as the enterprise's own form,
raises its demands through the intake action and is recorded once however often it is sent;
the enterprise's earlier answers are shown to the enterprise itself only."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from lianqi.demands.choices import Channel
from lianqi.demands.models import Demand
from lianqi.demands.tests.test_views_code import confirmed_client
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.tests.test_otp import PHONE
from lianqi.testing.world import World

from .. import queries
from ..choices import CampaignState, VisitChannel
from ..models import Campaign, Visit
from .factories import make_campaign

STRANGER_PHONE = "13912345678"


def url(name: str, enterprise: Enterprise, *args: Any) -> str:
    return reverse(f"codes:{name}", args=[enterprise.code_token, *args])


def filer(enterprise: Enterprise) -> Client:
    """Someone who confirmed a phone the enterprise never registered."""
    return confirmed_client(enterprise, name="王会计", phone=STRANGER_PHONE, registered=False)


def post_form(client: Client, enterprise: Enterprise, campaign: Campaign, **answers: Any) -> Any:
    data = {"idempotency_key": "code-form-1", "answer_state": "困难", "answer_finance": "yes"}
    data.update(answers)
    return client.post(url("visit_form", enterprise, campaign.pk), data)


def test_tile_shows_only_while_an_open_campaign_takes_the_enterprise_in(world: World) -> None:
    enterprise = world.home.enterprise
    public = url("public", enterprise)
    form_list = url("visit_list", enterprise)
    assert form_list not in Client().get(public).content.decode()
    make_campaign(world, CampaignState.DRAFT)
    make_campaign(world, CampaignState.CLOSED)
    make_campaign(world, CampaignState.OPEN, side=world.other)
    assert form_list not in Client().get(public).content.decode()
    make_campaign(world, CampaignState.OPEN)
    assert form_list in Client().get(public).content.decode()


def test_every_page_asks_a_stranger_to_confirm_a_phone(world: World) -> None:
    enterprise = world.home.enterprise
    campaign = make_campaign(world)
    confirm = reverse("codes:confirm_phone", args=[enterprise.code_token])
    for address in (
        url("visit_list", enterprise),
        url("visit_form", enterprise, campaign.pk),
        url("visit_done", enterprise, campaign.pk),
        url("visit_answers", enterprise, 1),
    ):
        response = Client().get(address)
        assert response.status_code == 302 and response["Location"].startswith(confirm), address
    assert post_form(Client(), enterprise, campaign, answer_amount="300").status_code == 302
    assert not Visit.objects.exists()


def test_filer_fills_the_form_it_counts_and_raises_a_demand_once(world: World) -> None:
    enterprise = world.home.enterprise
    campaign = make_campaign(world)
    client = filer(enterprise)
    page = client.get(url("visit_form", enterprise, campaign.pk)).content.decode()
    assert "是否有融资需求" in page and "当即解决" not in page
    response = post_form(client, enterprise, campaign, answer_amount="300")
    assert response.status_code == 302
    assert response["Location"].startswith(url("visit_done", enterprise, campaign.pk))
    # A retry on a poor network carries the same key: still one form, one demand.
    post_form(client, enterprise, campaign, answer_amount="300")
    visit = Visit.objects.get()
    assert visit.channel == VisitChannel.ELECTRONIC and visit.recorded_by is None
    assert visit.answers["amount"] == "300" and visit.people_met == "王会计"
    demand = Demand.objects.get()
    assert demand.category.name == "融资困难" and demand.channel == Channel.ENTERPRISE_CODE
    assert demand.contact_phone == STRANGER_PHONE
    assert visit.raised.get().demand == demand
    coverage = queries.coverage(campaign)
    assert coverage.total.visited == 1 and coverage.forms == {VisitChannel.ELECTRONIC: 1}
    done = client.get(response["Location"]).content.decode()
    assert "问卷已提交" in done and "300" not in done


def test_a_wrong_answer_is_told_next_to_its_question(world: World) -> None:
    enterprise = world.home.enterprise
    campaign = make_campaign(world)
    response = post_form(filer(enterprise), enterprise, campaign, answer_amount="-5")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-error-for="answer_amount"' in page
    assert not Visit.objects.exists() and not Demand.objects.exists()


def test_only_the_enterprise_sees_its_earlier_answers(world: World) -> None:
    enterprise = world.home.enterprise
    campaign = make_campaign(world)
    post_form(filer(enterprise), enterprise, campaign, answer_amount="300")
    visit = Visit.objects.get()
    stranger = filer(enterprise).get(url("visit_list", enterprise)).content.decode()
    assert campaign.title in stranger and url("visit_answers", enterprise, visit.pk) not in stranger
    refused = filer(enterprise).get(url("visit_answers", enterprise, visit.pk))
    assert refused.status_code == 302 and "registered=1" in refused["Location"]
    member = confirmed_client(enterprise, phone=PHONE)
    assert (
        url("visit_answers", enterprise, visit.pk)
        in member.get(url("visit_list", enterprise)).content.decode()
    )
    answers = member.get(url("visit_answers", enterprise, visit.pk)).content.decode()
    assert "融资金额" in answers and "300" in answers


def test_another_parks_campaign_and_form_are_404(world: World) -> None:
    enterprise = world.home.enterprise
    theirs = make_campaign(world, side=world.other)
    closed = make_campaign(world, CampaignState.CLOSED)
    client = confirmed_client(enterprise, phone=PHONE)
    assert client.get(url("visit_form", enterprise, theirs.pk)).status_code == 404
    assert client.get(url("visit_form", enterprise, closed.pk)).status_code == 404
    assert post_form(client, enterprise, theirs, answer_amount="1").status_code == 404
    other_visit_campaign = make_campaign(world, side=world.other)
    post_form(
        confirmed_client(world.other.enterprise, phone=PHONE),
        world.other.enterprise,
        other_visit_campaign,
        answer_amount="5",
    )
    other_visit = Visit.objects.get()
    assert client.get(url("visit_answers", enterprise, other_visit.pk)).status_code == 404
