"""What the graph says about one resource, for its page: statements, claims and their notes.

The queries are files of this package (``queries/*.rq``); the resource's IRI is bound to their
``?iri`` variable in the worker (:class:`~calcinosis_kg.endpoint.worker.Bound`), never written
into their text. :func:`describe` turns their answers into a :class:`Description`.

>>> page_iri("entity", "warfarin")
'https://w3id.org/calcinosis-kg/entity/warfarin'
>>> page_iri("entity", "../etc") is None
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ..namespaces import BASE, CKG, GRAPH
from ..sparql.terms import Term
from .worker import Answer, Bound

__all__ = [
    "KINDS",
    "Claim",
    "Description",
    "Note",
    "Passage",
    "Ref",
    "bound",
    "describe",
    "page_iri",
    "page_path",
    "query_text",
    "solutions",
]

#: the kinds of resource that have a page: ``BASE + kind + "/" + id``
KINDS = ("entity", "ontology", "source", "claim", "evidence", "corroboration")
#: the ontology's own IRI (its page is ``/ontology``)
ONTOLOGY_IRI = BASE + "ontology"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
_MATCHES = {str(SKOS[name]): name for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch")}
_MATCHES[str(SKOS.relatedMatch)] = "relatedMatch"
#: the properties that give a label, a definition (the ontology has a title and a description)
_LABELS, _DEFINITIONS = (
    (str(RDFS.label), str(DCTERMS.title)),
    (str(SKOS.definition), str(DCTERMS.description)),
)
_SHOWN = {*_LABELS, *_DEFINITIONS, str(SKOS.altLabel), str(RDF.type), *_MATCHES}


def page_iri(kind: str, ident: str) -> str | None:
    """The IRI of the resource whose page is ``/{kind}/{ident}``, or None if there is none."""
    if kind not in KINDS or not _ID.fullmatch(ident):
        return None
    return f"{BASE}{kind}/{ident}"


def page_path(iri: str) -> str | None:
    """The path of the page of ``iri`` under the server's root, or None if it has none.

    >>> page_path("https://w3id.org/calcinosis-kg/ontology/causes"), page_path("http://x.org/a")
    ('ontology/causes', None)
    """
    if iri == ONTOLOGY_IRI:
        return "ontology"
    if not iri.startswith(BASE):
        return None
    kind, _, ident = iri[len(BASE) :].partition("/")
    return f"{kind}/{ident}" if page_iri(kind, ident) else None


@cache
def query_text(name: str) -> str:
    """The text of this package's query ``name`` (``queries/NAME.rq``)."""
    return (files(__package__) / "queries" / f"{name}.rq").read_text(encoding="utf-8")


def bound(name: str, iri: str) -> Bound:
    """The request that runs this package's query ``name`` with ``?iri`` bound to ``iri``."""
    return Bound(query_text(name), {"iri": Term.iri(iri)})


def solutions(answer: Answer) -> list[dict[str, Term]]:
    """The rows of a SPARQL JSON answer as dicts of :class:`Term`.

    >>> body = b'{"results": {"bindings": [{"x": {"type": "uri", "value": "urn:a"}}]}}'
    >>> solutions(Answer(200, "application/sparql-results+json", body))
    [{'x': Term(kind='uri', value='urn:a', datatype=None, lang=None)}]
    """
    rows = []
    for binding in json.loads(answer.body)["results"]["bindings"]:
        row = {}
        for name, cell in binding.items():
            if cell["type"] == "literal":
                row[name] = Term.literal(cell["value"], cell.get("datatype"), cell.get("xml:lang"))
            else:
                row[name] = Term(cell["type"], cell["value"])
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Ref:
    """A resource named on a page: its IRI and, if it has one, its label."""

    iri: str
    label: str | None = None


@dataclass(frozen=True)
class Passage:
    """One evidence passage: where it comes from and its verbatim excerpt."""

    iri: str
    source: Ref
    identifier: str
    excerpt: str
    section: str | None = None
    hedging: str | None = None


@dataclass(frozen=True)
class Note:
    """A conflict, a doubtful statement or a curated reference that concerns a claim."""

    iri: str
    kind: str
    label: str
    comment: str | None = None


@dataclass
class Claim:
    """A claim (subject, relation, object), its assessment, its passages and its notes."""

    iri: str
    subject: Ref
    relation: Ref
    object: Ref
    status: str
    rank: int
    sources: int
    passages: list[Passage] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class Description:
    """Everything a page shows about one resource."""

    iri: str
    label: str | None = None
    definition: str | None = None
    categories: list[Ref] = field(default_factory=list)
    inferred_categories: list[Ref] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    mappings: list[tuple[str, Ref]] = field(default_factory=list)
    statements: list[tuple[Ref, Term | Ref, bool]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def groups(self) -> list[tuple[Ref, bool, list[Claim]]]:
        """The claims by relation: (relation, whether this resource is the subject, claims)."""
        found: dict[tuple[str, bool], tuple[Ref, bool, list[Claim]]] = {}
        for claim in self.claims:
            as_subject = claim.subject.iri == self.iri
            key = (claim.relation.iri, as_subject)
            found.setdefault(key, (claim.relation, as_subject, []))[2].append(claim)
        return sorted(found.values(), key=lambda g: (not g[1], (g[0].label or g[0].iri).casefold()))


Ask = Callable[[Bound], Awaitable[Answer]]


async def describe(iri: str, ask: Ask) -> Description | None:
    """The :class:`Description` of ``iri``, read with ``ask`` (one query at a time), or None if
    the graph says nothing about it."""
    statements = solutions(await ask(bound("statements", iri)))
    if not statements:
        return None
    out = Description(iri)
    inferred = str(GRAPH.inferred)
    for row in statements:
        prop, value = row["property"].value, row["value"]
        is_inferred = row["graph"].value == inferred
        ref = Ref(value.value, _text(row.get("valueLabel"))) if value.kind == "uri" else None
        if prop in _LABELS and out.label is None:
            out.label = value.value
        elif prop in _DEFINITIONS and out.definition is None:
            out.definition = value.value
        elif prop == str(SKOS.altLabel):
            out.synonyms.append(value.value)
        elif prop == str(RDF.type) and ref is not None:
            (out.inferred_categories if is_inferred else out.categories).append(ref)
        elif prop in _MATCHES and ref is not None:
            out.mappings.append((_MATCHES[prop], ref))
        if prop not in _SHOWN:
            out.statements.append((Ref(prop, _text(row.get("propertyLabel"))), ref or value, is_inferred))
    out.inferred_categories = [c for c in out.inferred_categories if c not in out.categories]
    out.claims = _claims(solutions(await ask(bound("claims", iri))))
    _attach_notes(out.claims, solutions(await ask(bound("notes", iri))))
    return out


def _text(term: Term | None) -> str | None:
    return None if term is None else term.value


def _claims(rows: list[dict[str, Term]]) -> list[Claim]:
    claims: dict[str, Claim] = {}
    for row in rows:
        iri = row["claim"].value
        if iri not in claims:
            claims[iri] = Claim(
                iri,
                Ref(row["subject"].value, _text(row.get("subjectLabel"))),
                Ref(row["relation"].value, _text(row.get("relationLabel"))),
                Ref(row["object"].value, _text(row.get("objectLabel"))),
                row["status"].value,
                int(row["rank"].value),
                int(row["sources"].value),
            )
        title = _text(row.get("title"))
        claims[iri].passages.append(
            Passage(
                row["evidence"].value,
                Ref(row["source"].value, title),
                _text(row.get("identifier")) or row["source"].value,
                row["excerpt"].value,
                _text(row.get("section")),
                _text(row.get("hedging")),
            )
        )
    return list(claims.values())


_NOTE_KINDS = {
    str(CKG.Conflict): "conflict",
    str(CKG.DoubtfulStatement): "doubtful statement",
    str(CKG.ReferenceCorroboration): "curated reference",
}


def _attach_notes(claims: list[Claim], rows: list[dict[str, Term]]) -> None:
    by_iri = {claim.iri: claim for claim in claims}
    for row in rows:
        claim = by_iri.get(row["claim"].value)
        if claim is None:
            continue
        note = row["note"]
        claim.notes.append(
            Note(
                note.value if note.kind == "uri" else "",
                _NOTE_KINDS.get(row["kind"].value, row["kind"].value),
                _text(row.get("label")) or "",
                _text(row.get("comment")),
            )
        )
