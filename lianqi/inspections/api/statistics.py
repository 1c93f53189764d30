"""The inspection statistics as JSON: the same figures and definitions as the statistics page
(`queries.inspection_statistics`), for one year, in the caller's scope."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from lianqi.core.api.errors import InvalidQuery
from lianqi.core.api.views import ApiView

from .. import queries
from ..permissions import REGISTRARS

#: The years accepted, as on the page.
YEARS = (2000, 2100)


class InspectionDefinitionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="指标代码，如 joint_rate")
    name = serializers.CharField(help_text="指标名称")
    definition = serializers.CharField(help_text="统计口径")
    kind = serializers.ChoiceField(
        choices=["count", "rate", "average", "change"],
        help_text="count 计数；rate 比率（百分比）；average 平均值；change 同比变化（百分比）",
    )
    unit = serializers.CharField(allow_blank=True)
    target = serializers.CharField(allow_blank=True, help_text="目标，如“目标 ≥ 60%”；无目标为空")


class InspectionFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.FloatField(
        allow_null=True,
        help_text="比率为百分比（一位小数）；分母为 0 或评价不足 5 条时为 null（页面显示“—”）",
    )
    numerator = serializers.IntegerField(allow_null=True, help_text="比率的分子；平均值的总和")
    denominator = serializers.IntegerField(allow_null=True, help_text="比率的分母；平均值的条数")
    display = serializers.CharField(help_text="页面上的显示，如 62.5%、—")


class InspectionRowSerializer(serializers.Serializer):
    key = serializers.JSONField(allow_null=True, help_text="部门 id；按月时为 yyyy-mm；合计为 null")
    # A field named "label" shadows Field.label for a type checker only.
    label = serializers.CharField()  # type: ignore[assignment]
    figures = InspectionFigureSerializer(many=True)


class InspectionBucketSerializer(serializers.Serializer):
    # A field named "label" shadows Field.label for a type checker only.
    label = serializers.CharField(help_text="检查次数：0、1、2、3、4+")  # type: ignore[assignment]
    enterprises = serializers.IntegerField()


class InspectionPeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class InspectionStatisticsSerializer(serializers.Serializer):
    """The body of the statistics answer."""

    year = serializers.IntegerField()
    period = InspectionPeriodSerializer(help_text="计划检查日期区间（含两端）；当年截至今天")
    definitions = InspectionDefinitionSerializer(many=True)
    total = InspectionRowSerializer()
    departments = InspectionRowSerializer(many=True)
    months = InspectionRowSerializer(many=True)
    headline = InspectionFigureSerializer(
        many=True, help_text="只对整个范围有意义的指标：被检查企业数、户均检查次数、同比变化"
    )
    distribution = InspectionBucketSerializer(many=True)


def _figure(figure: queries.Figure) -> dict[str, Any]:
    value = float(figure.value) if figure.value is not None else None
    return {
        "key": figure.key,
        "value": value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "display": figure.display,
    }


def _row(row: queries.StatisticsRow) -> dict[str, Any]:
    return {"key": row.key, "label": row.label, "figures": [_figure(f) for f in row.figures.values()]}


def _definition(d: queries.Definition) -> dict[str, Any]:
    return {
        "key": d.key,
        "name": str(d.name),
        "definition": str(d.definition),
        "kind": d.kind,
        "unit": str(d.unit),
        "target": str(d.target),
    }


class InspectionStatisticsView(ApiView):
    """Inspection statistics (执法检查统计) of one year in the caller's scope: by department,
    by month, the total, the distribution over enterprises, the year-on-year change, each
    figure with its definition. A department handler gets its own department's figures."""

    read_roles = REGISTRARS

    def allowed_query_parameters(self, request: Request) -> set[str]:
        return super().allowed_query_parameters(request) | {"year"}

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="年度（默认当年）")],
        responses={200: InspectionStatisticsSerializer},
        operation_id="inspection_statistics",
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("year", "").strip()
        if raw and not (raw.isdigit() and YEARS[0] <= int(raw) <= YEARS[1]):
            raise InvalidQuery(
                {
                    "year": [
                        _("年度应为 %(first)s 至 %(last)s 之间的整数") % {"first": YEARS[0], "last": YEARS[1]}
                    ]
                }
            )
        year = int(raw) if raw else timezone.localdate().year
        result = queries.inspection_statistics(request.user, year)
        definitions = [
            *queries.ROW_DEFINITIONS.values(),
            *queries.HEADLINE_DEFINITIONS.values(),
            queries.DISTRIBUTION_DEFINITION,
        ]
        body = {
            "year": year,
            "period": {"start": result.period.start, "end": result.period.end},
            "definitions": [_definition(d) for d in definitions],
            "total": _row(result.total),
            "departments": [_row(r) for r in result.departments],
            "months": [_row(r) for r in result.months],
            "headline": [_figure(f) for f in result.headline.values()],
            "distribution": [{"label": label, "enterprises": n} for label, n in result.distribution],
        }
        return Response(InspectionStatisticsSerializer(body).data)
