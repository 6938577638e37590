"""Loading into a real Oxigraph server over the Graph Store Protocol."""

from __future__ import annotations

import httpx
import pytest
from conftest import STORE_TABLE
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from calcinosis_kg.artifacts import DATASET_FILE
from calcinosis_kg.cli import main
from calcinosis_kg.errors import LoadError, StoreError
from calcinosis_kg.export import read_release
from calcinosis_kg.namespaces import GRAPHS
from calcinosis_kg.store import GENID, STAGING, Loader, endpoints, targets


def query(server, text: str, accept: str = "application/sparql-results+json") -> httpx.Response:
    response = httpx.post(
        f"{server.url}/query",
        content=text.encode(),
        trust_env=False,
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
    )
    response.raise_for_status()
    return response


def graph_names(server) -> set[str]:
    rows = query(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").json()["results"]["bindings"]
    return {row["g"]["value"] for row in rows}


def construct(server, graph: str) -> Graph:
    return deskolemized(construct_raw(server, graph))


def construct_raw(server, graph: str) -> Graph:
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return Graph().parse(data=query(server, text, "application/n-triples").text, format="nt")


def deskolemized(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        out.add(
            tuple(
                BNode(t[len(GENID) :]) if isinstance(t, URIRef) and t.startswith(GENID) else t for t in triple
            )
        )
    return out


def count(server, graph: str) -> int:
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return int(query(server, text).json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def expected(release):
    return targets(release=release)


@pytest.fixture
def loaded(oxigraph, expected):
    with Loader(endpoints("oxigraph", oxigraph.url)) as loader:
        report = loader.load(expected)
    assert report.method == "MOVE"
    return oxigraph, expected


def test_load_matches_the_local_export_and_is_idempotent(loaded, release):
    server, graphs = loaded
    local = read_release(release)
    names = {str(iri): name for name, iri in GRAPHS.items()}
    for iri in graphs:
        assert count(server, iri) == len(local[names[iri]])
        assert isomorphic(construct(server, iri), local[names[iri]]), iri
    with Loader(endpoints("oxigraph", server.url)) as loader:
        loader.load(targets(release=release))
    assert graph_names(server) == set(graphs)  # no staging graph left behind
    for iri, graph in graphs.items():  # the same skolem IRIs: no duplicated blank nodes
        assert count(server, iri) == len(graph)
        assert set(construct_raw(server, iri)) == set(graph), iri


def example_params(spec: dict) -> dict[str, str]:
    """The example value of every parameter of a canned query that has one."""
    return {
        p["name"]: str(p["example"])
        for p in spec.get("params") or []
        if isinstance(p, dict) and p.get("example") is not None
    }


def canned_runs() -> list[tuple[str, dict[str, str]]]:
    """Each canned query with its examples, and with no parameter when none is required
    (the documented defaults)."""
    from calcinosis_kg.sparql import list_queries

    runs = []
    for spec in list_queries():
        params = [p for p in spec.get("params") or [] if isinstance(p, dict)]
        runs.append((spec["name"], example_params(spec)))
        if params and not any(p.get("required") for p in params):
            runs.append((spec["name"], {}))
    return runs


def _run_name(name: str, params: dict[str, str]) -> str:
    return name + "".join(f" {key}={value}" for key, value in sorted(params.items()))


def _rows(result):
    def norm(term):
        if term is None:
            return None
        value = term.value
        if term.kind == "bnode" or (term.kind == "iri" and value.startswith(GENID)):
            return ("bnode",)
        return tuple(term)

    return sorted(repr(tuple(norm(row.get(c)) for c in result.columns)) for row in result.rows)


def test_canned_queries_answer_as_locally(loaded, release):
    server, _ = loaded
    compare_canned_queries(f"{server.url}/query", release / DATASET_FILE, "oxigraph load")


_LOCAL: dict[tuple, object] = {}


def compare_canned_queries(endpoint: str, dataset, where: str) -> None:
    """Every canned query (:func:`canned_runs`) answers the same at ``endpoint`` as locally;
    rows are compared as sets, list cells with their parts sorted (the runner sorts them).
    Each answer is recorded under ``where`` for the table at the end of the run."""
    from calcinosis_kg.sparql import run_query

    runs, differ = canned_runs(), []
    assert len(runs) > 20
    for name, params in runs:
        key = (str(dataset), name, tuple(sorted(params.items())))
        if key not in _LOCAL:  # the local answers, computed once for every store compared
            _LOCAL[key] = run_query(name, dataset=dataset, limit=None, **params)
        local = _LOCAL[key]
        remote = run_query(name, endpoint=endpoint, limit=None, **params)
        same = remote.columns == local.columns and _rows(remote) == _rows(local)
        STORE_TABLE.setdefault(_run_name(name, params), {})[where] = (len(remote.rows), same)
        if not same:
            differ.append(f"{name} {params}: {len(remote.rows)} rows, {len(local.rows)} locally")
    assert not differ, "answers differ from the local ones:\n" + "\n".join(differ)


def test_single_graph_load_into_a_named_graph(oxigraph, release):
    target = "https://example.org/calcinosis"
    assert (
        main(
            [
                "-q",
                "load",
                "--store",
                "oxigraph",
                "--endpoint",
                oxigraph.url,
                "--graph",
                target,
                "--release",
                str(release),
            ]
        )
        == 0
    )
    assert graph_names(oxigraph) == {target}
    assert count(oxigraph, target) == len(targets(target, release)[target])


def _changed(graphs: dict[str, Graph]) -> dict[str, Graph]:
    out = {}
    for iri, graph in graphs.items():
        copy = Graph()
        copy += graph
        copy.add((URIRef("urn:new"), URIRef("urn:p"), Literal(iri)))
        out[iri] = copy
    return out


def _assert_intact(server, graphs):
    for iri, graph in graphs.items():
        assert count(server, iri) == len(graph), iri
        assert (URIRef("urn:new"), None, None) not in construct(server, iri)


def test_a_malformed_upload_leaves_the_graphs_intact(loaded):
    server, graphs = loaded

    class Garbling(Loader):
        def payload(self, graph):
            return b"<urn:a> <urn:b> this is not N-Triples .\n"

    with Garbling(endpoints("oxigraph", server.url)) as loader, pytest.raises(LoadError, match="HTTP 400"):
        loader.load(_changed(graphs))
    _assert_intact(server, graphs)
    assert graph_names(server) == set(graphs)


def test_a_server_stopped_mid_load_leaves_the_graphs_intact(loaded):
    server, graphs = loaded

    class Interrupted(Loader):
        def verify(self, graph, expected, what):
            if graph.startswith(STAGING):
                server.stop()  # the store goes away after the first staging upload
            super().verify(graph, expected, what)

    with (
        Interrupted(endpoints("oxigraph", server.url)) as loader,
        pytest.raises(StoreError, match="failed or dropped"),
    ):
        loader.load(_changed(graphs))
    server.start()
    _assert_intact(server, graphs)
    assert any(name.startswith(STAGING) for name in graph_names(server))  # the interrupted load's
    with Loader(endpoints("oxigraph", server.url)) as loader:
        loader.load(graphs)
    assert graph_names(server) == set(graphs)  # the next load removed it


def test_blank_nodes_of_different_graphs_never_share_an_iri(expected):
    skolem = {
        target: {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(GENID)}
        for target, graph in expected.items()
    }
    ontology, shapes = skolem[str(GRAPHS["ontology"])], skolem[str(GRAPHS["shapes"])]
    assert ontology and shapes and not ontology & shapes


def test_a_store_that_drips_its_answer_is_stopped_at_the_total_time_limit(release):
    """A store that sends one byte a second: the load stops at --timeout, whatever each read does."""
    import socket
    import threading
    import time

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    running = True

    def drip():
        server.settimeout(0.2)
        while running:
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b" " * 1000:
                    if not running:
                        break
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        break
                    time.sleep(0.5)

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}"
    started = time.monotonic()
    code = main(
        ["-q", "load", "--store", "oxigraph", "--endpoint", url, "--timeout", "2", "--release", str(release)]
    )
    took = time.monotonic() - started
    running = False
    thread.join()
    server.close()
    assert code == 2 and took < 2 + 1.5, took


def test_partial_content_is_a_failure():
    def answer(request):
        return httpx.Response(206, text="only some of it\nsecond line")

    loader = Loader(endpoints("oxigraph", "http://127.0.0.1:9"))
    loader.client = httpx.Client(transport=httpx.MockTransport(answer))
    with pytest.raises(LoadError, match="HTTP 206") as failure:
        loader.load({"urn:g": Graph()})
    assert "only some of it" in str(failure.value)


def test_exit_codes(oxigraph, release, monkeypatch):
    base = ["-q", "load", "--store", "oxigraph", "--release", str(release)]
    assert main([*base, "--endpoint", oxigraph.url]) == 0
    monkeypatch.setattr("calcinosis_kg.store.payload", lambda graph: b"not n-triples")
    assert main([*base, "--endpoint", oxigraph.url]) == 1
    assert main([*base, "--endpoint", "http://127.0.0.1:9"]) == 2
    assert main(["-q", "load", "--release", str(release)]) == 2
