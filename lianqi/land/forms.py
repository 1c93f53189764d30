"""The forms of the land supermarket's pages: importing parcels from a GeoJSON export, a
project's needs for smart selection, reserving a parcel, and the form of each step, built from
what the workflow tables say the step needs."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import StyledForm
from lianqi.enterprises.models import Enterprise

from . import selection
from .actions import ProjectFigures
from .choices import LandUse
from .workflow import PARCEL_TABLE, TABLE, needs_of

WAN = Decimal(10000)
#: Bounds that keep a mistyped figure from overflowing a column.
MAX_WAN = Decimal("9999999999")


def _decimal(
    label: Any, *, places: int = 2, required: bool = False, maximum: Decimal = MAX_WAN
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_value=maximum, decimal_places=places, max_digits=14
    )


class ImportForm(StyledForm):
    """A GeoJSON FeatureCollection of parcels, as a file or pasted."""

    file = forms.FileField(label=_("GeoJSON 文件"), required=False)
    text = forms.CharField(
        label=_("或粘贴 GeoJSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    publish = forms.BooleanField(label=_("导入后直接上架供地"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw: bytes | str = ""
        if data.get("file"):
            raw = data["file"].read()
        elif data.get("text"):
            raw = data["text"]
        if not raw:
            raise forms.ValidationError(_("请上传或粘贴 GeoJSON"))
        try:
            data["geojson"] = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as bad:
            raise forms.ValidationError(_("不是有效的 JSON：%(error)s") % {"error": bad}) from bad
        return data


class NeedsForm(StyledForm):
    """A project's needs and promises, for smart selection."""

    land_use = forms.ChoiceField(
        label=_("用地性质"), required=False, choices=[("", _("不限")), *LandUse.choices]
    )
    area_min = _decimal(_("最小面积（亩）"))
    area_max = _decimal(_("最大面积（亩）"))
    power_kva = _decimal(_("用电需求（千伏安）"), places=0)
    budget_wan = _decimal(_("用地预算（万元）"))
    industry_code = forms.CharField(
        label=_("项目行业代码"), required=False, max_length=10, help_text=_("如 C3831")
    )
    investment_per_mu = _decimal(_("承诺亩均投资（万元/亩）"))
    tax_per_mu = _decimal(_("承诺亩均税收（万元/亩·年）"))
    energy_per_output = _decimal(_("单位产出能耗（吨标煤/万元）"), places=3)
    emissions_tpa = _decimal(_("主要污染物排放（吨/年）"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("area_min"), data.get("area_max")
        if low is not None and high is not None and low > high:
            self.add_error("area_max", _("最大面积小于最小面积"))
        return data

    def needs(self) -> selection.Needs:
        d = self.cleaned_data

        def f(name: str) -> float | None:
            value = d.get(name)
            return None if value is None else float(value)

        budget = d.get("budget_wan")
        use = d.get("land_use") or ""
        return selection.Needs(
            area_min_mu=f("area_min"),
            area_max_mu=f("area_max"),
            land_use=use,
            land_use_label=str(LandUse(use).label) if use else "",
            power_kva=f("power_kva"),
            budget=None if budget is None else float(budget * WAN),
            industry_code=(d.get("industry_code") or "").strip().upper(),
            investment_per_mu=f("investment_per_mu"),
            tax_per_mu=f("tax_per_mu"),
            energy_per_output=f("energy_per_output"),
            emissions_tpa=f("emissions_tpa"),
        )


class ReserveForm(StyledForm):
    """Reserve a parcel: the project's key figures (and, for the office, which enterprise)."""

    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none(), required=True)
    project_name = forms.CharField(label=_("项目名称"), max_length=200)
    industry_code = forms.CharField(
        label=_("项目行业代码"), max_length=10, help_text=_("国民经济行业分类，如 C3831")
    )
    total_investment_wan = _decimal(_("项目总投资（万元）"), required=True)
    investment_per_mu = _decimal(_("承诺亩均投资（万元/亩）"), required=True)
    tax_per_mu = _decimal(_("承诺亩均税收（万元/亩·年）"), required=True)
    energy_per_output = _decimal(_("单位产出能耗（吨标煤/万元）"), places=3)
    emissions_tpa = _decimal(_("主要污染物排放（吨/年）"))

    def __init__(self, *args: Any, enterprises: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if enterprises is None:
            del self.fields["enterprise"]
        else:
            field = self.fields["enterprise"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = enterprises

    def project(self) -> ProjectFigures:
        d = self.cleaned_data
        return ProjectFigures(
            project_name=d["project_name"],
            industry_code=d["industry_code"],
            total_investment=(d["total_investment_wan"] * WAN).quantize(Decimal("0.01")),
            investment_per_mu=d["investment_per_mu"],
            tax_per_mu=d["tax_per_mu"],
            energy_per_output=d.get("energy_per_output"),
            emissions_tpa=d.get("emissions_tpa"),
        )


def _need_fields() -> dict[str, forms.Field]:
    """A form field for each input a step of either table may need."""
    return {
        "note": forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000),
        "listing_starts": forms.DateField(
            label=_("挂牌起始日"), widget=forms.DateInput(attrs={"type": "date"})
        ),
        "listing_ends": forms.DateField(
            label=_("挂牌截止日"), widget=forms.DateInput(attrs={"type": "date"})
        ),
        "deal_price": forms.DecimalField(
            label=_("成交价（元）"), min_value=0, max_digits=14, decimal_places=2
        ),
        "contract_no": forms.CharField(label=_("出让合同编号"), max_length=60),
    }


class StepForm(StyledForm):
    """One step: the version the page showed and the step's input, prefixed by the step's name."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def inputs(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


def step_form(action: str, data: Any = None, *, version: int | None = None, parcel: bool = False) -> StepForm:
    """The form of step `action` of the reservation's table (or the parcel's, with `parcel`)."""
    fields = _need_fields()
    needs = needs_of(action, PARCEL_TABLE if parcel else TABLE)
    form_class = type("StepForm", (StepForm,), {name: fields[name] for name in needs})
    prefix = f"parcel-{action}" if parcel else action
    form: StepForm = form_class(data, prefix=prefix, initial={"expected_version": version})
    return form
