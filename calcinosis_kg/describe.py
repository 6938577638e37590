"""A VoID and DCAT description of a release: counts per graph, license, version, files.

>>> from rdflib import Graph
>>> g = Graph().parse(data="<https://w3id.org/calcinosis-kg/entity/a> a <urn:C> .", format="turtle")
>>> counts(g)["entities"], counts(g)["classes"]
(1, 1)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, VOID

from .formats import FORMATS
from .namespaces import BASE, GRAPHS
from .serialize import merged
from .version import __version__

__all__ = [
    "LICENSE",
    "counts",
    "describe",
    "describe_counts",
    "distribution_name",
    "release_iri",
    "store_counts",
]

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (dcat:version), open namespace
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"


def release_iri(version: str = __version__) -> URIRef:
    """The IRI of the release as a dataset."""
    return URIRef(f"{BASE}releases/{version}")


def distribution_name(fmt: str, gzip: bool = False) -> str:
    """The file name of a distribution: ``calcinosis-kg`` plus the format's suffix."""
    return f"calcinosis-kg{FORMATS[fmt].suffix}" + (".gz" if gzip else "")


def counts(graph: Graph) -> dict[str, int]:
    """VoID counts of ``graph``: triples, entities (our IRIs as subjects), classes, properties."""
    subjects = set(graph.subjects(unique=True))
    return {
        "triples": len(graph),
        "entities": sum(1 for s in subjects if isinstance(s, URIRef) and str(s).startswith(BASE)),
        "classes": len(set(graph.objects(None, RDF.type))),
        "properties": len(set(graph.predicates(unique=True))),
        "distinctSubjects": len(subjects),
        "distinctObjects": len(set(graph.objects(unique=True))),
    }


def describe(
    graphs: dict[str, Graph],
    files: dict[str, Path] | None = None,
    base_url: str | None = None,
    version: str = __version__,
) -> Graph:
    """VoID + DCAT for the release made of ``graphs`` (by name, as in ``GRAPHS``).

    ``files`` maps export formats to written files, whose size and SHA-256 are then given;
    without it every export format is listed as a distribution under ``base_url``.
    """
    knowledge = {name: g for name, g in graphs.items() if name != "shapes"}
    per_graph = {name: counts(graph) for name, graph in graphs.items()}
    return describe_counts(counts(merged(knowledge)), per_graph, files, base_url, version)


_COUNTS = f"""
SELECT ?triples ?entities ?classes ?properties ?distinctSubjects ?distinctObjects WHERE {{
  {{ SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?p) AS ?properties)
            (COUNT(DISTINCT ?o) AS ?distinctObjects)
     WHERE {{ ?s ?p ?o }} }}
  {{ SELECT (COUNT(*) AS ?distinctSubjects)
            (SUM(IF(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}"), 1, 0)) AS ?entities)
     WHERE {{ SELECT ?s WHERE {{ ?s ?p ?o }} GROUP BY ?s }} }}  # each subject tested once, not each triple
  {{ SELECT (COUNT(DISTINCT ?class) AS ?classes) WHERE {{ ?thing a ?class }} }}
}}"""


def store_counts(store: ox.Store, graphs: Sequence[str], triples: int | None = None) -> dict[str, int]:
    """:func:`counts` of the merge of the named ``graphs`` of ``store`` (each triple once),
    counted by Oxigraph.

    Every count but ``triples`` is the same with or without a triple's repeats in other graphs;
    ``triples``, unless the caller knows it, sums the graphs' sizes less the triples of each
    graph found in a graph before it, which are looked up one by one: the largest graph should
    come first.

    >>> store, a = ox.Store(), ox.NamedNode("https://w3id.org/calcinosis-kg/entity/a")
    >>> for g in ("urn:g1", "urn:g2"):
    ...     store.add(ox.Quad(a, ox.NamedNode("urn:p"), a, ox.NamedNode(g)))
    >>> store_counts(store, ["urn:g1", "urn:g2"])["triples"], store_counts(store, ["urn:g1"])["entities"]
    (1, 1)
    """
    solutions = store.query(_COUNTS, default_graph=[ox.NamedNode(g) for g in graphs])
    assert isinstance(solutions, ox.QuerySolutions)
    (row,) = solutions
    counted = {variable.value: int(row[variable].value) for variable in solutions.variables}
    if triples is not None:
        return {**counted, "triples": triples}
    names = [ox.NamedNode(g) for g in graphs]
    counted["triples"] -= sum(_repeated(store, names[i], names[:i]) for i in range(1, len(names)))
    return counted


def _repeated(store: ox.Store, graph: ox.NamedNode, others: list[ox.NamedNode]) -> int:
    """How many triples of ``graph`` are in one of the ``others`` too (looked up one by one)."""
    return sum(
        any(ox.Quad(quad.subject, quad.predicate, quad.object, other) in store for other in others)
        for quad in store.quads_for_pattern(None, None, None, graph)
    )


def describe_counts(
    total: dict[str, int],
    per_graph: dict[str, dict[str, int]],
    files: dict[str, Path] | None = None,
    base_url: str | None = None,
    version: str = __version__,
) -> Graph:
    """:func:`describe` from counts already made: ``total`` of the knowledge graphs (the shapes
    aside) and ``per_graph`` by name."""
    dataset = release_iri(version)
    base_url = base_url or f"{dataset}/"
    out = Graph()
    for prefix, ns in {"void": VOID, "dcat": DCAT, "dcterms": DCTERMS, "sd": SD, "spdx": SPDX}.items():
        out.bind(prefix, ns)
    out.add((dataset, RDF.type, VOID.Dataset))
    out.add((dataset, RDF.type, DCAT.Dataset))
    out.add((dataset, DCTERMS.title, Literal("Calcinosis knowledge graph", lang="en")))
    out.add((dataset, DCTERMS.description, Literal(_DESCRIPTION, lang="en")))
    out.add((dataset, DCTERMS.license, LICENSE))
    out.add((dataset, DCTERMS.publisher, Literal("The calcinosis-kg project")))
    out.add((dataset, DCAT.version, Literal(version)))
    out.add((dataset, OWL.versionInfo, Literal(version)))
    out.add((dataset, VOID.uriSpace, Literal(BASE)))
    out.add((dataset, VOID.vocabulary, URIRef(BASE + "ontology/")))
    _add_counts(out, dataset, total)
    for name in sorted(per_graph):
        subset = URIRef(f"{dataset}/graph/{name}")
        out.add((dataset, VOID.subset, subset))
        out.add((subset, RDF.type, VOID.Dataset))
        out.add((subset, RDF.type, SD.NamedGraph))
        out.add((subset, SD.name, GRAPHS[name]))
        out.add((subset, DCTERMS.title, Literal(f"{name} graph", lang="en")))
        _add_counts(out, subset, per_graph[name])
    for fmt in sorted(files or FORMATS):
        path = (files or {}).get(fmt)
        name = path.name if path else distribution_name(fmt)
        dist = URIRef(f"{dataset}/distribution/{name}")
        media = FORMATS[fmt].media_type
        out.add((dataset, DCAT.distribution, dist))
        out.add((dataset, VOID.dataDump, URIRef(base_url + name)))
        out.add((dist, RDF.type, DCAT.Distribution))
        out.add((dist, DCTERMS.title, Literal(name)))
        out.add((dist, DCAT.downloadURL, URIRef(base_url + name)))
        out.add((dist, DCAT.mediaType, URIRef(IANA + media)))
        out.add((dist, DCTERMS.format, Literal(media)))
        out.add((dist, DCTERMS.license, LICENSE))
        if path is not None:
            data = Path(path).read_bytes()
            if name.endswith(".gz"):
                out.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
            out.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
            checksum = URIRef(f"{dist}#sha256")
            out.add((dist, SPDX.checksum, checksum))
            out.add((checksum, RDF.type, SPDX.Checksum))
            out.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            out.add(
                (
                    checksum,
                    SPDX.checksumValue,
                    Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary),
                )
            )
    return out


def _add_counts(out: Graph, node: URIRef, counted: dict[str, int]) -> None:
    for key, value in counted.items():
        out.add((node, VOID[key], Literal(value, datatype=XSD.integer)))


_DESCRIPTION = (
    "A source-traced knowledge graph of calcinosis: an OWL ontology, a knowledge base of claims "
    "with evidence passages, the OWL 2 RL inferences and the SHACL shapes that check them."
)
