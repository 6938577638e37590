"""Run SPARQL queries over the release with pyoxigraph and serialize the answers.

A worker process cuts itself off from the network and caps its memory before it loads the
dataset (default graph = union of the named graphs); then it answers one request at a time
over a pipe, checking each query with the guard first. The server kills it when a query runs
past its limit.

>>> import pyoxigraph as ox

from ..sparql.guard import RefusedQuery, check_query
from ..sandbox import isolate, limit_memory
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.NamedNode("urn:g")))
>>> answer = execute(store, "SELECT ?s WHERE { ?s ?p ?o }", ["text/csv"], max_rows=10)
>>> answer.media_type, answer.body, answer.truncated
('text/csv', b's\\r\\nurn:s\\r\\n', False)
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..sandbox import isolate, limit_memory
from ..sparql.guard import RefusedQuery, check_query

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "Answer", "execute", "main"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
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
}


@dataclass
class Answer:
    """A serialized answer: HTTP status, media type, body, and whether rows were cut off."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False


def execute(store: ox.Store, query: str, accept: list[str], max_rows: int) -> Answer:
    """Check and run ``query``, and serialize the answer in the first acceptable media type."""
    try:
        check_query(query)
    except RefusedQuery as exc:
        return Answer(exc.status, "text/plain", f"{exc}\n".encode())
    try:
        answer = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        return Answer(400, "text/plain", f"SPARQL syntax error: {exc}\n".encode())
    if isinstance(answer, ox.QueryBoolean):
        media = _choose(accept, RESULT_TYPES, JSON, exclude=("text/csv", "text/tab-separated-values"))
        return Answer(200, media, _boolean(bool(answer), RESULT_TYPES[media]))
    if isinstance(answer, ox.QueryTriples):
        media = _choose(accept, GRAPH_TYPES, "text/turtle")
        triples = list(islice(answer, max_rows + 1))
        truncated = len(triples) > max_rows
        body = ox.serialize(triples[:max_rows], format=GRAPH_TYPES[media]) or b""
        if truncated and GRAPH_TYPES[media] in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
            body = f"# truncated: only the first {max_rows} triples\n".encode() + body
        return Answer(200, media, body, truncated)
    media = _choose(accept, RESULT_TYPES, JSON)
    names = [v.value for v in answer.variables]
    rows = list(islice(answer, max_rows + 1))
    truncated = len(rows) > max_rows
    rows = [[solution[name] for name in names] for solution in rows[:max_rows]]
    return Answer(200, media, _SOLUTIONS[RESULT_TYPES[media]](names, rows), truncated)


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
            query, accept = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = execute(store, query, accept, max_rows)
        except Exception as exc:  # an evaluation error is the client's answer, not the worker's end
            answer = Answer(400, "text/plain", f"query failed: {type(exc).__name__}: {exc}\n".encode())
        conn.send(("answer", answer))


def _choose(accept: list[str], supported: dict, default: str, exclude: tuple[str, ...] = ()) -> str:
    for media in accept:
        if media in supported and media not in exclude:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return default


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _json(names, rows) -> bytes:
    bindings = [{n: _json_term(t) for n, t in zip(names, row, strict=False) if t is not None} for row in rows]
    return json.dumps(
        {"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False
    ).encode()


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _xml(names, rows) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    out.append("</head>\n<results>")
    for row in rows:
        cells = [
            f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
            for n, t in zip(names, row, strict=False)
            if t is not None
        ]
        out.append("<result>" + "".join(cells) + "</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode()


def _csv(names, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CRLF line ends
    writer.writerow(names)
    for row in rows:
        writer.writerow(
            ["" if t is None else f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value for t in row]
        )
    return out.getvalue().encode()


def _tsv(names, rows) -> bytes:
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _boolean(value: bool, kind: str) -> bytes:
    if kind == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


_SOLUTIONS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
