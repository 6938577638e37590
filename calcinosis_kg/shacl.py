"""SHACL validation on Oxigraph: a few SPARQL queries per set of focus nodes find the focus
nodes (and value nodes) that break the shapes' constraints, for all the focus nodes at once.

The constraints of all the shapes with the same focus nodes run together:

- one query for the value tests: a branch of a ``UNION`` per path scans it for the values that
  fail one of its tests (a flag per test tells which) before they meet the focus nodes; a
  ``sh:class`` test is a branch of its own (``MINUS`` the instances of the class);
- one query for the counts (``sh:minCount``, ``sh:maxCount`` and the qualified counts): the
  distinct values of every counted path, grouped by node with the focus nodes as one more
  branch, the bounds told apart in Python;
- a query per ``sh:uniqueLang``.

A ``sh:pattern`` is first matched on the values along its path of any node: the focus nodes are
looked for only if one of them breaks it.

The engine runs the part of SHACL the project's shapes use: the Core targets and SPARQL-based
targets (``sh:select``), predicate, inverse, alternative, sequence and repeated paths, and the
constraint components listed in ``VALUE_TESTS`` and ``COUNTS`` (with ``sh:property`` and
``sh:qualifiedValueShape``). A shape that uses anything else is an error, never skipped: use
pyshacl (``validate(..., engine="pyshacl")``) for those. ``sh:pattern`` is checked with Python's
``re``, as pyshacl does, because Oxigraph's regular expressions have no look-around.

>>> from rdflib import Graph
>>> shapes = Graph().parse(data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     <urn:shape> sh:targetNode <urn:a> ; sh:path <urn:p> ; sh:minCount 2 ; sh:datatype sh:x .
... ''', format="turtle")
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("1")))
>>> sorted((r.focus.value, r.component.fragment) for r in check(store, shapes))
[('urn:a', 'DatatypeConstraintComponent'), ('urn:a', 'MinCountConstraintComponent')]
"""

from __future__ import annotations

import re
from collections import defaultdict
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
#: Components that count the value nodes of a focus node: parameter -> (component, whether the
#: parameter is the least count; it is the greatest otherwise).
COUNTS = {
    SH.minCount: ("MinCount", True),
    SH.maxCount: ("MaxCount", False),
    SH.qualifiedMinCount: ("QualifiedMinCount", True),
    SH.qualifiedMaxCount: ("QualifiedMaxCount", False),
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
class _Test:
    """A test of each value node ``?value`` of a focus node along ``path`` (a SPARQL path; None:
    the focus node itself): ``passes``, a SPARQL expression true when it passes (``isIRI(?value)``),
    or ``instance_of``, the class it must be an instance of, or ``pattern``, matched in Python."""

    shape: URIRef | BNode
    component: URIRef
    path: str | None
    passes: str | None = None
    instance_of: str | None = None
    pattern: re.Pattern | None = None
    repeats: bool = False  # the path has a repeated step (sh:zeroOrMorePath, ...)


@dataclass(frozen=True)
class _Count:
    """A bound on the number of distinct values along ``path`` (those for which the SPARQL
    expression ``qualifier`` is true, if any), e.g. at least 1 ``ckg:status``."""

    shape: URIRef | BNode
    component: URIRef
    path: str
    qualifier: str | None
    bound: int
    least: bool

    def broken(self, count: int) -> bool:
        return count < self.bound if self.least else count > self.bound


@dataclass(frozen=True)
class _UniqueLang:
    """sh:uniqueLang: at most one value along ``path`` per language tag."""

    shape: URIRef | BNode
    path: str


_Constraint = _Test | _Count | _UniqueLang


def check(store: ox.Store, shapes: Graph, graphs: list[ox.NamedNode] | None = None) -> list[Result]:
    """The results of validating the union of the graphs of ``store`` (or of ``graphs``)
    against ``shapes``, sorted; none when it conforms."""
    prefixes = _prefixes(shapes)
    scope = {"default_graph": graphs} if graphs is not None else {"use_default_graph_as_union": True}

    def rows(query: str) -> ox.QuerySolutions:
        return cast(ox.QuerySolutions, store.query(query, prefixes=prefixes, **scope))

    values: dict[str, set] = {}

    def may_break(test: _Test) -> bool:
        """Whether a value along the path of a sh:pattern test, of any node, breaks it: only then
        are the focus nodes looked for (a scan of the path, not a join with the focus nodes)."""
        if test.pattern is None or test.path is None or test.repeats:
            return True
        if test.path not in values:
            found = rows(f"SELECT ?value WHERE {{ ?this {test.path} ?value }}")
            values[test.path] = {row[0] for row in found}
        return any(_breaks(test.pattern, value) for value in values[test.path])

    results: set[Result] = set()
    for focus, constraints in _plan(shapes).items():
        branches = _branches([c for c in constraints if isinstance(c, _Test) and may_break(c)])
        if branches:
            for row in rows(_tests_query(focus, branches)):
                for test, flag in branches[int(row["branch"].value)]:
                    if _fails(test, row, flag):
                        results.add(Result(test.shape, row["this"], test.component, row["value"]))
        counted = _counted([c for c in constraints if isinstance(c, _Count)])
        if counted:
            for row in rows(_counts_query(focus, counted)):
                for index, counts in enumerate(counted.values()):
                    for count in (c for c in counts if c.broken(int(row[f"n{index}"].value))):
                        results.add(Result(count.shape, row["this"], count.component))
        for unique in (c for c in constraints if isinstance(c, _UniqueLang)):
            for row in rows(_unique_lang_query(focus, unique.path)):
                results.add(Result(unique.shape, row["this"], SH.UniqueLangConstraintComponent))
    return sorted(results, key=lambda r: (str(r.shape), str(r.focus), str(r.component), str(r.value)))


def _breaks(pattern: re.Pattern, value) -> bool:
    return isinstance(value, ox.BlankNode) or not pattern.search(value.value)


def _fails(test: _Test, row: ox.QuerySolution, flag: str | None) -> bool:
    """Whether the value node of ``row`` fails ``test``: its ``flag`` column is true, or a class
    test found it, or it does not match the pattern."""
    if test.pattern is not None:
        return _breaks(test.pattern, row["value"])
    if flag is None:
        return True
    found = row[flag]
    return found is not None and found.value == "true"


_Branch = list[tuple[_Test, str | None]]


def _branches(tests: list[_Test]) -> list[_Branch]:
    """The branches of the query of ``tests``: the tests of a path together (one scan of it),
    each with the column of its failure flag; a class test alone, without a flag.

    >>> iri = _Test(URIRef("urn:s"), SH.NodeKindConstraintComponent, "<urn:p>", "isIRI(?value)")
    >>> short = _Test(URIRef("urn:s"), SH.MaxLengthConstraintComponent, "<urn:p>", "STRLEN(STR(?value)) <= 9")
    >>> [[(test.component.fragment, flag) for test, flag in branch] for branch in _branches([iri, short])]
    [[('NodeKindConstraintComponent', 'f0_0'), ('MaxLengthConstraintComponent', 'f0_1')]]
    """
    by_path: dict[str | None, list[_Test]] = defaultdict(list)
    alone: list[_Test] = []
    for test in tests:
        (alone if test.instance_of is not None else by_path[test.path]).append(test)
    grouped = [*by_path.values(), *([test] for test in alone)]
    return [
        [(test, None if test.passes is None else f"f{index}_{k}") for k, test in enumerate(branch)]
        for index, branch in enumerate(grouped)
    ]


def _tests_query(focus: str, branches: list[_Branch]) -> str:
    """One query for all the value tests on the same focus nodes: each branch scans a path for
    the value nodes that may fail its tests (``?branch`` is its index); those then meet the focus
    nodes (written after the branches: Oxigraph is several times faster so).

    >>> iri = _Test(URIRef("urn:s"), SH.NodeKindConstraintComponent, "<urn:p>", "isIRI(?value)")
    >>> print(_tests_query("{ ?this a <urn:C> }", _branches([iri])))
    SELECT * WHERE { { { { { ?this <urn:p> ?value FILTER(!(isIRI(?value))) } \
BIND(!(isIRI(?value)) AS ?f0_0) BIND(0 AS ?branch) } } { ?this a <urn:C> } } }
    """
    on_paths: list[str] = []
    on_focus: list[str] = []
    for index, branch in enumerate(branches):
        test = branch[0][0]
        values = f"{focus} BIND(?this AS ?value)" if test.path is None else f"?this {test.path} ?value"
        if test.instance_of is not None:  # the instances of the class at once, not a search per value
            found = f"{{ {values} MINUS {{ ?value a/<{RDFS.subClassOf}>* {test.instance_of} }} }}"
        else:
            failing = {flag: f"!({test.passes})" for test, flag in branch if flag is not None}
            patterned = any(test.pattern for test, _ in branch)  # Python matches every value
            keep = "" if patterned else f" FILTER({' || '.join(failing.values())})"
            flags = "".join(f" BIND({fails} AS ?{flag})" for flag, fails in failing.items())
            found = f"{{ {values}{keep} }}{flags}"
        (on_focus if test.path is None else on_paths).append(f"{{ {found} BIND({index} AS ?branch) }}")
    parts = [f"{{ {{ {' UNION '.join(on_paths)} }} {focus} }}"] if on_paths else []
    return f"SELECT * WHERE {{ {' UNION '.join([*parts, *on_focus])} }}"


def _counted(counts: list[_Count]) -> dict[tuple[str, str | None], list[_Count]]:
    """The count constraints by the ``(path, qualifier)`` whose values they count."""
    counted = defaultdict(list)
    for count in counts:
        counted[count.path, count.qualifier].append(count)
    return dict(counted)


def _counts_query(focus: str, counted: dict[tuple[str, str | None], list[_Count]]) -> str:
    """One query that counts, for each focus node, its distinct values along every ``(path,
    qualifier)`` of ``counted`` (``?n<index>``, from the values ``?v<index>`` of a branch), and
    keeps the focus nodes that break a bound. The focus nodes are one more branch of the union
    that is grouped (``?focused``), not a join.

    >>> least = _Count(URIRef("urn:s"), SH.MinCountConstraintComponent, "<urn:p>", None, 1, True)
    >>> most = _Count(URIRef("urn:s"), SH.MaxCountConstraintComponent, "<urn:p>", None, 1, False)
    >>> print(_counts_query("{ ?this a <urn:C> }", {("<urn:p>", None): [least, most]}))
    SELECT * WHERE { { SELECT ?this (COUNT(?focus) AS ?focused) (COUNT(DISTINCT ?v0) AS ?n0) \
WHERE { { { ?this a <urn:C> } BIND(true AS ?focus) } UNION { ?this <urn:p> ?value BIND(?value AS ?v0) } } \
GROUP BY ?this } FILTER(?focused > 0 && (?n0 < 1 || ?n0 > 1)) }
    """
    branches, aggregates = "", ""
    for index, (path, qualifier) in enumerate(counted):
        values = f"?this {path} ?value" + ("" if qualifier is None else f" FILTER({qualifier})")
        branches += f" UNION {{ {values} BIND(?value AS ?v{index}) }}"
        aggregates += f" (COUNT(DISTINCT ?v{index}) AS ?n{index})"
    broken = " || ".join(
        f"?n{index} {'<' if count.least else '>'} {count.bound}"
        for index, counts in enumerate(counted.values())
        for count in counts
    )
    counting = (
        f"SELECT ?this (COUNT(?focus) AS ?focused){aggregates}"
        f" WHERE {{ {{ {focus} BIND(true AS ?focus) }}{branches} }} GROUP BY ?this"
    )
    return f"SELECT * WHERE {{ {{ {counting} }} FILTER(?focused > 0 && ({broken})) }}"


def _unique_lang_query(focus: str, path: str) -> str:
    """The (focus node, language) pairs of more than one value along ``path``, grouped on the
    path alone and then joined with the focus nodes."""
    return (
        f"SELECT ?this ?lang WHERE {{ {{ SELECT ?this ?lang WHERE {{ ?this {path} ?value"
        " BIND(LCASE(LANG(?value)) AS ?lang) FILTER(?lang != '') }"
        f" GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?value) > 1) }} {focus} }}"
    )


def _plan(shapes: Graph) -> dict[str, list[_Constraint]]:
    """The constraints of the active shapes, by the subquery of their focus nodes (see _focus)."""
    declared = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    implicit = _implicit_targets(shapes)
    targeted = {shape for p in _TARGETS for shape in shapes.subjects(p, None)} | implicit
    for shape in sorted(declared | targeted | set(shapes.subjects(SH.path, None)), key=str):
        _refuse_unsupported(shapes, shape)
    plan: dict[str, list[_Constraint]] = defaultdict(list)
    for shape in sorted(targeted, key=str):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        found = plan[_focus(shapes, shape, shape in implicit)]
        found += _constraints(shapes, shape)
        for member in sorted(shapes.objects(shape, SH.property), key=str):
            if shapes.value(member, SH.deactivated) != Literal(True):
                found += _constraints(shapes, member)
    return dict(plan)


def _constraints(shapes: Graph, shape) -> Iterator[_Constraint]:
    """The constraints of ``shape`` (a node shape if it has no sh:path)."""
    path = shapes.value(shape, SH.path)
    text = None if path is None else path_text(shapes, path)
    for parameter, (name, test) in VALUE_TESTS.items():
        for argument in shapes.objects(shape, parameter):
            if parameter == SH["class"]:
                yield _Test(shape, SH[name + "ConstraintComponent"], text, instance_of=argument.n3())
            else:
                yield _Test(shape, SH[name + "ConstraintComponent"], text, test(shapes, argument))
    for argument in shapes.objects(shape, SH.pattern):
        flags = sum(_FLAGS[f] for f in str(shapes.value(shape, SH.flags) or ""))
        pattern = re.compile(str(argument), flags)
        repeats = _repeats(shapes, path)
        yield _Test(shape, SH.PatternConstraintComponent, text, pattern=pattern, repeats=repeats)
    if text is None:
        return
    qualified = shapes.value(shape, SH.qualifiedValueShape)
    for parameter, (name, least) in COUNTS.items():
        for argument in shapes.objects(shape, parameter):
            qualifier = _conforms(shapes, qualified) if name.startswith("Qualified") else None
            yield _Count(shape, SH[name + "ConstraintComponent"], text, qualifier, int(str(argument)), least)
    if shapes.value(shape, SH.uniqueLang) == Literal(True):
        yield _UniqueLang(shape, text)


def _repeats(shapes: Graph, path) -> bool:
    """Whether a SHACL path has a repeated step, whose values could be every node of the graph."""
    if path is None or isinstance(path, URIRef):
        return False
    repeated = {SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath}
    return any(p in repeated or _repeats(shapes, o) for p, o in shapes.predicate_objects(path))


def _conforms(shapes: Graph, shape) -> str:
    """A SPARQL expression true when ``?value`` conforms to ``shape``, a shape of value tests only."""
    if shape is None:
        raise ValueError("sh:qualifiedMinCount or sh:qualifiedMaxCount without sh:qualifiedValueShape")
    used = {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))}
    if used - set(VALUE_TESTS) - {SH.message, SH.severity}:
        raise ValueError(f"the qualified value shape {shape.n3()} may only test value nodes one by one")
    tests = [test(shapes, o) for p, (_, test) in VALUE_TESTS.items() for o in shapes.objects(shape, p)]
    return " && ".join(f"({t})" for t in tests) or "true"


def _focus(shapes: Graph, shape, is_class: bool) -> str:
    """A subquery that binds ``?this`` to each focus node of ``shape`` (and to the instances of
    ``shape`` itself if it ``is_class``), once."""

    def targets(parameter) -> list:  # sorted, so that shapes with the same targets share their queries
        return sorted(shapes.objects(shape, parameter), key=str)

    classes = [*targets(SH.targetClass), *([shape] if is_class else [])]
    parts = [f"{{ ?this a/<{RDFS.subClassOf}>* {c.n3()} }}" for c in classes]
    parts += [f"{{ VALUES ?this {{ {node.n3()} }} }}" for node in targets(SH.targetNode)]
    parts += [f"{{ ?this {p.n3()} ?object }}" for p in targets(SH.targetSubjectsOf)]
    parts += [f"{{ ?subject {p.n3()} ?this }}" for p in targets(SH.targetObjectsOf)]
    for target in targets(SH.target):
        select = shapes.value(target, SH.select)
        if select is None:
            raise ValueError(f"the target {target.n3()} of {shape.n3()} is not a SPARQL target (sh:select)")
        parts.append(f"{{ {select} }}")
    return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(parts)} }} }}"


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
