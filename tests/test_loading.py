"""Loading: blank nodes stay apart between files, tables and RDF files load side by side."""

from __future__ import annotations

import pyoxigraph as ox

from calcinosis_kg.loading import expand_paths, load_parts

OWL_DISJOINT = "http://www.w3.org/2002/07/owl#AllDisjointClasses"


def blank_nodes(found):
    return {t for q in found for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}


def test_a_user_file_named_like_the_ontology_keeps_its_blank_nodes_apart(tmp_path):
    # the regression: both files are called calcinosis.ttl, and blank labels were salted by name only
    mine = tmp_path / "calcinosis.ttl"
    mine.write_text('<urn:x> <urn:note> [ <urn:text> "mine" ] .\n', encoding="utf-8")
    parts = load_parts(mine, kb=False)
    assert blank_nodes(parts["data"]) and not blank_nodes(parts["data"]) & blank_nodes(parts["ontology"])
    disjoint = {q.subject for q in parts["ontology"] if q.object == ox.NamedNode(OWL_DISJOINT)}
    assert not {q.predicate.value for q in parts["data"] if q.subject in disjoint}


def test_blank_node_labels_do_not_change_between_loads(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text('<urn:x> <urn:note> [ <urn:text> "mine" ] .\n', encoding="utf-8")
    assert load_parts(mine, kb=False)["data"] == load_parts(mine, kb=False)["data"]


def test_a_folder_yields_its_tables_and_rdf_files(tmp_path):
    for name in ("a.ttl", "b.tsv", "c.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.ttl", "b.tsv"]


def test_the_input_digest_covers_the_tables(tmp_path, monkeypatch):
    from calcinosis_kg import artifacts
    from calcinosis_kg.resources import kb_files

    copies = []
    for path in kb_files():
        copies.append(tmp_path / path.name)
        copies[-1].write_bytes(path.read_bytes())
    monkeypatch.setattr(artifacts, "kb_files", lambda: copies)
    before = artifacts.input_digest()
    claims = tmp_path / "claims.tsv"
    claims.write_text(claims.read_text(encoding="utf-8").replace("Treatment", "Therapy", 1), encoding="utf-8")
    assert artifacts.input_digest() != before
