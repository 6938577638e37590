"""Subcommands ``build``, ``validate``, ``reason`` and ``stats``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from ..build import build, reasoned_store
from ..quality import quality_rows
from ..reasoning import REASONERS
from ..serialize import to_bytes
from ..validation import ENGINES, findings, validate

log = logging.getLogger("calcinosis_kg")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the pipeline subcommands."""
    p = subparsers.add_parser("build", help="load, reason, validate and write the artifacts")
    _common(p)
    p.add_argument("-o", "--out", default="dist", help="output folder (default: dist)")
    p.add_argument(
        "--no-docs",
        action="store_true",
        help="leave out docs/ (ontology pages, model picture, API reference)",
    )
    p.set_defaults(run=run_build)

    p = subparsers.add_parser(
        "validate", help="reason and check the graph: SHACL shapes and the quality checks, as build does"
    )
    _common(p)
    p.add_argument("--warnings", action="store_true", help="also list warnings")
    p.add_argument(
        "--engine",
        default="oxigraph",
        choices=ENGINES,
        help="SHACL engine (default: oxigraph; pyshacl: the reference)",
    )
    p.set_defaults(run=run_validate)

    p = subparsers.add_parser("reason", help="print the inferred triples (Turtle) and any contradiction")
    _common(p)
    p.add_argument("--format", default="turtle", choices=["turtle", "nt"], help="output format")
    p.set_defaults(run=run_reason)

    p = subparsers.add_parser(
        "stats", help="count entities per class, claims per relation and per source, triples per graph"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=run_stats)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="PATH",
        help="your own table (.tsv: claims or entities), RDF file or folder (repeatable)",
    )
    parser.add_argument(
        "--reasoner", default="rules", choices=REASONERS, help="OWL 2 RL engine (default: rules)"
    )


def _progress(step: str, seconds: float) -> None:
    log.info("%-9s %6.2f s", step, seconds)


def run_build(args: argparse.Namespace) -> int:
    result = build(
        args.out,
        data=args.data,
        reasoner=args.reasoner,
        progress=_progress,
        docs=not args.no_docs,
        note=lambda text: log.warning("note: %s", text),
    )
    _report(result.errors, result.violations, result.quality)
    if not result.ok:
        log.warning(
            "build failed: %s left as it was; the report is in %s",
            result.out_dir,
            result.files[0].parent / "validation-report.txt",
        )
        return 1
    log.info(
        "wrote %d files to %s (%d asserted, %d inferred triples)",
        len(result.files),
        result.out_dir,
        result.counts["asserted"],
        result.counts["inferred"],
    )
    return 0


def run_validate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    reasoning = reasoned_store(*args.data, reasoner=args.reasoner, step=lambda s: log.debug("%s ...", s))
    store = reasoning.store
    _, report_graph, _ = validate(
        store if args.engine == "oxigraph" else reasoning.merged, engine=args.engine
    )
    rows = findings(report_graph)
    violations = [f for f in rows if f.severity == "Violation"]
    _report(reasoning.errors, violations)
    quality = quality_rows(store)
    for check, failed in quality.items():
        for row in failed:
            print(
                f"quality check {check} failed: {' | '.join(value for value in row if value)}",
                file=sys.stderr,
            )
    if args.warnings:
        for f in rows:
            if f.severity != "Violation":
                print(_line(f))
    ok = not reasoning.errors and not violations and not quality
    log.info(
        "%s: %d contradictions, %d violations, %d failed quality checks, %d warnings (%.2f s)",
        "valid" if ok else "INVALID",
        len(reasoning.errors),
        len(violations),
        len(quality),
        len(rows) - len(violations),
        time.perf_counter() - started,
    )
    return 0 if ok else 1


def run_reason(args: argparse.Namespace) -> int:
    reasoning = reasoned_store(*args.data, reasoner=args.reasoner)
    sys.stdout.buffer.write(to_bytes(reasoning.inferred, args.format))
    _report(reasoning.errors, [])
    return 1 if reasoning.errors else 0


def run_stats(args: argparse.Namespace) -> int:
    """The canned query ``stats`` over the release, grouped by measure (one count, two views)."""
    from ..namespaces import curie
    from ..sparql.runner import run_query

    counts: dict[str, dict[str, int]] = {}
    for row in run_query("stats"):
        counts.setdefault(row["measure"].value, {})[curie(row["item"].value)] = int(row["count"].value)
    if args.json:
        print(json.dumps(counts, indent=2, sort_keys=True))
        return 0
    for measure, values in counts.items():
        print(measure)
        for item, value in values.items():
            print(f"  {item:<48} {value:>7}")
    return 0


def _report(errors, violations, quality=None) -> None:
    for message in errors:
        print(f"contradiction: {message}", file=sys.stderr)
    for finding in violations:
        print(_line(finding), file=sys.stderr)
    for check, rows in (quality or {}).items():
        print(f"quality check {check} failed: {rows} rows (calcinosis-kg query {check})", file=sys.stderr)


def _line(f) -> str:
    parts = [f"{f.severity}: {f.focus}"]
    if f.path:
        parts.append(f"path {f.path}")
    if f.value:
        parts.append(f"value {f.value}")
    return " | ".join(parts) + f": {f.message}"
