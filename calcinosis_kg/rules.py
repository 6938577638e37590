"""The OWL 2 RL rules the ontology needs, run by Oxigraph as SPARQL updates over the store.

The schema (the ontology's axioms, and the class and property axioms of any other part) is small:
it is read from the store, its own closure comes from the ``reasonable`` engine, and it is
written as a small graph of rule tables (each class with every class above it, each property
with the properties it implies). The data is large and never leaves the store: each rule is one
SPARQL update that joins the data with those tables, in two strata that each run until nothing
new is found. First the edges: sub- and equivalent properties, inverses, transitive properties
(prp-spo1, prp-eqp1/2, prp-inv1/2, prp-trp). Then the types: domains and ranges (prp-dom,
prp-rng), sub- and equivalent classes, intersections, existential restrictions (cax-sco,
cax-eqc1/2, cls-int1/2, cls-svf1); no rule of ours makes an edge from a type. Anonymous
classes (restrictions, intersections) get IRIs under :data:`ANONYMOUS` while the rules run.
What is already asserted, noise and contradictions are the caller's: see
:func:`calcinosis_kg.reasoning.reason_in`. A schema that uses any other OWL construct is
refused, never half-reasoned: reason with ``reasonable`` or ``owlrl`` then.

>>> ex, g, inferred = "http://example.org/", ox.NamedNode("urn:g"), ox.NamedNode("urn:inferred")
>>> n = lambda name: ox.NamedNode(ex + name)
>>> store = ox.Store()
>>> store.bulk_extend(ox.Quad(*t, g) for t in [(n("partOf"), TYPE, ox.NamedNode(OWL + "TransitiveProperty")),
...     (n("heel"), n("partOf"), n("foot")), (n("foot"), n("partOf"), n("leg"))])
>>> infer(store, [g], inferred)
>>> [str(q.triple) for q in store.quads_for_pattern(None, None, None, inferred)]
['<http://example.org/heel> <http://example.org/partOf> <http://example.org/leg>']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import cast

import pyoxigraph as ox

__all__ = [
    "ANONYMOUS",
    "OWL",
    "SUPPORTED",
    "TYPE",
    "infer",
    "list_items",
    "stored_schema",
]

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
#: The predicates whose triples make the schema (with the types of schema terms, see :func:`stored_schema`).
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
#: Where the IRIs of anonymous classes, and the rule tables, live while the rules run.
ANONYMOUS = "urn:x-calcinosis-kg:anonymous:"
_TABLES = ox.NamedNode(ANONYMOUS + "rules")
_SCHEMA_TYPE_TEST = " || ".join(f'STRSTARTS(STR(?o), "{ns}")' for ns in _SCHEMA_TYPES)
_SCHEMA_QUERY = f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  ?s ?p ?o
  FILTER(?p IN ({", ".join(str(p) for p in sorted(SCHEMA_PREDICATES, key=str))})
         || STRSTARTS(STR(?p), "{OWL}")
         || (?p = {TYPE} && isIRI(?o) && ({_SCHEMA_TYPE_TEST})))
}}"""


def stored_schema(store: ox.Store, graphs: Sequence[ox.NamedNode]) -> list[tuple]:
    """The schema triples of the union of ``graphs`` of ``store``, found by Oxigraph: the RDFS and
    OWL axioms, list cells, and the types of terms that are classes or properties (e.g.
    ``owl:TransitiveProperty``). An OWL construct the rules do not run is an error."""
    solutions = cast(ox.QuerySolutions, store.query(_SCHEMA_QUERY, default_graph=list(graphs)))
    schema = [tuple(row) for row in solutions]
    for _, p, o in schema:
        term = o if p == TYPE else p
        if isinstance(term, ox.NamedNode) and term.value.startswith(OWL) and term.value not in SUPPORTED:
            raise ValueError(
                f"the rules engine does not run owl:{term.value[len(OWL) :]}; "
                "reason with reasoner='reasonable' or 'owlrl'"
            )
    return schema


def infer(
    store: ox.Store, graphs: Sequence[ox.NamedNode], into: ox.NamedNode, schema: list[tuple] | None = None
) -> None:
    """Add to the graph ``into`` of ``store`` what the rules derive from the union of ``graphs``
    (and ``into``), reading the axioms there (or in ``schema``, from :func:`stored_schema`):
    new edges, then new types.

    Triples that some graph already holds may be added again; the caller removes them.
    """
    axioms = _Axioms(stored_schema(store, graphs) if schema is None else schema)
    tables = _tables(axioms)
    store.bulk_extend(ox.Quad(s, p, o, _TABLES) for s, p, o in tables)
    try:
        run = _Run(store, [*graphs, into], into)
        run.once(_EDGE_RULES)
        run.until_stable(_TRANSITIVE_RULES)
        run.once(_TYPE_RULES)
        run.until_stable([_RESTRICTION_RULE, *(_intersection_rule(i, axioms) for i in axioms.intersections)])
    finally:
        store.remove_graph(_TABLES)


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
        self.intersections: dict = {}  # intersection -> its member classes
        for intersection, head in parts.items():
            members = list_items(head, first, rest)
            self.supers[intersection].extend(members)  # cls-int2
            self.intersections[intersection] = members
        #: (restriction, property, filler) of each existential restriction
        self.restrictions = [(r, on_property[r], filler) for r, filler in some.items() if r in on_property]
        #: each class and the classes above it
        self.above = {cls: _above(self.supers, cls) for cls in _classes(self)}


def list_items(head, first: dict, rest: dict) -> list:
    """The items of the RDF list that starts at ``head`` (``first`` and ``rest``: each cell's)."""
    members = []
    while head in first:
        members.append(first[head])
        head = rest.get(head, _NIL)
    return members


def _iri(term) -> ox.NamedNode:
    """``term``, or the IRI that stands for it while the rules run if it is a blank node."""
    return ox.NamedNode(ANONYMOUS + term.value) if isinstance(term, ox.BlankNode) else term


def _above(supers: dict, start) -> set:
    """The classes above ``start`` (``supers``: each class's direct ones), ``start`` aside."""
    found, pending = set(), list(supers.get(start, ()))
    while pending:
        cls = pending.pop()
        if cls not in found:
            found.add(cls)
            pending.extend(supers.get(cls, ()))
    return found - {start}


def _tables(axioms: _Axioms) -> list[tuple]:
    """The axioms as the triples of the rule tables: what each property implies, each class's
    classes above, each domain and range with the classes above it, each restriction."""
    t, above = _t, axioms.above
    rows: list[tuple] = []
    for p in axioms.implies:
        rows += [
            (_iri(p), t("inverts" if inverted else "implies"), _iri(q)) for q, inverted in _implied(axioms, p)
        ]
    rows += [(_iri(p), t("transitive"), _iri(p)) for p in axioms.transitive]
    for name, table in (("domain", axioms.domain), ("range", axioms.range)):
        for p, classes in table.items():
            rows += [(_iri(p), t(name), _iri(c)) for cls in classes for c in {cls, *above[cls]}]
    rows += [(_iri(cls), t("above"), _iri(upper)) for cls, uppers in above.items() for upper in uppers]
    for restriction, p, filler in axioms.restrictions:
        node = _iri(restriction)
        rows += [(node, t("onProperty"), _iri(p)), (node, t("filler"), _iri(filler))]
        rows += [(node, t("gives"), _iri(c)) for c in {restriction, *above[restriction]}]
    return rows


def _implied(axioms: _Axioms, start) -> set:
    """The properties that an edge of ``start`` implies, each with whether it is inverted: the
    closure of sub-, equivalent and inverse properties (an inverse of an inverse is direct)."""
    found: set = set()
    pending = list(axioms.implies.get(start, ()))
    while pending:
        p, inverted = pending.pop()
        if (p, inverted) not in found:
            found.add((p, inverted))
            pending.extend((q, inverted != flips) for q, flips in axioms.implies.get(p, ()))
    return found - {(start, False)}


def _classes(axioms: _Axioms) -> set:
    found = set(axioms.supers) | {c for uppers in axioms.supers.values() for c in uppers}
    found |= {c for table in (axioms.domain, axioms.range) for classes in table.values() for c in classes}
    found |= set(axioms.intersections) | {r for r, _, _ in axioms.restrictions}
    return found | {f for _, _, f in axioms.restrictions}


def _intersection_rule(intersection, axioms: _Axioms) -> tuple[str, str]:
    """cls-int1: a member of every class of ``intersection`` is a member of it (and above)."""
    members = " . ".join(f"?x a {_iri(m)}" for m in axioms.intersections[intersection])
    gives = " ".join(str(_iri(c)) for c in sorted({intersection, *axioms.above[intersection]}, key=str))
    return "?x a ?c", f"VALUES ?c {{ {gives} }} {members}"


_RULES = ANONYMOUS + "rules#"  # the rule tables' vocabulary, prefix ``t:`` in the rules


def _t(name: str) -> ox.NamedNode:
    return ox.NamedNode(_RULES + name)


def _table(pattern: str) -> str:
    return f"GRAPH {_TABLES} {{ {pattern} }}"


#: (template, pattern) of each rule; the pattern joins the rule tables with the data. The
#: implications are closed, so each edge rule runs once; what transitivity adds is followed.
_EDGE_RULES = [
    ("?s ?q ?o", _table("?p t:implies ?q") + " ?s ?p ?o"),
    ("?o ?q ?s", _table("?p t:inverts ?q") + " ?s ?p ?o FILTER(!isLiteral(?o))"),
]
_TRANSITIVE_RULES = [
    ("?s ?p ?z", _table("?p t:transitive ?p") + " ?s ?p ?o . ?o ?p ?z"),
    ("?s ?q ?o", _table("?p t:transitive ?p ; t:implies ?q") + " ?s ?p ?o"),
    ("?o ?q ?s", _table("?p t:transitive ?p ; t:inverts ?q") + " ?s ?p ?o FILTER(!isLiteral(?o))"),
]
#: Each type comes with every class above it, so only intersections and restrictions, which
#: read types, run again.
_TYPE_RULES = [
    ("?s a ?c", _table("?p t:domain ?c") + " ?s ?p ?o"),
    ("?o a ?c", _table("?p t:range ?c") + " ?s ?p ?o FILTER(!isLiteral(?o))"),
    ("?x a ?c", _table("?t t:above ?c") + " ?x a ?t"),
]
_RESTRICTION_RULE = (
    "?x a ?c",
    _table("?r t:onProperty ?p ; t:filler ?f ; t:gives ?c") + " ?x ?p ?y . ?y a ?f",
)


class _Run:
    """The rules run as SPARQL updates on ``store``: the data is the union of ``graphs``, and
    what they add goes to ``into``."""

    def __init__(self, store: ox.Store, graphs: list[ox.NamedNode], into: ox.NamedNode):
        self.store, self.into = store, into
        self.dataset = " ".join(f"USING {g}" for g in graphs) + f" USING NAMED {_TABLES}"
        self.prefix = f"PREFIX t: <{_RULES}>\n"

    def once(self, rules: list[tuple[str, str]]) -> None:
        """Run each of ``rules`` once, in turn."""
        for template, pattern in rules:
            insert = f"INSERT {{ GRAPH {self.into} {{ {template} }} }}"
            self.store.update(f"{self.prefix}{insert} {self.dataset} WHERE {{ {pattern} }}")

    def until_stable(self, rules: list[tuple[str, str]]) -> None:
        """Run ``rules`` in turn until a round adds nothing."""
        size = self.size()
        while True:
            self.once(rules)
            size, before = self.size(), size
            if size == before:
                return

    def size(self) -> int:
        (row,) = cast(
            ox.QuerySolutions,
            self.store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH {self.into} {{ ?s ?p ?o }} }}"),
        )
        return int(row[0].value)
