"""Shapes of demands, their history and the input of each lifecycle step. Reads nest what a
client needs in one call (enterprise, category, departments, the caller's allowed steps and the
history); writes only validate — the views hand the validated data to `actions.submit_demand`
and `dispatch.perform`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lianqi.core import registry, workdays
from lianqi.core.api.serializers import (
    BoundedIntegerField,
    IdField,
    StrictInputMixin,
    blank_choice,
    request_user,
)
from lianqi.demands import permissions
from lianqi.demands.choices import (
    CLOCK_STATES,
    DemandAction,
    Outcome,
    Satisfaction,
    Venue,
)
from lianqi.demands.models import Category, Demand, DemandEvent
from lianqi.demands.workflow import WORKFLOW
from lianqi.enterprises import permissions as enterprise_permissions
from lianqi.enterprises.models import Enterprise
from lianqi.org.api.serializers import DepartmentBriefSerializer
from lianqi.org.models import Department, Staff
from lianqi.org.permissions import departments_visible
from lianqi.org.permissions import visible as staff_visible


class CategorySerializer(serializers.ModelSerializer):
    """A kind of demand; `id` is what a new demand names as its `category`."""

    class Meta:
        model = Category
        fields = ["id", "name", "deadline_workdays", "order", "is_active"]
        read_only_fields = fields


class CategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name"]


class EnterpriseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()


class AllowedActionSerializer(serializers.Serializer):
    """A step the caller may take now, with the inputs it needs (besides `expected_version`)."""

    code = serializers.CharField(help_text="用于 /actions/{name}/ 的操作名")
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    needs = serializers.ListField(child=serializers.CharField(), help_text="必填的输入字段")


def allowed_action_rows(demand: Demand, user: Any) -> list[dict[str, Any]]:
    """The steps `user` may take on `demand`, as the API shows them."""
    rows = []
    for action in WORKFLOW.allowed_actions(demand, user):
        transition = WORKFLOW.table[(demand.state, action)]
        rows.append({"code": action.value, "label": str(action.label), "needs": list(transition.needs)})
    return rows


class DemandEventSerializer(serializers.ModelSerializer):
    """One step of the history, oldest first."""

    action_display = serializers.SerializerMethodField()
    # Plain strings in the schema: the same choices as `state`, which would otherwise be
    # published as three differently named enums.
    from_state = serializers.CharField(read_only=True, help_text="原状态代码（同诉求的 state）；提交时为空")
    to_state = serializers.CharField(read_only=True, help_text="新状态代码（同诉求的 state）")
    from_state_display = serializers.CharField(source="get_from_state_display", read_only=True)
    to_state_display = serializers.CharField(source="get_to_state_display", read_only=True)
    actor = serializers.SerializerMethodField(help_text="操作人；企业通过营商码或对接接口操作时为空")
    department = DepartmentBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = DemandEvent
        fields = [
            "id",
            "action",
            "action_display",
            "from_state",
            "from_state_display",
            "to_state",
            "to_state_display",
            "actor",
            "by_enterprise",
            "department",
            "due_on",
            "note",
            "version",
            "at",
        ]
        read_only_fields = fields

    def get_action_display(self, obj: DemandEvent) -> str:
        try:
            return str(DemandAction(obj.action).label)
        except ValueError:
            return {"submit": _("提交诉求"), "attach": _("上传附件"), "merged_in": _("并入重复诉求")}.get(
                obj.action, obj.action
            )

    def get_actor(self, obj: DemandEvent) -> str | None:
        return str(obj.actor) if obj.actor is not None else None


class DemandSerializer(serializers.ModelSerializer):
    """A demand as a list row: where it stands, who leads it and by when."""

    enterprise = EnterpriseBriefSerializer(read_only=True)
    category = CategoryBriefSerializer(read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    outcome = blank_choice(Outcome.choices, help_text="办理结果；办结前为空")
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    satisfaction = blank_choice(Satisfaction.choices, help_text="满意度；企业评价前为空")
    lead_department = DepartmentBriefSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField(help_text="答复期限（上海时间当日结束）已过且仍待部门答复")
    last_actor = serializers.SerializerMethodField()

    class Meta:
        model = Demand
        fields = [
            "id",
            "enterprise",
            "category",
            "channel",
            "channel_display",
            "description",
            "state",
            "state_display",
            "outcome",
            "outcome_display",
            "solved_on_spot",
            "received_at",
            "lead_department",
            "assigned_at",
            "deadline_workdays",
            "due_on",
            "overdue",
            "reply",
            "replied_at",
            "satisfaction",
            "is_legacy",
            "closed_at",
            "version",
            "last_actor",
            "last_changed_at",
        ]
        read_only_fields = fields

    def get_overdue(self, obj: Demand) -> bool:
        now = self.context.get("now")
        today = workdays.shanghai_date(now) if now is not None else None
        return bool(
            today is not None and obj.state in CLOCK_STATES and obj.due_on is not None and obj.due_on < today
        )

    def get_last_actor(self, obj: Demand) -> str | None:
        return str(obj.last_actor) if obj.last_actor is not None else None


class OriginSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Where a demand came from in another app (`core.registry.Origin`): the visit that raised
    it. `id`, `url` and `api_url` are empty when the caller may not open that row."""

    kind = serializers.CharField(help_text="来源类型，如 visit（走访记录）")
    title = serializers.CharField(source="label", help_text="来源名称，如“来源走访”")
    text = serializers.CharField(help_text="来源说明：走访活动、日期、走访干部")
    id = serializers.IntegerField(allow_null=True, help_text="来源记录的 id；无权查看时为空")
    url = serializers.CharField(allow_blank=True, help_text="来源记录的页面地址；无权查看时为空")
    api_url = serializers.CharField(allow_blank=True, help_text="来源记录的接口地址；无权查看时为空")


class DemandDetailSerializer(DemandSerializer):
    """A demand with the co-handling departments, the steps the caller may take now, where it
    came from (the visit that raised it) and the whole history."""

    co_departments = DepartmentBriefSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    origins = serializers.SerializerMethodField()
    events = DemandEventSerializer(many=True, read_only=True)
    venue = blank_choice(Venue.choices, help_text="提级协调方式；未提级时为空")

    class Meta(DemandSerializer.Meta):
        fields = [
            *DemandSerializer.Meta.fields,
            "co_departments",
            "contact_name",
            "extension_workdays",
            "extension_reason",
            "send_back_reason",
            "redo_count",
            "venue",
            "meeting",
            "meeting_on",
            "merged_into",
            "allowed_actions",
            "origins",
            "events",
        ]
        read_only_fields = fields

    @extend_schema_field(AllowedActionSerializer(many=True))
    def get_allowed_actions(self, obj: Demand) -> list[dict[str, Any]]:
        return allowed_action_rows(obj, request_user(self))

    @extend_schema_field(OriginSerializer(many=True))
    def get_origins(self, obj: Demand) -> Any:
        return OriginSerializer(
            registry.origins_of("demands.Demand", request_user(self), obj), many=True
        ).data


class DemandCreateSerializer(StrictInputMixin, serializers.Serializer):
    """A new demand filed through the API (channel `api`)."""

    enterprise = IdField(queryset=Enterprise.objects.none(), help_text="企业 id；只能是您可见的企业")
    category = IdField(queryset=Category.objects.filter(is_active=True), help_text="诉求类别 id")
    description = serializers.CharField(max_length=4000, help_text="诉求内容")
    contact_name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = enterprise_permissions.visible(request_user(self))
        self.fields["enterprise"].queryset = queryset  # type: ignore[attr-defined]


class ExpectedVersionSerializer(serializers.Serializer):
    """Only the version of a step's input, read before anything else (see the action view)."""

    expected_version = BoundedIntegerField(min_value=1, help_text="调用方读到的诉求版本号")


class ActionInputSerializer(StrictInputMixin, serializers.Serializer):
    """The input of any step: `expected_version` (the `version` the caller last read) and the
    fields the step needs, as listed in the demand's `allowed_actions`. Which fields are
    required depends on the step; the view sets that before validating."""

    expected_version = BoundedIntegerField(min_value=1, help_text="调用方读到的诉求版本号")
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    department = IdField(queryset=Department.objects.none(), required=False, help_text="部门 id")
    co_departments = IdField(
        queryset=Department.objects.none(), many=True, required=False, help_text="协办部门 id 列表"
    )
    workdays = BoundedIntegerField(required=False, min_value=1, help_text="时限（工作日）")
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    contacted = serializers.BooleanField(required=False)
    solved = serializers.BooleanField(required=False)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False)
    venue = serializers.ChoiceField(choices=Venue.choices, required=False)
    meeting = serializers.CharField(required=False, allow_blank=True, max_length=100)
    meeting_on = serializers.DateField(required=False)
    owner = IdField(queryset=Staff.objects.none(), required=False, help_text="协调责任人（干部 id）")
    into = IdField(queryset=Demand.objects.none(), required=False, help_text="合并到的诉求 id")

    def __init__(self, *args: Any, needs: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = request_user(self)
        departments = departments_visible(user).filter(is_active=True)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["co_departments"].child_relation.queryset = departments  # type: ignore[attr-defined]
        self.fields["owner"].queryset = staff_visible(user)  # type: ignore[attr-defined]
        self.fields["into"].queryset = permissions.visible(user)  # type: ignore[attr-defined]
        # The table's `needs` are this step's required inputs; a blank note or reason is as
        # missing as an absent one (the actions would refuse it with the same message).
        for name in needs:
            field = self.fields[name]
            field.required = True
            if isinstance(field, serializers.CharField):
                field.allow_blank = False
