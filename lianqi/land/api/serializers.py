"""Serializers of the land supermarket's API: parcels as GeoJSON (a FeatureCollection for the
list, a Feature for one), reservations with their history, reserving and the steps."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from ..choices import LandUse, ParcelStatus, PriceKind
from ..models import Reservation, ReservationEvent

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


class PolygonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A GeoJSON Polygon in WGS84: rings of [longitude, latitude], the first the outline."""

    type = serializers.ChoiceField(choices=["Polygon"])
    coordinates = serializers.ListField(
        child=serializers.ListField(child=serializers.ListField(child=serializers.FloatField(), min_length=2))
    )


class ParcelPropertiesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    code = serializers.CharField()
    location = serializers.CharField()
    zone = serializers.CharField()
    state = serializers.ChoiceField(choices=ParcelStatus.choices)
    land_use = serializers.ChoiceField(choices=LandUse.choices)
    area_mu = serializers.FloatField()
    area_m2 = serializers.FloatField()
    price = serializers.FloatField(help_text="元")
    price_kind = serializers.ChoiceField(choices=PriceKind.choices)
    power_kva = serializers.IntegerField(allow_null=True)


class ParcelFeatureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.IntegerField()
    geometry = PolygonSerializer()
    properties = ParcelPropertiesSerializer()


class ParcelFeatureCollectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The parcels the caller may see, filtered, as a GeoJSON FeatureCollection."""

    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = ParcelFeatureSerializer(many=True)


class ParcelDetailPropertiesSerializer(ParcelPropertiesSerializer):
    barred_industries = serializers.CharField()
    plot_ratio_min = serializers.FloatField(allow_null=True)
    plot_ratio_max = serializers.FloatField(allow_null=True)
    building_density_max = serializers.FloatField(allow_null=True)
    height_limit_m = serializers.FloatField(allow_null=True)
    water_tpd = serializers.IntegerField(allow_null=True)
    gas = serializers.BooleanField()
    sewage = serializers.BooleanField()
    road = serializers.CharField()
    investment_per_mu_min = serializers.FloatField(allow_null=True)
    tax_per_mu_min = serializers.FloatField(allow_null=True)
    energy_per_output_max = serializers.FloatField(allow_null=True)
    emissions_max = serializers.FloatField(allow_null=True)
    version = serializers.IntegerField()
    planned_on = serializers.DateField(allow_null=True)
    available_on = serializers.DateField(allow_null=True)
    reserved_on = serializers.DateField(allow_null=True)
    transaction_on = serializers.DateField(allow_null=True)
    sold_on = serializers.DateField(allow_null=True)
    built_on = serializers.DateField(allow_null=True)


class ParcelDetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One parcel as a GeoJSON Feature with everything an investor asks in its properties."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.IntegerField()
    geometry = PolygonSerializer()
    properties = ParcelDetailPropertiesSerializer()


class ReservationEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = ReservationEvent
        fields = ["action", "from_state", "to_state", "actor", "by_enterprise", "note", "at"]


class ReservationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A reservation with its history; `version` is what a step sends back as `expected_version`."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    parcel_code = serializers.CharField(source="parcel.code", read_only=True)
    events = ReservationEventSerializer(many=True, read_only=True)

    class Meta:
        model = Reservation
        fields = [
            "id",
            "parcel",
            "parcel_code",
            "enterprise",
            "enterprise_name",
            "project_name",
            "industry_code",
            "total_investment",
            "investment_per_mu",
            "tax_per_mu",
            "energy_per_output",
            "emissions_tpa",
            "state",
            "reserved_on",
            "expires_on",
            "approved_on",
            "listing_starts",
            "listing_ends",
            "deal_price",
            "contract_no",
            "dealt_on",
            "handed_over_on",
            "closed_note",
            "version",
            "created_at",
            "events",
        ]


class ReserveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Reserve a parcel for a project: its key figures (money in yuan, indicators per mu in
    万元). `enterprise` is the office's choice; an enterprise's account reserves for itself."""

    enterprise = serializers.IntegerField(required=False, min_value=1)
    project_name = serializers.CharField(max_length=200)
    industry_code = serializers.CharField(max_length=10)
    total_investment = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0.01"))
    investment_per_mu = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal(0))
    tax_per_mu = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal(0))
    energy_per_output = serializers.DecimalField(
        max_digits=8, decimal_places=3, min_value=Decimal(0), required=False, allow_null=True
    )
    emissions_tpa = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )


class ReservationStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One step: the version read last and the step's input (see the workflow table)."""

    expected_version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    listing_starts = serializers.DateField(required=False, allow_null=True)
    listing_ends = serializers.DateField(required=False, allow_null=True)
    deal_price = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )
    contract_no = serializers.CharField(required=False, allow_blank=True, max_length=60)
