"""The demand statistics as JSON: the same figures, definitions and filters as the statistics
page, read and computed by `lianqi.demands.statistics`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.api.errors import InvalidQuery
from lianqi.core.api.views import ApiView
from lianqi.demands import statistics
from lianqi.demands.statistics import STATS_ROLES, StatisticsForm


class DefinitionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="指标代码，如 on_spot_rate")
    name = serializers.CharField(help_text="指标名称")
    definition = serializers.CharField(help_text="统计口径")
    kind = serializers.ChoiceField(
        choices=["count", "rate", "average"], help_text="count 计数；rate 比率（百分比）；average 平均值"
    )
    unit = serializers.CharField(allow_blank=True)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.FloatField(
        allow_null=True, help_text="比率为百分比（一位小数）；分母为 0 时为 null（页面显示“—”）"
    )
    numerator = serializers.IntegerField(allow_null=True, help_text="比率的分子；平均值的总和")
    denominator = serializers.IntegerField(allow_null=True, help_text="比率的分母；平均值的条数")
    display = serializers.CharField(help_text="页面上的显示，如 72.5%、—")


class RowSerializer(serializers.Serializer):
    key = serializers.JSONField(
        allow_null=True, help_text="部门、联企干部或类别的 id；按月时为 yyyy-mm；合计为 null"
    )
    # A field named "label" shadows Field.label for a type checker only.
    label = serializers.CharField()  # type: ignore[assignment]
    figures = FigureSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()


class StatisticsSerializer(serializers.Serializer):
    """The body of the statistics answer."""

    at = serializers.DateTimeField(help_text="统计时点：此后办结的诉求按未办结计")
    period = PeriodSerializer(help_text="受理时间区间（北京时间，含两端）")
    group_by = serializers.CharField(allow_null=True)
    definitions = DefinitionSerializer(many=True)
    total = RowSerializer()
    rows = RowSerializer(many=True, help_text="按 group_by 分组的各行；未分组时为空")
    months = RowSerializer(many=True, help_text="统计区间内每个月（月度趋势）")
    fallback_years = serializers.ListField(
        child=serializers.IntegerField(), help_text="节假日安排未录入、按周一至周五计算工作日的年度"
    )


#: The query parameters, documented once from the form that reads them.
PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认当年）"),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="受理日期自（含），优先于 year"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="受理日期至（含）"),
    OpenApiParameter("jurisdiction", OpenApiTypes.STR, description="辖区代码（仅园区以上层级的用户）"),
    OpenApiParameter("department", OpenApiTypes.INT, description="牵头部门 id（部门经办人只能看本部门）"),
    OpenApiParameter("category", OpenApiTypes.INT, description="诉求类别 id"),
    OpenApiParameter(
        "group_by", OpenApiTypes.STR, enum=list(statistics.GROUPS), description="分组；不填只给合计与月度"
    ),
]


class DemandStatisticsView(ApiView):
    """Demand statistics (诉求统计) of the caller's scope: every figure with its numerator,
    denominator and definition, the total, the rows of one grouping and the months. A
    department handler gets its own department's figures only."""

    read_roles = STATS_ROLES

    def allowed_query_parameters(self, request: Request) -> set[str]:
        return super().allowed_query_parameters(request) | set(StatisticsForm.base_fields)

    @extend_schema(
        parameters=PARAMETERS, responses={200: StatisticsSerializer}, operation_id="demand_statistics"
    )
    def get(self, request: Request) -> Response:
        at = timezone.now()
        form = StatisticsForm(request.query_params, user=request.user, at=at)
        if not form.is_valid():
            raise InvalidQuery({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        scope = statistics.statistics_scope(request.user, form.cleaned_data, default_group=None)
        result = statistics.statistics_for(scope, at=at)
        body: dict[str, Any] = {
            "at": at,
            "period": {"first": scope.period.first, "last": scope.period.last},
            "group_by": result.group_by,
            "definitions": [
                {
                    "key": d.key,
                    "name": str(d.name),
                    "definition": str(d.definition),
                    "kind": d.kind,
                    "unit": str(d.unit),
                }
                for d in statistics.DEFINITIONS.values()
            ],
            "total": result.total.as_dict(),
            "rows": [row.as_dict() for row in result.rows],
            "months": [row.as_dict() for row in result.months],
            "fallback_years": result.fallback_years,
        }
        return Response(StatisticsSerializer(body).data)
