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
import heapq
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


def _score(need: Listing, offer: Listing, *, explain: bool) -> Candidate | None:
    """The fit of `offer` for `need`, or None when they share neither an industry nor a word.
    With `explain`, the candidate carries its reasons; without, only its fit and distance (a
    ranking explains the few it keeps, not every offer it scores)."""
    reasons: list[Reason] = []
    industry = industry_fit(need, offer)
    words = similarity(need.grams, offer.grams)
    if industry is None and words == 0:
        return None
    keyword_points = round(words * KEYWORD_POINTS)
    covers = (
        offer.quantity >= need.quantity
        if need.quantity is not None and offer.quantity is not None and need.unit and need.unit == offer.unit
        else None
    )
    missing = need.certifications - offer.certifications
    score = (
        (industry.points if industry is not None else 0)
        + keyword_points
        + (CAPACITY_POINTS if covers else 0)
        + (CERTIFICATION_POINTS if need.certifications and not missing else 0)
    )
    distance = need.place.distance_to(offer.place)
    if not explain:
        return Candidate(offer, score, distance)
    if industry is not None:
        reasons.append(industry)
    if words > 0:
        shared = "、".join(sorted(need.grams & offer.grams)[:6])
        reasons.append(Reason("keywords", keyword_points, shared))
    if covers is not None:
        capacity = f"{offer.quantity}{offer.unit}"
        reasons.append(
            Reason("capacity_covers", CAPACITY_POINTS, capacity)
            if covers
            else Reason("capacity_short", 0, capacity)
        )
    if need.certifications:
        if missing:
            reasons.append(Reason("certifications_missing", 0, "、".join(sorted(missing))))
        else:
            detail = "、".join(sorted(need.certifications))
            reasons.append(Reason("certifications_held", CERTIFICATION_POINTS, detail))
    reasons.append(Reason(f"distance_{distance.name.lower()}"))
    if need.current_supplier is not None and distance < need.current_supplier:
        reasons.append(Reason("nearer_than_current", 0, need.current_supplier.name.lower()))
    return Candidate(offer, score, distance, reasons)


def _ranked(scored: Iterable[Candidate], limit: int | None) -> list[Candidate]:
    if limit is None:
        return sorted(scored, key=Candidate.sort_key)
    return heapq.nsmallest(limit, scored, key=Candidate.sort_key)


def suppliers_for(need: Listing, offers: Iterable[Listing], *, limit: int | None = 20) -> list[Candidate]:
    """The offers that could serve `need`, best fit first and, at equal fit, nearest first,
    each with its reasons."""
    scored = (
        candidate
        for offer in offers
        if offer.enterprise != need.enterprise
        and (candidate := _score(need, offer, explain=False)) is not None
    )
    return [
        explained
        for kept in _ranked(scored, limit)
        if (explained := _score(need, kept.listing, explain=True)) is not None
    ]


def needs_for(offer: Listing, needs: Iterable[Listing], *, limit: int | None = 20) -> list[Candidate]:
    """The needs `offer` could serve, ranked the same way (the fit is the same sum, read from
    the need's side); each candidate's `listing` is the need."""
    scored = (
        Candidate(need, candidate.score, candidate.distance)
        for need in needs
        if need.enterprise != offer.enterprise
        and (candidate := _score(need, offer, explain=False)) is not None
    )
    found = []
    for kept in _ranked(scored, limit):
        explained = _score(kept.listing, offer, explain=True)
        if explained is not None:
            found.append(Candidate(kept.listing, explained.score, explained.distance, explained.reasons))
    return found
