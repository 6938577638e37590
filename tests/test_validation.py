"""Validation in two processes, or started before the data is complete, gives the report a single
pyshacl run gives."""

from __future__ import annotations

import gc
import multiprocessing
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from calcinosis_kg import load_graph, reason, validate
from calcinosis_kg.errors import CalcinosisKGError
from calcinosis_kg.resources import shapes_file
from calcinosis_kg.validation import EarlyValidation, Validation, _selections

SH = Namespace("http://www.w3.org/ns/shacl#")
CASES = Path(__file__).resolve().parent / "shapes" / "invalid"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(shapes_file(), format="turtle")


def one_run(graph: Graph, shapes: Graph):
    return pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)


def test_each_shape_is_checked_once_the_costly_ones_first_and_alone(shapes):
    selections = _selections(shapes)
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    targeted = {s for p in targets for s in shapes.subjects(p, None)}
    taken = [shape for selection in selections for shape in selection if shape in targeted]
    assert sorted(taken) == sorted(targeted), "a targeted shape is missing or would report twice"
    helpers = set(selections[0]) - targeted
    assert all(set(selection) - targeted == helpers for selection in selections)
    costly = [i for i, selection in enumerate(selections) if (selection[0], SH.target, None) in shapes]
    assert costly == list(range(len(costly))) != [], "the SPARQL-based shapes come first"
    assert all(len(set(selections[i]) & targeted) == 1 for i in costly)
    assert (selections[0][0], SH.sparql, None) in shapes


@pytest.mark.parametrize(
    "case", [None, "edge_without_claim.ttl", "missing_label.ttl", "mapping_bad_local_id.ttl"]
)
def test_two_processes_report_what_one_run_reports(case, shapes, reasoned):
    graph = reasoned.merged if case is None else reason(load_graph(CASES / case, kb=False)).merged
    expected_conforms, expected_graph, expected_text = one_run(graph, shapes)
    conforms, report, text = validate(graph, shapes)
    assert conforms == expected_conforms
    assert text == expected_text
    assert isomorphic(report, expected_graph)
    assert len(set(report.subjects(RDF.type, SH.ValidationReport))) == 1


def test_blank_node_shapes_run_in_one_process():
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        [] a sh:NodeShape ; sh:targetNode <urn:a> ; sh:class <urn:C> .
        """,
        format="turtle",
    )
    assert _selections(shapes) == [None]
    conforms, report, _ = validate(Graph().parse(data="<urn:a> <urn:p> 1 .", format="turtle"), shapes)
    assert not conforms
    assert (None, SH.focusNode, URIRef("urn:a")) in report


def test_a_failing_worker_is_an_error():
    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:plain> sh:targetNode <urn:a> ; sh:minCount 0 ; sh:path <urn:p> .
        <urn:broken> sh:targetNode <urn:a> ;
            sh:sparql [ a sh:SPARQLConstraint ; sh:select "SELECT $this WHERE { $this ?p" ] .
        """,
        format="turtle",
    )
    with Validation(Graph().parse(data="<urn:a> <urn:p> 1 .", format="turtle"), broken) as running:
        assert running.selections[0][0] == URIRef("urn:broken")  # taken first, by the worker
        running.process.join(60)
        with pytest.raises(CalcinosisKGError, match="validation failed"):
            running.result()


def test_leaving_before_the_result_stops_the_worker(shapes, reasoned):
    with Validation(reasoned.merged, shapes) as running:
        worker = running.process
        assert worker is not None and worker.is_alive()
        assert gc.get_freeze_count() > 0  # the shared objects are out of the collector's way
    assert not worker.is_alive()
    assert gc.get_freeze_count() == 0


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


def early(graph: Graph, inferred: Graph, shapes: Graph):
    """Validate ``graph`` plus ``inferred`` the way the build does: the rest of the data comes later."""
    with EarlyValidation(Graph() + graph, shapes) as running:
        running.add(inferred)
        return running.result()


@pytest.mark.parametrize("case", [None, "edge_without_claim.ttl", "missing_label.ttl"])
def test_early_validation_reports_what_one_run_reports(case, shapes):
    graph = load_graph() if case is None else load_graph(CASES / case, kb=False)
    reasoning = reason(graph)
    expected_conforms, expected_graph, expected_text = one_run(reasoning.merged, shapes)
    conforms, report, text = early(graph, reasoning.inferred, shapes)
    assert (conforms, text) == (expected_conforms, expected_text)
    assert isomorphic(report, expected_graph)


def test_early_validation_without_fork_reports_the_same(shapes, monkeypatch):
    graph = load_graph(CASES / "edge_without_claim.ttl", kb=False)
    reasoning = reason(graph)
    expected = early(graph, reasoning.inferred, shapes)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with EarlyValidation(Graph() + graph, shapes) as running:
        assert running.process is None
        running.add(reasoning.inferred)
        conforms, report, text = running.result()
    assert (conforms, text) == expected[::2] and isomorphic(report, expected[1])


def test_a_failing_helper_is_an_error():
    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:broken> sh:targetNode <urn:a> ;
            sh:sparql [ a sh:SPARQLConstraint ; sh:select "SELECT $this WHERE { $this ?p" ] .
        """,
        format="turtle",
    )
    with EarlyValidation(Graph(), broken) as running:
        running.add([(URIRef("urn:a"), URIRef("urn:p"), URIRef("urn:b"))])
        with pytest.raises(CalcinosisKGError, match="validation failed"):
            running.result()


def test_leaving_early_stops_the_helper(shapes):
    with EarlyValidation(Graph(), shapes) as running:
        helper = running.process
        assert helper is not None and helper.is_alive()  # waiting for the rest of the data
    assert not helper.is_alive()
    assert gc.get_freeze_count() == 0
