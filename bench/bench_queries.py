"""Median latency of each canned query on rdflib and pyoxigraph, and the CLI cold start.

Run: ``.venv/bin/python bench/bench_queries.py [--runs N]`` (builds the release first if needed).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from calcinosis_kg.artifacts import DATASET_FILE, ensure_release
from calcinosis_kg.sparql import list_queries, run_query


def median_ms(name: str, engine: str, dataset, runs: int, params: dict) -> float:
    run_query(name, engine=engine, dataset=dataset, timeout=None, **params)  # load and warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run_query(name, engine=engine, dataset=dataset, timeout=None, **params)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    dataset = ensure_release() / DATASET_FILE
    print(f"{'query':<28} {'params':<8} {'rdflib ms':>10} {'oxigraph ms':>12}")
    for header in list_queries():
        params = {p["name"]: p["example"] for p in header.get("params") or [] if p.get("required")}
        label = "example" if params else "default"
        slow = median_ms(header["name"], "rdflib", dataset, args.runs, params)
        fast = median_ms(header["name"], "oxigraph", dataset, args.runs, params)
        print(f"{header['name']:<28} {label:<8} {slow:>10.1f} {fast:>12.1f}")
    command = [sys.executable, "-m", "calcinosis_kg", "query", "types"]
    subprocess.run(command, check=True, capture_output=True)
    cold = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cold.append(time.perf_counter() - started)
    print(
        f"\ncold start of 'calcinosis-kg query types': "
        f"median {statistics.median(cold):.2f} s over {args.runs} runs"
    )


if __name__ == "__main__":
    main()
