"""The ontology and the knowledge base are consistent for a complete OWL 2 DL reasoner (HermiT,
which owlready2 ships and runs with the system's Java), not only for the OWL 2 RL rules of the
build: the asserted graph, as the RDF/XML export users load into Protégé."""

from __future__ import annotations

import shutil

import pytest

from calcinosis_kg.cli import main

owlready2 = pytest.importorskip("owlready2")


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java (Debian: default-jre-headless)")
def test_hermit_finds_the_asserted_graph_consistent(release, tmp_path):
    path = tmp_path / "calcinosis-kg.rdf"
    assert (
        main(
            [
                "-q",
                "export",
                "--format",
                "rdfxml",
                "--graph",
                "asserted",
                "-o",
                str(path),
                "--release",
                str(release),
            ]
        )
        == 0
    )
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as exc:  # e.g. an @en value of an xsd:string range
        pytest.fail(f"HermiT: the asserted graph is inconsistent: {exc}")
    assert list(world.inconsistent_classes()) == []


def test_reliability_notes_are_language_tagged_texts(asserted):
    from rdflib import RDF, RDFS

    from calcinosis_kg.namespaces import CKG

    assert asserted.value(CKG.reliability, RDFS.range) == RDF.langString
    notes = list(asserted.objects(None, CKG.reliability))
    assert notes and all(note.language == "en" for note in notes)
