"""Who may see key projects and meetings, and the loaders pages use: `access_*` answers 404 both
for a row that does not exist and for one the user may not see, so nobody learns that a row
exists elsewhere. Which stage steps an actor may take is the workflow table's business
(`workflow.roles_for`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise

from .models import Lead, Meeting, MeetingSeries, Milestone, Problem, Project, ReportBuild, ReportPhoto

#: Roles that run the portfolio and its meetings: the menu, the dashboard and the file's section are theirs.
MANAGERS = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
#: Roles that change a project's stage, battle map and problems: they hold a workflow role for it.
EDITORS = (Role.SERVICE_OFFICE, Role.LEADER)
#: Roles that open project pages: the managers, and an owner enterprise's account for its own projects.
READERS = (*MANAGERS, Role.ENTERPRISE)


def visible(user: Any) -> QuerySet[Project]:
    """The projects a user may see: their jurisdiction's subtree for the managers, its own for an
    owner enterprise's account, nothing for anyone else."""
    queryset = Project.objects.all()
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(enterprise_id=user.enterprise_id)
    return queryset.none()


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings a manager's jurisdiction holds (enterprises see none)."""
    if not has_role(user, MANAGERS):
        return Meeting.objects.none()
    return scope_queryset(Meeting.objects.all(), user)


def visible_series(user: Any) -> QuerySet[MeetingSeries]:
    """The meeting series of a manager's jurisdiction."""
    if not has_role(user, MANAGERS):
        return MeetingSeries.objects.none()
    return scope_queryset(MeetingSeries.objects.all(), user)


def access_project(user: Any, pk: int) -> Project:
    """The project `pk`, if the user may see it (404 otherwise, as for a missing one)."""
    return get_object_or_404_scoped(visible(user).select_related("enterprise", "department"), pk=pk)


def access_milestone(user: Any, pk: int) -> Milestone:
    """The milestone `pk` of a project the user may see (404 otherwise)."""
    return get_object_or_404_scoped(
        Milestone.objects.filter(project__in=visible(user)).select_related("project"), pk=pk
    )


def access_problem(user: Any, pk: int) -> Problem:
    """The problem `pk` of a project the user may see (404 otherwise)."""
    return get_object_or_404_scoped(
        Problem.objects.filter(project__in=visible(user)).select_related("project"), pk=pk
    )


def access_meeting(user: Any, pk: int) -> Meeting:
    """The meeting `pk`, if it is in the user's jurisdiction (404 otherwise)."""
    return get_object_or_404_scoped(visible_meetings(user).select_related("series"), pk=pk)


def access_series(user: Any, pk: int) -> MeetingSeries:
    """The meeting series `pk`, if it is in the user's jurisdiction (404 otherwise)."""
    return get_object_or_404_scoped(visible_series(user), pk=pk)


def access_enterprise(user: Any, pk: int) -> Enterprise:
    """The enterprise `pk` whose file the user opens, if they may see it."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)


def visible_leads(user: Any) -> QuerySet[Lead]:
    """The attraction pipeline of a manager's jurisdiction (enterprises see none)."""
    if not has_role(user, MANAGERS):
        return Lead.objects.none()
    return scope_queryset(Lead.objects.all(), user)


def access_lead(user: Any, pk: int) -> Lead:
    """The lead `pk`, if it is in the user's jurisdiction (404 otherwise)."""
    return get_object_or_404_scoped(visible_leads(user), pk=pk)


def access_photo(user: Any, pk: int) -> ReportPhoto:
    """The report photo `pk` of a project the user may see (404 otherwise)."""
    return get_object_or_404_scoped(ReportPhoto.objects.filter(report__project__in=visible(user)), pk=pk)


def access_report_build(user: Any, pk: int) -> ReportBuild:
    """A monthly report build the user started (404 for anyone else's, as for a missing one)."""
    if not has_role(user, MANAGERS):
        raise Http404
    return get_object_or_404(ReportBuild, pk=pk, owner=user)
