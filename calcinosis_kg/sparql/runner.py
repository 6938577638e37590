"""Run a canned or ad-hoc query: check it, bind its parameters, enforce the time and row limits.

>>> spec, ad_hoc = get_spec("types")
>>> spec.name, ad_hoc
('types', False)
>>> get_spec("SELECT * WHERE { ?s ?p ?o }")[1]
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import QueryError
from ..sandbox import TimeLimitError, run_within
from .catalog import QuerySpec, load_query, parse_header, query_names
from .guard import check_query
from .params import bind_params
from .results import QueryResult
from .terms import Term

__all__ = ["DEFAULT_LIMIT", "DEFAULT_TIMEOUT", "get_spec", "open_engine", "run_query", "run_spec"]

DEFAULT_TIMEOUT = 30.0
DEFAULT_LIMIT = 10_000
_RESOLVERS: dict[int, object] = {}


def get_spec(name_or_text: str) -> tuple[QuerySpec, bool]:
    """The query to run and whether it is ad hoc (not one of the canned queries)."""
    text = name_or_text.strip()
    if re.fullmatch(r"[\w./-]+", text) and not text.lower().startswith(("select", "ask", "construct")):
        return load_query(text), False
    return QuerySpec(
        name="ad-hoc query", path=Path("-"), text=name_or_text, header=parse_header(name_or_text)
    ), True


def open_engine(engine: str = "oxigraph", endpoint: str | None = None, dataset=None, timeout=DEFAULT_TIMEOUT):
    """The engine to run on: an endpoint, or a local engine over ``dataset`` (default: the release)."""
    if endpoint:
        from .remote import EndpointEngine

        return EndpointEngine(endpoint, timeout=timeout)
    from .engines import get_engine

    if dataset is None:
        from ..artifacts import DATASET_FILE, ensure_release

        dataset = ensure_release() / DATASET_FILE
    return get_engine(engine, dataset)


def _resolver(engine):
    from .lookup import Resolver

    key = id(engine)
    if key not in _RESOLVERS:
        _RESOLVERS[key] = Resolver(lambda text: engine.run(text, "all"))
    return _RESOLVERS[key]


def run_query(
    name_or_text: str,
    graph: str = "all",
    engine: str = "oxigraph",
    endpoint: str | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = DEFAULT_LIMIT,
    dataset: str | Path | None = None,
    **params,
) -> QueryResult:
    """Run a canned query by name, or an ad-hoc SPARQL text, and return its :class:`QueryResult`.

    ``params`` are the query's parameters (entity values: label, synonym, CURIE or IRI).
    Ad-hoc queries are refused if they could write, load or reach the network, and local
    queries run in a process cut off from the network (see :mod:`calcinosis_kg.sandbox`).
    """
    spec, ad_hoc = get_spec(name_or_text)
    runner = open_engine(engine, endpoint, dataset, timeout)
    return run_spec(
        spec,
        runner,
        params,
        limit,
        lambda bindings: _execute(runner, spec.text, graph, bindings, limit, timeout, ad_hoc),
    )


def run_spec(
    spec: QuerySpec,
    engine,
    params: dict,
    limit: int | None = DEFAULT_LIMIT,
    execute: Callable[[dict[str, Term]], QueryResult] | None = None,
) -> QueryResult:
    """Answer ``spec`` on ``engine`` with ``params`` bound: entity values resolved over the
    engine, one run per value of a parameter that takes several (``execute(bindings)``, by
    default ``engine.run`` in this process), the runs combined.

    >>> from calcinosis_kg.sparql.engines import get_engine
    >>> from calcinosis_kg.artifacts import DATASET_FILE, ensure_release
    >>> engine = get_engine("oxigraph", ensure_release() / DATASET_FILE)
    >>> {str(r["label"]) for r in run_spec(load_query("search"), engine, {"text": "sclero"})}
    {'systemic sclerosis'}
    """
    needs_lookup = any(p.kind == "entity" and (params.get(p.name) or p.default) for p in spec.params)
    resolve = _resolver(engine).resolve if needs_lookup else None
    runs = bind_params(spec, params, resolve)
    if execute is None:
        execute = lambda bindings: engine.run(spec.text, "all", bindings, limit)  # noqa: E731
    results = [execute(bindings) for bindings in runs]
    result = results[0] if len(results) == 1 else _intersect(results, spec.key, limit)
    return _sort_lists(result, spec.header.get("lists") or [])


def _sort_lists(result: QueryResult, columns: list[str]) -> QueryResult:
    """Sort the parts of concatenated (GROUP_CONCAT) columns, whose order no engine fixes."""
    for row in result.rows:
        for column in columns:
            if column in row:
                parts = sorted(row[column].value.split("; "), key=str.casefold)
                row[column] = Term.literal("; ".join(parts))
    return result


def _intersect(results: list[QueryResult], key: list[str], limit) -> QueryResult:
    """Rows of every run whose key (e.g. the calcinosis type) appears in all runs."""
    first = results[0]
    key = key or first.columns[:1]
    common = set.intersection(*({tuple(r.get(k) for k in key) for r in res.rows} for res in results))
    out = QueryResult(first.kind, first.columns, truncated=any(r.truncated for r in results))
    seen = set()
    for res in results:
        for row in res.rows:
            ident = tuple(sorted(row.items()))
            if tuple(row.get(k) for k in key) in common and ident not in seen:
                seen.add(ident)
                out.rows.append(row)
    if limit is not None and len(out.rows) > limit:
        out.rows, out.truncated = out.rows[:limit], True
    return out


def _execute(runner, text, graph, bindings, limit, timeout, ad_hoc=False) -> QueryResult:
    """Run one query in a child process stopped at the time limit; a local one is cut off from
    the network, and an ad-hoc one is checked there first (see :mod:`calcinosis_kg.sandbox`)."""
    local = getattr(runner, "name", "") != "endpoint"
    try:
        return run_within(
            timeout, _run, runner, text, graph, bindings, limit, ad_hoc, isolated=local, what="the query"
        )
    except TimeLimitError as exc:
        raise QueryError(str(exc)) from None


def _run(runner, text, graph, bindings, limit, ad_hoc) -> QueryResult:
    if ad_hoc:
        check_query(text)
    try:
        return runner.run(text, graph, bindings, limit)
    except QueryError:
        raise
    except RecursionError:
        raise QueryError(
            f"the query is nested too deeply for the {runner.name} engine; try --engine oxigraph"
        ) from None
    except Exception as exc:
        raise QueryError(f"{type(exc).__name__}: {exc}") from None


def canned_names() -> list[str]:
    """The names of the canned queries."""
    return query_names()
