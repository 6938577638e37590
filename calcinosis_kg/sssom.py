"""The SKOS mappings of the graph as an SSSOM TSV file with its YAML header.

CURIEs come from the ``sh:declare`` prefix table of the shapes graph, plus ``ckg:``/``kb:``.
The graph holds no labels of reference terms; those come from the curated mapping table
``kb/mappings.sssom.tsv``.

>>> prefixes = {"HP": "http://purl.obolibrary.org/obo/HP_", "obo": "http://purl.obolibrary.org/obo/"}
>>> curie("http://purl.obolibrary.org/obo/HP_0003072", prefixes)
'HP:0003072'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

import pyoxigraph as ox
import yaml
from rdflib import RDFS, Graph, Namespace, URIRef
from rdflib.namespace import SKOS

from .errors import MappingError
from .namespaces import BASE, PREFIXES, mapping_prefixes
from .version import __version__

__all__ = [
    "COLUMNS",
    "MAPPING_PREDICATES",
    "Mapping",
    "curie",
    "declared_prefixes",
    "mappings",
    "store_mappings",
    "to_sssom",
]

SH = Namespace("http://www.w3.org/ns/shacl#")
MAPPING_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
)
JUSTIFICATION = "semapv:ManualMappingCuration"
_BUILTIN = {
    "skos": str(SKOS),
    "semapv": "https://w3id.org/semapv/vocab/",
    "ckg": str(PREFIXES["ckg"]),
    "kb": str(PREFIXES["kb"]),
}


@dataclass(frozen=True, order=True)
class Mapping:
    """One row of the mapping set."""

    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str = JUSTIFICATION


def declared_prefixes() -> dict[str, str]:
    """The prefixes of the mapping set: the ontology's reference prefixes and ckg, kb, skos, semapv."""
    return {**mapping_prefixes(), **_BUILTIN}


def curie(iri: str, prefixes: dict[str, str]) -> str:
    """The CURIE of ``iri`` with the longest matching namespace; an unknown one is an error."""
    return _curie(iri, _namespaces(prefixes))


def _namespaces(prefixes: dict[str, str]) -> list[tuple[str, str]]:
    """``(namespace, prefix)`` pairs, the longest namespace first; of a namespace's prefixes, the least."""
    least = {ns: min(p for p, other in prefixes.items() if other == ns) for ns in prefixes.values()}
    return sorted(least.items(), key=lambda pair: len(pair[0]), reverse=True)


def _curie(iri: str, namespaces: list[tuple[str, str]]) -> str:
    for ns, prefix in namespaces:
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    raise MappingError(f"{iri}: no declared prefix (sh:declare in the shapes) covers this IRI")


def curated_labels() -> dict[str, str]:
    """The ``object_label`` of each ``object_id`` of the curated mapping table (where it has one)."""
    from .curation import read_rows
    from .resources import resource_dir

    rows = read_rows(resource_dir("kb") / "mappings.sssom.tsv", "mappings")
    return {row.get("object_id"): row.get("object_label") for row in rows if row.get("object_label")}


def mappings(graph: Graph, prefixes: dict[str, str]) -> list[Mapping]:
    """Every SKOS mapping triple of ``graph`` whose subject is ours, sorted."""
    found = {
        (str(subject), str(predicate), str(obj))
        for predicate in MAPPING_PREDICATES
        for subject, obj in graph.subject_objects(predicate)
        if isinstance(subject, URIRef) and str(subject).startswith(BASE) and isinstance(obj, URIRef)
    }
    labels = {
        node: {(str(label), _language(label)) for label in graph.objects(URIRef(node), RDFS.label)}
        for triple in found
        for node in (triple[0], triple[2])
    }
    return _rows(found, labels, prefixes)


_MAPPINGS = f"""
SELECT ?subject ?predicate ?object ?label WHERE {{
  {{ VALUES ?predicate {{ {" ".join(f"<{p}>" for p in MAPPING_PREDICATES)} }}
    ?subject ?predicate ?object .
    FILTER(isIRI(?subject) && STRSTARTS(STR(?subject), "{BASE}") && isIRI(?object)) }}
  UNION {{ ?subject <{RDFS.label}> ?label }}
}}"""


def store_mappings(store: ox.Store, graphs: Iterable[str], prefixes: dict[str, str]) -> list[Mapping]:
    """:func:`mappings` of the merge of the named ``graphs`` of ``store``, read with one query
    (the mapping triples, then every label).

    >>> store, a, g = ox.Store(), ox.NamedNode(f"{BASE}ontology/A"), ox.NamedNode("urn:g")
    >>> hp = ox.NamedNode("http://purl.obolibrary.org/obo/HP_0000001")
    >>> store.add(ox.Quad(a, ox.NamedNode(SKOS.exactMatch), hp, g))
    >>> store.add(ox.Quad(a, ox.NamedNode(RDFS.label), ox.Literal("a", language="en"), g))
    >>> (row,) = store_mappings(store, [g.value], declared_prefixes())
    >>> row.subject_id, row.subject_label, row.object_id
    ('ckg:A', 'a', 'HP:0000001')
    """
    found: set[tuple[str, str, str]] = set()
    labels: dict[str, set[tuple[str, str | None]]] = {}
    solutions = store.query(_MAPPINGS, default_graph=[ox.NamedNode(g) for g in graphs])
    assert isinstance(solutions, ox.QuerySolutions)
    for subject, predicate, obj, label in solutions:
        if label is None:
            found.add((subject.value, predicate.value, obj.value))
        elif isinstance(subject, ox.NamedNode):
            labels.setdefault(subject.value, set()).add((label.value, _language(label)))
    return _rows(found, labels, prefixes)


def to_sssom(rows: list[Mapping], prefixes: dict[str, str], version: str = __version__) -> bytes:
    """The SSSOM TSV: a ``#``-prefixed YAML header, then one row per mapping."""
    used = {
        value.split(":", 1)[0] for row in rows for value in (row.subject_id, row.predicate_id, row.object_id)
    }
    used |= {"semapv", "skos"}
    header = {
        "mapping_set_id": f"{BASE}mappings/calcinosis-kg.sssom.tsv",
        "mapping_set_version": version,
        "mapping_set_title": "Mappings of the calcinosis knowledge graph",
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "curie_map": {prefix: prefixes[prefix] for prefix in sorted(used)},
    }
    text = yaml.safe_dump(header, sort_keys=False, allow_unicode=True)
    out = io.StringIO()
    out.write("".join(f"#{line}\n" for line in text.splitlines()))
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([getattr(row, column) for column in COLUMNS])
    return out.getvalue().encode("utf-8")


def _rows(
    found: set[tuple[str, str, str]], labels: dict[str, set[tuple[str, str | None]]], prefixes: dict[str, str]
) -> list[Mapping]:
    """The sorted rows of the mapping triples ``found`` (IRIs), given the nodes' labels and their
    languages; an object without one takes its label in the curated table."""
    curated, namespaces = curated_labels(), _namespaces(prefixes)
    rows = set()
    for subject, predicate, obj in found:
        target = _curie(obj, namespaces)
        subject_id, predicate_id = _curie(subject, namespaces), _curie(predicate, namespaces)
        object_label = _best(labels.get(obj, ())) or curated.get(target, "")
        rows.add(Mapping(subject_id, _best(labels.get(subject, ())), predicate_id, target, object_label))
    return sorted(rows, key=attrgetter(*COLUMNS))  # Mapping's order, without its slow comparisons


def _best(labels: Iterable[tuple[str, str | None]]) -> str:
    """The label shown of ``(text, language)`` pairs: English, then none, then others; ties by text."""
    return min(labels, key=lambda label: (_lang_rank(label[1]), label[0]), default=("", None))[0]


def _language(label: object) -> str | None:
    """The language tag of a label, an rdflib or an Oxigraph term, if it has one."""
    return getattr(label, "language", None)


def _lang_rank(lang: str | None) -> int:
    return 0 if lang == "en" else 1 if lang is None else 2
