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

import json
import urllib.error
import urllib.request

from ..errors import QueryError
from .results import QueryResult
from .terms import Term, from_json

__all__ = ["EndpointEngine", "with_values"]


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


class EndpointEngine:
    """A remote SPARQL 1.1 endpoint, queried with POST ``application/sparql-query``."""

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
        body = with_values(text, bindings or {}).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/sparql-query; charset=utf-8",
                "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                kind = response.headers.get("Content-Type", "")
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()[:1]
            raise QueryError(f"endpoint {self.url} answered {exc.code}: {' '.join(detail)}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise QueryError(f"endpoint {self.url} cannot be reached: {exc}") from None
        if "json" not in kind:
            return _triples(payload.decode("utf-8"))
        data = json.loads(payload)
        if "boolean" in data:
            return QueryResult("ask", boolean=bool(data["boolean"]))
        result = QueryResult("select", list(data["head"].get("vars", [])))
        for binding in data["results"]["bindings"]:
            if limit is not None and len(result.rows) >= limit:
                result.truncated = True
                break
            result.rows.append({k: from_json(v) for k, v in binding.items()})
        return result


def _triples(text: str) -> QueryResult:
    import pyoxigraph as ox

    from .terms import from_oxigraph

    triples = [
        (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
        for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
    ]
    return QueryResult("graph", triples=triples)
