"""SHACL validation of the reasoned graph with pyshacl.

>>> from calcinosis_kg import load_graph, reason
>>> conforms, report_graph, report_text = validate(reason(load_graph()).merged)
>>> conforms
True
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from .errors import CalcinosisKGError
from .loading import parse_file
from .resources import shapes_file

__all__ = ["EarlyValidation", "Finding", "Validation", "findings", "validate"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, order=True)
class Finding:
    """One result of a validation report, in the words a curator needs."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str


def validate(data: Graph | str | Path, shapes: Graph | None = None) -> tuple[bool, Graph, str]:
    """Validate ``data`` (a graph, a path, or Turtle text) against the project's shapes.

    Returns pyshacl's ``(conforms, report_graph, report_text)``. The data is taken as it is
    (``inference="none"``, and not copied unless the shapes have SHACL rules): pass the
    reasoned graph, ``reason(graph).merged``.
    With more than one core, two processes share the shapes and their reports are merged
    into the one a single run gives (see :class:`Validation`).
    """
    with Validation(data, shapes) as running:
        return running.result()


class _Forked:
    """Owns a forked process that reports through a pipe; leaving the ``with`` block stops it."""

    process = connection = None

    def _fork(self, context, target, daemon: bool = True) -> None:
        """Run ``target(connection)`` in a forked process (it shares this one's objects); what it
        returns, or its failure, comes back through the pipe."""
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_report, args=(target, theirs), daemon=daemon)
        gc.freeze()  # both collectors skip the shared objects, and their memory pages stay shared
        self.process.start()
        theirs.close()

    def _received(self):
        """What the process returned; its failure is an error."""
        try:
            found = self.connection.recv()
        except EOFError:
            found = "the other process stopped before it reported"
        finally:
            self.close()
        if isinstance(found, str):
            raise CalcinosisKGError(f"validation failed: {found}")
        return found

    def close(self) -> None:
        """Stop the process if it still runs, and wait for it."""
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.connection.close()
            self.process = None
            gc.unfreeze()

    def __enter__(self):
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _report(target, connection) -> None:
    try:
        connection.send(target(connection))
    except Exception as exc:  # the parent reports it, unless it is gone
        with contextlib.suppress(OSError):
            connection.send(str(exc) or type(exc).__name__)
    finally:
        connection.close()


class Validation(_Forked):
    """A validation under way, shared by two processes: a forked worker starts at once, and
    :meth:`result` joins in here. Each takes the next shape not yet taken (the costly
    SPARQL-based ones first) until none is left, so the two finish together however busy each
    one is; then the reports are merged into the one a single run gives. In between, this
    process is free for other work. Leaving the ``with`` block stops a worker still running.

    >>> from calcinosis_kg import load_graph, reason
    >>> with Validation(reason(load_graph()).merged) as running:
    ...     conforms, report_graph, report_text = running.result()
    >>> conforms
    True
    """

    def __init__(self, data: Graph | str | Path, shapes: Graph | None = None):
        import pyshacl  # noqa: F401  (imported once, before the worker is forked)

        self.graph = _as_graph(data)
        self.shapes = shapes if shapes is not None else parse_file(shapes_file())
        self.selections = _selections(self.shapes)
        if len(self.selections) < 2 or not _can_fork():
            return
        context = multiprocessing.get_context("fork")  # the worker shares the graphs; nothing is copied
        self.taken = context.Value("i", 0)  # how many selections either process has taken
        self._fork(context, self._validate_in_worker)

    def result(self) -> tuple[bool, Graph, str]:
        """pyshacl's ``(conforms, report_graph, report_text)`` for all the shapes."""
        if self.process is None:
            return _pyshacl(self.graph, self.shapes)
        here = self._take_turns()
        return _merge(here + self._received())

    def _take_turns(self) -> list[tuple[bool, Graph, str]]:
        """Validate the selections of shapes that the other process has not taken, one at a time."""
        reports = []
        while True:
            with self.taken.get_lock():
                index = self.taken.value
                self.taken.value += 1
            if index >= len(self.selections):
                return reports
            reports.append(_pyshacl(self.graph, self.shapes, self.selections[index]))

    def _validate_in_worker(self, _) -> list[tuple[bool, list, str]]:
        # rdflib terms pickle; a Graph need not
        return [(conforms, list(report), text) for conforms, report, text in self._take_turns()]


class EarlyValidation(_Forked):
    """A validation started before its data is complete. A helper process starts at once and
    imports pyshacl while this one finishes the data (reasons, say); :meth:`add` sends it the
    rest, and it then runs a :class:`Validation` (with a worker of its own). This process never
    loads pyshacl and is free until :meth:`result`. Leaving the ``with`` block stops the helper.

    >>> from calcinosis_kg import load_graph, reason
    >>> graph = load_graph()
    >>> with EarlyValidation(graph) as running:
    ...     running.add(reason(graph).inferred)
    ...     conforms, report_graph, report_text = running.result()
    >>> conforms
    True
    """

    def __init__(self, data: Graph, shapes: Graph | None = None):
        self.graph = data
        self.shapes = shapes if shapes is not None else parse_file(shapes_file())
        if "fork" in multiprocessing.get_all_start_methods():  # not a daemon: it forks a worker
            self._fork(multiprocessing.get_context("fork"), self._validate_in_helper, daemon=False)

    def add(self, triples) -> None:
        """The rest of the data: the helper adds it to its copy and starts validating."""
        if self.process is None:
            self.graph += triples
        else:
            self.connection.send(list(triples))

    def result(self) -> tuple[bool, Graph, str]:
        """pyshacl's ``(conforms, report_graph, report_text)`` for all the shapes."""
        if self.process is None:
            return validate(self.graph, self.shapes)
        conforms, triples, text = self._received()
        report = Graph()
        report += triples
        return conforms, report, text

    def _validate_in_helper(self, connection) -> tuple[bool, list, str]:
        import pyshacl  # noqa: F401  (meanwhile, the data is being completed)

        self.graph += connection.recv()
        conforms, report, text = validate(self.graph, self.shapes)
        return conforms, list(report), text


def _can_fork() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def _pyshacl(graph: Graph, shapes: Graph, use_shapes: list[URIRef] | None = None) -> tuple[bool, Graph, str]:
    import pyshacl

    conforms, report_graph, report_text = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=(None, SH.rule, None) not in shapes,  # SHACL rules would add to the data: copy it then
        use_shapes=use_shapes,
    )
    if not isinstance(report_graph, Graph):  # pyshacl returns its failure instead of a report
        raise CalcinosisKGError(f"the shapes cannot be applied: {report_text}")
    return bool(conforms), report_graph, str(report_text)


def _selections(shapes: Graph) -> list[list[URIRef] | None]:
    """The shapes to check, in selections the processes take in turn: each shape with a
    SPARQL-based target or constraint alone (the whole-graph checks, which cost the most; those
    with constraints first), then the Core-targeted shapes dealt into a few selections.

    Shapes without targets (reached through sh:property, sh:node, ...) are in every selection,
    since pyshacl skips a reference to a shape outside the selection. One selection of all the
    shapes (``[None]``) when they cannot be split: a shape is a blank node (pyshacl selects
    shapes by IRI), or a targeted shape is also reached from another shape.
    """
    declared = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    targeted = {shape for predicate in _TARGETS for shape in shapes.subjects(predicate, None)}
    referenced = {shape for predicate in _REFERENCES for shape in shapes.objects(None, predicate)}
    everything = declared | targeted
    if any(not isinstance(shape, URIRef) for shape in everything) or targeted & referenced:
        return [None]
    untargeted = sorted(everything - targeted)
    queried = sorted(
        (shape for shape in targeted if any((shape, p, None) in shapes for p in (SH.sparql, SH.target))),
        key=lambda shape: ((shape, SH.sparql, None) not in shapes, shape),
    )
    core = sorted(targeted - set(queried))
    dealt = [[shape] for shape in queried] + [core[i::_CORE_SHARES] for i in range(_CORE_SHARES)]
    return [[*selection, *untargeted] for selection in dealt if selection]


#: Into how many selections the Core-targeted shapes are dealt: enough for the two processes
#: to finish together, few enough that pyshacl's cost per run (a few ms) stays small.
_CORE_SHARES = 4

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_REFERENCES = (SH.property, SH.node, SH.qualifiedValueShape, SH["not"])
_RESULT_START = re.compile(r"^(?=(?:Constraint Violation|Validation Result) in )", re.M)


def _merge(parts: list[tuple[bool, Graph | list[tuple], str]]) -> tuple[bool, Graph, str]:
    """One report from the reports of disjoint selections of shapes, as pyshacl writes it for all
    of them at once: one sh:ValidationReport, results sorted in the text."""
    conforms = all(part[0] for part in parts)
    merged, node = Graph(), BNode()
    merged.add((node, RDF.type, SH.ValidationReport))
    merged.add((node, SH.conforms, Literal(conforms)))
    results: list[str] = []
    for _, triples, text in parts:
        reports = {s for s, p, o in triples if p == RDF.type and o == SH.ValidationReport}
        for s, p, o in triples:
            if s not in reports:
                merged.add((s, p, o))
            elif p == SH.result:
                merged.add((node, p, o))
        body = text.split("\n", 3)[3] if "\nResults (" in text else ""
        results.extend(block for block in _RESULT_START.split(body) if block)
    text = f"Validation Report\nConforms: {conforms}\n"
    if results:
        text += f"Results ({len(results)}):\n" + "".join(sorted(results))
    return conforms, merged, text


def findings(report_graph: Graph) -> list[Finding]:
    """The results of a pyshacl report graph, sorted, violations first."""
    rows = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):

        def value(predicate, result=result):
            found = report_graph.value(result, predicate)
            return "" if found is None else str(found)

        rows.append(
            Finding(
                severity=value(SH.resultSeverity).rsplit("#", 1)[-1],
                focus=value(SH.focusNode),
                path=value(SH.resultPath),
                value=value(SH.value),
                message=value(SH.resultMessage),
                shape=value(SH.sourceShape),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(rows, key=lambda f: (order.get(f.severity, 3), f))


def _as_graph(data: Graph | str | Path) -> Graph:
    if isinstance(data, Graph):
        return data
    if isinstance(data, Path) or (isinstance(data, str) and "\n" not in data and Path(data).exists()):
        return parse_file(Path(data))
    return Graph().parse(data=data, format="turtle")
