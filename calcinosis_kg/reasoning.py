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

import itertools
import tempfile
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from . import convert

__all__ = ["REASONERS", "Reasoning", "reason"]

REASONERS = ("reasonable", "owlrl")

_VOCABULARIES = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"


class Reasoning:
    """The outcome of reasoning: asserted and inferred triples apart, and any contradictions.

    Both come as rdflib graphs (``asserted``, ``inferred``) and as Oxigraph quads in the default
    graph (``asserted_quads``, ``inferred_quads``); each form is made when first asked for.
    """

    def __init__(self, asserted: Graph | Sequence[ox.Quad], inferred: list[tuple], errors: list[str]):
        self._asserted, self._inferred, self.errors = asserted, inferred, errors

    @cached_property
    def asserted(self) -> Graph:
        """The asserted triples."""
        return self._asserted if isinstance(self._asserted, Graph) else convert.to_graph(self._asserted)

    @cached_property
    def asserted_quads(self) -> list[ox.Quad]:
        return convert.quads(self._asserted) if isinstance(self._asserted, Graph) else list(self._asserted)

    @cached_property
    def inferred(self) -> Graph:
        """The inferred triples, without the noise (see :func:`is_noise`)."""
        graph = Graph()
        for triple in self._inferred:
            graph.add(triple)
        return graph

    @cached_property
    def inferred_quads(self) -> list[ox.Quad]:
        term = convert.TermCache(convert.oxigraph_term)
        return [ox.Quad(term(s), term(p), term(o)) for s, p, o in self._inferred]

    @property
    def merged(self) -> Graph:
        """Asserted and inferred triples in one graph."""
        merged = Graph()
        for prefix, namespace in self.asserted.namespaces():
            merged.bind(prefix, namespace)
        merged += self.asserted
        merged += self.inferred
        return merged


def reason(
    graph: Graph | None = None, reasoner: str = "reasonable", quads: Sequence[ox.Quad] | None = None
) -> Reasoning:
    """Compute the OWL 2 RL closure of ``graph`` or of ``quads`` with ``reasoner`` (``reasonable``
    or ``owlrl``).

    ``quads``, the triples as Oxigraph quads when the caller has them (with or without
    ``graph``), reach the ``reasonable`` engine through a file, which it reads faster than a
    graph; with ``quads`` alone no rdflib graph of the data is made.
    """
    if graph is None and quads is None:
        raise ValueError("reason() needs a graph or quads")
    closure: Iterable[tuple]
    if reasoner == "owlrl":
        graph = graph if graph is not None else convert.to_graph(quads or [])
        closure, errors = _owlrl_closure(graph)
    elif reasoner == "reasonable":
        closure, errors = _reasonable_closure(graph, quads), None
    else:
        raise ValueError(f"unknown reasoner {reasoner!r}; expected one of {', '.join(REASONERS)}")
    asserted = set(graph) if graph is not None else _triples(quads or [])
    inferred = [t for t in dict.fromkeys(closure) if t not in asserted and not is_noise(t)]
    if errors is None:  # reasonable does not check consistency; owlrl reports its own
        errors = _contradictions(asserted, inferred)
    return Reasoning(graph if graph is not None else quads or [], inferred, errors)


def _triples(found: Sequence[ox.Quad]) -> set[tuple]:
    """The triples of ``found`` as rdflib terms, each distinct term converted once."""
    term = convert.TermCache(convert.rdflib_term)
    return {(term(q.subject), term(q.predicate), term(q.object)) for q in found}


def is_noise(triple: tuple) -> bool:
    """True for inferred triples that say nothing about our data (axioms, reflexive links, ...)."""
    s, p, o = triple
    if isinstance(s, BNode) or isinstance(o, BNode):
        return True  # anonymous class expressions, lists, and membership in them
    if isinstance(o, Literal) and o.datatype == _XSD_STRING:
        return True  # a typed copy of a plain literal
    if isinstance(s, Literal) or str(s).startswith(_VOCABULARIES) or str(s).startswith(_ERR):
        return True
    if p in _REFLEXIVE and s == o:
        return True
    if o == _THING and p in (_TYPE, _SUBCLASS):
        return True
    if p == _SUBCLASS and s == _NOTHING:
        return True
    if p == _TYPE and isinstance(o, URIRef) and str(o).startswith(_XSD):
        return True
    return p == _TYPE and o == _RESOURCE


# rdflib's namespace attributes are looked up on each use: the terms checked per triple, once
_TYPE, _SUBCLASS, _RESOURCE, _THING, _NOTHING = (
    RDF.type,
    RDFS.subClassOf,
    RDFS.Resource,
    OWL.Thing,
    OWL.Nothing,
)
_XSD, _XSD_STRING = str(XSD), XSD.string


def _owlrl_closure(graph: Graph) -> tuple[Graph, list[str] | None]:
    import owlrl

    closure = Graph()
    closure += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = sorted(str(msg) for msg in closure.objects(None, URIRef(_ERR + "error")))
    return closure, errors


def _reasonable_closure(graph: Graph | None, quads: Sequence[ox.Quad] | None) -> list[tuple]:
    import reasonable

    engine = reasonable.PyReasoner()
    if quads is None:
        engine.from_graph(graph)
        return engine.reason()
    with tempfile.TemporaryDirectory() as folder:  # the engine reads Turtle files only; N-Triples is Turtle
        path = Path(folder) / "asserted.ttl"
        ox.serialize([quad.triple for quad in quads], str(path), format=ox.RdfFormat.N_TRIPLES)
        engine.load_file(str(path))
    return engine.reason()


_DISJOINTNESS = {OWL.disjointWith, OWL.members, RDF.first, RDF.rest}
_ALL_DISJOINT = OWL.AllDisjointClasses


def _contradictions(asserted: set[tuple], inferred: list[tuple]) -> list[str]:
    """Members of two disjoint classes (cax-dw, cax-adc) and of owl:Nothing (cls-nothing2)."""
    schema = Graph()
    types: dict = {}
    for s, p, o in itertools.chain(asserted, inferred):
        if p == _TYPE:
            types.setdefault(s, set()).add(o)
            if o == _ALL_DISJOINT:
                schema.add((s, p, o))
        elif p in _DISJOINTNESS:
            schema.add((s, p, o))
    pairs = {(a, b) for a, b in schema.subject_objects(OWL.disjointWith)}
    for group in schema.subjects(RDF.type, OWL.AllDisjointClasses):
        head = schema.value(group, OWL.members)
        members = [] if head is None else list(Collection(schema, head))
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    errors = []
    for member, classes in types.items():
        if isinstance(member, BNode):
            continue
        if _NOTHING in classes:
            errors.append(f"{member.n3()} is a member of owl:Nothing")
        errors.extend(
            f"{member.n3()} is a member of disjoint classes {a.n3()} and {b.n3()}"
            for a, b in pairs
            if a in classes and b in classes
        )
    return sorted(set(errors))
