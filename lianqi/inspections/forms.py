"""The forms of this wing's pages: registering an item, the form of each step, built from
what the workflow table says the step needs, and the pools of inspectors and quiet periods."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import PickerSelect, StyledForm
from lianqi.core.scoping import scope_queryset
from lianqi.demands.forms.steps import RadioList
from lianqi.enterprises.models import Enterprise
from lianqi.enterprises.permissions import visible as enterprises_visible
from lianqi.org.models import Department, Staff
from lianqi.org.permissions import departments_visible
from lianqi.org.permissions import visible as staff_visible

from . import checks
from .actions import MAX_RECTIFICATION_DAYS
from .choices import Finding, InspectionState, ItemKind, Trigger, VisitKind
from .models import Inspection, InspectionItem, Inspector, LenientItem
from .permissions import own_department_id, registers_only_for_own_department
from .workflow import needs_of


class InspectionForm(StyledForm):
    """Register an inspection before entry (the enterprise is the one whose file it was opened
    from); the action checks the rest and answers field by field."""

    department = forms.ModelChoiceField(label=_("检查部门"), queryset=Department.objects.none())
    item = forms.ModelChoiceField(
        label=_("检查事项"),
        queryset=InspectionItem.objects.none(),
        required=False,
        help_text=_("本部门已公布的检查事项清单中的一项，检查依据随之带出"),
    )
    trigger = forms.ChoiceField(
        label=_("检查来源"), choices=[c for c in Trigger.choices if c[0] != Trigger.DRAW]
    )
    plan_reference = forms.CharField(label=_("检查计划文号"), max_length=100, required=False)
    trigger_note = forms.CharField(label=_("来源说明"), max_length=500, required=False)
    visit_kind = forms.ChoiceField(
        label=_("检查性质"),
        choices=VisitKind.choices,
        initial=VisitKind.ENFORCEMENT,
        required=False,
        help_text=_("服务性检查（帮扶指导）同样先登记赋码，计入频次上限"),
    )
    planned_on = forms.DateField(label=_("计划检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    inspectors = forms.ModelMultipleChoiceField(label=_("检查人员"), queryset=Inspector.objects.none())
    exception_reason = forms.CharField(
        label=_("超频次理由"),
        max_length=500,
        required=False,
        help_text=_("超过检查频次上限时填写，报营商办审批后赋码"),
    )

    join = forms.ModelChoiceField(
        label=_("联合检查（综合查一次）"),
        queryset=Inspection.objects.none(),
        required=False,
        widget=RadioList,
        blank=True,
        empty_label=_("不合并，单独检查"),
        help_text=_("其他部门已登记同日检查本企业的，可加入其检查，企业只开一次门"),
    )
    # Set once the page has offered a same-day joint visit: submitting again without joining
    # then registers a separate inspection.
    offered = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_visit_kind(self) -> str:
        """Not said: an enforcement inspection, as every entry was before service visits."""
        return self.cleaned_data.get("visit_kind") or VisitKind.ENFORCEMENT

    def __init__(self, *args: Any, enterprise: Enterprise, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        departments = Department.objects.filter(is_active=True)
        if registers_only_for_own_department(user):
            # A department handler registers for their own department only.
            departments = departments.filter(pk=own_department_id(user) or 0)
        # The departments whose jurisdiction holds the enterprise, and their pools.
        paths = [p for p in _ancestors(enterprise.jurisdiction_path)]
        self.fields["department"].queryset = departments.filter(jurisdiction_path__in=paths)  # type: ignore[attr-defined]
        self.fields["inspectors"].queryset = Inspector.objects.filter(  # type: ignore[attr-defined]
            jurisdiction_path__in=paths, is_active=True
        ).select_related("staff")
        # Published items of those departments; the action says when one does not fit.
        self.fields["item"].queryset = InspectionItem.objects.filter(  # type: ignore[attr-defined]
            department__in=self.fields["department"].queryset,  # type: ignore[attr-defined]
            is_published=True,
        ).select_related("department")
        self.fields["item"].label_from_instance = _item_label  # type: ignore[attr-defined]
        candidates = Inspection.objects.filter(
            enterprise=enterprise, state=InspectionState.REGISTERED, planned_on__gte=timezone.localdate()
        ).select_related("department")
        if registers_only_for_own_department(user):
            candidates = candidates.exclude(department_id=own_department_id(user) or 0)
        if candidates.exists():
            self.fields["join"].queryset = candidates.order_by("planned_on", "pk")  # type: ignore[attr-defined]
            self.fields["join"].label_from_instance = _join_label  # type: ignore[attr-defined]
        else:
            del self.fields["join"], self.fields["offered"]

    def joint_proposal(self) -> str:
        """After a valid form: the proposal to join another department's inspection of the
        joint window, if there is one and the page has not offered it yet (then the page shows
        it on the ``join`` field and marks it offered); empty otherwise."""
        if "join" not in self.fields or self.cleaned_data.get("join") or self.cleaned_data.get("offered"):
            return ""
        same_day = checks.joint_candidates(
            self.enterprise, self.cleaned_data.get("department"), self.cleaned_data["planned_on"]
        )
        first = same_day.first()
        if first is None:
            return ""
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict: keeps multiple values
        data[self.add_prefix("offered")] = "1"
        self.data = data
        return str(
            _(
                "%(day)s %(department)s 已登记检查本企业（检查码 %(code)s），建议加入其检查（综合查一次）；确需单独检查的，选择“不合并，单独检查”后再次提交"
            )
            % {"day": first.planned_on.isoformat(), "department": first.department.name, "code": first.code}
        )


def _join_label(row: Inspection) -> str:
    return f"{row.planned_on.isoformat()} {row.department.name} · {row.task}（{row.code}）"


def _item_label(item: InspectionItem) -> str:
    return f"{item.department.name} · {item.name}（{item.legal_basis}）"


class InspectionItemForm(StyledForm):
    """Add or change an item of a department's inspection list; the action checks the rule
    with the engine and answers field by field."""

    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none())
    name = forms.CharField(label=_("检查事项"), max_length=200)
    law = forms.CharField(label=_("法律法规"), max_length=200, help_text=_("如：《安全生产法》"))
    article = forms.CharField(label=_("条款"), max_length=100, required=False, help_text=_("如：第六十五条"))
    kind = forms.ChoiceField(label=_("检查类别"), choices=ItemKind.choices)
    yearly_cap = forms.IntegerField(label=_("每企业每年检查上限"), min_value=1, max_value=366, initial=1)
    eligibility = forms.CharField(
        label=_("适用企业规则"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text=_(
            '规则引擎的 JSON 条件，如 {"attribute": "industry", "op": "prefix", "value": ["C"]}；留空为全部企业'
        ),
    )
    rule_note = forms.CharField(label=_("适用企业说明"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = departments_visible(user).filter(is_active=True).order_by("order", "name")
        if registers_only_for_own_department(user):
            departments = departments.filter(pk=own_department_id(user) or 0)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class ItemImportForm(StyledForm):
    """The Excel file of inspection items to add or change."""

    file = forms.FileField(
        label=_("检查事项文件（.xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )


def _ancestors(path: str) -> list[str]:
    """A jurisdiction path and those above it (``430000/430300/`` → both)."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


class Points(forms.RadioSelect):
    """Five points in one row of buttons (a phone shows three counts without scrolling)."""

    template_name = "inspections/points.html"


def _points(label: Any, help_text: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=Points,
    )


class RatingForm(StyledForm):
    """The enterprise rates a visit on three counts, 1 to 5 each, and a word if it wants."""

    conduct = _points(_("执法规范"), _("是否出示执法证件、依法依规检查"))
    disturbance = _points(_("打扰程度"), _("5 分为几乎未影响生产经营"))
    clarity = _points(_("告知清楚"), _("检查依据、结果和整改要求是否讲清楚"))
    comment = forms.CharField(label=_("意见"), max_length=500, required=False)


class ReportForm(StyledForm):
    """The enterprise reports an inspection that was not registered."""

    description = forms.CharField(
        label=_("情况说明"),
        help_text=_("何时、哪个部门、几人入企检查，是否出示执法证件"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class LenientImportForm(StyledForm):
    """The Excel file that replaces the jurisdiction's lenient-enforcement lists."""

    file = forms.FileField(
        label=_("清单文件（.xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )


class DrawForm(StyledForm):
    """A random draw of a department's plan: how many enterprises, how many inspectors each,
    and the public entropy (e.g. a lottery's numbers) if the task announced one."""

    department = forms.ModelChoiceField(label=_("检查部门"), queryset=Department.objects.none())
    task = forms.CharField(label=_("抽查任务"), max_length=200)
    legal_basis = forms.CharField(label=_("检查依据"), max_length=500)
    planned_on = forms.DateField(label=_("计划检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    enterprise_count = forms.IntegerField(label=_("抽取企业数"), min_value=1, max_value=10000)
    team_size = forms.IntegerField(label=_("每组检查人员数"), min_value=2, max_value=20, initial=2)
    entropy = forms.CharField(label=_("公开随机数"), max_length=200, required=False)
    announce_only = forms.BooleanField(
        label=_("先公告，后抽取"),
        required=False,
        help_text=_("先公示名录指纹和种子承诺，到公告的时间再抽取并公开种子"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = scope_queryset(  # type: ignore[attr-defined]
            Department.objects.filter(is_active=True), user
        )


def _need_fields() -> dict[str, forms.Field]:
    """A form field for each input a step of the table may need (its `needs` name them)."""
    return {
        "note": forms.CharField(
            label=_("理由或意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
        ),
        "scanned_code": forms.CharField(label=_("扫描企业营商码"), max_length=300),
        "finding": forms.ChoiceField(label=_("检查结论"), choices=Finding.choices, widget=RadioList),
        "rectification_days": forms.IntegerField(
            label=_("整改期限（工作日）"),
            required=False,
            min_value=1,
            max_value=MAX_RECTIFICATION_DAYS,
            help_text=_("责令整改时填写，按工作日历计算截止日期"),
        ),
        "lenient_item": forms.ModelChoiceField(
            label=_("适用的柔性执法清单事项"),
            queryset=LenientItem.objects.none(),
            required=False,
            help_text=_("处罚适用免罚、从轻或减轻清单事项时选择"),
        ),
        "result": forms.CharField(
            label=_("检查情况说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
        ),
        "rectified_on": forms.DateField(
            label=_("整改完成日期"), widget=forms.DateInput(attrs={"type": "date"})
        ),
    }


def lenient_choices(row: Inspection) -> Any:
    """The lenient-list items a finding on `row` may cite: those published in its jurisdiction
    or above, by its department or by no department in particular."""
    paths = [row.jurisdiction_path[: i + 1] for i, c in enumerate(row.jurisdiction_path) if c == "/"]
    return (
        LenientItem.objects.filter(jurisdiction_path__in=paths)
        .filter(Q(department__isnull=True) | Q(department_id=row.department_id))
        .order_by("kind", "number")
    )


class StepForm(StyledForm):
    """One step: the version the page showed (a step based on a stale page is refused) and the
    step's input, prefixed by the step's name so that several steps share one page."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def inputs(self) -> dict[str, Any]:
        """The step's input, as the action takes it."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


def step_form(
    action: str, data: Any = None, *, version: int | None = None, row: Inspection | None = None
) -> StepForm:
    """The form of step `action` on `row`, with the fields the table says it needs."""
    fields = _need_fields()
    form_class = type("StepForm", (StepForm,), {name: fields[name] for name in needs_of(action)})
    form: StepForm = form_class(data, prefix=action, initial={"expected_version": version})
    if "lenient_item" in form.fields and row is not None:
        form.fields["lenient_item"].queryset = lenient_choices(row)  # type: ignore[attr-defined]
        # Hundreds of items: searched by a word rather than scrolled.
        form.fields["lenient_item"].widget = PickerSelect(
            "inspections:pick_lenient", attrs={"class": "form-select"}, query=f"inspection={row.pk}"
        )
        form.fields["lenient_item"].widget.choices = form.fields["lenient_item"].choices  # type: ignore[attr-defined]
    return form


class InspectorForm(StyledForm):
    """Put a member of a department's staff in its pool of inspectors; the action checks that
    they belong to the department and that the certificate is new and valid."""

    department = forms.ModelChoiceField(label=_("执法部门"), queryset=Department.objects.none())
    staff = forms.ModelChoiceField(
        label=_("人员"),
        queryset=Staff.objects.none(),
        widget=PickerSelect("org:pick_staff"),
        error_messages={"invalid_choice": _("请选择您辖区内在岗的干部")},
    )
    certificate_no = forms.CharField(label=_("执法证号"), max_length=60)
    qualified_until = forms.DateField(
        label=_("执法资格有效期至"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        staff = self.fields["staff"]
        assert isinstance(department, forms.ModelChoiceField) and isinstance(staff, forms.ModelChoiceField)
        department.queryset = departments_visible(user).filter(is_active=True).order_by("order", "name")
        staff.queryset = staff_visible(user).filter(is_active=True)


class QuietPeriodForm(StyledForm):
    """Exempt an enterprise from inspections on plan and by draw for a period."""

    enterprise = forms.ModelChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.none(),
        widget=PickerSelect("enterprises:pick"),
        error_messages={"invalid_choice": _("请选择您辖区内的企业")},
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("免检原因"), max_length=200, help_text=_("如：新落地项目建设期、信用等级 A 级企业")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enterprise = self.fields["enterprise"]
        assert isinstance(enterprise, forms.ModelChoiceField)
        enterprise.queryset = enterprises_visible(user)


class DrawPerformForm(StyledForm):
    """Draw an announced draw, with the public entropy the announcement promised (if any)."""

    entropy = forms.CharField(label=_("公开随机数"), max_length=200, required=False)


class FrequencyCapsForm(StyledForm):
    """A jurisdiction's caps on inspections of one enterprise, across all departments."""

    per_day = forms.IntegerField(label=_("每日上限"), min_value=1, max_value=31)
    per_week = forms.IntegerField(label=_("每周上限"), min_value=1, max_value=31)
    per_month = forms.IntegerField(label=_("每月上限"), min_value=1, max_value=31)
    quiet_eligibility = forms.CharField(
        label=_("无事不扰条件"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "font-monospace"}),
        help_text=_(
            '符合条件的企业不接受日常检查（投诉举报、转办交办除外）。规则引擎的 JSON 条件，如 {"attribute": "credit_class", "op": "in", "value": ["A"]}；留空为不设'
        ),
    )
    quiet_note = forms.CharField(
        label=_("无事不扰说明"), max_length=200, required=False, help_text=_("如：信用A级企业")
    )
    joint_window_days = forms.IntegerField(
        label=_("联合检查合并期限（天）"),
        min_value=0,
        max_value=30,
        initial=0,
        required=False,
        help_text=_(
            "登记时，其他部门在前后这么多天内已登记的同一企业检查，建议合并为一次（综合查一次）；0 为只合并同一天的"
        ),
    )

    def clean_joint_window_days(self) -> int:
        """Left empty: the same day only."""
        return self.cleaned_data.get("joint_window_days") or 0
