"""Strict loading of the ontology, the knowledge base and the user's own files.

The knowledge base is compiled from its curation tables (:mod:`calcinosis_kg.curation`); a
user's ``.tsv`` files are curation tables too, compiled with them, and other files are RDF,
read by Oxigraph's strict parsers: nothing is fetched and no other file is opened.

>>> g = load_graph()
>>> len(g) > 1000
True
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .convert import to_graph
from .curation import compile_tables
from .errors import InputError, InvalidDataError
from .namespaces import GRAPHS
from .resources import kb_files, ontology_file

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LITERAL_CHARS",
    "expand_paths",
    "load_graph",
    "load_parts",
    "load_store",
    "parse_file",
    "parse_quads",
]

#: the RDF formats read, by file suffix
FORMATS = {
    ".ttl": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
    ".n3": "N3",
}
RDF_SUFFIXES = tuple(FORMATS)
TABLE_SUFFIX = ".tsv"
#: the largest RDF file read, in bytes (``CALCINOSIS_KG_MAX_FILE_MB`` changes it)
MAX_FILE_BYTES = int(os.environ.get("CALCINOSIS_KG_MAX_FILE_MB", "1024")) * 2**20
#: the longest literal accepted, in characters
MAX_LITERAL_CHARS = 2**20

log = logging.getLogger("calcinosis_kg")
_BOM = b"\xef\xbb\xbf"
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s>]+)\s+(SYSTEM|PUBLIC|\"[^\"]*\"|'[^']*')")


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
    """Parse one RDF file into ``graph``; a syntax error names the file, line and column."""
    return to_graph(parse_quads(path), graph)


def parse_quads(path: Path, base_iri: str | None = None) -> list[ox.Quad]:
    """The triples of one RDF file as pyoxigraph quads in the default graph.

    Relative IRIs are resolved against ``base_iri``; without one they are an error.

    Refused with an error that names the file (and the line where it can be known): an
    unknown format, a file over :data:`MAX_FILE_BYTES`, a literal over
    :data:`MAX_LITERAL_CHARS`, XML entities that refer to other entities or to the outside, a
    remote JSON-LD context, N3 formulae and variables, RDF 1.2 triple terms. Graph names
    (N-Quads, TriG, JSON-LD) are dropped with a warning, and so is an empty file. A UTF-8
    byte order mark is skipped. Blank nodes get stable labels, unique per file.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidDataError(
            f"{path}: unknown RDF format {path.suffix!r}; use one of {', '.join(FORMATS)} "
            "(TriX and other formats are not read: convert them to N-Quads)"
        )
    content = _read(path)
    if fmt == "RDF_XML":
        _check_entities(path, content)
    try:
        parsed = list(ox.parse(content, format=getattr(ox.RdfFormat, fmt), base_iri=base_iri))
    except SyntaxError as exc:
        raise InvalidDataError(_syntax_error(path, content, fmt, exc)) from None
    except (OSError, ValueError) as exc:
        raise InvalidDataError(f"{path}: cannot parse: {exc}") from None
    except MemoryError:
        raise InvalidDataError(f"{path}: not enough memory to parse {len(content):,} bytes") from None
    if not parsed:
        log.warning("%s: the file holds no triples", path)
    named = {quad.graph_name for quad in parsed} - {ox.DefaultGraph()}
    if named and fmt == "N3":
        raise InvalidDataError(
            f"{path}:{_position_of(content, b'{')}: N3 formulae ({{ ... }}) are quoted statements, "
            "not facts, and are not read"
        )
    if named:
        log.warning("%s: its %d graph names are dropped; their triples are read", path, len(named))
    # the salt is unique per file content: two files of one name keep their blank nodes apart
    blank = _BlankLabels(hashlib.sha1(path.name.encode() + b"\0" + content).hexdigest()[:12])
    return [
        ox.Quad(
            blank.of(_checked(path, content, q.subject)),
            q.predicate,
            blank.of(_checked(path, content, q.object)),
        )
        for q in parsed
    ]


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidDataError(
                f"{path}: {size:,} bytes is more than the {MAX_FILE_BYTES:,} read "
                "(set CALCINOSIS_KG_MAX_FILE_MB to read larger files)"
            )
        content = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return content[len(_BOM) :] if content.startswith(_BOM) else content


def _check_entities(path: Path, content: bytes) -> None:
    """Refuse XML entities that could expand without bound or read from outside the file."""
    for match in _ENTITY.finditer(content):
        where = _position_of(content, match.group(0))
        if match.group(1) or match.group(3) in (b"SYSTEM", b"PUBLIC"):
            raise InvalidDataError(f"{path}:{where}: external and parameter XML entities are not read")
        if b"&" in match.group(3):
            name = match.group(2).decode(errors="replace")
            raise InvalidDataError(
                f"{path}:{where}: the XML entity {name!r} refers to other entities; "
                "nested entities are refused (they can expand without bound)"
            )


def _checked(path: Path, content: bytes, term):
    """``term``, if it is a term rdflib and the stores can hold."""
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return term
    if isinstance(term, ox.Literal):
        if len(term.value) > MAX_LITERAL_CHARS:
            raise InvalidDataError(
                f"{path}: a literal of {len(term.value):,} characters; at most {MAX_LITERAL_CHARS:,} are read"
            )
        return term
    if isinstance(term, ox.Triple):
        raise InvalidDataError(
            f"{path}:{_position_of(content, b'<<')}: RDF 1.2 triple terms (<<( ... )>>) are not supported"
        )
    raise InvalidDataError(f"{path}: {term} is not an RDF term (N3 variables are not read)")


def _position_of(content: bytes, needle: bytes) -> str:
    """``LINE:COLUMN`` (from 1) of the first ``needle`` in ``content``."""
    at = max(content.find(needle), 0)
    line, line_start = content.count(b"\n", 0, at) + 1, content.rfind(b"\n", 0, at) + 1
    return f"{line}:{at - line_start + 1}"


def _syntax_error(path: Path, content: bytes, fmt: str, exc: SyntaxError) -> str:
    reason = str(exc.msg).split(": ", 1)[-1]
    if exc.lineno is not None:
        return f"{path}:{exc.lineno}:{exc.offset}: syntax error: {reason}"
    if "LoadDocumentCallback" in reason:
        return f"{path}: a remote JSON-LD @context is not fetched; put the context in the file"
    return f"{path}:{_stopped_at(content, fmt)}: syntax error: {reason}"


def _stopped_at(content: bytes, fmt: str) -> str:
    """Where parsing failed, for parsers that give no position (RDF/XML, JSON-LD).

    An XML well-formedness error is placed exactly by the XML parser; any other error on the
    line the parser had reached when it was fed one line at a time.
    """
    if fmt == "RDF_XML":
        from xml.parsers import expat

        try:
            expat.ParserCreate().Parse(content, True)
        except expat.ExpatError as exc:
            return f"{exc.lineno}:{exc.offset + 1}"
    reader = _LineReader(content)
    with contextlib.suppress(SyntaxError, OSError, ValueError):
        for _ in ox.parse(io.BufferedReader(reader, 1), format=getattr(ox.RdfFormat, fmt)):
            pass
    return f"{reader.lines}:1"


class _LineReader(io.RawIOBase):
    """Hands a parser one line per read, and counts the lines it has taken."""

    def __init__(self, content: bytes):
        self.rest, self.lines = io.BytesIO(content), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        line = self.rest.readline(len(buffer))
        self.lines += bool(line)
        buffer[: len(line)] = line
        return len(line)


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


def load_store(*data: str | Path, kb: bool = True) -> ox.Store:
    """Load the ontology, the knowledge base (unless ``kb=False``) and the user's files into one
    store, each part in its named graph: ``GRAPHS["ontology"]``, ``["kb"]`` and ``["data"]``
    (only with ``data``). The user's tables are checked with the kb tables (their claims may use
    kb entities) even when ``kb=False``.

    >>> store = load_store()
    >>> sorted(str(g) for g in store.named_graphs())[0]
    '<https://w3id.org/calcinosis-kg/graph/kb>'
    """
    store = ox.Store()
    ontology = parse_quads(ontology_file())
    _add(store, GRAPHS["ontology"], ontology)
    files = expand_paths(data)
    tables = [path for path in files if path.suffix == TABLE_SUFFIX]
    if kb or tables:
        compiled = compile_tables(kb_files(), tables, ontology=ontology)
        if kb:
            _add(store, GRAPHS["kb"], compiled.kb)
    if data:
        graph = ox.NamedNode(GRAPHS["data"])
        store.add_graph(graph)
        if tables:
            _add(store, GRAPHS["data"], compiled.data)
        for path in files:
            if path.suffix != TABLE_SUFFIX:
                _load_file(store, path, graph)
    return store


def _add(store: ox.Store, name: str, found: list[ox.Quad]) -> None:
    graph = ox.NamedNode(name)
    store.add_graph(graph)
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in found)


def _load_file(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    """Load one RDF file into ``graph``: by Oxigraph straight from the file when it needs none of
    the checks and relabelling of :func:`parse_quads`, else through it."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt in _DIRECT and path.stat().st_size >= _DIRECT_BYTES:
        content = _read(path)
        if _direct(content, fmt):
            with contextlib.suppress(SyntaxError, OSError, ValueError):  # parse_quads words the error
                store.load(content, format=getattr(ox.RdfFormat, fmt), to_graph=graph)
                return
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in parse_quads(path))


_DIRECT = ("N_TRIPLES", "TURTLE")
_DIRECT_BYTES = 2**20  # smaller files gain nothing from it


def _direct(content: bytes, fmt: str) -> bool:
    """True when ``content`` (N-Triples or Turtle) can hold no blank node (whose labels
    :func:`parse_quads` makes stable), no triple term, no literal over :data:`MAX_LITERAL_CHARS`
    (each literal within a line shorter than that)."""
    if b"_:" in content or b"<<" in content:
        return False
    if fmt == "TURTLE" and any(mark in content for mark in (b"[", b"(", b'"""', b"'''")):
        return False
    return max(map(len, content.split(b"\n"))) <= MAX_LITERAL_CHARS


def load_parts(*data: str | Path, kb: bool = True) -> dict[str, list[ox.Quad]]:
    """The parts of :func:`load_store`, each as its quads in the default graph.

    The keys are ``ontology``, ``kb`` (unless ``kb=False``) and ``data`` (only with ``data``);
    :func:`calcinosis_kg.convert.to_graph` turns quads into an rdflib graph.
    """
    store = load_store(*data, kb=kb)
    return {
        name: [
            ox.Quad(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        ]
        for name, graph in ((n, ox.NamedNode(GRAPHS[n])) for n in ("ontology", "kb", "data"))
        if store.contains_named_graph(graph)
    }


def load_graph(*data: str | Path, kb: bool = True) -> Graph:
    """Load the ontology, the knowledge base (unless ``kb=False``) and extra files or folders."""
    return to_graph(q for found in load_parts(*data, kb=kb).values() for q in found)
