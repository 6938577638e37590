"""Export round trips, determinism, JSON-LD context, VoID counts and the SSSOM file."""

from __future__ import annotations

import gzip
import json

import pytest
import yaml
from rdflib import OWL, RDF, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, VOID

from calcinosis_kg.build import GRAPHS
from calcinosis_kg.cli import main
from calcinosis_kg.describe import LICENSE, describe, release_iri
from calcinosis_kg.export import FORMATS, export_bytes, jsonld_context, merged, read_release, select
from calcinosis_kg.namespaces import BASE

PARSERS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def graphs(release):
    return read_release(release)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_and_determinism(fmt, graphs, release):
    data = export_bytes(fmt, "all", release)
    assert data == export_bytes(fmt, "all", release), "two exports differ"
    expected = select(graphs, "all", shapes=FORMATS[fmt].dataset)
    if FORMATS[fmt].dataset:
        dataset = Dataset()
        dataset.parse(data=data, format=PARSERS[fmt])
        names = {c.identifier for c in dataset.contexts() if len(c)}
        assert names == {GRAPHS[n] for n in expected}
        for name, graph in expected.items():
            assert isomorphic(dataset.graph(GRAPHS[name]), graph), name
    else:
        parsed = Graph().parse(data=data, format=PARSERS[fmt])
        assert isomorphic(parsed, merged(expected))


@pytest.mark.parametrize("which", ["asserted", "inferred"])
def test_graph_selection(which, graphs, release):
    parsed = Graph().parse(data=export_bytes("nt", which, release), format="nt")
    assert isomorphic(parsed, merged(select(graphs, which)))


def test_rdfxml_keeps_the_ontology_header(release):
    data = export_bytes("rdfxml", "asserted", release)
    graph = Graph().parse(data=data, format="xml")
    header = URIRef(BASE + "ontology")
    assert (header, RDF.type, OWL.Ontology) in graph
    first = data.index(b"<rdf:Description")
    assert data.index(b'<rdf:Description rdf:about="https://w3id.org/calcinosis-kg/ontology"') == first


def test_jsonld_uses_the_published_context(release):
    document = json.loads(export_bytes("jsonld", "asserted", release))
    assert document["@context"] == jsonld_context()
    text = json.dumps(document)
    assert '"rdfs:label"' in text and "http://www.w3.org/2000/01/rdf-schema#label" not in text


def test_cli_writes_gzip_atomically_and_deterministically(tmp_path, release):
    first, second = tmp_path / "a.ttl.gz", tmp_path / "b.ttl.gz"
    for out in (first, second):
        assert (
            main(["-q", "export", "--format", "ttl", "-o", str(out), "--gzip", "--release", str(release)])
            == 0
        )
    assert first.read_bytes() == second.read_bytes()
    assert gzip.decompress(first.read_bytes()) == export_bytes("ttl", "all", release)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _count(graph: Graph, query: str) -> int:
    return int(next(iter(graph.query(query)))[0])


def test_void_counts_equal_the_actual_counts(graphs):
    void = describe(graphs)
    dataset = release_iri()
    knowledge = merged(select(graphs, "all"))
    assert void.value(dataset, VOID.triples).toPython() == len(knowledge)
    classes = _count(knowledge, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")
    assert void.value(dataset, VOID.classes).toPython() == classes
    entities = _count(
        knowledge,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}")) }}',
    )
    assert void.value(dataset, VOID.entities).toPython() == entities
    subsets = {
        void.value(s, URIRef("http://www.w3.org/ns/sparql-service-description#name")): s
        for s in void.objects(dataset, VOID.subset)
    }
    for name, graph in graphs.items():
        assert void.value(subsets[GRAPHS[name]], VOID.triples).toPython() == len(graph)
    assert void.value(dataset, DCTERMS.license) == LICENSE
    media = {str(void.value(d, DCAT.mediaType)) for d in void.objects(dataset, DCAT.distribution)}
    assert media == {f"https://www.iana.org/assignments/media-types/{f.media_type}" for f in FORMATS.values()}


def test_export_all_describes_the_files_it_wrote(tmp_path, release):
    assert main(["-q", "export", "--format", "all", "-o", str(tmp_path), "--release", str(release)]) == 0
    void = Graph().parse(tmp_path / "void.ttl")
    sizes = {
        str(void.value(d, DCTERMS.title)): void.value(d, DCAT.byteSize).toPython()
        for d in void.subjects(RDF.type, DCAT.Distribution)
    }
    assert sizes == {p.name: p.stat().st_size for p in tmp_path.iterdir() if p.name != "void.ttl"}


def test_sssom_header_and_prefixes(tmp_path, graphs, release):
    out = tmp_path / "calcinosis-kg.sssom.tsv"
    assert main(["-q", "mappings", "-o", str(out), "--release", str(release)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    header = yaml.safe_load("\n".join(line[1:] for line in lines if line.startswith("#")))
    assert {"mapping_set_id", "license", "curie_map"} <= set(header)
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    columns, rows = rows[0], rows[1:]
    assert columns[:4] == ["subject_id", "subject_label", "predicate_id", "object_id"]
    assert [
        "kb:systemic-sclerosis",
        "systemic sclerosis",
        "skos:exactMatch",
        "DOID:418",
        "systemic scleroderma",
    ] in [row[:5] for row in rows]
    for row in rows:
        record = dict(zip(columns, row, strict=False))
        assert record["mapping_justification"] == "semapv:ManualMappingCuration"
        for key in ("subject_id", "predicate_id", "object_id", "mapping_justification"):
            assert record[key].split(":", 1)[0] in header["curie_map"], record[key]
    asserted = merged(select(graphs, "asserted"))
    expected = _count(
        asserted,
        f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o
          FILTER(?p IN (skos:exactMatch, skos:closeMatch, skos:broadMatch,
                        skos:narrowMatch, skos:relatedMatch))
          FILTER(isIRI(?o) && STRSTARTS(STR(?s), "{BASE}")) }}""",
    )
    assert len(rows) == expected > 0
