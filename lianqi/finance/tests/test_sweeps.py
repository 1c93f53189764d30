"""The overdue sweep: the service office of the application's park (and above) hears once of
each application not accepted by its deadline; the other park's office and the bank do not,
and an application accepted in time is never mentioned."""

from __future__ import annotations

import datetime as dt

from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.notifications.models import Channel, Notification
from lianqi.testing.world import World

from .. import actions
from ..choices import ApplicationState
from .factories import make_application

AT = dt.datetime(2025, 3, 12, 9, 0, tzinfo=SHANGHAI)  # a Wednesday after the 2025-03-06 deadline


def test_the_office_hears_once_of_an_overdue_application(world: World) -> None:
    late = make_application(world)
    make_application(world, ApplicationState.ACCEPTED)
    make_application(world, accept_due=dt.date(2025, 3, 20))
    assert actions.flag_overdue_applications(at=AT) >= 1
    notes = Notification.objects.filter(channel=Channel.IN_APP)
    office = world.user(Role.SERVICE_OFFICE)
    assert {note.recipient for note in notes} == {office}
    note = notes.get()
    assert world.home.enterprise.name in note.subject and note.link == late.get_absolute_url()
    assert "4个工作日" in note.body  # 03-07, 03-10, 03-11, 03-12
    assert actions.flag_overdue_applications(at=AT + dt.timedelta(days=1)) == 0
    assert not Notification.objects.filter(recipient=world.other_user(Role.SERVICE_OFFICE)).exists()
    assert not Notification.objects.filter(recipient=world.user(Role.FINANCE)).exists()


def test_an_application_undecided_past_its_decision_deadline_is_flagged_as_such(world: World) -> None:
    make_application(world, ApplicationState.DILIGENCE, decide_due=dt.date(2025, 3, 10))
    make_application(world, ApplicationState.DILIGENCE, decide_due=dt.date(2025, 3, 12))  # due today
    assert actions.flag_overdue_applications(at=AT) == 1
    note = Notification.objects.get(channel=Channel.IN_APP)
    assert (
        note.subject.startswith("融资申请超期未审批") and "审批期限2025-03-10，已超期2个工作日" in note.body
    )
