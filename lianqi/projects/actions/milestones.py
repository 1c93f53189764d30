"""The battle map's writes: planning a milestone and recording its actual dates. Each locks the
project, bumps its version (a page shown before the change is refused as stale) and writes an
event of the project's history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.workflow import StaleVersion, required_text

from ..choices import MILESTONE_TEMPLATES, ProjectAction
from ..models import Milestone, Project
from ..progress import dependency_cycle
from ..workflow import roles_for, workflow
from .checks import not_before


def locked_project(project: Project, actor: Actor | None, expected_version: int) -> Project:
    """The project locked for a write outside the table, by an actor who holds a workflow role
    for it, at the version the page showed (inside the caller's transaction)."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.version != expected_version:
        raise StaleVersion(workflow, locked)
    if not roles_for(locked, actor):
        raise ValidationError(_("您不能修改该项目"))
    return locked


def touch(project: Project, *, action: str, actor: Actor | None, at: dt.datetime, note: str = "") -> None:
    """Bump a locked project's version and write the event of a change outside the table."""
    project.version += 1
    project.last_actor = actor
    project.last_changed_at = at
    project.save(update_fields=["version", "last_actor", "last_changed_at", "updated_at"])
    workflow.record(project, action=action, from_state=project.state, actor=actor, at=at, note=note)


def plan_milestone(
    *,
    project: Project,
    actor: Actor | None,
    expected_version: int,
    name: str,
    planned_start: dt.date,
    planned_end: dt.date,
    owner: str = "",
    depends_on: Milestone | None = None,
    order: int = 100,
    at: dt.datetime | None = None,
) -> Milestone:
    """Add a milestone to a project's battle map: its planned dates in order, and the milestone
    of the same project it waits for (which must end before this one ends)."""
    at = at or timezone.now()
    name = required_text(name, "name", _("请填写节点名称"))
    not_before(planned_end, planned_start, "planned_end", _("计划完成日期不能早于计划开始日期"))
    if depends_on is not None:
        if depends_on.project_id != project.pk:
            raise ValidationError({"depends_on": _("前置节点须属于同一项目")})
        not_before(
            planned_end,
            depends_on.planned_end,
            "planned_end",
            _("计划完成日期不能早于前置节点的计划完成日期"),
        )
    with transaction.atomic():
        locked = locked_project(project, actor, expected_version)
        milestone = Milestone.objects.create(
            project=locked,
            name=name,
            owner=owner.strip(),
            planned_start=planned_start,
            planned_end=planned_end,
            depends_on=depends_on,
            order=order,
        )
        touch(locked, action=ProjectAction.PLAN_MILESTONE, actor=actor, at=at, note=name)
    return milestone


def set_milestone_dependency(
    *,
    milestone: Milestone,
    actor: Actor | None,
    expected_version: int,
    depends_on: Milestone | None,
    at: dt.datetime | None = None,
) -> Milestone:
    """Make a milestone wait for another of its project (or for none): refused when it would
    wait for itself, directly or around a circle."""
    at = at or timezone.now()
    if depends_on is not None and depends_on.project_id != milestone.project_id:
        raise ValidationError({"depends_on": _("前置节点须属于同一项目")})
    with transaction.atomic():
        locked = locked_project(milestone.project, actor, expected_version)
        graph: dict[int, int | None] = dict(
            Milestone.objects.filter(project=locked).values_list("pk", "depends_on_id")
        )
        graph[milestone.pk] = depends_on.pk if depends_on else None
        if dependency_cycle(graph, milestone.pk):
            raise ValidationError({"depends_on": _("节点不能依赖自身（含间接依赖）")})
        milestone.depends_on = depends_on
        milestone.save(update_fields=["depends_on", "updated_at"])
        touch(locked, action=ProjectAction.PLAN_MILESTONE, actor=actor, at=at, note=milestone.name)
    return milestone


def record_milestone(
    *,
    milestone: Milestone,
    actor: Actor | None,
    expected_version: int,
    actual_start: dt.date | None,
    actual_end: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Milestone:
    """Record when a milestone actually started and, once reached, ended: neither in the
    future, the end not before the start, and never an end without a start."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    if actual_end is not None and actual_start is None:
        raise ValidationError({"actual_start": _("请先填写实际开始日期")})
    for field, day in (("actual_start", actual_start), ("actual_end", actual_end)):
        if day is not None and day > today:
            raise ValidationError({field: _("日期不能晚于今天")})
    not_before(actual_end, actual_start, "actual_end", _("实际完成日期不能早于实际开始日期"))
    with transaction.atomic():
        locked = locked_project(milestone.project, actor, expected_version)
        milestone.actual_start = actual_start
        milestone.actual_end = actual_end
        milestone.save(update_fields=["actual_start", "actual_end", "updated_at"])
        touch(locked, action=ProjectAction.RECORD_MILESTONE, actor=actor, at=at, note=milestone.name)
    return milestone


def plan_from_template(
    *,
    project: Project,
    actor: Actor | None,
    expected_version: int,
    start: dt.date,
    at: dt.datetime | None = None,
) -> list[Milestone]:
    """Lay out a project's battle map from its kind's template (`choices.MILESTONE_TEMPLATES`),
    one milestone after another from `start`, each waiting for the one before; only for a
    project with no milestones yet."""
    at = at or timezone.now()
    if not isinstance(start, dt.date):
        raise ValidationError({"start": _("请填写日期")})
    with transaction.atomic():
        locked = locked_project(project, actor, expected_version)
        if Milestone.objects.filter(project=locked).exists():
            raise ValidationError(_("该项目已有节点，不能再套用模板"))
        created: list[Milestone] = []
        begin = start
        # Stored in the park's language, whatever the language of the page that laid them out.
        with translation.override(settings.LANGUAGE_CODE):
            template = [(str(name), days) for name, days in MILESTONE_TEMPLATES[locked.kind]]
        for order, (name, days) in enumerate(template):
            end = begin + dt.timedelta(days=days - 1)
            created.append(
                Milestone.objects.create(
                    project=locked,
                    name=name,
                    planned_start=begin,
                    planned_end=end,
                    depends_on=created[-1] if created else None,
                    order=(order + 1) * 10,
                )
            )
            begin = end + dt.timedelta(days=1)
        touch(locked, action=ProjectAction.PLAN_MILESTONE, actor=actor, at=at, note=str(_("套用节点模板")))
    return created
