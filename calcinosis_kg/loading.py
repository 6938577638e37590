"""Strict loading of the ontology, the knowledge base and the user's own files.

>>> g = load_graph()
>>> len(g) > 1000
True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph
from rdflib.util import guess_format

from .errors import InputError, InvalidDataError
from .resources import kb_files, ontology_file

__all__ = ["expand_paths", "load_graph", "load_parts", "parse_file"]

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
    """Parse one RDF file into ``graph``; a syntax error names the file, line and column."""
    graph = Graph() if graph is None else graph
    fmt = guess_format(str(path)) or "turtle"
    try:
        graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds; all become one clear message
        raise InvalidDataError(_describe_parse_error(path, exc)) from exc
    return graph


def load_parts(*data: str | Path, kb: bool = True) -> dict[str, Graph]:
    """Load the ontology, the knowledge base and the user's files as separate graphs.

    The keys are ``ontology``, ``kb`` (unless ``kb=False``) and ``data`` (only with ``data``).
    """
    sources = {"ontology": [ontology_file()]}
    if kb:
        sources["kb"] = kb_files()
    if data:
        sources["data"] = expand_paths(data)
    parts = {}
    for name, files in sources.items():
        graph = Graph()
        for path in files:
            parse_file(path, graph)
        parts[name] = graph
    return parts


def load_graph(*data: str | Path, kb: bool = True) -> Graph:
    """Load the ontology, the knowledge base (unless ``kb=False``) and extra files or folders."""
    graph = Graph()
    for part in load_parts(*data, kb=kb).values():
        for prefix, namespace in part.namespaces():
            graph.bind(prefix, namespace, replace=True)
        graph += part
    return graph


def _describe_parse_error(path: Path, exc: Exception) -> str:
    why = getattr(exc, "_why", None) or str(exc).strip().splitlines()[-1]
    line = getattr(exc, "lines", None)
    offset = getattr(exc, "_i", None)
    if line is None or offset is None:
        return f"{path}: cannot parse: {why}"
    text = path.read_bytes()
    column = offset - text.rfind(b"\n", 0, offset)
    return f"{path}:{line + 1}:{column}: syntax error: {why}"
