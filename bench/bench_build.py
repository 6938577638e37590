"""Benchmark of the whole build of the real graph, step by step, over several runs, against the
same work done plainly with rdflib, owlrl and pyshacl.

Each run is the command a user runs, ``python -m calcinosis_kg build``, into a temporary folder;
the table gives the median, the fastest and the slowest run of each step (as the command reports
it on stderr), of their sum, and of the process from start to exit (imports included), on a
machine where no build ran before (the documentation is made); then the process of a build into
another folder and of a rebuild into the same one, which use the documentation kept from the
first (made from the same ontology and code). The last
row times a fixed pure-Python loop before each run: on a shared machine whose speed varies, it
tells a slow run from a slow build. Between the builds, interleaved, a process does the same
with the plain libraries over the same files: parse them with rdflib, reason with owlrl, validate
with pyshacl (every shape) and write the merged graph; the last line compares the medians.

    python bench/bench_build.py              # 5 runs
    python bench/bench_build.py --runs 9
    python bench/bench_build.py --tree ../old --tree .   # two checkouts, runs interleaved
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ("load", "reason", "check", "validate", "docs", "write")
#: the steps every build reports (``docs`` is absent with --no-docs and in older checkouts)
REQUIRED = set(STEPS) - {"docs"}
STEP_LINE = re.compile(rf"^({'|'.join(STEPS)})\s+([0-9.]+) s$", re.M)


def one_build(out_dir: str, home: str, tree: str | None = None) -> dict[str, float]:
    """Build into ``out_dir`` with the command (of the checkout ``tree``, if given), keeping what
    it keeps between builds in ``home``; return each step's seconds and the process's."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "calcinosis_kg", "build", "--out", out_dir],
        capture_output=True,
        text=True,
        cwd=tree,  # python -m imports the package of the working folder first
        env={**os.environ, "CALCINOSIS_KG_HOME": home},
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the build failed ({done.returncode}):\n{done.stderr}")
    timings = {step: float(seconds) for step, seconds in STEP_LINE.findall(done.stderr)}
    if not set(timings) >= REQUIRED:
        raise SystemExit(f"the build did not report every step:\n{done.stderr}")
    return {**timings, "sum of steps": sum(timings.values()), "process": elapsed}


def compiled_kb(path: str) -> None:
    """Write the knowledge base, compiled from its tables, to ``path`` (N-Triples), for the plain build."""
    import pyoxigraph as ox

    from calcinosis_kg.loading import load_parts

    ox.serialize(load_parts()["kb"], path, format=ox.RdfFormat.N_TRIPLES)


def plain_build(out_dir: str, kb: str) -> None:
    """Load, reason, validate and write with rdflib, owlrl and pyshacl alone (run in a process):
    the ontology, and the knowledge base as :func:`compiled_kb` wrote it."""
    import owlrl
    import pyshacl
    from rdflib import Graph

    from calcinosis_kg.resources import ontology_file, shapes_file

    graph = Graph()
    graph.parse(ontology_file(), format="turtle")
    graph.parse(kb, format="nt")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    shapes = Graph().parse(shapes_file(), format="turtle")
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    report.serialize(f"{out_dir}/validation-report.ttl", format="turtle")
    graph.serialize(f"{out_dir}/merged.nt", format="nt", encoding="utf-8")


def one_plain_build(out_dir: str, kb: str) -> float:
    """Seconds for :func:`plain_build` in a process of its own, from start to exit."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--plain", out_dir, kb], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the plain build failed:\n{done.stderr}")
    return time.perf_counter() - started


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop."""
    started = time.perf_counter()
    total = 0
    for number in range(1_000_000):
        total += number
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--tree",
        action="append",
        metavar="DIR",
        help="a checkout to build with (repeatable; runs interleave)",
    )
    parser.add_argument("--plain", nargs=2, metavar=("DIR", "KB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain:
        plain_build(*args.plain)
        return 0
    kb = tempfile.NamedTemporaryFile(suffix=".nt", delete=False).name  # noqa: SIM115 (removed below)
    compiled_kb(kb)
    trees = args.tree or [None]
    plain: list[float] = []
    rows: dict[str | None, dict[str, list[float]]] = {tree: {} for tree in trees}
    for _ in range(args.runs):
        for tree in trees:
            loop = reference_loop()
            with tempfile.TemporaryDirectory() as home:
                first = one_build(f"{home}/first", home, tree)  # nothing kept: documentation made
                other = one_build(f"{home}/other", home, tree)["process"]  # documentation kept
                again = one_build(f"{home}/first", home, tree)["process"]
                found = {**first, "new folder": other, "rebuild": again, "reference loop": loop}
                for name, seconds in found.items():
                    rows[tree].setdefault(name, []).append(seconds)
        with tempfile.TemporaryDirectory() as folder:
            plain.append(one_plain_build(folder, kb))
    Path(kb).unlink()
    for tree, table in rows.items():
        where = f", {tree}" if tree else ""
        print(f"{'step':<14} {'median s':>9} {'min s':>7} {'max s':>7}   ({args.runs} runs{where})")
        print("-" * 42)
        for step, values in table.items():
            print(f"{step:<14} {statistics.median(values):>9.2f} {min(values):>7.2f} {max(values):>7.2f}")
        print()
    print(f"{'plain process':<14} {statistics.median(plain):>9.2f} {min(plain):>7.2f} {max(plain):>7.2f}")
    print("  (rdflib parse, owlrl, pyshacl, rdflib write; same files, runs interleaved with the builds)")
    for tree, table in rows.items():
        for row in ("process", "new folder", "rebuild"):
            speedup = statistics.median(plain) / statistics.median(table[row])
            print(f"build {row} {speedup:.1f}x faster than plain{f' ({tree})' if tree else ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
