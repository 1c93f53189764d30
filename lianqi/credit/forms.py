"""The forms of the credit pages: what the office records for an enterprise, the collective
interview, the scoring rule, the conveniences, the Excel import, and the form of each repair
step, built from what the workflow table says the step needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import BoundedIntegerField, PickerSelectMultiple, StyledForm
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department

from .actions import HONOUR_TITLES
from .choices import BenefitKind, CreditClass, RecordKind
from .models import DishonestyRecord
from .workflow import needs_of


def _date(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class CommitmentForm(StyledForm):
    text_version = forms.CharField(label=_("承诺书版本"), max_length=60, initial="2024年版")
    signed_on = _date(_("签署日期"))
    signed_by = forms.CharField(label=_("签署人"), max_length=60)
    scan = forms.FileField(label=_("扫描件"), required=False)


class HonourForm(StyledForm):
    title = forms.CharField(
        label=_("荣誉称号"),
        max_length=80,
        initial=HONOUR_TITLES[0],
        widget=forms.TextInput(attrs={"list": "honour-titles"}),
    )
    year = BoundedIntegerField(label=_("年度"), min_value=2000, max_value=2100)
    awarded_by = forms.CharField(label=_("授予单位"), max_length=80, required=False)


class RecordForm(StyledForm):
    kind = forms.ChoiceField(label=_("记录类型"), choices=RecordKind.choices)
    authority = forms.CharField(label=_("认定机关"), max_length=80)
    document_no = forms.CharField(label=_("决定文书号"), max_length=80, required=False)
    decided_on = _date(_("认定日期"))
    summary = forms.CharField(label=_("失信事由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class XindaiForm(StyledForm):
    registered_on = _date(_("注册日期"))


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("Excel 文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("列：统一社会信用代码、记录类型、认定机关、决定文书号、认定日期、失信事由"),
    )


class InterviewForm(StyledForm):
    held_on = _date(_("约谈日期"))
    topic = forms.CharField(label=_("约谈主题"), max_length=120)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    enterprises = forms.ModelMultipleChoiceField(
        label=_("约谈企业"),
        queryset=Enterprise.objects.none(),
        widget=PickerSelectMultiple("enterprises:pick"),
    )
    note = forms.CharField(label=_("约谈情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprises"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = enterprises


class RuleForm(StyledForm):
    """A new version of the scoring rule: points and thresholds."""

    base = BoundedIntegerField(label=_("基础分"), min_value=0, max_value=1000)
    commitment = BoundedIntegerField(label=_("签署信用承诺书加分"), min_value=-1000, max_value=1000)
    honour = BoundedIntegerField(label=_("每项诚信荣誉加分"), min_value=-1000, max_value=1000)
    honour_years = BoundedIntegerField(label=_("荣誉与约谈计分年限"), min_value=0, max_value=100)
    xindai = BoundedIntegerField(label=_("湘信贷注册加分"), min_value=-1000, max_value=1000)
    blacklist = BoundedIntegerField(label=_("每条失信名单记录扣分"), min_value=-1000, max_value=1000)
    penalty = BoundedIntegerField(label=_("每条行政处罚记录扣分"), min_value=-1000, max_value=1000)
    abnormal = BoundedIntegerField(label=_("每条经营异常记录扣分"), min_value=-1000, max_value=1000)
    interview = BoundedIntegerField(label=_("每次集体约谈扣分"), min_value=-1000, max_value=1000)
    a_min = BoundedIntegerField(label=_("A级最低分"), min_value=-1000, max_value=1000)
    b_min = BoundedIntegerField(label=_("B级最低分"), min_value=-1000, max_value=1000)
    c_min = BoundedIntegerField(label=_("C级最低分"), min_value=-1000, max_value=1000)
    blacklist_veto = forms.BooleanField(label=_("失信名单一票否决（直接评为D级）"), required=False)
    note = forms.CharField(label=_("修订说明"), max_length=200, required=False)


class ConvenienceForm(StyledForm):
    name = forms.CharField(label=_("名称"), max_length=80)
    benefit = forms.ChoiceField(label=_("便利类型"), choices=BenefitKind.choices)
    description = forms.CharField(label=_("便利内容"), widget=forms.Textarea(attrs={"rows": 3}))
    lowest_class = forms.ChoiceField(label=_("最低信用等级"), choices=CreditClass.choices, initial="B")
    no_record_in_force = forms.BooleanField(label=_("要求无未修复失信记录"), required=False)
    department = forms.ModelChoiceField(
        label=_("提供部门"), queryset=Department.objects.none(), required=False, empty_label=_("（不指定）")
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments


def _need_fields() -> dict[str, forms.Field]:
    """A form field for each input a step of the table may need (its `needs` name them)."""
    return {
        "applied_on": _date(_("申请修复日期")),
        "materials": forms.CharField(
            label=_("修复材料"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
        ),
        "reviewed_on": _date(_("审核日期")),
        "note": forms.CharField(
            label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
        ),
        "repaired_on": _date(_("修复日期")),
    }


class StepForm(StyledForm):
    """One step: the version the page showed (a step based on a stale page is refused) and the
    step's input, prefixed by the step's name so that several steps share one page."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def inputs(self) -> dict[str, Any]:
        """The step's input, as the action takes it."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


def step_form(action: str, data: Any = None, *, version: int | None = None) -> StepForm:
    """The form of step `action`, with the fields the table says it needs."""
    fields = _need_fields()
    form_class = type("StepForm", (StepForm,), {name: fields[name] for name in needs_of(action)})
    form: StepForm = form_class(data, prefix=action, initial={"expected_version": version})
    return form


class _RecordChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A record offered by what the enterprise recognises: its kind, authority, date, reason."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()} · {obj.authority} · {obj.decided_on:%Y-%m-%d} · {obj.summary}"


class CodeRepairForm(StyledForm):
    """The enterprise's application for repair through its code: which of its records in force,
    and what it corrected."""

    record = _RecordChoice(
        label=_("失信记录"),
        queryset=DishonestyRecord.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("请选择要申请修复的失信记录"),
            "invalid_choice": _("请选择本企业的失信记录"),
        },
    )
    correction = forms.CharField(
        label=_("已完成的整改"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1800,
        help_text=_("说明已纠正的失信行为和已履行的义务，如已缴纳罚款、已履行判决，以及可提交的证明材料。"),
        error_messages={"required": _("请说明已完成的整改")},
    )

    def __init__(self, *args: Any, records: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["record"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = records
