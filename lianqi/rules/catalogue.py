"""The attribute catalogue: which facts about a subject a rule may test, their type, unit and
source. A condition naming an attribute outside the catalogue, or stating another unit, is
refused when the rule is loaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class AttributeKind(StrEnum):
    """How an attribute is stored and which operators apply to it."""

    CODE = "code"  # a hierarchical code compared by prefix (jurisdiction: 430300 → 430302…)
    INDUSTRY = "industry"  # a GB/T 4754-2017 code; the section letter is implied by the division
    ENUM = "enum"  # one value out of a closed list (kind: above_size, shop, …)
    TAGS = "tags"  # a set of labels
    NUMBER = "number"  # one figure with a unit
    YEARLY = "yearly"  # one figure per year with a unit; conditions name the year (Y-1)
    DATE = "date"  # a date; conditions compare the full years elapsed since it


NUMERIC_OPERATORS = (">=", ">", "<=", "<", "==", "!=")
OPERATORS: dict[AttributeKind, tuple[str, ...]] = {
    AttributeKind.CODE: ("prefix",),
    AttributeKind.INDUSTRY: ("prefix",),
    AttributeKind.ENUM: ("in",),
    AttributeKind.TAGS: ("has", "lacks"),
    AttributeKind.NUMBER: NUMERIC_OPERATORS,
    AttributeKind.YEARLY: NUMERIC_OPERATORS,
    AttributeKind.DATE: NUMERIC_OPERATORS,
}
YEARS_UNIT = "年"


def gettext_noop(text: str) -> str:
    """Marks a Chinese word of the catalogue (label, source, unit, choice) for the interface's
    translation catalogue without translating it: the engine stays free of Django, and the
    apps that show these words pass them through their own gettext. The name is the one the
    message extractor looks for."""
    return text


OLDEST_YEAR_OFFSET = -10  # a rule looks at most ten years back; further is a typing mistake


@dataclass(frozen=True)
class Attribute:
    """One fact about a subject. `label` is the Chinese noun shown in sentences (营业收入),
    `source` where the platform takes it from (shown next to the value in explanations),
    `unit` the unit every condition and figure on it uses, `choices` the Chinese labels of an
    enum's values. For a date, `age_label` names the elapsed years (成立年限)."""

    name: str
    label: str
    kind: AttributeKind
    source: str
    unit: str = ""
    choices: Mapping[str, str] = field(default_factory=dict)
    age_label: str = ""

    @property
    def operators(self) -> tuple[str, ...]:
        return OPERATORS[self.kind]

    @property
    def condition_unit(self) -> str:
        """The unit a condition's value is written in (years for a date's age)."""
        return YEARS_UNIT if self.kind is AttributeKind.DATE else self.unit

    @property
    def is_numeric(self) -> bool:
        return self.kind in (AttributeKind.NUMBER, AttributeKind.YEARLY, AttributeKind.DATE)


def _by_name(attributes: Iterable[Attribute]) -> dict[str, Attribute]:
    found: dict[str, Attribute] = {}
    for attribute in attributes:
        if attribute.name in found:
            raise ValueError(f"attribute {attribute.name!r} declared twice")
        found[attribute.name] = attribute
    return found


class Catalogue:
    """The attributes rules may use, by name. A catalogue may also take further attributes from
    a `source` it reads each time it is used (`extend_from`): the enterprise catalogue learns
    the attributes apps compute (the credit class, a pilot's whitelist) that way, declared where
    they are registered, while the engine itself stays free of Django."""

    def __init__(self, attributes: Iterable[Attribute]) -> None:
        self._own: dict[str, Attribute] = _by_name(attributes)
        self._source: Callable[[], Sequence[Attribute]] | None = None
        # The source's last answer and the merged attributes made from it: a source answers
        # the same tuple until something new is declared, so reading costs an identity check.
        self._seen: Sequence[Attribute] | None = None
        self._merged: dict[str, Attribute] = self._own

    def extend_from(self, source: Callable[[], Sequence[Attribute]]) -> None:
        """From now on the catalogue also holds the attributes `source()` answers. A name it
        already holds is refused (ValueError) when the catalogue is next read."""
        self._source = source
        self._seen = None

    @property
    def attributes(self) -> dict[str, Attribute]:
        if self._source is None:
            return self._own
        extras = self._source()
        if extras is not self._seen:
            self._merged = _by_name([*self._own.values(), *extras])
            self._seen = extras
        return self._merged

    def extended(self, extras: Iterable[Attribute]) -> Catalogue:
        """A new catalogue holding this one's attributes and `extras`."""
        return Catalogue([*self.attributes.values(), *extras])

    def __contains__(self, name: object) -> bool:
        return name in self.attributes

    def __getitem__(self, name: str) -> Attribute:
        return self.attributes[name]

    def __iter__(self) -> Iterator[Attribute]:
        return iter(self.attributes.values())

    def get(self, name: str) -> Attribute | None:
        return self.attributes.get(name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, Any]]) -> Catalogue:
        """A catalogue from {name: {label, kind, source, unit?, choices?, age_label?}}, so that
        other kinds of subject (parcels, products) can declare their own attributes."""
        return cls(
            Attribute(
                name=name,
                label=str(spec["label"]),
                kind=AttributeKind(spec["kind"]),
                source=str(spec.get("source", "")),
                unit=str(spec.get("unit", "")),
                choices=dict(spec.get("choices", {})),
                age_label=str(spec.get("age_label", "")),
            )
            for name, spec in data.items()
        )


# The attributes the enterprise register holds. Those an app computes (the credit class, a
# pilot's whitelist) are declared with their values through core's `EnterpriseAttribute`
# registry; the Django side hands them to this catalogue with `extend_from`.
ENTERPRISE_CATALOGUE = Catalogue(
    [
        Attribute("jurisdiction", gettext_noop("所属辖区"), AttributeKind.CODE, gettext_noop("企业库")),
        Attribute("industry", gettext_noop("所属行业"), AttributeKind.INDUSTRY, gettext_noop("企业库")),
        Attribute(
            "kind",
            gettext_noop("主体类型"),
            AttributeKind.ENUM,
            gettext_noop("企业库"),
            choices={
                "above_size": gettext_noop("规上企业"),
                "below_size": gettext_noop("规下企业"),
                "shop": gettext_noop("门店"),
                "project": gettext_noop("在建项目"),
                "individual": gettext_noop("个体工商户"),
            },
        ),
        Attribute("tags", gettext_noop("企业标签"), AttributeKind.TAGS, gettext_noop("企业库")),
        Attribute(
            "founded_on",
            gettext_noop("成立日期"),
            AttributeKind.DATE,
            gettext_noop("工商登记"),
            age_label=gettext_noop("成立年限"),
        ),
        Attribute(
            "registered_capital",
            gettext_noop("注册资本"),
            AttributeKind.NUMBER,
            gettext_noop("工商登记"),
            unit=gettext_noop("万元"),
        ),
        Attribute(
            "employees",
            gettext_noop("从业人数"),
            AttributeKind.NUMBER,
            gettext_noop("企业填报"),
            unit=gettext_noop("人"),
        ),
        Attribute(
            "output_value",
            gettext_noop("产值"),
            AttributeKind.YEARLY,
            gettext_noop("统计年报"),
            unit=gettext_noop("万元"),
        ),
        Attribute(
            "revenue",
            gettext_noop("营业收入"),
            AttributeKind.YEARLY,
            gettext_noop("统计年报"),
            unit=gettext_noop("万元"),
        ),
        Attribute(
            "tax",
            gettext_noop("纳税额"),
            AttributeKind.YEARLY,
            gettext_noop("税务数据"),
            unit=gettext_noop("万元"),
        ),
        Attribute(
            "rd_spending",
            gettext_noop("研发投入"),
            AttributeKind.YEARLY,
            gettext_noop("统计年报"),
            unit=gettext_noop("万元"),
        ),
        Attribute(
            "local_purchase",
            gettext_noop("本地采购额"),
            AttributeKind.YEARLY,
            gettext_noop("企业填报"),
            unit=gettext_noop("万元"),
        ),
    ]
)


# GB/T 4754-2017: the divisions (大类) of each section (门类). A division code alone names its
# section, so subjects and conditions may write "3811" or "C3811" alike.
_SECTION_DIVISIONS = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}
_DIVISION_SECTION = {
    division: section
    for section, (low, high) in _SECTION_DIVISIONS.items()
    for division in range(low, high + 1)
}


def normalise_industry(code: str) -> str:
    """'3811', 'C3811', 'c38' → 'C3811', 'C3811', 'C38'; a section letter alone stays. Raises
    ValueError for anything that is not a GB/T 4754-2017 code or prefix of one."""
    text = str(code).strip().upper()
    if not text:
        raise ValueError("empty industry code")
    letter = ""
    if text[0].isalpha():
        letter, text = text[0], text[1:]
        if letter not in _SECTION_DIVISIONS:
            raise ValueError(f"unknown section {letter!r}")
    if not text:
        return letter
    if not text.isdigit() or len(text) < 2 or len(text) > 4:
        raise ValueError(f"malformed industry code {code!r}")
    section = _DIVISION_SECTION.get(int(text[:2]))
    if section is None or (letter and letter != section):
        raise ValueError(f"division {text[:2]} is not in section {letter or '?'}")
    return section + text


def years_elapsed(since: dt.date, as_of: dt.date) -> int:
    """Full years from `since` to `as_of` (an anniversary counts on its day)."""
    return as_of.year - since.year - ((as_of.month, as_of.day) < (since.month, since.day))
