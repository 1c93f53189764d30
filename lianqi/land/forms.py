"""The forms of the land supermarket's pages: importing parcels from a GeoJSON export, a
project's needs for smart selection, reserving a parcel, and the form of each step, built from
what the workflow tables say the step needs."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lianqi.core.forms import PickerSelect, StyledForm
from lianqi.enterprises.models import Enterprise

from . import geometry, selection
from .actions import ProjectFigures
from .choices import LandUse, PriceKind
from .models import M2_PER_MU
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


class ParcelForm(StyledForm):
    """One parcel typed in by the office: its number, where it is, its boundary (GeoJSON or
    lon/lat pairs), area in mu, use, price, planning conditions, infrastructure and 标准地
    indicators. The action checks the boundary, the area against it and the number's
    uniqueness; this form only types the input."""

    code = forms.CharField(label=_("地块编号"), max_length=40)
    location = forms.CharField(label=_("坐落"), max_length=200, help_text=_("地块名称或位置"))
    zone = forms.CharField(label=_("功能分区"), max_length=60, required=False)
    land_use = forms.ChoiceField(label=_("用地性质"), choices=LandUse.choices)
    area_mu = forms.DecimalField(
        label=_("面积（亩）"), min_value=Decimal("0.01"), max_value=MAX_WAN, decimal_places=2, max_digits=12
    )
    boundary = forms.CharField(
        label=_("边界坐标"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("GeoJSON Polygon（WGS84），或每行一个“经度,纬度”，首尾两点相同"),
    )
    price_kind = forms.ChoiceField(label=_("价格类型"), choices=PriceKind.choices)
    price = forms.DecimalField(
        label=_("价格（元）"), min_value=0, max_value=MAX_WAN, decimal_places=2, max_digits=14
    )
    plot_ratio_min = _decimal(_("容积率下限"), maximum=Decimal("99"))
    plot_ratio_max = _decimal(_("容积率上限"), maximum=Decimal("99"))
    building_density_max = _decimal(_("建筑密度上限（%）"), maximum=Decimal("100"))
    height_limit_m = _decimal(_("限高（米）"), maximum=Decimal("9999"))
    power_kva = forms.IntegerField(
        label=_("供电容量（千伏安）"), required=False, min_value=0, max_value=10**9
    )
    water_tpd = forms.IntegerField(label=_("供水能力（吨/日）"), required=False, min_value=0, max_value=10**9)
    gas = forms.BooleanField(label=_("通天然气"), required=False)
    sewage = forms.BooleanField(label=_("通污水管网"), required=False)
    road = forms.CharField(label=_("道路"), max_length=100, required=False)
    investment_per_mu_min = _decimal(_("亩均投资强度下限（万元/亩）"))
    tax_per_mu_min = _decimal(_("亩均税收下限（万元/亩·年）"))
    energy_per_output_max = _decimal(_("单位产出能耗上限（吨标煤/万元）"), places=3)
    emissions_max = _decimal(_("主要污染物排放上限（吨/年）"))
    barred_industries = forms.CharField(
        label=_("禁止入驻行业"),
        max_length=200,
        required=False,
        help_text=_("国民经济行业分类代码前缀，空格分隔，如 C25 C26"),
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    publish = forms.BooleanField(label=_("登记后直接上架供地"), required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["publish"]
        else:
            del self.fields["expected_version"]

    @classmethod
    def initial_for(cls, parcel: Any) -> dict[str, Any]:
        """What the edit form starts from: the parcel as stored, its boundary as GeoJSON."""
        names = [n for n in cls.base_fields if n not in ("boundary", "publish", "expected_version")]
        initial = {name: getattr(parcel, name) for name in names}
        initial["boundary"] = json.dumps(parcel.boundary, ensure_ascii=False)
        initial["expected_version"] = parcel.version
        return initial

    def clean_boundary(self) -> dict[str, Any]:
        try:
            return geometry.boundary_from_text(self.cleaned_data["boundary"])
        except geometry.GeometryError as bad:
            raise forms.ValidationError(bad.message.render(gettext)) from bad

    def values(self) -> dict[str, Any]:
        """The action's keyword arguments: the boundary as GeoJSON, the area in square metres."""
        d = dict(self.cleaned_data)
        d["area_m2"] = (d.pop("area_mu") * M2_PER_MU).quantize(Decimal("0.01"))
        d.pop("publish", None)
        d.pop("expected_version", None)
        return d


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

    enterprise = forms.ModelChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.none(),
        required=True,
        # Searched by name or credit code: a park has too many enterprises for one list.
        widget=PickerSelect("enterprises:pick"),
        error_messages={"invalid_choice": _("请选择您管辖范围内的企业")},
    )
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
