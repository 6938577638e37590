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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .convert import to_graph
from .docs import DocsJob, complete, docs_key, keep_docs, kept_docs, previous_docs
from .docs import start as start_docs
from .loading import load_store, parse_quads
from .namespaces import GRAPHS
from .quality import quality_failures
from .reasoning import Reasoning, reason_in
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
)
from .validation import Finding, findings, validate
from .version import __version__

__all__ = ["PARTS", "BuildResult", "build", "build_dataset", "failed_dir", "reasoned_store"]

#: The named graphs of the asserted parts, in the order the release lists them.
PARTS = ("ontology", "kb", "data")


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


def reasoned_store(
    *data: str | Path, reasoner: str = "rules", step: Callable[[str], object] | None = None
) -> Reasoning:
    """Load the parts into one store (:func:`calcinosis_kg.loading.load_store`) and reason over
    their union into its graph ``GRAPHS["inferred"]``; ``step(name)`` is called as each step starts.

    The store (``.store`` of the result) holds every named graph of the release but the shapes.
    """
    (step or _quiet)("load")
    store = load_store(*data)
    (step or _quiet)("reason")
    return _reason(store, reasoner)


def _reason(store: ox.Store, reasoner: str) -> Reasoning:
    parts = [
        ox.NamedNode(GRAPHS[name]) for name in PARTS if store.contains_named_graph(ox.NamedNode(GRAPHS[name]))
    ]
    inferred = ox.NamedNode(GRAPHS["inferred"])
    return Reasoning(store, parts, inferred, reason_in(store, parts, inferred, reasoner))


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
    no pyLODE or pdoc). Complete documentation made from the same ontology and code, by the
    earlier build in ``out_dir`` or by any build on this machine (kept under
    :func:`calcinosis_kg.resources.cache_home`), is used instead of made again.

    ``out_dir`` is replaced whole, never left with a mix of old and new files. A graph that
    is not consistent, has violations or fails a quality check leaves ``out_dir`` as it was:
    its report and build information go to :func:`failed_dir` instead.
    ``progress(step, seconds)`` is called after each step.
    """
    result = BuildResult(out_dir=Path(out_dir))
    key = docs_key(ontology_file()) if docs else None
    previous = (previous_docs(result.out_dir, key, BUILD_MARKER) or kept_docs(key)) if key else None
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
    store = load_store(*data)
    shapes_quads = parse_quads(shapes_file())
    shapes = to_graph(shapes_quads)
    clock.start("reason")
    reasoning = _reason(store, reasoner)
    result.errors = reasoning.errors
    clock.start("check")
    result.quality = quality_failures(store)
    clock.start("validate")  # the graph files are made while Oxigraph validates, on another core
    with ThreadPoolExecutor(2) as pool:
        checked = pool.submit(validate, store, shapes, engine="oxigraph")
        mappings = pool.submit(_sssom, store)
        lines = _graph_lines(store, shapes_quads)
        asserted = merge_lines(*(lines[name] for name in PARTS if name in lines))
        merged = merge_lines(asserted, lines["inferred"])
        void = pool.submit(_void, store, lines, len(merged))
        graph_files = _graph_files(lines, asserted, merged)
        conforms, report_graph, report_text = checked.result()
        result.findings = findings(report_graph)
        graph_files["void.ttl"] = void.result()
        if result.ok:  # a failed build may map to prefixes it does not declare: no SSSOM then
            graph_files["mappings.sssom.tsv"] = mappings.result()
    result.counts = {"asserted": len(asserted), "inferred": len(lines["inferred"])}
    docs_files: dict[str, bytes] = previous or {}
    if documentation is not None and result.ok:
        clock.start("docs")
        docs_files = documentation.files()
        if key:
            keep_docs(key, docs_files)
    clock.start("write")
    outputs = {
        "validation-report.ttl": to_bytes(report_graph, "turtle", canonical=True),
        "validation-report.txt": report_text.encode("utf-8"),
        **(graph_files if result.ok else {}),
        **(docs_files if result.ok else {}),
    }
    result.counts["violations"] = len(result.violations)
    result.counts["warnings"] = sum(f.severity == "Warning" for f in result.findings)
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
    """The reasoned dataset as N-Quads (named graphs, the shapes too), without validation or files."""
    reasoning = reasoned_store(*data, reasoner=reasoner)
    lines = _graph_lines(reasoning.store, parse_quads(shapes_file()))
    return _dataset(lines), reasoning


def _graph_lines(store: ox.Store, shapes: list[ox.Quad]) -> dict[str, list[bytes]]:
    """The N-Triples lines of each named graph of ``store`` and of the ``shapes``, in byte order."""
    names = {str(iri): name for name, iri in GRAPHS.items()}
    lines = {
        names[graph.value]: sorted(_dump(store, graph).splitlines())
        for graph in store.named_graphs()
        if isinstance(graph, ox.NamedNode) and graph.value in names
    }
    return {**lines, "shapes": sorted_lines(shapes)}


def _dump(store: ox.Store, graph: ox.NamedNode) -> bytes:
    written = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    assert written is not None  # Oxigraph returns the bytes when given no file to write
    return written


def _dataset(lines: dict[str, list[bytes]]) -> bytes:
    """The N-Quads of every graph, graph by graph in the order of their IRIs."""
    names = sorted(lines, key=lambda name: str(GRAPHS[name]))
    return b"".join(in_graph(join_lines(lines[name]), GRAPHS[name]) for name in names)


def _graph_files(
    lines: dict[str, list[bytes]], asserted: list[bytes], merged: list[bytes]
) -> dict[str, bytes]:
    """The dataset (N-Quads, graph by graph), the asserted and inferred graphs, and both merged,
    made of the sorted lines of each graph."""
    return {
        "calcinosis-kg.nq": _dataset(lines),
        "asserted.ttl": turtle_of_lines(asserted),
        "inferred.ttl": turtle_of_lines(lines["inferred"]),
        "merged.nt": join_lines(merged),
    }


def _sssom(store: ox.Store) -> bytes:
    """The SSSOM file of the asserted mappings, read from the graphs of the parts in ``store``."""
    from .sssom import declared_prefixes, store_mappings, to_sssom

    prefixes = declared_prefixes()
    parts = [str(GRAPHS[name]) for name in PARTS]
    return to_sssom(store_mappings(store, parts, prefixes), prefixes)


def _void(store: ox.Store, lines: dict[str, list[bytes]], merged: int) -> bytes:
    """The VoID/DCAT description of the graphs of the release (``void.ttl``), counted in
    ``store`` (which holds them all but the shapes, ``merged`` triples together) and in a store
    of the shapes."""
    from .describe import describe_counts, store_counts

    held = [name for name in lines if name != "shapes"]
    per_graph = {name: store_counts(store, [str(GRAPHS[name])]) for name in held}
    of_shapes = ox.Store()
    of_shapes.load(
        join_lines(lines["shapes"]), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPHS["shapes"])
    )
    per_graph["shapes"] = store_counts(of_shapes, [str(GRAPHS["shapes"])])
    total = store_counts(store, [str(GRAPHS[name]) for name in held], triples=merged)
    return to_bytes(describe_counts(total, per_graph), "turtle")


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
