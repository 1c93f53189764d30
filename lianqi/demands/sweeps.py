"""The periodic checks on demands: deadline warnings, overdue reminders and return visits, and
the refresh of the statistics' stale day cells.

Each sweep is a plain function of the moment `at` (run by `manage.py run_sweeps`, from cron or
a scheduler, or as the tasks in `tasks.py`) and returns how many notifications it queued. They
are idempotent: every message's dedupe key names the finding (the demand, the deadline or the
day) and the recipient, so running a sweep twice, or from two processes, tells nobody twice.

Overdue demands are *flagged* by notification, not by an event. The lists already compute
"overdue" from `due_on` at read time, so there is nothing to store; and an automatic reminder
event (`remind`) would be wrong three ways: the lifecycle table allows `remind` only to the
office and leaders, an event with no actor is read as the enterprise's own step
(`by_enterprise`), and each one bumps the demand's version, which would make every colleague's
open form stale once a day. So the reminder (催办) is a notification to the lead department and
the service office, at most one per demand per working day — none on holidays, when nobody can
act on it, and again on the first working day after."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianqi.core import calendar_store, workdays

from . import notify, queries, statistics
from .choices import DemandState
from .models import Demand

logger = logging.getLogger("lianqi.demands.sweeps")

#: Working days an enterprise has to rate a reply before the office calls (回访).
DEFAULT_RATING_WINDOW_WORKDAYS = 5


def rating_window_workdays() -> int:
    return int(getattr(settings, "LIANQI_RATING_WINDOW_WORKDAYS", DEFAULT_RATING_WINDOW_WORKDAYS))


def _with_parties(queryset: QuerySet[Demand]) -> QuerySet[Demand]:
    return queryset.select_related("enterprise", "category", "lead_department").order_by("due_on", "pk")


def deadline_warnings(*, at: dt.datetime) -> int:
    """Warn the lead department one working day before a demand's deadline (the
    `queries.due_soon` rule: due today or on the next working day). Once per deadline: an
    approved extension or a redo sets a new `due_on` and earns a new warning. A demand the
    department has sent back waits on the office's re-routing while its clock runs, so that
    warning goes to the service office instead."""
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        for demand in _with_parties(queries.due_soon(at=at)):
            words = notify.demand_words(demand)
            message = notify.Message(
                _("诉求即将到期：%(enterprise)s（%(category)s），答复期限%(due)s") % words,
                _("请在答复期限前答复，逾期将被通报催办。诉求内容：%(text)s") % {"text": demand.description},
                notify.demand_link(demand),
            )
            recipients = (
                notify.office_users(demand)
                if demand.state == DemandState.SENT_BACK
                else notify.department_handlers([demand.lead_department_id or 0])
            )
            with transaction.atomic():
                queued += notify.to_users(
                    recipients,
                    message,
                    key=f"demand:{demand.pk}:due-warning:{demand.due_on}",
                    at=at,
                )
    return queued


def overdue_reminders(*, at: dt.datetime) -> int:
    """Flag every overdue demand to its lead department and to the service office of its
    jurisdiction and those above, once per working day (see the module's docstring)."""
    calendar = calendar_store.get_calendar()
    if not workdays.is_workday_at(at, calendar):
        return 0
    today = workdays.shanghai_date(at)
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        for demand in _with_parties(queries.overdue(at=at)):
            assert demand.due_on is not None
            late = workdays.workdays_between(demand.due_on, today, calendar).days
            words = {**notify.demand_words(demand), "days": late}
            message = notify.Message(
                _("诉求已超期：%(enterprise)s（%(category)s），答复期限%(due)s") % words,
                _("已超期%(days)s个工作日，牵头部门：%(department)s。请尽快答复。") % words,
                notify.demand_link(demand),
            )
            key = f"demand:{demand.pk}:overdue:{today}"
            with transaction.atomic():
                queued += notify.to_users(
                    notify.department_handlers([demand.lead_department_id or 0]), message, key=key, at=at
                )
                queued += notify.to_users(notify.office_users(demand), message, key=key, at=at)
    return queued


def return_visits(*, at: dt.datetime) -> int:
    """Ask the service office to make the return visit (回访) for each replied demand the
    enterprise has not rated within the rating window (`LIANQI_RATING_WINDOW_WORKDAYS`, 5
    working days by default). Once per reply: a redo and a new reply earn a new request."""
    window = rating_window_workdays()
    queued = 0
    candidates = Demand.objects.select_related("enterprise", "category", "lead_department")
    with translation.override(settings.LANGUAGE_CODE):
        for demand in queries.awaiting_return_visit(
            at=at, rating_window_workdays=window, queryset=candidates
        ):
            assert demand.replied_at is not None
            words = {**notify.demand_words(demand), "days": window}
            message = notify.Message(
                _("请回访：%(enterprise)s（%(category)s）的诉求答复后%(days)s个工作日未评价") % words,
                _("答复内容：%(reply)s") % {"reply": demand.reply},
                notify.demand_link(demand),
            )
            with transaction.atomic():
                queued += notify.to_users(
                    notify.office_users(demand),
                    message,
                    key=f"demand:{demand.pk}:return-visit:{int(demand.replied_at.timestamp())}",
                    at=at,
                )
    return queued


def statistics_days(*, at: dt.datetime) -> int:
    """Recompute the statistics' day cells that demand steps marked stale (the statistics
    page refreshes its own scope before reading; this keeps the rest current). The cells
    always count what is stored now, whatever `at` the other sweeps are run for."""
    return statistics.refresh(at=max(at, timezone.now()))


SWEEPS = (deadline_warnings, overdue_reminders, return_visits, statistics_days)


def run_all(*, at: dt.datetime) -> dict[str, int]:
    """Every demand sweep, then the outbox's own sweep that delivers what is due. One failing
    sweep is logged and does not stop the others."""
    from lianqi.notifications.tasks import sweep_due

    results: dict[str, int] = {}
    for sweep in (*SWEEPS, sweep_due):
        try:
            results[sweep.__name__] = sweep(at=at)
        except Exception:
            logger.exception("sweep %s failed", sweep.__name__)
            results[sweep.__name__] = -1
    return results
