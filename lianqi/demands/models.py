"""Enterprise demands (诉求, M3): the category catalogue, its routing per jurisdiction, the
demand itself and its append-only event history. Writes go through `actions.py`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianqi.core.models import ScopedModel, TimeStampedModel, UploadedDocument
from lianqi.core.search import normalise_search_text
from lianqi.core.uploads import stored_name
from lianqi.core.workflow import WorkflowEvent

from .choices import OPEN_STATES, Channel, DemandState, Outcome, RatingSource, Satisfaction, Venue

#: Reply deadline, in working days, when neither the routing nor the category gives one.
DEFAULT_DEADLINE_WORKDAYS = 5


class Category(TimeStampedModel):
    """A kind of demand (融资困难, 用地需求 …). The catalogue is shared by every jurisdiction;
    which department leads on it, and how fast, is per jurisdiction (`CategoryRouting`)."""

    name = models.CharField(_("名称"), max_length=40, unique=True)
    deadline_workdays = models.PositiveSmallIntegerField(
        _("默认答复时限（工作日）"), default=DEFAULT_DEADLINE_WORKDAYS
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class CategoryRouting(ScopedModel):
    """A jurisdiction's default lead department for a category, and optionally its own reply
    deadline: departments belong to a jurisdiction, so the defaults cannot live on the shared
    catalogue."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="routings", verbose_name=_("诉求类别")
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("默认牵头部门")
    )
    deadline_workdays = models.PositiveSmallIntegerField(_("答复时限（工作日）"), null=True, blank=True)

    class Meta:
        verbose_name = _("诉求分办规则")
        verbose_name_plural = _("诉求分办规则")
        constraints = [
            models.UniqueConstraint(fields=["category", "jurisdiction"], name="demands_routing_unique")
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.department}"


class Demand(ScopedModel):
    """One demand of an enterprise, from intake to closure. `state` moves only through the
    table in `workflow.py`; `version` grows with every action, so a write based on a stale
    page is refused instead of overwriting a colleague's change."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="demands", verbose_name=_("企业")
    )
    liaison = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受理时联企干部"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="demands", verbose_name=_("诉求类别")
    )
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    description = models.TextField(_("诉求内容"))
    state = models.CharField(
        _("状态"), max_length=20, choices=DemandState.choices, default=DemandState.RECEIVED, db_index=True
    )
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    solved_on_spot = models.BooleanField(_("当即解决"), default=False)
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    # Who filed it for the enterprise when it came through the enterprise's code (no account):
    # the phone number was confirmed with a one-time code.
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    # Assignment and the working-day clock. The clock starts at assignment: sending back and
    # re-routing keep `due_on`; only a redo, an escalation decision or an extension moves it.
    lead_department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_demands",
        verbose_name=_("牵头部门"),
    )
    co_departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="co_handled_demands", verbose_name=_("协办部门")
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    deadline_workdays = models.PositiveSmallIntegerField(_("答复时限（工作日）"), null=True, blank=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    fallback_years = models.JSONField(
        _("按周一至周五推算的年度"),
        default=list,
        blank=True,
        help_text=_("计算期限时尚未录入节假日安排的年度；非空时期限可能有偏差"),
    )
    extension_workdays = models.PositiveSmallIntegerField(_("申请延期（工作日）"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=200, blank=True)
    send_back_reason = models.CharField(_("退回理由"), max_length=200, blank=True)

    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    redo_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)

    contacted = models.BooleanField(_("是否联系"), null=True, blank=True)
    solved = models.BooleanField(_("是否解决"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True)
    rating_source = models.CharField(_("评价方式"), max_length=20, choices=RatingSource.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    venue = models.CharField(_("提级协调方式"), max_length=20, choices=Venue.choices, blank=True)
    meeting = models.CharField(_("会议名称"), max_length=100, blank=True)
    meeting_on = models.DateField(_("会议日期"), null=True, blank=True)
    escalation_owner = models.ForeignKey(
        "org.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("协调责任人"),
    )
    is_legacy = models.BooleanField(_("遗留问题"), default=False, db_index=True)
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_demands",
        verbose_name=_("合并至"),
    )

    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    last_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最后操作人"),
    )
    last_changed_at = models.DateTimeField(_("最后操作时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["jurisdiction_path", "state"]),
            # The department inbox: its department's demands by state and deadline.
            models.Index(fields=["lead_department", "state", "due_on"], name="demands_lead_state_due_idx"),
            # Its 全部 tab, whole or by category: counted from the index alone, and a page read
            # along it newest first (also for a date-received filter).
            models.Index(fields=["lead_department", "received_at"], name="demands_lead_received_idx"),
            models.Index(
                fields=["lead_department", "category", "received_at"], name="demands_lead_category_idx"
            ),
            # The office board's tabs and counts read only open demands, mostly by deadline.
            models.Index(
                fields=["state", "due_on"],
                # With the board's filters (category, liaison, channel), so that its counts
                # stay index-only when filtered.
                include=[
                    "jurisdiction_path",
                    "lead_department",
                    "extension_workdays",
                    "replied_at",
                    "supervised_at",
                    "received_at",
                    "id",
                    "category",
                    "liaison",
                    "channel",
                ],
                condition=models.Q(state__in=[s.value for s in OPEN_STATES]),
                name="demands_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=DemandState.values), name="demands_demand_state_valid"
            ),
            # A closed demand always says how it ended, so "closed" is never mistaken for "solved".
            models.CheckConstraint(
                condition=~models.Q(state=DemandState.CLOSED) | ~models.Q(outcome=""),
                name="demands_demand_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.enterprise_id} {self.get_state_display()}"

    def fill_derived_fields(self) -> None:
        super().fill_derived_fields()
        self.search_text = normalise_search_text(
            self.description, self.enterprise.name, self.category.name, self.contact_name
        )


def attachment_path(instance: DemandAttachment, filename: str) -> str:
    return stored_name("demands", filename, instance.at)


class DemandAttachment(UploadedDocument):
    """A file that documents a demand (a photo, a letter, a reply document), added by staff or
    by the enterprise through its code. Type and size are checked in `actions.add_attachment`."""

    demand = models.ForeignKey(
        Demand, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("诉求")
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    by_enterprise = models.BooleanField(_("企业通过营商码上传"), default=False)

    class Meta:
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.name


class DemandEvent(WorkflowEvent):
    """One step of a demand's history (`WorkflowEvent`): who did what, from which state to
    which, and the demand's lead department, deadline and version as the step left them. Rows
    are never edited or deleted; the demand's record is these rows in order."""

    demand = models.ForeignKey(
        Demand, on_delete=models.PROTECT, related_name="events", verbose_name=_("诉求")
    )
    # The kit's columns, as this lifecycle has always stored them: actions are at most 30
    # characters, and the states carry their labels for pages and the API.
    action = models.CharField(_("操作"), max_length=30)
    from_state = models.CharField(_("原状态"), max_length=20, choices=DemandState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=DemandState.choices)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部门"),
    )
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"))
    # The answer of a rating or a return visit as it was given: the demand keeps only the
    # latest, and a dissatisfied return visit followed by a redo must still count as one.
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.action} {self.from_state} → {self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The workflow kit writes its own columns; the demand's lead department, deadline and
        # version are taken from the demand as the step (or the intake, or a file) left it,
        # so every writer records them alike. The statistics judge signing on time by them.
        if self.pk is None and self.version is None:
            self.department_id = self.demand.lead_department_id
            self.due_on = self.demand.due_on
            self.version = self.demand.version
        super().save(*args, **kwargs)


class StatisticsDimension(models.TextChoices):
    """What a statistics cell is counted by: everything, or one department, liaison or
    category."""

    TOTAL = "total", _("合计")
    DEPARTMENT = "department", _("部门")
    LIAISON = "liaison", _("联企干部")
    CATEGORY = "category", _("诉求类别")


class StatisticsCell(models.Model):
    """The additive statistics counts of the demands one jurisdiction received on one day,
    in total or for one department, liaison or category (`key` is its id; empty for a demand
    without one). Derived data: `statistics.refresh` rewrites a day's cells from the
    demands and their events, so a year's figures add up a few thousand cells instead of
    reading a million demands. The count columns are `statistics.Counts`' fields, one for one."""

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", on_delete=models.CASCADE, related_name="+", verbose_name=_("辖区")
    )
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, editable=False)
    received_on = models.DateField(_("受理日期"))
    dimension = models.CharField(_("统计维度"), max_length=12, choices=StatisticsDimension.choices)
    key = models.PositiveBigIntegerField(_("维度对象"), null=True, blank=True)
    received = models.PositiveIntegerField(default=0)
    on_spot = models.PositiveIntegerField(default=0)
    signs = models.PositiveIntegerField(default=0)
    signs_on_time = models.PositiveIntegerField(default=0)
    closed_with_deadline = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    assignments = models.PositiveIntegerField(default=0)
    send_backs = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    redone = models.PositiveIntegerField(default=0)
    contacted = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    return_visits = models.PositiveIntegerField(default=0)
    return_visits_satisfied = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    close_workdays = models.PositiveBigIntegerField(default=0)
    legacy = models.PositiveIntegerField(default=0)
    legacy_cleared = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("诉求统计日汇总")
        verbose_name_plural = _("诉求统计日汇总")
        indexes = [
            # A period's cells of one dimension under a jurisdiction's path.
            models.Index(
                fields=["dimension", "received_on", "jurisdiction_path"], name="demands_stats_cell_idx"
            ),
            # A day's cells of one jurisdiction, replaced together.
            models.Index(fields=["jurisdiction", "received_on"], name="demands_stats_cell_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_path} {self.received_on} {self.dimension}={self.key}"


class StatisticsStaleDay(models.Model):
    """A mark that the statistics cells of the demands one jurisdiction received on one day
    are out of date: every demand step writes one in its own transaction, so no change is
    missed; `statistics.refresh` recomputes the marked days and deletes the marks it
    read. Marks repeat (one per step), which keeps writing them free of conflicts."""

    jurisdiction = models.ForeignKey(
        "org.Jurisdiction", on_delete=models.CASCADE, related_name="+", verbose_name=_("辖区")
    )
    jurisdiction_path = models.CharField(_("辖区路径"), max_length=255, editable=False)
    received_on = models.DateField(_("受理日期"))

    class Meta:
        verbose_name = _("待更新的诉求统计日")
        verbose_name_plural = _("待更新的诉求统计日")
        indexes = [models.Index(fields=["received_on", "jurisdiction_path"], name="demands_stats_stale_idx")]

    def __str__(self) -> str:
        return f"{self.jurisdiction_path} {self.received_on}"
