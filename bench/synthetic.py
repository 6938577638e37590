"""Synthetic knowledge bases shaped like ours (entities, hierarchy, claims with evidence).

>>> g = synthetic_kb(1000)
>>> 900 < len(g) < 1100
True
"""

from __future__ import annotations

import random

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from calcinosis_kg.namespaces import CKG, CLAIM, EVIDENCE, KB, SOURCE

#: (relation, subject category, object category) as in the real knowledge base
RELATIONS = [
    (CKG.causes, CKG.Disease, CKG.Disease),
    (CKG.contributesTo, CKG.Exposure, CKG.Disease),
    (CKG.associatedWith, CKG.Disease, CKG.Disease),
    (CKG.hasSymptom, CKG.Disease, CKG.ClinicalFinding),
    (CKG.diagnosedBy, CKG.Disease, CKG.DiagnosticProcedure),
    (CKG.treatedBy, CKG.Disease, CKG.Treatment),
    (CKG.preventedBy, CKG.Disease, CKG.PreventiveMeasure),
    (CKG.hasLocation, CKG.Disease, CKG.AnatomicalSite),
]
TRIPLES_PER_CLAIM = 15  # direct edge, claim (7), evidence (6), entity share


def synthetic_kb(triples: int, seed: int = 7) -> Graph:
    """A graph of about ``triples`` asserted triples shaped like kb/ (without the ontology) that
    conforms to the shapes: every entity labelled, defined and mapped, every claim backed."""
    rng = random.Random(seed)
    graph = Graph()
    n_claims = max(1, triples // TRIPLES_PER_CLAIM)
    per_category: dict = {}
    sources = [SOURCE[f"s{i:03d}"] for i in range(5)]
    for i, source in enumerate(sources):
        graph.add((source, RDF.type, CKG.SourceDocument))
        graph.add((source, RDFS.label, Literal(f"source {i}", lang="en")))
        graph.add((source, SKOS.definition, Literal("A synthetic source document.", lang="en")))
        graph.add((source, DCTERMS.identifier, Literal(f"s{i:03d}.txt")))
        graph.add((source, DCTERMS.title, Literal(f"Source {i}")))
    for c in range(n_claims):
        relation, subject_class, object_class = rng.choice(RELATIONS)
        subject = _entity(graph, rng, per_category, subject_class, n_claims)
        obj = _entity(graph, rng, per_category, object_class, n_claims)
        graph.add((subject, relation, obj))
        claim = CLAIM[f"c{c}"]
        evidence = EVIDENCE[f"c{c}--{c % 5:03d}"]
        graph.add((claim, RDF.type, CKG.Claim))
        graph.add((claim, RDF.subject, subject))
        graph.add((claim, RDF.predicate, relation))
        graph.add((claim, RDF.object, obj))
        graph.add((claim, CKG.hasEvidence, evidence))
        graph.add((claim, CKG.status, CKG.SingleSource))  # what the tables derive, RDF states
        graph.add((claim, CKG.sourceCount, Literal(1)))
        if relation == CKG.treatedBy:
            graph.add((evidence, CKG.treatmentEffect, CKG.EffectNotStated))
        graph.add((evidence, RDF.type, CKG.Evidence))
        graph.add((evidence, CKG.fromSource, sources[c % 5]))
        graph.add((evidence, CKG.excerpt, Literal(f"Excerpt number {c} of a source document.")))
        graph.add((evidence, CKG.section, Literal("Causes")))
        graph.add((evidence, CKG.listItem, Literal(c % 20 + 1)))
    return graph


def _entity(graph: Graph, rng: random.Random, pool: dict, category, n_claims: int):
    entities = pool.setdefault(category, [])
    wanted = max(2, n_claims // (2 * len(RELATIONS)))
    if len(entities) < wanted and (not entities or rng.random() < 0.5):
        entity = KB[f"{category.fragment or str(category).rsplit('/', 1)[-1]}-{len(entities)}"]
        graph.add((entity, RDF.type, category))
        graph.add((entity, RDFS.label, Literal(str(entity).rsplit("/", 1)[-1], lang="en")))
        graph.add((entity, SKOS.definition, Literal("A synthetic entity.", lang="en")))
        graph.add((entity, SKOS.closeMatch, URIRef(f"http://purl.obolibrary.org/obo/HP_{len(entities):07d}")))
        if entities and rng.random() < 0.2:
            parent = rng.choice(entities)
            graph.add((entity, RDF.type, OWL.Class))
            graph.add((parent, RDF.type, OWL.Class))
            graph.add((entity, RDFS.subClassOf, parent))
        entities.append(entity)
        return entity
    return rng.choice(entities)
