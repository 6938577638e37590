"""Check an ad-hoc query before it runs: read-only, and no reach outside the graph.

The query is parsed with rdflib's SPARQL parser and its algebra is walked; updates (INSERT,
DELETE, LOAD, CLEAR, ...), ``SERVICE`` and dataset clauses (``FROM``, ``FROM NAMED``) are
refused with a :class:`~calcinosis_kg.errors.QueryError`.

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
'SELECT'
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/x> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
calcinosis_kg.errors.QueryError: refused: SERVICE would reach another endpoint; ...
"""

from __future__ import annotations

from ..errors import QueryError

__all__ = ["check_query"]


def check_query(text: str) -> str:
    """Return the query form (SELECT, ASK, CONSTRUCT, DESCRIBE) of a safe query, else raise."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except Exception as query_error:
        try:
            update = parseUpdate(text)
        except Exception:
            raise QueryError(f"SPARQL syntax error: {_first_line(query_error)}") from None
        forms = sorted({_update_name(op) for op in update.get("request", [])})
        raise QueryError(
            f"refused: {' '.join(forms) or 'update'} would change the graph; ad-hoc queries are read-only"
        ) from None
    algebra = translateQuery(parsed).algebra
    if algebra.get("datasetClause"):
        kinds = {"FROM NAMED" if c.get("named") is not None else "FROM" for c in algebra["datasetClause"]}
        raise QueryError(
            f"refused: {' and '.join(sorted(kinds))} would load other graphs; "
            "use --graph asserted|inferred|all to choose the graph"
        )
    if _contains(algebra, "ServiceGraphPattern"):
        raise QueryError(
            "refused: SERVICE would reach another endpoint; ad-hoc queries may only read the graph"
        )
    return algebra.name.replace("Query", "").upper()


def _contains(node, name: str) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return node.name == name or any(_contains(v, name) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_contains(v, name) for v in node)
    return False


def _update_name(op) -> str:
    return {
        "InsertData": "INSERT DATA",
        "DeleteData": "DELETE DATA",
        "DeleteWhere": "DELETE WHERE",
        "Modify": "DELETE/INSERT",
    }.get(op.name, op.name.upper())


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
