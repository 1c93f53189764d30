"""Every write of approvals: keeping a chart and its three lists (stages, items with their
prerequisites, materials), starting a project's run from its kind's chart, and one keyword-only,
typed `verb_noun` action per step of an item's table (`workflow.TABLE`) on core's `take_step`
(lock, version, table, change, event, effects on commit). Each step says on which day it took
place (`on`): a window's book is often entered the day after. Bad input is refused with a
field-level message and leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core import workdays
from lianqi.core.actors import Actor
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import Step, required_text, take_step
from lianqi.org.models import Jurisdiction

from . import flow
from .choices import TARGET_WORKDAYS, ItemAction, ItemState, MaterialForm
from .models import Chart, Item, Material, Run, RunItem, Stage
from .workflow import workflow


def project_kinds() -> list[tuple[str, str]]:
    """The kinds of project (value, label) as the projects' model declares them: read through
    the app registry, since approvals does not import a wing of its own layer."""
    field = apps.get_model("projects", "Project")._meta.get_field("kind")
    return [(str(value), str(label)) for value, label in field.choices or ()]


def _within(actor: Actor, path: str) -> None:
    if not path_visible(actor, path):
        raise ValidationError({"jurisdiction": _("不能修改您管辖范围以外的一图三单")})


# --- The chart and its three lists -----------------------------------------------------------


def create_chart(
    *,
    jurisdiction: Jurisdiction,
    project_kind: str,
    name: str,
    actor: Actor,
    target_workdays: int = TARGET_WORKDAYS,
    note: str = "",
) -> Chart:
    """A jurisdiction's chart for one kind of project (one per kind)."""
    _within(actor, jurisdiction.path)
    if project_kind not in dict(project_kinds()):
        raise ValidationError({"project_kind": _("请选择项目类别")})
    name = required_text(name, "name", _("请填写名称"))
    if target_workdays <= 0:
        raise ValidationError({"target_workdays": _("承诺总时限须大于0个工作日")})
    if Chart.objects.filter(jurisdiction=jurisdiction, project_kind=project_kind).exists():
        raise ValidationError({"project_kind": _("该类项目已有一图三单")})
    return Chart.objects.create(
        jurisdiction=jurisdiction,
        project_kind=project_kind,
        name=name,
        target_workdays=target_workdays,
        note=note,
    )


def add_stage(
    *, chart: Chart, name: str, actor: Actor, order: int | None = None, counted: bool = True
) -> Stage:
    """A stage (a column of the diagram), after the chart's last unless `order` says where;
    one that follows construction is not `counted` in the promised working days."""
    _within(actor, chart.jurisdiction_path)
    name = required_text(name, "name", _("请填写阶段名称"))
    if order is None:
        order = (chart.stages.count() + 1) * 10
    return Stage.objects.create(chart=chart, name=name, order=order, counted=counted)


def _prerequisite_cycle(chart: Chart, item: Item, prerequisites: Sequence[Item]) -> str:
    """The names on the circle that `prerequisites` would close for `item` (empty when none)."""
    through = Item.prerequisites.through.objects.filter(from_item__chart=chart)
    graph: dict[int, list[int]] = {pk: [] for pk in chart.items.values_list("pk", flat=True)}
    for src, dst in through.values_list("from_item_id", "to_item_id"):
        graph.setdefault(src, []).append(dst)
    cycle = flow.would_cycle(graph, item.pk, [p.pk for p in prerequisites])
    if not cycle:
        return ""
    names = dict(chart.items.values_list("pk", "name"))
    return " → ".join(names.get(pk, str(pk)) for pk in cycle)


def _check_prerequisites(chart: Chart, item: Item | None, prerequisites: Sequence[Item]) -> None:
    if any(p.chart_id != chart.pk for p in prerequisites):
        raise ValidationError({"prerequisites": _("前置事项须是同一张一图三单中的事项")})
    if item is not None and any(p.pk == item.pk for p in prerequisites):
        raise ValidationError({"prerequisites": _("事项不能以自身为前置事项")})
    if item is not None:
        circle = _prerequisite_cycle(chart, item, prerequisites)
        if circle:
            raise ValidationError({"prerequisites": _("前置事项形成循环：%(circle)s") % {"circle": circle}})


def add_item(
    *,
    chart: Chart,
    stage: Stage,
    name: str,
    department: str,
    time_limit: int,
    actor: Actor,
    prerequisites: Sequence[Item] = (),
    basis: str = "",
    statutory_limit: int | None = None,
    fee: str = "不收费",
    place: str = "",
    lenient: bool = False,
    order: int | None = None,
) -> Item:
    """An approval item of the chart in one of its stages, with how it is carried out and the
    items it waits for."""
    _within(actor, chart.jurisdiction_path)
    if stage.chart_id != chart.pk:
        raise ValidationError({"stage": _("请选择本一图三单的阶段")})
    name = required_text(name, "name", _("请填写事项名称"))
    department = required_text(department, "department", _("请填写实施部门"))
    if time_limit is None or time_limit <= 0:
        raise ValidationError({"time_limit": _("承诺时限须大于0个工作日")})
    if statutory_limit is not None and statutory_limit < time_limit:
        raise ValidationError({"statutory_limit": _("法定时限不能短于承诺时限")})
    _check_prerequisites(chart, None, prerequisites)
    with transaction.atomic():
        item = Item.objects.create(
            chart=chart,
            stage=stage,
            name=name,
            department=department,
            time_limit=time_limit,
            statutory_limit=statutory_limit,
            basis=basis,
            fee=fee or _("不收费"),
            place=place,
            lenient=lenient,
            order=order if order is not None else (chart.items.count() + 1) * 10,
        )
        item.prerequisites.set(prerequisites)
    return item


def set_prerequisites(*, item: Item, prerequisites: Sequence[Item], actor: Actor) -> Item:
    """Change what an item waits for; a circle (an item waiting, through others, for itself) is
    refused and names the items on it."""
    chart = item.chart
    _within(actor, chart.jurisdiction_path)
    with transaction.atomic():
        Chart.objects.select_for_update().get(pk=chart.pk)
        _check_prerequisites(chart, item, prerequisites)
        item.prerequisites.set(prerequisites)
    return item


def add_material(
    *,
    item: Item,
    name: str,
    actor: Actor,
    source: str = "",
    form: str = MaterialForm.ORIGINAL,
    copies: int = 1,
    lenient: bool = False,
) -> Material:
    """A material the item asks for; `lenient` ones may come later under a 容缺 promise."""
    _within(actor, item.chart.jurisdiction_path)
    name = required_text(name, "name", _("请填写材料名称"))
    if form not in MaterialForm.values:
        raise ValidationError({"form": _("请选择材料形式")})
    if copies <= 0:
        raise ValidationError({"copies": _("份数须大于0")})
    if lenient and not item.lenient:
        raise ValidationError({"lenient": _("该事项不可容缺受理，材料不能容缺后补")})
    return Material.objects.create(
        item=item,
        name=name,
        source=source,
        form=form,
        copies=copies,
        lenient=lenient,
        order=(item.materials.count() + 1) * 10,
    )


# --- A project's run -------------------------------------------------------------------------


def chart_for(project: Any) -> Chart | None:
    """The chart a project's run starts from: its kind's chart in the project's jurisdiction or,
    failing that, the nearest one above it."""
    charts = Chart.objects.filter(project_kind=project.kind)
    found = [c for c in charts if project.jurisdiction_path.startswith(c.jurisdiction_path)]
    return max(found, key=lambda c: len(c.jurisdiction_path), default=None)


def _today(at: dt.datetime) -> dt.date:
    return workdays.shanghai_date(at)


def start_run(*, project: Any, actor: Actor, on: dt.date, at: dt.datetime | None = None) -> Run:
    """Start a project's approvals from its kind's chart: one item of the run per item of the
    chart, each waiting to be applied for. One run per project."""
    at = at or timezone.now()
    if not path_visible(actor, project.jurisdiction_path):
        raise ValidationError({"project": _("不能为您管辖范围以外的项目启动审批")})
    chart = chart_for(project)
    if chart is None:
        raise ValidationError({"project": _("该类项目还没有一图三单，请先编制")})
    if on is None:
        raise ValidationError({"on": _("请填写启动日期")})
    if on > _today(at):
        raise ValidationError({"on": _("启动日期不能晚于今天")})
    with transaction.atomic():
        if Run.objects.filter(project=project).exists():
            raise ValidationError({"project": _("该项目已启动审批")})
        run = Run.objects.create(
            jurisdiction_id=project.jurisdiction_id,
            project=project,
            chart=chart,
            started_on=on,
            target_workdays=chart.target_workdays,
            started_by=actor,
        )
        for item in chart.items.all():
            row = RunItem.objects.create(
                jurisdiction_id=project.jurisdiction_id,
                run=run,
                item=item,
                last_actor=actor,
                last_changed_at=at,
            )
            workflow.record(row, action=ItemAction.CREATE, from_state="", actor=actor, at=at, on=on)
    return run


def _day(on: dt.date | None, at: dt.datetime, *, not_before: dt.date | None, before_label: str) -> dt.date:
    """The step's day: given, not after today, not before the item's previous day."""
    if on is None:
        raise ValidationError({"on": _("请填写办理日期")})
    if on > _today(at):
        raise ValidationError({"on": _("办理日期不能晚于今天")})
    if not_before is not None and on < not_before:
        raise ValidationError(
            {
                "on": _("办理日期不能早于%(what)s（%(day)s）")
                % {"what": before_label, "day": not_before.isoformat()}
            }
        )
    return on


def _prerequisites_done(row: RunItem, on: dt.date) -> None:
    """Refuse a step on an item before every item it waits for is done, or dated before the
    day the last of them was."""
    pres = list(row.item.prerequisites.all())
    if not pres:
        return
    done = dict(RunItem.objects.filter(run=row.run_id, item__in=pres).values_list("item_id", "approved_on"))
    waiting = flow.blocking([p.pk for p in pres], done)
    if waiting:
        names = "、".join(p.name for p in pres if p.pk in waiting)
        raise ValidationError({"on": _("前置事项尚未办结：%(names)s") % {"names": names}})
    last = flow.earliest_start_day([p.pk for p in pres], done)
    if last is not None and on < last:
        raise ValidationError(
            {"on": _("办理日期不能早于前置事项办结日期（%(day)s）") % {"day": last.isoformat()}}
        )


def _finish_run(row: RunItem) -> None:
    """Close the run on the day its last counted item is done, `row` being approved now (items
    do not go back, so a finished run stays finished). Items of a stage after construction
    (竣工验收) are not counted."""
    if not row.item.stage.counted:
        return
    run = Run.objects.select_for_update().get(pk=row.run_id)
    if run.finished_on is not None:
        return
    counted = RunItem.objects.filter(run=run, item__stage__counted=True).exclude(pk=row.pk)
    others = list(counted.values_list("state", "approved_on"))
    if all(state == ItemState.APPROVED for state, _on in others):
        run.finished_on = max(d for d in (row.approved_on, *(on for _state, on in others)) if d is not None)
        run.save(update_fields=["finished_on", "updated_at"])


def submit_item(
    *,
    run_item: RunItem,
    actor: Actor | None,
    expected_version: int,
    on: dt.date,
    at: dt.datetime | None = None,
    enterprise: Any = None,
) -> RunItem:
    """Apply for an item, once every item it waits for is done (again after a return)."""
    at = at or timezone.now()

    def change(step: Step[RunItem]) -> None:
        row = step.row
        day = _day(on, at, not_before=row.run.started_on, before_label=_("审批启动日期"))
        _prerequisites_done(row, day)
        row.submitted_on = day
        row.accepted_on = None
        step.event["on"] = day

    return take_step(
        workflow,
        row=run_item,
        action=ItemAction.SUBMIT,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def accept_item(
    *,
    run_item: RunItem,
    actor: Actor | None,
    expected_version: int,
    on: dt.date,
    at: dt.datetime | None = None,
    enterprise: Any = None,
) -> RunItem:
    """Accept an item applied for with every material."""
    at = at or timezone.now()

    def change(step: Step[RunItem]) -> None:
        day = _day(on, at, not_before=step.row.submitted_on, before_label=_("申报日期"))
        step.row.accepted_on = day
        step.event["on"] = day

    return take_step(
        workflow,
        row=run_item,
        action=ItemAction.ACCEPT,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def accept_item_leniently(
    *,
    run_item: RunItem,
    actor: Actor | None,
    expected_version: int,
    on: dt.date,
    missing: Iterable[Material],
    promise_on: dt.date,
    at: dt.datetime | None = None,
    enterprise: Any = None,
) -> RunItem:
    """Accept an item with materials missing (容缺受理): which ones, and the day the owner
    promises them for. Only for an item the chart allows it, and materials it marks as such."""
    at = at or timezone.now()
    missing = list(missing)

    def change(step: Step[RunItem]) -> None:
        row = step.row
        day = _day(on, at, not_before=row.submitted_on, before_label=_("申报日期"))
        allowed = set(row.item.materials.filter(lenient=True).values_list("pk", flat=True))
        if not missing:
            raise ValidationError({"missing": _("请选择容缺的材料")})
        if any(m.pk not in allowed for m in missing):
            raise ValidationError({"missing": _("只有材料清单中标明可容缺的材料才能容缺后补")})
        if promise_on is None:
            raise ValidationError({"promise_on": _("请填写承诺补齐日期")})
        if promise_on <= day:
            raise ValidationError({"promise_on": _("承诺补齐日期须晚于受理日期")})
        row.accepted_on = day
        row.lenient = True
        row.promise_on = promise_on
        row.supplied_on = None
        step.event["on"] = day
        names = "、".join(m.name for m in missing)
        step.note = _("容缺：%(names)s，承诺%(day)s前补齐") % {"names": names, "day": promise_on.isoformat()}

        row.missing.set(missing)

    return take_step(
        workflow,
        row=run_item,
        action=ItemAction.ACCEPT_LENIENT,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def return_item(
    *,
    run_item: RunItem,
    actor: Actor | None,
    expected_version: int,
    on: dt.date,
    note: str,
    at: dt.datetime | None = None,
    enterprise: Any = None,
) -> RunItem:
    """Send an application back, saying why (the reason is the event's note)."""
    at = at or timezone.now()

    def change(step: Step[RunItem]) -> None:
        day = _day(on, at, not_before=step.row.submitted_on, before_label=_("申报日期"))
        step.note = required_text(note, "note", _("请填写退回理由"))
        step.event["on"] = day

    return take_step(
        workflow,
        row=run_item,
        action=ItemAction.RETURN,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def approve_item(
    *,
    run_item: RunItem,
    actor: Actor | None,
    expected_version: int,
    on: dt.date,
    at: dt.datetime | None = None,
    enterprise: Any = None,
) -> RunItem:
    """Issue an item's approval; the run is done on the day its last item is."""
    at = at or timezone.now()

    def change(step: Step[RunItem]) -> None:
        row = step.row
        day = _day(on, at, not_before=row.accepted_on, before_label=_("受理日期"))
        _prerequisites_done(row, day)
        row.approved_on = day
        step.event["on"] = day

    def entered(step: Step[RunItem]) -> None:
        _finish_run(step.row)

    return take_step(
        workflow,
        row=run_item,
        action=ItemAction.APPROVE,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
        entered=entered,
    )


def supply_item(
    *,
    run_item: RunItem,
    actor: Actor | None,
    expected_version: int,
    on: dt.date,
    at: dt.datetime | None = None,
    enterprise: Any = None,
) -> RunItem:
    """Record that the materials missing under a 容缺 promise came (late if after the promised day)."""
    at = at or timezone.now()

    def change(step: Step[RunItem]) -> None:
        row = step.row
        day = _day(on, at, not_before=row.accepted_on, before_label=_("受理日期"))
        row.supplied_on = day
        step.event["on"] = day
        if flow.promise_overdue(row.promise_on, day, day):
            step.note = _("逾期补齐（承诺%(day)s）") % {
                "day": row.promise_on.isoformat() if row.promise_on else ""
            }

    return take_step(
        workflow,
        row=run_item,
        action=ItemAction.SUPPLY,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


#: The action of each step by the table's name for it: what the step page and the API call
#: with the input the step needs (`workflow.needs_of`).
STEPS: dict[str, Callable[..., RunItem]] = {
    ItemAction.SUBMIT: submit_item,
    ItemAction.ACCEPT: accept_item,
    ItemAction.ACCEPT_LENIENT: accept_item_leniently,
    ItemAction.RETURN: return_item,
    ItemAction.APPROVE: approve_item,
    ItemAction.SUPPLY: supply_item,
}
