"""Who may see charts, runs and their items, and the loaders pages use: `access_*` answers 404
both for a row that does not exist and for one the user may not see, so nobody learns that a row
exists elsewhere. Which steps an actor may take is the workflow table's business
(`workflow.roles_for`). A chart's public page needs no account: a chart holds no personal data."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import get_object_or_404_scoped, scope_queryset
from lianqi.enterprises import permissions as enterprises
from lianqi.enterprises.models import Enterprise

from .models import Chart, Item, Run, RunItem

#: Roles that follow approvals: the menu entries, the home page's card and the file's section are theirs.
MANAGERS = (Role.SERVICE_OFFICE, Role.LEADER, Role.ADMIN)
#: Roles that keep the charts and start runs.
EDITORS = (Role.SERVICE_OFFICE, Role.ADMIN)
#: Roles that open run pages: the managers, and a project owner's account for its own projects.
READERS = (*MANAGERS, Role.ENTERPRISE)


def visible_runs(user: Any) -> QuerySet[Run]:
    """The runs a user may see: their jurisdiction's subtree for the managers, its own projects'
    for an owner's account, nothing for anyone else."""
    queryset = Run.objects.all()
    if has_role(user, MANAGERS):
        return scope_queryset(queryset, user)
    if has_role(user, (Role.ENTERPRISE,)) and getattr(user, "enterprise_id", None):
        return queryset.filter(project__enterprise_id=user.enterprise_id)
    return queryset.none()


def visible_run_items(user: Any) -> QuerySet[RunItem]:
    """The items of the runs a user may see."""
    return RunItem.objects.filter(run__in=visible_runs(user))


def visible_charts(user: Any) -> QuerySet[Chart]:
    """The charts a manager's jurisdiction keeps (anyone reads a chart on its public page)."""
    if not has_role(user, MANAGERS):
        return Chart.objects.none()
    return scope_queryset(Chart.objects.all(), user)


def visible_projects(user: Any) -> QuerySet[Any]:
    """The key projects of a manager's jurisdiction, read through the app registry (approvals
    does not import the projects wing, which sits in its own layer)."""
    project = apps.get_model("projects", "Project")
    if not has_role(user, MANAGERS):
        return project.objects.none()
    return scope_queryset(project.objects.all(), user)


def access_run(user: Any, pk: int) -> Run:
    """The run `pk`, if the user may see it (404 otherwise, as for a missing one)."""
    return get_object_or_404_scoped(visible_runs(user).select_related("project", "chart"), pk=pk)


def access_run_item(user: Any, pk: int) -> RunItem:
    """The run item `pk`, if the user may see its run (404 otherwise)."""
    return get_object_or_404_scoped(
        visible_run_items(user).select_related("run__project", "item__stage"), pk=pk
    )


def access_chart(user: Any, pk: int) -> Chart:
    """The chart `pk`, if it is in a manager's jurisdiction (404 otherwise)."""
    return get_object_or_404_scoped(visible_charts(user), pk=pk)


def access_item(user: Any, pk: int) -> Item:
    """The chart item `pk` of a chart the user may see (404 otherwise)."""
    return get_object_or_404_scoped(
        Item.objects.filter(chart__in=visible_charts(user)).select_related("chart", "stage"), pk=pk
    )


def access_project(user: Any, pk: int) -> Any:
    """The key project `pk` a manager starts or opens the approvals of (404 otherwise)."""
    return get_object_or_404_scoped(visible_projects(user), pk=pk)


def access_enterprise(user: Any, pk: int) -> Enterprise:
    """The enterprise `pk` whose file the user opens, if they may see it."""
    return get_object_or_404_scoped(enterprises.visible(user), pk=pk)
