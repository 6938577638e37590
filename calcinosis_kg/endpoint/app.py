"""The read-only SPARQL 1.1 Protocol endpoint (Starlette): ``/sparql``, a page at ``/``, ``/status``,
the release's documentation at ``/docs/``.

Refused with 4xx: updates (403), ``SERVICE`` (403), a graph the release does not hold in
``FROM`` / ``FROM NAMED`` / ``default-graph-uri`` / ``named-graph-uri`` (400; the release's
graphs are honoured), two queries in one request (400), bad syntax (400), a body over
``MAX_BODY_BYTES`` (413), a URL over ``MAX_URL_BYTES`` (414). ``GET /sparql`` without a query
answers the SPARQL 1.1 Service Description (Turtle, or RDF/XML when asked). Every answer
allows any origin (CORS), so a browser tool on another site can query it. The query is checked
(:func:`calcinosis_kg.sparql.guard.check_query`) and run in a worker process, inside its time
limit, never on the server's event loop.
Answers carry ``X-SPARQL-Max-Rows``, ``X-SPARQL-Truncated`` and ``X-SPARQL-Time-Limit``.
Too many queries at once: 503 with ``Retry-After``; past the time limit: 504.

>>> accepted("text/csv;q=0.5, application/sparql-results+json")
['application/sparql-results+json', 'text/csv']
"""

from __future__ import annotations

import asyncio
import contextlib
import html
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..sparql.guard import MAX_QUERY_BYTES
from .pool import Busy, Disconnected, TimeLimit, WorkerDied, WorkerPool

__all__ = ["MAX_BODY_BYTES", "MAX_URL_BYTES", "accepted", "create_app"]

_UPDATE_TYPES = ("application/sparql-update",)
#: the largest request body read (a query is at most :data:`MAX_QUERY_BYTES`, form-encoded)
MAX_BODY_BYTES = 3 * MAX_QUERY_BYTES + 4096
#: the longest query string of a GET request
MAX_URL_BYTES = 16 * 1024


def accepted(header: str | None) -> list[str]:
    """The media types of an ``Accept`` header, most preferred first."""
    ranked = []
    for index, part in enumerate((header or "").split(",")):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                with contextlib.suppress(ValueError):
                    quality = float(value)
        if media and quality > 0:
            ranked.append((-quality, index, media.strip().lower()))
    return [media for _, _, media in sorted(ranked)]


def create_app(
    dataset: str | Path, queries: list[dict] | None = None, request_seconds: float = 10.0, **pool_options
) -> Starlette:
    """The ASGI application over the N-Quads ``dataset``; ``queries`` fills the home page; a
    request body that takes longer than ``request_seconds`` to arrive gets 408."""
    pool = WorkerPool(dataset, **pool_options)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    async def sparql(request: Request) -> Response:
        if request.method == "GET" and not request.query_params:
            return _description(str(request.url), accepted(request.headers.get("accept")))
        query, dataset, refusal = await _read_query(request, request_seconds)
        if refusal is not None:
            return refusal
        try:
            answer = await pool.run(
                query, accepted(request.headers.get("accept")), request.is_disconnected, dataset
            )
        except Busy as exc:
            return _text(503, f"too many queries at once ({exc}); try again shortly.", {"Retry-After": "1"})
        except TimeLimit as exc:
            return _text(504, f"{exc}.")
        except Disconnected:
            return Response(status_code=499)
        except WorkerDied:
            limit = f" ({pool.max_memory // 2**20} MiB)" if pool.max_memory else ""
            return _text(
                500, f"the query stopped its worker: it needed more memory than a query may use{limit}."
            )
        headers = {
            "X-SPARQL-Max-Rows": str(pool.max_rows),
            "X-SPARQL-Truncated": "true" if answer.truncated else "false",
            "X-SPARQL-Time-Limit": f"{pool.time_limit:g}",
            "Vary": "Accept",
        }
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type, headers=headers)

    async def home(request: Request) -> Response:
        return HTMLResponse(_page(queries or [], pool))

    async def status(request: Request) -> Response:
        return JSONResponse(
            {"workers": pool.workers, "idle": pool.idle, "waiting": pool.waiting, "killed": pool.killed}
        )

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/sparql", sparql, methods=["GET", "POST"]),
            Route("/status", status),
            *_docs_route(Path(dataset).parent / "docs"),
        ],
        lifespan=lifespan,
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["*"],
                expose_headers=["X-SPARQL-Max-Rows", "X-SPARQL-Truncated", "X-SPARQL-Time-Limit"],
                max_age=600,
            )
        ],
    )
    app.state.pool = pool
    return app


def _docs_route(folder: Path) -> list[Mount]:
    """``/docs/``: the release's documentation (ontology pages, model picture, API), when built."""
    return [Mount("/docs", app=StaticFiles(directory=folder, html=True))] if folder.is_dir() else []


async def _read_query(
    request: Request, seconds: float
) -> tuple[str, tuple[list[str], list[str]], Response | None]:
    """The query text and protocol dataset of a request, or the response refusing it."""
    none: tuple[list[str], list[str]] = ([], [])
    if len(request.scope.get("query_string", b"")) > MAX_URL_BYTES:
        return (
            "",
            none,
            _text(414, f"the URL is too long (at most {MAX_URL_BYTES:,} bytes); POST the query instead."),
        )
    params = {key: request.query_params.getlist(key) for key in request.query_params}
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind in _UPDATE_TYPES:
            return "", none, _text(403, "updates are not allowed: this endpoint is read-only.")
        if kind not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            return (
                "",
                none,
                _text(415, "POST a query as application/sparql-query or as a urlencoded form with 'query'."),
            )
        try:
            body = await asyncio.wait_for(_body(request), seconds)
        except asyncio.TimeoutError:
            return "", none, _text(408, f"the request body did not arrive within {seconds:g} s.")
        if body is None:
            return "", none, _text(413, f"the request body is too large (at most {MAX_BODY_BYTES:,} bytes).")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return "", none, _text(400, "the request body is not UTF-8.")
        if kind == "application/sparql-query":
            params.setdefault("query", []).append(text)
        else:
            for key, values in parse_qs(text, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
    if "update" in params:
        return "", none, _text(403, "updates are not allowed: this endpoint is read-only.")
    queries = params.get("query") or []
    if len(queries) > 1:
        return "", none, _text(400, "send one query per request (this one has several 'query' values).")
    if not queries or not queries[0]:
        return "", none, _text(400, "no query: send ?query=... (GET) or POST one.")
    return queries[0], (params.get("default-graph-uri", []), params.get("named-graph-uri", [])), None


_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"


def _description(url: str, accept: list[str]) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in Turtle or RDF/XML."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF

    from ..namespaces import GRAPHS

    sd, formats = Namespace(_SD), Namespace(_FORMATS)
    graph, service, dataset, default = Graph(), URIRef(url.split("?")[0]), BNode(), BNode()
    graph.bind("sd", sd)
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, service))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    graph.add((service, sd.feature, sd.UnionDefaultGraph))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ):
        graph.add((service, sd.resultFormat, formats[name]))
    graph.add(
        (service, DCTERMS.description, Literal("calcinosis-kg: read-only SPARQL 1.1 endpoint", lang="en"))
    )
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    for iri in sorted(GRAPHS.values()):
        named = BNode()
        graph.add((dataset, sd.namedGraph, named))
        graph.add((named, RDF.type, sd.NamedGraph))
        graph.add((named, sd.name, iri))
    xml = next((m for m in accept if m in ("application/rdf+xml", "text/turtle", "*/*")), "text/turtle")
    if xml == "application/rdf+xml":
        return Response(graph.serialize(format="xml"), media_type=xml, headers={"Vary": "Accept"})
    return Response(graph.serialize(format="turtle"), media_type="text/turtle", headers={"Vary": "Accept"})


async def _body(request: Request) -> bytes | None:
    """The request body, or None as soon as it grows past :data:`MAX_BODY_BYTES`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _page(queries: list[dict], pool: WorkerPool) -> str:
    rows = []
    for spec in queries:
        params = spec.get("params") or []
        described = ", ".join(
            html.escape(str(p.get("name", p)) if isinstance(p, dict) else str(p))
            + (
                f" (default {html.escape(str(p['default']))})"
                if isinstance(p, dict) and "default" in p
                else ""
            )
            for p in params
        )
        rows.append(
            f"<tr><td><code>{html.escape(spec['name'])}</code></td>"
            f"<td>{html.escape(str(spec.get('summary', '')))}</td><td>{described or '-'}</td></tr>"
        )
    return _PAGE.format(
        rows="\n".join(rows),
        limits=f"{pool.max_rows} rows, {pool.time_limit:g} s per query, {pool.size} at once",
    )


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>calcinosis-kg SPARQL endpoint</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}textarea{{width:100%}}
td{{padding:.2em .6em;vertical-align:top}}</style></head>
<body><h1>calcinosis-kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the reasoned graph (default graph = union of the named graphs)
at <code>/sparql</code>. Limits: {limits}.</p>
<form action="sparql" method="get">
<textarea name="query" rows="10">SELECT ?class ?label WHERE {{
  ?class a &lt;http://www.w3.org/2002/07/owl#Class&gt; ;
         &lt;http://www.w3.org/2000/01/rdf-schema#label&gt; ?label .
}} LIMIT 20</textarea>
<p><button type="submit">Run</button></p></form>
<h2>Canned queries</h2>
<p>Run them with <code>calcinosis-kg query NAME --endpoint URL/sparql</code>.</p>
<table><tr><th>name</th><th>what it answers</th><th>parameters</th></tr>
{rows}
</table></body></html>
"""
