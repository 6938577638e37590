"""Benchmark: load time into Oxigraph (Graph Store Protocol) and query latency of ``serve``.

Loopback only, bounded runs (4 s per level and kind), stops its servers by itself. The latencies are
measured by ``wrk`` (Debian package ``wrk``). Run from the checkout:
``python bench/bench_store.py [--release DIR]``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import OxigraphServer, free_port, stop, wait_until_up

from calcinosis_kg.artifacts import ensure_release
from calcinosis_kg.namespaces import BASE
from calcinosis_kg.store import Loader, endpoints, targets

ENTITIES = BASE + "entity/"

SORTED = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label WHERE {{ ?s rdfs:label ?label }} ORDER BY ?label LIMIT 50 OFFSET {offset}"""
ENTITY = "SELECT ?p ?o WHERE {{ <{entity}> ?p ?o }} LIMIT {limit}"
#: the kinds of request measured: one query asked again and again (answered from the answers
#: the endpoint keeps); a small query, different each time (one entity's statements, each run by
#: a worker); a heavier one, different each time (a page of all labels in order)
KINDS = {
    "same": lambda i, entities: SORTED.format(offset=0),
    "distinct small": lambda i, entities: ENTITY.format(entity=entities[i % len(entities)], limit=1000 + i),
    "distinct sorted": lambda i, entities: SORTED.format(offset=i),
}
#: requests prepared per level for wrk: more than it sends in the time given
PER_LEVEL = 20_000
SECONDS = 4
LATENCY = re.compile(r"^\s+(50|99)%\s+([0-9.]+)(us|ms|s)$", re.M)
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def bench_load(release: Path, runs: int = 3) -> list[float]:
    graphs = targets(release=release)
    with tempfile.TemporaryDirectory() as folder:
        server = OxigraphServer(Path(folder)).start()
        try:
            with Loader(endpoints("oxigraph", server.url)) as loader:
                return [loader.load(graphs).seconds for _ in range(runs)]
        finally:
            server.stop()


def bench_serve(release: Path, levels: list[int]) -> dict[tuple[str, int], tuple[float, float, int, int]]:
    """p50 and p99 (ms), requests answered and turned away (503 busy, 504 past the time limit
    while waiting) at each level of concurrency, measured by wrk (a C client on its own thread,
    so that the client takes little of the machine's time from the server)."""
    entities = sorted(
        {
            str(s)
            for g in targets(release=release).values()
            for s in g.subjects()
            if str(s).startswith(ENTITIES)
        }
    )
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
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/", process)
        results = {}
        asked = 0  # distinct queries are never asked twice, across levels too
        with tempfile.TemporaryDirectory() as folder:
            for kind, text in KINDS.items():
                for clients in levels:
                    script = Path(folder) / f"requests-{asked}.lua"
                    paths = (
                        f"/sparql?{urlencode({'query': text(i, entities)})}"
                        for i in range(asked, asked + PER_LEVEL)
                    )
                    script.write_text(_lua(paths), encoding="utf-8")
                    asked += PER_LEVEL
                    _wrk(url, script, clients, 1)  # warm up
                    results[kind, clients] = _wrk(url, script, clients, SECONDS)
        return results
    finally:
        stop(process)


def _lua(paths) -> str:
    """A wrk script that sends each of ``paths`` once, in turn (wrk runs it on one thread)."""
    listed = ",\n".join(f'"{path}"' for path in paths)
    return (
        f"local paths = {{\n{listed}\n}}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i], {Accept = "application/sparql-results+json"})\nend\n'
    )


def _wrk(url: str, script: Path, clients: int, seconds: int) -> tuple[float, float, int, int]:
    done = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = {share: float(value) * UNITS[unit] for share, value, unit in LATENCY.findall(done.stdout)}
    answered = int(re.search(r"(\d+) requests in", done.stdout).group(1))
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    return found["50"], found["99"], answered, int(refused.group(1)) if refused else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, help="release folder (default: the current build)")
    args = parser.parse_args()
    if not shutil.which("oxigraph", path=str(Path(sys.executable).parent)):
        sys.exit("the oxigraph server is not installed (pip install oxigraph)")
    release = args.release or ensure_release()
    triples = sum(len(g) for g in targets(release=release).values())
    loads = bench_load(release)
    print(f"{'measure':<52} {'p50':>10} {'p99':>10}")
    print(
        f"{f'load into Oxigraph, {triples} triples (GSP)':<52} {statistics.median(loads) * 1000:>8.0f}ms "
        f"{max(loads) * 1000:>8.0f}ms"
    )
    if not shutil.which("wrk"):
        sys.exit("the serve figures need wrk, the HTTP benchmarking client (apt-get install wrk)")
    for (kind, clients), (p50, p99, answered, refused) in bench_serve(release, [1, 8, 32, 64]).items():
        label = f"serve {kind} query, {clients} client(s), n={answered}"
        print(f"{label:<52} {p50:>8.1f}ms {p99:>8.1f}ms  refused: {refused}")


if __name__ == "__main__":
    main()
