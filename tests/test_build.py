"""The build: artifacts, determinism, atomic writes."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from test_cli import UNLINKED_ENTITY

from calcinosis_kg import build
from calcinosis_kg.errors import InputError
from calcinosis_kg.namespaces import GRAPHS
from calcinosis_kg.serialize import write_atomic, write_folder

EXPECTED = {
    "asserted.ttl",
    "inferred.ttl",
    "merged.nt",
    "mappings.sssom.tsv",
    "calcinosis-kg.nq",
    "validation-report.ttl",
    "validation-report.txt",
    "build-info.json",
    "void.ttl",
    "docs",
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
    assert set(result.timings) - {"docs"} == {
        "load",
        "reason",
        "validate",
        "check",
        "write",
    }  # docs: unless kept
    assert {p.name for p in (tmp_path / "docs").iterdir()} >= {"index.html", "ontology.html", "api"}


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
    names = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(names) > len(EXPECTED)  # the documentation's pages too
    # pyLODE gathers the members of an OWL intersection in a set of page elements: their order varies
    names.remove(Path("docs/ontology.html"))
    for name in names:
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


# --- nothing lost: the build folder is replaced whole, or left as it was --------------------------

FILES = {"build-info.json": b'{"new": true}\n', **{f"file-{n}.txt": f"new {n}\n".encode() for n in range(5)}}


def old_build(folder):
    folder.mkdir()
    (folder / "build-info.json").write_text("{}\n")
    (folder / "file-0.txt").write_text("old 0\n")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def contents(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("killed_after", [0, 3, 5])
def test_a_build_killed_while_writing_leaves_the_old_folder_whole(tmp_path, killed_after):
    folder = tmp_path / "dist"
    before = old_build(folder)
    script = f"""
import os, signal
from pathlib import Path
from calcinosis_kg import serialize
written = []
real = Path.write_bytes
def write_then_die(self, data):
    if len(written) == {killed_after}:
        os.kill(os.getpid(), signal.SIGKILL)
    written.append(self)
    return real(self, data)
Path.write_bytes = write_then_die
serialize.write_folder(Path({str(folder)!r}), {FILES!r})
"""
    done = subprocess.run([sys.executable, "-c", script], check=False)
    assert done.returncode == -signal.SIGKILL
    assert contents(folder) == before
    assert write_folder(folder, FILES) and contents(folder) == FILES
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]  # the interrupted write's folder is gone


def test_a_folder_that_no_build_wrote_is_never_replaced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match=r"holds no build-info\.json"):
        write_folder(tmp_path, FILES)
    assert contents(tmp_path) == {"notes.txt": b"mine"}


def test_a_failing_build_leaves_the_good_one_as_it_was(tmp_path):
    good = tmp_path / "dist"
    assert build(good).ok
    before = contents(good)
    bad = tmp_path / "lonely.tsv"
    bad.write_text(UNLINKED_ENTITY, encoding="utf-8")
    result = build(good, data=[bad])
    assert not result.ok and result.quality
    assert contents(good) == before
    assert (tmp_path / "dist.failed" / "validation-report.txt").is_file()


def test_the_benchmark_data_builds_cleanly(tmp_path):
    """The synthetic data of ``bench/bench_pipeline.py`` conforms, so the benchmark times a build
    that passes (a failing one writes a report instead and times something else)."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from synthetic import synthetic_kb

    data = tmp_path / "synthetic.nt"
    synthetic_kb(3000).serialize(data, format="nt", encoding="utf-8")
    result = build(tmp_path / "out", data=[data], docs=False)
    assert result.ok, (result.errors, result.violations[:3], result.quality)
