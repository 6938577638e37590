"""The build: artifacts, determinism, atomic writes."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from calcinosis_kg import build
from calcinosis_kg.namespaces import GRAPHS
from calcinosis_kg.serialize import write_atomic

EXPECTED = {
    "asserted.ttl",
    "inferred.ttl",
    "merged.nt",
    "mappings.sssom.tsv",
    "calcinosis-kg.nq",
    "validation-report.ttl",
    "validation-report.txt",
    "build-info.json",
}


def test_build_writes_every_artifact(tmp_path, reasoned):
    result = build(tmp_path)
    assert result.ok, result.errors or result.violations[:3]
    assert {p.name for p in tmp_path.iterdir()} == EXPECTED
    merged = Graph().parse(tmp_path / "merged.nt")
    asserted = Graph().parse(tmp_path / "asserted.ttl") + Graph().parse(tmp_path / "inferred.ttl")
    assert isomorphic(merged, asserted)
    assert len(merged) == len(reasoned.asserted) + len(reasoned.inferred)
    assert result.counts["asserted"] == len(reasoned.asserted)
    assert result.counts["inferred"] == len(reasoned.inferred)
    assert set(result.timings) == {"load", "reason", "validate", "check", "write"}


def test_dataset_keeps_named_graphs_apart(tmp_path):
    build(tmp_path)
    dataset = Dataset()
    dataset.parse(tmp_path / "calcinosis-kg.nq", format="nquads")
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert names == {GRAPHS["ontology"], GRAPHS["kb"], GRAPHS["inferred"], GRAPHS["shapes"]}
    inferred = dataset.graph(GRAPHS["inferred"])
    asserted = Graph().parse(tmp_path / "asserted.ttl")
    assert not set(inferred) & set(asserted)


def test_build_is_deterministic(tmp_path):
    build(tmp_path / "a")
    build(tmp_path / "b")
    for name in sorted(EXPECTED):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_write_atomic_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    write_atomic(target, b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "text where bytes belong")  # fails half-way through the write
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_build_folder_serves_queries_when_current(tmp_path, monkeypatch):
    from calcinosis_kg.artifacts import ensure_release

    build(tmp_path)
    monkeypatch.setenv("CALCINOSIS_KG_RELEASE", str(tmp_path))
    assert ensure_release() == tmp_path
    info = tmp_path / "build-info.json"
    info.write_text(info.read_text().replace('"inputs": "', '"inputs": "stale'))
    assert ensure_release() != tmp_path
