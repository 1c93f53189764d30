"""Serializers of this wing's API."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Inspection, InspectionDraw, InspectionEvent, LenientItem


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
            "plan_reference",
            "trigger_note",
            "planned_on",
            "inspectors",
            "code",
            "joint_visit",
            "cap_warnings",
            "checked_in_at",
            "state",
            "result",
            "version",
            "created_at",
            "events",
        ]


class InspectionStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One step: the version read last and the step's input (see the workflow table)."""

    expected_version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    scanned_code = serializers.CharField(required=False, allow_blank=True, max_length=300)
    result = serializers.CharField(required=False, allow_blank=True, max_length=4000)


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
