"""Serializers of key projects' API. Amounts are decimal strings of yuan to the fen."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import SeriesKind
from ..models import Decision, Lead, LeadEvent, Meeting, Milestone, ProgressReport, Project, ProjectEvent


class ProjectEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = ProjectEvent
        fields = ["action", "from_state", "to_state", "actor", "note", "at"]


class ProjectMilestoneSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Milestone
        fields = [
            "id",
            "name",
            "owner",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "depends_on",
        ]


class ProjectReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ProgressReport
        fields = ["id", "period", "invested", "year_to_date", "progress", "problems"]


class ProjectSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A key project with its battle map, reports and history; `version` is what a write sends
    back as `expected_version`."""

    owner = serializers.CharField(read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    milestones = ProjectMilestoneSerializer(many=True, read_only=True)
    reports = ProjectReportSerializer(many=True, read_only=True)
    events = ProjectEventSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "enterprise",
            "owner",
            "kind",
            "level",
            "industry",
            "location",
            "total_investment",
            "plan_year",
            "year_plan",
            "leader",
            "department",
            "department_name",
            "state",
            "signed_on",
            "land_on",
            "started_on",
            "topped_out_on",
            "completed_on",
            "producing_on",
            "version",
            "milestones",
            "reports",
            "events",
        ]


class ProjectStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A stage step: the version read last and the date the stage was reached."""

    expected_version = serializers.IntegerField()
    on = serializers.DateField()


class ProjectReportInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A month's report: the version read last, the month, the month's investment in yuan."""

    expected_version = serializers.IntegerField()
    period = serializers.DateField()
    invested = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0)
    progress = serializers.CharField(max_length=4000)
    problems = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class MeetingDecisionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    demand_state = serializers.CharField(source="demand.state", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "project", "text", "demand", "demand_state"]


class MeetingSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A meeting of a series with its decisions and the state of each decision's demand."""

    series_name = serializers.CharField(source="series.name", read_only=True)
    cadence = serializers.CharField(source="series.cadence", read_only=True)
    series_kind = serializers.ChoiceField(
        source="series.kind",
        choices=SeriesKind.choices,
        read_only=True,
        help_text="dispatch: a dispatch meeting of key projects; roundtable: the reception day's roundtable",
    )
    decisions = MeetingDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "series",
            "series_name",
            "series_kind",
            "cadence",
            "held_on",
            "attendees",
            "minutes",
            "decisions",
        ]


class LeadEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = LeadEvent
        fields = ["action", "from_state", "to_state", "actor", "note", "at"]


class LeadSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An investment lead with the date of each stage reached, the amount signed (yuan to the
    fen) and its history; `version` is what a step sends back as `expected_version`."""

    events = LeadEventSerializer(many=True, read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "name",
            "investor",
            "industry",
            "amount",
            "state",
            "found_on",
            "talks_on",
            "signed_on",
            "registered_on",
            "land_on",
            "started_on",
            "producing_on",
            "dropped_on",
            "project",
            "version",
            "events",
        ]


class LeadStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A lead's step: the version read last, the date, and what the step needs besides (the
    amount signed for `sign`, the reason for `drop`)."""

    expected_version = serializers.IntegerField()
    on = serializers.DateField()
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FunnelStageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One stage of the funnel: how many leads reached it, how many went on, the share that went
    on (%), and the average days spent in it before moving on."""

    stage = serializers.CharField()
    stage_label = serializers.CharField()
    reached = serializers.IntegerField()
    went_on = serializers.IntegerField()
    conversion = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    dwell_days = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)


class FunnelSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The pipeline of a year as its page shows it: the funnel of the leads found up to the
    year's end, the year's signings (those of ¥100m or more apart) and the same-year projects."""

    year = serializers.IntegerField()
    stages = FunnelStageSerializer(many=True)
    signed = serializers.IntegerField()
    signed_amount = serializers.DecimalField(max_digits=20, decimal_places=2)
    big = serializers.IntegerField()
    big_amount = serializers.DecimalField(max_digits=20, decimal_places=2)
    same_year = serializers.ListField(child=serializers.IntegerField())
    dropped = serializers.IntegerField()
