"""Small pools and strategies shared by the draw's tests."""

from __future__ import annotations

import hashlib

from hypothesis import strategies as st

from lianqi.inspections.draw import Pools


def seed(n: int) -> bytes:
    """A fixed 32-byte seed per number: deterministic tests, distinct seeds."""
    return hashlib.sha256(b"test seed %d" % n).digest()


#: The enterprises of `small_pools`.
SMALL_ENTERPRISES = [f"9143030{n:02d}MA4L00000X" for n in range(20)]


def small_pools(recusals: tuple[tuple[str, str, str], ...] = ()) -> Pools:
    """Twenty enterprises, eight inspectors in three departments."""
    return Pools.build(
        SMALL_ENTERPRISES,
        [
            ("SC01", "市场监管"),
            ("SC02", "市场监管"),
            ("SC03", "市场监管"),
            ("YJ01", "应急管理"),
            ("YJ02", "应急管理"),
            ("YJ03", "应急管理"),
            ("HB01", "生态环境"),
            ("HB02", "生态环境"),
        ],
        recusals,
    )


DEPARTMENTS = ("A", "B", "C")


@st.composite
def draws(draw: st.DrawFn) -> tuple[Pools, dict[str, int], int, bytes]:
    """Random small pools with recusals, a team (departments and/or any), a count and a seed."""
    enterprises = [f"E{n}" for n in range(draw(st.integers(1, 12)))]
    inspectors = [(f"I{n}", draw(st.sampled_from(DEPARTMENTS))) for n in range(draw(st.integers(1, 10)))]
    recusals = draw(
        st.lists(
            st.tuples(
                st.sampled_from(enterprises),
                st.sampled_from([i for i, _ in inspectors]),
                st.sampled_from(["liaison", "conflict"]),
            ),
            max_size=12,
        )
    )
    team = draw(st.dictionaries(st.sampled_from((*DEPARTMENTS, "*")), st.integers(1, 2), min_size=1))
    count = draw(st.integers(1, len(enterprises) + 1))  # now and then one too many
    return Pools.build(enterprises, inspectors, recusals), team, count, seed(draw(st.integers(0, 10**6)))
