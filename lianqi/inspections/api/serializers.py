"""Serializers of this wing's API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lianqi.core.api.serializers import IdField, StrictInputMixin, request_user
from lianqi.core.scoping import scope_queryset
from lianqi.enterprises import permissions as enterprise_permissions
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department

from ..choices import Finding, Trigger, VisitKind
from ..models import Inspection, InspectionDraw, InspectionEvent, InspectionItem, Inspector, LenientItem


class InspectionEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = InspectionEvent
        fields = ["action", "from_state", "to_state", "actor", "by_enterprise", "note", "at"]


class InspectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A registered inspection with its history; `version` is what a step sends back as `expected_version`."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    events = InspectionEventSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "department",
            "legal_basis",
            "task",
            "trigger",
            "visit_kind",
            "plan_reference",
            "trigger_note",
            "planned_on",
            "inspectors",
            "code",
            "joint_visit",
            "item",
            "exception_reason",
            "cap_warnings",
            "checked_in_at",
            "state",
            "finding",
            "result",
            "rectification_days",
            "rectification_due_on",
            "rectified_on",
            "follow_up",
            "lenient_item",
            "version",
            "created_at",
            "events",
        ]


class InspectionStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One step: the version read last and the step's input (see the workflow table)."""

    expected_version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    scanned_code = serializers.CharField(required=False, allow_blank=True, max_length=300)
    result = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, help_text="检查情况说明（录入检查结果时可填）"
    )
    finding = serializers.ChoiceField(
        choices=Finding.choices,
        required=False,
        help_text="录入检查结果时必填：no_problem 未发现问题；rectification 责令限期整改；penalty 行政处罚",
    )
    rectification_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="责令整改的期限（工作日）"
    )
    lenient_item = serializers.IntegerField(
        required=False, allow_null=True, help_text="处罚或升级处理适用的柔性执法清单事项 id"
    )
    rectified_on = serializers.DateField(required=False, allow_null=True, help_text="整改完成日期")


class LenientItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One item of a lenient-enforcement list (免罚 / 轻罚 / 减罚清单)."""

    class Meta:
        model = LenientItem
        fields = ["id", "kind", "number", "violation", "legal_basis", "conditions", "measure"]


class InspectionDrawSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A random draw with its published document (verify it with
    ``python -m lianqi.inspections.draw.verify``)."""

    class Meta:
        model = InspectionDraw
        fields = [
            "id",
            "department",
            "task",
            "legal_basis",
            "planned_on",
            "enterprise_count",
            "team_size",
            "commitment",
            "fingerprint",
            "document",
            "created_at",
        ]


class InspectionCreateSerializer(StrictInputMixin, serializers.Serializer):  # type: ignore[type-arg]
    """A registration before entry through the API: the same action and checks as the page
    (a published item of the department whose rule the enterprise meets, the caps — over one,
    give `exception_reason` and the inspection awaits the service office's approval)."""

    enterprise = IdField(queryset=Enterprise.objects.none(), help_text="企业 id；只能是您可见的企业")
    department = IdField(queryset=Department.objects.filter(is_active=True), help_text="检查部门 id")
    item = IdField(queryset=InspectionItem.objects.all(), help_text="该部门已公布的检查事项 id")
    inspectors = IdField(
        queryset=Inspector.objects.filter(is_active=True), many=True, help_text="检查人员 id，至少两名"
    )
    planned_on = serializers.DateField(help_text="计划检查日期")
    trigger = serializers.ChoiceField(choices=[c for c in Trigger.choices if c[0] != Trigger.DRAW])
    plan_reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    trigger_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    visit_kind = serializers.ChoiceField(
        choices=VisitKind.choices,
        default=VisitKind.ENFORCEMENT,
        help_text="enforcement 执法检查；service 服务性检查（帮扶指导）",
    )
    exception_reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="超频次理由，报营商办审批"
    )
    join = IdField(
        queryset=Inspection.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="加入其他部门同一天登记的本企业检查（综合查一次）：该检查的 id",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["join"].queryset = scope_queryset(Inspection.objects.all(), request_user(self))  # type: ignore[attr-defined]
        self.fields["enterprise"].queryset = enterprise_permissions.visible(request_user(self))  # type: ignore[attr-defined]


class InspectionItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A published item of a department's inspection list (检查事项清单); `rule` is its
    applicability in the rule engine's format (empty: every enterprise)."""

    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = InspectionItem
        fields = [
            "id",
            "department",
            "department_name",
            "name",
            "law",
            "article",
            "legal_basis",
            "kind",
            "rule",
            "rule_note",
            "yearly_cap",
            "is_published",
            "published_at",
        ]
