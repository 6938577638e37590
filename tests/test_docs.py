"""The documentation that build writes into docs/ (pyLODE, Graphviz, pdoc), served at /docs/, and
void.ttl. A missing Graphviz skips the picture with a note; under CI the tools must be there."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import VOID
from test_server import serving

from calcinosis_kg import build
from calcinosis_kg.resources import ontology_file

CKG = "https://w3id.org/calcinosis-kg/ontology/"
SVG = "{http://www.w3.org/2000/svg}"


def require(program: str, package: str) -> None:
    """Skip when ``program`` is missing, but fail under CI, whose ``.ci/run`` installs ``package``."""
    if shutil.which(program) is None:
        message = f"{program} is not installed (Debian: {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ontology_file())


def test_the_release_documents_every_class_of_the_ontology(release, ontology):
    require("dot", "graphviz")
    page = (release / "docs" / "ontology.html").read_text(encoding="utf-8")
    labels = [str(ontology.value(c, RDFS.label)) for c in ontology.subjects(RDF.type, OWL.Class)]
    labels = [label for label in labels if label != "None"]
    assert len(labels) > 40
    assert [label for label in labels if label not in page] == []
    assert "Calcinosis knowledge graph ontology" in page
    index = (release / "docs" / "index.html").read_text(encoding="utf-8")
    for link in ("ontology.html", "model.svg", "api/calcinosis_kg.html"):
        assert f'href="{link}"' in index and (release / "docs" / link).is_file()


def test_the_model_picture_draws_classes_subclasses_and_relations(release, ontology):
    require("dot", "graphviz")
    svg = ET.parse(release / "docs" / "model.svg").getroot()
    titles = {g.findtext(f"{SVG}title") for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"}
    assert f"{CKG}DystrophicCalcinosis->{CKG}Calcinosis" in titles
    assert f"{CKG}MedicalCondition->{CKG}ClinicalFinding" in titles  # has symptom
    texts = {t.text for t in svg.iter(f"{SVG}text")}
    assert {"has symptom", "treated by", "dystrophic calcinosis", "evidence passage"} <= texts
    assert "symptom of" not in texts  # the inverse of has symptom is not drawn twice


def test_the_api_reference_lists_the_public_types(release):
    page = (release / "docs" / "api" / "calcinosis_kg.html").read_text(encoding="utf-8")
    for name in ("QueryResult", "QueryError", "run_query", "to_dataframe", "BuildResult"):
        assert name in page, name


def test_void_describes_the_released_triples(release):
    void = Graph().parse(release / "void.ttl")
    dataset = next(void.subjects(RDF.type, VOID.Dataset, unique=True))
    lines = (release / "merged.nt").read_bytes().count(b"\n")
    releases = [d for d in void.subjects(RDF.type, VOID.Dataset) if (None, VOID.subset, d) not in void]
    assert len(releases) == 1 and dataset is not None
    assert void.value(releases[0], VOID.triples) == Literal(lines)


def test_void_of_the_build_is_the_one_export_describes(release, tmp_path):
    from rdflib.compare import isomorphic

    from calcinosis_kg.cli import main

    assert (
        main(["-q", "export", "--format", "void", "-o", str(tmp_path / "v.ttl"), "--release", str(release)])
        == 0
    )
    assert isomorphic(Graph().parse(release / "void.ttl"), Graph().parse(tmp_path / "v.ttl"))


def test_a_build_without_graphviz_skips_the_picture_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("CALCINOSIS_KG_HOME", str(tmp_path / "home"))  # none kept from other builds
    notes: list[str] = []
    result = build(tmp_path / "dist", note=notes.append)
    assert result.ok
    assert not (tmp_path / "dist" / "docs" / "model.svg").exists()
    assert (tmp_path / "dist" / "docs" / "ontology.html").is_file()
    assert any("model.svg" in note and "dot is not installed" in note for note in notes), notes
    assert 'href="model.svg"' not in (tmp_path / "dist" / "docs" / "index.html").read_text(encoding="utf-8")


def test_serve_answers_the_documentation(release):
    with serving(release) as url:
        base = url.removesuffix("/sparql")
        index = httpx.get(f"{base}/docs/", trust_env=False)
        assert index.status_code == 200 and "ontology.html" in index.text
        page = httpx.get(f"{base}/docs/ontology.html", trust_env=False)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert httpx.get(f"{base}/docs/api/calcinosis_kg.html", trust_env=False).status_code == 200
        assert httpx.get(f"{base}/docs/nothing-here.html", trust_env=False).status_code == 404
        assert httpx.get(f"{base}/docs/../calcinosis-kg.nq", trust_env=False).status_code == 404


def test_the_ontology_file_is_what_is_documented():
    assert URIRef(CKG.rstrip("/")) in set(Graph().parse(ontology_file()).subjects(RDF.type, OWL.Ontology))


def test_a_rebuild_keeps_the_documentation_made_from_the_same_ontology_and_code(tmp_path, monkeypatch):
    require("dot", "graphviz")
    monkeypatch.setenv("CALCINOSIS_KG_HOME", str(tmp_path / "home"))
    out = tmp_path / "dist"
    first = build(out)
    assert "docs" in first.timings
    made = {p.relative_to(out): p.read_bytes() for p in (out / "docs").rglob("*") if p.is_file()}
    again = build(out)
    assert again.ok and "docs" not in again.timings  # kept, not made again
    assert {p.relative_to(out): p.read_bytes() for p in (out / "docs").rglob("*") if p.is_file()} == made
    elsewhere = tmp_path / "elsewhere"  # a new folder: the copy kept on this machine
    assert "docs" not in build(elsewhere).timings
    assert {
        p.relative_to(elsewhere): p.read_bytes() for p in (elsewhere / "docs").rglob("*") if p.is_file()
    } == made
    info = json.loads((out / "build-info.json").read_text(encoding="utf-8"))
    info["docs"] = "0" * 64  # made from something else, and no copy kept: made anew
    (out / "build-info.json").write_text(json.dumps(info), encoding="utf-8")
    shutil.rmtree(tmp_path / "home" / "docs")
    assert "docs" in build(out).timings
