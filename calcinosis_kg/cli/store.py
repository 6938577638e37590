"""Subcommands ``export``, ``mappings``, ``load`` and ``serve``.

``load`` exit codes: 0 loaded and verified; 1 the store refused or garbled the load (the
target graphs were left as they were); 2 usage error, or the store could not be reached or
the connection dropped.
"""

from __future__ import annotations

import argparse
import gzip
import logging
import sys
from pathlib import Path

from ..describe import describe, distribution_name
from ..export import FORMATS, SELECTIONS, export, graphs_to_bytes, read_release, select
from ..serialize import to_bytes, write_atomic

log = logging.getLogger("calcinosis_kg")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the export, mappings, load and serve subcommands."""
    p = subparsers.add_parser(
        "export",
        help="write the graph (ttl, nt, nq, trig, jsonld, rdfxml), its VoID/DCAT description, or KGX tables",
        description="Formats nq and trig keep the named graphs; the others merge what --graph selects. "
        "'void' writes the VoID/DCAT description; 'all' writes every format and void.ttl into the -o folder; "
        "'kgx' writes nodes.tsv and edges.tsv (KGX, Biolink categories and predicates) into the -o folder.",
    )
    p.add_argument("--format", required=True, choices=[*FORMATS, "void", "all", "kgx"])
    p.add_argument("--graph", default="all", choices=list(SELECTIONS), help="which graphs (default: all)")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (folder for 'all'; default: stdout)")
    p.add_argument("--gzip", action="store_true", help="compress the output with gzip")
    _release(p)
    p.set_defaults(run=run_export)

    p = subparsers.add_parser("mappings", help="write the SKOS mappings as an SSSOM TSV file")
    p.add_argument("-o", "--output", metavar="FILE", help="output file, e.g. calcinosis-kg.sssom.tsv")
    _release(p)
    p.set_defaults(run=run_mappings)

    from ..store import PRESETS

    p = subparsers.add_parser(
        "load",
        help="load the graph into a triplestore (SPARQL 1.1 Graph Store Protocol), staged and verified",
        description="Presets: "
        + "; ".join(f"--store {name} --endpoint {base}" for name, (base, _) in PRESETS.items())
        + ". Exit codes: 0 loaded, 1 load refused or garbled (targets untouched),"
        " 2 usage or connection error.",
    )
    p.add_argument("--store", choices=list(PRESETS), help="derive the URLs from --endpoint")
    p.add_argument("--endpoint", metavar="URL", help="base URL of the store (see the presets)")
    p.add_argument("--gsp-url", metavar="URL", help="Graph Store Protocol URL (overrides the preset)")
    p.add_argument("--query-url", metavar="URL", help="SPARQL query URL (overrides the preset)")
    p.add_argument("--update-url", metavar="URL", help="SPARQL Update URL, for an atomic MOVE into place")
    p.add_argument("--no-update", action="store_true", help="replace the targets by PUT, not SPARQL MOVE")
    p.add_argument("--graph", metavar="IRI", help="load the merged graph into this one graph ('default' too)")
    p.add_argument("--user", help="user name (HTTP basic, or digest for Virtuoso)")
    p.add_argument("--password-env", metavar="VAR", help="environment variable holding the password")
    p.add_argument("--auth", choices=["basic", "digest"], help="authentication scheme (default: by store)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds for the whole load (default: 300)")
    _release(p)
    p.set_defaults(run=run_load)

    from ..endpoint import DEFAULTS

    p = subparsers.add_parser(
        "serve",
        help="serve the reasoned graph over the SPARQL 1.1 Protocol at /sparql (read-only)",
        description="Read-only SPARQL endpoint. Past --time-limit a query's worker is killed (HTTP 504); "
        "beyond --workers running and --queue waiting queries, HTTP 503 with Retry-After.",
    )
    p.add_argument("--host", default=DEFAULTS.host, help="address to bind (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULTS.port, help="port (default: 7878)")
    p.add_argument("--workers", type=int, default=DEFAULTS.workers, help="queries run at once (default: 4)")
    p.add_argument("--queue", type=int, default=DEFAULTS.queue, help="queries that may wait (default: 16)")
    p.add_argument(
        "--time-limit", type=float, default=DEFAULTS.time_limit, help="seconds per query (default: 10)"
    )
    p.add_argument("--max-rows", type=int, default=DEFAULTS.max_rows, help="rows per answer (default: 10000)")
    p.add_argument(
        "--max-memory",
        type=int,
        default=DEFAULTS.max_memory_mib,
        metavar="MIB",
        help="memory per query worker, in MiB (default: 1024)",
    )
    p.add_argument(
        "--spares",
        type=int,
        default=DEFAULTS.spares,
        help="extra workers started while every worker is busy (default: 4)",
    )
    p.add_argument(
        "--request-timeout",
        type=float,
        default=DEFAULTS.request_seconds,
        metavar="SECONDS",
        help="seconds a client may take to send its request head, and again its body (default: 10)",
    )
    _release(p)
    p.set_defaults(run=run_serve)


def _release(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--release", metavar="DIR", help=argparse.SUPPRESS)


def run_export(args: argparse.Namespace) -> int:
    from ..errors import CalcinosisKGError

    if args.format in ("all", "kgx"):
        if not args.output:
            raise CalcinosisKGError(f"--format {args.format} needs -o FOLDER")
        if args.format == "kgx":
            from ..kgx import write_kgx

            written = write_kgx(args.output, args.release)
            log.info("wrote %s to %s", " and ".join(p.name for p in written), args.output)
            return 0
        return _export_all(args)
    graphs = read_release(args.release)
    if args.format == "void":
        data = to_bytes(describe(graphs), "turtle")
    else:
        data = graphs_to_bytes(select(graphs, args.graph, shapes=FORMATS[args.format].dataset), args.format)
    if args.gzip:
        data = gzip.compress(data, compresslevel=9, mtime=0)
    if args.output:
        write_atomic(Path(args.output), data)
        log.info("wrote %s (%d bytes)", args.output, len(data))
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _export_all(args: argparse.Namespace) -> int:
    folder = Path(args.output)
    graphs = read_release(args.release)
    files = {}
    for fmt in FORMATS:
        path = folder / distribution_name(fmt, args.gzip)
        export(fmt, path, args.graph, gzip=args.gzip, release=args.release)
        files[fmt] = path
    write_atomic(folder / "void.ttl", to_bytes(describe(graphs, files=files), "turtle"))
    log.info("wrote %d files and void.ttl to %s", len(files), folder)
    return 0


def run_mappings(args: argparse.Namespace) -> int:
    from ..export import merged
    from ..sssom import declared_prefixes, mappings, to_sssom

    graphs = read_release(args.release)
    prefixes = declared_prefixes()
    rows = mappings(merged(select(graphs, "asserted")), prefixes)
    data = to_sssom(rows, prefixes)
    if args.output:
        write_atomic(Path(args.output), data)
        log.info("wrote %d mappings to %s", len(rows), args.output)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _shapes():
    from ..loading import parse_file
    from ..resources import shapes_file

    return parse_file(shapes_file())


_STOPPED = (
    "each target graph was either replaced whole or left as it was; "
    "the next load removes any staging graph left behind (raise --timeout)"
)


def _load(urls, user, password, graph, release, timeout):
    from ..store import Loader, targets

    graphs = targets(graph, release)
    with Loader(urls, user, password, timeout=timeout) as loader:
        return loader.load(graphs)


def run_load(args: argparse.Namespace) -> int:
    from ..sandbox import run_within
    from ..store import endpoints, password_from_env

    urls = endpoints(args.store, args.endpoint, args.gsp_url, args.query_url, args.update_url, args.auth)
    if args.no_update:
        urls = type(urls)(urls.gsp, urls.query, None, urls.auth)
    password = password_from_env(args.password_env)
    report = run_within(  # the limit covers reading the release too
        args.timeout,
        _load,
        urls,
        args.user,
        password,
        args.graph,
        args.release,
        args.timeout,
        what="the load",
        hint=_STOPPED,
    )
    for graph, count in report.triples.items():
        print(f"{count:>8}  <{graph}>")
    log.info(
        "loaded %d triples into %d graph(s) by %s in %.2f s",
        sum(report.triples.values()),
        len(report.triples),
        report.method,
        report.seconds,
    )
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from ..artifacts import DATASET_FILE
    from ..endpoint import serve

    dataset = Path(args.release) / DATASET_FILE if args.release else None
    serve(
        args.host,
        args.port,
        dataset,
        args.workers,
        args.queue,
        args.time_limit,
        args.max_rows,
        args.max_memory,
        args.spares,
        args.request_timeout,
    )
    return 0
