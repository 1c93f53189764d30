"""Approvals made short (一图三单, 容缺审批, 并联审批): for each kind of project, a jurisdiction's
approval chart (`Chart`) with its stages, its items (事项清单) and how each is carried out
(实施清单: department, basis, time limit, fee, where), and each item's materials (材料清单);
and per project, a run of its kind's chart (`Run`) whose items (`RunItem`) go through the table
of `workflow.py`, in parallel where the chart allows, 容缺 items accepted with materials missing
and a promised day. The project is named by a string foreign key: approvals and projects are
wings of one layer and do not import each other. Every write goes through `actions.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel, TimeStampedModel
from lianqi.core.workflow import WorkflowEvent

from .choices import TARGET_WORKDAYS, ItemAction, ItemState, MaterialForm


class Chart(ScopedModel):
    """One chart and three lists (一图三单) of a jurisdiction for one kind of project: shown to an
    investor at once, on a public page, and the plan every run of that kind starts from."""

    project_kind = models.CharField(_("项目类别"), max_length=20)
    name = models.CharField(_("名称"), max_length=200)
    target_workdays = models.PositiveSmallIntegerField(_("承诺总时限（工作日）"), default=TARGET_WORKDAYS)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("一图三单")
        verbose_name_plural = _("一图三单")
        ordering = ["jurisdiction_path", "project_kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "project_kind"], name="approvals_one_chart_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(target_workdays__gt=0), name="approvals_chart_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("approvals:chart", args=[self.pk])


class Stage(TimeStampedModel):
    """A stage of a chart (立项用地规划许可, 工程建设许可 …): a column of the diagram. A stage
    that follows construction (竣工验收) is shown and tracked but not `counted` in the promised
    working days, which run from the start to the construction permit."""

    chart = models.ForeignKey(
        Chart, on_delete=models.CASCADE, related_name="stages", verbose_name=_("一图三单")
    )
    name = models.CharField(_("阶段名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=100)
    counted = models.BooleanField(_("计入承诺时限"), default=True)

    class Meta:
        verbose_name = _("审批阶段")
        verbose_name_plural = _("审批阶段")
        ordering = ["chart", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Item(TimeStampedModel):
    """One approval item of a chart (事项清单) with how it is carried out (实施清单): the
    department, the legal basis, the committed and statutory time limits in working days, the
    fee and where to apply; whether it may be accepted with materials missing (容缺); and the
    items it waits for. Items with no path of dependencies between them run in parallel."""

    chart = models.ForeignKey(
        Chart, on_delete=models.CASCADE, related_name="items", verbose_name=_("一图三单")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="items", verbose_name=_("审批阶段")
    )
    name = models.CharField(_("事项名称"), max_length=200)
    department = models.CharField(_("实施部门"), max_length=100)
    basis = models.TextField(_("设定依据"), blank=True)
    time_limit = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    statutory_limit = models.PositiveSmallIntegerField(_("法定时限（工作日）"), null=True, blank=True)
    fee = models.CharField(_("收费标准"), max_length=100, default="不收费")
    place = models.CharField(_("办理地点"), max_length=200, blank=True)
    lenient = models.BooleanField(_("可容缺受理"), default=False)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="followers", verbose_name=_("前置事项")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=100)

    class Meta:
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")
        ordering = ["chart", "stage__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(time_limit__gt=0), name="approvals_item_time_limit_positive"),
            models.CheckConstraint(
                condition=Q(statutory_limit__isnull=True) | Q(statutory_limit__gte=F("time_limit")),
                name="approvals_item_within_statutory_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Material(TimeStampedModel):
    """One material an item asks for (材料清单): its name, who issues it, in which form and how
    many copies, and whether it may come later under a 容缺 promise."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="materials", verbose_name=_("审批事项")
    )
    name = models.CharField(_("材料名称"), max_length=200)
    source = models.CharField(_("材料来源"), max_length=100, blank=True)
    form = models.CharField(
        _("材料形式"), max_length=20, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    lenient = models.BooleanField(_("可容缺后补"), default=False)
    order = models.PositiveSmallIntegerField(_("顺序"), default=100)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["item", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Run(ScopedModel):
    """A project's approvals, run from its kind's chart: one per project, in the project's
    jurisdiction, started on the day the first item could be applied for. Its elapsed working
    days are counted against the chart's target (`queries.run_progress`)."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="+", verbose_name=_("项目")
    )
    chart = models.ForeignKey(
        Chart, on_delete=models.PROTECT, related_name="runs", verbose_name=_("一图三单")
    )
    started_on = models.DateField(_("启动日期"))
    target_workdays = models.PositiveSmallIntegerField(_("承诺总时限（工作日）"), default=TARGET_WORKDAYS)
    finished_on = models.DateField(_("全部办结日期"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("启动人"),
    )

    class Meta:
        verbose_name = _("项目审批")
        verbose_name_plural = _("项目审批")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=F("started_on")),
                name="approvals_run_finished_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.project)

    def get_absolute_url(self) -> str:
        return reverse("approvals:detail", args=[self.pk])


class RunItem(ScopedModel):
    """One item of a project's run: its state in the table of `workflow.py` and the day of each
    step; when accepted under 容缺, the materials missing, the day they were promised for and the
    day they came."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="items", verbose_name=_("项目审批"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("审批事项"))
    state = models.CharField(
        _("状态"), max_length=20, choices=ItemState.choices, default=ItemState.WAITING, db_index=True
    )
    submitted_on = models.DateField(_("申报日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    approved_on = models.DateField(_("办结日期"), null=True, blank=True)
    lenient = models.BooleanField(_("容缺受理"), default=False)
    missing = models.ManyToManyField(Material, blank=True, related_name="+", verbose_name=_("容缺材料"))
    promise_on = models.DateField(_("承诺补齐日期"), null=True, blank=True)
    supplied_on = models.DateField(_("补齐日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    last_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后操作人"),
    )
    last_changed_at = models.DateTimeField(_("最后操作时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审批办件")
        verbose_name_plural = _("审批办件")
        ordering = ["run", "item__stage__order", "item__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "item"], name="approvals_one_run_item_per_item"),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("submitted_on")),
                name="approvals_accepted_after_submitted",
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True) | Q(approved_on__gte=F("accepted_on")),
                name="approvals_approved_after_accepted",
            ),
            models.CheckConstraint(
                condition=Q(lenient=False) | Q(promise_on__isnull=False), name="approvals_lenient_has_promise"
            ),
            models.CheckConstraint(
                condition=~Q(state=ItemState.APPROVED) | Q(approved_on__isnull=False),
                name="approvals_approved_has_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.item}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:item", args=[self.pk])


class RunItemEvent(WorkflowEvent):
    """One step of a run item's history (`WorkflowEvent`), with the day the step took place.
    Rows are never edited or deleted."""

    run_item = models.ForeignKey(
        RunItem, on_delete=models.PROTECT, related_name="events", verbose_name=_("审批办件")
    )
    action = models.CharField(_("操作"), max_length=40, choices=ItemAction.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=ItemState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=ItemState.choices)
    on = models.DateField(_("办理日期"), null=True, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("审批办理记录")
        verbose_name_plural = _("审批办理记录")

    def __str__(self) -> str:
        return f"{self.run_item_id}: {self.action} {self.from_state} → {self.to_state}"
