"""Serializers of approvals' API."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import queries
from ..models import Chart, Item, Material, Run, RunItem, RunItemEvent, Stage


class MaterialSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Material
        fields = ["id", "name", "source", "form", "copies", "lenient"]


class ItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One item of a chart with how it is carried out, what it waits for and its materials."""

    materials = MaterialSerializer(many=True, read_only=True)
    prerequisites: serializers.PrimaryKeyRelatedField[Item] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Item
        fields = [
            "id",
            "stage",
            "name",
            "department",
            "basis",
            "time_limit",
            "statutory_limit",
            "fee",
            "place",
            "lenient",
            "prerequisites",
            "materials",
        ]


class StageSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Stage
        fields = ["id", "name", "order", "counted"]


class ScheduleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The chart laid out at the earliest, in working days."""

    length = serializers.IntegerField()
    serial_length = serializers.IntegerField()
    critical_path = serializers.ListField(child=serializers.IntegerField())


class ChartSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A chart (一图三单) with its stages, items (with how each is carried out) and materials,
    and its critical path."""

    stages = StageSerializer(many=True, read_only=True)
    items = ItemSerializer(many=True, read_only=True)
    schedule = serializers.SerializerMethodField()

    class Meta:
        model = Chart
        fields = ["id", "project_kind", "name", "target_workdays", "note", "stages", "items", "schedule"]

    @extend_schema_field(ScheduleSerializer)
    def get_schedule(self, chart: Chart) -> dict[str, Any]:
        plan = queries.chart_layout(chart).schedule
        return {
            "length": plan.length,
            "serial_length": plan.serial_length,
            "critical_path": list(plan.critical_path),
        }


class RunItemEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = RunItemEvent
        fields = ["action", "from_state", "to_state", "on", "actor", "by_enterprise", "note", "at"]


class RunItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One item of a project's run; `version` is what a step sends back as `expected_version`."""

    name = serializers.CharField(source="item.name", read_only=True)
    time_limit = serializers.IntegerField(source="item.time_limit", read_only=True)
    missing: serializers.PrimaryKeyRelatedField[Material] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    events = RunItemEventSerializer(many=True, read_only=True)

    class Meta:
        model = RunItem
        fields = [
            "id",
            "run",
            "item",
            "name",
            "time_limit",
            "state",
            "submitted_on",
            "accepted_on",
            "approved_on",
            "lenient",
            "missing",
            "promise_on",
            "supplied_on",
            "version",
            "events",
        ]


class RunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A project's run with its items and its working days against the target."""

    project_name = serializers.CharField(source="project.name", read_only=True)
    elapsed_workdays = serializers.SerializerMethodField()
    items = RunItemSerializer(many=True, read_only=True)

    class Meta:
        model = Run
        fields = [
            "id",
            "project",
            "project_name",
            "chart",
            "started_on",
            "finished_on",
            "target_workdays",
            "elapsed_workdays",
            "items",
        ]

    @extend_schema_field(serializers.IntegerField())
    def get_elapsed_workdays(self, run: Run) -> int:
        return queries.elapsed_of([run], timezone.localdate())[run.pk]


class RunItemStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One step: the version read last and the step's input (see the workflow table)."""

    expected_version = serializers.IntegerField()
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    missing = serializers.ListField(child=serializers.IntegerField(), required=False)
    promise_on = serializers.DateField(required=False, allow_null=True)
