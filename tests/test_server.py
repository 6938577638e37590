"""The read-only SPARQL endpoint (``calcinosis-kg serve``) as a subprocess on a free port."""

from __future__ import annotations

import contextlib
import csv
import html
import io
import itertools
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import free_port, stop, wait_until_up
from rdflib import Graph
from test_store import compare_canned_queries

from calcinosis_kg.artifacts import DATASET_FILE

TIME_LIMIT, MAX_ROWS, MAX_MEMORY_MIB = 3.0, 1000, 256
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
_asked = itertools.count()


def small_query() -> str:
    """A small ASK never asked before, so a worker answers it (not the answers the server keeps)."""
    return f"ASK {{ ?s ?p ?o FILTER({next(_asked)} >= 0) }}"


@contextlib.contextmanager
def serving(release, **options):
    """``calcinosis-kg serve`` on a free loopback port with ``options``; yields its /sparql URL."""
    port = free_port()
    flags = [f"--{key.replace('_', '-')}={value}" for key, value in options.items()]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "calcinosis_kg",
            "-q",
            "serve",
            "--port",
            str(port),
            *flags,
            "--release",
            str(release),
        ]
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        stop(process)


@pytest.fixture(scope="module")
def endpoint(release):
    options = {"workers": 2, "queue": 1, "time_limit": TIME_LIMIT, "max_rows": MAX_ROWS}
    with serving(release, **options, max_memory=MAX_MEMORY_MIB, spares=0) as url:
        yield url


def ask(url: str, query: str, accept: str = "application/sparql-results+json", method="GET", **kwargs):
    if method == "GET":
        return httpx.get(url, params={"query": query}, headers={"Accept": accept}, trust_env=False, **kwargs)
    return httpx.post(url, data={"query": query}, headers={"Accept": accept}, trust_env=False, **kwargs)


def test_canned_queries_answer_as_locally(endpoint, release):
    compare_canned_queries(endpoint, release / DATASET_FILE, "serve")


def test_home_page_lists_the_canned_queries(endpoint):
    from calcinosis_kg.endpoint import canned_queries

    page = httpx.get(endpoint.rsplit("/", 1)[0] + "/", trust_env=False).text
    assert "<textarea" in page and '<meta name="viewport"' in page
    assert "PREFIX ckg: <https://w3id.org/calcinosis-kg/ontology/>" in html.unescape(page)
    for spec in canned_queries():
        assert f'<option value="{spec["name"]}">' in page


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_select_formats_and_row_cap(endpoint, accept):
    response = ask(endpoint, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", accept, method="POST")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert response.headers["x-sparql-max-rows"] == str(MAX_ROWS)
    assert response.headers["x-sparql-truncated"] == "true"
    if accept.endswith("json"):
        assert len(response.json()["results"]["bindings"]) == MAX_ROWS
    if accept == "text/tab-separated-values":
        assert len(response.text.splitlines()) == MAX_ROWS + 1


@pytest.mark.parametrize(
    "accept,fmt",
    [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")],
)
def test_construct_formats(endpoint, accept, fmt):
    response = ask(endpoint, "CONSTRUCT WHERE { ?s a ?o } LIMIT 20", accept)
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert len(Graph().parse(data=response.text, format=fmt)) == 20


def test_updates_are_refused(endpoint):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    posted = httpx.post(endpoint, content=update, headers={"Content-Type": "application/sparql-update"})
    assert posted.status_code == 403
    assert httpx.post(endpoint, data={"update": update}).status_code == 403
    assert httpx.get(endpoint, params={"update": update}).status_code == 403
    assert ask(endpoint, update).status_code == 403
    assert ask(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }").json()["boolean"] is False


def test_service_is_refused_without_a_connection(endpoint):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port, seen = listener.getsockname()[1], []

    def watch():
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                seen.append(listener.accept())

    watcher = threading.Thread(target=watch)
    watcher.start()
    for text in (
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    ):
        assert ask(endpoint, text).status_code == 403
    watcher.join()
    listener.close()
    assert seen == []


def test_a_runaway_query_is_stopped_while_a_small_one_answers(endpoint):
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        runaway = pool.submit(ask, endpoint, RUNAWAY, timeout=30)
        time.sleep(0.3)
        small = ask(endpoint, small_query())
        assert small.status_code == 200 and time.monotonic() - started < TIME_LIMIT
        assert runaway.result().status_code == 504
        assert TIME_LIMIT <= time.monotonic() - started < TIME_LIMIT + 2
    assert wait_for_answer(endpoint, 10).status_code == 200  # the killed worker was replaced


def test_a_client_disconnect_frees_the_worker(endpoint):
    wait_for_answer(endpoint, 10)
    started = time.monotonic()
    for _ in range(2):  # occupy both workers, then hang up
        with pytest.raises(httpx.ReadTimeout):
            ask(endpoint, RUNAWAY, timeout=0.3)
    answer = wait_for_answer(endpoint, TIME_LIMIT)
    assert answer.status_code == 200
    assert time.monotonic() - started < TIME_LIMIT + 0.3  # before the time limit would have freed them


def test_too_many_queries_are_refused_with_503(endpoint):
    wait_for_idle_workers(endpoint, 2, 30)
    with ThreadPoolExecutor(3) as pool:
        running = [pool.submit(ask, endpoint, RUNAWAY, timeout=30) for _ in range(3)]  # 2 run, 1 waits
        wait_for_status(endpoint, 10, idle=0, waiting=1)
        refused = ask(endpoint, small_query())
        assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
        assert {r.result().status_code for r in running} <= {503, 504}


def wait_for_idle_workers(endpoint: str, count: int, seconds: float) -> None:
    """Wait until ``count`` workers are idle (replacements of killed workers take a moment)."""
    status_url = endpoint.rsplit("/", 1)[0] + "/status"
    deadline = time.monotonic() + seconds
    while httpx.get(status_url, trust_env=False).json()["idle"] < count:
        assert time.monotonic() < deadline, "the workers did not come back"
        time.sleep(0.1)


def wait_for_status(endpoint: str, seconds: float, **expected: int) -> None:
    """Wait until ``/status`` shows the ``expected`` counts (queries reach the server when they do)."""
    status_url = endpoint.rsplit("/", 1)[0] + "/status"
    deadline = time.monotonic() + seconds
    while (status := httpx.get(status_url, trust_env=False).json()) and any(
        status[key] != value for key, value in expected.items()
    ):
        assert time.monotonic() < deadline, f"the server shows {status}, not {expected}"
        time.sleep(0.05)


def wait_for_answer(endpoint: str, seconds: float) -> httpx.Response:
    """Retry a small query until a worker answers it (workers restart after a kill)."""
    deadline = time.monotonic() + seconds
    while True:
        response = ask(endpoint, small_query(), timeout=seconds)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


def test_an_unsupported_accept_gets_406_and_a_wildcard_the_default(endpoint):
    refused = ask(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "image/png")
    assert refused.status_code == 406 and "application/sparql-results+json" in refused.text
    assert ask(endpoint, "ASK { ?s ?p ?o }", "text/csv").status_code == 406  # no CSV for a boolean
    chosen = ask(endpoint, "ASK { ?s ?p ?o }", "image/png, */*;q=0.1")
    assert chosen.status_code == 200 and chosen.json()["boolean"] is True


def test_construct_as_rdf_xml(endpoint):
    response = ask(endpoint, "CONSTRUCT WHERE { ?s a ?o } LIMIT 5", "application/rdf+xml")
    assert response.headers["content-type"].startswith("application/rdf+xml")
    assert len(Graph().parse(data=response.text, format="xml")) == 5


def test_a_client_of_a_cut_answer_gets_an_error_not_a_short_answer(endpoint):
    from calcinosis_kg.errors import QueryError
    from calcinosis_kg.sparql import run_query

    with pytest.raises(QueryError, match=f"cut the answer at {MAX_ROWS:,} rows"):
        run_query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", endpoint=endpoint, limit=None)
    assert len(run_query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", endpoint=endpoint, limit=10).rows) == 10


# --- canned queries by name, with their parameters bound ----------------------------------------


def _root(endpoint: str) -> str:
    return endpoint.rsplit("/", 1)[0]


def _csv_rows(text: str, columns: list[str]) -> set[tuple[str, ...]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {tuple(row[c] for c in columns) for row in rows}


def test_the_canned_queries_are_listed_with_their_parameters(endpoint):
    from calcinosis_kg.endpoint import canned_queries

    listed = httpx.get(_root(endpoint) + "/queries", trust_env=False).json()
    assert [q["name"] for q in listed] == [q["name"] for q in canned_queries()]
    (linked,) = [q for q in listed if q["name"] == "linked-types"]
    assert [(p["name"], p["kind"], p.get("required", False)) for p in linked["params"]] == [
        ("condition", "entity", True),
        ("least", "entity", False),
    ]
    text = httpx.get(_root(endpoint) + "/queries/evidence.rq", trust_env=False)
    assert text.headers["content-type"].startswith("application/sparql-query")
    assert text.text == (Path(__file__).parent.parent / "queries" / "evidence.rq").read_text(encoding="utf-8")


def test_a_canned_query_runs_with_its_parameters_bound(endpoint):
    from test_queries import _expected

    columns, want = _expected("linked-types-condition=systemic-sclerosis")
    answer = httpx.get(
        _root(endpoint) + "/queries/linked-types",
        params={"condition": "systemic sclerosis"},
        headers={"Accept": "text/csv"},
        trust_env=False,
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert _csv_rows(answer.text, columns) == want
    by_curie = httpx.get(
        _root(endpoint) + "/queries/linked-types?condition=kb:systemic-sclerosis", trust_env=False
    )
    assert len(by_curie.json()["results"]["bindings"]) == len(want)


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/queries/search", {"text": '") } } SELECT * WHERE { ?s ?p ?o } #'}, 200, None),
        ("/queries/linked-types", {"condition": "x> } ?s ?p ?o . { <urn:x"}, 400, "no entity has the label"),
        ("/queries/linked-types", {}, 400, "needs the parameter 'condition'"),
        ("/queries/linked-types", {"conditon": "gout"}, 400, "valid parameters: condition"),
        ("/queries/no-such-query", {}, 404, "no canned query named 'no-such-query'"),
    ],
)
def test_parameter_values_are_bound_never_pasted(endpoint, path, params, status, message):
    answer = httpx.get(_root(endpoint) + path, params=params, trust_env=False)
    assert answer.status_code == status, answer.text
    if message is None:
        assert answer.json()["results"]["bindings"] == []  # the text matched no label, and broke nothing
    else:
        assert message in answer.text


def test_names_are_the_labels_and_synonyms_an_entity_parameter_takes(endpoint):
    rows = httpx.get(_root(endpoint) + "/names", trust_env=False).json()["results"]["bindings"]
    names = {(r["name"]["value"], r["kind"]["value"]) for r in rows}
    assert {("warfarin", "label"), ("scleroderma", "synonym")} <= names


# --- a page and RDF for every resource ----------------------------------------------------------

WARFARIN = "https://w3id.org/calcinosis-kg/entity/warfarin"


@pytest.mark.parametrize(
    ("path", "accept", "fmt"),
    [
        ("/entity/warfarin", "text/turtle", "turtle"),
        ("/entity/warfarin", "application/n-triples", "nt"),
        ("/entity/warfarin", "application/ld+json", "json-ld"),
        ("/entity/warfarin", "application/rdf+xml", "xml"),
        ("/entity/warfarin.ttl", "text/html", "turtle"),
        ("/entity/warfarin?format=jsonld", "text/html", "json-ld"),
    ],
)
def test_a_resource_is_rdf_for_a_client(endpoint, path, accept, fmt):
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, RDFS

    answer = httpx.get(_root(endpoint) + path, headers={"Accept": accept}, trust_env=False)
    assert answer.status_code == 200 and "Accept" in answer.headers["vary"]
    graph = Graph().parse(data=answer.text, format=fmt)
    warfarin = URIRef(WARFARIN)
    assert (warfarin, RDFS.label, Literal("warfarin", lang="en")) in graph
    claims = set(graph.subjects(RDF.subject, warfarin)) | set(graph.subjects(RDF.object, warfarin))
    assert {str(c).rsplit("/", 1)[1] for c in claims} == {
        "warfarin--causes--IatrogenicCalcinosis",
        "warfarin--riskFactorFor--bleeding",
        "MetastaticCalcinosis--treatedBy--warfarin",
    }


def test_a_resource_is_a_page_for_a_browser(endpoint):
    answer = httpx.get(_root(endpoint) + "/entity/warfarin", headers={"Accept": BROWSER}, trust_env=False)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert '<h1 id="label">warfarin</h1>' in answer.text
    assert 'href="http://purl.obolibrary.org/obo/CHEBI_10033"' in answer.text


@pytest.mark.parametrize(
    "path",
    ["/entity/no-such-thing", "/entity/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/graph/kb", "/ontologyx"],
)
def test_an_unknown_resource_is_a_404_page(endpoint, path):
    answer = httpx.get(_root(endpoint) + path, headers={"Accept": BROWSER}, trust_env=False)
    assert answer.status_code == 404
    assert "<h1>Not found</h1>" in answer.text and "<script>alert" not in answer.text
    rdf = httpx.get(_root(endpoint) + path, headers={"Accept": "text/turtle"}, trust_env=False)
    assert rdf.status_code == 404


def test_the_ontology_iri_gives_the_ontology(endpoint):
    from calcinosis_kg.resources import ontology_file

    answer = httpx.get(_root(endpoint) + "/ontology.nt", trust_env=False)
    assert answer.headers["content-type"].startswith("application/n-triples")
    assert len(Graph().parse(data=answer.text, format="nt")) == len(Graph().parse(ontology_file()))
    page = httpx.get(_root(endpoint) + "/ontology", headers={"Accept": BROWSER}, trust_env=False)
    assert "Calcinosis knowledge graph ontology" in page.text


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_an_answer_given_once_is_given_again_while_every_worker_is_busy(endpoint):
    wait_for_idle_workers(endpoint, 2, 30)
    query = small_query()
    assert ask(endpoint, query).json()["boolean"] is True
    with ThreadPoolExecutor(2) as pool:
        running = [pool.submit(ask, endpoint, RUNAWAY, timeout=30) for _ in range(2)]
        wait_for_status(endpoint, 10, idle=0)
        started = time.monotonic()
        again = ask(endpoint, query)
        assert again.json()["boolean"] is True and time.monotonic() - started < 1.0
        assert ask(endpoint, small_query(), timeout=30).status_code in (200, 503)  # a new one waits
        assert [r.result().status_code for r in running] == [504, 504]
