"""Key projects (重点项目) and what drives them: the project with its stage, its battle map of
milestones, its progress reports, the problems it raises, and the meeting series whose meetings
take decisions on them. Every write goes through `actions.py`; amounts are yuan to the fen
(docs/decisions/0007)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel, TimeStampedModel, UploadedDocument
from lianqi.core.uploads import stored_name
from lianqi.core.workflow import WorkflowEvent

from .choices import (
    REPORT_STEPS,
    Cadence,
    LeadAction,
    LeadStage,
    ProjectAction,
    ProjectKind,
    ProjectLevel,
    ProjectStage,
    ReportBuildStatus,
    ReportFormat,
    SeriesKind,
)


class Project(ScopedModel):
    """A key project of a jurisdiction: one project, one owner, one task force, one battle map
    (一个项目、一个主体、一套专班、一张作战图). Its stage runs the table of `workflow.py`, each stage
    with the date it was reached; its yearly plan is the investment planned for `plan_year`."""

    name = models.CharField(_("项目名称"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("业主企业"),
    )
    # A project company not yet on the register is named until it is registered.
    owner_name = models.CharField(_("业主单位（待注册）"), max_length=200, blank=True)
    kind = models.CharField(_("项目类别"), max_length=20, choices=ProjectKind.choices)
    level = models.CharField(_("项目级别"), max_length=20, choices=ProjectLevel.choices)
    industry = models.CharField(_("所属产业"), max_length=100, blank=True)
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    total_investment = models.DecimalField(_("总投资（元）"), max_digits=18, decimal_places=2)
    plan_year = models.PositiveSmallIntegerField(_("计划年度"))
    year_plan = models.DecimalField(_("年度计划投资（元）"), max_digits=18, decimal_places=2)
    leader = models.CharField(_("责任领导"), max_length=50)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位")
    )
    task_force = models.TextField(_("工作专班成员"), blank=True)
    state = models.CharField(
        _("项目阶段"), max_length=20, choices=ProjectStage.choices, default=ProjectStage.SIGNED, db_index=True
    )
    signed_on = models.DateField(_("签约日期"))
    land_on = models.DateField(_("供地日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    topped_out_on = models.DateField(_("封顶日期"), null=True, blank=True)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
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
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["-plan_year", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gt=0), name="projects_total_positive"),
            models.CheckConstraint(condition=Q(year_plan__gte=0), name="projects_year_plan_not_negative"),
            models.CheckConstraint(
                condition=Q(year_plan__lte=F("total_investment")), name="projects_year_plan_within_total"
            ),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | ~Q(owner_name=""), name="projects_has_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def owner(self) -> str:
        """The owner's name: the registered enterprise's, or the project company's to be registered."""
        return self.enterprise.name if self.enterprise_id and self.enterprise else self.owner_name


class ProjectEvent(WorkflowEvent):
    """One step of a project's history (`WorkflowEvent`): who moved it to which stage, when.
    Rows are never edited or deleted."""

    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="events", verbose_name=_("项目")
    )
    action = models.CharField(_("操作"), max_length=40, choices=ProjectAction.choices)
    from_state = models.CharField(_("原阶段"), max_length=20, choices=ProjectStage.choices, blank=True)
    to_state = models.CharField(_("新阶段"), max_length=20, choices=ProjectStage.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("项目进展记录")
        verbose_name_plural = _("项目进展记录")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.action} {self.from_state} → {self.to_state}"


class Milestone(TimeStampedModel):
    """One bar of a project's battle map (作战图): planned and actual dates, who owns it, and the
    milestone it waits for. Slippage is computed (`progress.slippage`), never stored."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("项目")
    )
    name = models.CharField(_("节点名称"), max_length=100)
    owner = models.CharField(_("责任人"), max_length=50, blank=True)
    planned_start = models.DateField(_("计划开始"))
    planned_end = models.DateField(_("计划完成"))
    actual_start = models.DateField(_("实际开始"), null=True, blank=True)
    actual_end = models.DateField(_("实际完成"), null=True, blank=True)
    depends_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("前置节点")
    )
    order = models.PositiveSmallIntegerField(_("顺序"), default=100)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["project", "order", "planned_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")), name="projects_milestone_planned_in_order"
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_start__isnull=False),
                name="projects_milestone_finished_was_started",
            ),
            models.CheckConstraint(
                condition=~Q(depends_on=F("pk")), name="projects_milestone_not_own_dependency"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgressReport(TimeStampedModel):
    """A project's report for one month: investment this month and cumulative for the year,
    physical progress and problems, by its owner or task force. One per project and month; a
    report of a closed month is refused."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="reports", verbose_name=_("项目")
    )
    period = models.DateField(_("报告月份"), help_text=_("该月的第一天"))
    invested = models.DecimalField(_("本期完成投资（元）"), max_digits=18, decimal_places=2)
    year_to_date = models.DecimalField(_("本年累计完成投资（元）"), max_digits=18, decimal_places=2)
    progress = models.TextField(_("形象进度"))
    problems = models.TextField(_("存在问题"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("填报人"),
    )

    class Meta:
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        ordering = ["project", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="projects_one_report_per_month"),
            models.CheckConstraint(
                condition=Q(invested__gte=0), name="projects_report_invested_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period:%Y-%m}"


def photo_path(instance: ReportPhoto, filename: str) -> str:
    return stored_name("projects", filename, instance.at)


class ReportPhoto(UploadedDocument):
    """A photo of the site sent with a month's report (形象进度照片), shown as a thumbnail on the
    project's page. Type, content and size are checked in `actions.reports.submit_report`."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("进度报告")
    )
    file = models.FileField(_("照片"), upload_to=photo_path, max_length=200)

    class Meta:
        verbose_name = _("进度照片")
        verbose_name_plural = _("进度照片")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.name


class Problem(TimeStampedModel):
    """A problem a project raised (in a report or at a meeting). Passed to the demands' intake,
    it becomes a demand supervised like any other, linked here."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="issues", verbose_name=_("项目")
    )
    description = models.TextField(_("问题描述"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("提出人"),
    )
    demand = models.OneToOneField(
        "demands.Demand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转办诉求"),
    )

    class Meta:
        verbose_name = _("项目问题")
        verbose_name_plural = _("项目问题")
        ordering = ["project", "-created_at", "-pk"]

    def __str__(self) -> str:
        return self.description[:40]


class MeetingSeries(ScopedModel):
    """A fixed meeting of a jurisdiction with its cadence (周会商、旬调度 …): its meetings take the
    projects behind plan and the open decisions of the last meeting first, and decide the demands
    escalated to its kind's venue (a dispatch meeting, or the reception day's roundtable)."""

    name = models.CharField(_("会议名称"), max_length=100)
    cadence = models.CharField(_("会议频次"), max_length=20, choices=Cadence.choices)
    kind = models.CharField(
        _("会议类型"), max_length=20, choices=SeriesKind.choices, default=SeriesKind.DISPATCH
    )

    class Meta:
        verbose_name = _("调度会议")
        verbose_name_plural = _("调度会议")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Meeting(ScopedModel):
    """One meeting of a series: when, who attended, the minutes."""

    series = models.ForeignKey(
        MeetingSeries, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("会议")
    )
    held_on = models.DateField(_("召开日期"))
    attendees = models.TextField(_("参会人员"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("记录人"),
    )

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.series} {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("projects:meeting", args=[self.pk])


class Decision(TimeStampedModel):
    """A decision of a meeting that assigns work: it became a demand assigned to a department
    with a deadline (the demand carries its supervision, escalation and rating); the decision
    links the meeting, the project and that demand."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("会议")
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("项目")
    )
    text = models.TextField(_("议定事项"))
    demand = models.OneToOneField(
        "demands.Demand", on_delete=models.PROTECT, related_name="+", verbose_name=_("交办诉求")
    )

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Lead(ScopedModel):
    """An investment lead of a jurisdiction's attraction pipeline (招商): from the first lead
    through talks and signing (with the amount signed) to the project company's registration,
    its land, the start of construction and production, each stage with the date it was reached,
    or dropped on the way. Its stage runs the lead table of `workflow.py`."""

    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.CharField(_("投资方"), max_length=200)
    industry = models.CharField(_("所属产业"), max_length=100, blank=True)
    amount = models.DecimalField(_("签约金额（元）"), max_digits=18, decimal_places=2, null=True, blank=True)
    state = models.CharField(
        _("招商阶段"), max_length=20, choices=LeadStage.choices, default=LeadStage.LEAD, db_index=True
    )
    found_on = models.DateField(_("线索日期"))
    talks_on = models.DateField(_("洽谈日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    land_on = models.DateField(_("供地日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    dropped_on = models.DateField(_("终止日期"), null=True, blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("重点项目"),
    )
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
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-found_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="projects_lead_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(signed_on__isnull=True) | Q(amount__isnull=False),
                name="projects_lead_signed_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:lead", args=[self.pk])


class LeadEvent(WorkflowEvent):
    """One step of a lead's history (`WorkflowEvent`): who moved it to which stage, when.
    Rows are never edited or deleted."""

    lead = models.ForeignKey(
        Lead, on_delete=models.PROTECT, related_name="events", verbose_name=_("招商项目")
    )
    action = models.CharField(_("操作"), max_length=40, choices=LeadAction.choices)
    from_state = models.CharField(_("原阶段"), max_length=20, choices=LeadStage.choices, blank=True)
    to_state = models.CharField(_("新阶段"), max_length=20, choices=LeadStage.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("招商进展记录")
        verbose_name_plural = _("招商进展记录")

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.action} {self.from_state} → {self.to_state}"


def letterhead_path(instance: ReportWording, filename: str) -> str:
    return stored_name("projects/letterheads", filename, timezone.now())


class ReportWording(ScopedModel):
    """A jurisdiction's own wording of its monthly report (项目月报): the title, the issuing
    office, the opening paragraph and the signature, which the office edits; a blank field keeps
    the standard wording. `{place}`, `{year}` and `{month}` in the title and the opening are
    replaced by the jurisdiction's name and the report's month. An uploaded Word letterhead
    (cover page, header and footer) is what the Word report starts from."""

    title = models.CharField(_("报告标题"), max_length=200, blank=True)
    issuer = models.CharField(_("发文单位"), max_length=200, blank=True)
    intro = models.TextField(_("导语"), blank=True)
    signature = models.TextField(_("落款"), blank=True)
    letterhead = models.FileField(_("Word 信笺模板"), upload_to=letterhead_path, max_length=200, blank=True)
    letterhead_name = models.CharField(_("模板文件名"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )

    class Meta:
        verbose_name = _("月报措辞")
        verbose_name_plural = _("月报措辞")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction"], name="projects_one_wording_per_jurisdiction")
        ]

    def __str__(self) -> str:
        return self.title or str(_("项目月报"))


class ReportBuild(TimeStampedModel):
    """A monthly report (项目月报) a manager started building in the background: its progress
    (the steps done of `REPORT_STEPS`) and, once done, the file to download. The figures are
    those the owner may see, as when the report is downloaded directly."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("发起人")
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    format = models.CharField(_("格式"), max_length=10, choices=ReportFormat.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportBuildStatus.choices, default=ReportBuildStatus.QUEUED
    )
    steps_done = models.PositiveSmallIntegerField(_("已完成步骤"), default=0)
    file = models.FileField(_("文件"), upload_to="projects/reports/%Y/%m/", blank=True)
    error = models.TextField(_("错误"), blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("月报生成")
        verbose_name_plural = _("月报生成")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}.{self.format}"

    @property
    def percent(self) -> int:
        """How far the build has gone, in % (100 once done)."""
        if self.status == ReportBuildStatus.DONE:
            return 100
        return min(99, self.steps_done * 100 // REPORT_STEPS)
