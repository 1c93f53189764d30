"""Serializers of this wing's API."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Land, LandEvent


class LandEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = LandEvent
        fields = ["action", "from_state", "to_state", "actor", "by_enterprise", "note", "at"]


class LandSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An item with its history; `version` is what a step sends back as `expected_version`."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    events = LandEventSerializer(many=True, read_only=True)

    class Meta:
        model = Land
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "title",
            "state",
            "outcome",
            "version",
            "created_at",
            "events",
        ]


class LandStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One step: the version read last and the step's input (see the workflow table)."""

    expected_version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=2000)
