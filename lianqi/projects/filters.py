"""One FilterSet for the portfolio page, its Excel export and the API's list, so a filter means
the same on each. On the page a bad value is dropped (the form shows why); the API answers 400."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianqi.core.api.filters import IdFilter
from lianqi.core.forms import StyledForm

from .choices import ProjectKind, ProjectLevel, ProjectStage
from .models import Project


class ProjectFilter(django_filters.FilterSet):
    """Words in the name, owner or leader; the stage, kind, level, plan year and department."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("项目阶段"), choices=ProjectStage.choices, empty_label=_("全部阶段")
    )
    kind = django_filters.ChoiceFilter(
        label=_("项目类别"), choices=ProjectKind.choices, empty_label=_("全部类别")
    )
    level = django_filters.ChoiceFilter(
        label=_("项目级别"), choices=ProjectLevel.choices, empty_label=_("全部级别")
    )
    plan_year = django_filters.NumberFilter(label=_("计划年度"))
    department = IdFilter(label=_("责任单位"), field_name="department_id")

    class Meta:
        model = Project
        fields: list[str] = []
        form = StyledForm

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(
            Q(name__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(owner_name__icontains=value)
            | Q(leader__icontains=value)
        )
