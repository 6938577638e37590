"""Subcommands ``queries`` (list the canned queries) and ``query`` (run one, or an ad-hoc query).

Exit codes: 0 ok (a ``qc/`` check with no offending row), 1 a ``qc/`` check that found rows,
2 usage or runtime error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import CalcinosisKGError

FORMATS = ["table", "csv", "tsv", "json", "xml", "turtle", "nt"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``queries`` and ``query`` subcommands."""
    p = subparsers.add_parser("queries", help="list the canned SPARQL queries with their parameters")
    p.add_argument("--json", action="store_true", help="print the parsed headers as JSON")
    p.set_defaults(run=run_queries)

    p = subparsers.add_parser(
        "query",
        help="run a canned query (see 'queries') or an ad-hoc read-only SPARQL query",
        epilog="Entity parameters take a label or synonym, a CURIE (DOID:418, kb:warfarin) or an IRI. "
        "Ad-hoc queries may not use SERVICE, FROM, FROM NAMED, LOAD or any update.",
    )
    p.add_argument("name", nargs="?", help="name of a canned query, e.g. types or qc/duplicate-label")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--sparql", metavar="TEXT", help="an ad-hoc SPARQL query")
    source.add_argument("--file", metavar="F.rq", help="a file holding an ad-hoc SPARQL query")
    p.add_argument(
        "-p", "--param", action="append", default=[], metavar="K=V", help="a parameter value (repeatable)"
    )
    p.add_argument("--format", default="table", choices=FORMATS, help="output format (default: table)")
    p.add_argument(
        "--wide", action="store_true", help="table cells in full on one line, however wide the terminal"
    )
    p.add_argument(
        "--graph",
        default="all",
        choices=["all", "asserted", "inferred"],
        help="graph to query (default: all)",
    )
    p.add_argument("--engine", default="oxigraph", choices=["oxigraph", "rdflib"], help="local SPARQL engine")
    p.add_argument("--endpoint", metavar="URL", help="run against this SPARQL 1.1 endpoint instead")
    p.add_argument("--timeout", type=float, default=30.0, help="time limit in seconds (default: 30)")
    p.add_argument("--limit", type=int, default=10_000, help="row limit (default: 10000)")
    p.set_defaults(run=run_query_command)


def run_queries(args: argparse.Namespace) -> int:
    from ..sparql.catalog import list_queries

    headers = list_queries()
    if args.json:
        import json

        print(json.dumps(headers, indent=2, default=str))
        return 0
    width = max(len(h["name"]) for h in headers)
    for h in headers:
        print(f"{h['name']:<{width}}  {h.get('summary', '')}")
        for p in h.get("params") or []:
            need = "required" if p.get("required") else "optional"
            extra = ", several (comma-separated)" if p.get("multiple") else ""
            example = f"; e.g. {p['example']}" if p.get("example") is not None else ""
            print(
                f"{'':<{width}}    --param {p['name']}=... "
                f"({p.get('kind', 'entity')}, {need}{extra}{example})"
            )
    return 0


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CalcinosisKGError(f"--param {pair!r}: expected NAME=VALUE")
        params[key.strip()] = value.strip()
    return params


def run_query_command(args: argparse.Namespace) -> int:
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except OSError as exc:
            raise CalcinosisKGError(f"{args.file}: {exc.strerror}") from None
    else:
        text = args.sparql or args.name
    if not text or (args.name and (args.sparql or args.file)):
        raise CalcinosisKGError(
            "give either a query NAME, --sparql TEXT or --file F.rq (see 'calcinosis-kg queries')"
        )
    if args.limit < 1 or args.timeout <= 0:
        raise CalcinosisKGError("--limit and --timeout must be positive")
    from ..sparql.runner import run_query

    result = run_query(
        text,
        graph=args.graph,
        engine=args.engine,
        endpoint=args.endpoint,
        timeout=args.timeout,
        limit=args.limit,
        **_params(args.param),
    )
    fmt = args.format
    if result.kind == "graph":
        fmt = "nt" if fmt == "nt" else "turtle"
    elif fmt in {"turtle", "nt"}:
        raise CalcinosisKGError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; use table, csv, tsv, json or xml"
        )
    sys.stdout.write(result.serialize(fmt, wide=args.wide))
    if result.truncated:
        print(f"calcinosis-kg: the answer was cut at {args.limit} rows (--limit)", file=sys.stderr)
    if args.name and args.name.startswith("qc/") and result.kind == "select" and result.rows:
        print(f"calcinosis-kg: {args.name}: {len(result.rows)} offending row(s)", file=sys.stderr)
        return 1
    return 0
