"""The pools' canonical form and fingerprint: the same pools in any order give the same bytes,
any change a reader could care about changes the fingerprint, and malformed pools are refused
with every problem named."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lianqi.inspections.draw import ANY, InvalidParameters, InvalidPools, Parameters, Pools, Reason, Recusal
from lianqi.inspections.draw.pools import _invalid, valid_identifier

from .helpers import SMALL_ENTERPRISES, small_pools

ENTERPRISES = ["91430300MA4L00001X", "91430300MA4L00002X", "91430300MA4L00003X"]
INSPECTORS = [("SC01", "市场监管"), ("YJ01", "应急管理"), ("SC02", "市场监管")]
RECUSALS = [("91430300MA4L00002X", "SC01", "liaison")]


def test_canonical_form_is_sorted_compact_utf8_json():
    pools = Pools.build(ENTERPRISES[::-1], INSPECTORS, RECUSALS)
    text = pools.canonical.decode("utf-8")
    assert text.startswith('{"enterprises":["91430300MA4L00001X","91430300MA4L00002X","91430300MA4L00003X"],')
    assert '{"department":"市场监管","id":"SC01"},{"department":"市场监管","id":"SC02"}' in text
    assert " " not in text and "\\u" not in text  # no whitespace, Chinese written as itself
    assert json.loads(text) == pools.to_json()
    # Anyone can recompute the fingerprint from the canonical bytes with a plain SHA-256.
    assert pools.fingerprint == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_order_and_repeats_do_not_change_the_fingerprint():
    one = Pools.build(ENTERPRISES, INSPECTORS, RECUSALS)
    other = Pools.build(
        [*ENTERPRISES[::-1], ENTERPRISES[0]], [*INSPECTORS[::-1], INSPECTORS[0]], RECUSALS * 2
    )
    assert one == other
    assert one.fingerprint == other.fingerprint


@pytest.mark.parametrize(
    "change",
    [
        "add enterprise",
        "drop enterprise",
        "rename enterprise",
        "add inspector",
        "move inspector",
        "add recusal",
        "change reason",
    ],
)
def test_any_change_to_the_pools_changes_the_fingerprint(change):
    enterprises, inspectors, recusals = list(ENTERPRISES), list(INSPECTORS), list(RECUSALS)
    if change == "add enterprise":
        enterprises.append("91430300MA4L00004X")
    elif change == "drop enterprise":
        enterprises.pop()
    elif change == "rename enterprise":
        enterprises[2] = "91430300MA4L00003Y"
    elif change == "add inspector":
        inspectors.append(("YJ02", "应急管理"))
    elif change == "move inspector":
        inspectors[1] = ("YJ01", "市场监管")
    elif change == "add recusal":
        recusals.append(("91430300MA4L00001X", "YJ01", "conflict"))
    else:
        recusals[0] = ("91430300MA4L00002X", "SC01", "conflict")
    original = Pools.build(ENTERPRISES, INSPECTORS, RECUSALS)
    changed = Pools.build(enterprises, inspectors, recusals)
    assert changed.fingerprint != original.fingerprint


def test_recusals_outside_the_pools_are_left_out():
    pools = Pools.build(
        ENTERPRISES,
        INSPECTORS,
        [*RECUSALS, ("elsewhere", "SC01", "liaison"), (ENTERPRISES[0], "nobody", "conflict")],
    )
    assert pools.recusals == (Recusal("91430300MA4L00002X", "SC01", Reason.LIAISON),)
    assert pools.fingerprint == Pools.build(ENTERPRISES, INSPECTORS, RECUSALS).fingerprint


def test_malformed_pools_are_refused_with_every_problem():
    with pytest.raises(InvalidPools) as refused:
        Pools.build(
            ["91430300MA4L00001X", " padded", "", "bad\nline", "x" * 101],
            [("SC01", "市场监管"), ("SC01", "应急管理"), ("SC02", "*")],
            [("91430300MA4L00001X", "SC01", "friendship")],
        )
    texts = [str(message) for message in refused.value.messages()]
    assert sum("标识" in t and "无效" in t for t in texts) == 4
    assert "检查人员 SC01 同时属于两个部门：市场监管 和 应急管理" in texts
    assert "部门“*”不是有效的部门代码" in texts
    assert any("friendship" in t for t in texts)
    english = [message.english() for message in refused.value.messages()]
    assert "Inspector SC01 belongs to two departments: 市场监管 and 应急管理" in english


def test_pools_read_back_from_their_published_form():
    pools = small_pools(((SMALL_ENTERPRISES[5], "SC01", "liaison"),))
    assert len(pools.recusals) == 1
    assert Pools.from_json(json.loads(pools.canonical)) == pools
    with pytest.raises(InvalidPools, match=r"pools\.inspectors"):
        Pools.from_json({**pools.to_json(), "inspectors": [{"id": "SC01"}]})


def test_parameters_order_the_groups_departments_first_then_any():
    parameters = Parameters.build(5, {ANY: 1, "应急管理": 1, "市场监管": 2})
    assert parameters.team == (("市场监管", 2), ("应急管理", 1), (ANY, 1))
    assert parameters.team_size == 4
    assert Parameters.build(5, 2).team == ((ANY, 2),)
    assert parameters.canonical.decode() == '{"enterprises":5,"team":{"*":1,"市场监管":2,"应急管理":1}}'


def test_malformed_parameters_are_refused():
    with pytest.raises(InvalidParameters) as refused:
        Parameters.build(0, {"市场监管": True, "应急管理": -1, " x": 1})
    texts = [m.english() for m in refused.value.messages()]
    assert texts[0] == "The number of enterprises to draw must be a positive whole number, got “0”"
    assert len(texts) == 4
    with pytest.raises(InvalidParameters, match="至少需要一名"):
        Parameters.build(3, {})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.sampled_from("9143AB市场 \t\x00\x1f\x7f\x85\u3000\ud800"), max_size=6),
            st.text(alphabet="0123456789", min_size=99, max_size=102),
        ),
        min_size=1,
        max_size=8,
    )
)
@example(["1\t1"])  # a control character inside an identifier, between two valid ones
def test_a_whole_pool_is_checked_as_each_identifier_alone(values):
    # The pool is checked in one pass over all identifiers joined; it must refuse exactly the
    # identifiers that fail on their own.
    values = list(set(values))
    assert sorted(_invalid(values)) == sorted(v for v in values if not valid_identifier(v))
