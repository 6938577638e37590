"""Build the release artifacts: load, reason, validate, write.

>>> import tempfile
>>> result = build(tempfile.mkdtemp())
>>> result.ok, [p.name for p in sorted(result.files)][:3]
(True, ['asserted.ttl', 'build-info.json', 'calcinosis-kg.nq'])
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .convert import to_graph
from .docs import DocsJob, complete, docs_key, previous_docs
from .docs import start as start_docs
from .loading import load_parts, parse_quads
from .namespaces import GRAPHS
from .quality import quality_failures
from .reasoning import Reasoning, reason
from .resources import input_digest, ontology_file, shapes_file
from .serialize import (
    BUILD_MARKER,
    in_graph,
    join_lines,
    merge_lines,
    sorted_lines,
    to_bytes,
    turtle_of_lines,
    write_folder,
    write_quads,
)
from .validation import Finding, findings, validate
from .version import __version__

__all__ = [
    "BuildResult",
    "build",
    "build_dataset",
    "data_store",
    "failed_dir",
    "named_quads",
    "reasoned_parts",
]


@dataclass
class BuildResult:
    """What a build produced and found."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    quality: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def violations(self) -> list[Finding]:
        """The findings of severity Violation."""
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def ok(self) -> bool:
        """True when reasoning found no contradiction, the graph conforms and every quality check passes."""
        return not self.errors and not self.violations and not self.quality


def reasoned_parts(
    *data: str | Path, reasoner: str = "rules", step: Callable[[str], object] | None = None
) -> tuple[dict[str, list[ox.Quad]], Reasoning]:
    """Load the parts (as quads) and reason over their union; ``step(name)`` is called as each step starts."""
    (step or _quiet)("load")
    parts, union = _load(data)
    (step or _quiet)("reason")
    return parts, reason(reasoner=reasoner, quads=union)


def build(
    out_dir: str | Path = "dist",
    data: Sequence[str | Path] = (),
    reasoner: str = "rules",
    progress: Callable[[str, float], object] | None = None,
    docs: bool = True,
    note: Callable[[str], object] | None = None,
) -> BuildResult:
    """Load, reason, validate and write the artifacts into ``out_dir``.

    With ``docs``, the documentation (:mod:`calcinosis_kg.docs`) is made beside the other steps
    and written under ``docs/``; ``note(text)`` is told of a part that was skipped (no Graphviz,
    no pyLODE or pdoc). Complete documentation of the earlier build in ``out_dir``, made from
    the same ontology and code, is kept instead of made again.

    ``out_dir`` is replaced whole, never left with a mix of old and new files. A graph that
    is not consistent, has violations or fails a quality check leaves ``out_dir`` as it was:
    its report and build information go to :func:`failed_dir` instead.
    ``progress(step, seconds)`` is called after each step.
    """
    result = BuildResult(out_dir=Path(out_dir))
    key = docs_key(ontology_file()) if docs else None
    previous = previous_docs(result.out_dir, key, BUILD_MARKER) if key else None
    documentation = start_docs(ontology_file(), note or _quiet) if docs and previous is None else None
    try:
        _build(result, data, reasoner, progress, documentation, previous, key)
    finally:
        if documentation is not None:
            documentation.close()
    return result


def _build(
    result: BuildResult,
    data: Sequence[str | Path],
    reasoner: str,
    progress: Callable[[str, float], object] | None,
    documentation: DocsJob | None,
    previous: dict[str, bytes] | None,
    key: str | None,
) -> None:
    clock = _Clock(result.timings, progress)
    clock.start("load")
    parts, union = _load(data)
    parts["shapes"] = parse_quads(shapes_file())
    shapes = to_graph(parts["shapes"])
    clock.start("reason")
    reasoning = reason(reasoner=reasoner, quads=union)
    result.errors = reasoning.errors
    result.counts = {"asserted": len(union), "inferred": len(reasoning.inferred_quads)}
    clock.start("check")
    named = named_quads(parts, reasoning.inferred_quads)
    store = data_store(named)
    result.quality = quality_failures(store)
    clock.start("validate")
    conforms, report_graph, report_text = validate(store, shapes, engine="oxigraph")
    result.findings = findings(report_graph)
    docs_files: dict[str, bytes] = previous or {}
    if documentation is not None and result.ok:
        clock.start("docs")
        docs_files = documentation.files()
    clock.start("write")
    outputs = {
        "validation-report.ttl": to_bytes(report_graph, "turtle", canonical=True),
        "validation-report.txt": report_text.encode("utf-8"),
        **(
            {"mappings.sssom.tsv": _sssom(store, shapes), **_graph_files(parts, reasoning.inferred_quads)}
            if result.ok
            else {}
        ),
    }
    result.counts["violations"] = len(result.violations)
    result.counts["warnings"] = sum(f.severity == "Warning" for f in result.findings)
    if result.ok:
        outputs["void.ttl"] = _void(store, named)
        outputs.update(docs_files)
    info = {
        "version": __version__,
        "inputs": input_digest() if not data else None,
        "reasoner": reasoner,
        "conforms": conforms,
        "ok": result.ok,
        "errors": result.errors,
        "quality": result.quality,
        "counts": result.counts,
        "graphs": {name: str(iri) for name, iri in GRAPHS.items()},
        "docs": key if complete(docs_files) else None,
    }
    outputs[BUILD_MARKER] = (json.dumps(info, indent=2, sort_keys=True) + "\n").encode("utf-8")
    target = result.out_dir if result.ok else failed_dir(result.out_dir)
    result.files = write_folder(target, outputs)
    clock.start(None)


def failed_dir(out_dir: str | Path) -> Path:
    """Where a failed build writes its report: ``OUT.failed`` beside ``OUT``.

    >>> failed_dir("dist").name
    'dist.failed'
    """
    out_dir = Path(out_dir)
    return out_dir.with_name(out_dir.name + ".failed")


def build_dataset(*data: str | Path, reasoner: str = "rules") -> tuple[bytes, Reasoning]:
    """The reasoned dataset as N-Quads (named graphs), without validation or files."""
    parts, reasoning = reasoned_parts(*data, reasoner=reasoner)
    named = named_quads({**parts, "shapes": parse_quads(shapes_file())}, reasoning.inferred_quads)
    return write_quads([quad for found in named.values() for quad in found], "nquads"), reasoning


def data_store(named: dict[URIRef, list[ox.Quad]]) -> ox.Store:
    """A store of the named graphs of the release but the shapes: the data to validate and check."""
    store = ox.Store()
    store.bulk_extend(quad for name, found in named.items() if name != GRAPHS["shapes"] for quad in found)
    return store


def _graph_files(parts: dict[str, list[ox.Quad]], inferred: list[ox.Quad]) -> dict[str, bytes]:
    """The dataset (N-Quads, named graphs), the asserted and inferred graphs, and both merged.

    Each graph is serialized and its lines sorted once; every file is made of those lines.
    """
    lines = {name: sorted_lines(found) for name, found in {**parts, "inferred": inferred}.items()}
    asserted = merge_lines(*(lines[name] for name in ("ontology", "kb", "data") if name in lines))
    dataset = merge_lines(*(in_graph(found, GRAPHS[name]) for name, found in lines.items()))
    return {
        "calcinosis-kg.nq": join_lines(dataset),
        "asserted.ttl": turtle_of_lines(asserted),
        "inferred.ttl": turtle_of_lines(lines["inferred"]),
        "merged.nt": join_lines(merge_lines(asserted, lines["inferred"])),
    }


def named_quads(parts: dict[str, list[ox.Quad]], inferred: list[ox.Quad]) -> dict[URIRef, list[ox.Quad]]:
    """The quads of each named graph of the release: the parts (shapes included) and the inferred."""
    named = {}
    for name, found in {**parts, "inferred": inferred}.items():
        graph_name = ox.NamedNode(GRAPHS[name])
        named[GRAPHS[name]] = [ox.Quad(q.subject, q.predicate, q.object, graph_name) for q in found]
    return named


def _load(data: Sequence[str | Path]) -> tuple[dict[str, list[ox.Quad]], list[ox.Quad]]:
    """The parts as quads, and their union (each triple once)."""
    parts = load_parts(*data)
    return parts, list(dict.fromkeys(quad for found in parts.values() for quad in found))


def _sssom(store: ox.Store, shapes: Graph) -> bytes:
    """The SSSOM file of the asserted mappings, read from the graphs of the parts in ``store``."""
    from .sssom import declared_prefixes, store_mappings, to_sssom

    prefixes = declared_prefixes()
    parts = [str(GRAPHS[name]) for name in ("ontology", "kb", "data")]
    return to_sssom(store_mappings(store, parts, prefixes), prefixes)


def _void(store: ox.Store, named: dict[URIRef, list[ox.Quad]]) -> bytes:
    """The VoID/DCAT description of the ``named`` graphs (``void.ttl``), counted in ``store``
    (which holds them all but the shapes) and in a store of the shapes."""
    from .describe import describe_counts, store_counts

    names = {str(iri): name for name, iri in GRAPHS.items()}
    by_size = sorted(named, key=lambda iri: len(named[iri]), reverse=True)  # largest first, see store_counts
    held = [str(iri) for iri in by_size if iri != GRAPHS["shapes"]]
    per_graph = {names[iri]: store_counts(store, [iri]) for iri in held}
    of_shapes = ox.Store()
    of_shapes.bulk_extend(named[GRAPHS["shapes"]])
    per_graph["shapes"] = store_counts(of_shapes, [str(GRAPHS["shapes"])])
    return to_bytes(describe_counts(store_counts(store, held), per_graph), "turtle")


def _quiet(_: str) -> None:
    return None


class _Clock:
    """Times consecutive steps and reports each one as it ends."""

    def __init__(self, timings: dict[str, float], progress: Callable[[str, float], object] | None):
        self.timings, self.progress = timings, progress
        self.step: str | None = None
        self.started = time.perf_counter()

    def start(self, step: str | None) -> None:
        now = time.perf_counter()
        if self.step is not None:
            self.timings[self.step] = now - self.started
            if self.progress:
                self.progress(self.step, self.timings[self.step])
        self.step, self.started = step, now
