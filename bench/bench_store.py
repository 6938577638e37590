"""Benchmark: load time into Oxigraph (Graph Store Protocol) and query latency of ``serve``.

Loopback only, bounded request counts, stops its servers by itself. Run from the checkout:
``python bench/bench_store.py [--release DIR] [--requests 200]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import OxigraphServer, free_port, stop, wait_until_up

from calcinosis_kg.artifacts import ensure_release
from calcinosis_kg.store import Loader, endpoints, targets

QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label WHERE {{ ?s rdfs:label ?label }} ORDER BY ?label LIMIT 50 OFFSET {offset}"""
#: the two kinds of request measured: one query asked again and again (answered from the
#: answers the endpoint keeps), and a different query each time (each run by a worker)
KINDS = {"same": lambda i: QUERY.format(offset=0), "distinct": lambda i: QUERY.format(offset=i)}


def bench_load(release: Path, runs: int = 3) -> list[float]:
    graphs = targets(release=release)
    with tempfile.TemporaryDirectory() as folder:
        server = OxigraphServer(Path(folder)).start()
        try:
            with Loader(endpoints("oxigraph", server.url)) as loader:
                return [loader.load(graphs).seconds for _ in range(runs)]
        finally:
            server.stop()


def bench_serve(
    release: Path, levels: list[int], requests: int
) -> dict[tuple[str, int], tuple[list[float], int]]:
    """Latencies of ``requests`` small queries at each level of concurrency, and how many were
    turned away (503 busy, 504 past the time limit while waiting)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "calcinosis_kg",
            "-q",
            "serve",
            "--port",
            str(port),
            "--workers",
            "4",
            "--queue",
            "64",
            "--release",
            str(release),
        ]
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process)
        results = {}
        asked = 0  # distinct queries are never asked twice, across levels too
        for kind, text in KINDS.items():
            for clients in levels:
                limits = httpx.Limits(max_connections=clients)
                with httpx.Client(trust_env=False, limits=limits, timeout=60) as client:

                    def one(i: int, client=client, text=text):
                        started = time.perf_counter()
                        response = client.get(url, params={"query": text(i)})
                        if response.status_code not in (503, 504):
                            response.raise_for_status()
                        return time.perf_counter() - started, response.status_code != 200

                    with ThreadPoolExecutor(clients) as pool:
                        list(pool.map(one, range(asked, asked + clients)))  # warm up
                        answers = list(pool.map(one, range(asked + clients, asked + clients + requests)))
                    asked += clients + requests
                results[kind, clients] = ([t for t, busy in answers if not busy], sum(b for _, b in answers))
        return results
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, help="release folder (default: the current build)")
    parser.add_argument("--requests", type=int, default=200, help="requests per concurrency level")
    args = parser.parse_args()
    if not shutil.which("oxigraph", path=str(Path(sys.executable).parent)):
        sys.exit("the oxigraph server is not installed (pip install oxigraph)")
    release = args.release or ensure_release()
    triples = sum(len(g) for g in targets(release=release).values())
    loads = bench_load(release)
    print(f"{'measure':<44} {'p50':>10} {'p99':>10}")
    print(
        f"{f'load into Oxigraph, {triples} triples (GSP)':<44} {statistics.median(loads) * 1000:>8.0f}ms "
        f"{max(loads) * 1000:>8.0f}ms"
    )
    for (kind, clients), (times, refused) in bench_serve(release, [1, 8, 32, 64], args.requests).items():
        p99 = sorted(times)[max(0, int(len(times) * 0.99) - 1)]
        label = f"serve {kind} query, {clients} client(s), n={len(times)}"
        print(
            f"{label:<44} {statistics.median(times) * 1000:>8.1f}ms {p99 * 1000:>8.1f}ms  refused: {refused}"
        )


if __name__ == "__main__":
    main()
