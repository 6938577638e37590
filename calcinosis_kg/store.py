"""Load the release into a triplestore over the SPARQL 1.1 Graph Store HTTP Protocol.

Each target graph is first uploaded to a staging graph and read back (every triple compared);
then all targets are replaced in one SPARQL Update request (``MOVE``) when the store has an
update endpoint, else by ``PUT`` (which replaces a graph); the targets are read back and the
staging graphs removed. Blank nodes are skolemized to stable IRIs
(``https://w3id.org/calcinosis-kg/.well-known/genid/...``) so a second load gives the same graph.

>>> endpoints("oxigraph", "http://127.0.0.1:7878").gsp
'http://127.0.0.1:7878/store'
>>> endpoints("graphdb", "http://localhost:7200/repositories/ckg").update
'http://localhost:7200/repositories/ckg/statements'
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .convert import quads, to_graph
from .errors import CalcinosisKGError, LoadError, StoreError
from .export import merged, read_release
from .namespaces import BASE, GRAPHS
from .serialize import to_bytes

if TYPE_CHECKING:
    import httpx

__all__ = [
    "GENID",
    "PRESETS",
    "Endpoints",
    "LoadReport",
    "Loader",
    "endpoints",
    "password_from_env",
    "payload",
    "skolemized",
    "targets",
]

log = logging.getLogger("calcinosis_kg")

GENID = BASE + ".well-known/genid/"
STAGING = BASE + "graph/staging/"
_STAGING_QUERY = (
    f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}'
)
DEFAULT = "default"
OK_STATUS = {200, 201, 204}
NTRIPLES = "application/n-triples"
_PARSERS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class Endpoints:
    """Where a store takes Graph Store requests, queries and updates, and how it authenticates."""

    gsp: str
    query: str | None = None
    update: str | None = None
    auth: str = "basic"


#: Store presets: the base URL each expects and how the other URLs derive from it.
PRESETS = {
    "oxigraph": ("http://HOST:7878", lambda b: Endpoints(f"{b}/store", f"{b}/query", f"{b}/update")),
    "fuseki": ("http://HOST:3030/DATASET", lambda b: Endpoints(f"{b}/data", f"{b}/query", f"{b}/update")),
    "virtuoso": (
        "http://HOST:8890",
        lambda b: Endpoints(f"{b}/sparql-graph-crud-auth", f"{b}/sparql", f"{b}/sparql-auth", "digest"),
    ),
    "graphdb": (
        "http://HOST:7200/repositories/ID",
        lambda b: Endpoints(f"{b}/rdf-graphs/service", b, f"{b}/statements"),
    ),
}


def endpoints(
    store: str | None,
    base: str | None = None,
    gsp: str | None = None,
    query: str | None = None,
    update: str | None = None,
    auth: str | None = None,
) -> Endpoints:
    """The URLs of a store from a preset and its base URL; explicit URLs override the preset."""
    if store is not None:
        if store not in PRESETS:
            raise CalcinosisKGError(f"unknown store {store!r}; expected one of {', '.join(PRESETS)}")
        if not base:
            raise CalcinosisKGError(f"--store {store} needs --endpoint {PRESETS[store][0]}")
        preset = PRESETS[store][1](base.rstrip("/"))
    elif gsp:
        preset = Endpoints(gsp)
    else:
        raise CalcinosisKGError("give --store with --endpoint, or --gsp-url")
    return Endpoints(
        gsp or preset.gsp,
        query or preset.query,
        update if update is not None else preset.update,
        auth or preset.auth,
    )


def skolemized(graphs: dict[str, Graph]) -> dict[str, Graph]:
    """Each graph (by target IRI) with its blank nodes replaced by stable IRIs.

    The labels come from one RDFC-1.0 canonicalization of all the graphs together, so a blank
    node keeps one IRI in every graph it appears in, and two blank nodes never share one.

    >>> from rdflib import BNode, Namespace
    >>> ex, a, b = Namespace("urn:"), BNode(), BNode()
    >>> one, two = Graph().add((ex.s, ex.p, a)), Graph().add((ex.s, ex.q, b))
    >>> found = skolemized({"urn:g1": one, "urn:g2": two})
    >>> len({o for g in found.values() for o in g.objects()})
    2
    """
    found = [quad for target, graph in graphs.items() for quad in quads(graph, URIRef(target))]
    if not any(isinstance(t, ox.BlankNode) for q in found for t in (q.subject, q.object)):
        return graphs
    dataset = ox.Dataset(found)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    by_graph: dict[str, list[ox.Quad]] = {target: [] for target in graphs}
    for quad in dataset:
        subject, object_ = (
            ox.NamedNode(GENID + term.value) if isinstance(term, ox.BlankNode) else term
            for term in (quad.subject, quad.object)
        )
        by_graph[quad.graph_name.value].append(ox.Quad(subject, quad.predicate, object_))
    return {target: to_graph(found) for target, found in by_graph.items()}


def payload(graph: Graph) -> bytes:
    """Sorted N-Triples of ``graph`` (which must be free of blank nodes)."""
    return to_bytes(graph, "nt")


def targets(graph_iri: str | None = None, release=None) -> dict[str, Graph]:
    """What to load: each named graph to its IRI, or with ``graph_iri`` the merged graph there.

    The skolemized graphs are cached per release version and shared: do not change them.
    """
    graphs = read_release(release)
    key = (graph_iri, tuple(sorted((name, id(g), len(g)) for name, g in graphs.items())))
    if key not in _TARGETS:
        if graph_iri:
            found = skolemized({graph_iri: merged({k: g for k, g in graphs.items() if k != "shapes"})})
        else:
            found = skolemized({str(GRAPHS[name]): graph for name, graph in sorted(graphs.items())})
        _TARGETS.clear()
        _TARGETS[key] = (graphs, found)  # holding the source graphs keeps their ids unique
    return dict(_TARGETS[key][1])


_TARGETS: dict[tuple, tuple] = {}


@dataclass
class LoadReport:
    """What a load did: triples per target graph, how the targets were replaced, time taken."""

    triples: dict[str, int] = field(default_factory=dict)
    method: str = ""
    seconds: float = 0.0


class Loader:
    """Staged, verified, idempotent loading through one store's Graph Store Protocol."""

    def __init__(self, urls: Endpoints, user: str | None = None, password: str | None = None, timeout=60.0):
        import httpx  # only the commands that talk to a store need it

        auth = None
        if user is not None:
            auth = (httpx.DigestAuth if urls.auth == "digest" else httpx.BasicAuth)(user, password or "")
        self.urls = urls
        self.client = httpx.Client(auth=auth, timeout=timeout, follow_redirects=True, trust_env=False)

    def close(self) -> None:
        """Close the HTTP connections."""
        self.client.close()

    def __enter__(self) -> Loader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- Graph Store Protocol -------------------------------------------------------------
    def request(self, method: str, url: str, what: str, ok=OK_STATUS, **kwargs) -> httpx.Response:
        """Send one request; a refused answer is a LoadError, a lost connection a StoreError."""
        import httpx

        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise StoreError(f"{what}: {url} did not answer in time ({exc})") from exc
        except httpx.HTTPError as exc:
            raise StoreError(
                f"{what}: connection to {url} failed or dropped: {type(exc).__name__}: {exc}"
            ) from exc
        if response.status_code not in ok:
            lines = "\n  ".join(response.text.strip().splitlines()[:5])[:600]
            raise LoadError(
                f"{what}: HTTP {response.status_code} {response.reason_phrase}"
                + (f"\n  {lines}" if lines else "")
            )
        return response

    def put(self, graph: str, data: bytes) -> None:
        """Replace ``graph`` with N-Triples ``data``."""
        self.request(
            "PUT",
            self.urls.gsp,
            f"PUT <{graph}>",
            params=_graph_param(graph),
            content=data,
            headers={"Content-Type": NTRIPLES},
        )

    def get(self, graph: str) -> Graph:
        """The content of ``graph`` (empty if the store does not have it)."""
        response = self.request(
            "GET",
            self.urls.gsp,
            f"GET <{graph}>",
            ok={200, 404},
            params=_graph_param(graph),
            headers={"Accept": f"{NTRIPLES}, text/turtle;q=0.9, application/rdf+xml;q=0.5"},
        )
        out = Graph()
        if response.status_code == 404:
            return out
        media = response.headers.get("content-type", NTRIPLES).split(";")[0].strip()
        try:
            out.parse(data=response.content, format=_PARSERS.get(media, "nt"))
        except Exception as exc:
            raise LoadError(f"GET <{graph}>: the store answered {media} that does not parse: {exc}") from exc
        return out

    def delete(self, graph: str) -> None:
        """Remove ``graph`` (no error when it is already gone)."""
        self.request(
            "DELETE", self.urls.gsp, f"DELETE <{graph}>", ok=OK_STATUS | {404}, params=_graph_param(graph)
        )

    def update(self, text: str) -> None:
        """Run a SPARQL Update at the update endpoint."""
        if self.urls.update is None:
            raise CalcinosisKGError("this store has no SPARQL Update endpoint")
        self.request(
            "POST",
            self.urls.update,
            "SPARQL Update",
            content=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
        )

    # --- the staged load --------------------------------------------------------------------
    def payload(self, graph: Graph) -> bytes:
        """The bytes uploaded for ``graph``."""
        return payload(graph)

    def verify(self, graph: str, expected: Graph, what: str) -> None:
        """Read ``graph`` back and compare it triple by triple with ``expected``."""
        found = self.get(graph)
        if len(found) != len(expected) or set(found) != set(expected):
            missing, extra = len(set(expected) - set(found)), len(set(found) - set(expected))
            cap = " (a store's row limit, such as Virtuoso's ResultSetMaxRows, also cuts a read-back)"
            raise LoadError(
                f"{what} <{graph}> has {len(found)} triples, expected {len(expected)} "
                f"({missing} missing, {extra} unexpected)" + (cap if missing and not extra else "")
            )

    def staging_graphs(self) -> list[str]:
        """The staging graphs the store holds, left by loads that were interrupted."""
        if not self.urls.query:
            return []
        response = self.request(
            "POST",
            self.urls.query,
            "list staging graphs",
            data={"query": _STAGING_QUERY},
            headers={"Accept": "application/sparql-results+json"},
        )
        try:
            rows = response.json()["results"]["bindings"]
            return sorted(row["g"]["value"] for row in rows)
        except (ValueError, KeyError, TypeError) as exc:
            raise LoadError(
                f"list staging graphs: the store's answer is not SPARQL JSON results: {exc}"
            ) from None

    def remove_stale_staging(self) -> int:
        """Remove the staging graphs of earlier interrupted loads; return how many there were."""
        stale = self.staging_graphs()
        for graph in stale:
            log.info("removing staging graph <%s> left by an interrupted load", graph)
            self.delete(graph)
        return len(stale)

    def load(self, graphs: dict[str, Graph]) -> LoadReport:
        """Load each target graph IRI (or ``default``) with its graph; never half-replace one."""
        started = time.perf_counter()
        self.remove_stale_staging()
        run = uuid.uuid4().hex[:12]
        staging = {target: f"{STAGING}{run}/{n}" for n, target in enumerate(sorted(graphs))}
        report = LoadReport()
        uploaded: list[str] = []
        try:
            for target, stage in staging.items():
                log.info("uploading %d triples for <%s> to staging <%s>", len(graphs[target]), target, stage)
                uploaded.append(stage)
                self.put(stage, self.payload(graphs[target]))
                self.verify(stage, graphs[target], "staging graph")
            if self.urls.update:
                report.method = "MOVE"
                self.update(
                    " ;\n".join(f"MOVE SILENT <{s}> TO {_sparql_graph(t)}" for t, s in staging.items())
                )
            else:
                report.method = "PUT"
                for target in staging:
                    self.put(target, self.payload(graphs[target]))
            for target in staging:
                self.verify(target, graphs[target], "target graph")
                report.triples[target] = len(graphs[target])
        finally:
            for stage in uploaded:
                try:
                    self.delete(stage)
                except CalcinosisKGError as exc:  # the original failure matters more
                    log.warning("could not remove staging graph <%s>: %s", stage, exc)
        report.seconds = time.perf_counter() - started
        return report


def password_from_env(variable: str | None) -> str | None:
    """The password held in environment variable ``variable``."""
    if variable is None:
        return None
    if variable not in os.environ:
        raise CalcinosisKGError(f"--password-env {variable}: that environment variable is not set")
    return os.environ[variable]


def _graph_param(graph: str) -> dict[str, str]:
    return {"default": ""} if graph == DEFAULT else {"graph": graph}


def _sparql_graph(graph: str) -> str:
    return "DEFAULT" if graph == DEFAULT else f"<{graph}>"
