"""Who may see campaigns and visits, and the loaders pages and the API use: `access_*` answers
404 both for a row that does not exist and for one the user may not see, so nobody learns that
a row exists elsewhere. Which steps an actor may take on a campaign is the workflow table's
business (`workflow.roles_for`); who may record which visit is the action's
(`actions.recording`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lianqi.core.roles import OFFICE_ROLES, STAFF_ROLES, Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Staff

from .choices import CampaignState
from .models import Campaign, Questionnaire, Visit

#: Roles that see every campaign and visit of their jurisdiction.
MANAGERS = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
#: Roles that build questionnaires and create campaigns.
BUILDERS = OFFICE_ROLES
#: Roles that open the campaigns' pages: the managers, the liaisons and departments taking part.
READERS = (*MANAGERS, Role.LIAISON, Role.DEPARTMENT_HANDLER)
#: Roles that open a campaign's analysis and exports: the managers and the departments taking part.
ANALYSTS = (*MANAGERS, Role.DEPARTMENT_HANDLER)
#: Roles that record visits on the phone form.
RECORDERS = (Role.LIAISON, *OFFICE_ROLES)
#: Liaisons and departments see a campaign once it is published.
_PUBLISHED = (CampaignState.OPEN, CampaignState.CLOSED)


def _staff(user: Any) -> Staff | None:
    return getattr(user, "staff", None) if has_role(user, STAFF_ROLES) else None


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """The campaigns a user may see: every one of their jurisdiction's subtree for the
    managers; for a liaison, the published ones they take part in (named among its liaisons,
    or a campaign that names none, which every liaison of its jurisdiction takes part in); for
    a department handler, the published ones their department takes part in."""
    queryset = Campaign.objects.all()
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    staff = _staff(user)
    if staff is None:
        return queryset.none()
    condition = Q(pk__in=[])
    if has_role(user, (Role.LIAISON,)):
        condition |= Q(liaisons=staff) | Q(liaisons__isnull=True)
    if staff.department_id and has_role(user, (Role.DEPARTMENT_HANDLER,)):
        condition |= Q(departments=staff.department_id)
    published = queryset.filter(condition, state__in=_PUBLISHED)
    return scope_queryset(published, user).distinct()


def analysable_campaigns(user: Any) -> QuerySet[Campaign]:
    """The campaigns whose analysis and exports a user may open: every published one of their
    jurisdiction's subtree for the managers, the published ones their department takes part in
    for a department handler. Taking part as a liaison is not enough: the analysis lists every
    liaison's forms, and a liaison opens only the visits of their own enterprises."""
    published = Campaign.objects.filter(state__in=_PUBLISHED)
    if has_role(user, MANAGERS):
        return scope_queryset(published, user)
    staff = _staff(user)
    if staff is None or not staff.department_id or not has_role(user, (Role.DEPARTMENT_HANDLER,)):
        return published.none()
    return scope_queryset(published.filter(departments=staff.department_id), user).distinct()


def may_analyse(user: Any, campaign: Campaign) -> bool:
    """Whether the campaign's page offers the user its analysis (`analysable_campaigns`)."""
    return analysable_campaigns(user).filter(pk=campaign.pk).exists()


def access_analysable_campaign(user: Any, pk: Any) -> Campaign:
    """The campaign `pk` for its analysis and exports, if the user may open them (404 otherwise)."""
    related = ("questionnaire", "questionnaire_version", "jurisdiction", "last_actor")
    return get_object_or_404_scoped(analysable_campaigns(user).select_related(*related), pk=pk)


def visible_visits(user: Any) -> QuerySet[Visit]:
    """The visits a user may see: their jurisdiction's for the managers; a liaison's are those
    of the enterprises they serve, made by them or by anyone else (a colleague standing in);
    a department's those of the campaigns it takes part in; an enterprise's account its own."""
    queryset = Visit.objects.all()
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    staff = _staff(user)
    condition = Q(pk__in=[])
    matched = False
    if staff is not None and has_role(user, (Role.LIAISON,)):
        condition |= Q(enterprise__liaison=staff) | Q(liaison=staff) | Q(recorded_by=user)
        matched = True
    if staff is not None and staff.department_id and has_role(user, (Role.DEPARTMENT_HANDLER,)):
        condition |= Q(campaign__departments=staff.department_id, campaign__state__in=_PUBLISHED)
        matched = True
    if matched:
        return scope_queryset(queryset.filter(condition), user).distinct()
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(enterprise_id=user.enterprise_id)
    return queryset.none()


def access_campaign(user: Any, pk: Any) -> Campaign:
    """The campaign `pk`, if the user may see it (404 otherwise, as for a missing one)."""
    related = ("questionnaire", "questionnaire_version", "jurisdiction", "last_actor")
    return get_object_or_404_scoped(visible_campaigns(user).select_related(*related), pk=pk)


def access_visit(user: Any, pk: Any) -> Visit:
    """The visit `pk`, if the user may see it (404 otherwise, as for a missing one)."""
    related = ("enterprise", "campaign", "liaison", "questionnaire_version", "recorded_by")
    return get_object_or_404_scoped(visible_visits(user).select_related(*related), pk=pk)


def recordable_enterprises(user: Any) -> QuerySet[Enterprise]:
    """The enterprises a user may record a visit of: a liaison's own, the office's whole
    jurisdiction."""
    visible = enterprises.visible(user)
    if has_role(user, OFFICE_ROLES):
        return visible
    staff = _staff(user)
    if staff is not None and has_role(user, (Role.LIAISON,)):
        return visible.filter(liaison=staff)
    return visible.none()


def access_recordable_enterprise(user: Any, pk: Any) -> Enterprise:
    """An enterprise the user may record a visit of (404 for any other)."""
    return get_object_or_404_scoped(recordable_enterprises(user), pk=pk)


def access_enterprise(user: Any, pk: Any) -> Enterprise:
    """The enterprise `pk` whose file the user opens, if they may see it (404 otherwise)."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)


def access_questionnaire(user: Any, pk: Any) -> Questionnaire:
    """The questionnaire `pk` of the user's jurisdiction, to edit or preview (404 otherwise)."""
    return get_object_or_404_scoped(scope_queryset(Questionnaire.objects.all(), user), pk=pk)
