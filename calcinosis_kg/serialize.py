"""Deterministic serialization and atomic writing.

The same graph always gives the same bytes: line-based formats are sorted, and blank nodes keep
the stable labels the loader gives them, or get canonical labels (``canonical=True``) when they
come from elsewhere (a parser that invents labels, pyshacl's report).

>>> from rdflib import Graph
>>> g = Graph().parse(data="<urn:b> <urn:p> [ <urn:q> 1 ] . <urn:a> <urn:p> 2 .", format="turtle")
>>> to_bytes(g, "nt", canonical=True) == to_bytes(Graph() + g, "nt", canonical=True)
True
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef

from .namespaces import PREFIXES

__all__ = ["canonical", "dataset_to_bytes", "to_bytes", "write_atomic"]

LINE_FORMATS = {"nt", "nquads"}


def canonical(graph: Graph, prefix: str = "") -> Graph:
    """A copy of ``graph`` whose blank nodes carry labels derived from their content.

    A blank node's label is a hash of what it says (its outgoing triples, nested blank nodes
    included), so it does not depend on the labels a parser made up. Blank nodes that say the
    same thing get a numbered suffix in a stable order.
    """
    out = Graph()
    blanks = {term for triple in graph for term in triple if isinstance(term, BNode)}
    if not blanks:
        out += graph
        return _bind(out, graph)
    digests: dict = {}

    def digest(node, path=()) -> str:
        if node not in digests:
            if node in path:  # a cycle: fall back to a constant for the back edge
                return "cycle"
            parts = sorted(
                f"{p.n3()} {digest(o, (*path, node)) if isinstance(o, BNode) else o.n3()}"
                for p, o in graph.predicate_objects(node)
            )
            digests[node] = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
        return digests[node]

    labels: dict = {}
    used: dict = {}
    for node in sorted(blanks, key=lambda b: (digest(b), _incoming(graph, b, digest))):
        base = prefix + "b" + digest(node)
        count = used.get(base, 0)
        used[base] = count + 1
        labels[node] = BNode(base if count == 0 else f"{base}n{count}")
    for triple in graph:
        out.add(tuple(labels.get(term, term) for term in triple))
    return _bind(out, graph)


def _incoming(graph: Graph, node: BNode, digest) -> str:
    return " ".join(
        sorted(
            f"{digest(s) if isinstance(s, BNode) else s.n3()} {p.n3()}"
            for s, p in graph.subject_predicates(node)
        )
    )


def to_bytes(graph: Graph, fmt: str, canonical: bool = False) -> bytes:
    """Serialize ``graph`` in ``fmt`` (an rdflib format name) deterministically."""
    source = globals()["canonical"](graph) if canonical else _bind(graph, graph)
    return _sorted_lines(source.serialize(format=fmt, encoding="utf-8"), fmt)


def dataset_to_bytes(graphs: dict[URIRef, Graph], fmt: str = "nquads", canonical: bool = False) -> bytes:
    """Serialize named graphs as one dataset (``nquads`` or ``trig``) deterministically.

    With ``canonical=True`` each graph's blank nodes get canonical labels prefixed by a hash of
    the graph name, so that two graphs never share a label.
    """
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    for name in sorted(graphs):
        target = dataset.graph(name)
        if canonical:
            salt = "g" + hashlib.sha1(str(name).encode()).hexdigest()[:6]
            target += globals()["canonical"](graphs[name], salt)
        else:
            target += graphs[name]
    return _sorted_lines(dataset.serialize(format=fmt, encoding="utf-8"), fmt)


def _bind(out: Graph, like: Graph) -> Graph:
    for prefix, namespace in like.namespaces():
        out.bind(prefix, namespace, replace=True)
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, replace=True)
    return out


def _sorted_lines(text: bytes, fmt: str) -> bytes:
    if fmt not in LINE_FORMATS:
        return text
    lines = sorted({line for line in text.decode("utf-8").splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
