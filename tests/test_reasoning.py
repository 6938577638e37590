"""Specific OWL 2 RL inferences, contradiction reporting and engine agreement."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph

from calcinosis_kg import load_graph, reason
from calcinosis_kg.build import reasoned_store
from calcinosis_kg.loading import load_parts
from calcinosis_kg.namespaces import CKG, KB
from calcinosis_kg.reasoning import REASONERS
from calcinosis_kg.rules import ANONYMOUS

SMALL_KB = """
@prefix ckg: <https://w3id.org/calcinosis-kg/ontology/> .
@prefix kb: <https://w3id.org/calcinosis-kg/entity/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ckg:DystrophicCalcinosis a ckg:Calcinosis ; ckg:hasBasis kb:damage ;
    ckg:hasFeature kb:normal-levels .
ckg:MetastaticCalcinosis a ckg:Calcinosis ; ckg:hasBasis kb:hypercalcemia , kb:hyperphosphatemia .
ckg:IatrogenicCalcinosis a ckg:Calcinosis ; ckg:hasLocation kb:heel .
kb:damage a ckg:TissueDamage .
kb:normal-levels a ckg:NormalSerumMineralLevel .
kb:hypercalcemia a ckg:RaisedSerumCalcium .
kb:hyperphosphatemia a ckg:RaisedSerumPhosphate .
kb:ctd a owl:Class , ckg:Disease .
kb:ssc a owl:Class , ckg:Disease ; rdfs:subClassOf kb:ctd ; ckg:causes ckg:DystrophicCalcinosis .
kb:crest a owl:Class , ckg:Disease ; rdfs:subClassOf kb:ssc .
kb:warfarin a ckg:Drug ; ckg:contributesTo ckg:IatrogenicCalcinosis .
kb:heel a ckg:AnatomicalSite ; ckg:partOf kb:foot .
kb:foot a ckg:AnatomicalSite ; ckg:partOf kb:lower-limb .
kb:lower-limb a ckg:AnatomicalSite .
"""


@pytest.fixture(scope="module")
def small():
    graph = load_graph(kb=False)
    graph.parse(data=SMALL_KB, format="turtle")
    return graph


@pytest.fixture(scope="module", params=REASONERS)
def closed(request, small):
    result = reason(small, reasoner=request.param)
    assert result.errors == []
    return result.merged


def test_inverse_property(closed):
    assert (CKG.DystrophicCalcinosis, CKG.causedBy, KB.ssc) in closed
    assert (KB.heel, CKG.locationOf, CKG.IatrogenicCalcinosis) in closed


def test_sub_property(closed):
    assert (KB.ssc, CKG.causesOrContributesTo, CKG.DystrophicCalcinosis) in closed
    assert (KB.ssc, CKG.associatedWith, CKG.DystrophicCalcinosis) in closed
    assert (KB.warfarin, CKG.relatedTo, CKG.IatrogenicCalcinosis) in closed


def test_subclass_membership_and_hierarchy(closed):
    assert (KB.hypercalcemia, RDF.type, CKG.ClinicalFinding) in closed
    assert (KB.hypercalcemia, RDF.type, CKG.MedicalCondition) in closed
    assert (KB.crest, RDFS.subClassOf, KB.ctd) in closed


def test_transitive_part_of(closed):
    assert (KB.heel, CKG.partOf, KB["lower-limb"]) in closed
    assert (KB["lower-limb"], CKG.hasPart, KB.heel) in closed


def test_range_types_the_object(closed):
    assert (CKG.IatrogenicCalcinosis, RDF.type, CKG.MedicalCondition) in closed


@pytest.mark.parametrize(
    ("entity", "defined_class"),
    [
        (KB.ssc, CKG.CalcinosisCause),
        (KB.warfarin, CKG.CalcinosisCause),
        (KB.ssc, CKG.CalcinosisLinkedDisease),
        (CKG.MetastaticCalcinosis, CKG.HypercalcaemicCalcinosis),
        (CKG.MetastaticCalcinosis, CKG.HyperphosphataemicCalcinosis),
        (CKG.MetastaticCalcinosis, CKG.MineralExcessCalcinosis),
        (CKG.DystrophicCalcinosis, CKG.NormomineralCalcinosis),
        (CKG.DystrophicCalcinosis, CKG.TissueDamageCalcinosis),
    ],
)
def test_defined_class_classifies(closed, entity, defined_class):
    assert (entity, RDF.type, defined_class) in closed


@pytest.mark.parametrize(
    ("entity", "defined_class"),
    [
        (KB.warfarin, CKG.CalcinosisLinkedDisease),  # a drug, not a disease
        (CKG.DystrophicCalcinosis, CKG.MineralExcessCalcinosis),
        (CKG.MetastaticCalcinosis, CKG.NormomineralCalcinosis),
        (CKG.IatrogenicCalcinosis, CKG.TissueDamageCalcinosis),
    ],
)
def test_defined_class_does_not_overreach(closed, entity, defined_class):
    assert (entity, RDF.type, defined_class) not in closed


@pytest.mark.parametrize("reasoner", REASONERS)
@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("kb:x a ckg:AnatomicalSite , ckg:Disease .", "AnatomicalSite"),
        (
            "ckg:MetastaticCalcinosis ckg:hasFeature kb:normal-levels .",
            "NormomineralCalcinosis",
        ),
        ("kb:x a ckg:Claim , ckg:SourceDocument .", "SourceDocument"),
    ],
)
def test_contradiction_is_reported(small, reasoner, extra, expected):
    graph = Graph() + small
    graph.parse(
        data="@prefix ckg: <https://w3id.org/calcinosis-kg/ontology/> .\n"
        "@prefix kb: <https://w3id.org/calcinosis-kg/entity/> .\n" + extra,
        format="turtle",
    )
    result = reason(graph, reasoner=reasoner)
    assert result.errors, "the contradiction went unreported"
    assert any(expected in message for message in result.errors)
    assert not any("agent-ont" in str(t) for triple in result.inferred for t in triple)


def test_noise_is_stripped(closed, small):
    assert (CKG.Calcinosis, RDFS.subClassOf, CKG.Calcinosis) not in closed
    for noise in [
        (KB.ssc, RDF.type, OWL.Thing),
        (KB.ssc, RDF.type, RDFS.Resource),
        (KB.ssc, OWL.sameAs, KB.ssc),
        (CKG.Calcinosis, OWL.equivalentClass, CKG.Calcinosis),
        (OWL.Nothing, RDFS.subClassOf, CKG.Calcinosis),
    ]:
        assert noise not in closed
    terms = [t for triple in closed if triple not in small for t in triple]
    assert not any(isinstance(t, BNode) for t in terms)
    assert not any(str(t).startswith(ANONYMOUS) for t in terms)
    assert (CKG.DystrophicCalcinosis, CKG.causedBy, KB.ssc) in closed


SCHEMA_PREDICATES = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.inverseOf,
    OWL.disjointWith,
}


def test_engines_agree_on_the_real_graph(asserted):
    ontology = load_graph(kb=False)
    results = {name: reason(asserted, reasoner=name) for name in REASONERS}
    entailed = {
        name: {
            t for t in result.inferred if not (t[1] in SCHEMA_PREDICATES and t[0] in set(ontology.subjects()))
        }
        for name, result in results.items()
    }
    assert entailed["reasonable"] == entailed["owlrl"]
    assert set(results["rules"].inferred) == set(results["reasonable"].inferred)
    assert all(result.errors == [] for result in results.values())


@pytest.mark.parametrize(
    "case", sorted((Path(__file__).parent / "shapes").glob("*/*.ttl")), ids=lambda p: p.stem
)
def test_rules_give_what_reasonable_gives_on_each_case(case, on_base):
    quads = [q for found in load_parts(on_base(case), kb=False).values() for q in found]
    rules, full = (reason(quads=quads, reasoner=name) for name in ("rules", "reasonable"))
    assert set(rules.inferred_quads) == set(full.inferred_quads) != set()
    assert rules.errors == full.errors


def test_rules_give_what_reasonable_gives_on_synthetic_data():
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from synthetic import synthetic_kb

    graph = load_graph(kb=False) + synthetic_kb(3000)
    rules, full = (reason(graph, reasoner=name) for name in ("rules", "reasonable"))
    assert set(rules.inferred_quads) == set(full.inferred_quads) != set()
    assert rules.errors == full.errors == []


def test_rules_refuse_what_they_do_not_run(small):
    graph = Graph() + small
    graph.add((CKG.causes, RDF.type, OWL.FunctionalProperty))
    with pytest.raises(ValueError, match="does not run owl:FunctionalProperty"):
        reason(graph, reasoner="rules")
    assert reason(graph, reasoner="reasonable").errors == []


@pytest.mark.parametrize("extra", [None, "wrong_class_treated_by_object.ttl"])
def test_reading_the_quads_from_a_file_gives_the_same_closure(extra, on_base):
    data = [on_base(Path(__file__).parent / "shapes" / "invalid" / extra)] if extra else []
    through_file = reasoned_store(*data)
    through_graph = reason(load_graph(*data))
    assert set(through_file.inferred) == set(through_graph.inferred) != set()
    assert through_file.errors == through_graph.errors
    assert bool(through_file.errors) == bool(extra)
    assert set(through_file.asserted) == set(through_graph.asserted)
