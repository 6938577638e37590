"""The canned queries: golden answers from the sources, both engines agree, refusals, limits."""

from __future__ import annotations

import csv
import http.server
import json
import re
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from calcinosis_kg.errors import QueryError
from calcinosis_kg.sparql import list_queries, run_query
from calcinosis_kg.sparql.catalog import load_query

EXPECTED = Path(__file__).parent / "expected"
README = Path(__file__).parent.parent / "queries" / "README.md"


@pytest.fixture(scope="session")
def dataset(release):
    """The release dataset (N-Quads), built once per session by the shared ``release`` fixture."""
    from calcinosis_kg.artifacts import DATASET_FILE

    return release / DATASET_FILE


def run(dataset, name, engine="oxigraph", **params):
    return run_query(name, engine=engine, dataset=dataset, timeout=120, **params)


# --- golden answers, written from the source documents -----------------------------------------

#: (expected file, query, parameters, "equal" or "subset": every expected row must be present)
GOLDEN = [
    ("types", "types", {}, "equal"),
    ("hierarchy", "hierarchy", {}, "subset"),
    ("hierarchy-class=systemic-sclerosis", "hierarchy", {"class": "systemic sclerosis"}, "equal"),
    ("causes", "causes", {}, "subset"),
    ("causes-type=metastatic-calcinosis", "causes", {"type": "metastatic calcinosis"}, "equal"),
    (
        "linked-types-condition=systemic-sclerosis",
        "linked-types",
        {"condition": "systemic sclerosis"},
        "equal",
    ),
    ("symptoms", "symptoms", {}, "subset"),
    ("diagnostics", "diagnostics", {}, "subset"),
    (
        "treatments-condition=metastatic-calcinosis",
        "treatments",
        {"condition": "metastatic calcinosis"},
        "equal",
    ),
    (
        "treatments-effect=acts-on-the-deposits",
        "treatments",
        {"effect": "acts on the deposits"},
        "equal",
    ),
    ("causes-least=corroborated", "causes", {"least": "corroborated"}, "equal"),
    ("prevention", "prevention", {}, "equal"),
    ("sites-type=idiopathic-calcinosis", "sites", {"type": "idiopathic calcinosis"}, "equal"),
    ("evidence-entity=warfarin", "evidence", {"entity": "warfarin"}, "equal"),
    ("conflicts", "conflicts", {}, "subset"),
    ("weak-evidence", "weak-evidence", {}, "subset"),
    ("mappings-prefix=doid", "mappings", {"prefix": "doid"}, "subset"),
    (
        "differential-findings=raised-serum-calcium",
        "differential",
        {"findings": "raised serum calcium"},
        "equal",
    ),
    (
        "differential-findings=normal-serum-calcium",
        "differential",
        {"findings": "normal blood calcium and phosphate levels"},
        "equal",
    ),
    ("differential-findings=tissue-damage", "differential", {"findings": "tissue damage"}, "subset"),
    (
        "differential-findings=raised-serum-calcium,raised-serum-phosphate",
        "differential",
        {"findings": "raised serum calcium, raised serum phosphate"},
        "equal",
    ),
    ("search-text=sclero", "search", {"text": "sclero"}, "subset"),
    ("sources", "sources", {}, "equal"),
    ("stats", "stats", {}, "subset"),
]


def _expected(name: str) -> tuple[list[str], set[tuple[str, ...]]]:
    with open(EXPECTED / f"{name}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], {tuple(r) for r in rows[1:] if r}


@pytest.mark.parametrize(("expected", "query", "params", "mode"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_answer(dataset, expected, query, params, mode):
    columns, want = _expected(expected)
    result = run(dataset, query, **params)
    got = {tuple(str(row.get(c, "")) for c in columns) for row in result.rows}
    if mode == "equal":
        assert got == want
    else:
        assert want <= got, f"missing: {sorted(want - got)}"


def test_every_canned_query_has_a_golden_answer():
    covered = {g[1] for g in GOLDEN}
    assert {q["name"] for q in list_queries(qc=False)} <= covered


# --- both engines give the same answers ----------------------------------------------------------


def _variants():
    for header in list_queries():
        params = header.get("params") or []
        example = {p["name"]: p["example"] for p in params if p.get("example") is not None}
        if not any(p.get("required") for p in params):
            yield header["name"], {}
        if example:
            yield header["name"], example


VARIANTS = list(_variants())


@pytest.mark.parametrize(
    ("name", "params"), VARIANTS, ids=[f"{n}{'-example' if p else ''}" for n, p in VARIANTS]
)
def test_engines_agree(dataset, name, params):
    ours = run(dataset, name, "oxigraph", **params)
    theirs = run(dataset, name, "rdflib", **params)
    assert ours.columns == theirs.columns
    assert ours.term_set() == theirs.term_set()
    assert ours.rows or name.startswith("qc/")


@pytest.mark.parametrize("name", [q["name"] for q in list_queries() if q["name"].startswith("qc/")])
def test_quality_checks_pass(dataset, name):
    assert run(dataset, name).rows == []


def test_graph_selection(dataset):
    stats = {(r["measure"].value, r["item"].value) for r in run_query("stats", dataset=dataset).rows}
    assert ("triples", "https://w3id.org/calcinosis-kg/graph/inferred") in stats
    every = run_query("types", dataset=dataset)
    asserted = run_query("types", graph="asserted", dataset=dataset)
    inferred = run_query("types", graph="inferred", dataset=dataset)
    assert 0 < len(asserted.rows) <= len(every.rows) and len(inferred.rows) < len(every.rows)


# --- parameters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "systemic sclerosis",
        "Systemic  Sclerosis",
        "scleroderma",
        "DOID:418",
        "doid:418",
        "kb:systemic-sclerosis",
        "https://w3id.org/calcinosis-kg/entity/systemic-sclerosis",
        "<http://purl.obolibrary.org/obo/DOID_418>",
    ],
)
def test_entity_values(dataset, value):
    result = run(dataset, "linked-types", condition=value)
    assert {r["condition"].value for r in result.rows} == {
        "https://w3id.org/calcinosis-kg/entity/systemic-sclerosis"
    }


def test_unknown_entity_lists_close_matches(dataset):
    with pytest.raises(QueryError, match="close matches: systemic sclerosis"):
        run(dataset, "linked-types", condition="systemic sclerosi")


def test_unknown_curie(dataset):
    with pytest.raises(QueryError, match="not an entity of the graph"):
        run(dataset, "linked-types", condition="DOID:99999999")


def test_ambiguous_entity(dataset, monkeypatch):
    from calcinosis_kg.sparql import runner

    resolver = runner._resolver(runner.open_engine(dataset=dataset))
    monkeypatch.setitem(resolver.names, "twin", {"label": {"urn:a", "urn:b"}})
    with pytest.raises(QueryError, match="ambiguous"):
        run(dataset, "evidence", entity="twin")


def test_missing_and_unknown_parameters(dataset):
    with pytest.raises(QueryError, match=r"needs the parameter 'entity'.*valid parameters: entity"):
        run(dataset, "evidence")
    with pytest.raises(QueryError, match=r"unknown parameter 'typ'.*valid parameters: type"):
        run(dataset, "causes", typ="metastatic calcinosis")
    with pytest.raises(QueryError, match="no canned query named 'cause'; did you mean causes"):
        run(dataset, "cause")


def test_text_parameter_is_bound_not_pasted(dataset):
    nasty = 'x") } UNION { ?entity ?p ?o } #'
    assert run(dataset, "search", text=nasty).rows == []


# --- ad-hoc queries: refused forms, no network, time limit ----------------------------------------


@pytest.fixture
def listener():
    """A loopback TCP listener that records any connection attempt."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.3)
    yield sock, f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    sock.close()


def _connected(sock) -> bool:
    try:
        conn, _ = sock.accept()
    except (TimeoutError, OSError):
        return False
    conn.close()
    return True


REFUSED = {
    "SERVICE": "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "FROM": "SELECT * FROM <{url}> WHERE { ?s ?p ?o }",
    "FROM NAMED": "SELECT * FROM NAMED <{url}> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "LOAD": "LOAD <{url}>",
    "INSERT DATA": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE": "DELETE WHERE { ?s ?p ?o }",
    "CLEAR": "CLEAR ALL",
}


@pytest.mark.parametrize("form", list(REFUSED))
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_refused_forms(dataset, listener, form, engine):
    sock, url = listener
    with pytest.raises(QueryError, match=f"refused: {form}"):
        run_query(REFUSED[form].replace("{url}", url), engine=engine, dataset=dataset)
    assert not _connected(sock)


def test_timeout_stops_a_runaway_query(dataset):
    started = time.monotonic()
    with pytest.raises(QueryError, match="ran out of time"):
        run_query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", dataset=dataset, timeout=1.5
        )
    assert time.monotonic() - started < 1.5 + 2.0


def test_row_limit(dataset):
    result = run_query("SELECT * WHERE { ?s ?p ?o }", dataset=dataset, limit=7)
    assert len(result.rows) == 7 and result.truncated


def test_construct(dataset):
    result = run_query(
        "CONSTRUCT WHERE { ?s a <https://w3id.org/calcinosis-kg/ontology/SourceDocument> }", dataset=dataset
    )
    assert len(result.triples) == 5
    assert result.to_ntriples().count("\n") == 5 and "@prefix" in result.to_turtle()


# --- the remote path: a loopback SPARQL endpoint ---------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(dataset):
    """A SPARQL 1.1 Protocol endpoint on 127.0.0.1 over the release (pyoxigraph, union default graph)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        """Answers the SPARQL 1.1 Protocol's GET and urlencoded POST, the forms the client sends."""

        def do_GET(self):
            self.answer(parse_qs(urlsplit(self.path).query)["query"][0])

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
            assert self.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
            self.answer(parse_qs(body)["query"][0])

        def answer(self, query):
            seen.append(query)
            answer = store.query(query, use_default_graph_as_union=True)
            data = answer.serialize(format=ox.QueryResultsFormat.JSON)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", seen
    server.shutdown()


@pytest.mark.parametrize(("name", "params"), [v for v in VARIANTS if not v[0].startswith(("qc/", "stats"))])
def test_endpoint_matches_local(dataset, endpoint, name, params):
    url, seen = endpoint
    remote = run_query(name, endpoint=url, **params)
    local = run(dataset, name, **params)
    assert remote.term_set() == local.term_set()
    if params and any(p.kind == "entity" for p in load_query(name).params):
        assert "VALUES (" in seen[-1]


def test_endpoint_values_are_escaped(endpoint):
    url, seen = endpoint
    assert run_query("search", endpoint=url, text='a"b\\c').rows == []
    assert '"a\\"b\\\\c"' in seen[-1]


# --- the README lists every query, in step with the headers ----------------------------------------


def test_readme_lists_every_query():
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 4 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells
    headers = {q["name"]: q for q in list_queries()}
    assert set(rows) == set(headers)
    for name, cells in rows.items():
        params = {p["name"] for p in headers[name].get("params") or []}
        assert set(re.findall(r"`(\w+)`", cells[2])) == params, name
        assert cells[3].strip("`") == headers[name]["example"], name


def test_headers_are_complete():
    for header in list_queries():
        assert header.get("summary") and header.get("description") and header.get("example"), header["name"]
        assert header["example"].startswith(f"calcinosis-kg query {header['name']}")
        for p in header.get("params") or []:
            assert p["kind"] in {"entity", "text", "number"}
            assert "example" in p


def test_json_results_format(dataset):
    data = json.loads(run(dataset, "sources").serialize("json"))
    assert data["head"]["vars"] == ["source", "identifier", "title", "relation", "claims"]


@pytest.fixture
def odd_endpoint():
    """A loopback server that answers HTML to /html and nothing, for a long time, to /slow."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/slow"):
                time.sleep(3)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>Welcome to a web server</body></html>")

        def log_message(self, *args):
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_an_endpoint_that_answers_no_sparql_is_a_clear_error(odd_endpoint):
    with pytest.raises(QueryError, match=r"answered text/html, not SPARQL results: <html><body>Welcome"):
        run_query("ASK { ?s ?p ?o }", endpoint=odd_endpoint + "/html")


def test_an_endpoint_that_does_not_answer_in_time_is_said_to_time_out(odd_endpoint):
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"ran out of time|timed out"):
        run_query("ASK { ?s ?p ?o }", endpoint=odd_endpoint + "/slow", timeout=1)
    assert time.monotonic() - started < 2.5
