"""Offers and needs as the matching engine reads them (`matching.Listing`): the one place that
turns rows into the engine's plain values."""

from __future__ import annotations

from .choices import SupplierRegion
from .matching import Distance, Listing, Place
from .models import Need, Offer, split_names

#: How far a need's current supplier is, by the region recorded on the need.
REGION_DISTANCE = {
    SupplierRegion.PARK: Distance.PARK,
    SupplierRegion.CITY: Distance.CITY,
    SupplierRegion.PROVINCE: Distance.PROVINCE,
    SupplierRegion.ELSEWHERE: Distance.ELSEWHERE,
}


def offer_listing(offer: Offer) -> Listing:
    """An offer: its product, keywords and specification are the text matched; its capacity
    the quantity; the certifications it holds."""
    return Listing(
        key=offer.pk,
        enterprise=offer.enterprise_id,
        industry=offer.industry_id,
        section=offer.industry.section,
        text=f"{offer.product} {offer.keywords} {offer.specification}",
        place=Place(offer.jurisdiction_path),
        quantity=offer.capacity,
        unit=offer.unit,
        certifications=split_names(offer.certifications),
    )


def need_listing(need: Need) -> Listing:
    """A need: its item and keywords are the text matched; the quantity wanted; the
    certifications asked for; how far its current supplier is."""
    return Listing(
        key=need.pk,
        enterprise=need.enterprise_id,
        industry=need.industry_id,
        section=need.industry.section,
        text=f"{need.item} {need.keywords}",
        place=Place(need.jurisdiction_path),
        quantity=need.quantity,
        unit=need.unit,
        certifications=split_names(need.certifications),
        current_supplier=REGION_DISTANCE.get(SupplierRegion(need.current_supplier_region or "")),
    )
