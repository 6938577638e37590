"""Run SPARQL queries over the release with pyoxigraph and serialize the answers.

A worker process cuts itself off from the network and caps its memory before it loads the
dataset (default graph = union of the named graphs); then it answers one request at a time
over a pipe, checking each query with the guard first. The server kills it when a query runs
past its limit. A request is a SPARQL text, a :class:`Canned` query by name with the values
typed for its parameters (resolved and bound here, as on the command line), or a
:class:`Bound` text of the package with terms to bind (the entity pages).

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.NamedNode("urn:g")))
>>> answer = execute(store, "SELECT ?s WHERE { ?s ?p ?o }", ["text/csv"], max_rows=10)
>>> answer.media_type, answer.body, answer.truncated
('text/csv', b's\\r\\nurn:s\\r\\n', False)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox

from ..errors import QueryError
from ..namespaces import GRAPHS, PREFIXES
from ..sandbox import isolate, limit_memory
from ..sparql.catalog import load_query
from ..sparql.engines import OxigraphEngine
from ..sparql.guard import RefusedQuery, check_query, dataset_clauses
from ..sparql.results import QueryResult
from ..sparql.runner import run_spec
from ..sparql.terms import Term, from_oxigraph, to_oxigraph

__all__ = [
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "Answer",
    "Bound",
    "Canned",
    "Dataset",
    "answer_request",
    "execute",
    "execute_canned",
    "main",
]

#: the graphs a query may name (FROM, FROM NAMED, default-graph-uri, named-graph-uri)
KNOWN_GRAPHS = sorted(str(iri) for iri in GRAPHS.values())
_PREFIXES = {name: str(namespace) for name, namespace in PREFIXES.items()}
#: a dataset given with the protocol: default graph IRIs, named graph IRIs
Dataset = tuple[list[str], list[str]]

JSON, XML = "application/sparql-results+json", "application/sparql-results+xml"
RESULT_TYPES = {
    JSON: "json",
    "application/json": "json",
    XML: "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Canned:
    """A canned query by name and the values given for its parameters (labels, CURIEs, ...)."""

    name: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Bound:
    """A query text of the package and the RDF terms bound to its variables."""

    text: str
    bindings: dict[str, Term] = field(default_factory=dict)


@dataclass
class Answer:
    """A serialized answer: HTTP status, media type, body, and whether rows were cut off."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False


def execute(
    store: ox.Store,
    query: str,
    accept: list[str],
    max_rows: int,
    dataset: Dataset | None = None,
    bindings: dict[str, Term] | None = None,
) -> Answer:
    """Check and run ``query``, and serialize the answer in the first acceptable media type.

    The dataset is the one of the protocol (``dataset``: ``default-graph-uri`` and
    ``named-graph-uri``), else the query's ``FROM`` and ``FROM NAMED``, else the union of the
    named graphs as default graph; only the release's graphs may be named (400 otherwise).
    ``bindings`` are bound to the query's variables (pyoxigraph substitutions).
    An ``Accept`` header that names no type the answer can be written in gets 406.
    """
    try:
        check_query(query, dataset=True)
        chosen = dataset if dataset and (dataset[0] or dataset[1]) else dataset_clauses(query)
    except RefusedQuery as exc:
        return Answer(exc.status, "text/plain", f"{exc}\n".encode())
    unknown = sorted({iri for iris in chosen for iri in iris} - set(KNOWN_GRAPHS))
    if unknown:
        return Answer(
            400,
            "text/plain",
            f"unknown graph(s) {', '.join(f'<{i}>' for i in unknown)}; this endpoint holds "
            f"{', '.join(f'<{i}>' for i in KNOWN_GRAPHS)} (default graph: their union)\n".encode(),
        )
    kwargs: dict = {"use_default_graph_as_union": True}
    if chosen[0] or chosen[1]:
        kwargs = {
            "default_graph": [ox.NamedNode(iri) for iri in chosen[0]],
            "named_graphs": [ox.NamedNode(iri) for iri in chosen[1]],
        }
    if bindings:
        kwargs["substitutions"] = {ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()}
    try:
        answer = store.query(query, **kwargs)
    except SyntaxError as exc:
        return Answer(400, "text/plain", f"SPARQL syntax error: {exc}\n".encode())
    if isinstance(answer, ox.QueryTriples):
        media = _choose(accept, GRAPH_TYPES, "text/turtle")
        if media is None:
            return _not_acceptable(GRAPH_TYPES)
        triples = list(islice(answer, max_rows + 1))
        truncated = len(triples) > max_rows
        body = ox.serialize(triples[:max_rows], format=GRAPH_TYPES[media], prefixes=_PREFIXES) or b""
        if truncated and GRAPH_TYPES[media] in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
            body = f"# truncated: only the first {max_rows} triples\n".encode() + body
        return Answer(200, media, body, truncated)
    if isinstance(answer, ox.QueryBoolean):
        types = {k: v for k, v in RESULT_TYPES.items() if v in ("json", "xml")}
        media = _choose(accept, types, JSON)
        if media is None:
            return _not_acceptable(types)
        return Answer(200, media, QueryResult("ask", boolean=bool(answer)).serialize(types[media]).encode())
    types = RESULT_TYPES
    media = _choose(accept, types, JSON)
    if media is None:
        return _not_acceptable(types)
    result = QueryResult("select", [v.value for v in answer.variables])
    for solution in islice(answer, max_rows + 1):
        cells = ((c, from_oxigraph(solution[c])) for c in result.columns)
        result.rows.append({c: t for c, t in cells if t is not None})
    return _rows_answer(result, types[media], media, max_rows)


def answer_request(
    store: ox.Store, request: str | Canned | Bound, accept: list[str], max_rows: int, dataset: Dataset | None
) -> Answer:
    """Answer one request of the server: a SPARQL text, a :class:`Canned` or a :class:`Bound` query."""
    if isinstance(request, str):
        return execute(store, request, accept, max_rows, dataset)
    if isinstance(request, Bound):
        return execute(store, request.text, accept, max_rows, None, request.bindings)
    return execute_canned(store, request, accept, max_rows)


def execute_canned(store: ox.Store, request: Canned, accept: list[str], max_rows: int) -> Answer:
    """Run a canned query with its parameters bound; a bad value is a 400 that says why.

    >>> store = ox.Store()
    >>> execute_canned(store, Canned("search", {"txt": "a"}), [], 10).body[:33]
    b"unknown parameter 'txt' for query"
    """
    media = _choose(accept, RESULT_TYPES, JSON)
    if media is None:
        return _not_acceptable(RESULT_TYPES)
    try:
        spec = load_query(request.name)
        check_query(spec.text, dataset=True)
        result = run_spec(spec, OxigraphEngine.over(store), dict(request.params), max_rows + 1)
    except QueryError as exc:  # a refusal (RefusedQuery) carries its own status
        return Answer(getattr(exc, "status", 400), "text/plain", f"{exc}\n".encode())
    return _rows_answer(result, RESULT_TYPES[media], media, max_rows)


def _rows_answer(result: QueryResult, fmt: str, media: str, max_rows: int) -> Answer:
    """The answer of ``result`` (read to ``max_rows`` + 1 rows) cut to ``max_rows``, in ``fmt``."""
    result.truncated = len(result.rows) > max_rows
    del result.rows[max_rows:]
    return Answer(200, media, result.serialize(fmt).encode(), result.truncated)


def main(conn, dataset: str, max_rows: int, max_memory: int | None = None) -> None:
    """Worker process: isolate, load ``dataset`` (N-Quads), say ``ready``, then answer requests."""
    os.environ["RUST_BACKTRACE"] = "0"
    isolate()
    limit_memory(max_memory)
    store = ox.Store()
    store.bulk_load(path=dataset, format=ox.RdfFormat.N_QUADS)
    conn.send(("ready", None))
    while True:
        try:
            request, accept, graphs = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = answer_request(store, request, accept, max_rows, graphs)
        except Exception as exc:  # an evaluation error is the client's answer, not the worker's end
            answer = Answer(400, "text/plain", f"query failed: {type(exc).__name__}: {exc}\n".encode())
        conn.send(("answer", answer))


def _choose(accept: list[str], supported: dict, default: str) -> str | None:
    """The first type of ``accept`` in ``supported``; ``default`` for a wildcard or no header."""
    if not accept:
        return default
    for media in accept:
        if media in supported:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None


def _not_acceptable(supported: dict) -> Answer:
    return Answer(
        406, "text/plain", f"not acceptable; this answer is served as: {', '.join(supported)}\n".encode()
    )
