"""Serializers of the visits' API: campaigns with their coverage, questionnaires with their
versions, visits with their answers and the demands they raised, and the input of each write."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from lianqi.core.api.serializers import BoundedIntegerField, IdField, StrictInputMixin, request_user
from lianqi.core.scoping import scope_queryset
from lianqi.enterprises.models import Enterprise
from lianqi.org.models import Department, Staff

from ..choices import ScopeKind
from ..models import (
    Campaign,
    CampaignEvent,
    Questionnaire,
    QuestionnaireVersion,
    RaisedDemand,
    Visit,
    VisitFile,
)
from ..permissions import recordable_enterprises, visible_campaigns


class CampaignEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = CampaignEvent
        fields = ["action", "from_state", "to_state", "actor", "note", "at"]


class CampaignSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A campaign; `version` is what a step sends back as `expected_version`, and
    `questionnaire_version` the version its visits answer (empty while a draft)."""

    events = CampaignEventSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "theme",
            "starts_on",
            "ends_on",
            "scope_kind",
            "scope_value",
            "scope_rule",
            "target_coverage",
            "questionnaire",
            "questionnaire_version",
            "departments",
            "liaisons",
            "state",
            "version",
            "created_at",
            "events",
        ]


class CampaignCreateSerializer(StrictInputMixin, serializers.Serializer):  # type: ignore[type-arg]
    """A new campaign in the caller's jurisdiction (a draft)."""

    title = serializers.CharField(max_length=100)
    theme = serializers.CharField(max_length=40)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    questionnaire = IdField(queryset=Questionnaire.objects.none(), help_text="问卷 id")
    target_coverage = BoundedIntegerField(default=100, min_value=1, max_value=100)
    scope_kind = serializers.ChoiceField(choices=ScopeKind.choices, default=ScopeKind.ALL)
    scope_value = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    scope_rule = serializers.JSONField(
        required=False,
        default=dict,
        help_text="按条件规则（scope_kind=rule）时的规则：与政策申报条件相同的规则格式，"
        "可以是只含一条规则的规则文件、一条规则，或只写条件树",
    )
    enterprises = IdField(queryset=Enterprise.objects.none(), many=True, required=False, default=list)
    departments = IdField(queryset=Department.objects.none(), many=True, required=False, default=list)
    liaisons = IdField(queryset=Staff.objects.none(), many=True, required=False, default=list)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = request_user(self)
        self.fields["questionnaire"].queryset = scope_queryset(Questionnaire.objects.all(), user)  # type: ignore[attr-defined]
        for name, model in (("enterprises", Enterprise), ("departments", Department), ("liaisons", Staff)):
            self.fields[name].child_relation.queryset = scope_queryset(model.objects.all(), user)  # type: ignore[attr-defined]


class CampaignStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One step of a campaign: the version read last."""

    expected_version = BoundedIntegerField(min_value=1)


class CoverageRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(source="label", help_text="联企干部、部门或活动名称")
    targets = serializers.IntegerField()
    visited = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=4, decimal_places=1)


class CategoryRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.CharField()
    raised = serializers.IntegerField()
    solved_on_spot = serializers.IntegerField()
    closed = serializers.IntegerField()


class CoverageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A campaign's coverage: the whole, by liaison and department, forms by channel, demands
    raised by category."""

    total = CoverageRowSerializer()
    by_liaison = CoverageRowSerializer(many=True)
    by_department = CoverageRowSerializer(many=True)
    forms = serializers.DictField(child=serializers.IntegerField())
    demands = CategoryRowSerializer(many=True)


class QuestionnaireVersionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = QuestionnaireVersion
        fields = ["id", "number", "definition", "created_at", "updated_at"]


class QuestionnaireSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A questionnaire with every version, the newest last."""

    versions = QuestionnaireVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "title", "description", "created_at", "versions"]


class QuestionnaireSaveSerializer(StrictInputMixin, serializers.Serializer):  # type: ignore[type-arg]
    """A questionnaire's name and definition (the JSON of `lianqi.visits.questionnaire`)."""

    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    definition = serializers.JSONField()


class RaisedDemandSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    category = serializers.CharField(source="demand.category.name", read_only=True)
    state = serializers.CharField(source="demand.state", read_only=True)
    solved_on_spot = serializers.BooleanField(source="demand.solved_on_spot", read_only=True)

    class Meta:
        model = RaisedDemand
        fields = ["demand", "question", "answer", "category", "state", "solved_on_spot"]


class VisitFileSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A photo or file answering a question of a visit; `download` is where the API serves it."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = VisitFile
        fields = ["id", "question", "name", "size", "content_type", "at", "download"]

    def get_download(self, obj: VisitFile) -> str:
        return reverse("api:visit-file", args=[obj.visit_id, obj.pk])


class VisitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A visit with its answers, the questionnaire version they were given on, its photos and
    files, and the demands they raised."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    raised = RaisedDemandSerializer(many=True, read_only=True)
    files = VisitFileSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "campaign",
            "liaison",
            "channel",
            "checked_in_at",
            "latitude",
            "longitude",
            "location",
            "people_met",
            "summary",
            "idempotency_key",
            "questionnaire_version",
            "answers",
            "files",
            "raised",
        ]


class VisitCreateSerializer(StrictInputMixin, serializers.Serializer):  # type: ignore[type-arg]
    """A visit to record. Sending the same `idempotency_key` again returns the first visit. As
    ``multipart/form-data`` (to send photos and files, see `api.uploads`) the same fields are
    form fields, `answers`, `details` and `solved` written as JSON text."""

    idempotency_key = serializers.CharField(
        max_length=64, help_text="客户端生成的唯一提交标识，重试时保持不变"
    )
    enterprise = IdField(queryset=Enterprise.objects.none(), help_text="企业 id；只能是您可走访的企业")
    campaign = IdField(queryset=Campaign.objects.none(), required=False, allow_null=True, default=None)
    answers = serializers.DictField(required=False, default=dict, help_text="题目编号 → 答案")
    checked_in_at = serializers.DateTimeField(required=False, default=None)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, required=False, allow_null=True, default=None
    )
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    people_met = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    details = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="“题目编号:答案” → 诉求说明",
    )
    solved = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="“题目编号:答案” → 当即解决的办法",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = request_user(self)
        self.fields["enterprise"].queryset = recordable_enterprises(user)  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = visible_campaigns(user)  # type: ignore[attr-defined]
