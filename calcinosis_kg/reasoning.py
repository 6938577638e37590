"""OWL 2 RL reasoning that keeps asserted and inferred triples apart and reports contradictions.

Two engines: ``reasonable`` (a fast Rust implementation, the default) and ``owlrl`` (the
pure-Python reference). They give the same entailments about the data; owlrl also writes out
the closure of the schema itself (e.g. every super-property of a property), which queries
reach with property paths (``rdfs:subClassOf*``) whichever engine built the graph.

>>> from calcinosis_kg import load_graph
>>> result = reason(load_graph())
>>> result.errors
[]
>>> len(result.inferred) > 0
True
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

__all__ = ["REASONERS", "Reasoning", "reason"]

REASONERS = ("reasonable", "owlrl")

_VOCABULARIES = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"


@dataclass
class Reasoning:
    """The outcome of reasoning: asserted and inferred triples apart, and any contradictions."""

    asserted: Graph
    inferred: Graph
    errors: list[str] = field(default_factory=list)

    @property
    def merged(self) -> Graph:
        """Asserted and inferred triples in one graph."""
        merged = Graph()
        for prefix, namespace in self.asserted.namespaces():
            merged.bind(prefix, namespace)
        merged += self.asserted
        merged += self.inferred
        return merged


def reason(graph: Graph, reasoner: str = "reasonable", quads: Sequence[ox.Quad] | None = None) -> Reasoning:
    """Compute the OWL 2 RL closure of ``graph`` with ``reasoner`` (``reasonable`` or ``owlrl``).

    ``quads``, the triples of ``graph`` as Oxigraph quads when the caller has them, reach the
    ``reasonable`` engine through a file, which it reads faster than the graph.
    """
    if reasoner == "owlrl":
        closure, errors = _owlrl_closure(graph)
    elif reasoner == "reasonable":
        closure, errors = _reasonable_closure(graph, quads), None
    else:
        raise ValueError(f"unknown reasoner {reasoner!r}; expected one of {', '.join(REASONERS)}")
    asserted = set(graph)
    inferred = Graph()
    for triple in closure:
        if triple not in asserted and not is_noise(triple):
            inferred.add(triple)
    if errors is None:  # reasonable does not check consistency; owlrl reports its own
        errors = _contradictions(graph, inferred)
    return Reasoning(asserted=graph, inferred=inferred, errors=errors)


def is_noise(triple: tuple) -> bool:
    """True for inferred triples that say nothing about our data (axioms, reflexive links, ...)."""
    s, p, o = triple
    if isinstance(s, BNode) or isinstance(o, BNode):
        return True  # anonymous class expressions, lists, and membership in them
    if isinstance(o, Literal) and o.datatype == XSD.string:
        return True  # a typed copy of a plain literal
    if isinstance(s, Literal) or str(s).startswith(_VOCABULARIES) or str(s).startswith(_ERR):
        return True
    if p in _REFLEXIVE and s == o:
        return True
    if o == OWL.Thing and p in (RDF.type, RDFS.subClassOf):
        return True
    if p == RDFS.subClassOf and s == OWL.Nothing:
        return True
    if p == RDF.type and isinstance(o, URIRef) and str(o).startswith(str(XSD)):
        return True
    return p == RDF.type and o == RDFS.Resource


def _owlrl_closure(graph: Graph) -> tuple[Graph, list[str] | None]:
    import owlrl

    closure = Graph()
    closure += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = sorted(str(msg) for msg in closure.objects(None, URIRef(_ERR + "error")))
    return closure, errors


def _reasonable_closure(graph: Graph, quads: Sequence[ox.Quad] | None) -> list[tuple]:
    import reasonable

    engine = reasonable.PyReasoner()
    if quads is None:
        engine.from_graph(graph)
        return engine.reason()
    with tempfile.TemporaryDirectory() as folder:  # the engine reads Turtle files only; N-Triples is Turtle
        path = Path(folder) / "asserted.ttl"
        path.write_bytes(ox.serialize([quad.triple for quad in quads], format=ox.RdfFormat.N_TRIPLES))
        engine.load_file(str(path))
    return engine.reason()


def _contradictions(asserted: Graph, inferred: Graph) -> list[str]:
    """Members of two disjoint classes (cax-dw, cax-adc) and of owl:Nothing (cls-nothing2)."""
    pairs = {(a, b) for a, b in asserted.subject_objects(OWL.disjointWith)}
    for group in asserted.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(asserted, asserted.value(group, OWL.members)))
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    types: dict = {}
    for graph in (asserted, inferred):
        for member, klass in graph.subject_objects(RDF.type):
            types.setdefault(member, set()).add(klass)
    errors = []
    for member, classes in types.items():
        if isinstance(member, BNode):
            continue
        if OWL.Nothing in classes:
            errors.append(f"{member.n3()} is a member of owl:Nothing")
        errors.extend(
            f"{member.n3()} is a member of disjoint classes {a.n3()} and {b.n3()}"
            for a, b in pairs
            if a in classes and b in classes
        )
    return sorted(set(errors))
