"""The same answers in every store: Oxigraph, Apache Jena TDB2 and Virtuoso 7, on loopback.

Each store is started once for this module, loaded the way its users load it (``calcinosis-kg
load`` over the Graph Store Protocol, or Jena's TDB2 bulk loader on the N-Quads export), and
asked every canned query with the example parameters of its header and, where a query can run
without them, with none (its documented default). Each answer must equal the local one.
Then the same with the merged graph loaded into a single named graph (``--graph IRI``).
A store whose binary is absent is skipped; ``.ci/run`` installs them all.
"""

from __future__ import annotations

import os

import pytest
from conftest import OxigraphServer
from rdflib import BNode, Graph, URIRef
from stores import JenaEndpoint, VirtuosoServer, java, jena_classpath, jena_missing, virtuoso_missing
from test_store import canned_runs, compare_canned_queries

from calcinosis_kg.artifacts import DATASET_FILE
from calcinosis_kg.cli import main
from calcinosis_kg.convert import quads
from calcinosis_kg.export import read_release
from calcinosis_kg.namespaces import GRAPHS
from calcinosis_kg.store import Loader, endpoints, targets

SINGLE = "https://example.org/calcinosis-kg"
SH = "http://www.w3.org/ns/shacl#"


def _load(store: str, url: str, release, *extra: str, password: str | None = None) -> None:
    args = ["-q", "load", "--store", store, "--endpoint", url, "--release", str(release), *extra]
    if password is not None:
        os.environ["CKG_TEST_STORE_PASSWORD"] = password
        args += ["--user", "dba", "--password-env", "CKG_TEST_STORE_PASSWORD"]
    assert main(args) == 0


class GSPStore:
    """A store loaded over the Graph Store Protocol, as named graphs or as one graph."""

    def __init__(self, store: str, url: str, query: str, release, password: str | None = None):
        self.store, self.url, self.query, self.release, self.password = store, url, query, release, password
        self.layout: str | None = None

    def use(self, layout: str) -> str:
        """Hold the release as ``named`` graphs or as the ``single`` graph; return the query URL."""
        if layout != self.layout:
            user = "dba" if self.password is not None else None
            with Loader(endpoints(self.store, self.url), user, self.password) as loader:
                for graph in [str(iri) for iri in GRAPHS.values()] + [SINGLE]:
                    loader.delete(graph)
            _load(
                self.store,
                self.url,
                self.release,
                *(["--graph", SINGLE] if layout == "single" else []),
                password=self.password,
            )
            self.layout = layout
        return self.query


class JenaStore:
    """Two TDB2 datasets bulk-loaded by ``tdb2.tdbloader``: the N-Quads export, and the merged
    N-Triples export in one named graph."""

    def __init__(self, endpoint: JenaEndpoint):
        self.endpoint = endpoint

    def use(self, layout: str) -> str:
        return f"{self.endpoint.url}/{layout}/sparql"


@pytest.fixture(scope="module")
def oxigraph_store(release, tmp_path_factory):
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-store")).start()
    yield GSPStore("oxigraph", server.url, f"{server.url}/query", release)
    server.stop()


@pytest.fixture(scope="module")
def jena_classpath_(tmp_path_factory):
    reason = jena_missing()
    if reason:
        pytest.skip(reason)
    return jena_classpath(tmp_path_factory.mktemp("jena-jars"))


@pytest.fixture(scope="module")
def jena_store(release, jena_classpath_, tmp_path_factory):
    work = tmp_path_factory.mktemp("jena")
    nquads, ntriples = work / "calcinosis-kg.nq", work / "merged.nt"
    assert main(["-q", "export", "--format", "nq", "-o", str(nquads), "--release", str(release)]) == 0
    assert main(["-q", "export", "--format", "nt", "-o", str(ntriples), "--release", str(release)]) == 0
    java(jena_classpath_, "tdb2.tdbloader", "--loc", str(work / "named"), str(nquads))
    java(jena_classpath_, "tdb2.tdbloader", "--loc", str(work / "single"), "--graph", SINGLE, str(ntriples))
    endpoint = JenaEndpoint(jena_classpath_, {"named": work / "named", "single": work / "single"}).start()
    yield JenaStore(endpoint)
    endpoint.stop()


@pytest.fixture(scope="module")
def virtuoso_store(release, tmp_path_factory):
    reason = virtuoso_missing()
    if reason:
        pytest.skip(reason)
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"), max_rows=VIRTUOSO_MAX_ROWS).start()
    yield GSPStore("virtuoso", server.url, f"{server.url}/sparql", release, server.password)
    server.stop()


STORES = ["oxigraph", "jena", "virtuoso"]
#: above every canned answer and every graph (the loader reads each graph back: a Graph Store
#: GET is cut too), below the answer of the test that a cut answer is an error
VIRTUOSO_MAX_ROWS = 20000


@pytest.fixture(scope="module")
def local_datasets(release, tmp_path_factory):
    """The local datasets to compare with: the release's named graphs, or the one graph."""
    import pyoxigraph as ox

    single = tmp_path_factory.mktemp("single") / "single.nq"
    graph = targets(SINGLE, release)[SINGLE]
    ox.serialize(quads(graph, URIRef(SINGLE)), str(single), ox.RdfFormat.N_QUADS)
    return {"named": release / DATASET_FILE, "single": single}


@pytest.mark.parametrize("layout", ["named", "single"])
@pytest.mark.parametrize("store", STORES)
def test_every_canned_query_answers_as_locally(store, layout, request, local_datasets):
    found = request.getfixturevalue(f"{store}_store")
    compare_canned_queries(found.use(layout), local_datasets[layout], f"{store} {layout}")


def test_the_canned_runs_cover_every_query_and_its_default():
    from calcinosis_kg.sparql import list_queries

    runs = canned_runs()
    assert {name for name, _ in runs} == {spec["name"] for spec in list_queries()}
    assert ("hierarchy", {}) in runs and ("causes", {}) in runs  # defaults are asked for too


def _describe(graph: Graph, node):
    """A term of a SHACL report, with a blank node (a path, a property shape) as its content.

    A path means the same written either way: Jena writes ``sh:alternativePath (a b c)`` as
    nested pairs, ``((a b) c)``, so alternatives are compared as one flat set.
    """
    from rdflib.collection import Collection

    if not isinstance(node, BNode):
        return None if node is None else str(node)
    alternatives = graph.value(node, URIRef(SH + "alternativePath"))
    if alternatives is not None:
        flat: set = set()
        for member in Collection(graph, alternatives):
            found = _describe(graph, member)
            flat |= found[1] if isinstance(found, tuple) and found[:1] == ("or",) else {found}
        return ("or", frozenset(flat))
    return tuple(sorted((str(p), _describe(graph, o)) for p, o in graph.predicate_objects(node)))


def _results(report: Graph, shapes: Graph) -> set[tuple]:
    results = set()
    for result in report.subjects(URIRef(SH + "focusNode"), None):
        value = report.value
        results.add(
            (
                str(value(result, URIRef(SH + "focusNode"))),
                _describe(report, value(result, URIRef(SH + "resultPath"))),
                _describe(shapes, value(result, URIRef(SH + "sourceShape"))),
                str(value(result, URIRef(SH + "resultSeverity"))),
            )
        )
    return results


def test_jena_shacl_finds_what_we_find(release, jena_classpath_, tmp_path):
    graphs = read_release(release)
    shapes = Graph()
    for name in ("shapes", "ontology"):  # the ontology node holds the prefixes the shapes declare
        shapes += graphs[name]
    data = tmp_path / "data.nt"
    assert main(["-q", "export", "--format", "nt", "-o", str(data), "--release", str(release)]) == 0
    shapes.serialize(tmp_path / "shapes.ttl", format="turtle")
    done = java(
        jena_classpath_,
        "shacl.shacl",
        "validate",
        "--shapes",
        str(tmp_path / "shapes.ttl"),
        "--data",
        str(data),
    )
    theirs = Graph().parse(data=done.stdout, format="turtle")
    ours = Graph().parse(release / "validation-report.ttl", format="turtle")
    conforms = URIRef(SH + "conforms")
    assert [str(o) for o in theirs.objects(None, conforms)] == ["false"]
    assert _results(ours, shapes)
    assert _results(theirs, shapes) == _results(ours, shapes)


def test_an_answer_virtuoso_cuts_is_an_error_not_a_short_answer(virtuoso_store):
    from calcinosis_kg.errors import QueryError
    from calcinosis_kg.sparql import run_query

    url = virtuoso_store.use("named")
    everything = "SELECT ?s ?p ?o ?copy WHERE { ?s ?p ?o VALUES ?copy { 1 2 3 } }"
    with pytest.raises(QueryError, match=f"cut the answer at {VIRTUOSO_MAX_ROWS:,} rows"):
        run_query(everything, endpoint=url, limit=None)
    assert len(run_query(everything, endpoint=url, limit=100).rows) == 100  # our own limit: fine
