"""Read shapes of the jurisdiction tree, departments and staff."""

from __future__ import annotations

from rest_framework import serializers

from lianqi.core.api.serializers import request_user
from lianqi.org.models import Department, Jurisdiction, Staff
from lianqi.org.permissions import staff_phone

PHONE_HELP = "按角色脱敏（core.privacy）：无权查看完整号码者看到掩码，如 138****5678"


class StaffPhoneMixin(serializers.Serializer):  # type: ignore[type-arg]
    """A cadre's phone as the caller may see it: the same rule as the pages and the exports."""

    phone = serializers.SerializerMethodField(help_text=PHONE_HELP)

    def get_phone(self, obj: Staff) -> str:
        return staff_phone(request_user(self), obj)


class JurisdictionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Jurisdiction
        fields = ["code", "name"]


class JurisdictionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(  # type: ignore[assignment,var-annotated]
        slug_field="code", read_only=True, allow_null=True
    )
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Jurisdiction
        fields = ["code", "name", "short_name", "level", "level_display", "parent", "path", "depth"]


class DepartmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name"]


class DepartmentSerializer(serializers.ModelSerializer):
    jurisdiction = JurisdictionBriefSerializer(read_only=True)
    industry_prefixes = serializers.ListField(
        child=serializers.CharField(), source="industry_prefix_list", read_only=True
    )

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "order", "industry_prefixes", "is_active", "jurisdiction"]


class StaffBriefSerializer(StaffPhoneMixin, serializers.ModelSerializer):
    department = serializers.CharField(
        source="department.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Staff
        fields = ["id", "name", "department", "phone"]


class StaffSerializer(StaffPhoneMixin, serializers.ModelSerializer):
    department = DepartmentBriefSerializer(read_only=True, allow_null=True)
    jurisdiction = JurisdictionBriefSerializer(read_only=True)
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    has_login = serializers.SerializerMethodField()
    enterprise_count = serializers.IntegerField(read_only=True, help_text="现联系的企业数")

    class Meta:
        model = Staff
        fields = [
            "id",
            "name",
            "department",
            "position",
            "tier",
            "tier_display",
            "phone",
            "is_active",
            "left_on",
            "jurisdiction",
            "has_login",
            "enterprise_count",
        ]

    def get_has_login(self, obj: Staff) -> bool:
        return obj.user_id is not None
