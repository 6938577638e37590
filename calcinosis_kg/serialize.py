"""Deterministic serialization with Oxigraph's writers, and atomic writing.

The same graph always gives the same bytes: triples are written in sorted order, and blank nodes
keep the stable labels the loader gives them, or get RDFC-1.0 canonical labels
(``canonical=True``) when they come from elsewhere (a parser that invents labels, pyshacl's
report).

>>> from rdflib import Graph
>>> g = Graph().parse(data="<urn:b> <urn:p> [ <urn:q> 1 ] . <urn:a> <urn:p> 2 .", format="turtle")
>>> to_bytes(g, "nt", canonical=True) == to_bytes(Graph() + g, "nt", canonical=True)
True
>>> print(to_bytes(g, "nt", canonical=True).decode().splitlines()[0])
<urn:a> <urn:p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .convert import quads, to_graph
from .errors import InputError
from .namespaces import PREFIXES


def merged(graphs: dict[str, Graph]) -> Graph:
    """The union of ``graphs``."""
    out = Graph()
    for graph in graphs.values():
        out += graph
    return out


__all__ = [
    "FORMATS",
    "canonical",
    "canonical_quads",
    "canonical_turtle",
    "dataset_to_bytes",
    "in_graph",
    "join_lines",
    "merge_lines",
    "merged",
    "sorted_lines",
    "to_bytes",
    "turtle_of_lines",
    "write_atomic",
    "write_folder",
    "write_quads",
]

#: The formats written here: rdflib's name for each, and Oxigraph's.
FORMATS = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "turtle": ox.RdfFormat.TURTLE,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
#: The prefixes Turtle and TriG output may declare (only those the data uses are written).
KNOWN_PREFIXES = {name: str(namespace) for name, namespace in PREFIXES.items()}


def canonical(graph: Graph, prefix: str = "") -> Graph:
    """A copy of ``graph`` whose blank nodes carry RDFC-1.0 canonical labels (after ``prefix``).

    The labels follow from what the blank nodes say, not from the labels a parser made up.
    """
    return _bind(to_graph(canonical_quads(graph, prefix=prefix)), graph)


def canonical_turtle(graph: Graph) -> str:
    """The canonical text of the project's Turtle files (``ontology/*.ttl``): rdflib's
    ``longturtle`` of the graph with RDFC-1.0 blank-node labels, which fix the order of the blank
    nodes; only the prefixes the triples use are declared. Comments are not kept.

    >>> g = Graph().parse(data="<urn:b> <urn:p> [ <urn:q> 1 ] , [ <urn:q> 2 ] .", format="turtle")
    >>> canonical_turtle(g) == canonical_turtle(Graph().parse(data=canonical_turtle(g), format="turtle"))
    True
    """
    return canonical(graph).serialize(format="longturtle")


def canonical_quads(graph: Graph, name: URIRef | None = None, prefix: str = "") -> list[ox.Quad]:
    """The quads of ``graph`` (in the graph ``name``) with RDFC-1.0 blank-node labels after ``prefix``."""
    found = quads(graph, name)
    if any(isinstance(term, ox.BlankNode) for quad in found for term in (quad.subject, quad.object)):
        dataset = ox.Dataset(found)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        found = [
            ox.Quad(_prefixed(q.subject, prefix), q.predicate, _prefixed(q.object, prefix), q.graph_name)
            for q in dataset
        ]
    return found


def write_quads(found: list[ox.Quad], fmt: str, prefixes: Mapping[str, str] = KNOWN_PREFIXES) -> bytes:
    """Serialize quads in ``fmt`` deterministically: in sorted order, each triple once.

    ``nt`` and ``turtle`` drop the graph names; ``turtle`` and ``trig`` declare those of
    ``prefixes`` that the data uses. Turtle is written in the order of the sorted N-Triples lines.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "trig":
        ordered = sorted(set(found), key=lambda quad: (str(quad.graph_name), str(quad)))
        return _serialize(ordered, FORMATS[fmt], _used(prefixes, ordered))
    items: list = [quad.triple for quad in found] if fmt != "nquads" else found
    lines = sorted_lines(items, "nquads" if fmt == "nquads" else "nt")
    return turtle_of_lines(lines, prefixes) if fmt == "turtle" else join_lines(lines)


def sorted_lines(found: Iterable, fmt: str = "nt") -> list[bytes]:
    """The lines of ``found`` (triples, or quads in the default graph) in ``fmt`` (``nt`` or
    ``nquads``), serialized once, in byte order, each once.

    >>> sorted_lines([ox.Triple(ox.NamedNode("urn:b"), ox.NamedNode("urn:p"), ox.Literal("1"))] * 2)
    [b'<urn:b> <urn:p> "1" .']
    """
    return sorted(set(_serialize(found, FORMATS[fmt]).splitlines()) - {b""})


def in_graph(text: bytes, name: str) -> bytes:
    r"""N-Triples text as the N-Quads text of the graph ``name``: its IRI goes before the final
    dot of each line (the only `` .`` before a line break: N-Triples escapes line breaks).

    >>> in_graph(b'<urn:a> <urn:p> "1 .\\n" .\n', "urn:g")
    b'<urn:a> <urn:p> "1 .\\n" <urn:g> .\n'
    """
    return text.replace(b" .\n", b" <" + name.encode() + b"> .\n")


def merge_lines(*runs: list[bytes]) -> list[bytes]:
    """Lists of lines in byte order merged into one, in byte order, each line once.

    >>> merge_lines([b"a", b"c"], [b"b", b"c"])
    [b'a', b'b', b'c']
    """
    return list(dict.fromkeys(sorted(itertools.chain(*runs))))  # sorted runs: the sort merges them


def join_lines(lines: list[bytes]) -> bytes:
    """The text of N-Triples or N-Quads lines."""
    return b"\n".join(lines) + b"\n" if lines else b""


def turtle_of_lines(lines: list[bytes], prefixes: Mapping[str, str] = KNOWN_PREFIXES) -> bytes:
    """Turtle of N-Triples lines, in their order, declaring the ``prefixes`` whose namespace
    begins some IRI (written ``<namespace...`` in the lines)."""
    text = join_lines(lines)
    used = {p: str(ns) for p, ns in prefixes.items() if b"<" + str(ns).encode() in text}
    return _serialize(ox.parse(text, format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.TURTLE, used)


def _serialize(items: Iterable, fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    written = ox.serialize(items, format=fmt, prefixes=prefixes)
    assert written is not None  # Oxigraph returns the bytes when given no file to write
    return written


def to_bytes(graph: Graph, fmt: str, canonical: bool = False) -> bytes:
    """Serialize ``graph`` in ``fmt`` (``nt`` or ``turtle``) deterministically."""
    declared = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    found = canonical_quads(graph) if canonical else quads(graph)
    return write_quads(found, fmt, {**declared, **KNOWN_PREFIXES})


def dataset_to_bytes(graphs: Mapping[URIRef, Graph], fmt: str = "nquads", canonical: bool = False) -> bytes:
    """Serialize named graphs as one dataset (``nquads`` or ``trig``) deterministically.

    With ``canonical=True`` each graph's blank nodes get canonical labels prefixed by the
    graph's position, so that two graphs never share a label.
    """
    found: list[ox.Quad] = []
    for index, name in enumerate(sorted(graphs)):
        graph = graphs[name]
        found.extend(canonical_quads(graph, name, f"g{index}") if canonical else quads(graph, name))
    return write_quads(found, fmt)


def _prefixed(term, prefix: str):
    return ox.BlankNode(prefix + term.value) if prefix and isinstance(term, ox.BlankNode) else term


def _used(prefixes: Mapping[str, str], found: list) -> dict[str, str]:
    """The prefixes whose namespace starts an IRI of ``found``."""
    iris = set()
    for item in found:
        for t in (item.subject, item.predicate, item.object):
            if isinstance(t, ox.NamedNode):
                iris.add(t.value)
            elif isinstance(t, ox.Literal):
                iris.add(t.datatype.value)
    return {p: str(ns) for p, ns in prefixes.items() if any(iri.startswith(str(ns)) for iri in iris)}


def _bind(out: Graph, like: Graph) -> Graph:
    for prefix, namespace in like.namespaces():
        out.bind(prefix, namespace, replace=True)
    for prefix, known in PREFIXES.items():
        out.bind(prefix, known, replace=True)
    return out


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: the file every build folder holds, which marks a folder as one the build may replace
BUILD_MARKER = "build-info.json"


def write_folder(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Replace ``folder`` whole by one holding ``files`` (by path relative to it): the old folder
    or the new, never a mix.

    The files are written into a new sibling folder, which then takes the old one's place in
    one atomic exchange (Linux ``renameat2``; elsewhere two renames, between which the folder
    is briefly absent). Folders left by an interrupted write are removed first. A folder that
    is not empty and holds no :data:`BUILD_MARKER` is never replaced.
    """
    folder = Path(folder).absolute()
    folder.parent.mkdir(parents=True, exist_ok=True)
    if folder.is_dir() and any(folder.iterdir()) and not (folder / BUILD_MARKER).is_file():
        raise InputError(
            f"{folder} is not empty and holds no {BUILD_MARKER}, so it is not replaced: "
            "give a new or empty folder, or one a build wrote"
        )
    for stale in folder.parent.glob(f".{folder.name}.*.tmp"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        for name, data in files.items():  # a name may hold folders: docs/api/index.html
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        for path in [*sorted(staging.rglob("*"), reverse=True), staging]:  # on disk before it takes its place
            descriptor = os.open(path, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        if folder.exists() and _exchange(staging, folder):
            shutil.rmtree(staging)  # now the old folder
        else:
            if folder.exists():
                os.rename(folder, staging.with_suffix(".old.tmp"))
            os.rename(staging, folder)
            shutil.rmtree(staging.with_suffix(".old.tmp"), ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / name for name in files]


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False if unsupported."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_cwd, rename_exchange = -100, 2
    return libc.renameat2(at_cwd, bytes(first), at_cwd, bytes(second), rename_exchange) == 0
