"""The OWL 2 RL rules the ontology needs, run in Python over Oxigraph terms, each new triple once.

The schema (the ontology's axioms, and the class and property axioms of any other part) is small:
its own closure comes from the ``reasonable`` engine. The data is large: the rules apply to it
directly, without rdflib, in two strata that each run until nothing new is found, each new
triple taken once (semi-naive). First the edges: sub- and equivalent properties, inverses,
transitive properties (prp-spo1, prp-eqp1/2, prp-inv1/2, prp-trp). Then the types: domains and
ranges (prp-dom, prp-rng), sub- and equivalent classes, intersections, existential
restrictions (cax-sco, cax-eqc1/2, cls-int1/2, cls-svf1); no rule of ours makes an edge from a
type. Contradictions (disjoint classes, owl:Nothing) are the caller's: see
:func:`calcinosis_kg.reasoning.reason`. A schema that uses any other OWL construct is refused,
never half-reasoned: reason with ``reasonable`` or ``owlrl`` then.

>>> ex = "http://example.org/"
>>> n = lambda name: ox.NamedNode(ex + name)
>>> asserted = [(n("partOf"), TYPE, ox.NamedNode(OWL + "TransitiveProperty")),
...     (n("heel"), n("partOf"), n("foot")), (n("foot"), n("partOf"), n("leg"))]
>>> [str(ox.Triple(*t)) for t in infer(asserted)]
['<http://example.org/heel> <http://example.org/partOf> <http://example.org/leg>']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

__all__ = ["OWL", "SUPPORTED", "TYPE", "infer", "is_schema", "list_items", "schema_triples"]

RDF, RDFS, OWL = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
)
TYPE = ox.NamedNode(RDF + "type")
_FIRST, _REST, _NIL = (ox.NamedNode(RDF + name) for name in ("first", "rest", "nil"))
_SUB_CLASS, _SUB_PROPERTY, _DOMAIN, _RANGE = (
    ox.NamedNode(RDFS + name) for name in ("subClassOf", "subPropertyOf", "domain", "range")
)
_EQ_CLASS, _EQ_PROPERTY, _INVERSE, _INTERSECTION, _ON_PROPERTY, _SOME, _TRANSITIVE = (
    ox.NamedNode(OWL + name)
    for name in (
        "equivalentClass",
        "equivalentProperty",
        "inverseOf",
        "intersectionOf",
        "onProperty",
        "someValuesFrom",
        "TransitiveProperty",
    )
)
#: The predicates whose triples make the schema (with the types of schema terms, see :func:`is_schema`).
SCHEMA_PREDICATES = frozenset(
    {
        _SUB_CLASS,
        _SUB_PROPERTY,
        _DOMAIN,
        _RANGE,
        _FIRST,
        _REST,
    }
)
_SCHEMA_TYPES = (OWL, RDFS, RDF + "Property")
#: What of OWL the rules (and the contradiction check) understand; any other OWL term in a
#: predicate or a type is refused.
_SUPPORTED_NAMES = """
    Class Thing Nothing NamedIndividual ObjectProperty DatatypeProperty AnnotationProperty
    Ontology versionInfo versionIRI imports priorVersion deprecated
    TransitiveProperty Restriction onProperty someValuesFrom intersectionOf
    equivalentClass equivalentProperty inverseOf disjointWith AllDisjointClasses members
"""
SUPPORTED = frozenset(OWL + name for name in _SUPPORTED_NAMES.split())


def is_schema(triple: tuple) -> bool:
    """True for a triple of the schema: an RDFS or OWL axiom, a list cell, or the type of a term
    that is a class or property (e.g. ``owl:TransitiveProperty``)."""
    _, p, o = triple
    if p == TYPE:
        return isinstance(o, ox.NamedNode) and o.value.startswith(_SCHEMA_TYPES)
    return p in SCHEMA_PREDICATES or p.value.startswith(OWL)


def schema_triples(triples: Iterable[tuple]) -> list[tuple]:
    """The schema triples of ``triples``; an OWL construct the rules do not run is an error."""
    schema = [t for t in triples if is_schema(t)]
    for _, p, o in schema:
        term = o if p == TYPE else p
        if isinstance(term, ox.NamedNode) and term.value.startswith(OWL) and term.value not in SUPPORTED:
            raise ValueError(
                f"the rules engine does not run owl:{term.value[len(OWL) :]}; "
                "reason with reasoner='reasonable' or 'owlrl'"
            )
    return schema


def infer(triples: Iterable[tuple], schema: Iterable[tuple] = ()) -> Iterator[tuple]:
    """The triples that the rules add to ``triples`` (each an ``(s, p, o)`` of Oxigraph terms),
    reading the axioms among them and in ``schema``, each once: new edges, then new types."""
    asserted = list(triples)
    axioms = _Axioms([*schema_triples(asserted), *schema])
    edges = _Edges(axioms, asserted)
    yield from edges.added
    types = _Types(axioms, asserted, edges)
    for member, classes in types.added.items():
        for cls in classes:
            yield member, TYPE, cls


class _Axioms:
    """The axioms in the shape the rules read them: from each term, the terms it leads to."""

    def __init__(self, schema: list[tuple]):
        self.implies: dict = defaultdict(list)  # property -> (implied property, inverted)
        self.supers: dict = defaultdict(list)  # class -> classes it is in
        self.domain: dict = defaultdict(list)
        self.range: dict = defaultdict(list)
        self.transitive = set()
        rest, first, parts = {}, {}, {}
        on_property, some = {}, {}
        for s, p, o in schema:
            if p == _SUB_PROPERTY and s != o:
                self.implies[s].append((o, False))
            elif p == _EQ_PROPERTY and s != o:
                self.implies[s].append((o, False))
                self.implies[o].append((s, False))
            elif p == _INVERSE:
                self.implies[s].append((o, True))
                self.implies[o].append((s, True))
            elif p == _SUB_CLASS and s != o:
                self.supers[s].append(o)
            elif p == _EQ_CLASS and s != o:
                self.supers[s].append(o)
                self.supers[o].append(s)
            elif p == _DOMAIN:
                self.domain[s].append(o)
            elif p == _RANGE:
                self.range[s].append(o)
            elif p == TYPE and o == _TRANSITIVE:
                self.transitive.add(s)
            elif p == _FIRST:
                first[s] = o
            elif p == _REST:
                rest[s] = o
            elif p == _INTERSECTION:
                parts[s] = o
            elif p == _ON_PROPERTY:
                on_property[s] = o
            elif p == _SOME:
                some[s] = o
        self.intersections: dict = defaultdict(list)  # member class -> (intersection, members)
        for intersection, head in parts.items():
            members = list_items(head, first, rest)
            self.supers[intersection].extend(members)  # cls-int2
            for member in members:
                self.intersections[member].append((intersection, members))
        self.restrictions: dict = defaultdict(list)  # filler class -> (restriction, property)
        for restriction, filler in some.items():
            if restriction in on_property:
                self.restrictions[filler].append((restriction, on_property[restriction]))


def list_items(head, first: dict, rest: dict) -> list:
    """The items of the RDF list that starts at ``head`` (``first`` and ``rest``: each cell's)."""
    members = []
    while head in first:
        members.append(first[head])
        head = rest.get(head, _NIL)
    return members


class _Edges:
    """The closure of the edges under sub-, equivalent, inverse and transitive properties."""

    def __init__(self, axioms: _Axioms, asserted: list[tuple]):
        self.axioms = axioms
        wanted = set(axioms.implies) | axioms.transitive
        wanted |= {q for implied in axioms.implies.values() for q, _ in implied}
        self.known = {t for t in asserted if t[1] in wanted}
        self.added: list[tuple] = []
        self.forward: dict = defaultdict(lambda: defaultdict(set))  # transitive p -> s -> objects
        self.backward: dict = defaultdict(lambda: defaultdict(set))  # transitive p -> o -> subjects
        for s, p, o in self.known:
            if p in axioms.transitive:
                self.forward[p][s].add(o)
                self.backward[p][o].add(s)
        pending = list(self.known)
        while pending:
            s, p, o = pending.pop()
            found = [(o, q, s) if inverted else (s, q, o) for q, inverted in axioms.implies.get(p, ())]
            if p in axioms.transitive:
                found += [(s, p, far) for far in list(self.forward[p].get(o, ()))]
                found += [(near, p, o) for near in list(self.backward[p].get(s, ()))]
            for new in found:
                if new not in self.known and not isinstance(new[0], ox.Literal):
                    self.known.add(new)
                    self.added.append(new)
                    pending.append(new)
                    if new[1] in axioms.transitive:
                        self.forward[new[1]][new[0]].add(new[2])
                        self.backward[new[1]][new[2]].add(new[0])


class _Types:
    """The types that domains, ranges, classes, intersections and restrictions give."""

    def __init__(self, axioms: _Axioms, asserted: list[tuple], edges: _Edges):
        self.axioms = axioms
        self.types: dict = defaultdict(set)
        self.added: dict = defaultdict(list)
        self.pending: list[tuple] = []
        restricted = {p for pairs in axioms.restrictions.values() for _, p in pairs}
        self.subjects: dict = defaultdict(lambda: defaultdict(list))  # restricted p -> o -> subjects
        for s, p, o in asserted:
            if p == TYPE:
                self.types[s].add(o)
                self.pending.append((s, o))
        for s, p, o in (*asserted, *edges.added):
            if p in restricted:
                self.subjects[p][o].append(s)
            for cls in axioms.domain.get(p, ()):
                self._add(s, cls)
            if not isinstance(o, ox.Literal):
                for cls in axioms.range.get(p, ()):
                    self._add(o, cls)
        while self.pending:
            member, cls = self.pending.pop()
            for upper in axioms.supers.get(cls, ()):
                self._add(member, upper)
            for intersection, members in axioms.intersections.get(cls, ()):
                if all(m in self.types[member] for m in members):
                    self._add(member, intersection)
            for restriction, p in axioms.restrictions.get(cls, ()):
                for subject in self.subjects[p].get(member, ()):
                    self._add(subject, restriction)

    def _add(self, member, cls) -> None:
        known = self.types[member]
        if cls not in known:
            known.add(cls)
            self.added[member].append(cls)
            self.pending.append((member, cls))
