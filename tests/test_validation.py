"""The two validation engines find the same results; the report follows the SHACL specification."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH

from calcinosis_kg import build, load_graph, reason, validate
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
