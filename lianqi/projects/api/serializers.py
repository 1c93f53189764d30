"""Serializers of key projects' API. Amounts are decimal strings of yuan to the fen."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Decision, Meeting, Milestone, ProgressReport, Project, ProjectEvent


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
    decisions = MeetingDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "series", "series_name", "cadence", "held_on", "attendees", "minutes", "decisions"]
