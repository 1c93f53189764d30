"""The published draw and its verifier: a published draw verifies; any change to its pools,
seed, entropy or result is caught and named; an announcement checks its fingerprint; the
command runs with Python alone (no Django) and answers through its exit code."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lianqi.inspections.draw import (
    Outcome,
    Parameters,
    Pools,
    announcement,
    commitment,
    draw,
    dumps,
    publication,
    verify,
)

from .helpers import SMALL_ENTERPRISES, seed, small_pools

ROOT = Path(__file__).resolve().parents[4]
RECUSALS = ((SMALL_ENTERPRISES[0], "SC01", "liaison"), (SMALL_ENTERPRISES[1], "YJ01", "conflict"))
TASK = {"title": "2026 年第四季度双随机抽查", "entropy_source": "福彩3D 第 2026327 期"}


def published() -> dict[str, Any]:
    pools = small_pools(RECUSALS)
    result = draw(pools, Parameters.build(8, {"市场监管": 1, "*": 1}), seed(1), entropy="253")
    return json.loads(dumps(publication(pools, result, task=TASK)))


def english(document: object) -> tuple[Outcome, list[str]]:
    verification = verify(document)
    return verification.outcome, [f.english() for f in verification.findings]


def test_a_published_draw_verifies():
    document = published()
    assert document["seed"] == seed(1).hex() and document["commitment"] == commitment(seed(1))
    outcome, findings = english(document)
    assert outcome is Outcome.VERIFIED
    assert findings == [
        "Verified: the pools' fingerprint and the seed's commitment match what was announced, and the 8 "
        "enterprises and their inspectors are exactly those recomputed from the published pools, parameters "
        "and seed"
    ]


def test_a_changed_pool_is_caught():
    document = published()
    document["pools"]["enterprises"].append("91430300MA4LXXXXXX")
    outcome, findings = english(document)
    assert outcome is Outcome.DIFFERS
    assert findings[0].startswith(f"The pools' fingerprint differs: published {document['fingerprint']}")
    # The pools changed the key, so the recomputed draw differs too.
    assert any("differ" in f for f in findings[1:])


def test_a_changed_seed_is_caught_by_its_commitment():
    document = published()
    document["seed"] = seed(2).hex()
    outcome, findings = english(document)
    assert outcome is Outcome.DIFFERS
    assert findings[0] == (
        f"The seed commitment differs: published {commitment(seed(1))}, the revealed seed gives {commitment(seed(2))}"
    )


def test_a_replaced_seed_and_commitment_give_another_draw():
    document = published()
    document["seed"], document["commitment"] = seed(2).hex(), commitment(seed(2))
    outcome, findings = english(document)
    assert outcome is Outcome.DIFFERS
    assert findings and all("differ" in f for f in findings)


def test_changed_entropy_is_caught():
    document = published()
    document["entropy"] = "254"
    assert verify(document).outcome is Outcome.DIFFERS


def test_a_changed_result_is_named_entry_by_entry():
    document = published()
    original = copy.deepcopy(document["result"])
    document["result"][2]["enterprise"] = "91430300MA4LXXXXXX"
    team = document["result"][5]["inspectors"]
    team[0], team[1] = team[1], team[0]
    outcome, findings = english(document)
    assert outcome is Outcome.DIFFERS
    assert findings == [
        f"Enterprise no. 3 differs: published 91430300MA4LXXXXXX, recomputed {original[2]['enterprise']}",
        f"The inspectors of enterprise {original[5]['enterprise']} differ: published {'、'.join(team)}, "
        f"recomputed {'、'.join(original[5]['inspectors'])}",
    ]
    document["result"] = original[:-1]
    assert english(document)[1] == ["The number of enterprises differs: published 7, recomputed 8"]


def test_a_result_breaking_a_recusal_is_named_as_such():
    document = published()
    document["result"][0] = {"enterprise": SMALL_ENTERPRISES[0], "inspectors": ["SC01", "YJ01"]}
    outcome, findings = english(document)
    assert outcome is Outcome.DIFFERS
    assert findings[0] == (
        f"The published result breaks a recusal: inspector SC01 is the liaison of enterprise "
        f"{SMALL_ENTERPRISES[0]} and may not inspect it"
    )
    zh = [str(f) for f in verify(document).findings]
    assert (
        zh[0]
        == f"公示结果违反回避规定：检查人员 SC01 是企业 {SMALL_ENTERPRISES[0]} 的包联干部，不得检查该企业"
    )


def test_many_differences_are_counted_after_the_first_twenty():
    pools = Pools.build([f"E{n}" for n in range(30)], small_pools().inspectors)
    result = draw(pools, Parameters.build(30, 2), seed(1))
    document = publication(pools, result)
    document["result"] = document["result"][1:] + document["result"][:1]
    findings = verify(document).findings
    assert len(findings) == 21
    assert findings[-1].english() == "10 more differences not listed"


def test_a_draw_that_should_have_been_refused_says_why():
    document = published()
    document["parameters"]["enterprises"] = 30
    outcome, findings = english(document)
    assert outcome is Outcome.DIFFERS
    assert findings == [
        "With the published pools and parameters this draw should have been refused, because:",
        "The draw asks for 30 enterprises but the pool holds 20: 10 short",
    ]


def test_an_announcement_checks_its_fingerprint():
    pools = small_pools(RECUSALS)
    document = announcement(pools, Parameters.build(8, 2), commitment(seed(1)), task=TASK)
    assert "seed" not in document and "result" not in document
    outcome, findings = english(document)
    assert outcome is Outcome.VERIFIED
    assert findings == [
        "The seed is not revealed yet: the pools' fingerprint checks out; the draw can be verified once "
        "the seed is published"
    ]
    document["pools"]["inspectors"].pop()
    assert verify(document).outcome is Outcome.DIFFERS


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d.pop("format"),
            "This is not a Lianqi published draw (the format field is missing or unknown)",
        ),
        (lambda d: d.pop("fingerprint"), "Field fingerprint is missing"),
        (lambda d: d.update(seed="00ff"), "Field seed is malformed: expected 64 lowercase hex digits"),
        (
            lambda d: d["result"].append("E1"),
            "Field result[8] is malformed: expected enterprise and inspectors",
        ),
        (lambda d: d["parameters"].update(enterprises=0), "got “0”"),
        (lambda d: d["pools"]["enterprises"].append(" E1"), "Enterprise identifier “ E1” is not valid"),
    ],
)
def test_a_malformed_document_is_refused_as_such(change, message):
    document = published()
    change(document)
    outcome, findings = english(document)
    assert outcome is Outcome.MALFORMED
    assert any(message in f for f in findings), findings


# The command, run as the public would: a fresh Python in which importing Django fails.
NO_DJANGO = """
import importlib.abc, runpy, sys
class NoDjango(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("django", "rest_framework"):
            raise ImportError("Django must not be needed to verify a draw")
sys.meta_path.insert(0, NoDjango())
sys.argv = ["verify", *sys.argv[1:]]
runpy.run_module("lianqi.inspections.draw.verify", run_name="__main__")
"""


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-c", NO_DJANGO, *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )


def test_the_command_verifies_without_django(tmp_path):
    path = tmp_path / "draw.json"
    path.write_text(dumps(published()), encoding="utf-8")
    done = run(str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("核验通过：名录库指纹和种子承诺与公示一致，8 户企业")
    document = published()
    document["result"][0]["inspectors"].reverse()
    done = run("--lang", "en", "-", stdin=json.dumps(document))
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(
        f"The inspectors of enterprise {document['result'][0]['enterprise']} differ"
    )
    path.write_text("{not json", encoding="utf-8")
    done = run("--lang", "en", str(path))
    assert done.returncode == 2
    assert done.stdout.startswith("The draw file cannot be read")
