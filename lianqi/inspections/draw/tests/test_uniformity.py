"""The shuffle is uniform: over many draws with fixed, distinct seeds, every ordering, every
enterprise and every pair of inspectors comes up as often as chance says (a chi-square test).
The seeds are fixed, so the test gives the same answer every run; the threshold is strict
enough that the classic wrong shuffles — swapping with any position, Sattolo's cyclic
shuffle, a modulo-biased integer — are caught on the same number of draws."""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from lianqi.inspections.draw import Parameters, Pools, draw
from lianqi.inspections.draw.randomness import Stream, shuffled

from .helpers import seed

#: Uniform draws must pass at this significance; a biased shuffle must fall below REJECTED.
ACCEPTED = 0.001
REJECTED = 1e-6
ITEMS = ("a", "b", "c", "d")
PERMUTATIONS = list(itertools.permutations(ITEMS))


def p_value(counts: Iterable[int]) -> float:
    """Upper-tail p-value of Pearson's chi-square statistic against equal expected counts,
    by the Wilson–Hilferty normal approximation (ample for telling 10⁻³ from 10⁻⁶)."""
    observed = list(counts)
    expected = sum(observed) / len(observed)
    statistic = sum((o - expected) ** 2 / expected for o in observed)
    freedom = len(observed) - 1
    z = ((statistic / freedom) ** (1 / 3) - (1 - 2 / (9 * freedom))) / math.sqrt(2 / (9 * freedom))
    return 0.5 * math.erfc(z / math.sqrt(2))


def stream(n: int) -> Stream:
    return Stream(hashlib.sha256(b"uniformity %d" % n).digest(), "enterprises")


def ordering_counts(
    shuffle: Callable[[Stream, Sequence[str]], Sequence[str]], draws: int = 24_000
) -> list[int]:
    seen = Counter(tuple(shuffle(stream(n), ITEMS)) for n in range(draws))
    return [seen[p] for p in PERMUTATIONS]


def naive(source: Stream, items: Sequence[Any]) -> list[Any]:
    """Swaps each position with any position: n^n paths onto n! orderings, so some are likelier."""
    pool = list(items)
    for i in range(len(pool)):
        j = source.below(len(pool))
        pool[i], pool[j] = pool[j], pool[i]
    return pool


def sattolo(source: Stream, items: Sequence[Any]) -> list[Any]:
    """Never leaves an item in place (an off-by-one in Fisher–Yates): only cyclic orderings."""
    pool = list(items)
    for i in range(len(pool) - 1):
        j = i + 1 + source.below(len(pool) - i - 1)
        pool[i], pool[j] = pool[j], pool[i]
    return pool


def modulo_biased(source: Stream, items: Sequence[Any]) -> list[Any]:
    """Fisher–Yates with a 4-bit random number reduced modulo n, without rejection: for n = 3
    the remainder 0 comes 6 times in 16, the others 5."""
    pool = list(items)
    for i in range(len(pool)):
        j = i + (source.next_u64() & 0xF) % (len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool


def test_every_ordering_is_equally_likely():
    counts = ordering_counts(shuffled)
    assert min(counts) > 0
    assert p_value(counts) > ACCEPTED


def test_a_biased_shuffle_would_be_caught():
    for biased in (naive, sattolo, modulo_biased):
        assert p_value(ordering_counts(biased)) < REJECTED, biased.__name__


def test_every_enterprise_and_every_pair_of_inspectors_is_equally_likely():
    pools = Pools.build(
        [f"E{n}" for n in range(10)],
        [("I1", "A"), ("I2", "A"), ("I3", "B"), ("I4", "B")],
    )
    parameters = Parameters.build(3, 2)
    chosen: Counter[str] = Counter()
    first: Counter[str] = Counter()
    pairs: Counter[frozenset[str]] = Counter()
    for n in range(4_000):
        result = draw(pools, parameters, seed(n))
        chosen.update(result.enterprises)
        first[result.enterprises[0]] += 1
        pairs[frozenset(result.assignments[0].inspectors)] += 1
    assert len(chosen) == len(first) == 10 and len(pairs) == 6
    assert p_value(chosen.values()) > ACCEPTED
    assert p_value(first.values()) > ACCEPTED
    assert p_value(pairs.values()) > ACCEPTED
    # The check has the power to notice one enterprise drawn a fifth more often than its share.
    skewed = Counter({**chosen, "E0": chosen["E0"] + chosen["E1"] // 5})
    assert p_value(skewed.values()) < ACCEPTED
