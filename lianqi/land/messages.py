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
