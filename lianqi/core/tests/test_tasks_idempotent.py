"""Every background task is safe to run twice: a task queue may deliver a job again (a worker
killed after the work but before the acknowledgement, a retry, the sweep running beside the
worker), so running any task a second time changes nothing a user would see: no second e-mail,
no second reminder, no enterprise imported twice, no match counted twice.

The list of tasks is discovered from every app's `tasks` module: a new task without a scenario
here fails `test_every_task_has_a_run_twice_scenario`."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from django_tasks.base import Task

from lianqi.core.models import Job
from lianqi.core.roles import Role
from lianqi.core.workdays import SHANGHAI
from lianqi.demands import tasks as demand_tasks
from lianqi.demands.choices import DemandState
from lianqi.demands.tests.factories import handler, make_demand
from lianqi.enterprises import tasks as enterprise_tasks
from lianqi.enterprises.actions import importing
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.tests.fixtures_import import home_job
from lianqi.finance import tasks as finance_tasks
from lianqi.finance.choices import ApplicationState, VersionState
from lianqi.finance.models import FigureCell, Product, ProductVersion
from lianqi.finance.tests.factories import make_application, product_of
from lianqi.inspections import tasks as inspection_tasks
from lianqi.inspections.choices import InspectionState
from lianqi.inspections.models import StatisticsCell
from lianqi.inspections.tests.factories import make_inspection
from lianqi.land import tasks as land_tasks
from lianqi.land.models import ParcelEvent, Reservation, ReservationEvent
from lianqi.land.tests.factories import make_reservation
from lianqi.notifications import actions as outbox
from lianqi.notifications import tasks as notification_tasks
from lianqi.notifications.models import Channel, Notification
from lianqi.policies import tasks as policy_tasks
from lianqi.policies.models import Fulfilment, PolicyMatch
from lianqi.policies.tests.test_actions import make_policy, published, revenue
from lianqi.projects import tasks as project_tasks_module
from lianqi.projects.models import ReportBuild

pytestmark = pytest.mark.django_db

# A Monday, a working day: tasks read the clock themselves, so the tests set it.
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)

Scenario = Callable[[Any, list[Any]], tuple[Callable[[], object], Callable[[], object]]]


def project_tasks() -> dict[str, Task[Any, Any]]:
    """Every task defined in an app's `tasks` module, by its dotted path."""
    found: dict[str, Task[Any, Any]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("lianqi."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, Task) and value.module_path.startswith(f"{config.name}.tasks."):
                found[value.module_path] = value
    return found


def notifications() -> list[tuple[Any, ...]]:
    return sorted(Notification.objects.values_list("recipient_id", "address", "channel", "subject", "state"))


def delivery(world: Any, mailoutbox: list[Any], run: Callable[[int], object]) -> Any:
    note = outbox.queue_notification(channel=Channel.EMAIL, address="boss@example.cn", subject="诉求已答复")
    return (lambda: run(note.pk)), (lambda: (len(mailoutbox), notifications()))


def demand_sweep(state: str, task: Task[Any, Any], **fields: Any) -> Scenario:
    def scenario(world: Any, mailoutbox: list[Any]) -> Any:
        handler(world.home)
        make_demand(world, state, **fields)
        return task.call, notifications

    return scenario


def import_commit(world: Any, mailoutbox: list[Any]) -> Any:
    job = home_job(world)
    importing.request_commit(job=job, actor=world.user(Role.SERVICE_OFFICE), mode=importing.MODE_ALL)
    return (
        lambda: enterprise_tasks.commit_enterprise_import.call(job.pk),
        lambda: (Enterprise.objects.count(), Job.objects.get(pk=job.pk).status),
    )


def import_validation(world: Any, mailoutbox: list[Any]) -> Any:
    job = home_job(world)
    # Back to the state its upload left it in: queued for validation, nothing read yet.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, processed=0, result={"phase": "validate"})

    def observe() -> object:
        again = Job.objects.get(pk=job.pk)
        return again.status, again.result.get("counts"), again.processed

    return lambda: enterprise_tasks.validate_enterprise_import.call(job.pk), observe


def policy_matches() -> list[tuple[Any, ...]]:
    return sorted(
        PolicyMatch.objects.values_list("policy_id", "enterprise_id", "verdict", "amount")
    ) + sorted(Fulfilment.objects.values_list("policy_id", "enterprise_id", "period", "state"))


def rematch(of_policy: bool) -> Scenario:
    def scenario(world: Any, mailoutbox: list[Any]) -> Any:
        enterprise = world.home.enterprise
        revenue(enterprise, NOW.year - 1, 2600)
        policy = make_policy(world)
        published(world, policy)
        if of_policy:
            return (lambda: policy_tasks.rematch_policy_task.call(policy.pk)), policy_matches
        return (lambda: policy_tasks.rematch_enterprise_task.call(enterprise.pk)), policy_matches

    return scenario


# --- Finance: product versions taking effect, and the overdue applications' sweep -------------


def finance_versions(world: Any, mailoutbox: list[Any]) -> Any:
    product = product_of(world.home, code="P-IDEM")
    ProductVersion.objects.create(
        product=product,
        number=1,
        state=VersionState.PUBLISHED,
        valid_from=NOW.date(),
        min_amount_fen=100,
        max_amount_fen=500_000_001,
        min_rate=product.min_rate,
        max_rate=product.max_rate,
        min_term_months=1,
        max_term_months=12,
        rule=product.rule,
        submitted_by=world.user(Role.FINANCE),
    )

    def observe() -> object:
        return list(
            Product.objects.filter(pk=product.pk).values_list("version_id", "max_amount_fen", "state")
        )

    return finance_tasks.apply_product_versions.call, observe


def finance_overdue(world: Any, mailoutbox: list[Any]) -> Any:
    make_application(world)  # due 2025-03-06, still not accepted
    return finance_tasks.sweep_overdue_applications.call, lambda: (len(mailoutbox), notifications())


def finance_figures(world: Any, mailoutbox: list[Any]) -> Any:
    # Written past the actions with its days marked: the first run counts them, once.
    make_application(world, ApplicationState.DISBURSED)

    def observe() -> object:
        return sorted(
            FigureCell.objects.values_list("day", "dimension", "key", "applications", "disbursed_fen")
        )

    return finance_tasks.refresh_figures.call, observe


FINANCE_SCENARIOS: dict[str, Scenario] = {
    "lianqi.finance.tasks.apply_product_versions": finance_versions,
    "lianqi.finance.tasks.sweep_overdue_applications": finance_overdue,
    "lianqi.finance.tasks.refresh_figures": finance_figures,
}


def inspection_statistics(world: Any, mailoutbox: list[Any]) -> Any:
    # An order to rectify whose deadline passed: the first run counts its day overdue, once.
    make_inspection(
        world,
        InspectionState.CLOSED,
        finding="rectification",
        rectification_days=5,
        rectification_due_on=dt.date(2026, 2, 20),
    )

    def observe() -> object:
        return sorted(
            StatisticsCell.objects.values_list("planned_on", "inspections", "rectifications_overdue")
        )

    return inspection_tasks.refresh_statistics.call, observe


def land_sweep(world: Any, mailoutbox: list[Any]) -> Any:
    # Held until the Friday before NOW: released on the sweep's first run, never twice.
    make_reservation(world, expires_on=dt.date(2026, 2, 27))
    make_reservation(world, expires_on=dt.date(2026, 3, 16))

    def observe() -> object:
        return (
            sorted(Reservation.objects.values_list("pk", "state", "version", "parcel__state")),
            ReservationEvent.objects.count(),
            ParcelEvent.objects.count(),
        )

    return land_tasks.run_land_sweeps.call, observe


def project_report(world: Any, mailoutbox: list[Any]) -> Any:
    # Queued without its task (as a worker finds it); built once, never a second file.
    build = ReportBuild.objects.create(owner=world.user(Role.LEADER), year=2026, month=2, format="docx")

    def observe() -> object:
        again = ReportBuild.objects.get(pk=build.pk)
        return ReportBuild.objects.count(), again.status, again.file.name, again.finished_at

    return lambda: project_tasks_module.build_monthly_report.call(build.pk), observe


SCENARIOS: dict[str, Scenario] = {
    "lianqi.notifications.tasks.deliver_notification": lambda world, mail: delivery(
        world, mail, notification_tasks.deliver_notification.call
    ),
    "lianqi.notifications.tasks.sweep_notifications": lambda world, mail: delivery(
        world, mail, lambda pk: notification_tasks.sweep_notifications.call()
    ),
    "lianqi.demands.tasks.run_sweeps": demand_sweep(
        DemandState.ASSIGNED, demand_tasks.run_sweeps, due_on=dt.date(2026, 2, 25)
    ),
    "lianqi.demands.tasks.sweep_overdue": demand_sweep(
        DemandState.ASSIGNED, demand_tasks.sweep_overdue, due_on=dt.date(2026, 2, 25)
    ),
    "lianqi.demands.tasks.sweep_deadline_warnings": demand_sweep(
        DemandState.ASSIGNED, demand_tasks.sweep_deadline_warnings, due_on=dt.date(2026, 3, 3)
    ),
    "lianqi.demands.tasks.sweep_return_visits": demand_sweep(
        DemandState.REPLIED,
        demand_tasks.sweep_return_visits,
        replied_at=dt.datetime(2026, 1, 20, 10, tzinfo=SHANGHAI),
    ),
    "lianqi.enterprises.tasks.validate_enterprise_import": import_validation,
    "lianqi.enterprises.tasks.commit_enterprise_import": import_commit,
    "lianqi.policies.tasks.rematch_enterprise_task": rematch(of_policy=False),
    "lianqi.policies.tasks.rematch_policy_task": rematch(of_policy=True),
    **FINANCE_SCENARIOS,
    "lianqi.inspections.tasks.refresh_statistics": inspection_statistics,
    "lianqi.land.tasks.run_land_sweeps": land_sweep,
    "lianqi.projects.tasks.build_monthly_report": project_report,
}


def test_every_task_has_a_run_twice_scenario() -> None:
    assert set(project_tasks()) == set(SCENARIOS)


@pytest.mark.parametrize("path", sorted(SCENARIOS))
def test_running_a_task_twice_changes_nothing_more(
    path: str, world: Any, mailoutbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    run, observe = SCENARIOS[path](world, mailoutbox)
    before = observe()
    run()
    once = observe()
    # The first run did something a user notices, or the scenario would prove nothing.
    assert once != before
    run()
    assert observe() == once
