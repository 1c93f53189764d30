"""The stages, kinds, levels and cadences of key projects as `TextChoices`: the workflow table,
the pages, the API and the docs read their labels from here."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianqi.demands.choices import Venue

#: A label: text, or a lazy translation of it.
StrOrPromise = str | Promise


class ProjectStage(models.TextChoices):
    """Where a project stands: 当年签约、当年落地、当年投产 reads these stages."""

    SIGNED = "signed", _("已签约")
    LAND = "land", _("已供地")
    STARTED = "started", _("已开工")
    TOPPED_OUT = "topped_out", _("已封顶")
    COMPLETED = "completed", _("已竣工")
    PRODUCING = "producing", _("已投产")


class ProjectAction(models.TextChoices):
    # Registering a project is an event of its history but no step of the table.
    CREATE = "create", _("登记项目")
    OBTAIN_LAND = "obtain_land", _("取得用地")
    START = "start", _("开工")
    TOP_OUT = "top_out", _("封顶")
    COMPLETE = "complete", _("竣工")
    PRODUCE = "produce", _("投产")
    # Events of a project's history outside the table.
    PLAN_MILESTONE = "plan_milestone", _("编排节点")
    RECORD_MILESTONE = "record_milestone", _("填报节点实际日期")
    REPORT = "report", _("报送进度")
    REFER_PROBLEM = "refer_problem", _("问题转为诉求")
    DECIDE = "decide", _("会议议定")
    REVISE_PLAN = "revise_plan", _("调整投资计划")


#: The column of `Project` that holds the date each stage was reached.
STAGE_DATE_FIELDS: dict[str, str] = {
    ProjectStage.SIGNED: "signed_on",
    ProjectStage.LAND: "land_on",
    ProjectStage.STARTED: "started_on",
    ProjectStage.TOPPED_OUT: "topped_out_on",
    ProjectStage.COMPLETED: "completed_on",
    ProjectStage.PRODUCING: "producing_on",
}


class ProjectKind(models.TextChoices):
    INDUSTRIAL = "industrial", _("产业项目")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    PUBLIC_SERVICE = "public_service", _("社会民生")
    OTHER = "other", _("其他")


class ProjectLevel(models.TextChoices):
    PROVINCE = "province", _("省重点")
    CITY = "city", _("市重点")
    PARK = "park", _("园区重点")


class SeriesKind(models.TextChoices):
    """What a meeting series is: a dispatch meeting of key projects, or the roundtable of the
    enterprise reception day (亲商优商企业接待日圆桌会). Each takes the demands escalated to its
    own venue (`SERIES_VENUE`)."""

    DISPATCH = "dispatch", _("重点项目调度会")
    ROUNDTABLE = "roundtable", _("企业接待日圆桌会")


#: The venue (`demands.choices.Venue` value) whose escalated demands each kind of series decides.
SERIES_VENUE: dict[str, Venue] = {
    SeriesKind.DISPATCH: Venue.DISPATCH_MEETING,
    SeriesKind.ROUNDTABLE: Venue.ROUNDTABLE,
}


#: Photos a month's progress report may carry.
MAX_PHOTOS = 6


class Cadence(models.TextChoices):
    """How often a meeting series meets (周会商、旬调度、月分析、季考核、半年述职; 半月一调度)."""

    WEEKLY = "weekly", _("周会商")
    TEN_DAY = "ten_day", _("旬调度")
    HALF_MONTH = "half_month", _("半月调度")
    MONTHLY = "monthly", _("月分析")
    QUARTERLY = "quarterly", _("季考核")
    HALF_YEAR = "half_year", _("半年述职")


#: Days between two meetings of a series, by cadence (the next meeting's date is proposed from it).
CADENCE_DAYS: dict[str, int] = {
    Cadence.WEEKLY: 7,
    Cadence.TEN_DAY: 10,
    Cadence.HALF_MONTH: 15,
    Cadence.MONTHLY: 30,
    Cadence.QUARTERLY: 91,
    Cadence.HALF_YEAR: 182,
}


#: The battle map a project of each kind starts from: (milestone, working span in days), each
#: milestone waiting for the one before it. An office adjusts the dates afterwards.
MILESTONE_TEMPLATES: dict[str, tuple[tuple[StrOrPromise, int], ...]] = {
    ProjectKind.INDUSTRIAL: (
        (_("土地摘牌"), 30),
        (_("规划设计"), 45),
        (_("开工建设"), 30),
        (_("主体封顶"), 150),
        (_("竣工验收"), 90),
        (_("设备安装"), 60),
        (_("投产达效"), 30),
    ),
    ProjectKind.INFRASTRUCTURE: (
        (_("立项批复"), 30),
        (_("初步设计"), 45),
        (_("招标采购"), 40),
        (_("开工建设"), 30),
        (_("主体完工"), 180),
        (_("竣工验收"), 45),
    ),
    ProjectKind.PUBLIC_SERVICE: (
        (_("立项批复"), 30),
        (_("规划设计"), 45),
        (_("开工建设"), 30),
        (_("主体封顶"), 150),
        (_("竣工验收"), 60),
        (_("投入使用"), 30),
    ),
    ProjectKind.OTHER: ((_("前期工作"), 60), (_("开工建设"), 30), (_("建设完成"), 180)),
}


class LeadStage(models.TextChoices):
    """Where an investment lead stands in the attraction pipeline (招商)."""

    LEAD = "lead", _("线索")
    TALKS = "talks", _("洽谈")
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册")
    LAND = "land", _("供地")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("投产")
    DROPPED = "dropped", _("已终止")


class LeadAction(models.TextChoices):
    # Registering a lead is an event of its history but no step of the table.
    CREATE = "create", _("登记线索")
    TALK = "talk", _("开始洽谈")
    SIGN = "sign", _("签约")
    REGISTER = "register", _("注册落户")
    OBTAIN_LAND = "obtain_land", _("取得用地")
    START = "start", _("开工")
    PRODUCE = "produce", _("投产")
    DROP = "drop", _("终止")


#: The pipeline's stages in order (a dropped lead keeps the dates it reached).
PIPELINE: tuple[str, ...] = (
    LeadStage.LEAD,
    LeadStage.TALKS,
    LeadStage.SIGNED,
    LeadStage.REGISTERED,
    LeadStage.LAND,
    LeadStage.STARTED,
    LeadStage.PRODUCING,
)
#: The column of `Lead` that holds the date each stage was reached.
LEAD_DATE_FIELDS: dict[str, str] = {
    LeadStage.LEAD: "found_on",
    LeadStage.TALKS: "talks_on",
    LeadStage.SIGNED: "signed_on",
    LeadStage.REGISTERED: "registered_on",
    LeadStage.LAND: "land_on",
    LeadStage.STARTED: "started_on",
    LeadStage.PRODUCING: "producing_on",
}


class ReportBuildStatus(models.TextChoices):
    """Where a monthly report built in the background stands."""

    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ReportFormat(models.TextChoices):
    """The file a monthly report is built as."""

    # Product names, the same in every language.
    DOCX = "docx", "Word"
    PDF = "pdf", "PDF"


#: The steps of building a monthly report in the background: the figures read, the document
#: laid out, the file stored.
REPORT_STEPS = 3
