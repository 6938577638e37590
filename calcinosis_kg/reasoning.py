"""OWL 2 RL reasoning that keeps asserted and inferred triples apart and reports contradictions.

Three engines give the same entailments about the data: ``rules`` (the default: the rules the
ontology needs, run by Oxigraph as SPARQL updates with the schema's own closure from
``reasonable``, see :mod:`calcinosis_kg.rules`), ``reasonable`` (a Rust implementation of OWL 2
RL) and ``owlrl`` (the pure-Python reference). Each adds its closure to a graph of an Oxigraph
store (:func:`reason_in`), where one SPARQL update removes what is asserted and the noise.
owlrl also writes out the closure of the schema itself (e.g. every super-property of a
property), which queries reach with property paths (``rdfs:subClassOf*``) whichever engine
built the graph.

>>> from calcinosis_kg import load_graph
>>> result = reason(load_graph())
>>> result.errors
[]
>>> len(result.inferred) > 0
True
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

from . import convert, rules

__all__ = ["NOISE", "REASONERS", "Reasoning", "reason", "reason_in"]

REASONERS = ("rules", "reasonable", "owlrl")

_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"


class Reasoning:
    """The outcome of reasoning: asserted and inferred triples apart, and any contradictions.

    ``store`` holds the asserted triples in its ``graphs`` and the inferred ones in its graph
    ``inferred``. Both come as rdflib graphs (``asserted``, ``inferred``) and as Oxigraph quads
    in the default graph (``asserted_quads``, ``inferred_quads``), made when first asked for.
    """

    def __init__(
        self,
        store: ox.Store,
        graphs: Sequence[ox.NamedNode],
        inferred: ox.NamedNode,
        errors: list[str],
        graph: Graph | None = None,
    ):
        self.store, self.graphs, self.inferred_graph, self.errors = store, list(graphs), inferred, errors
        self._graph = graph

    @cached_property
    def asserted_quads(self) -> list[ox.Quad]:
        """The asserted triples, each once."""
        return list(dict.fromkeys(q for g in self.graphs for q in _in_default_graph(self.store, g)))

    @cached_property
    def inferred_quads(self) -> list[ox.Quad]:
        """The inferred triples, without the noise (see :data:`NOISE`)."""
        return _in_default_graph(self.store, self.inferred_graph)

    @cached_property
    def asserted(self) -> Graph:
        """The asserted triples."""
        return self._graph if self._graph is not None else convert.to_graph(self.asserted_quads)

    @cached_property
    def inferred(self) -> Graph:
        """The inferred triples, without the noise."""
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
    ``graph``), spare the conversion of the graph.
    """
    if graph is None and quads is None:
        raise ValueError("reason() needs a graph or quads")
    found = quads if quads is not None else convert.quads(graph or Graph())
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, _ASSERTED) for q in found)
    errors = reason_in(store, [_ASSERTED], _INFERRED, reasoner, graph)
    return Reasoning(store, [_ASSERTED], _INFERRED, errors, graph)


def reason_in(
    store: ox.Store,
    graphs: Sequence[ox.NamedNode],
    into: ox.NamedNode,
    reasoner: str = "rules",
    graph: Graph | None = None,
) -> list[str]:
    """Add the OWL 2 RL closure of the union of ``graphs`` of ``store`` to its graph ``into``,
    less what ``graphs`` assert and the noise; return the contradictions found, sorted.

    ``graph``, an rdflib graph of the same triples, spares owlrl a conversion.
    """
    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}; expected one of {', '.join(REASONERS)}")
    errors = None
    if reasoner == "rules":  # what the rules add, and the schema's closure
        schema = rules.stored_schema(store, graphs)
        rules.infer(store, graphs, into, schema)
        closure: Iterable[tuple] = _reasonable_closure(schema)
    elif reasoner == "reasonable":
        closure = _reasonable_closure(
            [(q.subject, q.predicate, q.object) for g in graphs for q in _in_default_graph(store, g)]
        )
    else:
        if graph is None:
            graph = convert.to_graph(q for g in graphs for q in _in_default_graph(store, g))
        owlrl_closure, errors = _owlrl_closure(graph)
        closure = _oxigraph_triples(owlrl_closure)
    # generalized triples (owlrl gives literals as subjects) are noise, and no store holds them
    store.bulk_extend(ox.Quad(s, p, o, into) for s, p, o in closure if not isinstance(s, ox.Literal))
    store.update(_CLEAN.format(into=into, graphs=", ".join(map(str, graphs))))
    if errors is None:  # only owlrl checks consistency itself
        errors = _contradictions(store, [*graphs, into])
    return errors


_ASSERTED, _INFERRED = (
    ox.NamedNode("urn:x-calcinosis-kg:asserted"),
    ox.NamedNode("urn:x-calcinosis-kg:inferred"),
)


def _in_default_graph(store: ox.Store, graph: ox.NamedNode) -> list[ox.Quad]:
    return [
        ox.Quad(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)
    ]


def _oxigraph_triples(triples: Iterable[tuple]) -> Iterable[tuple]:
    """rdflib triples as triples of Oxigraph terms, each distinct term converted once."""
    term = convert.TermCache(convert.oxigraph_term)
    return ((term(s), term(p), term(o)) for s, p, o in triples)


_VOCABULARIES = " || ".join(f'STRSTARTS(STR(?s), "{ns}")' for ns in (RDF, RDFS, OWL, XSD, _ERR))
#: The inferred triples that say nothing about our data, as a SPARQL condition on ``?s ?p ?o``:
#: anonymous class expressions, lists and membership in them, statements about the vocabularies,
#: reflexive links, membership in owl:Thing, rdfs:Resource or a datatype.
NOISE = f"""isBlank(?s) || isBlank(?o) || isLiteral(?s) || {_VOCABULARIES}
  || STRSTARTS(STR(?p), "{rules.ANONYMOUS}") || (isIRI(?o) && STRSTARTS(STR(?o), "{rules.ANONYMOUS}"))
  || (?p IN (<{OWL.sameAs}>, <{RDFS.subClassOf}>, <{RDFS.subPropertyOf}>, <{OWL.equivalentClass}>,
             <{OWL.equivalentProperty}>) && sameTerm(?s, ?o))
  || (?o = <{OWL.Thing}> && ?p IN (<{RDF.type}>, <{RDFS.subClassOf}>))
  || (?p = <{RDF.type}> && (?o = <{RDFS.Resource}> || (isIRI(?o) && STRSTARTS(STR(?o), "{XSD}"))))"""
_CLEAN = (
    "DELETE {{ GRAPH {into} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {into} {{ ?s ?p ?o }} FILTER("
    + NOISE.replace("{", "{{").replace("}", "}}")
    + ") }} ;\n"
    "DELETE {{ GRAPH {into} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {into} {{ ?s ?p ?o }} "
    "GRAPH ?g {{ ?s ?p ?o }} FILTER(?g IN ({graphs})) }}"
)
_TYPE, _NOTHING, _DISJOINT, _MEMBERS = (
    ox.NamedNode(str(term)) for term in (RDF.type, OWL.Nothing, OWL.disjointWith, OWL.members)
)
_FIRST, _REST = ox.NamedNode(str(RDF.first)), ox.NamedNode(str(RDF.rest))
_GROUPS, _MEMBER = (
    ox.NamedNode(rules.ANONYMOUS + "disjoint"),
    ox.NamedNode(rules.ANONYMOUS + "disjoint#member"),
)


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


def _contradictions(store: ox.Store, graphs: Sequence[ox.NamedNode]) -> list[str]:
    """Members of two disjoint classes (cax-dw, cax-adc) and of owl:Nothing (cls-nothing2).

    Each owl:disjointWith pair and each owl:AllDisjointClasses is a group of classes; Oxigraph
    finds the members of two classes of one group, and only those are looked at here.
    """
    found = {
        p: [q for g in graphs for q in store.quads_for_pattern(None, p, None, g)]
        for p in (_DISJOINT, _MEMBERS, _FIRST, _REST)
    }
    first = {q.subject: q.object for q in found[_FIRST]}
    rest = {q.subject: q.object for q in found[_REST]}
    groups = [[q.subject, q.object] for q in found[_DISJOINT]]
    groups += [rules.list_items(q.object, first, rest) for q in found[_MEMBERS]]
    nodes = [ox.BlankNode() for _ in groups]
    store.bulk_extend(
        ox.Quad(node, _MEMBER, cls, _GROUPS)
        for node, group in zip(nodes, groups, strict=True)
        for cls in group
    )  # members of anonymous classes are noise, gone by now: those classes never match
    query = f"""SELECT ?x ?group WHERE {{ GRAPH {_GROUPS} {{ ?group {_MEMBER} ?class }} ?x a ?class }}
                GROUP BY ?x ?group HAVING (COUNT(DISTINCT ?class) > 1)"""
    try:
        rows = list(
            cast(ox.QuerySolutions, store.query(query, default_graph=list(graphs), named_graphs=[_GROUPS]))
        )
    finally:
        store.remove_graph(_GROUPS)
    errors: set[str] = set()
    for member, group in rows:
        if isinstance(member, ox.BlankNode):
            continue
        types = {q.object for g in graphs for q in store.quads_for_pattern(member, _TYPE, None, g)}
        classes = [cls for cls in groups[nodes.index(group)] if cls in types]
        errors.update(
            f"{member} is a member of disjoint classes {a} and {b}"
            for i, a in enumerate(classes)
            for b in classes[i + 1 :]
        )
    nothing = (q.subject for g in graphs for q in store.quads_for_pattern(None, _TYPE, _NOTHING, g))
    errors.update(
        f"{member} is a member of owl:Nothing" for member in nothing if not isinstance(member, ox.BlankNode)
    )
    return sorted(errors)
