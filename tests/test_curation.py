"""The compiler of the curation tables: what it writes, and one bad table per kind of error.

The error cases start from a tiny valid knowledge base (two sources, five entities, three claims,
a doubtful statement, a conflict with one judged side, a corroboration, a mapping) written into a
temporary folder, change one line of one table, and check
the file:line:column and the message of the error.
"""

from __future__ import annotations

import collections
import csv
import logging
from pathlib import Path

import pytest

from calcinosis_kg import curation
from calcinosis_kg.cli import main
from calcinosis_kg.curation import compile_tables
from calcinosis_kg.errors import InvalidDataError
from calcinosis_kg.loading import parse_quads
from calcinosis_kg.resources import kb_files, ontology_file

KB = "https://w3id.org/calcinosis-kg/entity/"
CKG = "https://w3id.org/calcinosis-kg/ontology/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

SEED = "Calcinosis is rare. Kidney failure can cause metastatic calcinosis.\nIt is painless.\n"
TABLES = {
    "sources.tsv": [
        "id\ttitle\tlabel\tdefinition",
        "000_aa\tA\tsource 000: A\tThe first test source.",
        "001_bb\tB\tsource 001: B\tThe second test source.",
    ],
    "entities.tsv": [
        "id\tcategory\tlabel\tdefinition\tsynonyms\tparents\tsource",
        "ckg:Calcinosis\tckg:Disease\t\t\t\t\t",
        "ckg:MetastaticCalcinosis\tckg:Calcinosis\t\t\t\t\t",
        "kidney-disease\tckg:Disease\tkidney disease\tA disease of the kidneys.\t\t\t000_aa",
        "kidney-failure\tckg:Disease\tkidney failure\tLoss of kidney function.\trenal failure"
        "\tkidney-disease\t000_aa",
        "dialysis\tckg:Treatment\tdialysis\tBlood cleaned by a machine.\t\t\t001_bb",
    ],
    "claims.tsv": [
        "subject\trelation\tobject\tsource\tpassage\tsection\tlist_item\texcerpt\thedging\tcontext\teffect",
        "kidney-failure\tckg:causes\tckg:MetastaticCalcinosis\t000_aa\t\tCauses\t2"
        "\tKidney failure can cause metastatic calcinosis.\tcan\t\t",
        "kidney-failure\trdfs:subClassOf\tkidney-disease\t000_aa\t\tCauses\t\tKidney failure can cause\t\t\t",
        "ckg:MetastaticCalcinosis\tckg:treatedBy\tdialysis\t001_bb\t\tCauses\t\tIt is painless.\t\t"
        "\tckg:RelievesSymptoms",
    ],
    "conflicts.tsv": [
        "id\tkind\tlabel\tconcerns\tcomment",
        "made-up\tckg:DoubtfulStatement\tmade up\tkidney-failure--causes--MetastaticCalcinosis\tA test note.",
        "two-sides\tckg:Conflict\ttwo sides\tkidney-failure--causes--MetastaticCalcinosis"
        " | MetastaticCalcinosis--treatedBy--dialysis\tA test conflict.",
    ],
    "conflict-sides.tsv": [
        "conflict\tclaim\tjudgement\treason\treference",
        "two-sides\tMetastaticCalcinosis--treatedBy--dialysis\tsupported\tA test reason.\tDOID:1074",
    ],
    "corroboration.tsv": [
        "claim\tagreement\treference\treference_label\tresource\tphenotype\tphenotype_label\tfrequency"
        "\tevidence_code\tpublication\tcomment",
        "kidney-failure--causes--MetastaticCalcinosis\tagrees\tORPHA:90291\tSystemic sclerosis\thpoa"
        "\tHP:0003761\tCalcinosis\tHP:0040282\tTAS\tORPHA:90291\tA test row.",
    ],
    "mappings.sssom.tsv": [
        "#curie_map:",
        "#  DOID: http://purl.obolibrary.org/obo/DOID_",
        "#  kb: https://w3id.org/calcinosis-kg/entity/",
        "#  semapv: https://w3id.org/semapv/vocab/",
        "#  skos: http://www.w3.org/2004/02/skos/core#",
        "#mapping_set_id: https://example.org/test.sssom.tsv",
        "#license: https://creativecommons.org/licenses/by/4.0/",
        "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tcomment",
        "kb:kidney-failure\tkidney failure\tskos:closeMatch\tDOID:1074\t\tsemapv:ManualMappingCuration\t",
    ],
}


@pytest.fixture(scope="module")
def ontology():
    return parse_quads(ontology_file())


def write_kb(folder: Path, changes: dict[tuple[str, int], str | None] | None = None) -> list[Path]:
    """The tiny knowledge base in ``folder``; ``changes[(table, line)]`` replaces (or, None, drops) a line."""
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    for name in ("000_aa.txt", "001_bb.txt"):
        (folder / "seeds" / name).write_text(SEED, encoding="utf-8")
    paths = []
    for name, lines in TABLES.items():
        lines = list(lines)
        for (table, line), text in (changes or {}).items():
            if table == name:
                lines[line - 1] = text
        path = folder / name
        path.write_text("".join(f"{line}\n" for line in lines if line is not None), encoding="utf-8")
        paths.append(path)
    return paths


def compile_tiny(folder: Path, ontology, changes=None, extra=()):
    return compile_tables(write_kb(folder, changes), extra, ontology=ontology, seeds=folder / "seeds")


def test_the_tiny_kb_compiles_into_edges_claims_and_evidence(tmp_path, ontology):
    compiled = compile_tiny(tmp_path, ontology)
    triples = {(q.subject.value, q.predicate.value, str(q.object)) for q in compiled.kb}
    claim = "https://w3id.org/calcinosis-kg/claim/kidney-failure--causes--MetastaticCalcinosis"
    evidence = "https://w3id.org/calcinosis-kg/evidence/kidney-failure--causes--MetastaticCalcinosis--000"
    assert (KB + "kidney-failure", CKG + "causes", f"<{CKG}MetastaticCalcinosis>") in triples
    assert (claim, CKG + "hasEvidence", f"<{evidence}>") in triples
    assert (evidence, CKG + "listItem", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>') in triples
    assert (
        KB + "kidney-disease",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "<http://www.w3.org/2002/07/owl#Class>",
    ) in triples
    assert (
        KB + "kidney-failure",
        SKOS + "closeMatch",
        "<http://purl.obolibrary.org/obo/DOID_1074>",
    ) in triples
    assert compiled.data == []


def test_a_second_passage_of_one_source_is_numbered(tmp_path, ontology):
    second = (
        "kidney-failure\tckg:causes\tckg:MetastaticCalcinosis\t000_aa\t2\tCauses\t\tCalcinosis is rare.\t\t\t"
    )
    compiled = compile_tiny(tmp_path, ontology, {("claims.tsv", 3): second})
    names = {q.subject.value.rsplit("/", 1)[1] for q in compiled.kb if "/evidence/" in q.subject.value}
    assert names == {
        "kidney-failure--causes--MetastaticCalcinosis--000",
        "kidney-failure--causes--MetastaticCalcinosis--000-2",
        "MetastaticCalcinosis--treatedBy--dialysis--001",
    }


#: One bad table per kind of error (tests/curation/errors.tsv): the line of the tiny kb to
#: change, the text to replace in it (\t: a tab), and the error expected at line:column.
with open(Path(__file__).parent / "curation" / "errors.tsv", encoding="utf-8", newline="") as _file:
    ERRORS = {row["case"]: row for row in csv.DictReader(_file, delimiter="\t", quoting=csv.QUOTE_NONE)}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_a_bad_row_names_file_line_column_and_problem(case, tmp_path, ontology):
    table, line, where, message = (ERRORS[case][c] for c in ("table", "line", "where", "message"))
    old, new = (ERRORS[case][c].replace(r"\t", "\t") for c in ("text", "replacement"))
    line = int(line)
    assert old in TABLES[table][line - 1], case
    with pytest.raises(InvalidDataError) as caught:
        compile_tiny(tmp_path, ontology, {(table, line): TABLES[table][line - 1].replace(old, new)})
    errors = str(caught.value).splitlines()[1:]
    assert any(e.startswith(f"{tmp_path / table}:{where}") and message in e for e in errors), errors


def test_every_error_case_breaks_a_valid_table(tmp_path, ontology):
    assert len(ERRORS) == 44
    compile_tiny(tmp_path, ontology)  # the tables the cases change are valid as they are


def test_exact_match_of_two_entities(tmp_path, ontology):
    first = TABLES["mappings.sssom.tsv"][8].replace("closeMatch", "exactMatch")
    second = "kb:kidney-disease\tkidney disease\tskos:exactMatch\tDOID:1074\t\tsemapv:ManualMappingCuration\t"
    with pytest.raises(
        InvalidDataError, match=r"sssom.tsv:10:4 \(object_id\): already the exact match of kb:kidney-f"
    ):
        compile_tiny(tmp_path, ontology, {("mappings.sssom.tsv", 9): f"{first}\n{second}"})


def test_without_source_documents_only_that_check_is_skipped_and_a_curator_is_told_once(
    tmp_path, ontology, monkeypatch, caplog
):
    monkeypatch.setattr(curation, "seeds_dir", lambda: None)
    curation._say_no_seeds.cache_clear()
    paths = write_kb(
        tmp_path, {("claims.tsv", 2): TABLES["claims.tsv"][1].replace("can cause", "can bring on")}
    )
    mine = tmp_path / "my-entities.tsv"  # a curator's table (of no rows yet)
    mine.write_text(TABLES["entities.tsv"][0] + "\n", encoding="utf-8")
    said = "source documents not found (set CALCINOSIS_KG_SEEDS): excerpts are not checked against them"
    with caplog.at_level(logging.WARNING, logger="calcinosis_kg"):
        compile_tables(paths, ontology=ontology)  # the shipped tables: checked when released
        assert said not in [r.message for r in caplog.records]
        compile_tables(paths, [mine], ontology=ontology)
        compile_tables(paths, [mine], ontology=ontology)
        with pytest.raises(InvalidDataError, match="unknown relation"):
            compile_tables(
                write_kb(tmp_path, {("claims.tsv", 2): TABLES["claims.tsv"][1].replace("causes", "cures")}),
                ontology=ontology,
            )
    assert [r.message for r in caplog.records].count(said) == 1


# -- contributed tables --------------------------------------------------------------------

MY_ENTITIES = (
    "id\tcategory\tlabel\tdefinition\tparents\tsource\n"
    "frequent-heel-stick\tckg:Procedure | ckg:Exposure\tfrequent heel sticks"
    "\tHeel sticks done again and again.\theel-stick\t000_e6789d8eeedda09f\n"
)
MY_CLAIMS = (
    "subject\trelation\tobject\tsource\tsection\texcerpt\thedging\n"
    "frequent-heel-stick\tckg:causes\tckg:IatrogenicCalcinosis\t000_e6789d8eeedda09f\tIatrogenic calcinosis"
    "\tChildren, who undergo frequent heel sticks to draw blood, may develop calcium deposits on their heels."
    "\tmay\n"
)


def test_a_contributed_table_uses_kb_and_own_entities(tmp_path, ontology):
    entities, claims = tmp_path / "my-entities.tsv", tmp_path / "my-claims.tsv"
    entities.write_text(MY_ENTITIES, encoding="utf-8")
    claims.write_text(MY_CLAIMS, encoding="utf-8")
    compiled = compile_tables(kb_files(), [claims, entities], ontology=ontology)
    data = {(q.subject.value, q.predicate.value, q.object.value) for q in compiled.data}
    assert (KB + "frequent-heel-stick", CKG + "causes", CKG + "IatrogenicCalcinosis") in data
    assert (
        KB + "frequent-heel-stick",
        "http://www.w3.org/2000/01/rdf-schema#subClassOf",
        KB + "heel-stick",
    ) in data
    assert (
        KB + "heel-stick",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/2002/07/owl#Class",
    ) in data
    assert compiled.kb == compile_tables(kb_files(), ontology=ontology).kb  # the kb part stays as it is


def test_a_contributed_table_cannot_reuse_a_kb_id(tmp_path, ontology):
    entities = tmp_path / "mine.tsv"
    entities.write_text(MY_ENTITIES.replace("frequent-heel-stick", "surgery"), encoding="utf-8")
    with pytest.raises(
        InvalidDataError,
        match=r"mine.tsv:2:1 \(id\): duplicate entity id 'surgery' \(first at .*entities.tsv:",
    ):
        compile_tables(kb_files(), [entities], ontology=ontology)


def test_a_table_of_unknown_kind_is_an_error(tmp_path, ontology):
    other = tmp_path / "notes.tsv"
    other.write_text("name\tnote\nx\ty\n", encoding="utf-8")
    with pytest.raises(InvalidDataError, match=r"notes\.tsv:1:1: not a curation table"):
        compile_tables(kb_files(), [other], ontology=ontology)


def test_a_bad_contributed_row_fails_build_and_writes_nothing(tmp_path, capsys):
    claims = tmp_path / "my-claims.tsv"
    claims.write_text(MY_CLAIMS.replace("ckg:causes", "ckg:cures"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--data", str(claims), "--out", str(out)]) == 1
    assert f"{claims}:2:2 (relation): unknown relation 'ckg:cures'" in capsys.readouterr().err
    assert not out.exists()


# -- the knowledge base --------------------------------------------------------------------

#: Distinct triples per predicate of the kb as it was written in Turtle before the tables
#: (counted with rdflib from kb/**/*.ttl at f6f7752), plus one dcterms:source per entity and
#: source document that the entities table adds.
EXPECTED_PER_PREDICATE = {
    "http://purl.org/dc/terms/bibliographicCitation": 13,
    "http://purl.org/dc/terms/identifier": 5,
    "http://purl.org/dc/terms/publisher": 2,
    "http://purl.org/dc/terms/references": 29,
    "http://purl.org/dc/terms/source": 294,
    "http://purl.org/dc/terms/subject": 13,
    "http://purl.org/dc/terms/title": 5,
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#object": 340,
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate": 340,
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject": 340,
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": 1209,
    "http://www.w3.org/2000/01/rdf-schema#comment": 86,
    "http://www.w3.org/2000/01/rdf-schema#label": 313,
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": 64,
    "http://www.w3.org/2004/02/skos/core#altLabel": 154,
    "http://www.w3.org/2004/02/skos/core#broadMatch": 25,
    "http://www.w3.org/2004/02/skos/core#closeMatch": 83,
    "http://www.w3.org/2004/02/skos/core#definition": 217,
    "http://www.w3.org/2004/02/skos/core#exactMatch": 270,
    "http://www.w3.org/2004/02/skos/core#narrowMatch": 22,
    "http://www.w3.org/2004/02/skos/core#relatedMatch": 22,
    CKG + "agentType": 340,
    CKG + "agrees": 16,
    CKG + "associatedWith": 18,
    CKG + "causes": 55,
    CKG + "concerns": 89,
    CKG + "context": 16,
    CKG + "contraindicatedIn": 2,
    CKG + "contributesTo": 5,
    CKG + "corroboratedBy": 16,
    CKG + "corroborationSummary": 14,
    CKG + "detects": 31,
    CKG + "diagnosedBy": 19,
    CKG + "doubtSummary": 77,
    CKG + "evidenceCode": 450,
    CKG + "exacerbates": 1,
    CKG + "excerpt": 437,
    CKG + "fromSource": 437,
    CKG + "hasBasis": 20,
    CKG + "hasComplication": 4,
    CKG + "hasEvidence": 437,
    CKG + "hasFeature": 26,
    CKG + "hasLocation": 25,
    CKG + "hasSide": 45,
    CKG + "hasSymptom": 37,
    CKG + "hedging": 271,
    CKG + "indicates": 6,
    CKG + "judgement": 45,
    CKG + "knowledgeLevel": 340,
    CKG + "listItem": 243,
    CKG + "moreInformativeThan": 2,
    CKG + "occursIn": 3,
    CKG + "paragraph": 138,
    CKG + "preventedBy": 6,
    CKG + "reference": 16,
    CKG + "reliability": 5,
    CKG + "riskFactorFor": 2,
    CKG + "section": 299,
    CKG + "sideClaim": 45,
    CKG + "sourceCount": 340,
    CKG + "status": 340,
    CKG + "treatedBy": 41,
    CKG + "treatmentEffect": 66,
}


def test_the_kb_has_the_triples_it_had_in_turtle(ontology):
    compiled = compile_tables(kb_files(), ontology=ontology)
    assert len(compiled.kb) == len(set(compiled.kb))
    counts = collections.Counter(q.predicate.value for q in compiled.kb)
    assert dict(counts) == EXPECTED_PER_PREDICATE
    assert not [q for q in compiled.kb if "BlankNode" in type(q.subject).__name__ + type(q.object).__name__]
