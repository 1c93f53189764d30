"""Who may see offers, needs, introductions and matching events, and the loaders pages use:
`access_*` answers 404 both for a row that does not exist and for one the user may not see, so
nobody learns that a row exists elsewhere. Which steps an actor may take is the workflow
tables' business (`workflow.py`).

Staff of a jurisdiction (leader, office, liaison, administrator) see its subtree. An
enterprise's account sees its own offers and needs and, in its jurisdiction, the open ones
other enterprises show to enterprises; never introductions other than its own."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_paths, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise

from .choices import ListingState, Visibility
from .models import Chain, Introduction, MatchingFair, Need, Offer, Purchase

#: Roles that work the market: the menu group, the home page's card and the file's section.
STAFF = (Role.SERVICE_OFFICE, Role.LEADER, Role.LIAISON, Role.ADMIN)
#: Roles that open the pages of offers and needs: the staff and enterprises' accounts.
READERS = (*STAFF, Role.ENTERPRISE)
#: Roles that introduce parties and follow the introductions.
INTRODUCERS = (Role.SERVICE_OFFICE, Role.LIAISON)
#: Roles that record matching events.
ORGANISERS = (Role.SERVICE_OFFICE,)
#: Roles that keep the industrial chains and import purchases.
CHAIN_KEEPERS = (Role.SERVICE_OFFICE,)
#: Roles that open the local-purchase subsidy's page.
SUBSIDY = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
#: Roles that record purchases one by one (the action checks for which enterprise).
PURCHASE_RECORDERS = (Role.SERVICE_OFFICE, Role.LIAISON, Role.ENTERPRISE)

L = TypeVar("L", Offer, Need)


def _listings(queryset: QuerySet[L], user: Any) -> QuerySet[L]:
    if has_role(user, STAFF):
        return scope_queryset(queryset, user)
    enterprise_id = getattr(user, "enterprise_id", None)
    if has_role(user, (Role.ENTERPRISE,)) and enterprise_id:
        shown = Q(visibility=Visibility.ENTERPRISES, state=ListingState.OPEN)
        return scope_queryset(queryset, user).filter(shown | Q(enterprise_id=enterprise_id))
    return queryset.none()


def visible_offers(user: Any) -> QuerySet[Offer]:
    """The offers a user may see (see the module docstring)."""
    return _listings(Offer.objects.all(), user)


def visible_needs(user: Any) -> QuerySet[Need]:
    """The needs a user may see (see the module docstring)."""
    return _listings(Need.objects.all(), user)


def visible_introductions(user: Any) -> QuerySet[Introduction]:
    """Introductions: the staff's subtree; for an enterprise's account, those where it is the
    buyer or the supplier."""
    queryset = Introduction.objects.all()
    if has_role(user, STAFF):
        return scope_queryset(queryset, user)
    enterprise_id = getattr(user, "enterprise_id", None)
    if has_role(user, (Role.ENTERPRISE,)) and enterprise_id:
        return queryset.filter(Q(need__enterprise_id=enterprise_id) | Q(offer__enterprise_id=enterprise_id))
    return queryset.none()


def visible_fairs(user: Any) -> QuerySet[MatchingFair]:
    """Matching events: the staff's subtree."""
    if has_role(user, STAFF):
        return scope_queryset(MatchingFair.objects.all(), user)
    return MatchingFair.objects.none()


def access_offer(user: Any, pk: int) -> Offer:
    """The offer `pk`, if the user may see it (404 otherwise, as for a missing one)."""
    return get_object_or_404_scoped(
        visible_offers(user).select_related("enterprise", "enterprise__liaison", "industry"), pk=pk
    )


def access_need(user: Any, pk: int) -> Need:
    """The need `pk`, if the user may see it (404 otherwise)."""
    return get_object_or_404_scoped(
        visible_needs(user).select_related("enterprise", "enterprise__liaison", "industry"), pk=pk
    )


def access_introduction(user: Any, pk: int) -> Introduction:
    """The introduction `pk`, if the user may see it (404 otherwise)."""
    related = ("need__enterprise", "offer__enterprise", "need__industry", "offer__industry")
    return get_object_or_404_scoped(visible_introductions(user).select_related(*related), pk=pk)


def access_fair(user: Any, pk: int) -> MatchingFair:
    """The matching event `pk`, if the user may see it (404 otherwise)."""
    return get_object_or_404_scoped(visible_fairs(user), pk=pk)


def access_enterprise(user: Any, pk: int) -> Enterprise:
    """The enterprise `pk` whose file (or whose new offer or need) the user opens."""
    return get_object_or_404_scoped(enterprises.visible(user).select_related("liaison"), pk=pk)


def visible_purchases(user: Any) -> QuerySet[Purchase]:
    """Purchases: the staff's subtree (by the buyer's jurisdiction); an enterprise's account,
    its own purchases as the buyer."""
    queryset = Purchase.objects.all()
    if has_role(user, STAFF):
        return scope_queryset(queryset, user)
    enterprise_id = getattr(user, "enterprise_id", None)
    if has_role(user, (Role.ENTERPRISE,)) and enterprise_id:
        return queryset.filter(buyer_id=enterprise_id)
    return queryset.none()


def visible_chains(user: Any) -> QuerySet[Chain]:
    """Industrial chains, for the staff: those of their subtree, and those of the jurisdictions
    above them (a city's chain is worked on by its parks too). Another park's chain is never
    shown."""
    queryset = Chain.objects.all()
    if not has_role(user, STAFF):
        return queryset.none()
    paths = scope_paths(user)
    if paths is None:
        return queryset
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(jurisdiction_path__startswith=path)
        parts = [p for p in path.split("/") if p]
        for depth in range(1, len(parts)):
            condition |= Q(jurisdiction_path="/".join(parts[:depth]) + "/")
    return queryset.filter(condition)


def access_chain(user: Any, pk: int) -> Chain:
    """The chain `pk`, if the user may see it (404 otherwise)."""
    return get_object_or_404_scoped(visible_chains(user).select_related("jurisdiction", "home_park"), pk=pk)


def access_purchase(user: Any, pk: int) -> Purchase:
    """The purchase `pk`, if the user may see it (404 otherwise)."""
    return get_object_or_404_scoped(visible_purchases(user).select_related("buyer", "supplier"), pk=pk)
