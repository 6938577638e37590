"""The two validation engines find the same results; the report follows the SHACL specification."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from calcinosis_kg import build, load_graph, reason, validate
from calcinosis_kg.convert import quads
from calcinosis_kg.validation import findings

CASES = sorted((Path(__file__).resolve().parent / "shapes").glob("*/*.ttl"))


def both_engines(graph: Graph, shapes: Graph | None = None):
    return [validate(graph, shapes, engine=engine) for engine in ("pyshacl", "oxigraph")]


def test_engines_agree_on_the_knowledge_base(reasoned):
    (conforms, report, _), (fast_conforms, fast_report, _) = both_engines(reasoned.merged)
    assert conforms == fast_conforms
    assert findings(report) == findings(fast_report) != []


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_engines_agree_on_each_case(case, on_base):
    (conforms, report, _), (fast_conforms, fast_report, _) = both_engines(
        reason(load_graph(on_base(case), kb=False)).merged
    )
    assert (conforms, findings(report)) == (fast_conforms, findings(fast_report))


SHARED_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <urn:ex:> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Text sh:datatype xsd:string ; sh:minLength 2 .
ex:A sh:targetClass ex:C ; sh:nodeKind sh:IRI ; sh:class ex:D ; sh:pattern "^urn:ex:a" ; sh:message "A" ;
    sh:property ex:AP, ex:AQ .
ex:AP sh:path ex:p ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ; sh:pattern "^[a-z]+$" ;
    sh:maxLength 3 ; sh:message "AP" .
ex:AQ sh:path ex:p ; sh:qualifiedValueShape ex:Text ; sh:qualifiedMinCount 2 ; sh:qualifiedMaxCount 2 ;
    sh:uniqueLang true ; sh:message "AQ" .
ex:B sh:targetClass ex:C ; sh:path [ sh:inversePath ex:r ] ; sh:minCount 0 ; sh:class ex:C ;
    sh:nodeKind sh:BlankNodeOrIRI ; sh:message "B" .
ex:E sh:targetObjectsOf ex:r ; sh:path ex:q ; sh:maxCount 0 ; sh:minCount 2 ; sh:message "E" .
ex:F sh:targetClass ex:C ; sh:path ( ex:r ex:p ) ; sh:pattern "z" ; sh:in ( "x" "zz" ) ; sh:message "F" .
"""
SHARED_DATA = """
@prefix ex: <urn:ex:> .
ex:a1 a ex:C, ex:D ; ex:p "ab", "x"@en, "y"@EN ; ex:r ex:a2 .
ex:a2 a ex:C ; ex:p "abcd", _:b ; ex:q 1, 2 ; ex:r ex:a1, [ ex:p "zz" ] .
ex:b1 a ex:C ; ex:p "Q" .
_:c a ex:C ; ex:r ex:n .
ex:other ex:p "NOT OK", 5 .
ex:n ex:q "1" .
"""


def test_engines_agree_on_constraints_run_together():
    """The fast engine runs the constraints of the same focus nodes together (the value tests of a
    path in one branch, the counts of all paths in one query, a pattern first on all the values):
    each must still give pyshacl's results, with a triple in two graphs counted once."""
    shapes = Graph().parse(data=SHARED_SHAPES, format="turtle")
    data = Graph().parse(data=SHARED_DATA, format="turtle")
    store = ox.Store()
    for name in ("urn:g1", "urn:g2"):
        store.bulk_extend(quads(data, URIRef(name)))
    (conforms, report, _), (fast_conforms, fast_report, _) = (
        validate(data, shapes, engine="pyshacl"),
        validate(store, shapes, engine="oxigraph"),
    )
    assert (conforms, findings(report)) == (fast_conforms, findings(fast_report))
    assert len(findings(report)) == 36


def test_a_warning_makes_the_report_not_conform_but_the_build_passes(tmp_path):
    result = build(tmp_path)
    assert result.ok and not result.violations and result.findings
    assert {f.severity for f in result.findings} == {"Warning"}
    text = (tmp_path / "validation-report.txt").read_text()
    assert text.startswith("Validation Report\nConforms: False\n")
    report = Graph().parse(tmp_path / "validation-report.ttl")
    assert set(report.objects(None, SH.conforms)) == {Literal(False)}
    for engine in ("pyshacl", "oxigraph"):
        conforms, _, text = validate(reason(load_graph()).merged, engine=engine)
        assert not conforms and "Conforms: False" in text


SPARQL_CONSTRAINT = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
<urn:shape> sh:targetNode <urn:a> ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
"""


def test_the_fast_engine_refuses_what_it_does_not_run():
    shapes = Graph().parse(data=SPARQL_CONSTRAINT, format="turtle")
    data = Graph().parse(data="<urn:a> <urn:p> 1 .", format="turtle")
    with pytest.raises(ValueError, match="does not run sh:sparql"):
        validate(data, shapes, engine="oxigraph")
    assert validate(data, shapes, engine="pyshacl")[0] is False


def test_unknown_engine_is_an_error():
    with pytest.raises(ValueError, match="unknown engine"):
        validate(Graph(), engine="jena")


def test_shapes_with_rules_leave_the_data_alone():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetNode <urn:a> ;
            sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate <urn:q> ; sh:object 2 ] .
        """,
        format="turtle",
    )
    data = Graph().parse(data="<urn:a> <urn:p> 1 .", format="turtle")
    conforms, _, _ = validate(data, shapes)
    assert conforms
    assert len(data) == 1
