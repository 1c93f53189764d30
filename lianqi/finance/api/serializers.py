"""Serializers of the finance supermarket's API. Money is given both as whole fen (exact, for
sums) and, on input, taken as yuan with at most two decimals."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Agreement, Application, ApplicationEvent, Attendance, Institution, MatchingEvent, Product
from ..queries import event_figures


class FinanceInstitutionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Institution
        fields = ["id", "name", "kind", "branches"]


class FinanceProductSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A product with its terms and its admission criteria (the rule file data)."""

    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "state",
            "institution",
            "institution_name",
            "min_amount_fen",
            "max_amount_fen",
            "min_rate",
            "max_rate",
            "min_term_months",
            "max_term_months",
            "collateral",
            "promise_workdays",
            "decide_workdays",
            "description",
            "rule",
        ]


class FinanceFitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A product's verdict for the calling enterprise, with the reasons in words."""

    product = serializers.IntegerField()
    verdict = serializers.ChoiceField(choices=["eligible", "ineligible", "unknown"])
    verdict_label = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())


class FinanceApplicationEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["action", "from_state", "to_state", "actor", "note", "at"]


class FinanceApplicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An application with its history; `version` is what a step sends as `expected_version`."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    events = FinanceApplicationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "product",
            "product_name",
            "institution",
            "institution_name",
            "amount_fen",
            "term_months",
            "purpose",
            "state",
            "submitted_at",
            "accept_due",
            "decide_due",
            "investigated_at",
            "accepted_at",
            "decided_at",
            "granted_fen",
            "reason",
            "disbursed_fen",
            "disbursed_on",
            "demand",
            "version",
            "events",
        ]


class FinanceApplicationCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An enterprise's application: the product, the amount in yuan (two decimals at most),
    the term, the purpose and consent to share its data with the institution."""

    product = serializers.IntegerField(min_value=1)
    amount_yuan = serializers.DecimalField(max_digits=14, decimal_places=2)
    term_months = serializers.IntegerField(min_value=1, max_value=600)
    purpose = serializers.CharField(max_length=200)
    consent = serializers.BooleanField()


class FinanceApplicationStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One step: the version read last and the step's input (see the workflow table)."""

    expected_version = serializers.IntegerField()
    granted_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    disbursed_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    disbursed_on = serializers.DateField(required=False)


class FinanceAgreementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "institution",
            "institution_name",
            "amount_fen",
            "kind",
        ]


class FinanceEventFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An event's figures: firms invited, that came and that signed, agreements, amount signed
    and lent since (fen)."""

    invited = serializers.IntegerField()
    attended = serializers.IntegerField()
    firms = serializers.IntegerField()
    agreements = serializers.IntegerField()
    signed_fen = serializers.IntegerField()
    disbursed_fen = serializers.IntegerField()


class FinanceAttendanceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An enterprise that came to a matching event."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["enterprise", "enterprise_name"]


class FinanceEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A matching event with its institutions, agreements and figures."""

    agreements = FinanceAgreementSerializer(many=True, read_only=True)
    attendances = FinanceAttendanceSerializer(many=True, read_only=True)
    figures = serializers.SerializerMethodField()

    class Meta:
        model = MatchingEvent
        fields = ["id", "title", "held_on", "place", "institutions", "attendances", "agreements", "figures"]

    @extend_schema_field(FinanceEventFiguresSerializer)
    def get_figures(self, event: MatchingEvent) -> dict[str, int]:
        return event_figures(event)


class FinanceInvitationRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Whom to invite to a matching event: a condition over the register (the rule engine's
    JSON, as an object or as text; may be empty), how many months of financing-difficulty
    demands to look back on (0: none), and whether to send."""

    condition = serializers.JSONField(required=False, allow_null=True)
    demand_months = serializers.IntegerField(min_value=0, max_value=24, default=6)
    send = serializers.BooleanField(default=False)


class FinanceInvitationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One enterprise a matching event invites, and why."""

    enterprise = serializers.IntegerField(source="enterprise_id")
    reason = serializers.CharField()
