"""Every read of visits that matters: the enterprises a campaign sets out to visit, the lists
and the coverage figures of the pages, an enterprise's visits, and the measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext as _

from lianqi.core.registry import Period
from lianqi.core.scoping import scope_queryset
from lianqi.demands.choices import Channel, DemandState
from lianqi.demands.permissions import visible as visible_demands
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Staff
from lianqi.policies.subjects import eligible_ids

from .choices import CampaignState, ScopeKind, VisitChannel
from .models import Campaign, QuestionnaireVersion, RaisedDemand, Visit
from .models import Questionnaire as QuestionnaireRow
from .permissions import recordable_enterprises, visible_campaigns, visible_visits
from .questionnaire import Questionnaire, parse
from .questionnaire.analysis import Analysis, AnswerColumn, analyse, answer_columns, merged


def _in_park(campaign: Campaign) -> QuerySet[Enterprise]:
    """The enterprises a campaign may set out to visit: in the park (not moved out or closed),
    inside its jurisdiction."""
    return Enterprise.objects.filter(
        jurisdiction_path__startswith=campaign.jurisdiction_path, status=EnterpriseStatus.ACTIVE
    )


def rule_eligible(campaign: Campaign, enterprises: QuerySet[Enterprise]) -> list[int]:
    """The ids of `enterprises` that `campaign`'s scope rule finds eligible, evaluated by the
    rule engine over the same enterprise records as the policies' matching, on the campaign's
    first day (so "last year" in a rule is the year before the campaign starts). An enterprise
    whose data leaves the verdict undecided is not a target: the scope says whom to visit, and
    nobody can be told to visit on a guess."""
    return sorted(eligible_ids(enterprises, campaign.scope_rule, campaign.starts_on))


def campaign_targets(campaign: Campaign) -> QuerySet[Enterprise]:
    """The enterprises `campaign` sets out to visit: those in the park (not moved out or closed)
    inside its jurisdiction that its scope selects."""
    enterprises = _in_park(campaign)
    kind, value = campaign.scope_kind, campaign.scope_value
    if kind == ScopeKind.RULE:
        # Computed once per loaded campaign: a page asks for the targets several times.
        ids: list[int] | None = getattr(campaign, "_rule_targets", None)
        if ids is None:
            ids = rule_eligible(campaign, enterprises)
            campaign._rule_targets = ids  # type: ignore[attr-defined]
        return enterprises.filter(pk__in=ids)
    if kind == ScopeKind.KIND:
        return enterprises.filter(kind=value)
    if kind == ScopeKind.INDUSTRY:
        # A section is a letter (C 制造业); below it the codes are digits (38, 383, 3831).
        if value.isalpha():
            return enterprises.filter(industry__section=value.upper())
        return enterprises.filter(industry_id__startswith=value)
    if kind == ScopeKind.TAG:
        return enterprises.filter(tags__name=value).distinct()
    if kind == ScopeKind.LIST:
        return enterprises.filter(pk__in=campaign.enterprises.values("pk"))
    return enterprises


def takes_in(campaign: Campaign, enterprise: Enterprise) -> bool:
    """Whether `enterprise` is one of `campaign`'s targets. A rule is evaluated over this one
    enterprise's record only, not the whole park (the code page asks for every open campaign)."""
    if campaign.scope_kind == ScopeKind.RULE and getattr(campaign, "_rule_targets", None) is None:
        return bool(rule_eligible(campaign, _in_park(campaign).filter(pk=enterprise.pk)))
    return campaign_targets(campaign).filter(pk=enterprise.pk).exists()


def enterprises_by_credit_code(jurisdiction_path: str, codes: list[str]) -> dict[str, Enterprise]:
    """The enterprises of a jurisdiction (and those below it) with these credit codes, by code
    (an imported list of a campaign's targets)."""
    found = Enterprise.objects.filter(jurisdiction_path__startswith=jurisdiction_path, credit_code__in=codes)
    return {enterprise.credit_code: enterprise for enterprise in found}


# --- Lists -----------------------------------------------------------------------------------


def campaign_list(user: Any, state: str = "") -> QuerySet[Campaign]:
    """The campaigns a user may see, the latest first, with how many visits each collected."""
    campaigns = visible_campaigns(user).select_related("jurisdiction").annotate(forms=Count("visits"))
    if state in CampaignState.values:
        campaigns = campaigns.filter(state=state)
    return campaigns.order_by("-starts_on", "-pk")


def campaign_export(user: Any, state: str = "") -> QuerySet[Campaign]:
    """The campaign list as its export reads it: the list's rows and order, with the
    questionnaire and whoever acted last with their staff row (for the phone rule)."""
    return campaign_list(user, state).select_related("questionnaire", "last_actor__staff")


def questionnaire_list(user: Any) -> QuerySet[QuestionnaireRow]:
    """The questionnaires of a user's jurisdiction, the latest first, each with how many
    versions and campaigns it has and its versions' editors (with their staff rows)."""
    return (
        scope_queryset(QuestionnaireRow.objects.all(), user)
        .select_related("jurisdiction")
        .annotate(
            version_count=Count("versions", distinct=True), campaign_count=Count("campaigns", distinct=True)
        )
        .prefetch_related("versions__created_by__staff")
        .order_by("-created_at", "-pk")
    )


def visit_list(user: Any, campaign: Campaign | None = None) -> QuerySet[Visit]:
    """The visits a user may see (of one campaign, when given), the latest first."""
    visits = visible_visits(user).select_related("enterprise", "campaign", "liaison")
    if campaign is not None:
        visits = visits.filter(campaign=campaign)
    return visits.order_by("-checked_in_at", "-pk")


def for_enterprise(user: Any, enterprise: Enterprise) -> QuerySet[Visit]:
    """The visits of one enterprise the user may see (its section of the enterprise's file)."""
    return visit_list(user).filter(enterprise=enterprise).annotate(raised_count=Count("raised"))


def open_campaigns_for(user: Any) -> QuerySet[Campaign]:
    """The open campaigns the user may record visits in, the nearest deadline first."""
    return visible_campaigns(user).filter(state=CampaignState.OPEN).order_by("ends_on", "pk")


def visit_plan(user: Any, campaign: Campaign | None) -> list[Enterprise]:
    """The enterprises a user may record a visit of, for the phone form's picker: in a
    campaign, those it targets, not yet visited in it first (each marked `visited`); without
    one, all of them by name."""
    enterprises = recordable_enterprises(user)
    if campaign is None:
        return list(enterprises.order_by("name", "pk"))
    visited = Visit.objects.filter(campaign=campaign, enterprise=OuterRef("pk"))
    targets = enterprises.filter(pk__in=campaign_targets(campaign).values("pk"))
    return list(targets.annotate(visited=Exists(visited)).order_by("visited", "name", "pk"))


# --- Coverage --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageRow:
    """Targets and visited enterprises of one liaison or department (or of the whole campaign)."""

    label: str
    targets: int
    visited: int

    @property
    def not_visited(self) -> int:
        return self.targets - self.visited

    @property
    def rate(self) -> Decimal:
        """Visited as a percentage of the targets, to one decimal place (0 without targets)."""
        if not self.targets:
            return Decimal("0.0")
        return (Decimal(self.visited) * 100 / self.targets).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class CategoryRow:
    """The demands a campaign's answers raised in one category, and how far they got."""

    category: str
    raised: int
    solved_on_spot: int
    closed: int


@dataclass(frozen=True)
class Coverage:
    """A campaign's coverage: the whole, by liaison and by department; the forms collected by
    channel; the demands raised by category."""

    total: CoverageRow
    by_liaison: list[CoverageRow]
    by_department: list[CoverageRow]
    forms: dict[str, int]
    demands: list[CategoryRow]

    @property
    def forms_total(self) -> int:
        return sum(self.forms.values())

    @property
    def demands_total(self) -> int:
        return sum(row.raised for row in self.demands)


def _rows(targets: QuerySet[Enterprise], visited: Any, field: str, nobody: str) -> list[CoverageRow]:
    grouped = (
        targets.values(field)
        .annotate(n=Count("pk", distinct=True), seen=Count("pk", distinct=True, filter=Q(pk__in=visited)))
        .order_by(field)
    )
    rows = [CoverageRow(row[field] or nobody, row["n"], row["seen"]) for row in grouped]
    # The furthest behind first: they are who the office reminds.
    return sorted(rows, key=lambda row: (row.rate, row.label))


def coverage(campaign: Campaign) -> Coverage:
    """The coverage of `campaign` (which the caller loaded through `access_campaign`): its
    targets visited or not, by liaison (the enterprise's current liaison) and by that liaison's
    department, the forms collected, and the demands raised by category."""
    targets = campaign_targets(campaign)
    visits = Visit.objects.filter(campaign=campaign)
    visited = visits.values("enterprise_id")
    forms = {row["channel"]: row["n"] for row in visits.values("channel").annotate(n=Count("pk")).order_by()}
    demands = (
        RaisedDemand.objects.filter(visit__campaign=campaign)
        .values("demand__category__name")
        .annotate(
            n=Count("pk"),
            on_spot=Count("pk", filter=Q(demand__solved_on_spot=True)),
            closed=Count("pk", filter=Q(demand__state=DemandState.CLOSED)),
        )
        .order_by("-n", "demand__category__name")
    )
    return Coverage(
        total=coverage_total(campaign),
        by_liaison=_rows(targets, visited, "liaison__name", _("未分配联企干部")),
        by_department=_rows(targets, visited, "liaison__department__name", _("未分配部门")),
        forms=forms,
        demands=[
            CategoryRow(row["demand__category__name"], row["n"], row["on_spot"], row["closed"])
            for row in demands
        ],
    )


# --- Home page and measures ------------------------------------------------------------------


def open_count(user: Any) -> int:
    """How many campaigns the user may see are open (the home page's card)."""
    return visible_campaigns(user).filter(state=CampaignState.OPEN).count()


def visits_count(jurisdiction_path: str, period: Period) -> int:
    """Visits checked in during `period` in a jurisdiction and those below it (a measure)."""
    return Visit.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        checked_in_at__date__gte=period.start,
        checked_in_at__date__lte=period.end,
    ).count()


def raised_count(jurisdiction_path: str, period: Period) -> int:
    """Demands raised by the answers of visits checked in during `period` (a measure)."""
    return RaisedDemand.objects.filter(
        visit__jurisdiction_path__startswith=jurisdiction_path,
        visit__checked_in_at__date__gte=period.start,
        visit__checked_in_at__date__lte=period.end,
    ).count()


# --- Analysis --------------------------------------------------------------------------------


def campaign_versions(campaign: Campaign) -> dict[int, Questionnaire]:
    """The questionnaire versions a campaign's forms were given on (and the one it pins), each
    read by the engine, by version number."""
    used = Visit.objects.filter(campaign=campaign).values("questionnaire_version_id").distinct()
    versions = QuestionnaireVersion.objects.filter(
        Q(pk__in=used) | Q(pk=campaign.questionnaire_version_id)
    ).values_list("number", "definition")
    return {number: parse(definition) for number, definition in versions}


def campaign_analysis(campaign: Campaign) -> Analysis:
    """Per-question statistics of `campaign`'s forms (loaded through `access_campaign`), read
    in one pass over their answers (the engine's `analysis.analyse`)."""
    forms = (
        Visit.objects.filter(campaign=campaign)
        .order_by()
        .values_list("questionnaire_version__number", "answers")
        .iterator(chunk_size=2000)
    )
    return analyse(campaign_versions(campaign), forms)


def text_answers(campaign: Campaign, key: str, search: str = "") -> QuerySet[Visit]:
    """The forms of `campaign` that answered question `key` (a text question), with the
    answer as `text`, the latest first; `search` keeps those whose answer contains it."""
    visits = Visit.objects.filter(campaign=campaign).exclude(**{f"answers__{key}__isnull": True})
    visits = visits.exclude(**{f"answers__{key}": ""})
    if search:
        visits = visits.filter(**{f"answers__{key}__icontains": search})
    return (
        visits.select_related("enterprise", "liaison")
        .annotate(text=KeyTextTransform(key, "answers"))
        .order_by("-checked_in_at", "-pk")
    )


@dataclass(frozen=True)
class BehindRow:
    """A liaison whose enterprises in a campaign are visited less than the campaign's target
    asks for at this point of its period."""

    staff: Staff
    targets: int
    visited: int
    expected: Decimal

    @property
    def rate(self) -> Decimal:
        return CoverageRow("", self.targets, self.visited).rate


def expected_rate(campaign: Campaign, today: dt.date) -> Decimal:
    """The coverage the campaign should have reached by `today`: its target spread evenly over
    its period (the whole target on its last day and after), to one decimal place."""
    days = (campaign.ends_on - campaign.starts_on).days + 1
    elapsed = min(max((today - campaign.starts_on).days + 1, 0), days)
    return (Decimal(campaign.target_coverage) * elapsed / days).quantize(Decimal("0.1"), ROUND_HALF_UP)


def liaisons_behind(campaign: Campaign, today: dt.date) -> list[BehindRow]:
    """The liaisons of `campaign`'s target enterprises whose coverage is below
    `expected_rate` on `today`, the furthest behind first."""
    expected = expected_rate(campaign, today)
    visited = Visit.objects.filter(campaign=campaign).values("enterprise_id")
    grouped = (
        campaign_targets(campaign)
        .filter(liaison__isnull=False)
        .values("liaison_id")
        .annotate(n=Count("pk", distinct=True), seen=Count("pk", distinct=True, filter=Q(pk__in=visited)))
        .order_by()
    )
    counts = {row["liaison_id"]: (row["n"], row["seen"]) for row in grouped}
    staff = Staff.objects.filter(pk__in=counts).select_related("user", "department")
    rows = [BehindRow(person, *counts[person.pk], expected) for person in staff]
    behind = [row for row in rows if row.rate < expected]
    return sorted(behind, key=lambda row: (row.rate, row.staff.name, row.staff.pk))


def export_columns(campaign: Campaign) -> list[AnswerColumn]:
    """The answer columns of `campaign`'s forms: every question of every version its forms used,
    matched by key (a matrix one column per row)."""
    questions, _asked = merged(campaign_versions(campaign))
    return answer_columns(questions.values())


def export_forms(campaign: Campaign) -> Iterator[tuple[Any, ...]]:
    """`campaign`'s forms for the export, in the order they were checked in: the enterprise,
    the liaison with their phone, user and jurisdiction (for the phone rule), the check-in
    time, the channel and the answers — read as plain values, in chunks."""
    return (
        Visit.objects.filter(campaign=campaign)
        .order_by("checked_in_at", "pk")
        .values_list(
            "enterprise__name",
            "enterprise__credit_code",
            "liaison__name",
            "liaison__phone",
            "liaison__user_id",
            "liaison__jurisdiction_path",
            "checked_in_at",
            "channel",
            "answers",
        )
        .iterator(chunk_size=2000)
    )


def coverage_rate(jurisdiction_path: str, period: Period) -> Decimal | None:
    """The visited share of the target enterprises of the published campaigns of a
    jurisdiction (and those below it) running at some time in `period`, as a percentage to one
    decimal place: every campaign's visited targets added up over all their targets (a
    measure). None when no such campaign has a target."""
    campaigns = Campaign.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        state__in=(CampaignState.OPEN, CampaignState.CLOSED),
        starts_on__lte=period.end,
        ends_on__gte=period.start,
    )
    targets = visited = 0
    for campaign in campaigns:
        total = coverage_total(campaign)
        targets += total.targets
        visited += total.visited
    return CoverageRow("", targets, visited).rate if targets else None


def coverage_total(campaign: Campaign) -> CoverageRow:
    """How many of `campaign`'s targets there are and how many of them were visited."""
    visited = Visit.objects.filter(campaign=campaign).values("enterprise_id")
    total = campaign_targets(campaign).aggregate(
        n=Count("pk", distinct=True), seen=Count("pk", distinct=True, filter=Q(pk__in=visited))
    )
    return CoverageRow(campaign.title, total["n"], total["seen"])


# --- The enterprise's code page --------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    """`path` and every jurisdiction path above it ("a/b/c/" → "a/", "a/b/", "a/b/c/")."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def open_campaigns_covering(enterprise: Enterprise) -> list[Campaign]:
    """The open campaigns whose scope takes in `enterprise` (its code page offers their
    electronic forms), the nearest deadline first."""
    candidates = Campaign.objects.filter(
        state=CampaignState.OPEN, jurisdiction_path__in=_ancestor_paths(enterprise.jurisdiction_path)
    ).select_related("questionnaire_version")
    return [campaign for campaign in candidates.order_by("ends_on", "pk") if takes_in(campaign, enterprise)]


def enterprise_forms(enterprise: Enterprise, campaign: Campaign) -> QuerySet[Visit]:
    """The forms of `enterprise` in `campaign` (a liaison's visits and its own electronic
    forms), the latest first: for the enterprise itself only (`CodeViewer.member`)."""
    return Visit.objects.filter(enterprise=enterprise, campaign=campaign).order_by("-checked_in_at", "-pk")


def version_in_use(version: QuestionnaireVersion) -> bool:
    """Whether a published campaign pins this version or a visit answered it: then it is never
    changed again, and saving the questionnaire makes the next version."""
    return version.campaigns.exists() or version.visits.exists()


def questionnaire_versions(questionnaire: Any) -> QuerySet[QuestionnaireVersion]:
    """A questionnaire's versions, newest first, each with how many campaigns pin it and how
    many visits answered it."""
    return questionnaire.versions.annotate(
        campaign_count=Count("campaigns", distinct=True), visit_count=Count("visits", distinct=True)
    ).order_by("-number")


def last_contacts(user: Any, ids: list[int]) -> dict[int, dt.datetime]:
    """For each enterprise of `ids`, when a liaison was last in touch with it, counted on what
    `user` may see: the latest liaison visit (an enterprise's own electronic form is not a
    contact) or demand a liaison filed for it (after a call or a visit outside any campaign).
    Enterprises never contacted are left out."""
    visits = (
        visible_visits(user)
        .filter(enterprise_id__in=ids, channel=VisitChannel.LIAISON)
        .order_by()
        .values("enterprise_id")
        .annotate(at=Max("checked_in_at"))
        .values_list("enterprise_id", "at")
    )
    filed = (
        visible_demands(user)
        .filter(enterprise_id__in=ids, channel=Channel.LIAISON)
        .order_by()
        .values("enterprise_id")
        .annotate(at=Max("received_at"))
        .values_list("enterprise_id", "at")
    )
    last: dict[int, dt.datetime] = {}
    for pk, at in [*visits, *filed]:
        if pk not in last or at > last[pk]:
            last[pk] = at
    return last
