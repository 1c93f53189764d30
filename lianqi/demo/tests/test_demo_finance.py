"""The demo's finance supermarket: Loudi's 27 institutions and about 160 products on the shelf,
a year of applications in every state with figures that add up to the fen, and the `bank`
login's home showing its institution's work queue and nothing of another bank's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import Client

from lianqi.accounts.models import User
from lianqi.demo.builder import DemoSummary, build_demo, ensure_reference_data
from lianqi.finance import queries
from lianqi.finance.choices import ApplicationState, ProductState
from lianqi.finance.models import Application, MatchingEvent, Pilot, Product

TODAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoSummary]:
    """The demo with its finance supermarket (no demands, no policies), built once."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_reference_data()
        summary = build_demo(seed=2022, today=TODAY, demands=False, policies=False)
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def demo(built: DemoSummary, db: Any) -> DemoSummary:
    return built


def test_the_shelf_has_loudis_proportions(demo: DemoSummary) -> None:
    assert demo.finance is not None
    assert demo.finance.institutions == 27
    assert 140 <= Product.objects.filter(state=ProductState.PUBLISHED).count() <= 170


def test_a_year_of_applications_in_every_state_adding_up_to_the_fen(demo: DemoSummary) -> None:
    assert demo.finance is not None
    states = set(Application.objects.values_list("state", flat=True))
    assert {ApplicationState.DISBURSED, ApplicationState.DECLINED, ApplicationState.SUBMITTED} <= states
    disbursed = Application.objects.filter(state=ApplicationState.DISBURSED)
    assert disbursed.count() > Application.objects.count() / 2
    assert demo.finance.disbursed_fen == disbursed.aggregate(total=Sum("disbursed_fen"))["total"]
    assert all((row.disbursed_fen or 0) <= (row.granted_fen or 0) <= row.amount_fen for row in disbursed)
    assert not disbursed.filter(disbursed_fen__isnull=True).exists()


def test_the_bank_login_sees_its_own_queue_only(demo: DemoSummary) -> None:
    bank = User.objects.get(username="bank")
    client = Client()
    client.force_login(bank)
    home = client.get("/").content.decode()
    assert "潭州示范农村商业银行" in home and "待受理申请" in home
    listing = client.get("/finance/applications/?size=200").content.decode()
    own = (
        Application.objects.filter(institution__name="潭州示范农村商业银行").order_by("submitted_at").first()
    )
    other = Application.objects.exclude(institution__name="潭州示范农村商业银行").first()
    assert own is not None and other is not None
    assert client.get(f"/finance/applications/{own.pk}/").status_code == 200
    assert client.get(f"/finance/applications/{other.pk}/").status_code == 404
    assert listing.count("/finance/applications/") >= 1


def test_the_two_matching_events_reproduce_the_seeds(demo: DemoSummary) -> None:
    figures = {event.title: queries.event_figures(event) for event in MatchingEvent.objects.all()}
    signed = sorted((f["firms"], f["signed_fen"]) for f in figures.values())
    assert signed == [(27, 660_570 * 1_000_000), (48, 1_316_700 * 1_000_000)]  # ¥6.6057bn, ¥13.167bn


def test_the_pledge_pilot_has_six_banks_and_a_whitelist(demo: DemoSummary) -> None:
    pilot = Pilot.objects.get(name="动产质押融资试点")
    assert pilot.banks.count() == 6 and pilot.guarantor.kind == "guarantee"
    found = queries.whitelist(pilot, day=TODAY)
    assert len(found.added) == 2 and len(found.removed) == 1
    assert found.members


def test_every_step_is_taken_by_whom_it_belongs_to(demo: DemoSummary) -> None:
    from lianqi.finance.choices import ApplicationAction, VersionState
    from lianqi.finance.models import ApplicationEvent, Attendance, ProductVersion, Tranche

    applied = ApplicationEvent.objects.filter(action=ApplicationAction.APPLY)
    # Every application is the enterprise's own, made from its account.
    assert applied.exists() and not applied.exclude(actor__enterprise_id__isnull=False).exists()
    assert all(
        e.actor is not None and e.actor.enterprise_id == e.application.enterprise_id
        for e in applied.select_related("actor", "application")
    )
    # Credit is granted after due diligence; some is still running.
    granted = Application.objects.filter(granted_fen__isnull=False)
    assert granted.exists() and not granted.filter(investigated_at__isnull=True).exists()
    assert Application.objects.filter(state=ApplicationState.DILIGENCE).exists()
    # Some loans are paid out in tranches, always adding up to what the application shows.
    assert Tranche.objects.filter(number=2).exists()
    for row in Application.objects.filter(tranches__number=2).distinct():
        assert sum(t.amount_fen for t in row.tranches.all()) == row.disbursed_fen
    # The bank's login finds a version published, one waiting and one returned.
    states = set(ProductVersion.objects.filter(submitted_by__username="bank").values_list("state", flat=True))
    assert states == {VersionState.PUBLISHED, VersionState.SUBMITTED, VersionState.RETURNED}
    for event in MatchingEvent.objects.all():
        came = set(Attendance.objects.filter(event=event).values_list("enterprise_id", flat=True))
        signed = set(event.agreements.values_list("enterprise_id", flat=True))
        invited = set(event.invitations.values_list("enterprise_id", flat=True))
        assert signed < came and signed <= invited


def test_the_events_agreements_are_followed_to_loans(demo: DemoSummary) -> None:
    for event in MatchingEvent.objects.all():
        figures = queries.event_figures(event)
        assert 0 < figures["disbursed_fen"] < figures["signed_fen"]
