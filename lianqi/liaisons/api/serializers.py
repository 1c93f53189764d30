"""Shapes of the liaison history and of a request to assign a liaison."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from lianqi.core.api.serializers import IdField, NamedRefSerializer, StrictInputMixin, request_user
from lianqi.liaisons.models import LiaisonChange
from lianqi.liaisons.permissions import staff_visible
from lianqi.org.models import Staff


class LiaisonChangeSerializer(serializers.ModelSerializer):
    enterprise = NamedRefSerializer(read_only=True)
    from_staff = NamedRefSerializer(read_only=True, allow_null=True)
    to_staff = NamedRefSerializer(read_only=True, allow_null=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    actor = serializers.SerializerMethodField()

    class Meta:
        model = LiaisonChange
        fields = [
            "id",
            "enterprise",
            "from_staff",
            "to_staff",
            "method",
            "method_display",
            "reason",
            "actor",
            "at",
        ]

    def get_actor(self, obj: LiaisonChange) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class AssignLiaisonSerializer(StrictInputMixin, serializers.Serializer):
    staff = IdField(queryset=Staff.objects.none(), help_text="新的联企干部（干部 id），须在您的管辖范围内")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_visible(request_user(self))  # type: ignore[attr-defined]
