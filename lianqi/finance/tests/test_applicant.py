"""The applicant's data as the institution reads it: only what the enterprise consented to share
(registration, yearly figures, tax), only for an application made to that institution and not
withdrawn; another institution or park gets 404, and the contacts never show."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from lianqi.core.roles import Role
from lianqi.enterprises.models import Contact, YearFigure
from lianqi.testing.world import World

from ..choices import ApplicationState
from .factories import institution_of, make_application, rival_bank_user


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_institution_reads_only_what_was_shared_for_its_own_application(world: World) -> None:
    institution_of(world.home)
    enterprise = world.home.enterprise
    YearFigure.objects.create(
        enterprise=enterprise, year=2024, revenue=Decimal("3210.55"), tax=Decimal("87.65")
    )
    Contact.objects.create(enterprise=enterprise, name="王会计", phone="13900001111")
    row = make_application(world)
    url = reverse("finance:applicant", args=[row.pk])

    bank = client_for(world.user(Role.FINANCE))
    assert 'data-testid="applicant"' in bank.get(row.get_absolute_url()).content.decode()
    page = bank.get(url).content.decode()
    assert enterprise.name in page and "3210.55" in page and "87.65" in page
    assert "13900001111" not in page and "王会计" not in page

    assert client_for(rival_bank_user(world)).get(url).status_code == 404
    assert client_for(world.other_user(Role.FINANCE)).get(url).status_code == 404
    assert client_for(world.user(Role.ENTERPRISE)).get(url).status_code == 403
    assert client_for(world.user(Role.SERVICE_OFFICE)).get(url).status_code == 403

    withdrawn = make_application(world, ApplicationState.WITHDRAWN)
    assert bank.get(reverse("finance:applicant", args=[withdrawn.pk])).status_code == 404
    assert 'data-testid="applicant"' not in bank.get(withdrawn.get_absolute_url()).content.decode()
