"""Strict loading of the ontology, the knowledge base and the user's own files.

The knowledge base is compiled from its curation tables (:mod:`calcinosis_kg.curation`); a
user's ``.tsv`` files are curation tables too, compiled with them, and other files are RDF.

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
from .curation import compile_tables
from .errors import InputError, InvalidDataError
from .resources import kb_files, ontology_file

__all__ = ["expand_paths", "load_graph", "load_parts", "parse_file", "parse_quads"]

RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl", ".xml", ".n3")
TABLE_SUFFIX = ".tsv"


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Turn files and folders into a sorted list of RDF files and tables; a missing path is an error."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in (*RDF_SUFFIXES, TABLE_SUFFIX)))
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
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    # the salt is unique per file content: two files of one name keep their blank nodes apart
    blank = _BlankLabels(hashlib.sha1(path.name.encode() + b"\0" + content).hexdigest()[:12])
    try:
        return [
            ox.Quad(blank.of(q.subject), q.predicate, blank.of(q.object))
            for q in ox.parse(content, format=getattr(ox.RdfFormat, oxigraph_format))
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
    """Stable blank-node labels: a hash of the file's name and content, and the order of first appearance.

    The same file always gives the same labels, wherever it sits, so outputs need no
    canonicalisation; files that differ never share a label (only byte-identical copies of
    one file would, and merging those changes nothing).
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
    :func:`calcinosis_kg.convert.to_graph` turns quads into an rdflib graph. The user's tables
    are checked with the kb tables (their claims may use kb entities) even when ``kb=False``.
    """
    parts = {"ontology": parse_quads(ontology_file())}
    files = expand_paths(data)
    tables = [path for path in files if path.suffix == TABLE_SUFFIX]
    if kb or tables:
        compiled = compile_tables(kb_files(), tables, ontology=parts["ontology"])
        if kb:
            parts["kb"] = compiled.kb
    if data:
        rdf = [q for path in files if path.suffix != TABLE_SUFFIX for q in parse_quads(path)]
        parts["data"] = [*compiled.data, *rdf] if tables else rdf
    return parts


def load_graph(*data: str | Path, kb: bool = True) -> Graph:
    """Load the ontology, the knowledge base (unless ``kb=False``) and extra files or folders."""
    return to_graph(q for found in load_parts(*data, kb=kb).values() for q in found)


def _describe_parse_error(path: Path, exc: Exception) -> str:
    why = getattr(exc, "_why", None) or str(exc).strip().splitlines()[-1]
    line = getattr(exc, "lines", None)
    offset = getattr(exc, "_i", None)
    if line is None or offset is None:
        return f"{path}: cannot parse: {why}"
    text = path.read_bytes()
    column = offset - text.rfind(b"\n", 0, offset)
    return f"{path}:{line + 1}:{column}: syntax error: {why}"
