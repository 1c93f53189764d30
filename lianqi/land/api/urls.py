"""Routes of the land supermarket's API, put on the one router of `lianqi.api` through the API
registry (see `apps.py`)."""

from __future__ import annotations

from lianqi.core.registry import ApiRoute

from .views import ParcelViewSet, ReservationViewSet

ROUTES = (
    ApiRoute("land/parcels", ParcelViewSet, "land-parcel", order=100),
    ApiRoute("land/reservations", ReservationViewSet, "land-reservation", order=101),
)
