"""The forms of key projects' pages: registering a project, a stage step, a milestone, a month's
report (made for a phone), a meeting and a decision. They parse input; the actions check it and
their field-level refusals are shown next to the fields (`core.forms.add_action_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import MultipleFileField, MultipleFileInput, StyledForm
from lianqi.demands.choices import Outcome
from lianqi.demands.models import Category
from lianqi.org.models import Department

from .choices import MAX_PHOTOS, Cadence, ProjectKind, ProjectLevel, ReportFormat, SeriesKind
from .models import Milestone, Project


def money(label: Any) -> forms.DecimalField:
    """An amount in yuan to the fen (the actions refuse a negative one with the field named)."""
    return forms.DecimalField(label=label, max_digits=18, decimal_places=2)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(StyledForm):
    """Register a key project at its signing."""

    name = forms.CharField(label=_("项目名称"), max_length=200)
    owner_name = forms.CharField(label=_("业主单位（待注册）"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("项目类别"), choices=ProjectKind.choices)
    level = forms.ChoiceField(label=_("项目级别"), choices=ProjectLevel.choices)
    department = forms.ModelChoiceField(label=_("责任单位"), queryset=Department.objects.none())
    leader = forms.CharField(label=_("责任领导"), max_length=50)
    total_investment = money(_("总投资（元）"))
    plan_year = forms.IntegerField(label=_("计划年度"), min_value=2000, max_value=2100)
    year_plan = money(_("年度计划投资（元）"))
    signed_on = forms.DateField(label=_("签约日期"), widget=DATE)
    industry = forms.CharField(label=_("所属产业"), max_length=100, required=False)
    location = forms.CharField(label=_("建设地点"), max_length=200, required=False)
    task_force = forms.CharField(
        label=_("工作专班成员"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, departments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class VersionForm(StyledForm):
    """The version the page showed: a write based on a stale page is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class StageForm(VersionForm):
    """A stage step: the date the stage was reached."""

    on = forms.DateField(label=_("日期"), widget=DATE)


class MilestoneForm(VersionForm):
    """A milestone of the battle map."""

    name = forms.CharField(label=_("节点名称"), max_length=100)
    owner = forms.CharField(label=_("责任人"), max_length=50, required=False)
    planned_start = forms.DateField(label=_("计划开始"), widget=DATE)
    planned_end = forms.DateField(label=_("计划完成"), widget=DATE)


class TemplateForm(VersionForm):
    """Lay out the battle map from the kind's template, from a start date."""

    start = forms.DateField(label=_("起始日期"), widget=DATE)


class MilestoneDatesForm(VersionForm):
    """A milestone's actual dates."""

    actual_start = forms.DateField(label=_("实际开始"), widget=DATE, required=False)
    actual_end = forms.DateField(label=_("实际完成"), widget=DATE, required=False)


class PlanForm(VersionForm):
    """A revised total investment and yearly plan, with the reason."""

    total_investment = money(_("总投资（元）"))
    year_plan = money(_("年度计划投资（元）"))
    reason = forms.CharField(label=_("调整原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DependencyForm(VersionForm):
    """Which milestone of the same project a milestone waits for (none: it waits for nothing)."""

    depends_on = forms.ModelChoiceField(
        label=_("前置节点"), queryset=Milestone.objects.none(), required=False
    )

    def __init__(self, *args: Any, milestones: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["depends_on"].queryset = milestones  # type: ignore[attr-defined]


class ReportForm(VersionForm):
    """A month's progress report, one column wide on a phone."""

    period = forms.DateField(
        label=_("报告月份"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    invested = money(_("本期完成投资（元）"))
    progress = forms.CharField(label=_("形象进度"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    problems = forms.CharField(
        label=_("存在问题（每行一个）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    photos = MultipleFileField(
        label=_("现场照片"),
        help_text=format_lazy(_("可多选，最多 {max} 张；支持：jpg、jpeg、png"), max=MAX_PHOTOS),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class SeriesForm(StyledForm):
    """A fixed meeting of the user's jurisdiction."""

    name = forms.CharField(label=_("会议名称"), max_length=100)
    cadence = forms.ChoiceField(label=_("会议频次"), choices=Cadence.choices)
    kind = forms.ChoiceField(
        label=_("会议类型"), choices=SeriesKind.choices, initial=SeriesKind.DISPATCH, required=False
    )

    def clean_kind(self) -> str:
        """A series set up without a type is a dispatch meeting (as every series was at first)."""
        return str(self.cleaned_data.get("kind") or SeriesKind.DISPATCH)


class MeetingForm(StyledForm):
    """A meeting of a series."""

    held_on = forms.DateField(label=_("召开日期"), widget=DATE)
    attendees = forms.CharField(label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class DecisionForm(StyledForm):
    """A decision that assigns work on a project to a department with a deadline."""

    project: forms.ModelChoiceField = forms.ModelChoiceField(label=_("项目"), queryset=Project.objects.none())
    text = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=Category.objects.filter(is_active=True))
    department = forms.ModelChoiceField(label=_("交办部门"), queryset=Department.objects.none())
    workdays = forms.IntegerField(label=_("办理时限（工作日）"), min_value=1, initial=10)

    def __init__(self, *args: Any, projects: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class EscalationDecisionForm(StyledForm):
    """A meeting's decision on an escalated demand: the conclusion, then either a department
    with a new deadline or how it ends (the demands' action tells when neither or both are given)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("协调结论"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    department = forms.ModelChoiceField(
        label=_("重新交办部门"), queryset=Department.objects.none(), required=False
    )
    workdays = forms.IntegerField(label=_("答复时限（工作日）"), min_value=1, required=False)
    outcome = forms.ChoiceField(label=_("办结结果"), choices=[("", "—"), *Outcome.choices], required=False)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class ReferForm(StyledForm):
    """Refer a project's problem to the demands' intake under a category."""

    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=Category.objects.filter(is_active=True))


class LeadStepForm(StyledForm):
    """A step of an investment lead: the version the page showed, the date, and what the step
    needs besides (the amount signed, the reason talks ended)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("日期"), widget=DATE)

    def inputs(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


def lead_step_form(
    action: str, data: Any = None, *, version: int | None = None, today: Any = None
) -> LeadStepForm:
    """The form of lead step `action`, with the fields the lead table says it needs."""
    from .workflow import lead_needs_of

    extra: dict[str, forms.Field] = {
        "amount": forms.DecimalField(label=_("签约金额（元）"), max_digits=18, decimal_places=2, min_value=0),
        "note": forms.CharField(
            label=_("终止原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
        ),
    }
    fields = {name: extra[name] for name in lead_needs_of(action) if name in extra}
    form_class = type("LeadStepForm", (LeadStepForm,), fields)
    form: LeadStepForm = form_class(data, prefix=action, initial={"expected_version": version, "on": today})
    return form


class ReportWordingForm(StyledForm):
    """The office's wording of its monthly report; a blank field keeps the standard wording."""

    title = forms.CharField(
        label=_("报告标题"),
        max_length=200,
        required=False,
        help_text=_("{place}、{year}、{month} 换成辖区名称和报告的年、月；留空用标准标题"),
    )
    issuer = forms.CharField(label=_("发文单位"), max_length=200, required=False)
    intro = forms.CharField(
        label=_("导语"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("印在标题下、正文前；可用 {place}、{year}、{month}"),
    )
    signature = forms.CharField(
        label=_("落款"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
        help_text=_("印在报告末尾，其下是出具日期"),
    )
    letterhead = forms.FileField(
        label=_("Word 信笺模板"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".docx"}),
        help_text=_(
            "可选：本单位的 Word 文档（.docx），含封面、页眉页脚；Word 月报以它开头，正文接在其后。"
            "其中的 {title}、{issuer}、{place}、{year}、{month} 会被替换"
        ),
    )
    clear_letterhead = forms.BooleanField(label=_("不再使用已上传的模板"), required=False)


class ReportBuildForm(StyledForm):
    """A month's report to build in the background, as Word or PDF."""

    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("月份"), coerce=int, choices=[(m, format_lazy(_("{}月"), m)) for m in range(1, 13)]
    )
    format = forms.ChoiceField(label=_("格式"), choices=ReportFormat.choices, initial=ReportFormat.DOCX)
