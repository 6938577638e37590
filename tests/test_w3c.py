"""The W3C test suites of RDF 1.1 syntaxes and SPARQL 1.1 query syntax, read from the shared
copy (never copied here): every positive test loads, every negative one is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Namespace

from calcinosis_kg.errors import InvalidDataError, QueryError
from calcinosis_kg.loading import parse_quads
from calcinosis_kg.sparql.guard import RefusedQuery, check_query

SUITES = Path(os.environ.get("CALCINOSIS_W3C_TESTS", Path(__file__).parents[2] / "shared" / "w3c-rdf-tests"))
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
#: where the suites are published: the base IRI of each test file
PUBLISHED = "https://w3c.github.io/rdf-tests/"
RDF_SUITES = ["rdf-turtle", "rdf-n-triples", "rdf-n-quads", "rdf-trig", "rdf-xml"]
#: how many tests each suite has, so that a filter that shrinks them is seen
EXPECTED = {"rdf-turtle": 313, "rdf-n-triples": 70, "rdf-n-quads": 87, "rdf-trig": 356, "rdf-xml": 166}

pytestmark = pytest.mark.skipif(not SUITES.is_dir(), reason=f"no W3C test suites at {SUITES}")


def entries(manifest: Path) -> list[tuple[str, Path, bool, str]]:
    """(name, action file, positive?, base IRI) of every test of a manifest."""
    graph = Graph().parse(manifest, format="turtle")
    found = []
    for test in graph.subjects(MF.action, None):
        kind = str(graph.value(test, RDF.type)).rsplit("#", 1)[-1]
        action = Path(str(graph.value(test, MF.action)).removeprefix("file://"))
        where = action.relative_to(SUITES).as_posix()
        found.append((where, action, "Negative" not in kind, PUBLISHED + where))
    return sorted(found)


def rdf_cases():
    if not SUITES.is_dir():
        return []
    return [
        pytest.param(*case, id=case[0])
        for suite in RDF_SUITES
        for case in entries(SUITES / "rdf" / "rdf11" / suite / "manifest.ttl")
    ]


def test_every_suite_is_read_whole():
    counts = {suite: len(entries(SUITES / "rdf" / "rdf11" / suite / "manifest.ttl")) for suite in RDF_SUITES}
    assert counts == EXPECTED


@pytest.mark.parametrize(("name", "action", "positive", "base"), rdf_cases())
def test_rdf_syntax(name, action, positive, base):
    if positive:
        parse_quads(action, base_iri=base)
    else:
        with pytest.raises(InvalidDataError, match=rf"^{action}(:\d+:\d+)?: "):
            parse_quads(action, base_iri=base)


def query_cases():
    if not SUITES.is_dir():
        return []
    return [
        pytest.param(*case, id=case[0])
        for case in entries(SUITES / "sparql" / "sparql11" / "syntax-query" / "manifest.ttl")
    ]


@pytest.mark.parametrize(("name", "action", "positive", "base"), query_cases())
def test_sparql_query_syntax(name, action, positive, base):
    """The guard refuses only what it documents; the engine rejects every negative test."""
    text = action.read_text(encoding="utf-8")
    try:
        check_query(text)
    except RefusedQuery as refusal:
        assert positive, "negative tests are the engine's to reject"
        assert any(word in str(refusal) for word in ("SERVICE", "FROM")), refusal
        return
    store = ox.Store()
    if positive:
        try:
            store.query(text, base_iri=base)
        except RuntimeError as exc:  # parsed; evaluation needs what the test does not give
            assert "custom function" in str(exc)
    else:
        with pytest.raises((SyntaxError, QueryError)):
            store.query(text, base_iri=base)
