"""OWL 2 RL reasoning that keeps asserted and inferred triples apart and reports contradictions.

Three engines give the same entailments about the data: ``rules`` (the default: the rules the
ontology needs, run over Oxigraph terms with the schema's own closure from ``reasonable``, see
:mod:`calcinosis_kg.rules`), ``reasonable`` (a Rust implementation of OWL 2 RL) and ``owlrl``
(the pure-Python reference). owlrl also writes out the closure of the schema itself (e.g. every
super-property of a property), which queries reach with property paths (``rdfs:subClassOf*``)
whichever engine built the graph.

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
from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from . import convert, rules

__all__ = ["REASONERS", "Reasoning", "is_noise", "reason"]

REASONERS = ("rules", "reasonable", "owlrl")

_VOCABULARIES = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"


class Reasoning:
    """The outcome of reasoning: asserted and inferred triples apart, and any contradictions.

    Both come as rdflib graphs (``asserted``, ``inferred``) and as Oxigraph quads in the default
    graph (``asserted_quads``, ``inferred_quads``); the rdflib forms are made when first asked for.
    """

    def __init__(self, asserted: Graph | Sequence[ox.Quad], inferred: list[ox.Quad], errors: list[str]):
        self._asserted, self.inferred_quads, self.errors = asserted, inferred, errors

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
        return convert.to_graph(self.inferred_quads)

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
    graph: Graph | None = None, reasoner: str = "rules", quads: Sequence[ox.Quad] | None = None
) -> Reasoning:
    """Compute the OWL 2 RL closure of ``graph`` or of ``quads`` with ``reasoner`` (one of
    :data:`REASONERS`).

    ``quads``, the triples as Oxigraph quads when the caller has them (with or without
    ``graph``), spare the conversion of the graph; with ``quads`` alone and the ``rules`` or
    ``reasonable`` engine, no rdflib graph of the data is made.
    """
    if graph is None and quads is None:
        raise ValueError("reason() needs a graph or quads")
    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}; expected one of {', '.join(REASONERS)}")
    found = quads if quads is not None else convert.quads(graph or Graph())
    asserted = [(q.subject, q.predicate, q.object) for q in found]
    errors = None
    closure: Iterable[tuple]
    if reasoner == "rules":  # the schema's closure less the schema, and what the rules add
        schema = rules.schema_triples(asserted)
        closure = itertools.chain(_minus(_reasonable_closure(schema), schema), rules.infer(asserted))
    elif reasoner == "reasonable":
        closure = _minus(_reasonable_closure(asserted), asserted)
    else:
        owlrl_closure, errors = _owlrl_closure(graph if graph is not None else convert.to_graph(found))
        closure = _minus(_oxigraph_triples(owlrl_closure), asserted)
    inferred = [t for t in dict.fromkeys(closure) if not is_noise(t)]
    if errors is None:  # only owlrl checks consistency itself
        errors = _contradictions(itertools.chain(asserted, inferred))
    return Reasoning(graph if graph is not None else found, [ox.Quad(*t) for t in inferred], errors)


def _minus(closure: Iterable[tuple], asserted: Iterable[tuple]) -> Iterable[tuple]:
    known = set(asserted)
    return (t for t in closure if t not in known)


def _oxigraph_triples(triples: Iterable[tuple]) -> Iterable[tuple]:
    """rdflib triples as triples of Oxigraph terms, each distinct term converted once."""
    term = convert.TermCache(convert.oxigraph_term)
    return ((term(s), term(p), term(o)) for s, p, o in triples)


def is_noise(triple: tuple) -> bool:
    """True for inferred triples that say nothing about our data (axioms, reflexive links, ...).

    ``triple`` holds Oxigraph terms, or rdflib terms.

    >>> is_noise((ox.NamedNode("urn:a"), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.Thing))))
    True
    """
    s, p, o = triple if isinstance(triple[1], ox.NamedNode) else map(convert.oxigraph_term, triple)
    if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
        return True  # anonymous class expressions, lists, and membership in them
    if isinstance(s, ox.Literal) or s.value.startswith(_VOCABULARIES) or s.value.startswith(_ERR):
        return True
    if p in _REFLEXIVE and s == o:
        return True
    if o == _THING and p in (_TYPE, _SUBCLASS):
        return True
    if p == _SUBCLASS and s == _NOTHING:
        return True
    if p == _TYPE and isinstance(o, ox.NamedNode) and o.value.startswith(_XSD):
        return True
    return p == _TYPE and o == _RESOURCE


_TYPE, _SUBCLASS, _RESOURCE, _THING, _NOTHING, _DISJOINT, _MEMBERS = (
    ox.NamedNode(str(term))
    for term in (
        RDF.type,
        RDFS.subClassOf,
        RDFS.Resource,
        OWL.Thing,
        OWL.Nothing,
        OWL.disjointWith,
        OWL.members,
    )
)
_REFLEXIVE = {
    ox.NamedNode(str(term))
    for term in (OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty)
}
_FIRST, _REST = ox.NamedNode(str(RDF.first)), ox.NamedNode(str(RDF.rest))
_XSD = str(XSD)


def _owlrl_closure(graph: Graph) -> tuple[Graph, list[str]]:
    import owlrl

    closure = Graph()
    closure += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = sorted(str(msg) for msg in closure.objects(None, URIRef(_ERR + "error")))
    return closure, errors


def _reasonable_closure(triples: Sequence[tuple]) -> Iterable[tuple]:
    """The closure (asserted triples included) that ``reasonable`` computes, in Oxigraph terms."""
    import reasonable

    engine = reasonable.PyReasoner()
    with tempfile.TemporaryDirectory() as folder:  # the engine reads Turtle files only; N-Triples is Turtle
        path = Path(folder) / "asserted.ttl"
        ox.serialize([ox.Triple(*t) for t in triples], str(path), format=ox.RdfFormat.N_TRIPLES)
        engine.load_file(str(path))
    return _oxigraph_triples(engine.reason())


def _contradictions(triples: Iterable[tuple]) -> list[str]:
    """Members of two disjoint classes (cax-dw, cax-adc) and of owl:Nothing (cls-nothing2)."""
    types: dict = {}
    pairs, heads, first, rest = set(), [], {}, {}
    for s, p, o in triples:
        if p == _TYPE:
            types.setdefault(s, set()).add(o)
        elif p == _DISJOINT:
            pairs.add((s, o))
        elif p == _MEMBERS:
            heads.append(o)
        elif p == _FIRST:
            first[s] = o
        elif p == _REST:
            rest[s] = o
    for head in heads:  # the members of each owl:AllDisjointClasses, pairwise
        members = rules.list_items(head, first, rest)
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    errors = []
    for member, classes in types.items():
        if isinstance(member, ox.BlankNode):
            continue
        if _NOTHING in classes:
            errors.append(f"{member} is a member of owl:Nothing")
        errors.extend(
            f"{member} is a member of disjoint classes {a} and {b}"
            for a, b in pairs
            if a in classes and b in classes
        )
    return sorted(set(errors))
