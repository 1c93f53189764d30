"""The office is told of the applications past their processing promise: still not accepted,
or accepted and undecided, after the working days the product promised for that step. One message per application and recipient,
whenever the sweep runs (its dedupe key names the application and its deadline), so running it
twice, or from two processes, tells nobody twice."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lianqi.core import calendar_store, workdays
from lianqi.demands import notify

from .. import queries
from ..choices import ApplicationState
from ..models import Application


def flag_overdue_applications(*, at: dt.datetime) -> int:
    """Notify the service office of each overdue application's jurisdiction and those above it
    (in-app, and by e-mail to those with an address); how many messages were queued."""
    calendar = calendar_store.get_calendar()
    today = workdays.shanghai_date(at)
    queued = 0
    rows = queries.overdue(Application.objects.all(), at=at).select_related(
        "enterprise", "institution", "product"
    )
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows.order_by("accept_due", "pk"):
            due = cast(dt.date, row.due)
            late = workdays.workdays_between(due, today, calendar).days
            words = {
                "enterprise": row.enterprise.name,
                "institution": row.institution.name,
                "product": row.product.name,
                "due": due.isoformat(),
                "days": late,
            }
            if row.state == ApplicationState.SUBMITTED:
                subject = _("融资申请超期未受理：%(enterprise)s（%(institution)s）") % words
                body = _(
                    "%(product)s，受理期限%(due)s，已超期%(days)s个工作日。可督促机构受理，或转为融资困难诉求。"
                )
            else:
                subject = _("融资申请超期未审批：%(enterprise)s（%(institution)s）") % words
                body = _(
                    "%(product)s，审批期限%(due)s，已超期%(days)s个工作日。可督促机构审批，或转为融资困难诉求。"
                )
            message = notify.Message(subject, body % words, row.get_absolute_url())
            # The office is found by the row's jurisdiction path alone, as for a demand.
            office = notify.office_users(cast(Any, row))
            with transaction.atomic():
                queued += notify.to_users(
                    office, message, key=f"finance:application:{row.pk}:overdue:{due}", at=at
                )
    return queued
