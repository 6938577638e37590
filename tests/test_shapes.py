"""SHACL shapes of calcinosis-kg (ontology/shapes.ttl) against small cases and the real KB.

Each case in tests/shapes/{valid,invalid}/*.ttl is written after the base of every case
(tests/base.ttl), loaded with the ontology, reasoned and validated as the product does it
(``load_graph``, ``reason``, ``validate`` with the build's engine; tests/test_validation.py checks
that pyshacl finds the same). An invalid
case names, in comment lines, the violations it must produce (focus node and source shape,
paired in order) or the contradiction the reasoner must report:

    # expect-focus: https://w3id.org/calcinosis-kg/claim/x--causes--y   ("_:" = any blank node)
    # expect-shape: https://w3id.org/calcinosis-kg/shapes/ClaimShape
    # expect-contradiction: AnatomicalSite                              (a substring of the message)

A valid case conforms and names each warning it must give, and gives no other:

    # expect-warning: https://w3id.org/calcinosis-kg/entity/x https://w3id.org/calcinosis-kg/shapes/EntityClaimsShape
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF

from calcinosis_kg import load_graph, reason, validate
from calcinosis_kg.resources import ontology_file, shapes_file
from calcinosis_kg.validation import findings

CASES = Path(__file__).resolve().parent / "shapes"
BASE = CASES.parent / "base.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")
ONTOLOGY = URIRef("https://w3id.org/calcinosis-kg/ontology")

VALID = sorted((CASES / "valid").glob("*.ttl"))
INVALID = sorted((CASES / "invalid").glob("*.ttl"))
# The number of cases written; a broken glob must fail, not pass with nothing to run.
MIN_VALID, MIN_INVALID = 2, 31

KNOWN_PREFIXES = {
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "OBI": "http://purl.obolibrary.org/obo/OBI_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "RO": "http://purl.obolibrary.org/obo/RO_",
    "BFO": "http://purl.obolibrary.org/obo/BFO_",
    "ICD10CM": "http://purl.bioontology.org/ontology/ICD10CM/",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "UMLS": "http://linkedlifedata.com/resource/umls/id/",
    "ORDO": "http://www.orpha.net/ORDO/Orphanet_",
    "OMIM": "https://omim.org/entry/",
    "biolink": "https://w3id.org/biolink/vocab/",
    "schema": "https://schema.org/",
}


@pytest.fixture(scope="session")
def shapes_graph() -> Graph:
    return Graph().parse(shapes_file(), format="turtle")


def check(*files: Path, kb: bool = False, severity=SH.Violation):
    """Reason and validate like the product; return contradictions, the (focus node, shape) pairs
    of the results of ``severity``, and the report."""
    result = reason(load_graph(*files, kb=kb))
    _, report, text = validate(result.merged, engine="oxigraph")
    found = {
        (report.value(r, SH.focusNode), report.value(r, SH.sourceShape))
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if report.value(r, SH.resultSeverity) == severity
    }
    return result.errors, found, text


def expectations(path: Path):
    text = path.read_text(encoding="utf-8")
    foci = re.findall(r"^#\s*expect-focus:\s*(\S+)\s*$", text, flags=re.M)
    shapes = re.findall(r"^#\s*expect-shape:\s*(\S+)\s*$", text, flags=re.M)
    contradictions = re.findall(r"^#\s*expect-contradiction:\s*(\S+)\s*$", text, flags=re.M)
    assert len(foci) == len(shapes), f"{path.name}: expect-focus/expect-shape lines must come in pairs"
    assert foci or contradictions, f"{path.name}: no expectation"
    return list(zip(foci, shapes, strict=True)), contradictions


def test_cases_are_found():
    assert len(VALID) >= MIN_VALID, VALID
    assert len(INVALID) >= MIN_INVALID, INVALID


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.stem)
def test_valid_case_conforms(case, on_base):
    errors, found, text = check(on_base(case))
    assert not errors and not found, (errors, text)


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.stem)
def test_valid_case_warns_exactly_as_expected(case, on_base):
    expected = re.findall(r"^#\s*expect-warning:\s*(\S+)\s+(\S+)\s*$", case.read_text(encoding="utf-8"), re.M)
    _, found, text = check(on_base(case), severity=SH.Warning)
    assert expected, f"{case.name}: no expect-warning line"
    assert found == {(URIRef(focus), URIRef(shape)) for focus, shape in expected}, text


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid_case_is_reported(case, on_base):
    errors, found, text = check(on_base(case))
    assert errors or found, f"{case.name} conforms"
    violations, contradictions = expectations(case)
    for focus, shape in violations:
        if focus == "_:":
            hit = any(isinstance(f, BNode) and s == URIRef(shape) for f, s in found)
        else:
            hit = (URIRef(focus), URIRef(shape)) in found
        assert hit, f"{case.name}: no violation of <{shape}> on {focus}\n{text}"
    for expected in contradictions:
        assert any(expected in message for message in errors), f"{case.name}: {errors}"


def test_ontology_alone_and_the_base_conform():
    errors, found, text = check()
    assert not errors and not found, text
    errors, found, text = check(BASE)
    assert not errors and not found, text


def test_every_shape_is_named_labelled_and_has_a_message(shapes_graph):
    shapes = set(shapes_graph.subjects(RDF.type, SH.NodeShape)) | set(
        shapes_graph.subjects(RDF.type, SH.PropertyShape)
    )
    shapes |= set(shapes_graph.subjects(SH.path, None))
    assert len(shapes) > 40
    RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    for s in shapes:
        assert isinstance(s, URIRef) and str(s).startswith("https://w3id.org/calcinosis-kg/shapes/"), s
        assert any(lit.language == "en" for lit in shapes_graph.objects(s, RDFS_LABEL)), s
        assert any(m.language == "en" for m in shapes_graph.objects(s, SH.message)), s


def test_prefix_table_is_exact_and_matches_the_patterns(shapes_graph):
    table = {}
    ontology = Graph().parse(ontology_file(), format="turtle")
    for d in ontology.objects(ONTOLOGY, SH.declare):
        table[str(ontology.value(d, SH.prefix))] = str(ontology.value(d, SH.namespace))
    assert table == KNOWN_PREFIXES
    known = str(
        shapes_graph.value(URIRef("https://w3id.org/calcinosis-kg/shapes/MappingNamespaceShape"), SH.pattern)
    )
    ids = str(
        shapes_graph.value(URIRef("https://w3id.org/calcinosis-kg/shapes/MappingLocalIdShape"), SH.pattern)
    )
    assert known.count("|") == len(table) - 1
    for ns in table.values():
        assert re.match(known, ns + "x"), ns
        assert (
            re.escape(ns)
            .replace("\\.", "[.]")
            .replace("\\/", "/")
            .replace("\\-", "-")
            .replace("\\_", "_")
            .replace("\\:", ":")
            in ids
        ), ns
    assert not re.match(known, "http://www.wikidata.org/entity/Q1")
    for good in [
        "http://purl.obolibrary.org/obo/DOID_0111063",
        "http://purl.bioontology.org/ontology/ICD10CM/L94.2",
        "http://id.nlm.nih.gov/mesh/D002114",
        "http://linkedlifedata.com/resource/umls/id/C0006663",
        "http://www.orpha.net/ORDO/Orphanet_53715",
        "https://omim.org/entry/211900",
        "https://w3id.org/biolink/vocab/has_phenotype",
        "https://schema.org/MedicalCondition",
        "http://purl.obolibrary.org/obo/NCIT_C3367",
    ]:
        assert re.match(ids, good), good
    for bad in [
        "http://purl.obolibrary.org/obo/HP_12345",
        "http://id.nlm.nih.gov/mesh/X1",
        "https://omim.org/entry/12",
    ]:
        assert not re.match(ids, bad), bad


def test_real_kb_has_no_violation(reasoned):
    _, report, text = validate(reasoned.merged, engine="oxigraph")
    assert not reasoned.errors
    assert {f.severity for f in findings(report)} == {"Warning"}, text


@pytest.mark.parametrize(
    ("shape", "kind"),
    [
        ("ClaimStatusShape", "AssessmentStatus"),
        ("SideJudgementShape", "SideJudgement"),
        ("EvidenceTreatmentEffectShape", "TreatmentEffect"),
    ],
)
def test_closed_lists_are_the_individuals_of_the_ontology(shapes_graph, shape, kind):
    from rdflib.collection import Collection

    ontology = Graph().parse(ontology_file(), format="turtle")
    ckg = Namespace("https://w3id.org/calcinosis-kg/ontology/")
    listed = shapes_graph.value(URIRef(f"https://w3id.org/calcinosis-kg/shapes/{shape}"), SH["in"])
    assert set(Collection(shapes_graph, listed)) == set(ontology.subjects(RDF.type, ckg[kind]))
