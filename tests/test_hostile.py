"""Hostile queries: none of them may open a connection, through the command line's engines or
the endpoint, and none may hold up the endpoint's other queries."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from test_server import (  # noqa: F401  (endpoint: the module's server)
    RUNAWAY,
    ask,
    endpoint,
    serving,
    small_query,
    wait_for_answer,
    wait_for_status,
)

from calcinosis_kg.artifacts import DATASET_FILE
from calcinosis_kg.endpoint.app import MAX_BODY_BYTES, MAX_URL_BYTES
from calcinosis_kg.errors import QueryError
from calcinosis_kg.sandbox import isolate, network_isolation_available
from calcinosis_kg.sparql.guard import MAX_QUERY_BYTES, check_query
from calcinosis_kg.sparql.runner import _execute, open_engine, run_query

#: each places SERVICE where a careless reader takes it for a string, a comment or an IRI
HOSTILE = {
    "comment-quotes": '# """\nSELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }\n# """',
    "unicode-quotes": 'SELECT * { BIND("\\u0022" AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND("\\u0022" AS ?y) }',
    "unicode-long-quotes": "ASK { BIND('\\u0027\\u0027' AS ?x) SERVICE <{url}> { ?s ?p ?o } BIND('' AS ?y) }",
    "lower-case": "select * { service <{url}> { ?s ?p ?o } }",
    "silent": "SELECT * { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "variable": "SELECT * { VALUES ?e { <{url}> } SERVICE ?e { ?s ?p ?o } }",
    "nested": "SELECT * { ?a ?b ?c OPTIONAL { { SELECT * { SERVICE <{url}> { ?s ?p ?o } } } } } LIMIT 1",
    "escaped-quote": 'SELECT * { BIND("\\"" AS ?q) SERVICE <{url}> { ?s ?p ?o } }',
    "iri-with-hash": "SELECT * { ?s <urn:x#> ?o SERVICE <{url}> { ?s ?p ?o } }",
    "carriage-return-comment": "SELECT * { # note\rSERVICE <{url}> { ?s ?p ?o } }",
    "quotes-in-long-string": 'SELECT * { BIND(""" \'\'\' """ AS ?x) SERVICE <{url}> { ?s ?p ?o } }',
    "escaped-keyword": "SELECT * { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
    "exists": "ASK { FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "prefixed-iri": "PREFIX e: <{url}> SELECT * { SERVICE e: { ?s ?p ?o } }",
}


@pytest.fixture(scope="module")
def dataset(release):
    return release / DATASET_FILE


class Listener:
    """A loopback TCP server that counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        time.sleep(0.3)  # a late connection still counts
        self.running = False
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    found = Listener()
    yield found
    found.close()
    assert found.connections == 0, f"{found.connections} connection(s) reached the listener"


def hostile(name: str, url: str) -> str:
    return HOSTILE[name].replace("{url}", url)


def test_the_corpus_is_whole():
    assert len(HOSTILE) == 15


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_guard_refuses(name):
    with pytest.raises(QueryError, match="refused: SERVICE"):
        check_query(hostile(name, "http://127.0.0.1:9/"))


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_the_command_line_refuses_without_a_connection(dataset, listener, name, engine):
    with pytest.raises(QueryError, match="refused"):
        run_query(hostile(name, listener.url), engine=engine, dataset=dataset)
    assert listener.connections == 0


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_endpoint_refuses_without_a_connection(endpoint, listener, name):  # noqa: F811
    for method in ("GET", "POST"):
        response = ask(endpoint, hostile(name, listener.url), method=method)
        assert response.status_code in (400, 403), response.text
    assert listener.connections == 0


@pytest.mark.skipif(not network_isolation_available(), reason="network namespaces need Linux")
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_query_past_the_guard_still_cannot_connect(dataset, listener, engine):
    """Run SERVICE as if it were a trusted canned query: the isolated process has no network."""
    if not _can_isolate():
        pytest.skip("this user may not create network namespaces")
    runner = open_engine(engine, dataset=dataset)
    text = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryError):
        _execute(runner, text, "all", {}, 10, 10.0, ad_hoc=False)
    assert listener.connections == 0


def _can_isolate() -> bool:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    result = context.Value("b", 0)

    def probe():
        result.value = int(isolate())

    child = context.Process(target=probe)
    child.start()
    child.join()
    return bool(result.value)


def test_oversized_and_deeply_nested_queries_are_refused():
    with pytest.raises(QueryError, match="bytes long"):
        check_query("ASK {}" + " " * MAX_QUERY_BYTES)
    with pytest.raises(QueryError, match="nested 33 deep"):
        check_query("ASK {" + "(" * 32 + "1" + ")" * 32 + "}")
    assert check_query("ASK {" + "(" * 31 + "1" + ")" * 31 + "}") == "ASK"


def test_the_endpoint_refuses_oversized_requests(endpoint):  # noqa: F811
    body = b"query=" + b"%20" * (MAX_BODY_BYTES // 3 + 10)
    posted = httpx.post(
        endpoint, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, trust_env=False
    )
    assert posted.status_code == 413
    long_url = httpx.get(endpoint, params={"query": "ASK {}" + " " * MAX_URL_BYTES}, trust_env=False)
    assert long_url.status_code == 414


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ('SELECT * { # """\n' * 4000 + "}", 400),  # nested 4,000 deep: once a crash of the parser
        ("ASK { " + '"' * 40_000 + " }", 400),
        ("ASK {" + "(" * 30 + "1" + ")" * 30 + "}", 200),
    ],
    ids=["deep-comments", "quotes", "parentheses"],
)
def test_a_hard_query_text_does_not_hold_up_a_small_query(endpoint, text, status):  # noqa: F811
    """Texts that once took the old check quadratic time or crashed a worker, then a tiny ASK."""
    with ThreadPoolExecutor(1) as pool:
        heavy = pool.submit(ask, endpoint, text, method="POST", timeout=30)
        time.sleep(0.2)
        started = time.monotonic()
        small = ask(endpoint, small_query(), timeout=30)
        waited = time.monotonic() - started
        assert small.status_code == 200
        assert waited < 2.0, f"a small query waited {waited:.1f} s"
        assert heavy.result().status_code == status


def test_the_listener_sees_a_query_that_is_not_isolated():
    """The control: run as it is, outside the isolated process, SERVICE does connect."""
    import pyoxigraph as ox

    control = Listener()
    with pytest.raises(OSError):
        list(ox.Store().query(f"SELECT * {{ SERVICE <{control.url}> {{ ?s ?p ?o }} }}"))
    control.close()
    assert control.connections == 1


def test_a_query_past_the_memory_limit_stops_only_its_worker(endpoint):  # noqa: F811
    doubling = "".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1}) " for i in range(40))
    bomb = f'SELECT (STRLEN(?v40) AS ?n) {{ BIND(REPEAT("x", 1000) AS ?v0) {doubling}}}'.replace(
        'REPEAT("x", 1000)', '"' + "x" * 1000 + '"'
    )
    answer = ask(endpoint, bomb, method="POST", timeout=30)
    assert answer.status_code == 500 and "memory" in answer.text
    assert wait_for_answer(endpoint, 10).status_code == 200


def test_runaway_queries_do_not_starve_small_ones(release):
    """As many runaway queries as workers: spares start, and a small query still answers."""
    with serving(release, workers=2, spares=2, queue=4, time_limit=6) as url:
        with ThreadPoolExecutor(2) as pool:
            runaways = [pool.submit(ask, url, RUNAWAY, timeout=30) for _ in range(2)]
            wait_for_status(url, 5, workers=3, idle=1)  # one spare, ready while both workers are busy
            started = time.monotonic()
            small = ask(url, small_query(), timeout=30)
            waited = time.monotonic() - started
            assert small.status_code == 200 and waited < 1.0, waited
            assert [r.result().status_code for r in runaways] == [504, 504]
        wait_for_status(url, 10, workers=2)  # the spares stop once the pool has idle workers again


def test_deep_nesting_is_a_clear_error_on_every_engine(dataset):
    text = "ASK { FILTER" + "(" * 30 + "true" + ")" * 30 + " }"
    assert run_query(text, dataset=dataset).boolean is True
    with pytest.raises(QueryError, match="nested too deeply for the rdflib engine"):
        run_query(text, engine="rdflib", dataset=dataset)


def test_a_client_that_sends_its_body_slowly_is_cut_off(release):
    import socket

    with serving(release, workers=1, spares=0, request_timeout=1) as url:
        port = int(url.split(":")[2].split("/")[0])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 100\r\n\r\nASK"
            )
            started = time.monotonic()
            answer = conn.recv(1000)
            assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 3


def test_a_client_that_sends_its_request_head_slowly_is_cut_off(release):
    with serving(release, workers=1, spares=0, request_timeout=1) as url:
        port = int(url.split(":")[2].split("/")[0])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            started = time.monotonic()
            closed_after = None
            for byte in b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40:
                try:
                    conn.sendall(bytes([byte]))
                except (BrokenPipeError, ConnectionResetError):
                    closed_after = time.monotonic() - started
                    break
                time.sleep(0.1)
            if closed_after is None:  # every byte sent within the deadline's reach: read the close
                conn.settimeout(3)
                assert conn.recv(1000) == b""
                closed_after = time.monotonic() - started
            assert 0.9 < closed_after < 2.5, closed_after
        # a client that sends its request in time is answered as before
        assert ask(url, "ASK { ?s ?p ?o }", timeout=10).json()["boolean"] is True
