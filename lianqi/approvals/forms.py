"""The forms of approvals' pages: starting a project's run, adding an item to a chart and
changing what it waits for, and the form of each step of a run item, built from what the
workflow table says the step needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm

from .models import Chart, Item, Material, RunItem, Stage
from .workflow import needs_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartRunForm(StyledForm):
    """Start a project's approvals on a day (the day its first items may be applied for)."""

    on = forms.DateField(label=_("启动日期"), widget=DATE)


class ItemForm(StyledForm):
    """Add an item to a chart (事项清单 and 实施清单 in one) with the items it waits for."""

    stage = forms.ModelChoiceField(label=_("审批阶段"), queryset=Stage.objects.none())
    name = forms.CharField(label=_("事项名称"), max_length=200)
    department = forms.CharField(label=_("实施部门"), max_length=100)
    time_limit = forms.IntegerField(label=_("承诺时限（工作日）"), min_value=1, max_value=365)
    statutory_limit = forms.IntegerField(
        label=_("法定时限（工作日）"), min_value=1, max_value=365, required=False
    )
    basis = forms.CharField(label=_("设定依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    fee = forms.CharField(label=_("收费标准"), max_length=100, initial=_("不收费"), required=False)
    place = forms.CharField(label=_("办理地点"), max_length=200, required=False)
    lenient = forms.BooleanField(label=_("可容缺受理"), required=False)
    prerequisites = forms.ModelMultipleChoiceField(
        label=_("前置事项"), queryset=Item.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, chart: Chart, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = chart.stages.order_by("order", "pk")  # type: ignore[attr-defined]
        self.fields["prerequisites"].queryset = chart.items.order_by("stage__order", "order", "pk")  # type: ignore[attr-defined]


class PrerequisitesForm(StyledForm):
    """Change what an item waits for (a circle is refused by the action, next to this field)."""

    prerequisites = forms.ModelMultipleChoiceField(
        label=_("前置事项"), queryset=Item.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prerequisites"].queryset = item.chart.items.exclude(pk=item.pk).order_by(  # type: ignore[attr-defined]
            "stage__order", "order", "pk"
        )


def _need_fields(row: RunItem | None) -> dict[str, forms.Field]:
    """A form field for each input a step of the table may need (its `needs` name them)."""
    lenient = Material.objects.none() if row is None else row.item.materials.filter(lenient=True)
    return {
        "on": forms.DateField(label=_("办理日期"), widget=DATE),
        "note": forms.CharField(
            label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
        ),
        "missing": forms.ModelMultipleChoiceField(
            label=_("容缺材料"), queryset=lenient, widget=forms.CheckboxSelectMultiple
        ),
        "promise_on": forms.DateField(label=_("承诺补齐日期"), widget=DATE),
    }


class StepForm(StyledForm):
    """One step: the version the page showed (a step based on a stale page is refused) and the
    step's input, prefixed by the step's name so that several steps share one page."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def inputs(self) -> dict[str, Any]:
        """The step's input, as the action takes it."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


def step_form(
    action: str,
    data: Any = None,
    *,
    version: int | None = None,
    row: RunItem | None = None,
    initial: dict[str, Any] | None = None,
) -> StepForm:
    """The form of step `action` on `row`, with the fields the table says it needs."""
    fields = _need_fields(row)
    form_class = type("StepForm", (StepForm,), {name: fields[name] for name in needs_of(action)})
    form: StepForm = form_class(data, prefix=action, initial={"expected_version": version, **(initial or {})})
    return form
