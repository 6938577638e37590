"""The formats the release is exported in: rdflib's name, media type and file suffix of each.

>>> FORMATS["rdfxml"].media_type
'application/rdf+xml'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FORMATS", "ExportFormat"]


@dataclass(frozen=True)
class ExportFormat:
    """An export format: rdflib's name for it, its media type and its file suffix."""

    rdflib: str
    media_type: str
    suffix: str
    dataset: bool = False


FORMATS = {
    "ttl": ExportFormat("turtle", "text/turtle", ".ttl"),
    "nt": ExportFormat("nt", "application/n-triples", ".nt"),
    "nq": ExportFormat("nquads", "application/n-quads", ".nq", dataset=True),
    "trig": ExportFormat("trig", "application/trig", ".trig", dataset=True),
    "jsonld": ExportFormat("json-ld", "application/ld+json", ".jsonld"),
    "rdfxml": ExportFormat("xml", "application/rdf+xml", ".rdf"),
}
