"""OWL 2 RL reasoning that keeps asserted and inferred triples apart and reports contradictions.

Two engines give the same entailments on our graph: ``owlrl`` (the pure-Python reference)
and ``reasonable`` (a fast Rust implementation, the default).

>>> from calcinosis_kg import load_graph
>>> result = reason(load_graph())
>>> result.errors
[]
>>> len(result.inferred) > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef

__all__ = ["REASONERS", "Reasoning", "reason"]

REASONERS = ("reasonable", "owlrl")

_VOCABULARIES = tuple(str(ns) for ns in (RDF, RDFS, OWL, XSD))
_REFLEXIVE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"

_CONTRADICTIONS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?x ?a ?b WHERE {
  { ?a owl:disjointWith ?b . ?x a ?a , ?b . }
  UNION
  { ?all a owl:AllDisjointClasses ; owl:members ?list .
    ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b .
    FILTER (?a != ?b) ?x a ?a , ?b . }
  UNION
  { ?x a owl:Nothing . BIND (owl:Nothing AS ?a) BIND (owl:Nothing AS ?b) }
  FILTER (!isBlank(?x))
}
"""


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


def reason(graph: Graph, reasoner: str = "reasonable") -> Reasoning:
    """Compute the OWL 2 RL closure of ``graph`` with ``reasoner`` (``reasonable`` or ``owlrl``)."""
    if reasoner == "owlrl":
        closure, errors = _owlrl_closure(graph)
    elif reasoner == "reasonable":
        closure, errors = _reasonable_closure(graph), []
    else:
        raise ValueError(f"unknown reasoner {reasoner!r}; expected one of {', '.join(REASONERS)}")
    inferred = Graph()
    for triple in closure:
        if triple not in graph and not is_noise(triple):
            inferred.add(triple)
    errors += [msg for msg in _contradictions(graph, inferred) if msg not in errors]
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


def _owlrl_closure(graph: Graph) -> tuple[Graph, list[str]]:
    import owlrl

    closure = Graph()
    closure += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    errors = sorted(str(msg) for msg in closure.objects(None, URIRef(_ERR + "error")))
    return closure, errors


def _reasonable_closure(graph: Graph) -> list[tuple]:
    import reasonable

    engine = reasonable.PyReasoner()
    engine.from_graph(graph)
    return engine.reason()


def _contradictions(asserted: Graph, inferred: Graph) -> list[str]:
    both = asserted + inferred
    rows = both.query(_CONTRADICTIONS)
    return sorted(
        f"{x.n3()} is a member of disjoint classes {a.n3()} and {b.n3()}"
        for x, a, b in rows
        if str(a) <= str(b)
    )
