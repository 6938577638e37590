"""The read-only SPARQL 1.1 Protocol endpoint (Starlette): ``/sparql``, a page at ``/``, ``/status``,
the release's documentation at ``/docs/``.

Also: ``GET /queries`` (the canned queries and their parameters, JSON), ``GET /queries/{name}``
(a canned query run with its parameters bound, answered as ``/sparql`` answers) and
``/queries/{name}.rq`` (its text), ``GET /names`` (the labels and synonyms an entity parameter
accepts), and a page per resource of the graph, ``/entity/{id}``, ``/ontology/{name}``,
``/source/{id}``, ``/claim/{id}``, ... and ``/ontology``: HTML for a browser, Turtle, N-Triples,
JSON-LD or RDF/XML by ``Accept``, ``?format=`` or a suffix (``/entity/warfarin.ttl``); 404 with
a page for an unknown one.

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
import json
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..sparql.catalog import load_query
from ..sparql.guard import MAX_QUERY_BYTES
from ..sparql.lookup import NAMES_QUERY
from ..sparql.terms import Term
from . import pages
from .entity import ONTOLOGY_IRI, bound, describe, page_iri
from .pool import Busy, Disconnected, TimeLimit, WorkerDied, WorkerPool
from .worker import JSON, Answer, Bound, Canned

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

    by_name = {spec["name"]: spec for spec in queries or []}

    async def ask(request: Request, query: str | Canned | Bound, accept: list[str], dataset=None) -> Response:
        try:
            answer = await pool.run(query, accept, request.is_disconnected, dataset)
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
        return _AnswerResponse(answer, headers)

    async def sparql(request: Request) -> Response:
        if request.method == "GET" and not request.query_params:
            return _description(str(request.url), accepted(request.headers.get("accept")))
        query, dataset, refusal = await _read_query(request, request_seconds)
        if refusal is not None:
            return refusal
        return await ask(request, query, accepted(request.headers.get("accept")), dataset)

    async def home(request: Request) -> Response:
        limits = f"{pool.max_rows} rows, {pool.time_limit:g} s per query, {pool.size} at once"
        return _html(pages.query_page(list(by_name.values()), _root(request), limits))

    async def catalog(request: Request) -> Response:
        return JSONResponse([_listing(spec) for spec in by_name.values()])

    async def canned(request: Request) -> Response:
        name = request.path_params["name"]
        if name.endswith(".rq") and name[:-3] in by_name:
            return PlainTextResponse(load_query(name[:-3]).text, media_type="application/sparql-query")
        if name not in by_name:
            return _text(404, f"no canned query named {name!r}; GET /queries lists them.")
        if len(request.scope.get("query_string", b"")) > MAX_URL_BYTES:
            return _text(414, f"the URL is too long (at most {MAX_URL_BYTES:,} bytes).")
        params = {key: ", ".join(request.query_params.getlist(key)) for key in request.query_params}
        return await ask(request, Canned(name, params), accepted(request.headers.get("accept")))

    async def names(request: Request) -> Response:
        return await ask(request, NAMES_QUERY, [JSON])

    async def resource(request: Request) -> Response:
        given = request.path_params
        if "kind" in given:  # /{kind}/{ident}, with a suffix or not
            ident, suffix = _split_suffix(given["ident"])
            iri, path = page_iri(given["kind"], ident), f"{given['kind']}/{ident}"
        else:  # /ontology, /ontology.ttl, ...
            suffix, path = given.get("suffix"), "ontology"
            iri = ONTOLOGY_IRI if suffix is None or suffix in _FORMAT_NAMES else None
        media = _page_type(request, suffix)
        root = _root(request)
        if media is None:
            return _text(406, "not acceptable; a resource is served as text/html, " + ", ".join(_RDF_TYPES))
        if iri is None:
            return _html(pages.not_found_page(request.url.path, root), 404)
        if media != "text/html":
            return await _rdf(iri, media, ask, request)

        async def one(query: Bound) -> Answer:
            response = await ask(request, query, [JSON])
            if not isinstance(response, _AnswerResponse) or response.answer.status != 200:
                raise _Failed(response)
            return response.answer

        try:
            found = await describe(iri, one)
        except _Failed as failed:
            return failed.response
        if found is None:
            return _html(pages.not_found_page(iri, root), 404)
        return _html(pages.entity_page(found, root, path))

    async def status(request: Request) -> Response:
        return JSONResponse(
            {"workers": pool.workers, "idle": pool.idle, "waiting": pool.waiting, "killed": pool.killed}
        )

    async def not_found(request: Request, exc: Exception) -> Response:
        if _page_type(request, None) == "text/html":
            return _html(pages.not_found_page(request.url.path, _root(request)), 404)
        return _text(404, f"nothing at {request.url.path}; the query page is at /.")

    app = Starlette(
        exception_handlers={404: not_found},
        routes=[
            Route("/", home),
            Route("/sparql", sparql, methods=["GET", "POST"]),
            Route("/status", status),
            *_docs_route(Path(dataset).parent / "docs"),
            Route("/queries", catalog),
            Route("/queries/{name:path}", canned),
            Route("/names", names),
            Mount("/static", StaticFiles(packages=[(__package__, "static")]), name="static"),
            Route("/ontology", resource),
            Route("/ontology.{suffix}", resource),
            Route("/{kind}/{ident}", resource),
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


class _AnswerResponse(Response):
    """The HTTP response of a worker's answer, which keeps the answer for the pages."""

    def __init__(self, answer: Answer, headers: dict[str, str]):
        super().__init__(answer.body, answer.status, headers, answer.media_type)
        self.answer = answer


class _Failed(Exception):
    """A query of a page did not answer; ``response`` says why."""

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response


#: the content security policy of the pages: nothing is loaded or sent anywhere but here
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'self'"
)
_RDF_TYPES = {media: suffix for suffix, (media, _) in pages.RDF_FORMATS.items()}
_FORMAT_NAMES = {
    **{suffix: media for suffix, (media, _) in pages.RDF_FORMATS.items()},
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "html": "text/html",
}


def _html(text: str, status: int = 200) -> Response:
    return HTMLResponse(text, status_code=status, headers={"Content-Security-Policy": _CSP, "Vary": "Accept"})


def _root(request: Request) -> str:
    """The path of the server's root, ending in a slash (``/``, or the mount point behind a proxy)."""
    return request.scope.get("root_path", "").rstrip("/") + "/"


def _listing(spec: dict) -> dict:
    """A canned query as ``GET /queries`` lists it."""
    keys = ("name", "summary", "description", "params", "example")
    return {key: spec[key] for key in keys if key in spec}


def _split_suffix(ident: str) -> tuple[str, str | None]:
    """``warfarin.ttl`` -> ``("warfarin", "ttl")``; an id without a known suffix stays whole.

    >>> _split_suffix("warfarin.jsonld"), _split_suffix(".nt"), _split_suffix("vitamin-d")
    (('warfarin', 'jsonld'), ('', 'nt'), ('vitamin-d', None))
    """
    stem, dot, suffix = ident.rpartition(".")
    if dot and suffix in _FORMAT_NAMES:
        return stem, suffix
    return ident, None


def _page_type(request: Request, suffix: str | None) -> str | None:
    """The media type to answer a resource in: a suffix, ``?format=``, then the ``Accept`` header
    (HTML when a browser asks for it; Turtle for a client that takes anything)."""
    chosen = suffix or request.query_params.get("format")
    if chosen:
        return _FORMAT_NAMES.get(chosen.lower())
    for media in accepted(request.headers.get("accept")) or ["*/*"]:
        if media in ("text/html", "application/xhtml+xml"):
            return "text/html"
        if media in _RDF_TYPES:
            return media
        if media in ("*/*", "text/*", "application/*"):
            return "text/turtle"
    return None


async def _rdf(iri: str, media: str, ask, request: Request) -> Response:
    """The resource ``iri`` as RDF in ``media``: the ontology file for the ontology, else its
    description (its statements, its claims and their evidence); 404 if the graph has none."""
    if iri == ONTOLOGY_IRI:
        return await asyncio.to_thread(_ontology, media)
    exists = await ask(request, Bound("ASK { ?iri ?p ?o }", {"iri": Term.iri(iri)}), [JSON])
    if not isinstance(exists, _AnswerResponse) or exists.answer.status != 200:
        return exists
    if not json.loads(exists.answer.body)["boolean"]:
        return _text(404, f"the knowledge graph has nothing about <{iri}>.")
    return await ask(request, bound("description", iri), [media])


def _ontology(media: str) -> Response:
    import pyoxigraph as ox

    from ..resources import ontology_file
    from .worker import GRAPH_TYPES

    if media == "text/turtle":
        body = ontology_file().read_bytes()
    else:
        triples = ox.parse(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
        body = ox.serialize(triples, format=GRAPH_TYPES[media]) or b""
    return Response(body, media_type=media, headers={"Vary": "Accept"})
