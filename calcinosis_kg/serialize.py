"""Deterministic serialization and atomic writing.

The same graph always gives the same bytes: blank nodes get canonical labels and
line-based formats are sorted.

>>> from rdflib import Graph
>>> g = Graph().parse(data="<urn:b> <urn:p> [ <urn:q> 1 ] . <urn:a> <urn:p> 2 .", format="turtle")
>>> to_bytes(g, "nt") == to_bytes(Graph() + g, "nt")
True
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from .namespaces import PREFIXES

__all__ = ["canonical", "dataset_to_bytes", "to_bytes", "write_atomic"]

LINE_FORMATS = {"nt", "nquads"}


def canonical(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes carry stable labels."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        out = Graph()
        out += graph
    else:
        out = Graph()
        out += to_canonical_graph(graph)
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace, replace=True)
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, replace=True)
    return out


def to_bytes(graph: Graph, fmt: str) -> bytes:
    """Serialize ``graph`` in ``fmt`` (an rdflib format name) deterministically."""
    text = canonical(graph).serialize(format=fmt, encoding="utf-8")
    if fmt in LINE_FORMATS:
        lines = sorted({line for line in text.decode("utf-8").splitlines() if line.strip()})
        return ("\n".join(lines) + "\n").encode("utf-8")
    return text


def dataset_to_bytes(graphs: dict[URIRef, Graph], fmt: str = "nquads") -> bytes:
    """Serialize named graphs as one dataset (``nquads`` or ``trig``) deterministically."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    for name in sorted(graphs):
        target = dataset.graph(name)
        target += canonical(graphs[name])
    text = dataset.serialize(format=fmt, encoding="utf-8")
    if fmt in LINE_FORMATS:
        lines = sorted({line for line in text.decode("utf-8").splitlines() if line.strip()})
        return ("\n".join(lines) + "\n").encode("utf-8")
    return text


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
