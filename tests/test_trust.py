"""Every claim weighed: statuses, reasons, reference corroborations, effects and mappings."""

from __future__ import annotations

import csv
import gzip
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest

from calcinosis_kg.curation import STATUSES, compile_tables, read_rows
from calcinosis_kg.loading import parse_quads
from calcinosis_kg.namespaces import CKG, CLAIM
from calcinosis_kg.resources import kb_files, ontology_file

KB = Path(__file__).parents[1] / "kb"
REFERENCE = Path(os.environ.get("CALCINOSIS_REFERENCE", Path(__file__).parents[2] / "shared" / "reference"))
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture(scope="module")
def quads():
    return compile_tables(kb_files(), ontology=parse_quads(ontology_file())).kb


@pytest.fixture(scope="module")
def objects(quads):
    """subject IRI -> predicate IRI -> objects (as strings)."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for quad in quads:
        found[quad.subject.value][quad.predicate.value].append(quad.object.value)
    return found


def status(objects, name: str) -> str:
    (value,) = objects[str(CLAIM[name])][str(CKG.status)]
    return value.rsplit("/", 1)[1]


#: One claim of each status, with why it has it.
EXAMPLES = {
    "Corroborated": "systemic-sclerosis--causes--Calcinosis",  # ORPHA:90291 calcinosis cutis, frequent
    "SeveralSources": "kidney-failure--causes--MetastaticCalcinosis",  # sources 000 and 003
    "SingleSource": "calcium-injection--causes--IatrogenicCalcinosis",  # 001, not hedged
    "Hedged": "acne--causes--DystrophicCalcinosis",  # 000, "can"
    "Disputed": "crest-syndrome--subClassOf--systemic-sclerosis",  # DOID files CREST elsewhere
    "Doubtful": "hyperthyroidism--causes--MetastaticCalcinosis",  # thyroid written for parathyroid
}


@pytest.mark.parametrize("name", STATUSES)
def test_each_status_has_its_example(objects, name):
    assert status(objects, EXAMPLES[name]) == name


def test_every_claim_has_one_status_and_a_source_count(objects):
    claims = [s for s, p in objects.items() if str(CKG.Claim) in p.get(RDF_TYPE, [])]
    assert len(claims) > 300
    for claim in claims:
        assert len(objects[claim][str(CKG.status)]) == 1, claim
        (count,) = objects[claim][str(CKG.sourceCount)]
        sources = {objects[e][str(CKG.fromSource)][0] for e in objects[claim][str(CKG.hasEvidence)]}
        assert int(count) == len(sources), claim


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_every_doubt_says_why(objects):
    reasons = defaultdict(list)
    for subject, predicates in objects.items():
        for claim in predicates.get(str(CKG.concerns), []):
            reasons[claim] += predicates["http://www.w3.org/2000/01/rdf-schema#comment"]
        for record in predicates.get(str(CKG.corroboratedBy), []):
            if objects[record][str(CKG.agrees)] == ["false"]:
                reasons[subject] += objects[record]["http://www.w3.org/2000/01/rdf-schema#comment"]
    for claim, predicates in objects.items():
        if predicates.get(str(CKG.status)) in ([str(CKG.Doubtful)], [str(CKG.Disputed)]):
            assert reasons[claim], claim


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("Calcinosis--diagnosedBy--electromyography", "Doubtful"),
        ("Calcinosis--diagnosedBy--nerve-conduction-study", "Doubtful"),
        ("Calcinosis--hasSymptom--anemia", "Doubtful"),
        ("MetastaticCalcinosis--treatedBy--aluminum-carbonate", "Doubtful"),
        ("MetastaticCalcinosis--treatedBy--warfarin", "Doubtful"),
        ("Calcinosis--treatedBy--low-level-laser-therapy", "Doubtful"),
        ("hyperparathyroidism--associatedWith--MetastaticCalcinosis", "Corroborated"),
        ("Calcinosis--treatedBy--surgical-removal", "SeveralSources"),
    ],
)
def test_the_examples_of_the_issue(objects, claim, expected):
    assert status(objects, claim) == expected


# --- the sides of a conflict: both stay visible, each judged against medical knowledge ------------

SIDES = read_rows(KB / "conflict-sides.tsv", "sides")
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def _side(objects, conflict: str, claim: str) -> dict[str, list[str]]:
    return objects[f"https://w3id.org/calcinosis-kg/conflict/{conflict}--{claim}"]


def test_every_claim_of_a_conflict_is_a_side_with_one_judgement(objects):
    conflicts = [s for s, p in objects.items() if str(CKG.Conflict) in p.get(RDF_TYPE, [])]
    assert len(conflicts) >= 14
    for conflict in conflicts:
        claims = sorted(objects[conflict][str(CKG.concerns)])
        sides = [objects[side] for side in objects[conflict][str(CKG.hasSide)]]
        assert sorted(side[str(CKG.sideClaim)][0] for side in sides) == claims, conflict
        for side in sides:
            assert len(side[str(CKG.judgement)]) == 1, conflict


@pytest.mark.parametrize("row", SIDES, ids=lambda r: f"{r.get('conflict')}|{r.get('claim')}")
def test_a_judged_side_weighs_its_claim(objects, row):
    claim = row.get("claim")
    judged = status(objects, claim)
    side = _side(objects, row.get("conflict"), claim)
    assert side[RDFS_COMMENT] == [row.get("reason")]
    if row.get("judgement") == "unsupported":
        assert judged == "Doubtful"
        (summary,) = objects[str(CLAIM[claim])][str(CKG.doubtSummary)]
        assert f"[unsupported side: {row.get('reason')}]" in summary
    elif row.get("judgement") in ("supported", "compatible"):
        assert judged != "Disputed", claim  # a supported side is never shown as merely disputed


@pytest.mark.parametrize(
    ("claim", "expected", "side"),
    [
        # vitamin D excess causing metastatic calcification is standard medicine (DOID:9971)
        ("hypervitaminosis-d--contributesTo--MetastaticCalcinosis", "Hedged", "[supported side]"),
        ("hypervitaminosis-d--causes--hypercalcemia", "Hedged", "[supported side]"),
        ("Calcinosis--treatedBy--vitamin-d-supplementation", "Doubtful", "[unsupported side: "),
        # warfarin: a cause of calcification, not a treatment
        ("warfarin--causes--IatrogenicCalcinosis", "SingleSource", "[supported side]"),
        ("MetastaticCalcinosis--treatedBy--warfarin", "Doubtful", "[unsupported side: "),
        ("Calcinosis--hasLocation--bone", "Doubtful", "[unsupported side: "),
        ("Calcinosis--hasFeature--unknown-cause", "Doubtful", "[unsupported side: "),
        ("Calcinosis--hasFeature--rare", "SeveralSources", "[sides compatible]"),
        ("Calcinosis--hasFeature--usually-painless", "Disputed", "[undecided]"),
    ],
)
def test_the_sides_of_the_known_conflicts(objects, claim, expected, side):
    assert status(objects, claim) == expected
    (summary,) = objects[str(CLAIM[claim])][str(CKG.doubtSummary)]
    assert side in summary


@pytest.mark.skipif(not (REFERENCE / "ids.tsv.gz").exists(), reason=f"no reference files at {REFERENCE}")
def test_side_references_are_in_the_reference_files():
    with gzip.open(REFERENCE / "ids.tsv.gz", "rt", encoding="utf-8") as stream:
        known = {line.split("\t")[0] for line in stream}
    cited = {value for row in SIDES for value in row.values("reference")}
    assert len(cited) >= 8
    assert cited <= known, cited - known


def test_the_weight_as_text_follows_the_curated_rows(objects):
    """The summaries the queries read: one per claim, the sorted labels of its records."""
    name = "systemic-sclerosis--causes--Calcinosis"
    (text,) = objects[str(CLAIM[name])][str(CKG.corroborationSummary)]
    assert text == (
        "agrees: HPO annotation OMIM:181750 (Scleroderma, familial progressive): Calcinosis, IEA; "
        "agrees: HPO annotation ORPHA:90291 (Systemic sclerosis): Calcinosis cutis, frequent, TAS"
    )
    (text,) = objects[str(CLAIM["MetastaticCalcinosis--treatedBy--warfarin"])][str(CKG.doubtSummary)]
    assert text == (
        "warfarin is an anticoagulant, not a calcium blocker or a treatment; "
        "warfarin: treatment of calcinosis or cause of it [unsupported side: Warfarin is an anticoagulant,"
        " not a calcium blocker, and no treatment of calcinosis.]"
    )
    assert str(CKG.doubtSummary) not in objects[str(CLAIM["acne--causes--DystrophicCalcinosis"])]


def test_context_belongs_to_the_passage(objects):
    prefix = "https://w3id.org/calcinosis-kg/evidence/Calcinosis--treatedBy--bisphosphonate--"
    ssc = "https://w3id.org/calcinosis-kg/entity/systemic-sclerosis"
    assert ssc in objects[prefix + "001"][str(CKG.context)]
    assert objects[prefix + "004"][str(CKG.context)] == [
        "https://w3id.org/calcinosis-kg/entity/people-without-autoimmune-disease"
    ]
    assert str(CKG.context) not in objects[str(CLAIM["Calcinosis--treatedBy--bisphosphonate"])]


def test_treatment_effects(objects):
    prefix = "https://w3id.org/calcinosis-kg/evidence/Calcinosis--treatedBy--"
    assert objects[prefix + "surgical-removal--001"][str(CKG.treatmentEffect)] == [str(CKG.RemovesDeposits)]
    assert objects[prefix + "nsaid--001-2"][str(CKG.treatmentEffect)] == [str(CKG.NoDirectEffectOnDeposits)]
    for evidence, predicates in objects.items():
        if "--treatedBy--" in evidence and str(CKG.fromSource) in predicates:
            assert predicates[str(CKG.treatmentEffect)], evidence


def test_sources_without_headings_have_paragraphs_not_sections(objects):
    for evidence, predicates in objects.items():
        if str(CKG.fromSource) in predicates and re.search(r"--00[04](-\d+)?$", evidence):
            assert str(CKG.section) not in predicates and predicates[str(CKG.paragraph)], evidence


# --- the curated references can be checked in the reference files ----------------------------------


def _table(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


CORROBORATION = read_rows(KB / "corroboration.tsv", "corroboration")


@pytest.mark.skipif(not (REFERENCE / "hpoa-subset.tsv").exists(), reason=f"no reference files at {REFERENCE}")
@pytest.mark.parametrize("row", CORROBORATION, ids=lambda r: f"{r.get('claim')}|{r.get('reference')}")
def test_corroboration_is_in_the_reference(row):
    get = row.get
    if get("resource") == "hpoa":
        matches = [
            a
            for a in _table("hpoa-subset.tsv")
            if (a["database_id"], a["hpo_id"], a["hpo_label"])
            == (get("reference"), get("phenotype"), get("phenotype_label"))
            and (a["frequency"], a["evidence"], a["reference"])
            == (get("frequency"), get("evidence_code"), get("publication"))
            and a["disease_name"] == get("reference_label")
        ]
        assert matches, "no such annotation in hpoa-subset.tsv"
        assert all((a["qualifier"] == "NOT") == (get("agreement") == "disagrees") for a in matches)
    else:
        subset = {"DOID": "doid-subset.tsv", "HP": "hp-subset.tsv", "MONDO": "mondo-subset.tsv"}[
            get("resource")
        ]
        (term,) = [t for t in _table(subset) if t["id"] == get("reference")]
        assert term["label"] == get("reference_label")


def test_corroboration_count():
    assert len(CORROBORATION) >= 15


# --- mappings: an exact match names the same concept -------------------------------------------------


def _mappings() -> list[dict[str, str]]:
    lines = [
        line
        for line in (KB / "mappings.sssom.tsv").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _names() -> dict[str, list[str]]:
    names = {}
    for row in read_rows(KB / "entities.tsv", "entities"):
        names["kb:" + row.get("id")] = [row.get("label"), *row.values("synonyms")]
    return names


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def test_exact_match_has_the_same_name_or_says_why():
    names = _names()
    for row in _mappings():
        if row["predicate_id"] == "skos:exactMatch":
            own = [_fold(n) for n in names.get(row["subject_id"], [row["subject_label"]])]
            assert _fold(row["object_label"]) in own or row["comment"], row


def test_agent_and_action_never_equated():
    agents = {
        "kb:" + row.get("id")
        for row in read_rows(KB / "entities.tsv", "entities")
        if {"ckg:Drug", "ckg:ChemicalSubstance", "ckg:DietarySupplement"} & set(row.values("category"))
    }
    for row in _mappings():
        if row["subject_id"] in agents and row["object_id"].startswith("MAXO:"):
            assert row["predicate_id"] == "skos:relatedMatch", row


def test_every_mapping_has_a_justification_and_the_reference_label():
    with gzip.open(REFERENCE / "ids.tsv.gz", "rt", encoding="utf-8") as stream:
        labelled = {line.split("\t")[0] for line in stream if line.split("\t")[1:2] != [""]}
    for row in _mappings():
        assert row["mapping_justification"] and row["comment"], row
        assert row["object_label"] or row["object_id"] not in labelled, row
