"""Shapes of enterprises, industries and tags. Reads nest what a client needs in one call (tags,
current liaison, yearly figures, contacts with phones masked for roles that may not see them);
writes validate only — the view hands the validated data to the enterprise actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from lianqi.core.api.serializers import CodeField, IdField, StrictInputMixin, request_user
from lianqi.core.validators import visible_text
from lianqi.enterprises import creditcode
from lianqi.enterprises.actions import EDITABLE_FIELDS
from lianqi.enterprises.models import Contact, Enterprise, Industry, Tag, YearFigure
from lianqi.enterprises.permissions import can_see_contact_phone, tags_visible
from lianqi.enterprises.validators import (
    EMPLOYEES_VALIDATORS,
    FOUNDED_ON_VALIDATORS,
    NAME_VALIDATORS,
    REGISTERED_CAPITAL_VALIDATORS,
    validate_credit_code,
)
from lianqi.org.api.serializers import JurisdictionBriefSerializer, StaffBriefSerializer
from lianqi.org.models import Jurisdiction, Staff
from lianqi.org.permissions import jurisdictions_visible, staff_visible


class IndustrySerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Industry
        fields = ["code", "name", "level", "level_display", "section", "parent", "description"]
        read_only_fields = fields


class IndustryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Industry
        fields = ["code", "name"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "description"]


class YearFigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = YearFigure
        fields = ["year", "output_value", "revenue", "tax", "rd_spending"]


class ContactSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField(help_text="无权查看完整号码的角色看到的是掩码，如 138****5678")
    phone_masked = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "phone_masked", "is_primary"]

    def _visible(self, obj: Contact) -> bool:
        return can_see_contact_phone(request_user(self), obj)

    def get_phone(self, obj: Contact) -> str:
        return obj.phone if self._visible(obj) else obj.masked_phone

    def get_phone_masked(self, obj: Contact) -> bool:
        return bool(obj.phone) and not self._visible(obj)


class EnterpriseSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    industry = IndustryBriefSerializer(read_only=True)
    jurisdiction = JurisdictionBriefSerializer(read_only=True)
    tags = TagSerializer(many=True, read_only=True)
    liaison = StaffBriefSerializer(read_only=True, allow_null=True, help_text="现任联企干部")
    contacts = ContactSerializer(many=True, read_only=True)
    year_figures = YearFigureSerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "credit_code",
            "name",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "industry",
            "jurisdiction",
            "legal_representative",
            "address",
            "founded_on",
            "registered_capital",
            "employees",
            "tags",
            "liaison",
            "contacts",
            "year_figures",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EnterpriseUpdateSerializer(StrictInputMixin, serializers.ModelSerializer):
    """The fields `update_enterprise` changes. The credit code and the liaison are not among
    them: a code is the enterprise's identity, a liaison changes through assign-liaison."""

    tags = IdField(
        many=True,
        queryset=Tag.objects.none(),
        required=False,
        help_text="标签 id；只能是全国通用标签或企业所在辖区及其上级辖区的标签",
    )
    industry = CodeField(slug_field="code", queryset=Industry.objects.all(), help_text="GB/T 4754 行业代码")
    jurisdiction = CodeField(
        slug_field="code",
        queryset=Jurisdiction.objects.none(),
        required=False,
        help_text="辖区代码；只能是您管辖范围内的辖区",
    )

    class Meta:
        model = Enterprise
        fields = [*EDITABLE_FIELDS, "tags", "jurisdiction"]
        # The page's form checks each field with the same validators (enterprises.validators).
        extra_kwargs = {
            "name": {"validators": NAME_VALIDATORS},
            "founded_on": {"validators": FOUNDED_ON_VALIDATORS},
            "registered_capital": {"validators": REGISTERED_CAPITAL_VALIDATORS},
            "employees": {"validators": EMPLOYEES_VALIDATORS},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = request_user(self)
        jurisdiction_field = self.fields["jurisdiction"]
        jurisdiction_field.queryset = jurisdictions_visible(user)  # type: ignore[attr-defined]
        # A tag the user does not see is "not found"; one that does not fit the enterprise's
        # jurisdiction is refused by the action, next to this field.
        self.fields["tags"].child_relation.queryset = tags_visible(user)  # type: ignore[attr-defined]

    def validate_name(self, value: str) -> str:
        return visible_text(value)


class EnterpriseCreateSerializer(EnterpriseUpdateSerializer):
    """Registers an enterprise; `jurisdiction` defaults to the caller's own."""

    credit_code = serializers.CharField(
        max_length=40, help_text="统一社会信用代码，18 位；空格和连字符会被去掉，小写转为大写"
    )
    liaison = IdField(
        queryset=Staff.objects.none(),
        required=False,
        allow_null=True,
        help_text="建档时指定的联企干部（干部 id）；只能是您管辖范围内在岗的干部",
    )

    class Meta(EnterpriseUpdateSerializer.Meta):
        fields = ["credit_code", *EnterpriseUpdateSerializer.Meta.fields, "liaison"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = request_user(self)
        self.fields["liaison"].queryset = staff_visible(user).filter(  # type: ignore[attr-defined]
            is_active=True
        )

    def validate_credit_code(self, value: str) -> str:
        try:
            validate_credit_code(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        code = creditcode.normalise(value)
        if Enterprise.objects.filter(credit_code=code).exists():
            raise serializers.ValidationError(_("统一社会信用代码 %(code)s 已经登记") % {"code": code})
        return code

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("jurisdiction") is None:
            own = getattr(request_user(self), "jurisdiction", None)
            if own is None:
                raise serializers.ValidationError({"jurisdiction": [_("请指定辖区")]})
            attrs["jurisdiction"] = own
        return attrs
