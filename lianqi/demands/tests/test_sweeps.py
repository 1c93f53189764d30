"""The periodic sweeps at explicit moments around the 2026 Spring Festival (holiday 15–23
February, Saturday 14 February and Saturday 28 February worked): a warning one working day
before the deadline, a daily reminder on working days once it has passed, a return visit once
the rating window has run out — each told once."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.notifications.models import Channel, Notification, NotificationState
from lianqi.testing.world import make_user

from .. import sweeps
from ..choices import DemandState
from ..models import Demand
from .factories import handler, make_demand

pytestmark = pytest.mark.django_db

#: The first working day after the Spring Festival holiday.
AFTER_FESTIVAL = dt.date(2026, 2, 24)


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def subjects(user: Any) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, channel=Channel.IN_APP)
        .order_by("pk")
        .values_list("subject", flat=True)
    )


def assigned(world: Any, due_on: dt.date, state: str = DemandState.ASSIGNED) -> Demand:
    return make_demand(world, state, due_on=due_on)


def test_warning_comes_on_the_last_working_day_before_the_holiday(world: Any) -> None:
    lead = handler(world.home)
    demand = assigned(world, AFTER_FESTIVAL)
    # Friday 13th: the next working day is the worked Saturday, not the deadline.
    assert sweeps.deadline_warnings(at=at(2, 13)) == 0
    # Saturday 14th (worked): the next working day is the 24th, so this is one working day before.
    assert sweeps.deadline_warnings(at=at(2, 14)) == 1
    (subject,) = subjects(lead)
    assert subject.startswith("诉求即将到期") and "2026-02-24" in subject
    # The sweep runs again during the holiday and on the day itself: nobody is told twice.
    assert sweeps.deadline_warnings(at=at(2, 18)) == 0
    assert sweeps.deadline_warnings(at=at(2, 24, 16)) == 0
    assert subjects(lead) == [subject]
    # Nobody else hears of it.
    assert Notification.objects.exclude(recipient=lead).count() == 0
    # An extension sets a new deadline, which earns its own warning.
    demand.due_on = dt.date(2026, 2, 27)
    demand.save()
    assert sweeps.deadline_warnings(at=at(2, 26)) == 1


def test_warning_of_a_sent_back_demand_goes_to_the_office(world: Any) -> None:
    lead = handler(world.home)
    assigned(world, AFTER_FESTIVAL, state=DemandState.SENT_BACK)
    assert sweeps.deadline_warnings(at=at(2, 14)) == 1
    assert not subjects(lead)
    assert subjects(world.user(Role.SERVICE_OFFICE))[0].startswith("诉求即将到期")


def test_overdue_is_flagged_each_working_day_but_not_on_holidays(world: Any) -> None:
    lead = handler(world.home)
    lead.email = "jfj@example.cn"
    lead.save()
    office = world.user(Role.SERVICE_OFFICE)
    city_office = make_user("city_office", Role.SERVICE_OFFICE, world.city)
    assigned(world, dt.date(2026, 2, 13), state=DemandState.SIGNED)

    assert sweeps.overdue_reminders(at=at(2, 13, 23)) == 0  # due today: not late yet
    # Saturday 14th is worked: late by one working day; lead (in-app + email), office, city office.
    assert sweeps.overdue_reminders(at=at(2, 14)) == 4
    assert sweeps.overdue_reminders(at=at(2, 14, 17)) == 0  # once a day
    (subject,) = subjects(office)
    assert subject.startswith("诉求已超期") and "2026-02-13" in subject
    assert len(subjects(city_office)) == 1
    assert not subjects(world.other_user(Role.SERVICE_OFFICE))
    # The holiday: nobody can act on it, nobody is chased.
    for day in (15, 18, 23):
        assert sweeps.overdue_reminders(at=at(2, day)) == 0
    # The first working day after: chased again, and the body says how late it is.
    assert sweeps.overdue_reminders(at=at(2, 24)) == 4
    latest = Notification.objects.filter(recipient=lead, channel=Channel.IN_APP).order_by("-pk").first()
    assert latest is not None and "已超期2个工作日" in latest.body
    assert len(subjects(lead)) == 2


def test_replied_or_closed_demands_are_never_overdue(world: Any) -> None:
    handler(world.home)
    assigned(world, dt.date(2026, 2, 13), state=DemandState.REPLIED)
    assigned(world, dt.date(2026, 2, 13), state=DemandState.CLOSED)
    assert sweeps.overdue_reminders(at=at(2, 24)) == 0
    assert sweeps.deadline_warnings(at=at(2, 13)) == 0


def test_return_visit_after_five_working_days_without_a_rating(world: Any) -> None:
    office = world.user(Role.SERVICE_OFFICE)
    make_demand(world, DemandState.REPLIED, replied_at=at(2, 12, 15))
    # Working days after the reply: 13th, 14th (worked Saturday), then 24th, 25th, 26th.
    assert sweeps.return_visits(at=at(2, 23)) == 0
    assert sweeps.return_visits(at=at(2, 25)) == 0
    assert sweeps.return_visits(at=at(2, 26)) == 1
    (subject,) = subjects(office)
    assert subject.startswith("请回访") and "5个工作日未评价" in subject
    assert sweeps.return_visits(at=at(2, 27)) == 0


def test_return_visit_window_is_a_setting(world: Any, settings: Any) -> None:
    settings.LIANQI_RATING_WINDOW_WORKDAYS = 2
    make_demand(world, DemandState.REPLIED, replied_at=at(2, 12, 15))
    assert sweeps.return_visits(at=at(2, 14)) == 1


def test_run_sweeps_command_runs_every_sweep_and_delivers(world: Any) -> None:
    lead = handler(world.home)
    assigned(world, dt.date(2026, 2, 13))
    out = StringIO()
    call_command("run_sweeps", "--at", "2026-02-24T09:00:00+08:00", stdout=out)
    text = out.getvalue()
    assert "overdue_reminders=2" in text and "sweep_due=" in text
    note = Notification.objects.get(recipient=lead, channel=Channel.IN_APP)
    # In-app reminders are in the inbox as soon as they are written: nothing is left for the
    # outbox sweep of the same run.
    assert note.state == NotificationState.SENT
    assert "sweep_due=0" in text


def test_run_all_keeps_going_when_one_sweep_fails(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    make_demand(world, DemandState.REPLIED, replied_at=at(2, 12, 15))

    def broken(*, at: dt.datetime) -> int:
        raise RuntimeError("calendar table locked")

    monkeypatch.setattr(sweeps, "SWEEPS", (broken, sweeps.return_visits))
    results = sweeps.run_all(at=at(2, 26))
    assert results["broken"] == -1 and results["return_visits"] == 1
