"""Benchmark: a verifiable random inspection draw (双随机一公开) at a large park's scale.

    .venv/bin/python bench/inspection_draw.py [--enterprises 100000 --inspectors 2000 --draw 1000 --repeat 5]

No database: the engine is plain Python. Generates (deterministic) a pool of 100,000
enterprises (unified social credit codes), 2,000 certified inspectors in 27 departments and
their recusals — every inspector the liaison of about 15 enterprises (30,000 liaison pairs)
and 5,000 listed conflicts — then times, best and median of `--repeat` runs:

- the draw as the platform runs it, from unsorted rows: canonical pools (validation, sorting,
  fingerprint), the shortfall check of every enterprise, 1,000 enterprises drawn with 2
  inspectors each (any department), and the published document written as JSON — target ≤ 1 s;
- a joint draw (one market-regulation and one safety inspector each), the same way;
- the verification as the public runs it: the published JSON read, the pools rebuilt and
  fingerprinted, the commitment checked and the draw recomputed and compared — target ≤ 1 s;
  and the verifier command in a fresh Python process (start-up included);

and, in the same run, a baseline that does the same job without being verifiable:
``random.Random(seed).sample`` of 1,000 enterprises from the same pool, and two inspectors
per enterprise by ``random.sample`` from the 2,000, drawn again while one is recused. Ratios to
it are printed. Results are also written to bench/results/inspection_draw.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lianqi.inspections.draw import (  # noqa: E402 (after the path)
    Outcome,
    Parameters,
    Pools,
    check,
    draw,
    dumps,
    publication,
    verify,
)

TARGET_S = 1.0
DEPARTMENTS = [f"D{n:02d}" for n in range(1, 26)] + ["市场监管", "应急管理"]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(rng: random.Random) -> str:
    """An 18-character identifier shaped like a unified social credit code (not checksummed:
    the engine treats identifiers as opaque strings)."""
    return (
        "9143"
        + "".join(rng.choice("0123456789") for _ in range(4))
        + "".join(rng.choice(ALPHABET) for _ in range(10))
    )


def generate(
    enterprises: int, inspectors: int, conflicts: int
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str, str]]]:
    rng = random.Random(2026)
    codes: set[str] = set()
    while len(codes) < enterprises:
        codes.add(credit_code(rng))
    pool = sorted(codes)  # a set's order changes with the hash seed
    rng.shuffle(pool)
    staff = [(f"43{n:06d}", DEPARTMENTS[n % len(DEPARTMENTS)]) for n in range(inspectors)]
    recusals = []
    for n, enterprise in enumerate(pool):
        if n % 100 < 30:  # 30 % of enterprises have one of the inspectors as their liaison
            recusals.append((enterprise, staff[n % inspectors][0], "liaison"))
    for _ in range(conflicts):
        recusals.append((rng.choice(pool), rng.choice(staff)[0], "conflict"))
    return pool, staff, recusals


CPU: dict[str, float] = {}


def timed(repeat: int, work: Callable[[], Any], name: str = "") -> tuple[float, float, Any]:
    """(best, median) wall seconds of `repeat` runs, and the last run's value. The best CPU
    time is kept in CPU[name]: on a shared machine it is close to what a quiet one takes."""
    times, cpu, value = [], [], None
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        value = work()
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    CPU[name] = min(cpu)
    return min(times), statistics.median(times), value


def figures(name: str, best: float, median: float) -> str:
    return f"best {best * 1000:.0f} ms, median {median * 1000:.0f} ms, CPU {CPU[name] * 1000:.0f} ms"


def baseline(
    pool: list[str],
    staff: list[tuple[str, str]],
    recusals: list[tuple[str, str, str]],
    count: int,
    per: int,
    seed: int,
) -> list[tuple[str, list[str]]]:
    """The same job, not verifiable: Python's Mersenne Twister picks the enterprises and, for
    each, `per` inspectors, drawn again while one is recused."""
    rng = random.Random(seed)
    barred: dict[str, set[str]] = {}
    for enterprise, inspector, _ in recusals:
        barred.setdefault(enterprise, set()).add(inspector)
    ids = [i for i, _ in staff]
    result = []
    for enterprise in rng.sample(pool, count):
        skip = barred.get(enterprise, set())
        while True:
            team = rng.sample(ids, per)
            if not skip.intersection(team):
                break
        result.append((enterprise, team))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--inspectors", type=int, default=2_000)
    parser.add_argument("--conflicts", type=int, default=5_000)
    parser.add_argument("--draw", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, Any] = {}

    def report(key: str, line: str, value: Any) -> None:
        results[key] = value
        print(line, flush=True)

    began = time.perf_counter()
    pool, staff, recusals = generate(args.enterprises, args.inspectors, args.conflicts)
    print(
        f"generated {len(pool):,} enterprises, {len(staff):,} inspectors in {len(DEPARTMENTS)} departments, "
        f"{len(recusals):,} recusals in {time.perf_counter() - began:.1f} s; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    seed = bytes(range(32))
    parameters = Parameters.build(args.draw, 2)
    joint = Parameters.build(args.draw, {"市场监管": 1, "应急管理": 1})

    def run_draw(params: Parameters) -> tuple[str, Any]:
        pools = Pools.build(pool, staff, recusals)
        result = draw(pools, params, seed, entropy="253")
        return dumps(publication(pools, result)), result

    base_best, base_median, base = timed(
        args.repeat, lambda: baseline(pool, staff, recusals, args.draw, 2, 1), "baseline"
    )
    assert len(base) == args.draw
    report(
        "baseline_s",
        f"baseline (random.Random.sample, not verifiable): {figures('baseline', base_best, base_median)}",
        [base_best, base_median, CPU["baseline"]],
    )
    sample_best, _, _ = timed(args.repeat, lambda: random.Random(1).sample(pool, args.draw))
    report(
        "baseline_sample_s",
        f"  of which sampling the enterprises alone: {sample_best * 1000:.2f} ms",
        sample_best,
    )

    def ratios(name: str, best: float) -> str:
        return f"{best / base_best:.1f}× the baseline (best), {CPU[name] / CPU['baseline']:.1f}× (CPU)"

    best, median, (text, result) = timed(args.repeat, lambda: run_draw(parameters), "draw")
    report(
        "draw_s",
        f"draw, {args.draw:,} enterprises × 2 inspectors: {figures('draw', best, median)} — target ≤ "
        f"{TARGET_S:.0f} s; {ratios('draw', best)}",
        [best, median, CPU["draw"]],
    )
    # Where the time goes (best CPU of each).
    _, _, pools = timed(args.repeat, lambda: Pools.build(pool, staff, recusals), "pools")
    timed(args.repeat, lambda: Pools.build(pool, staff, recusals).fingerprint, "fingerprint")
    timed(args.repeat, lambda: check(pools, parameters), "check")
    timed(args.repeat, lambda: draw(pools, parameters, seed, entropy="253"), "draw_only")
    timed(args.repeat, lambda: dumps(publication(pools, result)), "document")
    parts = {
        "pools": CPU["pools"],
        "fingerprint": CPU["fingerprint"] - CPU["pools"],
        "check": CPU["check"],
        "draw": CPU["draw_only"] - CPU["check"],
        "document": CPU["document"],
    }
    report(
        "draw_parts_cpu_s",
        f"  CPU: canonical pools {parts['pools'] * 1000:.0f} ms, fingerprint {parts['fingerprint'] * 1000:.0f} ms, "
        f"check {parts['check'] * 1000:.0f} ms, shuffles and teams {parts['draw'] * 1000:.0f} ms, "
        f"document {parts['document'] * 1000:.0f} ms ({len(text.encode()) / 2**20:.1f} MB)",
        parts,
    )
    loads = result.loads()
    recused = {(enterprise, inspector) for enterprise, inspector, _ in pools.recusals}
    broken = sum((a.enterprise, i) in recused for a in result.assignments for i in a.inspectors)
    hit = sum(a.enterprise in pools.recusal_counts for a in result.assignments)
    report(
        "draw_checks",
        f"  {len(loads):,} inspectors used, load {min(loads.values())}–{max(loads.values())}; "
        f"{hit} drawn enterprises had recusals, {broken} broken",
        {"inspectors_used": len(loads), "recusals_broken": broken},
    )
    assert broken == 0
    best_j, median_j, _ = timed(args.repeat, lambda: run_draw(joint), "joint")
    report(
        "joint_draw_s",
        f"joint draw (市场监管 1 + 应急管理 1 each): {figures('joint', best_j, median_j)}; {ratios('joint', best_j)}",
        [best_j, median_j, CPU["joint"]],
    )

    def run_verify() -> Outcome:
        return verify(json.loads(text)).outcome

    best_v, median_v, outcome = timed(args.repeat, run_verify, "verify")
    assert outcome is Outcome.VERIFIED
    timed(args.repeat, lambda: json.loads(text), "read")
    report(
        "verify_s",
        f"verification from the published JSON: {figures('verify', best_v, median_v)} — target ≤ {TARGET_S:.0f} s; "
        f"{ratios('verify', best_v)} (reading the JSON alone: CPU {CPU['read'] * 1000:.0f} ms)",
        [best_v, median_v, CPU["verify"]],
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
        handle.write(text)
    command = [sys.executable, "-m", "lianqi.inspections.draw.verify", handle.name]
    best_c, median_c, done = timed(
        3, lambda: subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    )
    Path(handle.name).unlink()
    assert done.returncode == 0, done.stdout + done.stderr
    report(
        "verify_command_s",
        f"verifier command, fresh process: best {best_c * 1000:.0f} ms, median {median_c * 1000:.0f} ms "
        f"(Python start-up included)",
        [best_c, median_c],
    )
    out = ROOT / "bench" / "results" / "inspection_draw.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
