"""SHACL validation on Oxigraph: each constraint of a shape is one SPARQL query that returns the
focus nodes (and value nodes) that break it, for all the focus nodes at once.

The engine runs the part of SHACL the project's shapes use: the Core targets and SPARQL-based
targets (``sh:select``), predicate, inverse, alternative, sequence and repeated paths, and the
constraint components listed in ``VALUE_TESTS`` and ``COUNTS`` (with ``sh:property`` and
``sh:qualifiedValueShape``). A shape that uses anything else is an error, never skipped: use
pyshacl (``validate(..., engine="pyshacl")``) for those. ``sh:pattern`` is checked with Python's
``re``, as pyshacl does, because Oxigraph's regular expressions have no look-around.

>>> from rdflib import Graph
>>> shapes = Graph().parse(data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     <urn:shape> sh:targetNode <urn:a> ; sh:path <urn:p> ; sh:minCount 2 .''', format="turtle")
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("1")))
>>> [(r.focus.value, r.component.fragment) for r in check(store, shapes)]
[('urn:a', 'MinCountConstraintComponent')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH

from .convert import rdflib_term

__all__ = ["COUNTS", "VALUE_TESTS", "Result", "check", "path_text", "report"]

_VALUE = "?value"


def _langs(shapes: Graph, node) -> str:
    tests = [f"LANGMATCHES(LANG({_VALUE}), {lang.n3()})" for lang in Collection(shapes, node)]
    return f"isLiteral({_VALUE}) && ({' || '.join(tests) or 'false'})"


def _members(shapes: Graph, node) -> str:
    """``sh:in``: the value is one of the members of the list (a closed vocabulary)."""
    return f"({_VALUE} IN ({', '.join(member.n3() for member in Collection(shapes, node))}))"


_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.BlankNodeOrIRI: "!isLiteral(?value)",
    SH.BlankNodeOrLiteral: "!isIRI(?value)",
    SH.IRIOrLiteral: "!isBlank(?value)",
}

#: Components that test each value node on its own: parameter -> (component, the SPARQL
#: expression that is true when the value node ``?value`` passes, from the parameter's value).
VALUE_TESTS = {
    SH["class"]: ("Class", lambda s, o: f"EXISTS {{ ?value a/<{RDFS.subClassOf}>* {o.n3()} }}"),
    SH.datatype: ("Datatype", lambda s, o: f"(isLiteral(?value) && DATATYPE(?value) = {o.n3()})"),
    SH.nodeKind: ("NodeKind", lambda s, o: _NODE_KINDS[o]),
    SH.minLength: ("MinLength", lambda s, o: f"(!isBlank(?value) && STRLEN(STR(?value)) >= {int(o)})"),
    SH.maxLength: ("MaxLength", lambda s, o: f"(!isBlank(?value) && STRLEN(STR(?value)) <= {int(o)})"),
    SH.languageIn: ("LanguageIn", _langs),
    SH["in"]: ("In", _members),
    SH.minInclusive: ("MinInclusive", lambda s, o: f"COALESCE(?value >= {o.n3()}, false)"),
    SH.maxInclusive: ("MaxInclusive", lambda s, o: f"COALESCE(?value <= {o.n3()}, false)"),
    SH.minExclusive: ("MinExclusive", lambda s, o: f"COALESCE(?value > {o.n3()}, false)"),
    SH.maxExclusive: ("MaxExclusive", lambda s, o: f"COALESCE(?value < {o.n3()}, false)"),
}
#: Components that count the value nodes of a focus node: parameter -> (component, HAVING test).
COUNTS = {
    SH.minCount: ("MinCount", "COUNT(DISTINCT ?value) < {}"),
    SH.maxCount: ("MaxCount", "COUNT(DISTINCT ?value) > {}"),
    SH.qualifiedMinCount: ("QualifiedMinCount", "COUNT(DISTINCT ?value) < {}"),
    SH.qualifiedMaxCount: ("QualifiedMaxCount", "COUNT(DISTINCT ?value) > {}"),
}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
_ALLOWED = {
    *_TARGETS,
    *VALUE_TESTS,
    *COUNTS,
    SH.path,
    SH.property,
    SH.pattern,
    SH.flags,
    SH.uniqueLang,
    SH.qualifiedValueShape,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
}
_FLAGS = {"i": re.I, "s": re.S, "m": re.M, "x": re.X}


@dataclass(frozen=True, order=True)
class Result:
    """One validation result: the focus node (and value node) that break a shape's constraint."""

    shape: URIRef | BNode
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    component: URIRef
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None = None


@dataclass(frozen=True)
class _Check:
    """One query of one constraint; ``pattern`` (sh:pattern) filters its value rows in Python."""

    shape: URIRef | BNode
    component: URIRef
    query: str
    pattern: re.Pattern | None = None


def check(store: ox.Store, shapes: Graph, graphs: list[ox.NamedNode] | None = None) -> list[Result]:
    """The results of validating the union of the graphs of ``store`` (or of ``graphs``)
    against ``shapes``, sorted; none when it conforms."""
    prefixes = _prefixes(shapes)
    scope = {"default_graph": graphs} if graphs is not None else {"use_default_graph_as_union": True}
    results = set()
    for found in _checks(shapes):
        for row in cast(ox.QuerySolutions, store.query(found.query, prefixes=prefixes, **scope)):
            value = row["value"]
            if found.pattern is not None and not _breaks(found.pattern, value):
                continue
            results.add(Result(found.shape, row["this"], found.component, value))
    return sorted(results, key=lambda r: (str(r.shape), str(r.focus), str(r.component), str(r.value)))


def _breaks(pattern: re.Pattern, value) -> bool:
    return isinstance(value, ox.BlankNode) or not pattern.search(value.value)


def _checks(shapes: Graph) -> Iterator[_Check]:
    declared = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    targeted = {shape for p in _TARGETS for shape in shapes.subjects(p, None)} | _implicit_targets(shapes)
    for shape in sorted(declared | targeted | set(shapes.subjects(SH.path, None)), key=str):
        _refuse_unsupported(shapes, shape)
    for shape in sorted(targeted, key=str):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        focus = _focus(shapes, shape)
        yield from _constraints(shapes, shape, focus)
        for member in shapes.objects(shape, SH.property):
            if shapes.value(member, SH.deactivated) != Literal(True):
                yield from _constraints(shapes, member, focus)


def _constraints(shapes: Graph, shape, focus: str) -> Iterator[_Check]:
    """The queries of the constraints of ``shape`` (a node shape if it has no sh:path) on the
    focus nodes that ``focus`` binds to ``?this``."""
    path = shapes.value(shape, SH.path)
    values = (
        f"{focus} BIND(?this AS ?value)"
        if path is None
        else f"{focus} ?this {path_text(shapes, path)} ?value"
    )
    for parameter, (name, test) in VALUE_TESTS.items():
        for argument in shapes.objects(shape, parameter):
            if parameter == SH["class"]:  # the instances of the class at once, not a search per value
                breaking = f"MINUS {{ ?value a/<{RDFS.subClassOf}>* {argument.n3()} }}"
            else:
                breaking = f"FILTER(!({test(shapes, argument)}))"
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {values} {breaking} }}"
            yield _Check(shape, SH[name + "ConstraintComponent"], query)
    for argument in shapes.objects(shape, SH.pattern):
        flags = sum(_FLAGS[f] for f in str(shapes.value(shape, SH.flags) or ""))
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {values} }}"
        yield _Check(shape, SH.PatternConstraintComponent, query, re.compile(str(argument), flags))
    if path is None:
        return
    qualified = shapes.value(shape, SH.qualifiedValueShape)
    for parameter, (name, condition) in COUNTS.items():
        for argument in shapes.objects(shape, parameter):
            wanted = f"FILTER({_conforms(shapes, qualified)})" if name.startswith("Qualified") else ""
            optional = f"OPTIONAL {{ ?this {path_text(shapes, path)} ?value {wanted} }}"
            having = condition.format(int(str(argument)))
            query = f"SELECT ?this WHERE {{ {focus} {optional} }} GROUP BY ?this HAVING ({having})"
            yield _Check(shape, SH[name + "ConstraintComponent"], query)
    if shapes.value(shape, SH.uniqueLang) == Literal(True):
        query = (
            f"SELECT ?this ?lang WHERE {{ {values} BIND(LCASE(LANG(?value)) AS ?lang) FILTER(?lang != '') }}"
            " GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1)"
        )
        yield _Check(shape, SH.UniqueLangConstraintComponent, query)


def _conforms(shapes: Graph, shape) -> str:
    """A SPARQL expression true when ``?value`` conforms to ``shape``, a shape of value tests only."""
    if shape is None:
        raise ValueError("sh:qualifiedMinCount or sh:qualifiedMaxCount without sh:qualifiedValueShape")
    used = {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))}
    if used - set(VALUE_TESTS) - {SH.message, SH.severity}:
        raise ValueError(f"the qualified value shape {shape.n3()} may only test value nodes one by one")
    tests = [test(shapes, o) for p, (_, test) in VALUE_TESTS.items() for o in shapes.objects(shape, p)]
    return " && ".join(f"({t})" for t in tests) or "true"


def _focus(shapes: Graph, shape) -> str:
    """A subquery that binds ``?this`` to each focus node of ``shape``, once."""
    parts = [f"{{ ?this a/<{RDFS.subClassOf}>* {c.n3()} }}" for c in _classes(shapes, shape)]
    parts += [f"{{ VALUES ?this {{ {node.n3()} }} }}" for node in shapes.objects(shape, SH.targetNode)]
    parts += [f"{{ ?this {p.n3()} ?object }}" for p in shapes.objects(shape, SH.targetSubjectsOf)]
    parts += [f"{{ ?subject {p.n3()} ?this }}" for p in shapes.objects(shape, SH.targetObjectsOf)]
    for target in shapes.objects(shape, SH.target):
        select = shapes.value(target, SH.select)
        if select is None:
            raise ValueError(f"the target {target.n3()} of {shape.n3()} is not a SPARQL target (sh:select)")
        parts.append(f"{{ {select} }}")
    return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(parts)} }} }}"


def _classes(shapes: Graph, shape) -> list:
    implicit = [shape] if shape in _implicit_targets(shapes) else []
    return [*shapes.objects(shape, SH.targetClass), *implicit]


def _implicit_targets(shapes: Graph) -> set:
    """Shapes that are also classes: their instances are their focus nodes."""
    shaped = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    return {s for s in shaped for c in (RDFS.Class, OWL.Class) if (s, RDF.type, c) in shapes}


def _refuse_unsupported(shapes: Graph, shape) -> None:
    for predicate in set(shapes.predicates(shape, None)):
        if str(predicate).startswith(str(SH)) and predicate not in _ALLOWED:
            raise ValueError(
                f"the oxigraph engine does not run {shapes.qname(str(predicate))} (shape {shape.n3()}); "
                "validate with engine='pyshacl'"
            )


def path_text(graph: Graph, path) -> str:
    """A SHACL property path as a SPARQL property path.

    >>> g = Graph().parse(format="turtle", data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     <urn:s> sh:path [ sh:alternativePath ( <urn:p> [ sh:inversePath <urn:q> ] ) ] .''')
    >>> path_text(g, g.value(URIRef("urn:s"), URIRef(SH.path)))
    '(<urn:p>|^<urn:q>)'
    """
    if isinstance(path, URIRef):
        return path.n3()
    if (path, RDF.first, None) in graph:
        return "(" + "/".join(path_text(graph, step) for step in Collection(graph, path)) + ")"
    for predicate, operator in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"({path_text(graph, inner)}){operator}"
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, step) for step in Collection(graph, alternatives)) + ")"
    raise ValueError(f"not a SHACL property path: {path.n3()}")


def _prefixes(shapes: Graph) -> dict[str, str]:
    """The prefixes declared (sh:declare) on the nodes the shapes name with sh:prefixes."""
    return {
        str(shapes.value(declaration, SH.prefix)): str(shapes.value(declaration, SH.namespace))
        for node in set(shapes.objects(None, SH.prefixes))
        for declaration in shapes.objects(node, SH.declare)
    }


def report(results: list[Result], shapes: Graph) -> tuple[bool, Graph, str]:
    """pyshacl's ``(conforms, report_graph, report_text)`` for ``results``: ``sh:conforms`` is
    false when there is any result, a warning included, as the SHACL specification says."""
    graph = Graph()
    graph.bind("sh", SH)
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(not results)))
    blocks = []
    for found in results:
        result = BNode()
        severity = shapes.value(found.shape, SH.severity) or SH.Violation
        path = shapes.value(found.shape, SH.path)
        messages = list(shapes.objects(found.shape, SH.message))
        graph.add((node, SH.result, result))
        for predicate, value in (
            (RDF.type, SH.ValidationResult),
            (SH.focusNode, rdflib_term(found.focus)),
            (SH.resultSeverity, severity),
            (SH.sourceShape, found.shape),
            (SH.sourceConstraintComponent, found.component),
            (SH.value, None if found.value is None else rdflib_term(found.value)),
            (SH.resultPath, path),
            *((SH.resultMessage, message) for message in messages),
        ):
            if value is not None:
                graph.add((result, predicate, value))
        _copy_blank(shapes, path, graph)
        blocks.append(_text_block(found, severity, path, messages, shapes))
    text = f"Validation Report\nConforms: {not results}\n"
    if results:
        text += f"Results ({len(results)}):\n" + "".join(blocks)
    return not results, graph, text


def _text_block(found: Result, severity, path, messages, shapes: Graph) -> str:
    kind = "Constraint Violation" if severity == SH.Violation else "Validation Result"
    lines = [
        f"{kind} in {found.component.fragment} ({found.component}):",
        f"Severity: sh:{severity.fragment}",
        f"Source Shape: {found.shape.n3()}",
        f"Focus Node: {rdflib_term(found.focus).n3()}",
    ]
    if found.value is not None:
        lines.append(f"Value Node: {rdflib_term(found.value).n3()}")
    if path is not None:
        lines.append(f"Result Path: {path_text(shapes, path)}")
    lines += [f"Message: {message}" for message in messages]
    return lines[0] + "\n" + "".join(f"\t{line}\n" for line in lines[1:])


def _copy_blank(source: Graph, node, target: Graph) -> None:
    """Copy the triples that describe a blank node (a path, a list), and those of the blank nodes
    they reach."""
    if not isinstance(node, BNode):
        return
    for predicate, value in source.predicate_objects(node):
        target.add((node, predicate, value))
        _copy_blank(source, value, target)
