"""Serializers of the credit API: dishonesty records with their repair history, the steps,
and each enterprise's credit class with its reasons (read only: a class is computed, never
written)."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import CreditClass
from ..models import DishonestyRecord, RecordEvent


class RecordEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = RecordEvent
        fields = ["action", "from_state", "to_state", "actor", "by_enterprise", "note", "at"]


class RecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A dishonesty record with its repair history; `version` is what a step sends back as
    `expected_version`."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    events = RecordEventSerializer(many=True, read_only=True)

    class Meta:
        model = DishonestyRecord
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "kind",
            "authority",
            "document_no",
            "decided_on",
            "summary",
            "source",
            "state",
            "applied_on",
            "materials",
            "reviewed_on",
            "repaired_on",
            "version",
            "events",
        ]


class RecordStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One repair step: the version read last and the step's input (see the workflow table)."""

    expected_version = serializers.IntegerField()
    applied_on = serializers.DateField(required=False, allow_null=True)
    materials = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    reviewed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    repaired_on = serializers.DateField(required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    points = serializers.IntegerField()


class ClassSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An enterprise's credit class under the rule in force over it, with its score and every
    reason; `vetoed` says a dishonesty list made it D whatever the score."""

    enterprise = serializers.IntegerField(read_only=True)
    enterprise_name = serializers.CharField(read_only=True)
    credit_class = serializers.ChoiceField(choices=CreditClass.choices, read_only=True)
    score = serializers.IntegerField(read_only=True)
    vetoed = serializers.BooleanField(read_only=True)
    reasons = ReasonSerializer(many=True, read_only=True)
