"""Shapes of the token request and of the caller's own account."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lianqi.accounts.models import User
from lianqi.core.api.serializers import NamedRefSerializer, StrictInputMixin
from lianqi.core.roles import Role, role_codes
from lianqi.org.api.serializers import JurisdictionSerializer


class TokenRequestSerializer(StrictInputMixin, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="在请求头中使用：Authorization: Token <token>")


class RoleSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    jurisdiction = JurisdictionSerializer(read_only=True, allow_null=True)
    enterprise = NamedRefSerializer(read_only=True, allow_null=True)
    staff = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "roles", "jurisdiction", "enterprise", "staff"]

    @staticmethod
    def _role(code: str) -> dict[str, str]:
        label = Role(code).label if code in Role.values else code
        return {"code": code, "label": str(label)}

    @extend_schema_field(RoleSerializer(many=True))
    def get_roles(self, obj: User) -> list[dict[str, str]]:
        return [self._role(code) for code in sorted(role_codes(obj))]

    @extend_schema_field(NamedRefSerializer(allow_null=True))
    def get_staff(self, obj: User) -> dict[str, Any] | None:
        staff = getattr(obj, "staff", None)
        return {"id": staff.pk, "name": staff.name} if staff is not None else None
