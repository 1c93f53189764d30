"""The matching engine of supply and demand, in plain Python (no Django): it ranks the offers
that could serve a need, or the needs an offer could serve, and says why each one ranked where
it did.

A candidate's fit (0–100) adds up

- the industry class (GB/T 4754): the same class (4 digits) 40, group (3) 30, division (2) 20,
  only the same section (letter) 5;
- the keyword similarity of the two texts (product or item with keywords and specification):
  the Dice coefficient of their character bigrams (Chinese has no spaces to split words on,
  and two characters carry most of a Chinese word), times 40;
- capacity: 10 when the supplier's yearly capacity covers the quantity in the same unit;
- certifications: 10 when the supplier holds every certification the buyer asks for.

Distance (same park, same city, same province, elsewhere) does not add to the fit: at equal fit
the nearer supplier comes first, and a better fit beats distance. Offers of the buyer itself
and candidates with neither an industry nor a keyword in common are left out.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

INDUSTRY_POINTS = {4: 40, 3: 30, 2: 20}
SECTION_POINTS = 5
KEYWORD_POINTS = 40
CAPACITY_POINTS = 10
CERTIFICATION_POINTS = 10


class Distance(enum.IntEnum):
    """How far a supplier is from a buyer, nearest first."""

    PARK = 0
    CITY = 1
    PROVINCE = 2
    ELSEWHERE = 3


@dataclass(frozen=True)
class Place:
    """Where an enterprise is: its jurisdiction's path (``430000/430300/430371/``), read as
    province, city and the full path (the park or whatever lies below the city)."""

    path: str

    @property
    def codes(self) -> list[str]:
        return [code for code in self.path.split("/") if code]

    def distance_to(self, other: Place) -> Distance:
        if self.path == other.path:
            return Distance.PARK
        mine, theirs = self.codes, other.codes
        if len(mine) >= 2 and mine[:2] == theirs[:2]:
            return Distance.CITY
        if mine[:1] == theirs[:1]:
            return Distance.PROVINCE
        return Distance.ELSEWHERE


@dataclass(frozen=True)
class Listing:
    """An offer or a need as the engine reads it. For an offer `quantity` is its yearly
    capacity and `certifications` those it holds; for a need, the quantity wanted and the
    certifications asked for."""

    key: int
    enterprise: int
    industry: str
    section: str
    text: str
    place: Place
    quantity: Decimal | None = None
    unit: str = ""
    certifications: frozenset[str] = frozenset()
    #: For a need: how far its current supplier is (None when it has none or it is not known).
    current_supplier: Distance | None = None

    @functools.cached_property
    def grams(self) -> frozenset[str]:
        """The text's bigrams, cut once per listing however many needs it is matched against."""
        return bigrams(self.text)


@dataclass(frozen=True)
class Reason:
    """Why a candidate ranked where it did: a code the pages put in words, the points it
    added, and what it is about (the shared words, the missing certifications …)."""

    code: str
    points: int = 0
    detail: str = ""


@dataclass
class Candidate:
    """One ranked candidate with its fit, its distance and its reasons."""

    listing: Listing
    score: int
    distance: Distance
    reasons: list[Reason] = field(default_factory=list)

    def sort_key(self) -> tuple[int, int, int]:
        return (-self.score, int(self.distance), self.listing.key)


def bigrams(text: str) -> frozenset[str]:
    """The character bigrams of each word of `text` (letters lower-cased; a one-character word
    counts as itself)."""
    grams: set[str] = set()
    for word in text.lower().replace("，", " ").replace("、", " ").replace(",", " ").split():
        if len(word) == 1:
            grams.add(word)
        grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return frozenset(grams)


def similarity(left: frozenset[str], right: frozenset[str]) -> float:
    """The Dice coefficient of two sets of bigrams: 1 for the same, 0 for nothing shared."""
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def industry_fit(need: Listing, offer: Listing) -> Reason | None:
    """The points for the industry classes' longest shared code (class, group, division), or
    the section alone."""
    shared = 0
    for mine, theirs in zip(need.industry, offer.industry, strict=False):
        if mine != theirs:
            break
        shared += 1
    for digits in (4, 3, 2):
        if shared >= digits:
            return Reason(f"industry_{digits}", INDUSTRY_POINTS[digits], offer.industry[:digits])
    if need.section and need.section == offer.section:
        return Reason("industry_section", SECTION_POINTS, offer.section)
    return None


def _score(need: Listing, offer: Listing, need_grams: frozenset[str]) -> Candidate | None:
    """The fit of `offer` for `need`, or None when they share neither an industry nor a word."""
    reasons: list[Reason] = []
    industry = industry_fit(need, offer)
    offer_grams = offer.grams
    words = similarity(need_grams, offer_grams)
    if industry is None and words == 0:
        return None
    if industry is not None:
        reasons.append(industry)
    if words > 0:
        shared = "、".join(sorted(need_grams & offer_grams)[:6])
        reasons.append(Reason("keywords", round(words * KEYWORD_POINTS), shared))
    if need.quantity is not None and offer.quantity is not None and need.unit and need.unit == offer.unit:
        if offer.quantity >= need.quantity:
            reasons.append(Reason("capacity_covers", CAPACITY_POINTS, f"{offer.quantity}{offer.unit}"))
        else:
            reasons.append(Reason("capacity_short", 0, f"{offer.quantity}{offer.unit}"))
    if need.certifications:
        missing = need.certifications - offer.certifications
        if missing:
            reasons.append(Reason("certifications_missing", 0, "、".join(sorted(missing))))
        else:
            detail = "、".join(sorted(need.certifications))
            reasons.append(Reason("certifications_held", CERTIFICATION_POINTS, detail))
    distance = need.place.distance_to(offer.place)
    reasons.append(Reason(f"distance_{distance.name.lower()}"))
    if need.current_supplier is not None and distance < need.current_supplier:
        reasons.append(Reason("nearer_than_current", 0, need.current_supplier.name.lower()))
    return Candidate(offer, sum(reason.points for reason in reasons), distance, reasons)


def suppliers_for(need: Listing, offers: Iterable[Listing], *, limit: int | None = 20) -> list[Candidate]:
    """The offers that could serve `need`, best fit first and, at equal fit, nearest first."""
    need_grams = need.grams
    found = [
        candidate
        for offer in offers
        if offer.enterprise != need.enterprise and (candidate := _score(need, offer, need_grams)) is not None
    ]
    found.sort(key=Candidate.sort_key)
    return found[:limit] if limit is not None else found


def needs_for(offer: Listing, needs: Iterable[Listing], *, limit: int | None = 20) -> list[Candidate]:
    """The needs `offer` could serve, ranked the same way (the fit is the same sum, read from
    the need's side); each candidate's `listing` is the need."""
    found: list[Candidate] = []
    for need in needs:
        if need.enterprise == offer.enterprise:
            continue
        scored = _score(need, offer, need.grams)
        if scored is not None:
            found.append(Candidate(need, scored.score, scored.distance, scored.reasons))
    found.sort(key=Candidate.sort_key)
    return found[:limit] if limit is not None else found
