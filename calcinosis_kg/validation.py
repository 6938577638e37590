"""SHACL validation of the reasoned graph, by pyshacl (the reference) or on Oxigraph (fast).

Both engines return pyshacl's ``(conforms, report_graph, report_text)`` and find the same results
(``tests/test_validation.py`` checks it on the knowledge base and on every shape case).
``conforms`` is false when the report has any result, a warning included, as the SHACL
specification says; :func:`findings` tells violations from warnings.

>>> from calcinosis_kg import load_graph, reason
>>> conforms, report_graph, report_text = validate(reason(load_graph()).merged, engine="oxigraph")
>>> conforms, {f.severity for f in findings(report_graph)}
(False, {'Warning'})
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from .convert import quads, to_graph
from .errors import CalcinosisKGError
from .loading import parse_file
from .resources import shapes_file
from .shacl import check, path_text, report

__all__ = ["ENGINES", "Finding", "findings", "validate"]

#: The validation engines: pyshacl, the reference; oxigraph, SPARQL queries on Oxigraph.
ENGINES = ("pyshacl", "oxigraph")

Data = Graph | str | Path | ox.Store | Iterable[ox.Quad]


@dataclass(frozen=True, order=True)
class Finding:
    """One result of a validation report, in the words a curator needs."""

    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str


def validate(data: Data, shapes: Graph | None = None, engine: str = "pyshacl") -> tuple[bool, Graph, str]:
    """Validate ``data`` (a graph, a path, Turtle text, or Oxigraph quads or store) against the
    project's shapes (or ``shapes``) with ``engine`` (see :data:`ENGINES`).

    Returns ``(conforms, report_graph, report_text)``. The data is taken as it is
    (``inference="none"``): pass the reasoned graph, ``reason(graph).merged``.
    """
    shapes = shapes if shapes is not None else parse_file(shapes_file())
    if engine == "pyshacl":
        return _pyshacl(_as_graph(data), shapes)
    if engine == "oxigraph":
        return report(check(_as_store(data), shapes), shapes)
    raise ValueError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")


def _pyshacl(graph: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    import pyshacl

    conforms, report_graph, report_text = pyshacl.validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        inplace=(None, SH.rule, None) not in shapes,  # SHACL rules would add to the data: copy it then
    )
    if not isinstance(report_graph, Graph):  # pyshacl returns its failure instead of a report
        raise CalcinosisKGError(f"the shapes cannot be applied: {report_text}")
    return bool(conforms), report_graph, str(report_text)


def findings(report_graph: Graph) -> list[Finding]:
    """The results of a report graph, sorted, violations first; a path other than a predicate is
    written as a SPARQL property path."""
    rows = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):

        def value(predicate, result=result):
            found = report_graph.value(result, predicate)
            return "" if found is None else str(found)

        path = report_graph.value(result, SH.resultPath)
        rows.append(
            Finding(
                severity=value(SH.resultSeverity).rsplit("#", 1)[-1],
                focus=value(SH.focusNode),
                path=""
                if path is None
                else str(path)
                if isinstance(path, URIRef)
                else path_text(report_graph, path),
                value=value(SH.value),
                message=value(SH.resultMessage),
                shape=value(SH.sourceShape),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(rows, key=lambda f: (order.get(f.severity, 3), f))


def _as_graph(data: Data) -> Graph:
    if isinstance(data, Graph):
        return data
    if isinstance(data, (str, Path)):
        if isinstance(data, Path) or ("\n" not in data and Path(data).exists()):
            return parse_file(Path(data))
        return Graph().parse(data=data, format="turtle")
    return to_graph(data)


def _as_store(data: Data) -> ox.Store:
    if isinstance(data, ox.Store):
        return data
    store = ox.Store()
    store.bulk_extend(quads(_as_graph(data)) if isinstance(data, (Graph, str, Path)) else data)
    return store
