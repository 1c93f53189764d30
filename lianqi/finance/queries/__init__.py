"""Every read of the finance supermarket that matters: the shelf, the bank's work queue, an
enterprise's applications, one application's history, and the figures of the overview, the
home page and the measures (applications, approvals, credit granted and loans disbursed, by
institution and by product)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from lianqi.core import workdays
from lianqi.core.registry import Period
from lianqi.enterprises.choices import EnterpriseStatus
from lianqi.enterprises.models import Enterprise
from lianqi.policies.subjects import enterprise_records
from lianqi.rules import ENTERPRISE_CATALOGUE, Engine, SubjectTable, Verdict, build_table, rules_from_data

from ..choices import (
    DECIDING_STATES,
    LENT_STATES,
    OPEN_STATES,
    ApplicationAction,
    ApplicationState,
    ProductKind,
    ProductState,
)
from ..filters import ApplicationFilter, ProductFilter
from ..models import (
    Application,
    ApplicationEvent,
    Attendance,
    EventInvitation,
    Institution,
    MatchingEvent,
    Pilot,
    Product,
    ProductVersion,
    Tranche,
    WhitelistChange,
    WhitelistVersion,
)
from ..permissions import ancestor_paths, visible, visible_events, visible_institutions, visible_products
from ..whitelists import WHITELISTS
from ..workflow import workflow
from .figures import YearFigures as YearFigures
from .figures import median_of as median_of
from .figures import year_figures as year_figures

#: States in which credit has been granted (an approval, and the loans that followed it).
GRANTED_STATES = (ApplicationState.APPROVED, *LENT_STATES)
#: States in which the institution has decided.
DECIDED_STATES = (*GRANTED_STATES, ApplicationState.DECLINED)


def shelf(user: Any, params: Mapping[str, Any] | None = None) -> ProductFilter:
    """The products a user may see through the shelf's filters (kind, amount, rate, term)."""
    return ProductFilter(params or None, queryset=visible_products(user))


def shelf_for_enterprise(enterprise: Enterprise) -> QuerySet[Product]:
    """The published products of the institutions serving the enterprise's jurisdiction."""
    return Product.objects.select_related("institution").filter(
        state=ProductState.PUBLISHED,
        institution__jurisdiction_path__in=ancestor_paths(enterprise.jurisdiction_path),
    )


def liaison_enterprises(user: Any) -> QuerySet[Enterprise]:
    """The active enterprises a liaison is the named cadre of, by name."""
    return Enterprise.objects.filter(liaison__user=user, status=EnterpriseStatus.ACTIVE).order_by(
        "name", "pk"
    )


def application_list(user: Any, params: Mapping[str, Any] | None = None) -> ApplicationFilter:
    """The applications a user may see (a bank's: its own institution's), filtered, the
    oldest waiting first for the bank's queue."""
    queryset = visible(user).select_related("enterprise", "product", "institution")
    return ApplicationFilter(params or None, queryset=queryset)


def for_enterprise(user: Any, enterprise: Enterprise) -> QuerySet[Application]:
    """The applications of one enterprise that the user may see (its file's section)."""
    return visible(user).filter(enterprise=enterprise).select_related("product", "institution")


def history(row: Application) -> QuerySet[ApplicationEvent]:
    """An application's events in order, with who acted."""
    return row.events.select_related("actor").order_by("at", "pk")


def tranches(row: Application) -> QuerySet[Tranche]:
    """The loan's tranches, in the order they were paid out."""
    return row.tranches.select_related("actor").order_by("number")


def undrawn_fen(row: Application) -> int | None:
    """What is left of the credit granted to pay out (None before a credit is granted, and once
    the application is closed: nothing more will be)."""
    if row.granted_fen is None or row.state == ApplicationState.CLOSED:
        return None
    return row.granted_fen - (row.disbursed_fen or 0)


def offered_steps(row: Application, actor: Any) -> list[ApplicationAction]:
    """The steps the application's page offers `actor`: those the table allows, except a
    further tranche once the whole credit is paid out (the action would refuse it; closing is
    offered instead)."""
    paid_out = undrawn_fen(row) == 0
    return [
        ApplicationAction(action)
        for action in workflow.allowed_actions(row, actor)
        if not (paid_out and action == ApplicationAction.DISBURSE)
    ]


#: What the enterprise consents to share when it applies (the form's words: 登记信息、年度经营数据和
#: 纳税数据): its registration, and its yearly figures with the tax. Contacts, tags, its liaison,
#: demands and everything else on its file stay with the park.
SHARED_REGISTRATION = (
    "credit_code",
    "name",
    "kind",
    "industry",
    "legal_representative",
    "address",
    "founded_on",
    "registered_capital",
    "employees",
)
SHARED_YEARLY = ("output_value", "revenue", "rd_spending", "tax")
SHARED_YEARS = 3


@dataclass
class SharedApplicant:
    """The applicant's data as its institution reads it: the registration as (label, value)
    and the yearly figures of the last years before the application, newest first."""

    registration: list[tuple[str, Any]]
    years: list[dict[str, Any]]


def shared_applicant(row: Application) -> SharedApplicant:
    """What the enterprise consented to share with the institution for this application."""
    enterprise = row.enterprise
    registration = []
    for name in SHARED_REGISTRATION:
        model_field = enterprise._meta.get_field(name)
        value = getattr(enterprise, name)
        if name == "kind":
            value = enterprise.get_kind_display()  # type: ignore[attr-defined]
        registration.append((str(model_field.verbose_name), value))  # type: ignore[union-attr]
    applied_in = workdays.shanghai_date(row.submitted_at).year
    years = list(
        enterprise.year_figures.filter(year__lt=applied_in + 1)
        .order_by("-year")
        .values("year", *SHARED_YEARLY)[:SHARED_YEARS]
    )
    return SharedApplicant(registration, years)


def is_overdue(row: Application, *, at: dt.datetime) -> bool:
    """Still not accepted, or accepted and still undecided, after the working days the product
    promised for that step."""
    return row.due is not None and workdays.is_overdue(row.due, at)


def overdue(queryset: QuerySet[Application], *, at: dt.datetime) -> QuerySet[Application]:
    """The applications of `queryset` past the deadline of the step they wait on: not accepted
    by `accept_due`, or accepted and undecided by `decide_due`."""
    today = workdays.shanghai_date(at)
    return queryset.filter(
        Q(state=ApplicationState.SUBMITTED, accept_due__lt=today)
        | Q(state__in=DECIDING_STATES, decide_due__lt=today)
    )


def queue_count(user: Any) -> int:
    """How many applications wait on the user's institution (the bank's home card)."""
    return visible(user).filter(state__in=OPEN_STATES).count()


def my_institutions(user: Any) -> QuerySet[Institution]:
    return visible_institutions(user)


# --- Figures ---------------------------------------------------------------------------------


def _totals() -> dict[str, Any]:
    return {
        "applications": Count("pk"),
        "granted": Count("pk", filter=Q(state__in=GRANTED_STATES)),
        "declined": Count("pk", filter=Q(state=ApplicationState.DECLINED)),
        "open": Count("pk", filter=Q(state__in=OPEN_STATES)),
        "granted_fen": Coalesce(Sum("granted_fen", filter=Q(state__in=GRANTED_STATES)), 0),
        "disbursed_fen": Coalesce(Sum("disbursed_fen", filter=Q(state__in=LENT_STATES)), 0),
        "enterprises": Count(
            "enterprise", filter=Q(state__in=LENT_STATES, disbursed_on__isnull=False), distinct=True
        ),
    }


def figures(queryset: QuerySet[Application]) -> dict[str, Any]:
    """The headline of a set of applications: how many, granted, declined, open, the credit
    granted and the loans disbursed (fen), the enterprises that received a loan, and the
    approval rate (granted of those decided, None when nothing is decided)."""
    row = queryset.aggregate(**_totals())
    decided = row["granted"] + row["declined"]
    row["approval_rate"] = round(100 * row["granted"] / decided, 1) if decided else None
    return row


def figures_by(queryset: QuerySet[Application], *, by: str) -> list[dict[str, Any]]:
    """`figures` per institution (``by="institution"``) or per product (``by="product"``),
    largest loans first."""
    names = {
        "institution": ("institution_id", "institution__name"),
        "product": ("product_id", "product__name"),
    }[by]
    rows = list(queryset.values(*names).annotate(**_totals()).order_by("-disbursed_fen", names[1]))
    for row in rows:
        row["key"], row["name"] = row[names[0]], row[names[1]]
        decided = row["granted"] + row["declined"]
        row["approval_rate"] = round(100 * row["granted"] / decided, 1) if decided else None
    return rows


def kind_label(value: str) -> str:
    return str(ProductKind(value).label) if value in ProductKind.values else value


def applications_in(jurisdiction_path: str, period: Period) -> QuerySet[Application]:
    """Applications of enterprises of a jurisdiction (and those below it) made in `period`."""
    return Application.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        submitted_at__date__gte=period.start,
        submitted_at__date__lte=period.end,
    )


def applications_count(jurisdiction_path: str, period: Period) -> int:
    """Applications made in `period` (a measure)."""
    return applications_in(jurisdiction_path, period).count()


def approval_rate(jurisdiction_path: str, period: Period) -> Decimal | None:
    """Of the applications made in `period` that were decided, the share granted, in per cent
    to one decimal (a measure)."""
    rate = figures(applications_in(jurisdiction_path, period))["approval_rate"]
    return None if rate is None else Decimal(str(rate))


def disbursed_yuan(jurisdiction_path: str, period: Period) -> Decimal:
    """Loans disbursed in `period`, by the disbursement date, in yuan to the fen (a measure)."""
    total = Application.objects.filter(
        jurisdiction_path__startswith=jurisdiction_path,
        state__in=LENT_STATES,
        disbursed_on__gte=period.start,
        disbursed_on__lte=period.end,
    ).aggregate(total=Coalesce(Sum("disbursed_fen"), 0))["total"]
    return Decimal(total) / 100


def product_versions(product: Product) -> QuerySet[ProductVersion]:
    """A product's versions, newest first, with who submitted and reviewed them."""
    return product.versions.select_related("submitted_by", "reviewed_by").order_by("-number")


def my_products(user: Any) -> QuerySet[Product]:
    """The products a user may see (an institution's user: its own, in every state)."""
    return visible_products(user)


# --- Matching events -------------------------------------------------------------------------


def event_figures(event: MatchingEvent) -> dict[str, Any]:
    """One event's figures: the firms that signed, the agreements, the amount signed, and the
    loans those firms have since received from the institutions they signed with (applications
    disbursed on or after the event's day), all in fen."""
    agreements = event.agreements.all()
    signed = agreements.aggregate(
        agreements=Count("pk"),
        firms=Count("enterprise", distinct=True),
        signed_fen=Coalesce(Sum("amount_fen"), 0),
    )
    pairs = Q(pk__in=[])
    for enterprise_id, institution_id in set(agreements.values_list("enterprise_id", "institution_id")):
        pairs |= Q(enterprise_id=enterprise_id, institution_id=institution_id)
    disbursed = Application.objects.filter(
        pairs, state__in=LENT_STATES, disbursed_on__gte=event.held_on
    ).aggregate(total=Coalesce(Sum("disbursed_fen"), 0))["total"]
    return {
        **signed,
        "disbursed_fen": disbursed,
        "attended": event.attendances.count(),
        "invited": event.invitations.count(),
    }


def invitations(event: MatchingEvent) -> QuerySet[EventInvitation]:
    """The enterprises invited to the event, by name, with why."""
    return event.invitations.select_related("enterprise").order_by("enterprise__name", "pk")


def attendances(event: MatchingEvent) -> QuerySet[Attendance]:
    """The enterprises recorded as having come to the event, by name."""
    return event.attendances.select_related("enterprise", "recorded_by").order_by("enterprise__name", "pk")


def events_with_figures(user: Any) -> list[tuple[MatchingEvent, dict[str, Any]]]:
    """The events a user may see, newest first, each with its figures."""
    return [(event, event_figures(event)) for event in visible_events(user).order_by("-held_on", "-pk")]


# --- Pilots and whitelists -------------------------------------------------------------------


@dataclass
class Whitelist:
    """A pilot's whitelist on a day: the version of its rule in force, the enterprises the rule
    takes in, and the manual changes that hold (an enterprise's latest change wins)."""

    version: WhitelistVersion | None
    by_rule: set[int] = field(default_factory=set)
    added: dict[int, WhitelistChange] = field(default_factory=dict)
    removed: dict[int, WhitelistChange] = field(default_factory=dict)

    @property
    def members(self) -> set[int]:
        return (self.by_rule | set(self.added)) - set(self.removed)


def whitelist(pilot: Pilot, *, day: dt.date, version: WhitelistVersion | None = None) -> Whitelist:
    """The pilot's whitelist on `day` with its latest rule version (or `version`): the
    enterprises of its jurisdiction the rule finds eligible, plus those added by hand, less
    those removed by hand."""
    version = version or pilot.versions.order_by("-number").first()
    result = Whitelist(version)
    if version is not None:
        records = enterprise_records(
            Enterprise.objects.filter(jurisdiction_path__startswith=pilot.jurisdiction_path),
            skip=(WHITELISTS,),
        )
        if records:
            result.by_rule = _taken_in(version.rule, build_table(records, ENTERPRISE_CATALOGUE), day=day)
    for enterprise_id, change in _latest_changes(pilot.changes.select_related("enterprise", "actor")).items():
        if change.included and enterprise_id not in result.by_rule:
            result.added[enterprise_id] = change
        elif not change.included and enterprise_id in result.by_rule:
            result.removed[enterprise_id] = change
    return result


def _taken_in(rule: dict[str, Any], table: SubjectTable, *, day: dt.date) -> set[int]:
    """The subjects of `table` a whitelist rule (one rule) finds eligible on `day`."""
    ruleset = rules_from_data(rule, ENTERPRISE_CATALOGUE)
    matching = Engine.compile(ruleset, table, as_of=day, parameters=ruleset.parameters).match()
    return set(matching.sets(ruleset.rules[0].code)[Verdict.ELIGIBLE])


def _latest_changes(changes: QuerySet[WhitelistChange]) -> dict[int, WhitelistChange]:
    """Each enterprise's latest manual change among `changes`: the one that holds."""
    latest: dict[int, WhitelistChange] = {}
    for change in changes.order_by("created_at", "pk"):
        latest[change.enterprise_id] = change
    return latest


def whitelist_codes(ids: list[int], *, day: dt.date | None = None) -> dict[int, set[str]]:
    """The codes of the pilots whose whitelist holds each of the enterprises `ids` today (or on
    `day`) — the `finance_whitelists` attribute the rules read. Every id gets its set (empty:
    on no whitelist, which is known, not unknown). A fixed number of queries however many
    enterprises and pilots: the records once, each pilot's rule evaluated on them in memory."""
    if not ids:
        return {}
    day = day or timezone.localdate()
    members: dict[int, set[str]] = {pk: set() for pk in ids}
    pilots = {
        pk: (code, path) for pk, code, path in Pilot.objects.values_list("pk", "code", "jurisdiction_path")
    }
    newest = WhitelistVersion.objects.filter(pilot=OuterRef("pilot")).order_by("-number").values("number")[:1]
    latest = list(WhitelistVersion.objects.filter(number=Subquery(newest)).values_list("pilot_id", "rule"))
    if latest:
        chosen = Enterprise.objects.filter(pk__in=ids)
        records = enterprise_records(chosen, skip=(WHITELISTS,))
        paths = dict(chosen.values_list("pk", "jurisdiction_path"))
        if records:
            table = build_table(records, ENTERPRISE_CATALOGUE)
            for pilot_id, rule in latest:
                code, path = pilots[pilot_id]
                for pk in _taken_in(rule, table, day=day):
                    if paths[pk].startswith(path):
                        members[pk].add(code)
    held: dict[tuple[int, int], bool] = {}
    for pilot_id, enterprise_id, included in (
        WhitelistChange.objects.filter(enterprise_id__in=ids)
        .order_by("created_at", "pk")
        .values_list("pilot_id", "enterprise_id", "included")
    ):
        held[(pilot_id, enterprise_id)] = included
    for (pilot_id, enterprise_id), included in held.items():
        if included:
            members[enterprise_id].add(pilots[pilot_id][0])
        else:
            members[enterprise_id].discard(pilots[pilot_id][0])
    return members
