"""Resolve what a user types for an entity parameter to the IRI of an entity.

Accepted: a label or synonym (case-insensitive), a CURIE (``DOID:418`` through the SKOS
mappings and the prefix table of the shapes graph; ``ckg:``/``kb:`` CURIEs directly) or a full
IRI. An unknown or ambiguous value is a :class:`~calcinosis_kg.errors.QueryError` that lists
the close matches.

>>> normalize("  Paget\u2019s   Disease ")
"paget's disease"
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable

from ..errors import QueryError
from ..namespaces import PREFIXES
from .results import QueryResult
from .terms import Term

__all__ = ["PROJECT_PREFIXES", "Resolver", "normalize"]

#: the project's own prefixes, always known
PROJECT_PREFIXES = {name: str(PREFIXES[name]) for name in ("ckg", "kb", "claim", "ev", "src")}
NAMES_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?name ?kind WHERE {
  { ?entity rdfs:label ?name BIND("label" AS ?kind) }
  UNION { ?entity skos:altLabel ?name BIND("synonym" AS ?kind) }
  FILTER(isIRI(?entity) && (STRSTARTS(STR(?entity), "https://w3id.org/calcinosis-kg/ontology/")
         || STRSTARTS(STR(?entity), "https://w3id.org/calcinosis-kg/entity/")
         || STRSTARTS(STR(?entity), "https://w3id.org/calcinosis-kg/source/")))
}"""
MAPPINGS_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?relation ?target WHERE {
  VALUES ?relation { skos:exactMatch skos:closeMatch skos:narrowMatch skos:broadMatch skos:relatedMatch }
  ?entity ?relation ?target .
  FILTER(isIRI(?target))
}"""
PREFIX_QUERY = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT DISTINCT ?prefix ?namespace WHERE {
  ?node sh:declare ?d . ?d sh:prefix ?prefix ; sh:namespace ?namespace .
}
"""
_CURIE = re.compile(r"^([A-Za-z_][\w.-]*):(\S*)$")
_MATCH_RANK = {
    "http://www.w3.org/2004/02/skos/core#exactMatch": 0,
    "http://www.w3.org/2004/02/skos/core#closeMatch": 1,
}


def normalize(text: str) -> str:
    """Fold case, quotes and spaces, for matching labels."""
    return " ".join(text.replace("\u2019", "'").casefold().split())


class Resolver:
    """Entity lookup tables read once from the graph through ``select(query_text)``."""

    def __init__(self, select: Callable[[str], QueryResult]):
        self.names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.label_of: dict[str, str] = {}
        for row in select(NAMES_QUERY).rows:
            iri, name, kind = row["entity"].value, row["name"].value, row["kind"].value
            self.names[normalize(name)][kind].add(iri)
            if kind == "label":
                self.label_of.setdefault(iri, name)
        self.mapped: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for row in select(MAPPINGS_QUERY).rows:
            rank = _MATCH_RANK.get(row["relation"].value, 2)
            self.mapped[row["target"].value].append((rank, row["entity"].value))
        self.prefixes = {r["prefix"].value: r["namespace"].value for r in select(PREFIX_QUERY).rows}
        self.prefixes.update(PROJECT_PREFIXES)

    def resolve(self, value: str, param: str = "entity") -> Term:
        """The entity IRI for ``value``."""
        text = value.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if re.match(r"^(https?|urn|ftp):", text):
            return self._by_iri(text, value, param)
        curie = _CURIE.match(text)
        if curie and not text.startswith(("http:", "https:")) and " " not in text:
            prefix = self._prefix(curie.group(1))
            if prefix is not None:
                return self._by_iri(self.prefixes[prefix] + curie.group(2), value, param)
        return self._by_name(text, param)

    def _prefix(self, prefix: str) -> str | None:
        if prefix in self.prefixes:
            return prefix
        folded = [p for p in self.prefixes if p.casefold() == prefix.casefold()]
        return folded[0] if len(folded) == 1 else None

    def _by_iri(self, iri: str, value: str, param: str) -> Term:
        if iri in self.label_of:
            return Term.iri(iri)
        candidates = sorted(self.mapped.get(iri, []))
        if candidates:
            best = [e for rank, e in candidates if rank == candidates[0][0]]
            if len(set(best)) == 1:
                return Term.iri(best[0])
            self._ambiguous(value, param, set(best))
        raise QueryError(
            f"{param}: {value!r} is not an entity of the graph nor mapped to one "
            f"(known prefixes: {', '.join(sorted(self.prefixes, key=str.lower))})"
        )

    def _by_name(self, text: str, param: str) -> Term:
        found = self.names.get(normalize(text))
        if found:
            for kind in ("label", "synonym"):
                if len(found.get(kind, ())) == 1:
                    return Term.iri(next(iter(found[kind])))
                if found.get(kind):
                    self._ambiguous(text, param, found[kind])
        close = difflib.get_close_matches(normalize(text), list(self.names), n=6, cutoff=0.6)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise QueryError(f"{param}: no entity has the label or synonym {text!r}{hint}")

    def _ambiguous(self, value: str, param: str, iris: set[str]) -> None:
        options = ", ".join(f"{self.curie(i)} ({self.label_of.get(i, '?')})" for i in sorted(iris))
        raise QueryError(f"{param}: {value!r} is ambiguous; it names {options}; pass a CURIE or an IRI")

    def curie(self, iri: str) -> str:
        """The shortest CURIE for ``iri`` with the known prefixes, else the IRI."""
        best = max((ns for ns in self.prefixes.values() if iri.startswith(ns)), key=len, default=None)
        if best is None:
            return iri
        prefix = next(p for p, ns in self.prefixes.items() if ns == best)
        return f"{prefix}:{iri[len(best) :]}"
