"""The knowledge base as KGX node and edge tables (TSV), the exchange format of Biolink graphs.

One edge per claim, from its subject to its object, with the Biolink predicate the relation maps
to (``skos:exactMatch``, else ``closeMatch``, else ``broadMatch``, else that of its nearest
super-property; ``rdfs:subClassOf`` is ``biolink:subclass_of``) and the relation itself as
``original_predicate``. This graph is the edge's primary knowledge source
(:data:`INFORES`: its curators read the source documents and wrote the claims); the
documents are its ``publications``, the excerpts its ``supporting_text``, their ECO classes its
``has_evidence``, with the claim's ``knowledge_level`` and ``agent_type``. Columns that Biolink
does not define carry the ``ckg_`` prefix: the evidence passages, the assessment status and the
number of sources. A node is an entity that some claim names, with the Biolink categories its
classes map to (through their superclasses), its label, definition, synonyms and exact matches.

Multivalued cells are joined with ``|``; writing needs no library (``kgx`` validates them).

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
...     @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...     @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
...     @prefix ckg: <https://w3id.org/calcinosis-kg/ontology/> .
...     @prefix biolink: <https://w3id.org/biolink/vocab/> .
...     ckg:Disease skos:exactMatch biolink:Disease . ckg:Calcinosis rdfs:subClassOf ckg:Disease .
... ''', format="turtle")
>>> biolink_term(g, CKG.Calcinosis, RDFS.subClassOf)
'biolink:Disease'
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef

from .export import merged, read_release, select
from .namespaces import CKG, PREFIXES, mapping_prefixes
from .serialize import write_atomic

__all__ = [
    "EDGE_COLUMNS",
    "INFORES",
    "NODE_COLUMNS",
    "biolink_term",
    "kgx_curie",
    "kgx_files",
    "kgx_tables",
    "write_kgx",
]

#: the information resource identifier of this graph, the primary knowledge source of its edges
INFORES = "infores:calcinosis-kg"
BIOLINK = "https://w3id.org/biolink/vocab/"
NODE_COLUMNS = ("id", "category", "name", "description", "synonym", "xref", "iri", "provided_by")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "original_predicate",
    "primary_knowledge_source",
    "publications",
    "has_evidence",
    "supporting_text",
    "knowledge_level",
    "agent_type",
    "ckg_evidence",
    "ckg_status",
    "ckg_source_count",
)
_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
_ECO = "http://purl.obolibrary.org/obo/ECO_"


def biolink_term(graph: Graph, term: URIRef, parent: URIRef) -> str | None:
    """The Biolink CURIE ``term`` maps to, or failing that the nearest ``parent`` (``rdfs:subClassOf``
    or ``rdfs:subPropertyOf``) that maps; None when none does."""
    queue, seen = [term], {term}
    while queue:
        current = queue.pop(0)
        for match in _MATCHES:
            found = sorted(str(o) for o in graph.objects(current, match) if str(o).startswith(BIOLINK))
            if found:
                return "biolink:" + found[0][len(BIOLINK) :]
        for up in sorted(o for o in graph.objects(current, parent) if isinstance(o, URIRef)):
            if up not in seen:
                seen.add(up)
                queue.append(up)
    return None


def kgx_curie(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``iri`` as a CURIE: the reference vocabularies' prefixes (``DOID:``, ``ECO:``, ...), then
    the project's (``kb:``, ``ckg:``, ...); an IRI outside them stays whole.

    >>> kgx_curie("http://purl.obolibrary.org/obo/ECO_0000303")
    'ECO:0000303'
    """
    table = prefixes if prefixes is not None else _prefixes()
    best = max((ns for ns in table.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    name = next(name for name, ns in table.items() if ns == best)
    return f"{name}:{iri[len(best) :]}"


def kgx_tables(graph: Graph) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The node and edge records of ``graph`` (asserted and inferred triples), sorted by id."""
    prefixes = _prefixes()
    predicates: dict[URIRef, str] = {}
    edges: list[dict[str, object]] = []
    named: set[URIRef] = set()
    for claim in sorted(c for c in graph.subjects(RDF.type, CKG.Claim) if isinstance(c, URIRef)):
        subject, relation, obj = (graph.value(claim, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        if not isinstance(subject, URIRef) or not isinstance(relation, URIRef) or not isinstance(obj, URIRef):
            continue
        if relation not in predicates:
            found = biolink_term(graph, relation, RDFS.subPropertyOf)
            predicates[relation] = "biolink:subclass_of" if relation == RDFS.subClassOf else found or ""
        passages = sorted(p for p in graph.objects(claim, CKG.hasEvidence) if isinstance(p, URIRef))
        named.update((subject, obj))
        edges.append(
            {
                "id": kgx_curie(str(claim), prefixes),
                "subject": kgx_curie(str(subject), prefixes),
                "predicate": predicates[relation] or "biolink:related_to",
                "object": kgx_curie(str(obj), prefixes),
                "original_predicate": kgx_curie(str(relation), prefixes),
                "primary_knowledge_source": INFORES,
                "publications": _values(graph, passages, CKG.fromSource, prefixes),
                "has_evidence": _values(graph, passages, CKG.evidenceCode, prefixes),
                "supporting_text": _values(graph, passages, CKG.excerpt, prefixes),
                "knowledge_level": _enum(graph.value(claim, CKG.knowledgeLevel)),
                "agent_type": _enum(graph.value(claim, CKG.agentType)),
                "ckg_evidence": [kgx_curie(str(p), prefixes) for p in passages],
                "ckg_status": _single(graph.value(claim, CKG.status), prefixes),
                "ckg_source_count": _single(graph.value(claim, CKG.sourceCount), prefixes),
            }
        )
    nodes = [_node(graph, node, prefixes) for node in sorted(named)]
    return nodes, edges


def kgx_files(graph: Graph) -> dict[str, bytes]:
    """``nodes.tsv`` and ``edges.tsv`` of ``graph``, by file name."""
    nodes, edges = kgx_tables(graph)
    return {"nodes.tsv": _tsv(nodes, NODE_COLUMNS), "edges.tsv": _tsv(edges, EDGE_COLUMNS)}


def write_kgx(folder: str | Path, release: str | Path | None = None) -> list[Path]:
    """Write ``nodes.tsv`` and ``edges.tsv`` of the release (asserted and inferred graphs) into
    ``folder``, each atomically; return their paths."""
    graph = merged(select(read_release(release), "all"))
    written = []
    for name, data in kgx_files(graph).items():
        path = Path(folder) / name
        write_atomic(path, data)
        written.append(path)
    return written


def _node(graph: Graph, node: URIRef, prefixes: dict[str, str]) -> dict[str, object]:
    types = [t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)]
    categories = {biolink_term(graph, t, RDFS.subClassOf) for t in types}
    return {
        "id": kgx_curie(str(node), prefixes),
        "category": sorted(c for c in categories if c) or ["biolink:NamedThing"],
        "name": _single(_first(graph.objects(node, RDFS.label)), prefixes),
        "description": _single(_first(graph.objects(node, SKOS.definition)), prefixes),
        "synonym": sorted({str(o) for o in graph.objects(node, SKOS.altLabel)}),
        "xref": sorted({kgx_curie(str(o), prefixes) for o in graph.objects(node, SKOS.exactMatch)}),
        "iri": str(node),
        "provided_by": [INFORES],
    }


def _values(graph: Graph, passages: list, predicate: URIRef, prefixes: dict[str, str]) -> list[str]:
    found = {_single(o, prefixes) for p in passages for o in graph.objects(p, predicate)}
    return sorted(" ".join(v.split()).replace("|", "/") for v in found if v)


def _single(term, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        return " ".join(str(term).split())
    return kgx_curie(str(term), prefixes)


def _enum(term) -> str:
    """A Biolink enumeration value (``...KnowledgeLevelEnum#knowledge_assertion``) as KGX writes it."""
    return str(term).rsplit("#", 1)[-1] if term is not None else "not_provided"


def _first(terms: Iterable) -> object:
    ordered = sorted(terms, key=lambda t: (getattr(t, "language", None) != "en", str(t)))
    return ordered[0] if ordered else None


def _tsv(rows: list[dict[str, object]], columns: tuple[str, ...]) -> bytes:
    out = io.StringIO()
    out.write("\t".join(columns) + "\n")
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            text = "|".join(value) if isinstance(value, list) else str(value)
            cells.append(" ".join(text.replace("\t", " ").split()))
        out.write("\t".join(cells) + "\n")
    return out.getvalue().encode("utf-8")


def _prefixes() -> dict[str, str]:
    return {**{k: str(v) for k, v in PREFIXES.items()}, **mapping_prefixes(), "ECO": _ECO}
