"""Every read of the credit work that matters: the facts the scoring rule reads, built for many
enterprises with a fixed number of queries; the rule in force for a jurisdiction; the class of
each enterprise with its reasons; the conveniences an enterprise enjoys; the lists and the
figures of the home page and of the measures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lianqi.core.registry import Period
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department

from . import scoring
from .choices import OPEN_STATES, REPAIR_STATES, RepairState
from .models import (
    Commitment,
    Convenience,
    DishonestyRecord,
    Honour,
    Interview,
    RecordEvent,
    ScoringRule,
    XindaiRegistration,
)
from .permissions import visible, visible_rows


def rule_values(row: ScoringRule) -> scoring.Rule:
    """The engine's rule of a stored version."""
    return scoring.rule_from_mapping({name: getattr(row, name) for name in scoring.Rule.__dataclass_fields__})


def _ancestors(path: str) -> list[str]:
    """The paths of a jurisdiction and those above it, nearest first."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[:n]) for n in range(len(parts), 0, -1)]


def published_rule(path: str) -> ScoringRule | None:
    """The latest version of the rule of the nearest jurisdiction at or above `path`."""
    for ancestor in _ancestors(path):
        row = ScoringRule.objects.filter(jurisdiction_path=ancestor).order_by("-version").first()
        if row is not None:
            return row
    return None


def rule_for(path: str) -> scoring.Rule:
    """The rule that scores the enterprises under `path` (the built-in default when none is
    published above them)."""
    row = published_rule(path)
    return rule_values(row) if row is not None else scoring.DEFAULT_RULE


@dataclass(frozen=True)
class RuleVersion:
    """One published version of a rule: from when to when it was in force (`until` is None for
    the one in force), and how many of the enterprises it scores fall in each class under it."""

    row: ScoringRule
    until: dt.datetime | None
    counts: tuple[tuple[str, int], ...]


def rule_versions(path: str, enterprises: QuerySet[Enterprise]) -> list[RuleVersion]:
    """Every version of the rule that scores `path` (that of the nearest jurisdiction at or
    above it with one), newest first, each with its validity and the class distribution it
    gives `enterprises` on today's credit facts, so versions compare on the same data."""
    current = published_rule(path)
    if current is None:
        return []
    rows = list(
        ScoringRule.objects.filter(jurisdiction_id=current.jurisdiction_id)
        .select_related("published_by")
        .order_by("-version")
    )
    facts = facts_of(enterprises.values_list("pk", flat=True))
    year = timezone.localdate().year
    found: list[RuleVersion] = []
    until: dt.datetime | None = None
    for row in rows:
        rule = rule_values(row)
        classes = [scoring.grade(f, rule, year=year).credit_class for f in facts.values()]
        counts = tuple((c, classes.count(c)) for c in scoring.CLASSES)
        found.append(RuleVersion(row, until, counts))
        until = row.created_at
    return found


def facts_of(ids: Iterable[int]) -> dict[int, scoring.Facts]:
    """The credit facts of the enterprises `ids`, in six queries however many there are."""
    ids = list(ids)
    committed = set(Commitment.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", flat=True))
    xindai = set(
        XindaiRegistration.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", flat=True)
    )
    honours: dict[int, list[int]] = defaultdict(list)
    for pk, year in Honour.objects.filter(enterprise_id__in=ids).values_list("enterprise_id", "year"):
        honours[pk].append(year)
    in_force: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    repaired: dict[int, int] = defaultdict(int)
    for pk, kind, state in DishonestyRecord.objects.filter(enterprise_id__in=ids).values_list(
        "enterprise_id", "kind", "state"
    ):
        if state == RepairState.REPAIRED:
            repaired[pk] += 1
        else:
            in_force[pk][kind] += 1
    interviews: dict[int, list[int]] = defaultdict(list)
    through = Interview.enterprises.through.objects.filter(enterprise_id__in=ids)
    for pk, held_on in through.values_list("enterprise_id", "interview__held_on"):
        interviews[pk].append(held_on.year)
    return {
        pk: scoring.Facts(
            committed=pk in committed,
            honour_years=tuple(sorted(honours.get(pk, ()))),
            xindai=pk in xindai,
            in_force=dict(in_force.get(pk, {})),
            repaired=repaired.get(pk, 0),
            interview_years=tuple(sorted(interviews.get(pk, ()))),
        )
        for pk in ids
    }


def grades(enterprises: QuerySet[Enterprise], day: dt.date | None = None) -> dict[int, scoring.Grade]:
    """The class of each of `enterprises` with its reasons, each under the rule in force over
    its jurisdiction, on `day` (today by default)."""
    year = (day or timezone.localdate()).year
    rows = list(enterprises.values_list("pk", "jurisdiction_path"))
    facts = facts_of(pk for pk, _path in rows)
    rules: dict[str, scoring.Rule] = {}
    found: dict[int, scoring.Grade] = {}
    for pk, path in rows:
        if path not in rules:
            rules[path] = rule_for(path)
        found[pk] = scoring.grade(facts[pk], rules[path], year=year)
    return found


def grade_of(enterprise: Enterprise, day: dt.date | None = None) -> scoring.Grade:
    """One enterprise's class with its reasons."""
    return grades(Enterprise.objects.filter(pk=enterprise.pk), day)[enterprise.pk]


def credit_classes(ids: list[int]) -> dict[int, str]:
    """The credit class of each enterprise of `ids` (what the eligibility engine reads)."""
    return {pk: grade.credit_class for pk, grade in grades(Enterprise.objects.filter(pk__in=ids)).items()}


@dataclass(frozen=True)
class Offered:
    """A convenience as one enterprise sees it: whether it enjoys it, and why not."""

    convenience: Convenience
    enjoyed: bool


def conveniences_for(enterprise: Enterprise, grade: scoring.Grade) -> list[Offered]:
    """The active conveniences offered at or above the enterprise's jurisdiction, each saying
    whether the enterprise, with `grade`, enjoys it."""
    in_force = DishonestyRecord.objects.filter(enterprise=enterprise, state__in=OPEN_STATES).exists()
    offered = Convenience.objects.filter(
        active=True, jurisdiction_path__in=_ancestors(enterprise.jurisdiction_path)
    )
    return [
        Offered(
            row,
            scoring.at_least(grade.credit_class, row.lowest_class)
            and not (row.no_record_in_force and in_force),
        )
        for row in offered
    ]


def conveniences_visible(user: Any) -> QuerySet[Convenience]:
    """The conveniences a manager sees: those of their jurisdiction and below."""
    return visible_rows(Convenience, user).select_related("department")


def convenience_departments(user: Any) -> QuerySet[Department]:
    """The departments a convenience of the user's jurisdiction may name: of that jurisdiction,
    above it and below it."""
    path = getattr(getattr(user, "jurisdiction", None), "path", "")
    if not path:
        return Department.objects.none()
    return Department.objects.filter(
        Q(jurisdiction_path__in=_ancestors(path)) | Q(jurisdiction_path__startswith=path)
    ).order_by("jurisdiction_path", "order", "name")


def records(user: Any) -> QuerySet[DishonestyRecord]:
    return visible(user).select_related("enterprise")


def repairs(user: Any) -> QuerySet[DishonestyRecord]:
    """Records whose repair was applied for, newest change first."""
    return records(user).filter(state__in=REPAIR_STATES).order_by("-last_changed_at", "-pk")


def history(row: DishonestyRecord) -> QuerySet[RecordEvent]:
    """A record's events in order, with who acted."""
    return row.events.select_related("actor").order_by("at", "pk")


def open_repairs_count(user: Any) -> int:
    """How many repairs the user may see still wait on someone (the home page's card)."""
    waiting = (RepairState.APPLIED, RepairState.MATERIALS, RepairState.REVIEWED)
    return visible(user).filter(state__in=waiting).count()


def open_for_enterprise(enterprise: Enterprise) -> QuerySet[DishonestyRecord]:
    """An enterprise's records not yet repaired."""
    return DishonestyRecord.objects.filter(enterprise=enterprise, state__in=OPEN_STATES)


def repairable_for(enterprise: Enterprise) -> QuerySet[DishonestyRecord]:
    """An enterprise's records in force whose repair nobody has applied for yet: what it may
    apply to repair through its code."""
    return DishonestyRecord.objects.filter(enterprise=enterprise, state=RepairState.IN_FORCE)


def _in(jurisdiction_path: str) -> dict[str, Any]:
    return {"jurisdiction_path__startswith": jurisdiction_path}


def committed_count(jurisdiction_path: str, period: Period) -> int:
    """Enterprises that signed a credit commitment in `period` (a measure)."""
    rows = Commitment.objects.filter(
        **_in(jurisdiction_path), signed_on__gte=period.start, signed_on__lte=period.end
    )
    return rows.values("enterprise_id").distinct().count()


def repaired_count(jurisdiction_path: str, period: Period) -> int:
    """Enterprises helped through credit repair in `period` (a measure)."""
    rows = DishonestyRecord.objects.filter(
        **_in(jurisdiction_path),
        state=RepairState.REPAIRED,
        repaired_on__gte=period.start,
        repaired_on__lte=period.end,
    )
    return rows.values("enterprise_id").distinct().count()


def honoured_count(jurisdiction_path: str, period: Period) -> int:
    """Enterprises honoured in the years of `period` (a measure)."""
    rows = Honour.objects.filter(
        **_in(jurisdiction_path), year__gte=period.start.year, year__lte=period.end.year
    )
    return rows.values("enterprise_id").distinct().count()


def xindai_count(jurisdiction_path: str, period: Period) -> int:
    """Enterprises registered on 湘信贷 by the end of `period` (a measure)."""
    return XindaiRegistration.objects.filter(**_in(jurisdiction_path), registered_on__lte=period.end).count()
