"""Conversion between rdflib and pyoxigraph: terms, graphs and quads.

rdflib holds the graph that reasoning and validation work on; pyoxigraph parses, serializes and
queries. Terms recur (predicates, classes), so each distinct term is converted once per call.

>>> import pyoxigraph as ox
>>> from rdflib import Graph
>>> g = to_graph([ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x", language="en"))])
>>> quads(g) == [ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("x", language="en"))]
True
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

__all__ = ["TermCache", "oxigraph_term", "quads", "rdflib_term", "to_graph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def oxigraph_term(term):
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    if term.language:
        return ox.Literal(term, language=term.language)
    datatype = term.datatype
    return ox.Literal(term, datatype=ox.NamedNode(datatype) if datatype else None)


def rdflib_term(term):
    """The rdflib term for a pyoxigraph term.

    >>> rdflib_term(ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    rdflib.term.Literal('1', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#integer'))
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def quads(graph: Graph, name: URIRef | None = None) -> list[ox.Quad]:
    """The triples of ``graph`` as pyoxigraph quads in the graph ``name`` (None: the default graph)."""
    term = TermCache(oxigraph_term)
    graph_name = ox.DefaultGraph() if name is None else ox.NamedNode(name)
    return [ox.Quad(term(s), term(p), term(o), graph_name) for s, p, o in graph]


def to_graph(found: Iterable[ox.Quad], graph: Graph | None = None) -> Graph:
    """Add the triples of ``found`` (graph names dropped) to ``graph`` (a new one by default)."""
    graph = Graph() if graph is None else graph
    term = TermCache(rdflib_term)
    for quad in found:
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


class TermCache(dict):
    """Calls ``convert`` once per distinct term."""

    def __init__(self, convert):
        super().__init__()
        self.convert = convert

    def __call__(self, term):
        found = self.get(term)
        if found is None:
            found = self[term] = self.convert(term)
        return found
