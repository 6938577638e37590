"""The project's vocabulary in one place: its namespaces, the closed vocabulary of the
ontology, the named graphs of the release, and the one prefix table.

>>> str(CKG.Calcinosis)
'https://w3id.org/calcinosis-kg/ontology/Calcinosis'
>>> curie("https://w3id.org/calcinosis-kg/entity/warfarin")
'kb:warfarin'
>>> CKG.Calcinosus  # a typo is an error, not a new IRI
Traceback (most recent call last):
...
AttributeError: term 'Calcinosus' not in namespace 'https://w3id.org/calcinosis-kg/ontology/'
"""

from __future__ import annotations

import functools
from typing import cast

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

__all__ = [
    "BASE",
    "CKG",
    "CLAIM",
    "CORROBORATION",
    "EVIDENCE",
    "GRAPH",
    "GRAPHS",
    "KB",
    "PREFIXES",
    "SHAPES",
    "SOURCE",
    "curie",
    "mapping_prefixes",
]

BASE = "https://w3id.org/calcinosis-kg/"


class CKG(DefinedNamespace):
    """Classes and properties declared in ``ontology/calcinosis.ttl``."""

    _fail = True
    _NS = Namespace(BASE + "ontology/")

    # categories
    MedicalCondition: URIRef
    Disease: URIRef
    ClinicalFinding: URIRef
    LaboratoryFinding: URIRef
    RaisedSerumMineralLevel: URIRef
    RaisedSerumCalcium: URIRef
    RaisedSerumPhosphate: URIRef
    NormalSerumMineralLevel: URIRef
    PathologicalProcess: URIRef
    TissueDamage: URIRef
    Exposure: URIRef
    Injury: URIRef
    ChemicalSubstance: URIRef
    Drug: URIRef
    DietarySupplement: URIRef
    Intervention: URIRef
    Procedure: URIRef
    DiagnosticProcedure: URIRef
    Treatment: URIRef
    SurgicalProcedure: URIRef
    PhysicalTherapy: URIRef
    ComplementaryTherapy: URIRef
    PreventiveMeasure: URIRef
    AnatomicalSite: URIRef
    Population: URIRef
    ClinicalCourse: URIRef
    # calcinosis and its types
    Calcinosis: URIRef
    DystrophicCalcinosis: URIRef
    MetastaticCalcinosis: URIRef
    IatrogenicCalcinosis: URIRef
    IdiopathicCalcinosis: URIRef
    TumoralCalcinosis: URIRef
    CalcinosisCutis: URIRef
    # defined classes
    CalcinosisCause: URIRef
    CalcinosisLinkedDisease: URIRef
    HypercalcaemicCalcinosis: URIRef
    HyperphosphataemicCalcinosis: URIRef
    MineralExcessCalcinosis: URIRef
    NormomineralCalcinosis: URIRef
    TissueDamageCalcinosis: URIRef
    # relations
    relatedTo: URIRef
    associatedWith: URIRef
    associatedWithInverse: URIRef
    causesOrContributesTo: URIRef
    causedOrContributedToBy: URIRef
    causes: URIRef
    causedBy: URIRef
    contributesTo: URIRef
    contributedToBy: URIRef
    riskFactorFor: URIRef
    hasRiskFactor: URIRef
    exacerbates: URIRef
    exacerbatedBy: URIRef
    hasComplication: URIRef
    complicationOf: URIRef
    hasSymptom: URIRef
    symptomOf: URIRef
    hasFeature: URIRef
    featureOf: URIRef
    hasBasis: URIRef
    basisOf: URIRef
    diagnosedBy: URIRef
    diagnoses: URIRef
    detects: URIRef
    detectedBy: URIRef
    indicates: URIRef
    indicatedBy: URIRef
    treatedBy: URIRef
    treats: URIRef
    preventedBy: URIRef
    prevents: URIRef
    hasLocation: URIRef
    locationOf: URIRef
    occursIn: URIRef
    affectedBy: URIRef
    partOf: URIRef
    hasPart: URIRef
    contraindicatedIn: URIRef
    contraindicationFor: URIRef
    moreInformativeThan: URIRef
    lessInformativeThan: URIRef
    # provenance
    SourceDocument: URIRef
    Claim: URIRef
    Evidence: URIRef
    QualityIssue: URIRef
    Conflict: URIRef
    DoubtfulStatement: URIRef
    hasEvidence: URIRef
    fromSource: URIRef
    context: URIRef
    concerns: URIRef
    excerpt: URIRef
    section: URIRef
    listItem: URIRef
    hedging: URIRef
    reliability: URIRef
    paragraph: URIRef
    # assessment and corroboration
    AssessmentStatus: URIRef
    Corroborated: URIRef
    SeveralSources: URIRef
    SingleSource: URIRef
    Hedged: URIRef
    Disputed: URIRef
    Doubtful: URIRef
    status: URIRef
    statusRank: URIRef
    sourceCount: URIRef
    knowledgeLevel: URIRef
    agentType: URIRef
    evidenceCode: URIRef
    ReferenceCorroboration: URIRef
    corroboratedBy: URIRef
    agrees: URIRef
    reference: URIRef
    # treatment effects
    TreatmentEffect: URIRef
    ActsOnDeposits: URIRef
    RemovesDeposits: URIRef
    ReducesDeposits: URIRef
    BreaksUpDeposits: URIRef
    PreventsNewDeposits: URIRef
    RelievesSymptoms: URIRef
    TreatsUnderlyingCondition: URIRef
    NoDirectEffectOnDeposits: URIRef
    EffectNotStated: URIRef
    treatmentEffect: URIRef
    # the sides of a conflict and the weight of a claim as text
    ConflictSide: URIRef
    SideJudgement: URIRef
    SupportedSide: URIRef
    UnsupportedSide: URIRef
    CompatibleSide: URIRef
    UndecidedSide: URIRef
    hasSide: URIRef
    sideClaim: URIRef
    judgement: URIRef
    corroborationSummary: URIRef
    doubtSummary: URIRef


KB = Namespace(BASE + "entity/")
CLAIM = Namespace(BASE + "claim/")
EVIDENCE = Namespace(BASE + "evidence/")
SOURCE = Namespace(BASE + "source/")
CORROBORATION = Namespace(BASE + "corroboration/")
GRAPH = Namespace(BASE + "graph/")
SHAPES = Namespace(BASE + "shapes/")

#: The named graphs of the released dataset.
GRAPHS = {
    "ontology": GRAPH.ontology,
    "kb": GRAPH.kb,
    "data": GRAPH.data,
    "inferred": GRAPH.inferred,
    "shapes": GRAPH.shapes,
}

#: The one prefix table: the project's namespaces and the vocabularies it uses (the CURIE
#: prefixes of the reference ontologies are declared in the ontology graph, ``sh:declare``).
PREFIXES: dict[str, Namespace] = {
    "ckg": CKG._NS,
    "kb": KB,
    "claim": CLAIM,
    "ev": EVIDENCE,
    "src": SOURCE,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "prov": Namespace(str(PROV)),
    "sh": Namespace(str(SH)),
    "cor": CORROBORATION,
    "obo": Namespace("http://purl.obolibrary.org/obo/"),
    "biolink": Namespace("https://w3id.org/biolink/vocab/"),
    "schema": Namespace("https://schema.org/"),
}


@functools.cache
def mapping_prefixes() -> dict[str, str]:
    """The CURIE prefixes of the reference vocabularies (``DOID`` and others): the ``sh:declare``
    values of the ontology, where SHACL puts them and where every store's copy has them too.

    >>> mapping_prefixes()["DOID"]
    'http://purl.obolibrary.org/obo/DOID_'
    """
    import pyoxigraph as ox

    from .resources import ontology_file

    store = ox.Store()
    store.load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
    rows = cast(
        ox.QuerySolutions,
        store.query(
            "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?prefix ?namespace WHERE { "
            "<https://w3id.org/calcinosis-kg/ontology> sh:declare ?d . "
            "?d sh:prefix ?prefix ; sh:namespace ?namespace }"
        ),
    )
    return {row["prefix"].value: row["namespace"].value for row in rows}


def curie(iri: str) -> str:
    """``iri`` as a CURIE of :data:`PREFIXES` (the longest namespace that fits), else as it is."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(name for name, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"
