"""The project's namespaces, and the closed vocabulary of the ontology.

>>> str(CKG.Calcinosis)
'https://w3id.org/calcinosis-kg/ontology/Calcinosis'
>>> CKG.Calcinosus  # a typo is an error, not a new IRI
Traceback (most recent call last):
...
AttributeError: term 'Calcinosus' not in namespace 'https://w3id.org/calcinosis-kg/ontology/'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = ["BASE", "CKG", "CLAIM", "CORROBORATION", "EVIDENCE", "GRAPH", "KB", "PREFIXES", "SHAPES", "SOURCE"]

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


KB = Namespace(BASE + "entity/")
CLAIM = Namespace(BASE + "claim/")
EVIDENCE = Namespace(BASE + "evidence/")
SOURCE = Namespace(BASE + "source/")
CORROBORATION = Namespace(BASE + "corroboration/")
GRAPH = Namespace(BASE + "graph/")
SHAPES = Namespace(BASE + "shapes/")

PREFIXES = {
    "ckg": CKG._NS,
    "kb": KB,
    "claim": CLAIM,
    "ev": EVIDENCE,
    "src": SOURCE,
    "cor": CORROBORATION,
    "obo": Namespace("http://purl.obolibrary.org/obo/"),
    "biolink": Namespace("https://w3id.org/biolink/vocab/"),
    "schema": Namespace("https://schema.org/"),
}
