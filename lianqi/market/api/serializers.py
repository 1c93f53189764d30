"""Serializers of the market's API. Amounts are strings of yuan with two decimals (exact to
the fen), as the policies' ledger answers them."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from lianqi.core.validators import MAX_INTEGER
from lianqi.policies.money import MAX_DIGITS

from ..choices import NodeCoverage, ParticipantRole, SupplierRegion, Visibility
from ..models import Chain, FairDeal, Introduction, IntroductionEvent, MatchingFair, Need, Offer, Purchase

LISTING_FIELDS = ["id", "enterprise", "enterprise_name", "industry", "keywords", "certifications"]
LISTING_TAIL = ["visibility", "state", "version", "created_at"]


class OfferSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An offer; `version` is what withdrawing sends back."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Offer
        fields = [
            *LISTING_FIELDS,
            "product",
            "specification",
            "capacity",
            "unit",
            "price_band",
            *LISTING_TAIL,
        ]


class NeedSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A need, with its budget in yuan to the fen."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Need
        fields = [
            *LISTING_FIELDS,
            "item",
            "quantity",
            "unit",
            "budget",
            "wanted_by",
            "valid_until",
            "current_supplier_region",
            *LISTING_TAIL,
        ]


class OfferCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Record an offer for an enterprise (its account, its liaison or the office)."""

    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_INTEGER)
    product = serializers.CharField(max_length=200)
    industry_code = serializers.CharField(max_length=5)
    keywords = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    specification = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    capacity = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    certifications = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    price_band = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.OFFICE)


class NeedCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Record a need for an enterprise; `budget` in yuan, at most two decimals."""

    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_INTEGER)
    item = serializers.CharField(max_length=200)
    industry_code = serializers.CharField(max_length=5)
    keywords = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = serializers.CharField(max_length=20)
    budget = serializers.DecimalField(
        max_digits=MAX_DIGITS, decimal_places=2, required=False, allow_null=True
    )
    wanted_by = serializers.DateField()
    valid_until = serializers.DateField()
    certifications = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    current_supplier_region = serializers.ChoiceField(
        choices=SupplierRegion.choices, required=False, allow_blank=True, default=""
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.OFFICE)


class CandidateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One ranked candidate: the offer or need's id, the enterprise, the fit and the reasons in words."""

    id = serializers.IntegerField(source="row.pk")
    enterprise = serializers.IntegerField(source="row.enterprise_id")
    enterprise_name = serializers.CharField(source="row.enterprise.name")
    title = serializers.CharField(source="row")
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class IntroduceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    offer = serializers.IntegerField(min_value=1, max_value=MAX_INTEGER)


class IntroductionEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = IntroductionEvent
        fields = ["action", "from_state", "to_state", "actor", "note", "at"]


class IntroductionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An introduction with its reasons, outcome and history."""

    events = IntroductionEventSerializer(many=True, read_only=True)

    class Meta:
        model = Introduction
        fields = [
            "id",
            "need",
            "offer",
            "score",
            "reasons",
            "state",
            "deal_amount",
            "deal_on",
            "drop_reason",
            "version",
            "created_at",
            "events",
        ]


class IntroductionStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One step: the version read last and the step's input (see the workflow table)."""

    expected_version = serializers.IntegerField(min_value=1, max_value=MAX_INTEGER)
    deal_amount = serializers.DecimalField(
        max_digits=MAX_DIGITS, decimal_places=2, required=False, allow_null=True
    )
    deal_on = serializers.DateField(required=False, allow_null=True)
    drop_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class FairDealSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = FairDeal
        fields = ["buyer", "supplier", "subject", "amount"]


class FairSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A matching event with its deals."""

    deals = FairDealSerializer(many=True, read_only=True)

    class Meta:
        model = MatchingFair
        fields = ["id", "held_on", "theme", "industry", "deals"]


class MarketInvitationRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Whom to invite to an event: a condition over the register (the rule engine's JSON, as an
    object or as text; empty: only the firms with open needs), and whether to send."""

    condition = serializers.JSONField(required=False, allow_null=True)
    send = serializers.BooleanField(default=False)


class MarketInvitationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One enterprise an event invites, in which role, and why."""

    enterprise = serializers.IntegerField(source="enterprise_id")
    role = serializers.ChoiceField(choices=ParticipantRole.choices)
    reason = serializers.CharField()


class PurchaseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One year's purchases of a buyer from one supplier; `is_local` when the supplier is
    registered in the buyer's park or city."""

    buyer_name = serializers.CharField(source="buyer.name", read_only=True)

    class Meta:
        model = Purchase
        fields = [
            "id",
            "buyer",
            "buyer_name",
            "year",
            "supplier",
            "supplier_name",
            "supplier_credit_code",
            "place",
            "is_local",
            "item",
            "amount",
            "strategic",
            "affiliated",
            "source",
        ]


class PurchaseCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What recording a purchase takes: the buyer, the year, the supplier (a registered
    enterprise's id, or its name with its credit code when it is not in the register), the
    amount in yuan."""

    buyer = serializers.IntegerField(min_value=1, max_value=MAX_INTEGER)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    supplier = serializers.IntegerField(min_value=1, max_value=MAX_INTEGER, required=False, allow_null=True)
    supplier_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    supplier_credit_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    item = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=MAX_DIGITS, decimal_places=2, min_value=Decimal("0.01"))
    strategic = serializers.BooleanField(required=False, default=False)
    affiliated = serializers.BooleanField(required=False, default=False)


class ChainNodeFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One node of a chain's map in a year."""

    id = serializers.IntegerField()
    parent_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    depth = serializers.IntegerField()
    coverage = serializers.ChoiceField(choices=NodeCoverage.choices)
    park_firms = serializers.ListField(child=serializers.IntegerField())
    city_firms = serializers.ListField(child=serializers.IntegerField())
    local_purchases = serializers.DecimalField(max_digits=MAX_DIGITS + 4, decimal_places=2)
    total_purchases = serializers.DecimalField(max_digits=MAX_DIGITS + 4, decimal_places=2)
    local_rate = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)


class ChainSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An industrial chain with its leader and committee."""

    class Meta:
        model = Chain
        fields = [
            "id",
            "name",
            "description",
            "jurisdiction",
            "home_park",
            "leader_name",
            "leader_title",
            "committee_name",
        ]


class ChainMapSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A chain's map in a year: its nodes, its local supporting rate (local purchases ÷ total
    purchases of its enterprises, each counted once), its missing nodes, output and growth."""

    chain = ChainSerializer()
    year = serializers.IntegerField()
    firms = serializers.IntegerField()
    local_purchases = serializers.DecimalField(max_digits=MAX_DIGITS + 4, decimal_places=2)
    total_purchases = serializers.DecimalField(max_digits=MAX_DIGITS + 4, decimal_places=2)
    local_rate = serializers.DecimalField(max_digits=7, decimal_places=4, allow_null=True)
    missing_nodes = serializers.ListField(child=serializers.CharField())
    output = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    output_growth = serializers.DecimalField(max_digits=9, decimal_places=4, allow_null=True)
    nodes = ChainNodeFiguresSerializer(many=True)
