"""The matching engine on hand-built cases, without a database: the fit's parts and their
reasons, local first at equal fit, a better fit beating distance."""

from __future__ import annotations

from decimal import Decimal

from ..matching import Distance, Listing, Place, bigrams, needs_for, similarity, suppliers_for

HOME = Place("430000/430300/430371/")
SAME_CITY = Place("430000/430300/430372/")
SAME_PROVINCE = Place("430000/430100/430121/")
ELSEWHERE = Place("440000/440300/")


def need(**fields: object) -> Listing:
    values: dict[str, object] = {
        "key": 1,
        "enterprise": 100,
        "industry": "3831",
        "section": "C",
        "text": "铜芯电力电缆 电缆",
        "place": HOME,
        "quantity": Decimal("500"),
        "unit": "千米",
    }
    values.update(fields)
    return Listing(**values)  # type: ignore[arg-type]


def offer(key: int, place: Place = HOME, **fields: object) -> Listing:
    values: dict[str, object] = {
        "key": key,
        "enterprise": 200 + key,
        "industry": "3831",
        "section": "C",
        "text": "铜芯电力电缆 电缆",
        "place": place,
        "quantity": Decimal("800"),
        "unit": "千米",
    }
    values.update(fields)
    return Listing(**values)  # type: ignore[arg-type]


def codes(candidate: object) -> list[str]:
    return [reason.code for reason in candidate.reasons]  # type: ignore[attr-defined]


def test_the_distance_reads_park_city_province_and_elsewhere() -> None:
    assert HOME.distance_to(HOME) == Distance.PARK
    assert HOME.distance_to(SAME_CITY) == Distance.CITY
    assert HOME.distance_to(SAME_PROVINCE) == Distance.PROVINCE
    assert HOME.distance_to(ELSEWHERE) == Distance.ELSEWHERE


def test_local_first_at_equal_fit() -> None:
    offers = [offer(1, ELSEWHERE), offer(2, SAME_PROVINCE), offer(3, HOME), offer(4, SAME_CITY)]
    ranked = suppliers_for(need(), offers)
    assert len({c.score for c in ranked}) == 1
    assert [c.listing.key for c in ranked] == [3, 4, 2, 1]
    assert "distance_park" in codes(ranked[0]) and "distance_elsewhere" in codes(ranked[-1])


def test_a_better_fit_beats_distance() -> None:
    near_but_other_group = offer(1, HOME, industry="3839", text="电缆附件")
    far_but_same_class = offer(2, ELSEWHERE)
    ranked = suppliers_for(need(), [near_but_other_group, far_but_same_class])
    assert [c.listing.key for c in ranked] == [2, 1]
    assert ranked[0].score > ranked[1].score


def test_each_part_of_the_fit_gives_its_reason_and_points() -> None:
    full = suppliers_for(
        need(certifications=frozenset({"CCC"})), [offer(1, certifications=frozenset({"CCC", "ISO9001"}))]
    )[0]
    assert codes(full)[:4] == ["industry_4", "keywords", "capacity_covers", "certifications_held"]
    assert full.score == 40 + 40 + 10 + 10
    short = suppliers_for(
        need(certifications=frozenset({"CCC"})),
        [offer(1, quantity=Decimal("100"), certifications=frozenset())],
    )[0]
    assert "capacity_short" in codes(short) and "certifications_missing" in codes(short)
    assert short.score == full.score - 20
    missing = next(r for r in short.reasons if r.code == "certifications_missing")
    assert missing.detail == "CCC"


def test_industry_fit_by_class_group_division_and_section() -> None:
    same_text = "x"
    scores = {
        code: suppliers_for(need(text="y"), [offer(1, industry=code, text=same_text, quantity=None)])
        for code in ("3831", "3832", "3811", "3411")
    }
    assert [r.score for r in scores["3831"]] == [40]
    assert [r.score for r in scores["3832"]] == [30]
    assert [r.score for r in scores["3811"]] == [20]
    assert [r.score for r in scores["3411"]] == [5]  # same section C only


def test_a_candidate_sharing_nothing_or_the_buyer_itself_is_left_out() -> None:
    unrelated = offer(1, industry="6510", section="I", text="软件开发")
    own = offer(2, enterprise=100)
    assert suppliers_for(need(), [unrelated, own]) == []


def test_keyword_similarity_counts_shared_bigrams() -> None:
    assert similarity(bigrams("电力电缆"), bigrams("电力电缆")) == 1.0
    assert 0 < similarity(bigrams("铜芯电力电缆"), bigrams("铝合金电缆")) < 1
    assert similarity(bigrams("电缆"), bigrams("轴承")) == 0.0


def test_a_need_served_from_far_away_says_a_nearer_supplier_could_take_over() -> None:
    ranked = suppliers_for(need(current_supplier=Distance.ELSEWHERE), [offer(1, HOME), offer(2, ELSEWHERE)])
    assert "nearer_than_current" in codes(ranked[0])
    assert "nearer_than_current" not in codes(ranked[1])


def test_the_needs_an_offer_could_serve_are_ranked_the_same_way() -> None:
    needs = [
        need(key=1, place=ELSEWHERE),
        need(key=2, place=HOME, enterprise=101),
        need(key=3, enterprise=205),
    ]
    ranked = needs_for(offer(5), needs)
    # The need of the offer's own enterprise (205) is left out; nearer first at equal fit.
    assert [c.listing.key for c in ranked] == [2, 1]
