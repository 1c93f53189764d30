"""The credit class (信用等级 A/B/C/D) of an enterprise from its credit facts by a published
scoring rule: plain Python with no Django import, so that it is tested alone and the rule can
be read by anyone. A class is only ever computed here, never typed by hand.

The score starts from the rule's base, adds points for what speaks for the enterprise (a
signed credit commitment, honours of recent years, registration on 湘信贷) and subtracts points
for each dishonesty record still in force (by kind) and each collective interview of recent
years; a repaired record no longer counts. The class follows from the thresholds; a rule may
say that a record on a dishonesty list (失信名单) in force means D whatever the score (一票否决).
Every point is explained by a `Reason`, so a page can say why an enterprise has its class."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields


def gettext_noop(text: str) -> str:
    """Marks a Chinese word for the translation catalogue without translating it here: the
    pages pass it through their own gettext."""
    return text


CLASSES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Rule:
    """A scoring rule: points per fact and the lowest score of each class."""

    base: int = 70
    commitment: int = 5
    honour: int = 10
    honour_years: int = 3
    xindai: int = 3
    blacklist: int = -40
    penalty: int = -15
    abnormal: int = -10
    interview: int = -5
    a_min: int = 85
    b_min: int = 70
    c_min: int = 50
    blacklist_veto: bool = True


DEFAULT_RULE = Rule()

#: The rule's fields that are points for one fact (the others are thresholds and settings).
POINT_FIELDS = ("commitment", "honour", "xindai", "blacklist", "penalty", "abnormal", "interview")


@dataclass(frozen=True)
class Facts:
    """What the platform knows about one enterprise's credit. `in_force` counts its dishonesty
    records not yet repaired, by kind (blacklist, penalty, abnormal); `honour_years` and
    `interview_years` hold the year of each honour and collective interview."""

    committed: bool = False
    honour_years: tuple[int, ...] = ()
    xindai: bool = False
    in_force: Mapping[str, int] = field(default_factory=dict)
    repaired: int = 0
    interview_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Reason:
    """One line of a class's explanation: what (a Chinese noun marked for translation), how
    many times, and the points it brought."""

    label: str
    count: int
    points: int


@dataclass(frozen=True)
class Grade:
    """An enterprise's class, its score and every reason for it. `vetoed` says the class is D
    because of a dishonesty list whatever the score."""

    credit_class: str
    score: int
    reasons: tuple[Reason, ...]
    vetoed: bool = False


def rule_errors(rule: Rule) -> dict[str, str]:
    """What is wrong with a rule, by field: the thresholds must descend (A above B above C),
    rewards may not be negative nor penalties positive, the honours' window is 1–10 years."""
    errors: dict[str, str] = {}
    if not rule.a_min > rule.b_min:
        errors["a_min"] = gettext_noop("A级最低分须高于B级最低分")
    if not rule.b_min > rule.c_min:
        errors["b_min"] = gettext_noop("B级最低分须高于C级最低分")
    for name in ("commitment", "honour", "xindai"):
        if getattr(rule, name) < 0:
            errors[name] = gettext_noop("加分项不能为负数")
    for name in ("blacklist", "penalty", "abnormal", "interview"):
        if getattr(rule, name) > 0:
            errors[name] = gettext_noop("扣分项不能为正数")
    if not 1 <= rule.honour_years <= 10:
        errors["honour_years"] = gettext_noop("荣誉计分年限须在1至10年之间")
    return errors


def rule_from_mapping(values: Mapping[str, object]) -> Rule:
    """A rule from the stored values of its fields (unknown keys ignored, missing ones default)."""
    names = {f.name for f in fields(Rule)}
    return Rule(**{k: v for k, v in values.items() if k in names})  # type: ignore[arg-type]


def class_of(score: int, rule: Rule) -> str:
    """The class a score reaches under `rule`."""
    if score >= rule.a_min:
        return "A"
    if score >= rule.b_min:
        return "B"
    if score >= rule.c_min:
        return "C"
    return "D"


def grade(facts: Facts, rule: Rule, *, year: int) -> Grade:
    """The class of an enterprise with `facts` under `rule` in `year` (honours and interviews
    count for the rule's window of years up to `year`)."""
    window = range(year - rule.honour_years + 1, year + 1)
    reasons: list[Reason] = [Reason(gettext_noop("基础分"), 1, rule.base)]

    def add(label: str, count: int, points: int) -> None:
        if count:
            reasons.append(Reason(label, count, count * points))

    add(gettext_noop("已签署信用承诺书"), int(facts.committed), rule.commitment)
    add(gettext_noop("近年诚信荣誉"), sum(1 for y in facts.honour_years if y in window), rule.honour)
    add(gettext_noop("已在湘信贷平台注册"), int(facts.xindai), rule.xindai)
    add(gettext_noop("未修复的失信名单记录"), facts.in_force.get("blacklist", 0), rule.blacklist)
    add(gettext_noop("未修复的行政处罚记录"), facts.in_force.get("penalty", 0), rule.penalty)
    add(gettext_noop("未修复的经营异常记录"), facts.in_force.get("abnormal", 0), rule.abnormal)
    add(
        gettext_noop("近年失信企业集体约谈"),
        sum(1 for y in facts.interview_years if y in window),
        rule.interview,
    )
    if facts.repaired:
        reasons.append(Reason(gettext_noop("已完成信用修复的记录（不再扣分）"), facts.repaired, 0))
    score = sum(reason.points for reason in reasons)
    vetoed = rule.blacklist_veto and facts.in_force.get("blacklist", 0) > 0
    return Grade("D" if vetoed else class_of(score, rule), score, tuple(reasons), vetoed)


def at_least(credit_class: str, lowest: str) -> bool:
    """Whether `credit_class` is `lowest` or better (A is best)."""
    return CLASSES.index(credit_class) <= CLASSES.index(lowest)
