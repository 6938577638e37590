"""Tests of the knowledge base in kb/ (fast, no network).

Loads every kb/**/*.ttl file and ontology/calcinosis.ttl with rdflib and checks excerpts
against the source documents, mappings against the reference identifiers, a hand-written
checklist of claims, the structure of claims/evidence/entities, and the conflicts.
"""

import collections
import csv
import gzip
import os
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

REPO = Path(__file__).resolve().parents[1]
KB_DIR = REPO / "kb"
ONTOLOGY = REPO / "ontology" / "calcinosis.ttl"
SEEDS = Path(os.environ.get("CALCINOSIS_SEEDS", REPO.parent / "shared" / "seeds"))
REFERENCE = Path(os.environ.get("CALCINOSIS_REFERENCE", REPO.parent / "shared" / "reference"))

CKG = Namespace("https://w3id.org/calcinosis-kg/ontology/")
KB = Namespace("https://w3id.org/calcinosis-kg/entity/")
CLAIM = Namespace("https://w3id.org/calcinosis-kg/claim/")
EV = Namespace("https://w3id.org/calcinosis-kg/evidence/")
SRC = Namespace("https://w3id.org/calcinosis-kg/source/")
CONFLICT = Namespace("https://w3id.org/calcinosis-kg/conflict/")
OBO = "http://purl.obolibrary.org/obo/"

KB_FILES = sorted(KB_DIR.rglob("*.ttl"))
CALCINOSIS_TYPES = (
    "DystrophicCalcinosis",
    "MetastaticCalcinosis",
    "IatrogenicCalcinosis",
    "IdiopathicCalcinosis",
    "TumoralCalcinosis",
    "CalcinosisCutis",
)


def _load(files):
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


KBG = _load(KB_FILES)  # the knowledge base alone
ONTO = _load([ONTOLOGY])  # the ontology alone
G = KBG + ONTO  # both


def norm(s):
    return re.sub(r"\s+", " ", str(s)).strip()


def local(term):
    s = str(term)
    for ns in (KB, CKG, CLAIM, EV, SRC, CONFLICT):
        if s.startswith(str(ns)):
            return s[len(str(ns)) :]
    if term == RDFS.subClassOf:
        return "subClassOf"
    raise AssertionError(f"unexpected namespace: {term}")


def ref(t):
    """'kb:x' / 'ckg:X' / 'rdfs:subClassOf' to a URIRef."""
    prefix, local = t.split(":", 1)
    return {"kb": KB, "ckg": CKG, "rdfs": RDFS}[prefix][local]


CLAIMS = sorted(set(KBG.subjects(RDF.type, CKG.Claim)))
EVIDENCE = sorted(set(KBG.subjects(RDF.type, CKG.Evidence)))
ENTITIES = sorted({s for s in KBG.subjects() if isinstance(s, URIRef) and str(s).startswith(str(KB))})
SOURCES = {str(KBG.value(s, DCTERMS.identifier)): s for s in KBG.subjects(RDF.type, CKG.SourceDocument)}


def source_number(src):
    return str(KBG.value(src, DCTERMS.identifier))[:3]


def claim_sources(claim):
    return {source_number(KBG.value(e, CKG.fromSource)) for e in KBG.objects(claim, CKG.hasEvidence)}


def find_claim(s, p, o):
    for c in KBG.subjects(RDF.subject, s):
        if (c, RDF.predicate, p) in KBG and (c, RDF.object, o) in KBG:
            return c
    return None


# ---------------------------------------------------------------------------
# 0. Parsing and sanity
# ---------------------------------------------------------------------------


def test_kb_files_present_and_parse():
    assert len(KB_FILES) >= 15, [f.name for f in KB_FILES]
    for f in KB_FILES:
        Graph().parse(f, format="turtle")
    assert len(CLAIMS) > 250 and len(EVIDENCE) > len(CLAIMS)
    assert len(SOURCES) == 5


# ---------------------------------------------------------------------------
# 1. Excerpts are verbatim
# ---------------------------------------------------------------------------


def _seed_texts():
    if not SEEDS.is_dir():
        return None
    return {
        name: norm((SEEDS / name).read_text(encoding="utf-8")) for name in SOURCES if (SEEDS / name).exists()
    }


SEED_TEXTS = _seed_texts()


def test_evidence_parameter_count():
    assert len(EVIDENCE) >= 400


@pytest.mark.parametrize("evidence", EVIDENCE, ids=lambda e: local(e))
def test_excerpt_verbatim(evidence):
    if SEED_TEXTS is None:
        pytest.skip(f"source documents folder not found: {SEEDS} (set CALCINOSIS_SEEDS)")
    src = KBG.value(evidence, CKG.fromSource)
    name = str(KBG.value(src, DCTERMS.identifier))
    assert name in SEED_TEXTS, f"source file {name} missing from {SEEDS}"
    excerpt = norm(KBG.value(evidence, CKG.excerpt))
    assert excerpt and excerpt in SEED_TEXTS[name], f"{local(evidence)}: excerpt not in {name}: {excerpt!r}"
    for hedge in KBG.objects(evidence, CKG.hedging):
        for word in str(hedge).split(";"):
            assert word.strip().lower() in excerpt.lower(), (local(evidence), word)


# ---------------------------------------------------------------------------
# 2. Mappings
# ---------------------------------------------------------------------------

MAPPING_PREDICATES = {
    SKOS.exactMatch: "exact",
    SKOS.closeMatch: "close",
    SKOS.broadMatch: "broad",
    SKOS.narrowMatch: "narrow",
    SKOS.relatedMatch: "related",
}
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
IRI_FORMS = [
    (re.compile(r"^http://purl\.obolibrary\.org/obo/(DOID|MONDO|HP|MAXO|CHEBI|UBERON|OBI|NCIT)_(.+)$"), None),
    (re.compile(r"^http://purl\.bioontology\.org/ontology/ICD10CM/(.+)$"), "ICD10CM"),
    (re.compile(r"^http://id\.nlm\.nih\.gov/mesh/(.+)$"), "MESH"),
    (re.compile(r"^http://linkedlifedata\.com/resource/umls/id/(.+)$"), "UMLS"),
    (re.compile(r"^http://www\.orpha\.net/ORDO/Orphanet_(.+)$"), "ORDO"),
    (re.compile(r"^https://omim\.org/entry/(.+)$"), "OMIM"),
]


def to_curie(iri):
    for rx, prefix in IRI_FORMS:
        m = rx.match(str(iri))
        if m:
            return f"{m.group(1)}:{m.group(2)}" if prefix is None else f"{prefix}:{m.group(1)}"
    return None


MAPPINGS = sorted((s, p, o) for p in MAPPING_PREDICATES for s, o in KBG.subject_objects(p))

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
        return SKOS.exactMatch
    if m == "synonym":
        return SKOS.closeMatch if "concept match, wording differs" in row["note"] else SKOS.exactMatch
    if m == "xref":
        return SKOS.exactMatch if "(skos:exactMatch)" in row["evidence"] else SKOS.closeMatch
    return {"broader": SKOS.broadMatch, "narrower": SKOS.narrowMatch, "related": SKOS.relatedMatch}.get(m)


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
                    out.setdefault(row["id"], row["label"])
    return out


TERMS = _terms()
IDS = _ids()


def test_mapping_parameter_count():
    assert len(MAPPINGS) >= 350


def short(term):
    s = str(term)
    return "kb:" + s[len(str(KB)) :] if s.startswith(str(KB)) else "ckg:" + s[len(str(CKG)) :]


@pytest.mark.parametrize("mapping", MAPPINGS, ids=lambda m: f"{short(m[0])}-{local_pred(m[1])}-{m[2]}")
def test_mapping_identifier(mapping):
    s, p, o = mapping
    assert str(s).startswith(str(KB)) or str(s).startswith(str(CKG)), s
    curie = to_curie(o)
    assert curie, f"mapping IRI of unknown form: {o}"
    prefix, lid = curie.split(":", 1)
    assert re.fullmatch(LOCAL_ID[prefix], lid), curie
    assert curie not in OBSOLETE
    if IDS is not None:
        assert curie in IDS, f"{curie} not in the reference identifiers"
        assert not IDS[curie].lower().startswith("obsolete"), curie
    if TERMS is not None and short(s) in TERMS_ENTITY:
        rows = [r for r in TERMS if r["entity"] == TERMS_ENTITY[short(s)] and r["curie"] == curie]
        for r in rows:
            assert expected_predicate(r) == p, (short(s), curie, r["match"], p)


def local_pred(p):
    return str(p).rsplit("#", 1)[-1]


def test_no_identifier_is_exact_match_of_two_entities():
    owners = collections.defaultdict(set)
    for s, o in KBG.subject_objects(SKOS.exactMatch):
        owners[o].add(s)
    shared = {str(o): sorted(map(short, s)) for o, s in owners.items() if len(s) > 1}
    assert not shared, shared


def test_no_mapping_repeats_the_ontology():
    repeated = [(s, p, o) for s, p, o in MAPPINGS if (s, p, o) in ONTO]
    assert not repeated, repeated


def test_terms_mapping_entities_exist():
    for t in TERMS_ENTITY:
        assert (ref(t), RDFS.label, None) in G, t
    if TERMS is not None:
        names = {r["entity"] for r in TERMS}
        assert set(TERMS_ENTITY.values()) <= names


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
    s, p, o, src = (ref(item[0]), ref(item[1]), ref(item[2]), item[3])
    assert (s, p, o) in KBG, f"direct edge missing: {item}"
    c = find_claim(s, p, o)
    assert c is not None, f"claim missing: {item}"
    assert src in claim_sources(c), f"no evidence from {src}: {item} (has {claim_sources(c)})"


# ---------------------------------------------------------------------------
# 4. Structure
# ---------------------------------------------------------------------------


def test_claim_parameter_count():
    assert len(CLAIMS) >= 300


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: local(c))
def test_claim_structure(claim):
    s, p, o = (KBG.value(claim, x) for x in (RDF.subject, RDF.predicate, RDF.object))
    assert None not in (s, p, o)
    assert len(set(KBG.objects(claim, RDF.subject))) == 1 and len(set(KBG.objects(claim, RDF.object))) == 1
    assert (s, p, o) in KBG, "direct edge missing"
    assert p == RDFS.subClassOf or (p, RDF.type, OWL.ObjectProperty) in ONTO, p
    name = local(claim)
    assert name == f"{local(s)}--{local(p)}--{local(o)}", name
    evs = list(KBG.objects(claim, CKG.hasEvidence))
    assert evs
    for e in evs:
        assert (e, RDF.type, CKG.Evidence) in KBG
        srcs = list(KBG.objects(e, CKG.fromSource))
        assert len(srcs) == 1
        assert re.fullmatch(re.escape(name) + r"--" + source_number(srcs[0]) + r"(-\d+)?", local(e)), local(e)
        ex = list(KBG.objects(e, CKG.excerpt))
        assert len(ex) == 1 and norm(ex[0])
        assert len(list(KBG.objects(e, CKG.section))) == 1
        for li in KBG.objects(e, CKG.listItem):
            assert li.datatype == XSD.integer and int(li) >= 1
    for ctx in KBG.objects(claim, CKG.context):
        assert (ctx, RDFS.label, None) in G


def test_every_evidence_belongs_to_one_claim():
    for e in EVIDENCE:
        assert len(list(KBG.subjects(CKG.hasEvidence, e))) == 1, e


def test_no_duplicate_claims():
    keys = collections.Counter(
        (KBG.value(c, RDF.subject), KBG.value(c, RDF.predicate), KBG.value(c, RDF.object)) for c in CLAIMS
    )
    assert all(n == 1 for n in keys.values())


def test_no_blank_nodes():
    for t in KBG:
        assert not any(isinstance(x, BNode) for x in t), t


def test_labels_unique():
    labels = collections.defaultdict(set)
    for s, label in KBG.subject_objects(RDFS.label):
        labels[str(label).lower()].add(s)
    dup = {label: s for label, s in labels.items() if len(s) > 1}
    assert not dup, dup


def test_entity_parameter_count():
    assert len(ENTITIES) >= 180


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: local(e))
def test_entity(entity):
    labels = list(KBG.objects(entity, RDFS.label))
    defs = list(KBG.objects(entity, SKOS.definition))
    assert len(labels) == 1 and labels[0].language == "en", labels
    assert len(defs) == 1 and defs[0].language == "en", defs
    for a in KBG.objects(entity, SKOS.altLabel):
        assert a.language == "en"
    types = set(KBG.objects(entity, RDF.type)) - {OWL.Class}
    assert types and all((t, RDF.type, OWL.Class) in ONTO for t in types), types
    if (entity, RDFS.subClassOf, None) in KBG or (None, RDFS.subClassOf, entity) in KBG:
        assert (entity, RDF.type, OWL.Class) in KBG


def test_only_declared_ontology_terms():
    for t in KBG:
        for x in t:
            if isinstance(x, URIRef) and str(x).startswith(str(CKG)):
                assert (x, None, None) in ONTO, x


def superclasses(cls):
    seen, todo = set(), [cls]
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        todo.extend(o for o in ONTO.objects(c, RDFS.subClassOf) if isinstance(o, URIRef))
    return seen


def categories(x):
    out = set()
    for t in G.objects(x, RDF.type):
        out |= superclasses(t)
    return out


def disjoint_pairs():
    pairs = set()
    for a, b in ONTO.subject_objects(OWL.disjointWith):
        pairs.add(frozenset((a, b)))
    for node in ONTO.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(ONTO.items(ONTO.value(node, OWL.members)))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add(frozenset((a, b)))
    return pairs


def test_no_disjoint_categories():
    pairs = disjoint_pairs()
    assert len(pairs) > 20
    for e in ENTITIES + [CKG[t] for t in ("Calcinosis", "DystrophicCalcinosis", "MetastaticCalcinosis")]:
        cats = categories(e)
        bad = [tuple(p) for p in pairs if p <= cats]
        assert not bad, (e, bad)


DOMAIN_RANGE = {
    CKG.hasSymptom: (CKG.MedicalCondition, CKG.ClinicalFinding),
    CKG.treatedBy: (CKG.MedicalCondition, CKG.Treatment),
    CKG.preventedBy: (CKG.MedicalCondition, CKG.PreventiveMeasure),
    CKG.diagnosedBy: (CKG.MedicalCondition, CKG.DiagnosticProcedure),
    CKG.hasLocation: (CKG.MedicalCondition, CKG.AnatomicalSite),
    CKG.occursIn: (CKG.MedicalCondition, CKG.Population),
    CKG.indicates: (CKG.ClinicalFinding, CKG.MedicalCondition),
    CKG.detects: (CKG.DiagnosticProcedure, None),
    CKG.hasBasis: (CKG.MedicalCondition, None),
    CKG.hasFeature: (CKG.MedicalCondition, None),
    CKG.hasComplication: (CKG.MedicalCondition, CKG.MedicalCondition),
    CKG.causes: (None, CKG.MedicalCondition),
    CKG.contributesTo: (None, CKG.MedicalCondition),
    CKG.riskFactorFor: (None, CKG.MedicalCondition),
    CKG.associatedWith: (None, CKG.MedicalCondition),
    CKG.exacerbates: (None, CKG.MedicalCondition),
}


def test_domains_and_ranges():
    n = 0
    for p, (dom, rng) in DOMAIN_RANGE.items():
        for s, o in KBG.subject_objects(p):
            n += 1
            if dom is not None:
                assert dom in categories(s), (s, p, o)
            if rng is not None:
                assert rng in categories(o), (s, p, o)
    assert n > 250


def test_key_modelling():
    assert (KB["hypercalcemia"], RDF.type, CKG.RaisedSerumCalcium) in KBG
    assert (KB["hyperphosphatemia"], RDF.type, CKG.RaisedSerumPhosphate) in KBG
    assert (CKG.MetastaticCalcinosis, CKG.hasBasis, KB["hypercalcemia"]) in KBG
    assert (CKG.MetastaticCalcinosis, CKG.hasBasis, KB["hyperphosphatemia"]) in KBG
    assert (CKG.DystrophicCalcinosis, CKG.hasBasis, KB["tissue-damage"]) in KBG
    assert (KB["tissue-damage"], RDF.type, CKG.TissueDamage) in KBG
    normal = [
        o
        for o in KBG.objects(CKG.DystrophicCalcinosis, CKG.hasFeature)
        if CKG.NormalSerumMineralLevel in categories(o)
    ]
    assert normal
    for t in CALCINOSIS_TYPES:
        assert (CKG[t], RDF.type, CKG.Calcinosis) in KBG
    assert (CKG.Calcinosis, RDF.type, CKG.Disease) in KBG


def test_sources():
    assert sorted(SOURCES) == [
        "000_e6789d8eeedda09f.txt",
        "001_d76e8ed3ab9310dd.txt",
        "002_334d6c670b24bd90.txt",
        "003_17a39bddebb16933.txt",
        "004_3af5519e628b4822.txt",
    ]
    for name, s in SOURCES.items():
        assert local(s) == name[:-4]
        for p in (DCTERMS.title, RDFS.label, SKOS.definition, CKG.reliability):
            assert len(list(KBG.objects(s, p))) == 1, (name, p)


# ---------------------------------------------------------------------------
# 5. Conflicts
# ---------------------------------------------------------------------------

EXPECTED_CONFLICTS = {  # slug: (class, sources whose claims it must concern)
    "warfarin-treatment-vs-cause": (CKG.Conflict, {"000", "001"}),
    "vitamin-d-cause-vs-benefit": (CKG.Conflict, {"000", "001"}),
    "idiopathic-without-disease-vs-autoimmune": (CKG.Conflict, {"001"}),
    "idiopathic-with-named-triggers": (CKG.Conflict, {"000", "001"}),
    "low-phosphate-vs-excess-phosphate": (CKG.Conflict, {"000", "001"}),
    "rare-vs-common-complication": (CKG.Conflict, {"001", "002", "003", "004"}),
    "painless-vs-painful": (CKG.Conflict, {"000", "001", "002", "004"}),
    "thyroid-for-parathyroid": (CKG.DoubtfulStatement, {"000"}),
    "hypoparathyroidism-low-calcium": (CKG.DoubtfulStatement, {"001"}),
    "soccer-injuries": (CKG.DoubtfulStatement, {"000"}),
    "calcium-supplements-cause-vs-heading": (CKG.Conflict, {"001"}),
    "difficult-vs-manageable": (CKG.Conflict, {"000", "004"}),
    "calcinosis-in-bone": (CKG.Conflict, {"001"}),
    "antacid-treatment-vs-cause": (CKG.Conflict, {"000", "001"}),
    "unknown-cause-vs-many-causes": (CKG.Conflict, {"001", "002", "003", "004"}),
    "tumoral-genetic-vs-not-understood": (CKG.Conflict, {"001", "003"}),
    "myeloma-truncated": (CKG.DoubtfulStatement, {"001"}),
}


@pytest.mark.parametrize("slug", sorted(EXPECTED_CONFLICTS))
def test_conflict(slug):
    cls, sources = EXPECTED_CONFLICTS[slug]
    node = CONFLICT[slug]
    assert (node, RDF.type, cls) in KBG
    assert len(list(KBG.objects(node, RDFS.label))) == 1 and len(list(KBG.objects(node, RDFS.comment))) == 1
    claims = list(KBG.objects(node, CKG.concerns))
    seen = set()
    for c in claims:
        assert (c, RDF.type, CKG.Claim) in KBG, c
        seen |= claim_sources(c)
    assert sources <= seen, (slug, seen)
    if cls == CKG.Conflict:
        assert len(claims) >= 2


def test_every_quality_issue_is_valid():
    issues = set(KBG.subjects(RDF.type, CKG.Conflict)) | set(KBG.subjects(RDF.type, CKG.DoubtfulStatement))
    assert len(issues) >= len(EXPECTED_CONFLICTS)
    for i in issues:
        assert str(i).startswith(str(CONFLICT))
        assert list(KBG.objects(i, CKG.concerns))
        for c in KBG.objects(i, CKG.concerns):
            assert (c, RDF.type, CKG.Claim) in KBG
