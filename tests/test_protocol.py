"""The SPARQL 1.1 Protocol at ``calcinosis-kg serve``: the query tests of the W3C suite
(``sparql11/protocol/manifest.ttl``), their dataset tests over the release's named graphs
instead of the suite's remote data files, the Service Description, CORS, and rdflib's
``SPARQLStore`` on a named graph.

Not applicable to a read-only endpoint: ``update_*`` and ``update_base_uri`` (they perform
updates; this endpoint refuses every update with 403, tested here and in ``test_server.py``),
and the ``bad_update_*`` tests, whose 4xx this endpoint gives to every update request anyway.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from test_server import endpoint  # noqa: F401  (the module's server)

from calcinosis_kg.namespaces import GRAPHS

MANIFEST = Path("/work/shared/w3c-rdf-tests/sparql/sparql11/protocol/manifest.ttl")
ONTOLOGY, KB, INFERRED = (str(GRAPHS[name]) for name in ("ontology", "kb", "inferred"))
GRAPHS_ASKED = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
IS_ONTOLOGY = "ASK { ?o a <http://www.w3.org/2002/07/owl#Ontology> }"
JSON = "application/sparql-results+json"

#: the W3C tests this file runs (by their manifest name), and those that do not apply
APPLIES = {
    "query_post_form", "query_dataset_default_graphs_get", "query_dataset_default_graphs_post",
    "query_dataset_named_graphs_post", "query_dataset_named_graphs_get", "query_dataset_full",
    "query_multiple_dataset", "query_get", "query_content_type_select", "query_content_type_ask",
    "query_content_type_describe", "query_content_type_construct", "query_post_direct",
    "bad_query_method", "bad_multiple_queries", "bad_query_wrong_media_type",
    "bad_query_missing_form_type", "bad_query_missing_direct_type", "bad_query_non_utf8",
    "bad_query_syntax",
}  # fmt: skip


def _get(url, accept=JSON, **params):
    return httpx.get(url, params=params, headers={"Accept": accept}, trust_env=False)


def _post(url, content, kind, accept=JSON):
    return httpx.post(url, content=content, headers={"Content-Type": kind, "Accept": accept}, trust_env=False)


def _graphs(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {row["g"]["value"] for row in response.json()["results"]["bindings"]}


def _boolean(response) -> bool:
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


@pytest.mark.skipif(not MANIFEST.exists(), reason="the W3C test suite is not in /work/shared")
def test_the_manifest_lists_the_tests_named_here():
    manifest = Graph().parse(MANIFEST, format="turtle")
    names = {str(s).rsplit("#", 1)[-1] for s in manifest.subjects(None, None) if "#" in str(s)}
    assert names >= APPLIES
    assert {n for n in names - APPLIES if n.startswith(("query", "bad_query"))} == set()


def test_query_get_and_post(endpoint):  # noqa: F811  query_get, query_post_form, query_post_direct
    form = "query=" + httpx.QueryParams({"q": IS_ONTOLOGY})["q"]
    assert _boolean(_get(endpoint, query=IS_ONTOLOGY))
    assert _boolean(
        _post(
            endpoint, httpx.QueryParams({"query": IS_ONTOLOGY}).__str__(), "application/x-www-form-urlencoded"
        )
    )
    assert _boolean(_post(endpoint, IS_ONTOLOGY, "application/sparql-query"))
    assert form


def test_protocol_default_graphs(endpoint):  # noqa: F811  query_dataset_default_graphs_get / _post
    assert _boolean(_get(endpoint, query=IS_ONTOLOGY, **{"default-graph-uri": ONTOLOGY}))
    assert not _boolean(_get(endpoint, query=IS_ONTOLOGY, **{"default-graph-uri": KB}))
    body = httpx.QueryParams(
        [("query", IS_ONTOLOGY), ("default-graph-uri", KB), ("default-graph-uri", ONTOLOGY)]
    )
    assert _boolean(_post(endpoint, str(body), "application/x-www-form-urlencoded"))


def test_protocol_named_graphs(endpoint):  # noqa: F811  query_dataset_named_graphs_get / _post
    response = httpx.get(
        endpoint,
        params=[("query", GRAPHS_ASKED), ("named-graph-uri", KB), ("named-graph-uri", INFERRED)],
        headers={"Accept": JSON},
        trust_env=False,
    )
    assert _graphs(response) == {KB, INFERRED}
    body = httpx.QueryParams([("query", GRAPHS_ASKED), ("named-graph-uri", ONTOLOGY)])
    assert _graphs(_post(endpoint, str(body), "application/x-www-form-urlencoded")) == {ONTOLOGY}


def test_protocol_full_dataset_and_its_precedence_over_from(endpoint):  # noqa: F811
    params = [("query", GRAPHS_ASKED), ("default-graph-uri", ONTOLOGY), ("named-graph-uri", KB)]
    assert _graphs(httpx.get(endpoint, params=params, headers={"Accept": JSON})) == {KB}  # query_dataset_full
    text = f"ASK FROM <{KB}> {{ ?o a <http://www.w3.org/2002/07/owl#Ontology> }}"
    assert not _boolean(_get(endpoint, query=text))  # FROM is honoured ...
    assert _boolean(_get(endpoint, query=text, **{"default-graph-uri": ONTOLOGY}))  # ... the protocol wins


def test_from_and_from_named_in_the_query_are_honoured(endpoint):  # noqa: F811
    text = f"SELECT DISTINCT ?g FROM <{ONTOLOGY}> FROM NAMED <{KB}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert _graphs(_get(endpoint, query=text)) == {KB}
    assert _boolean(
        _get(endpoint, query=f"ASK FROM <{ONTOLOGY}> {{ ?o a <http://www.w3.org/2002/07/owl#Ontology> }}")
    )


@pytest.mark.parametrize("how", ["from", "default-graph-uri", "named-graph-uri"])
def test_a_graph_the_release_does_not_hold_is_refused_naming_those_it_holds(endpoint, how):  # noqa: F811
    other = "http://kasei.us/2009/09/sparql/data/data1.rdf"
    if how == "from":
        response = _get(endpoint, query=f"ASK FROM <{other}> {{ ?s ?p ?o }}")
    else:
        response = _get(endpoint, query="ASK { ?s ?p ?o }", **{how: other})
    assert response.status_code == 400
    assert other in response.text and ONTOLOGY in response.text


@pytest.mark.parametrize(
    "query,types",
    [
        (
            "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
            {JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"},
        ),
        ("ASK { ?s ?p ?o }", {JSON, "application/sparql-results+xml"}),
        (f"DESCRIBE <{ONTOLOGY}>", {"text/turtle", "application/rdf+xml", "application/n-triples"}),
        (
            "CONSTRUCT WHERE { ?s a ?o } LIMIT 1",
            {"text/turtle", "application/rdf+xml", "application/n-triples"},
        ),
    ],
    ids=["select", "ask", "describe", "construct"],
)
def test_appropriate_content_type(endpoint, query, types):  # noqa: F811  query_content_type_*
    response = httpx.get(endpoint, params={"query": query}, trust_env=False)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in types


def test_bad_requests_get_4xx(endpoint):  # noqa: F811  bad_query_*
    assert 400 <= httpx.put(endpoint, params={"query": "ASK {}"}).status_code < 500  # bad_query_method
    two = httpx.get(endpoint, params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert two.status_code == 400  # bad_multiple_queries
    assert _post(endpoint, "ASK {}", "text/plain").status_code == 415  # bad_query_wrong_media_type
    assert httpx.post(endpoint, content=b"query=ASK%20%7B%7D").status_code >= 400  # missing form type
    assert httpx.post(endpoint, content=b"ASK {}").status_code >= 400  # bad_query_missing_direct_type
    utf16 = _post(endpoint, "ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16")
    assert 400 <= utf16.status_code < 500  # bad_query_non_utf8
    assert _get(endpoint, query="SELECT * WHERE { ?s ?p }").status_code == 400  # bad_query_syntax


def test_updates_are_refused(endpoint):  # noqa: F811  the update tests do not apply: read-only
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert _post(endpoint, update, "application/sparql-update").status_code == 403
    assert (
        _post(
            endpoint, str(httpx.QueryParams({"update": update})), "application/x-www-form-urlencoded"
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    "accept,fmt", [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), (None, "turtle")]
)
def test_the_service_description(endpoint, accept, fmt):  # noqa: F811
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(endpoint, headers=headers, trust_env=False)
    assert response.status_code == 200
    described = Graph().parse(data=response.text, format=fmt)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (URIRef(endpoint), URIRef(sd + "endpoint"), URIRef(endpoint)) in described
    assert {str(o) for o in described.objects(None, URIRef(sd + "name"))} == {str(i) for i in GRAPHS.values()}


def test_cors_lets_a_page_of_another_origin_query(endpoint):  # noqa: F811
    origin = {"Origin": "https://yasgui.example"}
    answer = httpx.get(endpoint, params={"query": "ASK {}"}, headers=origin, trust_env=False)
    assert answer.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(
        endpoint,
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        trust_env=False,
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_rdflib_sparqlstore_queries_a_named_graph(endpoint):  # noqa: F811
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint, returnFormat="json")
    ontology = Graph(store, identifier=URIRef(ONTOLOGY))
    kb = Graph(store, identifier=URIRef(KB))
    assert ontology.query(IS_ONTOLOGY).askAnswer is True
    assert kb.query(IS_ONTOLOGY).askAnswer is False
    assert len(list(ontology.triples((None, None, None)))) > 100
