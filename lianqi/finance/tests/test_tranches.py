"""A loan paid out in several tranches to the fen, their sum never above the credit granted
(refused on the field, nothing written), and closing an application: no more tranches after,
the loans it made still in the figures."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqi.core.roles import Role
from lianqi.core.workflow import TransitionNotAllowed
from lianqi.testing.world import World

from .. import actions, queries
from ..choices import ApplicationState
from ..models import Application, Tranche
from .factories import institution_of, make_application


def test_tranches_add_up_to_the_fen_and_never_above_the_credit(world: World) -> None:
    institution_of(world.home)
    bank = world.user(Role.FINANCE)
    today = timezone.localdate()
    row = make_application(world, ApplicationState.APPROVED, granted_fen=100_000_000)  # ¥1,000,000
    row = actions.disburse_application(
        application=row, actor=bank, expected_version=1, disbursed_yuan="300000.01", disbursed_on=today
    )
    row = actions.disburse_application(
        application=row, actor=bank, expected_version=2, disbursed_yuan="600000.00", disbursed_on=today
    )
    assert (row.state, row.disbursed_fen) == (ApplicationState.DISBURSED, 90_000_001)
    with pytest.raises(ValidationError) as refused:
        actions.disburse_application(
            application=row, actor=bank, expected_version=3, disbursed_yuan="100000.00", disbursed_on=today
        )
    assert "99,999.99" in refused.value.message_dict["disbursed_yuan"][0]
    assert Tranche.objects.filter(application=row).count() == 2
    row = actions.disburse_application(
        application=row, actor=bank, expected_version=3, disbursed_yuan="99999.99", disbursed_on=today
    )
    assert row.disbursed_fen == row.granted_fen == 100_000_000
    assert [t.amount_fen for t in queries.tranches(row)] == [30_000_001, 60_000_000, 9_999_999]
    assert queries.undrawn_fen(row) == 0

    row = actions.close_application(application=row, actor=bank, expected_version=4)
    assert row.state == ApplicationState.CLOSED
    with pytest.raises(TransitionNotAllowed):
        actions.disburse_application(
            application=row, actor=bank, expected_version=5, disbursed_yuan="0.01", disbursed_on=today
        )
    assert queries.figures(Application.objects.all())["disbursed_fen"] == 100_000_000


def test_the_bank_pays_a_tranche_and_closes_on_the_application_s_page(world: World) -> None:
    institution_of(world.home)
    row = make_application(world, ApplicationState.DISBURSED)  # ¥100,000 of ¥900,000
    bank = Client()
    bank.force_login(world.user(Role.FINANCE))
    step = reverse("finance:step", args=[row.pk, "disburse"])
    today = timezone.localdate().isoformat()
    response = bank.post(
        step,
        {
            "disburse-expected_version": 1,
            "disburse-disbursed_yuan": "800000.01",
            "disburse-disbursed_on": today,
        },
    )
    assert 'data-error-for="disbursed_yuan"' in response.content.decode()
    assert Tranche.objects.get().number == 1  # only the first, nothing written
    response = bank.post(
        step,
        {
            "disburse-expected_version": 1,
            "disburse-disbursed_yuan": "800000.00",
            "disburse-disbursed_on": today,
        },
    )
    assert response.status_code == 302
    page = bank.get(row.get_absolute_url()).content.decode()
    assert 'data-testid="tranches"' in page and "800,000.00" in page
    # The whole credit is paid out: no further tranche is offered, closing is.
    assert 'data-testid="step-disburse"' not in page and 'data-testid="step-close"' in page
    response = bank.post(reverse("finance:step", args=[row.pk, "close"]), {"close-expected_version": 2})
    row.refresh_from_db()
    assert row.state == ApplicationState.CLOSED
    page = bank.get(row.get_absolute_url()).content.decode()
    assert 'data-testid="step-disburse"' not in page and "已办结" in page
