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
from dataclasses import dataclass

import yaml
from rdflib import RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from .errors import MappingError
from .namespaces import BASE, PREFIXES, mapping_prefixes
from .version import __version__

__all__ = ["COLUMNS", "MAPPING_PREDICATES", "Mapping", "curie", "declared_prefixes", "mappings", "to_sssom"]

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
    best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        raise MappingError(f"{iri}: no declared prefix (sh:declare in the shapes) covers this IRI")
    prefix = min(p for p, ns in prefixes.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


def curated_labels() -> dict[str, str]:
    """The ``object_label`` of each ``object_id`` of the curated mapping table (where it has one)."""
    from .curation import read_rows
    from .resources import resource_dir

    rows = read_rows(resource_dir("kb") / "mappings.sssom.tsv", "mappings")
    return {row.get("object_id"): row.get("object_label") for row in rows if row.get("object_label")}


def mappings(graph: Graph, prefixes: dict[str, str]) -> list[Mapping]:
    """Every SKOS mapping triple of ``graph`` whose subject is ours, sorted."""
    labels = curated_labels()
    rows = set()
    for predicate in MAPPING_PREDICATES:
        for subject, obj in graph.subject_objects(predicate):
            if not (isinstance(subject, URIRef) and str(subject).startswith(BASE)) or not isinstance(
                obj, URIRef
            ):
                continue
            target = curie(str(obj), prefixes)
            rows.add(
                Mapping(
                    curie(str(subject), prefixes),
                    _label(graph, subject),
                    curie(str(predicate), prefixes),
                    target,
                    _label(graph, obj) or labels.get(target, ""),
                )
            )
    return sorted(rows)


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


def _label(graph: Graph, node: URIRef) -> str:
    labels = sorted(graph.objects(node, RDFS.label), key=lambda lit: (_lang_rank(lit), str(lit)))
    return str(labels[0]) if labels else ""


def _lang_rank(label) -> int:
    lang = label.language if isinstance(label, Literal) else None
    return 0 if lang == "en" else 1 if lang is None else 2
