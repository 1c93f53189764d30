"""The words of smart selection's reasons. The selection engine imports no Django, so it
cannot translate: each label, figure and target of a reason is a `Message` (a Chinese template,
the gettext msgid marked with the no-op `_` so that ``makemessages`` finds it, and its
parameters), and the page renders it through gettext (`land_tags.reason`), so an English page
shows English reasons. Numbers are formatted by the engine; a parcel's own words (its zone, its
state's and use's labels, already translated where they were read) are parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def _(text: str) -> str:
    """Marks a msgid for the catalogue; translation happens where the message is shown."""
    return text


@dataclass(frozen=True)
class Message:
    """One piece of a reason: a Chinese template (the msgid) and its parameters; a parameter
    may itself be a `Message` or a tuple of them (a list, joined)."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, translate: Callable[[str], str] = _) -> str:
        """The text in the language `translate` gives (Chinese by default)."""
        template = translate(self.template)
        if not self.params:
            return template
        return template % {name: _value(value, translate) for name, value in self.params.items()}

    def __str__(self) -> str:
        return self.render()


def _value(value: Any, translate: Callable[[str], str]) -> str:
    if isinstance(value, Message):
        return value.render(translate)
    if isinstance(value, tuple):
        return translate(LIST_SEPARATOR).join(_value(v, translate) for v in value)
    return str(value)


def text(value: str) -> Message:
    """A figure that is data, not words of the engine (a zone, a label read elsewhere)."""
    return Message("%(text)s", {"text": value})


#: How a list is joined: 、 in Chinese, ", " in English.
LIST_SEPARATOR = _("、")
#: One reason: "label: figure (required: target)".
REASON = _("%(label)s：%(figure)s（要求 %(target)s）")

# --- Labels ------------------------------------------------------------------------------------
STATE = _("地块状态")
LAND_USE = _("用地性质")
AREA = _("面积")
POWER = _("供电容量")
PRICE = _("价格")
INDUSTRY = _("行业准入")
INVESTMENT = _("承诺亩均投资")
TAX = _("承诺亩均税收")
ENERGY = _("单位产出能耗")
EMISSIONS = _("主要污染物排放")
INFRASTRUCTURE = _("配套")

# --- Figures and targets -----------------------------------------------------------------------
AVAILABLE = _("可供地")
MU = _("%(value)s 亩")
MU_AT_LEAST = _("≥ %(value)s 亩")
MU_AT_MOST = _("≤ %(value)s 亩")
MU_BETWEEN = _("≥ %(low)s 亩，≤ %(high)s 亩")
NOT_RECORDED = _("未登记")
KVA = _("%(value)s 千伏安")
KVA_AT_LEAST = _("≥ %(value)s 千伏安")
WAN = _("%(value)s 万元")
WITHIN_BUDGET = _("≤ 预算 %(value)s 万元")
PROJECT_INDUSTRY = _("项目行业 %(code)s")
PROJECT_INDUSTRY_BARRED = _("项目行业 %(code)s，%(zone)s禁止 %(prefix)s 类")
PROJECT_INDUSTRY_BARRED_HERE = _("项目行业 %(code)s，该分区禁止 %(prefix)s 类")
NOT_BARRED = _("不属于%(zone)s禁止的行业（%(barred)s）")
NOT_BARRED_HERE = _("不属于该分区禁止的行业（%(barred)s）")
NONE = _("无")
NOT_PROMISED = _("项目未填报")
#: The 标准地 indicators: (figure, target) templates by the indicator's key.
INDICATORS = {
    "investment_per_mu": (_("%(value)s 万元/亩"), _("≥ 标准地指标 %(value)s 万元/亩")),
    "tax_per_mu": (_("%(value)s 万元/亩·年"), _("≥ 标准地指标 %(value)s 万元/亩·年")),
    "energy_per_output": (_("%(value)s 吨标煤/万元"), _("≤ 标准地指标 %(value)s 吨标煤/万元")),
    "emissions_tpa": (_("%(value)s 吨/年"), _("≤ 标准地指标 %(value)s 吨/年")),
}
WATER = _("供水")
GAS = _("天然气")
SEWAGE = _("污水管网")
ROAD = _("道路")
ALL_SERVICES = _("水、气、污水、道路齐全（加分项）")

# --- Boundaries (geometry) ---------------------------------------------------------------------
# A boundary's problems: what names the place (a ring, a point of it) is a `Message` itself.
GEO_OUTER_RING = _("外环")
GEO_INNER_RING = _("第 %(number)s 个内环")
GEO_RING_POINT = _("%(ring)s第 %(number)s 点")
GEO_POSITION_SHAPE = _("%(where)s的坐标应为 [经度, 纬度]")
GEO_LON_NOT_NUMBER = _("%(where)s的经度不是数字")
GEO_LAT_NOT_NUMBER = _("%(where)s的纬度不是数字")
GEO_NOT_FINITE = _("%(where)s的坐标不是有限数")
GEO_LON_RANGE = _("%(where)s的经度 %(value)s 超出 WGS84 范围（-180～180）")
GEO_LAT_RANGE = _("%(where)s的纬度 %(value)s 超出 WGS84 范围（-90～90）")
GEO_RING_NOT_ARRAY = _("%(ring)s应为坐标数组")
GEO_RING_TOO_SHORT = _("%(ring)s至少需要 4 个坐标点（首尾相同），现有 %(count)s 个")
GEO_RING_OPEN = _("%(ring)s未闭合：首点与末点不同")
GEO_RING_TOO_FEW = _("%(ring)s不足 3 个不同的点，围不成面")
GEO_RING_REPEATED = _("%(ring)s第 %(first)s、%(second)s 点重复")
GEO_RING_CROSSES = _("%(ring)s自相交")
GEO_RING_NO_AREA = _("%(ring)s的面积为零")
GEO_NOT_GEOMETRY = _("边界应为 GeoJSON 几何对象")
GEO_NOT_POLYGON = _("边界应为 Polygon（面），而不是 %(kind)s")
GEO_UNKNOWN_KIND = _("未知类型")
GEO_NO_COORDINATES = _("边界缺少坐标")
GEO_EMPTY = _("请填写边界坐标")
GEO_BAD_JSON = _("不是有效的 GeoJSON：%(error)s")
GEO_PAIR_SHAPE = _("第 %(number)s 点应为“经度,纬度”")
GEO_PAIR_NOT_NUMBER = _("第 %(number)s 点不是数字")
GEO_AREA_DISAGREES = _(
    "填报面积 %(stated)s 平方米与边界计算面积 %(computed)s 平方米相差 %(off)s，超过允许的 %(tolerance)s"
)

# --- An import's report (one line per bad feature) ---------------------------------------------
FEATURE = _("第 %(index)s 个要素")
FEATURE_WITH_CODE = _("第 %(index)s 个要素（%(code)s）")
FEATURE_PROBLEM = _("%(who)s %(field)s：%(message)s")
FILE_NOT_COLLECTION = _("文件应为 GeoJSON FeatureCollection")
FILE_EMPTY = _("文件中没有要素")
NOT_FEATURE = _("不是 GeoJSON Feature")
MISSING_PROPERTY = _("缺少必填属性")
CODE_TAKEN = _("地块编号已存在")
CODE_REPEATED = _("与第 %(index)s 个要素的编号重复")
AREA_MISSING = _("缺少面积（area_m2 或 area_mu）")
AREA_NOT_POSITIVE = _("面积应大于零")
