"""Run queries against a SPARQL 1.1 endpoint over HTTP (SPARQL 1.1 Protocol).

Parameter values cannot be bound remotely, so they travel as a ``VALUES`` block of escaped
RDF terms placed at the start of the query's top-level ``WHERE`` group: the join there gives
the same answers as binding, since the canned queries use parameters only at that level.

>>> print(with_values("SELECT ?x WHERE { ?x ?p ?o }", {"p": Term.iri("urn:p")}))
SELECT ?x WHERE {
  VALUES (?p) { (<urn:p>) }
 ?x ?p ?o }
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..errors import QueryError
from .guard import keywords
from .results import QueryResult
from .terms import Term, from_oxigraph, triple_terms

__all__ = ["EndpointEngine", "store_cut", "with_values"]


def _where_brace(text: str) -> int:
    """The offset of the first ``{`` outside comments, strings and IRIs."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            continue
        elif c == "<" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "=":
            end = text.find(">", i)
            if end > 0 and not any(ch.isspace() for ch in text[i:end]):
                i = end
        elif c == "{":
            return i
        i += 1
    raise QueryError("cannot find the WHERE group of the query")


def with_values(text: str, bindings: dict[str, Term]) -> str:
    """The query with a ``VALUES`` block for ``bindings`` at the start of its WHERE group."""
    if not bindings:
        return text
    names = list(bindings)
    variables = " ".join("?" + n for n in names)
    terms = " ".join(bindings[n].n3() for n in names)
    block = f"\n  VALUES ({variables}) {{ ({terms}) }}\n"
    at = _where_brace(text) + 1
    return text[:at] + block + text[at:]


#: GET while the encoded query is this short (every store reads GET; long ones go as a form POST)
MAX_GET_BYTES = 2000
_RESULT_TYPES = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/tab-separated-values": "TSV",
}
_GRAPH_TYPES = {
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "text/turtle": "TURTLE",
    "application/x-turtle": "TURTLE",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}
_ACCEPT = {
    "results": "application/sparql-results+json, application/sparql-results+xml;q=0.8",
    "graph": "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5",
}


class EndpointEngine:
    """A remote SPARQL 1.1 endpoint, asked the way every store answers: GET for a short query,
    else POST of a urlencoded form (SPARQL 1.1 Protocol, sections 2.1.1 and 2.1.2)."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float | None = 30.0):
        if not url.startswith(("http://", "https://")):
            raise QueryError(f"endpoint {url!r} must be an http:// or https:// URL")
        self.url, self.timeout = url, timeout

    def run(self, text: str, graph: str = "all", bindings: dict[str, Term] | None = None, limit=None):
        if graph != "all":
            raise QueryError(
                "--graph asserted|inferred needs the local release; an endpoint has its own graphs"
            )
        query = with_values(text, bindings or {})
        graph_form = any(word in {"CONSTRUCT", "DESCRIBE"} for word in keywords(text)[:50])
        kind, payload, headers = self._ask(query, _ACCEPT["graph" if graph_form else "results"])
        if kind in _GRAPH_TYPES:
            result = _triples(payload, _GRAPH_TYPES[kind])
        elif kind in _RESULT_TYPES:
            result = _solutions(payload, _RESULT_TYPES[kind], limit)
        else:
            raise QueryError(
                f"endpoint {self.url} answered {kind or 'no content type'}, not SPARQL results: "
                f"{_first_line(payload)}"
            )
        cut = store_cut(headers, len(result))
        if cut is not None and (limit is None or limit > cut):
            raise QueryError(
                f"endpoint {self.url} cut the answer at {cut:,} rows (its own limit: Virtuoso's "
                "[SPARQL] ResultSetMaxRows, or calcinosis-kg serve --max-rows); the answer is "
                "incomplete: raise that limit, or page with LIMIT / OFFSET"
            )
        return result

    def _ask(self, query: str, accept: str) -> tuple[str, bytes, dict[str, str]]:
        """Send the query; return the media type, body and headers of a successful answer."""
        import httpx

        headers = {"Accept": accept}
        try:
            with httpx.Client(timeout=self.timeout, trust_env=False, follow_redirects=True) as client:
                if len(urlencode({"query": query})) <= MAX_GET_BYTES:
                    response = client.get(self.url, params={"query": query}, headers=headers)
                else:
                    response = client.post(self.url, data={"query": query}, headers=headers)
        except httpx.TimeoutException:
            raise QueryError(f"endpoint {self.url} timed out (no answer within {self.timeout:g} s)") from None
        except httpx.HTTPError as exc:
            raise QueryError(f"endpoint {self.url} cannot be reached: {exc}") from None
        if response.status_code >= 400:
            raise QueryError(
                f"endpoint {self.url} answered {response.status_code} {response.reason_phrase}: "
                f"{_first_line(response.content)}"
            )
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return media, response.content, {k.lower(): v for k, v in response.headers.items()}


def store_cut(headers: dict[str, str], rows: int) -> int | None:
    """The row count at which the store says it cut its answer, or None.

    Virtuoso sends ``X-SPARQL-MaxRows`` when its ``ResultSetMaxRows`` may have cut the answer;
    ``calcinosis-kg serve`` sends ``X-SPARQL-Truncated: true`` and ``X-SPARQL-Max-Rows``;
    Virtuoso's partial (anytime) answers carry ``X-SQL-State``.

    >>> store_cut({"x-sparql-maxrows": "10000"}, 10000), store_cut({"x-sparql-maxrows": "10000"}, 9)
    (10000, None)
    >>> store_cut({"x-sparql-truncated": "true", "x-sparql-max-rows": "1000"}, 1000)
    1000
    """
    cap = headers.get("x-sparql-maxrows") or headers.get("x-sparql-max-rows")
    said = headers.get("x-sparql-truncated", "").lower()
    if said == "true" or headers.get("x-sql-state"):
        return int(cap) if cap and cap.isdigit() else rows
    if not said and cap and cap.isdigit() and rows >= int(cap):
        return int(cap)
    return None


def _first_line(payload: bytes, width: int = 300) -> str:
    """The first lines of an answer's text, in one line, for an error message."""
    text = " ".join(payload.decode("utf-8", "replace").split())
    return (text[:width] + "…") if len(text) > width else text or "(empty answer)"


def _solutions(payload: bytes, fmt: str, limit) -> QueryResult:
    import pyoxigraph as ox

    try:
        answer = ox.parse_query_results(payload, format=getattr(ox.QueryResultsFormat, fmt))
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"the endpoint's answer is not valid SPARQL results ({fmt}): {exc}") from None
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    columns = [v.value for v in answer.variables]
    result = QueryResult("select", columns)
    for solution in answer:
        if limit is not None and len(result.rows) >= limit:
            result.truncated = True
            break
        cells = ((c, from_oxigraph(solution[c])) for c in columns)
        result.rows.append({c: t for c, t in cells if t is not None})
    return result


def _triples(payload: bytes, fmt: str) -> QueryResult:
    import pyoxigraph as ox

    try:
        parsed = list(ox.parse(payload, format=getattr(ox.RdfFormat, fmt)))
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"the endpoint's answer is not valid RDF ({fmt}): {exc}") from None
    return QueryResult("graph", triples=[triple_terms(t) for t in parsed])
