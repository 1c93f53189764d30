"""Explanations in plain words: the engine's structured lines (`lianqi.rules.Item`) said as
sentences in the reader's language — each condition with the enterprise's figure, the source
and year it comes from, and whether it is met:

    2024 年营业收入不低于 2000 万元：本企业为 2300 万元（来源：统计年报 2024）— 符合

Groups read as "满足以下全部条件 / 任一条件" with their conditions indented beneath, never as
tree paths; negations arrive already turned into positive tests. Every page, export and API
response that explains a policy goes through `Wording`, so the words are written once."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from lianqi.enterprises.choices import EnterpriseKind
from lianqi.enterprises.models import Industry
from lianqi.org.models import Jurisdiction
from lianqi.rules import ENTERPRISE_CATALOGUE, Explanation, Item, NearMiss, Verdict, miss_item
from lianqi.rules.catalogue import AttributeKind, normalise_industry
from lianqi.rules.model import Benefit, Fixed, Percentage, Tiered


def number_text(value: Any) -> str:
    """A figure as people write it: at most two decimals, no trailing zeros (2300, 2.1)."""
    amount = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    text = format(amount, "f")
    return text


def quantity_text(value: Any, unit: str) -> str:
    """A figure with its unit as the policy states it (万元, 元, 人, 年)."""
    number = number_text(value)
    if unit == "万元":
        return _("%(number)s 万元") % {"number": number}
    if unit == "元":
        return _("%(number)s 元") % {"number": number}
    if unit == "人":
        return _("%(number)s 人") % {"number": number}
    if unit == "年":
        return _("%(number)s 年") % {"number": number}
    if not unit:
        return number
    return _("%(number)s %(unit)s") % {"number": number, "unit": unit}


def either(words: Sequence[str]) -> str:
    """ "规上企业或规下企业" / "above-size enterprise or below-size enterprise"."""
    if not words:
        return "—"
    text = words[0]
    for word in words[1:]:
        text = _("%(first)s或%(second)s") % {"first": text, "second": word}
    return text


def verdict_label(verdict: Verdict | str) -> str:
    """符合 / 不符合 / 待定, for a policy or a group of conditions."""
    return {"eligible": _("符合"), "ineligible": _("不符合"), "unknown": _("待定")}[Verdict(verdict).value]


#: What a condition's outcome is called: a missing figure is not a failure.
def _condition_outcome(item: Item) -> str:
    if item.outcome is None:
        return ""
    if item.kind == "declare":
        return _("待企业申报") if item.outcome is Verdict.UNKNOWN else _("不符合")
    return {
        Verdict.ELIGIBLE: _("符合"),
        Verdict.INELIGIBLE: _("不符合"),
        Verdict.UNKNOWN: _("缺少数据"),
    }[item.outcome]


@dataclass(frozen=True)
class Sentence:
    """One line of an explanation in words: the condition (`text`), the enterprise's figure
    with its source (`figure`, empty in a rule's outline and for group headings), and the
    outcome (`outcome`, empty in an outline). `depth` indents it under its group."""

    depth: int
    kind: str
    text: str
    figure: str = ""
    outcome: str = ""
    verdict: str = ""

    @property
    def is_group(self) -> bool:
        return self.kind in ("all", "any")

    @property
    def is_declaration(self) -> bool:
        return self.kind == "declare"

    whole: str = ""  # condition, figure and outcome in one line, in the language it was made in
    source: str = ""  # where the figure comes from, in that language

    def __str__(self) -> str:
        return self.whole or self.text


def _whole(text: str, figure: str, outcome: str) -> str:
    if figure:
        text = _("%(condition)s：%(figure)s") % {"condition": text, "figure": figure}
    if outcome:
        text = _("%(sentence)s — %(outcome)s") % {"sentence": text, "outcome": outcome}
    return text


@dataclass
class WordedExplanation:
    """A policy explained for one enterprise in words: the verdict, the sentences in reading
    order, and the amount it would get with how it is worked out."""

    verdict: Verdict
    verdict_label: str
    sentences: list[Sentence]
    amount: float | None = None
    amount_text: str = ""  # 金额：约 12 万元（按…）, or why it cannot be worked out
    amount_badge: str = ""  # 约 12 万元, in the unit the policy states
    items: list[Item] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        """The explanation as the API gives it: the verdict, the amount, the sentences as
        text (`lines`) and each line in words and figures (`conditions`)."""
        return {
            "verdict": self.verdict.value,
            "verdict_label": self.verdict_label,
            "amount": self.amount,
            "amount_text": self.amount_text,
            "lines": self.lines(),
            "conditions": [
                {
                    "depth": s.depth,
                    "kind": s.kind,
                    "sentence": str(s),
                    "text": s.text,
                    "figure": s.figure,
                    "outcome": s.outcome,
                    "verdict": s.verdict,
                    "attribute": item.attribute,
                    "op": item.op,
                    "negated": item.negated,
                    "threshold": _plain(item.threshold),
                    "actual": _plain(item.actual),
                    "unit": item.unit,
                    "year": item.year,
                    "data_source": s.source,
                }
                for s, item in zip(self.sentences, self.items, strict=True)
            ],
        }

    def lines(self) -> list[str]:
        """The sentences as plain text, indented two spaces per level (the API's `lines`)."""
        lines = ["  " * s.depth + str(s) for s in self.sentences]
        return [*lines, self.amount_text] if self.amount_text else lines


class Wording:
    """Says the engine's lines in words. Built over every line a page will show, so that the
    names of the jurisdiction and industry codes they mention are read in two queries."""

    def __init__(self, items: Iterable[Item] = ()) -> None:
        jurisdictions: set[str] = set()
        industries: set[str] = set()
        for item in items:
            codes = _codes(item)
            if item.attribute == "jurisdiction":
                jurisdictions.update(codes)
            elif item.attribute == "industry":
                industries.update(_industry_key(code) for code in codes)
        self.jurisdictions = dict(
            Jurisdiction.objects.filter(
                code__in={c for code in jurisdictions for c in _jurisdiction_keys(code)}
            ).values_list("code", "name")
        )
        # A class's own name when the full table is loaded, else its division's or section's.
        self.industries = dict(
            Industry.objects.filter(
                code__in={c for code in industries for c in _industry_ancestors(code)}
            ).values_list("code", "name")
        )

    # --- the parts of a sentence ----------------------------------------------------------

    def _label(self, item: Item) -> str:
        attribute = ENTERPRISE_CATALOGUE.get(item.attribute or "")
        if attribute is None:
            return item.attribute or ""
        if attribute.kind is AttributeKind.DATE and attribute.age_label:
            return _(attribute.age_label)
        label = _(attribute.label)
        if attribute.kind is AttributeKind.YEARLY and item.year is not None:
            return _("%(year)s 年%(label)s") % {"year": item.year, "label": label}
        return label

    def code_name(self, attribute: str | None, code: str) -> str:
        """A jurisdiction, industry or kind code by its name ("规上企业", "电气机械和器材制造业（38）")."""
        if attribute == "kind":
            return str(EnterpriseKind(code).label) if code in EnterpriseKind.values else code
        if attribute == "jurisdiction":
            name = next(
                (self.jurisdictions[k] for k in _jurisdiction_keys(code) if k in self.jurisdictions), None
            )
        elif attribute == "industry":
            code = _industry_key(code)
            name = next((self.industries[k] for k in _industry_ancestors(code) if k in self.industries), None)
        else:
            return code
        return _("%(name)s（%(code)s）") % {"name": name, "code": code} if name else code

    def value_text(self, item: Item, value: Any) -> str:
        """The enterprise's value (or a condition's) as a reader would write it."""
        if isinstance(value, frozenset | set):
            return "、".join(sorted(value)) if value else _("无")
        if isinstance(value, tuple | list):
            return either([self.code_name(item.attribute, str(v)) for v in value])
        if isinstance(value, str):
            return self.code_name(item.attribute, value)
        if isinstance(value, int | float | Decimal):
            return quantity_text(value, item.unit)
        return str(value)

    def _threshold(self, item: Item) -> str:
        if item.parameter:
            name = item.parameter_label or item.parameter
            if item.threshold is None:
                return _("“%(parameter)s”（当日无取值）") % {"parameter": name}
            return _("%(value)s（%(parameter)s）") % {
                "value": quantity_text(item.threshold, item.unit),
                "parameter": name,
            }
        return self.value_text(item, item.threshold)

    def condition_text(self, item: Item) -> str:
        """The condition as a sentence that a reader can check against their own figure."""
        if item.kind == "all":
            return _("满足以下全部条件")
        if item.kind == "any":
            return _("满足以下任一条件")
        if item.kind == "declare":
            if item.negated:
                return _("不存在以下情形：%(text)s（由企业自主申报）") % {"text": item.text}
            return _("%(text)s（由企业自主申报）") % {"text": item.text}
        if item.op in ("has", "lacks") and item.attribute != "tags":
            # A set an app computes (the pilots' whitelists an enterprise is on) by its label.
            words = {"subject": self._label(item), "value": item.threshold}
            return (
                _("%(subject)s包含“%(value)s”") if item.op == "has" else _("%(subject)s不含“%(value)s”")
            ) % words
        if item.op == "has":
            return _("企业带有“%(tag)s”标签") % {"tag": item.threshold}
        if item.op == "lacks":
            return _("企业没有“%(tag)s”标签") % {"tag": item.threshold}
        words = {"subject": self._label(item), "value": self._threshold(item)}
        if item.op == "prefix":
            return (
                _("%(subject)s不在%(value)s范围内") if item.negated else _("%(subject)s在%(value)s范围内")
            ) % words
        if item.op == "in":
            return (_("%(subject)s不是%(value)s") if item.negated else _("%(subject)s为%(value)s")) % words
        phrase = {
            ">=": _("%(subject)s不低于 %(value)s"),
            ">": _("%(subject)s高于 %(value)s"),
            "<=": _("%(subject)s不高于 %(value)s"),
            "<": _("%(subject)s低于 %(value)s"),
            "==": _("%(subject)s等于 %(value)s"),
            "!=": _("%(subject)s不等于 %(value)s"),
        }[item.op or ""]
        return phrase % words

    def figure_text(self, item: Item) -> str:
        """本企业为 2300 万元（来源：统计年报 2024）, or that the platform lacks the figure."""
        if item.kind != "condition" or item.outcome is None:
            return ""
        source = _(item.source)
        if item.year is not None:
            origin = _("来源：%(source)s %(year)s") % {"source": source, "year": item.year}
        else:
            origin = _("来源：%(source)s") % {"source": source}
        if item.actual is None:
            return _("本企业暂无此项数据（%(origin)s）") % {"origin": origin}
        if item.op in ("has", "lacks") and item.attribute != "tags":
            return _("本企业为 %(value)s（%(origin)s）") % {
                "value": self.value_text(item, item.actual),
                "origin": origin,
            }
        if item.op in ("has", "lacks"):
            if item.threshold in item.actual:
                return _("本企业带有该标签（%(origin)s）") % {"origin": origin}
            return _("本企业没有该标签（%(origin)s）") % {"origin": origin}
        return _("本企业为 %(value)s（%(origin)s）") % {
            "value": self.value_text(item, item.actual),
            "origin": origin,
        }

    # --- whole sentences ------------------------------------------------------------------

    def sentence(self, item: Item) -> Sentence:
        outcome = verdict_label(item.outcome) if item.outcome and item.kind in ("all", "any") else ""
        outcome = outcome or _condition_outcome(item)
        text, figure = self.condition_text(item), self.figure_text(item)
        return Sentence(
            depth=item.depth,
            kind=item.kind,
            text=text,
            figure=figure,
            outcome=outcome,
            verdict=item.outcome.value if item.outcome is not None else "",
            whole=_whole(text, figure, outcome),
            source=_(item.source) if item.source else "",
        )

    def sentences(self, items: Iterable[Item]) -> list[Sentence]:
        return [self.sentence(item) for item in items]

    def explanation(
        self, explanation: Explanation, benefit: Benefit | None, *, as_of: dt.date
    ) -> WordedExplanation:
        """A policy's explanation for one enterprise in words."""
        items = explanation.items()
        amount, amount_text, amount_badge = explanation.amount, "", ""
        if benefit is not None and explanation.verdict is Verdict.ELIGIBLE:
            how = self.benefit_text(benefit, as_of=as_of)
            if amount is None:
                amount_text = _("金额：%(benefit)s，缺少基数暂无法测算") % {"benefit": how}
            else:
                amount_badge = _("约 %(amount)s") % {"amount": quantity_text(amount, benefit.unit)}
                amount_text = _("金额：约 %(amount)s（%(benefit)s）") % {
                    "amount": quantity_text(amount, benefit.unit),
                    "benefit": how,
                }
        return WordedExplanation(
            verdict=explanation.verdict,
            verdict_label=verdict_label(explanation.verdict),
            sentences=self.sentences(items),
            amount=amount,
            amount_text=amount_text,
            amount_badge=amount_badge,
            items=items,
        )

    def near_miss(self, miss: NearMiss) -> Sentence:
        """The one condition a near miss fails, with the enterprise's figure and, for a
        figure, how far it is from the threshold."""
        item = miss_item(miss)
        sentence = self.sentence(item)
        if miss.gap is None:
            return sentence
        gap = _("差 %(gap)s") % {"gap": quantity_text(miss.gap, item.unit)}
        return replace(sentence, outcome=gap, whole=_whole(sentence.text, sentence.figure, gap))

    def benefit_text(self, benefit: Benefit, *, as_of: dt.date) -> str:
        """How the amount is worked out: 定额 20 万元; 按 2024 年营业收入分档：…; 按…的 3%，最高 50 万元."""
        if isinstance(benefit, Fixed):
            return _("定额 %(amount)s") % {"amount": quantity_text(benefit.amount, benefit.unit)}
        attribute = ENTERPRISE_CATALOGUE.get(benefit.attribute)
        unit = attribute.unit if attribute is not None else ""
        year = None if benefit.year is None else as_of.year + benefit.year
        base = self._label(Item(0, "condition", None, attribute=benefit.attribute, year=year))
        if isinstance(benefit, Tiered):
            tiers = [
                _("%(start)s及以上：%(amount)s")
                % {"start": quantity_text(b.start, unit), "amount": quantity_text(b.amount, benefit.unit)}
                for b in benefit.brackets
            ]
            text = tiers[0] if tiers else "—"
            for tier in tiers[1:]:
                text = _("%(first)s；%(second)s") % {"first": text, "second": tier}
            return _("按%(base)s分档：%(tiers)s") % {"base": base, "tiers": text}
        assert isinstance(benefit, Percentage)
        text = _("按%(base)s的 %(rate)s%%") % {"base": base, "rate": number_text(benefit.rate)}
        if benefit.cap is not None:
            text = _("%(text)s，最高 %(cap)s") % {
                "text": text,
                "cap": quantity_text(benefit.cap, benefit.unit),
            }
        return text


def _plain(value: Any) -> Any:
    """A value as JSON holds it: sets and tuples as sorted or ordered lists."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _codes(item: Item) -> list[str]:
    found = []
    for value in (item.threshold, item.actual):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple | list):
            found.extend(str(v) for v in value)
    return found


def _jurisdiction_keys(code: str) -> list[str]:
    """The administrative codes a condition's code prefix may stand for: itself, and the
    six- and twelve-digit codes it abbreviates (4313 → 431300, 431300000000)."""
    return [code, code.ljust(6, "0"), code.ljust(12, "0")]


def _industry_ancestors(code: str) -> list[str]:
    """An industry code and those above it, nearest first (3811 → 3811, 381, 38, C)."""
    key = _industry_key(code)
    if len(key) == 1:
        return [key]
    found = [key[:n] for n in range(len(key), 1, -1)]
    with contextlib.suppress(ValueError):
        found.append(normalise_industry(key)[0])
    return found


def _industry_key(code: str) -> str:
    """An industry code as the industry table keys it: the section letter alone, or the
    digits without it ("C3811" → "3811")."""
    try:
        normalised = normalise_industry(code)
    except ValueError:
        return code
    return normalised if len(normalised) == 1 else normalised[1:]
