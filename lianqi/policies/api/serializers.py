"""Serializers of the policy supermarket API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lianqi.core.api.serializers import BoundedIntegerField

from ..models import Fulfilment, FulfilmentEvent, Policy, PolicyMatch, PolicyVersion
from ..money import FEN, MAX_DIGITS, MAX_YUAN


class PolicyVersionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PolicyVersion
        fields = ["number", "state", "valid_from", "valid_to", "note", "published_at"]


class PolicySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A policy as the shelf lists it, with its versions."""

    department = serializers.CharField(
        source="department.name", default=None, read_only=True, allow_null=True
    )
    versions = PolicyVersionSerializer(many=True, read_only=True)
    title_with_level = serializers.CharField(
        read_only=True, help_text=_("带层级的政策名称，如“高新技术企业奖励（市级）”：不同层级常有同名政策")
    )

    class Meta:
        model = Policy
        fields = [
            "id",
            "code",
            "title",
            "title_with_level",
            "level",
            "kind",
            "department",
            "issuer",
            "document_number",
            "summary",
            "source_url",
            "needs_application",
            "no_application",
            "is_active",
            "versions",
        ]


@extend_schema_field({"type": "object", "additionalProperties": True})
class RuleField(serializers.JSONField):
    """A rule file's data: a JSON object. Any other JSON value (a number, a list) is refused
    here, next to the field, before the rule parser would stumble on it."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("规则文件内容应为 JSON 对象"))
        return value


class RuleDraftSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A rule file's data (see docs/rules.md) to store as a new draft, with its validity."""

    rule = RuleField(help_text=_("规则文件内容（JSON 结构，恰好一条规则，编号与政策编号相同）"))
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class SandboxInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rule = RuleField()
    day = serializers.DateField(required=False, help_text=_("试算基准日，默认今天"))


class SandboxSerializer(serializers.Serializer):  # type: ignore[type-arg]
    draft_eligible = serializers.IntegerField()
    draft_possible = serializers.IntegerField()
    current_eligible = serializers.IntegerField(allow_null=True)
    current_possible = serializers.IntegerField(allow_null=True)
    entering = serializers.ListField(child=serializers.IntegerField())
    leaving = serializers.ListField(child=serializers.IntegerField())
    draft_budget = serializers.FloatField(allow_null=True)
    current_budget = serializers.FloatField(allow_null=True)
    unknown_amounts = serializers.IntegerField()


class PolicyMatchSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A stored match: the enterprise fits the policy (eligible) or may (unknown)."""

    policy_code = serializers.CharField(source="policy.code", read_only=True)
    policy_title = serializers.CharField(
        source="policy.title_with_level", read_only=True, help_text=_("带层级的政策名称")
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)

    class Meta:
        model = PolicyMatch
        fields = [
            "id",
            "policy",
            "policy_code",
            "policy_title",
            "enterprise",
            "enterprise_name",
            "version",
            "verdict",
            "amount",
            "matched_at",
        ]


class ExplanationLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One condition (or group heading) of an explanation: in words, and as the figures the
    words are made of."""

    depth = serializers.IntegerField(help_text=_("缩进层级：0 为最外层，组内条件比所在组深一层"))
    kind = serializers.ChoiceField(
        choices=[("all", "all"), ("any", "any"), ("condition", "condition"), ("declare", "declare")],
        help_text=_(
            "all：满足以下全部条件；any：满足以下任一条件；condition：条件；declare：企业自主申报事项"
        ),
    )
    sentence = serializers.CharField(help_text=_("整句说明：条件、本企业数据及来源、结论"))
    text = serializers.CharField(help_text=_("条件本身"))
    figure = serializers.CharField(help_text=_("本企业数据及来源；分组和自主申报事项为空"))
    outcome = serializers.CharField(help_text=_("结论：符合、不符合、缺少数据、待企业申报"))
    verdict = serializers.ChoiceField(choices=[(v, v) for v in ("eligible", "ineligible", "unknown")])
    attribute = serializers.CharField(allow_null=True, help_text=_("条件所查的企业属性（如 revenue）"))
    op = serializers.CharField(allow_null=True, help_text=_("须满足的比较（否定已并入：< 而非“不满足 ≥”）"))
    negated = serializers.BooleanField(help_text=_("为真时表示“不属于/不是”该范围或取值"))
    threshold = serializers.JSONField(allow_null=True, help_text=_("比较的标准：数值、代码列表或标签"))
    actual = serializers.JSONField(allow_null=True, help_text=_("本企业的取值；平台无数据时为空"))
    unit = serializers.CharField(help_text=_("单位（万元、元、人、年），按政策原文"))
    year = serializers.IntegerField(allow_null=True, help_text=_("年度数据所属年份"))
    data_source = serializers.CharField(help_text=_("数据来源"))


class ExplanationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    verdict = serializers.CharField()
    verdict_label = serializers.CharField(help_text=_("结论的文字：符合、不符合、待定"))
    amount = serializers.FloatField(allow_null=True)
    amount_text = serializers.CharField(help_text=_("测算金额及其算法；不适用时为空"))
    lines = serializers.ListField(
        child=serializers.CharField(), help_text=_("逐条说明的文字，每深一层缩进两个空格")
    )
    conditions = ExplanationLineSerializer(many=True)


class FulfilmentEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = FulfilmentEvent
        fields = [
            "action",
            "from_state",
            "to_state",
            "actor",
            "by_enterprise",
            "amount",
            "due_on",
            "note",
            "at",
        ]


class FulfilmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A ledger entry with its history."""

    policy_code = serializers.CharField(source="policy.code", read_only=True)
    policy_title = serializers.CharField(
        source="policy.title_with_level", read_only=True, help_text=_("带层级的政策名称")
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    events = FulfilmentEventSerializer(many=True, read_only=True)

    class Meta:
        model = Fulfilment
        fields = [
            "id",
            "policy",
            "policy_code",
            "policy_title",
            "enterprise",
            "enterprise_name",
            "period",
            "state",
            "no_application",
            "promised_amount",
            "approved_amount",
            "disbursed_amount",
            "disbursed_on",
            "voucher_number",
            "reject_reason",
            "due_on",
            "version",
            "events",
        ]


class StepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One ledger step: the version read last and the step's input (see the ledger table)."""

    expected_version = BoundedIntegerField()
    text = serializers.CharField(required=False, max_length=2000)
    name = serializers.CharField(required=False, max_length=40)
    phone = serializers.CharField(required=False, max_length=20)
    note = serializers.CharField(required=False, max_length=2000)
    amount = serializers.DecimalField(
        required=False, max_digits=MAX_DIGITS, decimal_places=2, min_value=FEN, max_value=MAX_YUAN
    )
    disbursed_on = serializers.DateField(required=False)
    voucher = serializers.CharField(required=False, max_length=60)
    reason = serializers.CharField(required=False, max_length=200)


class ApplicationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An enterprise's online application for a policy."""

    policy = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.none())
    text = serializers.CharField(max_length=2000)
    name = serializers.CharField(required=False, allow_blank=True, max_length=40)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)

    def __init__(self, *args: Any, policies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if policies is not None:
            self.fields["policy"].queryset = policies  # type: ignore[attr-defined]
