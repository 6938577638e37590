"""Strict loading of the ontology, the knowledge base and the user's own files.

>>> g = load_graph()
>>> len(g) > 1000
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.util import guess_format

from .convert import quads, to_graph
from .errors import InputError, InvalidDataError
from .resources import kb_files, ontology_file

__all__ = ["expand_paths", "load_graph", "load_parts", "parse_file", "parse_quads"]

RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl", ".xml", ".n3")


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Turn files and folders into a sorted list of RDF files; a missing path is an error."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in RDF_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def parse_file(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one RDF file into ``graph``; a syntax error names the file, line and column.

    Oxigraph's strict parsers read the formats they know (fast, exact error positions); rdflib
    reads the rest. Blank nodes get stable labels, unique per file.
    """
    return to_graph(parse_quads(path), graph)


def parse_quads(path: Path) -> list[ox.Quad]:
    """The triples of one RDF file as pyoxigraph quads in the default graph (see :func:`parse_file`)."""
    oxigraph_format = _OXIGRAPH_FORMATS.get(path.suffix.lower())
    if oxigraph_format is None:
        return quads(_parse_with_rdflib(path, Graph()))
    blank = _BlankLabels(hashlib.sha1(path.name.encode()).hexdigest()[:8])
    try:
        return [
            ox.Quad(blank.of(q.subject), q.predicate, blank.of(q.object))
            for q in ox.parse(path=str(path), format=getattr(ox.RdfFormat, oxigraph_format))
        ]
    except SyntaxError as exc:
        reason = str(exc.msg).split(": ", 1)[-1]
        raise InvalidDataError(f"{path}:{exc.lineno}:{exc.offset}: syntax error: {reason}") from exc
    except (OSError, ValueError) as exc:
        raise InvalidDataError(f"{path}: cannot parse: {exc}") from exc


_OXIGRAPH_FORMATS = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".n3": "N3",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
}


class _BlankLabels(dict):
    """Stable blank-node labels: the file's hash and the order of first appearance.

    The same file always gives the same labels, so outputs need no canonicalisation, and
    labels from different files never collide.
    """

    def __init__(self, salt: str):
        super().__init__()
        self.salt = salt

    def of(self, term):
        """``term`` itself, or its stable replacement if it is a blank node."""
        if not isinstance(term, ox.BlankNode):
            return term
        if term not in self:
            self[term] = ox.BlankNode(f"b{self.salt}x{len(self)}")
        return self[term]


def _parse_with_rdflib(path: Path, graph: Graph) -> Graph:
    try:
        graph.parse(path, format=guess_format(str(path)) or "turtle")
    except Exception as exc:  # rdflib raises many kinds; all become one clear message
        raise InvalidDataError(_describe_parse_error(path, exc)) from exc
    return graph


def load_parts(*data: str | Path, kb: bool = True) -> dict[str, list[ox.Quad]]:
    """Load the ontology, the knowledge base and the user's files, each part as its quads.

    The keys are ``ontology``, ``kb`` (unless ``kb=False``) and ``data`` (only with ``data``);
    :func:`calcinosis_kg.convert.to_graph` turns quads into an rdflib graph.
    """
    return {
        name: [q for path in files for q in parse_quads(path)] for name, files in _sources(data, kb).items()
    }


def load_graph(*data: str | Path, kb: bool = True) -> Graph:
    """Load the ontology, the knowledge base (unless ``kb=False``) and extra files or folders."""
    graph = Graph()
    for files in _sources(data, kb).values():
        for path in files:
            parse_file(path, graph)
    return graph


def _sources(data: Iterable[str | Path], kb: bool) -> dict[str, list[Path]]:
    sources = {"ontology": [ontology_file()]}
    if kb:
        sources["kb"] = kb_files()
    if data:
        sources["data"] = expand_paths(data)
    return sources


def _describe_parse_error(path: Path, exc: Exception) -> str:
    why = getattr(exc, "_why", None) or str(exc).strip().splitlines()[-1]
    line = getattr(exc, "lines", None)
    offset = getattr(exc, "_i", None)
    if line is None or offset is None:
        return f"{path}: cannot parse: {why}"
    text = path.read_bytes()
    column = offset - text.rfind(b"\n", 0, offset)
    return f"{path}:{line + 1}:{column}: syntax error: {why}"
