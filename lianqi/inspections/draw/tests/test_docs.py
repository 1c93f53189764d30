"""The worked example of docs/inspection-draws.md, number by number: whoever reimplements the
algorithm from the page can trust every figure on it, and the example file it points to
verifies."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lianqi.inspections.draw import Outcome, Parameters, Pools, draw, dumps, publication, verify
from lianqi.inspections.draw.randomness import ENTERPRISE_STREAM, INSPECTOR_STREAM, Stream, draw_key, shuffled

from . import reference

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "worked-example.json"
DOC = reference.docs_text().split("## Worked example", 1)[1].split("## Reference implementation", 1)[0]
SEED = bytes(range(32))
ENTROPY = "204"


def example_pools() -> Pools:
    """The example as the page describes it in words."""
    return Pools.build(
        [f"E0{n}" for n in range(1, 9)],
        [
            ("SC001", "市场监管"),
            ("SC002", "市场监管"),
            ("SC003", "市场监管"),
            ("YJ001", "应急管理"),
            ("YJ002", "应急管理"),
        ],
        [("E03", "SC001", "liaison"), ("E05", "YJ002", "conflict")],
    )


PARAMETERS = Parameters.build(3, {"市场监管": 1, "*": 1})


def documented(name: str) -> str:
    found = re.search(rf"^\| {re.escape(name)} \| `([0-9a-f]+)` \|$", DOC, re.M)
    assert found, name
    return found.group(1)


def code_blocks() -> list[str]:
    return re.findall(r"```\n(.*?)\n```", DOC, re.S)


def test_canonical_forms_and_hashes_are_those_printed():
    pools = example_pools()
    assert code_blocks()[0] == pools.canonical.decode("utf-8")
    assert f"Canonical pools ({len(pools.canonical)} bytes)" in DOC
    assert code_blocks()[1] == PARAMETERS.canonical.decode("utf-8")
    assert documented("fingerprint") == pools.fingerprint
    assert documented("seed") == SEED.hex()
    result = draw(pools, PARAMETERS, SEED, entropy=ENTROPY)
    assert documented("commitment") == result.commitment
    key = draw_key(SEED, pools.fingerprint, PARAMETERS.canonical, ENTROPY)
    assert documented("key") == key.hex()
    stream = Stream(key, ENTERPRISE_STREAM)
    block = b"".join(stream.next_u64().to_bytes(8, "big") for _ in range(4))
    assert documented("block 0 of stream `enterprises`") == block.hex()


def shuffle_rows(title: str) -> list[list[str]]:
    table = DOC.split(title, 1)[1].split("\n\n", 2)[1]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def test_the_shuffle_tables_are_the_streams_numbers():
    pools = example_pools()
    key = draw_key(SEED, pools.fingerprint, PARAMETERS.canonical, ENTROPY)
    for title, label, items, count in (
        ("Enterprises (stream `enterprises`", ENTERPRISE_STREAM, list(pools.enterprises), 3),
        ("Inspector ranks (stream `inspectors`", INSPECTOR_STREAM, [i.id for i in pools.inspectors], 5),
    ):
        rows = shuffle_rows(title)
        original = list(items)
        assert len(rows) == count
        stream = Stream(key, label)
        for i, row in enumerate(rows):
            x = stream.next_u64()
            size = len(items) - i
            j = i + x % size
            items[i], items[j] = items[j], items[i]
            assert row[:5] == [str(i), str(x), str(size), str(x % size), str(j)]
            assert row[-1] == " ".join(items)
        # The table's hand-worked steps are the engine's shuffle.
        assert items[:count] == shuffled(Stream(key, label), original, count)
    assert "Drawn, in order: **E03, E08, E05**." in DOC


def test_the_teams_are_those_printed_and_the_example_file_verifies():
    pools = example_pools()
    result = draw(pools, PARAMETERS, SEED, entropy=ENTROPY)
    assert result.enterprises == ["E03", "E08", "E05"]
    for assignment in result.assignments:
        assert f"- **{assignment.enterprise}** —" in DOC
        assert f"Team **{', '.join(assignment.inspectors)}**." in DOC
    ranked = shuffled(
        Stream(draw_key(SEED, pools.fingerprint, PARAMETERS.canonical, ENTROPY), INSPECTOR_STREAM),
        pools.inspectors,
    )
    assert "Ranks: " + ", ".join(f"{i.id} {rank}" for rank, i in enumerate(ranked)) in " ".join(DOC.split())
    loads = result.loads()
    by_load = sorted(ranked, key=lambda i: -loads[i.id])  # stable: ties stay in rank order
    assert "Final loads: " + ", ".join(f"{i.id} {loads[i.id]}" for i in by_load) in DOC
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert verify(document).outcome is Outcome.VERIFIED
    expected = json.loads(dumps(publication(pools, result, task=document["task"])))
    assert document == expected
    assert reference.recompute(document) == document["result"]
