"""SHACL validation of the reasoned graph with pyshacl.

>>> from calcinosis_kg import load_graph, reason
>>> conforms, report_graph, report_text = validate(reason(load_graph()).merged)
>>> conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Namespace

from .errors import CalcinosisKGError
from .loading import parse_file
from .resources import shapes_file

__all__ = ["Finding", "findings", "validate"]

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
    (``inference="none"``): pass the reasoned graph, ``reason(graph).merged``.
    """
    import pyshacl

    graph = _as_graph(data)
    shapes = shapes if shapes is not None else parse_file(shapes_file())
    conforms, report_graph, report_text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    if not isinstance(report_graph, Graph):  # pyshacl returns its failure instead of a report
        raise CalcinosisKGError(f"the shapes cannot be applied: {report_text}")
    return bool(conforms), report_graph, str(report_text)


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
