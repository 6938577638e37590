"""Tests of the knowledge base that need outside knowledge (fast, no network).

The compiler (``calcinosis_kg.curation``, tests/test_curation.py) checks every row of the
tables; the shapes and the quality checks check the graph. What is left here needs the source
documents, the reference identifiers or a human reading of the sources: excerpts verbatim in
the seeds, mappings against the reference files, a hand-written checklist of claims and
conflicts, and the order of the tables.
"""

import collections
import csv
import gzip
import os
import re
from pathlib import Path

import pytest

from calcinosis_kg.curation import COLUMNS, KB_TABLES, read_rows, sort_key
from calcinosis_kg.resources import kb_files, seeds_dir

REPO = Path(__file__).resolve().parents[1]
SEEDS = seeds_dir()
REFERENCE = Path(os.environ.get("CALCINOSIS_REFERENCE", REPO.parent / "shared" / "reference"))

TABLE = {KB_TABLES[path.name]: read_rows(path, KB_TABLES[path.name]) for path in kb_files()}
CALCINOSIS_TYPES = (
    "DystrophicCalcinosis",
    "MetastaticCalcinosis",
    "IatrogenicCalcinosis",
    "IdiopathicCalcinosis",
    "TumoralCalcinosis",
    "CalcinosisCutis",
)


def norm(s):
    return re.sub(r"\s+", " ", str(s)).strip()


def entity_id(term):
    """'kb:x' / 'ckg:X' / 'rdfs:subClassOf' as the tables write it ('x', 'ckg:X', 'rdfs:subClassOf')."""
    return term[3:] if term.startswith("kb:") else term


#: (subject, relation, object) -> the numbers of the source documents of its passages
CLAIM_SOURCES = collections.defaultdict(set)
for _row in TABLE["claims"]:
    CLAIM_SOURCES[(_row.get("subject"), _row.get("relation"), _row.get("object"))].add(_row.get("source")[:3])


def claim_name(s, p, o):
    return "--".join(x.split(":")[-1] for x in (s, p, o))


CLAIM_BY_NAME = {claim_name(*key): key for key in CLAIM_SOURCES}


# ---------------------------------------------------------------------------
# 0. The tables
# ---------------------------------------------------------------------------


def test_every_table_is_there_and_sizeable():
    assert sorted(TABLE) == sorted(COLUMNS)
    assert len(TABLE["sources"]) == 5
    assert len(TABLE["claims"]) >= 400 and len(CLAIM_SOURCES) >= 300
    assert len(TABLE["entities"]) >= 200 and len(TABLE["mappings"]) >= 400


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_table_is_sorted_by_its_key(kind):
    keys = [sort_key(kind)(row) for row in TABLE[kind]]
    misplaced = [
        (TABLE[kind][i + 1].line, keys[i + 1]) for i in range(len(keys) - 1) if keys[i] > keys[i + 1]
    ]
    assert not misplaced, f"kb/{kind} rows out of order (line, key): {misplaced[:5]}"


def test_sources_are_the_seed_files():
    assert sorted(row.get("id") + ".txt" for row in TABLE["sources"]) == [
        "000_e6789d8eeedda09f.txt",
        "001_d76e8ed3ab9310dd.txt",
        "002_334d6c670b24bd90.txt",
        "003_17a39bddebb16933.txt",
        "004_3af5519e628b4822.txt",
    ]
    if SEEDS is not None:
        assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(
            row.get("id") + ".txt" for row in TABLE["sources"]
        )


# ---------------------------------------------------------------------------
# 1. Excerpts are verbatim (an independent check of what the compiler also checks)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", [row.get("id") for row in TABLE["sources"]])
def test_excerpts_verbatim(source):
    if SEEDS is None:
        pytest.skip("source documents folder not found (set CALCINOSIS_KG_SEEDS)")
    text = norm((SEEDS / f"{source}.txt").read_text(encoding="utf-8"))
    rows = [row for row in TABLE["claims"] if row.get("source") == source]
    assert len(rows) >= 20
    missing = [(row.line, row.get("excerpt")) for row in rows if norm(row.get("excerpt")) not in text]
    assert not missing, missing


# ---------------------------------------------------------------------------
# 2. Mappings against the reference identifiers
# ---------------------------------------------------------------------------

LOCAL_ID = {
    "DOID": r"\d+",
    "MONDO": r"\d{7}",
    "HP": r"\d{7}",
    "MAXO": r"\d{7}",
    "CHEBI": r"\d+",
    "UBERON": r"\d{7}",
    "OBI": r"\d{7}",
    "NCIT": r"C\d+",
    "ICD10CM": r"[A-Z]\d{2}(\.[0-9A-Z]{1,4})?",
    "MESH": r"[CD]\d{6,9}",
    "UMLS": r"C\d{7}",
    "ORDO": r"\d+",
    "OMIM": r"\d{6}",
}
OBSOLETE = {"MONDO:0000101", "MONDO:0019163"}
PREDICATE = {
    "exact": "skos:exactMatch",
    "close": "skos:closeMatch",
    "broad": "skos:broadMatch",
    "narrow": "skos:narrowMatch",
    "related": "skos:relatedMatch",
}

TERMS_ENTITY = {
    "ckg:Calcinosis": "calcinosis",
    "kb:dystrophic-calcinosis-cutis": "dystrophic calcinosis",
    "kb:metastatic-calcinosis-cutis": "metastatic calcinosis",
    "kb:iatrogenic-calcinosis-cutis": "iatrogenic calcinosis",
    "kb:idiopathic-calcinosis-cutis": "idiopathic calcinosis",
    "kb:crest-syndrome": "CREST syndrome",
    "kb:systemic-sclerosis": "systemic sclerosis",
    "kb:dermatomyositis": "dermatomyositis",
    "kb:systemic-lupus-erythematosus": "systemic lupus erythematosus",
    "kb:rheumatoid-arthritis": "rheumatoid arthritis",
    "kb:chronic-kidney-disease": "chronic kidney disease",
    "kb:kidney-failure": "kidney failure",
    "kb:hyperparathyroidism": "hyperparathyroidism",
    "kb:tertiary-hyperparathyroidism": "tertiary hyperparathyroidism",
    "kb:hypoparathyroidism": "hypoparathyroidism",
    "kb:hypercalcemia": "hypercalcemia",
    "kb:hyperphosphatemia": "hyperphosphatemia",
    "kb:hypophosphatemia": "hypophosphatemia",
    "kb:hypervitaminosis-d": "hypervitaminosis D",
    "kb:hypervitaminosis-a": "hypervitaminosis A",
    "kb:milk-alkali-syndrome": "milk-alkali syndrome",
    "kb:sarcoidosis": "sarcoidosis",
    "kb:wilson-disease": "Wilson disease",
    "kb:chronic-graft-versus-host-disease": "chronic graft-versus-host disease",
    "kb:paget-disease-of-bone": "Paget disease of bone",
    "kb:myeloma": "multiple myeloma",
    "kb:bone-tumour": "bone tumor",
    "kb:down-syndrome": "Down syndrome",
    "kb:hyperthyroidism": "hyperthyroidism",
    "kb:acne": "acne",
    "kb:injury": "trauma/injury",
    "kb:infection": "infection",
    "kb:subcutaneous-nodule": "subcutaneous nodule",
    "kb:skin-ulcer": "skin ulcer",
    "kb:joint-pain": "joint pain (arthralgia)",
    "kb:limited-range-of-motion": "limited joint range of motion",
    "kb:joint-stiffness": "joint stiffness",
    "kb:muscle-weakness": "muscle weakness",
    "kb:numbness": "numbness",
    "kb:tingling": "paresthesia",
    "kb:fever": "fever",
    "kb:fatigue": "fatigue",
    "kb:weight-loss": "weight loss",
    "kb:anemia": "anemia",
    "kb:abdominal-pain": "abdominal pain",
    "kb:shortness-of-breath": "dyspnea",
    "kb:chest-pain": "chest pain",
    "kb:difficulty-swallowing": "dysphagia",
    "kb:raynaud-phenomenon": "Raynaud phenomenon",
    "kb:headache": "headache",
    "kb:vision-changes": "visual impairment",
    "kb:seizure": "seizure",
    "kb:confusion": "confusion",
    "kb:kidney-stone": "nephrolithiasis",
    "kb:swelling": "skin swelling",
    "kb:redness": "erythema",
    "kb:tenderness": "tenderness",
    "kb:nerve-compression": "nerve compression",
    "kb:disfigurement": "disfigurement",
    "kb:calcium-deposit": "soft tissue calcification",
    "kb:x-ray": "X-ray",
    "kb:ct-scan": "CT scan",
    "kb:mri": "MRI",
    "kb:ultrasonography": "ultrasonography",
    "kb:bone-scan": "bone scan",
    "kb:biopsy": "biopsy",
    "kb:skin-biopsy": "skin biopsy",
    "kb:muscle-biopsy": "muscle biopsy",
    "kb:electromyography": "electromyography",
    "kb:nerve-conduction-study": "nerve conduction study",
    "kb:arthroscopy": "arthroscopy",
    "kb:physical-examination": "physical examination",
    "kb:nsaid": "NSAIDs",
    "kb:ibuprofen": "ibuprofen",
    "kb:naproxen": "naproxen",
    "kb:aspirin": "aspirin",
    "kb:corticosteroid-therapy": "corticosteroids",
    "kb:corticosteroid-cream": "topical corticosteroid",
    "kb:intralesional-corticosteroid-injection": "intralesional corticosteroid injection",
    "kb:surgical-removal": "surgical excision",
    "kb:ultrasound-therapy": "ultrasound therapy",
    "kb:acupuncture": "acupuncture",
    "kb:physical-therapy": "physical therapy",
    "kb:heat-therapy": "heat therapy",
    "kb:cold-therapy": "cold therapy",
    "kb:massage-therapy": "massage",
    "kb:turmeric": "turmeric/curcumin",
    "kb:vitamin-d-supplementation": "vitamin D",
    "kb:calcium-supplement": "calcium supplement",
    "kb:calcium-channel-blocker": "calcium channel blocker",
    "kb:diltiazem": "diltiazem",
    "kb:colchicine": "colchicine",
    "kb:immunosuppressive-therapy": "immunosuppressants",
    "kb:bisphosphonate": "bisphosphonates",
    "kb:calcitonin": "calcitonin",
    "kb:ivig": "IVIG",
    "kb:radiotherapy": "radiotherapy",
    "kb:warfarin": "warfarin",
    "kb:aluminum-carbonate": "aluminium hydroxide / carbonate antacid",
    "kb:skin": "skin",
    "kb:subcutaneous-tissue": "subcutaneous tissue",
    "kb:muscle": "muscle",
    "kb:tendon": "tendon",
    "kb:joint": "joint",
    "kb:blood-vessel": "blood vessel",
    "kb:heel": "heel",
    "kb:face": "face",
    "kb:scrotum": "scrotum",
    "kb:vagina": "vagina",
    "kb:lung": "lung",
    "kb:heart": "heart",
    "kb:brain": "brain",
    "kb:eye": "eye",
    "kb:esophagus": "esophagus",
    "kb:hand": "hand",
    "kb:foot": "foot",
}
# (TERMS_ENTITY above: which terms.tsv `entity` each mapped kb entity was matched to, by meaning.)


def expected_predicate(row):
    m = row["match"]
    if m == "exact":
        return PREDICATE["exact"]
    if m == "synonym":
        return PREDICATE["close"] if "concept match, wording differs" in row["note"] else PREDICATE["exact"]
    if m == "xref":
        return PREDICATE["exact"] if "(skos:exactMatch)" in row["evidence"] else PREDICATE["close"]
    return {
        "broader": PREDICATE["broad"],
        "narrower": PREDICATE["narrow"],
        "related": PREDICATE["related"],
    }.get(m)


def _terms():
    path = REFERENCE / "terms.tsv"
    if not path.exists():
        return None
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _ids():
    """Every identifier of the reference folder: ids.tsv.gz and the *-subset.tsv extracts."""
    path = REFERENCE / "ids.tsv.gz"
    if not path.exists():
        return None
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            out[parts[0]] = parts[1] if len(parts) > 1 else ""
    for subset in sorted(REFERENCE.glob("*-subset.tsv")):
        with open(subset, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if "id" in row and "label" in row:
                    out[row["id"]] = out.get(row["id"]) or row["label"]
    return out


TERMS = _terms()
IDS = _ids()
MAPPINGS = TABLE["mappings"]


def test_mapping_parameter_count():
    assert len(MAPPINGS) >= 400


@pytest.mark.parametrize("row", MAPPINGS, ids=lambda r: f"{r.get('subject_id')}-{r.get('object_id')}")
def test_mapping_identifier(row):
    curie, predicate = row.get("object_id"), row.get("predicate_id")
    prefix, lid = curie.split(":", 1)
    assert re.fullmatch(LOCAL_ID[prefix], lid), curie
    assert curie not in OBSOLETE
    if IDS is None:
        pytest.skip(f"reference identifiers not found: {REFERENCE} (set CALCINOSIS_REFERENCE)")
    assert curie in IDS, f"{curie} not in the reference identifiers"
    assert not IDS[curie].lower().startswith("obsolete"), curie
    assert row.get("object_label") == IDS[curie], f"{curie}: the reference label is {IDS[curie]!r}"
    if TERMS is not None and row.get("subject_id") in TERMS_ENTITY:
        name = TERMS_ENTITY[row.get("subject_id")]
        for r in (r for r in TERMS if r["entity"] == name and r["curie"] == curie):
            if expected_predicate(r) != predicate:  # a curated correction of the pick says why
                assert row.get("comment") not in GENERIC_COMMENTS, (row.get("subject_id"), curie, r["match"])
                assert not row.get("comment").startswith("Same concept"), (row.get("subject_id"), curie)


#: The comments of mappings that follow the reference pick without a note of their own.
GENERIC_COMMENTS = {
    "",
    "Same concept and name.",
    "Nearly the same concept; not interchangeable in every use.",
    "The reference term is broader.",
    "The reference term is narrower.",
    "A related concept, not a hierarchy relation.",
}


def test_terms_mapping_entities_exist():
    ids = {row.get("id") for row in TABLE["entities"]}
    assert {entity_id(t) for t in TERMS_ENTITY} <= ids
    if TERMS is not None:
        assert set(TERMS_ENTITY.values()) <= {r["entity"] for r in TERMS}


# ---------------------------------------------------------------------------
# 3. Hand-written checklist (from reading the five sources)
# ---------------------------------------------------------------------------

CHECKLIST = [
    # types and their features
    ("ckg:DystrophicCalcinosis", "rdfs:subClassOf", "ckg:Calcinosis", "000"),
    ("ckg:MetastaticCalcinosis", "rdfs:subClassOf", "ckg:Calcinosis", "001"),
    ("ckg:IatrogenicCalcinosis", "rdfs:subClassOf", "ckg:Calcinosis", "001"),
    ("ckg:IdiopathicCalcinosis", "rdfs:subClassOf", "ckg:Calcinosis", "000"),
    ("ckg:CalcinosisCutis", "rdfs:subClassOf", "ckg:Calcinosis", "003"),
    ("ckg:TumoralCalcinosis", "rdfs:subClassOf", "ckg:Calcinosis", "003"),
    ("kb:dystrophic-calcinosis-cutis", "rdfs:subClassOf", "ckg:CalcinosisCutis", "003"),
    ("kb:crest-syndrome", "rdfs:subClassOf", "kb:systemic-sclerosis", "001"),
    ("kb:systemic-sclerosis", "rdfs:subClassOf", "kb:connective-tissue-disease", "002"),
    ("kb:systemic-lupus-erythematosus", "rdfs:subClassOf", "kb:autoimmune-disease", "002"),
    ("ckg:MetastaticCalcinosis", "ckg:hasBasis", "kb:hypercalcemia", "000"),
    ("ckg:MetastaticCalcinosis", "ckg:hasBasis", "kb:hypercalcemia", "001"),
    ("ckg:MetastaticCalcinosis", "ckg:hasBasis", "kb:hypercalcemia", "003"),
    ("ckg:MetastaticCalcinosis", "ckg:hasBasis", "kb:hyperphosphatemia", "000"),
    ("ckg:DystrophicCalcinosis", "ckg:hasBasis", "kb:tissue-damage", "000"),
    ("ckg:DystrophicCalcinosis", "ckg:hasBasis", "kb:tissue-damage", "001"),
    ("ckg:DystrophicCalcinosis", "ckg:hasBasis", "kb:tissue-damage", "003"),
    ("ckg:DystrophicCalcinosis", "ckg:hasFeature", "kb:normal-serum-calcium-and-phosphate", "000"),
    ("ckg:DystrophicCalcinosis", "ckg:hasFeature", "kb:most-common-form", "003"),
    ("ckg:DystrophicCalcinosis", "ckg:hasFeature", "kb:localized-to-damaged-area", "000"),
    ("ckg:MetastaticCalcinosis", "ckg:hasFeature", "kb:rapid-multisite-formation", "000"),
    ("ckg:IatrogenicCalcinosis", "ckg:hasFeature", "kb:localized-to-single-site", "000"),
    ("ckg:IdiopathicCalcinosis", "ckg:hasFeature", "kb:unknown-cause", "001"),
    ("ckg:TumoralCalcinosis", "ckg:hasFeature", "kb:large-deposits-near-joints", "003"),
    ("ckg:Calcinosis", "ckg:hasBasis", "kb:calcium-absorption-excretion-imbalance", "004"),
    # causes
    ("kb:kidney-failure", "ckg:causes", "ckg:MetastaticCalcinosis", "000"),
    ("kb:hyperthyroidism", "ckg:causes", "ckg:MetastaticCalcinosis", "000"),
    ("kb:hypervitaminosis-d", "ckg:contributesTo", "ckg:MetastaticCalcinosis", "000"),
    ("kb:paget-disease-of-bone", "ckg:causes", "ckg:MetastaticCalcinosis", "000"),
    ("kb:bone-tumour", "ckg:causes", "ckg:MetastaticCalcinosis", "000"),
    ("kb:systemic-lupus-erythematosus", "ckg:causes", "ckg:DystrophicCalcinosis", "000"),
    ("kb:rheumatoid-arthritis", "ckg:causes", "ckg:DystrophicCalcinosis", "000"),
    ("kb:systemic-sclerosis", "ckg:causes", "ckg:DystrophicCalcinosis", "000"),
    ("kb:acne", "ckg:causes", "ckg:DystrophicCalcinosis", "000"),
    ("kb:joint-injury", "ckg:causes", "ckg:DystrophicCalcinosis", "000"),
    ("kb:heel-stick", "ckg:causes", "ckg:IatrogenicCalcinosis", "000"),
    ("kb:electrode-paste", "ckg:causes", "ckg:IatrogenicCalcinosis", "000"),
    ("kb:down-syndrome", "ckg:riskFactorFor", "ckg:IdiopathicCalcinosis", "000"),
    ("kb:dermatomyositis", "ckg:associatedWith", "ckg:DystrophicCalcinosis", "001"),
    ("kb:hyperparathyroidism", "ckg:associatedWith", "ckg:MetastaticCalcinosis", "001"),
    ("kb:warfarin", "ckg:causes", "ckg:IatrogenicCalcinosis", "001"),
    ("kb:calcium-supplement", "ckg:causes", "ckg:IatrogenicCalcinosis", "001"),
    ("kb:calcium-injection", "ckg:causes", "ckg:IatrogenicCalcinosis", "001"),
    ("kb:connective-tissue-disease", "ckg:causes", "ckg:Calcinosis", "001"),
    ("kb:chronic-kidney-disease", "ckg:causes", "ckg:Calcinosis", "001"),
    ("kb:chronic-kidney-disease", "ckg:causes", "ckg:Calcinosis", "002"),
    ("kb:hypervitaminosis-a", "ckg:causes", "ckg:Calcinosis", "001"),
    ("kb:crest-syndrome", "ckg:causes", "ckg:Calcinosis", "001"),
    ("kb:wilson-disease", "ckg:causes", "ckg:Calcinosis", "001"),
    ("kb:chronic-graft-versus-host-disease", "ckg:causes", "ckg:Calcinosis", "001"),
    ("kb:milk-alkali-syndrome", "ckg:causes", "ckg:Calcinosis", "001"),
    ("kb:hypoparathyroidism", "ckg:causes", "ckg:Calcinosis", "001"),
    ("kb:tertiary-hyperparathyroidism", "ckg:causes", "ckg:Calcinosis", "001"),
    ("kb:myeloma", "ckg:associatedWith", "ckg:Calcinosis", "001"),
    ("kb:sarcoidosis", "ckg:associatedWith", "ckg:Calcinosis", "001"),
    ("kb:autoimmune-disease", "ckg:associatedWith", "ckg:IdiopathicCalcinosis", "001"),
    ("kb:calcium-supplement", "ckg:exacerbates", "ckg:Calcinosis", "001"),
    ("kb:systemic-sclerosis", "ckg:hasComplication", "ckg:Calcinosis", "002"),
    ("kb:systemic-lupus-erythematosus", "ckg:hasComplication", "ckg:Calcinosis", "002"),
    ("kb:injury", "ckg:causes", "ckg:Calcinosis", "002"),
    ("kb:infection", "ckg:causes", "ckg:Calcinosis", "003"),
    ("kb:milk-alkali-syndrome", "ckg:causes", "ckg:MetastaticCalcinosis", "003"),
    ("kb:medical-device-implantation", "ckg:causes", "ckg:DystrophicCalcinosis", "003"),
    ("kb:autoimmune-disease", "ckg:associatedWith", "ckg:Calcinosis", "004"),
    ("kb:certain-medications", "ckg:contributesTo", "ckg:Calcinosis", "004"),
    # symptoms
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:skin-bump", "001"),
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:skin-bump", "004"),
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:joint-pain", "001"),
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:raynaud-phenomenon", "001"),
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:kidney-stone", "001"),
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:difficulty-swallowing", "001"),
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:subcutaneous-nodule", "002"),
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:nerve-compression", "002"),
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:pain", "004"),
    ("ckg:Calcinosis", "ckg:hasSymptom", "kb:disfigurement", "004"),
    ("ckg:Calcinosis", "ckg:hasComplication", "kb:impaired-mobility", "004"),
    ("kb:fever", "ckg:indicates", "kb:infection", "001"),
    # diagnosis
    ("ckg:Calcinosis", "ckg:diagnosedBy", "kb:blood-test", "001"),
    ("ckg:Calcinosis", "ckg:diagnosedBy", "kb:x-ray", "002"),
    ("ckg:Calcinosis", "ckg:diagnosedBy", "kb:ct-scan", "004"),
    ("ckg:Calcinosis", "ckg:diagnosedBy", "kb:synovial-fluid-analysis", "001"),
    ("ckg:Calcinosis", "ckg:diagnosedBy", "kb:physical-examination", "004"),
    ("kb:x-ray", "ckg:detects", "kb:calcium-deposit", "001"),
    ("kb:hypophosphatemia", "ckg:indicates", "ckg:Calcinosis", "001"),
    ("kb:hypercalcemia", "ckg:indicates", "ckg:Calcinosis", "001"),
    # treatment
    ("ckg:MetastaticCalcinosis", "ckg:treatedBy", "kb:warfarin", "000"),
    ("ckg:MetastaticCalcinosis", "ckg:treatedBy", "kb:aluminum-carbonate", "000"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:surgical-removal", "000"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:surgical-removal", "004"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:treatment-of-underlying-condition", "002"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:nsaid", "002"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:ibuprofen", "001"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:shockwave-therapy", "001"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:colchicine", "001"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:vitamin-d-supplementation", "001"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:bisphosphonate", "001"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:bisphosphonate", "004"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:intralesional-corticosteroid-injection", "002"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:calcitonin", "004"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:acupuncture", "001"),
    ("ckg:Calcinosis", "ckg:treatedBy", "kb:ivig", "001"),
    # prevention
    ("ckg:Calcinosis", "ckg:preventedBy", "kb:protective-measures", "002"),
    ("ckg:Calcinosis", "ckg:preventedBy", "kb:dietary-modification", "002"),
    ("ckg:Calcinosis", "ckg:preventedBy", "kb:regular-management-of-systemic-disease", "002"),
    # sites and populations
    ("ckg:IdiopathicCalcinosis", "ckg:hasLocation", "kb:scrotum", "000"),
    ("ckg:IdiopathicCalcinosis", "ckg:hasLocation", "kb:face", "000"),
    ("ckg:IatrogenicCalcinosis", "ckg:hasLocation", "kb:heel", "000"),
    ("ckg:Calcinosis", "ckg:hasLocation", "kb:hand", "001"),
    ("ckg:Calcinosis", "ckg:hasLocation", "kb:lung", "001"),
    ("ckg:Calcinosis", "ckg:hasLocation", "kb:soft-tissue", "003"),
    ("ckg:Calcinosis", "ckg:hasLocation", "kb:tendon", "004"),
    ("ckg:CalcinosisCutis", "ckg:hasLocation", "kb:skin", "003"),
    ("ckg:TumoralCalcinosis", "ckg:hasLocation", "kb:joint", "001"),
    ("ckg:IdiopathicCalcinosis", "ckg:occursIn", "kb:babies", "000"),
    ("ckg:IatrogenicCalcinosis", "ckg:occursIn", "kb:children", "000"),
    # course
    ("ckg:Calcinosis", "ckg:hasFeature", "kb:usually-painless", "000"),
    ("ckg:Calcinosis", "ckg:hasFeature", "kb:recurrence-after-surgery", "000"),
    ("ckg:Calcinosis", "ckg:hasFeature", "kb:difficult-to-treat", "000"),
    ("ckg:IdiopathicCalcinosis", "ckg:hasFeature", "kb:incomplete-treatment-response", "000"),
    ("ckg:Calcinosis", "ckg:hasFeature", "kb:rare", "001"),
    ("ckg:Calcinosis", "ckg:hasFeature", "kb:rare", "003"),
    ("ckg:Calcinosis", "ckg:hasFeature", "kb:rare", "004"),
    ("ckg:Calcinosis", "ckg:hasFeature", "kb:manageable-with-treatment", "004"),
]


def test_checklist_size_and_coverage():
    assert len(CHECKLIST) >= 60
    assert {c[3] for c in CHECKLIST} == {"000", "001", "002", "003", "004"}
    used = {c[1] for c in CHECKLIST}
    for p in [
        "rdfs:subClassOf",
        "ckg:hasBasis",
        "ckg:hasFeature",
        "ckg:causes",
        "ckg:contributesTo",
        "ckg:riskFactorFor",
        "ckg:associatedWith",
        "ckg:exacerbates",
        "ckg:hasComplication",
        "ckg:hasSymptom",
        "ckg:indicates",
        "ckg:diagnosedBy",
        "ckg:detects",
        "ckg:treatedBy",
        "ckg:preventedBy",
        "ckg:hasLocation",
        "ckg:occursIn",
    ]:
        assert p in used, p
    types = {c[0] for c in CHECKLIST} | {c[2] for c in CHECKLIST}
    for t in ["Calcinosis", *CALCINOSIS_TYPES]:
        assert "ckg:" + t in types, t


@pytest.mark.parametrize("item", CHECKLIST, ids=lambda c: "|".join(c))
def test_checklist_claim(item):
    key = (entity_id(item[0]), item[1], entity_id(item[2]))
    assert key in CLAIM_SOURCES, f"claim missing: {item}"
    assert item[3] in CLAIM_SOURCES[key], f"no evidence from {item[3]}: {item} (has {CLAIM_SOURCES[key]})"


def test_key_modelling():
    categories = {row.get("id"): row.values("category") for row in TABLE["entities"]}
    assert categories["hypercalcemia"] == ["ckg:RaisedSerumCalcium"]
    assert categories["hyperphosphatemia"] == ["ckg:RaisedSerumPhosphate"]
    assert categories["tissue-damage"] == ["ckg:TissueDamage"]
    assert categories["normal-serum-calcium-and-phosphate"] == ["ckg:NormalSerumMineralLevel"]
    assert categories["ckg:Calcinosis"] == ["ckg:Disease"]
    for t in CALCINOSIS_TYPES:
        assert categories[f"ckg:{t}"] == ["ckg:Calcinosis"], t


# ---------------------------------------------------------------------------
# 4. Conflicts
# ---------------------------------------------------------------------------

EXPECTED_CONFLICTS = {  # slug: (class, sources whose claims it must concern)
    "warfarin-treatment-vs-cause": ("ckg:Conflict", {"000", "001"}),
    "vitamin-d-cause-vs-benefit": ("ckg:Conflict", {"000", "001"}),
    "idiopathic-without-disease-vs-autoimmune": ("ckg:Conflict", {"001"}),
    "idiopathic-with-named-triggers": ("ckg:Conflict", {"000", "001"}),
    "low-phosphate-vs-excess-phosphate": ("ckg:Conflict", {"000", "001"}),
    "rare-vs-common-complication": ("ckg:Conflict", {"001", "002", "003", "004"}),
    "painless-vs-painful": ("ckg:Conflict", {"000", "001", "002", "004"}),
    "thyroid-for-parathyroid": ("ckg:DoubtfulStatement", {"000"}),
    "hypoparathyroidism-low-calcium": ("ckg:DoubtfulStatement", {"001"}),
    "soccer-injuries": ("ckg:DoubtfulStatement", {"000"}),
    "calcium-supplements-cause-vs-heading": ("ckg:Conflict", {"001"}),
    "difficult-vs-manageable": ("ckg:Conflict", {"000", "004"}),
    "calcinosis-in-bone": ("ckg:Conflict", {"001"}),
    "antacid-treatment-vs-cause": ("ckg:Conflict", {"000", "001"}),
    "unknown-cause-vs-many-causes": ("ckg:Conflict", {"001", "002", "003", "004"}),
    "tumoral-genetic-vs-not-understood": ("ckg:Conflict", {"001", "003"}),
    "myeloma-truncated": ("ckg:DoubtfulStatement", {"001"}),
}


CONFLICTS = {row.get("id"): row for row in TABLE["conflicts"]}


@pytest.mark.parametrize("slug", sorted(EXPECTED_CONFLICTS))
def test_conflict(slug):
    kind, sources = EXPECTED_CONFLICTS[slug]
    row = CONFLICTS[slug]
    assert row.get("kind") == kind
    seen = set().union(*(CLAIM_SOURCES[CLAIM_BY_NAME[name]] for name in row.values("concerns")))
    assert sources <= seen, (slug, seen)
    if kind == "ckg:Conflict":
        assert len(row.values("concerns")) >= 2


def test_no_conflict_is_left_unchecked():
    assert len(CONFLICTS) >= len(EXPECTED_CONFLICTS) == 17
