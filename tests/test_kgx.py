"""The KGX export: nodes.tsv and edges.tsv, validated by the kgx package and read back by it.

kgx fetches the Biolink model and its JSON-LD contexts from the network when it is imported and
when its validator starts. The tests point it at the copy the ``biolink-model`` package ships
(the schema, and its prefix map as the context, with the project's own CURIE prefixes), so
nothing is fetched.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from importlib.resources import files

import pytest

from calcinosis_kg.artifacts import DATASET_FILE
from calcinosis_kg.cli import main
from calcinosis_kg.kgx import EDGE_COLUMNS, INFORES, NODE_COLUMNS, _prefixes
from calcinosis_kg.sparql import run_query

CLAIMS = "PREFIX ckg: <https://w3id.org/calcinosis-kg/ontology/> SELECT ?c WHERE { ?c a ckg:Claim }"
ENDS = """PREFIX ckg: <https://w3id.org/calcinosis-kg/ontology/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?n WHERE { ?c a ckg:Claim . { ?c rdf:subject ?n } UNION { ?c rdf:object ?n } }"""


@pytest.fixture(scope="module")
def exported(release, tmp_path_factory):
    folder = tmp_path_factory.mktemp("kgx")
    assert main(["-q", "export", "--format", "kgx", "-o", str(folder), "--release", str(release)]) == 0
    return folder


@pytest.fixture(scope="module")
def offline_kgx():
    """kgx's Validator and Transformer, reading the Biolink model of the biolink-model package."""
    import bmt.toolkit

    schema = files("biolink_model") / "schema" / "biolink_model.yaml"
    bmt.toolkit.Toolkit.__init__.__defaults__ = (str(schema), {"predicate mappings": []})
    import kgx.config

    prefix_map = json.loads(
        (files("biolink_model") / "prefixmaps" / "biolink-model-prefix-map.json").read_text()
    )
    vocab = "https://w3id.org/biolink/vocab/"
    context = {**prefix_map, **_prefixes(), "biolink": vocab, "@vocab": vocab}
    for name in kgx.config.get_config()["jsonld-context"]:
        kgx.config.jsonld_context_map[name] = context
    from kgx.transformer import Transformer
    from kgx.validator import Validator

    return Validator, Transformer


def rows(path):
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_tables_have_the_kgx_columns_and_one_edge_per_claim(exported, release):
    nodes, edges = rows(exported / "nodes.tsv"), rows(exported / "edges.tsv")
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    claims = run_query(CLAIMS, dataset=release / DATASET_FILE, limit=None)
    assert len(edges) == len(claims) > 300
    assert len(nodes) == len(run_query(ENDS, dataset=release / DATASET_FILE, limit=None))
    assert all(e["primary_knowledge_source"] == INFORES for e in edges)
    assert all(
        e["knowledge_level"] == "knowledge_assertion" and e["agent_type"] == "manual_agent" for e in edges
    )
    assert all(e["predicate"].startswith("biolink:") and e["publications"].startswith("src:") for e in edges)
    assert all(n["category"].startswith("biolink:") for n in nodes)


def test_a_claim_keeps_its_source_excerpt_and_evidence_code(exported):
    edges = {e["id"]: e for e in rows(exported / "edges.tsv")}
    warfarin = edges["claim:warfarin--causes--IatrogenicCalcinosis"]
    assert (warfarin["subject"], warfarin["predicate"], warfarin["object"]) == (
        "kb:warfarin",
        "biolink:causes",
        "ckg:IatrogenicCalcinosis",
    )
    assert warfarin["original_predicate"] == "ckg:causes"
    assert warfarin["publications"] == "src:001_d76e8ed3ab9310dd"
    assert warfarin["has_evidence"] == "ECO:0000303"
    assert "Iatrogenic calcinosis occurs as a result of medical treatments" in warfarin["supporting_text"]
    assert warfarin["ckg_evidence"] == "ev:warfarin--causes--IatrogenicCalcinosis--001"
    subclass = edges["claim:IatrogenicCalcinosis--subClassOf--Calcinosis"]
    assert subclass["predicate"] == "biolink:subclass_of"
    nodes = {n["id"]: n for n in rows(exported / "nodes.tsv")}
    assert nodes["ckg:IatrogenicCalcinosis"]["category"] == "biolink:Disease"
    assert "HP:0002027" in nodes["kb:abdominal-pain"]["xref"].split("|")


def test_kgx_finds_no_error(exported, offline_kgx):
    validator_class, transformer_class = offline_kgx
    validator = validator_class()
    transformer_class(stream=True).transform(
        input_args={"filename": [str(exported / "nodes.tsv"), str(exported / "edges.tsv")], "format": "tsv"},
        output_args={"format": "null"},
        inspector=validator,
    )
    errors = validator.get_errors()
    assert not errors.get("ERROR"), json.dumps(errors, default=str)[:2000]


def test_kgx_reads_back_every_node_and_edge(exported, offline_kgx):
    _, transformer_class = offline_kgx
    transformer = transformer_class()
    transformer.transform(
        input_args={"filename": [str(exported / "nodes.tsv"), str(exported / "edges.tsv")], "format": "tsv"}
    )
    graph = transformer.store.graph
    nodes, edges = rows(exported / "nodes.tsv"), rows(exported / "edges.tsv")
    assert graph.number_of_nodes() == len(nodes)
    assert graph.number_of_edges() == len(edges)
    read = {(s, data["predicate"], o) for s, o, _, data in graph.edges(keys=True, data=True)}
    assert read == {(e["subject"], e["predicate"], e["object"]) for e in edges}
    data = graph.get_edge("kb:warfarin", "ckg:IatrogenicCalcinosis")
    edge = next(iter(data.values())) if data and "predicate" not in data else data
    assert edge["publications"] == ["src:001_d76e8ed3ab9310dd"]


def test_the_export_needs_no_kgx(release, tmp_path):
    script = (
        "import sys; sys.modules['kgx'] = None; sys.modules['bmt'] = None\n"
        "from calcinosis_kg.cli import main\n"
        f"sys.exit(main(['-q', 'export', '--format', 'kgx', '-o', {str(tmp_path)!r},"
        f" '--release', {str(release)!r}]))"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.tsv", "nodes.tsv"]
