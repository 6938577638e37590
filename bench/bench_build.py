"""Benchmark of the whole build of the real graph, step by step, over several runs.

Each run is a fresh process that calls ``calcinosis_kg.build`` (as ``calcinosis-kg build``
does) into a temporary folder; the table gives the median, the fastest and the slowest run
of each step, of their sum, and of the process from start to exit (imports included). The
last row times a fixed pure-Python loop in the same process: on a shared machine whose speed
varies, it tells a slow run from a slow build.

    python bench/bench_build.py              # 5 runs
    python bench/bench_build.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time

STEPS = ("load", "reason", "validate", "check", "write")


def one_build(out_dir: str) -> dict:
    """Build into ``out_dir``; return the step timings and the reference loop's time."""
    from calcinosis_kg import build

    result = build(out_dir)
    if not result.ok:
        raise SystemExit(f"the build failed: {result.errors or result.violations[:3] or result.quality}")
    started = time.perf_counter()
    total = 0
    for number in range(1_000_000):
        total += number
    return {**result.timings, "reference loop": time.perf_counter() - started}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one", metavar="OUT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_build(args.one)))
        return 0
    rows: dict[str, list[float]] = {
        step: [] for step in (*STEPS, "sum of steps", "process", "reference loop")
    }
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--one", folder], capture_output=True, text=True, check=True
            )
            rows["process"].append(time.perf_counter() - started)
        timings = json.loads(done.stdout)
        for step in STEPS:
            rows[step].append(timings[step])
        rows["sum of steps"].append(sum(timings[step] for step in STEPS))
        rows["reference loop"].append(timings["reference loop"])
    print(f"{'step':<14} {'median s':>9} {'min s':>7} {'max s':>7}   ({args.runs} runs)")
    print("-" * 42)
    for step, values in rows.items():
        print(f"{step:<14} {statistics.median(values):>9.2f} {min(values):>7.2f} {max(values):>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
