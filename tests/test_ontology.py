"""The ontology text: header, term annotations, closed vocabulary, verified identifiers."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from calcinosis_kg.namespaces import CKG
from calcinosis_kg.resources import ontology_file, shapes_file
from calcinosis_kg.serialize import canonical_turtle

REFERENCE = Path(os.environ.get("CALCINOSIS_REFERENCE", Path(__file__).parents[2] / "shared" / "reference"))
ONTOLOGY_IRI = URIRef("https://w3id.org/calcinosis-kg/ontology")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file())


def declared_terms(graph: Graph) -> set[URIRef]:
    return {
        term
        for kind in TERM_TYPES
        for term in graph.subjects(RDF.type, kind)
        if isinstance(term, URIRef) and term.startswith(str(CKG._NS))
    }


def test_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.creator,
        OWL.versionIRI,
        OWL.versionInfo,
    ):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate
    assert (
        str(ontology.value(ONTOLOGY_IRI, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    )


def test_version_in_one_place(ontology):
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    version = pyproject["project"]["version"]
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionInfo)) == version
    assert str(ontology.value(ONTOLOGY_IRI, OWL.versionIRI)).endswith(f"/{version}/ontology")


def test_every_term_has_one_label_a_definition_and_a_source(ontology):
    terms = declared_terms(ontology)
    assert len(terms) > 60
    for term in sorted(terms):
        labels = list(ontology.objects(term, RDFS.label))
        assert len(labels) == 1 and labels[0].language == "en", term
        definitions = list(ontology.objects(term, SKOS.definition))
        assert len(definitions) == 1 and definitions[0].language == "en", term
        assert ontology.value(term, DCTERMS.source) is not None, term


def test_closed_namespace_matches_the_ontology(ontology):
    names = {str(t)[len(str(CKG._NS)) :] for t in declared_terms(ontology)}
    assert names == set(CKG.__annotations__)


def test_object_properties_have_domain_or_range_and_relations_map_to_biolink_or_schema(ontology):
    relations = set(ontology.transitive_subjects(RDFS.subPropertyOf, CKG.relatedTo)) - {CKG.relatedTo}
    assert len(relations) >= 10
    for prop in relations:
        assert ontology.value(prop, RDFS.domain) or ontology.value(prop, RDFS.range), prop
        assert ontology.value(prop, OWL.inverseOf) is not None, prop
        mapped = [
            o
            for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch, SKOS.broadMatch)
            for o in ontology.objects(prop, p)
        ]
        mapped += [
            o
            for inverse in ontology.objects(prop, OWL.inverseOf)
            for p in (SKOS.exactMatch, SKOS.closeMatch)
            for o in ontology.objects(inverse, p)
        ]
        standards = ("https://w3id.org/biolink/", "https://schema.org/", "http://purl.obolibrary.org/obo/RO_")
        supers = list(ontology.objects(prop, RDFS.subPropertyOf))
        assert any(str(o).startswith(standards) for o in mapped + supers), prop


def test_owl2_rl_shapes_of_axioms(ontology):
    """Existentials appear only inside definitions (sub-class side), never as a superclass."""
    for _, restriction in ontology.subject_objects(RDFS.subClassOf):
        assert (restriction, RDF.type, OWL.Restriction) not in ontology
    assert len(list(ontology.subjects(RDF.type, OWL.TransitiveProperty))) >= 1
    assert len(list(ontology.subject_objects(OWL.equivalentClass))) >= 5


def _curie(iri: str) -> str | None:
    for base, prefix in (
        ("http://purl.obolibrary.org/obo/", None),
        ("https://w3id.org/biolink/vocab/", "biolink"),
        ("https://schema.org/", "schema"),
    ):
        if iri.startswith(base):
            local = iri[len(base) :]
            return local.replace("_", ":", 1) if prefix is None else f"{prefix}:{local}"
    return None


@pytest.mark.skipif(
    not (REFERENCE / "ids.tsv.gz").exists(), reason=f"reference identifiers not at {REFERENCE}"
)
def test_every_external_identifier_exists_in_the_reference(ontology):
    with gzip.open(REFERENCE / "ids.tsv.gz", "rt", encoding="utf-8") as stream:
        known = {line.split("\t", 1)[0] for line in stream}
    used = {_curie(str(o)) for _, _, o in ontology if isinstance(o, URIRef)} - {None}
    assert len(used) > 50
    assert sorted(used - known) == []


def test_definitions_are_not_empty(ontology):
    for definition in ontology.objects(None, SKOS.definition):
        assert isinstance(definition, Literal) and len(str(definition)) > 20


@pytest.mark.parametrize("path", [ontology_file(), shapes_file()], ids=lambda p: p.name)
def test_file_is_in_canonical_form_with_only_the_prefixes_it_uses(path):
    text = path.read_text(encoding="utf-8")
    assert text == canonical_turtle(Graph().parse(data=text, format="turtle")), (
        f"{path.name} is not canonical: run `make canonical`"
    )
    declared = re.findall(r"^PREFIX (\S*): <[^>]*>$", text, re.M)
    assert declared
    body = "\n".join(line for line in text.splitlines() if not line.startswith("PREFIX "))
    for prefix in declared:
        assert re.search(rf"(?<![\w-]){re.escape(prefix)}:", body), f"{path.name}: unused prefix {prefix}"
