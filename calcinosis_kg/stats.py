"""Counts that describe the graph: entities per class, claims per relation and per source.

>>> from calcinosis_kg import load_graph, reason
>>> counts = graph_stats(reason(load_graph()))
>>> counts["triples"]["asserted"] > 0
True
"""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph

from .namespaces import CKG
from .reasoning import Reasoning

__all__ = ["graph_stats"]

_CLAIMS_PER_RELATION = """
PREFIX ckg: <https://w3id.org/calcinosis-kg/ontology/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?relation (COUNT(DISTINCT ?claim) AS ?n) WHERE {
  ?claim a ckg:Claim ; rdf:predicate ?relation .
} GROUP BY ?relation
"""

_CLAIMS_PER_SOURCE = """
PREFIX ckg: <https://w3id.org/calcinosis-kg/ontology/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?source (COUNT(DISTINCT ?claim) AS ?n) WHERE {
  ?claim a ckg:Claim ; ckg:hasEvidence/ckg:fromSource ?doc .
  ?doc dcterms:identifier ?source .
} GROUP BY ?source
"""


def graph_stats(reasoning: Reasoning) -> dict[str, dict[str, int]]:
    """Count triples, entities per ontology class, claims per relation and per source."""
    merged = reasoning.merged
    return {
        "triples": {"asserted": len(reasoning.asserted), "inferred": len(reasoning.inferred)},
        "entities per class": _entities_per_class(merged),
        "claims per relation": _count(merged, _CLAIMS_PER_RELATION),
        "claims per source": _count(merged, _CLAIMS_PER_SOURCE),
    }


def _entities_per_class(graph: Graph) -> dict[str, int]:
    prefix = str(CKG._NS)
    counts = Counter(
        klass[len(prefix) :] for _, klass in graph.subject_objects(RDF.type) if str(klass).startswith(prefix)
    )
    return dict(sorted(counts.items()))


def _count(graph: Graph, query: str) -> dict[str, int]:
    rows = {_short(key): int(n) for key, n in graph.query(query)}
    return dict(sorted(rows.items()))


def _short(term) -> str:
    for prefix, namespace in (("ckg:", str(CKG._NS)), ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#")):
        if str(term).startswith(namespace):
            return prefix + str(term)[len(namespace) :]
    return str(term)
