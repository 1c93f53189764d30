"""Bank–enterprise matching events: agreements recorded with their fields checked, the event's
figures against hand-computed sums (only the loans from the institution signed with, since the
event's day, count), and who sees an event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.testing.contracts import ApiObjectContract, ListPageContract, ObjectPageContract
from lianqi.testing.world import World, make_enterprise

from .. import actions, queries
from ..choices import ApplicationState
from ..models import MatchingEvent
from ..permissions import MANAGERS
from .factories import institution_of, make_application, rival_bank_user

HELD = dt.date(2025, 3, 3)


def event_of(world: World) -> MatchingEvent:
    existing = MatchingEvent.objects.filter(jurisdiction=world.home.park).first()
    if existing is not None:
        return existing
    institution_of(world.other)
    return actions.create_event(
        jurisdiction=world.home.park,
        title="湘潭高新区银企对接会",
        held_on=HELD,
        institutions=[institution_of(world.home)],
        actor=world.user(Role.SERVICE_OFFICE),
        place="高新区管委会",
    )


class TestEventListContract(ListPageContract):
    allowed_roles = (*MANAGERS, Role.FINANCE)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        event_of(world)
        return reverse("finance:events")

    def marker(self, world: World) -> str:
        return "湘潭高新区银企对接会"


class TestEventContract(ObjectPageContract):
    allowed_roles = (*MANAGERS, Role.FINANCE)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("finance:event", args=[event_of(world).pk])


def test_the_figures_follow_the_agreements_to_the_loans(world: World) -> None:
    event = event_of(world)
    office = world.user(Role.SERVICE_OFFICE)
    bank = institution_of(world.home)
    second = make_enterprise(world.home.park, "湘潭高新区精密轴承有限公司")
    actions.record_agreement(
        event=event,
        enterprise=world.home.enterprise,
        institution=bank,
        amount_yuan="30000000.00",
        kind="credit",
        actor=office,
    )
    actions.record_agreement(
        event=event,
        enterprise=world.home.enterprise,
        institution=bank,
        amount_yuan="6057000.01",
        kind="mortgage",
        actor=office,
    )
    actions.record_agreement(
        event=event, enterprise=second, institution=bank, amount_yuan="24000000", kind="credit", actor=office
    )
    # Lent since the event by the bank signed with: counts. Before the event, or still only approved: does not.
    make_application(
        world,
        ApplicationState.DISBURSED,
        granted_fen=500_000_000,
        disbursed_fen=123_456_789,
        disbursed_on=HELD,
    )
    make_application(
        world,
        ApplicationState.DISBURSED,
        granted_fen=500_000_000,
        disbursed_fen=1,
        disbursed_on=HELD - dt.timedelta(days=1),
    )
    make_application(world, ApplicationState.APPROVED, granted_fen=500_000_000)
    figures = queries.event_figures(event)
    assert figures == {
        "agreements": 3,
        "firms": 2,
        "signed_fen": 3_000_000_000 + 605_700_001 + 2_400_000_000,
        "disbursed_fen": 123_456_789,
        "attended": 0,
        "invited": 0,
    }


def test_an_agreement_names_its_bad_fields_and_writes_nothing(world: World) -> None:
    event = event_of(world)
    other_bank = institution_of(world.other)
    with pytest.raises(ValidationError) as refused:
        actions.record_agreement(
            event=event,
            enterprise=world.other.enterprise,
            institution=other_bank,
            amount_yuan="1.001",
            kind="nothing",
            actor=world.user(Role.SERVICE_OFFICE),
        )
    assert set(refused.value.message_dict) == {"enterprise", "institution", "amount_yuan", "kind"}
    with pytest.raises(ValidationError):
        actions.record_agreement(
            event=event,
            enterprise=world.home.enterprise,
            institution=institution_of(world.home),
            amount_yuan="100",
            kind="credit",
            actor=world.other_user(Role.SERVICE_OFFICE),
        )
    assert not event.agreements.exists()


def test_a_bank_that_did_not_come_does_not_see_the_event(world: World) -> None:
    event = event_of(world)
    rival = Client()
    rival.force_login(rival_bank_user(world))
    assert rival.get(reverse("finance:event", args=[event.pk])).status_code == 404


class TestEventApiContract(ApiObjectContract):
    allowed_roles = (*MANAGERS, Role.FINANCE)
    denied_role = Role.ENTERPRISE

    def url(self, world: World) -> str:
        return reverse("api:finance-event-detail", args=[event_of(world).pk])


def test_the_api_gives_the_events_figures_in_fen(world: World) -> None:
    event = event_of(world)
    office = world.user(Role.SERVICE_OFFICE)
    actions.record_agreement(
        event=event,
        enterprise=world.home.enterprise,
        institution=institution_of(world.home),
        amount_yuan="66057.01",
        kind="credit",
        actor=office,
    )
    client = Client()
    client.force_login(office)
    data = client.get(reverse("api:finance-event-detail", args=[event.pk])).json()
    assert data["figures"] == {
        "firms": 1,
        "agreements": 1,
        "signed_fen": 6_605_701,
        "disbursed_fen": 0,
        "attended": 0,
        "invited": 0,
    }


def test_the_office_records_an_agreement_on_the_page_to_the_fen(world: World) -> None:
    event = event_of(world)
    office = Client()
    office.force_login(world.user(Role.SERVICE_OFFICE))
    url = reverse("finance:event", args=[event.pk])
    bank = institution_of(world.home)
    response = office.post(
        url,
        {
            "enterprise": world.other.enterprise.pk,
            "institution": bank.pk,
            "amount_yuan": "1.001",
            "kind": "credit",
        },
    )
    html = response.content.decode()
    assert 'data-error-for="enterprise"' in html and 'data-error-for="amount_yuan"' in html
    assert not event.agreements.exists()
    response = office.post(
        url,
        {
            "enterprise": world.home.enterprise.pk,
            "institution": bank.pk,
            "amount_yuan": "660570000.01",
            "kind": "credit",
        },
    )
    assert response.status_code == 302
    assert event.agreements.get().amount_fen == 66_057_000_001
    reader = Client()
    reader.force_login(world.user(Role.FINANCE))
    assert (
        reader.post(
            url,
            {
                "enterprise": world.home.enterprise.pk,
                "institution": bank.pk,
                "amount_yuan": "1",
                "kind": "credit",
            },
        ).status_code
        == 403
    )


def test_the_office_records_an_event_and_its_attendance_on_pages(world: World) -> None:
    bank = institution_of(world.home)
    office = Client()
    office.force_login(world.user(Role.SERVICE_OFFICE))
    url = reverse("finance:event_new")
    data = {"title": "", "held_on": "2025-03-03", "place": "高新区管委会", "institutions": [bank.pk]}
    assert 'data-error-for="title"' in office.post(url, data).content.decode()
    assert not MatchingEvent.objects.exists()
    response = office.post(url, {**data, "title": "春季银企对接会"})
    event = MatchingEvent.objects.get()
    assert response.status_code == 302 and event.jurisdiction == world.home.park

    attend = reverse("finance:event_attendance", args=[event.pk])
    other_firm = office.post(attend, {"enterprise": world.other.enterprise.pk})
    assert 'data-error-for="enterprise"' in other_firm.content.decode()
    assert office.post(attend, {"enterprise": world.home.enterprise.pk}).status_code == 302
    again = office.post(attend, {"enterprise": world.home.enterprise.pk})
    assert "已登记参会" in again.content.decode()
    page = office.get(event.get_absolute_url()).content.decode()
    assert world.home.enterprise.name in page
    assert queries.event_figures(event)["attended"] == 1

    # The API gives the attendance and the figure; the bank reads, another park's office cannot.
    api = Client()
    api.force_login(world.user(Role.FINANCE))
    body = api.get(f"/api/v1/finance/events/{event.pk}/").json()
    assert body["figures"]["attended"] == 1
    assert body["attendances"] == [
        {"enterprise": world.home.enterprise.pk, "enterprise_name": world.home.enterprise.name}
    ]
    assert api.post(attend, {"enterprise": world.home.enterprise.pk}).status_code == 403
    assert api.get(url).status_code == 403
    other = Client()
    other.force_login(world.other_user(Role.SERVICE_OFFICE))
    assert other.post(attend, {"enterprise": world.other.enterprise.pk}).status_code == 404
    assert other.get(f"/api/v1/finance/events/{event.pk}/").status_code == 404
