"""Benchmark of the pipeline: parse, reason, validate and serialize, with peak memory.

Runs each case in its own process (so that peak memory is its own) and prints a table.
Cases: the real graph and synthetic graphs shaped like it (claims, entities, hierarchy).

    python bench/bench_pipeline.py                       # real, 1e4, 1e5, 1e6 triples
    python bench/bench_pipeline.py --sizes 10000 --owlrl-up-to 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_case(case: str, reasoner: str, validate_up_to: int) -> dict:
    """Time each step of one case in this process; return the figures."""
    sys.path.insert(0, str(HERE))
    from calcinosis_kg.loading import load_graph, parse_file
    from calcinosis_kg.reasoning import reason
    from calcinosis_kg.resources import shapes_file
    from calcinosis_kg.serialize import to_bytes
    from calcinosis_kg.validation import validate

    figures: dict = {"case": case, "reasoner": reasoner}
    with tempfile.TemporaryDirectory() as folder:
        extra = []
        if case != "real":
            from synthetic import synthetic_kb

            path = Path(folder) / "synthetic.nt"
            synthetic_kb(int(case)).serialize(path, format="nt", encoding="utf-8")
            extra = [path]
        started = time.perf_counter()
        graph = load_graph(*extra, kb=case == "real")
        figures["parse"] = time.perf_counter() - started
    figures["triples"] = len(graph)
    started = time.perf_counter()
    result = reason(graph, reasoner=reasoner)
    figures["reason"] = time.perf_counter() - started
    figures["inferred"] = len(result.inferred)
    merged = result.merged
    if len(graph) <= validate_up_to:
        shapes = parse_file(shapes_file())
        started = time.perf_counter()
        validate(merged, shapes)
        figures["validate"] = time.perf_counter() - started
    started = time.perf_counter()
    to_bytes(merged, "nt")
    figures["serialize"] = time.perf_counter() - started
    figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--owlrl-up-to", type=int, default=10_000, help="also time owlrl up to this size")
    parser.add_argument("--validate-up-to", type=int, default=200_000, help="skip SHACL above this size")
    parser.add_argument("--one", nargs=2, metavar=("CASE", "REASONER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_case(args.one[0], args.one[1], args.validate_up_to)))
        return 0
    cases = [("real", "reasonable"), ("real", "owlrl")]
    for size in args.sizes:
        cases.append((str(size), "reasonable"))
        if size <= args.owlrl_up_to:
            cases.append((str(size), "owlrl"))
    header = f"{'case':>9} {'reasoner':>10} {'triples':>9} {'inferred':>9} {'parse s':>8} {'reason s':>9} "
    header += f"{'validate s':>10} {'serialize s':>11} {'total s':>8} {'peak MiB':>9}"
    print(header)
    print("-" * len(header))
    for case, reasoner in cases:
        done = subprocess.run(
            [sys.executable, __file__, "--one", case, reasoner, "--validate-up-to", str(args.validate_up_to)],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            print(f"{case:>9} {reasoner:>10} failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        f = json.loads(done.stdout)
        validate = f.get("validate")
        total = f["parse"] + f["reason"] + (validate or 0) + f["serialize"]
        print(
            f"{case:>9} {reasoner:>10} {f['triples']:>9} {f['inferred']:>9} "
            f"{f['parse']:>8.2f} {f['reason']:>9.2f} "
            f"{(f'{validate:.2f}' if validate is not None else 'skipped'):>10} {f['serialize']:>11.2f} "
            f"{total:>8.2f} {f['peak_mib']:>9.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
