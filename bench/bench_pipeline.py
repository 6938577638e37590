"""Benchmark of the build of a user's data: synthetic data shaped like ours, 10^4 to 10^6 triples.

For each size, one process writes the synthetic data to an N-Triples file (not timed); another
runs ``build(out, data=[file])``, so that its peak memory is the build's own: it loads it with the
ontology and the knowledge base, reasons, runs the quality checks, validates every shape and
writes the artifacts (the graph files are made while the shapes are checked, so ``validate``
includes them and ``write`` is what is left). The table gives each step's seconds, the total,
the seconds per 10^5 asserted triples (constant when the cost grows linearly) and the peak
resident memory.

    python bench/bench_pipeline.py                       # 1e4, 1e5, 1e6 triples
    python bench/bench_pipeline.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = ("load", "reason", "check", "validate", "write")


def write_case(size: int, path: Path) -> None:
    """Write ``size`` synthetic triples to ``path`` (N-Triples)."""
    sys.path.insert(0, str(HERE))
    from synthetic import synthetic_kb

    synthetic_kb(size).serialize(path, format="nt", encoding="utf-8")


def run_case(path: Path) -> dict:
    """Build with the data of ``path`` in this process; return the figures."""
    from calcinosis_kg.build import build

    with tempfile.TemporaryDirectory() as folder:
        result = build(folder, data=[path])
    return {
        "ok": result.ok,
        "asserted": result.counts["asserted"],
        "inferred": result.counts["inferred"],
        **result.timings,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def one_case(size: int) -> dict:
    """The figures of a build of ``size`` synthetic triples, in processes of their own."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.nt"
        subprocess.run([sys.executable, __file__, "--write", str(size), str(path)], check=True)
        done = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return {"size": size, **json.loads(done.stdout)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write_case(int(args.write[0]), Path(args.write[1]))
        return 0
    if args.one:
        print(json.dumps(run_case(args.one)))
        return 0
    header = f"{'size':>9} {'asserted':>9} {'inferred':>9} {'ok':>5}"
    header += (
        "".join(f" {step + ' s':>10}" for step in STEPS) + f" {'total s':>8} {'s/1e5':>6} {'peak MiB':>9}"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        try:
            f = one_case(size)
        except RuntimeError as exc:
            print(f"{size:>9} failed: {exc}", flush=True)
            continue
        total = sum(f[step] for step in STEPS)
        print(
            f"{f['size']:>9} {f['asserted']:>9} {f['inferred']:>9} {f['ok']!s:>5}"
            + "".join(f" {f[step]:>10.2f}" for step in STEPS)
            + f" {total:>8.2f} {total / f['asserted'] * 1e5:>6.2f} {f['peak_mib']:>9.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
