"""Enforcement inspections registered before entry (赋码入企): the inspector pools of the
departments, the enterprises' quiet periods (免检), each registered inspection with its code,
the joint visits that merge several departments' inspections of one firm (综合查一次), the
firm's ratings, the random draws (双随机一公开) and the three lenient-enforcement lists. Every
write goes through `actions.py`."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel
from lianqi.core.workflow import WorkflowEvent

from .choices import Finding, FollowUp, InspectionState, ItemKind, LenientKind, Trigger, VisitKind


def new_inspection_code() -> str:
    """The code an inspection is given when it is registered (赋码): short enough to read out
    at the gate, random enough that nobody guesses another one."""
    return secrets.token_hex(6).upper()


class Inspector(ScopedModel):
    """A member of a department's enforcement staff in its pool of inspectors: only a
    qualified inspector of the pool (certificate valid on the day) may be registered for an
    inspection by that department or drawn for one."""

    staff = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("人员"))
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    certificate_no = models.CharField(_("执法证号"), max_length=60, unique=True)
    qualified_until = models.DateField(_("执法资格有效期至"))
    is_active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("执法检查人员")
        verbose_name_plural = _("执法检查人员")
        ordering = ["department_id", "certificate_no"]

    def __str__(self) -> str:
        return f"{self.staff.name}（{self.certificate_no}）"


class QuietPeriod(ScopedModel):
    """A period in which an enterprise is not inspected on plan or by draw (免检、无事不扰):
    complaints and referrals still reach it."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        verbose_name = _("免检期")
        verbose_name_plural = _("免检期")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="inspections_quiet_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.starts_on}–{self.ends_on}"


class JointVisit(ScopedModel):
    """One visit to one enterprise on one day in which several departments' inspections are
    made together (综合查一次): the firm opens its gate once."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    planned_on = models.DateField(_("计划日期"))
    lead_department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头部门")
    )

    class Meta:
        verbose_name = _("联合检查")
        verbose_name_plural = _("联合检查")
        ordering = ["-planned_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.planned_on}"


class InspectionItem(ScopedModel):
    """One item of a department's published inspection list (检查事项清单): what it may
    inspect, on which legal basis, of which kind, in which enterprises (`rule`, an eligibility
    rule in the rule engine's format over the register; empty = every enterprise) and how
    often a year at most per enterprise. An inspection is registered only against a published
    item; a withdrawn item takes no new ones."""

    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    name = models.CharField(_("检查事项"), max_length=200)
    law = models.CharField(_("法律法规"), max_length=200)
    article = models.CharField(_("条款"), max_length=100, blank=True)
    kind = models.CharField(_("检查类别"), max_length=20, choices=ItemKind.choices)
    rule = models.JSONField(_("适用企业"), default=dict, blank=True)
    rule_note = models.CharField(_("适用企业说明"), max_length=200, blank=True)
    yearly_cap = models.PositiveSmallIntegerField(
        _("每企业每年检查上限"), default=1, validators=[MinValueValidator(1)]
    )
    is_published = models.BooleanField(_("已公布"), default=False)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("检查事项")
        verbose_name_plural = _("检查事项")
        ordering = ["department_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="inspections_item_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def legal_basis(self) -> str:
        """The law and article as an inspection cites them: 《安全生产法》第六十五条."""
        return f"{self.law}{self.article}"


class InspectionDraw(ScopedModel):
    """A random draw (双随机一公开) of a department's plan: which enterprises of the pool are
    inspected and by which inspectors. It may be announced first (`drawn_at` empty): then
    `document` is the announcement — pools, fingerprint, parameters, the seed's commitment —
    and the draw later reveals the seed. `document` is what anyone checks with
    ``python -m lianqi.inspections.draw.verify``."""

    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    task = models.CharField(_("抽查任务"), max_length=200)
    legal_basis = models.CharField(_("检查依据"), max_length=500)
    planned_on = models.DateField(_("计划日期"))
    enterprise_count = models.PositiveIntegerField(_("抽取企业数"))
    team_size = models.PositiveIntegerField(_("每组检查人员数"))
    commitment = models.CharField(_("种子承诺"), max_length=64)
    fingerprint = models.CharField(_("名录指纹"), max_length=64)
    document = models.JSONField(_("公示文件"))
    # The secret seed, kept from the announcement until the draw reveals it in `document`:
    # never shown before (its hash, `commitment`, is what the announcement publishes).
    seed = models.CharField(_("种子"), max_length=64, blank=True, editable=False)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("抽取人"),
    )

    class Meta:
        verbose_name = _("随机抽查")
        verbose_name_plural = _("随机抽查")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.task

    def get_absolute_url(self) -> str:
        return reverse("inspections:draw", args=[self.pk])

    @property
    def is_drawn(self) -> bool:
        """Whether the seed is revealed and the result published (not just announced)."""
        return "result" in self.document


class Inspection(ScopedModel):
    """One enforcement inspection of one enterprise, registered before entry: the department,
    its legal basis and task, the inspectors, the planned date and why it happens (a filed
    plan, a complaint, a referral or a draw). It gets its code on registration; the inspector
    checks in by scanning the enterprise's code, and records the result. Frequency warnings
    found at registration are kept (`cap_warnings`)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("检查部门")
    )
    item = models.ForeignKey(
        InspectionItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("检查事项清单"),
    )
    legal_basis = models.CharField(_("检查依据"), max_length=500)
    task = models.CharField(_("检查事项"), max_length=200)
    trigger = models.CharField(_("检查来源"), max_length=20, choices=Trigger.choices)
    visit_kind = models.CharField(
        _("检查性质"), max_length=20, choices=VisitKind.choices, default=VisitKind.ENFORCEMENT
    )
    plan_reference = models.CharField(_("检查计划文号"), max_length=100, blank=True)
    trigger_note = models.CharField(_("来源说明"), max_length=500, blank=True)
    planned_on = models.DateField(_("计划检查日期"), db_index=True)
    inspectors = models.ManyToManyField(Inspector, related_name="inspections", verbose_name=_("检查人员"))
    # Empty (NULL) while an over-cap registration awaits the office's approval: no code yet.
    code = models.CharField(
        _("检查码"), max_length=20, unique=True, null=True, blank=True, default=new_inspection_code
    )
    exception_reason = models.CharField(_("超频次理由"), max_length=500, blank=True)
    joint_visit = models.ForeignKey(
        JointVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("联合检查"),
    )
    draw = models.ForeignKey(
        InspectionDraw,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("随机抽查"),
    )
    cap_warnings = models.JSONField(_("频次提示"), default=list, blank=True)
    checked_in_at = models.DateTimeField(_("入企时间"), null=True, blank=True)
    # The finding is the result; `result` is the inspectors' note beside it (before findings
    # existed it was the whole result, as free text).
    finding = models.CharField(_("检查结论"), max_length=20, choices=Finding.choices, blank=True)
    result = models.TextField(_("检查情况说明"), blank=True)
    rectification_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"), null=True, blank=True)
    rectification_due_on = models.DateField(_("整改截止日期"), null=True, blank=True, db_index=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    follow_up = models.CharField(_("整改复查结果"), max_length=20, choices=FollowUp.choices, blank=True)
    lenient_item = models.ForeignKey(
        "LenientItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("适用的柔性执法清单事项"),
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=InspectionState.choices,
        default=InspectionState.REGISTERED,
        db_index=True,
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
        verbose_name = _("执法检查")
        verbose_name_plural = _("执法检查")
        ordering = ["-planned_on", "-pk"]
        constraints = [
            # A closed inspection says what was found: the database keeps the rule if code forgets it.
            models.CheckConstraint(
                condition=~Q(state=InspectionState.CLOSED) | ~Q(finding=""),
                name="inspections_closed_has_finding",
            ),
            # A rectification order carries its deadline (orders migrated from free text may not).
            models.CheckConstraint(
                condition=Q(finding=Finding.RECTIFICATION) | Q(rectification_due_on__isnull=True),
                name="inspections_deadline_only_for_rectification",
            ),
            # No code without a filed plan or a stated trigger.
            models.CheckConstraint(
                condition=~Q(trigger=Trigger.PLAN) | ~Q(plan_reference=""),
                name="inspections_plan_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}（{self.code}）"

    @property
    def awaits_follow_up(self) -> bool:
        """A rectification order whose follow-up (rectified, or escalated) is not recorded yet."""
        return self.finding == Finding.RECTIFICATION and not self.follow_up

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])


class FrequencyCaps(ScopedModel):
    """A jurisdiction's frequency caps on inspections of one enterprise, counted across all
    departments (default Chengdu's: 1 a day, 2 a week, 3 a month), and its quiet rule (无事不扰).
    Without a row of its own a jurisdiction uses the nearest one above it, else the default."""

    per_day = models.PositiveSmallIntegerField(_("每日上限"), default=1, validators=[MinValueValidator(1)])
    per_week = models.PositiveSmallIntegerField(_("每周上限"), default=2, validators=[MinValueValidator(1)])
    per_month = models.PositiveSmallIntegerField(_("每月上限"), default=3, validators=[MinValueValidator(1)])
    # 无事不扰: enterprises meeting this rule (a one-rule file in the engine's format, e.g. credit
    # class A) get no routine inspection; complaints and referrals still reach them.
    quiet_rule = models.JSONField(_("无事不扰条件"), default=dict, blank=True)
    quiet_note = models.CharField(_("无事不扰说明"), max_length=200, blank=True)
    # 综合查一次: a registration is offered to join another department's registered visit of
    # the same enterprise up to this many days before or after its own day (0: the same day).
    joint_window_days = models.PositiveSmallIntegerField(
        _("联合检查合并期限（天）"), default=0, validators=[MaxValueValidator(30)]
    )

    class Meta:
        verbose_name = _("检查频次上限")
        verbose_name_plural = _("检查频次上限")
        constraints = [models.UniqueConstraint(fields=["jurisdiction"], name="inspections_caps_one")]

    def __str__(self) -> str:
        return f"{self.per_day}/{self.per_week}/{self.per_month}"


class InspectionEvent(WorkflowEvent):
    """One step of an inspection's history (`WorkflowEvent`): who did what, when, from which
    state to which, with what note. Rows are never edited or deleted."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="events", verbose_name=_("执法检查")
    )
    from_state = models.CharField(_("原状态"), max_length=20, choices=InspectionState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=InspectionState.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("执法检查记录")
        verbose_name_plural = _("执法检查记录")

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.action} {self.from_state} → {self.to_state}"


class Rating(models.Model):
    """The enterprise's rating of one inspection visit on three counts — the inspectors'
    conduct, how little the visit disturbed its work, how clearly it was told the basis and the
    outcome — each 1–5, and `score`, their mean rounded half up, which the statistics average.
    Staff see ratings only in aggregate and without the firm's name, and only from five ratings
    on. (Ratings given before the three counts existed have the score alone.)"""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="rating", verbose_name=_("执法检查")
    )
    score = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    conduct = models.PositiveSmallIntegerField(_("执法规范"), null=True, blank=True)
    disturbance = models.PositiveSmallIntegerField(_("打扰程度"), null=True, blank=True)
    clarity = models.PositiveSmallIntegerField(_("告知清楚"), null=True, blank=True)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("企业评价")
        verbose_name_plural = _("企业评价")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="inspections_rating_range"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"inspections_rating_{name}_range",
                )
                for name in ("conduct", "disturbance", "clarity")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.score}"


class LenientItem(ScopedModel):
    """One item of a lenient-enforcement list (免罚 / 轻罚 / 减罚清单): the violation, the
    conditions under which it is exempt from, or gets a lighter or reduced penalty, and the
    legal basis."""

    kind = models.CharField(_("清单"), max_length=20, choices=LenientKind.choices, db_index=True)
    number = models.PositiveIntegerField(_("序号"))
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("实施部门"),
    )
    violation = models.CharField(_("违法行为"), max_length=500)
    legal_basis = models.TextField(_("法律依据"))
    conditions = models.TextField(_("适用条件"), blank=True)
    measure = models.CharField(_("处理方式"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("柔性执法清单事项")
        verbose_name_plural = _("柔性执法清单事项")
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "number"], name="inspections_lenient_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}. {self.violation}"


class StatisticsCell(models.Model):
    """The additive statistics counts of one jurisdiction's inspections planned on one day by
    one department (`queries.STATISTICS_COUNTS`: registered, closed, service visits, joint,
    checked in, registered before entry, over a cap, overdue rectifications as of the day the
    cell was counted, ratings and their total). Derived data: `cells.refresh` rewrites a day's
    cells from the inspections, so a year's statistics add up a few thousand cells instead of
    grouping hundreds of thousands of inspections."""

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", on_delete=models.CASCADE, related_name="+", verbose_name=_("辖区")
    )
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, editable=False)
    planned_on = models.DateField(_("计划检查日期"))
    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, related_name="+", verbose_name=_("检查部门")
    )
    inspections = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    service = models.PositiveIntegerField(default=0)
    joint = models.PositiveIntegerField(default=0)
    checked_in = models.PositiveIntegerField(default=0)
    before_entry = models.PositiveIntegerField(default=0)
    cap_warnings = models.PositiveIntegerField(default=0)
    rectifications_overdue = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("执法检查统计日汇总")
        verbose_name_plural = _("执法检查统计日汇总")
        indexes = [
            models.Index(fields=["planned_on", "jurisdiction_path"], name="inspections_stats_cell_idx"),
            models.Index(fields=["jurisdiction", "planned_on"], name="inspections_stats_cell_day"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_path} {self.planned_on} {self.department_id}"


class StatisticsStaleDay(models.Model):
    """A mark that one jurisdiction's inspection statistics cells of one planned day are out of
    date: every inspection step, rating and joining writes one in its own transaction, and the
    daily check of passed rectification deadlines writes one for each inspection whose deadline
    passed since the last check."""

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", on_delete=models.CASCADE, related_name="+", verbose_name=_("辖区")
    )
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, editable=False)
    planned_on = models.DateField(_("计划检查日期"))

    class Meta:
        verbose_name = _("待更新的执法检查统计日")
        verbose_name_plural = _("待更新的执法检查统计日")
        indexes = [models.Index(fields=["planned_on", "jurisdiction_path"], name="inspections_stats_stale")]

    def __str__(self) -> str:
        return f"{self.jurisdiction_path} {self.planned_on}"


class DeadlineCheck(models.Model):
    """The last day whose passed rectification deadlines were marked in the statistics cells
    (one row): an order not rectified by its deadline becomes overdue the next day without any
    step being taken, so each day the cells of the orders whose deadline passed since are
    counted again (`cells.mark_passed_deadlines`)."""

    checked_on = models.DateField(_("已检查至"))

    class Meta:
        verbose_name = _("整改期限检查进度")
        verbose_name_plural = _("整改期限检查进度")

    def __str__(self) -> str:
        return str(self.checked_on)
